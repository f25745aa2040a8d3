//! Support bundles in the layouts of `../shared/spec/bundles.md`, with known
//! joins: every bundle holds some of the scenarios below, and
//! `tests/bundles.rs` checks the verdicts the joins must give. Extra
//! healthy pods, logs and journal lines pad a bundle to the size asked
//! (the benchmark's 1 GB bundles); the scenarios stay the same.
//!
//! | pod (namespace shop) | what happened | where the answer is |
//! |---|---|---|
//! | cart-7f9c / app | 137, no OOMKilled reason; Guaranteed pod, systemd cgroup driver | a kernel OOM line naming its container's scope |
//! | search-5d8b / indexer | 137, reason Error | an `OOMKilling` event in the events file |
//! | worker-66f1 / jobs (node-2) | 137 | a `Killed process` kernel line whose summary line is missing: node + time |
//! | api-4c2d / api | CrashLoopBackOff, last run exited 2 | a Go `panic:` in the previous log |
//! | billing-0 / java | exited 1 | `java.lang.OutOfMemoryError` in its log |
//! | web-1 / nginx | running | its log, nothing found |
//! | probe-x / svc | running, last run 137 | a kubelet `"Probe failed" probeType="Liveness"` line |
//! | (none) | a kernel kill of a pod not in the bundle | told with `--verbose`, never attached |

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

#[allow(dead_code)] // the tests' list
pub const LAYOUTS: [&str; 7] = [
    "troubleshoot",
    "must-gather",
    "cluster-info",
    "sosreport",
    "eks",
    "rancher",
    "plain",
];

const NS: &str = "shop";
const DAY: &str = "2024-03-05";

/// A pod UID from a small number.
fn uid(n: u32) -> String {
    format!("{n:08x}-1b2c-4d3e-8f40-5a6b7c8d9e0f")
}

/// A 64-hex container id from a small number.
fn cid(n: u32) -> String {
    let mut s = String::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ u64::from(n);
    while s.len() < 64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let _ = write!(s, "{x:016x}");
    }
    s.truncate(64);
    s
}

fn t(hms: &str) -> String {
    format!("{DAY}T{hms}Z")
}

struct Ctr {
    name: &'static str,
    image: &'static str,
    id: String,
    /// `state` JSON object.
    state: String,
    last: String,
    restarts: u32,
    ready: bool,
}

struct Pod {
    name: String,
    uid: String,
    node: &'static str,
    qos: &'static str,
    phase: &'static str,
    ctrs: Vec<Ctr>,
}

fn terminated(code: i64, reason: &str, start: &str, end: &str, id: &str) -> String {
    format!(
        r#"{{"terminated":{{"exitCode":{code},"reason":"{reason}","startedAt":"{}","finishedAt":"{}","containerID":"containerd://{id}"}}}}"#,
        t(start),
        t(end)
    )
}

fn running(start: &str) -> String {
    format!(r#"{{"running":{{"startedAt":"{}"}}}}"#, t(start))
}

fn waiting(reason: &str) -> String {
    format!(
        r#"{{"waiting":{{"reason":"{reason}","message":"back-off 5m0s restarting failed container"}}}}"#
    )
}

/// The scenario pods; `node-2` only where the layout has a second node.
fn scenario() -> Vec<Pod> {
    let one = |name: &str, n: u32, node, qos, phase, ctr: Ctr| Pod {
        name: name.to_string(),
        uid: uid(n),
        node,
        qos,
        phase,
        ctrs: vec![ctr],
    };
    vec![
        one(
            "cart-7f9c",
            1,
            "node-1",
            "Guaranteed",
            "Running",
            Ctr {
                name: "app",
                image: "registry.example/cart:2.4",
                id: cid(1),
                state: terminated(137, "Error", "10:00:00", "10:11:13", &cid(1)),
                last: "{}".into(),
                restarts: 0,
                ready: false,
            },
        ),
        one(
            "search-5d8b",
            2,
            "node-1",
            "Burstable",
            "Running",
            Ctr {
                name: "indexer",
                image: "registry.example/indexer:7",
                id: cid(2),
                state: terminated(137, "Error", "10:02:00", "10:20:05", &cid(2)),
                last: "{}".into(),
                restarts: 0,
                ready: false,
            },
        ),
        one(
            "worker-66f1",
            3,
            "node-2",
            "BestEffort",
            "Running",
            Ctr {
                name: "jobs",
                image: "registry.example/jobs:1.0",
                id: cid(3),
                state: terminated(137, "Error", "10:25:00", "10:30:02", &cid(3)),
                last: "{}".into(),
                restarts: 0,
                ready: false,
            },
        ),
        one(
            "api-4c2d",
            4,
            "node-1",
            "Burstable",
            "Running",
            Ctr {
                name: "api",
                image: "registry.example/api:3.1",
                id: cid(4),
                state: waiting("CrashLoopBackOff"),
                last: terminated(2, "Error", "10:39:00", "10:40:00", &cid(4)),
                restarts: 5,
                ready: false,
            },
        ),
        one(
            "billing-0",
            5,
            "node-1",
            "Burstable",
            "Failed",
            Ctr {
                name: "java",
                image: "registry.example/billing:11",
                id: cid(5),
                state: terminated(1, "Error", "10:45:00", "10:50:00", &cid(5)),
                last: "{}".into(),
                restarts: 0,
                ready: false,
            },
        ),
        one(
            "web-1",
            6,
            "node-1",
            "Burstable",
            "Running",
            Ctr {
                name: "nginx",
                image: "nginx:1.25",
                id: cid(6),
                state: running("09:00:00"),
                last: "{}".into(),
                restarts: 0,
                ready: true,
            },
        ),
        one(
            "probe-x",
            7,
            "node-1",
            "Burstable",
            "Running",
            Ctr {
                name: "svc",
                image: "registry.example/svc:5",
                id: cid(70),
                state: running("11:00:12"),
                last: terminated(137, "Error", "09:00:00", "11:00:10", &cid(7)),
                restarts: 1,
                ready: true,
            },
        ),
    ]
}

/// A healthy padding pod.
fn filler(i: u32) -> Pod {
    Pod {
        name: format!("fill-{i:06}"),
        uid: uid(1000 + i),
        node: "node-1",
        qos: "BestEffort",
        phase: "Running",
        ctrs: vec![Ctr {
            name: "main",
            image: "registry.example/fill:1",
            id: cid(1000 + i),
            state: running("08:00:00"),
            last: "{}".into(),
            restarts: 0,
            ready: true,
        }],
    }
}

fn pod_json(p: &Pod) -> String {
    let statuses: Vec<String> = p
        .ctrs
        .iter()
        .map(|c| {
            format!(
                r#"{{"name":"{}","state":{},"lastState":{},"ready":{},"restartCount":{},"image":"{}","imageID":"","containerID":"containerd://{}","started":{}}}"#,
                c.name, c.state, c.last, c.ready, c.restarts, c.image, c.id, c.ready
            )
        })
        .collect();
    let specs: Vec<String> = p
        .ctrs
        .iter()
        .map(|c| format!(r#"{{"name":"{}","image":"{}"}}"#, c.name, c.image))
        .collect();
    format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{}","namespace":"{NS}","uid":"{}"}},"spec":{{"nodeName":"{}","containers":[{}]}},"status":{{"phase":"{}","qosClass":"{}","containerStatuses":[{}]}}}}"#,
        p.name,
        p.uid,
        p.node,
        specs.join(","),
        p.phase,
        p.qos,
        statuses.join(",")
    )
}

fn pod_list_json(pods: &[Pod]) -> String {
    let items: Vec<String> = pods.iter().map(pod_json).collect();
    format!(
        "{{\n  \"kind\": \"PodList\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {{}},\n  \"items\": [\n{}\n  ]\n}}\n",
        items.join(",\n")
    )
}

/// The same pods as YAML (must-gather), through JSON: YAML is a superset.
fn pod_list_yaml(pods: &[Pod]) -> String {
    let mut s = String::from("apiVersion: v1\nitems:\n");
    for p in pods {
        let _ = writeln!(s, "- {}", pod_json(p));
    }
    s.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    s
}

const OOM_EVENT: &str = "Memory cgroup out of memory: Killed process 5151 (indexer) total-vm:3145728kB, anon-rss:1572864kB, file-rss:0kB, shmem-rss:0kB";

fn events_json() -> String {
    format!(
        r#"{{"kind":"EventList","apiVersion":"v1","metadata":{{}},"items":[
{{"metadata":{{"name":"web-1.1"}},"involvedObject":{{"kind":"Pod","namespace":"{NS}","name":"web-1","uid":"{}","fieldPath":"spec.containers{{nginx}}"}},"reason":"Pulled","message":"Container image \"nginx:1.25\" already present on machine","type":"Normal"}},
{{"metadata":{{"name":"search-5d8b.1"}},"involvedObject":{{"kind":"Pod","namespace":"{NS}","name":"search-5d8b","uid":"{}","fieldPath":"spec.containers{{indexer}}"}},"reason":"OOMKilling","message":"{OOM_EVENT}","type":"Warning"}},
{{"metadata":{{"name":"api-4c2d.1"}},"involvedObject":{{"kind":"Pod","namespace":"{NS}","name":"api-4c2d","uid":"{}","fieldPath":"spec.containers{{api}}"}},"reason":"BackOff","message":"Back-off restarting failed container api in pod api-4c2d_shop","type":"Warning"}}
]}}
"#,
        uid(6),
        uid(2),
        uid(4)
    )
}

fn events_yaml() -> String {
    format!(
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  involvedObject:\n    fieldPath: spec.containers{{indexer}}\n    kind: Pod\n    name: search-5d8b\n    namespace: {NS}\n    uid: {}\n  kind: Event\n  message: '{OOM_EVENT}'\n  reason: OOMKilling\n  type: Warning\nkind: EventList\nmetadata:\n  resourceVersion: \"\"\n",
        uid(2)
    )
}

fn events_table() -> String {
    let mut s = String::from(
        "NAMESPACE   LAST SEEN   TYPE      REASON       OBJECT                 SUBOBJECT                   SOURCE            MESSAGE                                                    FIRST SEEN   COUNT   NAME\n",
    );
    let _ = writeln!(
        s,
        "{NS}        2m          Warning   BackOff      pod/api-4c2d           spec.containers{{api}}       kubelet, node-1   Back-off restarting failed container api in pod api-4c2d   20m          31      api-4c2d.17b"
    );
    s
}

const GO_PANIC: &str = "2024/03/05 10:39:58 serving on :8080\n2024/03/05 10:39:59 loading config from /etc/api/config.yaml\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6f1c2a]\n\ngoroutine 1 [running]:\nmain.(*Server).routes(0x0)\n\t/src/cmd/api/server.go:88 +0x2a\nmain.main()\n\t/src/cmd/api/main.go:41 +0x1c5\n";
const JAVA_OOM: &str = "10:49:58.120 INFO  BillingRun - processing batch 42 (180000 invoices)\nException in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)\n\tat com.example.billing.Batch.load(Batch.java:77)\n";
const NGINX: &str = "10.0.0.7 - - [05/Mar/2024:10:59:01 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"\n";

/// Kernel lines of the cgroup-named kill (5.x: summary + one kill line).
fn cart_kill() -> [String; 2] {
    let scope = format!(
        "/kubepods.slice/kubepods-pod{}.slice/cri-containerd-{}.scope",
        uid(1).replace('-', "_"),
        cid(1)
    );
    [
        format!("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-{}.scope,mems_allowed=0,oom_memcg={scope},task_memcg={scope},task=java,pid=4242,uid=0", cid(1)),
        "Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:2097152kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4520kB oom_score_adj:-997".to_string(),
    ]
}

/// The kill of worker-66f1 whose rate-limited summary was dropped.
const WORKER_KILL: &str = "Memory cgroup out of memory: Killed process 6161 (python3) total-vm:1048576kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1100kB oom_score_adj:1000";

/// A kill in a pod this bundle does not hold.
fn stranger_kill() -> [String; 2] {
    let path = format!("/kubepods/burstable/pod{}/{}", uid(99), cid(99));
    [
        format!("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset={},mems_allowed=0,oom_memcg={path},task_memcg={path},task=ruby,pid=7070,uid=1000", cid(99)),
        "Memory cgroup out of memory: Killed process 7070 (ruby) total-vm:900000kB, anon-rss:400000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:900kB oom_score_adj:999".to_string(),
    ]
}

fn probe_line() -> String {
    format!(
        "I0305 11:00:05.123456    2211 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"{NS}/probe-x\" podUID=\"{}\" containerName=\"svc\" probeResult=\"failure\" output=\"HTTP probe failed with statuscode: 503\"",
        uid(7)
    )
}

/// Prefix styles of node log lines.
#[derive(Clone, Copy)]
enum Style {
    /// journalctl -o short-iso
    Iso,
    /// syslog / journalctl short
    Syslog,
    /// dmesg: uptime only
    Uptime,
    /// dmesg -T
    Human,
}

fn line(style: Style, node: &str, hms: &str, unit: &str, msg: &str) -> String {
    match style {
        Style::Iso => format!("{DAY}T{hms}+0000 {node} {unit}: {msg}\n"),
        Style::Syslog => format!("Mar  5 {hms} {node} {unit}: {msg}\n"),
        Style::Uptime => format!("[ 8123.{:06}] {msg}\n", hms.len() * 1111),
        Style::Human => format!("[Tue Mar  5 {hms} 2024] {msg}\n"),
    }
}

/// Kernel lines of node-1: the cart kill, a stranger's kill, noise.
fn node1_kernel(style: Style) -> String {
    let mut s = String::new();
    s += &line(
        style,
        "node-1",
        "10:11:11",
        "kernel",
        "java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-997",
    );
    for l in cart_kill() {
        s += &line(style, "node-1", "10:11:12", "kernel", &l);
    }
    s += &line(
        style,
        "node-1",
        "10:12:00",
        "kernel",
        "IPv6: ADDRCONF(NETDEV_CHANGE): cali1234: link becomes ready",
    );
    for l in stranger_kill() {
        s += &line(style, "node-1", "10:55:00", "kernel", &l);
    }
    s
}

fn node2_kernel(style: Style) -> String {
    let mut s = String::new();
    s += &line(
        style,
        "node-2",
        "10:29:00",
        "kernel",
        "EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode",
    );
    s += &line(style, "node-2", "10:30:01", "kernel", WORKER_KILL);
    s
}

fn kubelet_journal(style: Style) -> String {
    let mut s = String::new();
    s += &line(
        style,
        "node-1",
        "10:58:00",
        "kubelet[2211]",
        "I0305 10:58:00.000001    2211 kubelet.go:2455] \"SyncLoop (PLEG): event for pod\" pod=\"shop/web-1\"",
    );
    s += &line(style, "node-1", "11:00:05", "kubelet[2211]", &probe_line());
    s
}

/// Writes one file, making its directories.
fn write_file(root: &Path, rel: &str, text: &str) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

/// Padding: `n` healthy pods (returned, for the layout's pod file) and
/// `bytes` of logs and journal lines written through `log`.
fn pad(size: u64) -> (Vec<Pod>, u64) {
    // About 1 KB of pod JSON per padding pod, a tenth of the bundle: real
    // bundles are mostly logs and journals.
    let n = (size / 10 / 1100) as u32;
    ((0..n).map(filler).collect(), size - size / 10)
}

/// `bytes` of ordinary log lines.
fn log_text(bytes: u64, seed: u32) -> String {
    let mut s = String::with_capacity(bytes as usize + 200);
    let mut i = 0u64;
    while (s.len() as u64) < bytes {
        let _ = writeln!(
            s,
            "2024-03-05T10:{:02}:{:02}.{:06}Z INFO request id={seed}-{i} path=/api/v1/items/{} status=200 took={}ms",
            (i / 60) % 60,
            i % 60,
            i % 1_000_000,
            i % 977,
            i % 50
        );
        i += 1;
    }
    s
}

/// `bytes` of ordinary journal lines of node-1 in `style`.
fn journal_noise(style: Style, bytes: u64) -> String {
    let mut s = String::with_capacity(bytes as usize + 200);
    let mut i = 0u64;
    while (s.len() as u64) < bytes {
        let hms = format!("09:{:02}:{:02}", (i / 60) % 60, i % 60);
        let msg = format!(
            "I0305 {hms}.000001    2211 kubelet_volumes.go:160] \"Cleaned up orphaned pod volumes dir\" podUID=\"{}\"",
            uid(5000 + (i % 1000) as u32)
        );
        s += &line(style, "node-1", &hms, "kubelet[2211]", &msg);
        i += 1;
    }
    s
}

/// Writes the bundle of `layout` into `root`, about `size` bytes (at least
/// the scenarios).
pub fn write(layout: &str, root: &Path, size: u64) -> io::Result<bool> {
    let (fill, rest) = pad(size);
    let log_bytes = rest / 2;
    let journal_bytes = rest - log_bytes;
    // Padding logs in files of at most 64 MiB.
    let log_files = log_bytes.div_ceil(64 << 20).max(1) as u32;
    let each_log = log_bytes / u64::from(log_files);
    let mut pods = scenario();
    let scenario_count = pods.len();
    pods.extend(fill);
    // Padding logs belong to padding pods: none in a minimal bundle.
    let log_files = if pods.len() > scenario_count {
        log_files
    } else {
        0
    };
    let put = |rel: &str, text: &str| write_file(root, rel, text);
    // The padding logs: file `i` (path and text from `file`) belongs to a
    // padding pod.
    let padding = |file: &dyn Fn(&Pod, u32) -> (String, String)| -> io::Result<()> {
        for i in 0..log_files {
            let p = &pods[scenario_count + i as usize % (pods.len() - scenario_count).max(1)];
            let (rel, text) = file(p, i);
            put(&rel, &text)?;
        }
        Ok(())
    };
    match layout {
        "troubleshoot" => {
            let r = "support-bundle-2024-03-05T11_02_00";
            put(
                &format!("{r}/cluster-resources/pods/{NS}.json"),
                &pod_list_json(&pods),
            )?;
            put(
                &format!("{r}/cluster-resources/events/{NS}.json"),
                &events_json(),
            )?;
            let logs = format!("{r}/cluster-resources/pods/logs/{NS}");
            put(&format!("{logs}/api-4c2d/api-previous.log"), GO_PANIC)?;
            put(&format!("{logs}/api-4c2d/api.log"), "")?;
            put(&format!("{logs}/billing-0/java.log"), JAVA_OOM)?;
            put(&format!("{logs}/web-1/nginx.log"), NGINX)?;
            put(
                &format!("{r}/host-collectors/node-1/journald/kernel.txt"),
                &node1_kernel(Style::Iso),
            )?;
            put(
                &format!("{r}/host-collectors/node-2/journald/kernel.txt"),
                &node2_kernel(Style::Iso),
            )?;
            put(
                &format!("{r}/host-collectors/node-1/journald/kubelet.txt"),
                &(journal_noise(Style::Iso, journal_bytes) + &kubelet_journal(Style::Iso)),
            )?;
            padding(&|p, i| (format!("{logs}/{}/main.log", p.name), log_text(each_log, i)))?;
            put(
                &format!("{r}/version.yaml"),
                "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\n",
            )?;
        }
        "must-gather" => {
            let r = "must-gather.local.5521/quay-io-openshift-release-dev-sha256-1a2b";
            let ns = format!("{r}/namespaces/{NS}");
            put(&format!("{ns}/core/pods.yaml"), &pod_list_yaml(&pods))?;
            put(&format!("{ns}/core/events.yaml"), &events_yaml())?;
            put(&format!("{ns}/pods/api-4c2d/api/api/logs/current.log"), "")?;
            put(
                &format!("{ns}/pods/api-4c2d/api/api/logs/previous.insecure.log"),
                &stamp(GO_PANIC, "10:39:58"),
            )?;
            put(
                &format!("{ns}/pods/billing-0/java/java/logs/current.log"),
                &stamp(JAVA_OOM, "10:49:58"),
            )?;
            put(
                &format!("{ns}/pods/web-1/nginx/nginx/logs/current.log"),
                &stamp(NGINX, "10:59:01"),
            )?;
            put(
                &format!("{r}/nodes/node-1/dmesg"),
                &node1_kernel(Style::Uptime),
            )?;
            put(
                &format!("{r}/host_service_logs/masters/kubelet_service.log"),
                &(journal_noise(Style::Syslog, journal_bytes) + &kubelet_journal(Style::Syslog)),
            )?;
            padding(&|p, i| {
                (
                    format!("{ns}/pods/{0}/main/main/logs/current.log", p.name),
                    log_text(each_log, i),
                )
            })?;
        }
        "cluster-info" => {
            put(
                "nodes.json",
                "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}\n",
            )?;
            put(&format!("{NS}/pods.json"), &pod_list_json(&pods))?;
            put(&format!("{NS}/events.json"), &events_json())?;
            put(
                &format!("{NS}/services.json"),
                "{\"kind\":\"ServiceList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}\n",
            )?;
            put(
                &format!("{NS}/billing-0/logs.txt"),
                &block("java", "billing-0", JAVA_OOM),
            )?;
            put(
                &format!("{NS}/web-1/logs.txt"),
                &block("nginx", "web-1", NGINX),
            )?;
            padding(&|p, i| {
                (
                    format!("{NS}/{}/logs.txt", p.name),
                    block("main", &p.name, &log_text(each_log, i)),
                )
            })?;
        }
        "sosreport" => {
            let r = "sosreport-node-1-2024-03-05-abcdef";
            put(
                &format!("{r}/sos_commands/crio/crictl_inspect_{}", &cid(1)[..13]),
                &crictl_cart(),
            )?;
            put(
                &format!("{r}/var/log/messages"),
                &(journal_noise(Style::Syslog, journal_bytes)
                    + &node1_kernel(Style::Syslog)
                    + &kubelet_journal(Style::Syslog)),
            )?;
            put(
                &format!("{r}/sos_commands/kernel/dmesg"),
                &node1_kernel(Style::Uptime),
            )?;
            put(&format!("{r}/hostname"), "node-1\n")?;
            padding(&|_, i| (format!("{r}/var/log/app-{i}.log"), log_text(each_log, i)))?;
        }
        "eks" => {
            let r = "eks_i-0abc123_2024-03-05_1102-UTC_0.7.9";
            put(
                &format!("{r}/kernel/dmesg.human.current"),
                &node1_kernel(Style::Human),
            )?;
            put(
                &format!("{r}/kubelet/kubelet.log"),
                &(journal_noise(Style::Syslog, journal_bytes) + &kubelet_journal(Style::Syslog)),
            )?;
            let dir = format!("{r}/var/log/pods/{NS}_api-4c2d_{}/api", uid(4));
            put(&format!("{dir}/4.log"), &cri(GO_PANIC))?;
            put(&format!("{dir}/5.log"), "")?;
            // The collector has no pod objects: saved beside it by the user.
            put("pods.json", &pod_list_json(&pods))?;
            padding(&|p, i| {
                (
                    format!("{r}/var/log/pods/{NS}_{}_{}/main/0.log", p.name, p.uid),
                    cri(&log_text(each_log, i)),
                )
            })?;
        }
        "rancher" => {
            let r = "node-1-2024-03-05_11_02_00";
            put(&format!("{r}/k3s/kubectl/pods"), &pods_table(&pods))?;
            put(&format!("{r}/k3s/kubectl/events"), &events_table())?;
            put(&format!("{r}/k3s/podlogs/{NS}-api-4c2d-previous"), GO_PANIC)?;
            put(&format!("{r}/k3s/podlogs/{NS}-api-4c2d"), "")?;
            put(
                &format!("{r}/systeminfo/dmesg"),
                &node1_kernel(Style::Human),
            )?;
            put(
                &format!("{r}/journald/k3s"),
                &(journal_noise(Style::Syslog, journal_bytes) + &kubelet_journal(Style::Syslog)),
            )?;
            padding(&|p, i| {
                (
                    format!("{r}/k3s/podlogs/{NS}-{}", p.name),
                    log_text(each_log, i),
                )
            })?;
        }
        "plain" => {
            // A directory of dumps and node logs under names of no layout.
            put("pods.json", &pod_list_json(&pods))?;
            put("node-1-journal.txt", &node1_kernel(Style::Iso))?;
            put("worker-node-2.log", &node2_kernel(Style::Iso))?;
            padding(&|_, i| {
                (
                    format!("noise-{i}.txt"),
                    journal_noise(Style::Iso, each_log),
                )
            })?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// must-gather logs carry an RFC 3339 stamp on every line.
fn stamp(text: &str, hms: &str) -> String {
    text.lines()
        .map(|l| format!("{DAY}T{hms}.000000000Z {l}\n"))
        .collect()
}

/// The kubelet's CRI log format: `TIME stream P|F message`.
fn cri(text: &str) -> String {
    text.lines()
        .map(|l| format!("{DAY}T10:39:59.000000000Z stderr F {l}\n"))
        .collect()
}

fn block(ctr: &str, pod: &str, text: &str) -> String {
    format!(
        "==== START logs for container {ctr} of pod {NS}/{pod} ====\n{text}==== END logs for container {ctr} of pod {NS}/{pod} ====\n"
    )
}

fn pods_table(pods: &[Pod]) -> String {
    let mut s = String::from(
        "NAMESPACE   NAME                READY   STATUS             RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n",
    );
    for p in pods {
        let c = &p.ctrs[0];
        let status = if c.state.contains("CrashLoopBackOff") {
            "CrashLoopBackOff"
        } else if c.state.contains("running") {
            "Running"
        } else {
            "Error"
        };
        let restarts = if c.restarts > 0 {
            format!("{} (20m ago)", c.restarts)
        } else {
            "0".to_string()
        };
        let _ = writeln!(
            s,
            "{NS:<11} {:<19} {}/1     {status:<18} {restarts:<13} 3h    10.42.0.9    {:<8} <none>           <none>",
            p.name,
            u8::from(c.ready),
            p.node
        );
    }
    s
}

fn crictl_cart() -> String {
    format!(
        r#"{{
  "status": {{
    "id": "{id}",
    "metadata": {{"attempt": 0, "name": "app"}},
    "state": "CONTAINER_EXITED",
    "createdAt": "{DAY}T09:59:58Z",
    "startedAt": "{DAY}T10:00:00Z",
    "finishedAt": "{DAY}T10:11:13Z",
    "exitCode": 137,
    "image": {{"image": "registry.example/cart:2.4"}},
    "reason": "Error",
    "message": "",
    "labels": {{
      "io.kubernetes.container.name": "app",
      "io.kubernetes.pod.name": "cart-7f9c",
      "io.kubernetes.pod.namespace": "{NS}",
      "io.kubernetes.pod.uid": "{uid}"
    }}
  }},
  "info": {{"pid": 0, "runtimeType": "io.containerd.runc.v2"}}
}}
"#,
        id = cid(1),
        uid = uid(1)
    )
}
