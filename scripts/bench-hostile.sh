#!/usr/bin/env bash
# The large hostile inputs of issue 14, timed: wall seconds, peak RSS and
# exit status of each, for this build and optionally a baseline binary.
#
#   scripts/bench-hostile.sh                       # target/release/exitparse
#   BASELINE=/path/to/old/exitparse scripts/bench-hostile.sh
#   ONLY="1 GB line" scripts/bench-hostile.sh       # the cases whose label has it
#
# Inputs go to target/bench-input/hostile/ (never committed). Each run is
# cut off after LIMIT seconds (default 120) so a quadratic or runaway
# baseline cannot hold the machine; such a run shows as "timeout".
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT=${LIMIT:-120}
DIR=target/bench-input/hostile
EXITPARSE=${EXITPARSE:-target/release/exitparse}
SYNTH=${SYNTH:-target/release/examples/synth}
[ -x /usr/bin/time ] || { echo "bench-hostile.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }
[ -x "$EXITPARSE" ] && [ -x "$SYNTH" ] || cargo build --release --quiet --bin exitparse --example synth
mkdir -p "$DIR"

# One-line docker inspect arrays (`jq -c`), 8, 32 and 64 MB.
for mb in 8 32 64; do
    f=$DIR/docker-${mb}M-one-line.json
    [ -s "$f" ] || "$SYNTH" docker "${mb}M" | python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, separators=(",", ":"))' > "$f"
done
# 10 GB of zeros as a named .gz: 160 gzip members of 64 MiB each.
Z=$DIR/zeros-10G.gz
[ -s "$Z" ] || { head -c $((64 << 20)) /dev/zero | gzip -c > "$DIR/z64.gz"; for _ in $(seq 160); do cat "$DIR/z64.gz"; done > "$Z"; rm -f "$DIR/z64.gz"; }
# A 51 MB zip (incompressible member) inside a .gz: a streamed zip.
ZG=$DIR/zip-51M.zip.gz
[ -s "$ZG" ] || { head -c $((51 << 20)) /dev/urandom > "$DIR/noise.bin"; (cd "$DIR" && rm -f n.zip && zip -q -0 n.zip noise.bin); gzip -c "$DIR/n.zip" > "$ZG"; rm -f "$DIR/noise.bin" "$DIR/n.zip"; }
# A 1 GB line between two 1 MB describe dumps (its pods must come out on
# both sides of it), and gzip nested 1,400 deep.
L=$DIR/one-line-1G-between.txt
[ -s "$L" ] || { "$SYNTH" describe 1M > "$L"; head -c $((1 << 30)) /dev/zero | tr '\0' x >> "$L"; echo >> "$L"; "$SYNTH" describe 1M >> "$L"; }
D=$DIR/deep-1400.gz
[ -s "$D" ] || python3 - "$D" <<'PY'
import gzip, sys
data = b"Name: p\nNamespace: n\nContainers:\n  app:\n    State: Terminated\n      Exit Code: 1\n"
for _ in range(1400):
    data = gzip.compress(data, 1)
open(sys.argv[1], "wb").write(data)
PY
# Directory links branching 2 ways for 20 levels (2^20 paths to one file).
T=$DIR/fanout-tree
if [ ! -d "$T" ]; then
    mkdir -p "$T/l0"; "$SYNTH" describe 4K -o "$T/l0/pods.txt"
    for k in $(seq 20); do mkdir -p "$T/l$k"; ln -s "../l$((k - 1))" "$T/l$k/a"; ln -s "../l$((k - 1))" "$T/l$k/b"; done
fi

run() { # NAME BIN ARGS... (stdin from $IN if set)
    local name=$1 bin=$2; shift 2
    local out rc
    out=$(mktemp)
    set +e
    if [ -n "${IN:-}" ]; then
        eval "$IN" | timeout "$LIMIT" /usr/bin/time -o "$out" -f '%e %M' "$bin" "$@" >/dev/null 2>"$out.err"
    else
        timeout "$LIMIT" /usr/bin/time -o "$out" -f '%e %M' "$bin" "$@" >/dev/null 2>"$out.err"
    fi
    rc=$?
    set -e
    if [ "$rc" = 124 ]; then
        printf '  %-10s timeout (> %s s)\n' "$name" "$LIMIT"
    else
        read -r e m < <(grep -E '^[0-9.]+ [0-9]+$' "$out" | tail -1)
        printf '  %-10s %8s s  %8s MB peak RSS  exit %s\n' "$name" "$e" "$((m / 1024))" "$rc"
    fi
    rm -f "$out" "$out.err"
}

both() { # LABEL ARGS...
    case "$1" in *"${ONLY:-}"*) ;; *) return 0 ;; esac
    echo "$1"; shift
    [ -n "${BASELINE:-}" ] && run baseline "$BASELINE" "$@"
    run this "$EXITPARSE" "$@"
}

for mb in 8 32 64; do
    both "one-line docker inspect array, ${mb} MB (file):" "$DIR/docker-${mb}M-one-line.json"
done
IN="cat $DIR/docker-32M-one-line.json" both "one-line docker inspect array, 32 MB (stdin):"
both "named .gz of 10 GB zeros:" "$Z"
both "51 MB zip inside a .gz:" "$ZG"
both "1 GB line between two 1 MB describe dumps (file):" "$L"
IN="head -c $((2 << 30)) /dev/zero | tr '\\0' x" both "2 GB stdin without newline, forced docker-ps:" --input-format docker-ps
both "gzip nested 1,400 deep, --max-depth 100000:" --max-depth 100000 "$D"
both "directory links, 2 per level, 20 levels:" "$T/l20"
IN="$SYNTH describe 1M" both "--jobs 1000000 on a 1 MB describe:" --jobs 1000000
