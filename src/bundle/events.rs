//! Events as bundle evidence: EventList files (JSON, YAML) and `kubectl get
//! events` tables, each event kept small (names, reason, message, where).
//! Joined to the pods of the same bundle in [`super::join`].

use serde::Deserialize;

use crate::format::json::scan;

/// One event about a pod, and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub namespace: String,
    pub pod: String,
    pub pod_uid: Option<String>,
    /// From `fieldPath` (`spec.containers{app}`); `None`: the whole pod.
    pub container: Option<String>,
    pub reason: String,
    pub message: String,
    pub line: u64,
}

impl Event {
    /// `"Reason: message"`, as the record's `events` holds it.
    pub fn text(&self) -> String {
        if self.message.is_empty() {
            self.reason.clone()
        } else {
            format!("{}: {}", self.reason, self.message)
        }
    }
}

/// Routine lifecycle events that say nothing about an exit (also for the
/// events in a pods file, `format::json::events`).
pub const ROUTINE: &[&str] = &[
    "Scheduled",
    "Pulling",
    "Pulled",
    "Created",
    "Started",
    "AddedInterface",
    "SuccessfulCreate",
];

/// Longest message kept (bytes); events carry probe output and such.
const MAX_MESSAGE: usize = 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawEvent {
    involved_object: Option<RawInvolved>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawInvolved {
    kind: Option<String>,
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    field_path: Option<String>,
}

fn keep(raw: RawEvent, line: u64) -> Option<Event> {
    let obj = raw.involved_object?;
    if obj.kind.as_deref() != Some("Pod") {
        return None;
    }
    let reason = raw.reason?;
    if ROUTINE.contains(&reason.as_str()) {
        return None;
    }
    Some(Event {
        namespace: obj.namespace.unwrap_or_default(),
        pod: obj.name?,
        pod_uid: obj.uid.filter(|u| !u.is_empty()),
        container: obj.field_path.as_deref().and_then(container_of),
        reason,
        message: clip(raw.message.as_deref().unwrap_or("").trim()),
        line,
    })
}

fn clip(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.len() <= MAX_MESSAGE {
        return s;
    }
    let mut cut = MAX_MESSAGE;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &s[..cut])
}

/// `spec.containers{web}` → `web`.
pub fn container_of(field_path: &str) -> Option<String> {
    let start = field_path.find('{')? + 1;
    let end = field_path[start..].find('}')? + start;
    Some(field_path[start..end].to_string())
}

/// Events of a file, whichever of the three shapes it has. Unreadable
/// items are passed over: events only add evidence, they never make
/// records, so a damaged one costs nothing but itself.
pub fn read(text: &[u8]) -> Vec<Event> {
    let start = scan::skip_ws(text, 0);
    match text.get(start) {
        Some(b'{') | Some(b'[') => json(text, start),
        _ => {
            let first = text
                .split(|&b| b == b'\n')
                .find(|l| !l.trim_ascii().is_empty());
            match first.and_then(|l| table_columns(&String::from_utf8_lossy(l))) {
                Some(_) => table(text),
                None => yaml(text),
            }
        }
    }
}

fn json(b: &[u8], start: usize) -> Vec<Event> {
    let items = if b[start] == b'[' {
        scan::array_elements(b, start)
    } else {
        scan::object_entries(b, start)
            .into_iter()
            .find(|(k, _, _)| *k == b"items")
            .map(|(_, vs, _)| scan::array_elements(b, vs))
            .unwrap_or_default()
    };
    let mut lines = scan::Lines::new(1);
    let mut out = Vec::new();
    for at in items {
        let Some(end) = scan::skip_value(b, at) else {
            break;
        };
        let line = lines.at(b, at);
        if let Ok(raw) = serde_json::from_slice::<RawEvent>(&b[at..end])
            && let Some(e) = keep(raw, line)
        {
            out.push(e);
        }
    }
    out
}

/// A YAML EventList as kubectl and must-gather write it: `items:` then one
/// `- ` item per event at the start of a line. Each item is read on its
/// own, so one bad item loses only itself.
fn yaml(b: &[u8]) -> Vec<Event> {
    let text = String::from_utf8_lossy(b);
    let mut out = Vec::new();
    let mut item: Option<(u64, String)> = None;
    let mut in_items = false;
    let flush = |item: &mut Option<(u64, String)>, out: &mut Vec<Event>| {
        if let Some((line, body)) = item.take()
            && let Ok(raw) = serde_saphyr::from_str::<RawEvent>(&body)
            && let Some(e) = keep(raw, line)
        {
            out.push(e);
        }
    };
    for (i, l) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if l.starts_with("items:") {
            in_items = true;
            continue;
        }
        if !in_items {
            continue;
        }
        if let Some(rest) = l.strip_prefix("- ") {
            flush(&mut item, &mut out);
            item = Some((line, format!("{rest}\n")));
        } else if let Some(rest) = l.strip_prefix("  ") {
            if let Some((_, body)) = &mut item {
                body.push_str(rest);
                body.push('\n');
            }
        } else if !l.trim().is_empty() {
            // Back at the top level (`kind: EventList`, `metadata:`).
            flush(&mut item, &mut out);
            in_items = false;
        }
    }
    flush(&mut item, &mut out);
    out
}

/// Column starts of a `kubectl get events` header: current
/// (`[NAMESPACE] LAST SEEN TYPE REASON OBJECT MESSAGE`) and `-o wide`
/// (`… OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME`).
#[derive(Debug, Clone)]
pub struct Columns {
    /// Every column's start: a word after two or more spaces (headers
    /// like `LAST SEEN` hold one).
    starts: Vec<usize>,
    namespace: Option<usize>,
    reason: usize,
    object: usize,
    subobject: Option<usize>,
    message: usize,
    message_end: Option<usize>,
}

pub fn table_columns(header: &str) -> Option<Columns> {
    let h = header.trim_end();
    if !h.contains("LAST SEEN") {
        return None;
    }
    let col = |name: &str| -> Option<usize> {
        h.match_indices(name).map(|(i, _)| i).find(|&i| {
            let before = i == 0 || h.as_bytes()[i - 1] == b' ';
            let after = h[i + name.len()..].is_empty() || h.as_bytes()[i + name.len()] == b' ';
            before && after
        })
    };
    let b = h.as_bytes();
    let starts = (0..b.len())
        .filter(|&i| b[i] != b' ' && (i == 0 || (i >= 2 && b[i - 1] == b' ' && b[i - 2] == b' ')))
        .collect();
    Some(Columns {
        starts,
        namespace: col("NAMESPACE"),
        reason: col("REASON")?,
        object: col("OBJECT")?,
        subobject: col("SUBOBJECT"),
        message: col("MESSAGE")?,
        message_end: col("FIRST SEEN"),
    })
}

fn cell(line: &str, from: usize, to: Option<usize>) -> &str {
    let to = to.unwrap_or(line.len()).min(line.len());
    let from = from.min(to);
    match (line.get(from..to), line.get(from..)) {
        (Some(s), _) => s.trim(),
        (None, Some(s)) => s.trim(),
        _ => "",
    }
}

/// Next column start after `from` among the known ones.
fn next_col(c: &Columns, from: usize) -> Option<usize> {
    c.starts.iter().copied().find(|&x| x > from)
}

fn table(b: &[u8]) -> Vec<Event> {
    let text = String::from_utf8_lossy(b);
    let mut cols: Option<Columns> = None;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(c) = table_columns(l) {
            cols = Some(c);
            continue;
        }
        let Some(c) = &cols else { continue };
        let reason = cell(l, c.reason, next_col(c, c.reason));
        let object = cell(l, c.object, next_col(c, c.object));
        let Some(pod) = object
            .strip_prefix("pod/")
            .or_else(|| object.strip_prefix("Pod/"))
        else {
            continue;
        };
        if reason.is_empty() || ROUTINE.contains(&reason) {
            continue;
        }
        let namespace = c
            .namespace
            .map(|n| cell(l, n, next_col(c, n)).to_string())
            .unwrap_or_default();
        let container = c
            .subobject
            .map(|s| cell(l, s, next_col(c, s)))
            .and_then(container_of);
        out.push(Event {
            namespace,
            pod: pod.to_string(),
            pod_uid: None,
            container,
            reason: reason.to_string(),
            message: clip(cell(l, c.message, c.message_end)),
            line: i as u64 + 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_list_json_with_lines() {
        let text = br#"{"kind":"EventList","items":[
 {"involvedObject":{"kind":"Pod","name":"p","namespace":"n","uid":"u1","fieldPath":"spec.containers{app}"},
  "reason":"Pulled","message":"ok"},
 {"involvedObject":{"kind":"Pod","name":"p","namespace":"n","uid":"u1","fieldPath":"spec.containers{app}"},
  "reason":"OOMKilling","message":"Memory cgroup out of memory: Killed process 7 (java)"}]}"#;
        let ev = read(text);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].line, 4);
        assert_eq!(ev[0].container.as_deref(), Some("app"));
        assert_eq!(
            ev[0].text(),
            "OOMKilling: Memory cgroup out of memory: Killed process 7 (java)"
        );
    }

    #[test]
    fn event_list_yaml() {
        let text = b"apiVersion: v1\nitems:\n- apiVersion: v1\n  involvedObject:\n    fieldPath: spec.containers{web}\n    kind: Pod\n    name: w-1\n    namespace: shop\n  message: 'Liveness probe failed: HTTP probe failed with statuscode: 500'\n  reason: Unhealthy\nkind: EventList\n";
        let ev = read(text);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!((ev[0].line, ev[0].pod.as_str()), (3, "w-1"));
        assert!(ev[0].message.starts_with("Liveness probe failed"));
    }

    #[test]
    fn get_events_tables() {
        let text = b"NAMESPACE   LAST SEEN   TYPE      REASON      OBJECT          MESSAGE\nshop        2m          Warning   Unhealthy   pod/web-1       Liveness probe failed: connection refused\nshop        2m          Normal    Pulled      pod/web-1       pulled\n";
        let ev = read(text);
        assert_eq!(ev.len(), 1);
        assert_eq!(
            (ev[0].namespace.as_str(), ev[0].container.as_deref()),
            ("shop", None)
        );
        let wide = b"NAMESPACE   LAST SEEN   TYPE      REASON    OBJECT      SUBOBJECT               SOURCE         MESSAGE                       FIRST SEEN   COUNT   NAME\nshop        2m          Warning   BackOff   pod/web-1   spec.containers{app}    kubelet, n1    Back-off restarting failed    10m          7       web-1.17\n";
        let ev = read(wide);
        assert_eq!(ev[0].container.as_deref(), Some("app"));
        assert_eq!(ev[0].message, "Back-off restarting failed");
    }
}
