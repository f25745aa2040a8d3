//! Runs the real binary on every fixture and compares with the expectation
//! beside it. A case is `fixtures/<format>/<name>.<ext>`, or a directory
//! `fixtures/bundle/<name>.bundle/` (a support bundle, one input), with:
//!
//! - `<name>.jsonl`: the exact stdout (required; a case without it fails);
//! - `<name>.stderr`: the exact stderr (absent: stderr must be empty);
//! - `<name>.args`: extra arguments, one per line, `{input}` standing for
//!   the input path (absent: the input path alone). An argument `-` pipes
//!   the input to stdin instead.
//!
//! The exit status must be what the contract says for that stderr: 1 when
//! any line is an error (not a `note:`), else 0. Every stdout line is checked
//! against `schema/record.schema.json`.
//!
//! `EXITPARSE_BLESS=1 cargo test --test fixtures` rewrites the expectations
//! for review in `git diff`. `cargo test --test fixtures -- NAME` runs only
//! the cases whose path contains NAME.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const EXPECTATION_EXTS: &[&str] = &["jsonl", "stderr", "args", "md"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let bless = std::env::var_os("EXITPARSE_BLESS").is_some();
    let schema = load_schema(root);
    let mut cases = Vec::new();
    collect(&root.join("fixtures"), &mut cases);
    cases.sort();
    let (mut passed, mut failed) = (0, 0);
    for input in &cases {
        let rel = input
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if filter.as_deref().is_some_and(|f| !rel.contains(f)) {
            continue;
        }
        match run_case(root, &rel, bless, &schema) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                eprintln!("FAIL {rel}\n{why}\n");
            }
        }
    }
    println!("fixtures: {passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "bundle") && path.is_dir() {
            // A support bundle laid out as files: one case, read whole.
            out.push(path);
        } else if path.is_dir() {
            collect(&path, out);
        } else if !EXPECTATION_EXTS
            .iter()
            .any(|e| path.extension().is_some_and(|x| x == *e))
        {
            out.push(path);
        }
    }
}

fn sibling(root: &Path, rel: &str, ext: &str) -> PathBuf {
    let p = root.join(rel);
    let stem = p.file_stem().unwrap().to_string_lossy().to_string();
    p.with_file_name(format!("{stem}.{ext}"))
}

fn run_case(
    root: &Path,
    rel: &str,
    bless: bool,
    schema: &jsonschema::Validator,
) -> Result<(), String> {
    let args: Vec<String> = match fs::read_to_string(sibling(root, rel, "args")) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.replace("{input}", rel))
            .collect(),
        Err(_) => vec![rel.to_string()],
    };
    let via_stdin = args.iter().any(|a| a == "-");
    let mut child = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .args(&args)
        .current_dir(root)
        .stdin(if via_stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run exitparse: {e}"))?;
    if via_stdin {
        let data = fs::read(root.join(rel)).unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8(out.stdout).map_err(|_| "stdout is not UTF-8".to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let mut problems = Vec::new();

    for (i, line) in stdout.lines().enumerate() {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(v) => {
                for e in schema.iter_errors(&v) {
                    problems.push(format!(
                        "record {}: schema: {} at {}",
                        i + 1,
                        e,
                        e.instance_path()
                    ));
                }
            }
            Err(e) => problems.push(format!("record {}: not JSON: {e}", i + 1)),
        }
    }
    let has_error = stderr.lines().any(|l| !l.contains(": note: "));
    let want_status = if has_error { 1 } else { 0 };
    if out.status.code() != Some(want_status) {
        problems.push(format!(
            "exit status {:?}, want {want_status} for this stderr",
            out.status.code()
        ));
    }
    if stderr.contains("panicked") {
        problems.push(format!("panic:\n{stderr}"));
    }

    let jsonl = sibling(root, rel, "jsonl");
    let stderr_path = sibling(root, rel, "stderr");
    if bless {
        fs::write(&jsonl, &stdout).unwrap();
        if stderr.is_empty() {
            let _ = fs::remove_file(&stderr_path);
        } else {
            fs::write(&stderr_path, &stderr).unwrap();
        }
    } else {
        match fs::read_to_string(&jsonl) {
            Ok(want) => {
                if want != stdout {
                    problems.push(diff("stdout", &want, &stdout));
                }
            }
            Err(_) => problems.push(format!(
                "no expectation {} (bless to create it)",
                jsonl.display()
            )),
        }
        let want_err = fs::read_to_string(&stderr_path).unwrap_or_default();
        if want_err != stderr {
            problems.push(diff("stderr", &want_err, &stderr));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The first differing line of two texts, expected vs got.
fn diff(what: &str, want: &str, got: &str) -> String {
    let (w, g): (Vec<_>, Vec<_>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            return format!(
                "{what} differs at line {}:\n  want: {}\n  got:  {}",
                i + 1,
                w.get(i).unwrap_or(&"<end>"),
                g.get(i).unwrap_or(&"<end>")
            );
        }
    }
    format!("{what} differs (line endings)")
}

fn load_schema(root: &Path) -> jsonschema::Validator {
    let text = fs::read_to_string(root.join("schema/record.schema.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&value).expect("schema compiles")
}
