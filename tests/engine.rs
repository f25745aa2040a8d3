//! The batch engine: archives of every kind (nested too), `archive!/member`
//! paths, directory walks, limits, decoding, determinism across `--jobs`
//! and read paths, stdin streaming, broken pipes, `--stats`.
//!
//! Inputs are generated here, into scratch directories under `target/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::dumps::{describe_pod as pod, describe_pods};
use crate::pack::{gz, tar, xz, zip, zst};
use crate::util::{exitparse, scratch};

/// `n` describe pods from `first`, exiting 1, 137, 139, 0 and 143 in turn.
fn describe(n: usize, first: usize) -> String {
    describe_pods(n, first, |i| [1, 137, 139, 0, 143][i % 5])
}

/// A `docker inspect` array of one exited container.
fn inspect(name: &str, code: i32) -> String {
    format!(
        r#"[
    {{
        "Id": "4f2a9c0d1e7b{code:04}",
        "Created": "2024-05-01T10:00:00.123456789Z",
        "State": {{
            "Status": "exited",
            "Running": false,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": 0,
            "ExitCode": {code},
            "Error": "",
            "StartedAt": "2024-05-01T10:00:01.5Z",
            "FinishedAt": "2024-05-01T10:05:00Z"
        }},
        "Name": "/{name}",
        "RestartCount": 0,
        "Config": {{
            "Image": "busybox:1.36",
            "Labels": {{}}
        }}
    }}
]
"#
    )
}

const LOG: &str = "2024-05-01T10:00:00Z INFO starting\n2024-05-01T10:00:01Z WARN slow\n";

type Files = Vec<(String, Vec<u8>)>;

/// The members of every test bundle: two dumps, a log, a nested bundle.
fn bundle_members() -> Files {
    let inner = gz(&tar(&[(
        "c.json".to_string(),
        inspect("inner", 1).into_bytes(),
    )]));
    vec![
        ("pods/describe.txt".to_string(), describe(3, 0).into_bytes()),
        (
            "docker/inspect.json".to_string(),
            inspect("web", 137).into_bytes(),
        ),
        ("logs/app.log".to_string(), LOG.as_bytes().to_vec()),
        ("nested/b.tar.gz".to_string(), inner),
    ]
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, data).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn paths_of(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["source"]["path"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn every_archive_kind_yields_members_with_bang_paths() {
    let dir = scratch("engine-archives");
    let members = bundle_members();
    let t = tar(&members);
    let kinds: Vec<(&str, Vec<u8>)> = vec![
        ("b.tar", t.clone()),
        ("b.tgz", gz(&t)),
        ("b.tar.xz", xz(&t)),
        ("b.tar.zst", zst(&t)),
        ("b.zip", zip(&members)),
    ];
    for (name, data) in kinds {
        let p = write(&dir, name, &data);
        let run = exitparse(&[s(&p)], None);
        assert_eq!(run.status, 0, "{name}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{name}: the log is skipped quietly");
        let recs = run.records();
        let paths = paths_of(&run.stdout);
        let base = s(&p);
        let expected = [
            format!("{base}!/pods/describe.txt"),
            format!("{base}!/pods/describe.txt"),
            format!("{base}!/pods/describe.txt"),
            format!("{base}!/docker/inspect.json"),
            format!("{base}!/nested/b.tar.gz!/c.json"),
        ];
        assert_eq!(paths, expected, "{name}");
        assert_eq!(recs[3]["classification"]["exit_code"], 137);
    }
}

#[test]
fn single_compressed_files_keep_their_name() {
    let dir = scratch("engine-single-gz");
    let p = write(&dir, "describe.txt.gz", &gz(describe(2, 0).as_bytes()));
    let x = write(&dir, "inspect.json.xz", &xz(inspect("a", 2).as_bytes()));
    let z = write(&dir, "inspect.json.zst", &zst(inspect("b", 3).as_bytes()));
    let run = exitparse(&[s(&p), s(&x), s(&z)], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(paths_of(&run.stdout), vec![s(&p), s(&p), s(&x), s(&z)]);
}

#[test]
fn verbose_lists_skipped_members() {
    let dir = scratch("engine-verbose");
    let p = write(&dir, "b.tgz", &gz(&tar(&bundle_members())));
    let run = exitparse(&["--verbose", s(&p)], None);
    assert_eq!(run.status, 0);
    let line = format!(
        "exitparse: {}!/logs/app.log: note: skipped: no container-state dump found",
        s(&p)
    );
    assert!(run.stderr.contains(&line), "{}", run.stderr);
}

#[test]
fn archives_nested_three_deep() {
    let dir = scratch("engine-nested");
    let c = tar(&[("c.txt".to_string(), describe(1, 0).into_bytes())]);
    let b = zip(&[("b.tar".to_string(), c)]);
    let a = xz(&tar(&[("b.zip".to_string(), b)]));
    let p = write(&dir, "a.tar.xz", &a);
    let run = exitparse(&[s(&p)], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        paths_of(&run.stdout),
        vec![format!("{}!/b.zip!/b.tar!/c.txt", s(&p))]
    );

    let run = exitparse(&["--max-depth", "2", s(&p)], None);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        format!(
            "exitparse: {}!/b.zip!/b.tar: archives nested deeper than 2 levels (raise --max-depth)\n",
            s(&p)
        )
    );
}

/// A tree with every kind of input, and a describe file big enough to be
/// split across workers.
fn mixed_tree(name: &str) -> PathBuf {
    let dir = scratch(name);
    let members = bundle_members();
    let t = tar(&members);
    write(&dir, "tree/a/b.tgz", &gz(&t));
    write(&dir, "tree/a/c.zip", &zip(&members));
    // Over 4 MiB: parsed in pieces.
    let big = describe(9000, 0);
    assert!(big.len() > 4 << 20);
    write(&dir, "tree/b/big-describe.txt", big.as_bytes());
    for i in 0..40usize {
        write(
            &dir,
            &format!("tree/c/{i:02}.json"),
            inspect(&format!("c{i}"), i as i32).as_bytes(),
        );
        write(
            &dir,
            &format!("tree/c/{i:02}.txt"),
            describe(2, i * 10).as_bytes(),
        );
    }
    write(&dir, "tree/d/notes.log", LOG.as_bytes());
    dir.join("tree")
}

#[test]
fn output_is_identical_for_any_jobs() {
    let tree = mixed_tree("engine-jobs");
    let one = exitparse(&["--jobs", "1", s(&tree)], None);
    let two = exitparse(&["--jobs", "2", s(&tree)], None);
    let many = exitparse(&["--jobs", "7", s(&tree)], None);
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(one.stdout.lines().count() > 9000);
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
    assert!(one.stdout == many.stdout, "--jobs 1 and --jobs 7 differ");
    assert_eq!(one.stderr, two.stderr);
    // Directory order is sorted, whatever the file system says.
    let paths = paths_of(&one.stdout);
    let mut files: Vec<&str> = paths
        .iter()
        .map(|p| p.split("!/").next().unwrap())
        .collect();
    files.dedup();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn big_file_via_mmap_and_via_stdin_give_the_same_records() {
    let dir = scratch("engine-mmap-stdin");
    // Over 4 MiB: parsed in pieces, whose lines and offsets must join up.
    let text = describe(12000, 0);
    assert!(text.len() > 6 << 20);
    let p = write(&dir, "big.txt", text.as_bytes());
    let file = exitparse(&["-j", "2", s(&p)], None);
    let piped = exitparse(&["-j", "2"], Some(text.as_bytes()));
    assert_eq!(file.status, 0, "{}", file.stderr);
    assert_eq!(piped.status, 0, "{}", piped.stderr);
    let recs = file.records();
    assert_eq!(recs.len(), 12000);
    assert_eq!(recs[11999]["pod"], "pod-11999");
    // Lines and offsets are absolute across the pieces: the last record
    // points at its container's line as the first one does.
    for r in [&recs[0], &recs[6000], &recs[11999]] {
        let line = r["source"]["line"].as_u64().unwrap() as usize;
        assert_eq!(text.lines().nth(line - 1).unwrap(), "  app:");
        let offset = r["source"]["offset"].as_u64().unwrap() as usize;
        assert!(text[offset..].starts_with("  app:"));
    }
    assert_eq!(file.stdout.replace(s(&p), "-"), piped.stdout);
}

#[test]
fn walk_tells_symlink_loops_and_unreadable_entries_and_goes_on() {
    let dir = scratch("engine-walk");
    let tree = dir.join("tree");
    write(&tree, "a/one.txt", describe(1, 1).as_bytes());
    write(&tree, "z/two.json", inspect("two", 2).as_bytes());
    std::os::unix::fs::symlink("..", tree.join("a/loop")).unwrap();
    std::os::unix::fs::symlink("no-such-target", tree.join("a/dangling")).unwrap();
    let run = exitparse(&[s(&tree)], None);
    assert_eq!(run.status, 1);
    let t = s(&tree);
    assert_eq!(
        paths_of(&run.stdout),
        vec![format!("{t}/a/one.txt"), format!("{t}/z/two.json")]
    );
    assert!(
        run.stderr
            .contains(&format!("exitparse: {t}/a/dangling: broken symbolic link")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("exitparse: {t}/a/loop: symbolic link loop")),
        "{}",
        run.stderr
    );
}

#[test]
fn limits_are_told_and_the_rest_is_still_read() {
    let dir = scratch("engine-limits");
    let big = describe(2000, 0).into_bytes();
    assert!(big.len() > 1 << 20);
    let members = vec![
        ("big.txt".to_string(), big),
        ("ok.json".to_string(), inspect("ok", 3).into_bytes()),
    ];
    let p = write(&dir, "b.tgz", &gz(&tar(&members)));
    let other = write(&dir, "other.json", inspect("other", 4).as_bytes());

    let run = exitparse(&["--max-member-size", "1", s(&p), s(&other)], None);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        format!(
            "exitparse: {}!/big.txt: larger than 1 MiB decompressed (raise --max-member-size)\n",
            s(&p)
        )
    );
    assert_eq!(
        paths_of(&run.stdout),
        vec![format!("{}!/ok.json", s(&p)), s(&other).to_string()]
    );

    // Same through zip, whose declared sizes are checked too.
    let z = write(&dir, "b.zip", &zip(&members));
    let run = exitparse(&["--max-member-size", "1", s(&z)], None);
    assert_eq!(run.status, 1);
    assert_eq!(paths_of(&run.stdout), vec![format!("{}!/ok.json", s(&z))]);

    let run = exitparse(&["--max-members", "1", s(&p), s(&other)], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("more than 1 members (raise --max-members)"),
        "{}",
        run.stderr
    );
    assert_eq!(run.records().last().unwrap()["source"]["path"], s(&other));
}

#[test]
fn decompression_bombs_are_stopped() {
    let dir = scratch("engine-bomb");
    let zeros = vec![0u8; 8 << 20];
    let bomb = write(
        &dir,
        "bomb.tgz",
        &gz(&tar(&[("zeros.bin".to_string(), zeros)])),
    );
    let other = write(&dir, "other.json", inspect("other", 4).as_bytes());
    let run = exitparse(&["--max-ratio", "20", s(&bomb), s(&other)], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with(&format!("exitparse: {}", s(&bomb)))
            && run.stderr.contains("(raise --max-ratio)"),
        "{}",
        run.stderr
    );
    assert_eq!(paths_of(&run.stdout), vec![s(&other).to_string()]);

    let run = exitparse(&["--max-archive-size", "1", s(&bomb), s(&other)], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("(raise --max-archive-size)"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn named_binary_and_non_dump_files_are_errors() {
    let dir = scratch("engine-binary");
    let mut bin = b"ELF header".to_vec();
    bin.extend_from_slice(&[0, 1, 2]);
    let b = write(&dir, "prog", &bin);
    let log = write(&dir, "app.log", LOG.as_bytes());
    let ok = write(&dir, "ok.json", inspect("ok", 5).as_bytes());
    let run = exitparse(&[s(&b), s(&log), s(&ok)], None);
    assert_eq!(run.status, 1);
    let mut lines = run.stderr.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "exitparse: {}: binary data (3 control bytes in the first 13 bytes, the first at offset 10)",
            s(&b)
        )
    );
    assert!(lines.next().unwrap().starts_with(&format!(
        "exitparse: {}: no container-state dump found",
        s(&log)
    )));
    assert_eq!(paths_of(&run.stdout), vec![s(&ok).to_string()]);

    // Inside a directory the same files are skipped quietly.
    let run = exitparse(&[s(&dir)], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut v = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        v.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    v
}

fn without_paths(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["source"]["path"] = serde_json::Value::Null;
            v["source"]["offset"] = serde_json::Value::Null;
            v
        })
        .collect()
}

#[test]
fn boms_and_utf16_are_decoded() {
    let dir = scratch("engine-utf16");
    let text = describe(3, 0).replace('\n', "\r\n");
    let plain = write(&dir, "plain.txt", text.as_bytes());
    let le = write(&dir, "le.txt", &utf16(&text, false));
    let be = write(&dir, "be.txt", &utf16(&text, true));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let bom = write(&dir, "bom.txt", &bom);
    let want = exitparse(&[s(&plain)], None);
    assert_eq!(want.status, 0, "{}", want.stderr);
    assert_eq!(want.records().len(), 3);
    for p in [&le, &be, &bom] {
        let got = exitparse(&[s(p)], None);
        assert_eq!(got.status, 0, "{}: {}", s(p), got.stderr);
        assert_eq!(
            without_paths(&got.stdout),
            without_paths(&want.stdout),
            "{}",
            s(p)
        );
        let piped = exitparse(&[], Some(&std::fs::read(p).unwrap()));
        assert_eq!(
            piped.stdout,
            got.stdout.replace(s(p), "-"),
            "{} via stdin",
            s(p)
        );
    }
    // The UTF-8 BOM's bytes still count in offsets.
    let a = &want.records()[0]["source"]["offset"];
    let b = &exitparse(&[s(&bom)], None).records()[0]["source"]["offset"];
    assert_eq!(a.as_u64().unwrap() + 3, b.as_u64().unwrap());
}

#[test]
fn stdin_archives_are_read_too() {
    let bundle = gz(&tar(&bundle_members()));
    let run = exitparse(&[], Some(&bundle));
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(paths_of(&run.stdout)[0], "-!/pods/describe.txt");
}

#[test]
fn stdin_records_come_out_before_input_ends() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The first pod is complete once the second one starts.
    let first = format!(
        "{}\n\nName:             pod-1\nNamespace:        ns-1\n",
        pod(0, 137)
    );
    stdin.write_all(first.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    // Blocks until the record is written: stdin is still open.
    out.read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["pod"], "pod-0");
    let rest = &pod(1, 1)["Name:             pod-1\nNamespace:        ns-1\n".len()..];
    stdin.write_all(rest.as_bytes()).unwrap();
    drop(stdin);
    let mut tail = String::new();
    out.read_to_string(&mut tail).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert_eq!(tail.lines().count(), 1);
    assert!(tail.contains("\"pod\":\"pod-1\""));
}

#[test]
fn broken_pipe_ends_quietly_with_status_0() {
    let dir = scratch("engine-pipe");
    let p = write(&dir, "big.txt", describe(20000, 0).as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_exitparse"))
        .arg(s(&p))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.contains("pod-0"));
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn stats_line_and_no_progress_bar_off_a_terminal() {
    let dir = scratch("engine-stats");
    let p = write(&dir, "d.txt", describe(3, 0).as_bytes());
    let run = exitparse(&["--stats", s(&p)], None);
    assert_eq!(run.status, 0);
    let line = run.stderr.trim_end();
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let rest = line.strip_prefix("exitparse: stats: ").unwrap();
    let parts: Vec<&str> = rest.split(", ").collect();
    let size = describe(3, 0).len();
    assert_eq!(
        parts[..4],
        [
            "1 files".to_string(),
            format!("{size} bytes"),
            "3 records".into(),
            "0 errors".into()
        ]
    );
    assert!(
        parts[4].ends_with(" s") && parts[5].ends_with(" MB/s"),
        "{line}"
    );

    // Without --stats and off a terminal, stderr stays empty: no bar.
    let run = exitparse(&[s(&p)], None);
    assert_eq!(run.stderr, "");
}
