//! Reading one evidence file of a bundle into [`Evidence`], streaming and in
//! bounded memory: a log leaves its tail, a node journal its OOM kills and
//! kubelet lines, an events file its events. Huge files are read through
//! (or, when mapped, only their end); binary ones are passed over with a
//! note; a read error keeps what came before it.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use super::evidence::{Evidence, KillEv, LogEv};
use super::layout::{LogKey, Role};
use super::lines::BoundedLines;
use super::{events, findings, kernel, kubelet, kubelet_ev};

/// Longest line kept whole while scanning (kernel and kubelet lines are far
/// shorter; a longer line is cut, not buffered).
const MAX_LINE: usize = 64 * 1024;
/// An events file is parsed whole; larger than this it is read that far.
const MAX_EVENTS_FILE: u64 = 256 << 20;
/// Of a mapped log only the end is read for its tail.
const LOG_END: usize = 1 << 20;
/// Lines of a log's tail and their length (the contract's bounds).
const TAIL_LINES: usize = 10;
const TAIL_BYTES: usize = 512;

/// What reading one file gave: its evidence and what to tell about it.
#[derive(Debug, Default)]
pub struct Read1 {
    pub evidence: Vec<Evidence>,
    /// `(line, message)` notices about this file.
    pub notes: Vec<(u64, String)>,
}

/// Reads a file held in memory (mapped, or an archive member read whole).
pub fn bytes(path: &Arc<str>, role: &Role, data: &[u8]) -> Read1 {
    match role {
        Role::Log(key) if data.len() > LOG_END => {
            // Only the end matters for a tail: start at a line boundary
            // near it, counting the lines skipped for the finding's place.
            let from = data.len() - LOG_END;
            let from = memchr::memchr(b'\n', &data[from..]).map_or(data.len(), |i| from + i + 1);
            let skipped = memchr::memchr_iter(b'\n', &data[..from]).count() as u64;
            let mut out = Read1::default();
            log(path, key, &data[from..], skipped, &mut out);
            out
        }
        // Parsed in place, not copied.
        Role::Events => {
            let mut out = Read1::default();
            let cap = MAX_EVENTS_FILE as usize;
            if data.len() > cap {
                out.notes.push((
                    0,
                    format!("events file larger than {} MiB: read that far", cap >> 20),
                ));
            }
            out.evidence.extend(
                events::read(&data[..data.len().min(cap)])
                    .into_iter()
                    .map(|e| Evidence::Event(path.clone(), e)),
            );
            out
        }
        _ => reader(path, role, &mut &data[..]),
    }
}

/// Reads a file of a directory bundle (`path` is its file system path)
/// with plain reads, front to back.
pub fn file(path: &Arc<str>, role: &Role) -> Read1 {
    match std::fs::File::open(&**path) {
        Ok(f) => reader(path, role, &mut io::BufReader::with_capacity(1 << 20, f)),
        Err(e) => Read1 {
            evidence: Vec::new(),
            notes: vec![(0, format!("not read: {e}"))],
        },
    }
}

/// Reads a file from a stream (an archive member), front to back.
pub fn reader(path: &Arc<str>, role: &Role, r: &mut dyn BufRead) -> Read1 {
    let mut out = Read1::default();
    match role {
        Role::Log(key) => log(path, key, r, 0, &mut out),
        Role::LogBlocks => blocks(path, r, &mut out),
        Role::NodeLog { node } => node_log(path, node.as_deref(), r, &mut out),
        Role::Events => {
            let mut text = Vec::new();
            if let Err(e) = r.take(MAX_EVENTS_FILE).read_to_end(&mut text) {
                out.notes
                    .push((0, format!("events file read as far as it goes: {e}")));
            }
            if text.len() as u64 >= MAX_EVENTS_FILE {
                out.notes.push((
                    0,
                    format!(
                        "events file larger than {} MiB: read that far",
                        MAX_EVENTS_FILE >> 20
                    ),
                ));
            }
            out.evidence.extend(
                events::read(&text)
                    .into_iter()
                    .map(|e| Evidence::Event(path.clone(), e)),
            );
        }
    }
    out
}

fn log(path: &Arc<str>, key: &LogKey, r: impl Read, skipped: u64, out: &mut Read1) {
    let t = findings::tail(r, TAIL_LINES, TAIL_BYTES);
    if let Some(e) = &t.error {
        let at = skipped + t.lines_read;
        out.notes
            .push((at, format!("log read as far as line {at}: {e}")));
    }
    if t.binary {
        // A binary "log" has no last words worth showing.
        out.notes
            .push((0, "binary data (NUL bytes): not read as a log".to_string()));
        return;
    }
    out.evidence
        .push(Evidence::Log(log_ev(path, key.clone(), t, skipped)));
}

fn log_ev(path: &Arc<str>, key: LogKey, t: findings::LogTail, skipped: u64) -> LogEv {
    let (finding, finding_line, finding_lineno) = match t.finding {
        Some(f) => (Some(f.name), Some(f.line), skipped + f.line_no),
        None => (None, None, 0),
    };
    LogEv {
        path: path.clone(),
        key,
        tail: t.lines,
        finding,
        finding_line,
        finding_lineno,
    }
}

/// The next line, or `None` at the end and after a read error, which is
/// noted at `lineno`, the last line read.
fn next_line<'a, R: BufRead>(
    lines: &'a mut BoundedLines<R>,
    lineno: u64,
    out: &mut Read1,
) -> Option<&'a [u8]> {
    lines.next_line().unwrap_or_else(|e| {
        out.notes
            .push((lineno, format!("read as far as line {lineno}: {e}")));
        None
    })
}

/// `kubectl cluster-info dump`'s `logs.txt`: each container's log between
/// its START and END markers, read as a log of its own.
fn blocks(path: &Arc<str>, r: &mut dyn BufRead, out: &mut Read1) {
    let mut lines = BoundedLines::new(r, MAX_LINE);
    let mut lineno = 0u64;
    while let Some(line) = next_line(&mut lines, lineno, out) {
        lineno += 1;
        let Some((ctr, ns, pod)) = block_start(line) else {
            continue;
        };
        let key = LogKey {
            namespace: Some(ns),
            pod: Some(pod),
            dashed: false,
            container: Some(ctr),
            pod_uid: None,
            container_id: None,
            previous: false,
            run: None,
            insecure: false,
        };
        let start = lineno;
        let mut block = Block {
            lines: &mut lines,
            buf: Vec::new(),
            pos: 0,
            done: false,
            count: 0,
        };
        let t = findings::tail(&mut block, TAIL_LINES, TAIL_BYTES);
        lineno += block.count;
        let failed = t.error.clone();
        out.evidence
            .push(Evidence::Log(log_ev(path, key, t, start)));
        if let Some(e) = failed {
            out.notes
                .push((lineno, format!("read as far as line {lineno}: {e}")));
            break;
        }
    }
}

/// `==== START logs for container <ctr> of pod <ns>/<pod> ====`.
fn block_start(line: &[u8]) -> Option<(String, String, String)> {
    let s = std::str::from_utf8(line).ok()?.trim_end();
    let rest = s.strip_prefix("==== START logs for container ")?;
    let rest = rest.strip_suffix(" ====")?;
    let (ctr, pod) = rest.split_once(" of pod ")?;
    let (ns, pod) = pod.split_once('/')?;
    Some((ctr.to_string(), ns.to_string(), pod.to_string()))
}

/// One block of `logs.txt` as a reader: its lines up to the END marker.
struct Block<'a, R> {
    lines: &'a mut BoundedLines<R>,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
    /// Lines consumed, the END marker included.
    count: u64,
}

impl<R: BufRead> Read for Block<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.buf.len() {
            if self.done {
                return Ok(0);
            }
            self.buf.clear();
            self.pos = 0;
            match self.lines.next_line()? {
                None => self.done = true,
                Some(l) => {
                    self.count += 1;
                    if l.starts_with(b"==== END logs for container ") {
                        self.done = true;
                    } else {
                        self.buf.extend_from_slice(l);
                        self.buf.push(b'\n');
                    }
                }
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Words every kubelet line of interest holds (`src/bundle/kubelet.rs`):
/// probes, kills, evictions, OOM and PLEG deaths, events; continuation
/// lines of a probe's output start with white space.
fn kubelet_may_say(line: &[u8]) -> bool {
    static WORDS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        [
            "robe",
            "Kill",
            "vict",
            "OOM",
            "Died",
            "Unhealthy",
            "Event occurred",
        ]
        .iter()
        .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
        .collect()
    });
    line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
        || words.iter().any(|w| w.find(line).is_some())
}

/// Kubelet lines kept from one file (a week of a busy node's journal
/// fits; the rest is told).
const MAX_KUBELET_LINES: usize = 200_000;

fn keep_kubelet(
    path: &Arc<str>,
    said: &mut Vec<kubelet::KubeletLine>,
    kept: &mut usize,
    out: &mut Read1,
) {
    for l in said.drain(..) {
        if let Some(k) = kubelet_ev::evidence(path, l) {
            *kept += 1;
            if *kept <= MAX_KUBELET_LINES {
                out.evidence.push(Evidence::Kubelet(k));
            }
        }
    }
}

/// A node's kernel log, journal, syslog or kubelet log: OOM kills and the
/// kubelet lines about containers, in one pass.
fn node_log(path: &Arc<str>, node: Option<&str>, r: &mut dyn BufRead, out: &mut Read1) {
    if let Ok(head) = r.fill_buf()
        && let Some(at) = memchr::memchr(0, &head[..head.len().min(4096)])
    {
        out.notes.push((
            0,
            format!("binary data (NUL byte at offset {at}): not read as a node log"),
        ));
        return;
    }
    let mut scanner = kernel::Scanner::new();
    let mut kills = Vec::new();
    let mut klines = kubelet::Scanner::new();
    let mut said = Vec::new();
    let mut kept = 0usize;
    let mut lines = BoundedLines::new(r, MAX_LINE);
    let mut lineno = 0u64;
    while let Some(line) = next_line(&mut lines, lineno, out) {
        lineno += 1;
        scanner.feed(line, &mut kills);
        // The kubelet parser is slow on the lines that are none of its
        // business (most of a journal): they are fed empty, which keeps its
        // line count and closes a multi-line probe output as the line would.
        if kubelet_may_say(line) {
            klines.feed(line, &mut said);
            keep_kubelet(path, &mut said, &mut kept, out);
        } else {
            klines.feed(b"", &mut said);
        }
    }
    scanner.finish(&mut kills);
    klines.finish(&mut said);
    keep_kubelet(path, &mut said, &mut kept, out);
    if kept > MAX_KUBELET_LINES {
        out.notes.push((
            0,
            format!(
                "more than {MAX_KUBELET_LINES} kubelet lines about containers: the first {MAX_KUBELET_LINES} kept"
            ),
        ));
    }
    kills.sort_by_key(|k| k.line);
    out.evidence.extend(kills.into_iter().map(|kill| {
        Evidence::Kill(KillEv {
            path: path.clone(),
            node: node.map(str::to_string).or_else(|| kill.host.clone()),
            kill,
        })
    }));
}
