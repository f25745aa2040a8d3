//! What `docker ps` and `kubectl get pods` tables have in common: one driver
//! that walks the lines of a paste, finds header lines, and hands every line
//! below a header to the row reader of that table's kind.
//!
//! Both CLIs print through Go's `text/tabwriter` with space padding (docker/cli
//! and kubectl: padding 3; podman: padding 2), so every cell of a table starts
//! at the column where its header word starts — counted in runes, not bytes
//! (`…` in a truncated COMMAND is one column). Pastes break that in known ways:
//! `kubectl get -w` rows after the first are not re-aligned to the header,
//! authors elide columns, prompts and logs sit between tables. So a row is read
//! by position only when the positions line up and the cells validate, and by
//! whitespace-separated tokens otherwise (see `grammar/docker-ps.abnf`,
//! `grammar/kubectl-get-pods.abnf`).
//!
//! Whichever listing detection picked, the driver reads tables of both kinds:
//! a paste with a `docker ps` and a `kubectl get pods` loses neither.

use std::borrow::Cow;

pub mod docker_ps;
pub mod kubectl_get;

use super::{Chunk, Diagnostic, Parsed};
use crate::model::Observation;

/// A line of a quoted reply (`> NAME   READY …`, e-mail or GitHub style)
/// without its quote marks, so the table under them lines up again. The
/// marks are replaced by spaces: a quoted table keeps its columns.
pub(crate) fn unquote(text: &str) -> Option<String> {
    let t = text.trim_start_matches(' ');
    if !t.starts_with('>') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let indent = rest.len() - rest.trim_start_matches(' ').len();
        let after = &rest[indent..];
        match after.strip_prefix('>') {
            Some(more) => {
                out.push_str(&" ".repeat(indent + 1));
                rest = more;
            }
            None => break,
        }
    }
    // A prompt `> kubectl get pods` reads the same without its `>`.
    out.push_str(rest);
    Some(out)
}

/// One input line, CR stripped, with its absolute position.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub text: Cow<'a, str>,
    /// 1-based, absolute.
    pub number: u64,
    /// Byte offset of the line's start, absolute.
    pub offset: u64,
    /// False for a last line with no newline: the paste may have been cut there.
    pub terminated: bool,
}

/// The lines of a chunk with absolute numbers and offsets.
pub(crate) fn lines(chunk: Chunk<'_>) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let bytes = chunk.bytes;
    let mut number = chunk.first_line;
    while start < bytes.len() {
        let (end, next, terminated) = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => (start + i, start + i + 1, true),
            None => (bytes.len(), bytes.len(), false),
        };
        let raw = &bytes[start..end];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        out.push(Line {
            text: String::from_utf8_lossy(raw),
            number,
            offset: chunk.first_offset + start as u64,
            terminated,
        });
        number += 1;
        start = next;
    }
    out
}

/// Header names of more than one word; a header is split into words and these
/// pairs are joined again, so a header pasted with single spaces still reads.
const TWO_WORD_NAMES: &[(&str, &str)] = &[
    ("CONTAINER", "ID"),
    ("NOMINATED", "NODE"),
    ("READINESS", "GATES"),
    ("CREATED", "AT"),
    ("POD", "ID"),
    ("LOCAL", "VOLUMES"),
    ("RUNNING", "FOR"),
];

/// One column of a table: its header name and the rune index where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub start: usize,
}

/// The columns of one table, from its header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub columns: Vec<Column>,
}

impl Layout {
    /// Reads the header's words and where each starts.
    pub fn from_header(line: &str) -> Layout {
        let words = words(line);
        let mut columns: Vec<Column> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (start, word) = words[i];
            if let Some(&(next_start, next)) = words.get(i + 1) {
                let joined = TWO_WORD_NAMES.iter().any(|&(a, b)| a == word && b == next)
                    && next_start == start + word.chars().count() + 1;
                if joined {
                    columns.push(Column {
                        name: format!("{word} {next}"),
                        start,
                    });
                    i += 2;
                    continue;
                }
            }
            columns.push(Column {
                name: word.to_string(),
                start,
            });
            i += 1;
        }
        Layout { columns }
    }

    /// The column names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Position of the column named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The row's cells cut at the header's positions, or `None` when the row
    /// does not line up (a cell runs across a column start, or text sits left
    /// of the first column). Cells past the row's end are empty strings.
    pub fn cells_aligned(&self, line: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = line.chars().collect();
        let first = self.columns.first()?.start;
        if chars.iter().take(first).any(|c| !c.is_whitespace()) {
            return None;
        }
        if chars.get(first).is_none_or(|c| c.is_whitespace()) {
            return None;
        }
        for col in &self.columns[1..] {
            if col.start < chars.len() && !chars[col.start - 1].is_whitespace() {
                return None;
            }
        }
        let mut cells = Vec::with_capacity(self.columns.len());
        for (i, col) in self.columns.iter().enumerate() {
            let end = self
                .columns
                .get(i + 1)
                .map_or(chars.len(), |c| c.start.min(chars.len()));
            let start = col.start.min(chars.len());
            let cell: String = chars[start..end.max(start)].iter().collect();
            cells.push(cell.trim().to_string());
        }
        Some(cells)
    }
}

/// The whitespace-separated words of a line with the rune index of each.
pub(crate) fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (rune index, byte index)
    for (runes, (byte, c)) in line.char_indices().enumerate() {
        if c.is_whitespace() {
            if let Some((r, b)) = start.take() {
                out.push((r, &line[b..byte]));
            }
        } else if start.is_none() {
            start = Some((runes, byte));
        }
    }
    if let Some((r, b)) = start {
        out.push((r, &line[b..]));
    }
    out
}

/// True for a header word: capitals, digits and the punctuation kubectl's
/// label columns carry (`-L app.kubernetes.io/name` → `NAME`-like words).
pub(crate) fn header_word(word: &str) -> bool {
    !word.is_empty()
        && word.chars().any(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-_./ ".contains(c))
}

/// A line of header words only, starting with NAME or NAMESPACE: the header
/// of a table that is not one of ours.
fn is_other_header(line: &str) -> bool {
    let layout = Layout::from_header(line);
    let mut names = layout.names();
    matches!(names.next(), Some("NAME" | "NAMESPACE"))
        && layout.columns.len() >= 2
        && layout.names().all(header_word)
}

/// A shell command line that starts a listing or other output, told by the
/// tool name among its words; it ends the table above it. For `kubectl get`
/// lines the namespace named with `-n`/`--namespace` is returned too.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    pub namespace: Option<String>,
}

const TOOLS: &[&str] = &[
    "kubectl", "k", "oc", "docker", "podman", "nerdctl", "crictl", "microk8s", "minikube", "k3s",
];

/// Reads a command line (`$ kubectl -n web get pods`, `[root@h ~]# docker ps`).
pub(crate) fn command(line: &str) -> Option<Command> {
    let ws: Vec<&str> = line.split_whitespace().collect();
    let tool_at = ws
        .iter()
        .position(|w| TOOLS.contains(&w.trim_start_matches(|c: char| !c.is_alphanumeric())))?;
    // A prompt or `sudo` may precede the tool; prose rarely has a tool name
    // followed by one of its verbs.
    let verb = ws
        .get(tool_at + 1..)?
        .iter()
        .find(|w| !w.starts_with('-'))?;
    const VERBS: &[&str] = &[
        "get",
        "ps",
        "container",
        "describe",
        "logs",
        "inspect",
        "apply",
        "create",
        "delete",
        "edit",
        "run",
        "exec",
        "rm",
        "start",
        "stop",
        "kill",
        "restart",
        "images",
        "pod",
        "pods",
        "top",
        "events",
        "rollout",
        "scale",
        "kubectl",
    ];
    if !VERBS.contains(verb) && !ws[tool_at + 1..].contains(&"get") {
        return None;
    }
    let mut cmd = Command::default();
    // In `a -n x && kubectl get pods -n y | grep z` only the (last) get
    // segment names the namespace: `-n` of `edit`/`logs` names nothing below.
    let Some(seg) = ws
        .split(|w| matches!(*w, "&&" | "||" | ";" | "|"))
        .rfind(|seg| seg.contains(&"get"))
    else {
        return Some(cmd);
    };
    let mut i = 0;
    while i < seg.len() {
        let w = seg[i];
        if w == "-A" || w == "--all-namespaces" {
            cmd.namespace = None;
            break;
        }
        if w == "-n" || w == "--namespace" {
            cmd.namespace = seg.get(i + 1).map(|s| s.to_string());
            i += 2;
            continue;
        }
        // `--namespace=x`, `-n=x`, `-nx` (pflag shorthand).
        let glued = w
            .strip_prefix("-n")
            .filter(|r| !r.is_empty() && !r.starts_with('='));
        if let Some(ns) = w
            .strip_prefix("--namespace=")
            .or_else(|| w.strip_prefix("-n="))
            .or(glued)
        {
            cmd.namespace = Some(ns.to_string());
        }
        i += 1;
    }
    cmd.namespace = cmd
        .namespace
        .filter(|ns| !ns.is_empty() && ns.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    Some(cmd)
}

/// What a row reader made of one line below a header.
pub(crate) enum RowOutcome {
    /// Not a row of this table (a log line, a note): skipped.
    NotARow,
    /// A row, with what it has and what was wrong with it.
    Row(Box<Observation>, Vec<Diagnostic>),
    /// The start of a row too short to give anything (a paste cut inside
    /// its first cell): only told.
    Cut(Diagnostic),
}

/// The table being read.
enum Table {
    None,
    Docker(Layout),
    Kubectl(Layout, Option<String>),
}

/// Reads every listing table in a chunk, and rows whose header is not in
/// the paste (recognized by their shape).
pub(crate) fn parse(chunk: Chunk<'_>) -> Parsed {
    let mut w = Walker::new(true);
    for line in lines(chunk) {
        w.line(line);
    }
    w.parsed
}

/// Lines of junk after which a table is over when only tables are read.
const TABLE_GAP: usize = 40;

/// Reads only the tables of a chunk that is mostly something else (a
/// describe terminal log): header lines are found first by a substring
/// search for `STATUS` (every pod or container table header has it, and it
/// is rare elsewhere), and rows are read only below them, so the cost on the
/// rest of the text is the search alone.
pub(crate) fn tables(chunk: Chunk<'_>) -> Parsed {
    let bytes = chunk.bytes;
    let mut w = Walker::new(false);
    let mut line_no = chunk.first_line;
    let mut counted = 0usize;
    let mut done = 0usize;
    for start in header_starts(bytes) {
        if start < done {
            continue;
        }
        line_no += memchr::memchr_iter(b'\n', &bytes[counted..start]).count() as u64;
        counted = start;
        w.table = Table::None;
        w.namespace_hint = command_before(bytes, start);
        let mut pos = start;
        let mut no = line_no;
        w.junk = 0;
        while pos < bytes.len() && w.junk <= TABLE_GAP {
            let (end, next, terminated) = match memchr::memchr(b'\n', &bytes[pos..]) {
                Some(i) => (pos + i, pos + i + 1, true),
                None => (bytes.len(), bytes.len(), false),
            };
            let raw = &bytes[pos..end];
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            w.line(Line {
                text: String::from_utf8_lossy(raw),
                number: no,
                offset: chunk.first_offset + pos as u64,
                terminated,
            });
            // A header found below is read from its own start.
            if pos > start && matches!(w.table, Table::None) {
                break;
            }
            pos = next;
            no += 1;
        }
        done = pos;
    }
    w.parsed
}

/// Starts of the header lines of pod and container tables in `bytes`.
pub(crate) fn header_starts(bytes: &[u8]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for pos in memchr::memmem::find_iter(bytes, b"STATUS") {
        let start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
        if out.last() == Some(&start) {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = &bytes[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if docker_ps::is_header(line) || kubectl_get::is_header(line) {
            out.push(start);
        }
    }
    out
}

/// The namespace of a `kubectl get` command on one of the three lines
/// above `start`.
fn command_before(bytes: &[u8], start: usize) -> Option<String> {
    let mut end = start;
    for _ in 0..3 {
        if end == 0 {
            return None;
        }
        let s = memchr::memrchr(b'\n', &bytes[..end - 1]).map_or(0, |i| i + 1);
        let text = String::from_utf8_lossy(&bytes[s..end - 1]);
        if let Some(cmd) = command(text.trim_end()) {
            return cmd.namespace;
        }
        end = s;
    }
    None
}

/// The line-by-line reader both entry points share.
struct Walker {
    parsed: Parsed,
    table: Table,
    /// Namespace named on the last `kubectl get` command line, for tables
    /// without a NAMESPACE column.
    namespace_hint: Option<String>,
    /// Rows are recognized by shape outside tables too.
    headerless: bool,
    /// Lines since the last row (or header).
    junk: usize,
}

impl Walker {
    fn new(headerless: bool) -> Walker {
        Walker {
            parsed: Parsed::default(),
            table: Table::None,
            namespace_hint: None,
            headerless,
            junk: 0,
        }
    }

    fn line(&mut self, mut line: Line<'_>) {
        if let Some(unquoted) = unquote(&line.text) {
            line.text = Cow::Owned(unquoted);
        }
        // A row commented out, quoted or indented by a TAB among plain
        // ones (`# web-1  0/1  Error ...`) is read again without its mark.
        let Some(bare) = strip_mark(&line.text) else {
            self.read(&line, true);
            return;
        };
        if !self.read(&line, false) {
            line.text = Cow::Owned(bare);
            self.read(&line, true);
        }
    }

    /// Reads one line; true when it was a header or a row. When `last` is
    /// false, a line that is neither changes nothing (it is tried again).
    fn read(&mut self, line: &Line<'_>, last: bool) -> bool {
        let bytes = line.text.as_bytes();
        if docker_ps::is_header(bytes) {
            self.table = Table::Docker(Layout::from_header(&line.text));
            self.junk = 0;
            return true;
        }
        if kubectl_get::is_header(bytes) {
            self.table =
                Table::Kubectl(Layout::from_header(&line.text), self.namespace_hint.clone());
            self.junk = 0;
            return true;
        }
        // Another kind's header (`kubectl get all` prints services and
        // deployments after the pods) ends the table.
        if !matches!(self.table, Table::None) && is_other_header(&line.text) {
            self.table = Table::None;
            return true;
        }
        let outcome = match &self.table {
            Table::Docker(layout) => docker_ps::row(layout, line),
            Table::Kubectl(layout, ns) => kubectl_get::row(layout, line, ns.as_deref()),
            Table::None => RowOutcome::NotARow,
        };
        let outcome = match outcome {
            RowOutcome::NotARow if self.headerless => match docker_ps::headerless_row(line) {
                RowOutcome::NotARow => {
                    kubectl_get::headerless_row(line, self.namespace_hint.as_deref())
                }
                row => row,
            },
            other => other,
        };
        match outcome {
            RowOutcome::Row(obs, diags) => {
                self.junk = 0;
                self.parsed.observations.push(*obs);
                self.parsed.diagnostics.extend(diags);
            }
            RowOutcome::Cut(diag) => self.parsed.diagnostics.push(diag),
            RowOutcome::NotARow => {
                if !last {
                    return false;
                }
                if !line.text.trim().is_empty() {
                    self.junk += 1;
                }
                if let Some(cmd) = command(&line.text) {
                    self.namespace_hint = cmd.namespace;
                    self.table = Table::None;
                }
                return false;
            }
        }
        true
    }
}

/// A line without the marks a person put before it: leading TABs, `#`
/// or `>` marks (repeated, each with the blank after it). `None` when it
/// has none.
fn strip_mark(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches([' ', '\t']);
    let tabbed = text.starts_with('\t');
    let mut marked = false;
    while let Some(r) = rest.strip_prefix(['#', '>']) {
        rest = r.strip_prefix(' ').unwrap_or(r);
        marked = true;
    }
    (marked || tabbed).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_joins_two_word_names() {
        let l = Layout::from_header("CONTAINER ID   IMAGE     COMMAND   NAMES");
        let names: Vec<_> = l.names().collect();
        assert_eq!(names, ["CONTAINER ID", "IMAGE", "COMMAND", "NAMES"]);
        assert_eq!(l.columns[1].start, 15);
    }

    #[test]
    fn cells_counted_in_runes() {
        let l = Layout::from_header("A      B   C");
        let cells = l.cells_aligned("\"x…\"   y   z").unwrap();
        assert_eq!(cells, ["\"x…\"", "y", "z"]);
    }

    #[test]
    fn misaligned_row_is_none() {
        let l = Layout::from_header("NAME   READY   STATUS");
        assert!(l.cells_aligned("longer-name 1/1 Running").is_none());
    }

    #[test]
    fn command_namespace() {
        let c = command("$ kubectl -n web get pods").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("web"));
        let c =
            command("x $ kubectl apply -f a.yaml && kubectl get pods --namespace=ns1 -w").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("ns1"));
        let c = command("$ kubectl get pods -n ns1 | grep api").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("ns1"));
        let c = command("$ k get po -nkube-system").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("kube-system"));
        let c = command("$ kubectl logs x -n a").unwrap();
        assert_eq!(c.namespace, None);
        assert_eq!(command("$ sudo docker ps -a"), Some(Command::default()));
        assert_eq!(command("pod/frontend created"), None);
    }

    #[test]
    fn quoted_lines_keep_their_columns() {
        assert_eq!(unquote("> NAME   READY").as_deref(), Some("  NAME   READY"));
        assert_eq!(unquote("> > a").as_deref(), Some("    a"));
        assert_eq!(unquote("NAME"), None);
        assert_eq!(unquote("ø> kubectl get pods"), None);
    }
}
