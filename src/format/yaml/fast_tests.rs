//! The fast path against the full parser: same records, same diagnostics,
//! same passed-over objects, on every YAML fixture, the real-world cases
//! (when `../shared` is there), a generated must-gather corpus and damaged
//! copies of it; and each fallback trigger really falls back.

#[path = "../../../examples/synth/kubeyaml.rs"]
pub(super) mod kubeyaml;

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::scan::reference::documents;
use super::{fast_path_reads, parse, parse_full};
use crate::format::{Chunk, Parsed};
use crate::test_support::files_under;

fn outcome(p: &Parsed) -> String {
    format!(
        "{:#?}\n{:#?}\n{:#?}\nfound_dump: {}",
        p.observations, p.diagnostics, p.skipped, p.found_dump
    )
}

/// Both paths on `text`; panics with the first difference.
fn same(text: &[u8], what: &str) -> Parsed {
    let fast = parse(Chunk::whole(text));
    let full = parse_full(Chunk::whole(text));
    let (a, b) = (outcome(&fast), outcome(&full));
    if a != b {
        let diff = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y)
            .map(|(i, (x, y))| format!("line {i}: fast `{x}` full `{y}`"))
            .unwrap_or_else(|| "lengths differ".to_string());
        panic!("{what}: fast path differs from the full parser: {diff}");
    }
    fast
}

/// Every YAML fixture (at least ten, or the test fails) and the YAML of the
/// real-world cases when `../shared` is there.
pub(super) fn yaml_test_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_under(&root.join("fixtures"));
    files.extend(files_under(&root.join("examples/bundle")));
    let yaml = |p: &PathBuf| p.extension().is_some_and(|x| x == "yaml" || x == "yml");
    files.retain(yaml);
    assert!(
        files.len() >= 10,
        "YAML fixtures not found: {}",
        files.len()
    );
    if let Some(shared) = crate::test_support::shared() {
        files.extend(
            files_under(&shared.join("realworld/cases"))
                .into_iter()
                .filter(yaml),
        );
    }
    files
}

#[test]
fn fixtures_and_real_cases_read_the_same() {
    for f in &yaml_test_files() {
        let text = std::fs::read(f).expect("read fixture");
        same(&text, &f.display().to_string());
    }
}

#[test]
fn generated_must_gather_reads_the_same() {
    for seed in 1..=3 {
        let text = kubeyaml::stream(400 * 1024, seed, true);
        let p = same(text.as_bytes(), &format!("stream seed {seed}"));
        assert!(p.observations.len() > 100, "{}", p.observations.len());
    }
}

/// Without irregular documents, the fast path reads every document of
/// the generated corpus itself (else the comparison above proves little).
#[test]
fn fast_path_reads_kubectl_output_itself() {
    let mut n = 0;
    for seed in [7, 42, 1000, 31337] {
        let text = kubeyaml::stream(1 << 20, seed, false);
        for (start, end) in documents(&text) {
            let body = &text[start..end];
            if let Err(why) = fast_path_reads(body) {
                panic!("fell back ({why}) on:\n{body}");
            }
            n += 1;
        }
    }
    assert!(n >= 100, "{n} documents");
}

/// Each thing the fast path does not read gives the document to the full
/// parser, which reads it as before.
#[test]
fn fallback_triggers_fall_back() {
    let pod = |meta: &str, cs: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n{meta}status:\n  phase: Running\n  containerStatuses:\n  - name: app\n{cs}"
        )
    };
    let running = "    state:\n      running:\n        startedAt: \"2025-01-01T00:00:00Z\"\n";
    let cases: Vec<(&str, String, bool)> = vec![
        (
            "flow collection",
            pod("  labels: {app: x}\n  name: p\n", running),
            true,
        ),
        ("anchor", pod("  name: &n p\n", running), true),
        (
            "anchor",
            pod("  name: p\n", "    image: *img\n    state: {}\n"),
            false,
        ),
        (
            "anchor, alias or tag",
            pod("  name: !!str p\n", running),
            true,
        ),
        (
            "tab in indentation",
            pod("  name: p\n\t\n  uid: \tx\n", running),
            false,
        ),
        (
            "unexpected indentation",
            pod("  labels:\n    a: b\n   c: d\n  name: p\n", running),
            false,
        ),
        (
            "`: ` inside a plain scalar",
            pod("  name: p\n   uid: u\n", running),
            false,
        ),
        (
            "plain scalar of uncertain type",
            pod("  name: 0x1F\n", running),
            true,
        ),
        (
            "plain scalar of uncertain type",
            pod("  name: yes\n", running),
            true,
        ),
        (
            "integer of uncertain form",
            pod("  name: p\n", "    restartCount: 0o7\n    state: {}\n"),
            true,
        ),
        (
            "boolean of uncertain form",
            pod("  name: p\n", "    ready: on\n    state: {}\n"),
            true,
        ),
        (
            "duplicate key",
            pod("  name: p\n  name: q\n", running),
            false,
        ),
        (
            "folded block scalar",
            pod(
                "  name: p\n",
                "    state:\n      waiting:\n        message: >\n          a\n          b\n",
            ),
            true,
        ),
        (
            "`: ` inside a plain scalar",
            pod(
                "  name: p\n",
                "    state:\n      waiting:\n        message: a: b\n",
            ),
            false,
        ),
        ("merge key", pod("  <<: {name: p}\n", running), false),
        ("scalar document", "just words\n".to_string(), false),
        ("carriage return", pod("  name: p\r\n", running), true),
        (
            "deep nesting",
            pod(
                &format!("  name: p\n  labels:\n{}x: 1\n", " ".repeat(60)),
                running,
            ),
            false,
        ),
        (
            "sequence in a sequence",
            pod("  name: p\n  finalizers:\n  - - a\n", running),
            true,
        ),
        (
            "block scalar indentation indicator",
            pod("  name: p\n  note: |2\n    x\n", running),
            true,
        ),
        (
            "not a key inside a mapping",
            pod("  name: p\n  just text\n", running),
            false,
        ),
        (
            "key that is not a plain word",
            pod("  name: p\n  0: zero\n", running),
            true,
        ),
    ];
    for (reason, text, records) in cases {
        let why = fast_path_reads(&text).expect_err(reason);
        assert!(
            why.contains(reason) || reason.contains(why) || why.starts_with(reason),
            "{reason}: fell back for `{why}` instead"
        );
        let p = same(text.as_bytes(), reason);
        if records {
            assert!(!p.observations.is_empty(), "{reason}: {p:?}");
        }
    }
}

/// What the fast path reads itself: quoted, folded and block scalars.
#[test]
fn scalars_read_as_the_full_parser_does() {
    let text = concat!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'it''s'\n  namespace: \"caf\\u00e9\\tx\"\n  uid: 5f3c2a1e-0000\n",
        "spec:\n  containers:\n    - name: app\n      image: nginx:1.25 # pinned\n",
        "status:\n  phase: Running\n  containerStatuses:\n    - name: app\n      restartCount: \"3\"\n      ready: \"True\"\n",
        "      lastState:\n        terminated:\n          exitCode: 2\n          message: |\n            line one\n\n              indented\n            last\n",
        "          reason: Error\n      state:\n        waiting:\n          message: 'a long message\n            folded over\n\n            lines'\n",
        "          reason: \"Crash\\\n            LoopBackOff\"\n",
        "  message: plain words\n    continued here\n",
    );
    fast_path_reads(text).expect("fast path");
    let p = same(text.as_bytes(), "scalars");
    let o = &p.observations[0];
    assert_eq!(o.pod.as_deref(), Some("it's"));
    assert_eq!(o.namespace.as_deref(), Some("café\tx"));
    assert_eq!(o.restart_count, Some(3));
    assert_eq!(o.state.reason.as_deref(), Some("CrashLoopBackOff"));
    assert_eq!(
        o.state.message.as_deref(),
        Some("a long message folded over\nlines")
    );
    let last = o.last_state.as_ref().expect("last state");
    assert_eq!(
        last.message.as_deref(),
        Some("line one\n\n  indented\nlast\n")
    );
}

/// Damage a document of the corpus: cut it, delete or indent a line,
/// insert a character. Whatever the fast path makes of it, it is what
/// the full parser makes of it.
/// The flat skip takes kubectl's simple subtrees itself (so the equality
/// tests above do check it) and leaves what it is not sure of to the
/// exact reader.
#[test]
fn flat_skip_takes_simple_subtrees_and_leaves_the_rest() {
    use super::fast::flat_skip_end;
    let tail = "status: {}\n";
    for sub in [
        "env:\n- name: A\n  value: b\n- name: C\n  valueFrom:\n    fieldRef:\n      fieldPath: x\n",
        "labels:\n  app: web\n  k8s.io/name: x-1\n\n  # note\n  empty: {}\n",
        "ports:\n  - containerPort: 80\n    protocol: TCP\n  -\n  - 8080\n",
        "managedFields:\n  - fieldsV1:\n      f:metadata:\n        f:labels:\n          .: {}\n    manager: kubectl\n",
        "nothing:\n",
        "conditions:\n- status: \"True\"\n  at: '2025-01-01'\n  args:\n  - \"--x=1\"\n  - ''\n",
    ] {
        let body = format!("{sub}{tail}");
        assert_eq!(flat_skip_end(&body), Some(sub.len()), "{sub:?}");
    }
    for unsure in [
        "a:\n  b: |-\n    text\n",
        "a:\n  b: \"1\\n\"\n",
        "a:\n  b: 'it''s'\n",
        "a:\n  b: \"1\" x\n",
        "a:\n  b: \"1\n    2\"\n",
        "a:\n  - \"k\": v\n",
        "a:\n  b: plain\n    continued\n",
        "a:\n  b: x # comment\n",
        "a:\n  b: &anchor x\n",
        "a:\n  b: [1, 2]\n",
        "a:\n  b: x: y\n",
        "a:\n  b:\tx\n",
        "a:\n  \"b\": x\n",
        "a:\n  - - x\n",
        "a:\n  b: 1\n   c: 2\n",
    ] {
        assert_eq!(
            flat_skip_end(&format!("{unsure}{tail}")),
            None,
            "{unsure:?}"
        );
    }
}

fn damage(text: &str, op: u8, at: usize, ch: char) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let i = at % lines.len().max(1);
    let mut out = String::with_capacity(text.len() + 8);
    for (k, l) in lines.iter().enumerate() {
        if k != i {
            out.push_str(l);
            continue;
        }
        match op % 5 {
            0 => {}
            1 => {
                out.push(' ');
                out.push_str(l);
            }
            2 => out.push_str(l.strip_prefix(' ').unwrap_or(l)),
            3 => {
                let cut = (at / 7) % l.len().max(1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&c| l.is_char_boundary(c))
                    .unwrap_or(0);
                out.push_str(&l[..cut]);
                out.push(ch);
                out.push_str(&l[cut..]);
            }
            _ => {
                out.push_str(l);
                return out;
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn damaged_documents_read_the_same(
        seed in 0u64..1000,
        ops in proptest::collection::vec((0u8..5, 0usize..4000, proptest::sample::select(vec![' ', ':', '-', '#', '\'', '"', '{', '[', '|', '&', '\t', 'x', '\n'])), 1..4),
    ) {
        let mut text = kubeyaml::stream(3000, seed, true);
        for (op, at, ch) in ops {
            text = damage(&text, op, at, ch);
        }
        same(text.as_bytes(), &format!("damaged seed {seed}:\n{text}"));
    }
}
