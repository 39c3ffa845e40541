#!/usr/bin/env bash
# What logging costs, in two parts:
#  1. each destination's own cost (in-process, dev.llmhub.e2e.DestinationThroughput): its plugin zip loaded
#     by PF4J, one lane thread exporting batches into the far side the tests use (a file, the otel tests'
#     OTLP/gRPC receiver, the langfuse tests' Langfuse stand-in): records/s, CPU and allocation per record;
#  2. the real proxy (the assembled distribution) under the same load as bench/overhead.sh, warmed to a
#     plateau first (see bench/common.sh), with no destination, with file, and with file + otel + langfuse
#     delivering to an OTLP/gRPC receiver and the Langfuse stand-in running as their own process on the
#     same cores (dev.llmhub.e2e.BenchReceivers). One table, ratios to "none", with the receivers' own CPU
#     per request (side_us/r); then what each destination delivered (exported, lag left), the proxy's CPU
#     per request by thread group (lanes, request carriers, GC, JIT...) and what the receivers counted.
#   bench/pipeline.sh
# Environment: as bench/overhead.sh (BENCH_SECONDS, BENCH_WINDOW, BENCH_TOLERANCE, BENCH_MAX_WARMUP,
#   BENCH_CONNECTIONS, default "16"), BENCH_ROWS (default "none file file+otel+langfuse"; also "otel",
#   "langfuse"; empty: part 1 only), BENCH_RECEIVERS_CHECK_ONE_IN (default 10: the receivers check one request in 10 by all
#   their rules and count the others' spans; 1: all; see bench/common.sh), BENCH_REPEAT (N draws of each
#   row and their medians, see bench/common.sh), BENCH_DEST_SECONDS (part 1,
#   per destination, default 10; 0 skips part 1),
#   BENCH_LANE_BENCHMARK=1 also runs hub-core's LaneBenchmark (journal -> lane -> no-op destination).
# Numbers compare runs on one machine; they are not pass/fail. Needs a JDK >= 21, Maven (./mvnw) and wrk.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
cd "$root"
: "${BENCH_CONNECTIONS:=16}"
: "${BENCH_ROWS=none file file+otel+langfuse}"
: "${BENCH_DEST_SECONDS:=10}"
bench_need_wrk

bench_work

# The distribution and the test class path of its module (the benchmarks and the receivers live there).
echo "bench: building the distribution and its test classes (./mvnw package -DskipTests)..." >&2
bench_e2e_build package -DskipTests
touch "$dist/.built-from-checkout"


if [ "${BENCH_LANE_BENCHMARK:-0}" = 1 ]; then
  ./mvnw -B -q -ntp -pl hub-core -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/core-cp" -Dmdep.includeScope=test >&2
  "$JAVA_HOME/bin/java" -Xms512m -Xmx1g -Djava.util.logging.config.file="$root/.ci/test-logging.properties" \
    -cp "$root/hub-core/target/test-classes:$root/hub-core/target/classes:$root/plugin-api/target/classes:$(cat "$work/core-cp")" \
    dev.llmhub.core.delivery.LaneBenchmark 300000
  echo
fi

# ---- 1. each destination alone ----------------------------------------------------------------------
if [ "$BENCH_DEST_SECONDS" -gt 0 ]; then
  "$JAVA_HOME/bin/java" -Xmx512m -Djava.util.logging.config.file="$root/.ci/test-logging.properties" -cp "$e2e_cp" \
    -Dllmhub.dist.dir="$dist" dev.llmhub.e2e.DestinationThroughput "$BENCH_DEST_SECONDS" 512
  echo
fi

# ---- 2. the proxy, with and without destinations ----------------------------------------------------
[ -z "$BENCH_ROWS" ] && exit 0
bench_start_stub "$work"
bench_start_receivers
bench_side_pids=$receivers_pid  # their CPU per request is the table's side_us/r: they share the cores with the proxy
bench_header "llmhub pipeline"
echo "  receivers: OTLP/gRPC $otel_endpoint, Langfuse stand-in $langfuse_url, one process on the same cores; each decodes and"
echo "  checks one request in $BENCH_RECEIVERS_CHECK_ONE_IN by all its rules and counts the spans of the others (BENCH_RECEIVERS_CHECK_ONE_IN=1: all)"

# Called by bench_proxy_row before it stops a proxy: waits (at most 60 s) until every destination has no
# lag, then keeps the proxy's metrics.
bench_before_stop() {
  local m="$work/$1/metrics" i
  for i in $(seq 1 600); do
    curl -s "http://127.0.0.1:$proxy_port/metrics" > "$m"
    awk '/^llmhub_destination_lag_records\{/ && $NF + 0 > 0 { busy = 1 } END { exit busy }' "$m" && return 0
    sleep 0.1
  done
}

bench_direct_rows
measured=()
# row ROW NAME: one proxy row, ROW naming its destinations joined by +
row() {
  local dests=""
  [ "$1" = none ] || dests=${1//+/ }
  measured+=("$2")
  # shellcheck disable=SC2086 # one word per destination
  bench_proxy_row "$2" "$(bench_destinations_config $dests)" sk-bench
}
bench_rounds row
echo
bench_table none
echo
echo "what each destination did in its proxy's whole run (records_total by outcome; lag left 60 s after the load stopped):"
for row in "${measured[@]}"; do
  [ "${row%@*}" = none ] && continue
  awk -v row="$row" '/^llmhub_destination_records_total\{/ {
       match($0, /destination="[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14)
       match($0, /outcome="[^"]*"/); o = substr($0, RSTART + 9, RLENGTH - 10)
       c[d] = c[d] " " o "=" $NF + 0 }
     /^llmhub_destination_lag_records\{/ {
       match($0, /destination="[^"]*"/); d = substr($0, RSTART + 13, RLENGTH - 14); q[d] = $NF + 0 }
     END { for (d in c) printf "  %-22s %-10s%s lag=%d\n", row, d, c[d], q[d] }' "$work/$row/metrics" | sort
done
echo "the proxy's CPU per request by thread group, measured at the first connection count (µs; groups over 2 µs):"
for row in "${measured[@]}"; do
  c=${BENCH_CONNECTIONS%% *}
  printf '  %-22s %s\n' "$row" "$(awk -F'\t' '$1 >= 2 { printf "%s%s %s", sep, $2, $1; sep = ", " }' "$work/$row/threads-c$c")"
done
echo "receivers (all rows; *_decoded, *_validated: requests checked by all rules): $(head -n1 "$work/received" 2>/dev/null || echo nothing counted)"
sed -n 2p "$work/received" 2>/dev/null || true
