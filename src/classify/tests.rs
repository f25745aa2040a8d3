//! One case per category and per trap the contract names.

use super::*;
use crate::model::{Observation, State, Status};

fn terminated(reason: Option<&str>, code: i64) -> State {
    State {
        status: Status::Terminated,
        reason: reason.map(str::to_string),
        exit_code: Some(code),
        ..State::default()
    }
}

fn waiting(reason: Option<&str>) -> State {
    State {
        status: Status::Waiting,
        reason: reason.map(str::to_string),
        ..State::default()
    }
}

fn obs(state: State, last: Option<State>) -> Observation {
    Observation {
        container: Some("app".to_string()),
        state,
        last_state: last,
        ..Observation::default()
    }
}

fn category(o: &Observation) -> String {
    classify(o).category
}

#[test]
fn running_pending_and_waiting_reasons() {
    assert_eq!(category(&obs(State::new(Status::Running), None)), "running");
    assert_eq!(
        category(&obs(waiting(Some("ContainerCreating")), None)),
        "pending"
    );
    assert_eq!(category(&obs(waiting(Some("Init:0/2")), None)), "pending");
    assert_eq!(category(&obs(waiting(None), None)), "pending");
    assert_eq!(
        category(&obs(waiting(Some("ImagePullBackOff")), None)),
        "image_pull"
    );
    assert_eq!(
        category(&obs(waiting(Some("Init:ErrImagePull")), None)),
        "image_pull"
    );
    assert_eq!(
        category(&obs(waiting(Some("CreateContainerConfigError")), None)),
        "config_error"
    );
    assert_eq!(
        category(&obs(waiting(Some("CrashLoopBackOff")), None)),
        "crash_loop"
    );
    assert_eq!(category(&obs(State::new(Status::Unknown), None)), "unknown");
}

#[test]
fn crash_loop_with_a_known_last_exit_is_judged_from_the_last_state() {
    let o = obs(
        waiting(Some("CrashLoopBackOff")),
        Some(terminated(Some("OOMKilled"), 137)),
    );
    let c = classify(&o);
    assert_eq!(c.category, "oom_killed");
    assert_eq!(c.from, From::LastState);
    assert_eq!(c.exit_code, Some(137));
    assert_eq!(c.signal.as_deref(), Some("SIGKILL"));
    assert!(
        c.evidence
            .contains(&"last_state.reason=OOMKilled".to_string()),
        "{:?}",
        c.evidence
    );
}

#[test]
fn running_after_a_crash_is_judged_from_the_crash() {
    let o = obs(
        State::new(Status::Running),
        Some(terminated(Some("Error"), 2)),
    );
    assert_eq!(category(&o), "app_error");
}

#[test]
fn evicted_pod() {
    let mut o = obs(terminated(Some("Error"), 137), None);
    o.pod_reason = Some("Evicted".to_string());
    assert_eq!(category(&o), "evicted");
}

#[test]
fn container_status_unknown_137_is_not_a_kill() {
    let c = classify(&obs(terminated(Some("ContainerStatusUnknown"), 137), None));
    assert_eq!(c.category, "status_unknown");
    assert!(c.summary.contains("made up"), "{}", c.summary);
}

#[test]
fn oom_with_137_and_with_other_codes() {
    let c = classify(&obs(terminated(Some("OOMKilled"), 137), None));
    assert_eq!(c.category, "oom_killed");
    assert!(
        c.summary.contains("killed by the kernel OOM killer"),
        "{}",
        c.summary
    );

    let c = classify(&obs(terminated(Some("OOMKilled"), 1), None));
    assert_eq!(c.category, "oom_killed");
    assert!(
        c.summary.contains("main process then exited with code 1"),
        "{}",
        c.summary
    );

    let mut flagged = terminated(None, 0);
    flagged.oom_killed = Some(true);
    let c = classify(&obs(flagged, None));
    assert_eq!(c.category, "oom_killed");
    assert!(c.evidence.contains(&"oom_killed=true".to_string()));
}

#[test]
fn docker_137_without_the_flag_is_a_plain_kill() {
    let mut s = terminated(None, 137);
    s.oom_killed = Some(false);
    assert_eq!(category(&obs(s, None)), "killed");
}

#[test]
fn oom_event_turns_137_into_oom() {
    let mut o = obs(terminated(Some("Error"), 137), None);
    o.events
        .push("OOMKilling: Memory cgroup out of memory: Killed process 4242 (java)".to_string());
    let c = classify(&o);
    assert_eq!(c.category, "oom_killed");
    assert!(
        c.evidence
            .iter()
            .any(|e| e.starts_with("event OOMKilling:")),
        "{:?}",
        c.evidence
    );
}

#[test]
fn liveness_probe_kill() {
    let mut o = obs(terminated(Some("Error"), 143), None);
    o.events.push(
        "Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500".to_string(),
    );
    assert_eq!(category(&o), "liveness_killed");
    o.events.clear();
    assert_eq!(category(&o), "terminated");
}

#[test]
fn deadline_exceeded_by_reason_or_pod_reason() {
    assert_eq!(
        category(&obs(terminated(Some("DeadlineExceeded"), 137), None)),
        "deadline_exceeded"
    );
    let mut o = obs(terminated(Some("Error"), 143), None);
    o.pod_reason = Some("DeadlineExceeded".to_string());
    assert_eq!(category(&o), "deadline_exceeded");
}

#[test]
fn exit_codes_by_number() {
    let cases = [
        (0, "completed"),
        (126, "not_executable"),
        (127, "command_not_found"),
        (137, "killed"),
        (143, "terminated"),
        (139, "segfault"),
        (134, "aborted"),
        (130, "signal"),
        (159, "signal"),
        (192, "signal"),
        (255, "exit_255"),
        (1, "app_error"),
        (124, "app_error"),
        (-1073741819, "windows_error"),
        (3221225786, "windows_error"),
    ];
    for (code, want) in cases {
        assert_eq!(
            category(&obs(terminated(Some("Error"), code), None)),
            want,
            "exit {code}"
        );
    }
}

#[test]
fn start_errors_come_before_their_codes() {
    let mut s = terminated(Some("StartError"), 128);
    s.message = Some(
        "failed to create containerd task: exec: \"/app\": executable file not found in $PATH"
            .into(),
    );
    let c = classify(&obs(s, None));
    assert_eq!(c.category, "start_failure");
    assert!(c.hint.unwrap().contains("does not exist in the image"));
    assert_eq!(
        category(&obs(terminated(Some("ContainerCannotRun"), 127), None)),
        "start_failure"
    );
}

#[test]
fn raw_signal_number_stays_an_exit_code() {
    let c = classify(&obs(terminated(Some("Error"), 9), None));
    assert_eq!(c.category, "app_error");
    assert_eq!(c.signal, None);
    assert!(c.hint.unwrap().contains("raw signal number"));
}

#[test]
fn signal_field() {
    let mut s = terminated(Some("Error"), 2);
    s.signal = Some(6);
    let c = classify(&obs(s, None));
    // The signal rule comes before app_error in the contract's order.
    assert_eq!(c.category, "signal");
    assert_eq!(c.signal.as_deref(), Some("SIGABRT"));

    let mut s = terminated(None, 128);
    s.signal = Some(9);
    s.exit_code = Some(-9);
    assert_eq!(category(&obs(s, None)), "signal");
}

#[test]
fn windows_summary_names_the_status() {
    let c = classify(&obs(terminated(Some("Error"), -1073741819), None));
    assert!(
        c.summary.contains("0xC0000005 STATUS_ACCESS_VIOLATION"),
        "{}",
        c.summary
    );
    let c = classify(&obs(terminated(None, 3221225786), None));
    assert!(c.summary.contains("STATUS_CONTROL_C_EXIT"), "{}", c.summary);
    let c = classify(&obs(terminated(None, -1073700000), None));
    assert!(c.summary.contains("facility"), "{}", c.summary);
}

#[test]
fn severities() {
    assert_eq!(
        classify(&obs(terminated(None, 0), None)).severity,
        Severity::Ok
    );
    assert_eq!(
        classify(&obs(terminated(None, 143), None)).severity,
        Severity::Warning
    );
    assert_eq!(classify(&obs(waiting(None), None)).severity, Severity::Info);
    assert_eq!(
        classify(&obs(terminated(None, 1), None)).severity,
        Severity::Error
    );
}

#[test]
fn summary_is_capitalized_and_names_the_container() {
    let c = classify(&obs(terminated(None, 139), None));
    assert!(
        c.summary.starts_with("Container app crashed"),
        "{}",
        c.summary
    );
}

#[test]
fn listing_reasons_without_codes() {
    let mut completed = terminated(Some("Completed"), 0);
    completed.exit_code = None;
    assert_eq!(category(&obs(completed, None)), "completed");

    let mut error = terminated(Some("Init:Error"), 0);
    error.exit_code = None;
    let c = classify(&obs(error, None));
    assert_eq!(c.category, "unknown");
    assert!(
        c.summary.contains("does not show its exit code"),
        "{}",
        c.summary
    );
}

#[test]
fn pending_pod_without_container_status() {
    let mut o = obs(State::new(Status::Unknown), None);
    o.pod_phase = Some("Pending".to_string());
    assert_eq!(category(&o), "pending");
}

#[test]
fn pod_level_failure_is_named_when_the_container_says_nothing() {
    let mut o = obs(State::new(Status::Unknown), None);
    o.pod_reason = Some("NodeLost".to_string());
    let c = classify(&o);
    assert_eq!(c.category, "unknown");
    assert!(c.summary.contains("NodeLost"), "{}", c.summary);
}

#[test]
fn listing_phase_rows() {
    let mut s = State::new(Status::Terminated);
    s.exit_code = None;
    let mut o = obs(s, None);
    o.pod_phase = Some("Succeeded".to_string());
    assert_eq!(category(&o), "completed");
    o.pod_phase = Some("Failed".to_string());
    let c = classify(&o);
    assert_eq!(c.category, "unknown");
    assert!(c.summary.contains("pod Failed"), "{}", c.summary);
}

/// *(v1.1)* Evidence joined from other files of a bundle.
mod joined {
    use super::*;
    use crate::model::{Logs, OomKill};

    fn kill() -> OomKill {
        OomKill {
            cite: "kernel n/dmesg:3: Memory cgroup out of memory: Killed process 42 (java) anon-rss:2097152kB".into(),
            victim: "java (pid 42)".into(),
            by_time: false,
        }
    }

    #[test]
    fn kernel_line_makes_137_an_oom_kill() {
        let mut o = obs(terminated(Some("Error"), 137), None);
        assert_eq!(category(&o), "killed");
        o.joined.oom_kills.push(kill());
        let c = classify(&o);
        assert_eq!(c.category, "oom_killed");
        assert!(c.summary.contains("java (pid 42)"), "{}", c.summary);
        assert!(
            c.evidence
                .iter()
                .any(|e| e.starts_with("kernel n/dmesg:3: "))
        );
    }

    #[test]
    fn kernel_kill_beside_another_code_says_so() {
        let mut o = obs(terminated(Some("Error"), 1), None);
        o.joined.oom_kills.push(kill());
        let c = classify(&o);
        assert_eq!(c.category, "oom_killed");
        assert!(
            c.summary.contains("killed java (pid 42)") && c.summary.contains("exited with code 1"),
            "{}",
            c.summary
        );
    }

    #[test]
    fn kubelet_probe_line_makes_liveness_killed() {
        let mut o = obs(
            State::new(Status::Running),
            Some(terminated(Some("Error"), 137)),
        );
        o.joined
            .probe_failures
            .push("kubelet k.log:9: \"Probe failed\" probeType=\"Liveness\"".into());
        let c = classify(&o);
        assert_eq!(c.category, "liveness_killed");
        assert!(
            c.evidence
                .iter()
                .any(|e| e.starts_with("kubelet k.log:9: "))
        );
    }

    #[test]
    fn joined_event_is_cited_with_its_place() {
        let mut o = obs(terminated(Some("Error"), 137), None);
        o.events.push("OOMKilling: Killed process 7 (x)".into());
        o.joined.first_event = Some(0);
        o.joined
            .event_cites
            .push("event ev.json:4: OOMKilling: Killed process 7 (x)".into());
        let c = classify(&o);
        assert_eq!(c.category, "oom_killed");
        assert!(
            c.evidence
                .contains(&"event ev.json:4: OOMKilling: Killed process 7 (x)".to_string())
        );
        assert!(
            !c.evidence
                .iter()
                .any(|e| e == "event OOMKilling: Killed process 7 (x)")
        );
    }

    #[test]
    fn log_finding_adds_to_summary_not_category() {
        let mut o = obs(terminated(Some("Error"), 1), None);
        o.logs = Some(Logs {
            path: "p.log".into(),
            previous: false,
            tail: vec![],
            finding: Some("java_oom".into()),
            finding_line: Some("java.lang.OutOfMemoryError: Java heap space".into()),
        });
        o.joined.log_finding =
            Some("log p.log:2: java.lang.OutOfMemoryError: Java heap space".into());
        let c = classify(&o);
        assert_eq!(c.category, "app_error");
        assert!(c.summary.contains("JVM ran out of heap"), "{}", c.summary);
        assert!(c.evidence.iter().any(|e| e.starts_with("log p.log:2: ")));
        // A running container's log adds nothing to its verdict.
        let mut ok = obs(State::new(Status::Running), None);
        ok.logs = o.logs.clone();
        assert!(!classify(&ok).summary.contains("JVM"));
    }

    /// The rule automata against lowering a copy and searching each
    /// pattern, on generated text.
    mod folded {
        use super::super::rules::{EventKind, rules};
        use proptest::prelude::*;

        fn lowered_any(hay: &str, patterns: &[String]) -> bool {
            let lower = hay.to_ascii_lowercase();
            patterns.iter().any(|p| lower.contains(p.as_str()))
        }

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop_oneof![
                    Just("OOMKilling: ".to_string()),
                    Just("oom-Kill".to_string()),
                    Just("Liveness Probe failed".to_string()),
                    Just("FAILED startup probe".to_string()),
                    Just("exec format ERROR".to_string()),
                    Just("no such file or directory".to_string()),
                    Just("é".to_string()),
                    "[a-zA-Z :-]{0,4}",
                ],
                0..6,
            )
            .prop_map(|p| p.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]
            #[test]
            fn same_as_lowering(hay in text()) {
                let r = rules();
                prop_assert_eq!(r.event_is(EventKind::Oom, &hay), lowered_any(&hay, &r.events.oom));
                prop_assert_eq!(
                    r.event_is(EventKind::Probe, &hay),
                    lowered_any(&hay, &r.events.probe)
                );
                let lower = hay.to_ascii_lowercase();
                let want = r
                    .message_hints
                    .iter()
                    .find(|m| lower.contains(m.contains.as_str()))
                    .map(|m| m.hint.as_str());
                prop_assert_eq!(r.message_hint(&hay), want);
            }
        }

        #[test]
        fn every_hint_is_found_in_any_case() {
            let r = rules();
            for (i, h) in r.message_hints.iter().enumerate() {
                let loud = format!("xx {} yy", h.contains.to_ascii_uppercase());
                let want = r
                    .message_hints
                    .iter()
                    .find(|m| loud.to_ascii_lowercase().contains(m.contains.as_str()))
                    .map(|m| m.hint.as_str());
                assert_eq!(r.message_hint(&loud), want, "hint {i}");
                assert!(want.is_some());
            }
            assert!(r.event_is(EventKind::Oom, "Warning OOMKILLING: x"));
            assert!(!r.event_is(EventKind::Probe, "Readiness probe failed"));
        }
    }
}
