//! Kubelet lines of every version. The structured samples follow the klog
//! calls in kubernetes (quoted in the module docs) and public kubelet logs
//! (AKS, kind); the printf ones follow the ≤ 1.19 format strings.

use super::*;

const UID: &str = "27aff94d-e0d9-43d1-84d6-9ab000aa57e2";
const CID: &str = "4296b9e2377fddb0e7e42d20223c36771268cb7a1828315331405b66f0030add";

fn one(line: &str) -> KubeletLine {
    let found = scan(line.as_bytes());
    assert_eq!(found.len(), 1, "{line}");
    found.into_iter().next().unwrap()
}

#[test]
fn killing_container_journal_and_plain_klog() {
    let message = format!(
        "\"Killing container with a grace period\" pod=\"default/nginx\" podUID={UID} containerName=\"nginx\" containerID=\"containerd://{CID}\" gracePeriod=30"
    );
    let journal = format!(
        "Oct 12 19:34:45 aks-nodepool1-24207654-vmss000002 kubelet[2480]: I1012 19:34:45.000152    2480 kuberuntime_container.go:709] {message}"
    );
    let k = one(&journal);
    assert_eq!(
        k.kind,
        KubeletKind::Killing {
            grace_period: Some(30)
        }
    );
    assert_eq!(
        (k.namespace.as_deref(), k.pod.as_deref()),
        (Some("default"), Some("nginx"))
    );
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
    assert_eq!(k.container.as_deref(), Some("nginx"));
    assert_eq!(k.container_id.as_deref(), Some(CID));
    assert_eq!(k.host.as_deref(), Some("aks-nodepool1-24207654-vmss000002"));
    assert_eq!(
        k.time,
        WallTime::Syslog(SyslogTime {
            month: 10,
            day: 12,
            hour: 19,
            minute: 34,
            second: 45,
            nanos: 0
        })
    );
    assert_eq!(k.text, message);

    // A klog file without a journal prefix: klog's own time (with micros).
    let plain = format!("I1012 19:34:45.000152    2480 kuberuntime_container.go:709] {message}");
    let k = one(&plain);
    assert_eq!(k.host, None);
    assert_eq!(
        k.time,
        WallTime::Syslog(SyslogTime {
            month: 10,
            day: 12,
            hour: 19,
            minute: 34,
            second: 45,
            nanos: 152_000
        })
    );
    // short-iso journal: a full time.
    let iso = format!("2024-10-12T19:34:45+0000 node-1 kubelet[2480]: {plain}");
    assert_eq!(one(&iso).time, WallTime::Utc("2024-10-12T19:34:45Z".into()));
    // The grace period override variant and quoted UIDs.
    let k = one(&format!(
        "I0318 10:21:22.519778     246 kuberuntime_container.go:787] \"Killing container with a grace period override\" pod=\"pod-e2e-dx5dg/group-0\" podUID=\"{UID}\" containerName=\"c\" containerID=\"containerd://{CID}\" gracePeriod=1"
    ));
    assert_eq!(
        k.kind,
        KubeletKind::Killing {
            grace_period: Some(1)
        }
    );
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
}

#[test]
fn probe_failed_structured() {
    let k = one(&format!(
        "May 16 18:34:19 aks-nodepool1-29985679-vmss00000A kubelet[4052]: I0516 18:34:19.071484    4052 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"default/liveness-http\" podUID=\"{UID}\" containerName=\"liveness\" probeResult=\"failure\" output=\"HTTP probe failed with statuscode: 500\""
    ));
    assert_eq!(
        k.kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Liveness,
            result: Some("failure".into()),
            output: Some("HTTP probe failed with statuscode: 500".into())
        }
    );
    assert_eq!(
        (k.pod.as_deref(), k.container.as_deref()),
        (Some("liveness-http"), Some("liveness"))
    );
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
}

#[test]
fn probe_failed_with_multi_line_output() {
    let text = format!(
        "I0516 18:34:19.071484    4052 prober.go:107] \"Probe failed\" probeType=\"Startup\" pod=\"ns/p\" podUID=\"{UID}\" containerName=\"app\" probeResult=\"failure\" output=<\n\
         \tcat: can't open '/tmp/healthy': No such file or directory\n\
         \tsecond line\n \
         >\n\
         I0516 18:34:20.000000    4052 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"ns/p\" podUID=\"{UID}\" containerName=\"app\" probeResult=\"failure\" output=\"\"\n"
    );
    let found = scan(text.as_bytes());
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].line, 1);
    assert_eq!(
        found[0].kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Startup,
            result: Some("failure".into()),
            output: Some(
                "cat: can't open '/tmp/healthy': No such file or directory\nsecond line".into()
            )
        }
    );
    assert_eq!(found[1].line, 5);
    // An output that never closes is still reported, at the next line or the end.
    let open = "I0516 18:34:19.071484 4052 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"ns/p\" output=<\n\tpartial";
    let found = scan(open.as_bytes());
    assert_eq!(found.len(), 1);
    assert!(
        matches!(&found[0].kind, KubeletKind::ProbeFailure { output: Some(o), .. } if o == "partial")
    );
}

#[test]
fn probe_errored_and_syncloop_probe() {
    let k = one(&format!(
        "E0101 00:00:01.000000    99 prober.go:239] \"Probe errored\" err=\"rpc error: code = NotFound desc = container not found\" probeType=\"Liveness\" pod=\"ns/p\" podUID=\"{UID}\" containerName=\"app\""
    ));
    assert!(
        matches!(&k.kind, KubeletKind::ProbeFailure { probe: Probe::Liveness, result: Some(r), output: Some(o) } if r == "error" && o.starts_with("rpc error"))
    );
    let k = one(
        "I0516 18:34:19.071484    4052 kubelet.go:2528] \"SyncLoop (probe)\" probe=\"liveness\" status=\"unhealthy\" pod=\"default/liveness-exec\"",
    );
    assert!(matches!(
        k.kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Liveness,
            ..
        }
    ));
    assert_eq!(k.container, None);
    // A healthy one is not evidence.
    assert!(scan(b"I0516 18:34:19.071484 4052 kubelet.go:2528] \"SyncLoop (probe)\" probe=\"readiness\" status=\"ready\" pod=\"default/x\"").is_empty());
}

#[test]
fn probe_restart_container_message() {
    let k = one(&format!(
        "I0516 18:34:19.073000    4052 kuberuntime_manager.go:1010] \"Message for Container of pod\" containerName=\"liveness\" containerStatusID={{Type:containerd ID:{CID}}} pod=\"default/liveness-exec\" containerMessage=\"Container liveness failed liveness probe, will be restarted\""
    ));
    assert_eq!(
        k.kind,
        KubeletKind::ProbeRestart {
            probe: Probe::Liveness
        }
    );
    assert_eq!(
        (k.pod.as_deref(), k.container.as_deref()),
        (Some("liveness-exec"), Some("liveness"))
    );
}

#[test]
fn evictions() {
    let message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 95Mi. Container app was using 1Gi, request is 512Mi, has larger consumption of memory. Container sidecar was using 10Mi, request is 0, has larger consumption of memory. ";
    let k = one(&format!(
        "I0305 10:11:12.000000    1234 eviction_manager.go:414] \"Evicting pod\" pod=\"shop/web-0\" podUID=\"{UID}\" message=\"{message}\""
    ));
    let KubeletKind::Eviction {
        resource,
        message: m,
        usage,
    } = &k.kind
    else {
        panic!("{k:?}");
    };
    assert_eq!(resource.as_deref(), Some("memory"));
    assert_eq!(m.as_deref(), Some(message));
    assert_eq!(
        usage,
        &vec![
            ContainerUsage {
                container: "app".into(),
                usage: "1Gi".into(),
                request: Some("512Mi".into())
            },
            ContainerUsage {
                container: "sidecar".into(),
                usage: "10Mi".into(),
                request: Some("0".into())
            },
        ]
    );
    assert_eq!(
        (
            k.namespace.as_deref(),
            k.pod.as_deref(),
            k.pod_uid.as_deref()
        ),
        (Some("shop"), Some("web-0"), Some(UID))
    );

    let k = one(
        "Oct 12 19:34:45 node kubelet[2480]: I1012 19:34:45.445172    2480 eviction_manager.go:595] \"Eviction manager: pod is evicted successfully\" pod=\"default/nginx\"",
    );
    assert!(matches!(
        k.kind,
        KubeletKind::Eviction { resource: None, .. }
    ));
    assert_eq!(k.pod.as_deref(), Some("nginx"));

    // ≤ 1.19 printf form and the older per-container clause.
    let k = one(&format!(
        "I0305 10:11:12.000000 1234 eviction_manager.go:157] eviction manager: pod web-0_shop({UID}) is evicted successfully"
    ));
    assert_eq!(
        (
            k.namespace.as_deref(),
            k.pod.as_deref(),
            k.pod_uid.as_deref()
        ),
        (Some("shop"), Some("web-0"), Some(UID))
    );
    let (resource, usage) = eviction_message(
        "The node was low on resource: ephemeral-storage. Container app was using 2Gi, which exceeds its request of 1Gi. ",
    );
    assert_eq!(resource.as_deref(), Some("ephemeral-storage"));
    assert_eq!(
        usage,
        vec![ContainerUsage {
            container: "app".into(),
            usage: "2Gi".into(),
            request: Some("1Gi".into())
        }]
    );
}

#[test]
fn event_occurred_lines() {
    let unhealthy = one(
        "I0318 10:21:22.520840     246 event.go:389] \"Event occurred\" object=\"ns/p\" fieldPath=\"spec.containers{app}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Warning\" reason=\"Unhealthy\" message=\"Liveness probe failed: Get \\\"http://10.0.0.5:8080/healthz\\\": context deadline exceeded\"",
    );
    assert_eq!(
        unhealthy.kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Liveness,
            result: Some("failure".into()),
            output: Some("Get \"http://10.0.0.5:8080/healthz\": context deadline exceeded".into())
        }
    );
    assert_eq!(
        (unhealthy.pod.as_deref(), unhealthy.container.as_deref()),
        (Some("p"), Some("app"))
    );
    let restart = one(
        "I0318 10:21:22.520840 246 event.go:389] \"Event occurred\" object=\"ns/p\" fieldPath=\"spec.containers{app}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Normal\" reason=\"Killing\" message=\"Container app failed startup probe, will be restarted\"",
    );
    assert_eq!(
        restart.kind,
        KubeletKind::ProbeRestart {
            probe: Probe::Startup
        }
    );
    let stop = one(
        "I0318 10:21:22.520840 246 event.go:389] \"Event occurred\" object=\"ns/p\" fieldPath=\"spec.containers{app}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Normal\" reason=\"Killing\" message=\"Stopping container app\"",
    );
    assert_eq!(stop.kind, KubeletKind::Killing { grace_period: None });
    let oom = one(
        "I0318 10:21:22.520840 246 event.go:389] \"Event occurred\" object=\"node-1\" kind=\"Node\" apiVersion=\"\" type=\"Warning\" reason=\"SystemOOM\" message=\"System OOM encountered, victim process: java, pid: 4242\"",
    );
    assert_eq!(
        oom.kind,
        KubeletKind::Oom {
            pid: Some(4242),
            process: Some("java".into())
        }
    );
    assert_eq!(oom.pod, None);
    let npd = one(
        "I0318 10:21:22.520840 246 event.go:389] \"Event occurred\" object=\"node-1\" kind=\"Node\" apiVersion=\"\" type=\"Warning\" reason=\"OOMKilling\" message=\"Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB\"",
    );
    assert_eq!(
        npd.kind,
        KubeletKind::Oom {
            pid: Some(4242),
            process: Some("java".into())
        }
    );
    assert!(scan(b"I0318 10:21:22.520840 246 event.go:389] \"Event occurred\" object=\"ns/p\" kind=\"Pod\" reason=\"Pulled\" message=\"ok\"").is_empty());
}

#[test]
fn pleg_container_died() {
    for event in [
        format!("&{{ID:{UID} Type:ContainerDied Data:{CID}}}"),
        format!("{{\"ID\":\"{UID}\",\"Type\":\"ContainerDied\",\"Data\":\"{CID}\"}}"),
    ] {
        let k = one(&format!(
            "I1012 19:34:45.357018    2480 kubelet.go:2231] \"SyncLoop (PLEG): event for pod\" pod=\"default/nginx\" event={event}"
        ));
        assert_eq!(k.kind, KubeletKind::ContainerDied);
        assert_eq!(
            (k.pod_uid.as_deref(), k.container_id.as_deref()),
            (Some(UID), Some(CID))
        );
        assert_eq!(k.pod.as_deref(), Some("nginx"));
    }
    assert!(scan(format!("I1012 19:34:45.357018 2480 kubelet.go:2231] \"SyncLoop (PLEG): event for pod\" pod=\"default/nginx\" event=&{{ID:{UID} Type:ContainerStarted Data:{CID}}}").as_bytes()).is_empty());
}

#[test]
fn printf_lines_of_old_kubelets() {
    let k = one(&format!(
        "I0305 10:11:12.000000    1234 prober.go:116] Liveness probe for \"web-0_shop({UID}):app\" failed (failure): HTTP probe failed with statuscode: 503"
    ));
    assert_eq!(
        k.kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Liveness,
            result: Some("failure".into()),
            output: Some("HTTP probe failed with statuscode: 503".into())
        }
    );
    assert_eq!(
        (
            k.namespace.as_deref(),
            k.pod.as_deref(),
            k.pod_uid.as_deref(),
            k.container.as_deref()
        ),
        (Some("shop"), Some("web-0"), Some(UID), Some("app"))
    );
    let k = one(&format!(
        "I0305 10:11:12.000000    1234 kuberuntime_container.go:600] Killing container \"docker://{CID}\" with 30 second grace period"
    ));
    assert_eq!(
        k.kind,
        KubeletKind::Killing {
            grace_period: Some(30)
        }
    );
    assert_eq!(k.container_id.as_deref(), Some(CID));
}

#[test]
fn json_logging_format() {
    let k = one(&format!(
        "{{\"ts\":1710000000.25,\"caller\":\"prober/prober.go:107\",\"msg\":\"Probe failed\",\"v\":1,\"probeType\":\"Liveness\",\"pod\":{{\"name\":\"web-0\",\"namespace\":\"shop\"}},\"podUID\":\"{UID}\",\"containerName\":\"app\",\"probeResult\":\"failure\",\"output\":\"HTTP probe failed with statuscode: 500\"}}"
    ));
    assert!(matches!(
        k.kind,
        KubeletKind::ProbeFailure {
            probe: Probe::Liveness,
            ..
        }
    ));
    assert_eq!(
        (
            k.namespace.as_deref(),
            k.pod.as_deref(),
            k.container.as_deref()
        ),
        (Some("shop"), Some("web-0"), Some("app"))
    );
    assert_eq!(k.time, WallTime::Utc("2024-03-09T16:00:00.250Z".into()));
    // In a journal, the journal's time wins.
    let k = one(&format!(
        "Mar 09 16:00:00 node-1 kubelet[7]: {{\"ts\":1710000000.25,\"msg\":\"Killing container with a grace period\",\"pod\":{{\"name\":\"web-0\",\"namespace\":\"shop\"}},\"podUID\":\"{UID}\",\"containerName\":\"app\",\"containerID\":\"containerd://{CID}\",\"gracePeriod\":30}}"
    ));
    assert_eq!(
        k.kind,
        KubeletKind::Killing {
            grace_period: Some(30)
        }
    );
    assert_eq!(
        (k.host.as_deref(), k.container_id.as_deref()),
        (Some("node-1"), Some(CID))
    );
    assert!(matches!(k.time, WallTime::Syslog(_)));
    assert!(
        scan(b"{\"ts\":1,\"msg\":\"Probe failed\"}").is_empty(),
        "no probe type"
    );
    assert!(scan(b"{\"msg\": not json Probe").is_empty());
}

#[test]
fn other_lines_give_nothing() {
    let text = b"I0305 10:11:12.000000 1234 kubelet.go:1] \"SyncLoop ADD\" source=\"api\" pods=[\"default/liveness-exec\"]\n\
                 Mar  5 10:11:12 node-1 kernel: Killed process 1 (a)\n\
                 not a log line ] at all\n\
                 I0305 10:11:12.000000 1234 prober.go:107] \"Probe failed\" probeType=\"Sideways\" pod=\"a/b\"\n\
                 \xff\xfe]\n";
    assert!(scan(text).is_empty());
}

#[test]
fn quoted_strings_and_values() {
    assert_eq!(
        quoted_string(r#""a\"b\\c\n\t\x41\u00e9" rest"#),
        Ok((" rest", "a\"b\\c\n\tA\u{e9}".to_string()))
    );
    assert!(quoted_string(r#""unterminated"#).is_err());
    assert_eq!(
        quoted_string(r#""bad \q \x4""#).map(|r| r.1),
        Ok("bad  4".to_string())
    );
    let (rest, pairs) =
        key_values(r#" a="x y" b=[n/a n/b] c=&{ID:1 T:2} d=plain e=< tail"#).unwrap();
    assert_eq!(
        pairs,
        vec![
            ("a", "x y".to_string()),
            ("b", "[n/a n/b]".to_string()),
            ("c", "&{ID:1 T:2}".to_string()),
            ("d", "plain".to_string()),
            ("e", "<".to_string()),
        ]
    );
    assert_eq!(rest, " tail");
}

#[test]
fn streaming_forms_equal_the_whole_text_form() {
    let text = [
        format!("Oct 12 19:34:45 n kubelet[1]: I1012 19:34:45.000152 1 kuberuntime_container.go:709] \"Killing container with a grace period\" pod=\"default/nginx\" podUID={UID} containerName=\"nginx\" containerID=\"containerd://{CID}\" gracePeriod=30"),
        "I0516 18:34:19.071484 4052 prober.go:107] \"Probe failed\" probeType=\"Startup\" pod=\"ns/p\" output=<".into(),
        "\tline one".into(),
        " >".into(),
        "garbage".into(),
        format!("I0305 10:11:12.000000 1234 eviction_manager.go:157] eviction manager: pod web-0_shop({UID}) is evicted successfully"),
    ]
    .join("\n");
    let whole = scan(text.as_bytes());
    assert_eq!(whole.len(), 3);
    for capacity in [1, 5, 4096] {
        let reader = io::BufReader::with_capacity(capacity, text.as_bytes());
        assert_eq!(scan_reader(reader, 4096).unwrap(), whole);
    }
}

#[test]
fn every_production_of_the_grammar_page_has_a_function() {
    let page = include_str!("../../../grammar/kubelet.md");
    let source = [include_str!("../kubelet.rs"), include_str!("../prefix.rs")].concat();
    let names = crate::bundle::kernel::tests::abnf_productions(page);
    assert!(names.len() > 10, "{names:?}");
    let missing: Vec<_> = names
        .iter()
        .filter(|n| !source.contains(&format!("fn {}", n.replace('-', "_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "productions without a function: {missing:?}"
    );
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let found = scan(&bytes);
        let reader = io::BufReader::with_capacity(7, bytes.as_slice());
        proptest::prop_assert_eq!(scan_reader(reader, 1 << 20).unwrap(), found);
    }

    #[test]
    fn random_text_after_a_klog_header_never_panics(tail in "\\PC{0,200}") {
        let _ = scan(format!("I0305 10:11:12.000000 1 x.go:1] {tail}").as_bytes());
        let _ = scan(format!("I0305 10:11:12.000000 1 x.go:1] \"Probe failed\" probeType=\"Liveness\" {tail}").as_bytes());
        let _ = scan(format!("I0305 10:11:12.000000 1 x.go:1] \"Event occurred\" reason=\"Evicted\" message=\"{tail}").as_bytes());
    }
}
