#!/usr/bin/env bash
# Bundles end to end.
#
# layouts (issue 9): one synthesized support bundle directory of each layout
# (examples/synth layout-NAME, with the known joins of
# examples/synth/layouts.rs padded by healthy pods, logs and journals), run
# with joins on and with --no-joins; prints wall seconds, MB/s and peak RSS.
#
# archives (issue 12): a directory of ARCHIVES .tar.gz bundles of about
# ARCHIVE_MB MB unpacked each (examples/synth bundle-tgz, one seed each),
# run with --jobs 1 and --jobs 2 (the speed-up; target >= 1.8x), against
# `gzip -dc` of the same archives plus exitparse on the unpacked bundles
# alone (target: within 1.3x of that sum; on 2 cores two gzip at a time),
# with peak RSS.
#
# Inputs go to target/bench-input/ (never committed) and are removed after
# their run unless KEEP=1.
#
#   scripts/bench-bundles.sh                  # both; 1 GB layouts, 4 x 100 MB archives
#   BUNDLE_MB=256 LAYOUTS="troubleshoot eks" scripts/bench-bundles.sh
#   SECTIONS=archives ARCHIVES=4 ARCHIVE_MB=100 scripts/bench-bundles.sh
#   BUILD=0 ...                               # no cargo build first
set -euo pipefail
cd "$(dirname "$0")/.."

SECTIONS=${SECTIONS:-"layouts archives"}
BUNDLE_MB=${BUNDLE_MB:-1024}
ARCHIVES=${ARCHIVES:-4}
ARCHIVE_MB=${ARCHIVE_MB:-100}
LAYOUTS=${LAYOUTS:-"troubleshoot must-gather cluster-info sosreport eks rancher plain"}
DIR=target/bench-input
EXITPARSE=target/release/exitparse
SYNTH=target/release/examples/synth
[ -x /usr/bin/time ] || { echo "bench-bundles.sh: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

# BUILD=0: measure the release binaries as they are.
[ "${BUILD:-1}" = 0 ] || cargo build --release --quiet --bin exitparse --example synth
mkdir -p "$DIR"

run() { # LABEL PATH ARGS...
    local label=$1 path=$2
    shift 2
    local out
    out=$(secs "$EXITPARSE" --no-progress "$@" "$path")
    local secs kb
    read -r secs kb _ <<<"$out"
    local bytes
    bytes=$(du -sb "$path" | cut -f1)
    awk -v l="$label" -v s="$secs" -v k="$kb" -v b="$bytes" \
        'BEGIN { printf "  %-10s %7.2f s  %7.0f MB/s  peak RSS %6.0f MB\n", l, s, (b / 1048576) / (s > 0 ? s : 0.01), k / 1024 }'
}

secs() { # COMMAND...: wall seconds, peak RSS (KB) and CPU seconds (user
    # + sys) of one run, "S KB CPU"; CPU is the figure to compare on a
    # machine others share (wall time there is mostly the load).
    local t
    t=$(mktemp)
    # exitparse exits 1 when an input had a problem: still a measurement.
    /usr/bin/time -o "$t" -f '%e %M %U %S' "$@" >/dev/null 2>/dev/null || true
    awk '{ $3 = $3 + $4; NF = 3; print }' "$t" > "$t.cpu" && mv "$t.cpu" "$t"
    tail -1 "$t"
    rm -f "$t"
}

layouts() {
    for layout in $LAYOUTS; do
        path=$DIR/layout-$layout-${BUNDLE_MB}M
        [ -d "$path" ] || "$SYNTH" "layout-$layout" "${BUNDLE_MB}M" -o "$path"
        echo "$layout ($(du -sh "$path" | cut -f1), $(find "$path" -type f | wc -l) files):"
        run "joins" "$path"
        run "no-joins" "$path" --no-joins
        [ "${KEEP:-0}" = 1 ] || rm -rf "$path"
    done
}

archives() {
    local dir=$DIR/archives-${ARCHIVES}x${ARCHIVE_MB}M unpacked=$DIR/archives-${ARCHIVES}x${ARCHIVE_MB}M-unpacked
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir.tmp"
        for i in $(seq 1 "$ARCHIVES"); do
            "$SYNTH" bundle-tgz "${ARCHIVE_MB}M" --seed "$i" -o "$dir.tmp/bundle-$i.tar.gz"
        done
        mv "$dir.tmp" "$dir"
    fi
    rm -rf "$unpacked"
    local dirs=()
    for i in $(seq 1 "$ARCHIVES"); do
        mkdir -p "$unpacked/bundle-$i"
        tar -xzf "$dir/bundle-$i.tar.gz" -C "$unpacked/bundle-$i"
        dirs+=("$unpacked/bundle-$i")
    done
    local packed unpacked_bytes
    packed=$(du -sb "$dir" | cut -f1)
    unpacked_bytes=$(du -sb "$unpacked" | cut -f1)
    echo "directory of $ARCHIVES .tar.gz bundles ($((packed >> 20)) MB packed, $((unpacked_bytes >> 20)) MB unpacked):"
    local j1 j2 p1 p2 g1 g2
    j1=$(secs "$EXITPARSE" --no-progress --jobs 1 "$dir")
    j2=$(secs "$EXITPARSE" --no-progress --jobs 2 "$dir")
    # gzip -dc alone: one at a time (1 core), two at a time (2 cores).
    g1=$(secs sh -c "for f in $dir/*.tar.gz; do gzip -dc \"\$f\"; done")
    g2=$(secs sh -c "ls $dir/*.tar.gz | xargs -P 2 -n 1 gzip -dc")
    # Parsing the unpacked bundles alone (each directory a bundle, as each
    # archive is).
    p1=$(secs "$EXITPARSE" --no-progress --jobs 1 "${dirs[@]}")
    p2=$(secs "$EXITPARSE" --no-progress --jobs 2 "${dirs[@]}")
    awk -v j1="$j1" -v j2="$j2" -v g1="$g1" -v g2="$g2" -v p1="$p1" -v p2="$p2" -v u="$unpacked_bytes" '
        function s(x) { split(x, a, " "); return a[1] > 0 ? a[1] : 0.01 }
        function rss(x) { split(x, a, " "); return a[2] / 1024 }
        function cpu(x) { split(x, a, " "); return a[3] > 0 ? a[3] : 0.01 }
        BEGIN {
            mb = u / 1048576
            printf "  exitparse --jobs 1      %7.2f s  %6.0f MB/s unpacked  peak RSS %5.0f MB\n", s(j1), mb / s(j1), rss(j1)
            printf "  exitparse --jobs 2      %7.2f s  %6.0f MB/s unpacked  peak RSS %5.0f MB\n", s(j2), mb / s(j2), rss(j2)
            printf "  speed-up 1 -> 2 jobs    %7.2fx (target >= 1.8x)\n", s(j1) / s(j2)
            printf "  gzip -dc, 1 at a time   %7.2f s  %6.0f MB/s\n", s(g1), mb / s(g1)
            printf "  gzip -dc, 2 at a time   %7.2f s  %6.0f MB/s\n", s(g2), mb / s(g2)
            printf "  parse unpacked, -j 1    %7.2f s  %6.0f MB/s  peak RSS %5.0f MB\n", s(p1), mb / s(p1), rss(p1)
            printf "  parse unpacked, -j 2    %7.2f s  %6.0f MB/s  peak RSS %5.0f MB\n", s(p2), mb / s(p2), rss(p2)
            printf "  -j 1 vs gzip + parse    %7.2fx (%.2f s vs %.2f + %.2f s; target <= 1.3x)\n", s(j1) / (s(g1) + s(p1)), s(j1), s(g1), s(p1)
            printf "  -j 2 vs gzip + parse    %7.2fx (%.2f s vs %.2f + %.2f s; target <= 1.3x)\n", s(j2) / (s(g2) + s(p2)), s(j2), s(g2), s(p2)
            printf "  CPU s (user+sys): -j 1 %.2f, -j 2 %.2f, gzip %.2f, parse unpacked -j 1 %.2f\n", cpu(j1), cpu(j2), cpu(g1), cpu(p1)
            printf "  -j 1 vs gzip + parse, by CPU %5.2fx\n", cpu(j1) / (cpu(g1) + cpu(p1))
        }'
    rm -rf "$unpacked"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
}

for section in $SECTIONS; do
    case $section in
        layouts) layouts ;;
        archives) archives ;;
        *) echo "bench-bundles.sh: unknown section $section" >&2; exit 2 ;;
    esac
done
