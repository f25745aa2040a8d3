//! Hostile and damaged inputs (issue 14): archives cut short or padded,
//! dumps that hid from detection, inputs built to take all time or memory,
//! and names built to take over a terminal or a spreadsheet. Each case is
//! generated here, small; the large versions (64 MB one-line JSON, a zip
//! bomb) are `#[ignore]`d and measured by `scripts/bench.sh hostile`.

use std::io::Write;
use std::path::Path;

use crate::dumps::{describe_pod as pod, describe_pods};
use crate::pack::{self, gz, tar, zip};
use crate::util::{Run, exitparse, scratch};

/// `n` describe pods from `first`, each last exited 1.
fn describe(n: usize, first: usize) -> String {
    describe_pods(n, first, |_| 1)
}

/// A docker inspect element whose container exited `code`, in one line.
fn inspect(i: usize, code: i32) -> String {
    format!(
        r#"{{"Id":"{i:064x}","Name":"/app-{i}","State":{{"Status":"exited","Running":false,"OOMKilled":false,"ExitCode":{code},"Error":"","StartedAt":"2025-03-04T09:40:02Z","FinishedAt":"2025-03-04T09:41:10Z"}},"RestartCount":0,"Config":{{"Image":"app:{i}","Labels":{{}}}}}}"#
    )
}

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

/// Pseudo-random bytes (no compression helps them), deterministic.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

/// Ten dump members of 60 describe pods each, with incompressible logs
/// between them, so a cut of the compressed stream falls mid-archive.
fn bundle_members() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for m in 0..10 {
        files.push((
            format!("dumps/pods-{m}.txt"),
            describe(60, m * 60).into_bytes(),
        ));
        files.push((format!("logs/app-{m}.bin"), noise(40_000, m as u64 + 1)));
    }
    files
}

fn as_refs(files: &[(String, Vec<u8>)]) -> Vec<(&str, Vec<u8>)> {
    files.iter().map(|(n, d)| (n.as_str(), d.clone())).collect()
}

fn pods_of(run: &Run) -> Vec<String> {
    run.records()
        .iter()
        .map(|r| r["pod"].as_str().unwrap_or_default().to_string())
        .collect()
}

// ---- 1. Recover what was whole ---------------------------------------------

#[test]
fn cut_tgz_keeps_the_members_before_the_cut_and_says_where_it_broke() {
    let dir = scratch("hostile-cut-tgz");
    let whole = gz(&tar(&as_refs(&bundle_members())));
    let path = write(&dir, "cut.tgz", &whole[..whole.len() * 6 / 10]);
    let run = exitparse(&[&path], None);
    let pods = pods_of(&run);
    // Members 0..5 are whole before 60 % of the stream; the one cut keeps
    // its complete records too.
    assert!(
        pods.len() >= 5 * 60,
        "{} records\n{}",
        pods.len(),
        run.stderr
    );
    assert!(pods.len() < 600);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("cut short"), "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().filter(|l| !l.contains("note:")).count(),
        1
    );
}

#[test]
fn cut_tar_xz_and_zst_keep_what_was_whole() {
    let dir = scratch("hostile-cut-xz");
    let raw = tar(&as_refs(&bundle_members()));
    let mut xz = Vec::new();
    {
        let mut e = liblzma::write::XzEncoder::new(&mut xz, 6);
        e.write_all(&raw).unwrap();
        e.finish().unwrap();
    }
    let zst = zstd::encode_all(&raw[..], 3).unwrap();
    for (name, data) in [("cut.tar.xz", xz), ("cut.tar.zst", zst)] {
        let path = write(&dir, name, &data[..data.len() * 6 / 10]);
        let run = exitparse(&[&path], None);
        let n = run.records().len();
        assert!(
            (5 * 60..600).contains(&n),
            "{name}: {n} records\n{}",
            run.stderr
        );
        assert_eq!(run.status, 1, "{name}");
    }
}

#[test]
fn trailing_zeros_and_garbage_after_gzip_are_a_note_not_a_loss() {
    let dir = scratch("hostile-gz-trailer");
    let tgz = gz(&tar(&[("a/pods.txt", describe(20, 0).into_bytes())]));
    let single = gz(describe(20, 0).as_bytes());
    for (name, base, tail) in [
        ("zeros.tgz", &tgz, vec![0u8; 512]),
        ("garbage.tgz", &tgz, b"uploaded-by: proxy\n".to_vec()),
        ("zeros.gz", &single, vec![0u8; 1024]),
        ("garbage.gz", &single, b"\xde\xad\xbe\xef junk".to_vec()),
    ] {
        let mut data = base.clone();
        data.extend(tail);
        let path = write(&dir, name, &data);
        let run = exitparse(&[&path], None);
        assert_eq!(run.records().len(), 20, "{name}\n{}", run.stderr);
        assert_eq!(run.status, 0, "{name}\n{}", run.stderr);
        assert!(run.stderr.contains("note:"), "{name}: {}", run.stderr);
        assert!(run.stderr.contains("after the end of the gzip data"));
    }
}

#[test]
fn a_cut_gz_gives_the_complete_pods_then_an_error() {
    let dir = scratch("hostile-cut-gz");
    let mut text = describe(200, 0).into_bytes();
    // Incompressible padding keeps the cut inside the text, not at its end.
    for (i, chunk) in noise(200 * 600, 9).chunks(600).enumerate() {
        let line: String = chunk.iter().map(|b| (b'a' + b % 26) as char).collect();
        let pos = text.len() * i / 200;
        let at = text[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |k| pos + k + 1);
        text.splice(at..at, format!("# {line}\n").into_bytes());
    }
    let data = gz(&text);
    let path = write(&dir, "cut.gz", &data[..data.len() / 2]);
    let run = exitparse(&[&path], None);
    let n = run.records().len();
    assert!((11..200).contains(&n), "{n} records\n{}", run.stderr);
    assert_eq!(run.status, 1);
}

#[test]
fn zip_without_central_directory_is_read_from_local_headers() {
    let dir = scratch("hostile-zip-nocd");
    let files = vec![
        ("a.txt", describe(10, 0).into_bytes()),
        ("b.txt", describe(10, 10).into_bytes()),
        ("c.txt", describe(10, 20).into_bytes()),
    ];
    let whole = zip(&files);
    let cd = whole
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    let path = write(&dir, "nocd.zip", &whole[..cd]);
    let run = exitparse(&[&path], None);
    assert_eq!(run.records().len(), 30, "{}", run.stderr);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("local headers"), "{}", run.stderr);
}

/// Streaming writers put a member's sizes after its data; with the
/// directory cut off, the data descriptors tell where each member ends.
#[test]
fn a_cut_zip_of_members_with_data_descriptors_is_read() {
    let dir = scratch("hostile-zip-descriptors");
    let files = vec![
        ("pods/", Vec::new()),
        ("pods/a.txt", describe(10, 0).into_bytes()),
        ("pods/b.txt", describe(10, 10).into_bytes()),
    ];
    for signed in [true, false] {
        let name = format!("streamed-{signed}.zip");
        let path = write(
            &dir,
            &name,
            &pack::zip_streamed_without_directory(&files, signed),
        );
        let run = exitparse(&[&path], None);
        assert_eq!(run.records().len(), 20, "signed {signed}: {}", run.stderr);
        assert_eq!(run.status, 1, "the missing directory is an error");
        assert!(run.stderr.contains("read 3 members"), "{}", run.stderr);
    }
}

#[test]
fn a_zip_on_stdin_or_inside_gzip_is_spilled_within_the_member_limit() {
    let files = vec![("a.txt", describe(10, 0).into_bytes())];
    let z = zip(&files);
    let run = exitparse(&[], Some(&z));
    assert_eq!(run.records().len(), 10, "{}", run.stderr);
    let dir = scratch("hostile-zip-gz");
    let path = write(&dir, "bundle.zip.gz", &gz(&z));
    let run = exitparse(&[&path], None);
    assert_eq!(run.records().len(), 10, "{}", run.stderr);
    // Over --max-member-size: refused, not gathered in memory.
    let big = zip(&[("n.bin", noise(3 << 20, 3))]);
    let run = exitparse(&["--max-member-size", "1"], Some(&big));
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("--max-member-size"), "{}", run.stderr);
}

/// Found by fuzzing: invalid UTF-8 before a record shifted its offset two
/// bytes per bad byte (U+FFFD is three), past the end of a short input.
/// Each record's offset is where its line starts in the file as given.
#[test]
fn offsets_stay_the_inputs_past_invalid_utf8() {
    let dir = scratch("hostile-offsets-utf8");
    let bad = [0x8du8; 40];
    let yaml = [
        &b"# \x8d garbage: "[..],
        &bad,
        b"\nstatus:\n  containerStatuses:\n  - name: app\n    state:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n",
    ]
    .concat();
    let json = [
        &b"note "[..],
        &bad,
        b"\n\"State\": {\n    \"Status\": \"exited\",\n    \"ExitCode\": 137,   <--- this\n    \"OOMKilled\": true\n}\n",
    ]
    .concat();
    for (name, data, format) in [
        ("frag.yaml", yaml, "k8s-yaml"),
        ("frag.json", json, "docker-inspect"),
    ] {
        let path = write(&dir, name, &data);
        let run = exitparse(&["--input-format", format, &path], None);
        let records = run.records();
        assert!(!records.is_empty(), "{name}: {}", run.stderr);
        for r in records {
            let offset = r["source"]["offset"].as_u64().unwrap() as usize;
            let line = r["source"]["line"].as_u64().unwrap() as usize;
            assert!(
                offset < data.len(),
                "{name}: offset {offset} past {}",
                data.len()
            );
            let starts = data
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1);
            let line_start = std::iter::once(0).chain(starts).nth(line - 1).unwrap();
            assert_eq!(offset, line_start, "{name}: offset of line {line}");
        }
    }
}

// ---- 2. No silent skip of a dump ------------------------------------------

#[test]
fn compact_pod_json_is_found_named_in_a_directory_and_in_an_archive() {
    let dir = scratch("hostile-compact-pod");
    let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop"},"status":{"phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}}"#;
    let list = format!(r#"{{"kind":"PodList","apiVersion":"v1","items":[{pod}]}}"#);
    let named = write(&dir, "pod.json", pod.as_bytes());
    std::fs::create_dir_all(dir.join("d")).unwrap();
    write(&dir.join("d"), "list.json", list.as_bytes());
    let tgz = write(
        &dir,
        "b.tgz",
        &gz(&tar(&[("x/pod.json", pod.as_bytes().to_vec())])),
    );
    for args in [
        vec![named.as_str()],
        vec![dir.join("d").to_str().unwrap()],
        vec![tgz.as_str()],
    ] {
        let run = exitparse(&args, None);
        assert_eq!(pods_of(&run), ["web"], "{args:?}\n{}", run.stderr);
        assert_eq!(run.status, 0);
    }
}

#[test]
fn one_nul_byte_does_not_hide_a_dump_but_binary_data_is_skipped() {
    let dir = scratch("hostile-nul");
    let mut text = describe(5, 0).into_bytes();
    text.insert(40, 0);
    write(&dir, "pods.txt", &text);
    write(&dir, "blob.bin", &noise(10_000, 5));
    let run = exitparse(&["-v", dir.to_str().unwrap()], None);
    assert_eq!(run.records().len(), 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("blob.bin: note: skipped: binary data"),
        "{}",
        run.stderr
    );
}

#[test]
fn tar_hard_links_and_sparse_members_are_read() {
    let dir = scratch("hostile-links");
    let mut b = tar::Builder::new(Vec::new());
    let data = describe(3, 0).into_bytes();
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "a/pods.txt", &data[..]).unwrap();
    let mut l = tar::Header::new_gnu();
    l.set_entry_type(tar::EntryType::Link);
    l.set_size(0);
    l.set_mode(0o644);
    b.append_link(&mut l, "b/same-pods.txt", "a/pods.txt")
        .unwrap();
    let path = write(&dir, "links.tar", &b.into_inner().unwrap());
    let run = exitparse(&[&path], None);
    let paths: Vec<String> = run
        .records()
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 6, "{}", run.stderr);
    assert!(
        paths[3].ends_with("links.tar!/b/same-pods.txt"),
        "{paths:?}"
    );

    // A GNU sparse member (a file with a hole, `tar -S`): needs GNU tar.
    let sparse = dir.join("sparse.txt");
    {
        use std::io::{Seek, SeekFrom};
        let mut f = std::fs::File::create(&sparse).unwrap();
        f.write_all(describe(2, 0).as_bytes()).unwrap();
        f.seek(SeekFrom::Start(4 << 20)).unwrap();
        f.write_all(format!("\n{}", describe(1, 2)).as_bytes())
            .unwrap();
    }
    let made = std::process::Command::new("tar")
        .args(["--format=gnu", "-cSf", "sparse.tar", "sparse.txt"])
        .current_dir(&dir)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("GNU tar not available: sparse case skipped");
        return;
    }
    let raw = std::fs::read(dir.join("sparse.tar")).unwrap();
    assert_eq!(raw[156], b'S', "tar wrote no sparse member");
    let run = exitparse(&[dir.join("sparse.tar").to_str().unwrap()], None);
    assert_eq!(run.records().len(), 3, "{}", run.stderr);
}

#[test]
fn a_forced_format_that_finds_nothing_is_an_error() {
    let dir = scratch("hostile-forced");
    let rnd = write(&dir, "random.bin", &noise(4096, 11));
    let text = write(&dir, "words.txt", b"hello world\nnothing here\n");
    for fmt in ["kubectl-describe", "docker-ps", "kubectl-get-pods"] {
        for path in [&rnd, &text] {
            let run = exitparse(&["--input-format", fmt, path], None);
            assert_eq!(run.status, 1, "{fmt} {path}");
            assert!(run.stderr.contains(path.as_str()), "{}", run.stderr);
        }
        let run = exitparse(&["--input-format", fmt], Some(b"no table here\n"));
        assert_eq!(run.status, 1, "{fmt} on stdin");
        assert!(run.stderr.contains("found"), "{}", run.stderr);
    }
}

// ---- 3. Linear time, bounded memory ---------------------------------------

#[test]
fn one_line_json_offsets_follow_lines_whatever_the_cut() {
    let array = format!(
        "[{}]\n[{}]\n",
        (0..3000)
            .map(|i| inspect(i, 1))
            .collect::<Vec<_>>()
            .join(","),
        (3000..3010)
            .map(|i| inspect(i, 2))
            .collect::<Vec<_>>()
            .join(",")
    );
    let second_line = array.find('\n').unwrap() as u64 + 1;
    let dir = scratch("hostile-one-line");
    let path = write(&dir, "compact.json", array.as_bytes());
    let from_file = exitparse(&[&path, "--jobs", "2"], None);
    let from_stdin = exitparse(&["--jobs", "1"], Some(array.as_bytes()));
    for run in [&from_file, &from_stdin] {
        let recs = run.records();
        assert_eq!(recs.len(), 3010, "{}", run.stderr);
        for r in &recs {
            let want = if r["source"]["line"] == 1 {
                0
            } else {
                second_line
            };
            assert_eq!(r["source"]["offset"], want, "{r}");
        }
    }
    let strip = |s: &str| s.replace(&path, "-");
    assert_eq!(strip(&from_file.stdout), from_stdin.stdout);
}

#[test]
fn directory_links_that_branch_read_each_directory_once() {
    let dir = scratch("hostile-link-fanout");
    let leaf = dir.join("l0");
    std::fs::create_dir_all(&leaf).unwrap();
    std::fs::write(leaf.join("pods.txt"), describe(1, 0)).unwrap();
    // l{k} holds two links to l{k-1}: 2^14 paths down to one file.
    for k in 1..=14 {
        let d = dir.join(format!("l{k}"));
        std::fs::create_dir_all(&d).unwrap();
        for name in ["a", "b"] {
            std::os::unix::fs::symlink(dir.join(format!("l{}", k - 1)), d.join(name)).unwrap();
        }
    }
    let run = exitparse(&[dir.join("l14").to_str().unwrap()], None);
    assert_eq!(
        run.records().len(),
        1,
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert_eq!(run.status, 0);
}

#[test]
fn nested_fan_out_is_stopped_by_the_ratio_across_levels() {
    // Each level holds 8 copies of the one below; the leaf is a dump of
    // repetitive text. Any one stream is within the ratio, the whole is
    // 8^3 times the leaf: the ratio across the nesting stops it.
    let leaf = zip(&[("pods.txt", describe(1, 0).repeat(3_000).into_bytes())]);
    let mut level = leaf;
    for _ in 0..3 {
        let copies: Vec<(String, Vec<u8>)> = (0..8)
            .map(|i| (format!("{i}.zip"), level.clone()))
            .collect();
        level = zip(&as_refs(&copies));
    }
    let dir = scratch("hostile-fanout");
    let path = write(&dir, "fan.zip", &level);
    // A low ratio keeps the work before the breach small (6.4 MB); each
    // stream alone (a 1.2 MB leaf) is still within it.
    let run = exitparse(&["--max-depth", "8", "--max-ratio", "100", &path], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("across its nested archives"),
        "{}",
        run.stderr
    );
}

#[test]
fn jobs_far_above_the_cores_are_lowered_and_the_run_finishes() {
    let run = exitparse(&["--jobs", "1000000"], Some(describe(3, 0).as_bytes()));
    assert_eq!(run.records().len(), 3);
    assert!(
        run.stderr.contains("--jobs 1000000 lowered to"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_named_gz_of_binary_data_is_refused_before_it_is_inflated() {
    let dir = scratch("hostile-gz-zeros");
    // 64 MiB of zeros in 64 gzip members: only the head is ever inflated.
    let path = write(&dir, "zeros.gz", &gz(&vec![0u8; 1 << 20]).repeat(64));
    let run = exitparse(&[&path], None);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("binary data"), "{}", run.stderr);
}

#[test]
fn deep_gzip_nesting_is_refused_whatever_max_depth_says() {
    let mut data = describe(1, 0).into_bytes();
    for _ in 0..200 {
        data = gz(&data);
    }
    let mut first = describe(2, 100).into_bytes();
    first.extend(b"\n");
    let dir = scratch("hostile-deep");
    let ok = write(&dir, "a.txt", &first);
    let deep = write(&dir, "b.gz", &data);
    let run = exitparse(&["--max-depth", "100000", &ok, &deep], None);
    assert_eq!(run.records().len(), 2, "{}", run.stderr);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("never read"), "{}", run.stderr);
}

#[test]
fn a_stream_line_without_end_is_cut_with_an_error() {
    let mut data = b"CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n".to_vec();
    data.extend(std::iter::repeat_n(b'x', 20 << 20));
    let run = exitparse(&["--input-format", "docker-ps"], Some(&data));
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("longer than 16 MiB"), "{}", run.stderr);
}

#[test]
fn a_named_file_skips_a_runaway_line_and_reads_on() {
    // Pods, a line of 17 MiB, more pods, and a last line of 17 MiB that
    // never ends: the pods on both sides come out, each long line is an
    // error at its own line, and neither is handed to the parser.
    let dir = scratch("hostile-named-long-line");
    let mut data = describe(30, 0).into_bytes();
    let first = newlines(&data) + 1;
    data.extend(std::iter::repeat_n(b'x', 17 << 20));
    data.push(b'\n');
    data.extend(describe(30, 30).into_bytes());
    let second = newlines(&data) + 1;
    data.extend(std::iter::repeat_n(b'y', 17 << 20));
    let path = write(&dir, "pods.txt", &data);
    let run = exitparse(&[&path], None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let expected: Vec<String> = (0..60).map(|i| format!("pod-{i}")).collect();
    assert_eq!(pods_of(&run), expected);
    for line in [first, second] {
        let told = format!("{path}:{line}: line longer than 16 MiB");
        assert!(run.stderr.contains(&told), "{told} in {}", run.stderr);
    }
    assert_eq!(
        run.stderr.matches("longer than").count(),
        2,
        "{}",
        run.stderr
    );
}

fn newlines(data: &[u8]) -> usize {
    data.iter().filter(|&&b| b == b'\n').count()
}

// ---- 4. Nothing raw reaches a terminal -------------------------------------

#[test]
fn hostile_member_names_are_escaped_on_stderr() {
    let dir = scratch("hostile-names");
    let name = "x\x1b]0;owned\x07\x1b[2J\r\nexitparse: forged\u{202e}\u{200b}\u{9b}31m.txt";
    let tgz = gz(&tar(&[(name, b"not a dump at all\n".to_vec())]));
    let path = write(&dir, "names.tgz", &tgz);
    let run = exitparse(&["-v", &path], None);
    let stderr = &run.stderr;
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    assert!(!stderr.contains('\u{202e}') && !stderr.contains('\u{9b}'));
    assert!(!stderr.contains('\u{200b}'));
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.contains("\\x1b]0;owned\\x07"), "{stderr:?}");
    assert!(
        stderr.contains("\\nexitparse: forged\\u{202e}"),
        "{stderr:?}"
    );
}

#[test]
fn csv_guards_formula_cells_unless_raw() {
    let text = pod(1, 1).replace("pod-1", "=HYPERLINK(\"http://x\",\"y\")");
    let run = exitparse(&["-f", "csv"], Some(text.as_bytes()));
    assert!(run.stdout.contains(",\"'=HYPERLINK("), "{}", run.stdout);
    let raw = exitparse(&["-f", "csv", "--csv-raw"], Some(text.as_bytes()));
    assert!(raw.stdout.contains(",\"=HYPERLINK("), "{}", raw.stdout);
}

#[test]
fn invisible_characters_do_not_reach_table_or_csv() {
    let text = pod(1, 1).replace(
        "pod-1",
        "pod\u{200b}\u{200f}\u{061c}\u{2028}\u{2029}\u{feff}x",
    );
    for fmt in ["table", "csv"] {
        let run = exitparse(&["-f", fmt], Some(text.as_bytes()));
        for c in [
            '\u{200b}', '\u{200f}', '\u{061c}', '\u{2028}', '\u{2029}', '\u{feff}',
        ] {
            assert!(!run.stdout.contains(c), "{fmt}: U+{:04X}", c as u32);
        }
        assert!(run.stdout.contains("pod      x"), "{fmt}: {}", run.stdout);
    }
}

// ---- The large cases (run with --ignored; timed in scripts/bench.sh) -------

#[test]
#[ignore = "64 MB: run with --ignored (release build recommended)"]
fn large_one_line_json_array_of_64_mb() {
    let one = inspect(0, 1);
    let n = (64 << 20) / (one.len() + 1);
    let array = format!(
        "[{}]",
        (0..n).map(|i| inspect(i, 1)).collect::<Vec<_>>().join(",")
    );
    let dir = scratch("hostile-64mb");
    let path = write(&dir, "compact.json", array.as_bytes());
    let run = exitparse(&[&path], None);
    assert_eq!(run.records().len(), n);
    let piped = exitparse(&[], Some(array.as_bytes()));
    assert_eq!(piped.stdout, run.stdout.replace(&path, "-"));
}
