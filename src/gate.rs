//! `--fail-on CATEGORY|SEVERITY,…`: the CI gate. A record kept by the
//! filters that has one of the named categories, or one of the named
//! severities, makes the run end with status 3 (status 1, an input that
//! could not be read, still wins).

use crate::classify::Severity;
use crate::output::Record;

/// The resolved `--fail-on` list.
#[derive(Debug, Clone)]
pub struct FailOn {
    categories: Vec<String>,
    severities: Vec<Severity>,
    /// As the user wrote it, for the message.
    shown: String,
}

const SEVERITIES: [Severity; 4] = [
    Severity::Ok,
    Severity::Info,
    Severity::Warning,
    Severity::Error,
];

impl FailOn {
    /// `None` when the flag was not given; an error names the bad value.
    pub fn from_args(values: &[String]) -> Result<Option<FailOn>, String> {
        if values.is_empty() {
            return Ok(None);
        }
        let rules = crate::classify::rules::rules();
        let mut gate = FailOn {
            categories: Vec::new(),
            severities: Vec::new(),
            shown: values.join(","),
        };
        for v in values {
            let v = v.trim();
            if let Some(s) = SEVERITIES.iter().find(|s| s.as_str() == v) {
                gate.severities.push(*s);
            } else if rules.category(v).is_some() {
                gate.categories.push(v.to_string());
            } else {
                let mut all: Vec<&str> = SEVERITIES.iter().map(|s| s.as_str()).collect();
                all.extend(rules.categories.iter().map(|c| c.id.as_str()));
                return Err(format!(
                    "--fail-on: {v:?} is neither a category nor a severity (one of: {})",
                    all.join(", ")
                ));
            }
        }
        Ok(Some(gate))
    }

    /// Whether `record` trips the gate.
    pub fn matches(&self, record: &Record) -> bool {
        let c = &record.classification;
        self.severities.contains(&c.severity) || self.categories.contains(&c.category)
    }

    /// The one-line reason for stderr, given how many records matched and
    /// the first of them.
    pub fn reason(&self, matched: u64, first: &str) -> String {
        format!(
            "--fail-on {}: {matched} record{} matched, first {first}",
            self.shown,
            if matched == 1 { "" } else { "s" }
        )
    }
}

/// How a matching record is named in the reason: where it was found and
/// what it is.
pub fn describe(record: &Record) -> String {
    let o = &record.observation;
    let name = [&o.namespace, &o.pod, &o.container]
        .iter()
        .map(|v| v.as_deref().unwrap_or("-"))
        .collect::<Vec<_>>()
        .join("/");
    let c = &record.classification;
    format!(
        "{} ({}, {} {})",
        crate::diag::location(&record.path, o.line),
        crate::term::sanitize(&name),
        c.category,
        c.severity.as_str()
    )
}
