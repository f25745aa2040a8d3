//! The one path to stderr: `exitparse: PATH:LINE: what is wrong`. Every error
//! sets a process-wide flag that decides exit status 1.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static ERRORED: AtomicBool = AtomicBool::new(false);

/// True once any error was reported.
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// Formats a location: `PATH:LINE` (or `PATH` when the line is unknown).
pub fn location(path: &str, line: u64) -> String {
    if line == 0 {
        path.to_string()
    } else {
        format!("{path}:{line}")
    }
}

/// Reports an error at `path:line` and marks the run as failed.
pub fn error(path: &str, line: u64, message: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    emit(&format!("exitparse: {}: {message}", location(path, line)));
}

/// Reports something skipped on purpose; the exit status is unaffected.
pub fn notice(path: &str, line: u64, message: &str) {
    emit(&format!(
        "exitparse: {}: note: {message}",
        location(path, line)
    ));
}

/// Reports a run-wide error that names no input (exit status 1).
pub fn fatal(message: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    emit(&format!("exitparse: {message}"));
}

/// Writes one line to stderr as it is (a message that is neither an error
/// nor a notice, such as the `--fail-on` verdict).
pub fn emit_line(line: &str) {
    emit(line);
}

fn emit(line: &str) {
    // Hold stdout's lock so a diagnostic never lands inside a record line
    // when both streams go to one terminal.
    let _stdout = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}
