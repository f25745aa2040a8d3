//! Input formats: one module per kind of dump. Each parser turns bytes into
//! [`Observation`]s plus diagnostics and never writes output itself.
//!
//! | module | reads | `source.format` |
//! |---|---|---|
//! | [`describe`] | `kubectl describe pod(s)` text | `kubectl-describe` |
//! | [`json`] | docker/podman/crictl inspect, Pod/PodList/List JSON, cluster-info dump | `docker-inspect`, `podman-inspect`, `crictl-inspect`, `k8s-json` |
//! | [`yaml`] | `kubectl get -o yaml`, must-gather YAML | `k8s-yaml` |
//! | [`listing`] ([`docker_ps`], [`kubectl_get`]) | `docker ps -a` / `podman ps -a` and `kubectl get pods` tables | `docker-ps`, `kubectl-get-pods` |
//!
//! [`detect`] picks a parser from the first bytes of an input.

pub mod describe;
pub mod detect;
pub mod fragment;
pub mod json;
pub mod listing;
pub mod repair;
pub mod yaml;

pub use listing::{docker_ps, kubectl_get};

use crate::model::Observation;

/// The parser families. JSON inputs are one family because docker, podman,
/// crictl and Kubernetes objects can sit side by side in one stream; the JSON
/// parser tells them apart object by object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parser {
    Describe,
    Json,
    Yaml,
    DockerPs,
    KubectlGetPods,
}

/// A piece of one input handed to a parser: the whole input, or a slice of
/// it that starts at a record boundary (see [`boundaries`]).
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    pub bytes: &'a [u8],
    /// 1-based line number of `bytes[0]` in the whole input.
    pub first_line: u64,
    /// Byte offset of `bytes[0]` in the whole (decompressed) input.
    pub first_offset: u64,
}

impl<'a> Chunk<'a> {
    /// A chunk that is a whole input.
    pub fn whole(bytes: &'a [u8]) -> Chunk<'a> {
        Chunk {
            bytes,
            first_line: 1,
            first_offset: 0,
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Part of the input could not be parsed: exit status 1.
    Error,
    /// Something skipped on purpose (an image inspect, a non-pod object):
    /// told on stderr, exit status unaffected.
    Notice,
}

/// A problem found at a line of the input (0 when no line applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: u64,
    pub severity: Severity,
    /// Lowercase, no trailing period: `truncated pod block: no State line`.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line`.
    pub fn error(line: u64, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A notice at `line`.
    pub fn notice(line: u64, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line,
            severity: Severity::Notice,
            message: message.into(),
        }
    }
}

/// Something a parser read and passed over because it is not a dump: an
/// object of another Kubernetes kind, an image inspect, JSON of no known
/// shape. Told only with `--verbose` (see [`Parsed::not_a_dump`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Line where the object starts.
    pub line: u64,
    /// What it is, as `--verbose` words it: `a Kubernetes Deployment, not a pod`.
    pub what: String,
}

/// What a parser produced from one chunk, in input order.
#[derive(Debug, Default)]
pub struct Parsed {
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    /// Objects passed over as not dumps.
    pub skipped: Vec<Skipped>,
    /// A pod, a list of pods or a container was read, even one that gave
    /// no record (an empty `PodList`): the input is a dump.
    pub found_dump: bool,
}

impl Parsed {
    /// What the chunk holds when it is not a dump at all: nothing but
    /// objects passed over (no record, no pod, no diagnostic). `None` when
    /// it is a dump, or when it held nothing the parser could tell apart.
    pub fn not_a_dump(&self) -> Option<&str> {
        let nothing_else =
            self.observations.is_empty() && self.diagnostics.is_empty() && !self.found_dump;
        match self.skipped.first() {
            Some(s) if nothing_else => Some(&s.what),
            _ => None,
        }
    }
}

/// Parses one chunk with the given parser. Line numbers and offsets in the
/// result are absolute (the chunk's `first_line`/`first_offset` applied).
pub fn parse(parser: Parser, chunk: Chunk<'_>) -> Parsed {
    never_silent(parse_as(parser, chunk), chunk)
}

fn parse_as(parser: Parser, chunk: Chunk<'_>) -> Parsed {
    match parser {
        Parser::Describe => with_listings(describe::parse(chunk), chunk),
        Parser::Json => with_fragments(json::parse(chunk), chunk, true),
        Parser::Yaml => with_fragments(yaml::parse(chunk), chunk, false),
        Parser::DockerPs => docker_ps::parse(chunk),
        Parser::KubectlGetPods => kubectl_get::parse(chunk),
    }
}

/// Words that only a container's state prints: an input holding one that
/// gives no record is never passed over in silence.
const STATE_MARKERS: &[&str] = &[
    "Exit Code:",
    "exitCode",
    "\"ExitCode\"",
    "Exited (",
    "OOMKilled",
    "CrashLoopBackOff",
    "Last State:",
    "lastState:",
];

/// The 1-based line and text of the first container-state marker in `bytes`.
pub fn first_marker(bytes: &[u8], first_line: u64) -> Option<(u64, &'static str)> {
    let (at, marker) = STATE_MARKERS
        .iter()
        .filter_map(|m| memchr::memmem::find(bytes, m.as_bytes()).map(|i| (i, *m)))
        .min_by_key(|&(i, _)| i)?;
    let line = first_line + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64;
    Some((line, marker))
}

/// A chunk that shows container-state markers but gave no record and no
/// error gets an error naming the first marker's line. Objects the reader
/// knew and passed over (other kinds, an analysis report quoting a reason)
/// are no container left unread.
fn never_silent(mut parsed: Parsed, chunk: Chunk<'_>) -> Parsed {
    if !parsed.observations.is_empty()
        || !parsed.skipped.is_empty()
        || parsed.found_dump
        || chunk.bytes.len() > FRAGMENT_MAX
        || parsed
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    {
        return parsed;
    }
    if let Some((line, marker)) = first_marker(chunk.bytes, chunk.first_line) {
        parsed.diagnostics.push(Diagnostic::error(
            line,
            format!(
                "{:?} shows a container state, but no container could be read here",
                marker.trim_matches('"')
            ),
        ));
    }
    parsed
}

/// Fragments are read key by key only up to this size: damaged pastes are
/// small, and a large input the structured reader found nothing in is not
/// worth a second pass.
const FRAGMENT_MAX: usize = 4 << 20;

/// When the structured JSON/YAML reader found no container in a chunk that
/// shows container-state keys (a fragment at any level, YAML whose
/// indentation was lost, a collapsed or wrapped paste), the key-by-key
/// reader of [`fragment`] tries; what it finds replaces the structured
/// reader's complaints, and a note says the text was damaged.
fn with_fragments(parsed: Parsed, chunk: Chunk<'_>, json: bool) -> Parsed {
    let has_error = parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    // Broken JSON stays an error (its reader is already lenient about
    // elisions, comments and cuts); YAML without its indentation is not
    // YAML any more, and is read key by key.
    if !parsed.observations.is_empty() || chunk.bytes.len() > FRAGMENT_MAX || (json && has_error) {
        return parsed;
    }
    let text = text_keeping_offsets(chunk.bytes);
    if !fragment::has_state_keys(&text) || other_kind(&text) {
        return parsed;
    }
    let observations = fragment::observations(&text, chunk.first_line, chunk.first_offset, json);
    if observations.is_empty() {
        return parsed;
    }
    let mut diagnostics = Vec::new();
    if parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        let what = if json { "JSON" } else { "YAML" };
        diagnostics.push(Diagnostic::notice(
            observations[0].line,
            format!("damaged {what}: container states read key by key"),
        ));
    }
    // Container states were read: this is a dump, whatever the structured
    // reader passed over on the way.
    Parsed {
        observations,
        diagnostics,
        skipped: Vec::new(),
        found_dump: true,
    }
}

/// `bytes` as text of the same length: each byte of an invalid UTF-8
/// sequence reads as `?`, so an offset into the text is an offset into the
/// input (U+FFFD would take three bytes for one).
pub fn text_keeping_offsets(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    std::borrow::Cow::Owned(text)
}

/// A `kind:` that is not a pod or a list: such objects give no record
/// (their `reason`/`status` keys are not a container's).
fn other_kind(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        let v = t
            .strip_prefix("kind:")
            .or_else(|| t.strip_prefix("\"kind\":"));
        v.is_some_and(|v| {
            let v = v.trim().trim_matches([',', '"', ' ']);
            !v.is_empty() && v != "Pod" && !v.ends_with("List")
        })
    })
}

/// A terminal log often holds a `kubectl get pods` or `docker ps` table
/// beside the describe output; its rows are read too rather than dropped,
/// and the records are kept in input order. Only the tables are read (see
/// [`listing::tables`]): describe text is not walked a second time.
fn with_listings(mut parsed: Parsed, chunk: Chunk<'_>) -> Parsed {
    let rows = listing::tables(chunk);
    if rows.observations.is_empty() && rows.diagnostics.is_empty() {
        return parsed;
    }
    parsed.observations.extend(rows.observations);
    parsed.observations.sort_by_key(|o| o.offset);
    parsed.diagnostics.extend(rows.diagnostics);
    parsed.diagnostics.sort_by_key(|d| d.line);
    parsed
}

/// Offsets (ascending, each > 0 and < `bytes.len()`) where `bytes` may be cut
/// so that every piece parses on its own: the start of a record. The batch
/// engine uses them to parse one large input in parallel and to flush
/// complete records while stdin is still being read. An empty result means
/// "do not cut". Cuts are only made at least `min_piece` bytes apart.
pub fn boundaries(parser: Parser, bytes: &[u8], min_piece: usize) -> Vec<usize> {
    match parser {
        Parser::Describe => describe::boundaries(bytes, min_piece),
        Parser::Json => json::boundaries(bytes, min_piece),
        Parser::Yaml => yaml::boundaries(bytes, min_piece),
        Parser::DockerPs | Parser::KubectlGetPods => Vec::new(),
    }
}
