//! `--format json`: every record in one JSON array, one record per line, so
//! the output loads in one call yet still diffs and greps line by line.

use std::io::{self, Write};

use super::{CollectFormat, Record};

/// Collects rendered records and writes them as one array.
#[derive(Default)]
pub struct JsonArray {
    /// Each record already rendered as compact JSON (without `\n`): cheaper
    /// to keep than the records themselves.
    items: Vec<Vec<u8>>,
}

impl CollectFormat for JsonArray {
    fn push(&mut self, record: Record) {
        let mut buf = Vec::new();
        record.write_jsonl(&mut buf);
        buf.pop();
        self.items.push(buf);
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.items.is_empty() {
            return out.write_all(b"[]\n");
        }
        out.write_all(b"[\n")?;
        for (i, item) in self.items.iter().enumerate() {
            out.write_all(item)?;
            out.write_all(if i + 1 < self.items.len() {
                b",\n"
            } else {
                b"\n"
            })?;
        }
        out.write_all(b"]\n")
    }
}
