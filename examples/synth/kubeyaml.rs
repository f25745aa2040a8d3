//! Pods as `kubectl get -o yaml` / `oc adm must-gather` write them: single
//! Pods and `List`s in a `---` stream, with what real objects carry
//! around the few keys a record needs — managedFields, annotations with
//! `|` block scalars, spec volumes and env, conditions whose long messages
//! go-yaml folds over lines, terminated messages as block scalars, escaped
//! double-quoted strings, comments — sequences at their key's column
//! (kubectl) or indented (yq, hand edits). `irregular` mixes in documents
//! the YAML fast path must give to the full parser (flow collections,
//! anchors, tags, tabs). Self-contained (own generator) so tests and
//! benches can include it with `#[path]`.

#![allow(dead_code)]

use std::fmt::Write;

/// xorshift64*, seeded.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }
}

/// A YAML node, scalars already written in their style.
enum Node {
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
    /// A one-line scalar as it appears after `key: `.
    Raw(String),
    /// A string go-yaml folds over lines at 80 columns, single-quoted or
    /// plain.
    Folded(String, bool),
    /// A `|` (or `|-`) block scalar.
    Block(String),
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn raw(s: impl Into<String>) -> Node {
    Node::Raw(s.into())
}

fn quoted(s: &str) -> Node {
    Node::Raw(format!("\"{s}\""))
}

/// Writes `node` as the value of a key at `indent` (or as the content of
/// an item whose content column is `indent`); `kubectl`: sequences at
/// their key's column.
fn emit(out: &mut String, node: &Node, indent: usize, kubectl: bool) {
    match node {
        Node::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Node::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Map(entries) => {
            out.push('\n');
            map_body(out, entries, indent + 2, false, kubectl);
        }
        Node::Seq(items) => {
            out.push('\n');
            let at = if kubectl { indent } else { indent + 2 };
            seq_body(out, items, at, kubectl);
        }
        Node::Raw(s) => {
            out.push(' ');
            out.push_str(s);
            out.push('\n');
        }
        Node::Folded(s, single) => {
            out.push(' ');
            let text = if *single {
                format!("'{}'", s.replace('\'', "''"))
            } else {
                s.clone()
            };
            let mut col = indent + 2;
            let mut first = true;
            for word in text.split(' ') {
                if !first && col + word.len() > 80 {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent + 2));
                    col = indent + 2;
                } else if !first {
                    out.push(' ');
                    col += 1;
                }
                out.push_str(word);
                col += word.len();
                first = false;
            }
            out.push('\n');
        }
        Node::Block(s) => {
            out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
            for line in s.trim_end_matches('\n').split('\n') {
                if !line.is_empty() {
                    out.extend(std::iter::repeat_n(' ', indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
    }
}

/// Entries of a mapping at `indent`; `first_inline`: the first key goes
/// right after a `- ` already written.
fn map_body(
    out: &mut String,
    entries: &[(String, Node)],
    indent: usize,
    first_inline: bool,
    kubectl: bool,
) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 || !first_inline {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        out.push_str(k);
        out.push(':');
        emit(out, v, indent, kubectl);
    }
}

fn seq_body(out: &mut String, items: &[Node], at: usize, kubectl: bool) {
    for item in items {
        out.extend(std::iter::repeat_n(' ', at));
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                map_body(out, entries, at + 2, true, kubectl);
            }
            other => emit(out, other, at, kubectl),
        }
    }
}

const APPS: &[&str] = &[
    "api",
    "web",
    "worker",
    "indexer",
    "billing",
    "cache",
    "etcd",
    "router",
    "3scale-backend",
];
const NAMESPACES: &[&str] = &[
    "default",
    "shop",
    "openshift-monitoring",
    "kube-system",
    "openshift-ingress",
];
const IMAGES: &[&str] = &[
    "nginx:1.25",
    "ghcr.io/acme/api:2.4.1",
    "quay.io/openshift/origin-haproxy-router:4.14",
    "registry.k8s.io/etcd:3.5.9-0",
    "docker.io/library/redis:7",
];
const GO_PANIC: &str = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6f1c2a]\n\ngoroutine 1 [running]:\nmain.(*Server).routes(0x0)\n  /src/cmd/api/server.go:88 +0x2a\n";

fn time(rng: &mut Rng) -> String {
    format!(
        "2025-0{}-{:02}T{:02}:{:02}:{:02}Z",
        1 + rng.below(9),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn uid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    )
}

fn managed_fields(rng: &mut Rng, names: &[String]) -> Node {
    let mut containers = Vec::new();
    for n in names {
        containers.push((
            format!("k:{{\"name\":\"{n}\"}}"),
            map(vec![
                (".", Node::Map(vec![])),
                ("f:image", Node::Map(vec![])),
                ("f:name", Node::Map(vec![])),
                ("f:resources", Node::Map(vec![])),
            ]),
        ));
    }
    Node::Seq(vec![map(vec![
        ("apiVersion", raw("v1")),
        ("fieldsType", raw("FieldsV1")),
        (
            "fieldsV1",
            map(vec![
                (
                    "f:metadata",
                    map(vec![(
                        "f:labels",
                        map(vec![(".", Node::Map(vec![])), ("f:app", Node::Map(vec![]))]),
                    )]),
                ),
                ("f:spec", map(vec![("f:containers", Node::Map(containers))])),
            ]),
        ),
        ("manager", raw("kube-controller-manager")),
        ("operation", raw("Update")),
        ("time", quoted(&time(rng))),
    ])])
}

fn state(rng: &mut Rng, last: bool) -> (Node, bool) {
    let t = time(rng);
    let pick = if last { rng.below(5) } else { rng.below(7) };
    match pick {
        0 | 5 => (
            map(vec![("running", map(vec![("startedAt", quoted(&t))]))]),
            true,
        ),
        1 => {
            let msg = format!(
                "back-off 5m0s restarting failed container=app pod=app-{}_shop({})",
                rng.hex(5),
                uid(rng)
            );
            (
                map(vec![(
                    "waiting",
                    map(vec![
                        ("message", Node::Folded(msg, rng.chance(50))),
                        ("reason", raw("CrashLoopBackOff")),
                    ]),
                )]),
                false,
            )
        }
        2 => (
            map(vec![(
                "waiting",
                map(vec![(
                    "reason",
                    raw(rng.pick(&["ContainerCreating", "PodInitializing"])),
                )]),
            )]),
            false,
        ),
        3 => {
            let (code, reason) = rng.pick(&[(137, "OOMKilled"), (1, "Error"), (0, "Completed")]);
            let mut fields = vec![
                ("containerID", raw(format!("cri-o://{}", rng.hex(64)))),
                ("exitCode", raw(code.to_string())),
                ("finishedAt", quoted(&t)),
            ];
            match rng.below(4) {
                0 => fields.push(("message", Node::Block(GO_PANIC.to_string()))),
                1 => fields.push((
                    "message",
                    quoted("exec failed:\\n\\tno such file \\\"x\\\" \\u00e9"),
                )),
                2 => fields.push((
                    "message",
                    Node::Folded(
                        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/bin/app\": stat /bin/app: no such file or directory: unknown".to_string(),
                        true,
                    ),
                )),
                _ => {}
            }
            fields.push(("reason", raw(reason)));
            if code == 137 && rng.chance(30) {
                fields.push(("signal", raw("9")));
            }
            fields.push(("startedAt", quoted(&time(rng))));
            (map(vec![("terminated", map(fields))]), false)
        }
        _ => (Node::Map(vec![]), false),
    }
}

fn container_status(rng: &mut Rng, name: &str, image: &str) -> Node {
    let (st, running) = state(rng, false);
    let (last, _) = state(rng, true);
    map(vec![
        ("containerID", raw(format!("cri-o://{}", rng.hex(64)))),
        ("image", raw(image)),
        (
            "imageID",
            raw(format!(
                "{}@sha256:{}",
                image.split(':').next().unwrap_or(image),
                rng.hex(64)
            )),
        ),
        ("lastState", last),
        ("name", raw(name)),
        ("ready", raw(if running { "true" } else { "false" })),
        ("restartCount", raw(rng.below(40).to_string())),
        ("started", raw(if running { "true" } else { "false" })),
        ("state", st),
    ])
}

fn spec_container(rng: &mut Rng, name: &str, image: &str) -> Node {
    map(vec![
        (
            "args",
            Node::Seq(vec![
                raw("--port=8080"),
                raw("--v=2"),
                quoted("--config=/etc/app/config.yaml"),
            ]),
        ),
        (
            "env",
            Node::Seq(vec![
                map(vec![("name", raw("GOMAXPROCS")), ("value", quoted("2"))]),
                map(vec![
                    ("name", raw("POD_NAME")),
                    (
                        "valueFrom",
                        map(vec![(
                            "fieldRef",
                            map(vec![
                                ("apiVersion", raw("v1")),
                                ("fieldPath", raw("metadata.name")),
                            ]),
                        )]),
                    ),
                ]),
            ]),
        ),
        ("image", raw(image)),
        ("imagePullPolicy", raw("IfNotPresent")),
        ("name", raw(name)),
        (
            "ports",
            Node::Seq(vec![map(vec![
                ("containerPort", raw("8080")),
                ("name", raw("http")),
                ("protocol", raw("TCP")),
            ])]),
        ),
        (
            "resources",
            if rng.chance(30) {
                Node::Map(vec![])
            } else {
                map(vec![
                    (
                        "limits",
                        map(vec![("cpu", quoted("1")), ("memory", raw("512Mi"))]),
                    ),
                    (
                        "requests",
                        map(vec![("cpu", raw("100m")), ("memory", raw("128Mi"))]),
                    ),
                ])
            },
        ),
        (
            "securityContext",
            map(vec![
                ("allowPrivilegeEscalation", raw("false")),
                (
                    "capabilities",
                    map(vec![("drop", Node::Seq(vec![raw("ALL")]))]),
                ),
                ("runAsNonRoot", raw("true")),
            ]),
        ),
        ("terminationMessagePath", raw("/dev/termination-log")),
        ("terminationMessagePolicy", raw("FallbackToLogsOnError")),
        (
            "volumeMounts",
            Node::Seq(vec![map(vec![
                (
                    "mountPath",
                    raw("/var/run/secrets/kubernetes.io/serviceaccount"),
                ),
                ("name", raw(format!("kube-api-access-{}", rng.hex(5)))),
                ("readOnly", raw("true")),
            ])]),
        ),
    ])
}

/// One Pod.
fn pod(rng: &mut Rng, i: usize) -> Node {
    let app = rng.pick(APPS);
    let ns = rng.pick(NAMESPACES);
    let name = format!("{app}-{}-{}", rng.hex(9), rng.hex(5));
    let n = 1 + rng.below(3);
    let names: Vec<String> = (0..n)
        .map(|k| {
            if k == 0 {
                app.to_string()
            } else {
                format!("sidecar-{k}")
            }
        })
        .collect();
    let images: Vec<&str> = (0..n).map(|_| rng.pick(IMAGES)).collect();
    let mut meta = Vec::new();
    let mut ann = vec![("openshift.io/scc".to_string(), raw("restricted-v2"))];
    if rng.chance(40) {
        ann.push((
            "k8s.v1.cni.cncf.io/network-status".to_string(),
            Node::Block(format!(
                "[{{\n    \"name\": \"openshift-sdn\",\n    \"interface\": \"eth0\",\n    \"ips\": [\n        \"10.128.{}.{}\"\n    ],\n    \"default\": true,\n    \"dns\": {{}}\n}}]",
                rng.below(255),
                rng.below(255)
            )),
        ));
    }
    if rng.chance(20) {
        ann.push((
            "kubectl.kubernetes.io/last-applied-configuration".to_string(),
            Node::Block(format!(
                "{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"{name}\"}}}}\n"
            )),
        ));
    }
    meta.push(("annotations", Node::Map(ann)));
    meta.push(("creationTimestamp", quoted(&time(rng))));
    meta.push(("generateName", raw(format!("{app}-{}-", rng.hex(9)))));
    meta.push((
        "labels",
        map(vec![
            ("app", raw(app)),
            (
                "pod-template-hash",
                quoted(&format!("{}", 10000 + rng.below(90000))),
            ),
            ("version", quoted("1.0")),
        ]),
    ));
    if rng.chance(20) {
        meta.push(("managedFields", managed_fields(rng, &names)));
    }
    meta.push(("name", raw(name.clone())));
    meta.push(("namespace", raw(ns)));
    meta.push((
        "ownerReferences",
        Node::Seq(vec![map(vec![
            ("apiVersion", raw("apps/v1")),
            ("blockOwnerDeletion", raw("true")),
            ("controller", raw("true")),
            ("kind", raw("ReplicaSet")),
            ("name", raw(format!("{app}-{}", rng.hex(9)))),
            ("uid", raw(uid(rng))),
        ])]),
    ));
    meta.push(("resourceVersion", quoted(&format!("{}", 100000 + i))));
    meta.push(("uid", raw(uid(rng))));

    let node = format!("worker-{}.example.internal", rng.below(20));
    let mut spec = vec![(
        "containers",
        Node::Seq(
            names
                .iter()
                .zip(&images)
                .map(|(n, im)| spec_container(rng, n, im))
                .collect(),
        ),
    )];
    spec.push(("dnsPolicy", raw("ClusterFirst")));
    spec.push(("enableServiceLinks", raw("true")));
    let init = rng.chance(25);
    if init {
        spec.push((
            "initContainers",
            Node::Seq(vec![map(vec![
                (
                    "command",
                    Node::Seq(vec![
                        raw("sh"),
                        raw("-c"),
                        quoted("until nslookup db; do sleep 2; done"),
                    ]),
                ),
                ("image", raw("busybox:1.36")),
                ("name", raw("wait-db")),
            ])]),
        ));
    }
    spec.push(("nodeName", raw(node.clone())));
    spec.push(("priority", raw("0")));
    spec.push(("restartPolicy", raw("Always")));
    spec.push(("securityContext", Node::Map(vec![])));
    spec.push(("serviceAccountName", raw("default")));
    spec.push((
        "tolerations",
        Node::Seq(vec![
            map(vec![
                ("effect", raw("NoExecute")),
                ("key", raw("node.kubernetes.io/not-ready")),
                ("operator", raw("Exists")),
                ("tolerationSeconds", raw("300")),
            ]),
            map(vec![
                ("effect", raw("NoSchedule")),
                ("key", raw("node.kubernetes.io/memory-pressure")),
                ("operator", raw("Exists")),
            ]),
        ]),
    ));
    spec.push((
        "volumes",
        Node::Seq(vec![map(vec![
            ("name", raw(format!("kube-api-access-{}", rng.hex(5)))),
            (
                "projected",
                map(vec![
                    ("defaultMode", raw("420")),
                    (
                        "sources",
                        Node::Seq(vec![
                            map(vec![(
                                "serviceAccountToken",
                                map(vec![
                                    ("expirationSeconds", raw("3607")),
                                    ("path", raw("token")),
                                ]),
                            )]),
                            map(vec![(
                                "configMap",
                                map(vec![
                                    (
                                        "items",
                                        Node::Seq(vec![map(vec![
                                            ("key", raw("ca.crt")),
                                            ("path", raw("ca.crt")),
                                        ])]),
                                    ),
                                    ("name", raw("kube-root-ca.crt")),
                                ]),
                            )]),
                        ]),
                    ),
                ]),
            ),
        ])]),
    ));

    let mut conditions = Vec::new();
    for ty in ["Initialized", "Ready", "ContainersReady", "PodScheduled"] {
        let mut c = vec![
            ("lastProbeTime", raw("null")),
            ("lastTransitionTime", quoted(&time(rng))),
        ];
        if ty == "Ready" && rng.chance(50) {
            c.push((
                "message",
                Node::Folded(
                    format!("containers with unready status: [{}]", names.join(" ")),
                    true,
                ),
            ));
            c.push(("reason", raw("ContainersNotReady")));
            c.push(("status", quoted("False")));
        } else {
            c.push(("status", quoted("True")));
        }
        c.push(("type", raw(ty)));
        conditions.push(map(c));
    }
    let mut status = vec![("conditions", Node::Seq(conditions))];
    status.push((
        "containerStatuses",
        Node::Seq(
            names
                .iter()
                .zip(&images)
                .map(|(n, im)| container_status(rng, n, im))
                .collect(),
        ),
    ));
    status.push((
        "hostIP",
        raw(format!("10.0.{}.{}", rng.below(255), rng.below(255))),
    ));
    if init {
        status.push((
            "initContainerStatuses",
            Node::Seq(vec![container_status(rng, "wait-db", "busybox:1.36")]),
        ));
    }
    let evicted = rng.chance(3);
    if evicted {
        status.push((
            "message",
            Node::Folded(
                "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91712Ki. Container app was using 1843952Ki, request is 128Mi, has larger consumption of memory.".to_string(),
                true,
            ),
        ));
    }
    status.push((
        "phase",
        raw(if evicted {
            "Failed"
        } else {
            rng.pick(&["Running", "Running", "Pending", "Succeeded"])
        }),
    ));
    status.push((
        "podIP",
        raw(format!("10.128.{}.{}", rng.below(255), rng.below(255))),
    ));
    status.push(("qosClass", raw("Burstable")));
    if evicted {
        status.push(("reason", raw("Evicted")));
    }
    status.push(("startTime", quoted(&time(rng))));

    map(vec![
        ("apiVersion", raw("v1")),
        ("kind", raw("Pod")),
        ("metadata", map(meta)),
        ("spec", map(spec)),
        ("status", map(status)),
    ])
}

/// A document the fast path leaves to the full parser.
fn irregular(rng: &mut Rng) -> String {
    let name = format!("odd-{}", rng.hex(5));
    match rng.below(5) {
        0 => format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: shop}}\nstatus:\n  containerStatuses:\n  - name: a\n    state:\n      running: {{}}\n"
        ),
        1 => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: &n {name}\nstatus:\n  containerStatuses:\n  - name: *n\n    restartCount: 1\n    state:\n      terminated:\n        exitCode: 2\n"
        ),
        2 => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!str {name}\nstatus:\n  phase: Failed\n  containerStatuses:\n  - name: a\n    state:\n      waiting:\n        reason: ErrImagePull\n"
        ),
        3 => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: {name}\nstatus:\n  phase: Running\n"
        ),
        _ => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  name: {name}-again\nstatus:\n  containerStatuses:\n  - name: a\n    ready: yes\n    state:\n      running: {{}}\n"
        ),
    }
}

/// A `---` stream of about `size` bytes: Lists of pods (must-gather's
/// `core/pods.yaml`), single Pods (`pods/NAME/NAME.yaml`), now and then a
/// Service or an EventList; with `irregular`, one document in twenty is
/// one the fast path hands on.
pub fn stream(size: usize, seed: u64, irregular_docs: bool) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 64 * 1024);
    let mut i = 0;
    while out.len() < size {
        if !out.is_empty() {
            out.push_str("---\n");
        }
        let kubectl = rng.chance(80);
        if rng.chance(10) {
            let _ = writeln!(out, "# namespaces/{}/core/pods.yaml", rng.pick(NAMESPACES));
        }
        match rng.below(20) {
            0 if irregular_docs => out.push_str(&irregular(&mut rng)),
            1 => {
                let _ = write!(
                    out,
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{}\nspec:\n  ports:\n  - port: 443\n    protocol: TCP\n    targetPort: 8443\n  selector:\n    app: api\n  type: ClusterIP\nstatus:\n  loadBalancer: {{}}\n",
                    rng.hex(4)
                );
            }
            2..=9 => {
                let n = 1 + rng.below(12);
                let items: Vec<Node> = (0..n).map(|k| pod(&mut rng, i + k)).collect();
                i += n;
                let list = map(vec![
                    ("apiVersion", raw("v1")),
                    ("items", Node::Seq(items)),
                    ("kind", raw("List")),
                    ("metadata", map(vec![("resourceVersion", quoted(""))])),
                ]);
                if let Node::Map(entries) = &list {
                    map_body(&mut out, entries, 0, false, kubectl);
                }
            }
            _ => {
                let p = pod(&mut rng, i);
                i += 1;
                if let Node::Map(entries) = &p {
                    map_body(&mut out, entries, 0, false, kubectl);
                }
            }
        }
    }
    out
}
