//! `State:` / `Last State:` blocks (grammar/kubectl-describe.abnf, "states";
//! facts: input-formats.md §1.4).

use nom::IResult;

use crate::model::{State, Status};

/// `state-word = "Running" / "Waiting" / "Terminated"` (anything else, such
/// as a redacted value, is kept as an unknown state).
pub fn state_word(input: &[u8]) -> IResult<&[u8], Status> {
    let word = leading(input);
    let status = match word {
        b"Running" => Status::Running,
        b"Waiting" => Status::Waiting,
        b"Terminated" => Status::Terminated,
        _ => Status::Unknown,
    };
    Ok((&input[input.len()..], status))
}

/// `exit-code = ["-"] 1*DIGIT` — int32, negative for Windows NTSTATUS codes.
pub fn exit_code(input: &[u8]) -> IResult<&[u8], i64> {
    // By hand rather than `recognize` + `str::parse`: this runs for every
    // exit code and restart count.
    let neg = input.first() == Some(&b'-');
    let digits = &input[usize::from(neg)..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    // Accumulated negative so that i64::MIN fits; overflow is not a number.
    let n = digits[..len].iter().try_fold(0i64, |n, &d| {
        n.checked_mul(10)?.checked_sub(i64::from(d - b'0'))
    });
    match n {
        Some(n) if len > 0 => {
            let n = if neg { Some(n) } else { n.checked_neg() };
            match n {
                Some(n) => Ok((&digits[len..], n)),
                None => Err(nom::Err::Error(nom::error::Error::new(
                    input,
                    nom::error::ErrorKind::Digit,
                ))),
            }
        }
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

/// Reads a whole value as an integer (`exit-code` followed by nothing).
pub fn integer(value: &[u8]) -> Option<i64> {
    match exit_code(super::lines::trim(value)) {
        Ok((b"", n)) => Some(n),
        _ => integer_note(value),
    }
}

/// The leading token of a value that has a note after it (`137   <<<<<<
/// this one`, `Error  # the first run`): what fits the field is the value.
pub fn leading(value: &[u8]) -> &[u8] {
    let v = super::lines::trim(value);
    let end = v
        .iter()
        .position(|&b| b == b' ' || b == b'\t')
        .unwrap_or(v.len());
    &v[..end]
}

/// A whole number followed by a note: the number, when the note does not
/// start like more of a value (a digit, `.`, `/`).
fn integer_note(value: &[u8]) -> Option<i64> {
    let v = super::lines::trim(value);
    let lead = leading(v);
    let rest = super::lines::trim(&v[lead.len()..]);
    if rest.is_empty() || rest[0].is_ascii_alphanumeric() && !rest[0].is_ascii_alphabetic() {
        return None;
    }
    match exit_code(lead) {
        Ok((b"", n)) if !rest.starts_with(b".") && !rest.starts_with(b"/") => Some(n),
        _ => None,
    }
}

/// A reason with a note after it keeps its first word: kubelet and the
/// runtimes write reasons as one word.
fn reason_word(value: &[u8]) -> Option<String> {
    let v = super::lines::trim(value);
    let lead = leading(v);
    let word = !lead.is_empty()
        && lead[0].is_ascii_alphabetic()
        && lead
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'));
    let rest = super::lines::trim(&v[lead.len()..]);
    let note = rest.first().is_some_and(|b| !b.is_ascii_alphanumeric());
    if word && note {
        super::lines::opt_text(lead)
    } else {
        super::lines::opt_text(value)
    }
}

/// The level-3 keys a state block may hold (`state-detail`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Reason,
    Message,
    ExitCode,
    Signal,
    Started,
    Finished,
}

/// `detail-key = "Reason" / "Message" / "Exit Code" / "Signal" / "Started" / "Finished"`
pub fn detail_key(key: &[u8]) -> Option<Detail> {
    Some(match key {
        b"Reason" => Detail::Reason,
        b"Message" => Detail::Message,
        b"Exit Code" => Detail::ExitCode,
        b"Signal" => Detail::Signal,
        b"Started" => Detail::Started,
        b"Finished" => Detail::Finished,
        _ => return None,
    })
}

/// Applies one detail line to `state`; returns an error message (lowercase)
/// when the value cannot be read.
pub fn apply_detail(state: &mut State, detail: Detail, value: &[u8]) -> Result<(), String> {
    match detail {
        Detail::Reason => state.reason = reason_word(value),
        Detail::Message => {
            state.message = Some(super::lines::text(super::lines::trim(value)));
        }
        Detail::ExitCode => match integer(value) {
            Some(n) => state.exit_code = Some(n),
            None => {
                return Err(format!(
                    "unreadable exit code {:?}",
                    super::lines::text(super::lines::trim(value))
                ));
            }
        },
        Detail::Signal => match integer(value) {
            Some(n) => state.signal = Some(n),
            None => {
                return Err(format!(
                    "unreadable signal {:?}",
                    super::lines::text(super::lines::trim(value))
                ));
            }
        },
        Detail::Started | Detail::Finished => {
            let value = super::lines::trim(value);
            let slot = if detail == Detail::Started {
                &mut state.started_at
            } else {
                &mut state.finished_at
            };
            let parsed = match rfc1123z(value) {
                Some(t) => Ok(t),
                None => crate::timefmt::normalize(&super::lines::lossy(value)),
            };
            match parsed {
                Ok(t) => *slot = t,
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(())
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];

fn num(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `rfc1123z = day-name "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP ( "+" / "-" ) 4DIGIT`
///
/// Fast path for the one layout every kubectl prints, RFC1123Z
/// (`Tue, 04 Mar 2025 09:40:02 +0100`), giving exactly what
/// [`crate::timefmt::normalize`] gives; `None` sends anything else (zone
/// names, odd years, a weekday that does not match) to the general parser.
/// Timestamps are a fifth of the parse time without it.
pub fn rfc1123z(v: &[u8]) -> Option<Option<String>> {
    if v.len() != 31 || &v[3..5] != b", " || v[7] != b' ' || v[11] != b' ' || v[16] != b' ' {
        return None;
    }
    if v[19] != b':' || v[22] != b':' || v[25] != b' ' || !matches!(v[26], b'+' | b'-') {
        return None;
    }
    let day = num(&v[5..7])?;
    let month = MONTHS.iter().position(|m| &v[8..11] == *m)? as i64 + 1;
    let year = num(&v[12..16])?;
    let (hh, mm, ss) = (num(&v[17..19])?, num(&v[20..22])?, num(&v[23..25])?);
    let (oh, om) = (num(&v[27..29])?, num(&v[29..31])?);
    if !(1900..=9999).contains(&year) || !(1..=31).contains(&day) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    if oh > 23 || om > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) || &v[..3] != DAYS[days.rem_euclid(7) as usize] {
        return None;
    }
    let sign = if v[26] == b'-' { -1 } else { 1 };
    let secs = days * 86400 + hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
    if secs == 0 {
        return Some(None);
    }
    let (y, m, d) = civil_from_days(secs.div_euclid(86400));
    let t = secs.rem_euclid(86400);
    if !(1000..=9999).contains(&y) {
        return None;
    }
    // Written by hand into a byte array: `format!` (and pushing chars one
    // by one) was half the cost of this function.
    let mut out = *b"0000-00-00T00:00:00Z";
    put_digits(&mut out[0..4], y);
    put_digits(&mut out[5..7], m);
    put_digits(&mut out[8..10], d);
    put_digits(&mut out[11..13], t / 3600);
    put_digits(&mut out[14..16], t / 60 % 60);
    put_digits(&mut out[17..19], t % 60);
    Some(Some(String::from_utf8(out.to_vec()).expect("ASCII digits")))
}

/// Writes `n` (0 ≤ n < 10^len) zero-padded into `out`.
fn put_digits(out: &mut [u8], mut n: i64) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_word_values() {
        assert_eq!(
            state_word(b"Terminated"),
            Ok((&b""[..], Status::Terminated))
        );
        assert_eq!(state_word(b"Running  "), Ok((&b""[..], Status::Running)));
        assert_eq!(state_word(b"\xe2\x96\x88"), Ok((&b""[..], Status::Unknown)));
    }

    #[test]
    fn exit_code_signed() {
        assert_eq!(exit_code(b"137"), Ok((&b""[..], 137)));
        assert_eq!(exit_code(b"-1073741510 x"), Ok((&b" x"[..], -1073741510)));
        assert!(exit_code(b"abc").is_err());
        assert!(exit_code(b"99999999999999999999999").is_err());
        assert!(exit_code(b"9223372036854775808").is_err());
        assert!(exit_code(b"-").is_err());
        assert_eq!(exit_code(b"9223372036854775807"), Ok((&b""[..], i64::MAX)));
        assert_eq!(exit_code(b"-9223372036854775808"), Ok((&b""[..], i64::MIN)));
        assert_eq!(exit_code(b"-0"), Ok((&b""[..], 0)));
        assert_eq!(exit_code(b"007x"), Ok((&b"x"[..], 7)));
    }

    #[test]
    fn integer_whole_value_only() {
        assert_eq!(integer(b" 2 "), Some(2));
        assert_eq!(integer(b"2x"), None);
        assert_eq!(integer(b"137     <<<<<< this one"), Some(137));
        assert_eq!(integer(b"137  # OOM"), Some(137));
        assert_eq!(integer(b"1 2"), None);
        assert_eq!(
            reason_word(b"Error     <<<<<< this one").as_deref(),
            Some("Error")
        );
        assert_eq!(
            reason_word(b"CrashLoopBackOff # restarted").as_deref(),
            Some("CrashLoopBackOff")
        );
    }

    #[test]
    fn detail_keys() {
        assert_eq!(detail_key(b"Exit Code"), Some(Detail::ExitCode));
        assert_eq!(detail_key(b"cpu"), None);
    }

    #[test]
    fn apply_details() {
        let mut s = State::new(Status::Terminated);
        apply_detail(&mut s, Detail::ExitCode, b"137").unwrap();
        apply_detail(&mut s, Detail::Started, b"Tue, 04 Mar 2025 09:40:02 +0100").unwrap();
        apply_detail(&mut s, Detail::Finished, b"Mon, 01 Jan 0001 00:00:00 +0000").unwrap();
        assert_eq!(s.exit_code, Some(137));
        assert_eq!(s.started_at.as_deref(), Some("2025-03-04T08:40:02Z"));
        assert_eq!(s.finished_at, None);
        assert!(apply_detail(&mut s, Detail::ExitCode, b"x").is_err());
        assert!(apply_detail(&mut s, Detail::Started, b"soon").is_err());
    }

    #[test]
    fn rfc1123z_fast_path_matches_timefmt() {
        let cases = [
            "Tue, 04 Mar 2025 09:40:02 +0100",
            "Wed, 31 Dec 1969 19:00:00 -0500",
            "Thu, 01 Jan 1970 01:00:00 +0100",
            "Thu, 01 Jan 1970 00:00:00 +0000",
            "Sat, 29 Feb 2020 23:59:59 -1200",
            "Tue, 31 Dec 2024 23:30:00 -0130",
            "Mon, 01 Jan 2001 00:10:00 +1400",
            "Sun, 08 Sep 2019 21:53:04 +0000",
            "Wed, 05 Jul 2017 10:21:33 -0700",
        ];
        for c in cases {
            assert_eq!(
                rfc1123z(c.as_bytes()),
                Some(crate::timefmt::normalize(c).unwrap()),
                "{c}"
            );
        }
        // Left to the general parser: zero time, zone names, a wrong weekday.
        for c in [
            "Mon, 01 Jan 0001 00:00:00 +0000",
            "Mon, 06 Jan 2025 09:00:00 MST",
            "Fri, 04 Mar 2025 09:40:02 +0100",
            "Tue, 30 Feb 2025 09:40:02 +0100",
        ] {
            assert_eq!(rfc1123z(c.as_bytes()), None, "{c}");
        }
    }
}
