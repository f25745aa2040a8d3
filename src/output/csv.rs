//! `--format csv`: a header, then one flattened row per record. Quoting is
//! the `csv` crate's (RFC 4180). Columns are listed in `docs/usage.md`.

use super::{Record, StreamFormat};
use crate::model::State;
use crate::term;

/// The header, in column order.
pub const COLUMNS: [&str; 31] = [
    "source_path",
    "source_line",
    "source_format",
    "namespace",
    "pod",
    "node",
    "pod_phase",
    "pod_reason",
    "container",
    "container_type",
    "image",
    "container_id",
    "ready",
    "restart_count",
    "state_status",
    "state_reason",
    "state_exit_code",
    "state_signal",
    "state_finished_at",
    "last_state_status",
    "last_state_reason",
    "last_state_exit_code",
    "last_state_finished_at",
    "category",
    "severity",
    "class_exit_code",
    "class_signal",
    "summary",
    "hint",
    "pod_uid",
    "exited_at",
];

/// CSV rows; null values are empty cells; formula cells guarded unless `raw`.
pub struct Csv {
    /// Write the header line first (off with `--no-headers`).
    pub headers: bool,
    /// `--csv-raw`: cells exactly as they are, no formula guard.
    pub raw: bool,
}

impl Default for Csv {
    fn default() -> Self {
        Csv {
            headers: true,
            raw: false,
        }
    }
}

/// A cell a spreadsheet would run as a formula (OWASP's list: `=`, `+`,
/// `-`, `@`, tab, carriage return first) gets a leading `'`, which shows
/// the text as typed. A bundle's pod may be named `=HYPERLINK(…)`.
/// Plain numbers are left alone: `-1` is an exit code, not a formula.
fn guard(cell: String) -> String {
    let risky = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && cell.parse::<i64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

fn write_row<I, S>(out: &mut Vec<u8>, cells: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    // Writing into a Vec cannot fail.
    let _ = w.write_record(cells);
    let _ = w.flush();
}

fn text(v: &Option<String>) -> String {
    // A spreadsheet or a terminal may show this: no escape sequences or
    // line breaks from the input get through.
    v.as_deref()
        .map(|s| term::sanitize(s).into_owned())
        .unwrap_or_default()
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

impl StreamFormat for Csv {
    fn header(&self) -> Option<Vec<u8>> {
        self.headers.then(header)
    }

    fn render(&self, record: &Record, out: &mut Vec<u8>) {
        if self.raw {
            write_row(out, cells(record));
        } else {
            write_row(out, cells(record).map(guard));
        }
    }
}

fn header() -> Vec<u8> {
    let mut out = Vec::new();
    write_row(&mut out, COLUMNS);
    out
}

/// The cells of one row, in [`COLUMNS`] order.
fn cells(record: &Record) -> [String; 31] {
    {
        let o = &record.observation;
        let c = &record.classification;
        let last: Option<&State> = o.last_state.as_ref();
        let cells: [String; 31] = [
            term::sanitize(&record.path).into_owned(),
            o.line.to_string(),
            o.format.map(|f| f.as_str()).unwrap_or_default().to_string(),
            text(&o.namespace),
            text(&o.pod),
            text(&o.node),
            text(&o.pod_phase),
            text(&o.pod_reason),
            text(&o.container),
            o.container_type.as_str().to_string(),
            text(&o.image),
            text(&o.container_id),
            num(o.ready),
            num(o.restart_count),
            o.state.status.as_str().to_string(),
            text(&o.state.reason),
            num(o.state.exit_code),
            num(o.state.signal),
            text(&o.state.finished_at),
            last.map(|s| s.status.as_str().to_string())
                .unwrap_or_default(),
            last.map(|s| text(&s.reason)).unwrap_or_default(),
            num(last.and_then(|s| s.exit_code)),
            last.map(|s| text(&s.finished_at)).unwrap_or_default(),
            c.category.clone(),
            c.severity.as_str().to_string(),
            num(c.exit_code),
            text(&c.signal),
            term::sanitize(&c.summary).into_owned(),
            text(&c.hint),
            text(&o.pod_uid),
            record
                .exited_at()
                .map(|t| t.to_string())
                .unwrap_or_default(),
        ];
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formula_cells_are_quoted_numbers_are_not() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(guard(bad.to_string()), format!("'{bad}"));
        }
        for ok in ["-1", "137", "", "plain", "a=b"] {
            assert_eq!(guard(ok.to_string()), ok);
        }
    }
}
