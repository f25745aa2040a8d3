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
    rows: Vec<(Severity, [String; 9])>,
}

impl Table {
    /// A table, coloured by severity when `color` is true.
    pub fn new(color: bool) -> Table {
        Table {
            color,
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
    let finished = crate::filter::finished_at(record)
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

/// Writes `rows` under `headings`, each column as wide as its widest cell
/// (at most its limit). `color` gives a row's colour for a column, if any.
pub(crate) fn write_aligned<const N: usize>(
    out: &mut dyn Write,
    columns: &[(&str, usize, bool); N],
    rows: &[(Severity, [String; N])],
    colored: Option<usize>,
    color: bool,
) -> io::Result<()> {
    let mut widths = [0usize; N];
    for (i, (head, max, _)) in columns.iter().enumerate() {
        widths[i] = rows
            .iter()
            .map(|(_, r)| term::width(&r[i]).min(*max))
            .chain([term::width(head)])
            .max()
            .unwrap_or(0);
    }
    let mut line = String::new();
    let heads: Vec<String> = columns.iter().map(|(h, _, _)| h.to_string()).collect();
    push_line(&mut line, &heads, columns, &widths, None);
    out.write_all(line.as_bytes())?;
    for (sev, r) in rows {
        line.clear();
        let paint = colored.filter(|_| color).map(|i| (i, *sev));
        push_line(&mut line, r, columns, &widths, paint);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn push_line(
    line: &mut String,
    cells: &[String],
    columns: &[(&str, usize, bool)],
    widths: &[usize],
    paint: Option<(usize, Severity)>,
) {
    let last = cells.len().saturating_sub(1);
    for (i, raw) in cells.iter().enumerate() {
        let text = term::truncate(raw, columns[i].1);
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
        write_aligned(out, &COLUMNS, &self.rows, Some(CATEGORY), self.color)
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
        write_aligned(&mut out, &cols, &rows, Some(0), false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "K       N\na   1234…\nb…      1\n"
        );
        let mut out = Vec::new();
        write_aligned(&mut out, &cols, &rows, Some(0), true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[1;31ma\x1b[0m   1234…"), "{s:?}");
    }
}
