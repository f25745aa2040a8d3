//! Reader-level tests: shapes, text around JSON, recovery, boundaries.

use super::*;
use crate::format::{Chunk, Severity};
use crate::model::Status;

fn run(input: &str) -> Parsed {
    parse(Chunk::whole(input.as_bytes()))
}

#[test]
fn docker_array_with_prompt_and_image() {
    let p = run(concat!(
        "$ docker inspect web img\n",
        "[\n    {\n        \"Id\": \"abc\",\n        \"State\": {\"Status\": \"exited\", \"ExitCode\": 3, \"OOMKilled\": false},\n",
        "        \"Name\": \"/web\",\n        \"Config\": {\"Image\": \"nginx\"}\n    },\n",
        "    {\n        \"Id\": \"sha256:00\",\n        \"RepoTags\": [\"x\"]\n    }\n]\n"
    ));
    assert_eq!(p.observations.len(), 1);
    let o = &p.observations[0];
    assert_eq!(o.container.as_deref(), Some("web"));
    assert_eq!(o.state.exit_code, Some(3));
    assert_eq!((o.line, o.offset), (3, 27));
    // The image is passed over without a word (`--verbose` tells it).
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.skipped.len(), 1);
    assert_eq!(p.skipped[0].line, 9);
    assert_eq!(
        p.skipped[0].what,
        "an image inspect object, not a container"
    );
    assert_eq!(p.not_a_dump(), None);
}

/// Objects of other kinds give no record, whatever keys they carry: a
/// Deployment's pod template, a Job's conditions, a custom resource with
/// `status.phase` and containers of its own, a `kind: Pod` of another API,
/// a kind-less pod template cut (`jq .spec.template`).
#[test]
fn only_pods_and_containers_make_records() {
    let p = run(concat!(
        "{\"kind\":\"List\",\"items\":[\n",
        "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"t\"}]}}},",
        "\"status\":{\"conditions\":[{\"type\":\"Available\"}]}},\n",
        "{\"kind\":\"Workflow\",\"apiVersion\":\"argoproj.io/v1alpha1\",\"spec\":{\"containers\":[{\"name\":\"w\"}]},",
        "\"status\":{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"w\",\"state\":{\"terminated\":{\"exitCode\":1}}}]}},\n",
        "{\"kind\":\"Pod\",\"apiVersion\":\"example.com/v1\",\"spec\":{\"containers\":[{\"name\":\"x\"}]}},\n",
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"real\"},",
        "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{}}}]}}\n",
        "]}\n",
        "{\"metadata\":{\"name\":\"data\"},\"spec\":{\"volumeName\":\"v\"},\"status\":{\"phase\":\"Bound\"}}\n",
        "{\"metadata\":{\"name\":\"job\"},\"status\":{\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}\n",
        "{\"name\":\"addon\",\"state\":\"Ready\"}\n",
        "{\"metadata\":{\"labels\":{\"app\":\"api\"}},\"spec\":{\"containers\":[{\"name\":\"api\"}]}}\n",
    ));
    let pods: Vec<_> = p.observations.iter().map(|o| o.pod.as_deref()).collect();
    assert_eq!(pods, vec![Some("real")]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let what: Vec<&str> = p.skipped.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(
        what,
        vec![
            "a Kubernetes Deployment, not a pod or container",
            "a Kubernetes Workflow, not a pod or container",
            "a Kubernetes Pod, not a pod or container",
            NOT_A_DUMP,
            NOT_A_DUMP,
            NOT_A_DUMP,
            NOT_A_DUMP,
        ]
    );
}

#[test]
fn what_is_not_a_dump_says_so_and_an_empty_pod_list_is_a_dump() {
    let p = run(
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n \"status\": {\"type\": \"object\"}}\n",
    );
    assert_eq!(p.not_a_dump(), Some(NOT_A_DUMP));
    let p = run("{\"kind\":\"DeploymentList\",\"items\":[{\"spec\":{\"template\":{}}}]}\n");
    assert_eq!(
        p.not_a_dump(),
        Some("a Kubernetes DeploymentList, not a pod or container")
    );
    let p = run("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}\n");
    assert!(p.found_dump);
    assert_eq!(p.not_a_dump(), None);
    // A bundle's `*-errors.json`: strings, no dump.
    let p = run(
        "[\n  \"failed to list: the server could not find the requested resource\",\n  \"x\"\n]\n",
    );
    assert_eq!(p.not_a_dump(), Some(NOT_A_DUMP));
    assert_eq!(p.skipped.len(), 2);
    // Events are read for the pods beside them, and are no dump alone.
    let p = run("{\"kind\":\"EventList\",\"items\":[{\"reason\":\"BackOff\"}]}\n");
    assert!(p.not_a_dump().is_some());
}

#[test]
fn broken_object_then_good_one() {
    let p = run(
        "[\n  {\n    \"Id\": \"a\",\n    \"State\": {\"Status\": \"exited\" \"ExitCode\": 1}\n  },\n  {\n    \"Id\": \"b\", \"Name\": \"/b\", \"State\": {\"Status\": \"running\"}\n  }\n]\n",
    );
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].container.as_deref(), Some("b"));
    assert_eq!(p.diagnostics[0].severity, Severity::Error);
    assert_eq!(p.diagnostics[0].line, 4);
}

#[test]
fn bare_state_fragment() {
    let p = run("\"State\": {\n    \"Status\": \"exited\",\n    \"ExitCode\": 139\n}\n");
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].container, None);
    assert_eq!(p.observations[0].state.exit_code, Some(139));
}

#[test]
fn mid_array_piece_reads_the_same() {
    let whole = "[\n{\"Id\":\"a\",\"Name\":\"/a\",\"State\":{\"Status\":\"running\"}},\n{\"Id\":\"b\",\"Name\":\"/b\",\"State\":{\"Status\":\"running\"}}\n]\n";
    let cuts = boundaries(whole.as_bytes(), 1);
    assert_eq!(cuts.len(), 1);
    let piece = &whole.as_bytes()[cuts[0]..];
    let p = parse(Chunk {
        bytes: piece,
        first_line: 3,
        first_offset: cuts[0] as u64,
    });
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].line, 3);
    assert!(p.diagnostics.is_empty());
}

#[test]
fn log_blocks_are_skipped() {
    let p = run(
        "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"p\"},\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{}}}]}}]}\n==== START logs for container c of pod ns/p ====\n{\"level\":\"info\"}\n==== END logs for container c of pod ns/p ====\n",
    );
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].state.status, Status::Running);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn indented_array_cuts_only_at_top_level_elements() {
    let el = |n: u32| {
        format!(
            "    {{\n        \"Id\": \"{n}\",\n        \"Mounts\": [\n            {{\n                \"A\": 1\n            }},\n            {{\n                \"B\": 2\n            }}\n        ],\n        \"State\": {{\"Status\": \"running\"}}\n    }}"
        )
    };
    let whole = format!("[\n{},\n{},\n{}\n]\n", el(1), el(2), el(3));
    let cuts = boundaries(whole.as_bytes(), 1);
    assert_eq!(cuts.len(), 2);
    for c in &cuts {
        assert!(whole[*c..].starts_with("    {\n        \"Id\""));
    }
    // A line that does not fit the layout stops the cutting.
    let odd = format!("[\n{},\n  \"x\": 1,\n{}\n]\n", el(1), el(2));
    assert!(boundaries(odd.as_bytes(), 1).is_empty());
}
