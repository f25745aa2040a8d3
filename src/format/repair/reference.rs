//! The repairs as they were before lines were borrowed (issue 12), kept
//! only for tests: `repair` must give byte for byte what this gives.

/// One line being repaired.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    origin: (u64, u64),
}

/// Repairs `text` when it is damaged in a way this module knows.
/// A repaired text and, per line, its (1-based line, byte offset) in the
/// input: what [`super::Repaired`] holds.
pub type Repaired = (Vec<u8>, Vec<(u64, u64)>);

pub fn repair(text: &[u8]) -> Option<Repaired> {
    if text.len() > super::REPAIR_MAX {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?;
    let mut lines = Vec::new();
    let mut off = 0u64;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches('\n');
        let body = body.strip_suffix('\r').unwrap_or(body);
        lines.push(Line {
            text: body.to_string(),
            origin: (i as u64 + 1, off),
        });
        off += raw.len() as u64;
    }
    let mut changed = false;
    for _ in 0..4 {
        if !unquote(&mut lines) {
            break;
        }
        changed = true;
    }
    changed |= unquote_collapsed(&mut lines);
    changed |= unwrap_table(&mut lines);
    // Table rows are often as long as each other: a table is only unwrapped
    // when its header shows the terminal's width (above).
    let table = !crate::format::listing::header_starts(text.as_bytes()).is_empty()
        || lines
            .iter()
            .any(|l| crate::format::kubectl_get::is_headerless_row(l.text.as_bytes()));
    if !table {
        changed |= unwrap(&mut lines);
    }
    changed |= split_lines(&mut lines, split_line);
    changed |= split_lines(&mut lines, split_json_line);
    changed |= split_lines(&mut lines, split_listing_line);
    if !changed {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut origin = Vec::with_capacity(lines.len());
    for l in &lines {
        out.extend_from_slice(l.text.as_bytes());
        out.push(b'\n');
        origin.push(l.origin);
    }
    Some((out, origin))
}

/// A quoted reply or a commented-out paste: nearly every non-blank line
/// starts with `>` (or `# `). One level of marks (and the space after
/// each) is taken off.
fn unquote(lines: &mut [Line]) -> bool {
    let nonblank = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    if nonblank < 2 {
        return false;
    }
    for mark in [">", "# "] {
        let quoted = lines
            .iter()
            .filter(|l| {
                let t = l.text.trim_start();
                t.starts_with(mark) || (mark == "# " && t == "#")
            })
            .count();
        if quoted * 10 < nonblank * 9 {
            continue;
        }
        let mark = mark.trim_end();
        for l in lines.iter_mut() {
            let t = l.text.trim_start();
            if let Some(rest) = t.strip_prefix(mark) {
                l.text = rest.strip_prefix(' ').unwrap_or(rest).to_string();
            }
        }
        return true;
    }
    false
}

/// A quoted or commented-out reply collapsed onto one line: it starts with
/// the mark and the mark recurs between the fields (`> Name: a > Namespace:
/// b > …`), at least five times. Every mark is taken off.
fn unquote_collapsed(lines: &mut [Line]) -> bool {
    let mut changed = false;
    for l in lines.iter_mut() {
        for mark in ["> ", "# "] {
            let inner = format!(" {mark}");
            if l.text.len() >= 100
                && l.text.starts_with(mark)
                && l.text.matches(&inner).count() >= 5
            {
                l.text = l.text[mark.len()..].replace(&inner, " ");
                changed = true;
            }
        }
    }
    changed
}

/// Lines a terminal cut at its width: at least two lines are exactly as
/// long as the longest (at least 60 columns), and each such line is joined
/// with the next.
fn unwrap(lines: &mut Vec<Line>) -> bool {
    let widths: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    let Some(&w) = widths.iter().max() else {
        return false;
    };
    let full = widths.iter().filter(|&&n| n == w).count();
    let near = widths.iter().filter(|&&n| n + 6 >= w && n < w).count();
    if w < 60 || full < 2 || near > full {
        return false;
    }
    // A piece a terminal carried over starts inside a value: not blank,
    // not indented, not a new key, brace or list item.
    let carried = |l: &Line| {
        let t = l.text.as_str();
        !t.is_empty()
            && !t.starts_with([' ', '\t', '{', '}', '[', ']', '"', '-', '#', '$'])
            && !starts_with_key(t)
    };
    // A cut inside the padding after a label (`Exit Code:` + blanks | blanks
    // + `137`) leaves blanks at the end of the line or at the start of
    // the next: the next line then holds the value, not a new key.
    let in_padding = |l: &Line| {
        let t = l.text.trim_end();
        l.text.ends_with([' ', '\t']) || (t.ends_with(':') && starts_with_key(t.trim_start()))
    };
    let value_after_blanks = |l: &Line| {
        let t = l.text.trim_start();
        !t.is_empty() && !starts_with_key(t)
    };
    let joins: Vec<bool> = (0..lines.len())
        .map(|i| {
            widths[i] == w
                && lines.get(i + 1).is_some_and(|next| {
                    carried(next) || (in_padding(&lines[i]) && value_after_blanks(next))
                })
        })
        .collect();
    if joins.iter().filter(|&&j| j).count() < 2 {
        return false;
    }
    join_lines(lines, &joins);
    true
}

/// Joins each line whose `joins` flag is set with the line after it.
fn join_lines(lines: &mut Vec<Line>, joins: &[bool]) {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut joining = false;
    for (l, &join) in lines.drain(..).zip(joins) {
        if joining && let Some(prev) = out.last_mut() {
            prev.text.push_str(&l.text);
        } else {
            out.push(l);
        }
        joining = join;
    }
    *lines = out;
}

/// A listing copied from a terminal narrower than the table: its header
/// line is exactly as wide as the widest line and ends in header words
/// carried to the next line (`… CREATED   STATUS` | `   PORTS   NAMES`).
/// That proves the width; the header is joined, and so is every line that
/// wide with the next, unless the next starts a row, a header or a command.
fn unwrap_table(lines: &mut Vec<Line>) -> bool {
    use crate::format::listing::{command, header_word, words};
    let widths: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    let Some(&w) = widths.iter().max() else {
        return false;
    };
    let is_header = |t: &str| {
        crate::format::docker_ps::is_header(t.as_bytes())
            || crate::format::kubectl_get::is_header(t.as_bytes())
    };
    let header_rest = |t: &str| {
        let ws = words(t);
        !ws.is_empty() && ws.iter().all(|&(_, w)| header_word(w))
    };
    let wrapped_header = |i: usize| {
        widths[i] == w
            && lines.get(i + 1).is_some_and(|next| {
                header_rest(&next.text) && is_header(&format!("{}{}", lines[i].text, next.text))
            })
    };
    if w < 60 || !(0..lines.len()).any(wrapped_header) {
        return false;
    }
    let row_start = |t: &str| {
        let first = t.split_whitespace().next().unwrap_or("");
        let hex_id = (first.len() == 12 || first.len() == 64)
            && first.bytes().all(|c| c.is_ascii_hexdigit());
        hex_id || crate::format::kubectl_get::is_headerless_row(t.as_bytes())
    };
    let joins: Vec<bool> = (0..lines.len())
        .map(|i| {
            wrapped_header(i)
                || (widths[i] == w
                    && lines.get(i + 1).is_some_and(|next| {
                        let t = next.text.as_str();
                        !t.trim().is_empty()
                            && !is_header(t)
                            && !row_start(t)
                            && command(t).is_none()
                    }))
        })
        .collect();
    join_lines(lines, &joins);
    true
}

/// `Key:` or `Two Words:` followed by a blank or the end: a field line.
fn starts_with_key(t: &str) -> bool {
    let Some(colon) = t.find(':') else {
        return false;
    };
    let key = &t[..colon];
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        && t[colon + 1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

/// JSON collapsed onto one line with the prompt and command before it
/// (`$ docker inspect web [ { "Id": …`): the JSON is put on a line of its
/// own so that it starts a line, as the JSON reader expects; a note inside
/// it (`# …`, `// …`, `<--- this`, `...SNIP...`), which ran to the end of
/// its line before the collapse, gets a line of its own too (see
/// [`cut_notes`]).
fn split_json_line(s: &str) -> Option<Vec<String>> {
    if s.len() < 160 {
        return None;
    }
    let i = ["[ {", "[{", "{ \"", "{\""]
        .iter()
        .filter_map(|p| s.find(p))
        .min()?;
    // A prefix (prompt, command, banner) ends one blank before the JSON.
    if i > 0 && s[..i].trim_end().len() != i - 1 {
        return None;
    }
    let mut pieces = Vec::new();
    if i > 0 {
        pieces.push(s[..i].trim_end().to_string());
    }
    // `[ { "Id"` → `[` and `{"Id"`: the shapes detection knows.
    let mut rest = &s[i..];
    if let Some(r) = rest.strip_prefix('[') {
        pieces.push("[".to_string());
        rest = r.trim_start();
    }
    let rest = match rest.strip_prefix('{') {
        Some(r) => format!("{{{}", r.trim_start()),
        None => rest.to_string(),
    };
    pieces.extend(cut_notes(&rest));
    (pieces.len() > 1 || pieces[0] != s).then_some(pieces)
}

/// Cuts one line of JSON before each note a person put outside its
/// strings. A comment (`#`, `//`, `/*`, `<---`, `(…)`, `--`) runs to the
/// next `"key":` or a lone brace or bracket; an elision mark (`...`,
/// `…`, `[...]`, `SNIP`) is one word. Each note then sits on a line of its
/// own, where the JSON reader skips it.
fn cut_notes(json: &str) -> Vec<String> {
    let b = json.as_bytes();
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
        } else if i > 0
            && b[i - 1] == b' '
            && c != b' '
            && crate::format::json::lenient::is_elision(&b[i..])
        {
            let comment = matches!(c, b'#' | b'/' | b'<' | b'(' | b'-');
            let end = if comment {
                comment_end(json, i)
            } else {
                json[i..].find(' ').map_or(json.len(), |n| i + n)
            };
            let before = json[from..i].trim();
            if !before.is_empty() {
                pieces.push(before.to_string());
            }
            pieces.push(json[i..end].trim().to_string());
            from = end;
            i = end;
            continue;
        }
        i += 1;
    }
    let tail = json[from..].trim();
    if !tail.is_empty() || pieces.is_empty() {
        pieces.push(tail.to_string());
    }
    pieces
}

/// Where a comment starting at `at` ends: before the next `"key":` or the
/// next lone `}`/`]` (with its comma), else at the end of the line.
fn comment_end(json: &str, at: usize) -> usize {
    let b = json.as_bytes();
    let mut j = at;
    while j < b.len() {
        if b[j] == b' ' && matches!(b.get(j + 1), Some(b'}' | b']')) {
            let after = b.get(j + 2).copied();
            if after.is_none_or(|c| matches!(c, b' ' | b',' | b'}' | b']')) {
                return j + 1;
            }
        }
        if b[j] == b'"'
            && b[j - 1] == b' '
            && let Some(close) = json[j + 1..].find('"')
            && json[j + 1 + close + 1..].trim_start().starts_with(':')
        {
            return j;
        }
        j += 1;
    }
    b.len()
}

/// Replaces each line that `split` cuts into pieces by those pieces; every
/// piece keeps its line's origin. True when a line was cut.
fn split_lines(lines: &mut Vec<Line>, split: impl Fn(&str) -> Option<Vec<String>>) -> bool {
    let mut changed = false;
    let mut out = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        match split(&l.text) {
            Some(pieces) => {
                changed = true;
                out.extend(pieces.into_iter().map(|text| Line {
                    text,
                    origin: l.origin,
                }));
            }
            None => out.push(l),
        }
    }
    *lines = out;
    changed
}

/// A `kubectl get pods` or `docker ps` listing collapsed onto one line: a
/// line starts again at each header, at each row (found by its shape: a
/// pod name before a READY `a/b`, a STATUS word and a RESTARTS count; a
/// 12- or 64-digit container ID) and at each prompt.
fn split_listing_line(s: &str) -> Option<Vec<String>> {
    if s.len() < 100 {
        return None;
    }
    let toks = crate::format::listing::words(s);
    // `words` counts runes; byte starts are wanted here.
    let byte_at: Vec<usize> = {
        let idx: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
        toks.iter().map(|&(r, _)| idx[r]).collect()
    };
    let mut starts = Vec::new();
    let mut header_cols = 0usize;
    for pat in [
        "EVENT NAMESPACE NAME READY STATUS",
        "EVENT NAME READY STATUS",
        "NAMESPACE NAME READY STATUS",
        "NAME READY STATUS",
        "CONTAINER ID IMAGE",
    ] {
        if let Some(i) = s.find(pat)
            && !starts.iter().any(|&j: &usize| j <= i && i < j + 20)
        {
            starts.push(i);
            if pat.ends_with("READY STATUS") && header_cols == 0 {
                // The columns a row has before READY (EVENT, NAMESPACE, NAME).
                header_cols = pat.split(' ').count() - 2;
            }
        }
    }
    let ready = |t: &str| {
        t.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && (a.bytes().chain(b.bytes())).all(|c| c.is_ascii_digit())
        })
    };
    let podish = |t: &str| {
        !t.is_empty()
            && t.bytes().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.' || c == b'/'
            })
    };
    let hex_id = |t: &str| {
        (t.len() == 12 || t.len() == 64)
            && t.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    };
    let mut rows = 0;
    let mut last_id = usize::MAX;
    let mut ids = Vec::new();
    for k in 0..toks.len() {
        let t = toks[k].1;
        if ready(t)
            && toks
                .get(k + 1)
                .is_some_and(|n| n.1.starts_with(|c: char| c.is_ascii_uppercase()))
            && toks
                .get(k + 2)
                .is_some_and(|n| n.1.bytes().all(|c| c.is_ascii_digit()))
        {
            let back = header_cols.max(1);
            if k >= back && podish(toks[k - 1].1) {
                starts.push(byte_at[k - back]);
                rows += 1;
            }
        } else if hex_id(t) && last_id.wrapping_add(1) != k {
            ids.push(k);
            last_id = k;
        } else if t.len() <= 60 && t.ends_with(['$', '#', '%']) && toks.get(k + 1).is_some() {
            starts.push(byte_at[k]);
        }
    }
    // A 12-hex word starts a row only when a container status follows it
    // before the next such word: `podman ps --pod` prints the POD ID with
    // the same shape after the names.
    for (n, &k) in ids.iter().enumerate() {
        let end = ids.get(n + 1).map_or(s.len(), |&j| byte_at[j]);
        let segment = s[byte_at[k]..end].to_ascii_lowercase();
        let status = [
            " up ",
            "exited",
            "created",
            "restarting",
            "paused",
            "dead",
            "removal",
        ]
        .iter()
        .any(|w| segment.contains(w));
        if status {
            starts.push(byte_at[k]);
            rows += 1;
        }
    }
    if rows < 2 && !(rows == 1 && starts.len() >= 2) {
        return None;
    }
    starts.sort_unstable();
    starts.dedup();
    let mut pieces = Vec::new();
    if starts[0] > 0 {
        pieces.push(s[..starts[0]].trim_end().to_string());
    }
    for (k, &i) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(s.len());
        pieces.push(s[i..end].trim().to_string());
    }
    Some(pieces)
}

/// describe labels and the level (in spaces) kubectl prints them at.
const POD_LABELS: &[&str] = &[
    "Name",
    "Namespace",
    "Priority",
    "Priority Class Name",
    "PriorityClassName",
    "Runtime Class Name",
    "Service Account",
    "Node",
    "Start Time",
    "Labels",
    "Annotations",
    "Status",
    "IP",
    "IPs",
    "Controlled By",
    "Init Containers",
    "Containers",
    "Ephemeral Containers",
    "Image(s)",
    "Replication Controllers",
    "Controllers",
    "Conditions",
    "Volumes",
    "QoS Class",
    "Node-Selectors",
    "Tolerations",
    "Events",
    "Nominated Node Name",
];
const CONTAINER_LABELS: &[&str] = &[
    "Container ID",
    "Image",
    "Image ID",
    "Port",
    "Ports",
    "Host Port",
    "Host Ports",
    "Command",
    "Args",
    "State",
    "Last State",
    "Last Termination State",
    // kubectl 1.1 printed it per container.
    "QoS Tier",
    "Ready",
    "Restart Count",
    "Limits",
    "Requests",
    "Liveness",
    "Readiness",
    "Startup",
    "Environment",
    "Environment Variables from",
    "Environment Variables",
    "Mounts",
];
const DETAIL_LABELS: &[&str] = &[
    "Reason",
    "Message",
    "Exit Code",
    "Signal",
    "Started",
    "Finished",
];

fn all_labels() -> impl Iterator<Item = &'static str> {
    POD_LABELS
        .iter()
        .chain(CONTAINER_LABELS)
        .chain(DETAIL_LABELS)
        .copied()
}

/// Where a label ends at the colon `colon` of `s`: its start, or `None`.
fn label_before(s: &str, colon: usize) -> Option<(usize, &'static str)> {
    let head = &s[..colon];
    all_labels()
        .filter(|l| {
            head.ends_with(l) && {
                let start = colon - l.len();
                start == 0 || s.as_bytes()[start - 1] == b' '
            }
        })
        .max_by_key(|l| l.len())
        .map(|l| (colon - l.len(), l))
}

/// A describe paste on one line (`Name: web Namespace: shop Containers:
/// app: Container ID: …`): the line is cut before every label, and each
/// piece gets the indentation kubectl gives its label (see [`split_line`]).
fn split_line(s: &str) -> Option<Vec<String>> {
    if s.len() < 60 {
        return None;
    }
    // Label starts (byte index, label).
    let b = s.as_bytes();
    let mut cuts: Vec<(usize, &'static str)> = Vec::new();
    for (i, _) in s.match_indices(':') {
        let after_ok = b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t');
        if after_ok && let Some(hit) = label_before(s, i) {
            cuts.push(hit);
        }
    }
    let strong = cuts
        .iter()
        .filter(|(_, l)| {
            matches!(
                *l,
                "State"
                    | "Exit Code"
                    | "Restart Count"
                    | "Container ID"
                    | "Containers"
                    | "Last State"
                    | "Last Termination State"
            )
        })
        .count();
    // Three labels are enough when two are strong: an excerpt of one state
    // block (`Last State: Terminated Reason: Error Exit Code: 139`).
    if cuts.len() < 3 || strong < 2 {
        return None;
    }
    let names = container_names(s, &cuts);
    let mut starts: Vec<(usize, Option<&'static str>)> = cuts
        .iter()
        .map(|&(i, l)| (i, Some(l)))
        .chain(names.iter().map(|&i| (i, None)))
        .collect();
    starts.sort_unstable_by_key(|&(i, _)| i);
    starts.dedup_by_key(|&mut (i, _)| i);
    let mut pieces = Vec::new();
    if starts[0].0 > 0 {
        pieces.extend(split_commands(s[..starts[0].0].trim_end(), true));
    }
    let mut in_container = false;
    let mut in_state = false;
    for (k, &(i, label)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(s.len(), |n| n.0);
        let piece = s[i..end].trim();
        let level = match label {
            None => {
                in_container = true;
                in_state = false;
                // Whatever follows the name (a stray `apiVersion: v1`, a
                // prompt) was a line of its own: it goes to column 0.
                let colon = piece.find(':').map_or(piece.len(), |c| c + 1);
                pieces.push(format!("  {}", &piece[..colon]));
                let stray = piece[colon..].trim();
                if !stray.is_empty() {
                    pieces.extend(split_commands(stray, true));
                }
                continue;
            }
            Some(l)
                if POD_LABELS.contains(&l) && !(in_container && matches!(l, "Status" | "IP")) =>
            {
                in_container = false;
                in_state = false;
                0
            }
            Some(l) if DETAIL_LABELS.contains(&l) => {
                if in_state {
                    6
                } else if in_container {
                    4
                } else {
                    0
                }
            }
            Some(l) => {
                in_state = matches!(l, "State" | "Last State" | "Last Termination State");
                if in_container { 4 } else { 0 }
            }
        };
        let mut parts = split_commands(piece, false).into_iter();
        if let Some(first) = parts.next() {
            pieces.push(format!("{}{first}", " ".repeat(level)));
        }
        pieces.extend(parts);
    }
    Some(pieces)
}

/// Byte starts of container names in a collapsed describe line: a
/// lower-case `name:` word right before a label that opens a container
/// block (`Container ID:`, `Image:`, or `State:` in an excerpt), or the
/// first word after `Containers:`/`Init Containers:` (a stray line such as
/// `apiVersion: v1` may sit between the name and its first label).
fn container_names(s: &str, cuts: &[(usize, &'static str)]) -> Vec<usize> {
    let name_like = |w: &str| {
        // A redacted name (`<container-1>:`) is a name too.
        let w = w
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix(">:"))
            .map_or(w.to_string(), |n| format!("{n}:"));
        w.strip_suffix(':').is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        })
    };
    let mut names = Vec::new();
    let mut in_containers = false;
    for &(start, label) in cuts {
        match label {
            // A `word:` before `State:` names a container only inside a
            // containers section (`The pod says: State: …` names nothing).
            "State" if !in_containers => {}
            "Container ID" | "Image" | "State" => {
                let head = s[..start].trim_end();
                let word_start = head.rfind(' ').map_or(0, |i| i + 1);
                if name_like(&head[word_start..]) {
                    names.push(word_start);
                }
            }
            "Containers" | "Init Containers" | "Ephemeral Containers" => {
                in_containers = true;
                let after = start + label.len() + 1;
                let rest = &s[after..];
                let word_start = after + (rest.len() - rest.trim_start().len());
                let word = s[word_start..].split(' ').next().unwrap_or("");
                if name_like(word) && !cuts.iter().any(|&(i, _)| i == word_start) {
                    names.push(word_start);
                }
            }
            l if POD_LABELS.contains(&l) && !matches!(l, "Status" | "IP") => in_containers = false,
            _ => {}
        }
    }
    names
}

/// A word that stands for left-out lines: `...`, `…`, `[...]`, `<snip>`,
/// `...SNIP...`.
fn elision_word(w: &str) -> bool {
    let w = w.trim_start_matches(['[', '<', '(']);
    w.starts_with("..")
        || w.starts_with('\u{2026}')
        || w.eq_ignore_ascii_case("snip>")
        || w.eq_ignore_ascii_case("snip]")
}

/// Programs whose command lines name what a paste shows.
const COMMANDS: &[&str] = &[
    "kubectl", "oc", "docker", "podman", "crictl", "nerdctl", "sudo",
];

/// Cuts a piece of a collapsed line before each command glued onto it (a
/// command line or prompt was a line of its own before the collapse). In
/// a piece before the first label (`anywhere`) every command word starts a
/// line; elsewhere only one after a prompt (`$`, `#`, `%`, `>` or `]` at
/// its end), and the cut is made before the prompt.
fn split_commands(piece: &str, anywhere: bool) -> Vec<String> {
    let words: Vec<(usize, &str)> = piece
        .split(' ')
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let prompt = |w: &str| w.len() <= 60 && w.ends_with(['$', '#', '%', '>', ']']);
    let mut cuts = Vec::new();
    // An elision mark was a line of its own: in a piece before the first
    // label wherever it is, elsewhere only at the end (`Exit Code: 139 ...`).
    // A markdown fence (```` ``` ````, ```` ```console ````) was a line of
    // its own too, wherever it is.
    let fence = |w: &str| w.starts_with("```");
    for (k, &(at, w)) in words.iter().enumerate() {
        // (`Image: ...` is a value left out, not a line.)
        let after_value = k > 0 && !words[k - 1].1.ends_with(':');
        let trailing = after_value
            && words[k..]
                .iter()
                .take_while(|&&(_, w)| !fence(w))
                .all(|&(_, w)| elision_word(w));
        if fence(w) {
            cuts.push(at);
        }
        if elision_word(w) && (anywhere || trailing) {
            cuts.push(at);
            if let Some(&(next, _)) = words.get(k + 1) {
                cuts.push(next);
            }
        }
    }
    for k in 1..words.len() {
        let (at, w) = words[k];
        let base = w.rsplit('/').next().unwrap_or(w);
        if !COMMANDS.contains(&base) || words.get(k + 1).is_none() {
            continue;
        }
        let prev = words[k - 1].1;
        if prompt(prev) {
            // The prompt starts the line; `[root@host ~]#` is two words.
            let open = (k.saturating_sub(3)..k)
                .find(|&j| prev.contains(']') && words[j].1.starts_with('['));
            cuts.push(words[open.unwrap_or(k - 1)].0);
        } else if anywhere
            && !matches!(
                prev,
                "sudo" | "-n" | "--namespace" | "-c" | "--context" | "|" | "xargs"
            )
        {
            cuts.push(at);
        }
    }
    cuts.retain(|&c| c > 0);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = 0;
    for c in cuts {
        let part = piece[from..c].trim();
        if !part.is_empty() {
            out.push(part.to_string());
        }
        from = c;
    }
    out.push(piece[from..].trim().to_string());
    out
}
