//! Only pods and containers make records, and what is not a dump gets one
//! answer: an error when it was named on the command line (or piped in), a
//! quiet skip inside a directory or archive (`--verbose` lists it).
//!
//! The real troubleshoot.sh bundle of `../shared/realworld/bundles/` is read
//! when that folder exists (`EXITPARSE_SHARED` may point elsewhere); the
//! test is skipped without it.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::util::{exitparse, root, scratch, shared};

/// `(namespace, pod, container)` of each record, in output order.
type Ids = Vec<(String, String, String)>;

fn ids(records: &[serde_json::Value]) -> Ids {
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or("<null>").to_string();
    records
        .iter()
        .map(|r| (s(r, "namespace"), s(r, "pod"), s(r, "container")))
        .collect()
}

/// The containers a bundle's `cluster-resources/pods/*.json` hold, read
/// here with serde_json alone: every status of every kind, plus declared
/// containers that have no status yet.
fn pod_containers_of(tgz: &Path) -> BTreeSet<(String, String, String)> {
    let file = std::fs::File::open(tgz).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = BTreeSet::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().to_string();
        let Some(rest) = path.split("cluster-resources/pods/").nth(1) else {
            continue;
        };
        if rest.contains('/') || !rest.ends_with(".json") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let pods = v["items"].as_array().or(v.as_array()).cloned();
        for pod in pods.unwrap_or_default() {
            let name = |v: &serde_json::Value| v["name"].as_str().unwrap().to_string();
            let meta = &pod["metadata"];
            let ns = meta["namespace"].as_str().unwrap().to_string();
            let statuses = [
                "initContainerStatuses",
                "containerStatuses",
                "ephemeralContainerStatuses",
            ]
            .map(|k| &pod["status"][k]);
            let declared =
                ["initContainers", "containers", "ephemeralContainers"].map(|k| &pod["spec"][k]);
            for list in statuses.iter().chain(&declared) {
                for c in list.as_array().into_iter().flatten() {
                    out.insert((ns.clone(), name(meta), name(c)));
                }
            }
        }
    }
    out
}

/// The real k3s bundle: exactly its ten pod containers, nothing invented
/// from its custom resources, and nothing on stderr, whatever `--jobs`.
#[test]
fn k3s_bundle_gives_exactly_its_pod_containers() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/realworld not present");
        return;
    };
    let bundle = shared.join("realworld/bundles/troubleshoot-k3s-support-bundle.tar.gz");
    let want: BTreeSet<(String, String, String)> = [
        ("default", "nginx-deployment-7986654d4-ztx2g", "hello"),
        ("default", "nginx-deployment-7986654d4-ztx2g", "nginx"),
        ("kube-system", "coredns-b96499967-tncf4", "coredns"),
        ("kube-system", "helm-install-traefik-2fxbg", "helm"),
        ("kube-system", "helm-install-traefik-crd-q2ndn", "helm"),
        (
            "kube-system",
            "local-path-provisioner-7b7dc8d6f5-45btl",
            "local-path-provisioner",
        ),
        (
            "kube-system",
            "metrics-server-668d979685-wttxd",
            "metrics-server",
        ),
        ("kube-system", "svclb-traefik-8ea5448e-d2m74", "lb-tcp-443"),
        ("kube-system", "svclb-traefik-8ea5448e-d2m74", "lb-tcp-80"),
        ("kube-system", "traefik-7cd4fcff68-9blj6", "traefik"),
    ]
    .iter()
    .map(|(n, p, c)| (n.to_string(), p.to_string(), c.to_string()))
    .collect();
    // The list above is what the bundle's pods JSON holds.
    assert_eq!(pod_containers_of(&bundle), want);

    let path = bundle.to_string_lossy().to_string();
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let run = exitparse(&["--jobs", jobs, &path], None);
        assert_eq!(run.status, 0, "--jobs {jobs}: {}", run.stderr);
        assert_eq!(run.stderr, "", "--jobs {jobs}: stderr is not quiet");
        let got = ids(&run.records());
        assert_eq!(got.len(), want.len(), "--jobs {jobs}: {got:?}");
        assert_eq!(got.iter().cloned().collect::<BTreeSet<_>>(), want);
        for r in run.records() {
            assert!(
                r["source"]["path"]
                    .as_str()
                    .unwrap()
                    .contains("/cluster-resources/pods/"),
                "{r}"
            );
        }
        outputs.push(run.stdout);
    }
    assert_eq!(outputs[0], outputs[1], "output depends on --jobs");

    // `--verbose` tells what was passed over, the custom resources among it.
    let run = exitparse(&["-v", &path], None);
    assert_eq!(run.status, 0);
    for line in [
        "custom-resources/addons.k3s.cattle.io/kube-system.yaml:1: note: skipped: a Kubernetes Addon, not a pod or container (12 objects)",
        "cluster-resources/groups.json:2: note: skipped: JSON that is not a container, pod or list of them (24 objects)",
        "cluster-resources/deployments/kube-system.json:1: note: skipped: a Kubernetes DeploymentList, not a pod or container",
    ] {
        assert!(run.stderr.contains(line), "{line}\n{}", run.stderr);
    }
    // Besides what was passed over, only the bundle's own line (its layout
    // and the evidence files read for the joins).
    assert!(
        run.stderr
            .lines()
            .all(|l| l.contains(": note: skipped") || l.contains(": note: bundle (")),
        "{}",
        run.stderr
    );
}

fn fixture_bundle() -> PathBuf {
    root().join("fixtures/bundle/troubleshoot-custom-resources.bundle")
}

/// The synthesized bundle (custom resources as a top-level YAML list, a
/// `List`, multi-document YAML and JSON with `status.conditions`) read as
/// a `.tar.gz`, as a collector ships it: the same six containers as the
/// directory fixture, quiet by default, whatever `--jobs`.
#[test]
fn synthesized_bundle_archive_gives_only_its_pods() {
    let dir = scratch("kinds-bundle");
    let tgz = dir.join("support-bundle.tar.gz");
    {
        let file = std::fs::File::create(&tgz).unwrap();
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        tar.append_dir_all("support-bundle", fixture_bundle())
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
    }
    let from_dir = exitparse(&[&fixture_bundle().to_string_lossy()], None);
    assert_eq!(from_dir.stderr, "");
    let want = ids(&from_dir.records());
    assert_eq!(want.len(), 6, "{want:?}");
    let tgz = tgz.to_string_lossy().to_string();
    for jobs in ["1", "2"] {
        let run = exitparse(&["--jobs", jobs, &tgz], None);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "", "--jobs {jobs}");
        let mut got = ids(&run.records());
        let mut want = want.clone();
        // Archive members come in the archive's order, not sorted.
        got.sort();
        want.sort();
        assert_eq!(got, want, "--jobs {jobs}");
    }
    let run = exitparse(&["--verbose", &tgz], None);
    for file in [
        "addons.k3s.cattle.io/kube-system.yaml:1: note: skipped: a Kubernetes Addon",
        "addons.k3s.cattle.io/kube-system.yaml:26: note: skipped: a Kubernetes HelmChart",
        "certificates.cert-manager.io/shop.yaml:3: note: skipped: a Kubernetes Certificate",
        "workflows.argoproj.io/shop.yaml:1: note: skipped: a Kubernetes Workflow, not a pod or container (2 objects)",
        "kafkas.kafka.strimzi.io/shop.json:2: note: skipped: a Kubernetes Kafka",
        "rollouts.argoproj.io/shop.json:1: note: skipped: JSON that is not a container, pod or list of them",
    ] {
        assert!(run.stderr.contains(file), "{file}\n{}", run.stderr);
    }
}

const SCHEMA: &str = "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"type\": \"object\",\n  \"properties\": {\n    \"status\": {\"type\": \"string\"},\n    \"kind\": {\"type\": \"string\"}\n  }\n}\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1\nstatus:\n  conditions:\n  - type: Available\n    status: \"False\"\n";
const IMAGE: &str = "[\n    {\n        \"Id\": \"sha256:0123\",\n        \"RepoTags\": [\"busybox:latest\"]\n    }\n]\n";
const EVENTS: &str = "{\n  \"kind\": \"EventList\",\n  \"items\": [{\"reason\": \"BackOff\", \"involvedObject\": {\"kind\": \"Pod\", \"name\": \"p\"}}]\n}\n";
const EMPTY_LIST: &str = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\"resourceVersion\": \"\"}\n}\n";
const POD_AND_DEPLOYMENT: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nstatus:\n  phase: Running\n  containerStatuses:\n  - name: app\n    state:\n      running: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n";

/// Issue 13's "one answer per kind of input": `{"foo":1}` (detection says
/// no), a JSON Schema, a Deployment, an image inspect, events alone (the
/// parser says no): named, each is the same error; piped, too.
#[test]
fn named_input_that_is_no_dump_is_an_error_whoever_decides() {
    let dir = scratch("kinds-named");
    let cases = [
        (
            "foo.json",
            "{\"foo\":1}\n",
            "no container-state dump found (",
        ),
        (
            "schema.json",
            SCHEMA,
            "no container-state dump found: JSON that is not a container, pod or list of them",
        ),
        (
            "deploy.yaml",
            DEPLOYMENT,
            "no container-state dump found: a Kubernetes Deployment, not a pod or container",
        ),
        (
            "image.json",
            IMAGE,
            "no container-state dump found: an image inspect object, not a container",
        ),
        (
            "events.json",
            EVENTS,
            "no container-state dump found: Kubernetes events",
        ),
    ];
    for (name, text, why) in cases {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let p = p.to_string_lossy().to_string();
        let run = exitparse(&[&p], None);
        assert_eq!(run.status, 1, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}");
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("exitparse: {p}: {why}")),
            "{name}: {}",
            run.stderr
        );
        let piped = exitparse(&["-"], Some(text.as_bytes()));
        assert_eq!(piped.status, 1, "{name} on stdin");
        assert!(
            piped.stderr.starts_with(&format!("exitparse: -: {why}")),
            "{name} on stdin: {}",
            piped.stderr
        );
    }
    // Dumps with nothing in them, or with other objects beside the pods,
    // are dumps: no word.
    for (name, text, records) in [
        ("empty-list.json", EMPTY_LIST, 0),
        ("pod-and-deployment.yaml", POD_AND_DEPLOYMENT, 1),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let run = exitparse(&[&p.to_string_lossy()], None);
        assert_eq!(run.status, 0, "{name}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{name}");
        assert_eq!(run.records().len(), records, "{name}");
    }
    // Inside a directory the same files are passed over without a word;
    // `--verbose` lists each with why.
    let d = dir.to_string_lossy().to_string();
    let run = exitparse(&[&d], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.records().len(), 1);
    let run = exitparse(&["-v", &d], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for (name, _, why) in cases {
        // Inside a directory (a bundle) events are evidence for the joins:
        // read, not passed over.
        if name.starts_with("events") {
            continue;
        }
        let why = why.replace("no container-state dump found: ", "");
        let found = run
            .stderr
            .lines()
            .any(|l| l.contains(name) && l.contains(": note: skipped") && l.contains(&why));
        assert!(found, "{name}: {why}\n{}", run.stderr);
    }
    // The Deployment beside the pod is listed too.
    assert!(
        run.stderr
            .contains("pod-and-deployment.yaml:12: note: skipped: a Kubernetes Deployment"),
        "{}",
        run.stderr
    );
}

/// A large input is parsed in pieces, and a stream batch by batch: the
/// verdict is still one, for the whole input.
#[test]
fn large_input_that_is_no_dump_gets_one_error() {
    let dir = scratch("kinds-large");
    let mut text = String::from("[\n");
    let rule = "  {\n    \"verbs\": [\"get\", \"list\", \"watch\"],\n    \"apiGroups\": [\"\"],\n    \"resources\": [\"pods\", \"pods/log\"]\n  }";
    let n = 6 * 1024 * 1024 / rule.len();
    for i in 0..n {
        text.push_str(rule);
        text.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    text.push_str("]\n");
    let p = dir.join("rules.json");
    std::fs::write(&p, &text).unwrap();
    let p = p.to_string_lossy().to_string();
    let want = "no container-state dump found: JSON that is not a container, pod or list of them\n";
    let run = exitparse(&["--jobs", "2", &p], None);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, format!("exitparse: {p}: {want}"));
    let run = exitparse(&["--jobs", "2", "-"], Some(text.as_bytes()));
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, format!("exitparse: -: {want}"));
    // Inside a directory: quiet.
    let run = exitparse(&[&dir.to_string_lossy()], None);
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "");
}
