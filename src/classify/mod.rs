//! Classification: the verdict on one observation, judged by the ordered
//! rules in `grammar/rules/categories.toml` (output-record.md,
//! "Classification"). The code here only evaluates conditions and fills the
//! texts' placeholders; which category wins, and what it says, is data.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::model::{Observation, State, Status};
use rules::{Conditions, EventKind, Rules};

/// `classification.from`: which state was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum From {
    State,
    LastState,
}

/// `classification.severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
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

/// The state that matters: the current one when terminated, else the last
/// one when terminated, else the current waiting/running state.
struct Judged<'a> {
    state: &'a State,
    from: From,
    terminated: bool,
}

impl<'a> Judged<'a> {
    fn of(obs: &'a Observation) -> Judged<'a> {
        if obs.state.status == Status::Terminated {
            return Judged {
                state: &obs.state,
                from: From::State,
                terminated: true,
            };
        }
        match &obs.last_state {
            Some(last) if last.status == Status::Terminated => Judged {
                state: last,
                from: From::LastState,
                terminated: true,
            },
            _ => Judged {
                state: &obs.state,
                from: From::State,
                terminated: false,
            },
        }
    }

    fn code(&self) -> Option<i64> {
        if self.terminated {
            self.state.exit_code
        } else {
            None
        }
    }
}

/// Judges one observation.
pub fn classify(obs: &Observation) -> Classification {
    let rules = rules::rules();
    let judged = Judged::of(obs);
    for category in &rules.categories {
        for alt in &category.alternatives {
            if let Some(events) = matches(alt, &judged, obs, rules) {
                let template = alt.summary.as_deref().unwrap_or(&category.summary);
                return verdict(rules, category, template, &judged, obs, events);
            }
        }
    }
    // categories.toml ends with `unknown`, whose empty alternative always
    // matches; reaching here means the data lost it.
    let unknown = rules.category("unknown").expect("rules define unknown");
    verdict(rules, unknown, &unknown.summary, &judged, obs, Vec::new())
}

/// `Init:Error` reads as `Error` and `Init:0/2` as `PodInitializing`, so
/// listing STATUS words match the same rules as API reasons.
fn reason_key(reason: Option<&str>) -> &str {
    let r = reason.unwrap_or("");
    let r = r.strip_prefix("Init:").unwrap_or(r);
    match r.split_once('/') {
        Some((a, b))
            if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            "PodInitializing"
        }
        _ => r,
    }
}

/// When every condition of `alt` holds, the events (worded as evidence)
/// it rested on.
fn matches(
    alt: &Conditions,
    judged: &Judged,
    obs: &Observation,
    rules: &Rules,
) -> Option<Vec<String>> {
    let code = judged.code();
    let check = |ok: bool| if ok { Some(()) } else { None };
    if let Some(t) = alt.terminated {
        check(judged.terminated == t)?;
    }
    if let Some(s) = &alt.status {
        check(obs.state.status.as_str() == s)?;
    }
    if let Some(reasons) = &alt.reasons {
        let key = reason_key(judged.state.reason.as_deref());
        check(reasons.iter().any(|r| r == key))?;
    }
    if let Some(reasons) = &alt.pod_reasons {
        check(
            obs.pod_reason
                .as_deref()
                .is_some_and(|p| reasons.iter().any(|r| r == p)),
        )?;
    }
    if let Some(phases) = &alt.pod_phases {
        check(
            obs.pod_phase
                .as_deref()
                .is_some_and(|p| phases.iter().any(|x| x == p)),
        )?;
    }
    if let Some(known) = alt.code_known {
        check(code.is_some() == known)?;
    }
    if let Some(flag) = alt.oom_flag {
        check(judged.terminated && judged.state.oom_killed.unwrap_or(false) == flag)?;
    }
    if let Some(codes) = &alt.codes {
        check(code.is_some_and(|c| codes.contains(&c)))?;
    }
    if let Some(codes) = &alt.not_codes {
        check(code.is_some_and(|c| !codes.contains(&c)))?;
    }
    if let Some([lo, hi]) = alt.code_range {
        check(code.is_some_and(|c| (lo..=hi).contains(&c)))?;
    }
    if let Some([lo, hi]) = alt.code_outside {
        check(code.is_some_and(|c| !(lo..=hi).contains(&c)))?;
    }
    if let Some(flag) = alt.signal_field {
        check(judged.state.signal.is_some() == flag)?;
    }
    if let Some(flag) = alt.kernel_oom {
        let killed = !obs.joined.oom_kills.is_empty();
        check(judged.terminated && killed == flag)?;
    }
    let mut cited = Vec::new();
    if let Some(kind) = alt.event {
        let first_joined = obs.joined.first_event.unwrap_or(usize::MAX);
        for (i, e) in obs.events.iter().enumerate() {
            if !rules.event_is(kind, e) {
                continue;
            }
            // An event from another file of the bundle is cited with its place.
            match i
                .checked_sub(first_joined)
                .and_then(|j| obs.joined.event_cites.get(j))
            {
                Some(cite) => cited.push(cite.clone()),
                None => cited.push(format!("event {e}")),
            }
        }
        if kind == EventKind::Probe {
            cited.extend(obs.joined.probe_failures.iter().cloned());
        }
        check(!cited.is_empty())?;
    }
    Some(cited)
}

fn verdict(
    rules: &Rules,
    category: &rules::Category,
    template: &str,
    judged: &Judged,
    obs: &Observation,
    events: Vec<String>,
) -> Classification {
    let code = judged.code();
    let signal_number = judged
        .state
        .signal
        .or_else(|| code.filter(|c| (129..=192).contains(c)).map(|c| c - 128));
    let signal = signal_number.and_then(|n| rules.signal_name(n));
    let fill = Placeholders {
        rules,
        judged,
        obs,
        code,
        signal_number,
        signal: signal.as_deref(),
    };
    let mut summary = capitalize(fill.apply(template));
    // What the paste leaves open is said, not guessed (`note: …` evidence).
    for note in obs.evidence.iter().filter_map(|e| e.strip_prefix("note: ")) {
        summary.push_str(" (");
        summary.push_str(note);
        summary.push(')');
    }
    let mut hint = pick_hint(rules, category, judged, code).map(|h| fill.apply(h));
    let finding = log_finding(category, obs);
    if let Some(sig) = finding {
        summary = format!("{summary}; its log shows {}", sig.summary);
        hint = Some(sig.hint.clone());
    }
    Classification {
        category: category.id.clone(),
        from: judged.from,
        exit_code: code,
        signal,
        severity: category.severity,
        summary,
        hint,
        evidence: evidence(judged, obs, events, finding.is_some()),
    }
}

/// What the judged run's log adds to a failure's verdict, if it holds a
/// known crash signature (`grammar/rules/logs.toml`: its summary phrase
/// and hint; the category stays).
fn log_finding(
    category: &rules::Category,
    obs: &Observation,
) -> Option<&'static crate::bundle::findings::Signature> {
    if category.severity < Severity::Warning {
        return None;
    }
    let finding = obs.logs.as_ref()?.finding.as_deref()?;
    crate::bundle::findings::signatures()
        .iter()
        .find(|s| s.name == finding)
}

fn pick_hint<'r>(
    rules: &'r Rules,
    category: &'r rules::Category,
    judged: &Judged,
    code: Option<i64>,
) -> Option<&'r str> {
    let from_message = judged
        .state
        .message
        .as_deref()
        .and_then(|m| rules.message_hint(m));
    let from_code = match category.id.as_str() {
        "app_error" => code.and_then(|c| rules.app_hint(c)),
        _ => None,
    };
    let hint = from_message
        .filter(|_| judged.terminated)
        .or(from_code)
        .unwrap_or(category.hint.as_str());
    (!hint.is_empty()).then_some(hint)
}

/// What the verdict rests on, most telling first; evidence from other
/// files of a bundle names them.
fn evidence(judged: &Judged, obs: &Observation, events: Vec<String>, finding: bool) -> Vec<String> {
    let s = judged.state;
    let prefix = match judged.from {
        From::State => "",
        From::LastState => "last_state.",
    };
    let mut out = Vec::new();
    if !judged.terminated {
        out.push(format!("status={}", s.status.as_str()));
    }
    if let Some(r) = &s.reason {
        out.push(format!("{prefix}reason={r}"));
    }
    if let Some(c) = judged.code() {
        out.push(format!("{prefix}exit_code={c}"));
    }
    if let Some(sig) = s.signal {
        out.push(format!("{prefix}signal={sig}"));
    }
    if s.oom_killed == Some(true) {
        out.push(format!("{prefix}oom_killed=true"));
    }
    if let Some(p) = &obs.pod_reason {
        out.push(format!("pod_reason={p}"));
    }
    let j = &obs.joined;
    if judged.terminated {
        out.extend(j.oom_kills.iter().map(|k| k.cite.clone()));
    }
    for e in events {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if judged.terminated {
        for p in &j.probe_failures {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out.extend(j.kubelet.iter().cloned());
    if finding && let Some(f) = &j.log_finding {
        out.push(f.clone());
    }
    out.extend(obs.evidence.iter().cloned());
    out
}

struct Placeholders<'a> {
    rules: &'a Rules,
    judged: &'a Judged<'a>,
    obs: &'a Observation,
    code: Option<i64>,
    signal_number: Option<i64>,
    signal: Option<&'a str>,
}

impl Placeholders<'_> {
    fn apply(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    self.value(&after[..close], &mut out);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn value(&self, name: &str, out: &mut String) {
        // Built only for the placeholders that need them: `{what}` and
        // `{reason}` fill most summaries and need neither.
        let code = || {
            self.code
                .map(|c| c.to_string())
                .unwrap_or_else(|| "unknown".to_string())
        };
        let nt = || self.code.and_then(|c| self.rules.ntstatus(c));
        // The two that fill most summaries are written in place.
        match name {
            "what" => {
                match &self.obs.container {
                    Some(c) => {
                        out.push_str("container ");
                        out.push_str(c);
                    }
                    None => out.push_str("the container"),
                }
                return;
            }
            "reason" => {
                let r = self.judged.state.reason.as_deref();
                out.push_str(r.unwrap_or("no reason given"));
                return;
            }
            _ => {}
        }
        let text = match name {
            "code" => code(),
            "pod_reason" => self.obs.pod_reason.clone().unwrap_or_default(),
            "message" => first_line(self.judged.state.message.as_deref()),
            "signal" => self.signal.unwrap_or("an unknown signal").to_string(),
            // Whether the match was by time is said in the evidence.
            "oom_victim" => match self.obs.joined.oom_kills.first() {
                Some(k) => k.victim.clone(),
                None => "a process".to_string(),
            },
            "signal_meaning" => self
                .signal_number
                .map(|n| self.rules.signal_meaning(n))
                .unwrap_or_default(),
            "ntstatus" => match (nt(), self.code.and_then(rules::as_u32)) {
                (Some(s), Some(u)) => format!("0x{u:08X} {}", s.name),
                (None, Some(u)) => format!("0x{u:08X}"),
                _ => code(),
            },
            "ntstatus_meaning" => match nt() {
                Some(s) => s.meaning.clone(),
                None => self
                    .code
                    .and_then(rules::as_u32)
                    .map(ntstatus_fields)
                    .unwrap_or_default(),
            },
            other => format!("{{{other}}}"),
        };
        out.push_str(&text);
    }
}

/// What can be said of an NTSTATUS value that is not in the table.
pub fn ntstatus_fields(value: u32) -> String {
    let severity = match value >> 30 {
        0 => "success",
        1 => "informational",
        2 => "warning",
        _ => "error",
    };
    let facility = (value >> 16) & 0x0FFF;
    format!("an NTSTATUS {severity} code of facility {facility:#x} not in exitparse's table")
}

fn first_line(message: Option<&str>) -> String {
    let line = message
        .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("no message");
    // 160 bytes hold at most 160 characters: nothing to cut, and no walk
    // over the characters.
    if line.len() <= 160 {
        return line.to_string();
    }
    match line.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

fn capitalize(mut s: String) -> String {
    if let Some(first) = s.get(..1) {
        let upper = first.to_ascii_uppercase();
        s.replace_range(..1, &upper);
    }
    s
}

#[cfg(test)]
mod tests;
