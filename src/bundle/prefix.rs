//! The prefixes a node's log line can carry before the message: syslog and
//! journalctl `short` / `short-precise` (`Mar  5 10:11:12 node-1 kernel: `),
//! journalctl `short-iso` and rsyslog RFC 3339 (`2024-03-05T10:11:12+0000
//! node-1 kernel: `), `dmesg -T` (`[Tue Mar  5 10:11:12 2024] `), `dmesg
//! --time-format iso` (`2024-03-05T10:11:12,123456+00:00 `), the kernel's
//! uptime stamp (`[12345.678901] `, alone or after a journal prefix) and the
//! `<6>` level of `dmesg -r`. Grammar: `grammar/kernel-oom.md`, "Prefixes";
//! the kubelet's klog header is in `kubelet.rs`.
//!
//! Every production returns what it read; none of them fails a line: a line
//! without a prefix is a bare message.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{eof, map_res, opt, recognize};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// When a line was written, as far as its prefix says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WallTime {
    /// A full time, RFC 3339 UTC with `Z`. `dmesg -T` prints the node's
    /// local time without a zone: it is taken as UTC (nodes run in UTC
    /// almost always; the evidence keeps the original text).
    Utc(String),
    /// A year-less time (syslog, journalctl `short`, klog's `I0305 …`),
    /// in the node's local time, taken as UTC. [`WallTime::resolve`] adds
    /// the year.
    Syslog(SyslogTime),
    /// No wall-clock time (bare line, or dmesg uptime only).
    #[default]
    None,
}

/// Month, day and time of day without a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyslogTime {
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
}

impl WallTime {
    /// The time as RFC 3339 UTC. A year-less time gets the year that puts
    /// it at or before `reference_rfc3339` (plus one day of slack for clock
    /// skew and zones): a journal of December read against a January
    /// reference is last year's. `None` when there is no time or the
    /// reference is unreadable.
    pub fn resolve(&self, reference_rfc3339: &str) -> Option<String> {
        match self {
            WallTime::Utc(t) => Some(t.clone()),
            WallTime::None => None,
            WallTime::Syslog(s) => {
                let reference = DateTime::parse_from_rfc3339(reference_rfc3339.trim())
                    .ok()?
                    .with_timezone(&Utc);
                let latest = reference + Duration::days(1);
                // Feb 29 needs a leap year: look back up to 8 years.
                (0..8)
                    .filter_map(|back| s.in_year(reference.year() - back))
                    .find(|t| *t <= latest)
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
        }
    }

    /// The time as RFC 3339 UTC when the prefix gave a full one.
    pub fn utc(&self) -> Option<&str> {
        match self {
            WallTime::Utc(t) => Some(t),
            _ => None,
        }
    }
}

impl SyslogTime {
    fn in_year(&self, year: i32) -> Option<DateTime<Utc>> {
        let date = NaiveDate::from_ymd_opt(year, self.month, self.day)?;
        let naive = date.and_hms_nano_opt(self.hour, self.minute, self.second, self.nanos)?;
        Some(naive.and_utc())
    }
}

/// What a line's prefix said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prefix {
    pub time: WallTime,
    /// The journal/syslog host field.
    pub host: Option<String>,
    /// The journal/syslog identifier without `[pid]` (`kernel`, `kubelet`).
    pub ident: Option<String>,
    /// Seconds since boot, from a `[12345.678901]` stamp.
    pub uptime: Option<f64>,
}

/// `line-prefix = [ level ] [ journal-prefix / dmesg-human-prefix /
/// dmesg-iso-prefix ] [ uptime-prefix [ origin ] ]`: splits a line into
/// what its prefix says and the message after it. Never fails.
pub fn line_prefix(line: &str) -> (Prefix, &str) {
    let mut prefix = Prefix::default();
    let (mut rest, _) = opt(level).parse(line).unwrap_or((line, None));
    if let Ok((after, (time, host, ident))) = journal_prefix(rest) {
        prefix.time = time;
        prefix.host = host.map(str::to_string);
        prefix.ident = Some(ident.to_string());
        rest = after;
    } else if let Ok((after, time)) = dmesg_human_prefix(rest) {
        prefix.time = time;
        rest = after;
    } else if let Ok((after, time)) = dmesg_iso_prefix(rest) {
        prefix.time = time;
        rest = after;
    }
    if let Ok((after, uptime)) = uptime_prefix(rest) {
        prefix.uptime = Some(uptime);
        rest = after;
        // journalctl -o short-monotonic: `[12345.678901] node-1 kernel: `.
        if prefix.ident.is_none() {
            // Only with a host: a bare `word: ` is too likely a message.
            if let Ok((after, (Some(host), ident))) = origin(rest) {
                prefix.host = Some(host.to_string());
                prefix.ident = Some(ident.to_string());
                rest = after;
            }
        }
    }
    (prefix, rest)
}

/// `level = "<" 1*3DIGIT ">"` (`dmesg -r`, `/dev/kmsg`).
fn level(input: &str) -> IResult<&str, &str> {
    delimited(
        char('<'),
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        char('>'),
    )
    .parse(input)
}

/// `journal-prefix = ( syslog-time / iso-time / full-time ) 1*SP origin`
pub fn journal_prefix(input: &str) -> IResult<&str, (WallTime, Option<&str>, &str)> {
    let (rest, time) = alt((
        syslog_time.map(WallTime::Syslog),
        iso_time.map(WallTime::Utc),
        full_time,
    ))
    .parse(input)?;
    let (rest, _) = space1(rest)?;
    let (rest, (host, ident)) = origin(rest)?;
    Ok((rest, (time, host, ident)))
}

/// `origin = [ host 1*SP ] ident ( 1*SP / end )`: some syslog setups print
/// no host. The space after the `:` keeps `oom-kill:constraint=…` from
/// passing for an ident.
fn origin(input: &str) -> IResult<&str, (Option<&str>, &str)> {
    let with_host = (host, space1, ident).map(|(h, _, i)| (Some(h), i));
    let without = ident.map(|i| (None, i));
    terminated(alt((with_host, without)), alt((space1, eof))).parse(input)
}

/// `full-time = 3ALPHA SP 4DIGIT "-" 2DIGIT "-" 2DIGIT SP clock SP zone-name`
/// (journalctl `-o short-full`): a time only when the zone is UTC or GMT,
/// since other zone names are ambiguous.
fn full_time(input: &str) -> IResult<&str, WallTime> {
    let (rest, (_, _, year, _, month, _, day, _, (h, m, s, ns), _, zone)) = (
        take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()),
        char(' '),
        map_res(
            take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
            str::parse::<i32>,
        ),
        char('-'),
        number(2, 2),
        char('-'),
        number(2, 2),
        char(' '),
        clock,
        char(' '),
        take_while1(|c: char| c.is_ascii_alphabetic()),
    )
        .parse(input)?;
    let time = match zone {
        "UTC" | "GMT" => NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_nano_opt(h, m, s, ns))
            .map(|t| WallTime::Utc(t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)))
            .unwrap_or_default(),
        _ => WallTime::None,
    };
    Ok((rest, time))
}

/// `host = 1*( ALPHA / DIGIT / "-" / "." / "_" / ":" )`
fn host(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
        .parse(input)
}

/// `ident = name [ "[" 1*DIGIT "]" ] ":"`, returning the name.
fn ident(input: &str) -> IResult<&str, &str> {
    terminated(
        take_while1(|c: char| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '/' | '@')
        }),
        (opt(delimited(char('['), digit1, char(']'))), char(':')),
    )
    .parse(input)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `month = "Jan" / "Feb" / … / "Dec"`
fn month(input: &str) -> IResult<&str, u32> {
    let (rest, name) = take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()).parse(input)?;
    match MONTHS.iter().position(|m| *m == name) {
        Some(i) => Ok((rest, i as u32 + 1)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `2DIGIT` (or 1 for a space-padded day) as a number.
fn number(min: usize, max: usize) -> impl FnMut(&str) -> IResult<&str, u32> {
    move |input| {
        map_res(
            take_while_m_n(min, max, |c: char| c.is_ascii_digit()),
            str::parse,
        )
        .parse(input)
    }
}

/// `clock = 2DIGIT ":" 2DIGIT ":" 2DIGIT [ ( "." / "," ) 1*9DIGIT ]`
pub fn clock(input: &str) -> IResult<&str, (u32, u32, u32, u32)> {
    let (rest, (h, _, m, _, s)) = (
        number(2, 2),
        char(':'),
        number(2, 2),
        char(':'),
        number(2, 2),
    )
        .parse(input)?;
    let (rest, frac) = opt(preceded(
        alt((char('.'), char(','))),
        take_while1(|c: char| c.is_ascii_digit()),
    ))
    .parse(rest)?;
    Ok((rest, (h, m, s, frac.map_or(0, nanos))))
}

/// Fraction digits as nanoseconds (only the first nine count).
fn nanos(digits: &str) -> u32 {
    let mut n = 0u32;
    for i in 0..9 {
        n = n * 10 + digits.as_bytes().get(i).map_or(0, |d| u32::from(d - b'0'));
    }
    n
}

/// `syslog-time = month 1*SP day SP clock`; the day is padded with a space
/// (`Mar  5`) or a zero (journalctl `Mar 05`).
pub fn syslog_time(input: &str) -> IResult<&str, SyslogTime> {
    let (rest, (month, _, day, _, (hour, minute, second, nanos))) =
        (month, space1, number(1, 2), char(' '), clock).parse(input)?;
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((
        rest,
        SyslogTime {
            month,
            day,
            hour,
            minute,
            second,
            nanos,
        },
    ))
}

/// `iso-time = 4DIGIT "-" 2DIGIT "-" 2DIGIT "T" clock zone`,
/// `zone = "Z" / ( "+" / "-" ) 2DIGIT [ ":" ] 2DIGIT`, as RFC 3339 UTC.
pub fn iso_time(input: &str) -> IResult<&str, String> {
    let (rest, text) = recognize((
        take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
        char('-'),
        number(2, 2),
        char('-'),
        number(2, 2),
        char('T'),
        clock,
        alt((
            tag("Z"),
            recognize((
                alt((char('+'), char('-'))),
                number(2, 2),
                opt(char(':')),
                number(2, 2),
            )),
        )),
    ))
    .parse(input)?;
    match to_utc(text) {
        Some(utc) => Ok((rest, utc)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        ))),
    }
}

/// An ISO time with `,` or `.` fraction and `+0000` or `+00:00` zone, to
/// RFC 3339 UTC.
fn to_utc(text: &str) -> Option<String> {
    let mut normal = text.replace(',', ".");
    // `+0000` → `+00:00` (RFC 3339 wants the colon).
    let len = normal.len();
    let bytes = normal.as_bytes();
    if len > 5 && matches!(bytes[len - 5], b'+' | b'-') && bytes[len - 3] != b':' {
        normal.insert(len - 2, ':');
    }
    let parsed = DateTime::parse_from_rfc3339(&normal).ok()?;
    Some(
        parsed
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
    )
}

/// `dmesg-human-prefix = "[" weekday SP month 1*SP day SP clock SP year "]" SP`
/// (`dmesg -T`: the node's local time, taken as UTC).
fn dmesg_human_prefix(input: &str) -> IResult<&str, WallTime> {
    let (rest, (_, _, _, month, _, day, _, (h, m, s, ns), _, year, _)) = (
        char('['),
        take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()),
        space1,
        month,
        space1,
        number(1, 2),
        char(' '),
        clock,
        char(' '),
        map_res(
            take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
            str::parse::<i32>,
        ),
        char(']'),
    )
        .parse(input)?;
    let (rest, _) = space0(rest)?;
    let time = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_nano_opt(h, m, s, ns))
        .map(|t: NaiveDateTime| {
            WallTime::Utc(t.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
        })
        .unwrap_or_default();
    Ok((rest, time))
}

/// `dmesg-iso-prefix = iso-time SP` (`dmesg --time-format iso`, no host).
fn dmesg_iso_prefix(input: &str) -> IResult<&str, WallTime> {
    let (rest, time) = terminated(iso_time, space1).parse(input)?;
    Ok((rest, WallTime::Utc(time)))
}

/// `uptime-prefix = "[" *SP 1*DIGIT "." 1*DIGIT "]" *SP`
pub fn uptime_prefix(input: &str) -> IResult<&str, f64> {
    let (rest, seconds) = delimited(
        (char('['), space0),
        map_res(recognize((digit1, char('.'), digit1)), str::parse::<f64>),
        char(']'),
    )
    .parse(input)?;
    let (rest, _) = space0(rest)?;
    Ok((rest, seconds))
}

/// A line of bytes as text: invalid UTF-8 replaced, a trailing `\r` and
/// NUL bytes dropped (a journal exported with binary fields can hold them).
pub fn text(line: &[u8]) -> std::borrow::Cow<'_, str> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = String::from_utf8_lossy(line);
    if text.contains('\0') {
        std::borrow::Cow::Owned(text.replace('\0', ""))
    } else {
        text
    }
}

/// Skips leading blanks (`take_while` so it never fails).
pub fn blanks(input: &str) -> &str {
    take_while::<_, &str, nom::error::Error<&str>>(|c: char| c == ' ' || c == '\t')
        .parse(input)
        .map_or(input, |(rest, _)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syslog(month: u32, day: u32, h: u32, m: u32, s: u32) -> WallTime {
        WallTime::Syslog(SyslogTime {
            month,
            day,
            hour: h,
            minute: m,
            second: s,
            nanos: 0,
        })
    }

    #[test]
    fn syslog_prefix_with_space_padded_day() {
        let (p, rest) = line_prefix("Mar  5 10:11:12 node-1 kernel: Killed process 1 (a)");
        assert_eq!(p.time, syslog(3, 5, 10, 11, 12));
        assert_eq!(p.host.as_deref(), Some("node-1"));
        assert_eq!(p.ident.as_deref(), Some("kernel"));
        assert_eq!(rest, "Killed process 1 (a)");
    }

    #[test]
    fn journal_short_precise_with_pid_and_zero_padded_day() {
        let (p, rest) =
            line_prefix("Mar 05 10:11:12.123456 ip-10-0-1-2.ec2.internal kubelet[1234]: I0305 x");
        assert_eq!(
            p.time,
            WallTime::Syslog(SyslogTime {
                month: 3,
                day: 5,
                hour: 10,
                minute: 11,
                second: 12,
                nanos: 123_456_000
            })
        );
        assert_eq!(p.host.as_deref(), Some("ip-10-0-1-2.ec2.internal"));
        assert_eq!(p.ident.as_deref(), Some("kubelet"));
        assert_eq!(rest, "I0305 x");
    }

    #[test]
    fn short_iso_prefix_is_utc() {
        let (p, rest) = line_prefix("2024-03-05T10:11:12+0100 node-1 kernel: Out of memory: x");
        assert_eq!(p.time, WallTime::Utc("2024-03-05T09:11:12Z".into()));
        assert_eq!(p.host.as_deref(), Some("node-1"));
        assert_eq!(rest, "Out of memory: x");
        let (p, _) = line_prefix("2024-03-05T10:11:12.5+00:00 node-1 kernel: x");
        assert_eq!(p.time, WallTime::Utc("2024-03-05T10:11:12.500Z".into()));
    }

    #[test]
    fn syslog_prefix_then_uptime() {
        let (p, rest) = line_prefix("Mar  5 10:11:12 node-1 kernel: [12345.678901] Killed process");
        assert_eq!(p.uptime, Some(12345.678901));
        assert_eq!(p.host.as_deref(), Some("node-1"));
        assert_eq!(rest, "Killed process");
    }

    #[test]
    fn dmesg_forms() {
        let (p, rest) = line_prefix("[  123.456789] Killed process");
        assert_eq!(
            (p.uptime, p.time, rest),
            (Some(123.456789), WallTime::None, "Killed process")
        );
        let (p, rest) = line_prefix("[Tue Mar  5 10:11:12 2024] Killed process");
        assert_eq!(p.time, WallTime::Utc("2024-03-05T10:11:12Z".into()));
        assert_eq!(rest, "Killed process");
        let (p, rest) = line_prefix("<3>[ 5.000001] Killed process");
        assert_eq!((p.uptime, rest), (Some(5.000001), "Killed process"));
        let (p, rest) = line_prefix("2024-03-05T10:11:12,123456+00:00 Killed process");
        assert_eq!(p.time, WallTime::Utc("2024-03-05T10:11:12.123456Z".into()));
        assert_eq!((p.host, rest), (None, "Killed process"));
    }

    #[test]
    fn syslog_without_host_short_full_and_short_monotonic() {
        let (p, rest) = line_prefix("Mar  5 10:11:12 kernel: Killed process 1 (a)");
        assert_eq!(
            (p.host, p.ident.as_deref(), rest),
            (None, Some("kernel"), "Killed process 1 (a)")
        );
        let (p, rest) =
            line_prefix("Tue 2024-03-05 10:11:12 UTC node-1 kernel: Killed process 1 (a)");
        assert_eq!(p.time, WallTime::Utc("2024-03-05T10:11:12Z".into()));
        assert_eq!(
            (p.host.as_deref(), rest),
            (Some("node-1"), "Killed process 1 (a)")
        );
        let (p, rest) =
            line_prefix("Tue 2024-03-05 10:11:12 CET node-1 kernel: Killed process 1 (a)");
        assert_eq!((p.time, rest), (WallTime::None, "Killed process 1 (a)"));
        let (p, rest) = line_prefix("[12345.678901] node-1 kernel: Killed process 1 (a)");
        assert_eq!(
            (p.uptime, p.host.as_deref(), rest),
            (Some(12345.678901), Some("node-1"), "Killed process 1 (a)")
        );
        // Kernel messages are not mistaken for a host and ident.
        for message in [
            "Memory cgroup out of memory: Killed process 1 (a)",
            "Out of memory: Killed process 1 (a)",
            "java invoked oom-killer: gfp_mask=0x0",
            "memory: usage 1kB, limit 1kB, failcnt 0",
        ] {
            let line = format!("[1.5] {message}");
            let (p, rest) = line_prefix(&line);
            assert_eq!((p.host, p.ident, rest), (None, None, message));
        }
    }

    #[test]
    fn bare_line_has_no_prefix() {
        let (p, rest) = line_prefix("Killed process 1 (a)");
        assert_eq!(p, Prefix::default());
        assert_eq!(rest, "Killed process 1 (a)");
    }

    #[test]
    fn resolve_picks_the_year_at_or_before_the_reference() {
        let t = syslog(12, 31, 23, 59, 0);
        assert_eq!(
            t.resolve("2025-01-02T00:00:00Z").as_deref(),
            Some("2024-12-31T23:59:00Z")
        );
        let t = syslog(3, 5, 10, 11, 12);
        assert_eq!(
            t.resolve("2024-03-05T10:00:00Z").as_deref(),
            Some("2024-03-05T10:11:12Z")
        );
        let leap = syslog(2, 29, 0, 0, 0);
        assert_eq!(
            leap.resolve("2026-06-01T00:00:00Z").as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
        assert_eq!(t.resolve("not a time"), None);
        assert_eq!(WallTime::None.resolve("2024-03-05T10:00:00Z"), None);
    }
}
