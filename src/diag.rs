//! The one path to stderr: `exitparse: PATH:LINE: what is wrong`. Every error
//! sets a process-wide flag that decides exit status 1. `--quiet` drops the
//! notes; `--max-errors N` shows the first N errors and counts the rest,
//! told by [`finish`] in one line at the end.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::term;

static ERRORED: AtomicBool = AtomicBool::new(false);
static QUIET: AtomicBool = AtomicBool::new(false);
/// `--max-errors`; `u64::MAX` when not given.
static MAX_ERRORS: AtomicU64 = AtomicU64::new(u64::MAX);
/// Errors reported so far (shown or not).
static ERRORS: AtomicU64 = AtomicU64::new(0);

/// Applies `--quiet` and `--max-errors` (called once by `main`).
pub fn configure(quiet: bool, max_errors: Option<u64>) {
    QUIET.store(quiet, Ordering::Relaxed);
    MAX_ERRORS.store(max_errors.unwrap_or(u64::MAX), Ordering::Relaxed);
}

/// Errors reported so far, shown or not.
pub fn error_count() -> u64 {
    ERRORS.load(Ordering::Relaxed)
}

/// The line for the errors `--max-errors` held back, if any:
/// `exitparse: 8176 more errors not shown (--max-errors 20)`.
pub fn held_back() -> Option<String> {
    let max = MAX_ERRORS.load(Ordering::Relaxed);
    let rest = error_count().saturating_sub(max);
    (rest > 0).then(|| {
        format!(
            "exitparse: {rest} more error{} not shown (--max-errors {max})",
            if rest == 1 { "" } else { "s" }
        )
    })
}

/// Tells what `--max-errors` held back; call once, after the output.
pub fn finish() {
    if let Some(line) = held_back() {
        emit(&line);
    }
}

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
    if !count_shown() {
        return;
    }
    emit(&format!(
        "exitparse: {}: {}",
        location(path, line),
        term::escape(message)
    ));
}

/// Reports something skipped on purpose; the exit status is unaffected.
pub fn notice(path: &str, line: u64, message: &str) {
    if QUIET.load(Ordering::Relaxed) {
        return;
    }
    emit(&format!(
        "exitparse: {}: note: {}",
        location(path, line),
        term::escape(message)
    ));
}

/// Reports a run-wide error that names no input (exit status 1).
pub fn fatal(message: &str) {
    ERRORED.store(true, Ordering::Relaxed);
    // Not counted against --max-errors: it may be the only line that says
    // why the run stopped.
    emit(&format!("exitparse: {}", term::escape(message)));
}

/// Tells something about the whole run that is no error (a lowered
/// setting); the exit status is unaffected.
pub fn remark(message: &str) {
    emit(&format!("exitparse: note: {}", term::escape(message)));
}

/// Counts one error; true when it is within `--max-errors`.
fn count_shown() -> bool {
    let n = ERRORS.fetch_add(1, Ordering::Relaxed);
    n < MAX_ERRORS.load(Ordering::Relaxed)
}

/// True when a notice would be shown (callers may skip building one).
pub fn notes_shown() -> bool {
    !QUIET.load(Ordering::Relaxed)
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
