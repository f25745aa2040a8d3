//! Kubernetes Events found beside the pods (`kubectl cluster-info dump`'s
//! EventList, `kubectl get pods,events -o json`), attached to the records of
//! the containers they are about as `"Reason: message"`.

use std::collections::HashMap;

use serde::Deserialize;

use super::de::{List, Obj, Str};
use crate::bundle::events::ROUTINE;
use crate::model::Observation;

/// One `Event` (core/v1).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event<'a> {
    #[serde(borrow)]
    pub involved_object: Obj<Involved<'a>>,
    #[serde(borrow)]
    pub reason: Str<'a>,
    #[serde(borrow)]
    pub message: Str<'a>,
}

/// `involvedObject`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Involved<'a> {
    #[serde(borrow)]
    pub kind: Str<'a>,
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(borrow)]
    pub namespace: Str<'a>,
    #[serde(borrow)]
    pub field_path: Str<'a>,
}

/// An `EventList` (items carry no kind).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventList<'a> {
    #[serde(borrow)]
    pub items: List<Obj<Event<'a>>>,
}

/// Bounds on what one input may make us keep.
const MAX_PODS: usize = 100_000;
const MAX_PER_POD: usize = 50;

/// One kept event: the container it names (`None` for the whole pod) and
/// its `"Reason: message"` text.
type Kept = (Option<String>, String);

/// Events by (namespace, pod).
#[derive(Debug, Default)]
pub struct Events {
    by_pod: HashMap<(String, String), Vec<Kept>>,
}

/// `spec.containers{web}` → `web`.
fn container_of(field_path: &str) -> Option<&str> {
    let start = field_path.find('{')? + 1;
    let end = field_path[start..].find('}')? + start;
    Some(&field_path[start..end])
}

impl Events {
    /// Keeps one event if it is about a pod and not routine.
    pub fn add(&mut self, e: &Event<'_>) {
        let Some(obj) = e.involved_object.get() else {
            return;
        };
        let (Some("Pod"), Some(name), Some(reason)) =
            (obj.kind.get(), obj.name.get(), e.reason.get())
        else {
            return;
        };
        if ROUTINE.contains(&reason) {
            return;
        }
        let key = (
            obj.namespace.get().unwrap_or("").to_string(),
            name.to_string(),
        );
        if !self.by_pod.contains_key(&key) && self.by_pod.len() >= MAX_PODS {
            return;
        }
        let list = self.by_pod.entry(key).or_default();
        if list.len() >= MAX_PER_POD {
            return;
        }
        let text = match e.message.get() {
            Some(m) => format!("{reason}: {}", m.trim()),
            None => reason.to_string(),
        };
        let container = obj
            .field_path
            .get()
            .and_then(container_of)
            .map(str::to_string);
        list.push((container, text));
    }

    /// Adds each pod's events to its containers' records: events naming a
    /// container go to that container, pod-wide ones to all of them.
    pub fn attach(&self, observations: &mut [Observation]) {
        if self.by_pod.is_empty() {
            return;
        }
        for o in observations.iter_mut() {
            let Some(pod) = &o.pod else { continue };
            let key = (o.namespace.clone().unwrap_or_default(), pod.clone());
            let Some(list) = self.by_pod.get(&key) else {
                continue;
            };
            for (c, text) in list {
                if c.is_none() || c == &o.container {
                    o.events.push(text.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_and_pod_events() {
        let mut ev = Events::default();
        let list: EventList = serde_json::from_str(
            r#"{"items":[
              {"involvedObject":{"kind":"Pod","name":"p","namespace":"n","fieldPath":"spec.containers{app}"},
               "reason":"Unhealthy","message":"Liveness probe failed: HTTP probe failed with statuscode: 500"},
              {"involvedObject":{"kind":"Pod","name":"p","namespace":"n","fieldPath":"spec.containers{app}"},
               "reason":"Pulled","message":"Successfully pulled image"},
              {"involvedObject":{"kind":"Pod","name":"p","namespace":"n"},"reason":"Evicted","message":"The node was low on resource: memory. "},
              {"involvedObject":{"kind":"Node","name":"w1"},"reason":"OOMKilling","message":"Killed process 1"}]}"#,
        )
        .unwrap();
        for e in list.items.0.iter().filter_map(Obj::get) {
            ev.add(e);
        }
        let mut obs = vec![
            Observation {
                pod: Some("p".into()),
                namespace: Some("n".into()),
                container: Some("app".into()),
                ..Default::default()
            },
            Observation {
                pod: Some("p".into()),
                namespace: Some("n".into()),
                container: Some("side".into()),
                ..Default::default()
            },
        ];
        ev.attach(&mut obs);
        assert_eq!(
            obs[0].events,
            vec![
                "Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500"
                    .to_string(),
                "Evicted: The node was low on resource: memory.".to_string()
            ]
        );
        assert_eq!(
            obs[1].events,
            vec!["Evicted: The node was low on resource: memory.".to_string()]
        );
    }
}
