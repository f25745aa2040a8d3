//! Lines and the key/value grammar every describe line shares
//! (grammar/kubectl-describe.abnf, "lines"; facts: input-formats.md §1.1).
//!
//! kubectl writes `Key:` TAB `value` through a tabwriter, so the gap after
//! the colon is one or more spaces (1.8+) or TABs (≤1.7); nesting is two
//! spaces per level. Nothing here allocates.

use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::char;
use nom::{IResult, Parser};

/// One `Key: value` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// Leading spaces.
    pub indent: usize,
    pub key: &'a [u8],
    /// The value with trailing blanks removed (empty for a section opener).
    pub value: &'a [u8],
}

/// `key-char = ALPHA / DIGIT / SP / "-" / "_" / "." / "(" / ")"`, as a table:
/// this test runs on most bytes of most lines.
static KEY_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b' ' | b'-' | b'_' | b'.' | b'(' | b')');
        b += 1;
    }
    t
};

/// `key-char = ALPHA / DIGIT / SP / "-" / "_" / "." / "(" / ")"`
pub fn key_char(b: u8) -> bool {
    KEY_CHARS[usize::from(b)]
}

/// `indent = *SP`
pub fn indent(input: &[u8]) -> IResult<&[u8], usize> {
    let (rest, sp) = take_while(|b| b == b' ').parse(input)?;
    Ok((rest, sp.len()))
}

/// `key = ( ALPHA / DIGIT ) *key-char`
///
/// A key never holds two spaces in a row (that is tabwriter padding), so the
/// scan stops there: rows such as `  Ready   True ` are rejected early.
pub fn key(input: &[u8]) -> IResult<&[u8], &[u8]> {
    if !input.first().is_some_and(u8::is_ascii_alphanumeric) {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Alpha,
        )));
    }
    // One pass with an iterator (no bounds checks); the next byte is looked
    // at only after a space.
    let tail = &input[1..];
    let mut len = tail.len();
    for (j, &b) in tail.iter().enumerate() {
        if b == b' ' {
            if tail.get(j + 1) == Some(&b' ') {
                len = j;
                break;
            }
        } else if !key_char(b) {
            len = j;
            break;
        }
    }
    let i = len + 1;
    Ok((&input[i..], &input[..i]))
}

/// `sep = 1*(SP / HTAB)`
pub fn sep(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b| b == b' ' || b == b'\t').parse(input)
}

/// `value = *OCTET` (trailing SP/HTAB are tabwriter padding, not value)
pub fn value(input: &[u8]) -> IResult<&[u8], &[u8]> {
    Ok((&input[input.len()..], trim_end(input)))
}

/// `field-line = indent key ":" [sep value]`
///
/// A colon followed by anything but a blank (`node.kubernetes.io/x:NoExecute`,
/// `08:49:55`) is not a field separator, so such lines are not fields.
pub fn field_line(input: &[u8]) -> IResult<&[u8], Field<'_>> {
    let (rest, indent) = indent(input)?;
    let (rest, key) = key(rest)?;
    let (rest, _) = char(':').parse(rest)?;
    if rest.is_empty() {
        return Ok((
            rest,
            Field {
                indent,
                key: trim_end(key),
                value: rest,
            },
        ));
    }
    let (rest, _) = sep(rest)?;
    let (rest, value) = value(rest)?;
    Ok((
        rest,
        Field {
            indent,
            key: trim_end(key),
            value,
        },
    ))
}

/// `dns-label = 1*(lower / DIGIT / "-" / ".")` — a container name.
pub fn dns_label(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        .parse(input)
}

/// `container-name = indent-2 dns-label ":" eol` — no value, unlike `  IP:  …`.
pub fn container_name(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, _) = indent(input)?;
    let (rest, name) = dns_label(rest)?;
    let (rest, _) = char(':').parse(rest)?;
    if !trim_end(rest).is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            rest,
            nom::error::ErrorKind::Eof,
        )));
    }
    Ok((&rest[rest.len()..], name))
}

/// Parses a whole line as a field, or `None`.
pub fn field(line: &[u8]) -> Option<Field<'_>> {
    field_line(line).ok().map(|(_, f)| f)
}

/// Leading spaces of a line.
pub fn spaces(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

/// Removes trailing spaces and TABs.
pub fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &s[..n]
}

/// Removes leading and trailing spaces and TABs.
pub fn trim(s: &[u8]) -> &[u8] {
    let s = trim_end(s);
    let n = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &s[n..]
}

/// `eol = [ CR ] LF / end-of-input` — the line without its CR (files saved
/// on Windows).
pub fn eol(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Borrowed text of a value (lossy for non-UTF-8 bytes). `from_utf8`
/// first: its word-at-a-time check is several times faster on the ASCII
/// that fills describe output than `from_utf8_lossy`'s chunk walk.
pub fn lossy(s: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(s) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(s),
    }
}

/// Text of a value (lossy for non-UTF-8 bytes).
pub fn text(s: &[u8]) -> String {
    match std::str::from_utf8(s) {
        Ok(t) => t.to_owned(),
        Err(_) => String::from_utf8_lossy(s).into_owned(),
    }
}

/// The `\n` positions of a text in order, found 64 bytes at a time: each
/// block becomes a bitmask (a loop the compiler turns into SIMD compares),
/// and each line end is then a `trailing_zeros`. Lines are short (~35
/// bytes), so a search per line (memchr, or eight bytes at a time) costs
/// more to start than this costs per block.
pub struct Newlines<'a> {
    hay: &'a [u8],
    /// Start of the block `mask` describes.
    block: usize,
    /// Newlines of the current block not yet returned.
    mask: u64,
}

impl<'a> Newlines<'a> {
    /// Newlines at or after `from`.
    pub fn new(hay: &'a [u8], from: usize) -> Newlines<'a> {
        let mut n = Newlines {
            hay,
            block: from,
            mask: 0,
        };
        n.mask = n.block_mask();
        n
    }

    fn block_mask(&self) -> u64 {
        match self.hay.get(self.block..self.block + 64) {
            Some(b) => crate::simd::byte_mask(b.try_into().expect("64 bytes"), b'\n'),
            None => {
                let tail = self.hay.get(self.block..).unwrap_or(&[]);
                let mut m = 0u64;
                for (i, &c) in tail.iter().enumerate() {
                    m |= u64::from(c == b'\n') << i;
                }
                m
            }
        }
    }
}

impl Iterator for Newlines<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.block + 64 >= self.hay.len() {
                return None;
            }
            self.block += 64;
            self.mask = self.block_mask();
        }
        let at = self.block + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// A value, or `None` for the placeholders describe prints for "nothing".
pub fn opt_text(s: &[u8]) -> Option<String> {
    let s = trim(s);
    match s {
        b"" | b"<none>" | b"<unset>" | b"<nil>" | b"<unknown>" => None,
        _ => Some(text(s)),
    }
}

/// Copies `line` into `out` without ANSI CSI sequences (`ESC [ … final`):
/// colourizers such as kubecolor and coloured prompts put them around keys.
pub fn strip_ansi(line: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < line.len() {
        if line[i] == 0x1b {
            i += 1;
            if line.get(i) == Some(&b'[') {
                i += 1;
                while i < line.len() && !(0x40..=0x7e).contains(&line[i]) {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        out.push(line[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indent_counts_spaces() {
        assert_eq!(indent(b"    State:"), Ok((&b"State:"[..], 4)));
        assert_eq!(indent(b"x"), Ok((&b"x"[..], 0)));
    }

    #[test]
    fn key_stops_at_colon() {
        assert_eq!(
            key(b"Last State:  x"),
            Ok((&b":  x"[..], &b"Last State"[..]))
        );
        assert!(key(b" x").is_err());
        assert_eq!(key(b"Ready   True "), Ok((&b"   True "[..], &b"Ready"[..])));
    }

    #[test]
    fn sep_takes_spaces_and_tabs() {
        assert_eq!(sep(b" \t\tx"), Ok((&b"x"[..], &b" \t\t"[..])));
        assert!(sep(b"x").is_err());
    }

    #[test]
    fn value_drops_padding() {
        assert_eq!(value(b"Running  "), Ok((&b""[..], &b"Running"[..])));
    }

    #[test]
    fn field_line_space_era() {
        let (rest, f) = field_line(b"      Exit Code:    137").unwrap();
        assert_eq!(rest, b"");
        assert_eq!(
            (f.indent, f.key, f.value),
            (6, &b"Exit Code"[..], &b"137"[..])
        );
    }

    #[test]
    fn field_line_tab_era_and_trailing_padding() {
        let (_, f) = field_line(b"Name:\t\tweb-1").unwrap();
        assert_eq!((f.key, f.value), (&b"Name"[..], &b"web-1"[..]));
        let (_, f) = field_line(b"IP:               ").unwrap();
        assert_eq!((f.key, f.value), (&b"IP"[..], &b""[..]));
        let (_, f) = field_line(b"Containers:").unwrap();
        assert_eq!((f.key, f.value), (&b"Containers"[..], &b""[..]));
    }

    #[test]
    fn field_line_value_keeps_colons() {
        let (_, f) = field_line(b"      Started:      Tue, 04 Mar 2025 09:40:02 +0100").unwrap();
        assert_eq!(f.value, b"Tue, 04 Mar 2025 09:40:02 +0100");
    }

    #[test]
    fn field_line_rejects_glued_colon() {
        assert!(field_line(b"                 node.kubernetes.io/unreachable:NoExecute").is_err());
        assert!(field_line(b"2021-03-27 08:49:55 - Starting").is_err());
    }

    #[test]
    fn container_name_has_no_value() {
        assert_eq!(container_name(b"  app-1:"), Ok((&b""[..], &b"app-1"[..])));
        assert_eq!(container_name(b"  app:  "), Ok((&b""[..], &b"app"[..])));
        assert!(container_name(b"  IP:  10.0.0.1").is_err());
        assert!(container_name(b"  Containers:").is_err());
    }

    #[test]
    fn dns_label_lowercase_only() {
        assert_eq!(dns_label(b"web-2:"), Ok((&b":"[..], &b"web-2"[..])));
        assert!(dns_label(b"Web").is_err());
    }

    #[test]
    fn ansi_is_stripped() {
        let mut out = Vec::new();
        strip_ansi(b"\x1b[33mName:\x1b[0m  \x1b[1;36mweb\x1b[0m", &mut out);
        assert_eq!(out, b"Name:  web");
    }

    #[test]
    fn newlines_match_a_plain_search() {
        let hay = b"abc\ndefghijklmnop\n\nqrstuvwxyz0123456789\xff\x8a\n";
        for from in 0..hay.len() {
            let want: Vec<usize> = (from..hay.len()).filter(|&i| hay[i] == b'\n').collect();
            assert_eq!(
                Newlines::new(hay, from).collect::<Vec<_>>(),
                want,
                "from {from}"
            );
        }
        let long: Vec<u8> = (0..1000u32)
            .map(|i| {
                if i % 7 == 0 || i % 64 == 63 {
                    b'\n'
                } else {
                    b'x'
                }
            })
            .collect();
        for from in [0, 1, 63, 64, 65, 500, 999, 1000] {
            let want: Vec<usize> = (from..long.len()).filter(|&i| long[i] == b'\n').collect();
            assert_eq!(
                Newlines::new(&long, from).collect::<Vec<_>>(),
                want,
                "from {from}"
            );
        }
        assert_eq!(Newlines::new(b"", 0).next(), None);
        assert_eq!(Newlines::new(b"x", 5).next(), None);
    }

    #[test]
    fn placeholders_are_none() {
        assert_eq!(opt_text(b"<none>"), None);
        assert_eq!(opt_text(b""), None);
        assert_eq!(opt_text(b" x "), Some("x".into()));
    }
}
