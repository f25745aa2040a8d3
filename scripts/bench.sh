#!/usr/bin/env bash
# The one-run benchmark: every row of issue 12's table (and the batch
# engine's figures of issue 4) in one run, each with its measured value,
# its target and PASS or SHORT. Inputs are generated with examples/synth
# (and ../shared/bench/make_corpus.py for real-derived text) into
# target/bench-input/ (never committed). Output goes to /dev/null throughout.
#
# Rows:
#   - describe, real-derived corpus with and without tables, and the ratio;
#   - describe, synthesized: per core (-j1) and with all cores, and grep/rg;
#   - Pod/PodList JSON and kubectl/oc-style YAML per core;
#   - docker inspect against jq 1.6 with all cores;
#   - a directory of N .tar.gz bundles, -j1 against -jN, and `gzip -dc`;
#   - output byte-identical for every --jobs (cmp -j1 against -jN);
#   - peak RSS of a long describe stream on stdin;
#   - redaction cost and output formats (issues 15 and 6).
# "Per core" is input MB per CPU second (user+sys) of the --jobs 1 run: on
# a shared machine it is steadier than wall time, which is printed beside.
#
# Sizes (MB) via DESCRIBE_MB, REAL_MB, POD_MB, YAML_MB, JSON_MB, BUNDLE_MB
# (each of BUNDLES archives), STREAM_MB, FORMATS_MB; YAML_KIND picks the
# synth kind of the YAML row; RUNS repeats each timing and keeps the fastest.
# The defaults run in a few minutes on two cores.
#
#   scripts/bench.sh
#   DESCRIBE_MB=1024 REAL_MB=256 STREAM_MB=5120 RUNS=3 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DESCRIBE_MB=${DESCRIBE_MB:-256}
REAL_MB=${REAL_MB:-128}
POD_MB=${POD_MB:-128}
YAML_MB=${YAML_MB:-32}
YAML_KIND=${YAML_KIND:-must-gather-yaml}
JSON_MB=${JSON_MB:-128}
BUNDLE_MB=${BUNDLE_MB:-64}
BUNDLES=${BUNDLES:-4}
STREAM_MB=${STREAM_MB:-1024}
FORMATS_MB=${FORMATS_MB:-$DESCRIBE_MB}
RUNS=${RUNS:-2}
DIR=target/bench-input
# EXITPARSE: another build to measure (a before/after comparison).
EXITPARSE=${EXITPARSE:-target/release/exitparse}
SYNTH=target/release/examples/synth
CORES=$(nproc)
SHARED=${SHARED:-/work/shared}
[ -d "$SHARED/bench" ] || SHARED=../shared

# Tools: GNU time for peak RSS; jq for the JSON comparison; ripgrep is
# optional. Installed when missing and we may (root with apt-get).
install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; } || true
    fi
}
[ -x /usr/bin/time ] || install time
command -v jq >/dev/null || install jq
command -v rg >/dev/null || install ripgrep
[ -x /usr/bin/time ] || { echo "bench.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

cargo build --release --quiet --bin exitparse --example synth
mkdir -p "$DIR"

gen() { # KIND MB FILE [SEED]
    [ -s "$3" ] || "$SYNTH" "$1" "$2M" --seed "${4:-42}" -o "$3"
}
DESCRIBE=$DIR/describe-${DESCRIBE_MB}M.txt
JSON=$DIR/docker-${JSON_MB}M.json
POD=$DIR/k8s-json-${POD_MB}M.json
gen describe-mixed "$DESCRIBE_MB" "$DESCRIBE"
gen docker "$JSON_MB" "$JSON"
gen k8s-json "$POD_MB" "$POD"
FORMATS_IN=$DIR/describe-${FORMATS_MB}M.txt
gen describe-mixed "$FORMATS_MB" "$FORMATS_IN"
# The YAML row: must-gather-style YAML (the issue's row) by default;
# YAML_KIND=k8s-yaml for the plain kind.
YAML=$DIR/$YAML_KIND-${YAML_MB}M.yaml
gen "$YAML_KIND" "$YAML_MB" "$YAML"
# N different bundles in one directory (one seed each).
BUNDLE_DIR=$DIR/bundles-${BUNDLES}x${BUNDLE_MB}M
if [ ! -d "$BUNDLE_DIR" ]; then
    mkdir -p "$BUNDLE_DIR.tmp"
    for i in $(seq "$BUNDLES"); do
        gen bundle-tgz "$BUNDLE_MB" "$BUNDLE_DIR.tmp/bundle-$i.tar.gz" "$i"
    done
    mv "$BUNDLE_DIR.tmp" "$BUNDLE_DIR"
fi

# best CMD...: runs CMD (stdout to /dev/null) RUNS times; prints the
# fastest wall time, its user+sys CPU seconds and peak RSS (KB).
TIMES=$(mktemp)
OUT1=$(mktemp)
OUTN=$(mktemp)
trap 'rm -f "$TIMES" "$OUT1" "$OUTN"' EXIT
best() {
    local best_e= best_c= best_m=
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(date +%s.%N)
        /usr/bin/time -o "$TIMES" -f '%U %S %M' "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        e=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
        read -r u s m < <(tail -1 "$TIMES")
        if [ -z "$best_e" ] || awk "BEGIN{exit !($e < $best_e)}"; then
            best_e=$e; best_c=$(awk "BEGIN{print $u + $s}"); best_m=$m
        fi
    done
    echo "$best_e $best_c $best_m"
}
mbps() { awk "BEGIN{s=$2; if (s < 0.001) s = 0.001; printf \"%.0f\", $1 / 1048576 / s}"; }
size() { stat -c %s "$1"; }
ratio() { awk "BEGIN{b=$2; if (b < 0.001) b = 0.001; printf \"%.2f\", $1 / b}"; }
# verdict VALUE TARGET [max]: PASS when VALUE >= TARGET (<= with max).
verdict() {
    if [ "${3:-min}" = max ]; then
        awk "BEGIN{exit !($1 <= $2)}" && echo PASS || echo SHORT
    else
        awk "BEGIN{exit !($1 >= $2)}" && echo PASS || echo SHORT
    fi
}
# per_core LABEL FILE TARGET_MBPS: one --jobs 1 run; MB per CPU second.
per_core() {
    local n e c v
    n=$(size "$2")
    read -r e c _ < <(best "$EXITPARSE" -j1 "$2")
    v=$(mbps "$n" "$c")
    printf '  %-28s %6s MB/s per core  (target >= %s)  %s   [%d MB, -j1 %s s wall = %s MB/s, CPU %s s]\n' \
        "$1" "$v" "$3" "$(verdict "$v" "$3")" $((n >> 20)) "$e" "$(mbps "$n" "$e")" "$c"
    LAST=$v
}
# same_output LABEL PATH: -j1 and -jN give the same bytes.
same_output() {
    "$EXITPARSE" -j1 --no-progress "$2" >"$OUT1" 2>/dev/null || true
    "$EXITPARSE" -j"$CORES" --no-progress "$2" >"$OUTN" 2>/dev/null || true
    if cmp -s "$OUT1" "$OUTN"; then
        printf '  %-28s identical  (%d records)  PASS\n' "$1" "$(wc -l <"$OUT1")"
    else
        printf '  %-28s DIFFER  SHORT\n' "$1"
    fi
}

echo "exitparse benchmark: $CORES cores, load average $(cut -d' ' -f1-3 /proc/loadavg), best of $RUNS"
echo "(MB = 2^20 bytes; per core = MB per CPU second of a --jobs 1 run; CPU = user+sys seconds)"
echo

# Real-derived describe: make_corpus.py repeats the real describe pastes (it
# takes no table); a terminal-log twin gets a real `kubectl get pods -o wide`
# and `docker ps -a` paste (cases 046 and 050) after every 20th pod. Tables
# must not cost more than half the speed.
REAL=
if [ -f "$SHARED/bench/make_corpus.py" ]; then
    REAL=$DIR/real-describe-${REAL_MB}M.txt
    TABLES=$DIR/real-describe-${REAL_MB}M-with-tables.txt
    [ -s "$REAL" ] || python3 "$SHARED/bench/make_corpus.py" "$REAL" "$REAL_MB" >/dev/null
    [ -s "$TABLES" ] || python3 - "$REAL" "$TABLES" "$SHARED/realworld/cases" <<'PY'
import os, sys
src, out, cases = sys.argv[1:4]
pick = lambda p: open(os.path.join(cases, next(n for n in sorted(os.listdir(cases)) if n.startswith(p))), 'rb').read().rstrip(b'\n')
table = pick('046-') + b'\n' + pick('050-')
blocks = open(src, 'rb').read().split(b'\n\n\n')
with open(out, 'wb') as f:
    f.write(b'\n\n\n'.join(b + (b'\n\n\n' + table if i % 20 == 0 else b'') for i, b in enumerate(blocks)))
PY
    echo "describe, real-derived corpus:"
    per_core "with tables" "$TABLES" 1024
    with=$LAST
    per_core "tables removed" "$REAL" 1024
    without=$LAST
    r=$(ratio "$with" "$without")
    printf '  %-28s %6s          (target >= 0.50)  %s\n' "with / without" "$r" "$(verdict "$r" 0.50)"
else
    echo "describe, real-derived corpus: SKIPPED ($SHARED/bench/make_corpus.py not found)"
fi
echo

D=$(size "$DESCRIBE")
echo "describe, synthesized (TAB-era and current layouts mixed):"
per_core "per core (-j1)" "$DESCRIBE" 1024
read -r e1 _ _ < <(best "$EXITPARSE" -j1 "$DESCRIBE")
read -r eN cN _ < <(best "$EXITPARSE" -j"$CORES" "$DESCRIBE")
mN=$(mbps "$D" "$eN")
s=$(ratio "$e1" "$eN")
printf '  %-28s %6s MB/s wall  (CPU %s s; speed-up %sx over -j1, target >= 1.8x)  %s\n' "-j$CORES" "$mN" "$cN" "$s" "$(verdict "$s" 1.8)"
# GNU grep stops at the first match when its output is /dev/null: pipe it.
read -r eg _ _ < <(best sh -c 'grep -c "Exit Code" "$1" | cat' grep "$DESCRIBE")
printf '  %-28s %6s MB/s wall  (exitparse -j%s / grep = %s)\n' "grep -c" "$(mbps "$D" "$eg")" "$CORES" "$(ratio "$eg" "$eN")"
if command -v rg >/dev/null; then
    read -r er _ _ < <(best sh -c 'rg -c "Exit Code" "$1" | cat' rg "$DESCRIBE")
    printf '  %-28s %6s MB/s wall  (exitparse -j%s / rg = %s)\n' "rg -c" "$(mbps "$D" "$er")" "$CORES" "$(ratio "$er" "$eN")"
fi
echo

echo "structured inputs:"
per_core "Pod/PodList JSON" "$POD" 600
per_core "YAML ($YAML_KIND)" "$YAML" 150
J=$(size "$JSON")
read -r ej _ _ < <(best "$EXITPARSE" -j"$CORES" "$JSON")
read -r eq _ _ < <(best jq -c '.[] | {name: .Name, status: .State.Status, exit: .State.ExitCode, oom: .State.OOMKilled, finished: .State.FinishedAt}' "$JSON")
x=$(ratio "$eq" "$ej")
printf '  %-28s %6sx jq      (target >= 25x)  %s   [%d MB; exitparse -j%s %s s = %s MB/s; %s %s s = %s MB/s]\n' \
    "docker inspect vs jq" "$x" "$(verdict "$x" 25)" $((J >> 20)) "$CORES" "$ej" "$(mbps "$J" "$ej")" "$(jq --version)" "$eq" "$(mbps "$J" "$eq")"
echo

BD=$(du -sb "$BUNDLE_DIR" | cut -f1)
BU=$(cat "$BUNDLE_DIR"/*.tar.gz | gzip -dc | wc -c)
read -r eb1 _ _ < <(best "$EXITPARSE" -j1 --no-progress "$BUNDLE_DIR")
read -r ebN cbN mbN < <(best "$EXITPARSE" -j"$CORES" --no-progress "$BUNDLE_DIR")
read -r ez _ _ < <(best sh -c 'cat "$1"/*.tar.gz | gzip -dc' gz "$BUNDLE_DIR")
s=$(ratio "$eb1" "$ebN")
g=$(ratio "$ebN" "$ez")
echo "a directory of $BUNDLES .tar.gz bundles ($((BD >> 20)) MB, $((BU >> 20)) MB unpacked):"
printf '  %-28s %s s -j1, %s s -j%s: %sx  (target >= 1.8x)  %s   [CPU %s s, peak RSS %d MB]\n' \
    "speed-up 1 -> $CORES cores" "$eb1" "$ebN" "$CORES" "$s" "$(verdict "$s" 1.8)" "$cbN" $((mbN / 1024))
printf '  %-28s %s s = %s MB/s unpacked; exitparse -j%s = %sx of it  (target <= 1.3x plus parsing)\n' \
    "gzip -dc alone" "$ez" "$(mbps "$BU" "$ez")" "$CORES" "$g"
echo

echo "output byte-identical for every --jobs (-j1 against -j$CORES):"
if [ -n "$REAL" ]; then same_output "real-derived with tables" "$TABLES"; fi
same_output "describe, synthesized" "$DESCRIBE"
same_output "Pod JSON" "$POD"
same_output "YAML" "$YAML"
same_output "docker inspect" "$JSON"
same_output "bundle directory" "$BUNDLE_DIR"
echo

"$SYNTH" describe-mixed "${STREAM_MB}M" | /usr/bin/time -o "$TIMES" -f '%e %M' "$EXITPARSE" -j"$CORES" >/dev/null 2>&1 || true
read -r es ms < <(tail -1 "$TIMES")
echo "stdin stream (${STREAM_MB} MB of describe through a pipe from synth):"
printf '  %-28s %6s MB  (target < 100 MB)  %s   [%s s, %s MB/s, synth-bound]\n' \
    "peak RSS" $((ms / 1024)) "$(verdict $((ms / 1024)) 99 max)" "$es" "$(mbps $((STREAM_MB << 20)) "$es")"
echo

# Redaction is on by default; --no-redact skips it. Same input, --jobs 1,
# CPU seconds of the fastest run each way.
redaction_cost() { # LABEL FILE
    local con coff
    read -r _ con _ < <(best "$EXITPARSE" -j1 "$2")
    read -r _ coff _ < <(best "$EXITPARSE" -j1 --no-redact "$2")
    echo "  $1: CPU $con s redacting, $coff s with --no-redact: $(awk "BEGIN{printf \"%+.1f\", ($con / $coff - 1) * 100}")% (target < 5%)"
}
echo "redaction cost (--jobs 1):"
redaction_cost "describe ($((D >> 20)) MB)" "$DESCRIBE"
redaction_cost "docker inspect ($((J >> 20)) MB)" "$JSON"
if [ -n "$REAL" ]; then
    redaction_cost "real-derived describe ($(( $(size "$REAL") >> 20 )) MB)" "$REAL"
fi
F=$(size "$FORMATS_IN")
echo "output formats, one describe input ($((F >> 20)) MB), -j$CORES, written with -o:"
for fmt in jsonl parquet csv; do
    out=$DIR/formats-out.$fmt
    read -r ef cf mf < <(best "$EXITPARSE" -j"$CORES" -f "$fmt" -o "$out" "$FORMATS_IN")
    echo "  $fmt:$(printf '%*s' $((9 - ${#fmt})) '')$ef s  $(mbps "$F" "$ef") MB/s input  (CPU $cf s, peak RSS $((mf / 1024)) MB, output $(($(size "$out") >> 20)) MB)"
    rm -f "$out"
done
