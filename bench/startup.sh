#!/usr/bin/env bash
# What the AOT cache (lib/llmhub.aot, made by the build on JDK 24+) buys: the proxy with four or more
# destination plugins installed (the distribution's) and two enabled (file, and otel towards a port that
# answers nothing: lanes retry off the request path), started from the cache ("aot": -XX:AOTMode=on, so
# the row fails rather than measure a start without it) and without it ("no-aot": -XX:AOTMode=off).
# For each: BENCH_STARTS (default 5) starts, printing exec-to-ready each time; then one more start
# measured as a bench/overhead.sh row at 16 connections: cold_rps is the first 5 s after ready, then
# windows until the plateau, then BENCH_SECONDS measured. One table, ratios to "no-aot".
#   bench/startup.sh
# Environment: as bench/overhead.sh; BENCH_STARTS.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
: "${BENCH_CONNECTIONS:=16}"
: "${BENCH_STARTS:=5}"
bench_need_wrk
bench_dist
[ -f "$dist/lib/llmhub.aot" ] || { echo "bench: $dist/lib/llmhub.aot is missing (the build makes it on JDK 24+ only)" >&2; exit 1; }

bench_work

bench_start_stub "$work"
bench_header "llmhub startup"
echo "  plugins installed: $(ls "$dist/plugins" | grep -c '\.zip$'); enabled: file, otel; AOT cache $(du -m "$dist/lib/llmhub.aot" | cut -f1) MB for JDK $(cat "$dist/lib/llmhub.aot.jdk")"
config=$(bench_startup_config)
base_opts=${LLMHUB_JAVA_OPTS:-}
for mode in aot no-aot; do
  if [ "$mode" = aot ]; then LLMHUB_JAVA_OPTS="$base_opts -XX:AOTMode=on"; else LLMHUB_JAVA_OPTS="$base_opts -XX:AOTMode=off"; fi
  starts=()
  for i in $(seq 1 "$BENCH_STARTS"); do
    bench_start_proxy "$mode-start$i" "$config"
    starts+=("$start_ms")
    bench_stop_proxy
    rm -rf "$work/$mode-start$i"
  done
  echo "  $mode: exec to ready, ms: ${starts[*]} (median $(printf '%s\n' "${starts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')), load $(cut -d' ' -f1 /proc/loadavg)"
  bench_proxy_row "$mode" "$config" sk-bench
  rm -f "$work/calls.jsonl"
done
LLMHUB_JAVA_OPTS=$base_opts
echo
bench_table no-aot
