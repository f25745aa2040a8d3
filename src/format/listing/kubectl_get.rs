//! `kubectl get pods` / `oc get pods` tables (`source.format`
//! `kubectl-get-pods`): with or without `-A` (NAMESPACE column), `-o wide`
//! (IP, NODE, NOMINATED NODE, READINESS GATES), `-w` watch output, old
//! (`5`) and new (`5 (2m ago)`) RESTARTS. Grammar: `grammar/kubectl-get-pods.abnf`.
//!
//! A row is a pod, not a container: `container` is null and the STATUS column
//! — kubectl's summary of the pod (kubernetes `printPod`, input-formats §4.5)
//! — becomes the state:
//!
//! - phase words `Running`, `Pending`, `Succeeded`, `Failed`, `Unknown` are
//!   the pod's phase (`pod_phase`), not a container reason: `state.reason`
//!   stays null;
//! - every other word is kept as printed in `state.reason` (`CrashLoopBackOff`,
//!   `Init:OOMKilled`, `ExitCode:2`); `Init:…` rows are `container_type`
//!   `init`; the codes in `ExitCode:N` / `Signal:N` go to `exit_code` /
//!   `signal`;
//! - pod-level reasons (`Evicted`, `NodeLost`, `Shutdown`, `DeadlineExceeded`,
//!   admission failures) also go to `pod_reason`;
//! - `status` follows what kubectl took the word from: a waiting reason →
//!   `waiting`, a terminated reason or code → `terminated`; kubectl's own
//!   word `NotReady` means containers still run → `running`; `Terminating`
//!   (the pod is being deleted) leaves their state unknown and says so.
//!
//! READY `a/b` gives `ready` true iff `a == b` and `b > 0`: a pod with no
//! containers counted is not called ready.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_till1, take_while1},
    character::complete::{char, digit1, space1},
    combinator::{all_consuming, map, map_res, opt, recognize},
    multi::many1,
    sequence::{delimited, preceded, separated_pair},
};

use super::{self as listing, Layout, Line, RowOutcome};
use crate::format::{Chunk, Diagnostic, Parsed};
use crate::model::{ContainerType, Observation, SourceFormat, State, Status};

/// Parses one chunk: every `kubectl get pods` table in it, headerless rows
/// and any `docker ps` table beside them (see `format::listing`).
///
/// ```
/// use exitparse::format::{Chunk, kubectl_get};
/// let text = b"NAME   READY   STATUS      RESTARTS      AGE\n\
///              web    0/1     OOMKilled   4 (47s ago)   5m\n";
/// let parsed = kubectl_get::parse(Chunk::whole(text));
/// assert_eq!(parsed.observations[0].restart_count, Some(4));
/// ```
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    listing::parse(chunk)
}

/// True for the header line of a pod table: `NAME` first (after `NAMESPACE`
/// with `-A`), with READY, STATUS and RESTARTS, every word in capitals
/// (deployments print READY too, but no STATUS/RESTARTS).
pub fn is_header(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let unquoted = listing::unquote(text);
    let text = unquoted.as_deref().unwrap_or(text);
    if !text.contains("RESTARTS") {
        return false;
    }
    let layout = Layout::from_header(text);
    let names: Vec<&str> = layout.names().collect();
    // `--output-watch-events` puts an EVENT column first.
    let names = match names.first() {
        Some(&"EVENT") => &names[1..],
        _ => &names[..],
    };
    let name_first = match names.first() {
        Some(&"NAME") => true,
        Some(&"NAMESPACE") => names.get(1) == Some(&"NAME"),
        _ => false,
    };
    name_first
        && ["READY", "STATUS", "RESTARTS"]
            .iter()
            .all(|c| names.contains(c))
        && names.iter().all(|n| listing::header_word(n))
}

/// True for a listing row whose header is not in the paste (`kubectl get
/// pods | grep api`, `--no-headers`, a cut header): a pod row
/// `[namespace] name a/b STATUS restarts age [ip node …]`, every part in its
/// own shape so that prose does not pass — or a `docker ps` row (ID, image,
/// `… ago`, STATUS), which this parser reads too.
pub fn is_headerless_row(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let unquoted = listing::unquote(text);
    let text = unquoted.as_deref().unwrap_or(text);
    headerless_cells(text).is_some() || super::docker_ps::is_headerless_row(text)
}

/// A STATUS word read by its grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// `Init:N/M`: init container N of M is running or waiting.
    Progress(u32, u32),
    /// `ExitCode:N`: terminated without a reason.
    ExitCode(i64),
    /// `Signal:N`: killed by signal N, no reason.
    Signal(i64),
    /// Any reason or phase word.
    Word(String),
}

/// A parsed STATUS cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PodStatus {
    /// `Init:` prefix: the state of an init container.
    pub init: bool,
    pub form: Form,
}

/// `pod-status = init-status / exit-code-status / signal-status / status-word`
pub(crate) fn pod_status(i: &str) -> IResult<&str, PodStatus> {
    alt((
        init_status,
        map(exit_code_status, |c| PodStatus {
            init: false,
            form: Form::ExitCode(c),
        }),
        map(signal_status, |s| PodStatus {
            init: false,
            form: Form::Signal(s),
        }),
        map(status_word, |w| PodStatus {
            init: false,
            form: Form::Word(w.to_string()),
        }),
    ))
    .parse(i)
}

/// `init-status = "Init:" (init-progress / exit-code-status / signal-status / status-word)`
fn init_status(i: &str) -> IResult<&str, PodStatus> {
    let (i, form) = preceded(
        tag("Init:"),
        alt((
            map(init_progress, |(a, b)| Form::Progress(a, b)),
            map(exit_code_status, Form::ExitCode),
            map(signal_status, Form::Signal),
            map(status_word, |w| Form::Word(w.to_string())),
        )),
    )
    .parse(i)?;
    Ok((i, PodStatus { init: true, form }))
}

/// `init-progress = 1*DIGIT "/" 1*DIGIT`
fn init_progress(i: &str) -> IResult<&str, (u32, u32)> {
    separated_pair(number, char('/'), number).parse(i)
}

/// `exit-code-status = "ExitCode:" ["-"] 1*DIGIT`
fn exit_code_status(i: &str) -> IResult<&str, i64> {
    preceded(tag("ExitCode:"), signed).parse(i)
}

/// `signal-status = "Signal:" 1*DIGIT`
fn signal_status(i: &str) -> IResult<&str, i64> {
    preceded(tag("Signal:"), signed).parse(i)
}

/// `status-word = ALPHA *(ALPHA / DIGIT / ":" / "-" / "_" / ".")`
fn status_word(i: &str) -> IResult<&str, &str> {
    recognize((
        take_while1(|c: char| c.is_ascii_alphabetic()),
        opt(take_while1(|c: char| {
            c.is_ascii_alphanumeric() || ":-_.".contains(c)
        })),
    ))
    .parse(i)
}

/// `ready = 1*DIGIT "/" 1*DIGIT`
pub(crate) fn ready(i: &str) -> IResult<&str, (u32, u32)> {
    separated_pair(number, char('/'), number).parse(i)
}

/// `restarts = 1*DIGIT [SP "(" last-restart ")"]` — kubectl 1.22+ adds the
/// age of the last restart: `4 (47s ago)`.
pub(crate) fn restarts(i: &str) -> IResult<&str, i64> {
    let (i, n) = map_res(digit1, str::parse::<i64>).parse(i)?;
    let (i, _) = opt(preceded(
        space1,
        delimited(char('('), take_till1(|c| c == ')'), char(')')),
    ))
    .parse(i)?;
    Ok((i, n))
}

/// `age = 1*(1*DIGIT ("s" / "m" / "h" / "d" / "y")) / "<invalid>" / "<unknown>"`
pub(crate) fn age(i: &str) -> IResult<&str, &str> {
    alt((
        recognize(many1((digit1, take_while1(|c: char| "smhdy".contains(c))))),
        tag("<invalid>"),
        tag("<unknown>"),
    ))
    .parse(i)
}

fn number(i: &str) -> IResult<&str, u32> {
    map_res(digit1, str::parse::<u32>).parse(i)
}

fn signed(i: &str) -> IResult<&str, i64> {
    map_res(recognize((opt(char('-')), digit1)), str::parse::<i64>).parse(i)
}

/// True when all of `s` is one `p`.
fn whole<'a, O>(
    p: impl Parser<&'a str, Output = O, Error = nom::error::Error<&'a str>>,
    s: &'a str,
) -> Option<O> {
    all_consuming(p).parse(s).ok().map(|(_, v)| v)
}

/// Waiting reasons of kubelet and the runtimes (input-formats §4.2).
const WAITING: &[&str] = &[
    "ContainerCreating",
    "PodInitializing",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ErrImageNeverPull",
    "InvalidImageName",
    "ImageInspectError",
    "RegistryUnavailable",
    "SignatureValidationFailed",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "PreCreateHookError",
    "PreStartHookError",
    "PostStartHookError",
    "SchedulingGated",
    "ContainersNotInitialized",
    "ContainersNotReady",
];

/// Terminated reasons (input-formats §4.1).
const TERMINATED: &[&str] = &[
    "Completed",
    "Error",
    "OOMKilled",
    "ContainerCannotRun",
    "StartError",
    "ContainerStatusUnknown",
    "DeadlineExceeded",
];

/// Pod `status.reason` values that kubectl shows when no container reason
/// overrides them; the pod failed (or, for NodeLost, its state is unknown).
const POD_REASONS: &[&str] = &[
    "Evicted",
    "NodeLost",
    "Shutdown",
    "NodeShutdown",
    "Terminated",
    "DeadlineExceeded",
    "UnexpectedAdmissionError",
    "NodeAffinity",
    "Preempting",
    "InvalidNodeInfo",
    "SysctlForbidden",
    "AppArmor",
];

/// The status a STATUS word stands for.
fn word_status(w: &str) -> Status {
    match w {
        "Running" | "NotReady" => Status::Running,
        // The pod is being deleted: what its containers do is not in the row.
        "Terminating" => Status::Unknown,
        "Pending" => Status::Waiting,
        "Succeeded" | "Failed" => Status::Terminated,
        "Unknown" | "NodeLost" => Status::Unknown,
        _ if WAITING.contains(&w) => Status::Waiting,
        _ if TERMINATED.contains(&w) => Status::Terminated,
        _ if is_pod_reason(w) => Status::Terminated,
        // Unlisted kubelet/runtime waiting reasons follow these shapes
        // (`…BackOff`, `Err…`, `…Error` other than plain `Error`).
        _ if w.ends_with("BackOff")
            || w.starts_with("Err")
            || (w.ends_with("Error") && w != "Error")
            || w.ends_with("Creating")
            || w.ends_with("Initializing") =>
        {
            Status::Waiting
        }
        _ => Status::Unknown,
    }
}

/// Admission failures print as `OutOfcpu`, `OutOfmemory`, `OutOfpods` …
fn is_pod_reason(w: &str) -> bool {
    POD_REASONS.contains(&w) || w.starts_with("OutOf")
}

const PHASES: &[&str] = &["Pending", "Running", "Succeeded", "Failed", "Unknown"];

/// Evidence (and a sentence of the summary) for a `Terminating` row.
const TERMINATING: &str =
    "note: the pod is being deleted (Terminating); its containers' state is not known from the row";

/// Fills state, type, phase and pod reason from a STATUS cell.
fn apply_status(text: &str, obs: &mut Observation) -> bool {
    let Some(st) = whole(pod_status, text) else {
        // Not in the grammar (a reason with odd characters): keep it as the
        // reason, status unknown.
        obs.state = State::new(Status::Unknown);
        obs.state.reason = Some(text.to_string());
        return false;
    };
    let mut state = State::default();
    match &st.form {
        Form::Progress(..) => state.status = Status::Waiting,
        Form::ExitCode(c) => {
            state.status = Status::Terminated;
            state.exit_code = Some(*c);
        }
        Form::Signal(s) => {
            state.status = Status::Terminated;
            state.signal = Some(*s);
        }
        Form::Word(w) => {
            state.status = word_status(w);
            if !st.init && PHASES.contains(&w.as_str()) {
                obs.pod_phase = Some(w.clone());
            }
            if !st.init && is_pod_reason(w) {
                obs.pod_reason = Some(w.clone());
            }
            if w == "Terminating" {
                obs.evidence.push(TERMINATING.to_string());
            }
        }
    }
    if obs.pod_phase.is_none() {
        state.reason = Some(text.to_string());
    }
    if st.init {
        obs.container_type = ContainerType::Init;
    }
    obs.state = state;
    true
}

/// The cells of one row that matter.
#[derive(Debug, Default)]
struct Cells {
    namespace: Option<String>,
    name: Option<String>,
    ready: Option<String>,
    status: Option<String>,
    restarts: Option<String>,
    age: Option<String>,
    node: Option<String>,
    /// Standard columns the row lacks (it was cut, or columns were elided).
    missing: Vec<String>,
    /// The row's last non-empty cell.
    last: String,
}

const STANDARD: &[&str] = &[
    "NAMESPACE",
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "IP",
    "NODE",
    "NOMINATED NODE",
    "READINESS GATES",
];

impl Cells {
    fn set(&mut self, column: &str, value: String) {
        if !value.is_empty() {
            self.last.clone_from(&value);
        }
        if value.is_empty() {
            if STANDARD.contains(&column) {
                self.missing.push(column.to_string());
            }
            return;
        }
        match column {
            "NAMESPACE" => self.namespace = Some(value),
            "NAME" => self.name = Some(value),
            "READY" => self.ready = Some(value),
            "STATUS" => self.status = Some(value),
            "RESTARTS" => self.restarts = Some(value),
            "AGE" => self.age = Some(value),
            "NODE" => self.node = Some(value),
            _ => {}
        }
    }

    /// The cells hold a pod row: a name, READY `a/b`, one-word STATUS,
    /// RESTARTS in its grammar (each when present).
    fn valid(&self) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| !n.contains(char::is_whitespace))
            && self
                .ready
                .as_deref()
                .is_some_and(|r| whole(ready, r).is_some())
            && self
                .status
                .as_deref()
                .is_none_or(|s| whole(pod_status, s).is_some())
            && self
                .restarts
                .as_deref()
                .is_none_or(|r| whole(restarts, r).is_some())
    }
}

/// Cells by the header's positions.
fn by_position(layout: &Layout, text: &str) -> Option<Cells> {
    let mut cells = Cells::default();
    for (col, cell) in layout.columns.iter().zip(layout.cells_aligned(text)?) {
        cells.set(&col.name, cell);
    }
    cells.valid().then_some(cells)
}

/// Cells by words, in header order: for rows not aligned with their header
/// (`-w` output, re-spaced pastes). RESTARTS takes its `(… ago)` words.
fn by_tokens(layout: &Layout, text: &str) -> Cells {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut cells = Cells::default();
    let mut at = 0;
    for col in &layout.columns {
        let Some(w) = words.get(at) else {
            cells.set(&col.name, String::new());
            continue;
        };
        let mut value = w.to_string();
        at += 1;
        if col.name == "RESTARTS" && words.get(at).is_some_and(|n| n.starts_with('(')) {
            while let Some(n) = words.get(at) {
                value.push(' ');
                value.push_str(n);
                at += 1;
                if n.ends_with(')') {
                    break;
                }
            }
        }
        cells.set(&col.name, value);
    }
    cells
}

/// True for a DNS-1123 name as pods have (lowercase, digits, `-`, `.`), with
/// kubectl's optional `pod/` kind prefix.
fn pod_name(s: &str) -> bool {
    let s = s.strip_prefix("pod/").unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// Reads one line below a pod table header.
pub(crate) fn row(layout: &Layout, line: &Line<'_>, namespace: Option<&str>) -> RowOutcome {
    let text = line.text.as_ref();
    let mut words = text.split_whitespace();
    let mut first = words.next().unwrap_or_default();
    // `--output-watch-events`: ADDED, MODIFIED, DELETED before the name.
    let event = layout.columns.first().is_some_and(|c| c.name == "EVENT");
    if event {
        if !matches!(
            first,
            "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR"
        ) {
            return RowOutcome::NotARow;
        }
        first = words.next().unwrap_or_default();
    }
    // Rows open with a namespace or a pod name, both DNS names.
    if !pod_name(first) {
        return RowOutcome::NotARow;
    }
    let cells = match by_position(layout, text) {
        Some(c) => c,
        None => by_tokens(layout, text),
    };
    let ready_ok = cells
        .ready
        .as_deref()
        .is_some_and(|r| whole(ready, r).is_some());
    if !ready_ok {
        // A lone name on the paste's last, unterminated line is a row cut
        // before READY; anything else without READY is not a row.
        if !line.terminated && row_prefix(layout, text) {
            // The paste ends inside this row. With only its first word there
            // is nothing sure to keep (the word may itself be cut).
            // (A lone word without `-` or a digit is more likely prose.)
            if text.split_whitespace().nth(1).is_none() {
                if !first.contains(|c: char| c == '-' || c.is_ascii_digit()) {
                    return RowOutcome::NotARow;
                }
                return RowOutcome::Cut(Diagnostic::error(
                    line.number,
                    "kubectl get pods row cut short",
                ));
            }
            let mut outcome = finish_row(cells, line, namespace);
            if let RowOutcome::Row(_, diags) = &mut outcome {
                if diags.is_empty() {
                    diags.push(Diagnostic::error(
                        line.number,
                        "kubectl get pods row cut short: no READY",
                    ));
                }
            }
            return outcome;
        }
        // A line under the header's columns with every cell of a row but a
        // READY that is not `a/b` is a damaged row, not prose: say so.
        return match misread_row(layout, text) {
            Some(cells) => {
                let ready = cells.ready.clone().unwrap_or_default();
                let mut outcome = finish_row(cells, line, namespace);
                if let RowOutcome::Row(_, diags) = &mut outcome {
                    diags.push(Diagnostic::error(
                        line.number,
                        format!("unreadable kubectl READY {ready:?}"),
                    ));
                }
                outcome
            }
            None => RowOutcome::NotARow,
        };
    }
    finish_row(cells, line, namespace)
}

/// True when the words of a line are, column by column, the start of a pod
/// row (a paste cut inside a row), so a last line of prose is not taken for one.
fn row_prefix(layout: &Layout, text: &str) -> bool {
    let mut words = text.split_whitespace().peekable();
    for col in &layout.columns {
        let Some(w) = words.next() else {
            return true;
        };
        let fits = match col.name.as_str() {
            "NAMESPACE" | "NAME" => pod_name(w),
            "READY" => {
                let (a, b) = w.split_once('/').unwrap_or((w, ""));
                !a.is_empty() && (a.bytes().chain(b.bytes())).all(|c| c.is_ascii_digit())
            }
            "STATUS" => w.starts_with(|c: char| c.is_ascii_uppercase()),
            "RESTARTS" => {
                while words.peek().is_some_and(|n| n.starts_with('(')) {
                    words.next();
                }
                w.bytes().all(|c| c.is_ascii_digit())
            }
            _ => true,
        };
        if !fits {
            return false;
        }
    }
    true
}

/// The cells of a line that sits under the header's columns with a one-word
/// NAME, READY, STATUS and RESTARTS, whatever they say.
fn misread_row(layout: &Layout, text: &str) -> Option<Cells> {
    let mut cells = Cells::default();
    for (col, cell) in layout.columns.iter().zip(layout.cells_aligned(text)?) {
        cells.set(&col.name, cell);
    }
    let one_word = |c: &Option<String>| {
        c.as_deref()
            .is_some_and(|s| !s.is_empty() && !s.contains(char::is_whitespace))
    };
    (one_word(&cells.name) && one_word(&cells.ready) && one_word(&cells.status)).then_some(())?;
    cells.restarts.as_deref().and_then(|r| whole(restarts, r))?;
    Some(cells)
}

/// Builds the observation of a row and its diagnostics.
fn finish_row(cells: Cells, line: &Line<'_>, namespace: Option<&str>) -> RowOutcome {
    let mut obs = Observation {
        line: line.number,
        offset: line.offset,
        format: Some(SourceFormat::KubectlGetPods),
        pod: cells
            .name
            .as_deref()
            .map(|n| n.strip_prefix("pod/").unwrap_or(n).to_string()),
        namespace: cells
            .namespace
            .clone()
            .or_else(|| namespace.map(str::to_string)),
        node: cells.node.clone().filter(|n| n != "<none>"),
        ..Observation::default()
    };
    if let Some((a, b)) = cells.ready.as_deref().and_then(|r| whole(ready, r)) {
        obs.ready = Some(a == b && b > 0);
    }
    let mut diags = Vec::new();
    if let Some(r) = cells.restarts.as_deref() {
        // A row cut inside `4 (47s ago)` still tells the count.
        let cut_count = (!line.terminated)
            .then(|| restarts(r).ok().map(|(_, n)| n))
            .flatten();
        match whole(restarts, r).or(cut_count) {
            Some(n) => obs.restart_count = Some(n),
            None => diags.push(Diagnostic::error(
                line.number,
                format!("unreadable kubectl RESTARTS {r:?}"),
            )),
        }
    }
    match cells.status.as_deref() {
        Some(s) => {
            if !apply_status(s, &mut obs) {
                diags.push(Diagnostic::error(
                    line.number,
                    format!("unreadable kubectl STATUS {s:?}"),
                ));
            }
            obs.evidence.push(format!("listing STATUS={s}"));
        }
        None => obs.state = State::new(Status::Unknown),
    }
    if let Some(r) = &cells.ready {
        obs.evidence.push(format!("listing READY={r}"));
    }
    // On the paste's unterminated last line an AGE like `4` (of `47s`) or a
    // `<non` (of `<none>`) in the last cell is cut.
    if !line.terminated && cells.missing.is_empty() {
        if cells
            .age
            .as_deref()
            .is_some_and(|a| whole(age, a).is_none())
        {
            diags.push(Diagnostic::error(
                line.number,
                "kubectl get pods row cut short in AGE",
            ));
        } else if cells.last.starts_with('<') && !cells.last.ends_with('>') {
            diags.push(Diagnostic::error(
                line.number,
                "kubectl get pods row cut short",
            ));
        }
    }
    if let Some(col) = cells.missing.first() {
        let msg = if !line.terminated {
            format!("kubectl get pods row cut short: no {col}")
        } else if cells.status.is_none() || col == "READY" {
            format!("kubectl get pods row without {col}")
        } else {
            String::new()
        };
        if !msg.is_empty() {
            diags.push(Diagnostic::error(line.number, msg));
        }
    }
    obs.finish();
    RowOutcome::Row(Box::new(obs), diags)
}

/// The cells of a headerless row, when every part has its shape.
fn headerless_cells(text: &str) -> Option<Cells> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let ready_at = (1..=2).find(|&i| words.get(i).is_some_and(|w| whole(ready, w).is_some()))?;
    let mut cells = Cells::default();
    if ready_at == 2 {
        cells.namespace = Some(words[0].to_string());
    }
    let name = words[ready_at - 1];
    if !pod_name(name) || !cells.namespace.as_deref().is_none_or(pod_name) {
        return None;
    }
    cells.name = Some(name.to_string());
    cells.ready = Some(words[ready_at].to_string());
    let status = *words.get(ready_at + 1)?;
    whole(pod_status, status)?;
    if !status.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    cells.status = Some(status.to_string());
    let mut at = ready_at + 2;
    let mut r = words.get(at)?.to_string();
    at += 1;
    if words.get(at).is_some_and(|w| w.starts_with('(')) {
        while let Some(w) = words.get(at) {
            r.push(' ');
            r.push_str(w);
            at += 1;
            if w.ends_with(')') {
                break;
            }
        }
    }
    whole(restarts, &r)?;
    cells.restarts = Some(r);
    let a = words.get(at)?;
    whole(age, a)?;
    cells.age = Some(a.to_string());
    // `-o wide`: IP then NODE.
    if let Some(node) = words.get(at + 2) {
        cells.node = Some(node.to_string());
    }
    Some(cells)
}

/// Reads a pod row that has no header above it.
pub(crate) fn headerless_row(line: &Line<'_>, namespace: Option<&str>) -> RowOutcome {
    match headerless_cells(&line.text) {
        Some(cells) => finish_row(cells, line, namespace),
        None => RowOutcome::NotARow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(s: &str) -> Observation {
        let mut o = Observation::default();
        apply_status(s, &mut o);
        o
    }

    #[test]
    fn pod_status_forms() {
        assert_eq!(
            pod_status("Init:ExitCode:3"),
            Ok((
                "",
                PodStatus {
                    init: true,
                    form: Form::ExitCode(3)
                }
            ))
        );
        assert_eq!(
            pod_status("Init:0/2"),
            Ok((
                "",
                PodStatus {
                    init: true,
                    form: Form::Progress(0, 2)
                }
            ))
        );
        assert_eq!(
            pod_status("Signal:9"),
            Ok((
                "",
                PodStatus {
                    init: false,
                    form: Form::Signal(9)
                }
            ))
        );
        assert_eq!(
            pod_status("ExitCode:-1073741510"),
            Ok((
                "",
                PodStatus {
                    init: false,
                    form: Form::ExitCode(-1073741510)
                }
            ))
        );
    }

    #[test]
    fn status_mapping() {
        let o = status_of("Running");
        assert_eq!(
            (o.state.status, o.state.reason, o.pod_phase.as_deref()),
            (Status::Running, None, Some("Running"))
        );
        let o = status_of("Init:OOMKilled");
        assert_eq!(o.state.status, Status::Terminated);
        assert_eq!(o.container_type, ContainerType::Init);
        assert_eq!(o.state.reason.as_deref(), Some("Init:OOMKilled"));
        let o = status_of("Init:CrashLoopBackOff");
        assert_eq!(o.state.status, Status::Waiting);
        let o = status_of("Evicted");
        assert_eq!(
            (o.state.status, o.pod_reason.as_deref()),
            (Status::Terminated, Some("Evicted"))
        );
        let o = status_of("Terminating");
        assert_eq!(o.state.status, Status::Unknown);
        assert!(o.evidence.iter().any(|e| e.contains("being deleted")));
        assert_eq!(status_of("NotReady").state.status, Status::Running);
        assert_eq!(status_of("Unknown").state.status, Status::Unknown);
        assert_eq!(status_of("Pending").state.status, Status::Waiting);
        assert_eq!(
            status_of("ContainerStatusUnknown").state.status,
            Status::Terminated
        );
        let o = status_of("Signal:9");
        assert_eq!((o.state.signal, o.state.exit_code), (Some(9), None));
    }

    #[test]
    fn restarts_forms() {
        assert_eq!(restarts("5"), Ok(("", 5)));
        assert_eq!(restarts("4 (47s ago)"), Ok(("", 4)));
        assert_eq!(restarts("1 (<invalid> ago)"), Ok(("", 1)));
        assert!(whole(restarts, "4 (47s").is_none());
    }

    #[test]
    fn header_and_headerless() {
        assert!(is_header(b"NAME   READY   STATUS   RESTARTS   AGE"));
        assert!(is_header(b"NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE   IP   NODE   NOMINATED NODE   READINESS GATES"));
        assert!(!is_header(b"NAME   READY   UP-TO-DATE   AVAILABLE   AGE"));
        assert!(is_header(
            b"EVENT      NAME   READY   STATUS   RESTARTS   AGE"
        ));
        assert!(!is_header(b"NAME is READY with STATUS and RESTARTS"));
        assert!(is_headerless_row(
            b"kube-proxy-dh776   0/1   RunContainerError   1 (4s ago)   5s"
        ));
        assert!(is_headerless_row(
            b"kube-system   coredns-1   1/1   Running   0   3d"
        ));
        assert!(!is_headerless_row(b"this is 1/1 of the Running tally 3 4"));
        assert!(!is_headerless_row(
            b"NAME   READY   STATUS   RESTARTS   AGE"
        ));
    }
}
