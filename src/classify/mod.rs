//! Classification: the verdict on one observation, judged by the ordered
//! rules in `grammar/rules/` (see `output-record.md`, "Classification").

use serde::Serialize;

use crate::model::Observation;

/// `classification.from`: which state was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum From {
    State,
    LastState,
}

/// `classification.severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

/// The verdict on one container.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub category: String,
    pub from: From,
    pub exit_code: Option<i64>,
    pub signal: Option<String>,
    pub severity: Severity,
    pub summary: String,
    pub hint: Option<String>,
    pub evidence: Vec<String>,
}

/// Judges one observation.
pub fn classify(_obs: &Observation) -> Classification {
    Classification {
        category: "unknown".to_string(),
        from: From::State,
        exit_code: None,
        signal: None,
        severity: Severity::Error,
        summary: "nothing to judge".to_string(),
        hint: None,
        evidence: Vec::new(),
    }
}
