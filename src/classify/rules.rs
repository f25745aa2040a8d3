//! The classification rules as data: `grammar/rules/*.toml`, compiled in
//! with `include_str!` and parsed once. Editing a rule needs no Rust.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use serde::Deserialize;

use super::Severity;

const CATEGORIES: &str = include_str!("../../grammar/rules/categories.toml");
const SIGNALS: &str = include_str!("../../grammar/rules/signals.toml");
const NTSTATUS: &str = include_str!("../../grammar/rules/ntstatus.toml");

/// All rule data.
#[derive(Debug, Deserialize)]
pub struct Rules {
    pub events: EventPatterns,
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
    #[serde(rename = "app_code", default)]
    pub app_codes: Vec<AppCode>,
    #[serde(rename = "message_hint", default)]
    pub message_hints: Vec<MessageHint>,
    #[serde(skip)]
    pub signals: Vec<Signal>,
    #[serde(skip)]
    pub ntstatus: Vec<NtStatus>,
}

/// Substrings that mark an event as evidence of a kind.
#[derive(Debug, Deserialize)]
pub struct EventPatterns {
    pub oom: Vec<String>,
    pub probe: Vec<String>,
}

/// One category: its texts and the alternatives that select it.
#[derive(Debug, Deserialize)]
pub struct Category {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    pub hint: String,
    pub meaning: String,
    pub causes: Vec<String>,
    pub checks: Vec<String>,
    #[serde(rename = "when")]
    pub alternatives: Vec<Conditions>,
}

/// One alternative: every key that is set must hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    pub terminated: Option<bool>,
    pub status: Option<String>,
    pub reasons: Option<Vec<String>>,
    pub pod_reasons: Option<Vec<String>>,
    pub pod_phases: Option<Vec<String>>,
    pub oom_flag: Option<bool>,
    pub codes: Option<Vec<i64>>,
    pub code_known: Option<bool>,
    pub not_codes: Option<Vec<i64>>,
    pub code_range: Option<[i64; 2]>,
    pub code_outside: Option<[i64; 2]>,
    pub signal_field: Option<bool>,
    pub event: Option<EventKind>,
    /// *(v1.1)* true: a kernel OOM-killer line of this bundle names the
    /// container's memory cgroup during the judged run.
    pub kernel_oom: Option<bool>,
    /// Replaces the category's summary when this alternative matched.
    pub summary: Option<String>,
}

/// Which [`EventPatterns`] set a condition asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Oom,
    Probe,
}

/// A hint for a well-known application exit code.
#[derive(Debug, Deserialize)]
pub struct AppCode {
    pub code: i64,
    pub hint: String,
}

/// A hint picked by a substring of the judged state's message.
#[derive(Debug, Deserialize)]
pub struct MessageHint {
    pub contains: String,
    pub hint: String,
}

/// A Linux signal.
#[derive(Debug, Deserialize)]
pub struct Signal {
    pub number: i64,
    pub name: String,
    pub meaning: String,
}

/// A Windows NTSTATUS code.
#[derive(Debug, Deserialize)]
pub struct NtStatus {
    /// The unsigned 32-bit value.
    pub hex: u32,
    pub name: String,
    pub meaning: String,
    /// What `explain` gives as usual causes, instead of the category's.
    #[serde(default)]
    pub causes: Vec<String>,
    /// What `explain` gives as next steps, instead of the category's.
    #[serde(default)]
    pub checks: Vec<String>,
}

#[derive(Deserialize)]
struct SignalFile {
    signal: Vec<Signal>,
}

#[derive(Deserialize)]
struct NtStatusFile {
    status: Vec<NtStatus>,
}

/// The rules, parsed on first use. The files are part of the binary and a
/// unit test parses them, so a parse failure here is a build defect.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| load().unwrap_or_else(|e| panic!("grammar/rules are invalid: {e}")))
}

/// The event pattern sets of the rules, each one case-insensitive automaton
/// built once: every event of every container is matched against them,
/// which lowered a copy of the event for every event condition before.
struct Matchers {
    oom: AhoCorasick,
    probe: AhoCorasick,
}

fn matchers() -> &'static Matchers {
    static MATCHERS: OnceLock<Matchers> = OnceLock::new();
    MATCHERS.get_or_init(|| {
        let r = rules();
        let build = |patterns: Vec<&str>| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(patterns)
                // A few short literals from the compiled-in rules.
                .expect("classification patterns compile")
        };
        Matchers {
            oom: build(r.events.oom.iter().map(String::as_str).collect()),
            probe: build(r.events.probe.iter().map(String::as_str).collect()),
        }
    })
}

fn load() -> Result<Rules, toml::de::Error> {
    let mut rules: Rules = toml::from_str(CATEGORIES)?;
    rules.signals = toml::from_str::<SignalFile>(SIGNALS)?.signal;
    rules.ntstatus = toml::from_str::<NtStatusFile>(NTSTATUS)?.status;
    // Matching is ASCII case-insensitive: the patterns are lowered once here
    // rather than on every comparison.
    let patterns = rules.events.oom.iter_mut().chain(&mut rules.events.probe);
    let hints = rules.message_hints.iter_mut().map(|m| &mut m.contains);
    for p in patterns.chain(hints) {
        p.make_ascii_lowercase();
    }
    Ok(rules)
}

impl Rules {
    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The name of signal `n` (1–64): `SIGKILL`, `SIGRTMIN+3`.
    pub fn signal_name(&self, n: i64) -> Option<String> {
        match n {
            1..=31 => self
                .signals
                .iter()
                .find(|s| s.number == n)
                .map(|s| s.name.clone()),
            32 => Some("SIGRTMIN".to_string()),
            33..=63 => Some(format!("SIGRTMIN+{}", n - 32)),
            64 => Some("SIGRTMAX".to_string()),
            _ => None,
        }
    }

    /// What signal `n` usually means.
    pub fn signal_meaning(&self, n: i64) -> String {
        match self.signals.iter().find(|s| s.number == n) {
            Some(s) => s.meaning.clone(),
            None if (32..=64).contains(&n) => {
                "a real-time signal sent by another program".to_string()
            }
            None => "an unknown signal".to_string(),
        }
    }

    /// The NTSTATUS entry for an exit code in either form (unsigned or int32).
    pub fn ntstatus(&self, code: i64) -> Option<&NtStatus> {
        let unsigned = as_u32(code)?;
        self.ntstatus.iter().find(|s| s.hex == unsigned)
    }

    /// The hint for a message that names a well-known start problem: the
    /// first hint in file order whose text the message holds. (One lowered
    /// copy and a substring search per hint: measured cheaper than an
    /// automaton's overlapping scan on long termination messages.)
    pub fn message_hint(&self, message: &str) -> Option<&str> {
        let lower = message.to_ascii_lowercase();
        self.message_hints
            .iter()
            .find(|m| lower.contains(m.contains.as_str()))
            .map(|m| m.hint.as_str())
    }

    /// Whether an event (`Reason: message`) holds one of `kind`'s patterns.
    pub fn event_is(&self, kind: EventKind, event: &str) -> bool {
        let m = matchers();
        match kind {
            EventKind::Oom => m.oom.is_match(event),
            EventKind::Probe => m.probe.is_match(event),
        }
    }

    /// The extra hint for a well-known application exit code.
    pub fn app_hint(&self, code: i64) -> Option<&str> {
        self.app_codes
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.hint.as_str())
    }
}

/// An exit code as the unsigned 32-bit value Windows means, when it fits.
pub fn as_u32(code: i64) -> Option<u32> {
    if (i32::MIN as i64..0).contains(&code) {
        Some(code as i32 as u32)
    } else {
        u32::try_from(code).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The categories of output-record.md, in its order.
    const CONTRACT_ORDER: &[&str] = &[
        "running",
        "pending",
        "image_pull",
        "config_error",
        "crash_loop",
        "evicted",
        "status_unknown",
        "oom_killed",
        "deadline_exceeded",
        "completed",
        "start_failure",
        "not_executable",
        "command_not_found",
        "liveness_killed",
        "killed",
        "terminated",
        "segfault",
        "aborted",
        "signal",
        "exit_255",
        "windows_error",
        "app_error",
        "unknown",
    ];

    #[test]
    fn embedded_rule_files_parse() {
        load().expect("rule files parse");
    }

    #[test]
    fn categories_follow_the_contract_order_and_are_complete() {
        let ids: Vec<&str> = rules().categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, CONTRACT_ORDER);
    }

    #[test]
    fn categories_match_the_schema_enum() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/record.schema.json")).unwrap();
        let enumerated: Vec<&str> =
            schema["$defs"]["classification"]["properties"]["category"]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
        assert_eq!(enumerated, CONTRACT_ORDER);
    }

    #[test]
    fn severities_follow_the_contract() {
        for c in &rules().categories {
            let want = match c.id.as_str() {
                "completed" | "running" => Severity::Ok,
                "pending" => Severity::Info,
                "terminated" => Severity::Warning,
                _ => Severity::Error,
            };
            assert_eq!(c.severity, want, "{}", c.id);
        }
    }

    #[test]
    fn every_signal_from_1_to_64_has_a_name() {
        for n in 1..=64 {
            assert!(rules().signal_name(n).is_some(), "signal {n}");
        }
        assert_eq!(rules().signal_name(9).as_deref(), Some("SIGKILL"));
        assert_eq!(rules().signal_name(34).as_deref(), Some("SIGRTMIN+2"));
    }

    #[test]
    fn ntstatus_in_both_forms_and_at_least_15() {
        assert!(rules().ntstatus.len() >= 15);
        let r = rules();
        assert_eq!(
            r.ntstatus(-1073741819).unwrap().name,
            "STATUS_ACCESS_VIOLATION"
        );
        assert_eq!(
            r.ntstatus(3221225477).unwrap().name,
            "STATUS_ACCESS_VIOLATION"
        );
        assert_eq!(
            r.ntstatus(3221225786).unwrap().name,
            "STATUS_CONTROL_C_EXIT"
        );
        assert!(r.ntstatus(137).is_none());
    }
}
