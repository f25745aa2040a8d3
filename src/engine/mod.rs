//! The run: read every input, detect, parse, classify, write in input order.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::RunArgs;
use crate::diag;
use crate::format::{self, Chunk, Severity, detect::Detection};
use crate::input;
use crate::output::Record;

/// Parses every input named in `args` and writes the records to `out`.
/// Problems are reported through [`diag`]; the returned error is only for
/// failures to write the output.
pub fn run(args: &RunArgs, out: &mut dyn Write) -> std::io::Result<()> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        let bytes = if name.as_ref() == "-" {
            input::read_stdin()
        } else {
            input::read_file(path)
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                diag::error(&name, 0, &e.to_string());
                continue;
            }
        };
        let parser = match args.input_format {
            Some(f) => f.parser(),
            None => match format::detect::detect(&bytes) {
                Detection::Dump(p) => p,
                Detection::NotADump(why) => {
                    diag::error(&name, 0, &why);
                    continue;
                }
            },
        };
        let parsed = format::parse(parser, Chunk::whole(&bytes));
        for d in &parsed.diagnostics {
            match d.severity {
                Severity::Error => diag::error(&name, d.line, &d.message),
                Severity::Notice => diag::notice(&name, d.line, &d.message),
            }
        }
        let mut buf = Vec::new();
        for obs in parsed.observations {
            Record::new(name.clone(), obs).write_jsonl(&mut buf);
        }
        out.write_all(&buf)?;
    }
    out.flush()
}
