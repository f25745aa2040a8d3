//! `crictl inspect` (containers) and `crictl inspectp` (pod sandboxes).
//! Fields read: `grammar/crictl.md`.

use serde::Deserialize;

use super::de::{Int, Obj, Str};
use super::inspect::KubeLabels;
use crate::model::{ContainerType, Observation, SourceFormat, State, Status};

/// One element of crictl's output: `{"info": …, "status": …}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Crictl<'a> {
    #[serde(borrow)]
    pub status: Obj<CriStatus<'a>>,
}

/// `status` (CRI ContainerStatus or PodSandboxStatus, camelCase).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CriStatus<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub metadata: Obj<CriMeta<'a>>,
    #[serde(borrow)]
    pub state: Str<'a>,
    #[serde(borrow)]
    pub started_at: Str<'a>,
    #[serde(borrow)]
    pub finished_at: Str<'a>,
    pub exit_code: Int,
    #[serde(borrow)]
    pub image: Obj<CriImage<'a>>,
    #[serde(borrow)]
    pub image_ref: Str<'a>,
    #[serde(borrow)]
    pub reason: Str<'a>,
    #[serde(borrow)]
    pub message: Str<'a>,
    #[serde(borrow)]
    pub labels: Obj<KubeLabels<'a>>,
    #[serde(borrow)]
    pub annotations: Obj<KubeLabels<'a>>,
}

/// `status.metadata`: a container's name and attempt, or a sandbox's pod.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CriMeta<'a> {
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub namespace: Str<'a>,
    #[serde(borrow)]
    pub uid: Str<'a>,
    pub attempt: Int,
}

/// `status.image`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CriImage<'a> {
    #[serde(borrow)]
    pub image: Str<'a>,
}

/// crictl before 2017 printed the CRI's integer nanoseconds.
fn cri_time(s: &Str<'_>) -> Option<String> {
    let raw = s.get()?;
    if raw.bytes().all(|b| b.is_ascii_digit()) {
        let ns: i64 = raw.parse().ok()?;
        let t = chrono::DateTime::from_timestamp(
            ns.div_euclid(1_000_000_000),
            ns.rem_euclid(1_000_000_000) as u32,
        )?;
        return crate::timefmt::normalize(&t.to_rfc3339()).ok().flatten();
    }
    crate::timefmt::normalize(raw).ok().flatten()
}

/// True for a sandbox status (`SANDBOX_READY` / `SANDBOX_NOTREADY`).
pub fn is_sandbox(st: &CriStatus<'_>) -> bool {
    st.state.get().is_some_and(|s| s.starts_with("SANDBOX_"))
}

/// The observation of one crictl status.
pub fn observation(st: &CriStatus<'_>) -> Observation {
    let labels = st.labels.get();
    let ann = st.annotations.get();
    let meta = st.metadata.get();
    let mut o = Observation {
        format: Some(SourceFormat::CrictlInspect),
        container_id: st.id.owned(),
        ..Observation::default()
    };
    if is_sandbox(st) {
        o.container_type = ContainerType::Sandbox;
        o.pod = meta.and_then(|m| m.name.owned());
        o.namespace = meta.and_then(|m| m.namespace.owned());
        o.pod_uid = meta.and_then(|m| m.uid.owned());
        o.restart_count = meta.and_then(|m| m.attempt.0);
        let mut s = State::new(match st.state.get() {
            Some("SANDBOX_READY") => Status::Running,
            Some("SANDBOX_NOTREADY") => Status::Terminated,
            _ => Status::Unknown,
        });
        s.started_at = None;
        o.state = s;
        o.finish();
        return o;
    }
    o.container = meta
        .and_then(|m| m.name.owned())
        .or_else(|| labels.and_then(|l| l.container_name.owned()));
    o.pod = labels.and_then(|l| l.pod_name.owned());
    o.namespace = labels.and_then(|l| l.pod_namespace.owned());
    o.pod_uid = labels.and_then(|l| l.pod_uid.owned());
    o.image = st
        .image
        .get()
        .and_then(|i| i.image.owned())
        .or_else(|| st.image_ref.owned());
    o.restart_count = ann
        .and_then(|a| a.restart_count.0)
        .or_else(|| meta.and_then(|m| m.attempt.0));
    let status = match st.state.get() {
        Some("CONTAINER_RUNNING") => Status::Running,
        Some("CONTAINER_CREATED") => Status::Waiting,
        Some("CONTAINER_EXITED") => Status::Terminated,
        _ => Status::Unknown,
    };
    let mut s = State::new(status);
    s.reason = st.reason.owned();
    s.message = st.message.owned();
    if status != Status::Waiting {
        s.started_at = cri_time(&st.started_at);
    }
    if status == Status::Terminated || status == Status::Unknown {
        s.finished_at = cri_time(&st.finished_at);
        s.exit_code = st.exit_code.0;
    }
    o.state = s;
    o.finish();
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exited_with_labels_and_epoch() {
        let c: Crictl = serde_json::from_str(
            r#"{"status":{"id":"ab","metadata":{"attempt":2,"name":"app"},"state":"CONTAINER_EXITED",
            "startedAt":"1970-01-01T01:00:00+01:00","finishedAt":"2024-01-01T10:00:00.5+02:00",
            "exitCode":-1073741819,"reason":"Error","labels":{"io.kubernetes.pod.name":"p",
            "io.kubernetes.pod.namespace":"n"},"annotations":{"io.kubernetes.container.restartCount":"5"}}}"#,
        )
        .unwrap();
        let o = observation(c.status.get().unwrap());
        assert_eq!(o.state.exit_code, Some(-1073741819));
        assert_eq!(o.state.started_at, None);
        assert_eq!(
            o.state.finished_at.as_deref(),
            Some("2024-01-01T08:00:00.500Z")
        );
        assert_eq!(o.restart_count, Some(5));
        assert_eq!(o.pod.as_deref(), Some("p"));
    }

    #[test]
    fn integer_nanoseconds() {
        assert_eq!(
            cri_time(&Str(Some("1500000000000000000".into()))).as_deref(),
            Some("2017-07-14T02:40:00Z")
        );
    }
}
