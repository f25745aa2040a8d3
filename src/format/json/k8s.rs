//! The Kubernetes Pod model (`kubectl get -o json|yaml`, PodList/List items,
//! cluster-info dumps, support bundles), shared by the JSON and YAML readers
//! through serde. Fields read: `grammar/k8s-pod.md`.

use serde::Deserialize;

use super::de::{Bool, Int, List, Obj, Str, time};
use crate::model::{ContainerType, Observation, SourceFormat, State, Status};

/// `metadata`: only the pod's identity.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Meta<'a> {
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub namespace: Str<'a>,
    #[serde(borrow)]
    pub uid: Str<'a>,
}

/// `spec`: the node and the declared containers (for pods whose statuses
/// are not filled in yet).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec<'a> {
    #[serde(borrow)]
    pub node_name: Str<'a>,
    #[serde(borrow)]
    pub init_containers: List<Obj<SpecContainer<'a>>>,
    #[serde(borrow)]
    pub containers: List<Obj<SpecContainer<'a>>>,
    #[serde(borrow)]
    pub ephemeral_containers: List<Obj<SpecContainer<'a>>>,
}

/// One container of the spec.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SpecContainer<'a> {
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub image: Str<'a>,
}

/// `status` of a Pod.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus<'a> {
    #[serde(borrow)]
    pub phase: Str<'a>,
    #[serde(borrow)]
    pub reason: Str<'a>,
    #[serde(borrow)]
    pub init_container_statuses: List<Obj<ContainerStatus<'a>>>,
    #[serde(borrow)]
    pub container_statuses: List<Obj<ContainerStatus<'a>>>,
    #[serde(borrow)]
    pub ephemeral_container_statuses: List<Obj<ContainerStatus<'a>>>,
}

/// A whole Pod object (`kind` may be missing in typed lists and dumps).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Pod<'a> {
    #[serde(borrow)]
    pub metadata: Obj<Meta<'a>>,
    #[serde(borrow)]
    pub spec: Obj<PodSpec<'a>>,
    #[serde(borrow)]
    pub status: Obj<PodStatus<'a>>,
}

/// One `ContainerStatus`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus<'a> {
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub state: Obj<ContainerState<'a>>,
    #[serde(borrow)]
    pub last_state: Obj<ContainerState<'a>>,
    pub ready: Bool,
    pub restart_count: Int,
    #[serde(borrow)]
    pub image: Str<'a>,
    #[serde(rename = "containerID", borrow)]
    pub container_id: Str<'a>,
}

/// `state` / `lastState`: at most one of the three is set.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContainerState<'a> {
    #[serde(borrow)]
    pub waiting: Obj<Waiting<'a>>,
    #[serde(borrow)]
    pub running: Obj<Running<'a>>,
    #[serde(borrow)]
    pub terminated: Obj<Terminated<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Waiting<'a> {
    #[serde(borrow)]
    pub reason: Str<'a>,
    #[serde(borrow)]
    pub message: Str<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Running<'a> {
    #[serde(borrow)]
    pub started_at: Str<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Terminated<'a> {
    pub exit_code: Int,
    pub signal: Int,
    #[serde(borrow)]
    pub reason: Str<'a>,
    #[serde(borrow)]
    pub message: Str<'a>,
    #[serde(borrow)]
    pub started_at: Str<'a>,
    #[serde(borrow)]
    pub finished_at: Str<'a>,
}

impl ContainerState<'_> {
    /// The state it holds; `None` for `{}`. `terminated` wins over the
    /// others should a hand-edited dump hold several.
    pub fn to_state(&self) -> Option<State> {
        if let Some(t) = self.terminated.get() {
            let mut s = State::new(Status::Terminated);
            s.exit_code = t.exit_code.0;
            // kubelet leaves signal 0 out; a 0 that is there means "none" too.
            s.signal = t.signal.0.filter(|&n| n != 0);
            s.reason = t.reason.owned();
            s.message = t.message.owned();
            s.started_at = time(&t.started_at);
            s.finished_at = time(&t.finished_at);
            return Some(s);
        }
        if let Some(r) = self.running.get() {
            let mut s = State::new(Status::Running);
            s.started_at = time(&r.started_at);
            return Some(s);
        }
        if let Some(w) = self.waiting.get() {
            let mut s = State::new(Status::Waiting);
            s.reason = w.reason.owned();
            s.message = w.message.owned();
            return Some(s);
        }
        None
    }
}

impl ContainerStatus<'_> {
    /// The observation for this status alone (no pod around it).
    pub fn observation(&self, format: SourceFormat, kind: ContainerType) -> Observation {
        let mut o = Observation {
            format: Some(format),
            container: self.name.owned(),
            container_type: kind,
            image: self.image.owned(),
            container_id: self.container_id.owned(),
            ready: self.ready.0,
            restart_count: self.restart_count.0,
            // An empty `state: {}` is how the API writes "waiting".
            state: self
                .state
                .get()
                .and_then(ContainerState::to_state)
                .unwrap_or_else(|| State::new(Status::Waiting)),
            last_state: self.last_state.get().and_then(ContainerState::to_state),
            ..Observation::default()
        };
        o.finish();
        o
    }
}

/// A location (line, offset) for the `index`th status of a kind, supplied
/// by the reader that knows where things are in its text.
pub type Locate<'f> = dyn FnMut(ContainerType, usize) -> Option<(u64, u64)> + 'f;

/// The pod-level fields every container record of a pod carries.
fn pod_fields(
    o: &mut Observation,
    meta: Option<&Meta<'_>>,
    spec: Option<&PodSpec<'_>>,
    status: Option<&PodStatus<'_>>,
) {
    if let Some(m) = meta {
        o.pod = m.name.owned();
        o.namespace = m.namespace.owned();
        o.pod_uid = m.uid.owned();
    }
    if let Some(s) = spec {
        o.node = s.node_name.owned();
    }
    if let Some(s) = status {
        o.pod_phase = s.phase.owned();
        o.pod_reason = s.reason.owned();
    }
}

/// The observations of one pod, init containers first, then app and
/// ephemeral containers (the order the pod runs them). Containers in the
/// spec without a status yet are reported as waiting while the pod is
/// Pending, unknown otherwise.
pub fn pod_observations(
    meta: Option<&Meta<'_>>,
    spec: Option<&PodSpec<'_>>,
    status: Option<&PodStatus<'_>>,
    format: SourceFormat,
    pod_loc: (u64, u64),
    locate: &mut Locate<'_>,
) -> Vec<Observation> {
    let mut out = Vec::new();
    let empty = List(Vec::new());
    let none = List(Vec::new());
    let groups: [Group<'_, '_>; 3] = [
        (
            ContainerType::Init,
            status.map_or(&empty, |s| &s.init_container_statuses),
            spec.map_or(&none, |s| &s.init_containers),
        ),
        (
            ContainerType::Container,
            status.map_or(&empty, |s| &s.container_statuses),
            spec.map_or(&none, |s| &s.containers),
        ),
        (
            ContainerType::Ephemeral,
            status.map_or(&empty, |s| &s.ephemeral_container_statuses),
            spec.map_or(&none, |s| &s.ephemeral_containers),
        ),
    ];
    let pending = status
        .and_then(|s| s.phase.get())
        .is_none_or(|p| p == "Pending");
    for (kind, statuses, declared) in groups {
        let mut seen = Vec::new();
        for (i, cs) in statuses.0.iter().enumerate() {
            let Some(cs) = cs.get() else { continue };
            // A status without a name is what is left of one cut short.
            if cs.name.get().is_none() {
                continue;
            }
            let mut o = cs.observation(format, kind);
            (o.line, o.offset) = locate(kind, i).unwrap_or(pod_loc);
            pod_fields(&mut o, meta, spec, status);
            if let Some(n) = cs.name.get() {
                seen.push(n.to_string());
            }
            out.push(o);
        }
        for c in declared.0.iter().filter_map(Obj::get) {
            let Some(name) = c.name.get() else { continue };
            if seen.iter().any(|s| s == name) {
                continue;
            }
            let mut o = Observation {
                format: Some(format),
                container: Some(name.to_string()),
                container_type: kind,
                image: c.image.owned(),
                state: State::new(if pending {
                    Status::Waiting
                } else {
                    Status::Unknown
                }),
                line: pod_loc.0,
                offset: pod_loc.1,
                ..Observation::default()
            };
            pod_fields(&mut o, meta, spec, status);
            o.finish();
            out.push(o);
        }
    }
    // Fill the images the statuses left empty from the spec.
    if let Some(s) = spec {
        for o in out.iter_mut().filter(|o| o.image.is_none()) {
            let declared = match o.container_type {
                ContainerType::Init => &s.init_containers,
                ContainerType::Ephemeral => &s.ephemeral_containers,
                _ => &s.containers,
            };
            o.image = declared
                .0
                .iter()
                .filter_map(Obj::get)
                .find(|c| c.name.get() == o.container.as_deref())
                .and_then(|c| c.image.owned());
        }
    }
    out
}

/// One kind of container: its statuses and its spec entries.
type Group<'x, 'a> = (
    ContainerType,
    &'x List<Obj<ContainerStatus<'a>>>,
    &'x List<Obj<SpecContainer<'a>>>,
);

/// Observations of a whole Pod.
pub fn pod(
    p: &Pod<'_>,
    format: SourceFormat,
    pod_loc: (u64, u64),
    locate: &mut Locate<'_>,
) -> Vec<Observation> {
    pod_observations(
        p.metadata.get(),
        p.spec.get(),
        p.status.get(),
        format,
        pod_loc,
        locate,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminated_state_with_null_times() {
        let cs: ContainerStatus = serde_json::from_str(
            r#"{"name":"app","ready":false,"restartCount":2,"image":"i","imageID":"",
                "state":{"terminated":{"exitCode":137,"reason":"ContainerStatusUnknown",
                "message":"The container could not be located when the pod was terminated",
                "startedAt":null,"finishedAt":null}},"lastState":{}}"#,
        )
        .unwrap();
        let o = cs.observation(SourceFormat::K8sJson, ContainerType::Container);
        assert_eq!(o.state.status, Status::Terminated);
        assert_eq!(o.state.exit_code, Some(137));
        assert_eq!(o.state.started_at, None);
        assert_eq!(o.last_state, None);
        assert_eq!(o.restart_count, Some(2));
    }

    #[test]
    fn empty_state_is_waiting() {
        let cs: ContainerStatus = serde_json::from_str(r#"{"name":"a","state":{}}"#).unwrap();
        let o = cs.observation(SourceFormat::K8sJson, ContainerType::Init);
        assert_eq!(o.state.status, Status::Waiting);
    }
}
