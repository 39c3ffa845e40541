#!/usr/bin/env bash
# Measures what the proxy adds: the same closed-loop load (bench/LoadClient.java) first straight at a
# fast local stub upstream (bench/StubServer.java), then through llmhub routed to that stub. Prints
# requests/s and p50/p99 latency of both, and their ratios.
#   bench/overhead.sh [CONCURRENCY=16] [SECONDS=15] [WARMUP=5]
# Needs a JDK >= 21 (found like ./llmhub finds it); builds the distribution when it is missing.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
concurrency=${1:-16}
seconds=${2:-15}
warmup=${3:-5}

. "$root/bench/common.sh"
bench_dist

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# 1. the stub upstream
bench_start_stub "$work"

# 2. the proxy, routed to the stub, on a free port
proxy_port=$(bench_free_port)
cat > "$work/bench.yaml" <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$stub_port/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: sk-bench
YAML
LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} -Xms256m -Xmx512m" "$dist/bin/llmhub" --config "$work/bench.yaml" \
  --host 127.0.0.1 --port "$proxy_port" --plugins-dir "$work/plugins" > "$work/proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$proxy_port/health/readiness" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$proxy_port/health/readiness" >/dev/null || { echo "bench: the proxy did not start:" >&2; cat "$work/proxy.log" >&2; exit 1; }

echo "llmhub overhead benchmark: $concurrency concurrent clients, ${warmup}s warm-up, ${seconds}s measured, $(nproc) CPUs, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
direct=$("$JAVA_HOME/bin/java" "$root/bench/LoadClient.java" "http://127.0.0.1:$stub_port/v1/chat/completions" "$concurrency" "$warmup" "$seconds")
echo "direct to stub:  $direct"
proxied=$("$JAVA_HOME/bin/java" "$root/bench/LoadClient.java" "http://127.0.0.1:$proxy_port/v1/chat/completions" "$concurrency" "$warmup" "$seconds" sk-bench)
echo "through llmhub:  $proxied"

field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
awk -v dr="$(field "$direct" rps)" -v pr="$(field "$proxied" rps)" \
    -v d50="$(field "$direct" p50_ms)" -v p50="$(field "$proxied" p50_ms)" \
    -v d99="$(field "$direct" p99_ms)" -v p99="$(field "$proxied" p99_ms)" 'BEGIN {
  printf "ratio proxy/direct: rps %.2f, p50 %.2fx (+%.3f ms), p99 %.2fx (+%.3f ms)\n", pr/dr, p50/d50, p50-d50, p99/d99, p99-d99
}'
