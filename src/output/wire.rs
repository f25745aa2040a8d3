//! The v1 record written as JSON by hand: the hot path of every run (a fifth
//! of the describe profile went through serde_json's generic serializer and
//! its byte-at-a-time string escaping). The bytes are exactly serde_json's
//! compact output of [`super::record`]'s `Wire` struct: same key order,
//! same escapes (`\"`, `\\`, `\b \f \n \r \t`, other controls as `\u00xx`
//! with lowercase hex), floats through serde_json itself. The test
//! `fast_writer_matches_serde` compares both over every fixture.

use crate::classify::{Classification, From};
use crate::model::{Logs, State};

use super::Record;

/// Appends `record` as one compact JSON object (no newline) to `out`.
pub fn write(record: &Record, out: &mut Vec<u8>) {
    let o = &record.observation;
    out.extend_from_slice(b"{\"schema\":\"");
    out.extend_from_slice(super::record::SCHEMA.as_bytes());
    out.extend_from_slice(b"\",\"source\":{\"path\":");
    string(out, &record.path);
    out.extend_from_slice(b",\"line\":");
    unsigned(out, o.line);
    out.extend_from_slice(b",\"offset\":");
    unsigned(out, o.offset);
    out.extend_from_slice(b",\"format\":");
    opt_word(out, o.format.map(|f| f.as_str()));
    out.extend_from_slice(b"},\"namespace\":");
    opt_string(out, &o.namespace);
    out.extend_from_slice(b",\"pod\":");
    opt_string(out, &o.pod);
    out.extend_from_slice(b",\"node\":");
    opt_string(out, &o.node);
    out.extend_from_slice(b",\"pod_phase\":");
    opt_string(out, &o.pod_phase);
    out.extend_from_slice(b",\"pod_reason\":");
    opt_string(out, &o.pod_reason);
    out.extend_from_slice(b",\"container\":");
    opt_string(out, &o.container);
    out.extend_from_slice(b",\"container_type\":");
    word(out, o.container_type.as_str());
    out.extend_from_slice(b",\"image\":");
    opt_string(out, &o.image);
    out.extend_from_slice(b",\"container_id\":");
    opt_string(out, &o.container_id);
    out.extend_from_slice(b",\"ready\":");
    opt_bool(out, o.ready);
    out.extend_from_slice(b",\"restart_count\":");
    opt_integer(out, o.restart_count);
    out.extend_from_slice(b",\"state\":");
    state(out, &o.state);
    out.extend_from_slice(b",\"last_state\":");
    match &o.last_state {
        Some(s) => state(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"classification\":");
    classification(out, &record.classification);
    out.extend_from_slice(b",\"events\":");
    strings(out, &o.events);
    out.extend_from_slice(b",\"pod_uid\":");
    opt_string(out, &o.pod_uid);
    out.extend_from_slice(b",\"exited_at\":");
    match record.exited_at() {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"logs\":");
    match &o.logs {
        Some(l) => logs(out, l),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

fn state(out: &mut Vec<u8>, s: &State) {
    out.extend_from_slice(b"{\"status\":");
    word(out, s.status.as_str());
    out.extend_from_slice(b",\"reason\":");
    opt_string(out, &s.reason);
    out.extend_from_slice(b",\"exit_code\":");
    opt_integer(out, s.exit_code);
    out.extend_from_slice(b",\"signal\":");
    opt_integer(out, s.signal);
    out.extend_from_slice(b",\"message\":");
    opt_string(out, &s.message);
    out.extend_from_slice(b",\"started_at\":");
    opt_string(out, &s.started_at);
    out.extend_from_slice(b",\"finished_at\":");
    opt_string(out, &s.finished_at);
    out.extend_from_slice(b",\"duration_seconds\":");
    match s.duration_seconds {
        // ryu's shortest form, NaN and infinities as null: serde_json's own
        // rules, so it writes the number.
        Some(d) => serde_json::to_writer(&mut *out, &d).expect("a float serializes"),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"oom_killed\":");
    opt_bool(out, s.oom_killed);
    out.push(b'}');
}

fn classification(out: &mut Vec<u8>, c: &Classification) {
    out.extend_from_slice(b"{\"category\":");
    string(out, &c.category);
    out.extend_from_slice(b",\"from\":");
    word(
        out,
        match c.from {
            From::State => "state",
            From::LastState => "last_state",
        },
    );
    out.extend_from_slice(b",\"exit_code\":");
    opt_integer(out, c.exit_code);
    out.extend_from_slice(b",\"signal\":");
    opt_string(out, &c.signal);
    out.extend_from_slice(b",\"severity\":");
    word(out, c.severity.as_str());
    out.extend_from_slice(b",\"summary\":");
    string(out, &c.summary);
    out.extend_from_slice(b",\"hint\":");
    opt_string(out, &c.hint);
    out.extend_from_slice(b",\"evidence\":");
    strings(out, &c.evidence);
    out.push(b'}');
}

fn logs(out: &mut Vec<u8>, l: &Logs) {
    out.extend_from_slice(b"{\"path\":");
    string(out, &l.path);
    out.extend_from_slice(b",\"previous\":");
    out.extend_from_slice(if l.previous { b"true" } else { b"false" });
    out.extend_from_slice(b",\"tail\":");
    strings(out, &l.tail);
    out.extend_from_slice(b",\"finding\":");
    opt_string(out, &l.finding);
    out.extend_from_slice(b",\"finding_line\":");
    opt_string(out, &l.finding_line);
    out.push(b'}');
}

fn strings(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

fn opt_string(out: &mut Vec<u8>, s: &Option<String>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A fixed enum spelling: ASCII letters, `-` and `_`, nothing to escape.
fn word(out: &mut Vec<u8>, w: &str) {
    out.push(b'"');
    out.extend_from_slice(w.as_bytes());
    out.push(b'"');
}

fn opt_word(out: &mut Vec<u8>, w: Option<&str>) {
    match w {
        Some(w) => word(out, w),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_bool(out: &mut Vec<u8>, b: Option<bool>) {
    out.extend_from_slice(match b {
        Some(true) => b"true",
        Some(false) => b"false",
        None => b"null",
    });
}

fn opt_integer(out: &mut Vec<u8>, n: Option<i64>) {
    match n {
        Some(n) => {
            if n < 0 {
                out.push(b'-');
            }
            unsigned(out, n.unsigned_abs());
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn unsigned(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether any of the 8 bytes of `word` needs an escape: a control byte
/// (< 0x20), `"` or `\`. Bytes >= 0x80 (UTF-8) never do.
#[inline]
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // `x - 0x20` borrows into the high bit only for bytes < 0x20 (among
    // bytes without their own high bit set).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control | zero_in(word ^ (ONES * b'"' as u64)) | zero_in(word ^ (ONES * b'\\' as u64)) != 0
}

/// Whether JSON writes `b` escaped: a control byte, `"` or `\\`.
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Bit `k` set where `block[k]` is [`escaped`]: SSE2 (baseline on x86-64),
/// a handful of instructions for 16 bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn escape_mask(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is baseline on x86_64; the load reads the 16 bytes of
    // `block` and `loadu` takes any alignment.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        // `min(v, 0x1f) == v` is an unsigned `v <= 0x1f`.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// Offset of the first [`escaped`] byte at or after `i`, or `bytes.len()`:
/// 16 bytes at a time, then 8, then one by one.
fn next_escape(bytes: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(block) = bytes.get(i..i + 16) {
        let m = escape_mask(block.try_into().expect("16 bytes"));
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && !needs_escape(u64::from_le_bytes(chunk.try_into().expect("8 bytes")))
        {
            i += 8;
            continue;
        }
        if escaped(bytes[i]) {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// A JSON string with serde_json's escapes; plain runs are found 16 bytes
/// at a time and copied whole.
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = next_escape(bytes, start);
        out.extend_from_slice(&bytes[start..i]);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xF) as usize]);
            }
        }
        start = i + 1;
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(s: &str) -> Vec<u8> {
        serde_json::to_vec(s).unwrap()
    }

    fn fast(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, s);
        out
    }

    #[test]
    fn every_byte_escapes_like_serde_json() {
        for b in 0u8..0x80 {
            for pad in 0..10 {
                let s = format!("{}{}{}", "a".repeat(pad), b as char, "é".repeat(pad % 4));
                assert_eq!(fast(&s), serde(&s), "byte {b:#x} after {pad}");
            }
        }
        let mixed = "say \"hi\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f} ünïcødé 日本 🚀 end";
        assert_eq!(fast(mixed), serde(mixed));
    }

    #[test]
    fn escapes_at_every_offset_of_the_blocks() {
        // Every escaped byte and a few that are not, at each offset of two
        // 16-byte blocks and the 8-byte and single-byte tails, between
        // ASCII and non-ASCII filler.
        let specials = [b'"', b'\\', b'\n', 0x00, 0x08, 0x1f, b' ', 0x7f, b'a'];
        for fill in ["a", "é"] {
            for len in 0..40 {
                let base: String = fill.repeat(len);
                let bytes = base.as_bytes();
                for at in 0..=bytes.len() {
                    if !base.is_char_boundary(at) {
                        continue;
                    }
                    for &b in &specials {
                        let s = format!("{}{}{}", &base[..at], b as char, &base[at..]);
                        assert_eq!(fast(&s), serde(&s), "{fill} x{len}, {b:#x} at {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn integers_match_serde_json() {
        for n in [0i64, 1, -1, 9, 10, 137, -255, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            opt_integer(&mut out, Some(n));
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
        let mut out = Vec::new();
        unsigned(&mut out, u64::MAX);
        assert_eq!(out, serde_json::to_vec(&u64::MAX).unwrap());
    }
}
