//! `kubectl describe pod(s)` text (`source.format` `kubectl-describe`).
//!
//! The grammar is `grammar/kubectl-describe.abnf`; the facts behind it are
//! `spec/input-formats.md` §1. One pass over the lines with a small state
//! machine: the last level-0 section (`Containers:`, `Events:` …), the last
//! level-2 header inside a container (so an env var named `Reason` is not a
//! state detail), and whether a multi-line value is being continued (a
//! termination message whose later lines sit at column 0). Indentation is
//! taken loosely, labels and context decide: a paste indented as a whole
//! (from its `Name:` or `Containers:` line) is shifted back, fields that lost
//! a level or gained some are still placed, and a column-0 `State:` or
//! container name is read as the container line it was.
//!
//! Lines that are not describe fields are skipped: prompts, commands and
//! notes around pastes are normal. A cut-off pod is an error at a line, and
//! what was read is still returned.
//!
//! ```
//! use exitparse::format::{Chunk, describe};
//! let text = b"Name:  web\nNamespace:  shop\nContainers:\n  app:\n    State:  Running\n";
//! let parsed = describe::parse(Chunk::whole(text));
//! assert_eq!(parsed.observations[0].container.as_deref(), Some("app"));
//! ```

mod container;
mod events;
mod lines;
mod pod;
mod state;

use std::sync::LazyLock;

use memchr::{memchr, memmem};

use self::container::{Container, ContainerKey, container_key};
use self::events::{Table, event_header, event_row, old_event_row};
use self::lines::{Field, container_name, field, opt_text, spaces, strip_ansi, trim, trim_end};
use self::pod::{Pod, PodLabel, node_value, phase_value, pod_label};
use self::state::{Detail, apply_detail, detail_key, integer, state_word};
use super::{Chunk, Diagnostic, Parsed};
use crate::model::{ContainerType, SourceFormat, State, Status};

/// Kubelet caps a termination message at 4096 bytes; 1.26+ escaping can
/// double it. Past this a "continuation" is not a message any more.
const MESSAGE_CAP: usize = 16 * 1024;
/// Events kept per pod and per container.
const MAX_EVENTS: usize = 1000;
const MAX_CONTAINER_EVENTS: usize = 200;

/// `parse = *( name-line / pod-line / container-name / container-line / state-detail / events-line / junk-line )`
///
/// Parses one chunk of describe text into one observation per container.
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    let mut d = Driver::new(chunk);
    d.run();
    d.out
}

/// Offsets of level-0 `Name:` lines that start a pod: after a blank line and
/// followed by `Namespace:` (so a `Name:` inside a message is not taken),
/// at least `min_piece` bytes apart.
pub fn boundaries(bytes: &[u8], min_piece: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut last = 0usize;
    let finder = memmem::Finder::new(b"\nName:");
    // Candidates closer than `min_piece` to the last cut are never taken, so
    // the search jumps past them: with pieces of megabytes this reads a few
    // kilobytes per cut instead of the whole text.
    let mut from = min_piece.max(1) - 1;
    while let Some(found) = bytes.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + found;
        from = at + 1;
        let start = at + 1;
        if start < last + min_piece.max(1) || start >= bytes.len() {
            continue;
        }
        let before = &bytes[..at];
        let after_blank = (before.ends_with(b"\n") || before.ends_with(b"\n\r"))
            && pod::name_line(&bytes[start..]).is_ok();
        let next = next_line_at(bytes, start);
        if after_blank && next.is_some_and(|l| l.starts_with(b"Namespace:")) {
            cuts.push(start);
            last = start;
            from = from.max((last + min_piece.max(1)).saturating_sub(1));
        }
    }
    cuts
}

/// The line after the one starting at `start`.
fn next_line_at(bytes: &[u8], start: usize) -> Option<&[u8]> {
    let end = memchr(b'\n', &bytes[start..])? + start + 1;
    let rest = &bytes[end..];
    let len = memchr(b'\n', rest).unwrap_or(rest.len());
    Some(&rest[..len])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Nothing yet (a fragment) or after junk.
    None,
    Header,
    Init,
    Containers,
    Ephemeral,
    /// A pod template (`  Containers:` of a deployment): not a pod.
    Template,
    Trailer,
    Events,
}

impl Section {
    fn has_containers(self) -> bool {
        matches!(
            self,
            Section::Init | Section::Containers | Section::Ephemeral
        )
    }
}

/// The last level-2 header inside the current container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    None,
    /// 0: `State:`, 1: `Last State:`.
    State(usize),
    Other,
}

/// A multi-line value being continued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cont {
    None,
    StateMessage(usize),
    PodMessage,
    EventMessage,
}

struct Driver<'a> {
    bytes: &'a [u8],
    first_offset: u64,
    first_line: u64,
    out: Parsed,
    pod: Pod,
    cur: Option<Container>,
    section: Section,
    sub: Sub,
    cont: Cont,
    cont_len: usize,
    /// Indent of the pod's `Name:` line when a whole paste is shifted right.
    base: usize,
    table: Option<Table>,
    hint_pod: Option<String>,
    hint_ns: Option<String>,
    /// Offset of the next ESC byte at or after the current line (`usize::MAX`: none).
    next_esc: usize,
    scratch: Vec<u8>,
    /// The previous line was blank.
    prev_blank: bool,
    /// Indent of level-2 container fields when a fragment is pasted deeper.
    field_indent: Option<usize>,
    /// Indent (relative to `base`) of the line being read.
    indent: usize,
    /// The current termination message began on a column-0 `Message:` line.
    message_flat: bool,
}

impl<'a> Driver<'a> {
    fn new(chunk: Chunk<'a>) -> Driver<'a> {
        Driver {
            bytes: chunk.bytes,
            first_offset: chunk.first_offset,
            first_line: chunk.first_line,
            out: Parsed::default(),
            pod: Pod::default(),
            cur: None,
            section: Section::None,
            sub: Sub::None,
            cont: Cont::None,
            cont_len: 0,
            base: 0,
            table: None,
            hint_pod: None,
            hint_ns: None,
            next_esc: memchr(0x1b, chunk.bytes).unwrap_or(usize::MAX),
            scratch: Vec::new(),
            prev_blank: false,
            field_indent: None,
            indent: 0,
            message_flat: false,
        }
    }

    fn run(&mut self) {
        let bytes = self.bytes;
        let mut pos = if bytes.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        let mut no = self.first_line;
        let mut newlines = lines::Newlines::new(bytes, pos);
        while pos < bytes.len() {
            let end = newlines.next().unwrap_or(bytes.len());
            let line = lines::eol(&bytes[pos..end]);
            let next = (end + 1).min(bytes.len());
            if self.next_esc < pos {
                self.next_esc = memchr(0x1b, &bytes[pos..]).map_or(usize::MAX, |i| pos + i);
            }
            if self.next_esc < end {
                let mut scratch = std::mem::take(&mut self.scratch);
                strip_ansi(line, &mut scratch);
                self.line(&scratch, no, pos, next);
                self.scratch = scratch;
            } else {
                self.line(line, no, pos, next);
            }
            self.prev_blank = line.iter().all(|&b| b == b' ' || b == b'\t');
            pos = end + 1;
            no += 1;
        }
        self.end_pod(true);
    }

    fn error(&mut self, line: u64, message: String) {
        self.out.diagnostics.push(Diagnostic::error(line, message));
    }

    /// The next non-blank line starting at byte `from` (a few lines ahead at most).
    fn peek(&self, from: usize) -> Option<&'a [u8]> {
        let mut pos = from;
        for _ in 0..4 {
            if pos >= self.bytes.len() {
                return None;
            }
            let rest = &self.bytes[pos..];
            let len = memchr(b'\n', rest).unwrap_or(rest.len());
            let line = trim_end(rest[..len].strip_suffix(b"\r").unwrap_or(&rest[..len]));
            if !line.is_empty() {
                return Some(line);
            }
            pos += len + 1;
        }
        None
    }

    /// Is the next line a container field at level 2?
    fn next_is_container_field(&self, from: usize) -> bool {
        self.peek(from).is_some_and(|l| {
            spaces(l).saturating_sub(self.base) == 4
                && field(l).is_some_and(|f| container_key(f.key).is_some())
        })
    }

    /// Is the next line a container field at column 0 (a flattened paste)?
    fn next_is_flat_container_field(&self, from: usize) -> bool {
        self.peek(from).is_some_and(|l| {
            spaces(l) == self.base && field(l).is_some_and(|f| container_key(f.key).is_some())
        })
    }

    /// Is the next line `Namespace:` at `indent`?
    fn next_is_namespace(&self, from: usize, indent: usize) -> bool {
        self.peek(from)
            .is_some_and(|l| spaces(l) == indent && l[indent..].starts_with(b"Namespace:"))
    }

    fn line(&mut self, line: &[u8], no: u64, pos: usize, next: usize) {
        match self.cont {
            Cont::StateMessage(w) => {
                if self.ends_state_message(line, next) {
                    self.close_message(w);
                } else {
                    self.message_continuation(w, line);
                    return;
                }
            }
            Cont::PodMessage => {
                let ends =
                    spaces(line) == 0 && field(line).is_some_and(|f| pod_label(f.key).is_some());
                self.cont_len += line.len() + 1;
                if ends || self.cont_len > MESSAGE_CAP {
                    self.cont = Cont::None;
                }
                if !ends {
                    return;
                }
            }
            Cont::EventMessage | Cont::None => {}
        }
        let raw = spaces(line);
        let rest = &line[raw..];
        let Some(&first) = rest.first() else {
            if self.cont == Cont::EventMessage {
                self.cont = Cont::None;
            }
            return;
        };
        if first == b'\t' {
            // An empty first cell: a continuation line of a TAB-era value.
            return;
        }
        // Re-basing is tried only for lines that can start a pod or a
        // section (first byte `N`, `C`, `I`, `E`): most indented lines
        // are not.
        let rebase = raw > 0 && raw != self.base && matches!(first, b'N' | b'C' | b'I' | b'E');
        if rebase && rest.starts_with(b"Name:") && self.next_is_namespace(next, raw) {
            // The whole paste is indented (a quoted or code-indented block).
            if let Some(f) = field(line) {
                self.start_pod(f.value, no, raw);
                return;
            }
        }
        if rebase
            && (rest.starts_with(b"Containers:")
                || rest.starts_with(b"Init Containers:")
                || rest.starts_with(b"Ephemeral Containers:"))
            && self
                .peek(next)
                .is_some_and(|l| spaces(l) == raw + 2 && container_name(l).is_ok())
        {
            // A fragment indented as a whole (a Markdown code block): the
            // section header with its first container name two spaces deeper.
            // (Pod templates put names three spaces deeper.)
            self.base = raw;
        }
        let ind = raw.saturating_sub(self.base);
        self.indent = ind;
        if self.section == Section::Events && self.events_line(line, rest, ind) {
            return;
        }
        match ind {
            0 => self.level0(line, no, pos, next),
            1..=3 => self.level1(line, ind, no, pos, next),
            4 | 5 => self.level2(line, no, pos),
            _ => self.state_detail(line, ind, no, pos),
        }
    }

    // ---- termination messages -------------------------------------------

    /// A termination message ends at the next indented state detail or
    /// container field (`Exit Code:` is always printed after it), or at a
    /// new pod (blank line, `Name:`, `Namespace:`). Other column-0 lines that
    /// look like fields are message text.
    fn ends_state_message(&self, line: &[u8], next: usize) -> bool {
        if self.cont_len > MESSAGE_CAP {
            return true;
        }
        let ind = spaces(line);
        if ind >= 2 + self.base {
            let rel = ind - self.base;
            if let Some(f) = field(line) {
                return rel >= 4 && (detail_key(f.key).is_some() || container_key(f.key).is_some());
            }
            return rel == 2 && container_name(line).is_ok() && self.next_is_container_field(next);
        }
        if self.message_flat
            && ind == self.base
            && field(line)
                .is_some_and(|f| detail_key(f.key).is_some() || container_key(f.key).is_some())
        {
            // The paste lost all indentation (the `Message:` line too), so
            // column 0 is where the next field would be.
            return true;
        }
        // kubectl separates pods by blank lines: `Name:` right after message
        // text is message text.
        self.prev_blank
            && ind == self.base
            && line[ind..].starts_with(b"Name:")
            && self.next_is_namespace(next, ind)
    }

    /// `message-continuation = *( VCHAR / WSP / %x80-FF ) eol` — one more
    /// line of a termination message, kept as printed.
    fn message_continuation(&mut self, w: usize, line: &[u8]) {
        self.cont_len += line.len() + 1;
        if let Some(state) = self.cur.as_mut().and_then(|c| state_mut(c, w))
            && let Some(m) = &mut state.message
        {
            // An empty first line (`Message:` alone) is not part of the text.
            if !m.is_empty() {
                m.push('\n');
            }
            m.push_str(&lines::lossy(line));
        }
    }

    fn close_message(&mut self, w: usize) {
        self.cont = Cont::None;
        if let Some(state) = self.cur.as_mut().and_then(|c| state_mut(c, w))
            && let Some(m) = &mut state.message
        {
            let keep = m.trim_end().len();
            m.truncate(keep);
            if m.is_empty() {
                state.message = None;
            }
        }
    }

    // ---- level 0 ---------------------------------------------------------

    fn level0(&mut self, line: &[u8], no: u64, pos: usize, next: usize) {
        let Some(f) = field(line) else {
            self.junk_line(line);
            return;
        };
        if let Some(label) = pod_label(f.key) {
            self.pod_line(label, f, line, no, next);
            return;
        }
        if let Some(k) = container_key(f.key) {
            // A container field that lost its indentation (`State:` at column 0).
            self.container_line(k, f, no, pos);
            return;
        }
        if let Sub::State(w) = self.sub
            && let Some(d) = detail_key(f.key)
        {
            self.detail(w, d, f.value, no);
            return;
        }
        if f.value.is_empty()
            && matches!(
                self.section,
                Section::None
                    | Section::Header
                    | Section::Init
                    | Section::Containers
                    | Section::Ephemeral
            )
            && let Ok((_, name)) = container_name(line)
            && (self.next_is_container_field(next) || self.next_is_flat_container_field(next))
        {
            // A container name line that lost its indentation.
            self.start_container(Some(name), no, pos);
            return;
        }
        self.junk_line(line);
    }

    /// `pod-line = pod-label ":" [ sep value ] eol`
    fn pod_line(&mut self, label: PodLabel, f: Field<'_>, line: &[u8], no: u64, next: usize) {
        let header = matches!(self.section, Section::None | Section::Header);
        match label {
            PodLabel::Name => {
                if f.value.is_empty() {
                    return;
                }
                // Inside containers, a column-0 `Name:` may be a raw multi-line
                // value; a real pod always goes on with `Namespace:`. Elsewhere
                // it always ends the pod, even when another kind of object
                // follows (`describe node`: its events are not this pod's).
                if self.section.has_containers() && !self.next_is_namespace(next, spaces(line)) {
                    return;
                }
                self.start_pod(f.value, no, spaces(line));
            }
            PodLabel::Namespace => {
                self.pod.namespace = opt_text(f.value);
                self.enter_header();
            }
            PodLabel::Node => {
                self.pod.node = node_value(f.value);
                self.pod.evidence = true;
                self.enter_header();
            }
            PodLabel::Status => {
                self.pod.phase = phase_value(f.value);
                self.pod.evidence = true;
                self.enter_header();
            }
            PodLabel::StartTime => {
                self.pod.evidence = true;
                self.enter_header();
            }
            PodLabel::Reason | PodLabel::Message => {
                if !header {
                    if let Sub::State(w) = self.sub {
                        let d = if label == PodLabel::Reason {
                            Detail::Reason
                        } else {
                            Detail::Message
                        };
                        self.detail(w, d, f.value, no);
                    }
                    return;
                }
                self.enter_header();
                if label == PodLabel::Reason {
                    self.pod.reason = opt_text(f.value);
                } else {
                    self.cont = Cont::PodMessage;
                    self.cont_len = 0;
                }
            }
            PodLabel::Header => {
                if f.key == b"IP" {
                    self.pod.evidence = true;
                }
                self.enter_header();
            }
            PodLabel::InitContainers => self.enter_section(Section::Init),
            PodLabel::Containers => self.enter_section(Section::Containers),
            PodLabel::EphemeralContainers => self.enter_section(Section::Ephemeral),
            PodLabel::Events => {
                self.enter_section(Section::Events);
                self.table = None;
            }
            PodLabel::Trailer => self.enter_section(Section::Trailer),
        }
    }

    fn enter_header(&mut self) {
        if self.section == Section::None {
            self.section = Section::Header;
        }
    }

    fn enter_section(&mut self, section: Section) {
        self.finish_container(false);
        self.section = section;
        self.sub = Sub::None;
    }

    /// `junk-line = *( VCHAR / WSP / %x80-FF ) eol` — a line that is not a
    /// describe field: a prompt, a command, a note. `kubectl describe pod
    /// NAME -n NS` (`command-hint`) names the pod that follows.
    fn junk_line(&mut self, line: &[u8]) {
        // One searcher for the whole run: building one per line (what
        // `memmem::find` does) cost ten times the search on these short lines.
        static DESCRIBE: LazyLock<memmem::Finder<'static>> =
            LazyLock::new(|| memmem::Finder::new(b"describe"));
        if DESCRIBE.find(line).is_none() {
            return;
        }
        if let Some((pod, ns)) = command_hint(line) {
            if self.pod.line > 0 || !self.pod.containers.is_empty() || self.cur.is_some() {
                self.end_pod(false);
            }
            self.hint_pod = pod;
            self.hint_ns = ns;
        }
    }

    // ---- level 1 ---------------------------------------------------------

    fn level1(&mut self, line: &[u8], ind: usize, no: u64, pos: usize, next: usize) {
        if let Ok((_, name)) = container_name(line) {
            let ok = match self.section {
                Section::Init | Section::Containers | Section::Ephemeral => ind <= 2,
                Section::None | Section::Header => ind == 2 && self.next_is_container_field(next),
                _ => false,
            };
            if ok {
                self.start_container(Some(name), no, pos);
            }
            return;
        }
        if ind == 2
            && self.section.has_containers()
            && let Some(name) = redacted_name(line)
        {
            // `  <name>:` / `  ████:`: a name someone hid; still a new container.
            self.start_container(Some(name), no, pos);
            return;
        }
        let Some(f) = field(line) else { return };
        if matches!(f.key, b"Containers" | b"Init Containers") && f.value.is_empty() {
            // `  Containers:` opens a pod template (describe deploy/rs/job).
            self.enter_section(Section::Template);
        } else if let Some(k) = container_key(f.key)
            && self.section != Section::Header
            && (self.section != Section::None || k.is_strong())
        {
            // A paste that lost indentation: fields one level up.
            self.container_line(k, f, no, pos);
        } else if let Sub::State(w) = self.sub
            && let Some(d) = detail_key(f.key)
        {
            self.detail(w, d, f.value, no);
        }
    }

    // ---- level 2 ---------------------------------------------------------

    fn level2(&mut self, line: &[u8], no: u64, pos: usize) {
        let Some(f) = field(line) else { return };
        if let Some(k) = container_key(f.key) {
            self.container_line(k, f, no, pos);
            return;
        }
        if let Sub::State(w) = self.sub
            && let Some(d) = detail_key(f.key)
        {
            // A state detail that lost two spaces.
            self.detail(w, d, f.value, no);
            return;
        }
        if self.cur.is_some() {
            self.sub = Sub::Other;
        }
    }

    /// `container-line = indent-4 container-key ":" [ sep value ] eol *deeper-line`
    fn container_line(&mut self, k: ContainerKey, f: Field<'_>, no: u64, pos: usize) {
        let repeated = match (&self.cur, k) {
            (Some(c), ContainerKey::State) => c.saw_state[0],
            (Some(c), ContainerKey::LastState) => c.saw_state[1],
            (Some(c), ContainerKey::ContainerId) => c.obs.container_id.is_some(),
            (None, _) => true,
            _ => false,
        };
        if repeated {
            let open = match self.section {
                Section::Template | Section::Events => false,
                s if s.has_containers() => true,
                _ => k.is_strong(),
            };
            if !open {
                return;
            }
            // A fragment without a name line, or a second one pasted after it.
            self.start_container(None, no, pos);
        }
        let Some(c) = self.cur.as_mut() else { return };
        self.sub = Sub::Other;
        match k {
            ContainerKey::ContainerId => {
                c.obs.container_id = opt_text(state::leading(f.value));
                c.status_evidence |= c.obs.container_id.is_some();
            }
            // Images and IDs hold no blank: what follows one is a note.
            ContainerKey::Image => c.obs.image = opt_text(state::leading(f.value)),
            ContainerKey::State | ContainerKey::LastState => {
                let w = usize::from(k == ContainerKey::LastState);
                let status = state_word(f.value).map_or(Status::Unknown, |(_, s)| s);
                *state_slot(c, w) = State::new(status);
                c.saw_state[w] = true;
                c.state_line[w] = no;
                c.exit_line[w] = false;
                self.sub = Sub::State(w);
            }
            ContainerKey::Ready => {
                c.obs.ready = match trim(f.value) {
                    b"True" | b"true" => Some(true),
                    b"False" | b"false" => Some(false),
                    _ => None,
                };
                c.status_evidence = true;
            }
            ContainerKey::RestartCount => {
                c.status_evidence = true;
                // A redacted or elided count is not worth failing the input.
                c.obs.restart_count = integer(f.value);
            }
            ContainerKey::Liveness => c.probes |= 1,
            ContainerKey::Readiness => c.probes |= 2,
            ContainerKey::Startup => c.probes |= 4,
            ContainerKey::Other => {}
        }
    }

    // ---- level 3 ---------------------------------------------------------

    /// `state-detail = indent-6 detail-key ":" [ sep value ] eol / message-continuation`
    fn state_detail(&mut self, line: &[u8], ind: usize, no: u64, pos: usize) {
        // Under Limits/Environment/Mounts the level-3 lines are not ours (the
        // common case, decided before reading the line).
        let at_fields = self.field_indent == Some(ind);
        if (self.sub == Sub::Other && !at_fields)
            || (self.cur.is_none() && self.section != Section::None)
        {
            // Also deep lines of a pod header or trailer (Labels, Annotations,
            // Tolerations continued at the value column, volume details).
            return;
        }
        let Some(f) = field(line) else { return };
        if let Sub::State(w) = self.sub
            && !at_fields
            && let Some(d) = detail_key(f.key)
        {
            self.detail(w, d, f.value, no);
            return;
        }
        // A fragment pasted with extra indentation: its container fields sit
        // deeper than level 2; the first one sets where they are.
        if let Some(k) = container_key(f.key)
            && (at_fields || (self.field_indent.is_none() && k.is_strong()))
        {
            // Only a new fragment says where its fields are; a single
            // misindented `Last State:` in a normal block does not.
            if self.cur.is_none() {
                self.field_indent = Some(ind);
            }
            self.container_line(k, f, no, pos);
        }
    }

    fn detail(&mut self, w: usize, d: Detail, value: &[u8], no: u64) {
        let Some(c) = self.cur.as_mut() else { return };
        if d == Detail::ExitCode {
            c.exit_line[w] = true;
        }
        let state = state_slot(c, w);
        if let Err(e) = apply_detail(state, d, value) {
            self.error(no, e);
        }
        if d == Detail::Message {
            self.cont = Cont::StateMessage(w);
            self.cont_len = 0;
            self.message_flat = self.indent < 2;
        }
    }

    // ---- events ----------------------------------------------------------

    /// `events-line = event-header / dash-row / event-row / old-event-row / event-continuation`
    ///
    /// Handles a line of the Events section; `false` leaves it to the
    /// general dispatch (a new pod, or a fragment pasted after the table).
    fn events_line(&mut self, line: &[u8], rest: &[u8], ind: usize) -> bool {
        let continuing = self.cont == Cont::EventMessage;
        if ind == 0 && field(line).is_some_and(|f| pod_label(f.key).is_some()) {
            return false;
        }
        if ind > 0 || self.table.is_some_and(|_| ind == 0 && !continuing) {
            if let Ok((_, table)) = event_header(line) {
                self.table = Some(table);
                self.cont = Cont::None;
                return true;
            }
            if events::dash_row(rest) {
                return true;
            }
            let row = match self.table {
                Some(Table::Old { has_type }) => old_event_row(line, has_type),
                Some(Table::New { message_col }) => event_row(line, message_col),
                None => event_row(line, 0),
            };
            if let Ok((_, ev)) = row {
                if self.pod.events.len() < MAX_EVENTS {
                    self.pod.events.push(ev);
                }
                self.cont = Cont::EventMessage;
                self.cont_len = 0;
                return true;
            }
        }
        if continuing && self.event_continuation(line, rest) {
            return true;
        }
        self.cont = Cont::None;
        false
    }

    /// `event-continuation = *( VCHAR / WSP / %x80-FF ) eol` — a line of a
    /// multi-line event message (kept unless it looks like a prompt).
    fn event_continuation(&mut self, line: &[u8], rest: &[u8]) -> bool {
        if looks_like_prompt(rest) || self.cont_len >= MESSAGE_CAP {
            return false;
        }
        self.cont_len += line.len() + 1;
        if let Some(ev) = self.pod.events.last_mut() {
            ev.text.push('\n');
            ev.text.push_str(&lines::lossy(trim_end(line)));
        }
        true
    }

    // ---- pods and containers ---------------------------------------------

    fn start_pod(&mut self, name: &[u8], no: u64, base: usize) {
        self.end_pod(false);
        self.pod.name = opt_text(name);
        self.pod.line = no;
        self.section = Section::Header;
        self.base = base;
        self.field_indent = None;
        // A command line names the output right after it, not later pods.
        self.hint_pod = None;
        self.hint_ns = None;
    }

    fn start_container(&mut self, name: Option<&[u8]>, no: u64, pos: usize) {
        self.finish_container(false);
        if name.is_some() {
            self.field_indent = None;
        }
        if !self.section.has_containers() {
            self.section = Section::Containers;
        }
        let mut c = Container::default();
        c.obs.line = no;
        c.obs.offset = self.first_offset + pos as u64;
        c.obs.format = Some(SourceFormat::KubectlDescribe);
        c.obs.container = name.map(lines::text);
        c.obs.container_type = match self.section {
            Section::Init => ContainerType::Init,
            Section::Ephemeral => ContainerType::Ephemeral,
            _ => ContainerType::Container,
        };
        self.cur = Some(c);
        self.sub = Sub::None;
    }

    /// Closes the current container; `cut` when the input ended inside it.
    fn finish_container(&mut self, cut: bool) {
        if let Cont::StateMessage(w) = self.cont {
            self.close_message(w);
        }
        self.sub = Sub::None;
        let Some(c) = self.cur.take() else { return };
        if !c.saw_state[0] && !c.saw_state[1] && (c.status_evidence || cut) {
            let msg = format!("truncated pod: {} has no State line", c.label());
            self.error(c.obs.line, msg);
        }
        for w in 0..2 {
            let terminated = if w == 0 {
                c.saw_state[0] && c.obs.state.status == Status::Terminated
            } else {
                c.obs
                    .last_state
                    .as_ref()
                    .is_some_and(|s| s.status == Status::Terminated)
            };
            if terminated && !c.exit_line[w] {
                let msg = format!(
                    "truncated pod: terminated state of {} has no Exit Code line",
                    c.label()
                );
                self.error(c.state_line[w], msg);
            }
        }
        self.pod.containers.push(c);
    }

    fn end_pod(&mut self, eof: bool) {
        let cut = eof && self.section.has_containers() && self.cur.is_some();
        self.finish_container(cut);
        if eof && self.pod.line > 0 && self.pod.containers.is_empty() {
            let name = self.pod.name.clone().unwrap_or_default();
            if self.section.has_containers() {
                let msg = format!("truncated pod {name:?}: no container after the section header");
                self.error(self.pod.line, msg);
            } else if self.section == Section::Header && self.pod.evidence {
                let msg = format!("truncated pod {name:?}: input ends before its containers");
                self.error(self.pod.line, msg);
            }
        }
        let mut pod = std::mem::take(&mut self.pod);
        attribute_events(&mut pod);
        // A command line names only a paste that lacks the pod's header.
        if pod.line == 0 {
            pod.name.clone_from(&self.hint_pod);
            if pod.namespace.is_none() {
                pod.namespace.clone_from(&self.hint_ns);
            }
        }
        let last = pod.containers.len().saturating_sub(1);
        for (i, c) in pod.containers.into_iter().enumerate() {
            let mut obs = c.obs;
            if i == last {
                // The last container takes the pod's strings (one copy
                // fewer each; most pods have one or two containers).
                obs.namespace = pod.namespace.take();
                obs.pod = pod.name.take();
                obs.node = pod.node.take();
                obs.pod_phase = pod.phase.take();
                obs.pod_reason = pod.reason.take();
            } else {
                obs.namespace.clone_from(&pod.namespace);
                obs.pod.clone_from(&pod.name);
                obs.node.clone_from(&pod.node);
                obs.pod_phase.clone_from(&pod.phase);
                obs.pod_reason.clone_from(&pod.reason);
            }
            obs.finish();
            self.out.observations.push(obs);
        }
        self.section = Section::None;
        self.sub = Sub::None;
        self.cont = Cont::None;
        self.table = None;
        self.base = 0;
    }
}

fn state_slot(c: &mut Container, w: usize) -> &mut State {
    if w == 0 {
        &mut c.obs.state
    } else {
        c.obs.last_state.get_or_insert_with(State::default)
    }
}

fn state_mut(c: &mut Container, w: usize) -> Option<&mut State> {
    if w == 0 {
        Some(&mut c.obs.state)
    } else {
        c.obs.last_state.as_mut()
    }
}

/// Gives each container the events that concern it.
fn attribute_events(pod: &mut Pod) {
    if pod.events.is_empty() || pod.containers.is_empty() {
        return;
    }
    let mut pairs = Vec::new();
    {
        let names: Vec<Option<&str>> = pod
            .containers
            .iter()
            .map(|c| c.obs.container.as_deref())
            .collect();
        let images: Vec<Option<&str>> = pod
            .containers
            .iter()
            .map(|c| c.obs.image.as_deref())
            .collect();
        let probes: Vec<u8> = pod.containers.iter().map(|c| c.probes).collect();
        let target = events::Target {
            names: &names,
            images: &images,
            probes: &probes,
        };
        let mut hits = Vec::new();
        for (e, ev) in pod.events.iter().enumerate() {
            events::targets(ev, &target, &mut hits);
            pairs.extend(hits.iter().map(|&c| (e, c)));
        }
    }
    // Pairs come in event order: an event's last container takes its text
    // (the pod's list is dropped after this), the others get copies. Most
    // events concern one container, so most texts are never copied.
    for (i, &(e, c)) in pairs.iter().enumerate() {
        let list = &mut pod.containers[c].obs.events;
        if list.len() >= MAX_CONTAINER_EVENTS {
            continue;
        }
        let last_use = pairs.get(i + 1).is_none_or(|&(next, _)| next != e);
        let text = if last_use {
            std::mem::take(&mut pod.events[e].text)
        } else {
            pod.events[e].text.clone()
        };
        list.push(text);
    }
}

/// A level-1 `name:` line whose name is not a DNS label (redacted or
/// placeholder: `<container>`, `█████`): no blank and no other colon.
fn redacted_name(line: &[u8]) -> Option<&[u8]> {
    let t = trim(line);
    let name = t.strip_suffix(b":")?;
    let plain = !name.is_empty()
        && !name
            .iter()
            .any(|&b| b == b':' || b == b' ' || b == b'\t' || b.is_ascii_control());
    // Labels (`Limits:`) are capitalised ASCII words; names never are.
    (plain && !name[0].is_ascii_uppercase()).then_some(name)
}

/// A shell prompt or command line after a table, not a message line.
fn looks_like_prompt(t: &[u8]) -> bool {
    static KUBECTL: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"kubectl "));
    let t = trim_end(t);
    matches!(t.last(), Some(b'$' | b'#' | b'>' | b'%'))
        || KUBECTL.find(t).is_some()
        // `$ `, `# `, `> ` or `% ` in the first 80 bytes.
        || t[..t.len().min(80)]
            .windows(2)
            .any(|w| w[1] == b' ' && matches!(w[0], b'$' | b'#' | b'>' | b'%'))
}

/// `command-hint = *VCHAR kubectl-word *( SP word ) SP "describe" SP ( "pod" / "pods" / "po" ) ["/" dns-label] *( SP word )`
///
/// Pod name and namespace from `kubectl [-n NS] describe pod[s] [NAME] [-n NS]`.
fn command_hint(line: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let text = String::from_utf8_lossy(line);
    let tokens: Vec<&str> = text.split_whitespace().take(64).collect();
    let exe = tokens.iter().position(|t| {
        let base = t.rsplit('/').next().unwrap_or(t);
        base.ends_with("kubectl") || matches!(base, "oc" | "k" | "kc" | "kubectl.exe")
    })?;
    let mut iter = tokens[exe + 1..].iter();
    let (mut ns, mut name, mut kind_seen, mut describe) = (None, None, false, false);
    while let Some(&t) = iter.next() {
        if matches!(t, "|" | ";" | "&&" | ">" | "||") || t.starts_with('|') {
            break;
        }
        if let Some(v) = t.strip_prefix("--namespace=") {
            ns = Some(v.to_string());
        } else if t == "-n" || t == "--namespace" {
            ns = iter.next().map(|s| s.to_string());
        } else if let Some(v) = t
            .strip_prefix("-n")
            .filter(|v| !v.is_empty() && !t.starts_with("--"))
        {
            ns = Some(v.to_string());
        } else if t.starts_with('-') {
            if !t.contains('=')
                && matches!(
                    t,
                    "-l" | "--selector"
                        | "-f"
                        | "--filename"
                        | "--context"
                        | "--kubeconfig"
                        | "--cluster"
                        | "--user"
                        | "-o"
                        | "-c"
                )
            {
                iter.next();
            }
        } else if !describe {
            if t != "describe" {
                return None;
            }
            describe = true;
        } else if !kind_seen {
            let (kind, rest) = t.split_once('/').unwrap_or((t, ""));
            if !matches!(kind, "pod" | "pods" | "po") {
                return None;
            }
            kind_seen = true;
            if !rest.is_empty() {
                name = Some(rest.to_string());
            }
        } else if name.is_none() {
            name = Some(t.to_string());
        }
    }
    describe.then_some((name, ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_names() {
        assert_eq!(
            redacted_name("  \u{2588}\u{2588}\u{2588}:".as_bytes()),
            Some("\u{2588}\u{2588}\u{2588}".as_bytes())
        );
        assert_eq!(redacted_name(b"  <my-app>:"), Some(&b"<my-app>"[..]));
        assert_eq!(redacted_name(b"  Limits:"), None);
        assert_eq!(redacted_name(b"  IP:  10.0.0.1"), None);
    }

    #[test]
    fn command_hints() {
        assert_eq!(
            command_hint(b"$ kubectl -n ops describe pod web-1 "),
            Some((Some("web-1".into()), Some("ops".into())))
        );
        assert_eq!(
            command_hint(b"user@h:~$ k describe po/web-2 --namespace=x | less"),
            Some((Some("web-2".into()), Some("x".into())))
        );
        assert_eq!(command_hint(b"kubectl describe node n1"), None);
        assert_eq!(command_hint(b"I ran describe on it"), None);
    }

    #[test]
    fn boundaries_need_blank_and_namespace() {
        let text = b"Name:  a\nNamespace:  x\n\n\nName:  b\nNamespace:  x\nMessage:  m\nName:  c\nNamespace: y\n";
        assert_eq!(boundaries(text, 1), vec![25]);
        assert_eq!(boundaries(text, 1000), Vec::<usize>::new());
        // Jumping ahead finds what a scan of every candidate finds.
        let mut many = Vec::new();
        for i in 0..200 {
            many.extend_from_slice(
                format!("Name:  p{i}\nNamespace:  x\nMessage:  m\nName:  q\n\n").as_bytes(),
            );
        }
        for min in [1, 2, 30, 47, 48, 49, 100, 1000, 5000] {
            let mut want = Vec::new();
            let mut last = 0;
            for (at, _) in many.windows(6).enumerate().filter(|(_, w)| w == b"\nName:") {
                let start = at + 1;
                if start >= last + min
                    && many[..at].ends_with(b"\n")
                    && many[start..].starts_with(b"Name:  p")
                {
                    want.push(start);
                    last = start;
                }
            }
            assert_eq!(boundaries(&many, min), want, "min {min}");
        }
    }
}
