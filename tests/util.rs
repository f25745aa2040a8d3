//! Shared helpers: run the real binary, decode and schema-check its records.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The repository root (tests run the binary from here, so paths are stable).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout (or `$EXITPARSE_SHARED`), when it is
/// there: the real dumps some tests also read. Tests skip them without it;
/// the project never depends on them.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("EXITPARSE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    dir.join("realworld").is_dir().then_some(dir)
}

/// Every file below `dir`, recursively and sorted; none when `dir` is
/// missing.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in entries.flatten().map(|e| e.path()) {
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A fresh scratch directory under `target/`, removed and recreated.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What one run of exitparse gave.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The records on stdout, each validated against the v1 schema.
    pub fn records(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
                assert_valid(&v);
                v
            })
            .collect()
    }
}

/// Runs exitparse with `args` in the repository root, feeding `stdin`.
pub fn exitparse(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run exitparse");
    if let Some(data) = stdin {
        let data = data.to_vec();
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    let out: Output = child.wait_with_output().expect("wait for exitparse");
    let run = Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "exitparse panicked:\n{}",
        run.stderr
    );
    run
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("schema/record.schema.json")).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// Panics with every schema violation of `record`.
pub fn assert_valid(record: &serde_json::Value) {
    let errors: Vec<String> = validator()
        .iter_errors(record)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "record violates the schema: {errors:?}\n{record}"
    );
}

/// Compares `got` with `tests/golden/NAME`, or rewrites it when
/// `EXITPARSE_BLESS` is set; `suite` names the test filter to bless with.
pub fn golden(suite: &str, name: &str, got: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("EXITPARSE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run EXITPARSE_BLESS=1 cargo test --test tests {suite}",
            path.display()
        )
    });
    assert!(
        want == got,
        "{} differs\n--- expected\n{want}\n--- got\n{got}\n---",
        path.display()
    );
}

/// The ```console blocks of a document: (first line, the lines after it).
pub fn console_blocks(doc: &str) -> impl Iterator<Item = (&str, &str)> {
    doc.split("```console\n").skip(1).filter_map(|block| {
        let (body, _) = block.split_once("```")?;
        body.split_once('\n')
    })
}
