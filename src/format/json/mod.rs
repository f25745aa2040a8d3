//! JSON container-state dumps: `docker inspect`, `podman inspect`, `crictl
//! inspect`, Kubernetes Pod / PodList / List objects, `kubectl cluster-info
//! dump` streams and `jq` cuts of them, as saved or pasted.
//!
//! The reader streams: a top-level scan finds each value (the whole input
//! may be one array, several arrays or objects run together, or text with
//! JSON in it), and each object is deserialized on its own by serde into
//! borrowed structs that skip what they do not need. Memory is bounded by
//! the largest single object, never by the input. Around the values:
//!
//! - `[`, `]`, `,` and stray `}` at the top are separators, so a piece that
//!   starts at any [`boundaries`] cut (mid-array) reads the same;
//! - a line whose first byte cannot start JSON (a prompt, `# note`, `...`)
//!   is text and skipped; a pasted command line may name the container;
//! - `==== START logs …` / `==== END logs …` blocks of a cluster-info dump
//!   are skipped whole;
//! - `"State": {…}` members pasted without their braces are read as an object;
//! - an object serde rejects is read again by a forgiving reader
//!   ([`lenient`]); if that fails too, an error names the line and reading
//!   resumes at the next top-level object.
//!
//! What each object is follows from its keys (input-formats.md §6): see
//! [`Shape`].

pub mod crictl;
pub mod de;
pub mod events;
pub mod fast;
pub mod hint;
pub mod inspect;
pub mod k8s;
pub mod lenient;
pub mod scan;

use serde::Deserialize;
use serde_json::Value;

use super::{Chunk, Diagnostic, Parsed, Skipped};
use crate::model::{ContainerType, Observation, SourceFormat, Status};
use de::{Bool, Int, Obj, ObjOrStr, Present, Str};
use inspect::{Config, DockerState, KubeLabels};

/// Every top-level key exitparse looks at, of every kind of object. The
/// docker/podman container fields are read in full (the hot path of large
/// inspect arrays is one pass); for the other kinds only the keys that tell
/// them apart, and the object is read again into its own struct.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Any<'a> {
    #[serde(rename = "Id", borrow)]
    id: Str<'a>,
    #[serde(rename = "Name", borrow)]
    name: Str<'a>,
    #[serde(rename = "State", borrow)]
    docker_state: ObjOrStr<'a, DockerState<'a>>,
    #[serde(rename = "RestartCount")]
    docker_restart_count: Int,
    #[serde(rename = "Config", borrow)]
    config: Obj<Config<'a>>,
    #[serde(rename = "ImageName", borrow)]
    image_name: Str<'a>,
    #[serde(rename = "IsInfra")]
    is_infra: Bool,
    // Image, network, volume and podman pod objects.
    #[serde(rename = "RepoTags")]
    repo_tags: Present,
    #[serde(rename = "RepoDigests")]
    repo_digests: Present,
    #[serde(rename = "RootFS")]
    root_fs: Present,
    #[serde(rename = "IPAM")]
    ipam: Present,
    #[serde(rename = "EnableIPv6")]
    enable_ipv6: Present,
    network_interface: Present,
    subnets: Present,
    dns_enabled: Present,
    #[serde(rename = "Mountpoint")]
    mountpoint: Present,
    #[serde(rename = "InfraContainerID")]
    infra_container_id: Present,
    #[serde(rename = "NumContainers")]
    num_containers: Present,
    // A bare `{{json .State}}`.
    #[serde(rename = "ExitCode")]
    exit_code: Present,
    #[serde(rename = "StartedAt")]
    started_at: Present,
    #[serde(rename = "Running")]
    running: Present,
    // Kubernetes objects and crictl.
    #[serde(borrow)]
    kind: Str<'a>,
    #[serde(rename = "apiVersion", borrow)]
    api_version: Str<'a>,
    items: Present,
    metadata: Present,
    spec: Obj<SpecProbe>,
    #[serde(borrow)]
    status: Obj<StatusProbe<'a>>,
    // `jq` cuts: a ContainerStatus, a ContainerState, a PodStatus.
    #[serde(rename = "name")]
    lower_name: Present,
    state: Present,
    #[serde(rename = "lastState")]
    last_state: Present,
    waiting: Present,
    #[serde(rename = "running")]
    running_lower: Present,
    terminated: Present,
    #[serde(rename = "containerStatuses")]
    container_statuses: Present,
    #[serde(rename = "initContainerStatuses")]
    init_container_statuses: Present,
    phase: Present,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SpecProbe {
    containers: Present,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct StatusProbe<'a> {
    #[serde(borrow)]
    state: Str<'a>,
    phase: Present,
    container_statuses: Present,
    init_container_statuses: Present,
}

/// What a top-level object is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Inspect {
        podman: bool,
    },
    PodmanPod,
    Image,
    Network,
    Volume,
    BareDockerState,
    Crictl,
    Pod,
    List,
    Event,
    EventList,
    /// A Kubernetes object of another kind (a Deployment, a Node, a
    /// custom resource …): passed over, whatever keys it has.
    OtherKind,
    BareContainerStatus,
    BareContainerState,
    BarePodStatus,
    Unknown,
}

fn shape(a: &Any<'_>) -> Shape {
    if let Some(kind) = a.kind.get() {
        return match kind {
            "Pod" if core_api(&a.api_version) => Shape::Pod,
            // Typed lists of other kinds (NodeList, EventList …) hold no pods.
            "List" | "PodList" => Shape::List,
            "Event" => Shape::Event,
            "EventList" => Shape::EventList,
            _ => Shape::OtherKind,
        };
    }
    if a.items.0 {
        return Shape::List;
    }
    match &a.docker_state {
        ObjOrStr::Obj(st) => {
            let podman = st.oci_version.0
                || st.healthcheck.get().is_some()
                || a.image_name.0.is_some()
                || a.is_infra.0.is_some();
            return Shape::Inspect { podman };
        }
        ObjOrStr::Str(_) if a.infra_container_id.0 || a.num_containers.0 => {
            return Shape::PodmanPod;
        }
        _ => {}
    }
    if let Some(st) = a.status.get() {
        if st
            .state
            .get()
            .is_some_and(|s| s.starts_with("CONTAINER_") || s.starts_with("SANDBOX_"))
        {
            return Shape::Crictl;
        }
        // A `phase` alone is no pod: PVCs, Namespaces and many custom
        // resources have one too. A kind-less pod has container statuses
        // or (always) `spec.containers`.
        if st.container_statuses.0 || st.init_container_statuses.0 {
            return Shape::Pod;
        }
    }
    // A kind-less pod (old troubleshoot arrays, typed list items) always
    // has a `status`; `spec.containers` without one is a pod template
    // (`jq .spec.template`) or a manifest: no state to report.
    if a.spec.get().is_some_and(|s| s.containers.0) && a.status.get().is_some() {
        return Shape::Pod;
    }
    if a.repo_tags.0
        || a.repo_digests.0
        || a.root_fs.0
        || a.id.get().is_some_and(|i| i.starts_with("sha256:"))
    {
        return Shape::Image;
    }
    if a.ipam.0 || a.enable_ipv6.0 || a.network_interface.0 || a.subnets.0 || a.dns_enabled.0 {
        return Shape::Network;
    }
    if a.mountpoint.0 {
        return Shape::Volume;
    }
    if a.exit_code.0 && (a.started_at.0 || a.running.0) {
        return Shape::BareDockerState;
    }
    if a.container_statuses.0 || a.init_container_statuses.0 || a.phase.0 {
        return Shape::BarePodStatus;
    }
    if a.lower_name.0 && (a.state.0 || a.last_state.0) {
        return Shape::BareContainerStatus;
    }
    if a.waiting.0 || a.running_lower.0 || a.terminated.0 {
        return Shape::BareContainerState;
    }
    Shape::Unknown
}

/// Whether a `kind: Pod` is the core one (`v1`; `apiVersion` may be left
/// out of cut objects), not a custom resource of the same name.
pub fn core_api(api_version: &Str<'_>) -> bool {
    api_version.get().is_none_or(|v| v == "v1")
}

/// How `--verbose` names a Kubernetes object of another kind (the kind is
/// the input's: cut short and kept printable).
pub fn other_kind(kind: &str) -> String {
    let kind: String = kind
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("a Kubernetes {kind}, not a pod or container")
}

/// `--verbose`'s word for JSON objects of no known shape.
const NOT_A_DUMP: &str = "JSON that is not a container, pod or list of them";

/// `--verbose`'s word for Kubernetes events.
const EVENTS: &str = "Kubernetes events (joined to the pods beside them, no record of their own)";

/// Where an object came from, to read it again as its own kind.
#[derive(Clone, Copy)]
enum Src<'x> {
    /// Well-formed bytes `[start, end)` of the input.
    Bytes { start: usize, end: usize },
    /// What the forgiving reader built.
    Value(&'x Value),
}

/// Parses one chunk.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    parse_with(chunk, true)
}

/// [`parse`] without the Pod/List fast path ([`fast`]): every such object
/// read by serde. The fast path must give the same [`Parsed`]; tests
/// compare the two.
#[doc(hidden)]
pub fn parse_reference(chunk: Chunk<'_>) -> Parsed {
    parse_with(chunk, false)
}

fn parse_with(chunk: Chunk<'_>, fast: bool) -> Parsed {
    let mut r = Reader {
        fast,
        b: chunk.bytes,
        base_offset: chunk.first_offset,
        lines: scan::Lines::new(chunk.first_line),
        out: Parsed::default(),
        hint: None,
        events: events::Events::default(),
    };
    r.run();
    r.events.attach(&mut r.out.observations);
    r.out
}

struct Reader<'b> {
    /// Whether Pods and Lists take the [`fast`] path.
    fast: bool,
    b: &'b [u8],
    base_offset: u64,
    lines: scan::Lines,
    out: Parsed,
    hint: Option<hint::Hint>,
    events: events::Events,
}

const LOG_START: &[u8] = b"==== START logs";
const LOG_END: &[u8] = b"==== END logs";

impl<'b> Reader<'b> {
    fn line(&mut self, pos: usize) -> u64 {
        self.lines.at(self.b, pos)
    }

    /// (line, offset of the line's start) of `pos`.
    fn loc(&mut self, pos: usize) -> (u64, u64) {
        let (line, start) = self.lines.locate(self.b, pos);
        (line, self.base_offset + start as u64)
    }

    fn run(&mut self) {
        let b = self.b;
        let mut pos = if b.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        while pos < b.len() {
            match b[pos] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'}' => pos += 1,
                b'{' => pos = self.object(pos, true),
                b'"' => pos = self.fragment(pos),
                b'=' if b[pos..].starts_with(LOG_START) => pos = skip_log_block(b, pos),
                _ => pos = self.text_line(pos),
            }
        }
    }

    /// Skips a line of text, noting a command that names a container/pod.
    fn text_line(&mut self, pos: usize) -> usize {
        let end = scan::next_line(self.b, pos);
        let text = String::from_utf8_lossy(&self.b[pos..end]);
        if let Some(h) = hint::command(text.trim_end()) {
            self.hint = Some(h);
        }
        end
    }

    /// Reads the object at `pos`; returns where reading goes on.
    fn object(&mut self, pos: usize, top: bool) -> usize {
        if let Some(end) = self.inspect_fast(pos) {
            return end;
        }
        if self.fast {
            if let Some((t, end)) = fast::top(self.b, pos) {
                self.fast_done(t, pos);
                return end;
            }
        }
        self.object_general(pos, top)
    }

    /// What [`Reader::dispatch`] does for a Pod or List the fast path read.
    fn fast_done(&mut self, t: fast::Top<'b>, pos: usize) {
        let first = self.out.observations.len();
        let at = self.loc(pos);
        self.out.found_dump = true;
        match t {
            fast::Top::Pod(p) => self.pod_records(&p.pod, &p.offsets, at),
            fast::Top::List(items) => {
                for item in items {
                    match item {
                        fast::Item::Pod(e, p) => {
                            let first = self.out.observations.len();
                            let at = self.loc(e);
                            self.pod_records(&p.pod, &p.offsets, at);
                            self.apply_hint(first);
                        }
                        // What `object` does, less the fast path that
                        // already gave up on it.
                        fast::Item::Slow(e) => {
                            if self.inspect_fast(e).is_none() {
                                self.object_general(e, false);
                            }
                        }
                    }
                }
            }
        }
        self.apply_hint(first);
    }

    /// The records of a Pod, each status placed at its element's line
    /// (`offsets`, from [`status_offsets`]) or else at the pod's (`at`).
    fn pod_records(
        &mut self,
        p: &k8s::Pod<'_>,
        offsets: &[(ContainerType, Vec<usize>)],
        at: (u64, u64),
    ) {
        let (b, base, lines) = (self.b, self.base_offset, &mut self.lines);
        let mut locate = |kind: ContainerType, i: usize| {
            let pos = *offsets.iter().find(|(k, _)| *k == kind)?.1.get(i)?;
            let (line, start) = lines.locate(b, pos);
            Some((line, base + start as u64))
        };
        let obs = k8s::pod(p, SourceFormat::K8sJson, at, &mut locate);
        self.out.observations.extend(obs);
    }

    /// [`Reader::object`] without the Pod/List fast path.
    fn object_general(&mut self, pos: usize, top: bool) -> usize {
        let b = self.b;
        let mut stream = serde_json::Deserializer::from_slice(&b[pos..]).into_iter::<Any>();
        match stream.next() {
            Some(Ok(any)) => {
                let end = pos + stream.byte_offset();
                self.dispatch(&any, Src::Bytes { start: pos, end }, pos);
                end
            }
            _ if !top => scan::skip_value(b, pos).unwrap_or(b.len()),
            _ => self.recover(pos),
        }
    }

    /// The hot path for docker/podman container objects, most of whose
    /// bytes (HostConfig, NetworkSettings, GraphDriver …) say nothing about
    /// the exit: the members are walked at memchr speed and only the few
    /// read are deserialized. Anything that is not plainly a container
    /// (another kind's keys, a `State` that is not an object, a member
    /// that does not parse) returns `None` for the general path, which also
    /// reports broken JSON.
    fn inspect_fast(&mut self, pos: usize) -> Option<usize> {
        let b = self.b;
        let fast = self.fast;
        let mut any = Any::default();
        let mut ok = true;
        let end = scan::walk_object(b, pos, |key, vs, ve| {
            let v = &b[vs..ve];
            match key {
                b"State" if v.first() == Some(&b'{') => {
                    let st = fast.then(|| fast::inspect::docker_state(v)).flatten();
                    any.docker_state = ObjOrStr::Obj(st.unwrap_or_else(|| read(v, &mut ok)));
                }
                b"State" | b"apiVersion" | b"kind" | b"items" | b"status" | b"info"
                | b"metadata" | b"spec" => return false,
                b"Id" => any.id = read_str(v, fast, &mut ok),
                b"Name" => any.name = read_str(v, fast, &mut ok),
                b"RestartCount" => any.docker_restart_count = read_int(v, fast, &mut ok),
                b"Config" => any.config = read_config(b, vs, ve, fast, &mut ok),
                b"ImageName" => any.image_name = read_str(v, fast, &mut ok),
                b"IsInfra" => {
                    let flag = fast.then(|| fast::inspect::bool_value(v)).flatten();
                    any.is_infra = flag.unwrap_or_else(|| read(v, &mut ok));
                }
                _ => {}
            }
            ok
        })?;
        if !matches!(any.docker_state, ObjOrStr::Obj(_)) {
            return None;
        }
        self.dispatch(&any, Src::Bytes { start: pos, end }, pos);
        Some(end)
    }

    /// The slow path for an object serde rejected.
    fn recover(&mut self, pos: usize) -> usize {
        match lenient::object(self.b, pos) {
            Ok(l) => {
                self.lenient_done(&l, pos);
                l.end
            }
            Err(e) => self.broken(pos, e),
        }
    }

    fn lenient_done(&mut self, l: &lenient::Lenient, pos: usize) {
        if l.truncated {
            let start_line = self.line(pos);
            let end_line = self.line(l.end);
            let d = if l.elided {
                Diagnostic::notice(
                    end_line,
                    format!(
                        "the JSON object from line {start_line} is cut short after an elision; read the fields shown"
                    ),
                )
            } else {
                Diagnostic::error(
                    end_line,
                    format!(
                        "unexpected end of input inside the JSON object from line {start_line}"
                    ),
                )
            };
            self.out.diagnostics.push(d);
        }
        match Any::deserialize(&l.value) {
            Ok(any) => self.dispatch(&any, Src::Value(&l.value), pos),
            Err(e) => {
                let line = self.line(pos);
                self.out.diagnostics.push(Diagnostic::error(
                    line,
                    format!("unreadable JSON object: {e}"),
                ));
            }
        }
    }

    /// Reports a broken object and finds where to go on.
    fn broken(&mut self, pos: usize, e: lenient::LenientError) -> usize {
        let b = self.b;
        let first_line_end = scan::next_line(b, pos);
        if e.at < first_line_end {
            // It broke on its own first line: text that starts with `{`
            // (a Go template, `{...}`), not a dump.
            return self.text_line(pos);
        }
        let start_line = self.line(pos);
        let at_line = self.line(e.at);
        self.out.diagnostics.push(Diagnostic::error(
            at_line,
            format!(
                "invalid JSON in the object from line {start_line}: {}",
                e.message
            ),
        ));
        resync(b, pos, e.at)
    }

    /// `"Key": value` members at the top level, without braces.
    fn fragment(&mut self, pos: usize) -> usize {
        match lenient::fragment(self.b, pos) {
            Ok(l) => {
                self.lenient_done(&l, pos);
                l.end.max(pos + 1)
            }
            Err(e) if e.at < scan::next_line(self.b, pos) => {
                // A string that opens no `"Key": value` member: a bundle's
                // `*-errors.json` (`["could not list …"]`) is no dump.
                self.skip(pos, NOT_A_DUMP);
                self.text_line(pos)
            }
            Err(e) => self.broken(pos, e),
        }
    }

    /// Reads `T` from where the object came from.
    fn reread<'x, T: Deserialize<'x>>(&self, src: Src<'x>) -> Option<T>
    where
        'b: 'x,
    {
        match src {
            Src::Bytes { start, end } => serde_json::from_slice(&self.b[start..end]).ok(),
            Src::Value(v) => T::deserialize(v).ok(),
        }
    }

    fn notice(&mut self, pos: usize, msg: &str) {
        let line = self.line(pos);
        self.out.diagnostics.push(Diagnostic::notice(line, msg));
    }

    /// Passes over an object that is not a dump: told only with `--verbose`.
    fn skip(&mut self, pos: usize, what: impl Into<String>) {
        let line = self.line(pos);
        self.out.skipped.push(Skipped {
            line,
            what: what.into(),
        });
    }

    fn dispatch<'x>(&mut self, any: &Any<'x>, src: Src<'x>, pos: usize)
    where
        'b: 'x,
    {
        let first = self.out.observations.len();
        let at = self.loc(pos);
        let shape = shape(any);
        if matches!(
            shape,
            Shape::Inspect { .. }
                | Shape::BareDockerState
                | Shape::Crictl
                | Shape::Pod
                | Shape::BarePodStatus
        ) || (shape == Shape::List && any.kind.get().is_some())
        {
            // A List/PodList may hold pods even when empty; a kind-less
            // `items` holder is judged by its items.
            self.out.found_dump = true;
        }
        match shape {
            Shape::Inspect { podman } => {
                if let ObjOrStr::Obj(st) = &any.docker_state {
                    let c = inspect::Container {
                        id: &any.id,
                        name: &any.name,
                        restart_count: any.docker_restart_count,
                        config: any.config.get(),
                        image_name: &any.image_name,
                        is_infra: any.is_infra,
                        podman,
                    };
                    let mut o = inspect::observation(&c, st);
                    (o.line, o.offset) = at;
                    self.out.observations.push(o);
                }
            }
            Shape::BareDockerState => {
                if let Some(st) = self.reread::<DockerState>(src) {
                    let none = Str::default();
                    let c = inspect::Container {
                        id: &none,
                        name: &none,
                        restart_count: Int::default(),
                        config: None,
                        image_name: &none,
                        is_infra: Bool::default(),
                        podman: st.oci_version.0,
                    };
                    let mut o = inspect::observation(&c, &st);
                    (o.line, o.offset) = at;
                    self.out.observations.push(o);
                }
            }
            Shape::Crictl => {
                if let Some(c) = self.reread::<crictl::Crictl>(src) {
                    if let Some(st) = c.status.get() {
                        let mut o = crictl::observation(st);
                        (o.line, o.offset) = at;
                        self.out.observations.push(o);
                    }
                }
            }
            Shape::Pod => {
                if let Some(p) = self.reread::<k8s::Pod>(src) {
                    let offsets = match src {
                        Src::Bytes { start, .. } => status_offsets(self.b, start),
                        Src::Value(_) => Vec::new(),
                    };
                    self.pod_records(&p, &offsets, at);
                }
            }
            Shape::BarePodStatus => {
                if let Some(s) = self.reread::<k8s::PodStatus>(src) {
                    let offsets = match src {
                        Src::Bytes { start, .. } => list_offsets(self.b, start),
                        Src::Value(_) => Vec::new(),
                    };
                    let (b, base, lines) = (self.b, self.base_offset, &mut self.lines);
                    let mut locate = |kind: ContainerType, i: usize| {
                        let pos = *offsets.iter().find(|(k, _)| *k == kind)?.1.get(i)?;
                        let (line, start) = lines.locate(b, pos);
                        Some((line, base + start as u64))
                    };
                    let obs = k8s::pod_observations(
                        None,
                        None,
                        Some(&s),
                        SourceFormat::K8sJson,
                        at,
                        &mut locate,
                    );
                    self.out.observations.extend(obs);
                }
            }
            Shape::BareContainerStatus => match self.reread::<k8s::ContainerStatus>(src) {
                // `name` and a `state` that is no container state (a word, a
                // number): some other object's fields.
                Some(cs) if cs.state.get().is_some() || cs.last_state.get().is_some() => {
                    self.out.found_dump = true;
                    let mut o = cs.observation(SourceFormat::K8sJson, ContainerType::Container);
                    (o.line, o.offset) = at;
                    self.out.observations.push(o);
                }
                _ => self.skip(pos, NOT_A_DUMP),
            },
            Shape::BareContainerState => {
                if let Some(cs) = self.reread::<k8s::ContainerState>(src) {
                    if let Some(state) = cs.to_state() {
                        let mut o = Observation {
                            format: Some(SourceFormat::K8sJson),
                            state,
                            ..Observation::default()
                        };
                        // A bare `{"terminated": …}` does not say whether
                        // it is the current state or the last one.
                        if o.state.status == Status::Terminated {
                            o.evidence
                                .push(crate::format::fragment::PLACE_UNKNOWN.to_string());
                        }
                        (o.line, o.offset) = at;
                        o.finish();
                        self.out.observations.push(o);
                    }
                }
            }
            Shape::List => self.list(src, pos),
            // Events give no record of their own: they are joined to the
            // pods read beside them.
            Shape::Event => {
                if let Some(e) = self.reread::<events::Event>(src) {
                    self.events.add(&e);
                }
                self.skip(pos, EVENTS);
            }
            Shape::EventList => {
                if let Some(l) = self.reread::<events::EventList>(src) {
                    for e in l.items.0.iter().filter_map(Obj::get) {
                        self.events.add(e);
                    }
                }
                self.skip(pos, EVENTS);
            }
            Shape::OtherKind => {
                let what = other_kind(any.kind.get().unwrap_or_default());
                self.skip(pos, what);
            }
            // A format recognized but not read: worth a note.
            Shape::PodmanPod => self.notice(
                pos,
                "podman pod object skipped: inspect its containers for their states",
            ),
            Shape::Image => self.skip(pos, "an image inspect object, not a container"),
            Shape::Network => self.skip(pos, "a network inspect object, not a container"),
            Shape::Volume => self.skip(pos, "a volume inspect object, not a container"),
            Shape::Unknown => self.skip(pos, NOT_A_DUMP),
        }
        self.apply_hint(first);
    }

    /// Items of a List/PodList, each read like a top-level object.
    fn list(&mut self, src: Src<'_>, pos: usize) {
        match src {
            Src::Bytes { start, .. } => {
                let b = self.b;
                let items = scan::object_entries(b, start)
                    .into_iter()
                    .find(|(k, _, _)| *k == b"items")
                    .map(|(_, vs, _)| scan::array_elements(b, vs))
                    .unwrap_or_default();
                for e in items {
                    if b[e] == b'{' {
                        self.object(e, false);
                    }
                }
            }
            Src::Value(v) => {
                let items = v.get("items").and_then(Value::as_array);
                for item in items.into_iter().flatten() {
                    // Without byte positions, items share the list's line.
                    if let Ok(any) = Any::deserialize(item) {
                        self.dispatch(&any, Src::Value(item), pos);
                    }
                }
            }
        }
    }

    /// Fills names a pasted command gave that the object lacks.
    fn apply_hint(&mut self, first: usize) {
        let Some(h) = &self.hint else { return };
        for o in &mut self.out.observations[first..] {
            match o.format {
                Some(SourceFormat::K8sJson) => {
                    if o.pod.is_none() {
                        o.pod.clone_from(&h.pod);
                        if o.namespace.is_none() {
                            o.namespace.clone_from(&h.namespace);
                        }
                    }
                }
                _ => {
                    if o.container.is_none() && o.container_type != ContainerType::Sandbox {
                        o.container.clone_from(&h.container);
                    }
                }
            }
        }
    }
}

/// Start offsets of each status list's elements in the Pod at `start`.
/// `v` deserialized as `T`; a failure clears `ok` (the hot path gives up).
fn read<'a, T: Deserialize<'a> + Default>(v: &'a [u8], ok: &mut bool) -> T {
    serde_json::from_slice(v).unwrap_or_else(|_| {
        *ok = false;
        T::default()
    })
}

/// [`read`] of a `Str`, by the [`fast`] cursor when `fast` (serde where
/// it must).
fn read_str<'a>(v: &'a [u8], fast: bool, ok: &mut bool) -> Str<'a> {
    match fast.then(|| fast::inspect::str_value(v)).flatten() {
        Some(s) => s,
        None => read(v, ok),
    }
}

/// [`read`] of an `Int`, as [`read_str`].
fn read_int(v: &[u8], fast: bool, ok: &mut bool) -> Int {
    match fast.then(|| fast::inspect::int_value(v)).flatten() {
        Some(n) => n,
        None => read(v, ok),
    }
}

/// `Config` (`b[vs..ve]`) for the hot path. Only `Image` and `Labels` are
/// read, yet serde would decode every string of `Env`, `Cmd`,
/// `Healthcheck` … just to ignore them (~12% of a docker inspect run);
/// the members are walked at memchr speed instead, as the container's own
/// members are. An escaped key or a repeated `Image`/`Labels` (which serde
/// would match or reject differently) falls back to serde on the whole
/// value, so those read exactly as before.
fn read_config<'a>(
    b: &'a [u8],
    vs: usize,
    ve: usize,
    fast: bool,
    ok: &mut bool,
) -> Obj<Config<'a>> {
    if b[vs] != b'{' {
        return read(&b[vs..ve], ok);
    }
    let (mut image, mut labels) = (None, None);
    let end = scan::walk_object(b, vs, |key, s, e| {
        let slot = match key {
            b"Image" => &mut image,
            b"Labels" => &mut labels,
            _ => return !key.contains(&b'\\'),
        };
        slot.replace(&b[s..e]).is_none()
    });
    if end != Some(ve) {
        return read(&b[vs..ve], ok);
    }
    Obj(Some(Config {
        image: image.map(|v| read_str(v, fast, ok)).unwrap_or_default(),
        labels: labels.map(|v| read_labels(v, fast, ok)).unwrap_or_default(),
    }))
}

/// `Config.Labels` for the hot path: the same walk as [`read_config`],
/// reading the six kubelet labels and passing over the image's own (often
/// most of them) without decoding. Falls back to serde on the whole value
/// for an escaped key or a repeated wanted one.
fn read_labels<'a>(v: &'a [u8], fast: bool, ok: &mut bool) -> Obj<KubeLabels<'a>> {
    if v.first() != Some(&b'{') {
        return read(v, ok);
    }
    let mut slots: [Option<&'a [u8]>; 7] = [None; 7];
    let end = scan::walk_object(v, 0, |key, s, e| {
        let i = match key {
            b"io.kubernetes.container.name" => 0,
            b"io.kubernetes.pod.name" => 1,
            b"io.kubernetes.pod.namespace" => 2,
            b"io.kubernetes.docker.type" => 3,
            b"annotation.io.kubernetes.container.restartCount" => 4,
            b"io.kubernetes.container.restartCount" => 5,
            b"io.kubernetes.pod.uid" => 6,
            _ => return !key.contains(&b'\\'),
        };
        slots[i].replace(&v[s..e]).is_none()
    });
    if end != Some(v.len()) {
        return read(v, ok);
    }
    let mut str_at =
        |i: usize| -> Str<'a> { slots[i].map(|v| read_str(v, fast, ok)).unwrap_or_default() };
    let (container_name, pod_name, pod_namespace, docker_type) =
        (str_at(0), str_at(1), str_at(2), str_at(3));
    Obj(Some(KubeLabels {
        container_name,
        pod_name,
        pod_namespace,
        docker_type,
        pod_uid: str_at(6),
        docker_restart_count: slots[4].map(|v| read_int(v, fast, ok)).unwrap_or_default(),
        restart_count: slots[5].map(|v| read_int(v, fast, ok)).unwrap_or_default(),
    }))
}

fn status_offsets(b: &[u8], start: usize) -> Vec<(ContainerType, Vec<usize>)> {
    match scan::object_entries(b, start)
        .into_iter()
        .find(|(k, _, _)| *k == b"status")
    {
        Some((_, status, _)) => list_offsets(b, status),
        None => Vec::new(),
    }
}

/// Start offsets of each status list's elements in the PodStatus at `status`.
fn list_offsets(b: &[u8], status: usize) -> Vec<(ContainerType, Vec<usize>)> {
    let mut out = Vec::new();
    for (k, vs, _) in scan::object_entries(b, status) {
        let kind = match k {
            b"initContainerStatuses" => ContainerType::Init,
            b"containerStatuses" => ContainerType::Container,
            b"ephemeralContainerStatuses" => ContainerType::Ephemeral,
            _ => continue,
        };
        out.push((kind, scan::array_elements(b, vs)));
    }
    out
}

/// Skips a `==== START logs …` block through its `==== END logs …` line.
fn skip_log_block(b: &[u8], pos: usize) -> usize {
    let mut i = scan::next_line(b, pos);
    while i < b.len() {
        let next = scan::next_line(b, i);
        if b[i..].starts_with(LOG_END) {
            return next;
        }
        i = next;
    }
    b.len()
}

/// Where to go on after a broken object opening at `start`: past the line
/// that closes it at its own indentation, or at the next line that opens a
/// value (or is text) at that indentation or less.
fn resync(b: &[u8], start: usize, err_at: usize) -> usize {
    let col = start - scan::line_start(b, start);
    let mut i = scan::next_line(b, err_at);
    while i < b.len() {
        let line_end = scan::next_line(b, i);
        let ind = b[i..line_end]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        let first = b.get(i + ind).copied();
        if ind <= col {
            match first {
                Some(b'}') if ind == col => return i + ind + 1,
                Some(b'{' | b'[' | b']') => return i + ind,
                Some(b'"' | b'\n' | b'\r' | b'}') | None => {}
                Some(_) if lenient::is_elision(&b[i + ind..]) => {}
                Some(_) => return i,
            }
        }
        i = line_end;
    }
    b.len()
}

/// Cut points: starts of top-level objects (or elements of a top-level
/// array) at least `min_piece` apart, never the first object after a text
/// line (its name may come from that line). Stops cutting at the first
/// thing it cannot skip exactly.
pub fn boundaries(bytes: &[u8], min_piece: usize) -> Vec<usize> {
    if let Some(cuts) = indented_array_cuts(bytes, min_piece) {
        return cuts;
    }
    let mut cuts = Vec::new();
    let mut last = 0;
    let mut pos = 0;
    let mut after_text = true;
    // The start of the line holding `pos`, found from the bytes between the
    // last look and `pos` only: a search back from each element of a
    // one-line array would be quadratic.
    let (mut ls, mut seen) = (0, 0);
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'}' => pos += 1,
            b'{' => {
                if let Some(k) = memchr::memrchr(b'\n', &bytes[seen..pos]) {
                    ls = seen + k + 1;
                }
                seen = pos;
                // Cut at the line's start when only indentation precedes the
                // brace, so the piece knows where the object's line begins.
                let cut = if bytes[ls..pos]
                    .iter()
                    .rev()
                    .all(|c| matches!(c, b' ' | b'\t'))
                {
                    ls
                } else {
                    pos
                };
                if !after_text && cut > last && cut - last >= min_piece {
                    cuts.push(cut);
                    last = cut;
                }
                after_text = false;
                match scan::skip_container(bytes, pos) {
                    Some(end) => pos = end,
                    None => break,
                }
            }
            b'=' if bytes[pos..].starts_with(LOG_START) => {
                pos = skip_log_block(bytes, pos);
                after_text = true;
            }
            b'"' => break,
            _ => {
                pos = scan::next_line(bytes, pos);
                after_text = true;
            }
        }
    }
    cuts
}

/// Cuts of a machine-indented array (`docker|podman|crictl inspect`, a
/// troubleshoot pod array) found from line starts alone: JSON strings hold
/// no raw newline, so every line starts outside a string, and an indenting
/// encoder puts a top-level element's `{` and `},` alone on lines at one
/// indentation that nothing deeper uses. Only the indentation of each line
/// is looked at, so this runs at memchr speed. `None` unless the input
/// starts with `[` and a lone `{`; stops cutting at the first line that
/// does not fit that layout (text, another structure), which is always
/// safe.
fn indented_array_cuts(b: &[u8], min_piece: usize) -> Option<Vec<usize>> {
    let indent = |line: &[u8]| line.iter().take_while(|&&c| c == b' ').count();
    let mut lines = LineIter { b, pos: 0 };
    // `[` alone (possibly indented), then the first element's `{` alone.
    let (_, first) = lines.by_ref().find(|(_, l)| !trim(l).is_empty())?;
    if &trim(first)[indent(first)..] != b"[" {
        return None;
    }
    let (start, open) = lines.next()?;
    let k = indent(open);
    if &trim(open)[k..] != b"{" {
        return None;
    }
    let mut cuts = Vec::new();
    let mut last = start;
    let mut closed = false;
    // Most lines are deeper than the elements (k spaces and one more):
    // `next_shallow` passes over them 64 bytes at a time, as this scan runs
    // on one thread before the pieces can be parsed.
    let mut at = lines.pos;
    while at < b.len() {
        let line_at = at;
        let end = scan::find_any(b, at, [b'\n'; 3]);
        let line = &b[at..end];
        at = scan::next_shallow(b, end, k);
        if line.len() > k && line[..=k].iter().all(|&c| c == b' ') {
            continue;
        }
        let t = trim(line);
        let ind = indent(t);
        if ind == t.len() {
            continue;
        }
        if ind < k {
            break;
        }
        if ind > k {
            continue;
        }
        match &t[ind..] {
            b"}," => closed = true,
            b"}" => closed = false,
            b"{" if closed => {
                closed = false;
                if line_at - last >= min_piece {
                    cuts.push(line_at);
                    last = line_at;
                }
            }
            _ => break,
        }
    }
    Some(cuts)
}

/// A line without trailing blanks or `\r`.
fn trim(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .rev()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\r'))
        .count();
    &line[..line.len() - n]
}

/// `(start, line)` of each line of `b`, without its `\n`.
struct LineIter<'b> {
    b: &'b [u8],
    pos: usize,
}

impl<'b> Iterator for LineIter<'b> {
    type Item = (usize, &'b [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.b.len() {
            return None;
        }
        let start = self.pos;
        // Lines are short: an inlined SWAR search beats a memchr call each.
        let end = scan::find_any(self.b, start, [b'\n'; 3]);
        self.pos = end + 1;
        Some((start, &self.b[start..end]))
    }
}

#[cfg(test)]
mod tests;
