//! `repair` against the reference (the repairs before lines were borrowed):
//! on every fixture and example file, whole and damaged as pastes are, the
//! two give the same text and the same origins.

use std::path::Path;

use proptest::prelude::*;

use crate::test_support::files_under;

/// The fixture and example inputs that are text, with their names.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = files_under(&root.join("fixtures"));
    paths.extend(files_under(&root.join("examples/bundle")));
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

/// Each line behind a mark, as in a quoted reply or a commented paste.
fn quoted(s: &str, mark: &str) -> String {
    s.lines().map(|l| format!("{mark}{l}\n")).collect()
}

/// Lines cut at `width` characters, as a terminal wraps them.
fn wrapped(s: &str, width: usize) -> String {
    let mut out = String::new();
    for l in s.lines() {
        let chars: Vec<char> = l.chars().collect();
        if chars.is_empty() {
            out.push('\n');
        }
        for piece in chars.chunks(width) {
            out.extend(piece);
            out.push('\n');
        }
    }
    out
}

/// All lines on one, their indentation collapsed to one blank.
fn collapsed(s: &str, joint: &str) -> String {
    let words: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    words.join(joint)
}

/// The damaged copies of `s` that the repairs are made for.
fn damaged(s: &str) -> Vec<String> {
    let mut out = vec![
        s.to_string(),
        s.replace('\n', "\r\n"),
        quoted(s, "> "),
        quoted(s, "# "),
        quoted(&quoted(s, "> "), "> "),
        collapsed(s, " "),
        format!("> {}", collapsed(s, " > ")),
        format!("$ kubectl describe pod web {}", collapsed(s, " ")),
        quoted(&collapsed(s, " "), "> "),
    ];
    for width in [60, 80, 100, 132] {
        out.push(wrapped(s, width));
        out.push(quoted(&wrapped(s, width), "> "));
    }
    out
}

/// Asserts that `repair` and the reference agree on `text`; true when
/// they repaired it.
fn same(name: &str, text: &str) -> bool {
    let new = super::repair(text.as_bytes()).map(|r| (r.text, r.origin));
    let old = super::reference::repair(text.as_bytes());
    assert!(new == old, "repair differs from the reference on {name}");
    new.is_some()
}

#[test]
fn fixtures_whole_and_damaged_repair_as_before() {
    let corpus = corpus();
    assert!(corpus.len() > 20, "fixtures not found");
    let (mut repaired, mut kept) = (0, 0);
    for (name, text) in &corpus {
        for (k, copy) in damaged(text).iter().enumerate() {
            if same(&format!("{name} (damage {k})"), copy) {
                repaired += 1;
            } else {
                kept += 1;
            }
        }
    }
    // Both ways through `repair` are compared, not only one.
    assert!(
        repaired > 100 && kept > 100,
        "{repaired} repaired, {kept} kept"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Fixtures with a slice taken, some line breaks turned into blanks or
    /// the other way round, and a damage on top.
    #[test]
    fn edited_fixtures_repair_as_before(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..6000,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 0..40),
        damage in any::<prop::sample::Index>(),
    ) {
        let corpus = corpus();
        let (name, text) = &corpus[pick.index(corpus.len())];
        let mut b: Vec<char> = text.chars().collect();
        let from = cut.index(b.len() + 1);
        b = b[from..(from + len).min(b.len())].to_vec();
        for (at, to_blank) in edits {
            if b.is_empty() {
                break;
            }
            let i = at.index(b.len());
            if to_blank && b[i] == '\n' {
                b[i] = ' ';
            } else if !to_blank && b[i] == ' ' {
                b[i] = '\n';
            }
        }
        let s: String = b.into_iter().collect();
        let copies = damaged(&s);
        let copy = &copies[damage.index(copies.len())];
        let new = super::repair(copy.as_bytes()).map(|r| (r.text, r.origin));
        let old = super::reference::repair(copy.as_bytes());
        prop_assert!(new == old, "repair differs from the reference on an edit of {}", name);
    }
}
