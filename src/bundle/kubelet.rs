//! Kubelet log lines that explain a container's end: evictions, probe
//! failures, kills, container deaths and system OOMs. Read from a journal
//! (`journalctl -u kubelet`, sosreport, EKS `kubelet/kubelet.log`,
//! must-gather `<node>_logs_kubelet.gz`, troubleshoot `journald/*.txt`) or
//! a plain klog file. Grammar: `grammar/kubelet.md`.
//!
//! Message sources (kubernetes/kubernetes): `pkg/kubelet/prober/prober.go`
//! (`"Probe failed"`, ≤ 1.19 `Liveness probe for "…" failed (…): …`),
//! `pkg/kubelet/kuberuntime/kuberuntime_container.go` `killContainer`
//! (`"Killing container with a grace period"`, ≤ 1.19 `Killing container
//! "…" with N second grace period`), `kuberuntime_manager.go`
//! `computePodActions` (`containerMessage="Container … failed liveness
//! probe, will be restarted"`), `pkg/kubelet/eviction/eviction_manager.go`
//! `evictPod` (`"Evicting pod"`, `"Eviction manager: pod is evicted
//! successfully"`, ≤ 1.19 `eviction manager: pod %s is evicted
//! successfully`) and `helpers.go` (the eviction message), `kubelet.go`
//! (`"SyncLoop (PLEG): event for pod"`), client-go `tools/record/event.go`
//! `StartStructuredLogging` (`"Event occurred"`).

use std::io::{self, BufRead};

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, one_of, space0, space1};
use nom::combinator::map_res;
use nom::sequence::{delimited, terminated};
use nom::{IResult, Parser};

use super::lines::BoundedLines;
pub use super::prefix::WallTime;
use super::prefix::{SyslogTime, clock, line_prefix, text};

/// One kubelet line that is evidence about a pod or container.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeletLine {
    /// 1-based line number.
    pub line: u64,
    pub kind: KubeletKind,
    pub namespace: Option<String>,
    pub pod: Option<String>,
    pub pod_uid: Option<String>,
    pub container: Option<String>,
    /// Bare id (the `containerd://` scheme removed), like the kernel's.
    pub container_id: Option<String>,
    /// The journal's host field.
    pub host: Option<String>,
    /// The journal prefix's time, else klog's (year-less).
    pub time: WallTime,
    /// The message after the journal prefix and the klog header, for evidence.
    pub text: String,
}

/// What a kubelet line says.
#[derive(Debug, Clone, PartialEq)]
pub enum KubeletKind {
    /// The eviction manager evicted the pod. `resource` and `usage` come
    /// from the message (`The node was low on resource: memory. …`) when
    /// the line carries it.
    Eviction {
        resource: Option<String>,
        message: Option<String>,
        usage: Vec<ContainerUsage>,
    },
    /// A probe failed (`"Probe failed"`, `"Probe errored"`, an `Unhealthy`
    /// event, `"SyncLoop (probe)" status="unhealthy"`).
    ProbeFailure {
        probe: Probe,
        /// `failure`, `error`, `unhealthy` …
        result: Option<String>,
        output: Option<String>,
    },
    /// The kubelet restarts the container because of a failed probe
    /// (`Container app failed liveness probe, will be restarted`).
    ProbeRestart { probe: Probe },
    /// The kubelet stopped the container (`Killing container …`, a
    /// `Killing` event that names no probe).
    Killing { grace_period: Option<i64> },
    /// The PLEG saw the container die.
    ContainerDied,
    /// A system OOM the kubelet saw (`SystemOOM`/`OOMKilling` events,
    /// `System OOM encountered, victim process: java, pid: 4242`).
    Oom {
        pid: Option<u32>,
        process: Option<String>,
    },
}

/// Which probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Liveness,
    Readiness,
    Startup,
}

impl Probe {
    /// `Liveness` / `liveness` / `LIVENESS`.
    pub fn parse(word: &str) -> Option<Probe> {
        match word.to_ascii_lowercase().as_str() {
            "liveness" => Some(Probe::Liveness),
            "readiness" => Some(Probe::Readiness),
            "startup" => Some(Probe::Startup),
            _ => None,
        }
    }
}

/// One `Container <ctr> was using <q>, …` clause of an eviction message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerUsage {
    pub container: String,
    pub usage: String,
    pub request: Option<String>,
}

/// Every evidence line of a kubelet log, in line order.
///
/// ```
/// let text = br#"Oct 12 19:34:45 node-1 kubelet[2480]: I1012 19:34:45.000152    2480 kuberuntime_container.go:709] "Killing container with a grace period" pod="default/nginx" podUID=27aff94d-e0d9-43d1-84d6-9ab000aa57e2 containerName="nginx" containerID="containerd://4296b9e2377f" gracePeriod=30"#;
/// let lines = exitparse::bundle::kubelet::scan(text);
/// assert_eq!(lines[0].pod.as_deref(), Some("nginx"));
/// assert_eq!(lines[0].container_id.as_deref(), Some("4296b9e2377f"));
/// ```
pub fn scan(text: &[u8]) -> Vec<KubeletLine> {
    let mut scanner = Scanner::new();
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        scanner.feed(line, &mut out);
    }
    scanner.finish(&mut out);
    out
}

/// [`scan`] over a reader in bounded memory (lines cut at `max_line_bytes`).
pub fn scan_reader(reader: impl BufRead, max_line_bytes: usize) -> io::Result<Vec<KubeletLine>> {
    let mut scanner = Scanner::new();
    let mut out = Vec::new();
    let mut lines = BoundedLines::new(reader, max_line_bytes);
    while let Some(line) = lines.next_line()? {
        scanner.feed(line, &mut out);
    }
    scanner.finish(&mut out);
    Ok(out)
}

/// Words one of which every line this module reads holds: most kubelet
/// lines are skipped without being parsed.
const TRIGGERS: [&[u8]; 6] = [
    b"robe",
    b"Killing",
    b"vict",
    b"PLEG",
    b"Event occurred",
    b"will be restarted",
];

/// [`TRIGGERS`] compiled once.
fn triggers() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    FINDERS.get_or_init(|| TRIGGERS.iter().map(memchr::memmem::Finder::new).collect())
}

/// Most bytes of probe output kept from a multi-line `output=<` value.
const MAX_OUTPUT: usize = 512;

/// The line-by-line form of [`scan`]. A probe failure whose output spans
/// several lines (klog's `output=<` … ` >`) comes out when its last line
/// has been read; everything else at once. Lines come out in order.
#[derive(Debug, Default)]
pub struct Scanner {
    line: u64,
    /// A probe failure collecting its multi-line output.
    open: Option<KubeletLine>,
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one line (without `\n`); finished lines are pushed to `out`.
    pub fn feed(&mut self, line: &[u8], out: &mut Vec<KubeletLine>) {
        self.line += 1;
        if let Some(open) = &mut self.open {
            if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                let text = text(line);
                let piece = text.trim();
                if piece == ">" {
                    out.extend(self.open.take());
                } else if let KubeletKind::ProbeFailure { output, .. } = &mut open.kind {
                    let output = output.get_or_insert_with(String::new);
                    if output.len() < MAX_OUTPUT {
                        if !output.is_empty() {
                            output.push('\n');
                        }
                        output.push_str(cut(piece, MAX_OUTPUT - output.len()));
                    }
                }
                return;
            }
            out.extend(self.open.take());
        }
        // A klog header ends in `]`, a JSON line starts with `{`.
        if memchr::memchr2(b']', b'{', line).is_none()
            || !triggers().iter().any(|t| t.find(line).is_some())
        {
            return;
        }
        let text = text(line);
        let Some(found) = kubelet_line(self.line, &text) else {
            return;
        };
        let multi_line =
            matches!(&found.kind, KubeletKind::ProbeFailure { output: Some(o), .. } if o == "<");
        if multi_line {
            let mut found = found;
            if let KubeletKind::ProbeFailure { output, .. } = &mut found.kind {
                *output = None;
            }
            self.open = Some(found);
        } else {
            out.push(found);
        }
    }

    /// Pushes a line still collecting its output.
    pub fn finish(mut self, out: &mut Vec<KubeletLine>) {
        out.extend(self.open.take());
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `kubelet-line = [ journal-prefix ] klog-header message`: the evidence
/// one line holds, if any.
pub fn kubelet_line(number: u64, line: &str) -> Option<KubeletLine> {
    let (prefix, rest) = line_prefix(line);
    let (mut found, own_time, message) = if rest.starts_with('{') {
        let (found, time) = json_line(rest)?;
        (found, time, rest)
    } else {
        let (message, klog_time) = klog_header(rest).ok()?;
        let found = alt((structured_message, plain_message))
            .parse(message)
            .ok()?
            .1;
        (found, WallTime::Syslog(klog_time), message)
    };
    found.line = number;
    found.host = prefix.host;
    found.time = match prefix.time {
        WallTime::None => own_time,
        time => time,
    };
    found.text = message.trim_end().to_string();
    Some(found)
}

/// `json-line = "{" … "}"`: `--logging-format=json` (component-base
/// `logs/json`): `{"ts":1710000000.123,"caller":"prober/prober.go:107",
/// "msg":"Probe failed","v":1,"probeType":"Liveness","pod":{"name":"p",
/// "namespace":"ns"},…}`. Values are read as the text form prints them
/// (`pod` as `ns/name`).
fn json_line(line: &str) -> Option<(KubeletLine, WallTime)> {
    let value: serde_json::Value = serde_json::from_str(line.trim_end()).ok()?;
    let object = value.as_object()?;
    let msg = object.get("msg")?.as_str()?;
    let pairs: Vec<(&str, String)> = object
        .iter()
        .map(|(k, v)| (k.as_str(), json_text(v)))
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    };
    let found = structured(msg, get)?;
    let time = object
        .get("ts")
        .and_then(serde_json::Value::as_f64)
        .and_then(|ts| chrono::DateTime::from_timestamp_micros((ts * 1e6) as i64))
        .map(|t| WallTime::Utc(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
        .unwrap_or_default();
    Some((found, time))
}

/// A JSON value as klog's text form prints it: strings bare, an object
/// reference (`{"name":…,"namespace":…}`) as `namespace/name`, anything
/// else as JSON.
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) if o.contains_key("name") => {
            let name = o
                .get("name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            match o.get("namespace").and_then(serde_json::Value::as_str) {
                Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
                _ => name.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// `klog-header = severity 2DIGIT 2DIGIT SP clock 1*SP 1*DIGIT SP source "]" SP`,
/// `severity = "I" / "W" / "E" / "F"`, `source = file ":" line`.
pub fn klog_header(input: &str) -> IResult<&str, SyslogTime> {
    let digits2 = || {
        map_res(
            take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
            str::parse::<u32>,
        )
    };
    let (rest, (_, month, day, _, (hour, minute, second, nanos), _, _, _, _, _)) = (
        one_of("IWEF"),
        digits2(),
        digits2(),
        char(' '),
        clock,
        space1,
        digit1,
        char(' '),
        take_till(|c| c == ']' || c == ' '),
        tag("] "),
    )
        .parse(input)?;
    Ok((
        rest,
        SyslogTime {
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        },
    ))
}

/// An empty line to fill in.
fn blank(kind: KubeletKind) -> KubeletLine {
    KubeletLine {
        line: 0,
        kind,
        namespace: None,
        pod: None,
        pod_uid: None,
        container: None,
        container_id: None,
        host: None,
        time: WallTime::None,
        text: String::new(),
    }
}

/// `structured-message = quoted-string *( SP key-value )` (klog `InfoS`).
fn structured_message(input: &str) -> IResult<&str, KubeletLine> {
    let (rest, msg) = quoted_string(input)?;
    let (rest, pairs) = key_values(rest)?;
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    };
    match structured(&msg, get) {
        Some(found) => Ok((rest, found)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        ))),
    }
}

/// The evidence in a structured message `msg` whose values `get` returns
/// (klog text or JSON).
fn structured<'a>(msg: &str, get: impl Fn(&str) -> Option<&'a str> + Copy) -> Option<KubeletLine> {
    let mut found = match msg {
        "Probe failed" | "Probe errored" => {
            let probe = get("probeType").and_then(Probe::parse)?;
            let errored = msg == "Probe errored";
            let result = get("probeResult").or(if errored { Some("error") } else { None });
            let output = get("output").or(get("err")).map(str::to_string);
            blank(KubeletKind::ProbeFailure {
                probe,
                result: result.map(str::to_string),
                output,
            })
        }
        "SyncLoop (probe)" if get("status") == Some("unhealthy") => {
            let probe = get("probe").and_then(Probe::parse)?;
            blank(KubeletKind::ProbeFailure {
                probe,
                result: Some("unhealthy".into()),
                output: None,
            })
        }
        "Message for Container of pod" => {
            let probe = get("containerMessage").and_then(probe_restart)?;
            blank(KubeletKind::ProbeRestart { probe })
        }
        m if m.starts_with("Killing container with a grace period") => {
            blank(KubeletKind::Killing {
                grace_period: get("gracePeriod").and_then(|g| g.parse().ok()),
            })
        }
        "Evicting pod" | "Eviction manager: pod is evicted successfully" => {
            eviction(get("message"))
        }
        "SyncLoop (PLEG): event for pod" => {
            let event = get("event")?;
            let (uid, kind, data) = pleg_event(event)?;
            if kind != "ContainerDied" {
                return None;
            }
            let mut found = blank(KubeletKind::ContainerDied);
            found.pod_uid = Some(uid.to_string());
            found.container_id = Some(data.to_string());
            found
        }
        "Event occurred" => event_occurred(get)?,
        _ => return None,
    };
    if let Some((ns, name)) = get("pod").or(get("object")).and_then(|p| p.split_once('/')) {
        found.namespace = Some(ns.to_string());
        found.pod = Some(name.to_string());
    }
    if let Some(uid) = get("podUID") {
        found.pod_uid = Some(uid.to_string());
    }
    if let Some(name) = get("containerName") {
        found.container = Some(name.to_string());
    }
    if let Some(id) = get("containerID") {
        found.container_id = Some(bare_id(id).to_string());
    }
    Some(found)
}

/// A client-go `"Event occurred"` line: `reason` and `message` as in an
/// event, the container from `fieldPath="spec.containers{app}"`.
fn event_occurred<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<KubeletLine> {
    let message = get("message").or(get("note")).unwrap_or("");
    let mut found = match get("reason")? {
        "Unhealthy" => {
            let (word, output) = message.split_once(" probe failed: ")?;
            let probe = Probe::parse(word)?;
            blank(KubeletKind::ProbeFailure {
                probe,
                result: Some("failure".into()),
                output: Some(output.to_string()),
            })
        }
        "Killing" => match probe_restart(message) {
            Some(probe) => blank(KubeletKind::ProbeRestart { probe }),
            None => blank(KubeletKind::Killing { grace_period: None }),
        },
        "Evicted" => eviction(Some(message)),
        "SystemOOM" | "OOMKilling" => system_oom(message),
        _ => return None,
    };
    found.container = get("fieldPath")
        .and_then(field_path_container)
        .map(str::to_string);
    Some(found)
}

/// `spec.containers{app}` / `spec.initContainers{init}` → the name.
fn field_path_container(path: &str) -> Option<&str> {
    let (_, rest) = path.split_once('{')?;
    rest.strip_suffix('}')
}

/// `Container <ctr> failed <probe> probe, will be restarted` → the probe.
fn probe_restart(message: &str) -> Option<Probe> {
    let rest = message.strip_prefix("Container ")?;
    let (_, rest) = rest.split_once(" failed ")?;
    let (word, tail) = rest.split_once(" probe")?;
    tail.contains("will be restarted").then_some(())?;
    Probe::parse(word)
}

/// `System OOM encountered, victim process: java, pid: 4242` (and NPD's
/// `Memory cgroup out of memory: Killed process 4242 (java) …`).
fn system_oom(message: &str) -> KubeletLine {
    if let Some(super::kernel::KernelLine::Killed { pid, comm, .. }) =
        super::kernel::kernel_line(message)
    {
        return blank(KubeletKind::Oom {
            pid: Some(pid),
            process: Some(comm.to_string()),
        });
    }
    let process = message
        .split_once("victim process: ")
        .map(|(_, r)| r.split(',').next().unwrap_or(r).trim().to_string());
    let pid = message
        .split_once("pid: ")
        .and_then(|(_, r)| r.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok());
    blank(KubeletKind::Oom { pid, process })
}

/// An eviction with what its message says.
fn eviction(message: Option<&str>) -> KubeletLine {
    let (resource, usage) = message.map(eviction_message).unwrap_or_default();
    blank(KubeletKind::Eviction {
        resource,
        message: message.map(str::to_string),
        usage,
    })
}

/// `eviction-message = "The node was low on resource: " resource ". "
/// [ threshold ] *container-usage` (kubernetes `pkg/kubelet/eviction/helpers.go`).
pub fn eviction_message(message: &str) -> (Option<String>, Vec<ContainerUsage>) {
    let resource = message
        .split_once("The node was low on resource: ")
        .map(|(_, r)| {
            r.split(". ")
                .next()
                .unwrap_or(r)
                .trim_end_matches('.')
                .to_string()
        });
    let mut usage = Vec::new();
    let mut rest = message;
    while let Some(at) = rest.find("Container ") {
        rest = &rest[at..];
        match container_usage(rest) {
            Ok((after, found)) => {
                usage.push(found);
                rest = after;
            }
            Err(_) => rest = &rest["Container ".len()..],
        }
    }
    (resource, usage)
}

/// `container-usage = "Container " name " was using " quantity ( ", which
/// exceeds its request of " quantity / ", request is " quantity ", has
/// larger consumption of " resource ) "."`
pub fn container_usage(input: &str) -> IResult<&str, ContainerUsage> {
    let word = || take_till(|c: char| c == ' ' || c == ',');
    let (rest, (_, container, _, usage)) =
        (tag("Container "), word(), tag(" was using "), word()).parse(input)?;
    let (rest, request) = alt((
        delimited(
            tag(", which exceeds its request of "),
            take_till(|c: char| c == ' '),
            space0,
        )
        .map(|q: &str| q.trim_end_matches('.')),
        delimited(
            tag(", request is "),
            word(),
            (
                tag(", has larger consumption of "),
                take_till(|c: char| c == ' '),
                space0,
            ),
        ),
    ))
    .parse(rest)?;
    Ok((
        rest,
        ContainerUsage {
            container: container.to_string(),
            usage: usage.to_string(),
            request: Some(request.to_string()).filter(|r| !r.is_empty()),
        },
    ))
}

/// `&{ID:<uid> Type:ContainerDied Data:<id>}` or the JSON form
/// `{"ID":"<uid>","Type":"ContainerDied","Data":"<id>"}`.
fn pleg_event(event: &str) -> Option<(&str, &str, &str)> {
    let body = event
        .trim_start_matches('&')
        .strip_prefix('{')?
        .strip_suffix('}')?;
    let mut id = None;
    let mut kind = None;
    let mut data = None;
    for item in body.split([' ', ',']) {
        let Some((k, v)) = item.split_once(':') else {
            continue;
        };
        let v = v.trim_matches('"');
        match k.trim_matches('"') {
            "ID" => id = Some(v),
            "Type" => kind = Some(v),
            "Data" => data = Some(v),
            _ => {}
        }
    }
    Some((id?, kind?, data?))
}

/// `containerd://abc` → `abc`.
fn bare_id(id: &str) -> &str {
    id.split_once("://").map_or(id, |(_, bare)| bare)
}

/// `plain-message`: the printf-style lines of kubelets before structured
/// logging (≤ 1.19).
fn plain_message(input: &str) -> IResult<&str, KubeletLine> {
    alt((old_probe_line, old_killing_line, old_eviction_line)).parse(input)
}

/// `old-probe-line = probe-word " probe for " DQUOTE pod-full-name ":"
/// container DQUOTE ( " failed (" result "): " output / " errored: " output )`
fn old_probe_line(input: &str) -> IResult<&str, KubeletLine> {
    let (rest, (word, _, target)) = (
        take_while1(|c: char| c.is_ascii_alphabetic()),
        tag(" probe for "),
        quoted_string,
    )
        .parse(input)?;
    let probe = Probe::parse(word).ok_or_else(|| {
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify))
    })?;
    let (rest, result) = alt((
        delimited(tag(" failed ("), take_till(|c| c == ')'), tag("): ")).map(Some),
        tag(" errored: ").map(|_| Some("error")),
    ))
    .parse(rest)?;
    let (pod, container) = match target.rsplit_once(':') {
        Some((pod, container)) => (pod, Some(container)),
        None => (target.as_str(), None),
    };
    let mut found = blank(KubeletKind::ProbeFailure {
        probe,
        result: result.map(str::to_string),
        output: Some(rest.trim_end().to_string()),
    });
    set_pod_full_name(&mut found, pod);
    found.container = container.map(str::to_string);
    Ok(("", found))
}

/// `old-killing-line = "Killing container " DQUOTE container-id DQUOTE
/// [ "," ] " with " 1*DIGIT " second grace period"`
fn old_killing_line(input: &str) -> IResult<&str, KubeletLine> {
    let (rest, (_, id, _, grace, _)) = (
        tag("Killing container "),
        quoted_string,
        tag(" with "),
        map_res(digit1, str::parse::<i64>),
        tag(" second grace period"),
    )
        .parse(input)?;
    let mut found = blank(KubeletKind::Killing {
        grace_period: Some(grace),
    });
    found.container_id = Some(bare_id(&id).to_string()).filter(|i| !i.is_empty());
    Ok((rest, found))
}

/// `old-eviction-line = "eviction manager: pod " pod-full-name " is evicted successfully"`
fn old_eviction_line(input: &str) -> IResult<&str, KubeletLine> {
    let (rest, (_, pod, _)) = (
        tag("eviction manager: pod "),
        take_till(|c| c == ' '),
        tag(" is evicted successfully"),
    )
        .parse(input)?;
    let mut found = eviction(None);
    set_pod_full_name(&mut found, pod);
    Ok((rest, found))
}

/// `pod-full-name = pod "_" namespace [ "(" uid ")" ]` (`format.Pod`):
/// neither name may hold `_`. Returns (pod, namespace, uid).
fn pod_full_name(full: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let (names, uid) = match full.strip_suffix(')').and_then(|f| f.split_once('(')) {
        Some((names, uid)) => (names, Some(uid)),
        None => (full, None),
    };
    match names.split_once('_') {
        Some((pod, ns)) => (Some(pod), Some(ns), uid),
        None => (None, None, uid),
    }
}

/// Fills pod, namespace and UID from a `pod-full-name`.
fn set_pod_full_name(found: &mut KubeletLine, full: &str) {
    let (pod, namespace, uid) = pod_full_name(full);
    found.pod = pod.map(str::to_string);
    found.namespace = namespace.map(str::to_string);
    found.pod_uid = uid.map(str::to_string);
}

/// `key-values = *( 1*SP key "=" value )`; stops at the first item that is
/// not one.
pub fn key_values(mut input: &str) -> IResult<&str, Vec<(&str, String)>> {
    let mut pairs = Vec::new();
    while let Ok((rest, pair)) = (
        space1::<&str, nom::error::Error<&str>>,
        terminated(key, char('=')),
        value,
    )
        .parse(input)
    {
        pairs.push((pair.1, pair.2));
        input = rest;
    }
    Ok((input, pairs))
}

/// `key = 1*( ALPHA / DIGIT / "_" / "." / "-" )`
fn key(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')).parse(input)
}

/// `value = quoted-string / "<" / bracketed / bare`; a lone `<` opens a
/// multi-line value (its lines follow, indented, up to ` >`).
fn value(input: &str) -> IResult<&str, String> {
    if input.starts_with('"') {
        return quoted_string(input);
    }
    if input == "<" || input.starts_with("< ") {
        return Ok((&input[1..], "<".to_string()));
    }
    if input.starts_with(['[', '{', '&']) {
        return bracketed(input).map(|(rest, v)| (rest, v.to_string()));
    }
    take_while1(|c: char| c != ' ')
        .map(str::to_string)
        .parse(input)
}

/// `bracketed = [ "&" ] ( "[" … "]" / "{" … "}" )`, nesting balanced
/// (klog prints slices and structs with spaces inside).
fn bracketed(input: &str) -> IResult<&str, &str> {
    let mut depth = 0usize;
    for (i, c) in input.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok((&input[i + 1..], &input[..=i]));
                }
            }
            ' ' if depth == 0 => break,
            _ => {}
        }
    }
    // Unbalanced (a cut line): the rest of the word.
    take_while1(|c: char| c != ' ').parse(input)
}

/// `quoted-string = DQUOTE *( escape / %x20-21 / %x23-5B / %x5D-10FFFF ) DQUOTE`,
/// Go's `strconv.Quote` escapes (`\"`, `\\`, `\n`, `\t`, `\xNN`, `\uNNNN` …).
pub fn quoted_string(input: &str) -> IResult<&str, String> {
    let (mut rest, _) = char('"').parse(input)?;
    let mut out = String::new();
    loop {
        let mut chars = rest.chars();
        match chars.next() {
            None => {
                return Err(nom::Err::Error(nom::error::Error::new(
                    input,
                    nom::error::ErrorKind::Char,
                )));
            }
            Some('"') => return Ok((chars.as_str(), out)),
            Some('\\') => {
                let (after, c) = escape(chars.as_str());
                out.extend(c);
                rest = after;
            }
            Some(c) => {
                out.push(c);
                rest = chars.as_str();
            }
        }
    }
}

/// One escape after `\`: the character it stands for (none for an
/// invalid one, which is dropped).
fn escape(input: &str) -> (&str, Option<char>) {
    let mut chars = input.chars();
    let Some(c) = chars.next() else {
        return (input, None);
    };
    let rest = chars.as_str();
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\\' | '"' | '\'' => Some(c),
        _ => None,
    };
    if simple.is_some() {
        return (rest, simple);
    }
    let width = match c {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return (rest, None),
    };
    match rest
        .get(..width)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
    {
        Some(code) => (&rest[width..], char::from_u32(code)),
        None => (rest, None),
    }
}

#[cfg(test)]
mod tests;
