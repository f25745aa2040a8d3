//! Kubernetes YAML: `kubectl get pod(s) -o yaml` (a Pod or a `List`), must-
//! gather / `oc adm inspect` files (`core/pods.yaml` lists, `<pod>.yaml`),
//! multi-document streams (`---`), and `status:` cuts of a Pod. The Pod
//! model is the JSON reader's ([`super::json::k8s`]), read through serde.
//!
//! Each document is parsed on its own (serde-saphyr, with budgets against
//! alias bombs and deep nesting), so a broken one is told and the others
//! are still read. Column-0 lines that cannot be YAML (a shell prompt, a
//! note) are blanked before parsing; a pasted `kubectl get pod NAME` names
//! the pod when the document does not.

mod fast;
#[cfg(test)]
mod fast_tests;
mod scan;
#[cfg(test)]
mod scan_tests;

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::crictl::{self, Crictl};
use super::json::de::{List, Obj, Present, Str};
use super::json::hint::{self, Hint};
use super::json::k8s::{self, ContainerStatus, Meta, PodSpec, PodStatus};
use super::json::scan::Lines;
use super::json::{core_api, other_kind};
use super::{Chunk, Diagnostic, Parsed, Skipped};
use crate::model::{ContainerType, Observation, SourceFormat, Status};

/// One document, whatever it is: a Pod, a List/PodList, another object, a
/// bare PodStatus or ContainerStatus.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Doc<'a> {
    #[serde(borrow)]
    kind: Str<'a>,
    #[serde(borrow)]
    api_version: Str<'a>,
    #[serde(borrow)]
    metadata: Obj<Meta<'a>>,
    #[serde(borrow)]
    spec: Obj<PodSpec<'a>>,
    #[serde(borrow)]
    status: Obj<PodStatus<'a>>,
    #[serde(borrow)]
    items: List<Obj<Doc<'a>>>,
    name: Present,
    state: Present,
    last_state: Present,
    container_statuses: Present,
    init_container_statuses: Present,
    phase: Present,
}

/// A `List`/`PodList`, or kind-less `items` (judged by its items).
fn is_list(d: &Doc<'_>) -> bool {
    match d.kind.get() {
        Some(k) => matches!(k, "List" | "PodList"),
        None => !d.items.0.is_empty(),
    }
}

/// `--verbose`'s word for YAML of no known shape.
const NOT_A_DUMP: &str = "YAML that is not a container, pod or list of them";

fn options() -> serde_saphyr::Options {
    // Pod YAML never needs aliases: a few are allowed, replaying them is
    // capped hard (a billion-laughs document fails fast).
    let mut opts = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 64,
            max_nodes: 20_000_000,
            max_events: 40_000_000,
            max_documents: 1,
            max_total_scalar_bytes: 1 << 30,
        },
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        with_snippet: false,
    };
    opts.alias_limits.max_total_replayed_events = 10_000;
    opts.alias_limits.max_replay_stack_depth = 8;
    opts
}

/// Parses one chunk.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    parse_with(chunk, true)
}

/// Parses one chunk with serde-saphyr alone, never the fast path: what
/// the fast path is compared with (tests, benches).
#[doc(hidden)]
pub fn parse_full(chunk: Chunk<'_>) -> Parsed {
    parse_with(chunk, false)
}

/// Whether the fast path reads `body` (one document) itself; the reason
/// it gives the document to the full parser otherwise. For the tests.
#[doc(hidden)]
pub fn fast_path_reads(body: &str) -> Result<(), &'static str> {
    fast::document(body).map(|_| ()).map_err(|f| f.0)
}

fn parse_with(chunk: Chunk<'_>, fast: bool) -> Parsed {
    let text = super::text_keeping_offsets(chunk.bytes);
    let mut r = Reader {
        text: &text,
        first_offset: chunk.first_offset,
        lines: Lines::new(chunk.first_line),
        out: Parsed::default(),
        hint: None,
        fast,
    };
    for d in scan::documents(&text) {
        r.document(d);
    }
    let first_offset = chunk.first_offset;
    // The status printed last (init containers may be read after it).
    if let Some(last) = r.out.observations.iter_mut().max_by_key(|o| o.offset) {
        cut_state(&text, first_offset, last);
    }
    r.out
}

/// A paste cut inside its last container status, before that status's
/// `state:` (kubectl prints it last) or right after it: the API would call
/// the missing state `waiting`, but the paste simply does not show it.
fn cut_state(text: &str, first_offset: u64, o: &mut Observation) {
    let Some(last) = text.lines().rev().find(|l| !l.trim().is_empty()) else {
        return;
    };
    let inside = last.starts_with(' ') || last.starts_with('-');
    if !inside || o.state.status != Status::Waiting || o.state.reason.is_some() {
        return;
    }
    let from = usize::try_from(o.offset.saturating_sub(first_offset)).unwrap_or(usize::MAX);
    let Some(rest) = text.get(from..) else { return };
    let shown = rest.lines().skip(1).any(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with("waiting:")
    });
    let state_line = rest.lines().skip(1).any(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with("state:")
    });
    let state_empty = rest.lines().any(|l| l.trim() == "state: {}");
    if !shown && !state_empty && (!state_line || last.trim_end().ends_with(':')) {
        o.state = crate::model::State::new(Status::Unknown);
    }
}

struct Reader<'t> {
    text: &'t str,
    first_offset: u64,
    lines: Lines,
    out: Parsed,
    hint: Option<Hint>,
    /// Try the fast path on each document first.
    fast: bool,
}

/// A column-0 line that a YAML document could hold.
fn yamlish(line: &str) -> bool {
    let Some(c) = line.chars().next() else {
        return true;
    };
    if matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | '#' | '-' | '"' | '\'' | '{' | '[' | '}' | ']'
    ) {
        return true;
    }
    // `key:` or `key: value`, the key one plain word.
    match line.find(':') {
        Some(i) => {
            let key = &line[..i];
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
                && line[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace())
        }
        None => false,
    }
}

/// The item positions of every status list and `items:` list of one
/// document, found once per document (a must-gather list holds thousands
/// of pods; searching per pod would be quadratic). Found by
/// [`scan::documents`] in its one pass over the text.
#[derive(Debug, PartialEq)]
struct Sections {
    init: Vec<(usize, Vec<usize>)>,
    containers: Vec<(usize, Vec<usize>)>,
    ephemeral: Vec<(usize, Vec<usize>)>,
    items: Vec<(usize, Vec<usize>)>,
}

impl Sections {
    /// The items of the first list of `lists` whose key is at or after `rel`.
    fn first_after(lists: &[(usize, Vec<usize>)], rel: usize) -> &[usize] {
        let i = lists.partition_point(|(k, _)| *k < rel);
        lists.get(i).map_or(&[], |(_, v)| v.as_slice())
    }
}

impl Reader<'_> {
    fn loc(&mut self, pos: usize) -> (u64, u64) {
        let line = self.lines.at(self.text.as_bytes(), pos);
        let start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        (line, self.first_offset + start as u64)
    }

    fn document(&mut self, d: scan::DocSpan) {
        let scan::DocSpan {
            start,
            end,
            clean,
            secs,
        } = d;
        let raw = &self.text[start..end];
        // Blank out text lines, keeping every byte position; built in one
        // pass (replacing in place would be quadratic).
        let mut body = Cow::Borrowed(raw);
        if !clean {
            let mut owned = String::with_capacity(raw.len());
            for line in raw.split_inclusive('\n') {
                if yamlish(line) {
                    owned.push_str(line);
                    continue;
                }
                if let Some(h) = hint::command(line.trim_end()) {
                    self.hint = Some(h);
                }
                let content = line.strip_suffix('\n').unwrap_or(line);
                owned.extend(std::iter::repeat_n(' ', content.len()));
                if line.ends_with('\n') {
                    owned.push('\n');
                }
            }
            body = Cow::Owned(owned);
        }
        if body.trim().is_empty() {
            return;
        }
        let first_content = start + (body.len() - body.trim_start().len());
        let first_content = self.text[..first_content]
            .rfind('\n')
            .map_or(0, |i| i + 1)
            .max(start);
        let first = self.out.observations.len();
        let fast = if self.fast {
            fast::document(&body).ok()
        } else {
            None
        };
        let doc = match fast {
            Some(fast::Top::Map { doc, items }) => {
                // As `DocSeed` does: the items first, each on its own.
                if let Some(items) = &items {
                    let positions =
                        Sections::first_after(&secs.items, first_content.saturating_sub(start));
                    for (i, item) in items.iter().enumerate() {
                        if let Some(item) = item.get() {
                            let item_at = positions.get(i).map_or(first_content, |p| start + p);
                            self.doc(item, &body, &secs, start, item_at);
                        }
                    }
                }
                Some((*doc, items.is_some()))
            }
            Some(fast::Top::Seq(docs)) => {
                self.sequence(docs, &body, &secs, start, first_content);
                self.apply_hint(first);
                return;
            }
            None => match self.full(&body, &secs, start, first_content) {
                Ok(doc) => doc,
                Err(e) => {
                    let rel = e.location().map_or(0, |l| l.line());
                    let base = self.lines.at(self.text.as_bytes(), start);
                    let line = if rel > 0 { base + rel - 1 } else { base };
                    let msg = e.to_string();
                    let msg = msg.lines().next().unwrap_or("").trim();
                    // Its position is relative to the document; ours is absolute.
                    let msg = msg.split(" at line ").next().unwrap_or(msg);
                    self.out.diagnostics.push(Diagnostic::error(
                        line,
                        format!("invalid YAML document: {msg}"),
                    ));
                    self.apply_hint(first);
                    return;
                }
            },
        };
        match doc {
            // A List's items were read (and reported) while parsing; an
            // empty `kubectl get pods -o yaml` is still a dump, an empty
            // DeploymentList is not.
            Some((d, true)) => match d.kind.get() {
                Some(_) if is_list(&d) => self.out.found_dump = true,
                Some(k) if k.ends_with("List") => {
                    let (line, _) = self.loc(first_content);
                    self.skip(line, other_kind(k));
                }
                _ => {}
            },
            Some((d, false)) => self.doc(&d, &body, &secs, start, first_content),
            None => {
                let docs =
                    serde_saphyr::from_str_with_options(&body, options()).unwrap_or_default();
                self.sequence(docs, &body, &secs, start, first_content);
            }
        }
        self.apply_hint(first);
    }

    /// One document through serde-saphyr; a List's items are read (and
    /// reported) while it is parsed.
    fn full<'b>(
        &mut self,
        body: &'b str,
        secs: &Sections,
        start: usize,
        first_content: usize,
    ) -> Result<Option<(Doc<'b>, bool)>, serde_saphyr::Error> {
        let seed = DocSeed {
            r: self,
            body,
            secs,
            start,
            at: first_content,
        };
        serde_saphyr::with_deserializer_from_str_with_options(body, options(), |de| {
            seed.deserialize(de)
        })
    }

    /// A sequence at the top: `jq .status.containerStatuses | yq`, or
    /// objects listed without a `List` around them (a support bundle's
    /// `custom-resources/*.yaml`, `yq .items`). Each item is judged on its
    /// own, as a List's items are.
    fn sequence(
        &mut self,
        docs: List<Obj<Doc>>,
        body: &str,
        secs: &Sections,
        start: usize,
        first_content: usize,
    ) {
        let items = list_items_top(body);
        let mut statuses: Option<List<Obj<ContainerStatus>>> = None;
        for (i, d) in docs.0.iter().enumerate() {
            let at = items.get(i).map_or(first_content, |p| start + p);
            let Some(d) = d.get() else {
                let (line, _) = self.loc(at);
                self.skip(line, NOT_A_DUMP);
                continue;
            };
            if d.kind.get().is_some() || !(d.name.0 && (d.state.0 || d.last_state.0)) {
                self.doc(d, body, secs, start, at);
                continue;
            }
            // A container status: read as one (the items are few).
            let list = statuses.get_or_insert_with(|| {
                serde_saphyr::from_str_with_options(body, options()).unwrap_or_default()
            });
            match list.0.get(i).and_then(Obj::get) {
                Some(cs) if cs.state.get().is_some() || cs.last_state.get().is_some() => {
                    self.out.found_dump = true;
                    let mut o = cs.observation(SourceFormat::K8sYaml, ContainerType::Container);
                    (o.line, o.offset) = self.loc(at);
                    self.out.observations.push(o);
                }
                _ => {
                    let (line, _) = self.loc(at);
                    self.skip(line, NOT_A_DUMP);
                }
            }
        }
    }

    /// Passes over what is not a dump: told only with `--verbose`.
    fn skip(&mut self, line: u64, what: impl Into<String>) {
        self.out.skipped.push(Skipped {
            line,
            what: what.into(),
        });
    }

    /// Fills the pod a pasted `kubectl get pod NAME` gave, where missing.
    fn apply_hint(&mut self, first: usize) {
        if let Some(h) = &self.hint {
            for o in &mut self.out.observations[first..] {
                if o.pod.is_none() {
                    o.pod.clone_from(&h.pod);
                    if o.namespace.is_none() {
                        o.namespace.clone_from(&h.namespace);
                    }
                }
            }
        }
    }

    /// One parsed document (or List item) whose text starts at `at`.
    fn doc(&mut self, d: &Doc<'_>, body: &str, secs: &Sections, start: usize, at: usize) {
        let kind = d.kind.get();
        // Typed lists of other kinds (DeploymentList, NodeList …) hold no
        // pods: passed over whole, as the JSON reader does.
        if let Some(k) = kind.filter(|k| k.ends_with("List") && !matches!(*k, "List" | "PodList")) {
            let (line, _) = self.loc(at);
            self.skip(line, other_kind(k));
            return;
        }
        if is_list(d) {
            if kind.is_some() {
                self.out.found_dump = true;
            }
            let item_pos = Sections::first_after(&secs.items, at.saturating_sub(start));
            for (i, item) in d.items.0.iter().enumerate() {
                let Some(item) = item.get() else { continue };
                let item_at = item_pos.get(i).map_or(at, |p| start + p);
                self.doc(item, body, secs, start, item_at);
            }
            return;
        }
        let status = d.status.get();
        // Only a Pod, whatever keys other kinds have (a Deployment's pod
        // template is not a pod). Without a kind, a `phase` alone is no
        // pod either (PVCs, Namespaces, custom resources have one), nor
        // `spec.containers` without a `status` (a template cut).
        let pod_shaped = (kind == Some("Pod") && core_api(&d.api_version))
            || (kind.is_none()
                && ((status.is_some()
                    && d.spec.get().is_some_and(|s| !s.containers.0.is_empty()))
                    || status.is_some_and(|s| {
                        !s.container_statuses.0.is_empty()
                            || !s.init_container_statuses.0.is_empty()
                    })));
        if pod_shaped {
            self.out.found_dump = true;
            self.pod(d.metadata.get(), d.spec.get(), status, secs, start, at);
            return;
        }
        if let Some(k) = kind {
            let (line, _) = self.loc(at);
            self.skip(line, other_kind(k));
            return;
        }
        let rest = &body[at.saturating_sub(start).min(body.len())..];
        if d.container_statuses.0 || d.init_container_statuses.0 || d.phase.0 {
            if let Ok(s) = serde_saphyr::from_str_with_options::<PodStatus>(rest, options()) {
                self.out.found_dump = true;
                self.pod(None, None, Some(&s), secs, start, at);
            }
            return;
        }
        if d.name.0 && (d.state.0 || d.last_state.0) {
            if let Ok(cs) = serde_saphyr::from_str_with_options::<ContainerStatus>(rest, options())
            {
                self.out.found_dump = true;
                let mut o = cs.observation(SourceFormat::K8sYaml, ContainerType::Container);
                (o.line, o.offset) = self.loc(at);
                self.out.observations.push(o);
            }
            return;
        }
        // `crictl inspect -o yaml`.
        if d.status.get().is_some() {
            if let Ok(c) = serde_saphyr::from_str_with_options::<Crictl>(rest, options()) {
                if let Some(st) = c.status.get().filter(|st| {
                    st.state
                        .get()
                        .is_some_and(|s| s.starts_with("CONTAINER_") || s.starts_with("SANDBOX_"))
                }) {
                    self.out.found_dump = true;
                    let mut o = crictl::observation(st);
                    (o.line, o.offset) = self.loc(at);
                    self.out.observations.push(o);
                    return;
                }
            }
        }
        let (line, _) = self.loc(at);
        self.skip(line, NOT_A_DUMP);
    }

    fn pod(
        &mut self,
        meta: Option<&Meta<'_>>,
        spec: Option<&PodSpec<'_>>,
        status: Option<&PodStatus<'_>>,
        secs: &Sections,
        start: usize,
        at: usize,
    ) {
        // This pod's status lists: the first of each kind after its start.
        let rel = at.saturating_sub(start);
        let sections = [
            (ContainerType::Init, Sections::first_after(&secs.init, rel)),
            (
                ContainerType::Container,
                Sections::first_after(&secs.containers, rel),
            ),
            (
                ContainerType::Ephemeral,
                Sections::first_after(&secs.ephemeral, rel),
            ),
        ];
        let pod_loc = self.loc(at);
        let mut positions = Vec::new();
        let counts = [
            status.map_or(0, |s| s.init_container_statuses.0.len()),
            status.map_or(0, |s| s.container_statuses.0.len()),
            status.map_or(0, |s| s.ephemeral_container_statuses.0.len()),
        ];
        for ((kind, items), n) in sections.iter().zip(counts) {
            // Trust the text positions only when they match the parsed list.
            if items.len() == n {
                for (i, p) in items.iter().enumerate() {
                    positions.push((*kind, i, self.loc(start + p)));
                }
            }
        }
        let mut locate = |kind: ContainerType, i: usize| {
            positions
                .iter()
                .find(|(k, j, _)| *k == kind && *j == i)
                .map(|(_, _, l)| *l)
        };
        let obs: Vec<Observation> = k8s::pod_observations(
            meta,
            spec,
            status,
            SourceFormat::K8sYaml,
            pod_loc,
            &mut locate,
        );
        self.out.observations.extend(obs);
    }
}

/// Reads one document; the items of a List are handed to the reader one by
/// one as they are parsed, so a must-gather list of thousands of pods is
/// never held whole. `None` for a document that is not a mapping; the bool
/// says whether it had top-level `items`.
struct DocSeed<'r, 'b, 's> {
    r: &'r mut Reader<'b>,
    body: &'s str,
    secs: &'s Sections,
    start: usize,
    at: usize,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_, '_> {
    type Value = Option<(Doc<'de>, bool)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_, '_> {
    type Value = Option<(Doc<'de>, bool)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut doc = Doc::default();
        let mut had_items = false;
        let DocSeed {
            r,
            body,
            secs,
            start,
            at,
        } = self;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.get() {
                Some("items") => {
                    had_items = true;
                    let positions = Sections::first_after(&secs.items, at.saturating_sub(start));
                    map.next_value_seed(ItemsSeed {
                        r: &mut *r,
                        body,
                        secs,
                        start,
                        at,
                        positions,
                    })?;
                }
                Some("kind") => doc.kind = map.next_value()?,
                Some("apiVersion") => doc.api_version = map.next_value()?,
                Some("metadata") => doc.metadata = map.next_value()?,
                Some("spec") => doc.spec = map.next_value()?,
                Some("status") => doc.status = map.next_value()?,
                Some(k) => {
                    map.next_value::<IgnoredAny>()?;
                    match k {
                        "name" => doc.name = Present(true),
                        "state" => doc.state = Present(true),
                        "lastState" => doc.last_state = Present(true),
                        "containerStatuses" => doc.container_statuses = Present(true),
                        "initContainerStatuses" => doc.init_container_statuses = Present(true),
                        "phase" => doc.phase = Present(true),
                        _ => {}
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some((doc, had_items)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A List's `items`, each read and reported as soon as it is parsed.
struct ItemsSeed<'r, 'b, 's> {
    r: &'r mut Reader<'b>,
    body: &'s str,
    secs: &'s Sections,
    start: usize,
    at: usize,
    positions: &'s [usize],
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(item) = seq.next_element::<Obj<Doc<'de>>>()? {
            if let Some(item) = item.get() {
                let item_at = self.positions.get(i).map_or(self.at, |p| self.start + p);
                self.r.doc(item, self.body, self.secs, self.start, item_at);
            }
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Item starts of a top-level sequence document.
fn list_items_top(body: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        if line.starts_with("- ") || line.trim_end() == "-" {
            out.push(pos);
        }
        pos += line.len();
    }
    out
}

/// Cut points: `---` lines at least `min_piece` apart. Only lines that
/// start with `---` are looked at, found with a substring search.
pub fn boundaries(bytes: &[u8], min_piece: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut last = 0;
    for nl in memchr::memmem::find_iter(bytes, b"\n---") {
        let pos = nl + 1;
        // The line is `---` or `--- …`, before `\n`, `\r\n` or a final `\r`.
        let sep = matches!(
            &bytes[pos + 3..],
            [] | [b'\n' | b' ', ..] | [b'\r'] | [b'\r', b'\n', ..]
        );
        if sep && pos - last >= min_piece {
            cuts.push(pos);
            last = pos;
        }
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn run(s: &str) -> Parsed {
        parse(Chunk::whole(s.as_bytes()))
    }

    #[test]
    fn multi_document_with_prompt_and_broken_doc() {
        let p = run(concat!(
            "$ kubectl get pod web -o yaml\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: prod\n",
            "status:\n  containerStatuses:\n  - name: app\n    restartCount: 2\n",
            "    state:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n",
            "---\nkind: Pod\nmetadata: [unclosed\n",
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
        ));
        assert_eq!(p.observations.len(), 1);
        let o = &p.observations[0];
        assert_eq!(o.pod.as_deref(), Some("web"));
        assert_eq!(o.state.status, Status::Terminated);
        assert_eq!(o.line, 9);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert!(p.diagnostics[0].line >= 17);
    }

    #[test]
    fn list_items_get_their_own_lines() {
        let p = run(concat!(
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n",
            "  status:\n    containerStatuses:\n    - name: c\n      state:\n        running: {}\n",
            "- kind: Pod\n  metadata:\n    name: b\n  status:\n    phase: Pending\n",
            "  spec:\n    containers:\n    - name: d\n      image: busybox\n",
            "kind: List\n",
        ));
        assert_eq!(p.observations.len(), 2);
        assert_eq!(p.observations[0].line, 9);
        assert_eq!(p.observations[1].pod.as_deref(), Some("b"));
        assert_eq!(p.observations[1].state.status, Status::Waiting);
        assert_eq!(p.observations[1].line, 12);
    }

    /// A support bundle's `custom-resources/*.yaml`: objects listed at the
    /// top level, none of them a pod, whatever keys they have.
    #[test]
    fn top_level_list_of_custom_resources_gives_no_record() {
        let p = run(concat!(
            "- apiVersion: k3s.cattle.io/v1\n  kind: Addon\n  metadata:\n    name: ccm\n",
            "  spec:\n    source: /var/lib/rancher/k3s/server/manifests/ccm.yaml\n",
            "  status:\n    gvks:\n    - Kind: ClusterRole\n",
            "- apiVersion: argoproj.io/v1alpha1\n  kind: Workflow\n  metadata:\n    name: wf\n",
            "  spec:\n    containers:\n    - name: main\n",
            "  status:\n    phase: Failed\n    containerStatuses:\n    - name: main\n      state:\n        terminated:\n          exitCode: 1\n",
            "- name: plain\n  state: Ready\n",
        ));
        assert!(p.observations.is_empty(), "{:?}", p.observations);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let lines: Vec<u64> = p.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![1, 10, 24]);
        assert_eq!(
            p.not_a_dump(),
            Some("a Kubernetes Addon, not a pod or container")
        );
    }

    /// Pods listed at the top level (`yq .items`) and container statuses
    /// (`yq .status.containerStatuses`) still are read.
    #[test]
    fn top_level_list_of_pods_and_of_statuses() {
        let p = run(concat!(
            "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n",
            "  status:\n    containerStatuses:\n    - name: c\n      state:\n        running: {}\n",
            "- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d\n",
            "  spec:\n    template:\n      spec:\n        containers:\n        - name: t\n",
        ));
        assert_eq!(p.observations.len(), 1);
        assert_eq!(p.observations[0].pod.as_deref(), Some("a"));
        assert_eq!(p.observations[0].line, 7);
        assert_eq!(p.skipped.len(), 1);
        let p = run(concat!(
            "- name: app\n  restartCount: 3\n  state:\n    waiting:\n      reason: CrashLoopBackOff\n",
            "  lastState:\n    terminated:\n      exitCode: 137\n      reason: OOMKilled\n",
            "- name: side\n  state:\n    running: {}\n",
        ));
        assert_eq!(p.observations.len(), 2, "{:?}", p.skipped);
        assert_eq!(p.observations[1].container.as_deref(), Some("side"));
        assert_eq!(p.observations[1].line, 10);
    }

    /// A `List` of other kinds, typed lists, multi-document streams of
    /// workloads: nothing but the pod.
    #[test]
    fn lists_and_documents_of_other_kinds() {
        let p = run(concat!(
            "apiVersion: v1\nkind: List\nitems:\n",
            "- apiVersion: cert-manager.io/v1\n  kind: Certificate\n  metadata:\n    name: tls\n",
            "  status:\n    conditions:\n    - type: Ready\n      status: \"False\"\n",
            "- apiVersion: batch/v1\n  kind: Job\n  spec:\n    template:\n      spec:\n        containers:\n        - name: j\n",
            "  status:\n    failed: 1\n",
            "---\napiVersion: apps/v1\nkind: DeploymentList\nitems: []\n",
            "---\nmetadata:\n  name: data\nstatus:\n  phase: Bound\n",
            "---\nmetadata:\n  labels:\n    app: t\nspec:\n  containers:\n  - name: t\n",
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nstatus:\n  phase: Running\n",
            "  containerStatuses:\n  - name: app\n    state:\n      running: {}\n",
        ));
        let pods: Vec<_> = p.observations.iter().map(|o| o.pod.as_deref()).collect();
        assert_eq!(pods, vec![Some("web")]);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.skipped.len(), 5, "{:?}", p.skipped);
        // An empty `kubectl get pods -o yaml` is a dump with no container.
        let p = run("apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n");
        assert!(p.found_dump);
        assert_eq!(p.not_a_dump(), None);
    }

    #[test]
    fn crictl_yaml() {
        let p = run(concat!(
            "info:\n  sandboxID: abc\nstatus:\n  exitCode: 1\n  finishedAt: \"2024-02-01T10:00:00.5+01:00\"\n",
            "  id: 0f0f\n  labels:\n    io.kubernetes.pod.name: p\n  metadata:\n    attempt: 3\n    name: app\n",
            "  reason: Error\n  startedAt: \"2024-02-01T09:00:00+01:00\"\n  state: CONTAINER_EXITED\n",
        ));
        assert_eq!(p.observations.len(), 1, "{:?}", p.diagnostics);
        let o = &p.observations[0];
        assert_eq!(o.format, Some(SourceFormat::CrictlInspect));
        assert_eq!(o.state.exit_code, Some(1));
        assert_eq!(o.restart_count, Some(3));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("a{}", i - 1)
            };
            s.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let p = run(&s);
        assert!(p.observations.is_empty());
        assert_eq!(p.diagnostics.len(), 1);
    }
}
