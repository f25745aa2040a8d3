//! Recognizes an input's format from its first bytes, never from its name,
//! so `cat anything | exitparse` works. Pasted dumps come with shell prompts,
//! command lines and notes around them, so detection looks for each format's
//! marker lines anywhere in the head of the input rather than at byte 0.

use super::Parser;

/// How much of an input detection looks at.
pub const HEAD_LEN: usize = 64 * 1024;

/// The verdict on one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// A dump the named parser reads.
    Dump(Parser),
    /// Not a container-state dump; the reason says what it looked like.
    NotADump(String),
    /// Nothing but white space (an empty `kubectl … |` pipe): nothing to
    /// read, which is not an error.
    Empty,
}

/// Detects the format of an input from (at most) its first [`HEAD_LEN`] bytes.
pub fn detect(input: &[u8]) -> Detection {
    let head = &input[..input.len().min(HEAD_LEN)];
    if input.len() <= HEAD_LEN && head.iter().all(u8::is_ascii_whitespace) {
        return Detection::Empty;
    }
    if let Some(why) = binary(head) {
        return Detection::NotADump(why);
    }
    let mut marks = Marks::default();
    let mut block = BlockScalar::default();
    for raw in head.split(|&b| b == b'\n').take(4000) {
        let line = trim_cr(raw);
        // JSON held in a YAML block scalar (OpenShift's
        // `k8s.v1.cni.cncf.io/network-status: |-` annotation) is YAML.
        let in_block = block.holds(line);
        marks.describe += describe_marker(line) as u32;
        marks.docker_ps |= super::docker_ps::is_header(line);
        marks.kubectl_get |= super::kubectl_get::is_header(line);
        marks.json |= !in_block && (json_marker(line) || compact_object(raw));
        marks.yaml |= yaml_marker(line);
        if !in_block {
            block.opened_by(line);
        }
    }
    let parser = if marks.describe >= 2 {
        Parser::Describe
    } else if marks.docker_ps {
        Parser::DockerPs
    } else if marks.kubectl_get {
        Parser::KubectlGetPods
    } else if marks.json {
        Parser::Json
    } else if marks.yaml {
        Parser::Yaml
    } else if marks.describe == 1 {
        Parser::Describe
    } else if head
        .split(|&b| b == b'\n')
        .any(|l| super::kubectl_get::is_headerless_row(trim_cr(l)))
    {
        Parser::KubectlGetPods
    } else {
        return Detection::NotADump(describe_unknown(head));
    };
    Detection::Dump(parser)
}

/// The YAML block scalar (`key: |`, `key: >-` …) the scan is in: its
/// content is every following line indented deeper than the key, blank
/// lines included.
#[derive(Default)]
struct BlockScalar {
    key_column: Option<usize>,
}

impl BlockScalar {
    /// Whether `line` is content of the open block scalar (which ends at
    /// the first line that is not).
    fn holds(&mut self, line: &[u8]) -> bool {
        let Some(column) = self.key_column else {
            return false;
        };
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        if indent > column || line.iter().all(u8::is_ascii_whitespace) {
            return true;
        }
        self.key_column = None;
        false
    }

    /// Opens a block scalar when `line` is `KEY: |` or `KEY: >` with
    /// optional chomping and indentation indicators, in a mapping or a
    /// sequence item (`- KEY: |`).
    fn opened_by(&mut self, line: &[u8]) {
        let end = line.len()
            - line
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let line = &line[..end];
        let Some(colon) = memchr::memmem::rfind(line, b": ") else {
            return;
        };
        let indicator = &line[colon + 2..];
        let is_indicator = matches!(indicator.first(), Some(b'|' | b'>'))
            && indicator.len() <= 3
            && indicator[1..]
                .iter()
                .all(|b| matches!(b, b'-' | b'+' | b'1'..=b'9'));
        if !is_indicator {
            return;
        }
        let mut column = line.iter().take_while(|&&b| b == b' ').count();
        while line[column..].starts_with(b"- ") {
            column += 2 + line[column + 2..]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
        }
        self.key_column = Some(column);
    }
}

/// Share of binary bytes (out of 1024) above which a head is binary data.
/// Text dumps hold none, save a stray NUL or escape left by a terminal
/// capture; compressed or executable data holds them by the dozen per KiB.
const BINARY_PER_KIB: usize = 10;

/// Bytes that text never holds: C0 controls other than tab, line feed,
/// vertical tab, form feed, carriage return and escape (colour codes).
fn is_binary_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1b)) || b == 0x7f
}

/// Why `head` is binary data, when its share of binary bytes says so. One
/// NUL in a long dump (a capture glitch) does not make it binary; UTF-16
/// without a BOM, an image or a compressed file does.
pub fn binary(head: &[u8]) -> Option<String> {
    // A run of NULs at the end is a hole (a sparse or preallocated file, a
    // crash before the rest was written), not content.
    let end = head.iter().rposition(|&b| b != 0).map_or(0, |k| k + 1);
    if end == 0 && !head.is_empty() {
        return Some(format!(
            "binary data (the first {} bytes are all NUL)",
            head.len()
        ));
    }
    let head = &head[..end];
    let count = head.iter().filter(|&&b| is_binary_byte(b)).count();
    if count == 0 || count * 1024 <= head.len() * BINARY_PER_KIB {
        return None;
    }
    let first = head.iter().position(|&b| is_binary_byte(b)).unwrap_or(0);
    Some(format!(
        "binary data ({count} control bytes in the first {} bytes, the first at offset {first})",
        head.len()
    ))
}

/// True when `input`'s head holds nothing but white space.
pub fn blank(input: &[u8]) -> bool {
    input.len() <= HEAD_LEN && input.iter().all(u8::is_ascii_whitespace)
}

#[derive(Default)]
struct Marks {
    describe: u32,
    docker_ps: bool,
    kubectl_get: bool,
    json: bool,
    yaml: bool,
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn trim_start(line: &[u8]) -> &[u8] {
    let n = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &line[n..]
}

/// Labels that only kubectl describe prints (capitalized, unquoted).
const DESCRIBE_LABELS: &[&[u8]] = &[
    b"Name:",
    b"Namespace:",
    b"Containers:",
    b"Init Containers:",
    b"State:",
    b"Last State:",
    b"Exit Code:",
    b"Restart Count:",
    b"Container ID:",
];

fn describe_marker(line: &[u8]) -> bool {
    let mut t = trim_start(line);
    // A colourizer (kubecolor) or a coloured paste puts SGR codes before keys.
    while let Some(rest) = t.strip_prefix(b"\x1b[") {
        let n = rest
            .iter()
            .take_while(|b| !(0x40..=0x7e).contains(*b))
            .count();
        t = rest.get(n + 1..).unwrap_or_default();
    }
    DESCRIBE_LABELS.iter().any(|label| t.starts_with(label))
}

/// Quoted keys that only container-state JSON puts at the start of a line.
const JSON_KEYS: &[&[u8]] = &[
    b"\"State\"",
    b"\"status\"",
    b"\"containerStatuses\"",
    b"\"initContainerStatuses\"",
    b"\"kind\"",
    b"\"apiVersion\"",
    b"\"Id\"",
    b"\"ExitCode\"",
    b"\"OOMKilled\"",
    b"\"lastState\"",
    b"\"restartCount\"",
    b"\"containerID\"",
    b"\"exitCode\"",
    b"\"waiting\"",
    b"\"terminated\"",
    b"\"Status\"",
];

/// A line that opens JSON (`{`/`[` alone, or `{"`/`[{`) or holds a quoted
/// key of a dump. Objects pasted with a prompt or after `jq` still have
/// such lines.
fn json_marker(line: &[u8]) -> bool {
    let t = trim_start(line);
    let t = t.strip_suffix(b"\r").unwrap_or(t);
    let trimmed = {
        let n = t
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        &t[..t.len() - n]
    };
    // `{"apiVersion"…`/`{"kind"…` also open the last-applied-configuration
    // annotation inside Pod YAML, so a compact object needs another key.
    let compact = t.strip_prefix(b"{").is_some_and(|rest| {
        JSON_KEYS
            .iter()
            .filter(|k| !k.starts_with(b"\"apiVersion") && !k.starts_with(b"\"kind"))
            .any(|k| rest.starts_with(k))
    });
    matches!(trimmed, b"{" | b"[" | b"[{")
        || compact
        || t.starts_with(b"[{\"")
        || JSON_KEYS.iter().any(|k| t.starts_with(k))
}

/// A compact object of a dump at column 0: `jq -c` or an API client's
/// `{"apiVersion":"v1","kind":"Pod",…}` or `{"kind":"PodList",…}`. The
/// same text inside Pod YAML (the last-applied-configuration annotation)
/// is always indented, so it never starts a line.
fn compact_object(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"{") else {
        return false;
    };
    let rest = trim_start(rest);
    rest.starts_with(b"\"apiVersion\"") || rest.starts_with(b"\"kind\"")
}

/// Column-0 keys of a Pod document (or of its `status:` cut) and the keys
/// of a container status entry.
fn yaml_marker(line: &[u8]) -> bool {
    let t = trim_start(line);
    line.starts_with(b"apiVersion:")
        || line.starts_with(b"kind:")
        || line.starts_with(b"status:")
        || line.starts_with(b"items:")
        || line.starts_with(b"- apiVersion:")
        || t.starts_with(b"containerStatuses:")
        || t.starts_with(b"initContainerStatuses:")
        || t.starts_with(b"lastState:")
        || t.starts_with(b"- containerID:")
        // Fragments at any level: a bare `state:` or `terminated:` block.
        || t.starts_with(b"state:")
        || t.starts_with(b"terminated:")
        || t.starts_with(b"exitCode:")
}

/// A short description of an input that is not a dump, for `--verbose`.
fn describe_unknown(head: &[u8]) -> String {
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return "only white space in the first 64 KiB".to_string();
    }
    if let Some((line, marker)) = super::first_marker(head, 1) {
        return format!(
            "no container-state dump found, though line {line} shows {:?}: no describe, inspect, pod JSON/YAML or listing around it",
            marker.trim_matches('"')
        );
    }
    "no container-state dump found (no describe, inspect, pod JSON/YAML or listing markers)"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OpenShift pods carry their network status as JSON in a block
    /// scalar; the YAML around it decides.
    #[test]
    fn json_in_a_yaml_block_scalar_is_yaml() {
        let yaml = b"apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      k8s.v1.cni.cncf.io/network-status: |-\n        [{\n            \"name\": \"openshift-sdn\",\n\n            \"default\": true\n        }]\n    name: web\n  status:\n    containerStatuses:\n    - name: web\n";
        assert_eq!(detect(yaml), Detection::Dump(Parser::Yaml));
        // The same JSON at the top level is JSON.
        assert_eq!(
            detect(b"[{\n    \"Id\": \"abc\",\n    \"State\": {}\n}]\n"),
            Detection::Dump(Parser::Json)
        );
    }

    #[test]
    fn a_block_scalar_ends_at_a_line_no_deeper_than_its_key() {
        let mut b = BlockScalar::default();
        b.opened_by(b"- name: x");
        assert!(!b.holds(b"  [{"));
        b.opened_by(b"- script: >-");
        assert!(b.holds(b"    [{"), "deeper than the key at column 2");
        assert!(b.holds(b""));
        assert!(!b.holds(b"  image: x"), "a sibling key ends it");
        assert!(!b.holds(b"    [{"));
        b.opened_by(b"  message: |2+ ");
        assert!(b.holds(b"   x"));
        b = BlockScalar::default();
        b.opened_by(b"  note: a | b");
        assert!(!b.holds(b"    [{"), "a pipe inside a value opens nothing");
    }
}
