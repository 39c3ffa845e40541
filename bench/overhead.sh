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
#   BENCH_REPEAT (1: each row once; N: N draws per row and their medians, see bench/common.sh)
#   LLMHUB_JAVA_OPTS (added to every proxy's JVM options).
# Needs a JDK >= 21 and wrk; builds the distribution when it is missing or older than the sources.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
: "${BENCH_CONNECTIONS:=16 1}"
: "${BENCH_ROWS:=none file/memory file/process file/fsync}"
bench_need_wrk
bench_dist

bench_work

bench_start_stub "$work"
bench_header "llmhub overhead"

# config DURABILITY [DESTINATIONS_YAML]
config() { bench_config "  durability: $1" ${2:+"$2"}; }

# row ROW NAME: one proxy row
row() {
  case $1 in
    none) bench_proxy_row "$2" "$(config process)" sk-bench ;;
    file/*) local d=${1#file/}
            bench_proxy_row "$2" "$(config "$d" "$(bench_file_callback "$work/calls-$d.jsonl")")" sk-bench
            rm -f "$work/calls-$d.jsonl" ;;
    *) echo "bench: unknown row $1" >&2; exit 2 ;;
  esac
}

bench_direct_rows
bench_rounds row
echo
bench_table none
