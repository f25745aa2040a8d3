//! Redaction end to end: a planted-secrets corpus (one secret of every
//! built-in rule's kind, in termination messages, events and health-check
//! output) in every input format with free text, alone and inside tar.gz
//! and zip archives, through every output format. No planted secret may
//! come out; the near misses planted beside them must.
//!
//! Log tails and finding lines are masked by the same observation-level
//! pass; their unit tests are in `src/redact/tests.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{exitparse, scratch};

/// `(planted text, the part of it that must never be output)`.
const PLANTS: &[(&str, &str)] = &[
    (
        "db postgres://app:PgS3cretA1@db.shop:5432/orders",
        "PgS3cretA1",
    ),
    ("mysql://root:MyS3cretB2@mysql:3306/app", "MyS3cretB2"),
    (
        "mongodb+srv://svc:MoS3cretC3@mongo.example.net/db",
        "MoS3cretC3",
    ),
    ("redis://:ReS3cretD4@cache:6379/0", "ReS3cretD4"),
    ("amqp://guest:AmS3cretE5@rabbit:5672/", "AmS3cretE5"),
    ("jdbc:postgresql://u:JdS3cretF6@pg/db", "JdS3cretF6"),
    ("proxy http://bob:HtS3cretG7@proxy.corp:3128", "HtS3cretG7"),
    ("password=PwS3cretH8", "PwS3cretH8"),
    ("passwd: PdS3cretI9", "PdS3cretI9"),
    (r#"{"secret": "SeS3cretJ10"}"#, "SeS3cretJ10"),
    ("api_key=ApS3cretK11", "ApS3cretK11"),
    ("apikey: AkS3cretL12", "AkS3cretL12"),
    ("access_key=AcS3cretM13", "AcS3cretM13"),
    ("token=TkS3cretN14", "TkS3cretN14"),
    ("pwd=PwdS3cretO15", "PwdS3cretO15"),
    ("Authorization: Bearer BeS3cretP16", "BeS3cretP16"),
    (
        "Authorization: Basic QmFzaWNTM2NyZXRRMTc=",
        "QmFzaWNTM2NyZXRRMTc",
    ),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKd1MzY3JldFIxOCJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
    ),
    ("key AKIAS3CRETS19XYZABCD", "S3CRETS19XYZABCD"),
    (
        "aws_secret_access_key=AwSeCrEt20/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AwSeCrEt20",
    ),
    (
        "maps AIzaSyGcS3cret21aaaaaaaaaaaaaaaaaaaaaa",
        "SyGcS3cret21",
    ),
    (
        r#""private_key_id": "gcpkeyid22abcdef0123456789abcdef01234567""#,
        "gcpkeyid22",
    ),
    (
        "DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=AzS3cret23Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net",
        "AzS3cret23",
    ),
    (
        "GITHUB_TOKEN=ghp_GhS3cret24aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "GhS3cret24",
    ),
    ("glpat-GlS3cret25aaaaaaaaaa", "GlS3cret25"),
    ("xoxb-SlS3cret26-1234567890", "SlS3cret26"),
    (
        r"-----BEGIN RSA PRIVATE KEY-----\nMIIPemS3cret27AAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "PemS3cret27",
    ),
    ("dsn app:DsS3cret28@tcp(mysql:3306)/shop", "DsS3cret28"),
    ("curl -H 'X: Bearer 9BeS3cret29'", "9BeS3cret29"),
];

/// Look like secrets to a careless rule; must come out unchanged.
const NEAR_MISSES: &[&str] = &[
    "password_policy=strict",
    "token_expiry: 3600",
    "sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
    "http://api.internal:8080/healthz",
];

/// The rules the plants exercise, as `--stats` and `summary` name them.
const RULES_HIT: &[&str] = &[
    "pem_private_key",
    "url_password",
    "dsn_password",
    "authorization_header",
    "bearer_token",
    "jwt",
    "aws_access_key_id",
    "aws_secret_access_key",
    "gcp_api_key",
    "gcp_service_account_key",
    "azure_storage_key",
    "github_token",
    "gitlab_token",
    "slack_token",
    "password_value",
];

/// Every plant and near miss in one line of text.
fn planted() -> String {
    let mut parts: Vec<&str> = PLANTS.iter().map(|(p, _)| *p).collect();
    parts.extend(NEAR_MISSES);
    parts.join(" ")
}

/// The same with a multi-line PEM block (JSON and YAML carry real newlines).
fn planted_multiline() -> String {
    format!(
        "{}\n-----BEGIN PRIVATE KEY-----\nMIIEvQMultiS3cret30BADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\nbye",
        planted()
    )
}

const MULTILINE_LEAK: &str = "MultiS3cret30";

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn describe() -> String {
    let p = planted();
    format!(
        "Name:         api-7d9f\n\
         Namespace:    shop\n\
         Node:         worker-1/10.0.0.1\n\
         Status:       Running\n\
         Containers:\n\
         \x20 app:\n\
         \x20   Container ID:   containerd://4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac\n\
         \x20   Image:          registry.example/api:1.4.2\n\
         \x20   State:          Terminated\n\
         \x20     Reason:       Error\n\
         \x20     Message:      {p}\n\
         \x20     Exit Code:    1\n\
         \x20     Started:      Mon, 03 Mar 2025 10:10:00 +0000\n\
         \x20     Finished:     Mon, 03 Mar 2025 10:10:05 +0000\n\
         \x20   Last State:     Terminated\n\
         \x20     Reason:       Error\n\
         \x20     Message:      {p}\n\
         \x20     Exit Code:    1\n\
         \x20     Started:      Mon, 03 Mar 2025 10:00:00 +0000\n\
         \x20     Finished:     Mon, 03 Mar 2025 10:00:05 +0000\n\
         \x20   Ready:          False\n\
         \x20   Restart Count:  4\n\
         Events:\n\
         \x20 Type     Reason   Age   From     Message\n\
         \x20 ----     ------   ----  ----     -------\n\
         \x20 Warning  Failed   1m    kubelet  {p}\n"
    )
}

fn docker_inspect(podman: bool) -> String {
    let m = json(&planted_multiline());
    let oci = if podman {
        r#""OciVersion": "1.1.0+dev","#
    } else {
        ""
    };
    format!(
        r#"[
  {{
    "Id": "39339dfc4ba714c15ebac2a1f8f6b0138efa30478f1170f13737f1b485b5c918",
    "Created": "2024-05-01T10:00:00Z",
    "Name": "/ledger",
    "RestartCount": 2,
    "State": {{
      {oci}
      "Status": "exited",
      "Running": false,
      "OOMKilled": false,
      "ExitCode": 1,
      "Error": {m},
      "StartedAt": "2024-05-01T10:00:01Z",
      "FinishedAt": "2024-05-01T10:05:00Z",
      "Health": {{
        "Status": "unhealthy",
        "FailingStreak": 3,
        "Log": [
          {{"Start": "2024-05-01T10:04:00Z", "End": "2024-05-01T10:04:01Z", "ExitCode": 1, "Output": {m}}}
        ]
      }}
    }},
    "Config": {{ "Image": "registry.example/ledger:2", "Labels": {{}} }}
  }}
]
"#
    )
}

fn crictl() -> String {
    let m = json(&planted_multiline());
    format!(
        r#"{{
  "status": {{
    "id": "afabb5c3d354ac28425dc434db34cea250d30dc789ba974e8547f9d0397395e0",
    "metadata": {{ "attempt": 2, "name": "ingest" }},
    "state": "CONTAINER_EXITED",
    "createdAt": "2024-07-09T13:12:43Z",
    "startedAt": "2024-07-09T13:12:44Z",
    "finishedAt": "2024-07-09T13:40:01Z",
    "exitCode": 1,
    "image": {{ "image": "registry.example/ingest:2" }},
    "imageRef": "registry.example/ingest@sha256:4f4e85e6197d444f87e75c04809d575a008c5248e5de5f90a74d4baac7a7edf2",
    "reason": "Error",
    "message": {m},
    "labels": {{
      "io.kubernetes.container.name": "ingest",
      "io.kubernetes.pod.name": "ingest-0",
      "io.kubernetes.pod.namespace": "data"
    }}
  }}
}}
"#
    )
}

/// A `kubectl get pods,events -o json` List: a pod whose both states carry
/// the plants, and an event about its container.
fn pod_json() -> String {
    let m = planted_multiline();
    let list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "checkout-0", "namespace": "shop", "uid": "7c0d9b8e-11aa"},
                "spec": {"nodeName": "worker-5", "containers": [{"name": "checkout", "image": "ghcr.io/acme/checkout:5"}]},
                "status": {
                    "phase": "Running",
                    "containerStatuses": [{
                        "name": "checkout",
                        "image": "ghcr.io/acme/checkout:5",
                        "containerID": "containerd://5c9d8bcad3dd48c3a0746c46d3b1efd43912a31f5abab13d3d9060f4fbc46c54",
                        "ready": false,
                        "restartCount": 3,
                        "state": {"terminated": {"exitCode": 1, "reason": "Error", "message": m,
                            "startedAt": "2025-01-14T08:10:00Z", "finishedAt": "2025-01-14T08:10:05Z"}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "message": m,
                            "startedAt": "2025-01-14T08:00:00Z", "finishedAt": "2025-01-14T08:00:05Z"}}
                    }]
                }
            },
            {
                "apiVersion": "v1",
                "kind": "Event",
                "involvedObject": {"kind": "Pod", "name": "checkout-0", "namespace": "shop",
                    "uid": "7c0d9b8e-11aa", "fieldPath": "spec.containers{checkout}"},
                "metadata": {"name": "checkout.failed", "namespace": "shop"},
                "reason": "Failed",
                "message": m,
                "type": "Warning",
                "lastTimestamp": "2025-01-14T08:09:50Z"
            }
        ]
    });
    serde_json::to_string_pretty(&list).unwrap()
}

/// A Pod as `kubectl get pod -o yaml`; messages as double-quoted scalars
/// (JSON strings are valid YAML).
fn pod_yaml() -> String {
    let m = json(&planted_multiline());
    format!(
        "apiVersion: v1\n\
         kind: Pod\n\
         metadata:\n\
         \x20 name: worker-0\n\
         \x20 namespace: jobs\n\
         spec:\n\
         \x20 nodeName: worker-2\n\
         \x20 containers:\n\
         \x20 - name: worker\n\
         \x20   image: registry.example/worker:7\n\
         status:\n\
         \x20 phase: Running\n\
         \x20 containerStatuses:\n\
         \x20 - name: worker\n\
         \x20   image: registry.example/worker:7\n\
         \x20   ready: false\n\
         \x20   restartCount: 5\n\
         \x20   state:\n\
         \x20     waiting:\n\
         \x20       reason: CrashLoopBackOff\n\
         \x20       message: {m}\n\
         \x20   lastState:\n\
         \x20     terminated:\n\
         \x20       exitCode: 1\n\
         \x20       reason: Error\n\
         \x20       message: {m}\n\
         \x20       startedAt: \"2025-01-14T08:00:00Z\"\n\
         \x20       finishedAt: \"2025-01-14T08:00:05Z\"\n"
    )
}

/// Every input format with free text: `(file name, content)`.
fn inputs() -> Vec<(&'static str, String)> {
    vec![
        ("describe.txt", describe()),
        ("docker.json", docker_inspect(false)),
        ("podman.json", docker_inspect(true)),
        ("crictl.json", crictl()),
        ("pods.json", pod_json()),
        ("pod.yaml", pod_yaml()),
    ]
}

const FORMATS: &[&[&str]] = &[
    &["-f", "jsonl"],
    &["-f", "json"],
    &["-f", "csv"],
    &["-f", "table"],
    &["summary"],
    &["summary", "-f", "json"],
];

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn leaks(text: &str) -> Vec<&'static str> {
    PLANTS
        .iter()
        .map(|(_, leak)| *leak)
        .chain([MULTILINE_LEAK])
        .filter(|leak| text.contains(leak))
        .collect()
}

/// Runs every output format on `path`; asserts no secret is in any.
fn no_secret_in_any_format(path: &str, records: usize) {
    for args in FORMATS {
        let mut argv: Vec<&str> = args.to_vec();
        argv.extend(["--no-progress", path]);
        let run = exitparse(&argv, None);
        assert_eq!(run.status, 0, "{argv:?}: {}", run.stderr);
        assert_eq!(leaks(&run.stdout), Vec::<&str>::new(), "{argv:?}");
        assert_eq!(leaks(&run.stderr), Vec::<&str>::new(), "{argv:?}");
        if args == &["-f", "jsonl"] {
            assert_eq!(run.records().len(), records, "{argv:?}");
            for near in NEAR_MISSES {
                assert!(run.stdout.contains(near), "{argv:?} lost {near}");
            }
        }
    }
}

#[test]
fn planted_secrets_never_reach_any_output_format_of_any_input_format() {
    let dir = scratch("redact-formats");
    for (name, text) in inputs() {
        let p = write(&dir, name, text.as_bytes());
        let path = p.to_str().unwrap();
        no_secret_in_any_format(path, 1);

        let run = exitparse(&["--no-progress", path], None);
        let record = &run.records()[0];
        // Every free-text field that came from the input is masked, and
        // the summary sentence quoting the message is built from the mask.
        let state_msg = record["state"]["message"].as_str().unwrap_or_default();
        let last_msg = record["last_state"]["message"].as_str().unwrap_or_default();
        assert!(
            state_msg.contains("***HIDDEN***") || last_msg.contains("***HIDDEN***"),
            "{name}: {record}"
        );
        assert!(
            state_msg.contains("postgres://app:***HIDDEN***@db.shop:5432/orders")
                || last_msg.contains("postgres://app:***HIDDEN***@db.shop:5432/orders"),
            "{name}: hosts and users stay readable: {record}"
        );
        // Structured fields stay as they were.
        assert!(
            !record["image"].as_str().unwrap_or("x").contains("HIDDEN"),
            "{name}"
        );
        if name == "describe.txt" || name == "pods.json" {
            let events = record["events"].as_array().unwrap();
            assert!(!events.is_empty(), "{name}: {record}");
            assert!(
                events
                    .iter()
                    .all(|e| e.as_str().unwrap().contains("***HIDDEN***")),
                "{name}: {record}"
            );
        }
        if name == "docker.json" || name == "podman.json" {
            // The failing health check's output is quoted as evidence.
            let evidence = record["classification"]["evidence"].to_string();
            assert!(evidence.contains("health=unhealthy"), "{name}: {evidence}");
        }

        // Without redaction the same runs do show the secrets: the check
        // above can fail.
        let raw = exitparse(&["--no-progress", "--no-redact", path], None);
        assert_eq!(raw.status, 0);
        assert!(
            leaks(&raw.stdout).len() >= PLANTS.len() - 1,
            "{name}: {:?}",
            leaks(&raw.stdout)
        );
    }
}

#[test]
fn planted_secrets_inside_archives_never_reach_any_output_format() {
    let dir = scratch("redact-archives");
    let files = inputs();

    let mut tar = tar::Builder::new(Vec::new());
    for (name, text) in &files {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, format!("bundle/{name}"), text.as_bytes())
            .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar.into_inner().unwrap()).unwrap();
    let tgz = write(&dir, "bundle.tar.gz", &gz.finish().unwrap());

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in &files {
        zip.start_file(format!("bundle/{name}"), opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let zipped = write(&dir, "bundle.zip", &zip.finish().unwrap().into_inner());

    for archive in [tgz, zipped] {
        no_secret_in_any_format(archive.to_str().unwrap(), files.len());
    }
}

#[test]
fn stats_and_summary_count_values_per_rule() {
    let dir = scratch("redact-counts");
    let p = write(&dir, "describe.txt", describe().as_bytes());
    let path = p.to_str().unwrap();

    let run = exitparse(&["--no-progress", "--stats", path], None);
    let line = run.stderr.trim_end();
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    // Three values: the two messages and the event.
    assert!(line.contains(", 3 values redacted ("), "{line}");
    for rule in RULES_HIT {
        assert!(line.contains(&format!("{rule} 3")), "{rule}: {line}");
    }

    // Inside a bundle (a directory), whose records wait for the joins, the
    // values masked are counted all the same.
    let run = exitparse(&["--no-progress", "--stats", dir.to_str().unwrap()], None);
    assert!(
        run.stderr.contains(", 3 values redacted ("),
        "{}",
        run.stderr
    );

    let run = exitparse(&["summary", "--no-progress", "-f", "json", path], None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let redacted = v["redacted"].as_array().unwrap();
    let ids: Vec<&str> = redacted
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    for rule in RULES_HIT {
        assert!(ids.contains(rule), "{rule}: {ids:?}");
    }
    assert!(redacted.iter().all(|r| r["values"] == 3), "{redacted:?}");

    let run = exitparse(&["summary", "--no-progress", path], None);
    assert!(run.stdout.contains("REDACTED BY RULE"), "{}", run.stdout);
    assert!(run.stdout.contains("url_password"), "{}", run.stdout);

    // Off: said so, in both places.
    let run = exitparse(&["--no-progress", "--stats", "--no-redact", path], None);
    assert!(
        run.stderr.trim_end().ends_with(", redaction off"),
        "{}",
        run.stderr
    );
    let run = exitparse(&["summary", "--no-progress", "--no-redact", path], None);
    assert!(
        run.stdout.contains("redaction off (--no-redact)"),
        "{}",
        run.stdout
    );
    let run = exitparse(
        &[
            "summary",
            "--no-progress",
            "--no-redact",
            "-f",
            "json",
            path,
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(v["redacted"].is_null(), "{v}");

    // Nothing to hide: zero, and no section in the summary table.
    let clean = write(
        &dir,
        "clean.txt",
        describe().replace(&planted(), "boom").as_bytes(),
    );
    let run = exitparse(&["--no-progress", "--stats", clean.to_str().unwrap()], None);
    assert!(
        run.stderr.trim_end().ends_with(", 0 values redacted"),
        "{}",
        run.stderr
    );
    let run = exitparse(&["summary", "--no-progress", clean.to_str().unwrap()], None);
    assert!(!run.stdout.contains("REDACTED"), "{}", run.stdout);
}

#[test]
fn redact_rules_file_adds_rules_and_a_broken_one_is_exit_2_naming_its_line() {
    let dir = scratch("redact-rules-file");
    let input = write(
        &dir,
        "d.txt",
        describe()
            .replace(&planted(), "license LIC-8812-7731-ZZ9 rejected")
            .as_bytes(),
    );
    let rules = write(
        &dir,
        "extra.toml",
        br#"# a site's own license keys
[[rule]]
id = "license_key"
what = "Our license keys"
triggers = ["LIC-"]
pattern = '\bLIC-(?P<secret>[0-9A-Z-]+)'
examples = [["license LIC-1234-X", "license LIC-***HIDDEN***"]]
"#,
    );
    let run = exitparse(
        &[
            "--no-progress",
            "--stats",
            "--redact-rules",
            rules.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("8812"), "{}", run.stdout);
    assert!(run.stdout.contains("license LIC-***HIDDEN*** rejected"));
    assert!(run.stderr.contains("license_key 3"), "{}", run.stderr);
    // Built-in rules still apply next to the file's.
    let both = write(
        &dir,
        "both.txt",
        describe()
            .replace(&planted(), "LIC-8812-7731 password=hunter2")
            .as_bytes(),
    );
    let run = exitparse(
        &[
            "--no-progress",
            "--redact-rules",
            rules.to_str().unwrap(),
            both.to_str().unwrap(),
        ],
        None,
    );
    assert!(!run.stdout.contains("8812") && !run.stdout.contains("hunter2"));

    let broken = write(
        &dir,
        "broken.toml",
        b"[[rule]]\nid = \"x\"\nwhat = \"x\"\ntriggers = [\"x\"]\npattern = '(?P<secret>[a-'\n",
    );
    let run = exitparse(
        &[
            "--redact-rules",
            broken.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.starts_with(&format!(
            "exitparse: {}:5: rule x: bad pattern",
            broken.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");

    let missing = dir.join("missing.toml");
    let run = exitparse(
        &[
            "--redact-rules",
            missing.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("cannot read the redaction rules"),
        "{}",
        run.stderr
    );

    // Turning redaction off and adding rules contradict each other.
    let run = exitparse(
        &[
            "--no-redact",
            "--redact-rules",
            rules.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status, 2);
}

#[test]
fn a_termination_message_cut_at_4096_bytes_inside_a_token() {
    let dir = scratch("redact-cut");
    // kubelet keeps 4096 bytes; this one ends in the middle of a JWT.
    let head = "x".repeat(4096 - 40);
    let cut = format!("{head} Authorization: Bearer eyJhbGciOiJSUzI1NiIs");
    let pod = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "n"},
        "status": {"phase": "Running", "containerStatuses": [{
            "name": "c", "image": "i:1", "restartCount": 1,
            "state": {"terminated": {"exitCode": 1, "reason": "Error", "message": cut}}
        }]}
    });
    let p = write(
        &dir,
        "pod.json",
        serde_json::to_string_pretty(&pod).unwrap().as_bytes(),
    );
    let run = exitparse(&["--no-progress", p.to_str().unwrap()], None);
    let r = &run.records()[0];
    let msg = r["state"]["message"].as_str().unwrap();
    assert!(msg.ends_with("Authorization: Bearer ***HIDDEN***"), "{msg}");
    assert!(!run.stdout.contains("eyJhbGciOiJSUzI1NiIs"));
}
