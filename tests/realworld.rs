//! Runs exitparse over the real, publicly posted dumps in
//! `../shared/realworld/` when that folder exists (it is not part of the
//! project; the test is skipped without it). Every record must be valid, no
//! case may crash, and the labelled scorer must stay above its bar.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{exitparse, root};

fn realworld() -> Option<PathBuf> {
    let dir = root().join("../shared/realworld");
    dir.join("labels.jsonl").is_file().then_some(dir)
}

#[test]
fn every_real_case_gives_valid_records_without_crashing() {
    let Some(dir) = realworld() else {
        eprintln!("skipped: ../shared/realworld not present");
        return;
    };
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let path = case.to_string_lossy().to_string();
        let run = exitparse(&[&path], None);
        assert!(
            run.status == 0 || run.status == 1,
            "{path}: exit {}\n{}",
            run.status,
            run.stderr
        );
        let records = run.records();
        assert!(!records.is_empty(), "{path}: no records\n{}", run.stderr);
    }
}

#[test]
fn labelled_scorer_passes() {
    let Some(dir) = realworld() else {
        eprintln!("skipped: ../shared/realworld not present");
        return;
    };
    let Ok(out) = Command::new("python3")
        .arg(dir.join("score.py"))
        .arg(env!("CARGO_BIN_EXE_exitparse"))
        .output()
    else {
        eprintln!("skipped: python3 not available");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "real-world score below the bar:\n{text}"
    );
}
