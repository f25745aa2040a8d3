//! A byte scanner for the JSON structure around the values serde reads:
//! where a value ends, where the next line starts, and line numbers. It never
//! decodes anything, so it runs at memchr speed over multi-GB arrays.
//!
//! Skipping only counts the one bracket pair of the value being skipped
//! (`{}` or `[]`) plus strings: inside valid JSON the other pair is balanced,
//! so it cannot change where the value ends.

use memchr::memchr;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `w` equal to `c` (exact for the lowest
/// such byte; higher ones may be false positives, so only the lowest is
/// ever used).
#[inline(always)]
fn has(w: u64, c: u8) -> u64 {
    let x = w ^ (LO * u64::from(c));
    x.wrapping_sub(LO) & !x & HI
}

/// The first index at or after `j` whose byte is one of `set` (up to three
/// bytes; repeat one to use fewer), or `b.len()`. Eight bytes at a time
/// (SWAR): pretty-printed JSON is mostly runs of bytes that do not matter.
#[inline(always)]
pub(crate) fn find_any(b: &[u8], mut j: usize, set: [u8; 3]) -> usize {
    while let Some(chunk) = b.get(j..j + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let m = has(w, set[0]) | has(w, set[1]) | has(w, set[2]);
        if m != 0 {
            return j + (m.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < b.len() && !set.contains(&b[j]) {
        j += 1;
    }
    j
}

/// Index just past the closing quote of the string whose body starts at `i`
/// (just after its opening quote); `None` when the input ends first.
pub fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let j = find_any(b, i, [b'"', b'\\', b'"']);
        match b.get(j)? {
            b'"' => return Some(j + 1),
            _ => i = j + 2,
        }
    }
}

/// Index just past the object or array that opens at `i` (`b[i]` is `{` or
/// `[`); `None` when it does not close before the input ends.
pub fn skip_container(b: &[u8], i: usize) -> Option<usize> {
    let (open, close) = match b.get(i)? {
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut j = i;
    // Whole 64-byte blocks first, as bit masks (strings found by a prefix
    // XOR of the quotes): skipping unread members was the largest cost of
    // a docker inspect run, and pretty-printed JSON has a quote every few
    // bytes, too dense for a search per string. A block holding a
    // backslash goes to the byte loop below (escapes are rare), as does
    // the tail.
    let mut in_string = false;
    while let Some(block) = b.get(j..j + 64) {
        let block: &[u8; 64] = block.try_into().ok()?;
        let m = masks(block, open, close);
        if m.backslash != 0 {
            if in_string {
                j = skip_string(b, j)?;
                in_string = false;
            }
            // Byte loop up to the block's end (or just past a string that
            // crosses it), then blocks again.
            match walk_bytes(b, j, (j + 64).min(b.len()), open, close, &mut depth)? {
                Ok(end) => return Some(end),
                Err(next) => j = next,
            }
            continue;
        }
        let mut inside = prefix_xor(m.quote);
        if in_string {
            inside = !inside;
        }
        let mut brackets = (m.open | m.close) & !inside;
        while brackets != 0 {
            let k = brackets.trailing_zeros();
            if m.open >> k & 1 != 0 {
                depth += 1;
            } else {
                depth -= 1;
                if depth == 0 {
                    return Some(j + k as usize + 1);
                }
            }
            brackets &= brackets - 1;
        }
        in_string = inside >> 63 != 0;
        j += 64;
    }
    if in_string {
        j = skip_string(b, j)?;
    }
    walk_bytes(b, j, b.len(), open, close, &mut depth)?.ok()
}

/// The byte-at-a-time walk of [`skip_container`] from `j` to `stop`, strings
/// skipped whole (one may run past `stop`). `Ok(end)` once the container
/// closes, `Err(next)` where the walk stopped at or past `stop`, `None` when
/// the input ends inside a string.
fn walk_bytes(
    b: &[u8],
    mut j: usize,
    stop: usize,
    open: u8,
    close: u8,
    depth: &mut usize,
) -> Option<Result<usize, usize>> {
    while j < stop {
        j = find_any(&b[..stop], j, [b'"', open, close]);
        let Some(&c) = b.get(j).filter(|_| j < stop) else {
            break;
        };
        if c == b'"' {
            j = skip_string(b, j + 1)?;
            continue;
        }
        if c == open {
            *depth += 1;
        } else {
            *depth -= 1;
            if *depth == 0 {
                return Some(Ok(j + 1));
            }
        }
        j += 1;
    }
    Some(Err(j))
}

/// Bit k set where `block[k]` is that byte.
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks(block: &[u8; 64], open: u8, close: u8) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SSE2 is part of x86_64, so these are always available; LLVM does
    // not turn the portable loop below into this (it was slower than the
    // SWAR search it replaces).
    // SAFETY: SSE2 is baseline on x86_64; each load reads 16 bytes inside
    // the 64-byte block.
    unsafe {
        let eq = |v: __m128i, c: u8| -> u64 {
            u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8))) as u16)
        };
        let mut m = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            m.quote |= eq(v, b'"') << (16 * k);
            m.backslash |= eq(v, b'\\') << (16 * k);
            m.open |= eq(v, open) << (16 * k);
            m.close |= eq(v, close) << (16 * k);
        }
        m
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn masks(block: &[u8; 64], open: u8, close: u8) -> Masks {
    let mut m = Masks {
        quote: 0,
        backslash: 0,
        open: 0,
        close: 0,
    };
    for (k, &c) in block.iter().enumerate() {
        m.quote |= u64::from(c == b'"') << k;
        m.backslash |= u64::from(c == b'\\') << k;
        m.open |= u64::from(c == open) << k;
        m.close |= u64::from(c == close) << k;
    }
    m
}

/// The start of the first line after a `\n` at or after `from` that does
/// not begin with `k + 1` spaces (or `b.len()`). An indented array's
/// element-level lines are a few of the many; the rest are passed over 64
/// bytes at a time (newline and space masks) instead of line by line.
pub fn next_shallow(b: &[u8], from: usize, k: usize) -> usize {
    let deep = |s: usize| s + k < b.len() && b[s..=s + k].iter().all(|&c| c == b' ');
    let mut p = from;
    if k < 63 {
        while let Some(w) = b.get(p..p + 128) {
            let lo: &[u8; 64] = w[..64].try_into().expect("64 bytes");
            let hi: &[u8; 64] = w[64..].try_into().expect("64 bytes");
            let nl = crate::simd::byte_mask(lo, b'\n');
            if nl != 0 {
                let sp = u128::from(crate::simd::byte_mask(lo, b' '))
                    | u128::from(crate::simd::byte_mask(hi, b' ')) << 64;
                // Bit t: a non-space among the k + 1 bytes after position
                // t (a window OR built by doubling).
                let mut w = !sp >> 1;
                let mut width = 1;
                while width * 2 <= k + 1 {
                    w |= w >> width;
                    width *= 2;
                }
                if width < k + 1 {
                    w |= w >> (k + 1 - width);
                }
                let shallow = nl & w as u64;
                if shallow != 0 {
                    return p + shallow.trailing_zeros() as usize + 1;
                }
            }
            p += 64;
        }
    }
    while p < b.len() {
        if b[p] == b'\n' && !deep(p + 1) {
            return p + 1;
        }
        p += 1;
    }
    b.len()
}

/// Bit k set when an odd number of bits at or below k are set in `x`: with
/// quotes in, the bits from each opening quote up to its closing one.
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// Index just past the scalar or container value starting at `i`.
pub fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'{' | b'[' => skip_container(b, i),
        b'"' => skip_string(b, i + 1),
        _ => {
            let n = b[i..]
                .iter()
                .take_while(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                .count();
            (n > 0).then_some(i + n)
        }
    }
}

/// First index at or after `i` that is not JSON whitespace.
pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Index of the start of the line after the one holding `i` (or the end).
pub fn next_line(b: &[u8], i: usize) -> usize {
    match b.get(i..).and_then(|rest| memchr(b'\n', rest)) {
        Some(k) => i + k + 1,
        None => b.len(),
    }
}

/// Index of the start of the line holding `i`.
pub fn line_start(b: &[u8], i: usize) -> usize {
    let i = i.min(b.len());
    match memchr::memrchr(b'\n', &b[..i]) {
        Some(k) => k + 1,
        None => 0,
    }
}

/// The entries of the object opening at `i`: `(key, value_start,
/// value_end)`. Stops quietly at the first thing that is not well formed.
pub fn object_entries(b: &[u8], i: usize) -> Vec<(&[u8], usize, usize)> {
    let mut out = Vec::new();
    if b.get(i) != Some(&b'{') {
        return out;
    }
    let mut j = i + 1;
    loop {
        j = skip_ws(b, j);
        match b.get(j) {
            Some(b'"') => {}
            _ => return out,
        }
        let Some(key_end) = skip_string(b, j + 1) else {
            return out;
        };
        let key = &b[j + 1..key_end - 1];
        j = skip_ws(b, key_end);
        if b.get(j) != Some(&b':') {
            return out;
        }
        let vs = skip_ws(b, j + 1);
        let Some(ve) = skip_value(b, vs) else {
            return out;
        };
        out.push((key, vs, ve));
        j = skip_ws(b, ve);
        if b.get(j) == Some(&b',') {
            j += 1;
        }
    }
}

/// Walks the members of the object opening at `i`, calling `f(key,
/// value_start, value_end)` for each until it returns false. Returns the
/// index just past the object when every member was well formed (a quoted
/// key, `:`, a value, `,` between members) and `f` never stopped the walk.
/// Values are skipped, not validated: callers deserialize the ones they use.
pub fn walk_object(
    b: &[u8],
    i: usize,
    mut f: impl FnMut(&[u8], usize, usize) -> bool,
) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return Some(j + 1);
    }
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(b, j + 1)?;
        let key = &b[j + 1..key_end - 1];
        j = skip_ws(b, key_end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        let vs = skip_ws(b, j + 1);
        if !matches!(
            b.get(vs)?,
            b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        ) {
            return None;
        }
        let ve = skip_value(b, vs)?;
        if !f(key, vs, ve) {
            return None;
        }
        j = skip_ws(b, ve);
        match b.get(j)? {
            b',' => j = skip_ws(b, j + 1),
            b'}' => return Some(j + 1),
            _ => return None,
        }
    }
}

/// Start offsets of the elements of the array opening at `i`.
pub fn array_elements(b: &[u8], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if b.get(i) != Some(&b'[') {
        return out;
    }
    let mut j = i + 1;
    loop {
        j = skip_ws(b, j);
        match b.get(j) {
            None | Some(b']') => return out,
            Some(_) => {}
        }
        let Some(e) = skip_value(b, j) else {
            return out;
        };
        out.push(j);
        j = skip_ws(b, e);
        if b.get(j) == Some(&b',') {
            j += 1;
        }
    }
}

/// Counts `\n` in a slice with memchr's counting search, which picks the
/// widest vector unit at run time (the build targets baseline x86-64).
pub fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Line numbers of offsets, counted incrementally from the last query (in
/// either direction), so a pass over the input counts each byte about once.
/// The start of the current line is kept too: searching back for it from
/// each object of a one-line array was quadratic.
#[derive(Debug, Clone)]
pub struct Lines {
    pos: usize,
    line: u64,
    /// Start of the line holding `pos`.
    start: usize,
}

impl Lines {
    /// Starts at offset 0 = `first_line`.
    pub fn new(first_line: u64) -> Lines {
        Lines {
            pos: 0,
            line: first_line,
            start: 0,
        }
    }

    /// The line holding offset `at` of `b`.
    pub fn at(&mut self, b: &[u8], at: usize) -> u64 {
        let at = at.min(b.len());
        if at >= self.pos {
            let crossed = count_newlines(&b[self.pos..at]);
            if crossed > 0 {
                self.line += crossed;
                // The last newline crossed is within `pos..at`.
                self.start = line_start(&b[..at], at).max(self.pos);
            }
        } else {
            let crossed = count_newlines(&b[at..self.pos]);
            if crossed > 0 {
                self.line -= crossed;
                self.start = line_start(b, at);
            }
        }
        self.pos = at;
        self.line
    }

    /// (line, start of that line) of offset `at` of `b`.
    pub fn locate(&mut self, b: &[u8], at: usize) -> (u64, usize) {
        let line = self.at(b, at);
        (line, self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_nested_values_with_tricky_strings() {
        let b = br#"{"a": "}\"{", "b": [1, {"c": "]"}]} tail"#;
        assert_eq!(skip_container(b, 0), Some(b.len() - 5));
        assert_eq!(skip_container(b"{\"a\": 1", 0), None);
    }

    #[test]
    fn swar_skips_agree_with_a_byte_loop_at_every_alignment() {
        for pad in 0..17 {
            let body = format!(
                "{{\"k{}\": \"a\\\\\\\"}}{{[\", \"n\": {{\"x\": [1, {{}}]}}, \"z\": \"\\\\\"}} tail",
                " ".repeat(pad)
            );
            let b = body.as_bytes();
            let end = skip_container(b, 0).unwrap();
            assert_eq!(&body[end..], " tail", "pad {pad}");
        }
    }

    /// The plain byte loop the block scan must agree with.
    fn naive_skip(b: &[u8], i: usize) -> Option<usize> {
        let (open, close) = if b[i] == b'{' {
            (b'{', b'}')
        } else {
            (b'[', b']')
        };
        let (mut depth, mut j, mut in_str) = (0usize, i, false);
        while j < b.len() {
            let c = b[j];
            if in_str {
                match c {
                    b'\\' => j += 1,
                    b'"' => in_str = false,
                    _ => {}
                }
            } else if c == b'"' {
                in_str = true;
            } else if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            j += 1;
        }
        None
    }

    #[test]
    fn block_skips_agree_with_a_byte_loop_on_long_values() {
        // Pseudo-random JSON-ish text long enough for many 64-byte blocks:
        // strings (some escaped, some crossing blocks), nesting, the other
        // bracket pair, and cuts that leave the value unclosed.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..300 {
            let mut t = String::from(if round % 2 == 0 { "{" } else { "[" });
            let mut depth = 1;
            while depth > 0 && t.len() < 3000 {
                match next(10) {
                    0 if depth < 6 => {
                        t.push_str(if round % 2 == 0 { "{" } else { "[" });
                        depth += 1;
                    }
                    1 => {
                        t.push_str(if round % 2 == 0 { "}" } else { "]" });
                        depth -= 1;
                    }
                    2 => t.push_str("\"\\\\x\\\"}]{[\" "),
                    3 => t.push_str(&format!("\"{}\", ", "a{}[]".repeat(next(40) as usize))),
                    4 => t.push_str("[1,{}], "),
                    5 => t.push_str(&" ".repeat(next(70) as usize)),
                    6 => t.push_str("\"\\\\\", "),
                    _ => t.push_str("\"key\": 12, "),
                }
            }
            let b = t.as_bytes();
            for cut in [b.len(), b.len() * 2 / 3, b.len() / 2] {
                let b = &b[..cut];
                assert_eq!(
                    skip_container(b, 0),
                    naive_skip(b, 0),
                    "round {round} cut {cut}"
                );
            }
        }
    }

    #[test]
    fn next_shallow_agrees_with_a_byte_loop() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..200 {
            let mut t = Vec::new();
            while t.len() < 2000 {
                let ind = [8, 8, 8, 12, 4, 2, 0, 5][next(8) as usize];
                t.extend(std::iter::repeat_n(b' ', ind));
                t.extend(std::iter::repeat_n(b'x', next(90) as usize));
                t.push(b'\n');
            }
            t.truncate(t.len() - next(7) as usize);
            for k in [0usize, 1, 2, 4, 7] {
                let naive = |from: usize| {
                    (from..t.len())
                        .find(|&q| {
                            t[q] == b'\n'
                                && !(q + 1 + k < t.len()
                                    && t[q + 1..=q + 1 + k].iter().all(|&c| c == b' '))
                        })
                        .map_or(t.len(), |q| q + 1)
                };
                for from in [0, 1, 63, 64, 100, 777, t.len() - 1, t.len()] {
                    assert_eq!(
                        next_shallow(&t, from, k),
                        naive(from),
                        "round {round} k {k} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn entries_and_elements() {
        let b = br#"{"k": [ {"x":1}, 2 ,"s"], "z": null}"#;
        let e = object_entries(b, 0);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, b"k");
        assert_eq!(array_elements(b, e[0].1).len(), 3);
    }

    #[test]
    fn newline_count_matches_naive() {
        let b: Vec<u8> = (0..100_000u32)
            .map(|i| if i % 7 == 0 { b'\n' } else { b'x' })
            .collect();
        for len in [0, 1, 31, 32, 33, 8160, 8161, 100_000] {
            let naive = b[..len].iter().filter(|&&c| c == b'\n').count() as u64;
            assert_eq!(count_newlines(&b[..len]), naive);
        }
    }

    #[test]
    fn lines_both_ways() {
        let b = b"a\nb\nc\nd";
        let mut l = Lines::new(1);
        assert_eq!(l.at(b, 6), 4);
        assert_eq!(l.at(b, 2), 2);
        assert_eq!(l.at(b, 0), 1);
        assert_eq!(l.locate(b, 5), (3, 4));
        assert_eq!(l.locate(b, 7), (4, 6));
        assert_eq!(l.locate(b, 1), (1, 0));
        assert_eq!(l.locate(b, 3), (2, 2));
    }

    #[test]
    fn line_starts_agree_with_a_search_back() {
        let b = b"{\"a\":1}\n\n  [1,\n2]\nlast line\n";
        let mut l = Lines::new(1);
        for at in [0, 3, 9, 9, 12, 4, 15, 20, 0, 25, b.len()] {
            assert_eq!(l.locate(b, at).1, line_start(b, at), "at {at}");
        }
    }
}
