//! Feedback on stderr: a progress bar while a terminal watches, and the
//! `--stats` line at the end.
//!
//! The bar is drawn only when stderr is a terminal (and `--no-progress` is
//! absent). When the size of the inputs is known (files, directories,
//! archives) it is a bar of on-disk bytes done / total with rate and ETA;
//! an archive moves it by the compressed bytes read. When it is not (stdin,
//! FIFOs) it is a spinner with the bytes read and the rate. When stdout is
//! the same kind of terminal the bar is cleared for good before the first
//! byte of output is written ([`Progress::before_output`]), so no frame is
//! ever left above or inside the output; the records themselves then show
//! the progress.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::archive;

/// Counters of the run, and the bar that shows them.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// stdout is a terminal: output and bar would share the screen.
    stdout_tty: bool,
    start: Instant,
    last_draw: Instant,
    /// On-disk bytes of plain (not archived) inputs done.
    plain_done: u64,
    pub files: u64,
    pub bytes: u64,
    pub records: u64,
    pub errors: u64,
}

const REDRAW: Duration = Duration::from_millis(100);

impl Progress {
    /// A bar only when `allowed` (no `--no-progress`) and stderr is a
    /// terminal: redirected stderr stays free of control sequences. `paths`
    /// are the inputs, measured for the bar's total.
    pub fn new(allowed: bool, paths: &[std::path::PathBuf]) -> Progress {
        let bar = (allowed && std::io::stderr().is_terminal()).then(|| new_bar(disk_total(paths)));
        let now = Instant::now();
        Progress {
            bar,
            stdout_tty: std::io::stdout().is_terminal(),
            start: now,
            last_draw: now,
            plain_done: 0,
            files: 0,
            bytes: 0,
            records: 0,
            errors: 0,
        }
    }

    /// Adds finished work; `plain`: the bytes are those of a plain file on
    /// disk (archive members move the bar by the compressed bytes read
    /// instead). Redraws at most every [`REDRAW`].
    pub fn add(&mut self, files: u64, bytes: u64, records: u64, plain: bool) {
        self.files += files;
        self.bytes += bytes;
        self.records += records;
        if plain {
            self.plain_done += bytes;
        }
        if let Some(bar) = &self.bar
            && self.last_draw.elapsed() >= REDRAW
        {
            self.last_draw = Instant::now();
            bar.set_position(self.plain_done + archive::bytes_read());
            // Files are counted when done: "0 files" while the only file is
            // read would look stuck.
            bar.set_message(format!(
                "{} record{}, {} file{} done",
                self.records,
                plural(self.records),
                self.files,
                plural(self.files)
            ));
        }
    }

    /// Call before writing output: when stdout is a terminal the bar is
    /// removed for good, so it is never drawn over, between or after the
    /// output. Into a pipe or a file the bar stays until the end.
    pub fn before_output(&mut self) {
        if self.stdout_tty {
            self.finish();
        }
    }

    /// Runs `f` (which writes to stderr) with the bar hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar (its line is erased).
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// The `--stats` line: `exitparse: stats: 3 files, 12345 bytes, 7
    /// records, 0 errors, 0.012 s, 1.0 MB/s, <extra>` (MB = 10^6 bytes).
    pub fn stats_line(&self, extra: &str) -> String {
        let secs = self.seconds();
        format!(
            "exitparse: stats: {} files, {} bytes, {} records, {} errors, {:.3} s, {:.1} MB/s, {extra}",
            self.files,
            self.bytes,
            self.records,
            self.errors,
            secs,
            self.bytes as f64 / 1e6 / secs.max(1e-9)
        )
    }

    /// Prints the `--stats` line on stderr, `extra` at its end.
    pub fn print_stats(&self, extra: &str) {
        let line = self.stats_line(extra);
        self.suspend(|| {
            // Same discipline as `diag`: stdout's lock first, so the line
            // never lands inside a record.
            let _stdout = std::io::stdout().lock();
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        });
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A bar towards `total` bytes, or a spinner when the total is unknown.
fn new_bar(total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            "{spinner} [{bar:24}] {bytes}/{total_bytes}, {bytes_per_sec}, ETA {eta} · {msg}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{spinner} {bytes} read, {bytes_per_sec}, {elapsed} · {msg}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Bytes on disk of every input, when all are files or directories (stdin
/// and FIFOs have no size known in advance).
pub fn disk_total(paths: &[std::path::PathBuf]) -> Option<u64> {
    if paths.is_empty() {
        return None;
    }
    let mut total = 0u64;
    for p in paths {
        if p.as_os_str() == "-" {
            return None;
        }
        total = total.saturating_add(size_of(p, 0)?);
    }
    Some(total)
}

/// Size of a file, or of the files under a directory; `None` for anything
/// else at the top (a FIFO). Unreadable entries count as 0: the run will
/// tell about them.
fn size_of(path: &Path, depth: u32) -> Option<u64> {
    // Below the top, a linked directory is not followed (no loops).
    let meta = if depth > 0 && std::fs::symlink_metadata(path).ok()?.is_symlink() {
        std::fs::metadata(path).ok().filter(|m| m.is_file())?
    } else {
        std::fs::metadata(path).ok()?
    };
    if meta.is_file() {
        return Some(meta.len());
    }
    if !meta.is_dir() {
        return if depth == 0 { None } else { Some(0) };
    }
    // Deep enough for any bundle, and no loop through a linked directory.
    if depth > 32 {
        return Some(0);
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return Some(0);
    };
    Some(
        entries
            .flatten()
            .filter_map(|e| size_of(&e.path(), depth + 1))
            .fold(0u64, u64::saturating_add),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_is_known_for_files_and_directories_only() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let file = root.join("Cargo.toml");
        let len = std::fs::metadata(&file).unwrap().len();
        assert_eq!(disk_total(std::slice::from_ref(&file)), Some(len));
        let dir = disk_total(&[root.join("src/engine")]).unwrap();
        assert!(dir > 10_000, "{dir}");
        assert_eq!(disk_total(&["-".into()]), None);
        assert_eq!(disk_total(&[]), None);
        assert_eq!(disk_total(&[file, "-".into()]), None);
    }
}
