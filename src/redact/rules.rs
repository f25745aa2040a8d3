//! Redaction rules as data: `grammar/rules/redact.toml` (compiled in) and
//! the files given with `--redact-rules`, in the same shape. Loading a file
//! checks everything a rule promises (a valid pattern with a `secret`
//! group, triggers that its own examples contain, examples that come out as
//! written, near misses that do not) and names the line of the first rule
//! that breaks a promise.
//!
//! The built-in rules are checked the same way by a unit test, so at run
//! time they are only parsed, and each pattern is compiled the first time a
//! value holds one of its triggers: most runs compile few or none, and
//! start-up stays a TOML parse and one Aho–Corasick build.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

/// What replaces a secret.
pub const MASK: &str = "***HIDDEN***";

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub what: String,
    /// Literal substrings (ASCII case-insensitive), one of which every
    /// match contains.
    pub triggers: Vec<String>,
    pub pattern: String,
    /// The pattern compiled, on first use (at load for checked files).
    compiled: OnceLock<Compiled>,
    pub examples: Vec<(String, String)>,
    pub near_misses: Vec<String>,
    /// 1-based line of the rule in its file.
    pub line: u64,
}

/// A compiled pattern and the indices of its groups whose text is masked.
#[derive(Debug)]
struct Compiled {
    regex: Regex,
    secret_groups: Vec<usize>,
}

/// How much of a rules file [`parse`] verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Everything, patterns compiled now: a user's file (and the built-in
    /// file, in its unit test).
    Full,
    /// The shape only; patterns compile on first use. The built-in file,
    /// which its unit test checks fully.
    Shape,
}

/// A rules file that cannot be used, at a line (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub line: u64,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "rule", default)]
    rules: Vec<Spanned<Spec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    what: String,
    triggers: Vec<String>,
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<Spanned<(String, String)>>,
    #[serde(default)]
    near_misses: Vec<String>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() as u64 + 1
}

/// Parses and checks a rules file's text. `taken` holds the ids already
/// defined (the built-in rules when loading a `--redact-rules` file).
pub fn parse(text: &str, taken: &[&str], check: Check) -> Result<Vec<Rule>, RuleError> {
    let file: File = toml::from_str(text).map_err(|e| RuleError {
        line: e.span().map_or(0, |s| line_of(text, s.start)),
        message: e.message().trim_end().to_string(),
    })?;
    let mut ids: Vec<String> = taken.iter().map(|s| s.to_string()).collect();
    let mut rules = Vec::with_capacity(file.rules.len());
    for spanned in file.rules {
        let line = line_of(text, spanned.span().start);
        let spec = spanned.into_inner();
        let fail = |at: u64, message: String| RuleError { line: at, message };
        let rule = build(spec, line, text, &ids, check).map_err(|(at, m)| fail(at, m))?;
        ids.push(rule.id.clone());
        rules.push(rule);
    }
    Ok(rules)
}

/// Compiles `pattern`; the error names what is wrong with it.
fn compile(id: &str, pattern: &str) -> Result<Compiled, String> {
    let regex = Regex::new(pattern).map_err(|e| format!("rule {id}: bad pattern: {e}"))?;
    let secret_groups: Vec<usize> = regex
        .capture_names()
        .enumerate()
        .filter(|(_, name)| name.is_some_and(|n| n.starts_with("secret")))
        .map(|(i, _)| i)
        .collect();
    if secret_groups.is_empty() {
        return Err(format!(
            "rule {id}: the pattern has no group named `secret` (?P<secret>…) to mask"
        ));
    }
    Ok(Compiled {
        regex,
        secret_groups,
    })
}

fn build(
    spec: Spec,
    line: u64,
    text: &str,
    ids: &[String],
    check: Check,
) -> Result<Rule, (u64, String)> {
    let id = spec.id;
    let valid_id = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid_id {
        return Err((
            line,
            format!("rule id {id:?}: use lowercase letters, digits and `_`"),
        ));
    }
    if ids.contains(&id) {
        return Err((line, format!("rule {id}: this id is already defined")));
    }
    if spec.triggers.is_empty() || spec.triggers.iter().any(String::is_empty) {
        return Err((
            line,
            format!("rule {id}: `triggers` needs at least one non-empty substring"),
        ));
    }
    let pattern_line = line_of(text, spec.pattern.span().start);
    let mut rule = Rule {
        pattern: spec.pattern.into_inner(),
        compiled: OnceLock::new(),
        id,
        what: spec.what,
        triggers: spec.triggers,
        examples: Vec::new(),
        near_misses: spec.near_misses,
        line,
    };
    let mut example_lines = Vec::with_capacity(spec.examples.len());
    for example in spec.examples {
        example_lines.push(line_of(text, example.span().start));
        rule.examples.push(example.into_inner());
    }
    if check == Check::Full {
        let compiled = compile(&rule.id, &rule.pattern).map_err(|m| (pattern_line, m))?;
        let _ = rule.compiled.set(compiled);
        rule.check(line, &example_lines)?;
    }
    Ok(rule)
}

impl Rule {
    /// The compiled pattern. The built-in patterns compile (their unit
    /// test says so); checked files were compiled at load.
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            compile(&self.id, &self.pattern)
                .unwrap_or_else(|e| panic!("grammar/rules/redact.toml:{}: {e}", self.line))
        })
    }

    /// The examples come out as written and the near misses unchanged.
    fn check(&self, line: u64, example_lines: &[u64]) -> Result<(), (u64, String)> {
        for ((input, want), &at) in self.examples.iter().zip(example_lines) {
            if !self.triggered_by(input) {
                return Err((
                    at,
                    format!(
                        "rule {}: example {input:?} contains none of the triggers",
                        self.id
                    ),
                ));
            }
            let got = self.apply(input).unwrap_or_else(|| input.clone());
            if &got != want {
                return Err((
                    at,
                    format!(
                        "rule {}: example {input:?} gives {got:?}, not {want:?}",
                        self.id
                    ),
                ));
            }
        }
        for near in &self.near_misses {
            if self.apply(near).is_some() {
                return Err((
                    line,
                    format!("rule {}: near miss {near:?} is masked", self.id),
                ));
            }
        }
        Ok(())
    }

    /// Whether `text` holds one of the triggers (the slow path of the
    /// prefilter, for checking examples).
    fn triggered_by(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        self.triggers
            .iter()
            .any(|t| lower.contains(&t.to_ascii_lowercase()))
    }

    /// `text` with every secret this rule finds masked; `None` when there
    /// is none (or every one is masked already).
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut last = 0;
        let mut hit = false;
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let compiled = self.compiled();
        for caps in compiled.regex.captures_iter(text) {
            spans.clear();
            spans.extend(
                compiled
                    .secret_groups
                    .iter()
                    .filter_map(|&g| caps.get(g))
                    .filter(|m| !m.is_empty() && !m.as_str().contains(MASK))
                    .map(|m| (m.start(), m.end())),
            );
            spans.sort_unstable();
            for &(start, end) in &spans {
                if start < last {
                    continue;
                }
                out.push_str(&text[last..start]);
                out.push_str(MASK);
                last = end;
                hit = true;
            }
        }
        if !hit {
            return None;
        }
        out.push_str(&text[last..]);
        Some(out)
    }
}
