//! Joining a bundle's evidence to its records (`../shared/spec/bundles.md`):
//! events on namespace + pod (+ UID), container from `fieldPath`; logs on
//! the names their path gives; kernel OOM kills on the container id or pod
//! UID of the victim's cgroup, else on node and time; kubelet lines on pod
//! and container. Nothing is attached that does not match exactly one
//! container: an ambiguous or unmatched kill is told with `--verbose`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::evidence::{Evidence, KillEv, KubeletEv, KubeletKind, LogEv};
use crate::classify::From;
use crate::model::{Logs, Observation, OomKill, Status};
use crate::output::Record;

/// A kill or kubelet line counts for a run from a little before it started
/// to a little after it ended (clock skew between kernel and kubelet, the
/// seconds between the kill and the runtime noticing).
const BEFORE_START: i64 = 2;
const AFTER_FINISH: i64 = 15;

/// What the join has to tell (`--verbose`): `(path, line, message)`.
pub type Told = Vec<(String, u64, String)>;

/// Everything read from one bundle's evidence files.
#[derive(Debug, Default)]
pub struct Index {
    events: Vec<(std::sync::Arc<str>, super::events::Event)>,
    logs: Vec<LogEv>,
    kills: Vec<KillEv>,
    kubelet: Vec<KubeletEv>,
}

/// Bounds on what one bundle may make us keep (the rest is told).
const MAX_EVENTS: usize = 1_000_000;
const MAX_LOGS: usize = 1_000_000;
const MAX_KILLS: usize = 100_000;
const MAX_KUBELET: usize = 1_000_000;

impl Index {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
            && self.logs.is_empty()
            && self.kills.is_empty()
            && self.kubelet.is_empty()
    }

    /// Adds one piece of evidence; false when a bound was reached.
    pub fn add(&mut self, e: Evidence) -> bool {
        match e {
            Evidence::Event(p, ev) if self.events.len() < MAX_EVENTS => self.events.push((p, ev)),
            Evidence::Log(l) if self.logs.len() < MAX_LOGS => self.logs.push(l),
            Evidence::Kill(k) if self.kills.len() < MAX_KILLS => self.kills.push(k),
            Evidence::Kubelet(k) if self.kubelet.len() < MAX_KUBELET => self.kubelet.push(k),
            _ => return false,
        }
        true
    }
}

/// The facts of a record a join looks at.
struct Key<'a> {
    namespace: &'a str,
    pod: Option<&'a str>,
    container: Option<&'a str>,
    uid: Option<String>,
    cid: Option<&'a str>,
    node: Option<&'a str>,
    from: From,
    /// The judged run: from its start to its end, when known.
    window: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    running: bool,
    /// In CrashLoopBackOff with no terminated state known (a listing row):
    /// the previous run's log holds the crash.
    crash_loop: bool,
}

fn time(s: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `containerd://3f2a…` → `3f2a…`.
pub fn bare_id(id: &str) -> &str {
    id.rsplit_once("://").map_or(id, |(_, b)| b)
}

fn norm_uid(uid: &str) -> String {
    uid.trim().to_ascii_lowercase().replace('_', "-")
}

impl<'a> Key<'a> {
    fn of(r: &'a Record) -> Key<'a> {
        let o = &r.observation;
        let judged = match r.classification.from {
            From::LastState => o.last_state.as_ref().unwrap_or(&o.state),
            From::State => &o.state,
        };
        Key {
            namespace: o.namespace.as_deref().unwrap_or(""),
            pod: o.pod.as_deref(),
            container: o.container.as_deref(),
            uid: o.pod_uid.as_deref().map(norm_uid),
            cid: o
                .container_id
                .as_deref()
                .map(bare_id)
                .filter(|c| c.len() >= 12),
            node: o.node.as_deref(),
            from: r.classification.from,
            window: (
                time(judged.started_at.as_deref()),
                time(judged.finished_at.as_deref()),
            ),
            running: o.state.status == Status::Running,
            crash_loop: o.state.status == Status::Waiting
                && o.state.reason.as_deref() == Some("CrashLoopBackOff")
                && o.last_state
                    .as_ref()
                    .is_none_or(|l| l.status != Status::Terminated),
        }
    }

    /// Whether `t` falls in the judged run; `None` when the run's end is unknown.
    fn holds(&self, t: DateTime<Utc>) -> Option<bool> {
        let end = self.window.1?;
        let after_start = self
            .window
            .0
            .is_none_or(|s| t >= s - Duration::seconds(BEFORE_START));
        Some(after_start && t <= end + Duration::seconds(AFTER_FINISH))
    }

    /// The container, as told apart from the others of the bundle.
    fn ident(&self) -> (String, String, String) {
        (
            self.namespace.to_string(),
            self.pod.unwrap_or("").to_string(),
            self.container.unwrap_or("").to_string(),
        )
    }

    fn name(&self) -> String {
        format!(
            "{}/{} container {}",
            self.namespace,
            self.pod.unwrap_or("?"),
            self.container.unwrap_or("?")
        )
    }
}

/// Joins `index` into `records` (all of one bundle, in input order).
/// Returns the indices of the records that changed, and what to tell.
pub fn join(index: &Index, records: &mut [Record], verbose: bool) -> (Vec<usize>, Told) {
    let mut told = Told::new();
    let mut changed = HashSet::new();
    if index.is_empty() || records.is_empty() {
        return (Vec::new(), told);
    }
    let keys: Vec<Key<'_>> = records.iter().map(Key::of).collect();
    let mut adds: Vec<Adds> = (0..records.len()).map(|_| Adds::default()).collect();
    events(index, &keys, &mut adds);
    logs(index, &keys, &mut adds);
    kills(index, &keys, &mut adds, verbose.then_some(&mut told));
    kubelet(index, &keys, &mut adds, reference(&keys).as_deref());
    drop(keys);
    for (i, add) in adds.into_iter().enumerate() {
        if add.apply(&mut records[i].observation) {
            changed.insert(i);
        }
    }
    let mut changed: Vec<usize> = changed.into_iter().collect();
    changed.sort_unstable();
    (changed, told)
}

/// What the join adds to one record.
#[derive(Default)]
struct Adds {
    events: Vec<(String, String)>,
    log: Option<(Logs, Option<String>)>,
    kills: Vec<OomKill>,
    probes: Vec<String>,
    kubelet: Vec<String>,
}

impl Adds {
    fn apply(self, o: &mut Observation) -> bool {
        let mut any = false;
        for (text, cite) in self.events {
            if o.events.contains(&text) {
                continue;
            }
            o.joined.first_event.get_or_insert(o.events.len());
            o.events.push(text);
            o.joined.event_cites.push(cite);
            any = true;
        }
        if let Some((logs, finding)) = self.log {
            o.logs = Some(logs);
            o.joined.log_finding = finding;
            any = true;
        }
        any |= !(self.kills.is_empty() && self.probes.is_empty() && self.kubelet.is_empty());
        o.joined.oom_kills.extend(self.kills);
        o.joined.probe_failures.extend(self.probes);
        o.joined.kubelet.extend(self.kubelet);
        any
    }
}

fn events(index: &Index, keys: &[Key<'_>], adds: &mut [Adds]) {
    if index.events.is_empty() {
        return;
    }
    let mut by_pod: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, (_, e)) in index.events.iter().enumerate() {
        by_pod
            .entry((e.namespace.as_str(), e.pod.as_str()))
            .or_default()
            .push(i);
    }
    for (r, k) in keys.iter().enumerate() {
        let Some(pod) = k.pod else { continue };
        let Some(list) = by_pod.get(&(k.namespace, pod)) else {
            continue;
        };
        for &i in list.iter().take(50) {
            let (path, e) = &index.events[i];
            // Another pod of the same name (recreated): not this one.
            if let (Some(a), Some(b)) = (&e.pod_uid, &k.uid)
                && norm_uid(a) != *b
            {
                continue;
            }
            if e.container.is_some() && e.container.as_deref() != k.container {
                continue;
            }
            let text = e.text();
            let cite = format!("event {path}:{}: {text}", e.line);
            adds[r].events.push((text, cite));
        }
    }
}

fn logs(index: &Index, keys: &[Key<'_>], adds: &mut [Adds]) {
    if index.logs.is_empty() {
        return;
    }
    let mut by_name: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    let mut dashed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in index.logs.iter().enumerate() {
        let k = &l.key;
        match (&k.pod, k.dashed) {
            (Some(p), true) => dashed.entry(p.as_str()).or_default().push(i),
            (Some(p), false) => by_name
                .entry((
                    k.namespace.as_deref().unwrap_or(""),
                    p.as_str(),
                    k.container.as_deref().unwrap_or(""),
                ))
                .or_default()
                .push(i),
            _ => {}
        }
    }
    // Rancher's `<ns>-<pod>` logs hold every container of the pod: only a
    // pod of one container (or one listing row) can take one.
    let mut per_pod: HashMap<(&str, &str), HashSet<Option<&str>>> = HashMap::new();
    for k in keys {
        if let Some(p) = k.pod {
            per_pod
                .entry((k.namespace, p))
                .or_default()
                .insert(k.container);
        }
    }
    for (r, k) in keys.iter().enumerate() {
        let Some(pod) = k.pod else {
            continue;
        };
        let ctr = k.container.unwrap_or("");
        let previous = k.from == From::LastState || k.crash_loop;
        let mut found: Vec<&LogEv> = by_name
            .get(&(k.namespace, pod, ctr))
            .map(|v| v.iter().map(|&i| &index.logs[i]).collect())
            .unwrap_or_default();
        if found.is_empty()
            && per_pod
                .get(&(k.namespace, pod))
                .is_some_and(|s| s.len() == 1)
        {
            let dashed_name = format!("{}-{pod}", k.namespace);
            if let Some(v) = dashed.get(dashed_name.as_str()) {
                found = v.iter().map(|&i| &index.logs[i]).collect();
            }
        }
        if let Some(l) = pick(&found, previous) {
            let finding = l
                .finding_line
                .as_ref()
                .map(|line| format!("log {}:{}: {line}", l.path, l.finding_lineno));
            let logs = Logs {
                path: l.path.to_string(),
                previous,
                tail: l.tail.clone(),
                finding: l.finding.clone(),
                finding_line: l.finding_line.clone(),
            };
            adds[r].log = Some((logs, finding));
        }
    }
}

/// The log of the judged run among a container's logs: the previous run's
/// when `previous`, else the current one. A plain fetch beats a retried
/// insecure one; `<N>.log` files are runs counted by the restart count.
fn pick<'l>(found: &[&'l LogEv], previous: bool) -> Option<&'l LogEv> {
    let mut runs: Vec<&LogEv> = found
        .iter()
        .copied()
        .filter(|l| l.key.run.is_some())
        .collect();
    if !runs.is_empty() {
        runs.sort_by_key(|l| l.key.run);
        runs.dedup_by_key(|l| l.key.run);
        // The newest is the current run; the one before it the previous.
        let at = runs.len().checked_sub(if previous { 2 } else { 1 })?;
        return Some(runs[at]);
    }
    let mut named: Vec<&LogEv> = found
        .iter()
        .copied()
        .filter(|l| l.key.previous == previous)
        .collect();
    named.sort_by_key(|l| l.key.insecure);
    named.first().copied()
}

fn kills(index: &Index, keys: &[Key<'_>], adds: &mut [Adds], mut told: Option<&mut Told>) {
    if index.kills.is_empty() {
        return;
    }
    let mut by_cid: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_uid: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(c) = k.cid {
            if let Some(short) = c.get(..12) {
                by_cid.entry(short).or_default().push(i);
            }
        }
        if let Some(u) = &k.uid {
            by_uid.entry(u.as_str()).or_default().push(i);
        }
    }
    let nodes: HashSet<&str> = keys.iter().filter_map(|k| k.node).collect();
    // Only runs with a known end can hold a kill's time.
    let timed: Vec<usize> = (0..keys.len())
        .filter(|&r| keys[r].window.1.is_some())
        .collect();
    let reference = reference(keys);
    for ev in &index.kills {
        let kill = &ev.kill;
        let when = when(&kill.time, reference.as_deref());
        let mut how = "";
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(cid) = kill.container_id.as_deref().filter(|c| c.len() >= 12) {
            let cid = cid.to_ascii_lowercase();
            candidates = by_cid
                .get(cid.get(..12).unwrap_or(""))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&r| {
                    keys[r]
                        .cid
                        .is_some_and(|c| c.starts_with(&cid) || cid.starts_with(c))
                })
                // The id is the current container's: it names the judged
                // run unless that is a previous run of a running container.
                .filter(|&r| keys[r].from == From::State || !keys[r].running)
                .filter(|&r| when.and_then(|t| keys[r].holds(t)).unwrap_or(true))
                .collect();
            how = "container id";
        }
        if candidates.is_empty()
            && let (Some(uid), Some(t)) = (kill.pod_uid.as_deref(), when)
        {
            candidates = by_uid
                .get(norm_uid(uid).as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&r| keys[r].holds(t) == Some(true))
                .collect();
            how = "pod uid and time";
        }
        let by_time = kill.summary_missing && kill.container_id.is_none() && kill.pod_uid.is_none();
        if candidates.is_empty()
            && by_time
            && let Some(t) = when
        {
            let node = ev.node.as_deref().or(kill.host.as_deref());
            candidates = timed
                .iter()
                .copied()
                .filter(|&r| match (node, keys[r].node) {
                    (Some(a), Some(b)) => a == b,
                    // Without node names, only a bundle of one node can say.
                    _ => nodes.len() <= 1,
                })
                .filter(|&r| keys[r].holds(t) == Some(true))
                .collect();
            how = "node and time";
        }
        let idents: HashSet<_> = candidates.iter().map(|&r| keys[r].ident()).collect();
        let place = format!("{}:{}", ev.path, kill.line);
        match idents.len() {
            0 => {
                if let Some(t) = told.as_deref_mut() {
                    t.push((
                        ev.path.to_string(),
                        kill.line,
                        format!("kernel OOM kill of {} matches no container of this bundle: not attached", victim(kill)),
                    ));
                }
            }
            1 => {
                let mut cite = format!("kernel {place}: {}", kill.text.trim());
                if by_time && how == "node and time" {
                    cite.push_str(" (matched by node and time: the kernel's line naming the cgroup is missing)");
                }
                for r in candidates {
                    // The same kill read from two files (dmesg and the journal).
                    if adds[r].kills.iter().any(|k| k.victim == victim(kill)) {
                        continue;
                    }
                    adds[r].kills.push(OomKill {
                        cite: cite.clone(),
                        victim: victim(kill),
                        by_time: how == "node and time",
                    });
                }
            }
            _ => {
                if let Some(t) = told.as_deref_mut() {
                    let mut names: Vec<String> =
                        candidates.iter().map(|&r| keys[r].name()).collect();
                    names.sort();
                    names.dedup();
                    t.push((
                        ev.path.to_string(),
                        kill.line,
                        format!(
                            "kernel OOM kill of {} matches {} containers by {how} ({}): attached to neither",
                            victim(kill),
                            idents.len(),
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
    }
}

/// The newest end of a run: year-less syslog times take their year from it
/// (without one, no run could hold such a time anyway).
fn reference(keys: &[Key<'_>]) -> Option<String> {
    keys.iter()
        .filter_map(|k| k.window.1)
        .max()
        .map(|t| t.to_rfc3339())
}

/// When a line's prefix says it was written.
fn when(t: &super::prefix::WallTime, reference: Option<&str>) -> Option<DateTime<Utc>> {
    match reference {
        Some(r) => t.resolve(r),
        None => t.utc().map(str::to_string),
    }
    .and_then(|s| time(Some(&s)))
}

/// `java (pid 4242)`.
fn victim(k: &super::kernel::OomKill) -> String {
    match (&k.comm, k.pid) {
        (Some(c), Some(p)) => format!("{c} (pid {p})"),
        (Some(c), None) => c.clone(),
        (None, Some(p)) => format!("pid {p}"),
        (None, None) => "a process".to_string(),
    }
}

fn kubelet(index: &Index, keys: &[Key<'_>], adds: &mut [Adds], reference: Option<&str>) {
    if index.kubelet.is_empty() {
        return;
    }
    let mut by_pod: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_uid: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_cid: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in index.kubelet.iter().enumerate() {
        if let Some(p) = &l.pod {
            by_pod
                .entry((l.namespace.as_deref().unwrap_or(""), p.as_str()))
                .or_default()
                .push(i);
        } else if let Some(u) = &l.pod_uid {
            by_uid.entry(norm_uid(u)).or_default().push(i);
        } else if let Some(c) = l.container_id.as_deref().and_then(|c| c.get(..12)) {
            by_cid.entry(c.to_ascii_lowercase()).or_default().push(i);
        }
    }
    for (r, k) in keys.iter().enumerate() {
        let mut lines: Vec<usize> = Vec::new();
        if let Some(p) = k.pod
            && let Some(v) = by_pod.get(&(k.namespace, p))
        {
            lines.extend(v);
        }
        if let Some(u) = &k.uid
            && let Some(v) = by_uid.get(u)
        {
            lines.extend(v);
        }
        if let Some(c) = k.cid.and_then(|c| c.get(..12))
            && let Some(v) = by_cid.get(&c.to_ascii_lowercase())
        {
            lines.extend(v);
        }
        for i in lines {
            let l = &index.kubelet[i];
            if let (Some(a), Some(b)) = (&l.pod_uid, &k.uid)
                && norm_uid(a) != *b
            {
                continue;
            }
            if l.container.is_some() && l.container.as_deref() != k.container {
                continue;
            }
            // A line of another run says nothing about this one.
            if let Some(t) = when(&l.time, reference)
                && k.holds(t) == Some(false)
            {
                continue;
            }
            let cite = format!("kubelet {}:{}: {}", l.path, l.line, l.text.trim());
            match l.kind {
                KubeletKind::ProbeFailed => adds[r].probes.push(cite),
                KubeletKind::Evicted | KubeletKind::Killing => adds[r].kubelet.push(cite),
            }
        }
    }
}
