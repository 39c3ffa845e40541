#!/usr/bin/env bash
# What Redis-shared limits cost an idle proxy: CPU ticks (utime+stime from /proc/<pid>/stat, 1/100 s)
# over the same window of four idle proxies and their redis-servers: without Redis (the baselines) and with
# Redis, each once never called and once after 20 calls just before the window (a deployment with Redis
# is then still settled: views are kept 2 minutes after their last pick). No load runs while
# measuring; start-up is left to calm down first. Ticks are a ratio within one run: compare rows of one run.
#   bench/redis-idle.sh [WINDOW_SECONDS=30] [DIST_DIR=the assembled distribution]
# Needs a JDK >= 21 (found like ./llmhub finds it) and redis-server (apt-get install redis-server).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
window=${1:-30}

. "$root/bench/common.sh"
if [ -n "${2:-}" ]; then dist=$2; else bench_dist; fi
bench_work

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

bench_start_redis fresh
bench_start_redis used
bench_start_mock_proxy local 100000
bench_start_mock_proxy localused 100000
bench_start_mock_proxy fresh 100000 "  redis_host: 127.0.0.1
  redis_port: $redis_port_fresh"
bench_start_mock_proxy used 100000 "  redis_host: 127.0.0.1
  redis_port: $redis_port_used"
sleep 15 # start-up's background work (JIT, AOT, first GC) calms down
for _ in $(seq 1 20); do
  for port in "$port_localused" "$port_used"; do
    curl -sf -o /dev/null -H 'Authorization: Bearer sk-bench' -H 'Content-Type: application/json' \
      -d '{"model":"bench","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$port/v1/chat/completions"
  done
done
sleep 2
evalsha() { redis-cli -p "$1" info commandstats | sed -n 's/^cmdstat_evalsha:calls=\([0-9]*\).*/\1/p'; }
declare -A before
settles_before=$(evalsha "$redis_port_used")
for p in "$pid_local" "$pid_localused" "$pid_fresh" "$pid_used" "$redis_pid_fresh" "$redis_pid_used"; do before[$p]=$(ticks "$p"); done
sleep "$window"
printf 'idle CPU ticks (1/100 s) over %s s, load %s\n' "$window" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %s\n' "proxy without Redis, never called" $(( $(ticks "$pid_local") - ${before[$pid_local]} ))
printf '%-34s %s\n' "proxy without Redis, called before" $(( $(ticks "$pid_localused") - ${before[$pid_localused]} ))
printf '%-34s %s\n' "proxy with Redis, never called" $(( $(ticks "$pid_fresh") - ${before[$pid_fresh]} ))
printf '%-34s %s\n' "  its redis-server" $(( $(ticks "$redis_pid_fresh") - ${before[$redis_pid_fresh]} ))
printf '%-34s %s\n' "proxy with Redis, called before" $(( $(ticks "$pid_used") - ${before[$pid_used]} ))
printf '%-34s %s\n' "  its redis-server" $(( $(ticks "$redis_pid_used") - ${before[$redis_pid_used]} ))
printf '%-34s %s\n' "  its EVALSHA calls (settles)" $(( $(evalsha "$redis_port_used") - settles_before ))
