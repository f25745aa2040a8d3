#!/usr/bin/env bash
# Bundles end to end (issue 9): one synthesized support bundle directory of
# each layout (examples/synth layout-NAME, with the known joins of
# examples/synth/layouts.rs padded by healthy pods, logs and journals), run
# with joins on and with --no-joins; prints wall seconds, MB/s and peak RSS.
# Inputs go to target/bench-input/ (never committed) and are removed after
# their run unless KEEP=1.
#
#   scripts/bench-bundles.sh                  # 1 GB each
#   BUNDLE_MB=256 LAYOUTS="troubleshoot eks" scripts/bench-bundles.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BUNDLE_MB=${BUNDLE_MB:-1024}
LAYOUTS=${LAYOUTS:-"troubleshoot must-gather cluster-info sosreport eks rancher plain"}
DIR=target/bench-input
EXITPARSE=target/release/exitparse
SYNTH=target/release/examples/synth
[ -x /usr/bin/time ] || { echo "bench-bundles.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

cargo build --release --quiet --bin exitparse --example synth
mkdir -p "$DIR"

run() { # LABEL PATH ARGS...
    local label=$1 path=$2
    shift 2
    local out
    out=$( { /usr/bin/time -f '%e %M' "$EXITPARSE" --no-progress "$@" "$path" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    local secs=${out% *} kb=${out#* }
    local bytes
    bytes=$(du -sb "$path" | cut -f1)
    awk -v l="$label" -v s="$secs" -v k="$kb" -v b="$bytes" \
        'BEGIN { printf "  %-10s %7.2f s  %7.0f MB/s  peak RSS %6.0f MB\n", l, s, (b / 1048576) / (s > 0 ? s : 0.01), k / 1024 }'
}

for layout in $LAYOUTS; do
    path=$DIR/layout-$layout-${BUNDLE_MB}M
    [ -d "$path" ] || "$SYNTH" "layout-$layout" "${BUNDLE_MB}M" -o "$path"
    echo "$layout ($(du -sh "$path" | cut -f1), $(find "$path" -type f | wc -l) files):"
    run "joins" "$path"
    run "no-joins" "$path" --no-joins
    [ "${KEEP:-0}" = 1 ] || rm -rf "$path"
done
