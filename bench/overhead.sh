#!/usr/bin/env bash
# What the proxy adds, and what logging and durability cost: the same closed-loop load (wrk, keep-alive,
# the seed's chat body) straight at a fast stub upstream and through llmhub routed to it, each proxy
# warmed to a plateau first (see bench/common.sh for how a row is measured). Rows:
#   direct                   the stub alone
#   none                     the proxy with no destination (default durability: process)
#   file/memory|process|fsync  the file destination, with each general_settings.durability
# Each proxy is measured at every count in BENCH_CONNECTIONS (default "16 1": throughput, then the added
# latency at one connection). One table; ratios to direct and to "none".
#   bench/overhead.sh
# Environment: BENCH_SECONDS (20) BENCH_WINDOW (5) BENCH_TOLERANCE (0.10) BENCH_MAX_WARMUP (180)
#   BENCH_CONNECTIONS ("16 1") BENCH_ROWS (all: "none file/memory file/process file/fsync")
#   LLMHUB_JAVA_OPTS (added to every proxy's JVM options).
# Needs a JDK >= 21 and wrk; builds the distribution when it is missing or older than the sources.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
. "$root/bench/common.sh"
: "${BENCH_CONNECTIONS:=16 1}"
: "${BENCH_ROWS:=none file/memory file/process file/fsync}"
bench_need_wrk
bench_dist

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

bench_start_stub "$work"
bench_header "llmhub overhead"

# config DURABILITY [DESTINATIONS_YAML]
config() {
  cat <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$stub_port/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: sk-bench
  durability: $1
${2:-}
YAML
}
file_destination() {
  cat <<YAML
litellm_settings:
  callbacks: ["file"]
callback_settings:
  file:
    path: $work/calls-$1.jsonl
YAML
}

bench_direct_rows
for row in $BENCH_ROWS; do
  case $row in
    none) bench_proxy_row none "$(config process)" sk-bench ;;
    file/*) d=${row#file/}; bench_proxy_row "$row" "$(config "$d" "$(file_destination "$d")")" sk-bench
            rm -f "$work/calls-$d.jsonl" ;;
    *) echo "bench: unknown row $row" >&2; exit 2 ;;
  esac
done
echo
bench_table none
