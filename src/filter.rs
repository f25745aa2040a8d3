//! Which records to keep (`--only-failures`, `--category`, `--namespace`,
//! `--pod`, `--container`, `--since`, `--until`). Built once from the command
//! line; [`Filter::keep`] is called from the engine's worker threads.

use chrono::{DateTime, NaiveDate, Utc};
use glob::Pattern;

use crate::classify::Severity;
use crate::cli::RunArgs;
use crate::output::Record;

/// The resolved filters; every condition set must hold for a record to be kept.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    only_failures: bool,
    categories: Vec<String>,
    namespace: Option<Pattern>,
    pod: Option<Pattern>,
    container: Option<Pattern>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Filter {
    /// Validates the filter flags. The error names the flag and what is wrong
    /// with its value, for a "bad command line" exit.
    pub fn from_args(args: &RunArgs) -> Result<Filter, String> {
        let f = &args.filter;
        let rules = crate::classify::rules::rules();
        for c in &f.category {
            if rules.category(c).is_none() {
                let all: Vec<&str> = rules.categories.iter().map(|c| c.id.as_str()).collect();
                return Err(format!(
                    "--category: unknown category {c:?} (one of: {})",
                    all.join(", ")
                ));
            }
        }
        let since = f
            .since
            .as_deref()
            .map(|s| parse_time(s, false).map_err(|e| format!("--since: {e}")))
            .transpose()?;
        let until = f
            .until
            .as_deref()
            .map(|s| parse_time(s, true).map_err(|e| format!("--until: {e}")))
            .transpose()?;
        Ok(Filter {
            only_failures: f.only_failures,
            categories: f.category.clone(),
            namespace: glob_arg("--namespace", &f.namespace)?,
            pod: glob_arg("--pod", &f.pod)?,
            container: glob_arg("--container", &f.container)?,
            since,
            until,
        })
    }

    /// True when no flag narrows the output (lets the engine skip the call).
    pub fn is_empty(&self) -> bool {
        !self.only_failures
            && self.categories.is_empty()
            && self.namespace.is_none()
            && self.pod.is_none()
            && self.container.is_none()
            && self.since.is_none()
            && self.until.is_none()
    }

    /// Whether `record` passes every filter.
    pub fn keep(&self, record: &Record) -> bool {
        let c = &record.classification;
        let o = &record.observation;
        if self.only_failures && c.severity < Severity::Warning {
            return false;
        }
        if !self.categories.is_empty() && !self.categories.contains(&c.category) {
            return false;
        }
        if !matches(&self.namespace, &o.namespace)
            || !matches(&self.pod, &o.pod)
            || !matches(&self.container, &o.container)
        {
            return false;
        }
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        // A record that never finished cannot be placed in a time window.
        let Some(t) = record.finished_at() else {
            return false;
        };
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }
}

/// A glob flag; a record without the field never matches it.
fn glob_arg(flag: &str, value: &Option<String>) -> Result<Option<Pattern>, String> {
    value
        .as_deref()
        .map(|v| Pattern::new(v).map_err(|e| format!("{flag}: bad glob {v:?}: {e}")))
        .transpose()
}

fn matches(pattern: &Option<Pattern>, value: &Option<String>) -> bool {
    match (pattern, value) {
        (None, _) => true,
        (Some(p), Some(v)) => p.matches(v),
        (Some(_), None) => false,
    }
}

/// RFC 3339, or `YYYY-MM-DD` in UTC. A bare date given to `--until` means the
/// end of that day, so `--since D --until D` keeps all of day D.
fn parse_time(s: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        format!("{s:?} is not a time (RFC 3339 such as 2025-03-04T09:41:10Z, or YYYY-MM-DD)")
    })?;
    let date = if end_of_day {
        date.succ_opt()
            .ok_or_else(|| format!("{s:?} is out of range"))?
    } else {
        date
    };
    date.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("{s:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classification, From};
    use crate::cli::FilterArgs;
    use crate::model::{Observation, State, Status};

    fn record(ns: &str, pod: &str, category: &str, sev: Severity, fin: Option<&str>) -> Record {
        let mut state = State::new(Status::Terminated);
        state.finished_at = fin.map(str::to_string);
        Record {
            path: "x".into(),
            observation: Observation {
                namespace: Some(ns.into()),
                pod: Some(pod.into()),
                container: Some("app".into()),
                state,
                ..Observation::default()
            },
            classification: Classification {
                category: category.into(),
                from: From::State,
                exit_code: None,
                signal: None,
                severity: sev,
                summary: String::new(),
                hint: None,
                evidence: Vec::new(),
            },
        }
    }

    fn filter(f: FilterArgs) -> Result<Filter, String> {
        Filter::from_args(&RunArgs {
            filter: f,
            ..RunArgs::default()
        })
    }

    #[test]
    fn only_failures_keeps_warning_and_error() {
        let f = filter(FilterArgs {
            only_failures: true,
            ..FilterArgs::default()
        })
        .unwrap();
        assert!(f.keep(&record("a", "p", "killed", Severity::Error, None)));
        assert!(f.keep(&record("a", "p", "terminated", Severity::Warning, None)));
        assert!(!f.keep(&record("a", "p", "pending", Severity::Info, None)));
        assert!(!f.keep(&record("a", "p", "completed", Severity::Ok, None)));
    }

    #[test]
    fn globs_and_categories() {
        let f = filter(FilterArgs {
            category: vec!["oom_killed".into(), "segfault".into()],
            namespace: Some("shop-*".into()),
            pod: Some("api-*".into()),
            ..FilterArgs::default()
        })
        .unwrap();
        assert!(f.keep(&record(
            "shop-eu",
            "api-1",
            "oom_killed",
            Severity::Error,
            None
        )));
        assert!(!f.keep(&record(
            "shop-eu",
            "web-1",
            "oom_killed",
            Severity::Error,
            None
        )));
        assert!(!f.keep(&record(
            "kube",
            "api-1",
            "oom_killed",
            Severity::Error,
            None
        )));
        assert!(!f.keep(&record("shop-eu", "api-1", "killed", Severity::Error, None)));
    }

    #[test]
    fn time_window_with_dates_and_rfc3339() {
        let f = filter(FilterArgs {
            since: Some("2025-03-04".into()),
            until: Some("2025-03-04".into()),
            ..FilterArgs::default()
        })
        .unwrap();
        let r = |t| record("a", "p", "killed", Severity::Error, t);
        assert!(f.keep(&r(Some("2025-03-04T00:00:00Z"))));
        assert!(f.keep(&r(Some("2025-03-04T23:59:59Z"))));
        assert!(!f.keep(&r(Some("2025-03-05T00:00:00Z"))));
        assert!(!f.keep(&r(Some("2025-03-03T23:59:59Z"))));
        assert!(!f.keep(&r(None)));
        let f = filter(FilterArgs {
            since: Some("2025-03-04T10:00:00+01:00".into()),
            ..FilterArgs::default()
        })
        .unwrap();
        assert!(f.keep(&r(Some("2025-03-04T09:00:00Z"))));
        assert!(!f.keep(&r(Some("2025-03-04T08:59:59Z"))));
        // No time filter: records without a finish time stay.
        assert!(filter(FilterArgs::default()).unwrap().keep(&r(None)));
    }

    #[test]
    fn bad_values_name_the_flag() {
        let e = filter(FilterArgs {
            since: Some("yesterday".into()),
            ..FilterArgs::default()
        })
        .unwrap_err();
        assert!(e.starts_with("--since: "), "{e}");
        let e = filter(FilterArgs {
            category: vec!["oom".into()],
            ..FilterArgs::default()
        })
        .unwrap_err();
        assert!(e.starts_with("--category: unknown category \"oom\""), "{e}");
        let e = filter(FilterArgs {
            pod: Some("[".into()),
            ..FilterArgs::default()
        })
        .unwrap_err();
        assert!(e.starts_with("--pod: bad glob"), "{e}");
    }
}
