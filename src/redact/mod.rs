//! Redaction: secrets in the free text a record copies from its input
//! (termination messages, events, log tails, evidence quoting them) are
//! masked with `***HIDDEN***` before the record is classified, so every
//! output format, and the summary sentence built from the message, only
//! ever sees the masked text. Structured fields (names, images, ids, codes,
//! times) are left alone.
//!
//! The rules are data (`grammar/rules/redact.toml`, see [`rules`]). Speed:
//! one Aho–Corasick automaton holds every rule's trigger substrings; a value
//! is scanned once, and only the rules whose triggers occur run their regex.

pub mod rules;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored};

use crate::cli::RunArgs;
use crate::model::{Logs, Observation, State};
use crate::output::Record;
pub use rules::{Check, MASK, Rule, RuleError};

const BUILTIN: &str = include_str!("../../grammar/rules/redact.toml");

/// The compiled rule set.
#[derive(Debug)]
pub struct Redactor {
    rules: Vec<Rule>,
    /// Every rule's triggers; pattern `i` belongs to rule `owner[i]`.
    prefilter: AhoCorasick,
    owner: Vec<usize>,
    /// The same triggers as a bare DFA, walked by [`Redactor::triggered`].
    gate: DFA,
    gate_start: StateID,
}

/// Values redacted, in total and per rule (indexed like [`Redactor::rules`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Values in which at least one secret was masked.
    pub values: u64,
    /// Values each rule masked something in; empty until the first.
    pub per_rule: Vec<u64>,
}

impl Tally {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Tally) {
        self.values += other.values;
        if self.per_rule.len() < other.per_rule.len() {
            self.per_rule.resize(other.per_rule.len(), 0);
        }
        for (mine, theirs) in self.per_rule.iter_mut().zip(&other.per_rule) {
            *mine += theirs;
        }
    }

    fn bump(&mut self, rule: usize, rules: usize) {
        if self.per_rule.len() < rules {
            self.per_rule.resize(rules, 0);
        }
        self.per_rule[rule] += 1;
    }
}

/// A `--redact-rules` file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: String,
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = crate::diag::location(&self.path, self.line);
        write!(f, "{at}: {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// The built-in rules, compiled on first use. The file is part of the
/// binary and a unit test loads it, so a failure here is a build defect.
pub fn builtin() -> &'static Arc<Redactor> {
    static BUILT: OnceLock<Arc<Redactor>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let rules = rules::parse(BUILTIN, &[], Check::Shape).unwrap_or_else(|e| {
            panic!(
                "grammar/rules/redact.toml:{}: invalid: {}",
                e.line, e.message
            )
        });
        Arc::new(Redactor::new(rules))
    })
}

/// The redaction the command line asks for: `None` with `--no-redact`,
/// the built-in rules, or those plus the rules of `--redact-rules FILE`.
pub fn from_args(args: &RunArgs) -> Result<Option<Arc<Redactor>>, LoadError> {
    if args.no_redact {
        return Ok(None);
    }
    match &args.redact_rules {
        None => Ok(Some(builtin().clone())),
        Some(path) => Redactor::with_file(path).map(|r| Some(Arc::new(r))),
    }
}

impl Redactor {
    /// Compiles the prefilter over `rules`.
    pub fn new(rules: Vec<Rule>) -> Redactor {
        let mut triggers = Vec::new();
        let mut owner = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for t in &rule.triggers {
                triggers.push(t.as_str());
                owner.push(i);
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&triggers)
            // Plain literals well under any size limit: cannot fail.
            .expect("redaction triggers compile");
        let gate = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&triggers)
            .expect("redaction triggers compile");
        let gate_start = gate
            .start_state(Anchored::No)
            .expect("a DFA built unanchored has an unanchored start");
        Redactor {
            rules,
            prefilter,
            owner,
            gate,
            gate_start,
        }
    }

    /// Whether `value` holds any rule's trigger: `prefilter.is_match` as a
    /// bare loop over the DFA's transitions. The crate's search loop costs
    /// about 16 instructions a byte here (case-insensitive triggers leave
    /// it no prefilter); this one a third less, and every event and message
    /// of every container goes through it.
    fn triggered(&self, value: &str) -> bool {
        let dfa = &self.gate;
        let mut sid = self.gate_start;
        if dfa.is_match(sid) {
            return true;
        }
        for &b in value.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, b);
            if dfa.is_special(sid) && dfa.is_match(sid) {
                return true;
            }
        }
        false
    }

    /// The built-in rules followed by those of `path`.
    pub fn with_file(path: &Path) -> Result<Redactor, LoadError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| LoadError {
            path: shown.clone(),
            line: 0,
            message: format!("cannot read the redaction rules: {e}"),
        })?;
        let base = rules::parse(BUILTIN, &[], Check::Shape).map_err(|e| LoadError {
            path: "grammar/rules/redact.toml".to_string(),
            line: e.line,
            message: e.message,
        })?;
        let taken: Vec<&str> = base.iter().map(|r| r.id.as_str()).collect();
        let extra = rules::parse(&text, &taken, Check::Full).map_err(|e| LoadError {
            path: shown,
            line: e.line,
            message: e.message,
        })?;
        let mut all = base;
        all.extend(extra);
        Ok(Redactor::new(all))
    }

    /// The rules, in the order they run.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// `value` with its secrets masked, or `None` when it has none.
    pub fn text(&self, value: &str, tally: &mut Tally) -> Option<String> {
        // The common case: no trigger, one scan (the automaton's own
        // prefilter), no allocation.
        if !self.triggered(value) {
            return None;
        }
        let mut fired: Vec<usize> = Vec::new();
        for m in self.prefilter.find_overlapping_iter(value) {
            let rule = self.owner[m.pattern().as_usize()];
            if !fired.contains(&rule) {
                fired.push(rule);
            }
        }
        if fired.is_empty() {
            return None;
        }
        fired.sort_unstable();
        let mut current: Option<String> = None;
        for rule in fired {
            let now = current.as_deref().unwrap_or(value);
            if let Some(masked) = self.rules[rule].apply(now) {
                tally.bump(rule, self.rules.len());
                current = Some(masked);
            }
        }
        if current.is_some() {
            tally.values += 1;
        }
        current
    }

    fn field(&self, value: &mut String, tally: &mut Tally) {
        if let Some(masked) = self.text(value, tally) {
            *value = masked;
        }
    }

    fn optional(&self, value: &mut Option<String>, tally: &mut Tally) {
        if let Some(v) = value {
            self.field(v, tally);
        }
    }

    fn list(&self, values: &mut [String], tally: &mut Tally) {
        for v in values {
            self.field(v, tally);
        }
    }

    fn state(&self, state: &mut State, tally: &mut Tally) {
        self.optional(&mut state.message, tally);
    }

    /// Masks `logs.tail` and `logs.finding_line`.
    pub fn logs(&self, logs: &mut Logs, tally: &mut Tally) {
        self.list(&mut logs.tail, tally);
        self.optional(&mut logs.finding_line, tally);
    }

    /// Masks every free-text value of an observation: both states'
    /// messages, events, the log tail and finding line, and the parsers'
    /// evidence (a failing health check's output, a listing's STATUS).
    pub fn observation(&self, obs: &mut Observation, tally: &mut Tally) {
        self.state(&mut obs.state, tally);
        if let Some(last) = &mut obs.last_state {
            self.state(last, tally);
        }
        self.list(&mut obs.events, tally);
        if let Some(logs) = &mut obs.logs {
            self.logs(logs, tally);
        }
        self.list(&mut obs.evidence, tally);
    }

    /// Masks a record built without redaction, or changed after it was
    /// built (a log or kubelet line joined later). When its observation
    /// had a secret, the record is classified again from the masked
    /// observation, so the summary quotes the masked message (a secret cut
    /// by the summary's length limit could no longer be recognized); then
    /// the classification texts are masked too, for evidence taken from
    /// fields this module does not know. Masks are never masked again, so
    /// running this on a redacted record changes and counts nothing.
    pub fn record(&self, record: &mut Record, tally: &mut Tally) {
        let before = tally.values;
        self.observation(&mut record.observation, tally);
        if tally.values > before {
            record.classification = crate::classify::classify(&record.observation);
        }
        let c = &mut record.classification;
        self.field(&mut c.summary, tally);
        self.optional(&mut c.hint, tally);
        self.list(&mut c.evidence, tally);
    }

    /// `(rule id, values)` for every rule that masked something, in rule
    /// order.
    pub fn counts<'a>(&'a self, tally: &'a Tally) -> Vec<(&'a str, u64)> {
        self.rules
            .iter()
            .zip(&tally.per_rule)
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| (r.id.as_str(), *n))
            .collect()
    }
}

#[cfg(test)]
mod tests;
