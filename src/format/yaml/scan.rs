//! One pass over a chunk's text that finds what the YAML reader needs
//! around the parser: where each document starts and ends (`---`, `...`),
//! whether it holds column-0 lines that are not YAML (to be blanked), and
//! the item positions of its status lists and `items:` lists
//! ([`Sections`]). It replaces a split, a check and four list searches
//! per document, each a pass of its own, and gives the same answer: the
//! tests compare it with those passes (`reference` below) on every YAML
//! fixture, a generated corpus and random damaged text.

use super::{Sections, yamlish};

/// One document found by [`documents`].
pub(super) struct DocSpan {
    /// `[start, end)` of its body in the text.
    pub start: usize,
    pub end: usize,
    /// Every line of it may stay as it is (no column-0 text to blank).
    pub clean: bool,
    /// Its list positions, relative to `start`, as in the blanked body.
    pub secs: Sections,
}

/// The list keys [`Sections`] records, in its field order.
const KEYS: [&str; 4] = [
    "initContainerStatuses:",
    "containerStatuses:",
    "ephemeralContainerStatuses:",
    "items:",
];

fn key_index(t: &str) -> Option<usize> {
    // Every key ends in `s:`; most lines do not.
    if !t.ends_with("s:") {
        return None;
    }
    KEYS.iter().position(|k| *k == t)
}

/// `str::trim` of a line that starts with `ind` spaces, bytewise while
/// the ends are ASCII.
fn trim_line(line: &str, ind: usize) -> &str {
    let b = line.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let mut s = ind;
    while s < b.len() && ws(b[s]) {
        s += 1;
    }
    if s < b.len() && !b[s].is_ascii() {
        return line.trim();
    }
    let mut e = b.len();
    while e > s && ws(b[e - 1]) {
        e -= 1;
    }
    if e > s && !b[e - 1].is_ascii() {
        return line.trim();
    }
    &line[s..e]
}

/// A `---`/`...` line between documents.
fn separator(line: &str) -> bool {
    let b = line.as_bytes();
    if b.len() < 3 || !(b.starts_with(b"---") || b.starts_with(b"...")) {
        return false;
    }
    let t = line.trim_end();
    t == "---" || t.starts_with("--- ") || t == "..."
}

/// The open list of one key while its items are being collected: the
/// indentation of the key, and of its items once known.
type Open = Option<(usize, Option<usize>)>;

/// Builds the [`Sections`] of one document line by line.
#[derive(Default)]
struct SectionsScan {
    lists: [Vec<(usize, Vec<usize>)>; 4],
    open: [Open; 4],
}

impl SectionsScan {
    /// One line of the (blanked) body at `rel`: `ind` leading spaces,
    /// `t` the trimmed text.
    fn line(&mut self, rel: usize, ind: usize, t: &str) {
        if t.is_empty() {
            return;
        }
        if !t.starts_with('#') {
            let item = t.starts_with("- ") || t == "-";
            for (open, lists) in self.open.iter_mut().zip(self.lists.iter_mut()) {
                let Some((kind, items)) = *open else { continue };
                match items {
                    None if item && ind >= kind => {
                        *open = Some((kind, Some(ind)));
                        if let Some(last) = lists.last_mut() {
                            last.1.push(rel);
                        }
                    }
                    Some(i) if item && ind == i => {
                        if let Some(last) = lists.last_mut() {
                            last.1.push(rel);
                        }
                    }
                    Some(i) if ind > i => {}
                    _ => *open = None,
                }
            }
        }
        if let Some(k) = key_index(t) {
            self.lists[k].push((rel, Vec::new()));
            self.open[k] = Some((ind, None));
        }
    }

    fn finish(self) -> Sections {
        let [init, containers, ephemeral, items] = self.lists;
        Sections {
            init,
            containers,
            ephemeral,
            items,
        }
    }
}

/// The documents of `text`, split at `---` and `...` lines, each with its
/// blanking verdict and its list positions.
pub(super) fn documents(text: &str) -> Vec<DocSpan> {
    let mut out = Vec::new();
    // A UTF-8 BOM (Windows editors) is not part of the first key.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let b = text.as_bytes();
    let mut start = bom;
    let mut clean = true;
    let mut scan = SectionsScan::default();
    let mut pos = bom;
    while pos < b.len() {
        let end = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        if separator(line) {
            out.push(DocSpan {
                start,
                end: pos,
                clean,
                secs: std::mem::take(&mut scan).finish(),
            });
            start = end;
            clean = true;
        } else if b[pos] == b' ' || yamlish(line) {
            let ind = b[pos..end].iter().take_while(|&&c| c == b' ').count();
            scan.line(pos - start, ind, trim_line(line, ind));
        } else {
            // Blanked later: a line of spaces, which no list sees.
            clean = false;
        }
        pos = end;
    }
    out.push(DocSpan {
        start,
        end: b.len(),
        clean,
        secs: scan.finish(),
    });
    out
}

/// The passes [`documents`] replaces, kept as the reference it is tested
/// against.
#[cfg(test)]
pub(super) mod reference {
    use super::super::{Sections, yamlish};

    /// `[start, end)` of each document body, split at `---` and `...` lines.
    pub fn documents(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut start = bom;
        let mut pos = bom;
        for line in text[bom..].split_inclusive('\n') {
            let t = line.trim_end();
            let sep = t == "---" || t.starts_with("--- ") || t == "...";
            if sep {
                out.push((start, pos));
                start = pos + line.len();
            }
            pos += line.len();
        }
        out.push((start, text.len()));
        out
    }

    /// The document with its non-YAML column-0 lines blanked.
    pub fn blanked(raw: &str) -> String {
        let mut owned = String::with_capacity(raw.len());
        for line in raw.split_inclusive('\n') {
            if yamlish(line) {
                owned.push_str(line);
                continue;
            }
            let content = line.strip_suffix('\n').unwrap_or(line);
            owned.extend(std::iter::repeat_n(' ', content.len()));
            if line.ends_with('\n') {
                owned.push('\n');
            }
        }
        owned
    }

    pub fn clean(raw: &str) -> bool {
        !raw.split_inclusive('\n').any(|l| !yamlish(l))
    }

    pub fn sections(body: &str) -> Sections {
        Sections {
            init: list_items(body, "initContainerStatuses"),
            containers: list_items(body, "containerStatuses"),
            ephemeral: list_items(body, "ephemeralContainerStatuses"),
            items: list_items(body, "items"),
        }
    }

    /// Positions (in `body`) of the `- ` items under every `key:` line,
    /// in document order, as `(key_line_pos, item_line_starts)`.
    fn list_items(body: &str, key: &str) -> Vec<(usize, Vec<usize>)> {
        let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut open: Option<(usize, Option<usize>)> = None;
        let mut pos = 0;
        for line in body.split_inclusive('\n') {
            let ind = line.len() - line.trim_start_matches(' ').len();
            let t = line.trim();
            if let Some((kind, items)) = open {
                if !t.is_empty() && !t.starts_with('#') {
                    let item = t.starts_with("- ") || t == "-";
                    match items {
                        None if item && ind >= kind => {
                            open = Some((kind, Some(ind)));
                            if let Some(last) = out.last_mut() {
                                last.1.push(pos);
                            }
                        }
                        Some(i) if item && ind == i => {
                            if let Some(last) = out.last_mut() {
                                last.1.push(pos);
                            }
                        }
                        Some(i) if ind > i => {}
                        _ => open = None,
                    }
                }
            }
            if t.len() == key.len() + 1 && t.starts_with(key) && t.ends_with(':') {
                out.push((pos, Vec::new()));
                open = Some((ind, None));
            }
            pos += line.len();
        }
        out
    }

    /// Cut points: `---` lines at least `min_piece` apart, line by line.
    pub fn boundaries(bytes: &[u8], min_piece: usize) -> Vec<usize> {
        let mut cuts = Vec::new();
        let mut last = 0;
        let mut pos = 0;
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            let t = line.strip_suffix(b"\n").unwrap_or(line);
            let t = t.strip_suffix(b"\r").unwrap_or(t);
            if (t == b"---" || t.starts_with(b"--- ")) && pos > 0 && pos - last >= min_piece {
                cuts.push(pos);
                last = pos;
            }
            pos += line.len();
        }
        cuts
    }
}
