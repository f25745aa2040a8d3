//! The one-pass scanner against the passes it replaces: same documents,
//! same blanking verdicts, same list positions, same cut points, on every
//! YAML fixture, a generated corpus and random text made of the pieces
//! that matter to it (separators, list keys, items, comments, tabs,
//! carriage returns, Unicode spaces, a BOM, column-0 prose).

use proptest::prelude::*;

use super::boundaries;
use super::fast_tests::{kubeyaml, yaml_test_files};
use super::scan::{documents, reference};

/// Panics with `what` where the scanner and the reference passes differ.
fn same_scan(text: &str, what: &str) {
    let spans = documents(text);
    let refs = reference::documents(text);
    let got: Vec<(usize, usize)> = spans.iter().map(|d| (d.start, d.end)).collect();
    assert_eq!(got, refs, "{what}: document spans");
    for d in &spans {
        let raw = &text[d.start..d.end];
        assert_eq!(
            d.clean,
            reference::clean(raw),
            "{what}: blanking at {}",
            d.start
        );
        let body = if d.clean {
            raw.to_string()
        } else {
            reference::blanked(raw)
        };
        assert_eq!(
            d.secs,
            reference::sections(&body),
            "{what}: sections of the document at {}",
            d.start
        );
    }
}

fn same_cuts(bytes: &[u8], what: &str) {
    for min_piece in [0, 1, 7, 100, 4096] {
        assert_eq!(
            boundaries(bytes, min_piece),
            reference::boundaries(bytes, min_piece),
            "{what}: cuts with min_piece {min_piece}"
        );
    }
}

#[test]
fn fixtures_and_generated_corpus_scan_the_same() {
    for f in &yaml_test_files() {
        let bytes = std::fs::read(f).expect("read fixture");
        let text = crate::format::text_keeping_offsets(&bytes);
        same_scan(&text, &f.display().to_string());
        same_cuts(&bytes, &f.display().to_string());
    }
    for seed in 1..=3 {
        let text = kubeyaml::stream(300 * 1024, seed, true);
        same_scan(&text, &format!("corpus seed {seed}"));
        same_cuts(text.as_bytes(), &format!("corpus seed {seed}"));
        let spans = documents(&text);
        assert!(spans.len() > 5, "{} documents", spans.len());
        assert!(spans.iter().any(|d| !d.secs.items.is_empty()));
        assert!(spans.iter().any(|d| !d.secs.containers.is_empty()));
    }
}

#[test]
fn hand_cases_scan_the_same() {
    for text in [
        "",
        "\u{feff}items:\n- a\n---\n...\n--- x\n---\u{a0}\n",
        "a: 1\n$ kubectl get pods\nitems:\n  - x\n  # c\n  - y\nnote here\n  - z\n",
        "status:\n  containerStatuses:\n  - name: a\n\t- name: b\n  - name: c\r\n   - name: d\n",
        "items:\n  -\n  - \u{2003}\n\u{2003}- q\nitems:\u{a0}\nitems:\n- a",
    ] {
        same_scan(text, &format!("{text:?}"));
        same_cuts(text.as_bytes(), &format!("{text:?}"));
    }
}

const PIECES: &[&str] = &[
    "\n",
    "\n",
    "\n",
    " ",
    " ",
    "  ",
    "    ",
    "\t",
    "\r",
    "\r\n",
    "- ",
    "-",
    "#",
    "x",
    "a: b",
    "---",
    "--- ",
    "...",
    "items:",
    "containerStatuses:",
    "initContainerStatuses:",
    "ephemeralContainerStatuses:",
    "name",
    ":",
    "\u{a0}",
    "\u{2003}",
    "\u{feff}",
    "é",
    "$ kubectl get pod web -o yaml",
    "Name:  x",
    "k.v/x:",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn random_text_scans_the_same(
        parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..120),
    ) {
        let text: String = parts.concat();
        same_scan(&text, &format!("{text:?}"));
        same_cuts(text.as_bytes(), &format!("{text:?}"));
    }
}
