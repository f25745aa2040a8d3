//! The JSON reader's Pod/List fast path (`format::json::fast`) against the
//! serde path it stands in for (`json::parse_reference`): the same records,
//! diagnostics, skipped objects and dump flag, on every fixture and test
//! input, every real-world case (when `/work/shared` is there), a
//! synthesized corpus of every JSON kind, and damaged copies of pods that
//! use what the fast path must check (escapes, numbers of every form,
//! repeated keys, deep nesting).

use std::path::{Path, PathBuf};

use exitparse::format::Chunk;
use exitparse::format::json;
use exitparse::format::json::fast;
use proptest::prelude::*;

use crate::util::{files_under, shared};

#[path = "../examples/synth/dumps.rs"]
mod dumps;

/// Both readers' full results, as text (a difference prints as a diff).
fn both(bytes: &[u8]) -> (String, String) {
    let chunk = Chunk::whole(bytes);
    (
        format!("{:#?}", json::parse(chunk)),
        format!("{:#?}", json::parse_reference(chunk)),
    )
}

fn assert_same(bytes: &[u8], what: &str) {
    let (fast, reference) = both(bytes);
    assert!(
        fast == reference,
        "{what}: fast path differs\n--- fast\n{fast}\n--- serde\n{reference}"
    );
}

/// The dumps under `dir`: every file but expectations and archives.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = files_under(dir);
    all.retain(|p| {
        !matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("jsonl" | "stderr" | "gz" | "zip" | "tgz" | "tar" | "xz" | "bz2" | "zst")
        )
    });
    all
}

#[test]
fn fixtures_and_test_data_read_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = files(&root.join("fixtures"));
    all.extend(files(&root.join("tests/data")));
    let mut pods = 0;
    for p in &all {
        let bytes = std::fs::read(p).unwrap();
        assert_same(&bytes, &p.display().to_string());
        if p.to_string_lossy().contains("k8s-json") {
            pods += 1;
        }
    }
    assert!(
        all.len() > 100 && pods > 5,
        "{} files, {pods} pod JSON",
        all.len()
    );
}

#[test]
fn real_world_cases_read_the_same() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared not present");
        return;
    };
    let all = files(&shared.join("realworld/cases"));
    for p in &all {
        assert_same(&std::fs::read(p).unwrap(), &p.display().to_string());
    }
}

#[test]
fn synthesized_json_reads_the_same() {
    for kind in ["k8s-json", "docker", "podman", "crictl"] {
        let k = dumps::Kind::from_name(kind).unwrap();
        for seed in 0..4 {
            let bytes = dumps::dump_vec(k, 256 << 10, seed);
            let (fast, reference) = both(&bytes);
            assert!(fast.len() > 1000, "{kind}: no records");
            assert!(fast == reference, "{kind} seed {seed}: fast path differs");
        }
    }
}

/// A pod with what real ones carry besides the fields read: managedFields,
/// annotations with escapes and non-ASCII text, numbers of every form,
/// nulls, nested lists; an init container, an ephemeral one, a spec-only
/// container.
const POD: &str = r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"a\":\"b\\n\u00e9\"}\n", "note": "caf\u00e9 ☕ \/x"},
        "managedFields": [{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"k:{\"name\":\"app\"}": {"f:image": {}}}}, "manager": "kubectl", "operation": "Update", "time": "2024-01-01T00:00:00Z"}],
        "name": "web-0",
        "namespace": "prod",
        "resourceVersion": "12",
        "generation": -1.5e+3,
        "uid": "0d3f"
    },
    "spec": {
        "containers": [{"image": "nginx:1", "name": "app", "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {"limits": {"cpu": 0.5, "memory": 1E9}}},
                       {"image": "side:2", "name": "side", "args": [true, false, null, 0, -0, 12.25, 3e-2]}],
        "initContainers": [{"image": "init:1", "name": "init"}],
        "ephemeralContainers": [{"image": "busybox", "name": "debug"}],
        "nodeName": "node-1",
        "tolerations": []
    },
    "status": {
        "conditions": [{"lastProbeTime": null, "status": "True", "type": "Ready"}],
        "initContainerStatuses": [{"name": "init", "ready": true, "restartCount": 0, "image": "init:1", "containerID": "containerd://aa", "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": "2024-01-01T00:00:01Z", "finishedAt": "2024-01-01T00:00:02Z"}}, "lastState": {}}],
        "containerStatuses": [
            {"name": "app", "ready": false, "restartCount": 7, "image": "nginx:1", "imageID": "x", "containerID": "containerd://bb",
             "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=app pod=web-0_prod(0d3f)"}},
             "lastState": {"terminated": {"exitCode": 137, "signal": 9, "reason": "OOMKilled", "message": "line1\nline2", "startedAt": "2024-01-01T00:01:00Z", "finishedAt": "2024-01-01T00:02:00.123Z"}}},
            {"name": "side", "ready": "true", "restartCount": "2", "state": {"running": {"startedAt": "2024-01-01T00:00:03Z"}}}
        ],
        "phase": "Running",
        "reason": null,
        "startTime": "2024-01-01T00:00:00Z"
    }
}"#;

/// The pod, a list holding it twice and a Node, and text around them.
fn corpus() -> String {
    format!(
        "$ kubectl get pod web-0 -o json\n{POD}\n{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n{POD},\n{{\"kind\": \"Node\", \"metadata\": {{\"name\": \"n\"}}}}, 7, \"x\",\n{POD}\n], \"metadata\": {{\"resourceVersion\": \"\"}}}}\n"
    )
}

#[test]
fn the_corpus_reads_the_same_and_gives_records() {
    let c = corpus();
    let p = json::parse(Chunk::whole(c.as_bytes()));
    assert_eq!(p.observations.len(), 12, "{:#?}", p.observations);
    assert!(p.diagnostics.is_empty());
    assert_same(c.as_bytes(), "corpus");
}

/// The fast path does read what it is for (else the tests above would
/// compare serde with itself).
#[test]
fn the_fast_path_reads_pods_and_lists() {
    assert!(matches!(fast::top(POD.as_bytes(), 0), Some((fast::Top::Pod(_), n)) if n == POD.len()));
    let b = dumps::dump_vec(dumps::Kind::K8sJson, 256 << 10, 1);
    let Some((fast::Top::List(items), _)) = fast::top(&b, 0) else {
        panic!("synthesized List not read");
    };
    assert!(items.len() > 50);
    assert!(items.iter().all(|i| matches!(i, fast::Item::Pod(..))));
    // Odd but valid: a repeated field, an escaped key, a `state` in status.
    for (from, to) in [
        ("\"uid\": \"0d3f\"", "\"uid\": \"0d3f\", \"uid\": \"x\""),
        ("\"nodeName\"", "\"node\\u004eame\""),
        (
            "\"phase\": \"Running\"",
            "\"phase\": \"Running\", \"state\": \"x\"",
        ),
    ] {
        let c = POD.replacen(from, to, 1);
        assert!(c != POD && fast::top(c.as_bytes(), 0).is_none(), "{to}");
        assert_same(c.as_bytes(), to);
    }
}

/// Edits that reach the checks: JSON punctuation, escapes, digits, control
/// and non-UTF-8 bytes, and key/value text.
const EDIT_BYTES: &[u8] = b"\"\\{}[],:0-.eE+ \n\x01\xc3\xffu/ntaxnull";

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    /// Copies a line after itself (a repeated key, mostly).
    DupLine(usize),
    /// Inserts a copy of the text at `from..from+len` at `at`.
    Splice(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = (0..EDIT_BYTES.len()).prop_map(|i| EDIT_BYTES[i]);
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(p, b)| Edit::Replace(p, b)),
        (any::<usize>(), byte).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1..20usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        any::<usize>().prop_map(Edit::DupLine),
        (any::<usize>(), any::<usize>(), 1..200usize).prop_map(|(a, f, n)| Edit::Splice(a, f, n)),
    ]
}

fn apply(mut b: Vec<u8>, e: &Edit) -> Vec<u8> {
    let n = b.len();
    match *e {
        Edit::Replace(p, c) => b[p % n] = c,
        Edit::Insert(p, c) => b.insert(p % (n + 1), c),
        Edit::Delete(p, k) => {
            let p = p % n;
            b.drain(p..(p + k).min(n));
        }
        Edit::DupLine(p) => {
            let p = p % n;
            let s = b[..p]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |k| k + 1);
            let e = b[p..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(n, |k| p + k + 1);
            let line = b[s..e].to_vec();
            b.splice(e..e, line);
        }
        Edit::Splice(at, from, k) => {
            let from = from % n;
            let piece = b[from..(from + k).min(n)].to_vec();
            let at = at % (n + 1);
            b.splice(at..at, piece);
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn damaged_copies_read_the_same(edits in proptest::collection::vec(edit(), 1..4)) {
        let mut b = corpus().into_bytes();
        for e in &edits {
            b = apply(b, e);
        }
        let (fast, reference) = both(&b);
        prop_assert!(fast == reference, "fast path differs after {edits:?}\n--- fast\n{fast}\n--- serde\n{reference}");
    }

    #[test]
    fn damaged_synthesized_lists_read_the_same(seed in 0..1000u64, edits in proptest::collection::vec(edit(), 1..3)) {
        let mut b = dumps::dump_vec(dumps::Kind::K8sJson, 6 << 10, seed);
        for e in &edits {
            b = apply(b, e);
        }
        let (fast, reference) = both(&b);
        prop_assert!(fast == reference, "fast path differs after {edits:?}");
    }
}

#[test]
fn deep_nesting_is_left_to_serde() {
    for depth in [50, 95, 96, 97, 127, 128, 129, 300] {
        let nest = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let c = POD.replacen(
            "\"tolerations\": []",
            &format!("\"tolerations\": {nest}"),
            1,
        );
        assert_same(c.as_bytes(), &format!("depth {depth}"));
        let c = POD.replacen("\"name\": \"web-0\"", &format!("\"name\": {nest}"), 1);
        assert_same(c.as_bytes(), &format!("typed depth {depth}"));
    }
}

/// A docker container with what the inspect hot path reads by hand: the
/// state with a failing health check, labels, a dockershim name.
const DOCKER: &str = r#"[
    {
        "Id": "4f1c",
        "Created": "2024-01-01T00:00:00Z",
        "State": {"Status": "running", "Running": true, "Paused": false, "Restarting": false, "OOMKilled": false, "Dead": false, "Pid": 12, "ExitCode": 0, "Error": "", "StartedAt": "2024-01-01T00:00:01.5Z", "FinishedAt": "0001-01-01T00:00:00Z",
                  "Health": {"Status": "unhealthy", "FailingStreak": 3, "Log": [{"Start": "x", "ExitCode": 0, "Output": "ok"}, {"ExitCode": 7, "Output": "\ncurl: (7) refused \u00e9\n"}]}},
        "Name": "/k8s_app_web-0_prod_0d3f_2",
        "RestartCount": 1,
        "Config": {"Env": ["A=1", "B=\"2\""], "Image": "nginx:1", "Labels": {"io.kubernetes.container.name": "app", "io.kubernetes.pod.name": "web-0", "annotation.io.kubernetes.container.restartCount": "2", "maintainer": "someone <a@b>"}},
        "HostConfig": {"Memory": 0, "CpuShares": 2, "Binds": null},
        "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}}
    }
]
"#;

#[test]
fn docker_state_and_labels_read_the_same() {
    // A List holding containers too: its items left to the general path
    // go through the inspect hot path as a top-level object would.
    let element = DOCKER.trim().trim_start_matches('[').trim_end_matches(']');
    let list = format!("{{\"kind\": \"List\", \"items\": [{element}, {POD}]}}");
    let p = json::parse(Chunk::whole(list.as_bytes()));
    assert_eq!(p.observations.len(), 5);
    assert_same(list.as_bytes(), "List of a container and a pod");
    let list = list.replacen("\"Name\":", "\"Name\": 1, \"Name\":", 1);
    assert_same(list.as_bytes(), "List of a container with a repeated key");
    let p = json::parse(Chunk::whole(DOCKER.as_bytes()));
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].restart_count, Some(2));
    assert_same(DOCKER.as_bytes(), "docker");
    assert!(fast::inspect::docker_state(br#"{"Status": "exited", "ExitCode": 1}"#).is_some());
    assert!(fast::inspect::docker_state(br#"{"Status": "exited", "Status": "x"}"#).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn damaged_docker_reads_the_same(edits in proptest::collection::vec(edit(), 1..4)) {
        let mut b = DOCKER.as_bytes().to_vec();
        for e in &edits {
            b = apply(b, e);
        }
        let (fast, reference) = both(&b);
        prop_assert!(fast == reference, "fast path differs after {edits:?}\n--- fast\n{fast}\n--- serde\n{reference}");
    }

    #[test]
    fn damaged_synthesized_inspect_reads_the_same(kind in 0..3usize, seed in 0..1000u64, edits in proptest::collection::vec(edit(), 1..3)) {
        let k = dumps::Kind::from_name(["docker", "podman", "crictl"][kind]).unwrap();
        let mut b = dumps::dump_vec(k, 6 << 10, seed);
        for e in &edits {
            b = apply(b, e);
        }
        let (fast, reference) = both(&b);
        prop_assert!(fast == reference, "fast path differs after {edits:?}");
    }
}
