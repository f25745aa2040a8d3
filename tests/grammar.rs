//! The grammar files are the reference the parsers follow: every production
//! in `grammar/*.abnf` must have a Rust function of the same name
//! (`state-field` → `fn state_field`), so a reader can go from one to the
//! other.

use std::fs;
use std::path::Path;

use crate::util::root;

fn rust_sources(dir: &Path, out: &mut String) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&fs::read_to_string(&path).unwrap());
        }
    }
}

/// Rule names defined in an ABNF text (`name = …` or `name =/ …` at column 0).
fn productions(abnf: &str) -> Vec<String> {
    abnf.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(name, _)| name.trim().to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .collect()
}

#[test]
fn every_production_has_a_parser_function() {
    let mut src = String::new();
    rust_sources(&root().join("src"), &mut src);
    let mut missing = Vec::new();
    let mut seen = 0;
    for entry in fs::read_dir(root().join("grammar")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "abnf") {
            continue;
        }
        for name in productions(&fs::read_to_string(&path).unwrap()) {
            seen += 1;
            let fn_name = format!("fn {}", name.replace('-', "_"));
            if !src.contains(&format!("{fn_name}(")) && !src.contains(&format!("{fn_name}<")) {
                missing.push(format!(
                    "{}: {name}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(seen > 0, "no grammar productions found");
    assert!(
        missing.is_empty(),
        "productions without a parser function:\n{}",
        missing.join("\n")
    );
}

#[test]
fn production_names_are_read_from_abnf() {
    let names = productions("state-field = indent \"State:\"\n  ; comment\nsep =/ SP\n");
    assert_eq!(names, ["state-field", "sep"]);
}
