//! Container blocks (grammar/kubectl-describe.abnf, "containers"; facts:
//! input-formats.md §1.3).

use crate::model::Observation;

/// What a level-2 label inside a container means to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKey {
    ContainerId,
    Image,
    State,
    LastState,
    Ready,
    RestartCount,
    Liveness,
    Readiness,
    Startup,
    /// Any other container field (`Limits:`, `Environment:`, `Mounts:` …):
    /// it ends a State block, which matters because env and resource entries
    /// sit at the same indent as state details (an env var named `Reason`).
    Other,
}

/// `container-key = "Container ID" / "Image" / "State" / "Last State" / "Last Termination State" / "Ready" / "Restart Count" / "Liveness" / "Readiness" / "Startup" / keys that only end a State block`
pub fn container_key(key: &[u8]) -> Option<ContainerKey> {
    use ContainerKey::*;
    Some(match key {
        b"Container ID" => ContainerId,
        b"Image" => Image,
        b"State" => State,
        // `Last Termination State` is the 2015 spelling.
        b"Last State" | b"Last Termination State" => LastState,
        b"Ready" => Ready,
        b"Restart Count" => RestartCount,
        b"Liveness" => Liveness,
        b"Readiness" => Readiness,
        b"Startup" => Startup,
        b"Image ID"
        | b"Port"
        | b"Ports"
        | b"Host Port"
        | b"Host Ports"
        | b"SeccompProfile"
        | b"Command"
        | b"Args"
        | b"Limits"
        | b"Requests"
        | b"Environment"
        | b"Environment Variables"
        | b"Environment Variables from"
        | b"Mounts"
        | b"Volume Mounts"
        | b"Devices"
        | b"QoS Tier" => Other,
        _ => return None,
    })
}

impl ContainerKey {
    /// Keys only a container status prints: enough to open a container in a
    /// fragment that has no name line.
    pub fn is_strong(self) -> bool {
        matches!(
            self,
            ContainerKey::ContainerId
                | ContainerKey::State
                | ContainerKey::LastState
                | ContainerKey::Ready
                | ContainerKey::RestartCount
        )
    }
}

/// One container being read.
#[derive(Debug, Default)]
pub struct Container {
    pub obs: Observation,
    /// `State:` / `Last State:` seen.
    pub saw_state: [bool; 2],
    /// Line of each `State:` / `Last State:`.
    pub state_line: [u64; 2],
    /// `Exit Code:` seen under each.
    pub exit_line: [bool; 2],
    /// A status-only field (non-empty Container ID, Ready, Restart Count).
    pub status_evidence: bool,
    /// Probes: bit 0 liveness, 1 readiness, 2 startup.
    pub probes: u8,
}

impl Container {
    /// `container "app"` or `container` for diagnostics.
    pub fn label(&self) -> String {
        match &self.obs.container {
            Some(n) => format!("container {n:?}"),
            None => "container".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_keys() {
        assert_eq!(
            container_key(b"Last Termination State"),
            Some(ContainerKey::LastState)
        );
        assert_eq!(container_key(b"Environment"), Some(ContainerKey::Other));
        assert_eq!(container_key(b"Reason"), None);
        assert!(ContainerKey::RestartCount.is_strong());
        assert!(!ContainerKey::Image.is_strong());
    }
}
