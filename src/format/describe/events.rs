//! The `Events:` table (grammar/kubectl-describe.abnf, "events"; facts:
//! input-formats.md §1.8) and which container each event concerns.

use std::sync::LazyLock;

use memchr::memmem;
use nom::bytes::complete::{tag, take_while1};
use nom::{IResult, Parser};

use super::lines::{trim, trim_end};

/// One event row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// `Reason: message`, the form the record carries (built once).
    pub text: String,
    reason_len: usize,
    /// Container named by the SubObjectPath column or the 1.35+ fieldPath prefix.
    pub container: Option<String>,
}

impl Event {
    /// An event from its cells.
    pub fn new(reason: &str, message: &str, container: Option<String>) -> Event {
        let mut text = String::with_capacity(reason.len() + 2 + message.len());
        text.push_str(reason);
        text.push_str(": ");
        text.push_str(message);
        Event {
            text,
            reason_len: reason.len(),
            container,
        }
    }

    pub fn reason(&self) -> &str {
        &self.text[..self.reason_len]
    }

    pub fn message(&self) -> &str {
        &self.text[self.reason_len + 2..]
    }
}

/// The column layout announced by the header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `Type Reason Age From Message` (1.8+); byte column of `Message` in the header line.
    New { message_col: usize },
    /// `FirstSeen LastSeen Count From SubObjectPath [Type] Reason Message` (≤1.7).
    Old { has_type: bool },
}

fn word(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b != b' ' && b != b'\t').parse(input)
}

fn blanks(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b == b' ' || b == b'\t').parse(input)
}

/// `event-header = indent-2 "Type" sep "Reason" sep "Age" sep "From" sep "Message"`
/// `/ indent-2 "FirstSeen" sep "LastSeen" sep "Count" sep "From" sep ("SubObjectPath" / "SubobjectPath") [sep "Type"] sep "Reason" sep "Message"`
pub fn event_header(line: &[u8]) -> IResult<&[u8], Table> {
    let t = super::lines::trim(line);
    if t.starts_with(b"Type") {
        let (rest, _) = (tag("Type"), blanks, tag("Reason")).parse(t)?;
        let Some(at) = memmem::find(line, b"Message") else {
            return Err(nom::Err::Error(nom::error::Error::new(
                rest,
                nom::error::ErrorKind::Tag,
            )));
        };
        return Ok((&[], Table::New { message_col: at }));
    }
    let (rest, _) = (tag("FirstSeen"), blanks, tag("LastSeen")).parse(t)?;
    let has_type = rest
        .split(|&b| b == b' ' || b == b'\t')
        .any(|w| w == b"Type");
    Ok((&[], Table::Old { has_type }))
}

/// `dash-row = indent-2 1*( "-" / %x2500 / sep ) eol` (1.1 drew it with
/// box-drawing characters)
pub fn dash_row(rest: &[u8]) -> bool {
    rest.starts_with(b"---") || rest.starts_with("─".as_bytes())
}

/// `event-type = "Normal" / "Warning"`
pub fn event_type(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, w) = word(input)?;
    if w == b"Normal" || w == b"Warning" {
        Ok((rest, w))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )))
    }
}

/// `event-row = indent-2 event-type sep reason sep age sep from sep message`
///
/// Age (`3m (x4 over 10m)`) and From (`kubelet, node-1`) hold single spaces
/// and From may be empty, so the message starts at the header's `Message`
/// column when the row is aligned with it; rows after a multi-line message
/// are aligned on their own, and then cells are split at runs of two or more
/// spaces (tabwriter padding is 2).
pub fn event_row(line: &[u8], message_col: usize) -> IResult<&[u8], Event> {
    let ind = super::lines::spaces(line);
    let (rest, _) = event_type(&line[ind..])?;
    let (rest, _) = blanks(rest)?;
    let (rest, reason) = word(rest)?;
    let reason_end = line.len() - rest.len();
    let aligned = message_col >= reason_end + 2
        && line.len() > message_col
        && line[message_col - 1] == b' '
        && line[message_col] != b' ';
    let message = if aligned {
        &line[message_col..]
    } else {
        // Skip the Age and From cells.
        let mut cells = Cells { rest };
        let first = cells.next();
        let second = cells.next();
        match (first, second, cells.rest_start()) {
            (_, _, Some(m)) => m,
            (Some(_), Some(m), None) => m,
            (Some(m), None, None) => m,
            _ => &[][..],
        }
    };
    Ok((&[], make_event(reason, message, None)))
}

/// Cells separated by two or more blanks (or any TAB).
struct Cells<'a> {
    rest: &'a [u8],
}

impl<'a> Cells<'a> {
    fn skip_gap(&mut self) {
        let n = self
            .rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        self.rest = &self.rest[n..];
    }

    fn next(&mut self) -> Option<&'a [u8]> {
        self.skip_gap();
        if self.rest.is_empty() {
            return None;
        }
        let mut i = 0;
        while i < self.rest.len() {
            let b = self.rest[i];
            if b == b'\t' || (b == b' ' && self.rest.get(i + 1) == Some(&b' ')) {
                break;
            }
            i += 1;
        }
        let cell = &self.rest[..i];
        self.rest = &self.rest[i..];
        Some(cell)
    }

    /// The remaining text after the gap, if any.
    fn rest_start(&mut self) -> Option<&'a [u8]> {
        self.skip_gap();
        (!self.rest.is_empty()).then_some(self.rest)
    }
}

/// `old-event-row = indent-2 age sep age sep count sep from [sep subobject-path] [sep event-type] sep reason sep message`
///
/// TAB-aligned (≤1.7): empty cells vanish in the padding, so the row is
/// anchored on the Type word (`Normal`/`Warning`) when the table has one.
pub fn old_event_row(line: &[u8], has_type: bool) -> IResult<&[u8], Event> {
    let err = || nom::Err::Error(nom::error::Error::new(line, nom::error::ErrorKind::Verify));
    let mut cells = Cells {
        rest: trim_end(line),
    };
    let mut seen: [&[u8]; 8] = [&[]; 8];
    let mut n = 0;
    let (path, reason);
    loop {
        let Some(cell) = cells.next() else {
            return Err(err());
        };
        if n < seen.len() {
            seen[n] = cell;
        }
        n += 1;
        if has_type {
            if n >= 4 && (cell == b"Normal" || cell == b"Warning") {
                path = if n >= 6 { Some(seen[n - 2]) } else { None };
                reason = cells.next().ok_or_else(err)?;
                break;
            }
            if n >= seen.len() {
                return Err(err());
            }
        } else if n == 4 {
            let next = cells.next().ok_or_else(err)?;
            if subobject_path(next).is_ok() {
                path = Some(next);
                reason = cells.next().ok_or_else(err)?;
            } else {
                path = None;
                reason = next;
            }
            break;
        }
    }
    let message = cells.rest_start().unwrap_or(&[]);
    Ok((&[], make_event(reason, message, path)))
}

/// `subobject-path = ("spec.containers" / "spec.initContainers" / "spec.ephemeralContainers") "{" dns-label "}"`
pub fn subobject_path(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, _) = nom::branch::alt((
        tag("spec.containers{"),
        tag("spec.initContainers{"),
        tag("spec.ephemeralContainers{"),
    ))
    .parse(input)?;
    let (rest, name) = super::lines::dns_label(rest)?;
    let (rest, _) = tag("}").parse(rest)?;
    Ok((rest, name))
}

/// `field-path-prefix = subobject-path ": "` (1.35+ messages)
pub fn field_path_prefix(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, name) = subobject_path(input)?;
    let (rest, _) = tag(": ").parse(rest)?;
    Ok((rest, name))
}

fn make_event(reason: &[u8], message: &[u8], path: Option<&[u8]>) -> Event {
    let mut message = trim(message);
    let mut container = path.and_then(|p| subobject_path(p).ok()).map(|(_, n)| n);
    if let Ok((rest, name)) = field_path_prefix(message) {
        container = Some(name);
        message = rest;
    }
    Event::new(
        &super::lines::lossy(reason),
        &super::lines::lossy(message),
        container.map(super::lines::text),
    )
}

/// Pod-level events that concern every container of the pod.
const POD_LEVEL: &[&str] = &[
    "Evicted",
    "OOMKilling",
    "SystemOOM",
    "Preempting",
    "Preempted",
    "NodeNotReady",
    "NodeLost",
    "NodeShutdown",
    "Shutdown",
    "TaintManagerEviction",
    "DeadlineExceeded",
    "ExceededGracePeriod",
    "FailedKillPod",
];

/// What an event says about the containers of its pod.
pub struct Target<'a> {
    pub names: &'a [Option<&'a str>],
    pub images: &'a [Option<&'a str>],
    /// Probe kinds per container: bit 0 liveness, 1 readiness, 2 startup.
    pub probes: &'a [u8],
}

/// Indexes of the containers `event` concerns.
pub fn targets(event: &Event, t: &Target<'_>, out: &mut Vec<usize>) {
    out.clear();
    let n = t.names.len();
    if let Some(c) = &event.container {
        out.extend((0..n).filter(|&i| t.names[i] == Some(c.as_str())));
        return;
    }
    if POD_LEVEL.contains(&event.reason()) {
        out.extend(0..n);
        return;
    }
    let msg = event.message().as_bytes();
    if let Some(i) = named_container(msg, t.names) {
        out.push(i);
        return;
    }
    if let Some(image) = quoted_image(msg) {
        out.extend((0..n).filter(|&i| t.images[i].map(str::as_bytes) == Some(image)));
        if !out.is_empty() {
            return;
        }
    }
    let probe = if msg.starts_with(b"Liveness probe") {
        1
    } else if msg.starts_with(b"Readiness probe") {
        2
    } else if msg.starts_with(b"Startup probe") {
        4
    } else {
        0
    };
    if probe != 0 {
        let with: Vec<usize> = (0..n).filter(|&i| t.probes[i] & probe != 0).collect();
        if with.len() == 1 {
            out.extend(with);
            return;
        }
    }
    if n == 1 {
        out.push(0);
    }
}

/// The container a message names: `container app`, `container: app`,
/// `container=app`, `container "app"`.
fn named_container(msg: &[u8], names: &[Option<&str>]) -> Option<usize> {
    // Built once: a searcher per event cost more than the search.
    static ONTAINER: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"ontainer"));
    for at in ONTAINER.find_iter(msg) {
        if at == 0 || !matches!(msg[at - 1], b'c' | b'C') {
            continue;
        }
        let mut rest = &msg[at + 8..];
        let skip = rest
            .iter()
            .take(3)
            .take_while(|&&b| matches!(b, b' ' | b':' | b'=' | b'"' | b'\''))
            .count();
        if skip == 0 {
            continue;
        }
        rest = &rest[skip..];
        let len = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
            .count();
        let mut token = &rest[..len];
        // A sentence may end right after the name.
        while token.ends_with(b".") {
            token = &token[..token.len() - 1];
        }
        if let Some(i) = names
            .iter()
            .position(|n| n.map(str::as_bytes) == Some(token))
        {
            return Some(i);
        }
    }
    None
}

/// The text between `image "` and the next quote.
fn quoted_image(msg: &[u8]) -> Option<&[u8]> {
    static IMAGE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"image \""));
    let at = IMAGE.find(msg)? + IMAGE.needle().len();
    let len = memchr::memchr(b'"', &msg[at..])?;
    Some(&msg[at..at + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_header_new_and_old() {
        let h = b"  Type     Reason   Age   From     Message";
        assert_eq!(
            event_header(h),
            Ok((&b""[..], Table::New { message_col: 35 }))
        );
        let h = b"  FirstSeen\tLastSeen\tCount\tFrom\tSubObjectPath\tType\tReason\tMessage";
        assert_eq!(
            event_header(h),
            Ok((&b""[..], Table::Old { has_type: true }))
        );
        assert!(event_header(b"  ----  ------").is_err());
    }

    #[test]
    fn event_type_words() {
        assert_eq!(
            event_type(b"Warning  x"),
            Ok((&b"  x"[..], &b"Warning"[..]))
        );
        assert!(event_type(b"Weird x").is_err());
    }

    #[test]
    fn event_row_aligned() {
        let h = b"  Type     Reason   Age                 From     Message";
        let Table::New { message_col } = event_header(h).unwrap().1 else {
            panic!()
        };
        let r = b"  Warning  BackOff  2m (x10 over 9m)  kubelet  Back-off restarting failed container app in pod x";
        let (rest, e) = event_row(r, message_col).unwrap();
        assert_eq!(rest, b"");
        assert_eq!(e.reason(), "BackOff");
        assert_eq!(
            e.message(),
            "Back-off restarting failed container app in pod x"
        );
    }

    #[test]
    fn event_row_unaligned_and_prefixed() {
        let r = b"  Normal  Killing  5s  kubelet  spec.containers{web}: Stopping container web";
        let (_, e) = event_row(r, 60).unwrap();
        assert_eq!(e.text, "Killing: Stopping container web");
        assert_eq!(e.container.as_deref(), Some("web"));
    }

    #[test]
    fn old_event_row_with_path() {
        let r = b"  1m\t\t1m\t\t1\t{kubelet n1}\tspec.containers{db}\tWarning\t\tUnhealthy\tLiveness probe failed: x";
        let (_, e) = old_event_row(r, true).unwrap();
        assert_eq!(e.text, "Unhealthy: Liveness probe failed: x");
        assert_eq!(e.container.as_deref(), Some("db"));
        let r = b"  1m\t\t1m\t\t1\t{default-scheduler }\t\t\tNormal\t\tScheduled\tSuccessfully assigned p to n1";
        let (_, e) = old_event_row(r, true).unwrap();
        assert_eq!((e.reason(), e.container.as_deref()), ("Scheduled", None));
    }

    #[test]
    fn old_event_row_without_type() {
        let r = b"  1m\t1m\t2\t{kubelet n1}\tspec.containers{db}\tfailed\tFailed to pull image";
        let (_, e) = old_event_row(r, false).unwrap();
        assert_eq!(e.reason(), "failed");
        assert_eq!(e.container.as_deref(), Some("db"));
    }

    #[test]
    fn subobject_path_and_prefix() {
        assert_eq!(
            subobject_path(b"spec.initContainers{init-db}"),
            Ok((&b""[..], &b"init-db"[..]))
        );
        assert_eq!(
            field_path_prefix(b"spec.containers{a}: Pulled"),
            Ok((&b"Pulled"[..], &b"a"[..]))
        );
    }

    #[test]
    fn targets_by_name_probe_and_pod_level() {
        let names = [Some("app"), Some("side")];
        let images = [Some("a:1"), Some("b:1")];
        let probes = [1u8, 2u8];
        let t = Target {
            names: &names,
            images: &images,
            probes: &probes,
        };
        let mut out = Vec::new();
        let ev = |r: &str, m: &str| Event::new(r, m, None);
        targets(
            &ev("Killing", "Container side failed liveness probe"),
            &t,
            &mut out,
        );
        assert_eq!(out, [1]);
        targets(&ev("Unhealthy", "Liveness probe failed: 500"), &t, &mut out);
        assert_eq!(out, [0]);
        targets(
            &ev("Evicted", "The node was low on resource: memory."),
            &t,
            &mut out,
        );
        assert_eq!(out, [0, 1]);
        targets(&ev("Pulling", "Pulling image \"b:1\""), &t, &mut out);
        assert_eq!(out, [1]);
        targets(
            &ev("Scheduled", "Successfully assigned x to n"),
            &t,
            &mut out,
        );
        assert!(out.is_empty());
        targets(&ev("Created", "Created container: app"), &t, &mut out);
        assert_eq!(out, [0]);
    }
}
