//! The record's definition as data: the one source of truth every table
//! definition is generated from (`exitparse schema --format …`), the Parquet
//! writer's column layout, and `schema/record.schema.json` (a test checks
//! that the file equals [`json_schema`]'s output).
//!
//! The tree mirrors the wire struct in [`crate::output::record`]: keys, their
//! order, their types and whether they may be null. JSON-Schema-only
//! refinements (patterns, minimums, lengths) ride along in [`Rules`]; the
//! warehouse formats have no place for them and ignore them.

mod json_schema;
mod sql;

use std::sync::OnceLock;

pub use json_schema::json_schema;
pub use sql::{bigquery, duckdb, spark, sql};

use crate::classify::Severity;
use crate::model::{ContainerType, SourceFormat, Status};

/// One key of the record (or of a nested object).
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// One line for the formats that carry descriptions (BigQuery, Spark).
    pub about: &'static str,
    pub rules: Rules,
}

/// What a value is.
#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    /// A signed 64-bit integer.
    Integer,
    /// A 64-bit float.
    Number,
    Boolean,
    /// RFC 3339 UTC with a `Z`, as a string on the wire.
    Timestamp,
    /// One of these strings.
    Enum(Vec<String>),
    /// Always this string.
    Const(&'static str),
    /// An array; the item's name is unused.
    List(Box<Field>),
    Object(Object),
}

/// A nested object.
#[derive(Debug, Clone)]
pub struct Object {
    /// The name it is defined under in the JSON Schema's `$defs` (`None`:
    /// written inline where it is used).
    pub def: Option<&'static str>,
    pub fields: Vec<Field>,
    /// No keys besides `fields` (`additionalProperties: false`).
    pub closed: bool,
    /// A field that must be null unless another one has a given value
    /// (`exit_code` only for `terminated` states).
    pub null_unless: Option<NullUnless>,
}

/// `field` is null unless `when` equals `equals`.
#[derive(Debug, Clone, Copy)]
pub struct NullUnless {
    pub field: &'static str,
    pub when: &'static str,
    pub equals: &'static str,
}

/// Refinements only the JSON Schema states.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<i64>,
    pub pattern: Option<&'static str>,
    pub max_items: Option<u64>,
}

/// The pattern every timestamp matches.
pub const TIMESTAMP_PATTERN: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$";

fn field(name: &'static str, kind: Kind, nullable: bool, about: &'static str) -> Field {
    Field {
        name,
        kind,
        nullable,
        about,
        rules: Rules::default(),
    }
}

fn with(mut f: Field, rules: Rules) -> Field {
    f.rules = rules;
    f
}

fn text(name: &'static str, about: &'static str) -> Field {
    field(name, Kind::Text, true, about)
}

fn strings(list: impl IntoIterator<Item = &'static str>) -> Kind {
    Kind::Enum(list.into_iter().map(str::to_string).collect())
}

fn list_of(item: Field) -> Kind {
    Kind::List(Box::new(item))
}

fn plain_string() -> Field {
    field("item", Kind::Text, false, "")
}

/// The whole record, built once.
pub fn record() -> &'static Object {
    static RECORD: OnceLock<Object> = OnceLock::new();
    RECORD.get_or_init(build)
}

fn build() -> Object {
    let nonneg = Rules {
        minimum: Some(0),
        ..Rules::default()
    };
    let source = Object {
        def: None,
        fields: vec![
            with(
                field(
                    "path",
                    Kind::Text,
                    false,
                    "input path as given; archive!/member inside archives",
                ),
                Rules {
                    min_length: Some(1),
                    ..Rules::default()
                },
            ),
            with(
                field(
                    "line",
                    Kind::Integer,
                    false,
                    "1-based line where the container's block starts (0: unknown)",
                ),
                nonneg,
            ),
            with(
                field(
                    "offset",
                    Kind::Integer,
                    false,
                    "byte offset of that line in the decompressed input",
                ),
                nonneg,
            ),
            field(
                "format",
                strings(SourceFormat::ALL.map(SourceFormat::as_str)),
                false,
                "input format",
            ),
        ],
        closed: false,
        null_unless: None,
    };
    let container_types = [
        ContainerType::Container,
        ContainerType::Init,
        ContainerType::Ephemeral,
        ContainerType::Sandbox,
    ];
    Object {
        def: None,
        fields: vec![
            field(
                "schema",
                Kind::Const(crate::output::record::SCHEMA),
                false,
                "record schema name",
            ),
            field(
                "source",
                Kind::Object(source),
                false,
                "where the container was found",
            ),
            text("namespace", "pod namespace"),
            text("pod", "pod name"),
            text("node", "node name"),
            text(
                "pod_phase",
                "pod phase (Pending, Running, Succeeded, Failed, Unknown)",
            ),
            text(
                "pod_reason",
                "pod-level reason (Evicted, Shutdown, NodeLost, ...)",
            ),
            text("container", "container name"),
            field(
                "container_type",
                strings(container_types.map(ContainerType::as_str)),
                false,
                "container, init, ephemeral or sandbox",
            ),
            text("image", "image reference as printed"),
            text("container_id", "runtime container ID"),
            field("ready", Kind::Boolean, true, "readiness"),
            field(
                "restart_count",
                Kind::Integer,
                true,
                "Kubernetes restart count",
            ),
            field("state", Kind::Object(state()), false, "current state"),
            field(
                "last_state",
                Kind::Object(state()),
                true,
                "previous termination",
            ),
            field(
                "classification",
                Kind::Object(classification()),
                false,
                "the verdict",
            ),
            field(
                "events",
                list_of(plain_string()),
                false,
                "pod events about this container, each \"Reason: message\"",
            ),
            with(
                text("pod_uid", "pod UID (metadata.uid)"),
                Rules {
                    min_length: Some(1),
                    ..Rules::default()
                },
            ),
            field(
                "exited_at",
                Kind::Timestamp,
                true,
                "finished_at of the judged termination (the per-day column)",
            ),
            field(
                "logs",
                Kind::Object(logs()),
                true,
                "the container's log found in the same bundle",
            ),
        ],
        closed: false,
        null_unless: None,
    }
}

fn state() -> Object {
    let statuses = [
        Status::Running,
        Status::Waiting,
        Status::Terminated,
        Status::Unknown,
    ];
    Object {
        def: Some("state"),
        fields: vec![
            field(
                "status",
                strings(statuses.map(Status::as_str)),
                false,
                "running, waiting, terminated or unknown",
            ),
            text("reason", "reason as printed"),
            field(
                "exit_code",
                Kind::Integer,
                true,
                "exit code as reported (terminated only)",
            ),
            field(
                "signal",
                Kind::Integer,
                true,
                "signal number, when reported apart from the code",
            ),
            text("message", "message, lines joined with \\n"),
            field("started_at", Kind::Timestamp, true, "start time (UTC)"),
            field("finished_at", Kind::Timestamp, true, "finish time (UTC)"),
            field(
                "duration_seconds",
                Kind::Number,
                true,
                "finished_at - started_at",
            ),
            field(
                "oom_killed",
                Kind::Boolean,
                true,
                "docker/podman State.OOMKilled",
            ),
        ],
        closed: false,
        null_unless: Some(NullUnless {
            field: "exit_code",
            when: "status",
            equals: Status::Terminated.as_str(),
        }),
    }
}

fn classification() -> Object {
    let categories = crate::classify::rules::rules()
        .categories
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let severities = [
        Severity::Ok,
        Severity::Info,
        Severity::Warning,
        Severity::Error,
    ];
    Object {
        def: Some("classification"),
        fields: vec![
            field("category", Kind::Enum(categories), false, "what happened"),
            field(
                "from",
                strings(["state", "last_state"]),
                false,
                "which state was judged",
            ),
            field("exit_code", Kind::Integer, true, "the code judged"),
            with(
                text("signal", "signal name (SIGKILL)"),
                Rules {
                    pattern: Some("^SIG[A-Z0-9+]+$"),
                    ..Rules::default()
                },
            ),
            field(
                "severity",
                strings(severities.map(Severity::as_str)),
                false,
                "ok, info, warning or error",
            ),
            with(
                field(
                    "summary",
                    Kind::Text,
                    false,
                    "one sentence a person can read",
                ),
                Rules {
                    min_length: Some(1),
                    ..Rules::default()
                },
            ),
            text("hint", "what to check next"),
            field(
                "evidence",
                list_of(plain_string()),
                false,
                "what the verdict rests on",
            ),
        ],
        closed: false,
        null_unless: None,
    }
}

fn logs() -> Object {
    let line = with(
        plain_string(),
        Rules {
            max_length: Some(512),
            ..Rules::default()
        },
    );
    Object {
        def: Some("logs"),
        fields: vec![
            with(
                field("path", Kind::Text, false, "the log's path"),
                Rules {
                    min_length: Some(1),
                    ..Rules::default()
                },
            ),
            field(
                "previous",
                Kind::Boolean,
                false,
                "whether it is the previous run's log",
            ),
            with(
                field("tail", list_of(line), false, "its last lines"),
                Rules {
                    max_items: Some(10),
                    ..Rules::default()
                },
            ),
            text("finding", "a recognized crash signature"),
            text("finding_line", "the line it was recognized on"),
        ],
        closed: true,
        null_unless: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_has_the_wire_keys() {
        let rec = crate::output::Record::new(
            std::sync::Arc::from("x"),
            crate::model::Observation::default(),
        );
        let value = rec.to_value();
        let mut wire: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut ours: Vec<&str> = record().fields.iter().map(|f| f.name).collect();
        wire.sort_unstable();
        ours.sort_unstable();
        assert_eq!(wire, ours);
    }
}
