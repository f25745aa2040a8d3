//! Throughput of the batch engine on synthesized inputs (generated at bench
//! start into `target/bench-input/`, never committed):
//! - `describe/*`: a ≥ 100 MB `kubectl describe pods` dump end to end
//!   (read, split, parse, classify, render to a sink), `--jobs 1` and all
//!   cores, and the describe parser alone on one core;
//! - `json/*`: a docker inspect array, same;
//! - `json_one_line/*`: a 64 MB docker inspect array on one line (`jq -c`),
//!   which once took quadratic time (issue 14): same MB/s as the indented
//!   array, or it has regressed;
//! - `pod_json/*`: a `kubectl get pods -o json` List (64 MB), the JSON
//!   parser alone on one core with its Pod/List fast path and without it
//!   (`json::parse_reference`, the serde path the fast one must equal);
//! - `read/*`: memory map versus plain read of the same file.
//!
//! `scripts/bench.sh` is the one-run comparison against grep/ripgrep/jq.

#[path = "../examples/synth/dumps.rs"]
mod dumps;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use exitparse::cli::RunArgs;
use exitparse::format::{self, Chunk, Parser};
use exitparse::{engine, input};

const MB: u64 = 1 << 20;

/// The input for `kind`, generated once (same seed, same bytes).
fn input(kind: dumps::Kind, size: u64) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-input");
    std::fs::create_dir_all(&dir).expect("create target/bench-input");
    let path = dir.join(format!("{}-{}M.dump", kind.name(), size / MB));
    if !path.exists() {
        let tmp = path.with_extension("tmp");
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(&tmp).expect("create bench input"));
        dumps::dump(kind, size, 42, &mut f).expect("write bench input");
        drop(f);
        std::fs::rename(&tmp, &path).expect("rename bench input");
    }
    path
}

fn args(path: &Path, jobs: usize) -> RunArgs {
    RunArgs {
        paths: vec![path.to_path_buf()],
        jobs: Some(jobs),
        no_progress: true,
        ..RunArgs::default()
    }
}

fn end_to_end(c: &mut Criterion, group: &str, path: &Path) {
    let len = std::fs::metadata(path).expect("bench input").len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(len));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    for jobs in [1, cores] {
        let a = args(path, jobs);
        g.bench_function(format!("jobs{jobs}"), |b| {
            b.iter(|| engine::run(&a, &mut std::io::sink()).expect("run"))
        });
        if cores == 1 {
            break;
        }
    }
    g.finish();
}

fn parser_alone(c: &mut Criterion, group: &str, path: &Path, parser: Parser) {
    let bytes = std::fs::read(path).expect("bench input");
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("parse-only-1-core", |b| {
        b.iter(|| {
            black_box(
                format::parse(parser, Chunk::whole(&bytes))
                    .observations
                    .len(),
            )
        })
    });
    g.finish();
}

fn describe(c: &mut Criterion) {
    let path = input(dumps::Kind::Describe, 128 * MB);
    end_to_end(c, "describe", &path);
    parser_alone(c, "describe", &path, Parser::Describe);
}

fn json(c: &mut Criterion) {
    let path = input(dumps::Kind::Docker, 128 * MB);
    end_to_end(c, "json", &path);
    parser_alone(c, "json", &path, Parser::Json);
}

/// `json::parse` or `json::parse_reference`.
type JsonReader = fn(Chunk<'_>) -> format::Parsed;

fn pod_json(c: &mut Criterion) {
    let path = input(dumps::Kind::K8sJson, 64 * MB);
    let bytes = std::fs::read(path).expect("bench input");
    let mut g = c.benchmark_group("pod_json");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    let readers: [(&str, JsonReader); 2] = [
        ("fast-path-1-core", format::json::parse),
        ("serde-path-1-core", format::json::parse_reference),
    ];
    for (name, read) in readers {
        g.bench_function(name, |b| {
            b.iter(|| black_box(read(Chunk::whole(&bytes)).observations.len()))
        });
    }
    g.finish();
}

fn json_one_line(c: &mut Criterion) {
    let pretty = input(dumps::Kind::Docker, 64 * MB);
    let path = pretty.with_file_name("docker-64M-one-line.json");
    if !path.exists() {
        let text = std::fs::read(&pretty).expect("bench input");
        let value: serde_json::Value = serde_json::from_slice(&text).expect("synth JSON");
        std::fs::write(&path, serde_json::to_vec(&value).expect("compact")).expect("write");
    }
    end_to_end(c, "json_one_line", &path);
    parser_alone(c, "json_one_line", &path, Parser::Json);
}

fn read(c: &mut Criterion) {
    let path = input(dumps::Kind::Describe, 128 * MB);
    let len = std::fs::metadata(&path).expect("bench input").len();
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Bytes(len));
    g.sample_size(20);
    // Both touch every byte, as a parser does.
    g.bench_function("mmap", |b| {
        b.iter(|| {
            let bytes = input::read_file(&path).expect("map");
            black_box(engine::split::count_lines(&bytes))
        })
    });
    g.bench_function("read", |b| {
        b.iter(|| {
            let file = std::fs::File::open(&path).expect("open");
            let bytes = input::read_plain(file, len).expect("read");
            black_box(engine::split::count_lines(&bytes))
        })
    });
    g.finish();
}

criterion_group!(benches, describe, json, pod_json, json_one_line, read);
criterion_main!(benches);
