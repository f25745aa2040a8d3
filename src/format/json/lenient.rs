//! The slow path for objects serde rejects: a forgiving JSON reader for
//! pasted dumps. It accepts what people do to inspect output when they paste
//! it: elision lines (`...`, `......`, `...SNIP...`, `…`), `#`/`//` comments
//! after a value or on their own line, trailing commas, and an end of input
//! before the object closes (the rest was cut). Anything else (a missing
//! comma, an unterminated string, a stray word) is an error at its offset.

use serde_json::{Map, Value};

/// What the forgiving reader made of one object.
#[derive(Debug)]
pub struct Lenient {
    pub value: Value,
    /// Index just past the object (the end of input when `truncated`).
    pub end: usize,
    /// The input ended before the object closed.
    pub truncated: bool,
    /// At least one elision or comment line was skipped.
    pub elided: bool,
}

/// Where and why the forgiving reader gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenientError {
    pub at: usize,
    pub message: &'static str,
}

const MAX_DEPTH: usize = 128;

/// Reads the object opening at `start` (`b[start] == b'{'`).
pub fn object(b: &[u8], start: usize) -> Result<Lenient, LenientError> {
    let mut p = P {
        b,
        i: start,
        truncated: false,
        elided: false,
    };
    let value = p.value(0)?;
    Ok(Lenient {
        value,
        end: p.i,
        truncated: p.truncated,
        elided: p.elided,
    })
}

/// Reads `"key": value` members that were pasted without their enclosing
/// braces (a bare `"State": {…}`), starting at the first key's quote. Stops
/// before the first thing that is not another member.
pub fn fragment(b: &[u8], start: usize) -> Result<Lenient, LenientError> {
    let mut p = P {
        b,
        i: start,
        truncated: false,
        elided: false,
    };
    let mut map = Map::new();
    loop {
        let key = p.string()?;
        p.ws_inline();
        if p.peek() != Some(b':') {
            return Err(p.err("expected ':' after a key"));
        }
        p.i += 1;
        let v = p.value(1)?;
        map.insert(key, v);
        p.ws_inline();
        if p.peek() == Some(b',') {
            p.i += 1;
        }
        let save = p.i;
        // A note after the value (`# …`, `<---- this`) or an elision line
        // between members does not end the members.
        p.ws_inline();
        if p.i < p.b.len() && p.peek() != Some(b'\n') && is_elision(&p.b[p.i..]) {
            p.i = super::scan::next_line(p.b, p.i);
        }
        p.trivia();
        if p.peek() != Some(b'"') {
            p.i = save;
            break;
        }
    }
    Ok(Lenient {
        value: Value::Object(map),
        end: p.i,
        truncated: p.truncated,
        elided: p.elided,
    })
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
    truncated: bool,
    elided: bool,
}

/// A line (from its first non-blank byte) that a person put in place of
/// JSON: an elision mark or a comment.
pub fn is_elision(rest: &[u8]) -> bool {
    const MARKS: &[&[u8]] = &[
        b"..",
        "\u{2026}".as_bytes(),
        "\u{3002}\u{3002}".as_bytes(),
        b"#",
        b"//",
        b"/*",
        b"<",
        b"(",
        b"[.",
        "[\u{2026}".as_bytes(),
        b"--",
        b"snip",
        b"SNIP",
        b"***",
    ];
    MARKS.iter().any(|m| rest.starts_with(m))
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn err(&self, message: &'static str) -> LenientError {
        LenientError {
            at: self.i.min(self.b.len()),
            message,
        }
    }

    fn ws(&mut self) {
        self.i = super::scan::skip_ws(self.b, self.i);
    }

    fn ws_inline(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
            self.i += 1;
        }
    }

    /// Skips whitespace and whole elision/comment lines; true when a
    /// line was skipped.
    fn trivia(&mut self) -> bool {
        let mut skipped = false;
        loop {
            self.ws();
            if self.i < self.b.len() && is_elision(&self.b[self.i..]) {
                self.i = super::scan::next_line(self.b, self.i);
                self.elided = true;
                skipped = true;
            } else {
                return skipped;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, LenientError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.trivia();
        match self.peek() {
            None => {
                self.truncated = true;
                Ok(Value::Null)
            }
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(_) => Err(self.err("expected a value")),
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, LenientError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Value, LenientError> {
        let s = self.i;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.i += 1;
        }
        serde_json::from_slice::<Value>(&self.b[s..self.i]).map_err(|_| LenientError {
            at: s,
            message: "malformed number",
        })
    }

    fn string(&mut self) -> Result<String, LenientError> {
        let s = self.i;
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string"));
        }
        let mut j = s + 1;
        loop {
            match self.b.get(j) {
                None => {
                    self.i = j;
                    return Err(self.err("unterminated string"));
                }
                Some(b'\n') => {
                    self.i = j;
                    return Err(self.err("unterminated string"));
                }
                Some(b'\\') => j += 2,
                Some(b'"') => break,
                Some(_) => j += 1,
            }
        }
        self.i = j + 1;
        serde_json::from_slice::<String>(&self.b[s..=j]).map_err(|_| LenientError {
            at: s,
            message: "malformed string",
        })
    }

    /// After a member or element: a separator, the closer, a comment, or
    /// (only across a skipped elision line) the next member.
    fn after_item(&mut self, close: u8) -> Result<Sep, LenientError> {
        self.ws_inline();
        if self.i < self.b.len()
            && (self.b[self.i..].starts_with(b"#") || self.b[self.i..].starts_with(b"//"))
        {
            self.i = super::scan::next_line(self.b, self.i);
            self.elided = true;
        }
        let skipped = self.trivia();
        match self.peek() {
            None => {
                self.truncated = true;
                Ok(Sep::End)
            }
            Some(b',') => {
                self.i += 1;
                Ok(Sep::More)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(Sep::End)
            }
            Some(_) if skipped => Ok(Sep::More),
            Some(_) if close == b'}' => Err(self.err("expected ',' or '}'")),
            Some(_) => Err(self.err("expected ',' or ']'")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, LenientError> {
        self.i += 1;
        let mut map = Map::new();
        loop {
            self.trivia();
            match self.peek() {
                None => {
                    self.truncated = true;
                    return Ok(Value::Object(map));
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(map));
                }
                Some(b'"') => {}
                Some(_) => return Err(self.err("expected a key or '}'")),
            }
            let key = self.string()?;
            self.ws();
            if self.peek().is_none() {
                self.truncated = true;
                return Ok(Value::Object(map));
            }
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after a key"));
            }
            self.i += 1;
            let v = self.value(depth + 1)?;
            map.insert(key, v);
            if self.truncated || self.after_item(b'}')? == Sep::End {
                return Ok(Value::Object(map));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, LenientError> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            self.trivia();
            match self.peek() {
                None => {
                    self.truncated = true;
                    return Ok(Value::Array(out));
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(out));
                }
                Some(_) => {}
            }
            out.push(self.value(depth + 1)?);
            if self.truncated || self.after_item(b']')? == Sep::End {
                return Ok(Value::Array(out));
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Sep {
    More,
    End,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_elisions_and_cut_end() {
        let b = b"{\n \"a\": 1,  # note\n \"s\": {\"x\": true},\n ......\n \"b\": [1, 2,],\n...SNIP...\n";
        let l = object(b, 0).unwrap();
        assert!(l.truncated && l.elided);
        assert_eq!(l.value["a"], 1);
        assert_eq!(l.value["b"][1], 2);
    }

    #[test]
    fn missing_comma_is_an_error() {
        let b = b"{\"a\": 1\n \"b\": 2}";
        let e = object(b, 0).unwrap_err();
        assert_eq!(e.message, "expected ',' or '}'");
        assert_eq!(e.at, 9);
    }

    #[test]
    fn fragment_members_with_notes_after_values() {
        let b = b"\"Status\": \"restarting\",\n\"OOMKilled\": false,  # no error\n\"ExitCode\": 1,  <---- this\n...\n\"Pid\": 0\n";
        let l = fragment(b, 0).unwrap();
        assert_eq!(l.value["ExitCode"], 1);
        assert_eq!(l.value["Status"], "restarting");
        assert_eq!(l.value["Pid"], 0);
    }

    #[test]
    fn fragment_members() {
        let b = b"\"State\": {\"ExitCode\": 139},\n\"Name\": \"/x\"\n}\n";
        let l = fragment(b, 0).unwrap();
        assert_eq!(l.value["State"]["ExitCode"], 139);
        assert_eq!(l.value["Name"], "/x");
        assert_eq!(
            b[l.end..].iter().find(|c| !c.is_ascii_whitespace()),
            Some(&b'}')
        );
    }
}
