//! `exitparse explain CODE|SIGNAL|REASON`: what an exit code, signal or
//! reason means, its usual causes and what to check next.
//!
//! Everything said comes from the classifier's rule data
//! (`grammar/rules/*.toml` through [`crate::classify::rules`]); an exit code
//! is judged by [`crate::classify::classify`] itself, as the terminated state
//! of a container, so `explain` and the records can never disagree. Reason
//! words that no rule names on its own (`Completed`, `Error`, event reasons)
//! come from `grammar/rules/reasons.toml`.

use std::io::{self, Write};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::classify::rules::{self, Category, EventKind, Rules};
use crate::classify::{self, ntstatus_fields};
use crate::model::{Observation, State, Status};
use crate::term;

const REASONS: &str = include_str!("../grammar/rules/reasons.toml");

/// An extra reason word (`grammar/rules/reasons.toml`).
#[derive(Debug, Deserialize)]
struct ExtraReason {
    name: String,
    kind: String,
    category: String,
    note: String,
}

#[derive(Deserialize)]
struct ReasonFile {
    reason: Vec<ExtraReason>,
}

fn extra_reasons() -> &'static [ExtraReason] {
    static R: OnceLock<Vec<ExtraReason>> = OnceLock::new();
    // The file is compiled in and a unit test parses it; an empty list here
    // would only lose a few explanations, never fail a run.
    R.get_or_init(|| {
        toml::from_str::<ReasonFile>(REASONS)
            .map(|f| f.reason)
            .unwrap_or_default()
    })
}

/// What the user asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// An exit code as a runtime reports it (decimal, negative, or hex).
    Code(i64),
    /// A signal by number (1–64).
    Signal(i64),
    /// A word: reason, event reason, or something unknown.
    Word(String),
}

/// Reads `what`: `137`, `-1073741819`, `0xC0000005`, `SIGSEGV`, `KILL`,
/// `SIGRTMIN+3`, `Signal:9`, `ExitCode:137`, `Exited (137)`, `OOMKilled`.
/// A bare number is always an exit code: that is what dumps show.
pub fn parse(what: &str) -> Result<Query, String> {
    let w = what.trim();
    if w.is_empty() {
        return Err("nothing to explain: give an exit code, a signal or a reason".to_string());
    }
    // `kubectl get pods` STATUS words: Init:Signal:9, ExitCode:137.
    let w = w.strip_prefix("Init:").unwrap_or(w);
    if let Some(n) = w.strip_prefix("Signal:") {
        return signal_number(n).map(Query::Signal);
    }
    if let Some(n) = w.strip_prefix("ExitCode:") {
        return number(n).map(Query::Code);
    }
    // `docker ps` STATUS: Exited (137) 2 hours ago.
    if let Some(rest) = w.strip_prefix("Exited (")
        && let Some((n, _)) = rest.split_once(')')
    {
        return number(n).map(Query::Code);
    }
    let first = w.as_bytes().first().copied().unwrap_or(b' ');
    if first.is_ascii_digit() || first == b'-' || first == b'+' {
        return number(w).map(Query::Code);
    }
    let upper = w.to_ascii_uppercase();
    if let Some(name) = upper.strip_prefix("SIG") {
        return signal_by_name(name).map(Query::Signal).ok_or_else(|| {
            let close = closest_signals(&upper);
            if close.is_empty() {
                format!("{w:?} is not a Linux signal name")
            } else {
                format!(
                    "{w:?} is not a Linux signal name; did you mean {}?",
                    close.join(" or ")
                )
            }
        });
    }
    if reason_entry(w).is_none()
        && let Some(n) = signal_by_name(&upper)
    {
        return Ok(Query::Signal(n));
    }
    Ok(Query::Word(w.to_string()))
}

/// The signal names nearest to `name` (upper case, with `SIG`), within two
/// edits: `SIGSEV` → `SIGSEGV`. Only the nearest are given, so a typo gets
/// one answer rather than every name of the same length.
fn closest_signals(name: &str) -> Vec<String> {
    let rules = rules::rules();
    let scored: Vec<(usize, &str)> = rules
        .signals
        .iter()
        .map(|s| (edit_distance(&s.name, name), s.name.as_str()))
        .filter(|(d, _)| *d <= 2)
        .collect();
    let best = scored.iter().map(|(d, _)| *d).min();
    scored
        .into_iter()
        .filter(|(d, _)| Some(*d) == best)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// A decimal (optionally signed) or `0x` hexadecimal number.
fn number(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let value = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i64::from_str_radix(hex, 16),
        None => digits.parse::<i64>(),
    }
    .map_err(|_| {
        format!(
            "{s:?} is not a number (decimal such as 137 or -1073741819, or hex such as 0xC0000005)"
        )
    })?;
    Ok(if neg { -value } else { value })
}

fn signal_number(s: &str) -> Result<i64, String> {
    let n = number(s)?;
    if (1..=64).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is not a Linux signal number (1–64)"))
    }
}

/// `KILL`, `RTMIN+3`, `RTMAX-1`, and the aliases IOT, POLL, UNUSED, CLD.
fn signal_by_name(name: &str) -> Option<i64> {
    let rules = rules::rules();
    let full = format!("SIG{name}");
    if let Some(s) = rules.signals.iter().find(|s| s.name == full) {
        return Some(s.number);
    }
    let alias = match name {
        "IOT" => Some(6),
        "POLL" => Some(29),
        "UNUSED" => Some(31),
        "CLD" => Some(17),
        "RTMIN" => Some(32),
        "RTMAX" => Some(64),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    let rt = |prefix: &str, base: i64, sign: i64| {
        name.strip_prefix(prefix)
            .and_then(|k| k.parse::<i64>().ok())
            .map(|k| base + sign * k)
            .filter(|n| (32..=64).contains(n))
    };
    rt("RTMIN+", 32, 1).or_else(|| rt("RTMAX-", 64, -1))
}

/// A signal as explained.
#[derive(Debug, Clone, Serialize)]
pub struct SignalInfo {
    pub number: i64,
    pub name: String,
    pub meaning: String,
}

/// A Windows NTSTATUS value as explained.
#[derive(Debug, Clone, Serialize)]
pub struct NtStatusInfo {
    /// `0xC0000005`.
    pub hex: String,
    /// Null when the value is not in exitparse's table.
    pub name: Option<String>,
    pub meaning: String,
    /// As docker prints it.
    pub unsigned: u32,
    /// As Kubernetes, containerd and crictl print it.
    pub int32: i32,
}

/// A reason word as explained.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonInfo {
    pub name: String,
    /// `terminated reason`, `waiting reason`, `pod reason`, `event`.
    pub kind: String,
}

/// Another category the same code gets when more is known.
#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub category: String,
    /// The extra facts that lead there, e.g. "reason OOMKilled".
    pub when: String,
}

/// Everything `explain` says about one query; the `--json` shape.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// What was asked, as typed.
    pub query: String,
    /// `exit_code`, `signal`, `reason` or `unknown`.
    pub kind: &'static str,
    /// One line: what the value is.
    pub headline: String,
    pub exit_code: Option<i64>,
    pub signal: Option<SignalInfo>,
    pub ntstatus: Option<NtStatusInfo>,
    pub reason: Option<ReasonInfo>,
    /// Further facts about the value (ranges, other readings).
    pub notes: Vec<String>,
    /// The category the classifier gives (for an exit code: a terminated
    /// container with this code and nothing else known).
    pub category: Option<String>,
    pub severity: Option<&'static str>,
    /// The classifier's summary for such a container.
    pub summary: Option<String>,
    pub meaning: Option<String>,
    pub causes: Vec<String>,
    pub next_steps: Vec<String>,
    pub hint: Option<String>,
    /// Categories the same code gets with more evidence (OOM, probes).
    pub also: Vec<Alternative>,
    /// Known words close to an unknown one.
    pub did_you_mean: Vec<String>,
}

impl Explanation {
    fn new(query: &str, kind: &'static str, headline: String) -> Explanation {
        Explanation {
            query: query.to_string(),
            kind,
            headline,
            exit_code: None,
            signal: None,
            ntstatus: None,
            reason: None,
            notes: Vec::new(),
            category: None,
            severity: None,
            summary: None,
            meaning: None,
            causes: Vec::new(),
            next_steps: Vec::new(),
            hint: None,
            also: Vec::new(),
            did_you_mean: Vec::new(),
        }
    }

    /// Fills meaning, causes, next steps and hint from a category.
    fn with_category(&mut self, c: &Category) {
        self.category = Some(c.id.clone());
        self.severity = Some(c.severity.as_str());
        self.meaning = Some(c.meaning.clone());
        self.causes = c.causes.clone();
        self.next_steps = c.checks.clone();
        if self.hint.is_none() && !c.hint.is_empty() {
            self.hint = Some(c.hint.clone());
        }
    }
}

/// Explains `what`; the error is for input that cannot be read at all.
pub fn explain(what: &str) -> Result<Explanation, String> {
    let query = term::sanitize(what.trim()).into_owned();
    Ok(match parse(what)? {
        Query::Code(c) => explain_code(&query, c),
        Query::Signal(n) => explain_signal(&query, n),
        Query::Word(w) => explain_word(&query, &w),
    })
}

fn signal_info(rules: &Rules, n: i64) -> Option<SignalInfo> {
    Some(SignalInfo {
        number: n,
        name: rules.signal_name(n)?,
        meaning: rules.signal_meaning(n),
    })
}

fn explain_code(query: &str, code: i64) -> Explanation {
    let rules = rules::rules();
    let (headline, mut notes) = describe_code(rules, code);
    let mut e = Explanation::new(query, "exit_code", headline);
    e.exit_code = Some(code);
    e.notes.append(&mut notes);
    if (129..=192).contains(&code) {
        e.signal = signal_info(rules, code - 128);
    }
    if !(0..=255).contains(&code)
        && let Some(u) = rules::as_u32(code)
        && let known = rules.ntstatus(code)
        // Top bits clear, or all set (exit(-1)): not an NTSTATUS value.
        && (known.is_some() || (u >> 30 != 0 && u != u32::MAX))
    {
        e.ntstatus = Some(NtStatusInfo {
            hex: format!("0x{u:08X}"),
            name: known.map(|s| s.name.clone()),
            meaning: known
                .map(|s| s.meaning.clone())
                .unwrap_or_else(|| ntstatus_fields(u)),
            unsigned: u,
            int32: u as i32,
        });
    }
    if rules::as_u32(code).is_none() {
        // No runtime reports such a value: there is nothing to judge.
        return e;
    }
    // Judge a terminated container with this code and nothing else known,
    // exactly as a record would be.
    let mut state = State::new(Status::Terminated);
    state.exit_code = Some(code);
    let verdict = classify::classify(&Observation {
        state,
        ..Observation::default()
    });
    e.summary = Some(verdict.summary);
    e.hint = verdict.hint;
    if let Some(c) = rules.category(&verdict.category) {
        e.with_category(c);
    }
    // The common Windows crashes and stops have causes and checks of their
    // own (grammar/rules/ntstatus.toml), more useful than the category's.
    if let Some(s) = rules.ntstatus(code).filter(|_| !(0..=255).contains(&code)) {
        if !s.causes.is_empty() {
            e.causes = s.causes.clone();
        }
        if !s.checks.is_empty() {
            e.next_steps = s.checks.clone();
        }
    }
    e.also = alternatives(rules, code, &verdict.category);
    e
}

/// The headline and notes for an exit code: shell ranges, signals, NTSTATUS.
fn describe_code(rules: &Rules, code: i64) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let sig = |n: i64| {
        rules
            .signal_name(n)
            .unwrap_or_else(|| format!("signal {n}"))
    };
    let headline = match code {
        0 => "exit code 0: success".to_string(),
        1..=125 => format!(
            "exit code {code}: a failure code the program chose (1–125 are the program's own; 1 is a generic error, 2 usually a usage error)"
        ),
        126 => "exit code 126: the command was found but could not be executed".to_string(),
        127 => "exit code 127: the command was not found".to_string(),
        128 => {
            "exit code 128: no signal (128 + 0); container runtimes use it for a start that failed"
                .to_string()
        }
        129..=192 => {
            let n = code - 128;
            format!(
                "exit code {code} = 128 + {n}: the process was killed by signal {n} ({})",
                sig(n)
            )
        }
        193..=254 => {
            notes.push(format!(
                "{code} = 128 + {}, past the 64 Linux signals: not a signal death",
                code - 128
            ));
            format!("exit code {code}: a code the program chose")
        }
        255 => "exit code 255: exit(-1) wrapped to 8 bits, or an exit status the runtime lost"
            .to_string(),
        _ => match rules::as_u32(code) {
            Some(u) => {
                notes.push(format!(
                    "Linux exit codes are 8 bits (0–255), so {code} comes from a Windows container (or is made up); do not read it modulo 256"
                ));
                if u > i32::MAX as u32 {
                    notes.push(format!(
                        "docker prints it as {u}, Kubernetes and crictl as {}",
                        u as i32
                    ));
                }
                match rules.ntstatus(code) {
                    None if u == u32::MAX => format!(
                        "exit code {code} = 0x{u:08X}: exit(-1) of a Windows program (the same call gives 255 on Linux)"
                    ),
                    Some(s) => format!("exit code {code} = 0x{u:08X} {}: {}", s.name, s.meaning),
                    // Top bits clear: not an NTSTATUS crash or stop value.
                    None if u >> 30 == 0 => format!(
                        "exit code {code} = 0x{u:08X}: a Windows exit code the program chose (its top bits are clear, so it is not an NTSTATUS crash code)"
                    ),
                    None => format!("exit code {code} = 0x{u:08X}: {}", ntstatus_fields(u)),
                }
            }
            None => format!(
                "{code} is not an exit code any runtime reports: Linux codes are 0–255, Windows codes 32 bits"
            ),
        },
    };
    if (1..=64).contains(&code) {
        notes.push(format!(
            "some runtimes report a raw signal number instead of 128 + N: as a signal, {code} is {} ({}); see exitparse explain {}",
            sig(code),
            rules.signal_meaning(code),
            sig(code)
        ));
    }
    (headline, notes)
}

/// Categories that a terminated container with `code` gets when a reason,
/// the OOM flag or an event is also known (137: oom_killed, liveness_killed).
fn alternatives(rules: &Rules, code: i64, chosen: &str) -> Vec<Alternative> {
    let mut out: Vec<Alternative> = Vec::new();
    for c in &rules.categories {
        if c.id == chosen {
            continue;
        }
        let mut whens: Vec<String> = Vec::new();
        for alt in &c.alternatives {
            if !alt.codes.as_ref().is_some_and(|cs| cs.contains(&code)) {
                continue;
            }
            let mut parts = Vec::new();
            if let Some(rs) = &alt.reasons {
                parts.push(format!("reason {}", rs.join(" or ")));
            }
            if let Some(rs) = &alt.pod_reasons {
                parts.push(format!("pod reason {}", rs.join(" or ")));
            }
            if alt.oom_flag == Some(true) {
                parts.push("the runtime's OOMKilled flag set".to_string());
            }
            match alt.event {
                Some(EventKind::Oom) => {
                    parts.push("an OOM kill event for the container".to_string())
                }
                Some(EventKind::Probe) => {
                    parts.push("a failed liveness or startup probe event".to_string())
                }
                None => {}
            }
            if !parts.is_empty() {
                whens.push(parts.join(" and "));
            }
        }
        if !whens.is_empty() {
            out.push(Alternative {
                category: c.id.clone(),
                when: format!("with {}", whens.join(", or with ")),
            });
        }
    }
    out
}

fn explain_signal(query: &str, n: i64) -> Explanation {
    let rules = rules::rules();
    let code = 128 + n;
    let info = signal_info(rules, n);
    let name = info
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_else(|| format!("signal {n}"));
    let meaning = rules.signal_meaning(n);
    let mut e = explain_code(query, code);
    e.kind = "signal";
    e.headline = format!("signal {n} ({name}): {meaning}");
    e.notes = vec![
        format!("a container killed by {name} exits with 128 + {n} = {code}"),
        "some runtimes put the bare signal number in the exit code or in a separate Signal field"
            .to_string(),
    ];
    e.signal = info;
    e
}

/// Where a reason word is known: (kind, category id, note).
fn reason_entry(word: &str) -> Option<(String, String, Option<String>, String)> {
    let rules = rules::rules();
    let find = |eq: &dyn Fn(&str) -> bool| {
        for c in &rules.categories {
            for alt in &c.alternatives {
                if let Some(r) = alt.reasons.iter().flatten().find(|r| eq(r)) {
                    let kind = match alt.terminated {
                        Some(true) => "terminated reason",
                        Some(false) => "waiting reason",
                        None => "reason",
                    };
                    // reasons.toml may still say more about a word a rule names.
                    let note = extra_reasons()
                        .iter()
                        .find(|x| x.name == *r)
                        .map(|x| x.note.clone());
                    return Some((r.clone(), kind.to_string(), note, c.id.clone()));
                }
                if let Some(r) = alt.pod_reasons.iter().flatten().find(|r| eq(r)) {
                    return Some((r.clone(), "pod reason".to_string(), None, c.id.clone()));
                }
            }
        }
        extra_reasons().iter().find(|x| eq(&x.name)).map(|x| {
            (
                x.name.clone(),
                x.kind.clone(),
                Some(x.note.clone()),
                x.category.clone(),
            )
        })
    };
    // Exact first: reasons are printed in one spelling; then forgive case.
    find(&|r: &str| !r.is_empty() && r == word)
        .or_else(|| find(&|r: &str| !r.is_empty() && r.eq_ignore_ascii_case(word)))
}

fn explain_word(query: &str, word: &str) -> Explanation {
    let rules = rules::rules();
    let Some((name, kind, note, category)) = reason_entry(word) else {
        let mut e = Explanation::new(
            query,
            "unknown",
            format!(
                "{query:?} is not an exit code, signal or reason exitparse knows; runtimes may print free text as a reason, and exitparse passes it through as printed"
            ),
        );
        e.did_you_mean = suggestions(rules, word);
        e.next_steps = vec![
            "kubectl describe pod POD -n NS   # the Message under State / Last State".to_string(),
            "kubectl logs POD -n NS -c CONTAINER --previous".to_string(),
        ];
        return e;
    };
    let mut e = Explanation::new(query, "reason", String::new());
    if let Some(c) = rules.category(&category) {
        e.with_category(c);
    }
    e.headline = match &note {
        Some(n) => format!("{name} ({kind}): {n}"),
        None => format!("{name} ({kind})"),
    };
    e.reason = Some(ReasonInfo { name, kind });
    e
}

/// Known words within two edits of `word` (case ignored).
fn suggestions(rules: &Rules, word: &str) -> Vec<String> {
    let mut known: Vec<String> = Vec::new();
    for c in &rules.categories {
        for alt in &c.alternatives {
            known.extend(alt.reasons.iter().flatten().cloned());
            known.extend(alt.pod_reasons.iter().flatten().cloned());
        }
    }
    known.extend(extra_reasons().iter().map(|x| x.name.clone()));
    known.retain(|k| !k.is_empty());
    known.sort();
    known.dedup();
    let w = word.to_ascii_lowercase();
    let mut close: Vec<String> = known
        .into_iter()
        .filter(|k| edit_distance(&k.to_ascii_lowercase(), &w) <= 2)
        .collect();
    // Signals are also typed without SIG (`SEGV`, `KIL`): compare both ways.
    for s in &rules.signals {
        let bare = s.name.strip_prefix("SIG").unwrap_or(&s.name);
        let d = edit_distance(&s.name.to_ascii_lowercase(), &w)
            .min(edit_distance(&bare.to_ascii_lowercase(), &w));
        // Short names are close to too much: one edit for them.
        if d <= 2 && (d <= 1 || bare.len() > 4) && !close.contains(&s.name) {
            close.push(s.name.clone());
        }
    }
    close
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Writes the explanation as text for people (the category line coloured by
/// severity when `color`), or as one JSON object.
pub fn write(e: &Explanation, json: bool, color: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, e).map_err(io::Error::other)?;
        return out.write_all(b"\n");
    }
    writeln!(out, "{}", e.headline)?;
    for n in &e.notes {
        writeln!(out, "  - {n}")?;
    }
    if let (Some(c), Some(s)) = (&e.category, e.severity) {
        let line = format!("Category: {c} (severity {s})");
        let sev = crate::classify::rules::rules()
            .category(c)
            .map(|c| c.severity);
        match sev {
            Some(sev) => writeln!(out, "\n{}", term::paint(&line, sev, color))?,
            None => writeln!(out, "\n{line}")?,
        }
        if let Some(summary) = &e.summary {
            writeln!(out, "  exitparse says: {summary}")?;
        }
    }
    if !e.also.is_empty() {
        writeln!(out, "\nWith more evidence")?;
        for a in &e.also {
            writeln!(out, "  - {}: {}", a.category, a.when)?;
        }
    }
    if let Some(m) = &e.meaning {
        writeln!(out, "\nWhat it means\n  {m}")?;
    }
    // The specific meaning, which the category's causes may refer to.
    if let Some(s) = &e.signal {
        writeln!(out, "  {}: {}", s.name, s.meaning)?;
    }
    if let Some(n) = &e.ntstatus {
        match &n.name {
            Some(name) => writeln!(out, "  {} {name}: {}", n.hex, n.meaning)?,
            None => writeln!(out, "  {}: {}", n.hex, n.meaning)?,
        }
    }
    if !e.causes.is_empty() {
        writeln!(out, "\nUsual causes")?;
        for c in &e.causes {
            writeln!(out, "  - {c}")?;
        }
    }
    if !e.next_steps.is_empty() {
        writeln!(out, "\nWhat to check next")?;
        for c in &e.next_steps {
            writeln!(out, "  $ {c}")?;
        }
    }
    if let Some(h) = &e.hint {
        writeln!(out, "\nHint: {h}")?;
    }
    if !e.did_you_mean.is_empty() {
        writeln!(out, "\nDid you mean: {}", e.did_you_mean.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_file_parses_and_names_real_categories() {
        let file: ReasonFile = toml::from_str(REASONS).expect("reasons.toml parses");
        for r in &file.reason {
            assert!(
                rules::rules().category(&r.category).is_some(),
                "{}: unknown category {}",
                r.name,
                r.category
            );
        }
    }

    #[test]
    fn parses_every_spelling() {
        assert_eq!(parse("137"), Ok(Query::Code(137)));
        assert_eq!(parse("-1073741819"), Ok(Query::Code(-1073741819)));
        assert_eq!(parse("0xC0000005"), Ok(Query::Code(3221225477)));
        assert_eq!(parse("SIGSEGV"), Ok(Query::Signal(11)));
        assert_eq!(parse("sigkill"), Ok(Query::Signal(9)));
        assert_eq!(parse("KILL"), Ok(Query::Signal(9)));
        assert_eq!(parse("SIGRTMIN+3"), Ok(Query::Signal(35)));
        assert_eq!(parse("SIGIOT"), Ok(Query::Signal(6)));
        assert_eq!(parse("Init:Signal:9"), Ok(Query::Signal(9)));
        assert_eq!(parse("ExitCode:139"), Ok(Query::Code(139)));
        assert_eq!(parse("Exited (1) 2 hours ago"), Ok(Query::Code(1)));
        assert_eq!(parse("9"), Ok(Query::Code(9)));
        assert_eq!(parse("OOMKilled"), Ok(Query::Word("OOMKilled".into())));
        assert!(parse("").is_err());
        assert_eq!(parse("Init:"), Ok(Query::Word("".into())));
        assert!(parse("SIGNOPE").is_err());
        let e = parse("SIGSEV").unwrap_err();
        assert!(e.ends_with("did you mean SIGSEGV?"), "{e}");
        let e = parse("sigkil").unwrap_err();
        assert!(e.ends_with("did you mean SIGKILL?"), "{e}");
        assert!(parse("Signal:99").is_err());
        assert!(parse("0xZZ").is_err());
        assert!(parse("99999999999999999999").is_err());
    }

    #[test]
    fn codes_get_the_classifier_category() {
        let e = explain("137").unwrap();
        assert_eq!(e.category.as_deref(), Some("killed"));
        assert!(e.also.iter().any(|a| a.category == "oom_killed"));
        assert_eq!(
            explain("139").unwrap().category.as_deref(),
            Some("segfault")
        );
        let e = explain("-1073741819").unwrap();
        assert_eq!(e.category.as_deref(), Some("windows_error"));
        assert_eq!(
            e.ntstatus.unwrap().name.as_deref(),
            Some("STATUS_ACCESS_VIOLATION")
        );
        let e = explain("9").unwrap();
        assert!(
            e.notes.iter().any(|n| n.contains("SIGKILL")),
            "{:?}",
            e.notes
        );
    }

    #[test]
    fn reasons_and_unknown_words() {
        let e = explain("OOMKilled").unwrap();
        assert_eq!(e.category.as_deref(), Some("oom_killed"));
        assert_eq!(e.reason.unwrap().kind, "terminated reason");
        assert_eq!(
            explain("crashloopbackoff").unwrap().category.as_deref(),
            Some("crash_loop")
        );
        assert_eq!(
            explain("Evicted").unwrap().reason.unwrap().kind,
            "pod reason"
        );
        let e = explain("OOMKiled").unwrap();
        assert_eq!(e.kind, "unknown");
        assert_eq!(e.did_you_mean, ["OOMKilled"]);
        let e = explain("CrashLoopBakOff").unwrap();
        assert_eq!(e.did_you_mean, ["CrashLoopBackOff"]);
        let e = explain("SEGVV").unwrap();
        assert_eq!(e.did_you_mean, ["SIGSEGV"]);
    }

    #[test]
    fn common_windows_codes_have_their_own_causes() {
        for (code, cause, check) in [
            ("0xC0000005", "pointer", "Id=1000"),
            ("-1073741571", "recursion", "stack reserve"),
            ("0xC0000135", "Visual C++", "dumpbin /dependents"),
            ("0xC0000374", "double free", "gflags"),
            ("3221225786", "docker stop", "Killing"),
        ] {
            let e = explain(code).unwrap();
            assert_eq!(e.category.as_deref(), Some("windows_error"), "{code}");
            assert!(
                e.causes.iter().any(|c| c.contains(cause)),
                "{code}: {:?}",
                e.causes
            );
            assert!(
                e.next_steps.iter().any(|c| c.contains(check)),
                "{code}: {:?}",
                e.next_steps
            );
        }
        // Others get the category's general causes.
        let e = explain("0xC0000094").unwrap();
        assert!(
            e.causes.iter().any(|c| c.contains("native code")),
            "{:?}",
            e.causes
        );
    }
}
