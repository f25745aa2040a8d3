//! The small facts a bundle's evidence files leave behind once read: all a
//! join needs, never the files themselves. Everything here is owned and
//! bounded per file (a tail of 10 lines, one entry per kill, per event, per
//! kubelet line of interest).

use std::sync::Arc;

use super::events::Event;
use super::kernel::OomKill;
use super::layout::LogKey;
use super::prefix::WallTime;

/// Evidence read from one file of a bundle.
#[derive(Debug)]
pub enum Evidence {
    Event(Arc<str>, Event),
    Log(LogEv),
    Kill(KillEv),
    Kubelet(KubeletEv),
}

/// One container log's last words.
#[derive(Debug, Clone)]
pub struct LogEv {
    pub path: Arc<str>,
    pub key: LogKey,
    pub tail: Vec<String>,
    pub finding: Option<String>,
    pub finding_line: Option<String>,
    /// 1-based line of `finding_line` in the log (0: unknown).
    pub finding_lineno: u64,
}

/// A kernel OOM kill, with the node of the file it was read from.
#[derive(Debug, Clone)]
pub struct KillEv {
    pub path: Arc<str>,
    /// From the bundle path (`nodes/<node>/…`), else the line's host field.
    pub node: Option<String>,
    pub kill: OomKill,
}

/// What a kubelet line says about a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KubeletKind {
    /// A liveness or startup probe failed: the kubelet restarts on it.
    ProbeFailed,
    Evicted,
    Killing,
}

/// One kubelet line about a pod or container.
#[derive(Debug, Clone)]
pub struct KubeletEv {
    pub path: Arc<str>,
    pub line: u64,
    pub kind: KubeletKind,
    pub namespace: Option<String>,
    pub pod: Option<String>,
    pub pod_uid: Option<String>,
    pub container: Option<String>,
    pub container_id: Option<String>,
    /// When the line was written (year-less for syslog and klog stamps).
    pub time: WallTime,
    /// The line without its prefix, for the evidence string.
    pub text: String,
}
