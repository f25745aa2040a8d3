//! Structured inputs (docker/podman/crictl inspect, Pod JSON/YAML): the
//! streaming reader's promises, checked through the binary and the library.
//! Fixed cases live in `fixtures/`; these cover what a fixture cannot:
//! splitting, stdin, and input no person would write.

use exitparse::format::{Chunk, json, yaml};
use proptest::prelude::*;

use crate::util::{exitparse, scratch};

/// A docker inspect element, 4-space indented inside the array, named `n`.
fn element(n: usize, exit: i64) -> String {
    format!(
        concat!(
            "    {{\n",
            "        \"Id\": \"{:064x}\",\n",
            "        \"State\": {{\n",
            "            \"Status\": \"exited\",\n",
            "            \"Running\": false,\n",
            "            \"OOMKilled\": false,\n",
            "            \"ExitCode\": {},\n",
            "            \"Error\": \"\",\n",
            "            \"StartedAt\": \"2024-01-01T00:00:00Z\",\n",
            "            \"FinishedAt\": \"2024-01-01T00:00:05.5Z\"\n",
            "        }},\n",
            "        \"Name\": \"/c{}\",\n",
            "        \"HostConfig\": {{\"Binds\": [\"/a:/b\"], \"Memory\": 0, \"Note\": \"{{[\\\"}}]\"}},\n",
            "        \"Config\": {{\n",
            "            \"Image\": \"busybox\",\n",
            "            \"Env\": [\"{}\"]\n",
            "        }}\n",
            "    }}"
        ),
        n,
        exit,
        n,
        "X".repeat(n % 200)
    )
}

/// An array of `count` elements, and the line each element starts on.
fn array(count: usize) -> (String, Vec<u64>) {
    let mut s = String::from("[\n");
    let mut lines = Vec::new();
    // Lines so far, counted as the text grows (counting the whole text for
    // each element made this generator quadratic).
    let mut newlines = 1;
    for n in 0..count {
        if n > 0 {
            s.push_str(",\n");
            newlines += 1;
        }
        lines.push(newlines + 1);
        let e = element(n, (n % 256) as i64);
        newlines += e.matches('\n').count() as u64;
        s.push_str(&e);
    }
    s.push_str("\n]\n");
    (s, lines)
}

#[test]
fn large_array_is_split_and_keeps_order_and_lines() {
    // Bigger than the engine's split threshold, so it is parsed in pieces.
    let (text, lines) = array(12_000);
    assert!(text.len() > 6 << 20);
    let dir = scratch("structured-large");
    let path = dir.join("big.json");
    std::fs::write(&path, &text).unwrap();
    let run = exitparse(&["-j", "4", path.to_str().unwrap()], None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let got: Vec<(String, u64, i64)> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["container"].as_str().unwrap().to_string(),
                v["source"]["line"].as_u64().unwrap(),
                v["state"]["exit_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 12_000);
    for (n, (name, line, exit)) in got.iter().enumerate() {
        assert_eq!(name, &format!("c{n}"));
        assert_eq!(*line, lines[n], "line of c{n}");
        assert_eq!(*exit, (n % 256) as i64);
    }
}

#[test]
fn stdin_and_file_give_the_same_records() {
    let input =
        std::fs::read("fixtures/k8s-json/kubectl-get-pod-crashloop-last-oomkilled.json").unwrap();
    let file = exitparse(
        &["fixtures/k8s-json/kubectl-get-pod-crashloop-last-oomkilled.json"],
        None,
    );
    let stdin = exitparse(&["-"], Some(&input));
    let strip = |r: &crate::util::Run| -> Vec<serde_json::Value> {
        r.records()
            .into_iter()
            .map(|mut v| {
                v["source"]["path"] = serde_json::Value::Null;
                v
            })
            .collect()
    };
    assert_eq!(strip(&file), strip(&stdin));
    assert_eq!(strip(&file).len(), 3);
}

#[test]
fn broken_json_names_the_line_and_keeps_what_came_before() {
    let input = b"[\n  {\"Id\": \"a\", \"Name\": \"/ok\", \"State\": {\"Status\": \"exited\", \"ExitCode\": 2}},\n  {\"Id\": \"b\", \"Name\": \"/bad\",\n   \"State\": {\"Status\": \"exited\" \"ExitCode\": 1}}\n]\n";
    let run = exitparse(&["-"], Some(input));
    assert_eq!(run.status, 1);
    let recs = run.records();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["container"], "ok");
    assert!(
        run.stderr.starts_with("exitparse: -:4: invalid JSON"),
        "{}",
        run.stderr
    );
}

/// An image inspect holds no container: named (or piped), it is no dump,
/// as a log file is (docs/usage.md, "What makes a record").
#[test]
fn image_inspect_alone_is_not_a_dump() {
    let input = b"[\n    {\n        \"Id\": \"sha256:0123\",\n        \"RepoTags\": [\"busybox:latest\"],\n        \"Os\": \"linux\"\n    }\n]\n";
    let run = exitparse(&["-"], Some(input));
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        "exitparse: -: no container-state dump found: an image inspect object, not a container\n"
    );
}

/// Every cut `boundaries` offers gives pieces that read like the whole.
#[test]
fn pieces_read_like_the_whole() {
    let (text, _) = array(300);
    let b = text.as_bytes();
    let whole = json::parse(Chunk::whole(b));
    let cuts = json::boundaries(b, 1000);
    assert!(cuts.len() > 10);
    let mut starts = vec![0];
    starts.extend(&cuts);
    starts.push(b.len());
    let mut pieces = Vec::new();
    for w in starts.windows(2) {
        let first_line = 1 + b[..w[0]].iter().filter(|&&c| c == b'\n').count() as u64;
        let p = json::parse(Chunk {
            bytes: &b[w[0]..w[1]],
            first_line,
            first_offset: w[0] as u64,
        });
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        pieces.extend(p.observations);
    }
    assert_eq!(pieces.len(), whole.observations.len());
    for (a, b) in pieces.iter().zip(&whole.observations) {
        assert_eq!(a, b);
    }
}

fn docker_sample() -> Vec<u8> {
    std::fs::read("fixtures/docker-inspect/dockershim-k8s-container-and-sandbox.json").unwrap()
}

fn yaml_sample() -> Vec<u8> {
    std::fs::read("fixtures/k8s-yaml/must-gather-core-pods-list.yaml").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No bytes make the readers panic (a hang would time the test out).
    #[test]
    fn any_bytes_are_survived(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = json::parse(Chunk::whole(&bytes));
        let _ = yaml::parse(Chunk::whole(&bytes));
        let _ = json::boundaries(&bytes, 16);
        let _ = yaml::boundaries(&bytes, 16);
    }

    /// JSON-ish noise: structural bytes and fragments of real keys.
    #[test]
    fn json_noise_is_survived(parts in proptest::collection::vec(
        prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
            Just("\\"), Just("\n"), Just("..."), Just("# x"), Just("\"State\": "),
            Just("\"ExitCode\": 1"), Just("\"items\": ["), Just("\"kind\": \"List\""),
            Just("==== START logs for container a of pod b/c ===="), Just("1e999"), Just("-"),
        ], 0..200)) {
        let s: String = parts.concat();
        let _ = json::parse(Chunk::whole(s.as_bytes()));
        let _ = json::boundaries(s.as_bytes(), 8);
    }

    /// A real dump cut anywhere, or with one byte changed, is survived and
    /// never yields more containers than it holds.
    #[test]
    fn damaged_real_dumps_are_survived(cut in 0usize..10_000, at in 0usize..10_000, byte in any::<u8>()) {
        let mut d = docker_sample();
        let n = d.len();
        d[at % n] = byte;
        d.truncate(cut % (n + 1));
        let p = json::parse(Chunk::whole(&d));
        prop_assert!(p.observations.len() <= 2);
        let mut y = yaml_sample();
        let n = y.len();
        y[at % n] = byte;
        y.truncate(cut % (n + 1));
        let p = yaml::parse(Chunk::whole(&y));
        // At most every status plus every spec container whose name got damaged.
        prop_assert!(p.observations.len() <= 6);
    }
}

/// Detection of the structured formats from their own markers.
#[test]
fn detection_of_json_and_yaml() {
    use exitparse::format::Parser;
    use exitparse::format::detect::{Detection, detect};
    let yaml_with_json_annotation = b"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\n  name: a\n";
    assert_eq!(
        detect(yaml_with_json_annotation),
        Detection::Dump(Parser::Yaml)
    );
    assert_eq!(
        detect(b"{\"Status\":\"exited\",\"ExitCode\":139}\n"),
        Detection::Dump(Parser::Json)
    );
    assert_eq!(
        detect(b"$ k get pod x -o json | jq .status.containerStatuses[0].state\n{\n  \"waiting\": {}\n}\n"),
        Detection::Dump(Parser::Json)
    );
    assert_eq!(
        detect(b"status:\n  containerStatuses:\n  - name: a\n"),
        Detection::Dump(Parser::Yaml)
    );
}
