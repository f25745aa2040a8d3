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
pub mod json;
pub mod record;
pub mod summary;
pub mod table;

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
    /// Writes everything collected.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
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
/// Colour is decided here, once, from stdout and `NO_COLOR`.
pub fn mode_for(args: &RunArgs) -> Mode {
    if args.summary {
        let json = matches!(args.format, OutputFormat::Json);
        return Mode::Collect(Box::new(summary::Summary::new(
            json,
            crate::term::color_enabled(),
        )));
    }
    match args.format {
        OutputFormat::Jsonl => Mode::Stream(Box::new(Jsonl)),
        OutputFormat::Json => Mode::Collect(Box::new(json::JsonArray::default())),
        OutputFormat::Csv if args.csv_raw => Mode::Stream(Box::new(csv::CsvRaw)),
        OutputFormat::Csv => Mode::Stream(Box::new(csv::Csv)),
        OutputFormat::Table => Mode::Collect(Box::new(table::Table::new(
            crate::term::color_enabled(),
            crate::term::stdout_width(),
        ))),
    }
}
