//! Pod UID and container ID from a cgroup path, for every shape the kubelet
//! and the runtimes create (bundles.md, "How the cgroup path names the pod
//! and the container"; kubernetes `pkg/kubelet/cm/cgroup_manager_linux.go`,
//! containerd `internal/cri/server/helpers_linux.go`, kubelet
//! `SystemdPathPrefixOfRuntime`). Grammar: `grammar/kernel-oom.md`,
//! "Cgroup paths".
//!
//! | driver | pod segment | container segment |
//! |---|---|---|
//! | cgroupfs | `pod<uid>` under `kubepods[/burstable|/besteffort]` | `<id>` (containerd, docker), `crio-<id>` |
//! | systemd | `kubepods[-burstable|-besteffort]-pod<uid_>.slice` | `cri-containerd-<id>.scope`, `crio-<id>.scope`, `docker-<id>.scope` |
//!
//! The segments are found anywhere in the path, so a kubelet with its own
//! `--cgroup-root` (kind's `/kubelet/kubepods/…`, `/kubelet.slice/…`) is read
//! too. Only the segment right after the pod's names the container; CRI-O's
//! `crio-conmon-<id>.scope` is the monitor process, not the container.

/// `(pod uid with dashes, bare container id)` named by a cgroup path; a
/// pod-level path gives the UID only, a path outside `kubepods` neither.
///
/// ```
/// use exitparse::bundle::cgroup::cgroup_ids;
/// let (uid, id) = cgroup_ids(
///     "/kubepods.slice/kubepods-pod8f2d0c3a_1b2c_4d5e_8f90_a1b2c3d4e5f6.slice/cri-containerd-3f2a9c0d1e2b.scope",
/// );
/// assert_eq!(uid.as_deref(), Some("8f2d0c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6"));
/// assert_eq!(id.as_deref(), Some("3f2a9c0d1e2b"));
/// ```
pub fn cgroup_ids(path: &str) -> (Option<String>, Option<String>) {
    let mut segments = path.trim().split('/').filter(|s| !s.is_empty());
    while let Some(segment) = segments.next() {
        if let Some(uid) = pod_segment(segment) {
            let container = segments.next().and_then(container_segment);
            return (Some(uid), container);
        }
    }
    (None, None)
}

/// `pod-segment = [ "kubepods-" [ qos "-" ] ] "pod" pod-uid [ ".slice" ]`,
/// `qos = "burstable" / "besteffort"`. The systemd form spells the UID with
/// `_` for `-`; the result always has dashes.
pub fn pod_segment(segment: &str) -> Option<String> {
    let (body, systemd) = match segment.strip_suffix(".slice") {
        Some(body) => (body, true),
        None => (segment, false),
    };
    let uid = if systemd {
        let body = body.strip_prefix("kubepods-")?;
        let body = body
            .strip_prefix("burstable-")
            .or_else(|| body.strip_prefix("besteffort-"))
            .unwrap_or(body);
        body.strip_prefix("pod")?
    } else {
        segment.strip_prefix("pod")?
    };
    pod_uid(uid).then(|| uid.replace('_', "-"))
}

/// `pod-uid = 32*36( HEXDIG / "-" / "_" )`: a UUID, or a static pod's
/// 32-digit hash (the kubelet names mirror pods by an MD5 of their file).
fn pod_uid(uid: &str) -> bool {
    let hex = uid.bytes().filter(u8::is_ascii_hexdigit).count();
    (32..=36).contains(&uid.len())
        && hex == 32
        && uid
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'-' || b == b'_')
}

/// `container-segment = [ runtime-prefix ] container-id [ ".scope" ]`,
/// `runtime-prefix = "cri-containerd-" / "crio-" / "docker-" /
/// "cri-dockerd-"`, `container-id = 12*64HEXDIG`.
pub fn container_segment(segment: &str) -> Option<String> {
    let body = segment.strip_suffix(".scope").unwrap_or(segment);
    if body.starts_with("crio-conmon-") {
        return None;
    }
    let id = ["cri-containerd-", "crio-", "docker-", "cri-dockerd-"]
        .iter()
        .find_map(|p| body.strip_prefix(p))
        .unwrap_or(body);
    ((12..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| id.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UID: &str = "8f2d0c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    const UID_: &str = "8f2d0c3a_1b2c_4d5e_8f90_a1b2c3d4e5f6";
    const CID: &str = "ef80a1c7d0b64cd3b6b5f6ff2d9b6e8a8d3b1c2e4f5a6b7c8d9e0f1a2b3c4d5e";

    fn both() -> (Option<String>, Option<String>) {
        (Some(UID.into()), Some(CID.into()))
    }

    #[test]
    fn cgroupfs_every_qos_class() {
        for qos in ["", "burstable/", "besteffort/"] {
            assert_eq!(
                cgroup_ids(&format!("/kubepods/{qos}pod{UID}/{CID}")),
                both(),
                "{qos}"
            );
            assert_eq!(
                cgroup_ids(&format!("/kubepods/{qos}pod{UID}/crio-{CID}")),
                both()
            );
            assert_eq!(
                cgroup_ids(&format!("/kubepods/{qos}pod{UID}")),
                (Some(UID.into()), None)
            );
        }
    }

    #[test]
    fn systemd_every_qos_class_and_runtime() {
        let pods = [
            format!("/kubepods.slice/kubepods-pod{UID_}.slice"),
            format!("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{UID_}.slice"),
            format!(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{UID_}.slice"
            ),
        ];
        for pod in &pods {
            for runtime in ["cri-containerd-", "crio-", "docker-"] {
                assert_eq!(
                    cgroup_ids(&format!("{pod}/{runtime}{CID}.scope")),
                    both(),
                    "{pod}"
                );
            }
            assert_eq!(cgroup_ids(pod), (Some(UID.into()), None));
        }
    }

    #[test]
    fn nested_cgroup_root_and_static_pod_uid() {
        assert_eq!(
            cgroup_ids(&format!("/kubelet/kubepods/burstable/pod{UID}/{CID}")),
            both()
        );
        let hash = "e3b0c44298fc1c149afbf4c8996fb924";
        assert_eq!(
            cgroup_ids(&format!("/kubepods/burstable/pod{hash}/{CID}"))
                .0
                .as_deref(),
            Some(hash)
        );
    }

    #[test]
    fn not_a_pod() {
        assert_eq!(cgroup_ids("/"), (None, None));
        assert_eq!(cgroup_ids("/system.slice/containerd.service"), (None, None));
        assert_eq!(cgroup_ids("/kubepods/burstable"), (None, None));
        assert_eq!(
            cgroup_ids("/kubepods.slice/kubepods-burstable.slice"),
            (None, None)
        );
        assert_eq!(cgroup_ids("/user.slice/pod-not-a-uid"), (None, None));
        // CRI-O's monitor is not the container.
        let conmon = format!("/kubepods.slice/kubepods-pod{UID_}.slice/crio-conmon-{CID}.scope");
        assert_eq!(cgroup_ids(&conmon), (Some(UID.into()), None));
    }
}
