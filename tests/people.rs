//! Features for people (issue 5): `explain`, the csv/table/json formats, the
//! summary, the filters, completions and man page, and colours only on a
//! terminal.
//!
//! Golden files live in `tests/golden/`; `EXITPARSE_BLESS=1 cargo test --test
//! tests people` rewrites them for review in `git diff`.

use std::process::{Command, Stdio};
use std::sync::Arc;

use clap::Parser;
use exitparse::cli::Cli;
use exitparse::filter::Filter;
use exitparse::model::{ContainerType, Observation, SourceFormat, State, Status};
use exitparse::output::csv::Csv;
use exitparse::output::json::JsonArray;
use exitparse::output::summary::Summary;
use exitparse::output::table::Table;
use exitparse::output::{CollectFormat, Mode, Record, StreamFormat, mode_for};

use crate::util::{exitparse, root};

fn golden(name: &str, got: &str) {
    crate::util::golden("people", name, got)
}

// ---------------------------------------------------------------- explain

/// (golden file stem, query): a range of codes, signals and reasons.
const EXPLAIN_CASES: &[(&str, &str)] = &[
    ("0", "0"),
    ("1", "1"),
    ("3", "3"),
    ("9", "9"),
    ("126", "126"),
    ("127", "127"),
    ("128", "128"),
    ("134", "134"),
    ("137", "137"),
    ("139", "139"),
    ("143", "143"),
    ("158", "158"),
    ("200", "200"),
    ("255", "255"),
    ("neg-1073741819", "-1073741819"),
    ("hex-C0000005", "0xC0000005"),
    ("3221225786", "3221225786"),
    ("hex-C0001234", "0xC0001234"),
    ("1000", "1000"),
    ("too-big", "99999999999"),
    ("SIGSEGV", "SIGSEGV"),
    ("KILL", "KILL"),
    ("SIGRTMIN+3", "SIGRTMIN+3"),
    ("listing-Init-Signal-9", "Init:Signal:9"),
    ("OOMKilled", "OOMKilled"),
    ("CrashLoopBackOff", "CrashLoopBackOff"),
    ("ContainerStatusUnknown", "ContainerStatusUnknown"),
    ("StartError", "StartError"),
    ("ErrImagePull", "ErrImagePull"),
    ("CreateContainerConfigError", "CreateContainerConfigError"),
    ("Evicted", "Evicted"),
    ("DeadlineExceeded", "DeadlineExceeded"),
    ("Completed", "Completed"),
    ("Error", "Error"),
    ("Unknown", "Unknown"),
    ("BackOff", "BackOff"),
    ("typo-OOMKiled", "OOMKiled"),
];

#[test]
fn explain_golden_text() {
    for (stem, query) in EXPLAIN_CASES {
        let run = exitparse(&["explain", "--", query], None);
        assert_eq!(run.status, 0, "{query}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{query}: {}", run.stderr);
        golden(&format!("explain/{stem}.txt"), &run.stdout);
    }
}

#[test]
fn explain_golden_json() {
    for (stem, query) in [
        ("137", "137"),
        ("OOMKilled", "OOMKilled"),
        ("SIGSEGV", "SIGSEGV"),
    ] {
        let run = exitparse(&["explain", "--json", "--", query], None);
        assert_eq!(run.status, 0, "{query}: {}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("explain --json");
        assert!(v["headline"].is_string());
        golden(&format!("explain/{stem}.json"), &run.stdout);
    }
}

#[test]
fn explain_agrees_with_the_classifier_on_every_code() {
    // A terminated container with code N gets the category `explain N` names.
    for code in (0..=256).chain([-1073741819, 3221225786, 1073807364]) {
        let run = exitparse(&["explain", "--json", "--", &code.to_string()], None);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut state = State::new(Status::Terminated);
        state.exit_code = Some(code);
        let record = Record::new(
            "x".into(),
            Observation {
                state,
                ..Observation::default()
            },
        );
        assert_eq!(
            v["category"].as_str(),
            Some(record.classification.category.as_str()),
            "code {code}"
        );
    }
}

#[test]
fn explain_takes_negative_codes_without_dashes() {
    let run = exitparse(&["explain", "-1073741819"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    golden("explain/neg-1073741819.txt", &run.stdout);
    let run = exitparse(&["explain", "--json", "-1"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("exit(-1) of a Windows program"),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_rejects_what_it_cannot_read() {
    for (query, message) in [
        (
            "SIGNOPE",
            "error: explain: \"SIGNOPE\" is not a Linux signal name",
        ),
        (
            "Signal:99",
            "error: explain: 99 is not a Linux signal number (1–64)",
        ),
        ("0xZZ", "error: explain: \"0xZZ\" is not a number"),
        (
            "SIGSEV",
            "error: explain: \"SIGSEV\" is not a Linux signal name; did you mean SIGSEGV?",
        ),
    ] {
        let run = exitparse(&["explain", "--", query], None);
        assert_eq!(run.status, 2, "{query}");
        assert!(run.stderr.starts_with(message), "{query}: {}", run.stderr);
    }
}

#[test]
fn explain_strips_control_characters_from_the_query() {
    let run = exitparse(&["explain", "--", "Bad\x1b[2JWord"], None);
    assert_eq!(run.status, 0);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

// --------------------------------------------------------- output formats

fn terminated(code: i64, reason: &str, finished: &str) -> State {
    let mut s = State::new(Status::Terminated);
    s.exit_code = Some(code);
    s.reason = Some(reason.to_string());
    s.finished_at = Some(finished.to_string());
    s
}

/// Records as the engine makes them: observations classified by `Record::new`.
fn records() -> Vec<Record> {
    let path: Arc<str> = "dump.txt".into();
    let pod = |ns: &str, pod: &str, c: &str, node: &str, image: &str| Observation {
        format: Some(SourceFormat::KubectlDescribe),
        namespace: Some(ns.into()),
        pod: Some(pod.into()),
        container: Some(c.into()),
        node: Some(node.into()),
        image: Some(image.into()),
        pod_phase: Some("Running".into()),
        ready: Some(false),
        restart_count: Some(0),
        ..Observation::default()
    };
    let mut v = Vec::new();

    let mut o = pod(
        "shop",
        "api-5c9d7b6f4-xk2lp",
        "api",
        "worker-2",
        "registry.example/api:1.4.2",
    );
    o.line = 1;
    o.state = State::new(Status::Waiting);
    o.state.reason = Some("CrashLoopBackOff".into());
    o.last_state = Some(terminated(137, "OOMKilled", "2025-03-04T08:41:10Z"));
    o.restart_count = Some(6);
    v.push(o);

    let mut o = pod("shop", "web-6f7c9-abcde", "nginx", "worker-1", "nginx:1.27");
    o.line = 60;
    o.state = State::new(Status::Running);
    o.state.started_at = Some("2025-03-04T07:00:00Z".into());
    o.ready = Some(true);
    v.push(o);

    let mut o = pod(
        "batch",
        "report-29012345-x7k2p",
        "report",
        "worker-1",
        "registry.example/report:2.0",
    );
    o.line = 120;
    o.pod_phase = Some("Succeeded".into());
    o.state = terminated(0, "Completed", "2025-03-03T10:00:00Z");
    v.push(o);

    let mut o = pod(
        "kube-system",
        "kube-proxy-8kq2d",
        "kube-proxy",
        "worker-2",
        "registry.k8s.io/kube-proxy:v1.31.0",
    );
    o.line = 170;
    o.state = terminated(143, "Error", "2025-03-04T12:00:00.5Z");
    o.restart_count = Some(1);
    v.push(o);

    let mut o = pod(
        "shop",
        "checkout-worker-with-a-very-long-generated-name-7d9f8b6c5d-q2w3e",
        "worker",
        "worker-3",
        "registry.example/checkout:3.1",
    );
    o.line = 230;
    o.state = terminated(1, "Error", "2025-03-04T09:15:00Z");
    o.restart_count = Some(2);
    v.push(o);

    // A docker container: no pod, no namespace, and a hostile name.
    let o = Observation {
        line: 1,
        format: Some(SourceFormat::DockerInspect),
        container: Some("evil\x1b[2J\nname,\"quoted\"".into()),
        container_type: ContainerType::Container,
        image: Some("busybox:latest".into()),
        container_id: Some("3f2a9c".into()),
        restart_count: Some(0),
        state: terminated(139, "", "2025-03-02T23:59:59Z"),
        ..Observation::default()
    };
    v.push(o);

    v.into_iter()
        .map(|mut o| {
            if o.state.reason.as_deref() == Some("") {
                o.state.reason = None;
            }
            Record::new(path.clone(), o)
        })
        .collect()
}

fn stream(format: &dyn StreamFormat, records: &[Record]) -> String {
    let mut out = format.header().unwrap_or_default();
    for r in records {
        format.render(r, &mut out);
    }
    String::from_utf8(out).unwrap()
}

fn collect(mut format: Box<dyn CollectFormat>, records: Vec<Record>) -> String {
    for r in records {
        format.push(r);
    }
    let mut out = Vec::new();
    format.finish(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_golden_and_readable_by_a_csv_reader() {
    let got = stream(&Csv::default(), &records());
    golden("formats/records.csv", &got);
    let mut reader = csv::Reader::from_reader(got.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 31);
    assert_eq!(&header[0], "source_path");
    assert_eq!(&header[28], "hint");
    assert_eq!(&header[30], "exited_at");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    // Quoting survives a comma and a quote; the escape and newline do not.
    assert_eq!(&rows[5][8], "evil [2J name,\"quoted\"");
    assert_eq!(&rows[0][23], "oom_killed");
    // exited_at is the judged termination's finish: the last state's for a
    // waiting container, none for a running one.
    assert_eq!(&rows[0][30], &rows[0][22]);
    assert_eq!(&rows[1][30], "");
    assert_eq!(&rows[2][30], &rows[2][18]);
}

#[test]
fn table_golden_plain() {
    let got = collect(Box::new(Table::new(false, None)), records());
    golden("formats/records.table", &got);
    assert!(!got.contains('\x1b'));
    // Every row is as wide as the header up to the last column.
    let summary_at = got.lines().next().unwrap().find("SUMMARY").unwrap();
    for line in got.lines() {
        assert!(line.chars().count() > summary_at, "{line}");
    }
}

#[test]
fn table_colours_category_by_severity_when_asked() {
    let got = collect(Box::new(Table::new(true, None)), records());
    assert!(got.contains("\x1b[1;31moom_killed\x1b[0m"), "{got}");
    assert!(got.contains("\x1b[32mrunning\x1b[0m"), "{got}");
    assert!(got.contains("\x1b[33mterminated\x1b[0m"), "{got}");
    // Only the category is painted, never an input value.
    assert_eq!(got.matches('\x1b').count(), 12, "{got:?}");
}

#[test]
fn json_array_golden() {
    let got = collect(Box::<JsonArray>::default(), records());
    golden("formats/records.json", &got);
    let v: Vec<serde_json::Value> = serde_json::from_str(&got).unwrap();
    assert_eq!(v.len(), 6);
    for r in &v {
        crate::util::assert_valid(r);
    }
    assert_eq!(collect(Box::<JsonArray>::default(), Vec::new()), "[]\n");
}

#[test]
fn summary_golden_table_and_json() {
    golden(
        "formats/summary.table",
        &collect(Box::new(Summary::new(false, false)), records()),
    );
    let json = collect(Box::new(Summary::new(true, false)), records());
    golden("formats/summary.json", &json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        collect(Box::new(Summary::new(false, false)), Vec::new()),
        "0 containers\n"
    );
    assert_eq!(v["containers"], 6);
    assert_eq!(v["failures"], 4);
    assert_eq!(v["namespaces"][0]["name"], "shop");
    assert_eq!(v["exit_codes"][0]["failures"], 1);
}

#[test]
fn mode_follows_the_command_line() {
    let mode = |args: &[&str]| {
        let mut argv = vec!["exitparse"];
        argv.extend_from_slice(args);
        mode_for(&Cli::try_parse_from(argv).unwrap().run)
    };
    assert!(matches!(mode(&[]), Mode::Stream(_)));
    assert!(matches!(mode(&["--format", "csv"]), Mode::Stream(_)));
    assert!(matches!(mode(&["-f", "table"]), Mode::Collect(_)));
    assert!(matches!(mode(&["--format", "json"]), Mode::Collect(_)));
    assert!(matches!(mode(&["--summary"]), Mode::Collect(_)));
}

// ---------------------------------------------------------------- filters

/// `namespace/pod/container` of the records that the flags keep.
fn kept(args: &[&str]) -> Vec<String> {
    let mut argv = vec!["exitparse"];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).unwrap();
    let filter = Filter::from_args(&cli.run).unwrap();
    records()
        .iter()
        .filter(|r| filter.keep(r))
        .map(|r| {
            let o = &r.observation;
            format!(
                "{}/{}",
                o.pod.as_deref().unwrap_or("-"),
                o.container.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn filters_select_records() {
    assert_eq!(kept(&[]).len(), 6);
    assert_eq!(
        kept(&["--only-failures"]),
        [
            "api-5c9d7b6f4-xk2lp/api",
            "kube-proxy-8kq2d/kube-proxy",
            "checkout-worker-with-a-very-long-generated-name-7d9f8b6c5d-q2w3e/worker",
            "-/evil\x1b[2J\nname,\"quoted\"",
        ]
    );
    assert_eq!(
        kept(&["--category", "oom_killed", "--category", "segfault"]),
        ["api-5c9d7b6f4-xk2lp/api", "-/evil\x1b[2J\nname,\"quoted\""]
    );
    assert_eq!(
        kept(&["--namespace", "shop", "--only-failures"]),
        [
            "api-5c9d7b6f4-xk2lp/api",
            "checkout-worker-with-a-very-long-generated-name-7d9f8b6c5d-q2w3e/worker"
        ]
    );
    assert_eq!(kept(&["--pod", "kube-*"]), ["kube-proxy-8kq2d/kube-proxy"]);
    assert_eq!(
        kept(&["--container", "[ak]*"]),
        ["api-5c9d7b6f4-xk2lp/api", "kube-proxy-8kq2d/kube-proxy"]
    );
    // Finish time of the judged state; the running container has none.
    assert_eq!(
        kept(&["--since", "2025-03-04"]),
        [
            "api-5c9d7b6f4-xk2lp/api",
            "kube-proxy-8kq2d/kube-proxy",
            "checkout-worker-with-a-very-long-generated-name-7d9f8b6c5d-q2w3e/worker"
        ]
    );
    assert_eq!(
        kept(&[
            "--since",
            "2025-03-04T09:00:00Z",
            "--until",
            "2025-03-04T12:00:00Z"
        ]),
        ["checkout-worker-with-a-very-long-generated-name-7d9f8b6c5d-q2w3e/worker"]
    );
    assert_eq!(
        kept(&["--until", "2025-03-03"]),
        [
            "report-29012345-x7k2p/report",
            "-/evil\x1b[2J\nname,\"quoted\""
        ]
    );
}

#[test]
fn bad_filter_values_are_a_bad_command_line() {
    for (args, message) in [
        (
            &["--since", "yesterday"][..],
            "error: --since: \"yesterday\" is not a time",
        ),
        (
            &["--category", "oom"][..],
            "error: invalid value 'oom' for '--category <CATEGORY>'",
        ),
        (&["--pod", "[x"][..], "error: --pod: bad glob \"[x\""),
        (
            &["summary", "--until", "2025-13-01"][..],
            "error: --until: \"2025-13-01\" is not a time",
        ),
    ] {
        let run = exitparse(args, Some(b""));
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(message), "{args:?}: {}", run.stderr);
    }
}

// ------------------------------------------- completions, man, help, version

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_exitparse()"),
        ("zsh", "#compdef exitparse"),
        ("fish", "complete -c exitparse"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[exitparse]"),
    ] {
        let run = exitparse(&["completions", shell], None);
        assert_eq!(run.status, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        assert!(run.stdout.contains("only-failures"), "{shell}");
    }
    assert_eq!(exitparse(&["completions", "tcsh"], None).status, 2);
}

#[test]
fn man_page_is_roff_from_the_cli() {
    let run = exitparse(&["man"], None);
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains(".TH exitparse 1"));
    assert!(run.stdout.contains("only\\-failures"));
    assert!(run.stdout.contains(".SH \"EXIT STATUS\""));
}

#[test]
fn help_has_examples_and_version_is_the_crate_version() {
    let run = exitparse(&["--help"], None);
    assert!(run.stdout.contains("Examples:"));
    assert!(run.stdout.contains("exitparse explain 137"));
    let run = exitparse(&["-V"], None);
    assert_eq!(
        run.stdout.trim(),
        format!("exitparse {}", env!("CARGO_PKG_VERSION"))
    );
    // --version adds the commit and what the build holds.
    let run = exitparse(&["--version"], None);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], format!("exitparse {}", env!("CARGO_PKG_VERSION")));
    assert!(lines[1].starts_with("commit: "), "{}", run.stdout);
    assert!(lines[2].starts_with("features: "), "{}", run.stdout);
    assert!(lines[3].starts_with("target: "), "{}", run.stdout);
}

// --------------------------------------------------------------- terminal

/// Runs `exitparse ARGS` under a pseudo-terminal made by `script`
/// (util-linux), so stdout is a terminal; returns what the terminal got.
fn on_a_terminal(args: &str, no_color: bool) -> String {
    on_a_terminal_sized(args, no_color, None)
}

/// [`on_a_terminal`] with the terminal set to `cols` columns first.
fn on_a_terminal_sized(args: &str, no_color: bool, cols: Option<u16>) -> String {
    let bin = env!("CARGO_BIN_EXE_exitparse");
    let size = cols
        .map(|c| format!("stty cols {c} rows 40; "))
        .unwrap_or_default();
    let mut cmd = Command::new("script");
    cmd.args([
        "-q",
        "-e",
        "-c",
        &format!("{size}'{bin}' {args}"),
        "/dev/null",
    ])
    .current_dir(root())
    .stdin(Stdio::null())
    .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd
        .output()
        .expect("the terminal tests need `script` from util-linux (bsdutils on Debian)");
    assert!(out.status.success(), "script {args}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colours_only_on_a_terminal_without_no_color() {
    assert!(
        which_script().is_some(),
        "the terminal tests need `script` from util-linux (bsdutils on Debian)"
    );
    let tty = on_a_terminal("explain 137", false);
    assert!(tty.contains("\x1b[1;31mCategory: killed"), "{tty:?}");
    let tty_no_color = on_a_terminal("explain 137", true);
    assert!(
        tty_no_color.contains("Category: killed"),
        "{tty_no_color:?}"
    );
    assert!(!tty_no_color.contains('\x1b'), "{tty_no_color:?}");
    let piped = exitparse(&["explain", "137"], None);
    assert!(!piped.stdout.contains('\x1b'));
}

fn which_script() -> Option<()> {
    let status = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then_some(())
}

// ------------------------------------------------ end to end, describe input

/// Seven pods in `kubectl describe` text (spec §1.11 layout): an OOM kill in
/// a crash loop, a running pod, a finished Job, a SIGTERM, an app error, a
/// segfault and an image pull error with an escape sequence in its image.
const PODS: &str = "tests/data/people/pods.txt";

#[test]
fn table_and_summary_from_a_describe_dump() {
    let run = exitparse(&["--no-progress", "-f", "table", PODS], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    golden("people/pods.table", &run.stdout);
    let run = exitparse(&["summary", "--no-progress", PODS], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    golden("people/pods.summary", &run.stdout);
    // `--summary` is the same as the subcommand, also on stdin.
    let stdin = std::fs::read(root().join(PODS)).unwrap();
    let flag = exitparse(&["--summary", "--no-progress"], Some(&stdin));
    assert_eq!(flag.stdout, run.stdout);
    let run = exitparse(&["summary", "--no-progress", "-f", "json", PODS], None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["containers"], 7);
    assert_eq!(v["failures"], 5);
    assert_eq!(v["namespaces"][0]["name"], "shop");
    assert_eq!(v["namespaces"][0]["failures"], 3);
    assert_eq!(v["nodes"][0]["name"], "worker-2");
}

#[test]
fn csv_and_json_from_a_describe_dump() {
    let run = exitparse(&["--no-progress", "-f", "csv", PODS], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    golden("people/pods.csv", &run.stdout);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    assert!(!run.stdout.contains('\x1b'));
    let run = exitparse(&["--no-progress", "-f", "json", PODS], None);
    let v: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v.len(), 7);
    v.iter().for_each(crate::util::assert_valid);
}

/// `pod/container` of the records the binary writes with `args`.
fn kept_by_binary(args: &[&str]) -> Vec<String> {
    let mut argv = vec!["--no-progress", PODS];
    argv.extend_from_slice(args);
    let run = exitparse(&argv, None);
    assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
    run.records()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["pod"].as_str().unwrap(),
                r["container"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn filters_on_a_describe_dump() {
    assert_eq!(kept_by_binary(&[]).len(), 7);
    assert_eq!(
        kept_by_binary(&["--only-failures", "--namespace", "shop"]),
        [
            "api-5c9d7b6f4-xk2lp/api",
            "checkout-worker-7d9f8b6c5d-q2w3e/worker",
            "cache-0/redis"
        ]
    );
    assert_eq!(
        kept_by_binary(&["--category", "segfault", "--category", "terminated"]),
        [
            "kube-proxy-8kq2d/kube-proxy",
            "renderer-55d8c-h8j9k/renderer"
        ]
    );
    assert_eq!(
        kept_by_binary(&["--pod", "*-x*", "--container", "[ar]*"]),
        ["api-5c9d7b6f4-xk2lp/api", "report-29012345-x7k2p/report"]
    );
    // Finish times: 08:41, 12:00 and 09:15 UTC on the 4th; 10:05 on the 3rd;
    // 23:59:59 on the 2nd. Running and waiting containers have none.
    assert_eq!(
        kept_by_binary(&["--since", "2025-03-04T09:00:00Z"]),
        [
            "kube-proxy-8kq2d/kube-proxy",
            "checkout-worker-7d9f8b6c5d-q2w3e/worker"
        ]
    );
    assert_eq!(
        kept_by_binary(&["--since", "2025-03-03", "--until", "2025-03-03"]),
        ["report-29012345-x7k2p/report"]
    );
    assert_eq!(
        kept_by_binary(&["--until", "2025-03-03T01:00:00+01:00"]),
        ["renderer-55d8c-h8j9k/renderer"]
    );
}

#[test]
fn table_colours_only_on_a_terminal_without_no_color() {
    let args = format!("--no-progress -f table {PODS}");
    let tty = on_a_terminal(&args, false);
    assert!(tty.contains("\x1b[1;31moom_killed\x1b[0m"), "{tty:?}");
    assert!(tty.contains("\x1b[32mrunning\x1b[0m"), "{tty:?}");
    assert!(tty.contains("\x1b[33mterminated\x1b[0m"), "{tty:?}");
    // The escape sequence in the image name never reaches the terminal.
    assert!(!tty.contains("\x1b[31m"), "{tty:?}");
    let plain = on_a_terminal(&args, true);
    assert!(plain.contains("oom_killed"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let piped = exitparse(&["--no-progress", "-f", "table", PODS], None);
    assert!(!piped.stdout.contains('\x1b'));
    // On a terminal of 150 columns the SUMMARY column is cut to fit.
    let narrow = on_a_terminal_sized(&args, true, Some(150));
    assert!(narrow.contains("oom_killed"), "{narrow:?}");
    for line in narrow.lines() {
        assert!(
            line.trim_end_matches('\r').chars().count() <= 150,
            "{line:?}"
        );
    }
    assert!(narrow.contains('…'), "{narrow:?}");
    let summary = on_a_terminal(&format!("summary --no-progress {PODS}"), false);
    assert!(
        summary.contains("\x1b[1;31mapp_error\x1b[0m"),
        "{summary:?}"
    );
}

// ------------------------------------------------------------------- docs

/// Every ```console block of `docs/usage.md` that runs exitparse on
/// `pods.txt` (or runs `explain`) shows exactly what the binary prints.
#[test]
fn usage_examples_are_true() {
    let doc = std::fs::read_to_string(root().join("docs/usage.md")).unwrap();
    let mut checked = 0;
    for (command, want) in crate::util::console_blocks(&doc) {
        let Some(args) = command.strip_prefix("$ exitparse ") else {
            continue;
        };
        let mut argv: Vec<&str> = args
            .split_whitespace()
            .map(|a| if a == "pods.txt" { PODS } else { a })
            .collect();
        if argv.contains(&PODS) {
            argv.insert(0, "--no-progress");
        }
        if argv.first() == Some(&"--no-progress") && argv.get(1) == Some(&"summary") {
            argv.swap(0, 1);
        }
        let run = exitparse(&argv, None);
        assert_eq!(run.status, 0, "{command}: {}", run.stderr);
        assert!(
            run.stdout == want,
            "docs/usage.md: `{command}` shows\n{want}\nbut prints\n{}",
            run.stdout
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} examples checked");
}
