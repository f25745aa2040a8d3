//! Crash signatures and the bounded tail. Sample lines are what each
//! runtime prints (Go runtime/panic.go, HotSpot, CPython, V8, Rust std,
//! runc/containerd exec errors, shells).

use super::*;

fn name(lines: &[&str]) -> Option<String> {
    find(lines).map(|f| f.name)
}

#[test]
fn the_rules_file_parses_and_names_the_contract_signatures() {
    let names: Vec<&str> = signatures().iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "go_panic",
        "java_oom",
        "python_traceback",
        "node_heap_oom",
        "rust_panic",
        "exec_format_error",
        "no_such_file",
        "permission_denied",
        "segfault",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from logs.toml"
        );
    }
    for sig in signatures() {
        assert!(
            !sig.summary.is_empty() && !sig.hint.is_empty(),
            "{}",
            sig.name
        );
        assert!(
            !sig.starts_with.is_empty() || !sig.contains.is_empty(),
            "{} can never match",
            sig.name
        );
    }
}

#[test]
fn each_signature_on_its_real_line() {
    let cases: &[(&str, &str)] = &[
        (
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "go_panic",
        ),
        (
            "fatal error: all goroutines are asleep - deadlock!",
            "go_panic",
        ),
        (
            "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
            "java_oom",
        ),
        (
            "Terminating due to java.lang.OutOfMemoryError: Java heap space",
            "java_oom",
        ),
        (
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
            "node_heap_oom",
        ),
        ("thread 'main' panicked at src/main.rs:4:5:", "rust_panic"),
        (
            "thread 'tokio-runtime-worker' panicked at 'called `Option::unwrap()` on a `None` value', src/lib.rs:9:14",
            "rust_panic",
        ),
        (
            "exec /usr/local/bin/app: exec format error",
            "exec_format_error",
        ),
        (
            "standard_init_linux.go:228: exec user process caused: exec format error",
            "exec_format_error",
        ),
        (
            "exec /docker-entrypoint.sh: no such file or directory",
            "no_such_file",
        ),
        (
            "standard_init_linux.go:211: exec user process caused \"no such file or directory\"",
            "no_such_file",
        ),
        (
            "/bin/sh: ./start.sh: Permission denied",
            "permission_denied",
        ),
        ("open /data/db.lock: permission denied", "permission_denied"),
        ("Segmentation fault (core dumped)", "segfault"),
        (
            "#  SIGSEGV (0xb) at pc=0x00007f3c2d5e8a1c, pid=1, tid=7",
            "segfault",
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(name(&[line]).as_deref(), Some(*expected), "{line}");
    }
}

#[test]
fn lines_that_are_not_crashes() {
    for line in [
        "open /etc/app/config.yaml: no such file or directory",
        "level=info msg=\"no panic here\"",
        "thread 'main' started",
        "INFO heap usage 80%",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a3b2c]",
        "Failed 1 of 3 checks in main.go:10",
        "level=info msg=\"fatal errors: 0\"",
    ] {
        assert_eq!(name(&[line]), None, "{line}");
    }
}

#[test]
fn go_nil_dereference_stays_a_go_panic() {
    let log = [
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a3b2c]",
        "",
        "goroutine 1 [running]:",
        "main.main()",
        "\t/src/main.go:12 +0x1d",
    ];
    let f = find(&log).unwrap();
    assert_eq!((f.name.as_str(), f.line_no), ("go_panic", 1));
    assert_eq!(f.line, log[0]);
}

#[test]
fn python_traceback_reports_the_exception_line() {
    let log = [
        "Starting worker",
        "Traceback (most recent call last):",
        "  File \"/app/main.py\", line 10, in <module>",
        "    main()",
        "    ~~~~^^",
        "  File \"/app/main.py\", line 6, in main",
        "    open('/data/x', 'w')",
        "PermissionError: [Errno 13] Permission denied: '/data/x'",
        "shutting down",
    ];
    let f = find(&log).unwrap();
    assert_eq!((f.name.as_str(), f.line_no), ("python_traceback", 8));
    assert_eq!(
        f.line,
        "PermissionError: [Errno 13] Permission denied: '/data/x'"
    );
    // Cut off before the exception line: the Traceback line itself.
    let f = find(&log[..5]).unwrap();
    assert_eq!((f.name.as_str(), f.line_no), ("python_traceback", 2));
    // A line that is not an exception closes the block on its first line.
    let f = find(&[
        "Traceback (most recent call last):",
        "  File \"x\"",
        "-- not an exception --",
    ])
    .unwrap();
    assert_eq!(f.line_no, 1);
    // Chained exceptions: the last one.
    let chained = [
        "Traceback (most recent call last):",
        "  File \"a.py\", line 1, in <module>",
        "KeyError: 'x'",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        "  File \"a.py\", line 3, in <module>",
        "mypkg.errors.ConfigError",
    ];
    let f = find(&chained).unwrap();
    assert_eq!(
        (f.line_no, f.line.as_str()),
        (9, "mypkg.errors.ConfigError")
    );
}

#[test]
fn the_last_finding_wins_and_may_precede_the_tail() {
    let mut log = vec![
        "exec /bin/app: permission denied".to_string(),
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space".to_string(),
    ];
    log.extend((0..50).map(|i| format!("\tat com.example.Worker.run(Worker.java:{i})")));
    log.push("shutdown hook done".into());
    let text = log.join("\n");
    let t = tail(text.as_bytes(), 10, 512);
    assert_eq!(t.lines_read, 53);
    assert_eq!(t.lines.len(), 10);
    assert_eq!(t.lines[9], "shutdown hook done");
    assert_eq!(
        t.lines[0], " at com.example.Worker.run(Worker.java:41)",
        "a tab becomes a space"
    );
    let f = t.finding.unwrap();
    assert_eq!((f.name.as_str(), f.line_no), ("java_oom", 2));
    assert!(f.summary.contains("JVM ran out of heap"));
}

#[test]
fn timestamps_and_cri_tags_are_skipped_for_matching_only() {
    let must_gather = "2024-03-05T10:11:12.123456789Z panic: boom";
    let cri = "2024-03-05T10:11:12.123456789Z stderr F panic: boom";
    for line in [must_gather, cri] {
        let f = find(&[line]).unwrap();
        assert_eq!((f.name.as_str(), f.line.as_str()), ("go_panic", line));
    }
    let traceback = [
        "2024-03-05T10:11:12Z stderr F Traceback (most recent call last):",
        "2024-03-05T10:11:12Z stderr F   File \"a.py\", line 1, in <module>",
        "2024-03-05T10:11:12Z stderr F ValueError: bad",
    ];
    assert_eq!(find(&traceback).unwrap().line_no, 3);
}

#[test]
fn control_characters_ansi_and_long_lines() {
    let t = tail(
        &b"\x1b[31mpanic: red\x1b[0m\x07 bell\r\nok\x00\n"[..],
        10,
        512,
    );
    assert_eq!(
        t.lines,
        vec!["panic: red bell".to_string(), "ok".to_string()]
    );
    assert!(t.binary);
    // Colour codes do not hide the signature.
    let f = t.finding.unwrap();
    assert_eq!(
        (f.name.as_str(), f.line.as_str()),
        ("go_panic", "panic: red bell")
    );
    let long = format!("panic: {}\n", "é".repeat(1000));
    let t = tail(long.as_bytes(), 10, 512);
    assert!(t.lines[0].len() <= 512 && t.lines[0].starts_with("panic: é"));
    assert!(t.finding.unwrap().line.len() <= 512);
    assert_eq!(clean("a\u{202E}b\tc", 512), "ab c");
}

#[test]
fn non_utf8_binary_and_huge_lines_stay_bounded() {
    let mut junk = vec![0xffu8, 0xfe, 0x00, b'\n'];
    junk.extend(std::iter::repeat_n(b'x', 1_000_000));
    junk.extend_from_slice(b"\npanic: after a huge line\n");
    let t = tail(junk.as_slice(), 2, 64);
    assert_eq!(t.lines_read, 3);
    assert_eq!(t.lines[0], "x".repeat(64));
    assert_eq!(t.finding.unwrap().line_no, 3);
    let t = tail(&b""[..], 10, 512);
    assert_eq!((t.lines.len(), t.lines_read, t.finding), (0, 0, None));
}

#[test]
fn a_read_error_keeps_what_was_read() {
    struct Failing(bool);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "truncated gzip",
                ));
            }
            self.0 = true;
            let text = b"panic: x\nmore\n";
            buf[..text.len()].copy_from_slice(text);
            Ok(text.len())
        }
    }
    let t = tail(Failing(false), 10, 512);
    assert_eq!(t.lines, vec!["panic: x".to_string(), "more".to_string()]);
    assert_eq!(t.finding.unwrap().name, "go_panic");
    assert!(t.error.unwrap().contains("truncated gzip"));
}

#[test]
fn streaming_equals_find_over_all_lines() {
    let log = "a\nTraceback (most recent call last):\n  File \"x\"\nOSError: no\npanic: later\nz";
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(tail(log.as_bytes(), 3, 512).finding, find(&lines));
    let t = tail(log.as_bytes(), 3, 512);
    assert_eq!(t.lines, vec!["OSError: no", "panic: later", "z"]);
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic_and_stay_bounded(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048),
        max_lines in 0usize..12,
        max_bytes in 1usize..600,
    ) {
        let t = tail(bytes.as_slice(), max_lines, max_bytes);
        proptest::prop_assert!(t.lines.len() <= max_lines);
        for line in &t.lines {
            proptest::prop_assert!(line.len() <= max_bytes);
            proptest::prop_assert!(!line.chars().any(char::is_control));
        }
        if let Some(f) = t.finding {
            proptest::prop_assert!(f.line.len() <= max_bytes);
        }
    }

    #[test]
    fn tail_finding_equals_find(lines in proptest::collection::vec("(panic: |Traceback \\(most recent call last\\):|  |[A-Z][a-z]+: |x)[ -~]{0,20}", 0..30)) {
        let text = lines.join("\n");
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        proptest::prop_assert_eq!(tail(text.as_bytes(), 10, 512).finding, find(&refs));
    }
}

/// The previous logs of the public troubleshoot k3s bundle, when
/// `../shared` is there (skipped otherwise).
#[test]
fn real_bundle_previous_logs() {
    let Some(shared) = crate::test_support::shared() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let path = shared.join("realworld/bundles/troubleshoot-k3s-support-bundle.tar.gz");
    let file = std::fs::File::open(&path).expect("the k3s bundle in ../shared");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut seen = std::collections::BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        if name.starts_with("support-bundle/cluster-resources/pods/logs/")
            && name.ends_with("-previous.log")
        {
            let t = tail_default(entry);
            let file = name.rsplit('/').next().unwrap().to_string();
            seen.insert(file, t.finding.map(|f| (f.name, f.line_no)));
        }
    }
    assert_eq!(
        seen["metrics-server-previous.log"],
        Some(("go_panic".into(), 79))
    );
    assert_eq!(
        seen["local-path-provisioner-previous.log"],
        Some(("fatal_log".into(), 1))
    );
    assert_eq!(seen["nginx-previous.log"], None);
    assert_eq!(seen["coredns-previous.log"], None);
}
