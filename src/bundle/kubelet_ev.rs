//! Kubelet lines as join evidence: of what [`super::kubelet`] reads, the
//! lines that can change or explain a verdict: liveness/startup probe
//! failures and the restarts they cause, evictions, `Killing container`.
//! Readiness probes restart nothing; PLEG deaths repeat what the pod
//! status says.

use std::sync::Arc;

use super::evidence::{KubeletEv, KubeletKind};
use super::kubelet::{KubeletKind as Said, KubeletLine, Probe};

/// The evidence of one kubelet line, if it is of interest.
pub fn evidence(path: &Arc<str>, l: KubeletLine) -> Option<KubeletEv> {
    let kills = |p: &Probe| matches!(p, Probe::Liveness | Probe::Startup);
    let kind = match &l.kind {
        Said::ProbeFailure { probe, .. } | Said::ProbeRestart { probe } if kills(probe) => {
            KubeletKind::ProbeFailed
        }
        Said::Eviction { .. } => KubeletKind::Evicted,
        Said::Killing { .. } => KubeletKind::Killing,
        _ => return None,
    };
    Some(KubeletEv {
        path: path.clone(),
        line: l.line,
        kind,
        namespace: l.namespace,
        pod: l.pod,
        pod_uid: l.pod_uid,
        container: l.container,
        container_id: l.container_id,
        time: l.time,
        text: l.text,
    })
}
