//! YAML throughput on one core (issue 12): a ≥ 64 MB must-gather-style
//! stream of kubectl/oc `-o yaml` Pods and Lists (generated at bench start
//! by `examples/synth/kubeyaml.rs` into `target/bench-input/`, never
//! committed):
//! - `yaml/fast-path-1-core`: the YAML reader as the engine calls it;
//! - `yaml/full-parser-1-core`: serde-saphyr alone on the first 8 MB (the
//!   reader before the fast path; at ~20 MB/s a whole 64 MB run per sample
//!   would take minutes);
//! - `yaml/end-to-end-jobs1`: `exitparse --jobs 1` on the file, to a sink.

#[path = "../examples/synth/kubeyaml.rs"]
mod kubeyaml;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use exitparse::cli::RunArgs;
use exitparse::engine;
use exitparse::format::{Chunk, yaml};

const MB: usize = 1 << 20;

fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-input");
    std::fs::create_dir_all(&dir).expect("create target/bench-input");
    let path = dir.join("must-gather-yaml-64M.yaml");
    if !path.exists() {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, kubeyaml::stream(64 * MB, 42, false)).expect("write bench input");
        std::fs::rename(&tmp, &path).expect("rename bench input");
    }
    path
}

fn bench(c: &mut Criterion) {
    let path = corpus();
    let bytes = std::fs::read(&path).expect("bench input");
    // The first 8 MB, cut at a document separator.
    let cut = bytes[..8 * MB]
        .windows(5)
        .rposition(|w| w == b"\n---\n")
        .map_or(bytes.len().min(8 * MB), |i| i + 1);
    let head = &bytes[..cut];

    let mut g = c.benchmark_group("yaml");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("fast-path-1-core", |b| {
        b.iter(|| black_box(yaml::parse(Chunk::whole(&bytes)).observations.len()))
    });
    let args = RunArgs {
        paths: vec![path.clone()],
        jobs: Some(1),
        no_progress: true,
        ..RunArgs::default()
    };
    g.bench_function("end-to-end-jobs1", |b| {
        b.iter(|| engine::run(&args, &mut std::io::sink()).expect("run"))
    });
    g.throughput(Throughput::Bytes(head.len() as u64));
    g.bench_function("full-parser-1-core", |b| {
        b.iter(|| black_box(yaml::parse_full(Chunk::whole(head)).observations.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
