//! The format-neutral observation every parser produces: one container of one
//! pod (or one runtime container) as seen in one input. Serialization to the
//! v1 record lives in `output::record`; nothing here knows about JSON.

use serde::Serialize;

/// `source.format`: which kind of dump an observation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    KubectlDescribe,
    DockerInspect,
    PodmanInspect,
    CrictlInspect,
    K8sJson,
    K8sYaml,
    DockerPs,
    KubectlGetPods,
}

impl SourceFormat {
    /// Every format, in contract order.
    pub const ALL: [SourceFormat; 8] = [
        SourceFormat::KubectlDescribe,
        SourceFormat::DockerInspect,
        SourceFormat::PodmanInspect,
        SourceFormat::CrictlInspect,
        SourceFormat::K8sJson,
        SourceFormat::K8sYaml,
        SourceFormat::DockerPs,
        SourceFormat::KubectlGetPods,
    ];

    /// The contract's spelling (`kubectl-describe`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::KubectlDescribe => "kubectl-describe",
            SourceFormat::DockerInspect => "docker-inspect",
            SourceFormat::PodmanInspect => "podman-inspect",
            SourceFormat::CrictlInspect => "crictl-inspect",
            SourceFormat::K8sJson => "k8s-json",
            SourceFormat::K8sYaml => "k8s-yaml",
            SourceFormat::DockerPs => "docker-ps",
            SourceFormat::KubectlGetPods => "kubectl-get-pods",
        }
    }
}

/// `container_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerType {
    #[default]
    Container,
    Init,
    Ephemeral,
    /// A pod's pause/infra container, as docker or crictl show it.
    Sandbox,
}

impl ContainerType {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerType::Container => "container",
            ContainerType::Init => "init",
            ContainerType::Ephemeral => "ephemeral",
            ContainerType::Sandbox => "sandbox",
        }
    }
}

/// `state.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Running,
    Waiting,
    Terminated,
    #[default]
    Unknown,
}

impl Status {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Waiting => "waiting",
            Status::Terminated => "terminated",
            Status::Unknown => "unknown",
        }
    }
}

/// One container state (`state` or `last_state` of the record).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct State {
    pub status: Status,
    pub reason: Option<String>,
    pub exit_code: Option<i64>,
    pub signal: Option<i64>,
    pub message: Option<String>,
    /// RFC 3339 UTC, already normalized (see [`crate::timefmt`]).
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub duration_seconds: Option<f64>,
    pub oom_killed: Option<bool>,
}

impl State {
    /// A state with only its status set.
    pub fn new(status: Status) -> State {
        State {
            status,
            ..State::default()
        }
    }

    /// Applies the contract's invariants once a parser has filled the fields:
    /// `exit_code` only for terminated states, and `duration_seconds` from the
    /// two timestamps when both are known.
    pub fn finish(&mut self) {
        if self.status != Status::Terminated {
            self.exit_code = None;
        }
        self.duration_seconds = match (&self.started_at, &self.finished_at) {
            (Some(s), Some(f)) => crate::timefmt::seconds_between(s, f),
            _ => None,
        };
    }
}

/// *(v1.1)* `logs`: the last words of the judged run, from a log file in the
/// same bundle.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Logs {
    /// The log's path, archive members as in `source.path`.
    pub path: String,
    /// Whether it is the previous run's log.
    pub previous: bool,
    /// Its last lines (at most 10, each at most 512 bytes, control characters removed).
    pub tail: Vec<String>,
    /// A recognized crash signature (`go_panic`, `java_oom`, …).
    pub finding: Option<String>,
    /// The line the finding was recognized on.
    pub finding_line: Option<String>,
}

/// Evidence from other files of a bundle, each already worded as the
/// contract's evidence string (`"kernel PATH:LINE: …"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Joined {
    /// Index in `events` where the events joined from other files begin.
    pub first_event: Option<usize>,
    /// One `"event PATH:LINE: Reason: message"` per joined event, in order.
    pub event_cites: Vec<String>,
    /// Kernel OOM kills in this container's memory cgroup during the judged run.
    pub oom_kills: Vec<OomKill>,
    /// Kubelet lines saying a liveness or startup probe failed.
    pub probe_failures: Vec<String>,
    /// Other kubelet lines about the container (`Killing`, evictions).
    pub kubelet: Vec<String>,
    /// `"log PATH:LINE: …"`: the line a log finding was recognized on.
    pub log_finding: Option<String>,
}

impl Joined {
    /// Whether anything was joined.
    pub fn is_empty(&self) -> bool {
        self.event_cites.is_empty()
            && self.oom_kills.is_empty()
            && self.probe_failures.is_empty()
            && self.kubelet.is_empty()
            && self.log_finding.is_none()
    }
}

/// One kernel OOM kill joined to a container.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OomKill {
    /// `"kernel PATH:LINE: Memory cgroup out of memory: Killed process …"`.
    pub cite: String,
    /// The process killed, as `java (pid 4242)`.
    pub victim: String,
    /// Matched by node and time only: the line naming the cgroup was missing.
    pub by_time: bool,
}

/// One container observation, before classification.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observation {
    /// 1-based line where this container's block or object starts (0: unknown).
    pub line: u64,
    /// Byte offset of that line's start in the (decompressed) input.
    pub offset: u64,
    pub format: Option<SourceFormat>,
    pub namespace: Option<String>,
    pub pod: Option<String>,
    pub node: Option<String>,
    pub pod_phase: Option<String>,
    pub pod_reason: Option<String>,
    pub container: Option<String>,
    pub container_type: ContainerType,
    pub image: Option<String>,
    pub container_id: Option<String>,
    pub ready: Option<bool>,
    pub restart_count: Option<i64>,
    pub state: State,
    pub last_state: Option<State>,
    /// Pod events relevant to this container, each `"Reason: message"`.
    pub events: Vec<String>,
    /// *(v1.1)* `metadata.uid`, or the UID a kubelet label, container name or
    /// path names; the key kernel and kubelet lines are joined on.
    pub pod_uid: Option<String>,
    /// *(v1.1)* The container's log found in the same bundle.
    pub logs: Option<Logs>,
    /// *(v1.1)* Evidence joined from other files of the same bundle
    /// (`crate::bundle`); not serialized on its own: the classifier cites it.
    pub joined: Joined,
    /// Extra facts the classifier should cite (docker health-check failures,
    /// "listing STATUS column" …); not serialized on their own.
    pub evidence: Vec<String>,
}

impl Observation {
    /// Applies [`State::finish`] to both states.
    pub fn finish(&mut self) {
        self.state.finish();
        if let Some(last) = &mut self.last_state {
            last.finish();
        }
    }
}
