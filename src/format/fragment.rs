//! The key-by-key reader for container-state fragments that the structured
//! readers cannot take: YAML whose indentation was destroyed or turned into
//! TABs, YAML or JSON collapsed onto one line or wrapped by a terminal, and
//! excerpts at any level — a list of container statuses, one status, a bare
//! `state:`/`lastState:`/`terminated:` block, the members of a docker
//! `"State"` object with notes (`<----- this`) after the values, a cut
//! `crictl inspect`.
//!
//! It does not rebuild the tree. It reads `key: value` and `"Key": value`
//! pairs in order, wherever they sit in a line, and lets the keys say where
//! they belong: `containerStatuses:` opens a list whose `- ` items are
//! containers, `state:`/`lastState:` pick the state the next
//! `running`/`waiting`/`terminated` and its details fill, `metadata:` names
//! the pod, `spec:` is skipped. Kubernetes, docker and crictl keys differ in
//! spelling, so one pass reads all three. A value is the leading token that
//! fits its key (a number for `exitCode`), so notes after values are
//! dropped.
//!
//! Nothing is invented: a container gets a record only when a state shows,
//! a field stays null unless its key is in the paste, and a `terminated`
//! block under no `state:`/`lastState:` is reported with its place unknown
//! ([`PLACE_UNKNOWN`]).

use crate::model::{ContainerType, Observation, SourceFormat, State, Status};
use crate::timefmt;

/// Evidence (and a sentence of the summary) for a terminated block whose
/// place — the current state or the last one — the paste does not show.
pub const PLACE_UNKNOWN: &str = "note: place unknown: the paste shows a terminated state but not whether it is the current or the last one";

/// One `key: value` found in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pair<'a> {
    /// A `- ` sequence mark stands right before the key.
    item: bool,
    key: &'a str,
    /// The raw text after the colon up to the next key (not yet fitted).
    value: &'a str,
    line: u64,
    offset: u64,
}

/// Keys this reader knows; a `word:` that is none of them is still a key
/// (it ends the value before it) but changes nothing.
fn known(key: &str) -> bool {
    matches!(
        key,
        "metadata"
            | "spec"
            | "status"
            | "containerStatuses"
            | "initContainerStatuses"
            | "ephemeralContainerStatuses"
            | "name"
            | "namespace"
            | "image"
            | "containerID"
            | "restartCount"
            | "ready"
            | "state"
            | "lastState"
            | "running"
            | "waiting"
            | "terminated"
            | "exitCode"
            | "reason"
            | "message"
            | "signal"
            | "startedAt"
            | "finishedAt"
            | "phase"
            | "State"
            | "Status"
            | "Running"
            | "Paused"
            | "Restarting"
            | "OOMKilled"
            | "Dead"
            | "ExitCode"
            | "Error"
            | "StartedAt"
            | "FinishedAt"
            | "Name"
            | "RestartCount"
            | "Image"
            | "Config"
            | "conditions"
    )
}

/// Finds the pairs of one line. A YAML key is a word before `: ` or a
/// colon at the end; a JSON key is a quoted word before `:`.
fn pairs<'a>(line: &'a str, no: u64, offset: u64, out: &mut Vec<Pair<'a>>) {
    let b = line.as_bytes();
    let mut keys: Vec<(usize, usize, &'a str, bool)> = Vec::new(); // (start, value start, key, item)
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            // A quoted key: `"Key":`.
            let close = line[i + 1..].find('"').map(|j| i + 1 + j);
            if let Some(close) = close {
                let word = &line[i + 1..close];
                let mut k = close + 1;
                while k < b.len() && b[k] == b' ' {
                    k += 1;
                }
                if b.get(k) == Some(&b':') && is_word(word) && !in_string {
                    keys.push((i, k + 1, word, item_before(b, i)));
                    i = k + 1;
                    continue;
                }
                // A string value: skip it whole.
                in_string = false;
                i = close + 1;
                continue;
            }
            in_string = true;
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'{' | b',')) {
            let end = i + b[i..]
                .iter()
                .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_')
                .count();
            if b.get(end) == Some(&b':') && b.get(end + 1).is_none_or(|x| *x == b' ' || *x == b'\t')
            {
                keys.push((i, end + 1, &line[i..end], item_before(b, i)));
                i = end + 1;
                continue;
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    for (n, &(_, vstart, key, item)) in keys.iter().enumerate() {
        let vend = keys.get(n + 1).map_or(line.len(), |k| {
            // The value ends where the next key (and its `- `) begins.
            let mut s = k.0;
            if k.3 {
                s = line[..s].trim_end().trim_end_matches('-').len();
            }
            s
        });
        out.push(Pair {
            item,
            key,
            value: line[vstart..vend.max(vstart)].trim(),
            line: no,
            offset,
        });
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.as_bytes()[0].is_ascii_alphabetic()
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A `- ` sequence mark right before position `i`.
fn item_before(b: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    j > 0 && b[j - 1] == b'-' && (j == 1 || matches!(b[j - 2], b' ' | b'\t'))
}

/// The value as a string: the quoted text, or the first token of a bare one
/// (notes after values are dropped); `None` for nothing, `null`, `{`/`[`.
fn string(v: &str) -> Option<String> {
    let v = v.trim().trim_end_matches(',').trim();
    if let Some(rest) = v.strip_prefix('"').or_else(|| v.strip_prefix('\'')) {
        let q = v.as_bytes()[0] as char;
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => {}
                },
                c if c == q => break,
                c => out.push(c),
            }
        }
        return (!out.is_empty()).then_some(out);
    }
    let tok = v.split_whitespace().next()?;
    let tok = tok.trim_end_matches([',', '}', ']']);
    if tok.is_empty()
        || matches!(
            tok,
            "null" | "~" | "{}" | "[]" | "{" | "[" | "|" | ">" | "|-" | ">-"
        )
    {
        return None;
    }
    Some(tok.to_string())
}

/// The value's text as written after the key (for messages: all of it).
fn text(v: &str) -> Option<String> {
    let v = v.trim().trim_end_matches(',').trim();
    if v.starts_with('"') || v.starts_with('\'') {
        return string(v);
    }
    (!v.is_empty() && !matches!(v, "null" | "{}" | "{" | "|" | ">" | "|-" | ">-"))
        .then(|| v.to_string())
}

fn integer(v: &str) -> Option<i64> {
    let s = string(v)?;
    let digits: String = s
        .chars()
        .enumerate()
        .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
        .map(|(_, c)| c)
        .collect();
    digits.parse().ok()
}

fn boolean(v: &str) -> Option<bool> {
    match string(v)?.as_str() {
        "true" | "True" => Some(true),
        "false" | "False" => Some(false),
        _ => None,
    }
}

fn time(v: &str) -> Option<String> {
    // Timestamps hold `: ` never; a quoted or bare token is the whole value.
    string(v).and_then(|t| timefmt::normalize(&t).ok().flatten())
}

/// Where state keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// No `state:`/`lastState:` seen for this container.
    Unplaced,
    Current,
    Last,
}

/// What the keys of one container said.
#[derive(Debug, Default)]
struct Found {
    line: u64,
    offset: u64,
    kind: ContainerType,
    name: Option<String>,
    image: Option<String>,
    id: Option<String>,
    restarts: Option<i64>,
    ready: Option<bool>,
    states: [Option<State>; 2],
    /// A state was filled under no `state:`/`lastState:`.
    unplaced: bool,
    /// Docker `State` members.
    docker: Docker,
    crictl: bool,
}

#[derive(Debug, Default)]
struct Docker {
    seen: bool,
    status: Option<String>,
    running: Option<bool>,
    restarting: Option<bool>,
    oom: Option<bool>,
    exit_code: Option<i64>,
    error: Option<String>,
    started: Option<String>,
    finished: Option<String>,
}

impl Found {
    /// A state shows: a status word, an exit code or docker's members (a
    /// lone `reason:` is not enough: conditions and events have those).
    fn has_state(&self) -> bool {
        self.states
            .iter()
            .flatten()
            .any(|s| s.status != Status::Unknown || s.exit_code.is_some())
            || self.docker.seen
    }

    fn slot(&mut self, t: Target) -> &mut State {
        let i = usize::from(t == Target::Last);
        if t == Target::Unplaced {
            self.unplaced = true;
        }
        self.states[i].get_or_insert_with(State::default)
    }
}

/// The section the keys are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Top,
    Meta,
    Spec,
    Statuses,
}

struct Reader {
    mode: Mode,
    /// Inside a state block (`terminated:` has a `containerID` of its own).
    in_state: bool,
    pod: Option<String>,
    namespace: Option<String>,
    phase: Option<String>,
    cur: Option<Found>,
    target: Target,
    kind: ContainerType,
    out: Vec<Found>,
    json: bool,
}

impl Reader {
    fn container(&mut self, p: &Pair<'_>) -> &mut Found {
        let kind = self.kind;
        self.cur.get_or_insert_with(|| Found {
            line: p.line,
            offset: p.offset,
            kind,
            ..Found::default()
        })
    }

    fn new_container(&mut self, p: &Pair<'_>) {
        self.flush_one();
        self.target = Target::Unplaced;
        self.container(p);
    }

    fn flush_one(&mut self) {
        if let Some(f) = self.cur.take()
            && f.has_state()
        {
            self.out.push(f);
        }
    }

    fn flush(&mut self) {
        self.flush_one();
    }

    fn pair(&mut self, p: &Pair<'_>) {
        if !known(p.key) {
            return;
        }
        match p.key {
            "metadata" => {
                self.mode = Mode::Meta;
                return;
            }
            // Conditions carry `reason`/`message` of the pod, not of a container.
            "spec" | "conditions" => {
                self.flush_one();
                self.mode = Mode::Spec;
                return;
            }
            "status" if p.value.is_empty() || p.value.starts_with('{') => {
                if self.mode != Mode::Statuses {
                    self.mode = Mode::Top;
                }
                return;
            }
            "containerStatuses" | "initContainerStatuses" | "ephemeralContainerStatuses" => {
                self.flush_one();
                self.mode = Mode::Statuses;
                self.kind = match p.key {
                    "initContainerStatuses" => ContainerType::Init,
                    "ephemeralContainerStatuses" => ContainerType::Ephemeral,
                    _ => ContainerType::Container,
                };
                return;
            }
            _ => {}
        }
        match self.mode {
            Mode::Spec => return,
            Mode::Meta => {
                match p.key {
                    "name" if self.pod.is_none() => self.pod = string(p.value),
                    "namespace" if self.namespace.is_none() => self.namespace = string(p.value),
                    _ => {}
                }
                return;
            }
            Mode::Top | Mode::Statuses => {}
        }
        if p.key == "phase" {
            self.phase = string(p.value);
            return;
        }
        if p.item {
            self.new_container(p);
            self.in_state = false;
        }
        match p.key {
            "state" | "lastState" | "running" | "waiting" | "terminated" => self.in_state = true,
            "name" | "ready" | "restartCount" | "image" | "started" => self.in_state = false,
            _ => {}
        }
        let target = self.target;
        match p.key {
            "name" | "Name" => {
                if self.cur.as_ref().is_some_and(|c| c.name.is_some()) {
                    self.new_container(p);
                }
                let name = string(p.value).map(|n| n.trim_start_matches('/').to_string());
                self.container(p).name = name;
                self.target = Target::Unplaced;
            }
            "image" | "Image" => {
                let v = string(p.value).filter(|i| !i.starts_with("sha256:"));
                if v.is_some() {
                    self.container(p).image = v;
                }
            }
            "containerID" if self.in_state => {}
            "containerID" => {
                if self.cur.as_ref().is_some_and(|c| c.id.is_some()) {
                    self.new_container(p);
                }
                self.container(p).id = string(p.value);
            }
            "restartCount" | "RestartCount" => self.container(p).restarts = integer(p.value),
            "ready" => self.container(p).ready = boolean(p.value),
            "state" => match string(p.value) {
                // crictl: `"state": "CONTAINER_EXITED"`.
                Some(w) if w.starts_with("CONTAINER_") => {
                    let c = self.container(p);
                    c.crictl = true;
                    let st = c.slot(Target::Current);
                    st.status = match w.as_str() {
                        "CONTAINER_RUNNING" => Status::Running,
                        "CONTAINER_EXITED" => Status::Terminated,
                        "CONTAINER_CREATED" => Status::Waiting,
                        _ => Status::Unknown,
                    };
                    c.unplaced = false;
                    self.target = Target::Current;
                }
                _ => {
                    self.target = Target::Current;
                    self.container(p);
                }
            },
            "lastState" => {
                self.target = Target::Last;
                self.container(p);
            }
            "running" | "waiting" | "terminated" => {
                // `running: true` is not a state block (never in a status).
                if string(p.value).is_some_and(|v| v == "true" || v == "false") {
                    return;
                }
                let status = match p.key {
                    "running" => Status::Running,
                    "waiting" => Status::Waiting,
                    _ => Status::Terminated,
                };
                let c = self.container(p);
                let st = c.slot(target);
                if st.status == Status::Unknown {
                    st.status = status;
                }
            }
            "exitCode" => {
                let code = integer(p.value);
                let st = self.container(p).slot(target);
                if st.status == Status::Unknown {
                    st.status = Status::Terminated;
                }
                st.exit_code = code;
            }
            "signal" => {
                let v = integer(p.value).filter(|&n| n != 0);
                self.container(p).slot(target).signal = v;
            }
            "reason" => {
                if self.cur.is_none() && self.mode == Mode::Top && self.json {
                    return;
                }
                let v = string(p.value);
                self.container(p).slot(target).reason = v;
            }
            "message" => {
                if self.cur.is_none() {
                    return;
                }
                let v = text(p.value);
                self.container(p).slot(target).message = v;
            }
            "startedAt" => {
                let v = time(p.value);
                self.container(p).slot(target).started_at = v;
            }
            "finishedAt" => {
                let v = time(p.value);
                self.container(p).slot(target).finished_at = v;
            }
            "Status" => {
                if let Some(w) = string(p.value).map(|w| w.to_ascii_lowercase())
                    && DOCKER_WORDS.contains(&w.as_str())
                {
                    let d = &mut self.container(p).docker;
                    d.seen = true;
                    d.status = Some(w);
                }
            }
            "Running" | "Restarting" | "Paused" | "Dead" | "OOMKilled" => {
                let Some(v) = boolean(p.value) else { return };
                let d = &mut self.container(p).docker;
                d.seen = true;
                match p.key {
                    "Running" => d.running = Some(v),
                    "Restarting" => d.restarting = Some(v),
                    "OOMKilled" => d.oom = Some(v),
                    _ => {}
                }
            }
            "ExitCode" => {
                let v = integer(p.value);
                let d = &mut self.container(p).docker;
                d.seen = true;
                d.exit_code = v;
            }
            "Error" => {
                let v = string(p.value);
                self.container(p).docker.error = v;
            }
            "StartedAt" => {
                let v = time(p.value);
                self.container(p).docker.started = v;
            }
            "FinishedAt" => {
                let v = time(p.value);
                self.container(p).docker.finished = v;
            }
            _ => {}
        }
    }
}

const DOCKER_WORDS: &[&str] = &[
    "running",
    "paused",
    "restarting",
    "created",
    "exited",
    "dead",
    "removing",
    "stopped",
];

/// Reads every container state the pairs of `text` hold, as observations.
/// `first_line` and `first_offset` locate `text` in the input; `json` says
/// which reader gave up on it (for `source.format`).
pub fn observations(
    text: &str,
    first_line: u64,
    first_offset: u64,
    json: bool,
) -> Vec<Observation> {
    let found = {
        let mut all = Vec::new();
        let mut offset = first_offset;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let line = raw.trim_end_matches(['\n', '\r']);
            pairs(line, first_line + i as u64, offset, &mut all);
            offset += raw.len() as u64;
        }
        let mut r = Reader {
            mode: Mode::Top,
            in_state: false,
            pod: None,
            namespace: None,
            phase: None,
            cur: None,
            target: Target::Unplaced,
            kind: ContainerType::Container,
            out: Vec::new(),
            json,
        };
        for p in &all {
            r.pair(p);
        }
        r.flush();
        (r.out, r.pod, r.namespace, r.phase)
    };
    let (list, pod, namespace, phase) = found;
    list.into_iter()
        .map(|f| {
            let mut o = Observation {
                line: f.line,
                offset: f.offset,
                container: f.name.clone(),
                container_type: f.kind,
                image: f.image.clone(),
                container_id: f.id.clone(),
                ready: f.ready,
                restart_count: f.restarts,
                pod: pod.clone(),
                namespace: namespace.clone(),
                pod_phase: phase.clone(),
                ..Observation::default()
            };
            if f.docker.seen {
                o.format = Some(SourceFormat::DockerInspect);
                let (state, last) = docker_states(&f.docker);
                o.state = state;
                o.last_state = last;
            } else {
                o.format = Some(if f.crictl {
                    SourceFormat::CrictlInspect
                } else if json {
                    SourceFormat::K8sJson
                } else {
                    SourceFormat::K8sYaml
                });
                let [cur, last] = f.states;
                match (cur, last, f.unplaced) {
                    (Some(s), None, true) => {
                        o.state = s;
                        if o.state.status == Status::Terminated {
                            o.evidence.push(PLACE_UNKNOWN.to_string());
                        }
                    }
                    (cur, last, _) => {
                        o.state = cur.unwrap_or_default();
                        o.last_state = last;
                    }
                }
            }
            o.finish();
            o
        })
        .collect()
}

/// Docker's status mapping (as `json::inspect::states`) on loose members.
fn docker_states(d: &Docker) -> (State, Option<State>) {
    let word = d.status.clone().unwrap_or_else(|| {
        if d.restarting == Some(true) {
            "restarting".into()
        } else if d.running == Some(true) {
            "running".into()
        } else if d.exit_code.is_some() {
            "exited".into()
        } else {
            String::new()
        }
    });
    let mut last = None;
    let mut state = match word.as_str() {
        "running" | "paused" => {
            let mut s = State::new(Status::Running);
            s.started_at.clone_from(&d.started);
            s
        }
        "created" => State::new(Status::Waiting),
        "restarting" => {
            let mut l = State::new(Status::Terminated);
            l.exit_code = d.exit_code;
            l.finished_at.clone_from(&d.finished);
            l.oom_killed = d.oom;
            last = Some(l);
            State::new(Status::Waiting)
        }
        "exited" | "dead" | "removing" | "stopped" => {
            let mut s = State::new(Status::Terminated);
            s.exit_code = d.exit_code;
            s.started_at.clone_from(&d.started);
            s.finished_at.clone_from(&d.finished);
            s.message.clone_from(&d.error);
            s
        }
        _ => State::new(Status::Unknown),
    };
    if last.is_none() {
        state.oom_killed = d.oom;
    }
    (state, last)
}

/// True when `text` holds a key this reader turns into a state.
pub fn has_state_keys(text: &str) -> bool {
    const MARKS: &[&str] = &[
        "exitCode",
        "ExitCode",
        "terminated:",
        "\"terminated\"",
        "waiting:",
        "\"waiting\"",
        "running:",
        "\"running\"",
        "CONTAINER_",
        "\"Status\"",
        "OOMKilled",
    ];
    MARKS.iter().any(|m| text.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read1(s: &str) -> Vec<Observation> {
        observations(s, 1, 0, false)
    }

    #[test]
    fn bare_terminated_block_has_no_place() {
        let o = read1("terminated:\n  exitCode: 137\n  reason: OOMKilled\n");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].state.exit_code, Some(137));
        assert_eq!(o[0].last_state, None);
        assert_eq!(o[0].container, None);
        assert!(o[0].evidence.iter().any(|e| e == PLACE_UNKNOWN));
    }

    #[test]
    fn flattened_status_list() {
        let s = "containerStatuses:\n- containerID: docker://a\nimage: nginx\nlastState:\nterminated:\nexitCode: 137\nreason: OOMKilled\nname: web\nready: false\nrestartCount: 3\nstate:\nwaiting:\nreason: CrashLoopBackOff\n- containerID: docker://b\nname: side\nstate:\nrunning:\nstartedAt: 2024-01-01T00:00:00Z\n";
        let o = read1(s);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].container.as_deref(), Some("web"));
        assert_eq!(o[0].state.reason.as_deref(), Some("CrashLoopBackOff"));
        assert_eq!(o[0].last_state.as_ref().unwrap().exit_code, Some(137));
        assert_eq!(o[0].restart_count, Some(3));
        assert_eq!(o[1].state.status, Status::Running);
    }

    #[test]
    fn one_line_and_annotations() {
        let s = "status: containerStatuses: - name: app state: terminated: exitCode: 1   <<<< this reason: Error\n";
        let o = read1(s);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].state.exit_code, Some(1));
        assert_eq!(o[0].state.reason.as_deref(), Some("Error"));
    }

    #[test]
    fn docker_members_with_arrows() {
        let s = "    \"Status\": \"exited\",\n    \"OOMKilled\": true,   <-----\n    \"ExitCode\": 137,  <---- this\n";
        let o = observations(s, 1, 0, true);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].format, Some(SourceFormat::DockerInspect));
        assert_eq!(o[0].state.exit_code, Some(137));
        assert_eq!(o[0].state.oom_killed, Some(true));
    }

    #[test]
    fn spec_containers_are_not_records() {
        let s = "metadata:\nname: p\nnamespace: ns\nspec:\ncontainers:\n- name: a\nimage: x\nstatus:\ncontainerStatuses:\n- name: a\nstate:\nrunning: {}\n";
        let o = read1(s);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].pod.as_deref(), Some("p"));
        assert_eq!(o[0].namespace.as_deref(), Some("ns"));
    }
}
