//! Timestamps as the inputs print them, normalized to RFC 3339 UTC.
//!
//! Inputs: RFC 3339 / RFC3339Nano with `Z` or an offset (docker, podman,
//! crictl, the Kubernetes API), RFC1123Z (`Tue, 26 May 2020 20:01:04 +0800`,
//! every kubectl describe) and RFC1123 with a zone abbreviation
//! (`… 20:01:04 MST`). Go's zero time and the Unix epoch mean "never" and
//! become `None`.

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, Utc};

/// Why a timestamp could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable timestamp {0:?}")]
pub struct TimeError(pub String);

/// Zone abbreviations Go prints with the RFC1123 layout that RFC 2822 does
/// not know, with their UTC offsets in seconds. Ambiguous names keep the
/// RFC 2822 (US) meaning, which chrono applies before this table is asked.
const ZONE_ABBREVIATIONS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("WET", 0),
    ("BST", 3600),
    ("CET", 3600),
    ("WEST", 3600),
    ("CEST", 7200),
    ("EET", 7200),
    ("EEST", 10800),
    ("MSK", 10800),
    ("IST", 19800),
    ("SGT", 28800),
    ("HKT", 28800),
    ("AWST", 28800),
    ("JST", 32400),
    ("KST", 32400),
    ("AEST", 36000),
    ("AEDT", 39600),
    ("NZST", 43200),
    ("NZDT", 46800),
    ("AKST", -32400),
    ("AKDT", -28800),
    ("HST", -36000),
];

/// Normalizes one timestamp. `Ok(None)` for placeholders (empty, `<none>`,
/// Go zero time, Unix epoch); `Err` when the text is not a timestamp at all.
pub fn normalize(raw: &str) -> Result<Option<String>, TimeError> {
    let raw = raw.trim();
    if raw.is_empty() || raw == "<none>" || raw == "<nil>" || raw == "<unknown>" || raw == "null" {
        return Ok(None);
    }
    let parsed = parse(raw).ok_or_else(|| TimeError(raw.to_string()))?;
    let utc = parsed.with_timezone(&Utc);
    if is_placeholder(&utc) {
        return Ok(None);
    }
    Ok(Some(utc.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
}

/// Go's zero time (year 1) and the Unix epoch mean "never set".
fn is_placeholder(t: &DateTime<Utc>) -> bool {
    t.timestamp() == 0 || t.format("%Y").to_string() == "0001"
}

fn parse(raw: &str) -> Option<DateTime<FixedOffset>> {
    if raw.as_bytes().first()?.is_ascii_digit() {
        return DateTime::parse_from_rfc3339(raw)
            .ok()
            // Kubernetes YAML may print `2018-03-01 10:00:00 +0000 UTC` (Go's String()).
            .or_else(|| go_string_time(raw));
    }
    DateTime::parse_from_rfc2822(raw)
        .ok()
        .or_else(|| rfc1123_with_abbreviation(raw))
        .or_else(|| without_weekday(raw).and_then(dated))
}

/// RFC 1123 without its weekday: `07 Jul 2015 10:00:00 -0700` or `… PDT`.
fn dated(rest: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc2822(rest).ok().or_else(|| {
        let (time, zone) = rest.rsplit_once(' ')?;
        let &(_, secs) = ZONE_ABBREVIATIONS.iter().find(|(name, _)| *name == zone)?;
        let naive = NaiveDateTime::parse_from_str(time, "%d %b %Y %H:%M:%S").ok()?;
        naive
            .and_local_timezone(FixedOffset::east_opt(secs)?)
            .single()
    })
}

/// The text after a leading weekday (`Fri, `). kubectl 1.0 printed weekdays
/// that do not match the date (`Fri, 07 Jul 2015` was a Tuesday); chrono
/// rejects those, and the date is what counts.
fn without_weekday(raw: &str) -> Option<&str> {
    let (day, rest) = raw.split_once(',')?;
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    DAYS.iter()
        .any(|d| day.eq_ignore_ascii_case(d))
        .then(|| rest.trim_start())
        .filter(|r| r.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

/// `Mon, 02 Jan 2006 15:04:05 CEST`: the zone is a name chrono does not know.
fn rfc1123_with_abbreviation(raw: &str) -> Option<DateTime<FixedOffset>> {
    let (rest, zone) = raw.rsplit_once(' ')?;
    let &(_, secs) = ZONE_ABBREVIATIONS.iter().find(|(name, _)| *name == zone)?;
    let naive = NaiveDateTime::parse_from_str(rest, "%a, %d %b %Y %H:%M:%S").ok()?;
    naive
        .and_local_timezone(FixedOffset::east_opt(secs)?)
        .single()
}

/// `2006-01-02 15:04:05.999999999 -0700 MST` (Go's `time.Time.String`).
fn go_string_time(raw: &str) -> Option<DateTime<FixedOffset>> {
    let mut parts = raw.split(' ');
    let (date, time, offset) = (parts.next()?, parts.next()?, parts.next()?);
    DateTime::parse_from_str(
        &format!("{date} {time} {offset}"),
        "%Y-%m-%d %H:%M:%S%.f %z",
    )
    .ok()
}

/// Seconds from `start` to `end`, both already normalized.
pub fn seconds_between(start: &str, end: &str) -> Option<f64> {
    let s = DateTime::parse_from_rfc3339(start).ok()?;
    let e = DateTime::parse_from_rfc3339(end).ok()?;
    let d = e.signed_duration_since(s);
    Some(d.num_milliseconds() as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        normalize(s).unwrap()
    }

    #[test]
    fn rfc1123z_is_converted_to_utc() {
        assert_eq!(
            n("Tue, 26 May 2020 20:01:04 +0800").as_deref(),
            Some("2020-05-26T12:01:04Z")
        );
    }

    #[test]
    fn rfc1123_with_known_and_extra_abbreviations() {
        assert_eq!(
            n("Tue, 26 May 2020 20:01:04 MST").as_deref(),
            Some("2020-05-27T03:01:04Z")
        );
        assert_eq!(
            n("Tue, 26 May 2020 20:01:04 UTC").as_deref(),
            Some("2020-05-26T20:01:04Z")
        );
        assert_eq!(
            n("Tue, 26 May 2020 20:01:04 CEST").as_deref(),
            Some("2020-05-26T18:01:04Z")
        );
    }

    #[test]
    fn rfc3339_nano_keeps_fraction() {
        assert_eq!(
            n("2021-03-04T05:06:07.123456789Z").as_deref(),
            Some("2021-03-04T05:06:07.123456789Z")
        );
        assert_eq!(
            n("2021-03-04T06:06:07+01:00").as_deref(),
            Some("2021-03-04T05:06:07Z")
        );
    }

    #[test]
    fn placeholders_are_none() {
        assert_eq!(n("0001-01-01T00:00:00Z"), None);
        assert_eq!(n("Mon, 01 Jan 0001 00:00:00 +0000"), None);
        assert_eq!(n("Thu, 01 Jan 1970 01:00:00 +0100"), None);
        assert_eq!(n("Wed, 31 Dec 1969 19:00:00 -0500"), None);
        assert_eq!(n("1970-01-01T00:00:00Z"), None);
        assert_eq!(n(""), None);
    }

    #[test]
    fn weekday_that_does_not_match_the_date() {
        // kubectl 1.0: 07 Jul 2015 was a Tuesday; the date wins.
        assert_eq!(
            n("Fri, 07 Jul 2015 10:00:00 -0700").as_deref(),
            Some("2015-07-07T17:00:00Z")
        );
        assert_eq!(
            n("Fri, 07 Jul 2015 10:00:00 PDT").as_deref(),
            Some("2015-07-07T17:00:00Z")
        );
        assert!(normalize("Fri, garbage").is_err());
    }

    #[test]
    fn go_string_form() {
        assert_eq!(
            n("2018-03-01 10:00:00 +0000 UTC").as_deref(),
            Some("2018-03-01T10:00:00Z")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(normalize("yesterday").is_err());
        assert!(normalize("Tue, 26 May 2020 20:01:04 XYZT").is_err());
    }

    #[test]
    fn duration() {
        assert_eq!(
            seconds_between("2020-05-26T12:01:04Z", "2020-05-26T12:02:05.5Z"),
            Some(61.5)
        );
    }
}
