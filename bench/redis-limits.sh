#!/usr/bin/env bash
# What sharing rpm/tpm limits through Redis adds per request: the same closed-loop load
# (wrk, keep-alive, bench/wrk-chat.lua) against two proxies serving one mock deployment with an rpm limit far above the
# load — one counting on its own, one counting in a local redis-server (on leases settled every 5 ms;
# the picks that waited for a round trip are printed from /metrics at the end). Each is first
# warmed to a plateau like bench/overhead.sh's rows (bench_warm: 5 s windows until two agree within
# BENCH_TOLERANCE; the first window is printed as the cold figure), then both are measured in
# alternating rounds; prints each round, the median p50/p99 difference and cold over warm.
#   bench/redis-limits.sh [CONCURRENCY=16] [ROUND_SECONDS=10] [ROUNDS=3]
# Needs a JDK >= 21 (found like ./llmhub finds it), wrk and redis-server (apt-get install wrk redis-server).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
concurrency=${1:-16}
seconds=${2:-10}
rounds=${3:-3}

. "$root/bench/common.sh"
bench_need_wrk
bench_dist
bench_work

bench_start_redis shared
# an empty plugins directory for each: nothing but the proxy and its limits
mkdir -p "$work/plugins"
export BENCH_PLUGINS_DIR="$work/plugins" LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} -Xms256m -Xmx512m"
bench_start_mock_proxy local 100000000
bench_start_mock_proxy redis 100000000 "  redis_host: 127.0.0.1
  redis_port: $redis_port_shared"
curl -sf "http://127.0.0.1:$port_redis/metrics" | grep -q '^llmhub_router_shared_state_up 1' \
  || { echo "bench: the redis proxy is not sharing its limits:" >&2; cat "$work/redis/proxy.log" >&2; exit 1; }

load() { bench_wrk "http://127.0.0.1:$1/v1/chat/completions" "$concurrency" "$2" sk-bench; }

echo "llmhub Redis-shared limits benchmark: $concurrency concurrent clients, ${rounds}x${seconds}s per proxy after a plateau, $(nproc) CPUs, $(redis-server --version | cut -d' ' -f1-3), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
# each proxy warmed to a plateau (bench/common.sh: 5 s windows until two agree); its first window is its cold figure
for name in local redis; do
  port_var=port_$name
  bench_warm "http://127.0.0.1:${!port_var}/v1/chat/completions" "$concurrency" sk-bench
  echo "warm-up $name: ${warm_seconds}s ($warm_state), first 5 s after ready: rps=$cold_rps"
  printf -v "cold_$name" '%s' "$cold_rps"
done
l50=(); r50=(); l99=(); r99=(); lrps=(); rrps=()
for i in $(seq 1 "$rounds"); do
  # ABBA order, so that a load drifting on a shared box does not favour one side
  if [ $((i % 2)) = 1 ]; then
    l=$(load "$port_local" "$seconds"); echo "round $i local counting: $l"
    r=$(load "$port_redis" "$seconds"); echo "round $i redis-shared:   $r"
  else
    r=$(load "$port_redis" "$seconds"); echo "round $i redis-shared:   $r"
    l=$(load "$port_local" "$seconds"); echo "round $i local counting: $l"
  fi
  l50+=("$(field "$l" p50_ms)"); r50+=("$(field "$r" p50_ms)"); l99+=("$(field "$l" p99_ms)"); r99+=("$(field "$r" p99_ms)")
  lrps+=("$(field "$l" rps)"); rrps+=("$(field "$r" rps)")
  [ "$(field "$l" errors)" = 0 ] && [ "$(field "$r" errors)" = 0 ] || echo "bench: errors during round $i (see above); its numbers still count" >&2
done
waits=$(curl -sf "http://127.0.0.1:$port_redis/metrics" | sed -n 's/^llmhub_router_shared_state_waits_total //p')
echo "redis-shared picks that waited for a round trip to Redis, over the whole run: ${waits:-?}"
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "load average when the rounds ended: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v l50="$(median "${l50[@]}")" -v r50="$(median "${r50[@]}")" -v l99="$(median "${l99[@]}")" -v r99="$(median "${r99[@]}")" 'BEGIN {
  printf "median p50: local %.3f ms, redis %.3f ms, added %+.3f ms per request (target <= 0.1 ms)\n", l50, r50, r50 - l50
  printf "median p99: local %.3f ms, redis %.3f ms, added %+.3f ms\n", l99, r99, r99 - l99
}'
awk -v lc="$cold_local" -v rc="$cold_redis" -v lw="$(median "${lrps[@]}")" -v rw="$(median "${rrps[@]}")" 'BEGIN {
  printf "median rps: local %.0f, redis %.0f; cold (first 5 s after ready) over warm: local %.2f, redis %.2f\n", lw, rw, lc / lw, rc / rw
}'
grep -c "WARNING RedisLimits" "$work/redis/proxy.log" >/dev/null && { echo "bench: the redis proxy fell back to local counting during the run:" >&2; grep "RedisLimits" "$work/redis/proxy.log" >&2; exit 1; } || true
