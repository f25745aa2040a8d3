//! Pod-level (level-0) labels (grammar/kubectl-describe.abnf, "pod";
//! facts: input-formats.md §1.2, §1.9).

use super::container::Container;
use super::events::Event;
use super::lines::{opt_text, trim};

/// What a level-0 label means to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodLabel {
    Name,
    Namespace,
    Node,
    Status,
    Reason,
    Message,
    StartTime,
    /// Another header field (`Labels:`, `IP:`, `Controlled By:` …).
    Header,
    InitContainers,
    Containers,
    EphemeralContainers,
    Events,
    /// A section after the containers (`Conditions:`, `Volumes:`, `QoS Class:` …).
    Trailer,
}

/// `pod-label = "Name" / "Namespace" / "Node" / "Status" / "Reason" / "Message" / "Start Time" / "Init Containers" / "Containers" / "Ephemeral Containers" / "Events" / header labels / trailer labels`
pub fn pod_label(key: &[u8]) -> Option<PodLabel> {
    use PodLabel::*;
    Some(match key {
        b"Name" => Name,
        b"Namespace" => Namespace,
        b"Node" => Node,
        b"Status" => Status,
        b"Reason" => Reason,
        b"Message" => Message,
        b"Start Time" => StartTime,
        b"Init Containers" => InitContainers,
        b"Containers" => Containers,
        b"Ephemeral Containers" => EphemeralContainers,
        b"Events" => Events,
        b"Priority"
        | b"Priority Class Name"
        | b"PriorityClassName"
        | b"Runtime Class Name"
        | b"Service Account"
        | b"Labels"
        | b"Annotations"
        | b"Termination Grace Period"
        | b"SeccompProfile"
        | b"LocalhostProfile"
        | b"IP"
        | b"IPs"
        | b"Controlled By"
        | b"Controllers"
        | b"Created By"
        | b"NominatedNodeName"
        | b"Nominated Node Name"
        | b"Resources"
        | b"Image(s)"
        | b"Replication Controllers"
        | b"Security Policy" => Header,
        b"Readiness Gates"
        | b"Conditions"
        | b"Volumes"
        | b"QoS Class"
        | b"QoS Tier"
        | b"Node-Selectors"
        | b"Tolerations"
        | b"Topology Spread Constraints" => Trailer,
        _ => return None,
    })
}

/// `name-line = "Name:" sep value eol` — a pod's first line; gives the name.
pub fn name_line(input: &[u8]) -> nom::IResult<&[u8], &[u8]> {
    use nom::Parser;
    let (rest, _) = nom::bytes::complete::tag("Name:").parse(input)?;
    let (rest, _) = super::lines::sep(rest)?;
    let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let name = trim(super::lines::eol(&rest[..len]));
    if name.is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            rest,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((&rest[len..], name))
}

/// `node-value = node-name ["/" host-ip] / "<none>"` — only the node name is kept.
pub fn node_value(value: &[u8]) -> Option<String> {
    let value = trim(value);
    let name = value.split(|&b| b == b'/').next().unwrap_or(value);
    opt_text(name)
}

/// `phase-value = phase / "Terminating" SP "(" … ")"` — the phase, or
/// `None` when kubectl shows Terminating (or anything else) instead.
pub fn phase_value(value: &[u8]) -> Option<String> {
    match trim(value) {
        v @ (b"Pending" | b"Running" | b"Succeeded" | b"Failed" | b"Unknown") => {
            Some(super::lines::text(v))
        }
        _ => None,
    }
}

/// One pod being read.
#[derive(Debug, Default)]
pub struct Pod {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub node: Option<String>,
    pub phase: Option<String>,
    pub reason: Option<String>,
    /// Absolute line of `Name:` (0: a fragment without one).
    pub line: u64,
    /// A pod-only field (Status, Node, Start Time, IP) was seen.
    pub evidence: bool,
    pub containers: Vec<Container>,
    pub events: Vec<Event>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_labels() {
        assert_eq!(pod_label(b"Name"), Some(PodLabel::Name));
        assert_eq!(pod_label(b"Controlled By"), Some(PodLabel::Header));
        assert_eq!(pod_label(b"QoS Class"), Some(PodLabel::Trailer));
        assert_eq!(pod_label(b"apiVersion"), None);
    }

    #[test]
    fn name_line_needs_a_value() {
        assert_eq!(
            name_line(b"Name:  web-1\nNamespace:"),
            Ok((&b"\nNamespace:"[..], &b"web-1"[..]))
        );
        assert!(name_line(b"Name:\n").is_err());
        assert!(name_line(b"Name:\t\t\r\n").is_err());
        assert!(name_line(b"Names:  x").is_err());
    }

    #[test]
    fn node_values() {
        assert_eq!(
            node_value(b"worker-2/10.0.3.17").as_deref(),
            Some("worker-2")
        );
        assert_eq!(node_value(b"<none>"), None);
        assert_eq!(node_value(b"/"), None);
    }

    #[test]
    fn phase_values() {
        assert_eq!(phase_value(b"Failed").as_deref(), Some("Failed"));
        assert_eq!(phase_value(b"Terminating (lasts 5m)"), None);
    }
}
