//! The v1 output record (`../shared/spec/output-record.md`,
//! `schema/record.schema.json`): one JSON object per container observation.
//!
//! Key order is fixed by the serialize-only [`Wire`] struct below; keys and
//! types are a stable contract that users' jq filters depend on.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::classify::Classification;
use crate::classify::From;
use crate::model::{ContainerType, Logs, Observation, SourceFormat, State, Status};
use crate::redact::{Redactor, Tally};

/// The `schema` value of every v1 record.
pub const SCHEMA: &str = "exitparse.record/v1";

/// One classified observation from one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `source.path`: the input as given, `"-"` for stdin, `archive!/member` inside archives.
    pub path: Arc<str>,
    pub observation: Observation,
    pub classification: Classification,
}

#[derive(Serialize)]
struct Wire<'a> {
    schema: &'static str,
    source: WireSource<'a>,
    namespace: &'a Option<String>,
    pod: &'a Option<String>,
    node: &'a Option<String>,
    pod_phase: &'a Option<String>,
    pod_reason: &'a Option<String>,
    container: &'a Option<String>,
    container_type: ContainerType,
    image: &'a Option<String>,
    container_id: &'a Option<String>,
    ready: Option<bool>,
    restart_count: Option<i64>,
    state: &'a State,
    last_state: &'a Option<State>,
    classification: &'a Classification,
    events: &'a [String],
    pod_uid: &'a Option<String>,
    exited_at: Option<&'a str>,
    logs: &'a Option<Logs>,
}

#[derive(Serialize)]
struct WireSource<'a> {
    path: &'a str,
    line: u64,
    offset: u64,
    format: Option<SourceFormat>,
}

impl Record {
    /// Builds a record by classifying `observation`.
    pub fn new(path: Arc<str>, observation: Observation) -> Record {
        let classification = crate::classify::classify(&observation);
        Record {
            path,
            observation,
            classification,
        }
    }

    /// Builds a record from `observation` with its free text masked by
    /// `redactor` first (counted in `tally`), so the classification's
    /// summary and evidence quote the masked text too and every output
    /// format sees only that. `None`: `--no-redact`.
    pub fn redacted(
        path: Arc<str>,
        mut observation: Observation,
        redactor: Option<&Redactor>,
        tally: &mut Tally,
    ) -> Record {
        if let Some(r) = redactor {
            r.observation(&mut observation, tally);
        }
        Record::new(path, observation)
    }

    fn wire(&self) -> Wire<'_> {
        let o = &self.observation;
        Wire {
            schema: SCHEMA,
            source: WireSource {
                path: &self.path,
                line: o.line,
                offset: o.offset,
                format: o.format,
            },
            namespace: &o.namespace,
            pod: &o.pod,
            node: &o.node,
            pod_phase: &o.pod_phase,
            pod_reason: &o.pod_reason,
            container: &o.container,
            container_type: o.container_type,
            image: &o.image,
            container_id: &o.container_id,
            ready: o.ready,
            restart_count: o.restart_count,
            state: &o.state,
            last_state: &o.last_state,
            classification: &self.classification,
            events: &o.events,
            pod_uid: &o.pod_uid,
            exited_at: self.exited_at(),
            logs: &o.logs,
        }
    }

    /// *(v1.1)* `exited_at`: `finished_at` of the termination that
    /// `classification.from` judged; `None` when that state did not terminate.
    pub fn exited_at(&self) -> Option<&str> {
        let o = &self.observation;
        let judged = match self.classification.from {
            From::State => Some(&o.state),
            From::LastState => o.last_state.as_ref(),
        }?;
        if judged.status != Status::Terminated {
            return None;
        }
        judged.finished_at.as_deref()
    }

    /// When the container last finished, for the time filters and the
    /// table's FINISHED column: `finished_at` of the judged state, else of
    /// the other state (a running container's previous exit still places it
    /// in time). Lives here, with [`Record::exited_at`], so the filter and
    /// the output formats both depend on the record and not on each other.
    pub fn finished_at(&self) -> Option<DateTime<Utc>> {
        let o = &self.observation;
        let (judged, other) = match self.classification.from {
            From::State => (Some(&o.state), o.last_state.as_ref()),
            From::LastState => (o.last_state.as_ref(), Some(&o.state)),
        };
        [judged, other]
            .into_iter()
            .flatten()
            .filter_map(|s| s.finished_at.as_deref())
            .find_map(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    }

    /// Appends this record as one JSON line (with `\n`) to `out`, written
    /// by [`super::wire`] (the same bytes as [`Record::write_jsonl_serde`]).
    pub fn write_jsonl(&self, out: &mut Vec<u8>) {
        super::wire::write(self, out);
        out.push(b'\n');
    }

    /// The reference for [`Record::write_jsonl`]: the same line through
    /// serde_json's generic serializer. Kept for the tests that compare them.
    #[doc(hidden)]
    pub fn write_jsonl_serde(&self, out: &mut Vec<u8>) {
        // Serializing plain structs of strings and numbers into a Vec cannot fail.
        serde_json::to_writer(&mut *out, &self.wire()).expect("record serializes");
        out.push(b'\n');
    }

    /// This record as a JSON value (for the `json` output format and tests).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self.wire()).expect("record serializes")
    }
}
