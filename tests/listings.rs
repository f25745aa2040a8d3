//! The listings: `docker ps` / `podman ps` and `kubectl get pods` tables,
//! through the library entry points and through the binary.

use exitparse::format::{Chunk, Severity, docker_ps, kubectl_get};
use proptest::prelude::*;

use crate::util::exitparse;

const DOCKER: &str = "\
CONTAINER ID   IMAGE          COMMAND                  CREATED        STATUS                         PORTS      NAMES
4c01db0b339c   ubuntu:22.04   \"bash\"                   17 hours ago   Up 3 hours (healthy)                      shell
d7886598dbe2   crosbymichael/redis:latest   \"/redis-server --dir…\"   33 minutes ago   Up 33 minutes   6379/tcp   redis,webapp/db
";

const KUBECTL: &str = "\
NAMESPACE   NAME                     READY   STATUS             RESTARTS      AGE
default     api-7d9f8c6b5-x2x9q      0/1     CrashLoopBackOff   4 (47s ago)   5m
default     job-2b8kq                0/1     Init:ExitCode:3    0             1m
";

fn parse_docker(text: &str) -> exitparse::format::Parsed {
    docker_ps::parse(Chunk::whole(text.as_bytes()))
}

fn parse_kubectl(text: &str) -> exitparse::format::Parsed {
    kubectl_get::parse(Chunk::whole(text.as_bytes()))
}

#[test]
fn docker_row_wider_than_its_header_reads_by_tokens() {
    let p = parse_docker(DOCKER);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.observations.len(), 2);
    let redis = &p.observations[1];
    assert_eq!(redis.container.as_deref(), Some("redis"));
    assert_eq!(redis.image.as_deref(), Some("crosbymichael/redis:latest"));
    assert_eq!(redis.line, 3);
}

#[test]
fn kubectl_codes_and_restarts() {
    let p = parse_kubectl(KUBECTL);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let api = &p.observations[0];
    assert_eq!(api.restart_count, Some(4));
    assert_eq!(api.namespace.as_deref(), Some("default"));
    assert_eq!(api.ready, Some(false));
    let job = &p.observations[1];
    assert_eq!(job.state.exit_code, Some(3));
    assert_eq!(job.state.reason.as_deref(), Some("Init:ExitCode:3"));
}

#[test]
fn positions_are_absolute() {
    let chunk = Chunk {
        bytes: KUBECTL.as_bytes(),
        first_line: 41,
        first_offset: 1000,
    };
    let p = kubectl_get::parse(chunk);
    let second_row = KUBECTL.match_indices('\n').nth(1).unwrap().0 + 1;
    assert_eq!(p.observations[1].line, 43);
    assert_eq!(p.observations[1].offset, 1000 + second_row as u64);
}

#[test]
fn crlf_reads_like_lf() {
    let lf = parse_kubectl(KUBECTL);
    let crlf = parse_kubectl(&KUBECTL.replace('\n', "\r\n"));
    assert_eq!(lf.observations.len(), crlf.observations.len());
    for (a, b) in lf.observations.iter().zip(&crlf.observations) {
        assert_eq!((&a.pod, &a.state, a.line), (&b.pod, &b.state, b.line));
    }
}

/// (input, line, message, records) for rows that are shaped like rows but
/// cannot be read whole: a cut row keeps what it has.
const ERRORS: &[(&str, u64, &str, usize)] = &[
    (
        "CONTAINER ID   IMAGE   STATUS           NAMES\n0123456789ab   nginx   Exited (13",
        2,
        "docker ps row cut short: no STATUS",
        1,
    ),
    (
        "CONTAINER ID   IMAGE   STATUS           NAMES\n0123456789ab   nginx   Exited (1) 2 h",
        2,
        "docker ps row cut short: no NAMES",
        1,
    ),
    (
        "CONTAINER ID   IMAGE   STATUS       NAMES\n0123456789ab   nginx   Up 2 hours   k8s_app_web",
        2,
        "docker ps row cut short in NAMES",
        1,
    ),
    (
        "CONTAINER ID   IMAGE   STATUS           NAMES\n0123456",
        2,
        "docker ps row cut short",
        0,
    ),
    (
        "CONTAINER ID   IMAGE   STATUS           NAMES\n0123456789ab   nginx   Sleeping         web\n",
        2,
        "docker ps row without a readable STATUS",
        1,
    ),
    (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Running   3",
        2,
        "kubectl get pods row cut short: no AGE",
        1,
    ),
    (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Running   3          4",
        2,
        "kubectl get pods row cut short in AGE",
        1,
    ),
    (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb-0   0/",
        2,
        "kubectl get pods row cut short: no STATUS",
        1,
    ),
    (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb-0",
        2,
        "kubectl get pods row cut short",
        0,
    ),
    (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb-0  1of1    Running   0          3d\n",
        2,
        "unreadable kubectl READY \"1of1\"",
        1,
    ),
];

#[test]
fn error_messages_are_pinned() {
    for (input, line, message, records) in ERRORS {
        let p = parse_docker(input);
        let got: Vec<_> = p
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(got, [(*line, *message)], "input:\n{input}");
        assert_eq!(p.observations.len(), *records, "input:\n{input}");
    }
}

#[test]
fn a_last_line_of_prose_is_not_a_cut_row() {
    let p = parse_kubectl(
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          1d\nthanks for the help",
    );
    assert_eq!(p.observations.len(), 1);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn not_rows_are_skipped_quietly() {
    let text = "NAME   READY   STATUS    RESTARTS   AGE\n\
                web    1/1     Running   0          1d\n\
                I0502 10:11:12.123456   1 request.go:697] Waited for 1.0s\n\
                Error from server (NotFound): pods \"x\" not found\n\
                # web is fine\n";
    let p = parse_kubectl(text);
    assert_eq!(p.observations.len(), 1);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn binary_detects_and_classifies_a_listing() {
    let input = "$ docker ps -a\n\
        CONTAINER ID   IMAGE     COMMAND   CREATED       STATUS                     PORTS     NAMES\n\
        5a0f3d6c8e17   worker    \"run\"     2 hours ago   Exited (137) 2 hours ago             w1\n";
    let run = exitparse(&[], Some(input.as_bytes()));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let recs = run.records();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r["source"]["format"], "docker-ps");
    assert_eq!(r["source"]["line"], 3);
    assert_eq!(r["state"]["exit_code"], 137);
    assert_eq!(r["state"]["reason"], serde_json::Value::Null);
    let evidence = r["classification"]["evidence"].to_string();
    assert!(
        evidence.contains("listing STATUS=Exited (137) 2 hours ago"),
        "{evidence}"
    );
}

#[test]
fn binary_reads_kubectl_rows_as_pods() {
    let run = exitparse(&[], Some(KUBECTL.as_bytes()));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let recs = run.records();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["source"]["format"], "kubectl-get-pods");
    assert_eq!(recs[0]["container"], serde_json::Value::Null);
    assert_eq!(recs[1]["container_type"], "init");
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{1,20}",
        "[0-9]{1,3}/[0-9]{1,3}",
        Just("Exited (".to_string()),
        Just("Up About a minute (health: starting)".to_string()),
        Just("Restarting (1) 5 seconds ago".to_string()),
        Just("4 (47s ago)".to_string()),
        Just("Init:ExitCode:".to_string()),
        Just("k8s_POD_x_y_z_0".to_string()),
        Just("\"sh -c …\"".to_string()),
        "[ -~\u{80}-\u{2fff}]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = docker_ps::parse(Chunk::whole(&bytes));
        let _ = kubectl_get::parse(Chunk::whole(&bytes));
        let _ = docker_ps::is_header(&bytes);
        let _ = kubectl_get::is_header(&bytes);
        let _ = kubectl_get::is_headerless_row(&bytes);
    }

    #[test]
    fn arbitrary_rows_never_panic(
        header in prop_oneof![
            Just("CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES"),
            Just("NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE   IP   NODE"),
            Just("NAME   READY   STATUS   RESTARTS   AGE"),
        ],
        rows in proptest::collection::vec(
            (proptest::collection::vec(cell(), 0..9), 1usize..6, any::<bool>()),
            0..12,
        ),
    ) {
        let mut text = format!("{header}\n");
        for (cells, pad, crlf) in &rows {
            text.push_str(&cells.join(&" ".repeat(*pad)));
            text.push_str(if *crlf { "\r\n" } else { "\n" });
        }
        let cut = text.len() * 3 / 4;
        let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        for input in [text.as_str(), &text[..cut]] {
            for p in [docker_ps::parse(Chunk::whole(input.as_bytes())),
                      kubectl_get::parse(Chunk::whole(input.as_bytes()))] {
                for o in &p.observations {
                    prop_assert!(o.line >= 2);
                    prop_assert!(o.state.exit_code.is_none()
                        || o.state.status == exitparse::model::Status::Terminated);
                }
                for d in &p.diagnostics {
                    prop_assert!(!d.message.ends_with('.'));
                    prop_assert!(!d.message.starts_with(char::is_uppercase));
                }
            }
        }
    }
}

#[test]
fn long_input_is_linear_enough() {
    // 20 000 rows: a quadratic walk would take minutes; this must not.
    let mut text = String::from("NAME   READY   STATUS    RESTARTS   AGE\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "pod-{i:05}   0/1     Error     {}          1d\n",
            i % 10
        ));
    }
    let p = parse_kubectl(&text);
    assert_eq!(p.observations.len(), 20_000);
}

#[test]
fn one_long_hostile_line_is_linear_enough() {
    // A quadratic scan for STATUS (every word trying `Up (…` to the line's
    // end) would not finish; a bounded one does.
    let mut text = String::from("CONTAINER ID   IMAGE   STATUS   NAMES\n0123456789ab   img   ");
    text.push_str(&"Up (Up (Exited (".repeat(40_000));
    text.push('\n');
    let p = parse_docker(&text);
    assert_eq!(p.observations.len(), 1);
}

#[test]
fn headerless_docker_rows_need_an_age_before_status() {
    let p = parse_docker(
        "3f9a1c2e7b40   nginx   \"nginx\"   2 hours ago   Exited (1) 2 hours ago      web\n\
         3f9a1c2e7b40 Up 3 hours is a log line about web\n",
    );
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].container.as_deref(), Some("web"));
    assert!(kubectl_get::is_headerless_row(
        b"3f9a1c2e7b40   nginx   \"nginx\"   2 hours ago   Up 2 hours   web"
    ));
}
