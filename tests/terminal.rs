//! At the terminal: tables that fit 80, 120 and 200 columns (goldens taken
//! through a pseudo-terminal made by util-linux `script`), the progress bar
//! cleared before the output, and the conventions (`--color`, `-q`,
//! `--max-errors`, `--no-headers`, formats a subcommand refuses, man pages,
//! completions).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{exitparse, root, scratch};

/// Inputs of the table goldens: one pod with very long names, then the
/// seven pods of `docs/usage.md`.
const LONG: &str = "tests/data/terminal/long-names.txt";
const PODS: &str = "tests/data/people/pods.txt";

/// Runs `exitparse ARGS` (a shell command line, after the binary's path)
/// with stdout and stderr on a pseudo-terminal of `cols` columns (the
/// terminal's size and `COLUMNS` both say so); returns what the terminal
/// got, with the terminal's `\r\n` turned back into `\n`. `shell_tail` is
/// appended to the command (a redirection, a pipe).
fn on_a_terminal(args: &str, cols: u16, env: &[(&str, &str)], shell_tail: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_exitparse");
    let mut cmd = Command::new("script");
    cmd.args([
        "-q",
        "-e",
        "-c",
        &format!("stty cols {cols} rows 50; '{bin}' {args} {shell_tail}"),
        "/dev/null",
    ])
    .current_dir(root())
    .stdin(Stdio::null())
    .env_remove("NO_COLOR")
    .env("TERM", "xterm-256color")
    .env("COLUMNS", cols.to_string());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("the terminal tests need `script` from util-linux (bsdutils on Debian)");
    assert!(out.status.success(), "script {args}: {out:?}");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

fn golden(name: &str, got: &str) {
    crate::util::golden("terminal", name, got)
}

fn assert_fits(what: &str, text: &str, cols: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= cols,
            "{what}: a line of {} columns on a terminal of {cols}:\n{line}",
            line.chars().count()
        );
    }
}

// ------------------------------------------------------- tables that fit

#[test]
fn table_and_summary_fit_80_120_and_200_columns() {
    for cols in [80u16, 120, 200] {
        let table = on_a_terminal(
            &format!("--no-progress --color never -f table {LONG} {PODS}"),
            cols,
            &[],
            "",
        );
        assert_fits("table", &table, cols.into());
        golden(&format!("terminal/table-{cols}.txt"), &table);
        let summary = on_a_terminal(
            &format!("summary --no-progress --color never {LONG} {PODS}"),
            cols,
            &[],
            "",
        );
        assert_fits("summary", &summary, cols.into());
        golden(&format!("terminal/summary-{cols}.txt"), &summary);
    }
}

#[test]
fn cut_cells_end_in_an_ellipsis_and_columns_give_way_in_order() {
    let t = on_a_terminal(
        &format!("--no-progress --color never -f table {LONG} {PODS}"),
        80,
        &[],
        "",
    );
    let head = t.lines().next().unwrap();
    // RESTARTS, SIGNAL, FINISHED and then SUMMARY were left out at 80.
    assert_eq!(
        head.split_whitespace().collect::<Vec<_>>(),
        ["NAMESPACE", "POD", "CONTAINER", "CATEGORY", "CODE"]
    );
    assert!(t.contains("payments-reconciliation…"), "{t}");
    let t = on_a_terminal(
        &format!("--no-progress --color never -f table {LONG} {PODS}"),
        120,
        &[],
        "",
    );
    assert!(t.lines().next().unwrap().ends_with("SUMMARY"), "{t}");
}

#[test]
fn wide_and_piped_output_keep_every_cell_whole() {
    let wide = on_a_terminal(
        &format!("--no-progress --color never --wide -f table {LONG} {PODS}"),
        80,
        &[],
        "",
    );
    assert!(
        wide.contains("payments-reconciliation-nightly-batch-worker-6d8f7c9b5-zt4qx"),
        "{wide}"
    );
    assert!(wide.contains("FINISHED"), "{wide}");
    assert!(!wide.contains('…'), "{wide}");
    let summary = on_a_terminal(
        &format!("summary --wide --no-progress --color never {LONG}"),
        80,
        &[],
        "",
    );
    assert!(
        summary.contains("finance/payments-reconciliation-batch:2025.03.01-build.4711"),
        "{summary}"
    );
    // Piped: same cells as --wide, whatever COLUMNS says.
    let piped = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .args(["--no-progress", "-f", "table", LONG, PODS])
        .current_dir(root())
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert_eq!(piped, wide);
}

#[test]
fn no_headers_for_table_and_csv() {
    let run = exitparse(
        &["--no-progress", "--no-headers", "-f", "table", PODS],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 7);
    assert!(run.stdout.starts_with("shop "), "{}", run.stdout);
    let run = exitparse(&["--no-progress", "--no-headers", "-f", "csv", PODS], None);
    assert_eq!(run.stdout.lines().count(), 7);
    assert!(!run.stdout.contains("source_path"), "{}", run.stdout);
    // The summary's sections each need their heading.
    let run = exitparse(&["summary", "--no-headers", PODS], None);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--no-headers"), "{}", run.stderr);
}

// ------------------------------------------------------------ progress

/// A describe dump large enough that the bar is drawn a few times.
fn big_input(test: &str) -> std::path::PathBuf {
    let dir = scratch(test);
    let pods = std::fs::read(root().join(PODS)).unwrap();
    let path = dir.join("big.txt");
    std::fs::write(&path, pods.repeat(300)).unwrap();
    path
}

/// In every frame of the bar of a file (the template's, so it is there
/// from the first frame on, before any count).
const FRAME: &str = ", ETA ";

#[test]
fn progress_is_cleared_before_the_first_byte_of_output() {
    let big = big_input("terminal-progress-cleared");
    let t = on_a_terminal(
        &format!("--color never -f table '{}'", big.display()),
        120,
        &[],
        "",
    );
    let output_at = t.find("NAMESPACE").expect("the table");
    let (before, after) = t.split_at(output_at);
    assert!(before.contains(FRAME), "no bar drawn: {before:?}");
    let last_frame = before.rfind(FRAME).unwrap();
    assert!(
        before[last_frame..].contains("\x1b[2K"),
        "the last frame is not cleared before the output: {:?}",
        &before[last_frame..]
    );
    assert!(!after.contains(FRAME), "a frame after the output");
    assert!(!after.contains('\x1b'), "escapes after the output");
    // JSON lines: the same, before the first record.
    let t = on_a_terminal(&format!("--color never '{}'", big.display()), 120, &[], "");
    let first = t.find("{\"schema\"").expect("records");
    assert!(!t[first..].contains(FRAME));
    if let Some(last) = t[..first].rfind(FRAME) {
        assert!(t[last..first].contains("\x1b[2K"), "{:?}", &t[last..first]);
    }
}

#[test]
fn progress_goes_when_stdout_is_a_file_and_spins_on_stdin() {
    let big = big_input("terminal-progress-file");
    let out = big.with_file_name("out.txt");
    let t = on_a_terminal(
        &format!("--color never -f table '{}'", big.display()),
        120,
        &[],
        &format!("> '{}'", out.display()),
    );
    assert!(t.contains(FRAME), "no bar drawn: {t:?}");
    // Nothing is left behind: the terminal ends on a cleared line.
    let last = t.rfind(FRAME).unwrap();
    assert!(t[last..].contains("\x1b[2K"), "{:?}", &t[last..]);
    assert!(t.trim_end().ends_with("\x1b[2K") || t[last..].ends_with("\x1b[2K"));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("NAMESPACE"), "{written:.200}");
    assert!(!written.contains('\x1b'));
    // A compressed file: the bar runs on the compressed bytes read, towards
    // the archive's size on disk.
    let gz = big.with_file_name("big.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &std::fs::read(&big).unwrap()).unwrap();
    let packed = enc.finish().unwrap();
    std::fs::write(&gz, &packed).unwrap();
    let t = on_a_terminal(
        &format!("-f table '{}'", gz.display()),
        120,
        &[],
        "> /dev/null",
    );
    assert!(t.contains("ETA"), "{t:?}");
    let kib = format!("/{:.2} KiB", packed.len() as f64 / 1024.0);
    assert!(t.contains(&kib), "total {kib} not in {t:?}");
    // stdin has no size: a spinner with the bytes read.
    let t = on_a_terminal(
        "--color never -f table -",
        120,
        &[],
        &format!("< '{}' > /dev/null", big.display()),
    );
    assert!(t.contains(" read, "), "{t:?}");
    assert!(!t.contains("ETA"), "{t:?}");
    // --no-progress, or stderr not a terminal: nothing at all.
    let t = on_a_terminal(
        &format!("--no-progress -f table '{}'", big.display()),
        120,
        &[],
        "> /dev/null",
    );
    assert_eq!(t, "");
    let t = on_a_terminal(
        &format!("-f table '{}'", big.display()),
        120,
        &[],
        "> /dev/null 2> /dev/null",
    );
    assert_eq!(t, "");
}

// --------------------------------------------------------------- colour

#[test]
fn color_auto_always_never() {
    let args = format!("--no-progress -f table {PODS}");
    let tty = on_a_terminal(&args, 200, &[], "");
    assert!(tty.contains("\x1b[1;31moom_killed\x1b[0m"), "{tty:?}");
    for (flag, env) in [
        ("--color never", vec![]),
        ("", vec![("NO_COLOR", "1")]),
        ("", vec![("TERM", "dumb")]),
    ] {
        let t = on_a_terminal(&format!("{flag} {args}"), 200, &env, "");
        assert!(t.contains("oom_killed"), "{flag} {env:?}");
        assert!(!t.contains('\x1b'), "{flag} {env:?}: {t:?}");
    }
    // always: even into a pipe, and NO_COLOR does not veto an explicit ask.
    let piped = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .args(["--color", "always", "--no-progress", "-f", "table", PODS])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert!(piped.contains("\x1b[1;31moom_killed\x1b[0m"), "{piped:?}");
    // The flag is also taken after a subcommand.
    let run = exitparse(&["explain", "--color", "always", "137"], None);
    assert!(
        run.stdout.contains("\x1b[1;31mCategory: killed"),
        "{}",
        run.stdout
    );
}

// ------------------------------------------------- notes and errors

#[test]
fn quiet_drops_notes_but_not_errors() {
    let run = exitparse(&["-q"], Some(b"\n\n"));
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "");
    let run = exitparse(&["-q", "no/such/file"], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with("exitparse: no/such/file: "),
        "{}",
        run.stderr
    );
    let run = exitparse(&["-q", "-v", PODS], None);
    assert_eq!(run.status, 2, "{}", run.stderr);
}

#[test]
fn max_errors_shows_n_then_counts_the_rest() {
    let missing: Vec<String> = (1..=7).map(|i| format!("missing/{i}.txt")).collect();
    let mut args = vec!["--max-errors", "2"];
    args.extend(missing.iter().map(String::as_str));
    let run = exitparse(&args, None);
    assert_eq!(run.status, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with("exitparse: missing/1.txt: "),
        "{}",
        run.stderr
    );
    assert!(
        lines[1].starts_with("exitparse: missing/2.txt: "),
        "{}",
        run.stderr
    );
    assert_eq!(
        lines[2],
        "exitparse: 5 more errors not shown (--max-errors 2)"
    );
    // Under the limit: no count line.
    let run = exitparse(&["--max-errors", "9", "missing/1.txt"], None);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

// ---------------------------------------------- formats per subcommand

#[test]
fn summary_takes_table_or_json_and_refuses_the_rest() {
    for args in [
        &["summary", "-f", "csv", PODS][..],
        &["summary", "-f", "jsonl", PODS],
        &["--summary", "-f", "csv", PODS],
        &["--summary", "-f", "jsonl", PODS],
    ] {
        let run = exitparse(args, None);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stdout);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    for args in [
        &["summary", "--no-progress", "-f", "table", PODS][..],
        &["--summary", "--no-progress", PODS],
    ] {
        let run = exitparse(args, None);
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.starts_with("CATEGORY"), "{args:?}");
    }
    let run = exitparse(&["summary", "--no-progress", "-f", "json", PODS], None);
    assert!(run.stdout.starts_with('{'));
}

// ----------------------------------------------- completions and help

#[test]
fn completions_and_help_list_the_values() {
    let categories: Vec<String> = exitparse::classify::rules::rules()
        .categories
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for shell in ["bash", "zsh", "fish"] {
        let run = exitparse(&["completions", shell], None);
        for c in &categories {
            assert!(run.stdout.contains(c.as_str()), "{shell}: no {c}");
        }
        for v in ["kubectl-describe", "docker-ps", "jsonl", "table", "never"] {
            assert!(run.stdout.contains(v), "{shell}: no {v}");
        }
    }
    let help = exitparse(&["--help"], None).stdout;
    for c in &categories {
        assert!(help.contains(c.as_str()), "--help: no {c}");
    }
    assert!(help.contains("NO_COLOR"));
    let help = exitparse(&["summary", "--help"], None).stdout;
    assert!(help.contains("table") && help.contains("json"), "{help}");
    assert!(!help.contains("jsonl"), "{help}");
}

// ------------------------------------------------------------ man pages

fn has_man() -> bool {
    Command::new("man")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_man_page_per_subcommand() {
    let dir = scratch("terminal-man");
    for (page, title) in [
        ("", "exitparse"),
        ("explain", "exitparse-explain"),
        ("summary", "exitparse-summary"),
        ("completions", "exitparse-completions"),
        ("man", "exitparse-man"),
    ] {
        let args: Vec<&str> = ["man", page]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let run = exitparse(&args, None);
        assert_eq!(run.status, 0, "{page}: {}", run.stderr);
        let roff = run.stdout;
        assert!(roff.contains(&format!(".TH {title} 1")), "{page}");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH EXAMPLES",
            ".SH \"EXIT STATUS\"",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(roff.contains(section), "{page}: no {section}");
        }
        // Examples as unfilled, indented blocks, never run together.
        assert!(roff.contains(".RS 4\n.nf\n\\fBexitparse"), "{page}");
        assert!(!roff.contains(".SH EXTRA"), "{page}");
        if page.is_empty() || page == "summary" {
            assert!(roff.contains(".SH \"ENVIRONMENT\""), "{page}");
            assert!(roff.contains("NO_COLOR"), "{page}");
        }
        if has_man() {
            render(&dir, title, &roff);
        }
    }
}

/// Renders `roff` with `man -l` at 80 columns: no warnings, and the
/// sections and example lines come out as a reader sees them.
fn render(dir: &Path, title: &str, roff: &str) {
    let file = dir.join(format!("{title}.1"));
    std::fs::write(&file, roff).unwrap();
    let out = Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "")
        .env("GROFF_NO_SGR", "1")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Bold is drawn with backspaces when not on a terminal.
    let text: String = strip_overstrike(&text);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{title}: {stderr}");
    assert!(!stderr.contains("warning"), "{title}: {stderr}");
    for head in ["NAME", "SYNOPSIS", "EXAMPLES", "EXIT STATUS", "SEE ALSO"] {
        assert!(
            text.lines().any(|l| l == head),
            "{title}: no {head} heading in\n{text}"
        );
    }
    // Each example command on a line of its own, indented.
    let examples = text.split("EXAMPLES").nth(1).unwrap();
    assert!(
        examples
            .lines()
            .any(|l| l.starts_with("           exitparse") || l.starts_with("           kubectl")),
        "{title}: examples not laid out:\n{examples}"
    );
    // Prose is filled to 80 columns; example commands are kept whole.
    for line in text.lines() {
        let example = line.starts_with("           ");
        assert!(example || line.chars().count() <= 80, "{title}: {line}");
    }
}

fn strip_overstrike(s: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

// ------------------------------------------------------------------ docs

/// Every ```console block of `docs/usage.md` that starts
/// `$ COLUMNS=N exitparse …` shows what a terminal of N columns shows.
#[test]
fn usage_terminal_examples_are_true() {
    let doc = std::fs::read_to_string(root().join("docs/usage.md")).unwrap();
    let mut checked = 0;
    for (command, want) in crate::util::console_blocks(&doc) {
        let Some(rest) = command.strip_prefix("$ COLUMNS=") else {
            continue;
        };
        let (cols, args) = rest
            .split_once(" exitparse ")
            .expect("COLUMNS=N exitparse ARGS");
        let cols: u16 = cols.parse().unwrap();
        let args = args.replace("pods.txt", PODS);
        let got = on_a_terminal(
            &format!("--no-progress --color never {args}"),
            cols,
            &[],
            "",
        );
        assert!(
            got == want,
            "docs/usage.md: `{command}` shows\n{want}\nbut a terminal shows\n{got}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} terminal examples checked");
}
