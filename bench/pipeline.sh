#!/usr/bin/env bash
# Pipeline benchmark, in two parts:
#  1. in-process: records/s through one delivery lane into a no-op destination at several batch sizes,
#     and the request-path cost of publish() with 0, 1 and 4 lanes (hub-core's LaneBenchmark);
#  2. the real proxy (the assembled distribution): the same closed-loop load as bench/overhead.sh
#     (bench/LoadClient.java, routed to bench/StubServer.java) once with no destination and once with
#     four lanes that really deliver — file, custom_callbacks.proxy_handler_instance (prints to the
#     proxy's log), otel and langfuse (both OTLP/HTTP into the stub) — printing requests/s and p50/p99
#     of both, and each lane's outcomes from /metrics so a lane that silently failed is visible.
#   bench/pipeline.sh [records-per-run=300000] [concurrency=16] [seconds=15] [warmup=5]
# Numbers compare runs on one machine; they are not pass/fail.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
cd "$root"
echo "bench: using $JAVA_HOME" >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT  # replaced by the cleanup of part 2
# One reactor run, so plugin-api resolves from this checkout without being installed in ~/.m2 (hub-core,
# built last, writes the class path file last).
./mvnw -B -q -ntp -pl hub-core -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
cp="$root/hub-core/target/test-classes:$root/hub-core/target/classes:$root/plugin-api/target/classes:$(cat "$cp_file")"
"$JAVA_HOME/bin/java" -Xms512m -Xmx1g -Djava.util.logging.config.file="$root/.ci/test-logging.properties" \
  -cp "$cp" dev.llmhub.core.delivery.LaneBenchmark "${1:-300000}"

# ---- 2. proxy throughput with 0 vs 4 lanes ----------------------------------------------------------
concurrency=${2:-16}
seconds=${3:-15}
warmup=${4:-5}
. "$root/bench/common.sh"
bench_dist

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work" "$cp_file"
}
trap cleanup EXIT

bench_start_stub "$work"

# run_proxy NAME LANES_YAML: starts the proxy with that litellm_settings block, drives the load, writes
# the load client's line to $work/NAME.result and the lane counters to $work/NAME.metrics, stops the proxy.
# (Runs in this shell, not in $(...), so the EXIT trap still knows the proxy's pid if anything fails.)
run_proxy() {
  local name=$1 lanes=$2 port pid
  port=$(bench_free_port)
  cat > "$work/$name.yaml" <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$stub_port/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: sk-bench
$lanes
YAML
  (cd "$work" && LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} -Xms256m -Xmx512m" exec "$dist/bin/llmhub" \
     --config "$work/$name.yaml" --host 127.0.0.1 --port "$port" --plugins-dir "$dist/plugins") > "$work/$name.log" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null \
    || { echo "bench: the proxy ($name) did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
  "$JAVA_HOME/bin/java" "$root/bench/LoadClient.java" "http://127.0.0.1:$port/v1/chat/completions" \
    "$concurrency" "$warmup" "$seconds" sk-bench > "$work/$name.result"
  # let the lanes catch up before counting what they did (at most 30 s)
  for _ in $(seq 1 300); do
    curl -s "http://127.0.0.1:$port/metrics" > "$work/$name.metrics"
    awk '/^llmhub_destination_lag_records\{/ && $NF+0 > 0 {busy=1} END {exit busy}' "$work/$name.metrics" && break
    sleep 0.1
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo
echo "proxy throughput with 0 vs 4 lanes: $concurrency concurrent clients, ${warmup}s warm-up, ${seconds}s measured, $(nproc) CPUs"
run_proxy none ""
none=$(cat "$work/none.result")
echo "0 lanes:  $none"
# Each lane's settings; the 4-lane run enables all of them.
declare -A lane_settings=(
  [file]="  file:
    path: $work/calls.jsonl"
  [custom_callbacks.proxy_handler_instance]=""
  [otel]="  otel:
    endpoint: http://127.0.0.1:$stub_port
    protocol: http/protobuf"
  [langfuse]="  langfuse:
    host: http://127.0.0.1:$stub_port
    public_key: pk-lf-bench
    secret_key: sk-lf-bench"
)
lane_names=(file custom_callbacks.proxy_handler_instance otel langfuse)
lanes_yaml() {  # lanes_yaml NAME...: the litellm_settings + callback_settings enabling those lanes
  local names="" settings="" n
  for n in "$@"; do
    names+="${names:+, }\"$n\""
    settings+="${lane_settings[$n]:+${lane_settings[$n]}
}"
  done
  printf 'litellm_settings:\n  callbacks: [%s]\n%s' "$names" "${settings:+callback_settings:
$settings}"
}
run_proxy four "$(lanes_yaml "${lane_names[@]}")"
four=$(cat "$work/four.result")
echo "4 lanes:  $four"
echo "lane outcomes after the 4-lane run (records_total by outcome, final queue depth):"
awk '/^llmhub_destination_records_total\{/ {
       match($0, /destination="[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14)
       match($0, /outcome="[^"]*"/); o = substr($0, RSTART + 9, RLENGTH - 10)
       c[d] = c[d] " " o "=" $NF + 0 }
     /^llmhub_destination_lag_records\{/ {
       match($0, /destination="[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14); q[d] = $NF + 0 }
     END { for (d in c) printf "  %-42s%s lag=%d\n", d, c[d], q[d] }' "$work/four.metrics" | sort

field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
awk -v nr="$(field "$none" rps)" -v fr="$(field "$four" rps)" \
    -v n50="$(field "$none" p50_ms)" -v f50="$(field "$four" p50_ms)" \
    -v n99="$(field "$none" p99_ms)" -v f99="$(field "$four" p99_ms)" 'BEGIN {
  printf "ratio 4 lanes / 0 lanes: rps %.2f, p50 %.2fx (%+.3f ms), p99 %.2fx (%+.3f ms)\n", fr/nr, f50/n50, f50-n50, f99/n99, f99-n99
}'

# BENCH_EACH_LANE=1: also one run per lane alone, to see which lane costs what.
if [ "${BENCH_EACH_LANE:-0}" = 1 ]; then
  for n in "${lane_names[@]}"; do
    run_proxy "one-$n" "$(lanes_yaml "$n")"
    printf '%-47s %s\n' "only $n:" "$(cat "$work/one-$n.result")"
  done
fi
