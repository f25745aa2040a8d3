//! Forgiving serde field types. Dumps are pasted, hand-edited and written by
//! a dozen tool versions, so a field of an unexpected type must not make a
//! whole container unreadable: each wrapper here takes what it can and turns
//! anything else into "absent". With them, deserializing an object only fails
//! on a syntax error, never on a type mismatch.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Drains a map or sequence the caller does not want.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A scalar read as text: strings as they are (borrowed when possible),
/// numbers and booleans rendered; null, maps and sequences are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Str<'a>(pub Option<Cow<'a, str>>);

impl<'a> Str<'a> {
    /// The text, `None` when absent or empty.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }

    /// The text as an owned string, `None` when absent or empty.
    pub fn owned(&self) -> Option<String> {
        self.get().map(str::to_string)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Str::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|_| Str(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|_| Str(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// An integer: JSON numbers (integral floats too) and digit strings (crictl
/// annotations hold the restart count as a string).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Int(pub Option<i64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Int;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                Ok(Int(i64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
                let ok = v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e18;
                Ok(Int(ok.then_some(v as i64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
                Ok(Int(v.trim().parse().ok()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Int, D::Error> {
                Int::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Int, A::Error> {
                drain_map(map).map(|_| Int(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Int, A::Error> {
                drain_seq(seq).map(|_| Int(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A boolean: JSON booleans and the strings `true`/`false` (any case).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bool(pub Option<bool>);

impl<'de> Deserialize<'de> for Bool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Bool, E> {
                Ok(Bool(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bool, E> {
                let v = v.trim();
                Ok(Bool(if v.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                }))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Bool, D::Error> {
                Bool::deserialize(d)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Bool, A::Error> {
                drain_map(map).map(|_| Bool(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Bool, A::Error> {
                drain_seq(seq).map(|_| Bool(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A nested object: `Some` when the value is a map, `None` for anything else.
#[derive(Debug, Clone, PartialEq)]
pub struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<T> Obj<T> {
    /// The object, when there was one.
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

struct ObjVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Obj<T>, A::Error> {
        drain_seq(seq).map(|_| Obj(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Obj<T>, D::Error> {
        Obj::deserialize(d)
    }
    fn visit_none<E: de::Error>(self) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Obj<T>, E> {
        Ok(Obj(None))
    }
}

/// A sequence of `T` (use `Obj<_>` elements to tolerate odd ones); anything
/// that is not a sequence gives an empty list.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    out.push(t);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
                drain_map(map).map(|_| List(Vec::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<List<T>, D::Error> {
                List::deserialize(d)
            }
            fn visit_none<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<List<T>, E> {
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Only records that a key was there (its value is skipped unread).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Present(pub bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Present(true))
    }
}

/// A value that is either an object `T` or a string (podman's `State` is an
/// object for containers and a word such as `Running` for pods).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ObjOrStr<'a, T> {
    #[default]
    Absent,
    Obj(T),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for ObjOrStr<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for V<'a, T> {
            type Value = ObjOrStr<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or a string")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(ObjOrStr::Obj)
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|_| ObjOrStr::Absent)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                ObjOrStr::deserialize(d)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjOrStr::Absent)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Normalizes a timestamp field; unreadable text counts as absent (the
/// state is still worth reporting without it).
pub fn time(s: &Str<'_>) -> Option<String> {
    let raw = s.get()?;
    if let Some(fast) = utc_time(raw.as_bytes()) {
        return fast;
    }
    crate::timefmt::normalize(raw).ok().flatten()
}

/// Fast path for the one form docker/podman/Kubernetes print:
/// `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z`. Parsing it with chrono and
/// formatting it back was ~10% of a docker inspect run; this gives the
/// same answer as `timefmt::normalize` (RFC 3339 in UTC, `Z`, fraction
/// trimmed to 0/3/6/9 digits, year 1 and the epoch second meaning "never")
/// without either. `None` (use the general path) for anything else,
/// including leap seconds and offsets.
fn utc_time(b: &[u8]) -> Option<Option<String>> {
    if b.len() < 20 || b[b.len() - 1] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > days || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let frac = &b[19..b.len() - 1];
    let nanos = match frac {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let n = num(20..20 + digits.len())?;
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    if y == 1 || (y == 1970 && mo == 1 && d == 1 && h == 0 && mi == 0 && sec == 0) {
        return Some(None);
    }
    // The first 19 bytes were checked to be ASCII digits and separators
    // above; the fraction is written by hand (`write!` was most of this).
    let mut out = Vec::with_capacity(30);
    out.extend_from_slice(&b[..19]);
    let (value, width) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    if width > 0 {
        out.push(b'.');
        let at = out.len();
        out.resize(at + width, b'0');
        let mut v = value;
        for d in out[at..].iter_mut().rev() {
            *d = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    out.push(b'Z');
    String::from_utf8(out).ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct T<'a> {
        #[serde(borrow)]
        s: Str<'a>,
        i: Int,
        b: Bool,
        o: Obj<Inner>,
        l: List<Int>,
    }

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Inner {
        x: Int,
    }

    #[test]
    fn utc_fast_path_matches_normalize() {
        let cases = [
            "2025-03-04T00:00:02Z",
            "0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "1970-01-01T00:00:00.5Z",
            "1970-01-01T00:00:01Z",
            "2024-02-29T23:59:59.123456789Z",
            "2023-02-29T23:59:59Z",
            "2024-13-01T00:00:00Z",
            "2024-12-31T24:00:00Z",
            "2024-12-31T23:59:60Z",
            "2024-06-01T10:00:00.120Z",
            "2024-06-01T10:00:00.1Z",
            "2024-06-01T10:00:00.000000000Z",
            "2024-06-01T10:00:00.000001Z",
            "2024-06-01T10:00:00.1234567Z",
            "2024-06-01T10:00:00.Z",
            "2024-06-01T10:00:00.1234567890Z",
            "2024-06-01t10:00:00Z",
            "2024-06-01T10:00:00+02:00",
            "2024-6-01T10:00:00Z",
            "2024-06-01T10:00:0xZ",
        ];
        for c in cases {
            let slow = crate::timefmt::normalize(c).ok().flatten();
            if let Some(fast) = utc_time(c.as_bytes()) {
                assert_eq!(fast, slow, "{c}");
            }
            assert_eq!(time(&Str(Some(c.into()))), slow, "{c}");
        }
    }

    #[test]
    fn wrong_types_become_absent() {
        let t: T =
            serde_json::from_str(r#"{"s":{"a":1},"i":"x","b":3,"o":"no","l":{"k":[]}}"#).unwrap();
        assert_eq!(t.s.get(), None);
        assert_eq!(t.i.0, None);
        assert_eq!(t.b.0, None);
        assert_eq!(t.o.0, None);
        assert!(t.l.0.is_empty());
    }

    #[test]
    fn right_types_are_read() {
        let t: T =
            serde_json::from_str(r#"{"s":"v","i":"7","b":"True","o":{"x":2.0},"l":[1,"2",null]}"#)
                .unwrap();
        assert_eq!(t.s.get(), Some("v"));
        assert_eq!(t.i.0, Some(7));
        assert_eq!(t.b.0, Some(true));
        assert_eq!(t.o.0, Some(Inner { x: Int(Some(2)) }));
        assert_eq!(t.l.0, vec![Int(Some(1)), Int(Some(2)), Int(None)]);
    }
}
