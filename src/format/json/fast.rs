//! The hot path for Kubernetes Pod and List/PodList objects: one pass over
//! the bytes that validates the JSON as serde_json would and materializes
//! only the keys a record reads (`metadata.name`, `spec.containers[].image`,
//! `status.containerStatuses` …). Everything else — `managedFields`,
//! annotations, volumes, probes — is skipped by [`Cur::skip_value`], which
//! checks the grammar serde_json's `IgnoredAny` checks (string escapes and
//! control bytes, number syntax, literals, commas and colons) without
//! building anything.
//!
//! The result is pure: nothing is reported until the whole object has been
//! read. Whatever the reader cannot be sure reads as the serde path reads
//! it — a key with an escape or a non-ASCII byte where fields are matched,
//! a repeated field (serde rejects those), a field of an odd type that has
//! no plain reading, any syntax error, another kind — makes it return
//! `None`, and the caller reads the object the general way, which also
//! produces the diagnostics. Values of odd types are handed to serde one by
//! one (the slice only), so they read exactly as before.

pub mod inspect;

use std::borrow::Cow;

use serde::Deserialize;

use super::de::{Bool, Int, List, Obj, Str};
use super::k8s::{
    ContainerState, ContainerStatus, Meta, Pod, PodSpec, PodStatus, Running, SpecContainer,
    Terminated, Waiting,
};
use crate::model::ContainerType;

/// Containers nested deeper than this are left to serde (which has no
/// limit when skipping, and 128 where it reads): the reader recurses.
const MAX_DEPTH: usize = 96;

/// A Pod read by the fast path, with the start offset of each status list
/// element (what `status_offsets` gives the general path).
pub struct FastPod<'b> {
    pub pod: Pod<'b>,
    pub offsets: Vec<(ContainerType, Vec<usize>)>,
}

/// One element of a List's `items`. Nearly all are pods: boxing them to
/// shrink the rare `Slow` would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum Item<'b> {
    /// A core `v1` Pod read here, starting at the offset.
    Pod(usize, FastPod<'b>),
    /// Well-formed JSON the fast path does not read (another kind, a value
    /// of an odd type …): the general path reads the element at the offset.
    Slow(usize),
}

/// A top-level object the fast path read in full (one per object, moved
/// once: not worth a box).
#[allow(clippy::large_enum_variant)]
pub enum Top<'b> {
    Pod(FastPod<'b>),
    /// A `List`/`PodList`: its items, in order.
    List(Vec<Item<'b>>),
}

/// Reads the object opening at `pos`; `(what it is, index just past it)`,
/// or `None` to leave it to the general path.
pub fn top(b: &[u8], pos: usize) -> Option<(Top<'_>, usize)> {
    let mut c = Cur { b, i: pos };
    let t = object(&mut c, 0)?;
    Some((t, c.i))
}

/// The keys serde's `Any` (mod.rs) names, in its order: a repeated one is a
/// serde error, so the fast path gives up on it. The first seven are
/// docker/podman fields: an object with one is no Pod or List.
const ANY_KEYS: [&[u8]; 36] = [
    b"Id",
    b"Name",
    b"State",
    b"RestartCount",
    b"Config",
    b"ImageName",
    b"IsInfra",
    b"RepoTags",
    b"RepoDigests",
    b"RootFS",
    b"IPAM",
    b"EnableIPv6",
    b"network_interface",
    b"subnets",
    b"dns_enabled",
    b"Mountpoint",
    b"InfraContainerID",
    b"NumContainers",
    b"ExitCode",
    b"StartedAt",
    b"Running",
    b"kind",
    b"apiVersion",
    b"items",
    b"metadata",
    b"spec",
    b"status",
    b"name",
    b"state",
    b"lastState",
    b"waiting",
    b"running",
    b"terminated",
    b"containerStatuses",
    b"initContainerStatuses",
    b"phase",
];
const DOCKER_KEYS: usize = 7;

/// A top-level object or an item: a Pod or a List, else `None`.
fn object<'b>(c: &mut Cur<'b>, depth: usize) -> Option<Top<'b>> {
    if depth > 4 {
        return None;
    }
    let mut kind = Str::default();
    let mut api_version = Str::default();
    let mut pod = Pod::default();
    let mut offsets = Vec::new();
    let mut items = None;
    fields(c, &ANY_KEYS, |c, k| {
        match ANY_KEYS[k] {
            _ if k < DOCKER_KEYS => return None,
            b"kind" => kind = string(c)?,
            b"apiVersion" => api_version = string(c)?,
            b"metadata" => pod.metadata = obj(c, meta)?,
            b"spec" => pod.spec = obj(c, spec)?,
            b"status" => {
                if c.peek()? != b'{' {
                    return None;
                }
                pod.status = Obj(Some(status(c, &mut offsets)?));
            }
            b"items" => items = Some(list_items(c, depth)?),
            _ => c.skip_value(0)?,
        }
        Some(())
    })?;
    match kind.get()? {
        "Pod" if super::core_api(&api_version) => Some(Top::Pod(FastPod { pod, offsets })),
        "List" | "PodList" => Some(Top::List(items.unwrap_or_default())),
        _ => None,
    }
}

/// The elements of `items`: each object read as an item, or checked and
/// left to the general path.
fn list_items<'b>(c: &mut Cur<'b>, depth: usize) -> Option<Vec<Item<'b>>> {
    if c.peek()? != b'[' {
        return None;
    }
    let mut out = Vec::new();
    c.elements(|c| {
        let e = c.i;
        if c.peek()? != b'{' {
            return c.skip_value(0);
        }
        match object(c, depth + 1) {
            Some(Top::Pod(p)) => out.push(Item::Pod(e, p)),
            _ => {
                // Start over on this element: it must be well formed for
                // the list to be.
                c.i = e;
                c.skip_value(0)?;
                out.push(Item::Slow(e));
            }
        }
        Some(())
    })?;
    Some(out)
}

fn meta<'b>(c: &mut Cur<'b>) -> Option<Meta<'b>> {
    let mut m = Meta::default();
    fields(c, &[b"name", b"namespace", b"uid"], |c, k| {
        let s = string(c)?;
        match k {
            0 => m.name = s,
            1 => m.namespace = s,
            _ => m.uid = s,
        }
        Some(())
    })?;
    Some(m)
}

fn spec<'b>(c: &mut Cur<'b>) -> Option<PodSpec<'b>> {
    let mut s = PodSpec::default();
    let names: [&[u8]; 4] = [
        b"nodeName",
        b"initContainers",
        b"containers",
        b"ephemeralContainers",
    ];
    fields(c, &names, |c, k| {
        match k {
            0 => s.node_name = string(c)?,
            1 => s.init_containers = list(c, spec_container, None)?,
            2 => s.containers = list(c, spec_container, None)?,
            _ => s.ephemeral_containers = list(c, spec_container, None)?,
        }
        Some(())
    })?;
    Some(s)
}

fn spec_container<'b>(c: &mut Cur<'b>) -> Option<Obj<SpecContainer<'b>>> {
    obj(c, |c| {
        let mut s = SpecContainer::default();
        fields(c, &[b"name", b"image"], |c, k| {
            let v = string(c)?;
            if k == 0 {
                s.name = v;
            } else {
                s.image = v;
            }
            Some(())
        })?;
        Some(s)
    })
}

/// `status` of a Pod, noting where each status list's elements start. A
/// `state` key (which `Any` reads as text, to tell crictl objects) is left
/// to the general path.
fn status<'b>(
    c: &mut Cur<'b>,
    offsets: &mut Vec<(ContainerType, Vec<usize>)>,
) -> Option<PodStatus<'b>> {
    let mut s = PodStatus::default();
    let names: [&[u8]; 6] = [
        b"phase",
        b"reason",
        b"initContainerStatuses",
        b"containerStatuses",
        b"ephemeralContainerStatuses",
        b"state",
    ];
    fields(c, &names, |c, k| {
        let kind = match k {
            0 => {
                s.phase = string(c)?;
                return Some(());
            }
            1 => {
                s.reason = string(c)?;
                return Some(());
            }
            2 => ContainerType::Init,
            3 => ContainerType::Container,
            4 => ContainerType::Ephemeral,
            _ => return None,
        };
        let mut starts = Vec::new();
        let l = list(c, container_status, Some(&mut starts))?;
        offsets.push((kind, starts));
        match k {
            2 => s.init_container_statuses = l,
            3 => s.container_statuses = l,
            _ => s.ephemeral_container_statuses = l,
        }
        Some(())
    })?;
    Some(s)
}

fn container_status<'b>(c: &mut Cur<'b>) -> Option<Obj<ContainerStatus<'b>>> {
    obj(c, |c| {
        let mut s = ContainerStatus::default();
        let names: [&[u8]; 7] = [
            b"name",
            b"state",
            b"lastState",
            b"ready",
            b"restartCount",
            b"image",
            b"containerID",
        ];
        fields(c, &names, |c, k| {
            match k {
                0 => s.name = string(c)?,
                1 => s.state = obj(c, container_state)?,
                2 => s.last_state = obj(c, container_state)?,
                3 => s.ready = boolean(c)?,
                4 => s.restart_count = int(c)?,
                5 => s.image = string(c)?,
                _ => s.container_id = string(c)?,
            }
            Some(())
        })?;
        Some(s)
    })
}

fn container_state<'b>(c: &mut Cur<'b>) -> Option<ContainerState<'b>> {
    let mut s = ContainerState::default();
    fields(c, &[b"waiting", b"running", b"terminated"], |c, k| {
        match k {
            0 => {
                s.waiting = obj(c, |c| {
                    let mut w = Waiting::default();
                    fields(c, &[b"reason", b"message"], |c, k| {
                        let v = string(c)?;
                        if k == 0 {
                            w.reason = v;
                        } else {
                            w.message = v;
                        }
                        Some(())
                    })?;
                    Some(w)
                })?
            }
            1 => {
                s.running = obj(c, |c| {
                    let mut r = Running::default();
                    fields(c, &[b"startedAt"], |c, _| {
                        r.started_at = string(c)?;
                        Some(())
                    })?;
                    Some(r)
                })?
            }
            _ => s.terminated = obj(c, terminated)?,
        }
        Some(())
    })?;
    Some(s)
}

fn terminated<'b>(c: &mut Cur<'b>) -> Option<Terminated<'b>> {
    let mut t = Terminated::default();
    let names: [&[u8]; 6] = [
        b"exitCode",
        b"signal",
        b"reason",
        b"message",
        b"startedAt",
        b"finishedAt",
    ];
    fields(c, &names, |c, k| {
        match k {
            0 => t.exit_code = int(c)?,
            1 => t.signal = int(c)?,
            2 => t.reason = string(c)?,
            3 => t.message = string(c)?,
            4 => t.started_at = string(c)?,
            _ => t.finished_at = string(c)?,
        }
        Some(())
    })?;
    Some(t)
}

/// The members of the object at the cursor, as a serde-derived struct with
/// fields `names` reads them: `f(cursor, index)` reads a named field's
/// value, the others are skipped. A repeated field, or a key that would
/// need decoding to compare (an escape, a non-ASCII byte), gives `None`.
fn fields<'b>(
    c: &mut Cur<'b>,
    names: &[&[u8]],
    mut f: impl FnMut(&mut Cur<'b>, usize) -> Option<()>,
) -> Option<()> {
    debug_assert!(names.len() <= 64);
    let mut seen = 0u64;
    // Length and first byte before the bytes: most keys are not wanted,
    // and a slice comparison of equal lengths is a `bcmp` call.
    let wanted = |key: &[u8]| {
        names
            .iter()
            .position(|n| n.len() == key.len() && n.first() == key.first() && *n == key)
    };
    c.members(|c, key| match wanted(key) {
        Some(k) => {
            if seen >> k & 1 != 0 {
                return None;
            }
            seen |= 1 << k;
            f(c, k)
        }
        None => c.skip_value(1),
    })
}

/// An `Obj<T>`: an object read by `read`, anything else as serde reads it.
fn obj<'b, T: Deserialize<'b>>(
    c: &mut Cur<'b>,
    read: impl FnOnce(&mut Cur<'b>) -> Option<T>,
) -> Option<Obj<T>> {
    if c.peek()? == b'{' {
        return read(c).map(|t| Obj(Some(t)));
    }
    via_serde(c)
}

/// A `List<T>`: an array whose elements `read` reads (noting their starts
/// in `starts`), anything else as serde reads it.
fn list<'b, T: Deserialize<'b>>(
    c: &mut Cur<'b>,
    mut read: impl FnMut(&mut Cur<'b>) -> Option<T>,
    mut starts: Option<&mut Vec<usize>>,
) -> Option<List<T>> {
    if c.peek()? != b'[' {
        return via_serde(c);
    }
    let mut out = Vec::new();
    c.elements(|c| {
        if let Some(s) = starts.as_deref_mut() {
            s.push(c.i);
        }
        out.push(read(c)?);
        Some(())
    })?;
    Some(List(out))
}

/// A `Str`: a string without escapes borrowed as it is (serde checks the
/// same UTF-8), anything else as serde reads it.
fn string<'b>(c: &mut Cur<'b>) -> Option<Str<'b>> {
    if c.peek()? == b'"' {
        let start = c.i;
        let (end, escaped) = string_end(c.b, start + 1)?;
        if !escaped {
            let s = std::str::from_utf8(&c.b[start + 1..end - 1]).ok()?;
            c.i = end;
            return Some(Str(Some(Cow::Borrowed(s))));
        }
    }
    via_serde(c)
}

/// An `Int`: a plain non-negative integer of up to 18 digits read here,
/// anything else as serde reads it.
fn int(c: &mut Cur<'_>) -> Option<Int> {
    let b = c.b;
    let s = c.i;
    let digits = b[s..].iter().take_while(|d| d.is_ascii_digit()).count();
    let next = b.get(s + digits).copied().unwrap_or(b' ');
    if (1..=18).contains(&digits) && (digits == 1 || b[s] != b'0') && !is_number_byte(next) {
        let n = b[s..s + digits]
            .iter()
            .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
        c.i = s + digits;
        return Some(Int(Some(n)));
    }
    via_serde(c)
}

/// Bytes that would continue a number (or make it invalid).
fn is_number_byte(c: u8) -> bool {
    matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
}

/// A `Bool`: `true`/`false` read here, anything else as serde reads it.
fn boolean(c: &mut Cur<'_>) -> Option<Bool> {
    let rest = &c.b[c.i..];
    for (word, v) in [(&b"true"[..], true), (b"false", false)] {
        if rest.starts_with(word) && !rest.get(word.len()).is_some_and(u8::is_ascii_alphanumeric) {
            c.i += word.len();
            return Some(Bool(Some(v)));
        }
    }
    via_serde(c)
}

/// The value at the cursor checked and skipped, then deserialized from its
/// own bytes: exactly what serde makes of it in place.
fn via_serde<'b, T: Deserialize<'b>>(c: &mut Cur<'b>) -> Option<T> {
    let start = c.i;
    c.skip_value(0)?;
    serde_json::from_slice(&c.b[start..c.i]).ok()
}

/// A position in the input.
pub struct Cur<'b> {
    b: &'b [u8],
    i: usize,
}

impl<'b> Cur<'b> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Past JSON whitespace (the four bytes serde_json accepts).
    #[inline]
    fn ws(&mut self) {
        self.i = skip_ws(self.b, self.i);
    }

    /// The members of the object at the cursor (`{`): `f(cursor, key)` is
    /// called with the cursor on each value and must move it past the
    /// value. Keys are returned raw; one holding a `\` or a non-ASCII byte
    /// gives `None`, as such keys need decoding to compare. On success the
    /// cursor is past the `}`.
    fn members(&mut self, mut f: impl FnMut(&mut Self, &'b [u8]) -> Option<()>) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let ks = self.i + 1;
            let (ke, escaped) = string_end(self.b, ks)?;
            let key = &self.b[ks..ke - 1];
            if escaped || !key.is_ascii() {
                return None;
            }
            self.i = ke;
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.ws();
            f(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of the array at the cursor (`[`): `f` is called with
    /// the cursor on each and must move it past the element.
    fn elements(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            f(self)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Past the value at the cursor, which must be well formed as serde_json
    /// checks a value it ignores. `depth` counts the containers around it.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        let b = self.b;
        match *b.get(self.i)? {
            b'"' => {
                self.i = string_end(b, self.i + 1)?.0;
                Some(())
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    self.i = string_end(b, self.i + 1)?.0;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.ws();
                        }
                        b'}' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.ws();
                        }
                        b']' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => {
                self.i = number_end(b, self.i)?;
                Some(())
            }
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }
}

/// Past the number at `i`, with serde_json's `ignore_integer` grammar:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. What follows is for
/// the caller to judge (a `,` or a closing bracket after whitespace).
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i)? {
        b'0' => {
            i += 1;
            if b.get(i).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
        b'1'..=b'9' => i += digits(i),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    Some(i)
}

/// Past the escape whose letter is at `i` (just after a `\`): the ones
/// serde_json accepts, `\u` with four hex digits (surrogates unchecked, as
/// when serde ignores a string).
fn escape_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 1),
        b'u' => {
            let hex = b.get(i + 1..i + 5)?;
            hex.iter().all(u8::is_ascii_hexdigit).then_some(i + 5)
        }
        _ => None,
    }
}

/// `(index past the closing quote, whether there was an escape)` of the
/// string whose body starts at `i`; `None` for a control byte, a bad
/// escape or the end of the input.
#[inline]
fn string_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        i = string_special(b, i);
        match *b.get(i)? {
            b'"' => return Some((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = escape_end(b, i + 1)?;
            }
            _ => return None,
        }
    }
}

/// The first index at or after `i` holding `"`, `\` or a byte below 0x20,
/// or `b.len()`.
#[inline]
fn string_special(b: &[u8], mut i: usize) -> usize {
    while i + 16 <= b.len() {
        let m = simd::special_mask(&b[i..i + 16]);
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

/// The first index at or after `i` that is not JSON whitespace.
#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    // Most gaps are empty or one space; indentation runs are long.
    match b.get(i) {
        Some(b' ' | b'\n' | b'\t' | b'\r') => i += 1,
        _ => return i,
    }
    match b.get(i) {
        Some(b' ' | b'\n' | b'\t' | b'\r') => i += 1,
        _ => return i,
    }
    while i + 16 <= b.len() {
        let m = simd::not_ws_mask(&b[i..i + 16]);
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\t' | b'\r') {
        i += 1;
    }
    i
}

/// 16-byte masks (bit k for byte k).
mod simd {
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn load(s: &[u8]) -> __m128i {
        assert!(s.len() >= 16);
        // SAFETY: SSE2 is baseline on x86_64; 16 bytes are there (checked).
        unsafe { _mm_loadu_si128(s.as_ptr().cast()) }
    }

    /// Bytes that end or interrupt a string body: `"`, `\`, below 0x20.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn special_mask(s: &[u8]) -> u32 {
        let v = load(s);
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe {
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            let ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), ctl)) as u32
        }
    }

    /// Bytes that are not JSON whitespace.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn not_ws_mask(s: &[u8]) -> u32 {
        let v = load(s);
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe {
            let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
            let ws = _mm_or_si128(
                _mm_or_si128(eq(b' '), eq(b'\n')),
                _mm_or_si128(eq(b'\t'), eq(b'\r')),
            );
            !(_mm_movemask_epi8(ws) as u32) & 0xffff
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn special_mask(s: &[u8]) -> u32 {
        s[..16].iter().enumerate().fold(0, |m, (k, &c)| {
            m | (u32::from(matches!(c, b'"' | b'\\' | 0..=0x1f)) << k)
        })
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn not_ws_mask(s: &[u8]) -> u32 {
        s[..16].iter().enumerate().fold(0, |m, (k, &c)| {
            m | (u32::from(!matches!(c, b' ' | b'\n' | b'\t' | b'\r')) << k)
        })
    }
}
