//! `State:` / `Last State:` blocks (grammar/kubectl-describe.abnf, "states";
//! facts: input-formats.md §1.4).

use nom::bytes::complete::{tag, take_while1};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use crate::model::{State, Status};

/// `state-word = "Running" / "Waiting" / "Terminated"` (anything else, such
/// as a redacted value, is kept as an unknown state).
pub fn state_word(input: &[u8]) -> IResult<&[u8], Status> {
    let word = super::lines::trim(input);
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
    let (rest, digits) =
        recognize((opt(tag("-")), take_while1(|b: u8| b.is_ascii_digit()))).parse(input)?;
    // At most 19 digits always fit an i64; longer runs are not exit codes.
    match std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(n) => Ok((rest, n)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

/// Reads a whole value as an integer (`exit-code` followed by nothing).
pub fn integer(value: &[u8]) -> Option<i64> {
    match exit_code(super::lines::trim(value)) {
        Ok((rest, n)) if rest.is_empty() => Some(n),
        _ => None,
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
        Detail::Reason => state.reason = super::lines::opt_text(value),
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
            let raw = String::from_utf8_lossy(super::lines::trim(value));
            let slot = if detail == Detail::Started {
                &mut state.started_at
            } else {
                &mut state.finished_at
            };
            match crate::timefmt::normalize(&raw) {
                Ok(t) => *slot = t,
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(())
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
    }

    #[test]
    fn integer_whole_value_only() {
        assert_eq!(integer(b" 2 "), Some(2));
        assert_eq!(integer(b"2x"), None);
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
}
