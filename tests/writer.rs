//! The hand-written record writer (`output::wire`) against serde_json's
//! generic serializer: the same bytes for every record of every fixture,
//! every real-world case (when `/work/shared` is there) and records holding
//! the strings and numbers JSON escapes or formats specially.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use exitparse::format::detect::{Detection, detect};
use exitparse::format::{Chunk, parse};
use exitparse::model::{Logs, Observation, State, Status};
use exitparse::output::Record;

use crate::util::{files_under, root, shared};

/// The dumps under `dir`: every file but expectations, arguments and notes.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = files_under(dir);
    all.retain(|p| {
        !p.extension()
            .is_some_and(|x| ["jsonl", "stderr", "args", "md"].contains(&&*x.to_string_lossy()))
    });
    all
}

/// Asserts both writers agree on every record of `path`; the record count.
fn same_bytes(path: &Path) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let Detection::Dump(parser) = detect(&bytes) else {
        return 0;
    };
    let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    let parsed = parse(parser, Chunk::whole(&bytes));
    let n = parsed.observations.len();
    for obs in parsed.observations {
        assert_same(&Record::new(name.clone(), obs));
    }
    n
}

fn assert_same(record: &Record) {
    let (mut fast, mut reference) = (Vec::new(), Vec::new());
    record.write_jsonl(&mut fast);
    record.write_jsonl_serde(&mut reference);
    assert_eq!(
        String::from_utf8_lossy(&fast),
        String::from_utf8_lossy(&reference),
        "{}",
        record.path
    );
    assert_eq!(fast, reference);
}

#[test]
fn fast_writer_matches_serde_on_every_fixture() {
    let mut paths = files(&root().join("fixtures"));
    paths.extend(files(&root().join("tests/data")));
    let records: usize = paths.iter().map(|p| same_bytes(p)).sum();
    assert!(records > 100, "only {records} records compared");
}

#[test]
fn fast_writer_matches_serde_on_real_world_cases() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared not present");
        return;
    };
    let paths = files(&shared.join("realworld/cases"));
    let records: usize = paths.iter().map(|p| same_bytes(p)).sum();
    assert!(records > 0);
}

#[test]
fn fast_writer_matches_serde_on_odd_values() {
    let odd = [
        "",
        "\"quoted\" \\ back\\slash",
        "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1b}[31m\u{1f} \u{7f}",
        "ünïcødé 日本語 🚀 exactly8",
        "12345678\"2345678\\",
    ];
    for (i, s) in odd.iter().enumerate() {
        let state = State {
            status: Status::Terminated,
            reason: Some(s.to_string()),
            exit_code: Some(-(i as i64) * 1_000_000_007),
            signal: Some(i64::MAX),
            message: Some(s.repeat(3)),
            started_at: Some("2024-01-01T00:00:00Z".into()),
            finished_at: Some("2024-01-01T00:00:05.5Z".into()),
            duration_seconds: [Some(5.5), Some(f64::NAN), Some(1e21), Some(0.1 + 0.2), None][i],
            oom_killed: [Some(true), Some(false), None, None, Some(true)][i],
        };
        let obs = Observation {
            line: u64::MAX - i as u64,
            offset: i as u64,
            namespace: Some(s.to_string()),
            pod: Some(format!("pod{s}")),
            container: (i % 2 == 0).then(|| s.to_string()),
            restart_count: Some(i as i64 - 2),
            ready: [Some(true), None, Some(false), None, None][i],
            last_state: (i % 2 == 1).then(|| state.clone()),
            state,
            events: vec![s.to_string(); i],
            logs: (i > 2).then(|| Logs {
                path: s.to_string(),
                previous: i == 3,
                tail: vec![s.to_string(); 2],
                finding: Some(s.to_string()),
                finding_line: None,
            }),
            ..Observation::default()
        };
        assert_same(&Record::new(Arc::from(*s), obs));
    }
}
