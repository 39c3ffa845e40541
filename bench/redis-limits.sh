#!/usr/bin/env bash
# What sharing rpm/tpm limits through Redis adds per request: the same closed-loop load
# (wrk, keep-alive, bench/wrk-chat.lua) against two proxies serving one mock deployment with an rpm limit far above the
# load — one counting on its own, one counting in a local redis-server (on leases settled every 5 ms;
# the picks that waited for a round trip are printed from /metrics at the end). Each is first
# warmed to a plateau (5 s rounds until p50 moves less than 5% between rounds, at least 30 s), then
# both are measured in alternating rounds; prints each round and the median p50/p99 difference.
#   bench/redis-limits.sh [CONCURRENCY=16] [ROUND_SECONDS=10] [ROUNDS=3]
# Needs a JDK >= 21 (found like ./llmhub finds it), wrk and redis-server (apt-get install wrk redis-server).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
concurrency=${1:-16}
seconds=${2:-10}
rounds=${3:-3}
command -v redis-server >/dev/null || { echo "bench: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }

. "$root/bench/common.sh"
bench_need_wrk
bench_dist
bench_work

redis_port=$(bench_free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no \
  --loglevel warning > "$work/redis.log" 2>&1 &
pids+=($!)

# $1: name, $2: extra router_settings lines. Sets port_<name>.
start_proxy() {
  local name=$1 settings=$2 yaml
  mkdir -p "$work/$name/plugins"
  yaml=$(cat <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: mock/bench
      mock_response: "Good morning to you too."
      rpm: 100000000
router_settings:
  num_retries: 0
$settings
general_settings:
  master_key: sk-bench
YAML
)
  LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} -Xms256m -Xmx512m" BENCH_PLUGINS_DIR="$work/$name/plugins" bench_start_proxy "$name" "$yaml"
  printf -v "port_$name" '%s' "$proxy_port"
}

start_proxy local ""
start_proxy redis "  redis_host: 127.0.0.1
  redis_port: $redis_port"
curl -sf "http://127.0.0.1:$port_redis/metrics" | grep -q '^llmhub_router_shared_state_up 1' \
  || { echo "bench: the redis proxy is not sharing its limits:" >&2; cat "$work/redis/proxy.log" >&2; exit 1; }

load() { bench_wrk "http://127.0.0.1:$1/v1/chat/completions" "$concurrency" "$2" sk-bench; }

# warms one proxy until its p50 is stable (two 5 s rounds within 5%), at least 30 s
plateau() {
  local name=$1 port=$2 prev="" elapsed=0 r p50
  while :; do
    r=$(load "$port" 5); p50=$(field "$r" p50_ms); elapsed=$((elapsed + 5))
    echo "  warm-up $name ${elapsed}s: $r" >&2
    if [ -n "$prev" ] && [ "$elapsed" -ge 30 ] && awk -v a="$prev" -v b="$p50" 'BEGIN { d = (a - b) / a; exit !(d < 0.05 && d > -0.05) }'; then
      break
    fi
    [ "$elapsed" -ge 120 ] && { echo "  $name: no plateau after 120 s, measuring anyway" >&2; break; }
    prev=$p50
  done
}

echo "llmhub Redis-shared limits benchmark: $concurrency concurrent clients, ${rounds}x${seconds}s per proxy after a plateau, $(nproc) CPUs, $(redis-server --version | cut -d' ' -f1-3), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
plateau local "$port_local"
plateau redis "$port_redis"
l50=(); r50=(); l99=(); r99=()
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
grep -c "WARNING RedisLimits" "$work/redis/proxy.log" >/dev/null && { echo "bench: the redis proxy fell back to local counting during the run:" >&2; grep "RedisLimits" "$work/redis/proxy.log" >&2; exit 1; } || true
