//! `--format table`: aligned columns for a terminal, in input order. Widths
//! are computed over all rows, so the table is written at the end; long
//! cells are cut with `…`. Input values are stripped of control characters;
//! the category is coloured by severity only when [`crate::term`] says so.

use std::io::{self, Write};

use super::{CollectFormat, Record};
use crate::classify::Severity;
use crate::term;

/// Column headings, their widest allowed cell, and whether they align right.
const COLUMNS: [(&str, usize, bool); 9] = [
    ("NAMESPACE", 24, false),
    ("POD", 48, false),
    ("CONTAINER", 28, false),
    ("CATEGORY", 17, false),
    ("CODE", 11, true),
    ("SIGNAL", 9, false),
    ("RESTARTS", 8, true),
    ("FINISHED", 20, false),
    ("SUMMARY", 100, false),
];

/// The index of the coloured column.
const CATEGORY: usize = 3;

/// Collects rows and writes them aligned.
pub struct Table {
    color: bool,
    fit: Option<usize>,
    rows: Vec<(Severity, [String; 9])>,
}

impl Table {
    /// A table, coloured by severity when `color` is true, and with its last
    /// column cut to fit `fit` terminal columns when given.
    pub fn new(color: bool, fit: Option<usize>) -> Table {
        Table {
            color,
            fit,
            rows: Vec::new(),
        }
    }
}

/// A cell for an optional value: `-` when absent.
fn cell(v: Option<&str>) -> String {
    match v {
        Some(s) if !s.is_empty() => term::sanitize(s).into_owned(),
        _ => "-".to_string(),
    }
}

/// One row's cells, uncut.
pub(crate) fn row(record: &Record) -> [String; 9] {
    let o = &record.observation;
    let c = &record.classification;
    // Whole seconds: enough to read, and every row keeps one width.
    let finished = record.finished_at()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    [
        cell(o.namespace.as_deref()),
        cell(o.pod.as_deref()),
        cell(o.container.as_deref()),
        cell(Some(&c.category)),
        cell(c.exit_code.map(|n| n.to_string()).as_deref()),
        cell(c.signal.as_deref()),
        cell(o.restart_count.map(|n| n.to_string()).as_deref()),
        cell(finished.as_deref()),
        cell(Some(&c.summary)),
    ]
}

/// The narrowest the last column gets when the table is fitted to a terminal.
const MIN_LAST: usize = 16;

/// Writes `rows` under `headings`, each column as wide as its widest cell
/// (at most its limit). `colored` is the column painted by the row's
/// severity when `color` is on. With `fit`, the last column is cut so lines
/// fit that many terminal columns (but keeps at least [`MIN_LAST`]).
pub(crate) fn write_aligned<const N: usize>(
    out: &mut dyn Write,
    columns: &[(&str, usize, bool); N],
    rows: &[(Severity, [String; N])],
    colored: Option<usize>,
    color: bool,
    fit: Option<usize>,
) -> io::Result<()> {
    let mut limits = [0usize; N];
    for (i, (_, max, _)) in columns.iter().enumerate() {
        limits[i] = *max;
    }
    let measure = |i: usize, limit: usize| {
        rows.iter()
            .map(|(_, r)| term::width(&r[i]).min(limit))
            .chain([term::width(columns[i].0)])
            .max()
            .unwrap_or(0)
    };
    let mut widths = [0usize; N];
    for i in 0..N {
        widths[i] = measure(i, limits[i]);
    }
    if let (Some(fit), Some(last)) = (fit, N.checked_sub(1)) {
        let before: usize = widths[..last].iter().map(|w| w + 2).sum();
        limits[last] = limits[last].min(fit.saturating_sub(before).max(MIN_LAST));
        widths[last] = measure(last, limits[last]);
    }
    let mut line = String::new();
    let heads: Vec<String> = columns.iter().map(|(h, _, _)| h.to_string()).collect();
    push_line(&mut line, &heads, columns, &limits, &widths, None);
    out.write_all(line.as_bytes())?;
    for (sev, r) in rows {
        line.clear();
        let paint = colored.filter(|_| color).map(|i| (i, *sev));
        push_line(&mut line, r, columns, &limits, &widths, paint);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn push_line(
    line: &mut String,
    cells: &[String],
    columns: &[(&str, usize, bool)],
    limits: &[usize],
    widths: &[usize],
    paint: Option<(usize, Severity)>,
) {
    let last = cells.len().saturating_sub(1);
    for (i, raw) in cells.iter().enumerate() {
        let text = term::truncate(raw, limits[i]);
        let pad = widths[i].saturating_sub(term::width(&text));
        let shown = match paint {
            Some((col, sev)) if col == i => term::paint(&text, sev, true),
            _ => std::borrow::Cow::Borrowed(text.as_ref()),
        };
        if columns[i].2 {
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(&shown);
        } else {
            line.push_str(&shown);
            // No trailing blanks after the last column.
            if i != last {
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i != last {
            line.push_str("  ");
        }
    }
    line.push('\n');
}

impl CollectFormat for Table {
    fn push(&mut self, record: Record) {
        self.rows
            .push((record.classification.severity, row(&record)));
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write_aligned(
            out,
            &COLUMNS,
            &self.rows,
            Some(CATEGORY),
            self.color,
            self.fit,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_cuts_and_colours() {
        let rows = vec![
            (Severity::Error, ["a".to_string(), "12345678".to_string()]),
            (Severity::Ok, ["bbb".to_string(), "1".to_string()]),
        ];
        let cols = [("K", 2, false), ("N", 5, true)];
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, Some(0), false, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "K       N\na   1234…\nb…      1\n"
        );
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, Some(0), true, None).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[1;31ma\x1b[0m   1234…"), "{s:?}");
    }

    #[test]
    fn fits_the_last_column_to_the_terminal() {
        let long = "x".repeat(50);
        let rows = vec![(Severity::Ok, ["aaaa".to_string(), long.clone()])];
        let cols = [("K", 10, false), ("TEXT", 100, false)];
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, None, false, Some(30)).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.lines().all(|l| term::width(l) <= 30), "{s}");
        assert!(s.ends_with("…\n"), "{s}");
        // Never narrower than MIN_LAST, however small the terminal.
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, None, false, Some(5)).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(term::width(s.lines().nth(1).unwrap()), 6 + MIN_LAST);
        // Without a terminal the limit of the column holds.
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, None, false, None).unwrap();
        assert!(String::from_utf8(out).unwrap().contains(&long));
    }
}
