//! Writing records. The v1 JSON-lines contract is [`record`]; the formats for
//! people build on the same [`Record`].
//!
//! Two kinds of output format:
//! - [`StreamFormat`]: each record is rendered on its own (JSON lines, CSV
//!   rows). Rendering is thread-safe, so the batch engine renders in its
//!   workers and one writer writes whole buffers in input order.
//! - [`CollectFormat`]: needs every record before writing (a JSON array,
//!   aligned tables, summaries). The engine hands records over in order and
//!   calls `finish` at the end.

pub mod csv;
pub mod file;
pub mod json;
pub mod parquet;
pub mod record;
pub mod summary;
pub mod table;
mod wire;

use std::io::{self, Write};

pub use record::Record;

use crate::cli::{OutputFormat, RunArgs};

/// A format that renders each record independently.
pub trait StreamFormat: Send + Sync {
    /// Bytes written once before the first record (a CSV header).
    fn header(&self) -> Option<Vec<u8>> {
        None
    }
    /// Appends one rendered record to `out`.
    fn render(&self, record: &Record, out: &mut Vec<u8>);
}

/// A format that needs all records before it writes.
pub trait CollectFormat: Send {
    /// Takes the next record, in output order.
    fn push(&mut self, record: Record);
    /// Writes what is ready so far; called after each input's records, so
    /// a format that writes in blocks (Parquet) keeps little in memory.
    fn drain(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// Writes everything collected.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
    /// Before `finish`: the values redacted in the records pushed, per rule
    /// id in rule order (`None`: redaction is off). Most formats ignore it.
    fn redactions(&mut self, _counts: Option<&[(String, u64)]>) {}
}

/// How the engine should hand records to the output.
pub enum Mode {
    Stream(Box<dyn StreamFormat>),
    Collect(Box<dyn CollectFormat>),
}

/// JSON lines: the v1 contract, one record per line.
pub struct Jsonl;

impl StreamFormat for Jsonl {
    fn render(&self, record: &Record, out: &mut Vec<u8>) {
        record.write_jsonl(out);
    }
}

/// The output mode the command line asks for. `--summary` (or the `summary`
/// subcommand) wins over the record formats; its only other shape is JSON.
/// Colour (`--color`, `NO_COLOR`, `TERM`) and the width tables fit (stdout's
/// terminal, unless `--wide`) are decided here, once.
pub fn mode_for(args: &RunArgs) -> Mode {
    // `-o FILE` never gets colour or a terminal's width, whatever stdout is.
    let terminal = args.output.is_none();
    let color = terminal && crate::term::color_enabled();
    let fit = if args.wide || !terminal {
        None
    } else {
        crate::term::stdout_width()
    };
    if args.summary {
        let json = matches!(args.format, OutputFormat::Json);
        return Mode::Collect(Box::new(summary::Summary::new(json, color).fit(fit)));
    }
    match args.format {
        OutputFormat::Jsonl => Mode::Stream(Box::new(Jsonl)),
        OutputFormat::Json => Mode::Collect(Box::new(json::JsonArray::default())),
        OutputFormat::Csv => Mode::Stream(Box::new(csv::Csv {
            headers: !args.no_headers,
            raw: args.csv_raw,
        })),
        OutputFormat::Table => {
            let table = table::Table::new(color, fit);
            Mode::Collect(Box::new(if args.no_headers {
                table.without_headers()
            } else {
                table
            }))
        }
        OutputFormat::Parquet => Mode::Collect(Box::new(parquet::Parquet::default())),
    }
}
