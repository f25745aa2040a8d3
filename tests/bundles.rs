//! Bundles: every layout of `../shared/spec/bundles.md` synthesized with
//! known joins (examples/synth/layouts.rs), run through the binary, and the
//! joined verdicts checked; `examples/bundle/`; the real k3s bundle when
//! `../shared` is present.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{exitparse, files_under, root, scratch, shared};

#[path = "../examples/synth/layouts.rs"]
#[allow(dead_code)]
mod layouts;

/// Writes the minimal bundle of `layout` and runs exitparse on it.
fn run_layout(layout: &str, extra: &[&str]) -> (Vec<Value>, String, i32) {
    let dir = scratch(&format!("bundle-{layout}"));
    assert!(layouts::write(layout, &dir, 0).unwrap(), "{layout}");
    let path = dir.to_string_lossy().into_owned();
    let mut args: Vec<&str> = extra.to_vec();
    args.push(&path);
    let run = exitparse(&args, None);
    (run.records(), run.stderr, run.status)
}

fn find<'a>(records: &'a [Value], pod: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["pod"] == pod)
        .unwrap_or_else(|| panic!("no record of {pod} in {records:#?}"))
}

fn category(records: &[Value], pod: &str) -> String {
    find(records, pod)["classification"]["category"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The evidence strings of `pod` starting with `prefix`.
fn cites(records: &[Value], pod: &str, prefix: &str) -> Vec<String> {
    find(records, pod)["classification"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|e| e.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

fn summary(records: &[Value], pod: &str) -> String {
    find(records, pod)["classification"]["summary"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The kernel line names the container's systemd scope (Guaranteed pod).
fn assert_cart_kernel_oom(records: &[Value], file: &str) {
    assert_eq!(category(records, "cart-7f9c"), "oom_killed");
    let kernel = cites(records, "cart-7f9c", "kernel ");
    assert!(
        kernel.iter().any(|k| k.contains(file)
            && k.contains("Killed process 4242 (java)")
            && k.contains("anon-rss:2097152kB")),
        "{kernel:?}"
    );
    assert!(summary(records, "cart-7f9c").contains("java (pid 4242)"));
}

fn assert_search_event_oom(records: &[Value], file: &str) {
    assert_eq!(category(records, "search-5d8b"), "oom_killed");
    let events = cites(records, "search-5d8b", "event ");
    assert!(
        events
            .iter()
            .any(|e| e.contains(file) && e.contains(": OOMKilling: ")),
        "{events:?}"
    );
}

fn assert_api_panic(records: &[Value], log: &str) {
    let api = find(records, "api-4c2d");
    assert_eq!(api["logs"]["previous"], true, "{api:#}");
    assert!(
        api["logs"]["path"].as_str().unwrap().ends_with(log),
        "{api:#}"
    );
    assert_eq!(api["logs"]["finding"], "go_panic", "{api:#}");
    assert!(summary(records, "api-4c2d").contains("the Go program panicked"));
    assert!(!cites(records, "api-4c2d", "log ").is_empty());
}

/// A kubelet `"Probe failed" probeType="Liveness"` line in the judged run.
fn assert_probe_liveness(records: &[Value], file: &str) {
    assert_eq!(category(records, "probe-x"), "liveness_killed");
    let kubelet = cites(records, "probe-x", "kubelet ");
    assert!(
        kubelet
            .iter()
            .any(|k| k.contains(file) && k.contains("probeType=\"Liveness\"")),
        "{kubelet:?}"
    );
}

fn assert_billing_java_oom(records: &[Value]) {
    assert_eq!(category(records, "billing-0"), "app_error");
    assert_eq!(find(records, "billing-0")["logs"]["finding"], "java_oom");
    assert!(summary(records, "billing-0").contains("JVM ran out of heap"));
}

#[test]
fn troubleshoot_joins_kernel_events_logs_and_time() {
    let (records, stderr, status) = run_layout("troubleshoot", &["-v"]);
    assert_eq!(status, 0, "{stderr}");
    assert_cart_kernel_oom(&records, "host-collectors/node-1/journald/kernel.txt:");
    assert_search_event_oom(&records, "cluster-resources/events/shop.json:");
    // The summary line naming the cgroup is missing: node + time.
    assert_eq!(category(&records, "worker-66f1"), "oom_killed");
    let by_time = cites(&records, "worker-66f1", "kernel ");
    assert!(
        by_time
            .iter()
            .any(|k| k.contains("matched by node and time")),
        "{by_time:?}"
    );
    assert_api_panic(&records, "api-4c2d/api-previous.log");
    assert_billing_java_oom(&records);
    assert_eq!(category(&records, "web-1"), "running");
    assert_eq!(find(&records, "web-1")["logs"]["previous"], false);
    assert_probe_liveness(&records, "host-collectors/node-1/journald/kubelet.txt:");
    // The kill of a pod the bundle does not hold: told, never attached.
    assert!(
        stderr.contains("ruby (pid 7070) matches no container"),
        "{stderr}"
    );
    assert!(records.iter().all(|r| !r.to_string().contains("pid 7070")));
}

#[test]
fn must_gather_reads_insecure_previous_logs_and_uptime_dmesg() {
    let (records, stderr, status) = run_layout("must-gather", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_cart_kernel_oom(&records, "nodes/node-1/dmesg:");
    assert_search_event_oom(&records, "core/events.yaml:");
    let api = find(&records, "api-4c2d");
    assert!(
        api["logs"]["path"]
            .as_str()
            .unwrap()
            .ends_with("logs/previous.insecure.log"),
        "{api:#}"
    );
    assert_billing_java_oom(&records);
    assert_probe_liveness(&records, "host_service_logs/masters/kubelet_service.log:");
}

#[test]
fn cluster_info_dump_directory_joins_events_and_log_blocks() {
    let (records, stderr, status) = run_layout("cluster-info", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_search_event_oom(&records, "shop/events.json:");
    assert_billing_java_oom(&records);
    assert!(
        find(&records, "billing-0")["logs"]["path"]
            .as_str()
            .unwrap()
            .ends_with("shop/billing-0/logs.txt")
    );
    // It never collects previous logs, and no kernel lines: no join.
    assert_eq!(category(&records, "cart-7f9c"), "killed");
    assert!(find(&records, "api-4c2d")["logs"].is_null());
}

#[test]
fn sosreport_joins_crictl_inspect_to_the_journal() {
    let (records, stderr, status) = run_layout("sosreport", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_cart_kernel_oom(&records, "sosreport-node-1-2024-03-05-abcdef/");
    // dmesg and messages carry the same kill: cited once.
    assert_eq!(cites(&records, "cart-7f9c", "kernel ").len(), 1);
}

#[test]
fn eks_collector_takes_the_previous_run_from_var_log_pods() {
    let (records, stderr, status) = run_layout("eks", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_cart_kernel_oom(&records, "kernel/dmesg.human.current:");
    let api = find(&records, "api-4c2d");
    assert!(
        api["logs"]["path"]
            .as_str()
            .unwrap()
            .ends_with("/api/4.log"),
        "{api:#}"
    );
}

#[test]
fn rancher_podlogs_previous_joins_a_listing_row() {
    let (records, stderr, status) = run_layout("rancher", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(category(&records, "api-4c2d"), "crash_loop");
    assert_api_panic(&records, "podlogs/shop-api-4c2d-previous");
}

#[test]
fn plain_directory_joins_on_content_and_host_field() {
    let (records, stderr, status) = run_layout("plain", &[]);
    assert_eq!(status, 0, "{stderr}");
    assert_cart_kernel_oom(&records, "node-1-journal.txt:");
    assert_eq!(category(&records, "worker-66f1"), "oom_killed");
}

#[test]
fn no_joins_reads_each_file_alone() {
    let (records, _, status) = run_layout("troubleshoot", &["--no-joins"]);
    assert_eq!(status, 0);
    assert_eq!(category(&records, "cart-7f9c"), "killed");
    assert_eq!(category(&records, "search-5d8b"), "killed");
    assert!(records.iter().all(|r| r["logs"].is_null()));
}

#[test]
fn output_is_the_same_for_every_jobs_count() {
    let dir = scratch("bundle-jobs");
    assert!(layouts::write("troubleshoot", &dir, 16 << 20).unwrap());
    let path = dir.to_string_lossy().into_owned();
    let one = exitparse(&["-j", "1", &path], None);
    let four = exitparse(&["-j", "4", &path], None);
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(
        one.stdout == four.stdout,
        "output differs between -j 1 and -j 4"
    );
    assert!(one.stdout.lines().count() > 1000);
}

#[test]
fn summary_counts_joined_verdicts() {
    let dir = scratch("bundle-summary");
    assert!(layouts::write("troubleshoot", &dir, 0).unwrap());
    let run = exitparse(&["summary", &dir.to_string_lossy()], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("verdicts rest on evidence joined from other files of a bundle"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bundle_archive_is_joined_like_its_directory() {
    let dir = scratch("bundle-tar");
    let tree = dir.join("tree");
    assert!(layouts::write("troubleshoot", &tree, 0).unwrap());
    let tarball = dir.join("bundle.tar.gz");
    let status = std::process::Command::new("tar")
        .arg("czf")
        .arg(&tarball)
        .arg("-C")
        .arg(&tree)
        .arg(".")
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no tar command");
        return;
    }
    let run = exitparse(&[&tarball.to_string_lossy()], None);
    let records = run.records();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_cart_kernel_oom(&records, "bundle.tar.gz!/");
    assert_api_panic(&records, "api-previous.log");
}

#[test]
fn ambiguous_kill_attaches_to_neither() {
    let dir = scratch("bundle-ambiguous");
    // Two containers of node-1 whose runs both hold the kill's time, and a
    // kill without a cgroup: it could be either.
    let pod = |name: &str, uid: &str| {
        format!(
            r#"{{"kind":"Pod","apiVersion":"v1","metadata":{{"name":"{name}","namespace":"ns","uid":"{uid}"}},"spec":{{"nodeName":"node-1","containers":[{{"name":"c"}}]}},"status":{{"phase":"Running","containerStatuses":[{{"name":"c","ready":false,"restartCount":0,"image":"x","state":{{"terminated":{{"exitCode":137,"reason":"Error","startedAt":"2024-03-05T10:00:00Z","finishedAt":"2024-03-05T10:30:02Z"}}}}}}]}}}}"#
        )
    };
    std::fs::write(
        dir.join("pods.json"),
        format!(
            "{{\n\"kind\": \"List\",\n\"items\": [\n{},\n{}\n]}}\n",
            pod("a", "00000001-0000-0000-0000-000000000001"),
            pod("b", "00000002-0000-0000-0000-000000000002")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("journal.txt"),
        "2024-03-05T10:30:01+0000 node-1 kernel: Memory cgroup out of memory: Killed process 6161 (python3) total-vm:1048576kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1100kB oom_score_adj:1000\n",
    )
    .unwrap();
    let run = exitparse(&["-v", &dir.to_string_lossy()], None);
    let records = run.records();
    assert_eq!(records.len(), 2);
    assert!(
        records
            .iter()
            .all(|r| r["classification"]["category"] == "killed")
    );
    assert!(
        run.stderr.contains("matches 2 containers by node and time")
            && run.stderr.contains("attached to neither"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_evidence_files_are_passed_over_with_a_note() {
    let dir = scratch("bundle-bad");
    assert!(layouts::write("troubleshoot", &dir, 0).unwrap());
    let r = dir.join("support-bundle-2024-03-05T11_02_00");
    // Binary data where a journal should be, and a log that is not UTF-8.
    std::fs::write(
        r.join("host-collectors/node-1/journald/binary.txt"),
        b"\x00\x01\x02kernel: garbage\n\xff\xfe",
    )
    .unwrap();
    std::fs::write(
        r.join("cluster-resources/pods/logs/shop/web-1/nginx.log"),
        b"ok\n\xff\xfe\xfd not utf-8 \x1b[31mred\x1b[0m\n",
    )
    .unwrap();
    let run = exitparse(&["-v", &dir.to_string_lossy()], None);
    let records = run.records();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains("binary data"), "{}", run.stderr);
    let tail = find(&records, "web-1")["logs"]["tail"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(tail.len(), 2);
    assert!(!tail[1].as_str().unwrap().contains('\u{1b}'));
}

#[test]
fn the_example_bundle_exits_0_with_its_joined_verdicts() {
    let run = exitparse(&["examples/bundle/"], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    assert_cart_kernel_oom(&records, "examples/bundle/host-collectors/");
    assert_api_panic(&records, "api-previous.log");
    assert_eq!(category(&records, "api-4c2d"), "app_error");
    assert!(
        find(&records, "api-4c2d")["state"]["reason"] == "CrashLoopBackOff",
        "a crash loop"
    );
    assert_eq!(category(&records, "web-1"), "running");
}

fn realworld_bundle() -> Option<PathBuf> {
    Some(shared()?.join("realworld/bundles/troubleshoot-k3s-support-bundle.tar.gz"))
        .filter(|p| p.exists())
}

#[test]
fn real_k3s_bundle_joins_previous_logs() {
    let Some(path) = realworld_bundle() else {
        eprintln!("skipped: the real k3s support bundle is not present");
        return;
    };
    let run = exitparse(&[&path.to_string_lossy()], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    let with_previous: Vec<&Value> = records
        .iter()
        .filter(|r| r["logs"]["previous"] == true)
        .collect();
    assert!(with_previous.len() >= 5, "{}", with_previous.len());
    for r in &with_previous {
        assert_eq!(r["classification"]["from"], "last_state", "{r:#}");
        let path = r["logs"]["path"].as_str().unwrap();
        let want = format!("{}-previous.log", r["container"].as_str().unwrap());
        assert!(path.ends_with(&want), "{path} for {r:#}");
    }
}

/// `DIR`'s files as a gzipped tar, named relative to `DIR`, in sorted order.
fn tgz(dir: &Path) -> Vec<u8> {
    let paths = files_under(dir);
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for p in paths {
        let name = p.strip_prefix(dir).unwrap();
        tar.append_path_with_name(&p, name).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

/// The records whose source path starts with `prefix`.
fn from(records: &[Value], prefix: &str) -> Vec<Value> {
    records
        .iter()
        .filter(|r| r["source"]["path"].as_str().unwrap().starts_with(prefix))
        .cloned()
        .collect()
}

/// Archives are inflated side by side on the pool, each its own bundle:
/// a directory of several (one nested in another, one cut short, loose
/// bundle files beside them) gives the same bytes on stdout and stderr
/// whatever `--jobs`, and each archive keeps its joins.
#[test]
fn a_directory_of_archives_is_the_same_for_every_jobs_count() {
    let dir = scratch("bundle-archives");
    let tree = |name: &str, layout: &str, size: u64| {
        let t = dir.join("trees").join(name);
        assert!(layouts::write(layout, &t, size).unwrap(), "{layout}");
        t
    };
    let top = dir.join("bundles");
    std::fs::create_dir_all(top.join("loose")).unwrap();
    let troubleshoot = tgz(&tree("a", "troubleshoot", 3 << 20));
    std::fs::write(top.join("a-troubleshoot.tar.gz"), &troubleshoot).unwrap();
    // An archive holding a bundle archive and a dump beside it.
    let nested = dir.join("trees").join("b");
    std::fs::create_dir_all(nested.join("inner")).unwrap();
    std::fs::write(
        nested.join("inner").join("rancher.tar.gz"),
        tgz(&tree("b-rancher", "rancher", 1 << 20)),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/kubectl-describe/completed-succeeded-init-and-main.txt"),
        nested.join("describe.txt"),
    )
    .unwrap();
    std::fs::write(top.join("b-nested.tar.gz"), tgz(&nested)).unwrap();
    std::fs::write(top.join("c-eks.tar.gz"), tgz(&tree("c", "eks", 2 << 20))).unwrap();
    // Cut short: what came out before the cut is read, then one error.
    std::fs::write(
        top.join("d-cut.tar.gz"),
        &troubleshoot[..troubleshoot.len() * 2 / 3],
    )
    .unwrap();
    assert!(layouts::write("plain", &top.join("loose"), 0).unwrap());
    let path = top.to_string_lossy().into_owned();

    let one = exitparse(&["-j", "1", &path], None);
    assert_eq!(one.status, 1, "the cut archive is an error: {}", one.stderr);
    assert!(one.stderr.contains("d-cut.tar.gz"), "{}", one.stderr);
    for jobs in ["2", "7"] {
        let run = exitparse(&["-j", jobs, &path], None);
        assert_eq!(run.status, one.status, "-j {jobs}: {}", run.stderr);
        assert!(
            run.stdout == one.stdout,
            "stdout differs: -j 1 and -j {jobs}"
        );
        assert_eq!(run.stderr, one.stderr, "stderr differs: -j 1 and -j {jobs}");
    }
    let records = one.records();
    assert!(records.len() > 300, "{}", records.len());
    let a = from(&records, &format!("{path}/a-troubleshoot.tar.gz!/"));
    assert_cart_kernel_oom(&a, "a-troubleshoot.tar.gz!/");
    assert_api_panic(&a, "api-previous.log");
    let rancher = from(
        &records,
        &format!("{path}/b-nested.tar.gz!/inner/rancher.tar.gz!/"),
    );
    assert_eq!(category(&rancher, "api-4c2d"), "crash_loop");
    assert_api_panic(&rancher, "podlogs/shop-api-4c2d-previous");
    assert!(!from(&records, &format!("{path}/b-nested.tar.gz!/describe.txt")).is_empty());
    assert!(!from(&records, &format!("{path}/c-eks.tar.gz!/")).is_empty());
    let loose = from(&records, &format!("{path}/loose/"));
    assert_eq!(category(&loose, "worker-66f1"), "oom_killed");
}

/// An archive named on the command line is joined by the walker that reads
/// it; the same archive read from stdin is joined by the writer. Both give
/// the same records and the same `--verbose` lines, at every `--jobs`,
/// nested archive and kernel OOM join included.
#[test]
fn an_archive_joined_by_its_walker_is_the_same_as_from_stdin() {
    let dir = scratch("bundle-walker-join");
    let tree = dir.join("tree");
    assert!(layouts::write("troubleshoot", &tree, 1 << 20).unwrap());
    let inner = dir.join("inner");
    assert!(layouts::write("rancher", &inner, 0).unwrap());
    std::fs::write(tree.join("rancher.tar.gz"), tgz(&inner)).unwrap();
    let archive = dir.join("walked.tar.gz");
    let bytes = tgz(&tree);
    std::fs::write(&archive, &bytes).unwrap();
    let path = archive.to_string_lossy().into_owned();

    let piped = exitparse(&["-j", "2", "--verbose", "-"], Some(&bytes));
    assert_eq!(piped.status, 0, "{}", piped.stderr);
    assert!(piped.records().len() > 10, "{}", piped.stdout);
    // Paths (and evidence naming files) differ only by the archive's name.
    let named = |s: &str| {
        s.replace("-!/", &format!("{path}!/"))
            .replace("exitparse: -: ", &format!("exitparse: {path}: "))
    };
    for jobs in ["1", "2", "8"] {
        let walked = exitparse(&["-j", jobs, "--verbose", &path], None);
        assert_eq!(walked.status, 0, "-j {jobs}: {}", walked.stderr);
        assert!(
            walked.stdout == named(&piped.stdout),
            "stdout differs from stdin's: -j {jobs}"
        );
        assert_eq!(walked.stderr, named(&piped.stderr), "stderr: -j {jobs}");
    }
    let records = exitparse(&["-j", "1", &path], None).records();
    let outer: Vec<Value> = records
        .into_iter()
        .filter(|r| !r["source"]["path"].as_str().unwrap().contains("rancher"))
        .collect();
    assert_cart_kernel_oom(&outer, "walked.tar.gz!/");
}

/// A directory whose loose dumps come before and after its archives: the
/// archives' joined records, rendered by their walkers, are placed between
/// the directory's own records (held for its join) exactly where they
/// were, and the directory's joins hold.
#[test]
fn archives_between_held_records_keep_their_place() {
    let dir = scratch("bundle-archives-held");
    let top = dir.join("top");
    // `plain` layout files (sorted before and after the archives) with a
    // kernel OOM join of their own.
    assert!(layouts::write("plain", &top, 0).unwrap());
    std::fs::copy(
        root().join("fixtures/kubectl-describe/completed-succeeded-init-and-main.txt"),
        top.join("0-first.txt"),
    )
    .unwrap();
    let eks = dir.join("eks");
    assert!(layouts::write("eks", &eks, 1 << 20).unwrap());
    std::fs::write(top.join("1-eks.tar.gz"), tgz(&eks)).unwrap();
    let ts = dir.join("ts");
    assert!(layouts::write("troubleshoot", &ts, 1 << 20).unwrap());
    std::fs::write(top.join("2-ts.tar.gz"), tgz(&ts)).unwrap();
    let path = top.to_string_lossy().into_owned();

    let one = exitparse(&["-j", "1", "--verbose", &path], None);
    assert_eq!(one.status, 0, "{}", one.stderr);
    for jobs in ["2", "8"] {
        let run = exitparse(&["-j", jobs, "--verbose", &path], None);
        assert!(run.stdout == one.stdout, "stdout: -j 1 and -j {jobs}");
        assert_eq!(run.stderr, one.stderr, "stderr: -j 1 and -j {jobs}");
    }
    let records = one.records();
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    let first = |needle: &str| paths.iter().position(|p| p.contains(needle)).unwrap();
    let last = |needle: &str| paths.iter().rposition(|p| p.contains(needle)).unwrap();
    // Input order: the loose describe, each archive whole, then the rest.
    assert_eq!(first("0-first.txt"), 0);
    assert!(last("0-first.txt") < first("1-eks.tar.gz!/"));
    assert!(last("1-eks.tar.gz!/") < first("2-ts.tar.gz!/"));
    let after = last("2-ts.tar.gz!/") + 1;
    assert!(after < paths.len(), "loose records after the archives");
    assert!(paths[after..].iter().all(|p| !p.contains(".tar.gz!/")));
    let ts = from(&records, &format!("{path}/2-ts.tar.gz!/"));
    assert_cart_kernel_oom(&ts, "2-ts.tar.gz!/");
    let loose: Vec<Value> = records[after..].to_vec();
    assert_eq!(category(&loose, "worker-66f1"), "oom_killed");
}
