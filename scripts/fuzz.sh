#!/usr/bin/env bash
# Fuzzing (issue 14): one cargo-fuzz target per parser and per archive
# reader, in fuzz/ (its own workspace, never built by `cargo test`).
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   SECONDS_EACH=600 scripts/fuzz.sh parse_json archive_zip
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain for
# the sanitizer flags; without nightly it runs on stable with
# RUSTC_BOOTSTRAP=1. Corpora are seeded from fixtures/ on every run (the
# dumps as they are for the parsers; the same dumps packed as tar, gzip, xz,
# zstd and zip for the archive readers) and kept in fuzz/corpus/ (ignored
# by git). Crashes land in fuzz/artifacts/TARGET/; the last line per target
# prints libFuzzer's execution count.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${SECONDS_EACH:-60}
ALL="parse_describe parse_json parse_yaml parse_docker_ps parse_kubectl_get detect
archive_tar archive_gzip archive_xz archive_zstd archive_zip"
TARGETS=${*:-$ALL}

command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo install cargo-fuzz" >&2; exit 1; }
if rustup toolchain list 2>/dev/null | grep -q nightly; then
    FUZZ=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    FUZZ=(cargo fuzz)
fi

seed() {
    local corpus=fuzz/corpus
    mkdir -p "$corpus"/{parse_describe,parse_json,parse_yaml,parse_docker_ps,parse_kubectl_get,detect}
    cp fixtures/kubectl-describe/*.txt "$corpus/parse_describe/" 2>/dev/null || true
    cp fixtures/{docker,podman,crictl}-inspect/*.json fixtures/k8s-json/*.json "$corpus/parse_json/" 2>/dev/null || true
    cp fixtures/k8s-yaml/*.yaml fixtures/crictl-inspect/*.yaml "$corpus/parse_yaml/" 2>/dev/null || true
    cp fixtures/docker-ps/*.txt "$corpus/parse_docker_ps/" 2>/dev/null || true
    cp fixtures/kubectl-get-pods/*.txt "$corpus/parse_kubectl_get/" 2>/dev/null || true
    for d in fixtures/*/; do
        for f in "$d"*; do
            [ -f "$f" ] || continue # bundle fixtures are directories
            case "$f" in *.jsonl|*.stderr) ;; *) cp "$f" "$corpus/detect/" ;; esac
        done
    done
    # Archives of the fixtures: small ones, a few members each.
    python3 - "$corpus" <<'PY'
import glob, gzip, io, lzma, os, shutil, subprocess, sys, tarfile, zipfile
corpus = sys.argv[1]
dumps = sorted(f for f in glob.glob("fixtures/*/*") if os.path.isfile(f) and not f.endswith((".jsonl", ".stderr")))
groups = [dumps[i:i + 4] for i in range(0, len(dumps), 4)]
def tar_of(files):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
        for f in files:
            t.add(f, arcname="bundle/" + f)
    return b.getvalue()
def zip_of(files):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, "bundle/" + f)
    return b.getvalue()
def zstd_of(data):
    if shutil.which("zstd") is None:
        return None
    return subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout
for name in ("archive_tar", "archive_gzip", "archive_xz", "archive_zstd", "archive_zip"):
    os.makedirs(os.path.join(corpus, name), exist_ok=True)
for i, files in enumerate(groups):
    t = tar_of(files)
    seeds = {
        "archive_tar": t,
        "archive_gzip": gzip.compress(t) if i % 2 else gzip.compress(open(files[0], "rb").read()),
        "archive_xz": lzma.compress(t),
        "archive_zstd": zstd_of(t),
        "archive_zip": zip_of(files),
    }
    for name, data in seeds.items():
        if data is not None:
            with open(os.path.join(corpus, name, f"seed-{i:03}"), "wb") as out:
                out.write(data)
PY
}

seed
cd fuzz
mkdir -p target
for t in $TARGETS; do
    echo "== $t (${SECONDS_EACH}s)"
    "${FUZZ[@]}" run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -max_len=1048576 \
        -rss_limit_mb=2048 -timeout=10 2>&1 | tee "target/fuzz-$t.log" | grep -E "^#[0-9]+.*DONE|SUMMARY|panicked|ERROR" || true
done
