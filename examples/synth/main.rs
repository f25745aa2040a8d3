//! `cargo run --release --example synth -- KIND SIZE [--seed N] [-o PATH]`
//!
//! Writes a deterministic, realistic dump (or bundle archive) of about SIZE
//! bytes (suffixes K, M, G) to PATH or stdout: the benchmarks' input.
//!
//! KIND: describe, describe-tab, describe-mixed, docker, podman, crictl,
//! k8s-json, k8s-yaml, docker-ps, kubectl-get (dumps); must-gather-yaml
//! (kubectl/oc `-o yaml` Pods and Lists in a `---` stream); bundle-tgz,
//! bundle-zip, bundle-nested (archives); tree (a directory of one file of
//! every kind plus bundles, SIZE in total, PATH required); layout-NAME (a
//! support bundle directory with known joins, PATH required: NAME one of
//! troubleshoot, must-gather, cluster-info, sosreport, eks, rancher,
//! plain; see layouts.rs).

mod dumps;
mod kubeyaml;
mod layouts;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

fn size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1u64 << 10),
        'm' | 'M' => (&s[..s.len() - 1], 1 << 20),
        'g' | 'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<f64>().ok().map(|n| (n * mult as f64) as u64)
}

fn usage() -> ExitCode {
    eprintln!("usage: synth KIND SIZE [--seed N] [-o PATH]   (see the source for KINDs)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut seed = 42u64;
    let mut out_path: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage(),
            },
            "-o" | "--out" => out_path = it.next().cloned(),
            _ => pos.push(a.clone()),
        }
    }
    let (Some(kind), Some(bytes)) = (pos.first(), pos.get(1).and_then(|s| size(s))) else {
        return usage();
    };
    let result = run(kind, bytes, seed, out_path.as_deref());
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => usage(),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(kind: &str, bytes: u64, seed: u64, out_path: Option<&str>) -> io::Result<bool> {
    if let Some(layout) = kind.strip_prefix("layout-") {
        let Some(dir) = out_path else {
            return Ok(false);
        };
        return layouts::write(layout, std::path::Path::new(dir), bytes);
    }
    if kind == "tree" {
        let Some(dir) = out_path else {
            return Ok(false);
        };
        let dir = std::path::Path::new(dir);
        std::fs::create_dir_all(dir)?;
        let each = bytes / (dumps::Kind::ALL.len() as u64 + 3);
        for (i, k) in dumps::Kind::ALL.iter().enumerate() {
            std::fs::write(
                dir.join(format!("{i:02}-{}.dump", k.name())),
                dumps::dump_vec(*k, each, seed + i as u64),
            )?;
        }
        std::fs::write(
            dir.join("bundle.tar.gz"),
            dumps::bundle(dumps::Bundle::Tgz, each, seed),
        )?;
        std::fs::write(
            dir.join("bundle.zip"),
            dumps::bundle(dumps::Bundle::Zip, each, seed),
        )?;
        std::fs::write(
            dir.join("bundles.tar.gz"),
            dumps::bundle(dumps::Bundle::Nested, each, seed),
        )?;
        return Ok(true);
    }
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = match out_path {
        Some(p) if p != "-" => {
            Box::new(BufWriter::with_capacity(1 << 20, std::fs::File::create(p)?))
        }
        _ => Box::new(BufWriter::with_capacity(1 << 20, stdout.lock())),
    };
    let bundle = match kind {
        "bundle-tgz" => Some(dumps::Bundle::Tgz),
        "bundle-zip" => Some(dumps::Bundle::Zip),
        "bundle-nested" => Some(dumps::Bundle::Nested),
        _ => None,
    };
    if let Some(b) = bundle {
        out.write_all(&dumps::bundle(b, bytes, seed))?;
    } else if kind == "must-gather-yaml" {
        out.write_all(kubeyaml::stream(bytes as usize, seed, false).as_bytes())?;
    } else {
        let Some(k) = dumps::Kind::from_name(kind) else {
            return Ok(false);
        };
        dumps::dump(k, bytes, seed, &mut out)?;
    }
    out.flush()?;
    Ok(true)
}
