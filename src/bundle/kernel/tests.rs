//! Kernel OOM lines in every prefix form and generation. Sample lines are
//! written after the kernel's format strings (`mm/oom_kill.c`,
//! `mm/memcontrol.c`) and the real 4.19/5.4 output quoted in
//! kubernetes/node-problem-detector#480.

use super::*;

const UID: &str = "0f3c7a52-91d4-4b7e-a2a1-5d6c8e9f0a1b";
const UID_: &str = "0f3c7a52_91d4_4b7e_a2a1_5d6c8e9f0a1b";
const CID: &str = "4d2b6c8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4";

/// Linux 5.10, cgroup v2, systemd driver, Guaranteed pod, `dmesg -T`.
fn v5_systemd_guaranteed() -> String {
    let path = format!("/kubepods.slice/kubepods-pod{UID_}.slice/cri-containerd-{CID}.scope");
    format!(
        "[Tue Mar  5 10:11:12 2024] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-997\n\
         [Tue Mar  5 10:11:12 2024] CPU: 3 PID: 4242 Comm: java Not tainted 5.10.0-28-cloud-amd64 #1 Debian 5.10.209-2\n\
         [Tue Mar  5 10:11:12 2024] memory: usage 2097152kB, limit 2097152kB, failcnt 128\n\
         [Tue Mar  5 10:11:12 2024] swap: usage 0kB, limit 0kB, failcnt 0\n\
         [Tue Mar  5 10:11:12 2024] Memory cgroup stats for {path}:\n\
         [Tue Mar  5 10:11:12 2024] anon 2143289344\n\
         [Tue Mar  5 10:11:12 2024] Tasks state (memory values in pages):\n\
         [Tue Mar  5 10:11:12 2024] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n\
         [Tue Mar  5 10:11:12 2024] [   4242]     0  4242  1048576   524288  4628480        0          -997 java\n\
         [Tue Mar  5 10:11:12 2024] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-{CID}.scope,mems_allowed=0,oom_memcg={path},task_memcg={path},task=java,pid=4242,uid=0\n\
         [Tue Mar  5 10:11:12 2024] Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:2096128kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:4520kB oom_score_adj:-997\n\
         [Tue Mar  5 10:11:12 2024] oom_reaper: reaped process 4242 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
    )
}

/// Linux 4.19, cgroup v1, cgroupfs driver, Burstable pod, dmesg uptime.
fn v4_cgroupfs_burstable() -> String {
    let path = format!("/kubepods/burstable/pod{UID}/{CID}");
    format!(
        "[ 3061.364432] stress invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=939\n\
         [ 3061.364436] stress cpuset={CID} mems_allowed=0\n\
         [ 3061.364460] Task in {path} killed as a result of limit of {path}\n\
         [ 3061.364463] memory: usage 102400kB, limit 102400kB, failcnt 1215\n\
         [ 3061.364464] memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0\n\
         [ 3061.364465] kmem: usage 1232kB, limit 9007199254740988kB, failcnt 0\n\
         [ 3061.364466] Memory cgroup stats for {path}: cache:0KB rss:101168KB rss_huge:0KB\n\
         [ 3061.364480] [ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n\
         [ 3061.364512] [  12345]     0 12345    27122    25316   258048        0           939 stress\n\
         [ 3061.364549] Memory cgroup out of memory: Kill process 12345 (stress) score 1928 or sacrifice child\n\
         [ 3061.364640] Killed process 12345 (stress) total-vm:108488kB, anon-rss:100996kB, file-rss:256kB, shmem-rss:0kB\n\
         [ 3061.367611] oom_reaper: reaped process 12345 (stress), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
    )
}

#[test]
fn linux5_one_line_kill_with_summary() {
    let kills = scan(v5_systemd_guaranteed().as_bytes());
    assert_eq!(kills.len(), 1);
    let k = &kills[0];
    assert_eq!(k.line, 11);
    assert!(
        k.text
            .starts_with("Memory cgroup out of memory: Killed process 4242 (java)")
    );
    assert_eq!(k.time, WallTime::Utc("2024-03-05T10:11:12Z".into()));
    assert_eq!((k.pid, k.comm.as_deref()), (Some(4242), Some("java")));
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
    assert_eq!(k.container_id.as_deref(), Some(CID));
    assert_eq!(k.anon_rss_kb, Some(2096128));
    assert_eq!(k.total_vm_kb, Some(4194304));
    assert_eq!(k.oom_score_adj, Some(-997));
    assert_eq!(k.limit_kb, Some(2097152));
    assert_eq!(k.cgroup_version, Some(2));
    assert_eq!(k.constraint.as_deref(), Some("CONSTRAINT_MEMCG"));
    assert!(!k.global && !k.summary_missing);
    assert_eq!(k.host, None);
}

#[test]
fn linux4_kill_and_killed_lines_make_one_kill() {
    let kills = scan(v4_cgroupfs_burstable().as_bytes());
    assert_eq!(kills.len(), 1);
    let k = &kills[0];
    assert_eq!(k.line, 11, "the Killed process line");
    assert!(
        k.text
            .starts_with("Killed process 12345 (stress) total-vm:108488kB")
    );
    assert_eq!(k.uptime, Some(3061.364640));
    assert_eq!(k.time, WallTime::None);
    assert_eq!(
        k.task_memcg.as_deref(),
        Some(&*format!("/kubepods/burstable/pod{UID}/{CID}"))
    );
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
    assert_eq!(k.container_id.as_deref(), Some(CID));
    assert_eq!((k.anon_rss_kb, k.file_rss_kb), (Some(100996), Some(256)));
    assert_eq!(k.cgroup_version, Some(1));
    assert_eq!(k.limit_kb, Some(102400));
    assert!(!k.global && !k.summary_missing);
}

#[test]
fn every_prefix_form_gives_the_same_kill() {
    let bare = "Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4520kB oom_score_adj:-997";
    let summary = format!(
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg=/kubepods/pod{UID}/{CID},task_memcg=/kubepods/pod{UID}/{CID},task=java,pid=4242,uid=0"
    );
    let forms: [(&str, WallTime, Option<&str>, Option<f64>); 8] = [
        ("", WallTime::None, None, None),
        ("[12345.678901] ", WallTime::None, None, Some(12345.678901)),
        (
            "[Tue Mar  5 10:11:12 2024] ",
            WallTime::Utc("2024-03-05T10:11:12Z".into()),
            None,
            None,
        ),
        (
            "Mar  5 10:11:12 node-1 kernel: ",
            WallTime::Syslog(SyslogTime {
                month: 3,
                day: 5,
                hour: 10,
                minute: 11,
                second: 12,
                nanos: 0,
            }),
            Some("node-1"),
            None,
        ),
        (
            "2024-03-05T10:11:12+0000 node-1 kernel: ",
            WallTime::Utc("2024-03-05T10:11:12Z".into()),
            Some("node-1"),
            None,
        ),
        (
            "Tue 2024-03-05 10:11:12 UTC node-1 kernel: ",
            WallTime::Utc("2024-03-05T10:11:12Z".into()),
            Some("node-1"),
            None,
        ),
        (
            "[12345.678901] node-1 kernel: ",
            WallTime::None,
            Some("node-1"),
            Some(12345.678901),
        ),
        (
            "Mar  5 10:11:12 node-1 kernel: [12345.678901] ",
            WallTime::Syslog(SyslogTime {
                month: 3,
                day: 5,
                hour: 10,
                minute: 11,
                second: 12,
                nanos: 0,
            }),
            Some("node-1"),
            Some(12345.678901),
        ),
    ];
    for (prefix, time, host, uptime) in forms {
        let text = format!("{prefix}{summary}\n{prefix}{bare}\n");
        let kills = scan(text.as_bytes());
        assert_eq!(kills.len(), 1, "{prefix:?}");
        let k = &kills[0];
        assert_eq!(k.text, bare, "{prefix:?}");
        assert_eq!(
            (&k.time, k.host.as_deref(), k.uptime),
            (&time, host, uptime),
            "{prefix:?}"
        );
        assert_eq!(k.pod_uid.as_deref(), Some(UID), "{prefix:?}");
        assert_eq!(k.container_id.as_deref(), Some(CID), "{prefix:?}");
        assert_eq!(k.line, 2);
    }
}

#[test]
fn global_oom_linux5_still_names_the_task_cgroup() {
    let text = format!(
        "Mar  5 10:11:12 node-1 kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-1,3,global_oom,task_memcg=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{UID_}.slice/crio-{CID}.scope,task=python3,pid=777,uid=1000\n\
         Mar  5 10:11:12 node-1 kernel: Out of memory: Killed process 777 (python3) total-vm:9000000kB, anon-rss:7000000kB, file-rss:12kB, shmem-rss:0kB, UID:1000 pgtables:14000kB oom_score_adj:1000\n"
    );
    let k = &scan(text.as_bytes())[0];
    assert!(k.global);
    assert_eq!(k.constraint.as_deref(), Some("CONSTRAINT_NONE"));
    assert_eq!(k.oom_memcg, None);
    assert_eq!(k.pod_uid.as_deref(), Some(UID));
    assert_eq!(k.container_id.as_deref(), Some(CID));
    assert!(!k.summary_missing);
}

#[test]
fn global_oom_linux4_has_no_cgroup_line() {
    let text = "Mar  5 10:11:12 node-1 kernel: python3 invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null), order=0, oom_score_adj=1000\n\
                Mar  5 10:11:12 node-1 kernel: Out of memory: Kill process 777 (python3) score 1953 or sacrifice child\n\
                Mar  5 10:11:12 node-1 kernel: Killed process 777 (python3) total-vm:9000000kB, anon-rss:7000000kB, file-rss:12kB, shmem-rss:0kB\n";
    let kills = scan(text.as_bytes());
    assert_eq!(kills.len(), 1);
    let k = &kills[0];
    assert!(k.global && k.summary_missing);
    assert_eq!(
        (k.line, k.pid, k.anon_rss_kb),
        (3, Some(777), Some(7000000))
    );
    assert_eq!(k.pod_uid, None);
}

#[test]
fn rate_limited_kill_has_summary_missing() {
    let path = format!("/kubepods/besteffort/pod{UID}/{CID}");
    let text = format!(
        "[  10.000000] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg={path},task_memcg={path},task=w,pid=10,uid=0\n\
         [  10.000100] Memory cgroup out of memory: Killed process 10 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:1000\n\
         [  10.000500] Memory cgroup out of memory: Killed process 11 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:1000\n"
    );
    let kills = scan(text.as_bytes());
    assert_eq!(kills.len(), 2);
    assert!(!kills[0].summary_missing);
    assert_eq!(kills[0].container_id.as_deref(), Some(CID));
    assert!(
        kills[1].summary_missing,
        "the header was consumed by the first kill"
    );
    assert_eq!(
        (kills[1].pod_uid.as_deref(), kills[1].pid),
        (None, Some(11))
    );
}

#[test]
fn a_summary_for_another_pid_or_too_old_is_not_attached() {
    let path = format!("/kubepods/pod{UID}/{CID}");
    let other_pid = format!(
        "[ 10.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg={path},task_memcg={path},task=w,pid=10,uid=0\n\
         [ 10.1] Memory cgroup out of memory: Killed process 99 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
    );
    assert!(scan(other_pid.as_bytes())[0].summary_missing);
    let old = format!(
        "[ 10.0] Task in {path} killed as a result of limit of {path}\n\
         [ 99.0] Memory cgroup out of memory: Kill process 10 (w) score 1 or sacrifice child\n"
    );
    assert!(scan(old.as_bytes())[0].summary_missing);
}

#[test]
fn a_new_header_replaces_an_unfinished_one() {
    let path = format!("/kubepods/pod{UID}/{CID}");
    let text = format!(
        "Task in {path} killed as a result of limit of {path}\n\
         w invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n\
         Memory cgroup out of memory: Killed process 10 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
    );
    assert!(scan(text.as_bytes())[0].summary_missing);
}

#[test]
fn linux4_sacrificed_child_and_kill_without_killed_line() {
    let text = "Memory cgroup out of memory: Kill process 100 (sh) score 5 or sacrifice child\n\
                Killed process 101 (java) total-vm:10kB, anon-rss:5kB, file-rss:0kB, shmem-rss:0kB\n\
                Memory cgroup out of memory: Kill process 200 (app) score 5 or sacrifice child\n";
    let kills = scan(text.as_bytes());
    assert_eq!(kills.len(), 2);
    assert_eq!(
        (kills[0].line, kills[0].pid, kills[0].comm.as_deref()),
        (2, Some(101), Some("java"))
    );
    assert_eq!(
        (kills[1].line, kills[1].pid, kills[1].anon_rss_kb),
        (3, Some(200), None)
    );
}

#[test]
fn hosts_of_an_aggregated_syslog_keep_their_own_headers() {
    let a = format!("/kubepods/pod{UID}/{CID}");
    let text = format!(
        "Mar  5 10:11:12 node-a kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg={a},task_memcg={a},task=w,pid=10,uid=0\n\
         Mar  5 10:11:12 node-b kernel: Memory cgroup out of memory: Killed process 10 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n\
         Mar  5 10:11:12 node-a kernel: Memory cgroup out of memory: Killed process 10 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
    );
    let kills = scan(text.as_bytes());
    assert_eq!(kills.len(), 2);
    assert_eq!(
        (kills[0].host.as_deref(), kills[0].summary_missing),
        (Some("node-b"), true)
    );
    assert_eq!(
        (kills[1].host.as_deref(), kills[1].summary_missing),
        (Some("node-a"), false)
    );
}

#[test]
fn task_names_with_spaces_and_parentheses() {
    for (line, comm) in [
        (
            "Killed process 9 (Web Content) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB",
            "Web Content",
        ),
        (
            "Killed process 9 (kworker/u8:2) total-vm:1kB",
            "kworker/u8:2",
        ),
        ("Killed process 9 (a) b) total-vm:1kB", "a"),
        (
            "Killed process 9 (java), UID 1000, total-vm:1kB, anon-rss:7kB, file-rss:0kB",
            "java",
        ),
        ("Killed process 9 (java)", "java"),
    ] {
        let kills = scan(line.as_bytes());
        assert_eq!(kills[0].comm.as_deref(), Some(comm), "{line}");
    }
    // RHEL's `UID 1000` form keeps the figures after it.
    let k =
        &scan(b"Killed process 9 (java), UID 1000, total-vm:1kB, anon-rss:7kB, file-rss:0kB")[0];
    assert_eq!(k.anon_rss_kb, Some(7));
}

#[test]
fn non_oom_lines_and_broken_lines_give_nothing() {
    let text = b"Mar  5 10:11:12 node-1 kernel: eth0: link up\n\
                 Killed process abc (x)\n\
                 Killed process 12 (\n\
                 Memory cgroup out of memory: Kill process 1 (a)\n\
                 oom_reaper: reaped process 1 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n\
                 \xff\xfe\x00 Killed\n";
    assert!(scan(text).is_empty());
}

#[test]
fn invalid_utf8_in_a_kill_line_is_tolerated() {
    let kills =
        scan(b"[ 1.0] Killed process 5 (a\xffb) total-vm:1kB, anon-rss:2kB, file-rss:0kB\r\n");
    assert_eq!(kills[0].comm.as_deref(), Some("a\u{fffd}b"));
    assert_eq!(kills[0].anon_rss_kb, Some(2));
}

#[test]
fn kernel_line_productions() {
    assert_eq!(
        kernel_line("Task in /a killed as a result of limit of /b"),
        Some(KernelLine::TaskIn {
            task_memcg: "/a",
            oom_memcg: "/b"
        })
    );
    assert_eq!(
        kernel_line("kmem: usage 1232kB, limit 9007199254740988kB, failcnt 0"),
        Some(KernelLine::Usage {
            counter: Counter::Kmem,
            limit_kb: 9007199254740988
        })
    );
    assert_eq!(
        kernel_line(
            "Out of memory (oom_kill_allocating_task): Kill process 3 (x) score 0 or sacrifice child"
        ),
        Some(KernelLine::Kill {
            global: true,
            pid: 3,
            comm: "x"
        })
    );
    assert_eq!(
        kernel_line("java invoked oom-killer: gfp_mask=0x0"),
        Some(KernelLine::Invoked)
    );
    assert_eq!(kernel_line(" invoked oom-killer:"), None);
    let Some(KernelLine::Summary(s)) =
        kernel_line("oom-kill:constraint=CONSTRAINT_MEMCG,task=a,pid=7")
    else {
        panic!("summary");
    };
    assert_eq!(
        (s.constraint, s.task, s.pid, s.global_oom),
        (Some("CONSTRAINT_MEMCG"), Some("a"), Some(7), false)
    );
}

#[test]
fn streaming_forms_equal_the_whole_text_form() {
    let mut text = format!("{}{}", v4_cgroupfs_burstable(), v5_systemd_guaranteed()).into_bytes();
    text.extend_from_slice(
        b"garbage \xff line\nOut of memory: Kill process 1 (x) score 1 or sacrifice child",
    );
    let whole = scan(&text);
    assert_eq!(whole.len(), 3);
    for capacity in [1, 3, 17, 4096] {
        let reader = io::BufReader::with_capacity(capacity, text.as_slice());
        assert_eq!(
            scan_reader(reader, 4096).unwrap(),
            whole,
            "capacity {capacity}"
        );
    }
    let mut scanner = Scanner::new();
    let mut fed = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        scanner.feed(line, &mut fed);
    }
    scanner.finish(&mut fed);
    fed.sort_by_key(|k| k.line);
    assert_eq!(fed, whole);
}

proptest::proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let kills = scan(&bytes);
        let reader = io::BufReader::with_capacity(7, bytes.as_slice());
        proptest::prop_assert_eq!(scan_reader(reader, 1 << 20).unwrap(), kills);
    }

    #[test]
    fn shuffled_fragments_of_real_lines_never_panic(
        picks in proptest::collection::vec((0usize..40, 0usize..200, 0usize..200), 0..40)
    ) {
        let source = format!("{}{}", v4_cgroupfs_burstable(), v5_systemd_guaranteed());
        let lines: Vec<&str> = source.lines().collect();
        let mut text = Vec::new();
        for (i, a, b) in picks {
            let line = lines[i % lines.len()].as_bytes();
            let (a, b) = (a.min(line.len()), b.min(line.len()));
            text.extend_from_slice(&line[a.min(b)..]);
            text.extend_from_slice(&line[..a.max(b)]);
            text.push(b'\n');
        }
        let _ = scan(&text);
    }
}

/// Production names defined in the `abnf` blocks of a grammar page.
pub(crate) fn abnf_productions(page: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in page.lines() {
        if line.starts_with("```") {
            inside = line.trim() == "```abnf";
            continue;
        }
        if inside && line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            if let Some((name, _)) = line.split_once('=') {
                names.push(name.trim().to_string());
            }
        }
    }
    names
}

#[test]
fn every_production_of_the_grammar_page_has_a_function() {
    let page = include_str!("../../../grammar/kernel-oom.md");
    let source = [
        include_str!("../kernel.rs"),
        include_str!("../prefix.rs"),
        include_str!("../cgroup.rs"),
    ]
    .concat();
    let names = abnf_productions(page);
    assert!(names.len() > 20, "{names:?}");
    let missing: Vec<_> = names
        .iter()
        .filter(|n| !source.contains(&format!("fn {}", n.replace('-', "_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "productions without a function: {missing:?}"
    );
}
