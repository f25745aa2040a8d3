//! kubectl describe: integration cases the fixtures do not cover (chunking,
//! pinned error messages, odd pastes) and property tests (no input panics or
//! hangs). The fixtures in `fixtures/kubectl-describe/` cover the layouts.

use exitparse::format::{Chunk, Parsed, describe};
use proptest::prelude::*;

use crate::util::exitparse;

const TWO_PODS: &str = "\
Name:             a-0
Namespace:        ns1
Node:             n1/10.0.0.1
Status:           Running
Containers:
  app:
    Container ID:   containerd://aa
    Image:          img:1
    State:          Terminated
      Reason:       Error
      Message:      first line
Name: not a pod
Exit Code: 9
      Exit Code:    1
      Started:      Tue, 04 Mar 2025 09:40:02 +0100
      Finished:     Tue, 04 Mar 2025 09:41:10 +0100
    Ready:          False
    Restart Count:  2
Events:           <none>


Name:             b-0
Namespace:        ns2
Node:             <none>
Status:           Pending
Containers:
  web:
    Image:          img:2
Conditions:
  Type           Status
  PodScheduled   False 
";

fn parse(text: &str) -> Parsed {
    describe::parse(Chunk::whole(text.as_bytes()))
}

#[test]
fn two_pods_and_a_message_with_field_like_lines() {
    let p = parse(TWO_PODS);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let o = &p.observations;
    assert_eq!(o.len(), 2);
    assert_eq!(
        (o[0].pod.as_deref(), o[0].container.as_deref(), o[0].line),
        (Some("a-0"), Some("app"), 6)
    );
    let state = &o[0].state;
    assert_eq!(state.exit_code, Some(1));
    assert_eq!(
        state.message.as_deref(),
        Some("first line\nName: not a pod\nExit Code: 9")
    );
    assert_eq!(state.duration_seconds, Some(68.0));
    assert_eq!(
        (
            o[1].pod.as_deref(),
            o[1].node.as_deref(),
            o[1].pod_phase.as_deref()
        ),
        (Some("b-0"), None, Some("Pending"))
    );
    assert_eq!(o[1].state.status, exitparse::model::Status::Unknown);
}

#[test]
fn boundaries_cut_where_a_piece_parses_the_same() {
    let text = [TWO_PODS; 3].join("\n\n");
    let bytes = text.as_bytes();
    let whole = describe::parse(Chunk::whole(bytes)).observations;
    let cuts = describe::boundaries(bytes, 1);
    assert_eq!(cuts.len(), 5, "{cuts:?}");
    let mut pieces = Vec::new();
    let mut start = 0;
    for end in cuts.iter().copied().chain([bytes.len()]) {
        let first_line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
        let chunk = Chunk {
            bytes: &bytes[start..end],
            first_line,
            first_offset: start as u64,
        };
        pieces.extend(describe::parse(chunk).observations);
        start = end;
    }
    assert_eq!(pieces, whole);
    // Cuts respect the minimum piece size.
    let wide = describe::boundaries(bytes, TWO_PODS.len() + 1);
    assert!(wide.windows(2).all(|w| w[1] - w[0] > TWO_PODS.len()));
    assert!(describe::boundaries(bytes, bytes.len()).is_empty());
}

#[test]
fn chunk_positions_are_absolute() {
    let chunk = Chunk {
        bytes: TWO_PODS.as_bytes(),
        first_line: 1000,
        first_offset: 1 << 20,
    };
    let p = describe::parse(chunk);
    assert_eq!(p.observations[0].line, 1005);
    let offset = TWO_PODS.find("  app:").unwrap() as u64;
    assert_eq!(p.observations[0].offset, (1 << 20) + offset);
}

#[test]
fn indented_paste_is_read() {
    let shifted: String = TWO_PODS
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p = parse(&shifted);
    let names: Vec<_> = p.observations.iter().map(|o| o.container.clone()).collect();
    assert_eq!(names, [Some("app".into()), Some("web".into())]);
    assert_eq!(p.observations[0].state.exit_code, Some(1));
}

#[test]
fn pod_template_is_not_a_pod() {
    let text = "Name:  web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n  Containers:\n   web:\n    Image:  nginx\n    Port:  80/TCP\n";
    let p = parse(text);
    assert!(p.observations.is_empty());
    assert!(p.diagnostics.is_empty());
}

/// Error messages are part of the interface: pinned here, one per cause.
#[test]
fn error_messages() {
    let head = "Name:  p\nNamespace:  n\nStatus:  Running\nContainers:\n  c:\n";
    let cases: &[(&str, u64, &str)] = &[
        (
            "    State:  Terminated\n      Exit Code:  boom\n      Started:  Mon, 06 Jan 2025 09:00:00 +0000\n",
            7,
            "unreadable exit code \"boom\"",
        ),
        (
            "    State:  Terminated\n      Exit Code:  0\n      Signal:  nine\n",
            8,
            "unreadable signal \"nine\"",
        ),
        (
            "    State:  Running\n      Started:  yesterday\n",
            7,
            "unreadable timestamp \"yesterday\"",
        ),
        (
            "    Container ID:  docker://x\n    Image:  i\n",
            5,
            "truncated pod: container \"c\" has no State line",
        ),
        (
            "    State:  Terminated\n      Reason:  Error\n",
            6,
            "truncated pod: terminated state of container \"c\" has no Exit Code line",
        ),
    ];
    for (body, line, message) in cases {
        let p = parse(&format!("{head}{body}"));
        let got: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(got, [(*line, *message)], "{body}");
        assert_eq!(p.observations.len(), 1, "the record is still written");
    }
    let cut = parse("Name:  p\nNamespace:  n\nNode:  x/1\nStatus:  Pending\nLabels:  a=b\n");
    assert_eq!(
        cut.diagnostics[0].message,
        "truncated pod \"p\": input ends before its containers"
    );
}

#[test]
fn binary_reports_path_and_line_and_exits_1() {
    let text =
        "Name:  p\nNamespace:  n\nContainers:\n  c:\n    State:  Terminated\n      Exit Code:  x\n";
    let run = exitparse(
        &["--input-format", "kubectl-describe", "-"],
        Some(text.as_bytes()),
    );
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "exitparse: -:6: unreadable exit code \"x\"\n");
    let records = run.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["source"]["format"], "kubectl-describe");
    assert_eq!(records[0]["state"]["exit_code"], serde_json::Value::Null);
}

#[test]
fn events_go_to_the_containers_they_name() {
    let text = "\
Name:  p
Namespace:  n
Containers:
  a:
    Image:  img/a:1
    State:  Running
    Liveness:  exec [true] delay=0s
  b:
    Image:  img/b:1
    State:  Running
Events:
  Type     Reason     Age   From     Message
  ----     ------     ----  ----     -------
  Warning  Unhealthy  1m    kubelet  Liveness probe failed: boom
  Normal   Pulled     2m    kubelet  Container image \"img/b:1\" already present on machine
  Normal   Killing    1m    kubelet  Stopping container b
  Warning  Evicted    1m    kubelet  The node was low on resource: memory.
  Normal   Scheduled  3m    default-scheduler  Successfully assigned n/p to node-1
";
    let p = parse(text);
    assert_eq!(
        p.observations[0].events,
        [
            "Unhealthy: Liveness probe failed: boom",
            "Evicted: The node was low on resource: memory."
        ]
    );
    assert_eq!(
        p.observations[1].events,
        [
            "Pulled: Container image \"img/b:1\" already present on machine",
            "Killing: Stopping container b",
            "Evicted: The node was low on resource: memory."
        ]
    );
}

/// Labels, values and shapes describe lines are made of, to build line soups.
const KEYS: &[&str] = &[
    "Name:",
    "Namespace:",
    "Node:",
    "Status:",
    "Reason:",
    "Message:",
    "Containers:",
    "Init Containers:",
    "Ephemeral Containers:",
    "State:",
    "Last State:",
    "Exit Code:",
    "Signal:",
    "Started:",
    "Finished:",
    "Ready:",
    "Restart Count:",
    "Container ID:",
    "Image:",
    "Environment:",
    "Events:",
    "Conditions:",
    "app:",
    "  Type  Reason  Age  From  Message",
    "  FirstSeen\tLastSeen\tCount\tFrom\tSubObjectPath\tType\tReason\tMessage",
    "  Warning  BackOff  1m  kubelet  Back-off restarting failed container app",
    "  1m\t1m\t1\t{kubelet n}\tspec.containers{app}\tNormal\tKilling\tx",
    "----",
    "kubectl describe pod x -n y",
    "",
];
const VALUES: &[&str] = &[
    "",
    "Running",
    "Waiting",
    "Terminated",
    "137",
    "-1073741819",
    "99999999999999999999",
    "Mon, 01 Jan 0001 00:00:00 +0000",
    "Tue, 04 Mar 2025 09:40:02 +0100",
    "<none>",
    "x/y",
    "\u{1b}[31mred",
    "^[[0m",
    "\u{fffd}",
    "spec.containers{app}: x",
];

fn soup_line() -> impl Strategy<Value = String> {
    (
        0usize..10,
        prop::sample::select(KEYS),
        prop::sample::select(&[" ", "  ", "\t", "\t\t", ""][..]),
        prop::sample::select(VALUES),
        prop::sample::select(&["\n", "\r\n", "\n\n"][..]),
    )
        .prop_map(|(ind, k, sep, v, eol)| format!("{}{k}{sep}{v}{eol}", " ".repeat(ind)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let p = describe::parse(Chunk::whole(&bytes));
        for o in &p.observations {
            prop_assert!(o.line >= 1);
            prop_assert!((o.offset as usize) < bytes.len().max(1));
        }
        let cuts = describe::boundaries(&bytes, 16);
        prop_assert!(cuts.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(cuts.iter().all(|&c| c > 0 && c < bytes.len()));
    }

    #[test]
    fn line_soups_never_panic(lines in prop::collection::vec(soup_line(), 0..200)) {
        let text = lines.concat();
        let p = describe::parse(Chunk::whole(text.as_bytes()));
        // Every observation points at a real line start.
        for o in &p.observations {
            let at = o.offset as usize;
            prop_assert!(at == 0 || text.as_bytes()[at - 1] == b'\n');
        }
        // Cutting at the offered boundaries gives the same records.
        let cuts = describe::boundaries(text.as_bytes(), 1);
        let mut start = 0;
        let mut pieces = Vec::new();
        for end in cuts.iter().copied().chain([text.len()]) {
            let first_line = 1 + text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() as u64;
            pieces.extend(describe::parse(Chunk { bytes: &text.as_bytes()[start..end], first_line, first_offset: start as u64 }).observations);
            start = end;
        }
        prop_assert_eq!(pieces, p.observations);
    }
}
