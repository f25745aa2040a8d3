//! Feedback on stderr: a progress bar while a terminal watches (files,
//! bytes, records, throughput) and the `--stats` line at the end.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counters of the run, and the bar that shows them.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    last_draw: Instant,
    pub files: u64,
    pub bytes: u64,
    pub records: u64,
    pub errors: u64,
}

const REDRAW: Duration = Duration::from_millis(100);

impl Progress {
    /// A bar only when stderr is a terminal and `--no-progress` is absent:
    /// redirected stderr stays free of control sequences.
    pub fn new(allowed: bool) -> Progress {
        let bar = (allowed && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            start: now,
            last_draw: now,
            files: 0,
            bytes: 0,
            records: 0,
            errors: 0,
        }
    }

    /// Adds finished work; redraws at most every [`REDRAW`].
    pub fn add(&mut self, files: u64, bytes: u64, records: u64) {
        self.files += files;
        self.bytes += bytes;
        self.records += records;
        if let Some(bar) = &self.bar
            && self.last_draw.elapsed() >= REDRAW
        {
            self.last_draw = Instant::now();
            bar.set_message(self.summary());
        }
    }

    /// Runs `f` (which writes to stderr) with the bar hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn summary(&self) -> String {
        let secs = self.seconds().max(1e-9);
        format!(
            "{} files, {:.1} MB, {} records, {:.1} MB/s",
            self.files,
            self.bytes as f64 / 1e6,
            self.records,
            self.bytes as f64 / 1e6 / secs
        )
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
