//! `docker inspect` and `podman inspect` container objects. Fields read:
//! `grammar/inspect.md`.

use serde::Deserialize;

use super::de::{Bool, Int, List, Obj, Present, Str, time};
use crate::model::{ContainerType, Observation, SourceFormat, State, Status};

/// `State` of a container (also a bare `{{json .State}}` object).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DockerState<'a> {
    #[serde(rename = "Status", borrow)]
    pub status: Str<'a>,
    #[serde(rename = "Running")]
    pub running: Bool,
    #[serde(rename = "Paused")]
    pub paused: Bool,
    #[serde(rename = "Restarting")]
    pub restarting: Bool,
    #[serde(rename = "OOMKilled")]
    pub oom_killed: Bool,
    #[serde(rename = "Dead")]
    pub dead: Bool,
    #[serde(rename = "ExitCode")]
    pub exit_code: Int,
    #[serde(rename = "Error", borrow)]
    pub error: Str<'a>,
    #[serde(rename = "StartedAt", borrow)]
    pub started_at: Str<'a>,
    #[serde(rename = "FinishedAt", borrow)]
    pub finished_at: Str<'a>,
    /// Docker 1.12+, podman 4+.
    #[serde(rename = "Health", borrow)]
    pub health: Obj<Health<'a>>,
    /// Podman 1.9 to 3.x.
    #[serde(rename = "Healthcheck", borrow)]
    pub healthcheck: Obj<Health<'a>>,
    /// Only podman writes it.
    #[serde(rename = "OciVersion")]
    pub oci_version: Present,
}

/// `State.Health` / `State.Healthcheck`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Health<'a> {
    #[serde(rename = "Status", borrow)]
    pub status: Str<'a>,
    #[serde(rename = "FailingStreak")]
    pub failing_streak: Int,
    #[serde(rename = "Log", borrow)]
    pub log: List<Obj<HealthLog<'a>>>,
}

/// One probe run. Its exit code is the probe's, never the container's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HealthLog<'a> {
    #[serde(rename = "ExitCode")]
    pub exit_code: Int,
    #[serde(rename = "Output", borrow)]
    pub output: Str<'a>,
}

/// `Config`: the image as the user named it and the labels.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config<'a> {
    #[serde(rename = "Image", borrow)]
    pub image: Str<'a>,
    #[serde(rename = "Labels", borrow)]
    pub labels: Obj<KubeLabels<'a>>,
}

/// The labels (docker) or labels/annotations (crictl) kubelet puts on the
/// containers it runs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KubeLabels<'a> {
    #[serde(rename = "io.kubernetes.container.name", borrow)]
    pub container_name: Str<'a>,
    #[serde(rename = "io.kubernetes.pod.name", borrow)]
    pub pod_name: Str<'a>,
    #[serde(rename = "io.kubernetes.pod.namespace", borrow)]
    pub pod_namespace: Str<'a>,
    #[serde(rename = "io.kubernetes.pod.uid", borrow)]
    pub pod_uid: Str<'a>,
    #[serde(rename = "io.kubernetes.docker.type", borrow)]
    pub docker_type: Str<'a>,
    /// dockershim stores CRI annotations as labels with this prefix.
    #[serde(rename = "annotation.io.kubernetes.container.restartCount")]
    pub docker_restart_count: Int,
    /// crictl shows the CRI annotation itself.
    #[serde(rename = "io.kubernetes.container.restartCount")]
    pub restart_count: Int,
}

/// The container-level keys of an inspect object.
#[derive(Debug)]
pub struct Container<'x, 'a> {
    pub id: &'x Str<'a>,
    pub name: &'x Str<'a>,
    pub restart_count: Int,
    pub config: Option<&'x Config<'a>>,
    pub image_name: &'x Str<'a>,
    pub is_infra: Bool,
    pub podman: bool,
}

/// The runtime's word for a state: `State.Status`, or (Docker ≤ 1.8, which
/// had no Status) derived from the booleans and times.
fn status_word(st: &DockerState<'_>) -> String {
    if let Some(s) = st.status.get() {
        return s.to_ascii_lowercase();
    }
    let yes = |b: Bool| b.0 == Some(true);
    let word = if yes(st.running) {
        if yes(st.restarting) {
            "restarting"
        } else if yes(st.paused) {
            "paused"
        } else {
            "running"
        }
    } else if yes(st.dead) {
        "dead"
    } else if st.exit_code.0.is_some_and(|c| c != 0)
        || time(&st.started_at).is_some()
        || time(&st.finished_at).is_some()
    {
        "exited"
    } else if st.exit_code.0.is_some() && st.started_at.0.is_some() && st.finished_at.0.is_some() {
        "created"
    } else {
        // A `State` cut before its exit code or times (a pasted excerpt):
        // created and exited cannot be told apart.
        "unknown"
    };
    word.to_string()
}

/// The current state and, for a restarting container, the exit that caused
/// the restart as the last state (output-record.md, status mapping).
pub fn states(st: &DockerState<'_>) -> (State, Option<State>) {
    let word = status_word(st);
    let started = time(&st.started_at);
    let finished = time(&st.finished_at);
    let message = st.error.owned();
    let oom = st.oom_killed.0;
    let mut last = None;
    let mut state = match word.as_str() {
        "running" | "paused" | "stopping" => {
            let mut s = State::new(Status::Running);
            s.started_at = started;
            s
        }
        "created" | "configured" | "initialized" => State::new(Status::Waiting),
        "restarting" => {
            let mut l = State::new(Status::Terminated);
            l.exit_code = st.exit_code.0;
            // StartedAt belongs to the run that ended only if it is not later.
            if started.is_some() && finished.is_some() && started <= finished {
                l.started_at = started;
            }
            l.finished_at = finished;
            l.message = message.clone();
            l.oom_killed = oom;
            last = Some(l);
            State::new(Status::Waiting)
        }
        "exited" | "dead" | "stopped" | "removing" => {
            let mut s = State::new(Status::Terminated);
            s.exit_code = st.exit_code.0;
            s.started_at = started;
            s.finished_at = finished;
            s
        }
        _ => State::new(Status::Unknown),
    };
    if last.is_none() {
        state.message = message;
    }
    state.oom_killed = oom;
    (state, last)
}

/// `"health=unhealthy (failing streak 3): <first line of the last failing
/// probe's output>"` when the health check is failing.
pub fn health_evidence(st: &DockerState<'_>) -> Option<String> {
    let h = st.health.get().or(st.healthcheck.get())?;
    let status = h.status.get().unwrap_or("unknown");
    let streak = h.failing_streak.0.unwrap_or(0);
    if status != "unhealthy" && streak == 0 {
        return None;
    }
    let mut ev = format!("health={status} (failing streak {streak})");
    let output = h
        .log
        .0
        .iter()
        .rev()
        .filter_map(Obj::get)
        .find(|l| l.exit_code.0 != Some(0))
        .and_then(|l| l.output.get())
        .and_then(|o| o.lines().map(str::trim).find(|l| !l.is_empty()));
    if let Some(line) = output {
        ev.push_str(": ");
        ev.extend(line.chars().take(200));
    }
    Some(ev)
}

/// What a dockershim name `k8s_<container>_<pod>_<ns>_<uid>_<attempt>[_x]`
/// says (pre-CRI kubelets wrote `<container>.<hash>`).
struct ShimName<'n> {
    container: &'n str,
    pod: &'n str,
    namespace: &'n str,
    uid: &'n str,
    attempt: Option<i64>,
}

fn shim_name(name: &str) -> Option<ShimName<'_>> {
    let mut parts = name.split('_');
    if parts.next()? != "k8s" {
        return None;
    }
    let container = parts.next()?;
    let container = container.split('.').next().unwrap_or(container);
    let pod = parts.next()?;
    let namespace = parts.next()?;
    let uid = parts.next()?;
    let attempt = parts.next().and_then(|a| a.parse().ok());
    Some(ShimName {
        container,
        pod,
        namespace,
        uid,
        attempt,
    })
}

/// The observation of one inspect container object.
pub fn observation(c: &Container<'_, '_>, st: &DockerState<'_>) -> Observation {
    let name = c.name.get().map(|n| n.trim_start_matches('/'));
    let labels = c.config.and_then(|cfg| cfg.labels.get());
    let shim = name.and_then(shim_name);
    let mut o = Observation {
        format: Some(if c.podman {
            SourceFormat::PodmanInspect
        } else {
            SourceFormat::DockerInspect
        }),
        container: name.map(str::to_string),
        container_id: c.id.owned(),
        restart_count: c.restart_count.0,
        ..Observation::default()
    };
    o.image = if c.podman { c.image_name.owned() } else { None }
        .or_else(|| c.config.and_then(|cfg| cfg.image.owned()));
    let label_name = labels.and_then(|l| l.container_name.get());
    if label_name.is_some() || shim.is_some() {
        // Kubernetes-managed (dockershim): name, pod and restart count come
        // from kubelet's labels, else from the k8s_ name.
        o.container = label_name
            .or(shim.as_ref().map(|s| s.container))
            .map(str::to_string);
        o.pod = labels
            .and_then(|l| l.pod_name.get())
            .or(shim.as_ref().map(|s| s.pod))
            .map(str::to_string);
        o.namespace = labels
            .and_then(|l| l.pod_namespace.get())
            .or(shim.as_ref().map(|s| s.namespace))
            .map(str::to_string);
        o.pod_uid = labels
            .and_then(|l| l.pod_uid.get())
            .or(shim.as_ref().map(|s| s.uid))
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        o.restart_count = labels
            .and_then(|l| l.docker_restart_count.0)
            .or(shim.as_ref().and_then(|s| s.attempt))
            .or(o.restart_count);
        let sandbox = labels.and_then(|l| l.docker_type.get()) == Some("podsandbox")
            || o.container.as_deref() == Some("POD");
        if sandbox {
            o.container_type = ContainerType::Sandbox;
        }
    }
    if c.is_infra.0 == Some(true) {
        o.container_type = ContainerType::Sandbox;
    }
    let (state, last) = states(st);
    o.state = state;
    o.last_state = last;
    o.evidence.extend(health_evidence(st));
    o.finish();
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(json: &str) -> DockerState<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn restarting_is_waiting_with_last_exit() {
        let s = st(
            r#"{"Status":"restarting","Running":true,"Restarting":true,"ExitCode":127,
            "StartedAt":"2020-04-04T09:08:35.9Z","FinishedAt":"2020-04-04T09:08:36.0Z"}"#,
        );
        let (now, last) = states(&s);
        assert_eq!(now.status, Status::Waiting);
        let last = last.unwrap();
        assert_eq!(last.exit_code, Some(127));
        assert_eq!(last.finished_at.as_deref(), Some("2020-04-04T09:08:36Z"));
    }

    #[test]
    fn docker_1_8_without_status() {
        let s = st(
            r#"{"Running":false,"Paused":false,"Restarting":false,"OOMKilled":false,
            "Dead":false,"Pid":0,"ExitCode":2,"Error":"",
            "StartedAt":"2015-10-01T10:00:00.1Z","FinishedAt":"2015-10-01T10:00:05Z"}"#,
        );
        assert_eq!(states(&s).0.exit_code, Some(2));
        let s = st(
            r#"{"Running":false,"ExitCode":0,"StartedAt":"0001-01-01T00:00:00Z",
            "FinishedAt":"0001-01-01T00:00:00Z"}"#,
        );
        assert_eq!(states(&s).0.status, Status::Waiting);
    }

    #[test]
    fn state_cut_before_its_exit_code_is_unknown() {
        // A pasted `State` that ends after the booleans: created or exited?
        let s = st(r#"{"Running":false,"Paused":false,"Restarting":false,"OOMKilled":true}"#);
        assert_eq!(states(&s).0.status, Status::Unknown);
        let s = st(r#"{"Running":false,"Dead":false,"Pid":0,"ExitCode":0}"#);
        assert_eq!(states(&s).0.status, Status::Unknown);
        // What is there still tells: a non-zero exit, or a finish time.
        let s = st(r#"{"Running":false,"ExitCode":137}"#);
        assert_eq!(states(&s).0.status, Status::Terminated);
        let s = st(r#"{"Running":true,"Paused":false}"#);
        assert_eq!(states(&s).0.status, Status::Running);
    }

    #[test]
    fn health_log_codes_are_evidence_only() {
        let s = st(r#"{"Status":"running","Running":true,"ExitCode":0,
            "Health":{"Status":"unhealthy","FailingStreak":3,"Log":[
              {"ExitCode":0,"Output":"ok"},{"ExitCode":7,"Output":"\ncurl: (7) refused\nmore"}]}}"#);
        let (now, _) = states(&s);
        assert_eq!(now.exit_code, None);
        assert_eq!(
            health_evidence(&s).as_deref(),
            Some("health=unhealthy (failing streak 3): curl: (7) refused")
        );
    }

    #[test]
    fn shim_names() {
        let s = shim_name("k8s_app_web-1_default_0d3f_4").unwrap();
        assert_eq!(
            (s.container, s.pod, s.namespace, s.attempt),
            ("app", "web-1", "default", Some(4))
        );
        assert_eq!(
            shim_name("k8s_app.1a2b_web_ns_uid_ab12cd34")
                .unwrap()
                .container,
            "app"
        );
        assert!(shim_name("nginx").is_none());
    }
}
