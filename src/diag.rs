//! The one path to stderr: `exitparse: PATH:LINE: what is wrong`. Every error
//! sets a process-wide flag that decides exit status 1.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::term;

static ERRORED: AtomicBool = AtomicBool::new(false);

/// True once any error was reported.
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// Formats a location: `PATH:LINE` (or `PATH` when the line is unknown).
/// Names come from file systems and archives, so anything that could move
/// a terminal's cursor or forge a line is written as a visible escape.
pub fn location(path: &str, line: u64) -> String {
    let path = term::escape(path);
    if line == 0 {
        path.into_owned()
    } else {
        format!("{path}:{line}")
    }
}

/// Reports an error at `path:line` and marks the run as failed.
pub fn error(path: &str, line: u64, message: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    emit(&format!(
        "exitparse: {}: {}",
        location(path, line),
        term::escape(message)
    ));
}

/// Reports something skipped on purpose; the exit status is unaffected.
pub fn notice(path: &str, line: u64, message: &str) {
    emit(&format!(
        "exitparse: {}: note: {}",
        location(path, line),
        term::escape(message)
    ));
}

/// Reports a run-wide error that names no input (exit status 1).
pub fn fatal(message: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    emit(&format!("exitparse: {}", term::escape(message)));
}

/// Tells something about the whole run that is no error (a lowered
/// setting); the exit status is unaffected.
pub fn remark(message: &str) {
    emit(&format!("exitparse: note: {}", term::escape(message)));
}

fn emit(line: &str) {
    // Hold stdout's lock so a diagnostic never lands inside a record line
    // when both streams go to one terminal.
    let _stdout = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}
