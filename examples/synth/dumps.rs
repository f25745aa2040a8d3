//! A deterministic generator of realistic container-state dumps (layouts as
//! in ../shared/spec/input-formats.md) and of bundle archives, for the
//! benchmarks and for trying exitparse on inputs of any size. Same seed,
//! same bytes: a tiny xorshift stands in for a random number crate.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{self, Write};

/// xorshift64*: small, fast, and stable across platforms and releases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(n);
        s
    }
}

/// The dump formats the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// kubectl describe pods, current layout (space-aligned, 1.8+).
    Describe,
    /// kubectl describe pods, TAB-aligned (≤ 1.7).
    DescribeTab,
    /// Both layouts, pod by pod as from several kubectl versions.
    DescribeMixed,
    Docker,
    Podman,
    Crictl,
    K8sJson,
    K8sYaml,
    DockerPs,
    KubectlGet,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Describe,
        Kind::DescribeTab,
        Kind::DescribeMixed,
        Kind::Docker,
        Kind::Podman,
        Kind::Crictl,
        Kind::K8sJson,
        Kind::K8sYaml,
        Kind::DockerPs,
        Kind::KubectlGet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Describe => "describe",
            Kind::DescribeTab => "describe-tab",
            Kind::DescribeMixed => "describe-mixed",
            Kind::Docker => "docker",
            Kind::Podman => "podman",
            Kind::Crictl => "crictl",
            Kind::K8sJson => "k8s-json",
            Kind::K8sYaml => "k8s-yaml",
            Kind::DockerPs => "docker-ps",
            Kind::KubectlGet => "kubectl-get",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Docker | Kind::Podman | Kind::Crictl | Kind::K8sJson => "json",
            Kind::K8sYaml => "yaml",
            _ => "txt",
        }
    }
}

/// One container's story: its current state and the termination before.
#[derive(Clone)]
struct Fate {
    state: St,
    last: Option<(i64, &'static str)>,
    restarts: u32,
}

#[derive(Clone)]
enum St {
    Running,
    Waiting(&'static str),
    Terminated(i64, &'static str),
}

fn fate(rng: &mut Rng) -> Fate {
    const CODES: &[(i64, &str)] = &[
        (1, "Error"),
        (137, "OOMKilled"),
        (137, "Error"),
        (139, "Error"),
        (143, "Error"),
        (134, "Error"),
        (2, "Error"),
        (126, "ContainerCannotRun"),
        (127, "StartError"),
        (255, "Unknown"),
        (-1073741819, "Error"),
        (3, "Error"),
    ];
    let restarts = rng.below(40) as u32;
    match rng.below(10) {
        0..=2 => Fate {
            state: St::Running,
            last: None,
            restarts: 0,
        },
        3 => Fate {
            state: St::Running,
            last: Some(rng.pick(CODES)),
            restarts,
        },
        4..=5 => Fate {
            state: St::Waiting("CrashLoopBackOff"),
            last: Some(rng.pick(CODES)),
            restarts: restarts + 1,
        },
        6 => Fate {
            state: St::Waiting(rng.pick(&[
                "ImagePullBackOff",
                "ErrImagePull",
                "ContainerCreating",
                "CreateContainerConfigError",
            ])),
            last: None,
            restarts: 0,
        },
        7 => Fate {
            state: St::Terminated(0, "Completed"),
            last: None,
            restarts: 0,
        },
        _ => {
            let (c, r) = rng.pick(CODES);
            Fate {
                state: St::Terminated(c, r),
                last: None,
                restarts,
            }
        }
    }
}

/// A pod and its containers, as every format shows it.
struct Pod {
    name: String,
    ns: &'static str,
    node: String,
    ip: String,
    app: &'static str,
    hash: String,
    uid: String,
    evicted: bool,
    minute: u32,
    containers: Vec<Ctr>,
    init: Vec<Ctr>,
}

struct Ctr {
    name: &'static str,
    image: String,
    id: String,
    fate: Fate,
}

const NAMESPACES: &[&str] = &[
    "default",
    "shop",
    "payments",
    "kube-system",
    "monitoring",
    "batch",
];
const APPS: &[&str] = &[
    "api", "web", "worker", "cart", "auth", "search", "ingest", "report",
];
const SIDECARS: &[&str] = &["istio-proxy", "log-shipper", "metrics"];

fn pod(rng: &mut Rng, i: usize) -> Pod {
    let app = rng.pick(APPS);
    let hash = rng.hex(10);
    let n = 1 + rng.below(3);
    let mut containers = vec![ctr(rng, app)];
    for s in SIDECARS.iter().take(n - 1) {
        containers.push(ctr(rng, s));
    }
    let init = if rng.chance(20) {
        vec![ctr(rng, "init-db")]
    } else {
        Vec::new()
    };
    let evicted = rng.chance(3);
    Pod {
        name: format!("{app}-{hash}-{}", &rng.hex(5)),
        ns: rng.pick(NAMESPACES),
        node: format!("worker-{}", rng.below(40)),
        ip: format!("10.244.{}.{}", rng.below(250), rng.below(250)),
        app,
        hash,
        uid: format!(
            "{}-{}-{}-{}-{}",
            rng.hex(8),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12)
        ),
        evicted,
        minute: (i % 1440) as u32,
        containers,
        init,
    }
}

fn ctr(rng: &mut Rng, name: &'static str) -> Ctr {
    Ctr {
        name,
        image: format!(
            "registry.example/{name}:{}.{}.{}",
            rng.below(5),
            rng.below(20),
            rng.below(10)
        ),
        id: rng.hex(64),
        fate: fate(rng),
    }
}

impl Pod {
    fn phase(&self) -> &'static str {
        if self.evicted {
            "Failed"
        } else if self
            .containers
            .iter()
            .all(|c| matches!(c.fate.state, St::Terminated(0, _)))
        {
            "Succeeded"
        } else if self
            .containers
            .iter()
            .any(|c| matches!(c.fate.state, St::Terminated(..)))
        {
            "Failed"
        } else {
            "Running"
        }
    }
}

/// hh:mm:ss within the day of the sample, from a minute number.
fn clock(minute: u32, second: u32) -> (u32, u32, u32) {
    ((minute / 60) % 24, minute % 60, second % 60)
}

fn rfc1123(minute: u32, second: u32) -> String {
    let (h, m, s) = clock(minute, second);
    format!("Tue, 04 Mar 2025 {h:02}:{m:02}:{s:02} +0000")
}

fn rfc3339(minute: u32, second: u32) -> String {
    let (h, m, s) = clock(minute, second);
    format!("2025-03-04T{h:02}:{m:02}:{s:02}Z")
}

// ---------------------------------------------------------------------
// kubectl describe

/// A small model of Go's text/tabwriter as kubectl sets it up: a block of
/// consecutive lines with a tab is aligned; a line without one ends it.
struct Tw {
    tabs: bool,
    block: Vec<(String, String)>,
    out: String,
}

impl Tw {
    fn new(tabs: bool) -> Tw {
        Tw {
            tabs,
            block: Vec::new(),
            out: String::new(),
        }
    }
    fn kv(&mut self, level: usize, key: &str, value: &str) {
        let cell = format!("{:w$}{key}", "", w = level * 2);
        self.block.push((cell, value.to_string()));
    }
    fn line(&mut self, level: usize, text: &str) {
        self.flush();
        let _ = writeln!(self.out, "{:w$}{text}", "", w = level * 2);
    }
    fn flush(&mut self) {
        let width = self
            .block
            .iter()
            .map(|(c, _)| c.chars().count())
            .max()
            .unwrap_or(0);
        for (cell, value) in self.block.drain(..) {
            self.out.push_str(&cell);
            let len = cell.chars().count();
            if self.tabs {
                // padding 1, padchar TAB: cells padded to a multiple of 8.
                let target = (width + 1).div_ceil(8) * 8;
                for _ in 0..(target - len).div_ceil(8).max(1) {
                    self.out.push('\t');
                }
            } else {
                for _ in 0..(width + 2 - len) {
                    self.out.push(' ');
                }
            }
            self.out.push_str(&value);
            self.out.push('\n');
        }
    }
    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

fn describe_state(tw: &mut Tw, label: &str, st: &St, minute: u32) {
    match st {
        St::Running => {
            tw.kv(2, label, "Running");
            tw.kv(3, "Started:", &rfc1123(minute, 4));
        }
        St::Waiting(r) => {
            tw.kv(2, label, "Waiting");
            tw.kv(3, "Reason:", r);
        }
        St::Terminated(code, r) => terminated(tw, label, *code, r, minute),
    }
}

fn terminated(tw: &mut Tw, label: &str, code: i64, reason: &str, minute: u32) {
    tw.kv(2, label, "Terminated");
    tw.kv(3, "Reason:", reason);
    if code != 0 && code % 3 == 0 {
        // A multi-line termination message: later lines start at column 0.
        tw.kv(
            3,
            "Message:",
            "panic: runtime error: index out of range [3] with length 3",
        );
        tw.line(0, "goroutine 1 [running]:");
    }
    tw.kv(3, "Exit Code:", &code.to_string());
    tw.kv(3, "Started:", &rfc1123(minute, 2));
    tw.kv(3, "Finished:", &rfc1123(minute.saturating_add(1), 10));
}

fn describe_pod(rng: &mut Rng, p: &Pod, tabs: bool) -> String {
    let mut tw = Tw::new(tabs);
    tw.kv(0, "Name:", &p.name);
    tw.kv(0, "Namespace:", p.ns);
    if !tabs {
        tw.kv(0, "Priority:", "0");
        tw.kv(0, "Service Account:", "default");
    }
    tw.kv(0, "Node:", &format!("{}/10.0.3.{}", p.node, rng.below(250)));
    tw.kv(0, "Start Time:", &rfc1123(p.minute, 0));
    tw.kv(0, "Labels:", &format!("app={}", p.app));
    tw.kv(0, "", &format!("pod-template-hash={}", p.hash));
    tw.kv(0, "Annotations:", "<none>");
    tw.kv(0, "Status:", p.phase());
    if p.evicted {
        tw.kv(0, "Reason:", "Evicted");
        tw.kv(0, "Message:", "The node was low on resource: memory. ");
    }
    tw.kv(0, "IP:", &p.ip);
    if !tabs {
        tw.line(0, "IPs:");
        tw.kv(1, "IP:", &p.ip);
    } else {
        tw.kv(
            0,
            "Created By:",
            &format!("ReplicaSet/{}-{}", p.app, p.hash),
        );
    }
    tw.kv(
        0,
        "Controlled By:",
        &format!("ReplicaSet/{}-{}", p.app, p.hash),
    );
    for (title, list) in [
        ("Init Containers:", &p.init),
        ("Containers:", &p.containers),
    ] {
        if list.is_empty() {
            continue;
        }
        tw.line(0, title);
        for c in list {
            tw.line(1, &format!("{}:", c.name));
            tw.kv(2, "Container ID:", &format!("containerd://{}", c.id));
            tw.kv(2, "Image:", &c.image);
            tw.kv(
                2,
                "Image ID:",
                &format!("{}@sha256:{}", c.image, &c.id[..16]),
            );
            tw.kv(2, "Port:", "8080/TCP");
            if !tabs {
                tw.kv(2, "Host Port:", "0/TCP");
            }
            describe_state(&mut tw, "State:", &c.fate.state, p.minute);
            if let Some((code, reason)) = c.fate.last {
                terminated(&mut tw, "Last State:", code, reason, p.minute);
            }
            tw.kv(
                2,
                "Ready:",
                if matches!(c.fate.state, St::Running) {
                    "True"
                } else {
                    "False"
                },
            );
            tw.kv(2, "Restart Count:", &c.fate.restarts.to_string());
            tw.line(2, "Limits:");
            tw.kv(3, "memory:", "256Mi");
            tw.line(2, "Requests:");
            tw.kv(3, "cpu:", "100m");
            tw.kv(3, "memory:", "128Mi");
            tw.kv(2, "Liveness:", "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3");
            tw.line(2, "Environment:");
            tw.kv(3, "LOG_LEVEL:", "info");
            tw.kv(3, "Reason:", "an env var named like a state field");
            tw.line(2, "Mounts:");
            tw.line(
                3,
                "/var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7qz2x (ro)",
            );
        }
    }
    tw.line(0, "Conditions:");
    let mut out = tw.finish();
    let ready = if p.phase() == "Running" {
        "True"
    } else {
        "False"
    };
    let _ = write!(
        out,
        "  Type              Status\n  Initialized       True \n  Ready             {ready} \n  ContainersReady   {ready} \n  PodScheduled      True \n"
    );
    let mut tw = Tw::new(tabs);
    tw.line(0, "Volumes:");
    tw.line(1, "kube-api-access-7qz2x:");
    tw.kv(
        2,
        "Type:",
        "Projected (a volume that contains injected data from multiple sources)",
    );
    tw.kv(0, "QoS Class:", "Burstable");
    tw.kv(0, "Node-Selectors:", "<none>");
    tw.kv(
        0,
        "Tolerations:",
        "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
    );
    tw.kv(
        0,
        "",
        "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
    );
    out.push_str(&tw.finish());
    let crashing = p.containers.iter().find(|c| c.fate.last.is_some());
    match (crashing, tabs) {
        (None, false) => out.push_str("Events:                      <none>\n"),
        (None, true) => out.push_str("Events:\t<none>\n"),
        (Some(c), false) => {
            let _ = write!(
                out,
                "Events:\n  Type     Reason   Age                  From     Message\n  ----     ------   ----                 ----     -------\n  Normal   Pulled   12m (x5 over 40m)    kubelet  Container image \"{img}\" already present on machine\n  Warning  BackOff  2m13s (x160 over 40m)  kubelet  Back-off restarting failed container {n} in pod {p}_{ns}({uid})\n",
                img = c.image,
                n = c.name,
                p = p.name,
                ns = p.ns,
                uid = p.uid
            );
        }
        (Some(c), true) => {
            let _ = write!(
                out,
                "Events:\n  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\t\tType\t\tReason\t\tMessage\n  ---------\t--------\t-----\t----\t\t\t-------------\t\t--------\t------\t\t-------\n  40m\t\t2m\t\t160\tkubelet, {node}\tspec.containers{{{n}}}\tWarning\t\tBackOff\t\tBack-off restarting failed container\n",
                node = p.node,
                n = c.name
            );
        }
    }
    out
}

// ---------------------------------------------------------------------
// Runtime inspect JSON

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// One docker inspect element (4-space indent inside the array). Docker
/// versions differ: 1.8 has no `State.Status`; dockershim names and labels.
fn docker(rng: &mut Rng, p: &Pod, c: &Ctr, version: usize) -> String {
    let (status, running, code, oom, err) = match &c.fate.state {
        St::Running => ("running", true, 0, false, ""),
        St::Waiting(_) => ("created", false, 0, false, ""),
        St::Terminated(code, r) => (
            "exited",
            false,
            if *code < 0 { *code + (1 << 32) } else { *code },
            *r == "OOMKilled",
            if *r == "ContainerCannotRun" {
                "OCI runtime create failed: exec: \\\"app\\\": executable file not found in $PATH"
            } else {
                ""
            },
        ),
    };
    let finished = if running {
        "0001-01-01T00:00:00Z".to_string()
    } else {
        format!(
            "{}.{}Z",
            &rfc3339(p.minute + 1, 10)[..19],
            rng.below(999_999_999)
        )
    };
    let status_line = if version == 0 {
        String::new()
    } else {
        format!("            \"Status\": \"{status}\",\n")
    };
    let dead = if version == 0 {
        String::new()
    } else {
        "            \"Dead\": false,\n".to_string()
    };
    format!(
        r#"    {{
        "Id": "{id}",
        "Created": "{created}",
        "Path": "/app/{name}",
        "Args": [
            "--port=8080"
        ],
        "State": {{
{status_line}            "Running": {running},
            "Paused": false,
            "Restarting": false,
            "OOMKilled": {oom},
{dead}            "Pid": {pid},
            "ExitCode": {code},
            "Error": "{err}",
            "StartedAt": "{started}",
            "FinishedAt": "{finished}"
        }},
        "Image": "sha256:{img}",
        "ResolvConfPath": "/var/lib/docker/containers/{id}/resolv.conf",
        "LogPath": "/var/lib/docker/containers/{id}/{id}-json.log",
        "Name": "/k8s_{name}_{pod}_{ns}_{uid}_{attempt}",
        "RestartCount": 0,
        "Driver": "overlay2",
        "Platform": "linux",
        "HostConfig": {{
            "NetworkMode": "container:{sandbox}",
            "RestartPolicy": {{
                "Name": "no",
                "MaximumRetryCount": 0
            }},
            "Memory": 268435456
        }},
        "Mounts": [],
        "Config": {{
            "Hostname": "{pod}",
            "Image": "{image}",
            "Labels": {{
                "annotation.io.kubernetes.container.hash": "{hash}",
                "annotation.io.kubernetes.container.restartCount": "{attempt}",
                "annotation.io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
                "io.kubernetes.container.name": "{name}",
                "io.kubernetes.docker.type": "container",
                "io.kubernetes.pod.name": "{pod}",
                "io.kubernetes.pod.namespace": "{ns}",
                "io.kubernetes.pod.uid": "{uid}"
            }}
        }},
        "NetworkSettings": {{
            "Bridge": "",
            "Networks": {{}}
        }}
    }}"#,
        id = c.id,
        created = rfc3339(p.minute, 0),
        name = c.name,
        pid = if running { 4000 + rng.below(60000) } else { 0 },
        started = rfc3339(p.minute, 2),
        img = &c.id[..32],
        pod = p.name,
        ns = p.ns,
        uid = p.uid,
        attempt = c.fate.restarts,
        sandbox = rng.hex(64),
        image = c.image,
        hash = rng.hex(8),
    )
}

/// One podman inspect element: no slash in Name, `OciVersion`, local-offset
/// times; laid out with podman's 5-space indent (4-space steps inside).
fn podman(rng: &mut Rng, p: &Pod, c: &Ctr) -> String {
    let (status, code, oom) = match &c.fate.state {
        St::Running => ("running", 0, false),
        St::Waiting(_) => ("created", 0, false),
        St::Terminated(code, r) => ("exited", *code, *r == "OOMKilled"),
    };
    let (h, m, s) = clock(p.minute, 3);
    let body = format!(
        r#"{{
    "Id": "{id}",
    "Created": "2025-03-04T{h:02}:{m:02}:{s:02}.{frac}+01:00",
    "Path": "/app/{name}",
    "Args": [
        "/app/{name}"
    ],
    "State": {{
        "OciVersion": "1.1.0",
        "Status": "{status}",
        "Running": {running},
        "Paused": false,
        "Restarting": false,
        "OOMKilled": {oom},
        "Dead": false,
        "Pid": 0,
        "ExitCode": {code},
        "Error": "",
        "StartedAt": "2025-03-04T{h:02}:{m:02}:{s:02}.{frac}+01:00",
        "FinishedAt": "2025-03-04T{h:02}:{m2:02}:{s:02}.{frac}+01:00",
        "CgroupPath": "/machine.slice/libpod-{id}.scope",
        "CheckpointedAt": "0001-01-01T00:00:00Z",
        "RestoredAt": "0001-01-01T00:00:00Z",
        "StoppedByUser": false
    }},
    "Image": "{img}",
    "ImageDigest": "sha256:{img}",
    "ImageName": "{image}",
    "Rootfs": "",
    "Pod": "",
    "ResolvConfPath": "/run/containers/storage/overlay-containers/{id}/userdata/resolv.conf",
    "Name": "{pod}-{name}",
    "RestartCount": {restarts},
    "Driver": "overlay",
    "OCIRuntime": "crun",
    "IsInfra": false,
    "IsService": false,
    "KubeExitCodePropagation": "invalid",
    "lockNumber": {lock},
    "Config": {{
        "Hostname": "{short}",
        "Image": "{image}",
        "Labels": {{
            "app": "{app}"
        }}
    }}
}}"#,
        id = c.id,
        frac = rng.below(999_999),
        name = c.name,
        running = matches!(c.fate.state, St::Running),
        m2 = (m + 1) % 60,
        img = &c.id[..64.min(c.id.len())],
        image = c.image,
        pod = p.name,
        restarts = c.fate.restarts,
        lock = rng.below(2048),
        short = &c.id[..12],
        app = p.app,
    );
    // podman's encoder indents every line by its prefix of 5 spaces.
    indent(&body, 5).trim_end().to_string()
}

/// One crictl inspect object (2-space indent, camelCase `status`).
fn crictl(p: &Pod, c: &Ctr) -> String {
    let (state, code, reason) = match &c.fate.state {
        St::Running => ("CONTAINER_RUNNING", 0, ""),
        St::Waiting(_) => ("CONTAINER_CREATED", 0, ""),
        St::Terminated(code, r) => ("CONTAINER_EXITED", *code, *r),
    };
    let finished = if state == "CONTAINER_EXITED" {
        rfc3339(p.minute + 1, 10)
    } else {
        "0001-01-01T00:00:00Z".to_string()
    };
    format!(
        r#"{{
  "info": {{
    "pid": 0,
    "removing": false,
    "runtimeType": "io.containerd.runc.v2",
    "sandboxID": "{sandbox}",
    "snapshotKey": "{id}",
    "snapshotter": "overlayfs"
  }},
  "status": {{
    "id": "{id}",
    "metadata": {{
      "attempt": {restarts},
      "name": "{name}"
    }},
    "state": "{state}",
    "createdAt": "{created}",
    "startedAt": "{started}",
    "finishedAt": "{finished}",
    "exitCode": {code},
    "image": {{
      "annotations": {{}},
      "image": "{image}",
      "runtimeHandler": "",
      "userSpecifiedImage": ""
    }},
    "imageRef": "{image}@sha256:{digest}",
    "reason": "{reason}",
    "message": "",
    "labels": {{
      "io.kubernetes.container.name": "{name}",
      "io.kubernetes.pod.name": "{pod}",
      "io.kubernetes.pod.namespace": "{ns}",
      "io.kubernetes.pod.uid": "{uid}"
    }},
    "annotations": {{
      "io.kubernetes.container.hash": "{hash}",
      "io.kubernetes.container.restartCount": "{restarts}",
      "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": "File",
      "io.kubernetes.pod.terminationGracePeriod": "30"
    }},
    "mounts": [],
    "logPath": "/var/log/pods/{ns}_{pod}_{uid}/{name}/{restarts}.log"
  }}
}}"#,
        sandbox = &c.id[..],
        id = c.id,
        restarts = c.fate.restarts,
        name = c.name,
        created = rfc3339(p.minute, 0),
        started = rfc3339(p.minute, 2),
        image = c.image,
        digest = &c.id[..],
        pod = p.name,
        ns = p.ns,
        uid = p.uid,
        hash = &c.id[..8],
    )
}

// ---------------------------------------------------------------------
// Kubernetes Pod JSON / YAML

fn k8s_state_json(st: &St, minute: u32, pad: &str) -> String {
    match st {
        St::Running => format!(
            "{{\n{pad}    \"running\": {{\n{pad}        \"startedAt\": \"{}\"\n{pad}    }}\n{pad}}}",
            rfc3339(minute, 4)
        ),
        St::Waiting(r) => format!(
            "{{\n{pad}    \"waiting\": {{\n{pad}        \"reason\": \"{r}\"\n{pad}    }}\n{pad}}}"
        ),
        St::Terminated(code, r) => k8s_terminated_json(*code, r, minute, pad),
    }
}

fn k8s_terminated_json(code: i64, r: &str, minute: u32, pad: &str) -> String {
    format!(
        "{{\n{pad}    \"terminated\": {{\n{pad}        \"containerID\": \"containerd://0\",\n{pad}        \"exitCode\": {code},\n{pad}        \"finishedAt\": \"{}\",\n{pad}        \"reason\": \"{r}\",\n{pad}        \"startedAt\": \"{}\"\n{pad}    }}\n{pad}}}",
        rfc3339(minute + 1, 10),
        rfc3339(minute, 2)
    )
}

/// A Pod as `kubectl get -o json` writes it: sorted keys, 4-space indent,
/// shown here at list-item depth (8 spaces).
fn k8s_json(p: &Pod) -> String {
    let pad = "                    ";
    let statuses = |list: &[Ctr]| -> String {
        list.iter()
            .map(|c| {
                let last = match c.fate.last {
                    Some((code, r)) => k8s_terminated_json(code, r, p.minute, pad),
                    None => "{}".to_string(),
                };
                format!(
                    "                {{\n{pad}\"containerID\": \"containerd://{id}\",\n{pad}\"image\": \"{image}\",\n{pad}\"imageID\": \"{image}@sha256:{d}\",\n{pad}\"lastState\": {last},\n{pad}\"name\": \"{name}\",\n{pad}\"ready\": {ready},\n{pad}\"restartCount\": {rc},\n{pad}\"started\": {ready},\n{pad}\"state\": {state}\n                }}",
                    id = c.id,
                    image = c.image,
                    d = &c.id[..32],
                    name = c.name,
                    ready = matches!(c.fate.state, St::Running),
                    rc = c.fate.restarts,
                    state = k8s_state_json(&c.fate.state, p.minute, pad),
                )
            })
            .collect::<Vec<_>>()
            .join(",\n")
    };
    let specs = p
        .containers
        .iter()
        .map(|c| format!("                {{\n                    \"image\": \"{}\",\n                    \"name\": \"{}\"\n                }}", c.image, c.name))
        .collect::<Vec<_>>()
        .join(",\n");
    let init = if p.init.is_empty() {
        String::new()
    } else {
        format!(
            "            \"initContainerStatuses\": [\n{}\n            ],\n",
            statuses(&p.init)
        )
    };
    let reason = if p.evicted {
        "            \"message\": \"The node was low on resource: memory. \",\n            \"reason\": \"Evicted\",\n"
    } else {
        ""
    };
    format!(
        r#"        {{
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {{
                "creationTimestamp": "{created}",
                "labels": {{
                    "app": "{app}",
                    "pod-template-hash": "{hash}"
                }},
                "name": "{name}",
                "namespace": "{ns}",
                "uid": "{uid}"
            }},
            "spec": {{
                "containers": [
{specs}
                ],
                "nodeName": "{node}",
                "restartPolicy": "Always"
            }},
            "status": {{
                "containerStatuses": [
{statuses}
                ],
                "hostIP": "10.0.3.1",
{init}{reason}                "phase": "{phase}",
                "podIP": "{ip}",
                "qosClass": "Burstable",
                "startTime": "{created}"
            }}
        }}"#,
        created = rfc3339(p.minute, 0),
        app = p.app,
        hash = p.hash,
        name = p.name,
        ns = p.ns,
        uid = p.uid,
        node = p.node,
        statuses = statuses(&p.containers),
        init = init.replace("            \"init", "                \"init"),
        reason = reason.replace("            \"", "                \""),
        phase = p.phase(),
        ip = p.ip,
    )
}

fn k8s_state_yaml(
    out: &mut String,
    key: &str,
    st: Option<&St>,
    last: Option<(i64, &str)>,
    minute: u32,
) {
    let _ = write!(out, "    {key}:");
    match (st, last) {
        (Some(St::Running), _) => {
            let _ = write!(
                out,
                "\n      running:\n        startedAt: \"{}\"\n",
                rfc3339(minute, 4)
            );
        }
        (Some(St::Waiting(r)), _) => {
            let _ = write!(out, "\n      waiting:\n        reason: {r}\n");
        }
        (Some(&St::Terminated(code, r)), _) | (None, Some((code, r))) => {
            let _ = write!(
                out,
                "\n      terminated:\n        containerID: containerd://0\n        exitCode: {code}\n        finishedAt: \"{}\"\n        reason: {r}\n        startedAt: \"{}\"\n",
                rfc3339(minute + 1, 10),
                rfc3339(minute, 2)
            );
        }
        (None, None) => out.push_str(" {}\n"),
    }
}

/// A Pod as `kubectl get -o yaml` writes it inside a List (2-space indent,
/// list items at their parent's column).
fn k8s_yaml(p: &Pod) -> String {
    let mut out = format!(
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    creationTimestamp: \"{}\"\n    labels:\n      app: {}\n      pod-template-hash: \"{}\"\n    name: {}\n    namespace: {}\n    uid: {}\n  spec:\n    containers:\n",
        rfc3339(p.minute, 0),
        p.app,
        p.hash,
        p.name,
        p.ns,
        p.uid
    );
    for c in &p.containers {
        let _ = write!(out, "    - image: {}\n      name: {}\n", c.image, c.name);
    }
    let _ = write!(
        out,
        "    nodeName: {}\n  status:\n    containerStatuses:\n",
        p.node
    );
    for c in &p.containers {
        let mut s = String::new();
        let _ = write!(
            s,
            "- containerID: containerd://{}\n  image: {}\n  imageID: {}@sha256:{}\n",
            c.id,
            c.image,
            c.image,
            &c.id[..32]
        );
        let mut st = String::new();
        k8s_state_yaml(&mut st, "lastState", None, c.fate.last, p.minute);
        // Indent state blocks to the list item's level.
        s.push_str(&st.replace("\n    ", "\n  ").replacen("    ", "  ", 1));
        let _ = write!(
            s,
            "  name: {}\n  ready: {}\n  restartCount: {}\n",
            c.name,
            matches!(c.fate.state, St::Running),
            c.fate.restarts
        );
        let mut st = String::new();
        k8s_state_yaml(&mut st, "state", Some(&c.fate.state), None, p.minute);
        s.push_str(&st.replace("\n    ", "\n  ").replacen("    ", "  ", 1));
        out.push_str(&indent(&s, 4));
    }
    if p.evicted {
        out.push_str(
            "    message: 'The node was low on resource: memory. '\n    reason: Evicted\n",
        );
    }
    let _ = write!(
        out,
        "    phase: {}\n    podIP: {}\n    qosClass: Burstable\n",
        p.phase(),
        p.ip
    );
    out
}

// ---------------------------------------------------------------------
// Listings

fn docker_ps_row(rng: &mut Rng, p: &Pod, c: &Ctr) -> String {
    let status = match &c.fate.state {
        St::Running => format!("Up {} minutes", 1 + rng.below(59)),
        St::Waiting(_) => "Created".to_string(),
        St::Terminated(code, _) => {
            let code = if *code < 0 { *code + (1 << 32) } else { *code };
            format!("Exited ({code}) {} minutes ago", 1 + rng.below(59))
        }
    };
    let name = format!(
        "k8s_{}_{}_{}_{}_{}",
        c.name,
        p.name,
        p.ns,
        &p.uid[..8],
        c.fate.restarts
    );
    format!(
        "{:<15}{:<41}{:<23}{:<16}{:<31}{:<9}{}\n",
        &c.id[..12],
        truncate(&c.image, 38),
        "\"/app/run --por…\"",
        "2 hours ago",
        status,
        "",
        name
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

const DOCKER_PS_HEADER: &str = "CONTAINER ID   IMAGE                                    COMMAND                CREATED         STATUS                         PORTS    NAMES\n";

fn kubectl_row(p: &Pod) -> String {
    let ready = p
        .containers
        .iter()
        .filter(|c| matches!(c.fate.state, St::Running))
        .count();
    let status = if p.evicted {
        "Evicted".to_string()
    } else {
        p.containers
            .iter()
            .find_map(|c| match &c.fate.state {
                St::Waiting(r) => Some(r.to_string()),
                St::Terminated(0, _) => None,
                St::Terminated(_, r) => Some(r.to_string()),
                St::Running => None,
            })
            .unwrap_or_else(|| {
                if p.phase() == "Succeeded" {
                    "Completed".into()
                } else {
                    "Running".into()
                }
            })
    };
    let restarts: u32 = p.containers.iter().map(|c| c.fate.restarts).sum();
    let restarts = if restarts > 0 {
        format!("{restarts} (3m ago)")
    } else {
        "0".to_string()
    };
    format!(
        "{:<16}{:<40}{:<8}{:<29}{:<15}{}\n",
        p.ns,
        p.name,
        format!("{ready}/{}", p.containers.len()),
        status,
        restarts,
        "4d2h"
    )
}

const KUBECTL_HEADER: &str = "NAMESPACE       NAME                                    READY   STATUS                       RESTARTS       AGE\n";

// ---------------------------------------------------------------------
// Writing a dump of a given size

struct Counting<'a> {
    inner: &'a mut dyn Write,
    n: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a dump of `kind` of at least `size` bytes (one pod/container at
/// least) to `out`, deterministically from `seed`.
pub fn dump(kind: Kind, size: u64, seed: u64, out: &mut dyn Write) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let mut w = Counting { inner: out, n: 0 };
    let mut i = 0usize;
    let (open, sep, close): (&str, &str, &str) = match kind {
        Kind::Describe | Kind::DescribeTab | Kind::DescribeMixed => ("", "\n\n", ""),
        Kind::Docker | Kind::Podman => ("[\n", ",\n", "\n]\n"),
        Kind::Crictl => ("[\n", ",\n", "\n]\n"),
        Kind::K8sJson => (
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n",
            ",\n",
            "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
        ),
        Kind::K8sYaml => (
            "apiVersion: v1\nitems:\n",
            "",
            "kind: List\nmetadata:\n  resourceVersion: \"\"\n",
        ),
        Kind::DockerPs => (DOCKER_PS_HEADER, "", ""),
        Kind::KubectlGet => (KUBECTL_HEADER, "", ""),
    };
    w.write_all(open.as_bytes())?;
    let tail = close.len() as u64;
    while i == 0 || w.n + tail < size {
        let p = pod(&mut rng, i);
        let text = match kind {
            Kind::Describe => describe_pod(&mut rng, &p, false),
            Kind::DescribeTab => describe_pod(&mut rng, &p, true),
            Kind::DescribeMixed => {
                let tabs = rng.chance(30);
                describe_pod(&mut rng, &p, tabs)
            }
            Kind::Docker => {
                let version = rng.below(3);
                p.containers
                    .iter()
                    .map(|c| docker(&mut rng, &p, c, version))
                    .collect::<Vec<_>>()
                    .join(",\n")
            }
            Kind::Podman => p
                .containers
                .iter()
                .map(|c| podman(&mut rng, &p, c))
                .collect::<Vec<_>>()
                .join(",\n"),
            Kind::Crictl => p
                .containers
                .iter()
                .map(|c| indent(&crictl(&p, c), 2).trim_end().to_string())
                .collect::<Vec<_>>()
                .join(",\n"),
            Kind::K8sJson => k8s_json(&p),
            Kind::K8sYaml => k8s_yaml(&p),
            Kind::DockerPs => p
                .containers
                .iter()
                .map(|c| docker_ps_row(&mut rng, &p, c))
                .collect(),
            Kind::KubectlGet => kubectl_row(&p),
        };
        if i > 0 {
            w.write_all(sep.as_bytes())?;
        }
        w.write_all(text.as_bytes())?;
        i += 1;
    }
    w.write_all(close.as_bytes())?;
    w.flush()?;
    Ok(w.n)
}

/// A dump of `kind` in memory.
pub fn dump_vec(kind: Kind, size: u64, seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(size as usize + 64 * 1024);
    // Writing into a Vec cannot fail.
    let _ = dump(kind, size, seed, &mut v);
    v
}

// ---------------------------------------------------------------------
// Bundles

/// Archive kinds of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    Tgz,
    Zip,
    /// A tar.gz of bundles: tar.gz and zip inside.
    Nested,
}

/// Members of a support bundle of about `size` bytes: a troubleshoot-style
/// tree (PodLists per namespace, describe dumps, inspect arrays, YAML,
/// listings) with logs and metrics that are not dumps.
pub fn bundle_members(size: u64, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng::new(seed ^ 0xB0B);
    let mut members = Vec::new();
    let mut total = 0u64;
    let mut n = 0u64;
    while total < size || members.is_empty() {
        let kind = Kind::ALL[n as usize % Kind::ALL.len()];
        // Listings in real bundles are small tables; the rest are dumps of
        // up to a few MB each.
        let member = match kind {
            Kind::DockerPs | Kind::KubectlGet => (size / 400).clamp(4 * 1024, 256 * 1024),
            _ => (size / 40).clamp(16 * 1024, 8 << 20),
        };
        let data = dump_vec(kind, member, seed.wrapping_add(n));
        let ns = NAMESPACES[n as usize % NAMESPACES.len()];
        let name = match kind {
            Kind::K8sJson => format!("cluster-resources/pods/{ns}-{n}.json"),
            Kind::K8sYaml => format!("must-gather/namespaces/{ns}/core/pods-{n}.yaml"),
            k => format!("host/{}-{n}.{}", k.name(), k.extension()),
        };
        total += data.len() as u64;
        members.push((name, data));
        if rng.chance(50) {
            let log: String = (0..200)
                .map(|l| format!("2025-03-04T09:{:02}:{:02}.000Z INFO request served path=/api/{l} status=200\n", l % 60, (l * 7) % 60))
                .collect();
            total += log.len() as u64;
            members.push((
                format!("cluster-resources/pods/logs/{ns}/app-{n}/app.log"),
                log.into_bytes(),
            ));
        }
        n += 1;
    }
    members.push((
        "metrics/node.prom".to_string(),
        b"# HELP node_load1 1m load average.\nnode_load1 0.42\n".to_vec(),
    ));
    members
}

pub fn tar(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_741_078_800);
        h.set_cksum();
        // Appending into a Vec cannot fail.
        let _ = b.append_data(&mut h, name, &data[..]);
    }
    b.into_inner().unwrap_or_default()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(3));
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

pub fn zip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(3))
        .large_file(false);
    for (name, data) in members {
        if w.start_file(name.as_str(), opts).is_ok() {
            let _ = w.write_all(data);
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// A bundle archive of about `size` uncompressed bytes.
pub fn bundle(kind: Bundle, size: u64, seed: u64) -> Vec<u8> {
    match kind {
        Bundle::Tgz => gzip(&tar(&bundle_members(size, seed))),
        Bundle::Zip => zip(&bundle_members(size, seed)),
        Bundle::Nested => {
            let inner = vec![
                (
                    "bundles/node-a.tar.gz".to_string(),
                    bundle(Bundle::Tgz, size / 2, seed + 1),
                ),
                (
                    "bundles/node-b.zip".to_string(),
                    bundle(Bundle::Zip, size / 2, seed + 2),
                ),
            ];
            gzip(&tar(&inner))
        }
    }
}
