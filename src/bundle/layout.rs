//! Where a bundle keeps its evidence: the role of a file, told from its path
//! inside the bundle (`../shared/spec/bundles.md`, "Layouts") and, where the
//! path says nothing, from its first bytes. Never from the bundle's name.
//!
//! Paths are matched by their last segments, so a layout's files are found
//! under any top directory (`support-bundle-2024…/cluster-resources/…`) and
//! in a plain directory that copies a layout's shape.

/// The layouts recognized, for `--verbose` and the docs; joins never depend
/// on them (an unknown layout gets every join whose keys are present).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Troubleshoot,
    MustGather,
    ClusterInfoDump,
    Sosreport,
    EksLogCollector,
    Rancher,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Troubleshoot => "troubleshoot.sh support bundle",
            Layout::MustGather => "OpenShift must-gather",
            Layout::ClusterInfoDump => "kubectl cluster-info dump",
            Layout::Sosreport => "sosreport",
            Layout::EksLogCollector => "EKS log collector",
            Layout::Rancher => "Rancher log collector",
        }
    }

    /// The layout a path is typical of, if any.
    pub fn of(path: &str) -> Option<Layout> {
        let segs = segments(path);
        let has = |s: &str| segs.contains(&s);
        if has("cluster-resources") || has("host-collectors") {
            Some(Layout::Troubleshoot)
        } else if has("namespaces") && (has("core") || has("pods")) || has("host_service_logs") {
            Some(Layout::MustGather)
        } else if has("sos_commands") {
            Some(Layout::Sosreport)
        } else if has("podlogs") || has("systeminfo") {
            Some(Layout::Rancher)
        } else if segs
            .last()
            .is_some_and(|f| f.starts_with("dmesg.") || *f == "containerd-log.txt")
            && (has("kernel") || has("containerd"))
            || has("var_log")
        {
            Some(Layout::EksLogCollector)
        } else if segs.last() == Some(&"logs.txt") || segs.last() == Some(&"nodes.json") {
            Some(Layout::ClusterInfoDump)
        } else {
            None
        }
    }
}

/// Which container a log file is about, as far as its path tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKey {
    pub namespace: Option<String>,
    /// The pod's name; for Rancher's `podlogs/<ns>-<pod>` the joined
    /// `<ns>-<pod>` (`dashed`), told apart only against the pods known.
    pub pod: Option<String>,
    pub dashed: bool,
    pub container: Option<String>,
    pub pod_uid: Option<String>,
    pub container_id: Option<String>,
    /// The previous run's log.
    pub previous: bool,
    /// `/var/log/pods/…/<ctr>/<N>.log`: the run N (the restart count then).
    pub run: Option<u32>,
    /// Fetched again without TLS checks (must-gather `*.insecure.log`):
    /// used only when the plain one is missing.
    pub insecure: bool,
}

/// What a file of a bundle is, for the joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// One container's log.
    Log(LogKey),
    /// `kubectl cluster-info dump`'s `<ns>/<pod>/logs.txt`: every
    /// container's current log between `==== START logs …` markers.
    LogBlocks,
    /// A node's kernel ring buffer, syslog, journal or kubelet log. `node`
    /// when the path names it.
    NodeLog { node: Option<String> },
    /// Kubernetes Events: an EventList (JSON or YAML) or a `kubectl get
    /// events` table.
    Events,
}

/// The path's segments, archive members included (`a.tgz!/x/y` → a.tgz, x, y).
pub fn segments(path: &str) -> Vec<&str> {
    path.split(['/', '\\'])
        .map(|s| s.strip_suffix('!').unwrap_or(s))
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

/// The role of the file at `path` whose first bytes are `head`; `None`:
/// not evidence (a dump, or something else).
pub fn role(path: &str, head: &[u8]) -> Option<Role> {
    let segs = segments(path);
    if let Some(key) = log_key(&segs) {
        return Some(Role::Log(key));
    }
    let file = *segs.last()?;
    if file == "logs.txt" && head.starts_with(b"==== START logs for container ") {
        return Some(Role::LogBlocks);
    }
    if is_events(head) {
        return Some(Role::Events);
    }
    if let Some(node) = node_log(&segs) {
        return Some(Role::NodeLog { node });
    }
    if looks_like_node_log(head) {
        return Some(Role::NodeLog {
            node: node_from_path(&segs),
        });
    }
    None
}

fn owned(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// The container log layouts.
fn log_key(segs: &[&str]) -> Option<LogKey> {
    let n = segs.len();
    let file = *segs.last()?;
    let blank = LogKey {
        namespace: None,
        pod: None,
        dashed: false,
        container: None,
        pod_uid: None,
        container_id: None,
        previous: false,
        run: None,
        insecure: false,
    };
    // troubleshoot.sh: …/pods/logs/<ns>/<pod>/<ctr>[-previous].log
    if n >= 5 && segs[n - 5] == "pods" && segs[n - 4] == "logs" {
        let stem = file.strip_suffix(".log")?;
        let (ctr, previous) = match stem.strip_suffix("-previous") {
            Some(c) => (c, true),
            None => (stem, false),
        };
        return Some(LogKey {
            namespace: owned(segs[n - 3]),
            pod: owned(segs[n - 2]),
            container: owned(ctr),
            previous,
            ..blank
        });
    }
    // must-gather: namespaces/<ns>/pods/<pod>/<ctr>/<ctr>/logs/<which>.log
    if n >= 8 && segs[n - 8] == "namespaces" && segs[n - 6] == "pods" && segs[n - 2] == "logs" {
        let (previous, insecure) = match file {
            "current.log" => (false, false),
            "previous.log" => (true, false),
            "current.insecure.log" => (false, true),
            "previous.insecure.log" => (true, true),
            _ => return None,
        };
        return Some(LogKey {
            namespace: owned(segs[n - 7]),
            pod: owned(segs[n - 5]),
            container: owned(segs[n - 4]),
            previous,
            insecure,
            ..blank
        });
    }
    // The kubelet's own layout: …/<ns>_<pod>_<uid>/<ctr>/<N>.log
    if n >= 3
        && let Some(run) = file
            .strip_suffix(".log")
            .and_then(|s| s.parse::<u32>().ok())
    {
        let mut parts = segs[n - 3].splitn(3, '_');
        if let (Some(ns), Some(pod), Some(uid)) = (parts.next(), parts.next(), parts.next())
            && is_uid(uid)
        {
            return Some(LogKey {
                namespace: owned(ns),
                pod: owned(pod),
                container: owned(segs[n - 2]),
                pod_uid: owned(uid),
                run: Some(run),
                ..blank
            });
        }
    }
    // …/containers/<pod>_<ns>_<ctr>-<64 hex id>.log (links into /var/log/pods)
    if n >= 2
        && segs[n - 2] == "containers"
        && let Some(stem) = file.strip_suffix(".log")
    {
        let mut parts = stem.splitn(3, '_');
        if let (Some(pod), Some(ns), Some(rest)) = (parts.next(), parts.next(), parts.next())
            && let Some((ctr, id)) = rest.rsplit_once('-')
            && id.len() == 64
            && id.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Some(LogKey {
                namespace: owned(ns),
                pod: owned(pod),
                container: owned(ctr),
                container_id: owned(id),
                ..blank
            });
        }
    }
    // Rancher: <distro>/podlogs/<ns>-<pod>[-previous]
    if n >= 2 && segs[n - 2] == "podlogs" {
        let (name, previous) = match file.strip_suffix("-previous") {
            Some(s) => (s, true),
            None => (file, false),
        };
        return Some(LogKey {
            pod: owned(name),
            dashed: true,
            previous,
            ..blank
        });
    }
    None
}

/// A pod UID: 36 characters, hex and dashes.
pub fn is_uid(s: &str) -> bool {
    s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// Node journals, kernel logs and kubelet logs by their layout paths; the
/// node when the path names it.
fn node_log(segs: &[&str]) -> Option<Option<String>> {
    let n = segs.len();
    let file = *segs.last()?;
    let at = |i: usize| if i < n { segs[i] } else { "" };
    let pos = |s: &str| segs.iter().rposition(|x| *x == s);
    // troubleshoot: host-collectors/[<node>/]journald/<name>.txt
    if let Some(h) = pos("host-collectors") {
        if at(h + 1) == "journald" {
            return Some(None);
        }
        if at(h + 2) == "journald" || at(h + 2) == "run-host" {
            return Some(owned(at(h + 1)));
        }
    }
    // must-gather: nodes/<node>/dmesg, nodes/<node>/<node>_logs_kubelet[.gz]
    if n >= 3 && segs[n - 3] == "nodes" && (file == "dmesg" || file.contains("_logs_kubelet")) {
        return Some(owned(segs[n - 2]));
    }
    if file.starts_with("kubelet_service.log") || file.starts_with("crio_service.log") {
        return Some(None);
    }
    // sosreport
    if n >= 2 && segs[n - 2] == "kernel" && file.starts_with("dmesg") {
        return Some(None);
    }
    if n >= 2 && matches!(segs[n - 2], "logs" | "kubernetes") && file.starts_with("journalctl_") {
        return Some(None);
    }
    // var/log copies (sosreport, EKS var_log, Rancher systemlogs), Rancher
    // systeminfo/dmesg and journald/<unit>, EKS kubelet/kubelet.log.
    if n >= 2
        && matches!(segs[n - 2], "log" | "var_log" | "systemlogs" | "systeminfo")
        && ["messages", "kern.log", "syslog", "dmesg", "journal"]
            .iter()
            .any(|p| file.starts_with(p))
    {
        return Some(None);
    }
    if n >= 2 && segs[n - 2] == "journald" {
        return Some(None);
    }
    if n >= 2 && segs[n - 2] == "kubelet" && file.starts_with("kubelet") {
        return Some(None);
    }
    None
}

/// `nodes/<node>/…` or `host-collectors/<node>/…` anywhere in the path.
fn node_from_path(segs: &[&str]) -> Option<String> {
    let i = segs
        .iter()
        .position(|s| *s == "nodes" || *s == "host-collectors")?;
    let node = segs.get(i + 1)?;
    (i + 2 < segs.len()).then(|| node.to_string())
}

/// An EventList (JSON or YAML) or a `kubectl get events` table.
fn is_events(head: &[u8]) -> bool {
    let h = &head[..head.len().min(16 * 1024)];
    let has = |s: &[u8]| memchr::memmem::find(h, s).is_some();
    if has(b"involvedObject") && !has(b"containerStatuses") {
        return true;
    }
    let first = h
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(b"");
    let first = String::from_utf8_lossy(first);
    crate::bundle::events::table_columns(&first).is_some()
}

/// Whether the first lines are those of a kernel log, syslog or journal:
/// most start with a dmesg `[ 123.456]`, a syslog `Mar  5 10:11:12 ` or an
/// ISO time, or carry ` kernel: ` / ` kubelet[`.
pub fn looks_like_node_log(head: &[u8]) -> bool {
    let mut seen = 0;
    let mut hits = 0;
    for line in head.split(|&b| b == b'\n').take(40) {
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if node_line(line) {
            hits += 1;
        }
    }
    // A short file must be all node lines; a longer one mostly.
    seen >= 1 && hits * 10 >= seen * 8 && (seen >= 3 || hits == seen)
}

fn node_line(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    if t.starts_with(b"[") {
        // dmesg: "[ 1234.567890] …" or dmesg -T: "[Tue Mar  5 10:11:12 2024] …"
        let inside = t[1..]
            .iter()
            .take(40)
            .position(|&b| b == b']')
            .map(|end| &t[1..1 + end]);
        return inside.is_some_and(|s| {
            s.iter().any(u8::is_ascii_digit)
                && s.iter()
                    .all(|b| b.is_ascii_alphanumeric() || b" .:".contains(b))
        });
    }
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let syslog = MONTHS.iter().any(|m| t.starts_with(m))
        && t.get(3) == Some(&b' ')
        && t.get(6..16).is_some_and(|s| s.contains(&b':'));
    let iso =
        t.len() > 20 && t[..4].iter().all(u8::is_ascii_digit) && t[4] == b'-' && t[10] == b'T';
    // klog: I0305 10:11:12.345678    1234 file.go:12] …
    let klog = t.len() > 22
        && b"IWEF".contains(&t[0])
        && t[1..5].iter().all(u8::is_ascii_digit)
        && t[5] == b' ';
    syslog || iso || klog
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(path: &str) -> LogKey {
        match role(path, b"") {
            Some(Role::Log(k)) => k,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn container_logs_of_each_layout() {
        let k = log("b.tgz!/sb-1/cluster-resources/pods/logs/shop/web-1/app-previous.log");
        assert_eq!(
            (
                k.namespace.as_deref(),
                k.pod.as_deref(),
                k.container.as_deref(),
                k.previous
            ),
            (Some("shop"), Some("web-1"), Some("app"), true)
        );
        let k = log("mg/namespaces/shop/pods/web-1/app/app/logs/previous.insecure.log");
        assert!(k.previous && k.insecure);
        assert_eq!(k.container.as_deref(), Some("app"));
        let k = log(
            "eks/var/log/pods/kube-system_aws-node-x1_0b4f6e1c-1111-2222-3333-444455556666/aws-node/3.log",
        );
        assert_eq!((k.run, k.pod.as_deref()), (Some(3), Some("aws-node-x1")));
        assert_eq!(
            k.pod_uid.as_deref(),
            Some("0b4f6e1c-1111-2222-3333-444455556666")
        );
        let k = log("r/k3s/podlogs/kube-system-coredns-5d9-previous");
        assert!(k.dashed && k.previous);
        assert_eq!(k.pod.as_deref(), Some("kube-system-coredns-5d9"));
    }

    #[test]
    fn node_logs_and_events() {
        assert_eq!(
            role("mg/nodes/worker-1/dmesg", b""),
            Some(Role::NodeLog {
                node: Some("worker-1".into())
            })
        );
        assert_eq!(
            role("sb/host-collectors/n2/journald/kubelet.txt", b""),
            Some(Role::NodeLog {
                node: Some("n2".into())
            })
        );
        assert_eq!(
            role("sos/sos_commands/kernel/dmesg_-T", b""),
            Some(Role::NodeLog { node: None })
        );
        assert_eq!(
            role(
                "x/ns/events.json",
                br#"{"kind":"EventList","items":[{"involvedObject":{}}]}"#
            ),
            Some(Role::Events)
        );
        let dmesg = b"[    0.000000] Linux version 5.10\n[    1.2] x\n[   2.5] y\n";
        assert_eq!(
            role("plain/node-a.txt", dmesg),
            Some(Role::NodeLog { node: None })
        );
        assert_eq!(role("plain/pods.json", b"{\"kind\":\"PodList\"}"), None);
    }
}
