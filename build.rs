//! Facts about the build for `exitparse --version`: the commit (from
//! `git rev-parse` when building from a checkout, else `EXITPARSE_COMMIT`
//! as a packager may set it, else "unknown": a release tarball has no
//! `.git`), the enabled cargo features and the fast paths compiled in, the
//! target and the profile. Never fails the build.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=EXITPARSE_COMMIT");
    let commit = std::env::var("EXITPARSE_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown (not built from a git checkout)".to_string());
    println!("cargo:rustc-env=EXITPARSE_COMMIT={commit}");

    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("CARGO_FEATURE_").map(str::to_string))
        .map(|f| f.to_lowercase().replace('_', "-"))
        .collect();
    features.sort();
    // What src/simd.rs compiles in: SSE2 compares on x86-64, else a loop.
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    features.push(if arch == "x86_64" {
        "sse2-scan".to_string()
    } else {
        "portable-scan".to_string()
    });
    println!("cargo:rustc-env=EXITPARSE_FEATURES={}", features.join(", "));
    println!(
        "cargo:rustc-env=EXITPARSE_TARGET={}",
        std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string())
    );
    // The man pages' date: the commit's, so a build is reproducible.
    let date = git_date().unwrap_or_default();
    println!("cargo:rustc-env=EXITPARSE_DATE={date}");
    println!(
        "cargo:rustc-env=EXITPARSE_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_else(|_| "unknown".to_string())
    );
}

/// `abc1234 (2026-12-04)`, with `-dirty` never claimed: that would need a
/// rebuild on every edit. Rebuilt when HEAD moves.
fn git_commit() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Rebuild when the checked-out commit changes (worktrees have their own
    // HEAD; the branch ref may be loose or packed).
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            watch(PathBuf::from(p));
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(&["rev-parse", "--git-path", &branch])
    {
        watch(PathBuf::from(p));
    }
    Some(match git_date() {
        Some(date) => format!("{hash} ({date})"),
        None => hash,
    })
}

/// The date of the commit built, `YYYY-MM-DD`.
fn git_date() -> Option<String> {
    let out = Command::new("git")
        .args(["log", "-1", "--format=%cs", "HEAD"])
        .output()
        .ok()?;
    let date = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !date.is_empty()).then_some(date)
}

/// Rebuild when `path` changes; a path that does not exist is not watched
/// (cargo would rerun the script on every build).
fn watch(path: PathBuf) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
