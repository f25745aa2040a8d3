//! `--format table`: aligned columns for a terminal, in input order. Widths
//! are computed over all rows, so the table is written at the end. Input
//! values are stripped of control characters; the category is coloured by
//! severity only when [`crate::term`] says so.
//!
//! Piped or redirected output keeps every cell whole. On a terminal the
//! table fits its width and never wraps: columns give way in the order of
//! [`GIVE`] (documented in `docs/usage.md`), cut cells end in `…`, and
//! `--wide` turns the fitting off.

use std::io::{self, Write};

use super::{CollectFormat, Record};
use crate::classify::Severity;
use crate::term;

/// A column: its heading, and whether its cells align right.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub head: &'static str,
    pub right: bool,
}

const fn left(head: &'static str) -> Col {
    Col { head, right: false }
}

const fn right(head: &'static str) -> Col {
    Col { head, right: true }
}

const NAMESPACE: usize = 0;
const POD: usize = 1;
const CONTAINER: usize = 2;
/// The index of the coloured column.
const CATEGORY: usize = 3;
const SIGNAL: usize = 5;
const RESTARTS: usize = 6;
const FINISHED: usize = 7;
const SUMMARY: usize = 8;

const COLUMNS: [Col; 9] = [
    left("NAMESPACE"),
    left("POD"),
    left("CONTAINER"),
    left("CATEGORY"),
    right("CODE"),
    left("SIGNAL"),
    right("RESTARTS"),
    left("FINISHED"),
    left("SUMMARY"),
];

/// One step of fitting a table to the terminal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Give {
    /// Cut the column's cells, by what is needed but to no fewer columns
    /// than the given width.
    Shrink(usize, usize),
    /// Leave the column out.
    Hide(usize),
}

/// The order in which the table's columns give way on a narrow terminal:
/// the sentence of SUMMARY first, then the columns a reader can most
/// easily do without (RESTARTS, SIGNAL — CODE says it too — FINISHED),
/// then the names, which stay long enough to recognize; SUMMARY is left
/// out rather than cut below 24 columns, where it would say nothing.
/// CATEGORY and CODE never give way. `docs/usage.md` states this order.
const GIVE: [Give; 12] = [
    Give::Shrink(SUMMARY, 40),
    Give::Hide(RESTARTS),
    Give::Hide(SIGNAL),
    Give::Shrink(SUMMARY, 24),
    Give::Hide(FINISHED),
    Give::Shrink(POD, 24),
    Give::Shrink(CONTAINER, 16),
    Give::Shrink(NAMESPACE, 12),
    Give::Hide(SUMMARY),
    Give::Shrink(POD, 12),
    Give::Shrink(CONTAINER, 8),
    Give::Shrink(NAMESPACE, 8),
];

/// How a table is written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Style {
    /// Colour the `colored` column by the row's severity.
    pub color: bool,
    pub colored: Option<usize>,
    /// Terminal columns to fit; `None` keeps every cell whole.
    pub fit: Option<usize>,
    /// Write the heading line.
    pub headers: bool,
}

/// Collects rows and writes them aligned.
pub struct Table {
    color: bool,
    fit: Option<usize>,
    headers: bool,
    rows: Vec<(Severity, [String; 9])>,
}

impl Table {
    /// A table, coloured by severity when `color` is true, and fitted to
    /// `fit` terminal columns when given (`None`: piped, or `--wide`).
    pub fn new(color: bool, fit: Option<usize>) -> Table {
        Table {
            color,
            fit,
            headers: true,
            rows: Vec::new(),
        }
    }

    /// Leaves out the heading line (`--no-headers`).
    pub fn without_headers(mut self) -> Table {
        self.headers = false;
        self
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
    let finished = record
        .finished_at()
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

/// Widths that fit `fit` columns: the natural widths (widest cell or
/// heading), then `gives` applied in order, each only as far as needed; a
/// column hidden by a later step frees room, so every prefix of `gives` is
/// tried from the natural widths and the first that fits wins. `None` for a
/// hidden column. When nothing fits, columns are cut from the right down
/// to one column each: a row never wraps.
pub(crate) fn fit_widths(natural: &[usize], gives: &[Give], fit: usize) -> Vec<Option<usize>> {
    let total = |w: &[Option<usize>]| -> usize {
        let shown: Vec<usize> = w.iter().flatten().copied().collect();
        shown.iter().sum::<usize>() + 2 * shown.len().saturating_sub(1)
    };
    let mut widths: Vec<Option<usize>> = natural.iter().copied().map(Some).collect();
    for k in 0..=gives.len() {
        widths = natural.iter().copied().map(Some).collect();
        for g in &gives[..k] {
            if let Give::Hide(i) = g {
                widths[*i] = None;
            }
        }
        for g in &gives[..k] {
            let excess = total(&widths).saturating_sub(fit);
            if let Give::Shrink(i, min) = *g
                && let Some(w) = widths[i]
            {
                widths[i] = Some(w - excess.min(w.saturating_sub(min)));
            }
        }
        if total(&widths) <= fit {
            return widths;
        }
    }
    for i in (0..widths.len()).rev() {
        let excess = total(&widths).saturating_sub(fit);
        if let Some(w) = widths[i] {
            widths[i] = Some(w - excess.min(w.saturating_sub(1)));
        }
    }
    widths
}

/// Writes `rows` under the headings of `columns`, each column as wide as
/// its widest cell, fitted to the terminal as `style` and `gives` say.
pub(crate) fn write_aligned<const N: usize>(
    out: &mut dyn Write,
    columns: &[Col; N],
    rows: &[(Severity, [String; N])],
    gives: &[Give],
    style: &Style,
) -> io::Result<()> {
    let natural: Vec<usize> = (0..N)
        .map(|i| {
            rows.iter()
                .map(|(_, r)| term::width(&r[i]))
                .chain([term::width(columns[i].head)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let widths = match style.fit {
        Some(fit) => fit_widths(&natural, gives, fit),
        None => natural.into_iter().map(Some).collect(),
    };
    let mut line = String::new();
    if style.headers {
        let heads: Vec<String> = columns.iter().map(|c| c.head.to_string()).collect();
        push_line(&mut line, &heads, columns, &widths, None);
        out.write_all(line.as_bytes())?;
    }
    for (sev, r) in rows {
        line.clear();
        let paint = style.colored.filter(|_| style.color).map(|i| (i, *sev));
        push_line(&mut line, r, columns, &widths, paint);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn push_line(
    line: &mut String,
    cells: &[String],
    columns: &[Col],
    widths: &[Option<usize>],
    paint: Option<(usize, Severity)>,
) {
    let last = widths.iter().rposition(Option::is_some).unwrap_or(0);
    for (i, raw) in cells.iter().enumerate() {
        let Some(width) = widths[i] else {
            continue;
        };
        let text = term::truncate(raw, width);
        let pad = width.saturating_sub(term::width(&text));
        let shown = match paint {
            Some((col, sev)) if col == i => term::paint(&text, sev, true),
            _ => std::borrow::Cow::Borrowed(text.as_ref()),
        };
        if columns[i].right {
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
        let style = Style {
            color: self.color,
            colored: Some(CATEGORY),
            fit: self.fit,
            headers: self.headers,
        };
        write_aligned(out, &COLUMNS, &self.rows, &GIVE, &style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write<const N: usize>(
        cols: &[Col; N],
        rows: &[(Severity, [String; N])],
        gives: &[Give],
        style: Style,
    ) -> String {
        let mut out = Vec::new();
        write_aligned(&mut out, cols, rows, gives, &style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn aligns_and_colours_and_keeps_cells_whole_without_a_terminal() {
        let rows = vec![
            (Severity::Error, ["a".to_string(), "12345678".to_string()]),
            (Severity::Ok, ["bbb".to_string(), "1".to_string()]),
        ];
        let cols = [left("K"), right("N")];
        let style = Style {
            colored: Some(0),
            headers: true,
            ..Style::default()
        };
        assert_eq!(
            write(&cols, &rows, &[], style),
            "K           N\na    12345678\nbbb         1\n"
        );
        let s = write(
            &cols,
            &rows,
            &[],
            Style {
                color: true,
                ..style
            },
        );
        assert!(s.contains("\x1b[1;31ma\x1b[0m    12345678"), "{s:?}");
        let s = write(
            &cols,
            &rows,
            &[],
            Style {
                headers: false,
                ..style
            },
        );
        assert_eq!(s, "a    12345678\nbbb         1\n");
    }

    #[test]
    fn gives_way_in_order_and_only_as_far_as_needed() {
        // Natural: 10 + 2 + 8 + 2 + 30 = 52.
        let natural = [10, 8, 30];
        let gives = [Give::Shrink(2, 20), Give::Hide(1), Give::Shrink(0, 4)];
        assert_eq!(
            fit_widths(&natural, &gives, 60),
            [Some(10), Some(8), Some(30)]
        );
        assert_eq!(
            fit_widths(&natural, &gives, 45),
            [Some(10), Some(8), Some(23)]
        );
        // Hiding column 1 frees room, so column 2 shrinks less than it would.
        assert_eq!(fit_widths(&natural, &gives, 40), [Some(10), None, Some(28)]);
        assert_eq!(fit_widths(&natural, &gives, 28), [Some(6), None, Some(20)]);
        // Past every step, columns are cut from the right: no wrapping.
        let w = fit_widths(&natural, &gives, 10);
        assert_eq!(w, [Some(4), None, Some(4)]);
    }

    #[test]
    fn fitted_rows_never_exceed_the_terminal() {
        let rows = vec![(
            Severity::Ok,
            ["aaaa".to_string(), "b".repeat(20), "x".repeat(50)],
        )];
        let cols = [left("K"), left("B"), left("TEXT")];
        let gives = [Give::Shrink(2, 10), Give::Hide(1)];
        for fit in [3, 10, 30, 60, 100] {
            let s = write(
                &cols,
                &rows,
                &gives,
                Style {
                    fit: Some(fit),
                    headers: true,
                    ..Style::default()
                },
            );
            assert!(
                s.lines().all(|l| term::width(l) <= fit.max(8)),
                "{fit}: {s}"
            );
        }
        let s = write(
            &cols,
            &rows,
            &gives,
            Style {
                fit: Some(30),
                headers: true,
                ..Style::default()
            },
        );
        assert_eq!(
            s.lines().nth(1).unwrap(),
            format!("aaaa  {}…", "x".repeat(23))
        );
    }
}
