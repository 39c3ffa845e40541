#!/usr/bin/env bash
# The floor: what the fixed stack itself serves on this box, next to llmhub with no destination. The same
# load as bench/overhead.sh (wrk, keep-alive, the seed's chat body, the nginx stub upstream, each proxy
# warmed to a plateau) against bench/FloorProxy.java, a Helidon SE 4 WebServer forwarding the call through
# Helidon's HTTP/1.1 WebClient with the distribution's jars and bin/llmhub's heap options:
#   floor/bytes   the bodies forwarded as they are
#   floor/json    both bodies also parsed and written again with Jackson
#   none          llmhub, no destination (as in bench/overhead.sh)
# Ratios are to floor/bytes: the share of the stack's own ceiling that llmhub reaches.
#   bench/floor.sh
# Environment: as bench/overhead.sh (BENCH_SECONDS, BENCH_WINDOW, BENCH_MAX_WARMUP, BENCH_CONNECTIONS "16 1",
#   BENCH_ROWS "floor/bytes floor/json none", LLMHUB_JAVA_OPTS for every JVM).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
: "${BENCH_CONNECTIONS:=16 1}"
: "${BENCH_ROWS:=floor/bytes floor/json none}"
bench_need_wrk
bench_dist
. "$dist/bin/class-path.sh"
llmhub_class_path "$dist" # sets llmhub_cp

bench_work
bench_start_stub "$work"
bench_header "the stack's floor"
"$JAVA_HOME/bin/javac" -d "$work/floor-classes" -cp "$llmhub_cp" "$root/bench/FloorProxy.java"

# floor_start NAME MODE: FloorProxy in MODE with bin/llmhub's heap options, as bench_start_proxy starts llmhub.
floor_start() {
  local name=$1 t0
  mkdir -p "$work/$name"
  proxy_port=$(bench_free_port)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" -Xms64m -Xmx512m ${LLMHUB_JAVA_OPTS:-} $bench_probe_opts -Xlog:gc:file="$work/$name/gc.log":uptime \
    -cp "$work/floor-classes:$llmhub_cp" FloorProxy "$proxy_port" "$stub_port" "$2" > "$work/$name/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=($proxy_pid)
  bench_await_ready "$name" "$t0"
}

bench_direct_rows
for row in $BENCH_ROWS; do
  case $row in
    floor/*) bench_starter=floor_start bench_proxy_row "$row" "${row#floor/}" ;;
    none) bench_proxy_row none "$(bench_config "  durability: process")" sk-bench ;;
    *) echo "bench: unknown row $row" >&2; exit 2 ;;
  esac
done
echo
bench_table floor/bytes
