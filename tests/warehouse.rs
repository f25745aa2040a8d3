//! Warehouses and pipelines: `exitparse schema` in every format against
//! `schema/record.schema.json`, `-o`, `--format parquet`, `--fail-on`,
//! `--files-from`, `--shard`, the Indexed Job manifest, and typed loading
//! with the real DuckDB (Python package; `.ci/run` installs it and sets
//! `EXITPARSE_REQUIRE_DUCKDB=1`, elsewhere the DuckDB tests skip with a notice).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::{exitparse, root, scratch};

// ---------------------------------------------------------------------------
// The schema formats, field by field.

/// A type as every format can state it.
#[derive(Debug, Clone, PartialEq)]
enum T {
    /// string, integer, number, boolean, timestamp
    Leaf(&'static str),
    List(Box<T>),
    /// (name, type, nullable) in order
    Obj(Vec<(String, T, bool)>),
}

fn schema_file() -> Value {
    let text = std::fs::read_to_string(root().join("schema/record.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The type and nullability of one JSON Schema property.
fn from_json_schema(p: &Value, defs: &Value) -> (T, bool) {
    if let Some(r) = p.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        if name == "timestamp" {
            let nullable = defs[name]["type"].as_array().is_some();
            return (T::Leaf("timestamp"), nullable);
        }
        return from_json_schema(&defs[name], defs);
    }
    if let Some(alts) = p.get("oneOf").and_then(Value::as_array) {
        let other = alts.iter().find(|a| a["type"] != "null").unwrap();
        return (from_json_schema(other, defs).0, true);
    }
    if p.get("const").is_some() {
        return (T::Leaf("string"), false);
    }
    if let Some(values) = p.get("enum").and_then(Value::as_array) {
        return (T::Leaf("string"), values.iter().any(Value::is_null));
    }
    let (ty, nullable) = match &p["type"] {
        Value::String(s) => (s.as_str(), false),
        Value::Array(a) => (
            a.iter().find(|t| *t != "null").unwrap().as_str().unwrap(),
            true,
        ),
        other => panic!("no type in {p}: {other}"),
    };
    let t = match ty {
        "string" => T::Leaf("string"),
        "integer" => T::Leaf("integer"),
        "number" => T::Leaf("number"),
        "boolean" => T::Leaf("boolean"),
        "array" => T::List(Box::new(from_json_schema(&p["items"], defs).0)),
        "object" => {
            let props = p["properties"].as_object().unwrap();
            let required: Vec<&str> = p["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let mut fields = Vec::new();
            for name in &required {
                let (t, n) = from_json_schema(&props[*name], defs);
                fields.push((name.to_string(), t, n));
            }
            assert_eq!(required.len(), props.len(), "every key is required");
            T::Obj(fields)
        }
        other => panic!("unexpected type {other}"),
    };
    (t, nullable)
}

fn file_tree() -> T {
    let schema = schema_file();
    from_json_schema(&schema, &schema["$defs"]).0
}

/// Nested fields all nullable (for formats that cannot say NOT NULL there).
fn top_level_nullability_only(t: &T, top: bool) -> T {
    match t {
        T::Leaf(l) => T::Leaf(l),
        T::List(i) => T::List(Box::new(top_level_nullability_only(i, false))),
        T::Obj(fields) => T::Obj(
            fields
                .iter()
                .map(|(n, t, null)| {
                    (
                        n.clone(),
                        top_level_nullability_only(t, false),
                        !top || *null,
                    )
                })
                .collect(),
        ),
    }
}

fn leaf(word: &str) -> T {
    T::Leaf(match word {
        "VARCHAR" | "STRING" | "TEXT" => "string",
        "BIGINT" | "INT64" => "integer",
        "DOUBLE" | "FLOAT64" | "DOUBLE PRECISION" => "number",
        "BOOLEAN" | "BOOL" => "boolean",
        "TIMESTAMPTZ" | "TIMESTAMP" | "TIMESTAMP WITH TIME ZONE" => "timestamp",
        other => panic!("unknown type {other:?}"),
    })
}

/// A small parser for DuckDB (`STRUCT("a" T, …)`, `T[]`) and Spark
/// (`STRUCT<`a`: T NOT NULL, …>`, `ARRAY<T>`) type strings.
struct TypeText<'a> {
    s: &'a str,
}

impl TypeText<'_> {
    fn ws(&mut self) {
        self.s = self.s.trim_start();
    }
    fn eat(&mut self, p: &str) -> bool {
        self.ws();
        if let Some(rest) = self.s.strip_prefix(p) {
            self.s = rest;
            true
        } else {
            false
        }
    }
    fn name(&mut self) -> String {
        self.ws();
        let q = self.s.chars().next().unwrap();
        assert!(q == '"' || q == '`', "quoted name expected at {:?}", self.s);
        let end = self.s[1..].find(q).unwrap() + 1;
        let n = self.s[1..end].to_string();
        self.s = &self.s[end + 1..];
        n
    }
    fn not_null(&mut self) -> bool {
        self.eat("NOT NULL")
    }
    fn ty(&mut self) -> T {
        self.ws();
        let t = if self.eat("STRUCT(") {
            let mut fields = Vec::new();
            loop {
                let n = self.name();
                let t = self.ty();
                fields.push((n, t, true));
                if self.eat(")") {
                    break;
                }
                assert!(self.eat(","), "{:?}", self.s);
            }
            T::Obj(fields)
        } else if self.eat("STRUCT<") {
            let mut fields = Vec::new();
            loop {
                let n = self.name();
                assert!(self.eat(":"));
                let t = self.ty();
                let nn = self.not_null();
                fields.push((n, t, !nn));
                if self.eat(">") {
                    break;
                }
                assert!(self.eat(","), "{:?}", self.s);
            }
            T::Obj(fields)
        } else if self.eat("ARRAY<") {
            let t = self.ty();
            assert!(self.eat(">"));
            T::List(Box::new(t))
        } else {
            let end = self
                .s
                .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
                .unwrap_or(self.s.len());
            let word = &self.s[..end];
            self.s = &self.s[end..];
            leaf(word)
        };
        if self.s.starts_with("[]") {
            self.s = &self.s[2..];
            return T::List(Box::new(t));
        }
        t
    }
}

fn schema_out(format: &str, extra: &[&str]) -> String {
    let mut args = vec!["schema", "--format", format];
    args.extend_from_slice(extra);
    let run = exitparse(&args, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn the_json_schema_file_is_what_the_generator_prints() {
    let generated = schema_out("json-schema", &[]);
    let file = std::fs::read_to_string(root().join("schema/record.schema.json")).unwrap();
    assert!(
        generated == file,
        "schema/record.schema.json differs from `exitparse schema`: the field list in \
         src/schema/mod.rs is the source; run `cargo run -- schema > schema/record.schema.json`"
    );
}

#[test]
fn bigquery_agrees_with_the_json_schema_field_by_field() {
    fn walk(fields: &Value) -> T {
        T::Obj(
            fields
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let mut t = match f["type"].as_str().unwrap() {
                        "RECORD" => walk(&f["fields"]),
                        other => leaf(other),
                    };
                    let mode = f["mode"].as_str().unwrap();
                    if mode == "REPEATED" {
                        t = T::List(Box::new(t));
                    }
                    (
                        f["name"].as_str().unwrap().to_string(),
                        t,
                        mode == "NULLABLE",
                    )
                })
                .collect(),
        )
    }
    let bq: Value = serde_json::from_str(&schema_out("bigquery", &[])).unwrap();
    assert_eq!(walk(&bq), file_tree());
}

#[test]
fn spark_agrees_with_the_json_schema_field_by_field() {
    let ddl = schema_out("spark", &[]);
    let mut p = TypeText { s: ddl.trim() };
    let mut fields = Vec::new();
    loop {
        let n = p.name();
        let t = p.ty();
        let nn = p.not_null();
        fields.push((n, t, !nn));
        if !p.eat(",") {
            break;
        }
    }
    assert_eq!(p.s.trim(), "");
    // Spark states nullability at every level, except of list items.
    assert_eq!(T::Obj(fields), file_tree());
}

/// The `CREATE TABLE` columns of a DuckDB or SQL script: (name, type, nullable).
fn create_table_columns(script: &str) -> Vec<(String, String, bool)> {
    let body = script.split("CREATE TABLE").nth(1).unwrap();
    let body = &body[body.find('(').unwrap() + 1..body.find("\n);").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.trim_end_matches(',');
            let name_end = l[1..].find('"').unwrap() + 1;
            let name = l[1..name_end].to_string();
            let rest = l[name_end + 1..].trim();
            let (ty, nullable) = match rest.strip_suffix(" NOT NULL") {
                Some(t) => (t, false),
                None => (rest, true),
            };
            (name, ty.to_string(), nullable)
        })
        .collect()
}

#[test]
fn duckdb_agrees_with_the_json_schema_field_by_field() {
    let script = schema_out("duckdb", &["--input", "x/*.jsonl", "--table", "t"]);
    let mut fields = Vec::new();
    for (name, ty, nullable) in create_table_columns(&script) {
        let mut p = TypeText { s: &ty };
        let t = p.ty();
        assert_eq!(p.s, "", "{ty}");
        fields.push((name, t, nullable));
    }
    // DuckDB has no NOT NULL inside a STRUCT.
    assert_eq!(
        T::Obj(fields.clone()),
        top_level_nullability_only(&file_tree(), true)
    );
    // The read_json columns are the table's, one for one.
    let columns = script.split("columns = {").nth(1).unwrap();
    let pairs: Vec<(String, String)> = columns
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('\''))
        .map(|l| {
            let l = l.trim_end_matches(',');
            let (k, v) = l.split_once(": ").unwrap();
            (
                k.trim_matches('\'').to_string(),
                v.trim_matches('\'').to_string(),
            )
        })
        .collect();
    let table: Vec<(String, String)> = create_table_columns(&script)
        .into_iter()
        .map(|(n, t, _)| (n, t))
        .collect();
    assert_eq!(pairs, table);
    assert!(script.contains("'x/*.jsonl'"), "{script}");
}

#[test]
fn sql_agrees_with_the_flattened_json_schema() {
    fn flatten(t: &T, prefix: &str, nullable: bool, out: &mut Vec<(String, T, bool)>) {
        if let T::Obj(fields) = t {
            for (n, t, null) in fields {
                let name = format!("{prefix}{n}");
                match t {
                    T::Obj(_) => flatten(t, &format!("{name}_"), nullable || *null, out),
                    _ => out.push((name, t.clone(), nullable || *null)),
                }
            }
        }
    }
    let mut expected = Vec::new();
    flatten(&file_tree(), "", false, &mut expected);
    let script = schema_out("sql", &[]);
    let got: Vec<(String, T, bool)> = create_table_columns(&script)
        .into_iter()
        .map(|(n, ty, null)| {
            let t = match ty.strip_suffix("[]") {
                Some(item) => T::List(Box::new(leaf(item))),
                None => leaf(&ty),
            };
            (n, t, null)
        })
        .collect();
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------
// The command line: bad input, -o, --fail-on, --files-from, --shard.

/// A describe dump with three OOM kills on known days.
const OOM_DESCRIBE: &str = "\
Name:         api-1
Namespace:    warehouse-a
Node:         node-1/10.0.0.1
Status:       Running
Containers:
  app:
    Image:          shop/api:1
    State:          Running
      Started:      Tue, 04 Mar 2025 09:00:00 +0000
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Tue, 04 Mar 2025 08:00:00 +0000
      Finished:     Tue, 04 Mar 2025 08:41:10 +0000
    Ready:          True
    Restart Count:  1


Name:         api-2
Namespace:    warehouse-a
Node:         node-2/10.0.0.2
Status:       Failed
Containers:
  app:
    Image:          shop/api:1
    State:          Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Tue, 04 Mar 2025 10:00:00 +0000
      Finished:     Tue, 04 Mar 2025 23:59:59 +0000
    Ready:          False
    Restart Count:  0


Name:         worker-1
Namespace:    warehouse-b
Node:         node-1/10.0.0.1
Status:       Failed
Containers:
  worker:
    Image:          shop/worker:2
    State:          Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Wed, 05 Mar 2025 00:00:00 +0000
      Finished:     Wed, 05 Mar 2025 00:00:01 +0000
    Ready:          False
    Restart Count:  0
  sidecar:
    Image:          envoy:1
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Wed, 05 Mar 2025 00:00:00 +0000
      Finished:     Wed, 05 Mar 2025 00:00:02 +0000
    Ready:          False
    Restart Count:  0
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn bad_command_lines_exit_2_before_reading_input() {
    let dir = scratch("warehouse-bad");
    let missing = dir.join("never-read.txt");
    let input = write(&dir, "in.txt", OOM_DESCRIBE);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["schema".into(), "--format".into(), "avro".into()],
            "avro",
        ),
        (
            vec!["--shard".into(), "3/2".into(), s(&missing).into()],
            "0 to 1",
        ),
        (
            vec!["--shard".into(), "0/0".into(), s(&missing).into()],
            "at least 1",
        ),
        (
            vec!["--shard".into(), "0/2".into()],
            "stdin cannot be split",
        ),
        (
            vec!["-f".into(), "parquet".into(), s(&missing).into()],
            "needs -o",
        ),
        (
            vec![
                "-o".into(),
                s(&dir.join("no/such/dir/out.jsonl")).into(),
                s(&missing).into(),
            ],
            "cannot write there",
        ),
        (
            vec!["-o".into(), s(&dir).into(), s(&missing).into()],
            "is a directory",
        ),
        (
            vec!["-o".into(), s(&input).into(), s(&input).into()],
            "is an input",
        ),
        (
            vec!["--fail-on".into(), "oom,error".into(), s(&missing).into()],
            "neither a category",
        ),
        (
            vec!["--files-from".into(), s(&dir.join("no-list")).into()],
            "--files-from",
        ),
    ];
    for (args, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = exitparse(&args, None);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains("never-read"),
            "{args:?} read input: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // -o onto an input is refused whatever the spelling, and the input is untouched.
    let run = exitparse(
        &[
            "-o",
            "./target/test-scratch/warehouse-bad/in.txt",
            s(&input),
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), OOM_DESCRIBE);
}

#[test]
fn output_file_holds_what_stdout_would() {
    let dir = scratch("warehouse-o");
    let input = write(&dir, "in.txt", OOM_DESCRIBE);
    for format in ["jsonl", "json", "csv", "table"] {
        let to_stdout = exitparse(&["-f", format, s(&input)], None);
        let out = dir.join(format!("out.{format}"));
        let run = exitparse(&["-f", format, "-o", s(&out), s(&input)], None);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            to_stdout.stdout,
            "{format}"
        );
    }
    // Nothing but the outputs and the input is left in the directory.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".exitparse-")),
        "{names:?}"
    );
}

#[test]
fn fail_on_exits_3_after_filters_and_1_wins() {
    let dir = scratch("warehouse-fail-on");
    let input = write(&dir, "in.txt", OOM_DESCRIBE);
    let run = exitparse(&["--fail-on", "oom_killed", s(&input)], None);
    assert_eq!(run.status, 3, "{}", run.stderr);
    assert_eq!(run.records().len(), 4, "records are still written");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("exitparse: --fail-on oom_killed: 3 records matched, first ")
            && lines[0].contains("warehouse-a/api-1/app"),
        "{}",
        lines[0]
    );
    // A severity, and a list.
    assert_eq!(
        exitparse(&["--fail-on", "info,error", s(&input)], None).status,
        3
    );
    // Nothing matches: 0.
    let run = exitparse(&["--fail-on", "segfault,warning", s(&input)], None);
    assert_eq!((run.status, run.stderr.as_str()), (0, ""));
    // Filters first: the matching records are filtered out.
    let run = exitparse(
        &[
            "--fail-on",
            "oom_killed",
            "--category",
            "completed",
            s(&input),
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    // An unreadable input outranks a match.
    let missing = dir.join("missing.txt");
    let run = exitparse(&["--fail-on", "oom_killed", s(&input), s(&missing)], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
}

#[test]
fn files_from_reads_newline_and_nul_lists() {
    let dir = scratch("warehouse-files-from");
    let a = write(&dir, "a.txt", OOM_DESCRIBE);
    let b = write(&dir, "b with space.txt", OOM_DESCRIBE);
    let both = exitparse(&[s(&a), s(&b)], None);
    assert_eq!(both.status, 0);
    let list = write(&dir, "list.txt", &format!("{}\r\n\n{}\n", s(&a), s(&b)));
    let run = exitparse(&["--files-from", s(&list)], None);
    assert_eq!(run.stdout, both.stdout, "{}", run.stderr);
    let nul = write(&dir, "list0", &format!("{}\0{}\0", s(&a), s(&b)));
    let run = exitparse(&["--files-from", s(&nul)], None);
    assert_eq!(run.stdout, both.stdout, "{}", run.stderr);
    let listed = format!("{}\n{}\n", s(&a), s(&b));
    let run = exitparse(&["--files-from", "-"], Some(listed.as_bytes()));
    assert_eq!(run.stdout, both.stdout, "{}", run.stderr);
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::to_string).collect();
    v.sort();
    v
}

/// The bundle roots under `fixtures/` (one directory per format), as paths.
fn fixture_roots() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| format!("fixtures/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn shards_run_concurrently_add_up_to_the_whole_run() {
    // Shards place each bundle root (a directory or archive named on the
    // command line) whole, so the joins inside each are the same.
    let roots = fixture_roots();
    let mut args: Vec<&str> = roots.iter().map(String::as_str).collect();
    args.push("--no-progress");
    let whole = exitparse(&args, None);
    assert!(!whole.stdout.is_empty());
    let n = 3;
    let children: Vec<_> = (0..n)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_exitparse"))
                .args(&args)
                .args(["--shard", &format!("{i}/{n}")])
                .current_dir(root())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut union = Vec::new();
    let mut counts = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        counts.push(text.lines().count());
        union.extend(text.lines().map(str::to_string));
    }
    union.sort();
    assert_eq!(union, sorted_lines(&whole.stdout));
    assert!(
        counts.iter().all(|&c| c > 0),
        "every shard has work: {counts:?}"
    );
    // Same split whatever the order the paths are given in.
    let forward = exitparse(
        &["--shard", "1/3", "fixtures/k8s-json", "fixtures/docker-ps"],
        None,
    );
    let backward = exitparse(
        &["--shard", "1/3", "fixtures/docker-ps", "fixtures/k8s-json"],
        None,
    );
    assert_eq!(
        sorted_lines(&forward.stdout),
        sorted_lines(&backward.stdout)
    );
    // A directory named on the command line is one bundle: all of it in
    // exactly one shard.
    let alone: Vec<usize> = (0..n)
        .map(|i| {
            let run = exitparse(&["--shard", &format!("{i}/{n}"), "fixtures/bundle"], None);
            run.stdout.lines().count()
        })
        .collect();
    let whole_bundle = exitparse(&["fixtures/bundle"], None).stdout.lines().count();
    assert!(whole_bundle > 0);
    assert_eq!(
        alone.iter().filter(|&&c| c == whole_bundle).count(),
        1,
        "{alone:?}"
    );
    assert_eq!(
        alone.iter().filter(|&&c| c == 0).count(),
        n - 1,
        "{alone:?}"
    );
}

#[test]
fn the_indexed_job_manifest_matches_the_command_line() {
    use clap::Parser;
    let text = std::fs::read_to_string(root().join("docs/scale-out/indexed-job.yaml")).unwrap();
    let job: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(job["kind"], "Job");
    assert_eq!(job["apiVersion"], "batch/v1");
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let completions = spec["completions"].as_u64().unwrap();
    assert_eq!(spec["parallelism"].as_u64(), Some(completions));
    let container = &spec["template"]["spec"]["containers"][0];
    let args: Vec<&str> = container["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let shard_at = args.iter().position(|a| *a == "--shard").unwrap();
    assert_eq!(
        args[shard_at + 1],
        format!("$(JOB_COMPLETION_INDEX)/{completions}")
    );
    // Every pod's command line is one exitparse takes, with its own shard
    // and its own output file.
    let mut outputs = Vec::new();
    for index in 0..completions {
        let argv: Vec<String> = std::iter::once("exitparse".to_string())
            .chain(
                args.iter()
                    .map(|a| a.replace("$(JOB_COMPLETION_INDEX)", &index.to_string())),
            )
            .collect();
        let cli =
            exitparse::cli::Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        let shard = cli.run.shard.unwrap();
        assert_eq!((shard.index, shard.count), (index, completions));
        assert!(cli.run.files_from.is_some());
        outputs.push(cli.run.output.unwrap());
    }
    outputs.dedup();
    assert_eq!(outputs.len() as u64, completions);
    // Inputs come from a mounted volume.
    let mounts = container["volumeMounts"].as_array().unwrap();
    let list = &args[args.iter().position(|a| *a == "--files-from").unwrap() + 1];
    assert!(
        mounts
            .iter()
            .any(|m| list.starts_with(m["mountPath"].as_str().unwrap())),
        "{list} is on a volume"
    );
}

// ---------------------------------------------------------------------------
// DuckDB, for real.

/// The Python (`$EXITPARSE_PYTHON`, else `python3`) when it can import
/// duckdb; `None` (after a notice) when it cannot and
/// `EXITPARSE_REQUIRE_DUCKDB` is unset; a failure when it is set.
fn duckdb_python() -> Option<String> {
    let py = std::env::var("EXITPARSE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let ok = Command::new(&py)
        .args(["-c", "import duckdb"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(py);
    }
    if std::env::var_os("EXITPARSE_REQUIRE_DUCKDB").is_some_and(|v| v != "0") {
        panic!(
            "EXITPARSE_REQUIRE_DUCKDB is set but `{py} -c 'import duckdb'` fails; \
             install it with `{py} -m pip install duckdb` (see .ci/run)"
        );
    }
    eprintln!(
        "note: skipping the DuckDB test: {py} cannot import duckdb \
         ({py} -m pip install duckdb; .ci/run does)"
    );
    None
}

/// Runs `script` with `args`; its stdout is one JSON value.
fn python(py: &str, dir: &Path, script: &str, args: &[&str]) -> Value {
    let file = write(dir, "check.py", script);
    let out = Command::new(py)
        .arg(&file)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

/// Loads each dataset (a file or glob of JSON lines) twice, with the
/// `duckdb` schema and with read_json_auto, and reports types, counts and
/// "OOM kills per namespace per day"; the expected answer is computed from
/// the JSON lines themselves.
const LOAD_CHECK: &str = r#"
import duckdb, glob, json, sys
from collections import Counter
schema_sql = open(sys.argv[1]).read()
report = {}
for pattern in sys.argv[2:]:
    rows = [json.loads(l) for f in sorted(glob.glob(pattern)) for l in open(f) if l.strip()]
    want = Counter((r["namespace"], r["exited_at"][:10] if r["exited_at"] else None)
                   for r in rows if r["classification"]["category"] == "oom_killed")
    want = sorted([[k[0], k[1], n] for k, n in want.items()], key=lambda x: (str(x[0]), str(x[1])))
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    c.execute(schema_sql.replace("'records.jsonl'", "'" + pattern + "'"))
    q = """SELECT namespace, CAST(CAST(exited_at AS DATE) AS VARCHAR), count(*)
           FROM {} WHERE classification.category = 'oom_killed' GROUP BY ALL"""
    def per_day(src):
        got = [list(r) for r in c.execute(q.format(src)).fetchall()]
        return sorted(got, key=lambda x: (str(x[0]), str(x[1])))
    auto = "read_json_auto('" + pattern + "', union_by_name = true)"
    report[pattern] = {
        "lines": len(rows),
        "typed": {
            "describe": [[r[0], r[1]] for r in c.execute("DESCRIBE exitparse_records").fetchall()],
            "count": c.execute("SELECT count(*) FROM exitparse_records").fetchone()[0],
            "per_day": per_day("exitparse_records"),
            "exit_code_type": c.execute("SELECT typeof(state.exit_code), typeof(classification.exit_code), typeof(exited_at), typeof(state.finished_at) FROM exitparse_records LIMIT 1").fetchone(),
        },
        "auto": {
            "count": c.execute("SELECT count(*) FROM " + auto).fetchone()[0],
            "per_day": per_day(auto),
        },
        "want": want,
    }
print(json.dumps(report))
"#;

/// Runs exitparse with `-o out`; the run may report inputs it cannot read
/// (some fixtures are broken on purpose) but must write its records.
fn write_output(args: &[&str], out: &Path) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--no-progress", "-o", s(out)]);
    let run = exitparse(&all, None);
    assert!(
        run.status == 0 || run.status == 1,
        "{all:?}: {}",
        run.stderr
    );
    assert!(out.exists(), "{all:?} wrote no file: {}", run.stderr);
}

/// Every input file under fixtures/ (not the expectations beside them).
fn fixture_inputs() -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for dir in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext != "jsonl" && ext != "stderr" {
                inputs.push(f);
            }
        }
    }
    inputs.sort();
    inputs
}

#[test]
fn duckdb_loads_every_format_alone_mixed_and_globbed_with_fixed_types() {
    let Some(py) = duckdb_python() else { return };
    let dir = scratch("warehouse-duckdb");
    let own = write(&dir, "oom.txt", OOM_DESCRIBE);
    let mut patterns = Vec::new();
    // Alone: one output per input format.
    for format_dir in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let format_dir = format_dir.unwrap().path();
        let name = format_dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = dir.join(format!("alone-{name}.jsonl"));
        write_output(&[s(&format_dir)], &out);
        patterns.push(s(&out).to_string());
    }
    // Mixed: every format in one run.
    let mixed = dir.join("mixed.jsonl");
    write_output(&["fixtures", s(&own)], &mixed);
    patterns.push(s(&mixed).to_string());
    // A glob over one output file per input.
    let per_file = dir.join("per-file");
    std::fs::create_dir_all(&per_file).unwrap();
    let mut inputs = fixture_inputs();
    inputs.push(own.clone());
    for (i, input) in inputs.iter().enumerate() {
        write_output(&[s(input)], &per_file.join(format!("{i:04}.jsonl")));
    }
    patterns.push(format!("{}/*.jsonl", s(&per_file)));

    let schema_sql = write(&dir, "schema.sql", &schema_out("duckdb", &[]));
    let args: Vec<&str> = std::iter::once(s(&schema_sql))
        .chain(patterns.iter().map(String::as_str))
        .collect();
    let report = python(&py, &dir, LOAD_CHECK, &args);
    let expected_types: Vec<Vec<String>> = {
        let script = schema_out("duckdb", &[]);
        create_table_columns(&script)
            .into_iter()
            .map(|(n, t, _)| vec![n, t])
            .collect()
    };
    for pattern in &patterns {
        let r = &report[pattern.as_str()];
        let lines = r["lines"].as_u64().unwrap();
        assert!(lines > 0, "{pattern}: no records");
        let typed = &r["typed"];
        assert_eq!(typed["count"].as_u64(), Some(lines), "{pattern}");
        assert_eq!(typed["per_day"], r["want"], "{pattern}: typed per-day");
        assert_eq!(r["auto"]["count"].as_u64(), Some(lines), "{pattern}");
        assert_eq!(
            r["auto"]["per_day"], r["want"],
            "{pattern}: read_json_auto per-day"
        );
        assert_eq!(
            typed["exit_code_type"],
            serde_json::json!([
                "BIGINT",
                "BIGINT",
                "TIMESTAMP WITH TIME ZONE",
                "TIMESTAMP WITH TIME ZONE"
            ]),
            "{pattern}"
        );
        // DESCRIBE spells the types its own way; compare by parsing both.
        let described: Vec<(String, T)> = typed["describe"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let ty = c[1]
                    .as_str()
                    .unwrap()
                    .replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ");
                let ty = quote_struct_names(&ty);
                let mut p = TypeText { s: &ty };
                (c[0].as_str().unwrap().to_string(), p.ty())
            })
            .collect();
        let declared: Vec<(String, T)> = expected_types
            .iter()
            .map(|c| (c[0].clone(), TypeText { s: &c[1] }.ty()))
            .collect();
        assert_eq!(described, declared, "{pattern}");
    }
    // The hand-written dump's rows, exactly.
    let want = &report[s(&mixed)]["want"];
    for row in [
        serde_json::json!(["warehouse-a", "2025-03-04", 2]),
        serde_json::json!(["warehouse-b", "2025-03-05", 1]),
    ] {
        assert!(want.as_array().unwrap().contains(&row), "{row} in {want}");
    }
}

/// DESCRIBE writes `STRUCT(path VARCHAR, "offset" BIGINT)`: quote every
/// field name so [`TypeText`] reads both spellings alike.
fn quote_struct_names(ty: &str) -> String {
    let mut out = String::new();
    let mut rest = ty;
    while let Some(i) = rest.find(['(', ',']) {
        out.push_str(&rest[..=i]);
        rest = rest[i + 1..].trim_start();
        if !rest.starts_with('"') {
            let end = rest.find(' ').unwrap();
            out.push('"');
            out.push_str(&rest[..end]);
            out.push('"');
            rest = &rest[end..];
        }
        out.push(' ');
    }
    out.push_str(rest);
    out
}

const PARQUET_CHECK: &str = r#"
import duckdb, json, sys
schema_sql, jsonl, parquet = sys.argv[1:4]
c = duckdb.connect()
c.execute("SET TimeZone = 'UTC'")
c.execute(schema_sql.replace("'records.jsonl'", "'" + jsonl + "'"))
c.execute("CREATE TABLE p AS SELECT * FROM read_parquet('" + parquet + "')")
describe = lambda t: [[r[0], r[1]] for r in c.execute("DESCRIBE " + t).fetchall()]
q = """SELECT namespace, CAST(CAST(exited_at AS DATE) AS VARCHAR), count(*)
       FROM {} WHERE classification.category = 'oom_killed' GROUP BY ALL ORDER BY ALL"""
print(json.dumps({
    "json_describe": describe("exitparse_records"),
    "parquet_describe": describe("p"),
    "json_count": c.execute("SELECT count(*) FROM exitparse_records").fetchone()[0],
    "parquet_count": c.execute("SELECT count(*) FROM p").fetchone()[0],
    "only_json": c.execute("SELECT count(*) FROM (SELECT * FROM exitparse_records EXCEPT ALL SELECT * FROM p)").fetchone()[0],
    "only_parquet": c.execute("SELECT count(*) FROM (SELECT * FROM p EXCEPT ALL SELECT * FROM exitparse_records)").fetchone()[0],
    "json_per_day": [list(r) for r in c.execute(q.format("exitparse_records")).fetchall()],
    "parquet_per_day": [list(r) for r in c.execute(q.format("p")).fetchall()],
    "row_groups": c.execute("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + parquet + "')").fetchone()[0],
}))
"#;

#[test]
fn duckdb_reads_parquet_back_with_the_same_answers_as_json() {
    let Some(py) = duckdb_python() else { return };
    let dir = scratch("warehouse-parquet");
    let own = write(&dir, "oom.txt", OOM_DESCRIBE);
    let jsonl = dir.join("all.jsonl");
    let parquet = dir.join("all.parquet");
    write_output(&["fixtures", s(&own)], &jsonl);
    write_output(&["fixtures", s(&own), "-f", "parquet"], &parquet);
    let schema_sql =
        std::fs::read_to_string(write(&dir, "schema.sql", &schema_out("duckdb", &[]))).unwrap();
    let r = python(
        &py,
        &dir,
        PARQUET_CHECK,
        &[&schema_sql, s(&jsonl), s(&parquet)],
    );
    assert_eq!(r["json_describe"], r["parquet_describe"]);
    assert!(r["json_count"].as_u64().unwrap() > 0);
    assert_eq!(r["json_count"], r["parquet_count"]);
    assert_eq!(r["only_json"], 0);
    assert_eq!(r["only_parquet"], 0);
    assert_eq!(r["json_per_day"], r["parquet_per_day"]);
    let per_day: BTreeMap<String, u64> = r["parquet_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (format!("{}|{}", row[0], row[1]), row[2].as_u64().unwrap()))
        .collect();
    assert_eq!(per_day.get("\"warehouse-a\"|\"2025-03-04\""), Some(&2));
    assert_eq!(r["row_groups"], 1);
}
