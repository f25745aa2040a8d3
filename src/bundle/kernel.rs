//! The kernel's OOM-killer lines, in every prefix form and every kernel
//! generation, grouped into one [`OomKill`] per kill. Grammar:
//! `grammar/kernel-oom.md` (sources: `mm/oom_kill.c` and `mm/memcontrol.c`
//! of Linux 4.19, 4.20 and 5.10; cadvisor `utils/oomparser`;
//! node-problem-detector `config/kernel-monitor.json`).
//!
//! One kill prints, in order (each line possibly prefixed, see
//! [`super::prefix`]):
//!
//! ```text
//! java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-997   (header, rate-limited)
//! Task in /kubepods/…/<cid> killed as a result of limit of /kubepods/…/<cid>            (≤ 4.20, header)
//! memory: usage 2097152kB, limit 2097152kB, failcnt 39                                 (header)
//! swap: usage 0kB, limit 9007199254740988kB, failcnt 0                                 (cgroup v2)
//! memory+swap: usage …  /  kmem: usage …                                               (cgroup v1)
//! oom-kill:constraint=CONSTRAINT_MEMCG,…,oom_memcg=…,task_memcg=…,task=java,pid=4242,uid=0   (≥ 4.19/5.0, header)
//! Memory cgroup out of memory: Kill process 4242 (java) score 1999 or sacrifice child   (≤ 4.20)
//! Killed process 4242 (java) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB    (≤ 4.20)
//! Memory cgroup out of memory: Killed process 4242 (java) total-vm:…, UID:0 pgtables:…kB oom_score_adj:-997  (≥ 5.1)
//! ```
//!
//! The header (everything but the kill lines) is rate-limited: under an OOM
//! storm a kill can come without the line naming its cgroup. Such a kill is
//! still reported, with `summary_missing` set, so a join can fall back to
//! pid/comm and time and say the match is weaker.

use std::collections::HashMap;
use std::io::{self, BufRead};

use chrono::DateTime;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while1};
use nom::character::complete::{char, digit1, space0};
use nom::combinator::{map_res, opt, recognize};
use nom::multi::separated_list0;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

pub use super::cgroup::cgroup_ids;
use super::lines::BoundedLines;
use super::prefix::{Prefix, line_prefix, text};
pub use super::prefix::{SyslogTime, WallTime};

/// One kill by the OOM killer, with what the lines around it said.
#[derive(Debug, Clone, PartialEq)]
pub struct OomKill {
    /// 1-based line of the `Killed process` line (or of the `Kill process`
    /// line when no `Killed process` line followed it).
    pub line: u64,
    /// That line without its prefix, for evidence.
    pub text: String,
    /// The journal/syslog host field of that line.
    pub host: Option<String>,
    pub time: WallTime,
    /// Seconds since boot, from a dmesg stamp.
    pub uptime: Option<f64>,
    pub pid: Option<u32>,
    pub comm: Option<String>,
    /// The victim's memory cgroup (`task_memcg=` or `Task in …`).
    pub task_memcg: Option<String>,
    /// The cgroup whose limit was hit (`oom_memcg=` or `… limit of …`).
    pub oom_memcg: Option<String>,
    /// A system-wide OOM (`Out of memory:`, `global_oom`), not a cgroup limit.
    pub global: bool,
    /// From the cgroup path ([`cgroup_ids`]), task's cgroup first.
    pub pod_uid: Option<String>,
    /// Bare id, without a `containerd://` scheme.
    pub container_id: Option<String>,
    pub anon_rss_kb: Option<u64>,
    pub total_vm_kb: Option<u64>,
    pub file_rss_kb: Option<u64>,
    pub shmem_rss_kb: Option<u64>,
    /// `oom_score_adj:` of the victim (≥ 5.1).
    pub oom_score_adj: Option<i64>,
    /// The cgroup's limit from the `memory: usage …, limit …` line.
    pub limit_kb: Option<u64>,
    /// 1 or 2 when a `memory+swap:`/`kmem:` or `swap:` line said which.
    pub cgroup_version: Option<u8>,
    /// `constraint=` of the summary (`CONSTRAINT_MEMCG`, `CONSTRAINT_NONE` …).
    pub constraint: Option<String>,
    /// No line of this kill named the victim's cgroup (the rate-limited
    /// header was dropped): joins must fall back to pid/comm and time.
    pub summary_missing: bool,
}

/// Every kill in a kernel log, journal or syslog text, in line order.
/// Non-kernel lines are skipped; non-UTF-8 bytes are tolerated.
///
/// ```
/// let text = b"[ 812.1] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,\
/// oom_memcg=/kubepods/burstable/pod0f3c7a52-91d4-4b7e-a2a1-5d6c8e9f0a1b,\
/// task_memcg=/kubepods/burstable/pod0f3c7a52-91d4-4b7e-a2a1-5d6c8e9f0a1b/4d2b6c8e0f1a,task=java,pid=4242,uid=0\n\
/// [ 812.1] Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4520kB oom_score_adj:-997\n";
/// let kills = exitparse::bundle::kernel::scan(text);
/// assert_eq!(kills[0].pod_uid.as_deref(), Some("0f3c7a52-91d4-4b7e-a2a1-5d6c8e9f0a1b"));
/// assert_eq!(kills[0].container_id.as_deref(), Some("4d2b6c8e0f1a"));
/// assert_eq!(kills[0].anon_rss_kb, Some(2097152));
/// ```
pub fn scan(text: &[u8]) -> Vec<OomKill> {
    let mut scanner = Scanner::new();
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        scanner.feed(line, &mut out);
    }
    scanner.finish(&mut out);
    out.sort_by_key(|k| k.line);
    out
}

/// [`scan`] over a reader, in bounded memory: lines longer than
/// `max_line_bytes` are cut (no kernel line is longer than 1024 bytes).
pub fn scan_reader(reader: impl BufRead, max_line_bytes: usize) -> io::Result<Vec<OomKill>> {
    let mut scanner = Scanner::new();
    let mut out = Vec::new();
    let mut lines = BoundedLines::new(reader, max_line_bytes);
    while let Some(line) = lines.next_line()? {
        scanner.feed(line, &mut out);
    }
    scanner.finish(&mut out);
    out.sort_by_key(|k| k.line);
    Ok(out)
}

/// The line-by-line form of [`scan`]: feed every line (without its `\n`),
/// then `finish`. Kills come out as soon as they are complete, which for a
/// ≤ 4.20 `Kill process` line is when its `Killed process` line arrives;
/// sort by `line` for the order [`scan`] gives. State is kept per host (an
/// aggregated syslog interleaves nodes) and is a few strings per host.
#[derive(Debug, Default)]
pub struct Scanner {
    line: u64,
    hosts: HashMap<String, HostState>,
}

/// Words one of which every kernel line this module reads holds.
const TRIGGERS: [&[u8]; 4] = [b"oom", b"Kill", b": usage ", b"Task in "];

/// [`TRIGGERS`] compiled once (a searcher built per call costs more than
/// the search).
fn triggers() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    FINDERS.get_or_init(|| TRIGGERS.iter().map(memchr::memmem::Finder::new).collect())
}

/// Hosts tracked at once before the state is flushed (bounded memory on a
/// syslog of a whole fleet).
const MAX_HOSTS: usize = 4096;

/// A header older than this (seconds) does not describe a kill: its kill
/// was never printed.
const MAX_HEADER_AGE: f64 = 10.0;

#[derive(Debug, Default)]
struct HostState {
    /// The header lines seen since the last kill.
    header: Option<Header>,
    /// A ≤ 4.20 `Kill process` waiting for its `Killed process` line.
    selected: Option<OomKill>,
}

/// What the rate-limited header of one kill said.
#[derive(Debug, Default)]
struct Header {
    task_memcg: Option<String>,
    oom_memcg: Option<String>,
    global: Option<bool>,
    constraint: Option<String>,
    /// `pid=` of the summary: the victim it describes.
    pid: Option<u32>,
    limit_kb: Option<u64>,
    cgroup_version: Option<u8>,
    at: Option<Instant>,
}

/// A point in time comparable with others of the same kind.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Instant {
    Uptime(f64),
    Wall(f64),
}

impl Instant {
    fn of(prefix: &Prefix) -> Option<Instant> {
        if let Some(up) = prefix.uptime {
            return Some(Instant::Uptime(up));
        }
        match &prefix.time {
            WallTime::Utc(t) => DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| Instant::Wall(t.timestamp() as f64)),
            WallTime::Syslog(s) => Some(Instant::Wall(f64::from(
                (s.month * 32 + s.day) * 86_400 + s.hour * 3600 + s.minute * 60 + s.second,
            ))),
            WallTime::None => None,
        }
    }

    /// Seconds from `self` to `later`, when both are of one kind.
    fn until(self, later: Instant) -> Option<f64> {
        match (self, later) {
            (Instant::Uptime(a), Instant::Uptime(b)) | (Instant::Wall(a), Instant::Wall(b)) => {
                Some(b - a)
            }
            _ => None,
        }
    }
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one line; completed kills are pushed to `out`.
    pub fn feed(&mut self, line: &[u8], out: &mut Vec<OomKill>) {
        self.line += 1;
        // Cheap reject: every line this module reads holds one of these
        // (`oom` in `invoked oom-killer` and `oom-kill:`, `Kill` in both kill
        // lines, `: usage ` in the counters, `Task in `).
        if !triggers().iter().any(|t| t.find(line).is_some()) {
            return;
        }
        let text = text(line);
        let (prefix, message) = line_prefix(&text);
        let Some(parsed) = kernel_line(message) else {
            return;
        };
        if self.hosts.len() >= MAX_HOSTS && !self.hosts.contains_key(host_key(&prefix)) {
            self.flush(out);
        }
        let at = Instant::of(&prefix);
        let state = self.hosts.entry(host_key(&prefix).to_string()).or_default();
        match parsed {
            KernelLine::Invoked => {
                out.extend(state.selected.take());
                state.header = Some(Header {
                    at,
                    ..Header::default()
                });
            }
            KernelLine::TaskIn {
                task_memcg,
                oom_memcg,
            } => {
                let header = state.header.get_or_insert_with(|| Header {
                    at,
                    ..Header::default()
                });
                header.task_memcg = Some(task_memcg.to_string());
                header.oom_memcg = Some(oom_memcg.to_string());
                header.global.get_or_insert(false);
            }
            KernelLine::Summary(summary) => {
                let header = state.header.get_or_insert_with(|| Header {
                    at,
                    ..Header::default()
                });
                header.task_memcg = summary
                    .task_memcg
                    .map(str::to_string)
                    .or(header.task_memcg.take());
                header.oom_memcg = summary
                    .oom_memcg
                    .map(str::to_string)
                    .or(header.oom_memcg.take());
                header.constraint = summary.constraint.map(str::to_string);
                header.pid = summary.pid;
                header.global = Some(summary.global_oom);
            }
            KernelLine::Usage { counter, limit_kb } => {
                let header = state.header.get_or_insert_with(|| Header {
                    at,
                    ..Header::default()
                });
                match counter {
                    Counter::Memory => header.limit_kb = Some(limit_kb),
                    Counter::Swap => header.cgroup_version = Some(2),
                    Counter::MemorySwap | Counter::Kmem => header.cgroup_version = Some(1),
                }
            }
            KernelLine::Kill { global, pid, comm } => {
                out.extend(state.selected.take());
                let header = take_header(&mut state.header, at, pid);
                let mut kill = new_kill(self.line, message, &prefix, header);
                kill.pid = Some(pid);
                kill.comm = Some(comm.to_string());
                kill.global = global;
                state.selected = Some(kill);
            }
            KernelLine::Killed {
                global,
                pid,
                comm,
                stats,
            } => {
                let mut kill = match state.selected.take() {
                    // ≤ 4.20: `Killed process` completes the `Kill process`
                    // line before it (the victim may be a child of it).
                    Some(mut selected) if global.is_none() => {
                        selected.line = self.line;
                        selected.text = message.to_string();
                        selected.time = prefix.time.clone();
                        selected.uptime = prefix.uptime;
                        selected
                    }
                    other => {
                        out.extend(other);
                        let header = take_header(&mut state.header, at, pid);
                        let mut kill = new_kill(self.line, message, &prefix, header);
                        kill.global = global.unwrap_or(kill.global);
                        kill
                    }
                };
                kill.pid = Some(pid);
                kill.comm = Some(comm.to_string());
                kill.total_vm_kb = stats.total_vm_kb;
                kill.anon_rss_kb = stats.anon_rss_kb;
                kill.file_rss_kb = stats.file_rss_kb;
                kill.shmem_rss_kb = stats.shmem_rss_kb;
                kill.oom_score_adj = stats.oom_score_adj;
                out.push(kill);
            }
        }
    }

    /// Pushes the kills still waiting for a line that never came.
    pub fn finish(mut self, out: &mut Vec<OomKill>) {
        self.flush(out);
    }

    fn flush(&mut self, out: &mut Vec<OomKill>) {
        let mut waiting: Vec<OomKill> =
            self.hosts.drain().filter_map(|(_, s)| s.selected).collect();
        waiting.sort_by_key(|k| k.line);
        out.extend(waiting);
    }
}

fn host_key(prefix: &Prefix) -> &str {
    prefix.host.as_deref().unwrap_or("")
}

/// The header that describes the kill of `pid` at `at`, if any: it is
/// consumed (a header describes one kill). A header whose summary names
/// another pid, or that is older than [`MAX_HEADER_AGE`], is dropped.
fn take_header(slot: &mut Option<Header>, at: Option<Instant>, pid: u32) -> Option<Header> {
    let header = slot.take()?;
    if header.pid.is_some_and(|p| p != pid) {
        return None;
    }
    if let (Some(then), Some(now)) = (header.at, at) {
        if then
            .until(now)
            .is_some_and(|age| !(0.0..=MAX_HEADER_AGE).contains(&age))
        {
            return None;
        }
    }
    Some(header)
}

fn new_kill(line: u64, message: &str, prefix: &Prefix, header: Option<Header>) -> OomKill {
    let header = header.unwrap_or_default();
    let (pod_uid, container_id) = header
        .task_memcg
        .as_deref()
        .or(header.oom_memcg.as_deref())
        .map(cgroup_ids)
        .unwrap_or_default();
    OomKill {
        line,
        text: message.to_string(),
        host: prefix.host.clone(),
        time: prefix.time.clone(),
        uptime: prefix.uptime,
        pid: None,
        comm: None,
        summary_missing: header.task_memcg.is_none() && header.oom_memcg.is_none(),
        task_memcg: header.task_memcg,
        oom_memcg: header.oom_memcg,
        global: header.global.unwrap_or(false),
        pod_uid,
        container_id,
        anon_rss_kb: None,
        total_vm_kb: None,
        file_rss_kb: None,
        shmem_rss_kb: None,
        oom_score_adj: None,
        limit_kb: header.limit_kb,
        cgroup_version: header.cgroup_version,
        constraint: header.constraint,
    }
}

/// One recognized kernel message (the line after its prefix).
#[derive(Debug, Clone, PartialEq)]
pub enum KernelLine<'a> {
    /// `<comm> invoked oom-killer: …`: a new header starts.
    Invoked,
    /// `Task in <path> killed as a result of limit of <path>` (≤ 4.20).
    TaskIn {
        task_memcg: &'a str,
        oom_memcg: &'a str,
    },
    /// `oom-kill:…` (≥ 4.19).
    Summary(Summary<'a>),
    /// `memory: usage …kB, limit …kB, failcnt …` and its siblings.
    Usage { counter: Counter, limit_kb: u64 },
    /// `<oom-message>: Kill process N (comm) score S or sacrifice child` (≤ 4.20).
    Kill {
        global: bool,
        pid: u32,
        comm: &'a str,
    },
    /// `[<oom-message>: ]Killed process N (comm) …`; `global` is `None`
    /// when the line has no message before it (≤ 4.20).
    Killed {
        global: Option<bool>,
        pid: u32,
        comm: &'a str,
        stats: Stats,
    },
}

/// The counter a `…: usage …` line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Memory,
    /// cgroup v2 only.
    Swap,
    /// cgroup v1 only.
    MemorySwap,
    /// cgroup v1 only.
    Kmem,
}

/// The fields of an `oom-kill:` summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary<'a> {
    pub constraint: Option<&'a str>,
    pub oom_memcg: Option<&'a str>,
    pub task_memcg: Option<&'a str>,
    pub global_oom: bool,
    pub task: Option<&'a str>,
    pub pid: Option<u32>,
}

/// The memory figures of a `Killed process` line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub total_vm_kb: Option<u64>,
    pub anon_rss_kb: Option<u64>,
    pub file_rss_kb: Option<u64>,
    pub shmem_rss_kb: Option<u64>,
    pub oom_score_adj: Option<i64>,
}

/// `kernel-line = invoked-line / task-in-line / summary-line / usage-line /
/// kill-line / killed-line`
pub fn kernel_line(message: &str) -> Option<KernelLine<'_>> {
    alt((
        killed_line,
        kill_line,
        summary_line,
        task_in_line,
        usage_line,
        invoked_line,
    ))
    .parse(message)
    .ok()
    .map(|(_, line)| line)
}

/// `invoked-line = comm SP "invoked oom-killer:" *CHAR`
fn invoked_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    match input.find(" invoked oom-killer:") {
        Some(at) if at > 0 => Ok(("", KernelLine::Invoked)),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `task-in-line = "Task in " cgroup-path " killed as a result of limit of " cgroup-path`
fn task_in_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    let (rest, _) = tag("Task in ").parse(input)?;
    let Some(at) = rest.find(" killed as a result of limit of ") else {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    };
    let task_memcg = &rest[..at];
    let oom_memcg = rest[at + " killed as a result of limit of ".len()..].trim_end();
    Ok((
        "",
        KernelLine::TaskIn {
            task_memcg,
            oom_memcg,
        },
    ))
}

/// `summary-line = "oom-kill:" summary-item *( "," summary-item )`,
/// `summary-item = "global_oom" / key "=" *( %x21-2B / %x2D-7E )`.
/// `mems_allowed=` is a range list that may hold commas itself: items
/// without `=` are skipped.
fn summary_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    let (rest, items) = preceded(
        tag("oom-kill:"),
        separated_list0(char(','), take_till(|c| c == ',')),
    )
    .parse(input)?;
    let mut summary = Summary::default();
    for item in items {
        summary_item(item.trim(), &mut summary);
    }
    Ok((rest, KernelLine::Summary(summary)))
}

/// `summary-item = "global_oom" / key "=" value / other`: records the
/// keys a join needs.
fn summary_item<'a>(item: &'a str, summary: &mut Summary<'a>) {
    if item == "global_oom" {
        summary.global_oom = true;
        return;
    }
    let Some((key, value)) = item.split_once('=') else {
        return;
    };
    match key {
        "constraint" => summary.constraint = Some(value),
        "oom_memcg" => summary.oom_memcg = Some(value),
        "task_memcg" => summary.task_memcg = Some(value),
        "task" => summary.task = Some(value),
        "pid" => summary.pid = value.parse().ok(),
        _ => {}
    }
}

/// `usage-line = counter ": usage " 1*DIGIT "kB, limit " 1*DIGIT "kB" *CHAR`
fn usage_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    let (rest, (counter, _, _, _, limit_kb, _)) = (
        counter,
        tag(": usage "),
        (digit1, tag("kB")),
        tag(", limit "),
        map_res(digit1, str::parse::<u64>),
        tag("kB"),
    )
        .parse(input)?;
    Ok((rest, KernelLine::Usage { counter, limit_kb }))
}

/// `counter = "memory+swap" / "memory" / "swap" / "kmem"`
fn counter(input: &str) -> IResult<&str, Counter> {
    alt((
        tag("memory+swap").map(|_| Counter::MemorySwap),
        tag("memory").map(|_| Counter::Memory),
        tag("swap").map(|_| Counter::Swap),
        tag("kmem").map(|_| Counter::Kmem),
    ))
    .parse(input)
}

/// `oom-message = "Memory cgroup out of memory" / "Out of memory" [ " (" *CHAR ")" ]`,
/// true for a global OOM.
fn oom_message(input: &str) -> IResult<&str, bool> {
    terminated(
        alt((
            tag("Memory cgroup out of memory").map(|_| false),
            terminated(
                tag("Out of memory"),
                opt((tag(" ("), take_till(|c| c == ')'), char(')'))),
            )
            .map(|_| true),
        )),
        tag(": "),
    )
    .parse(input)
}

/// `kill-line = oom-message "Kill process " pid " (" comm ") score " 1*DIGIT " or sacrifice child"`
fn kill_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    let (rest, (global, _, pid, comm)) =
        (oom_message, tag("Kill process "), pid, comm).parse(input)?;
    let (rest, _) = (tag(" score "), digit1, opt(tag(" or sacrifice child"))).parse(rest)?;
    Ok((rest, KernelLine::Kill { global, pid, comm }))
}

/// `killed-line = [ oom-message ] "Killed process " pid " (" comm ")" [ stats ]`
fn killed_line(input: &str) -> IResult<&str, KernelLine<'_>> {
    let (rest, (global, _, pid, comm)) =
        (opt(oom_message), tag("Killed process "), pid, comm).parse(input)?;
    let stats = stats(rest);
    Ok((
        "",
        KernelLine::Killed {
            global,
            pid,
            comm,
            stats,
        },
    ))
}

/// `pid = 1*DIGIT`
fn pid(input: &str) -> IResult<&str, u32> {
    map_res(digit1, str::parse::<u32>).parse(input)
}

/// `comm = " (" 1*CHAR ")"`: the task's name (at most 15 bytes, and it may
/// hold spaces and parentheses): it ends at the first `)` followed by the
/// end of the line, a space or a comma.
fn comm(input: &str) -> IResult<&str, &str> {
    let (rest, _) = tag(" (").parse(input)?;
    let end = rest
        .char_indices()
        .take(64)
        .filter(|&(_, c)| c == ')')
        .map(|(i, _)| i)
        .find(|&i| {
            let after = &rest[i + 1..];
            after.is_empty() || after.starts_with(' ') || after.starts_with(',')
        });
    match end {
        Some(i) if i > 0 => Ok((&rest[i + 1..], &rest[..i])),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Char,
        ))),
    }
}

/// `stats = *( ( "," / SP ) stat )`, `stat = stat-name ":" [ "-" ] 1*DIGIT [ "kB" ]`:
/// `total-vm`, `anon-rss`, `file-rss`, `shmem-rss`, `UID`, `pgtables`,
/// `oom_score_adj`. Items in other shapes (RHEL's `UID 1000`) are skipped.
fn stats(input: &str) -> Stats {
    let mut stats = Stats::default();
    for item in input.split([',', ' ']).filter(|s| !s.is_empty()) {
        let Ok((_, (name, value))) = stat(item) else {
            continue;
        };
        let kb = u64::try_from(value).ok();
        match name {
            "total-vm" => stats.total_vm_kb = kb,
            "anon-rss" => stats.anon_rss_kb = kb,
            "file-rss" => stats.file_rss_kb = kb,
            "shmem-rss" => stats.shmem_rss_kb = kb,
            "oom_score_adj" => stats.oom_score_adj = Some(value),
            _ => {}
        }
    }
    stats
}

/// `stat = stat-name ":" [ "-" ] 1*DIGIT [ "kB" ]`
fn stat(input: &str) -> IResult<&str, (&str, i64)> {
    let (rest, (name, _, value, _)) = (
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        char(':'),
        map_res(recognize((opt(char('-')), digit1)), str::parse::<i64>),
        opt(tag("kB")),
    )
        .parse(input)?;
    let (rest, _) = space0(rest)?;
    Ok((rest, (name, value)))
}

#[cfg(test)]
pub(crate) mod tests;
