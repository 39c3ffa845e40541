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
command -v redis-server >/dev/null || { echo "bench: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }

. "$root/bench/common.sh"
if [ -n "${2:-}" ]; then dist=$2; else bench_dist; fi
bench_work

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# $1: name; sets redis_port_<name> and redis_pid_<name>
start_redis() {
  local port
  port=$(bench_free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no \
    --loglevel warning > "$work/redis-$1.log" 2>&1 &
  pids+=($!)
  printf -v "redis_pid_$1" '%s' "$!"
  printf -v "redis_port_$1" '%s' "$port"
  for _ in $(seq 1 500); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.02; done
  echo "bench: redis-server did not start" >&2; exit 1
}

# $1: name, $2: router_settings lines; sets port_<name> and pid_<name>
start_proxy() {
  local yaml
  yaml=$(cat <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: mock/bench
      mock_response: "Good morning to you too."
      rpm: 100000
router_settings:
  num_retries: 0
$2
general_settings:
  master_key: sk-bench
YAML
)
  bench_start_proxy "$1" "$yaml"
  printf -v "port_$1" '%s' "$proxy_port"
  printf -v "pid_$1" '%s' "$proxy_pid"
}

start_redis fresh
start_redis used
start_proxy local ""
start_proxy localused ""
start_proxy fresh "  redis_host: 127.0.0.1
  redis_port: $redis_port_fresh"
start_proxy used "  redis_host: 127.0.0.1
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
