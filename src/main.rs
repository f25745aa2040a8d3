//! The `exitparse` binary: parse the command line, run, map the outcome to
//! the exit status (0 ok, 1 some input failed, 2 bad command line).

use std::io::{self, BufWriter, ErrorKind};
use std::process::ExitCode;

use clap::Parser;
use exitparse::cli::Cli;
use exitparse::{diag, engine};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    match engine::run(&cli.run, &mut out) {
        Ok(()) => {}
        // `exitparse … | head` closes the pipe: a quiet, successful end.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => diag::fatal(&format!("writing output: {e}")),
    }
    if diag::errored() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
