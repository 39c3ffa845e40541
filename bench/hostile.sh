#!/usr/bin/env bash
# Memory under hostile bodies: bench/Hostile.java sends 3,000 requests (16 at a time) through the proxy,
# in turn a 2 MB chat body, JSON nested 100,000 deep, a 5,000-key object, a plain chat call, with the
# file destination on (every accepted call is recorded, journaled and written). The proxy runs with
# bin/llmhub's defaults (its heap bound) plus LLMHUB_JAVA_OPTS. Prints the answers by kind and status,
# errors (no answer), the proxy's peak RSS (VmHWM), the largest heap after a GC, whether the JVM ever
# logged an OutOfMemoryError, and whether it still answers afterwards. Exits 1 when an OutOfMemoryError
# occurred, an answer was not the expected one (200; 400 for the deep body) or none came, the proxy
# died, or the peak RSS passed BENCH_MAX_RSS_MB (default 1024).
#   bench/hostile.sh [requests=3000] [concurrency=16]
# Needs a JDK >= 21; builds the distribution when it is missing or older than the sources.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
: "${BENCH_MAX_RSS_MB:=1024}"
bench_dist

bench_work

bench_start_stub "$work"
bench_start_proxy hostile "$(bench_config "$(bench_file_callback "$work/calls.jsonl")")"
echo "llmhub hostile run: $(nproc) CPUs, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1), LLMHUB_JAVA_OPTS='${LLMHUB_JAVA_OPTS:-}', load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  proxy JVM options: $(tr '\0' ' ' < "/proc/$proxy_pid/cmdline" | grep -o ' -X[^ ]*' | tr -d '\n')"
result=$("$JAVA_HOME/bin/java" -Xmx1g "$root/bench/Hostile.java" "http://127.0.0.1:$proxy_port/v1/chat/completions" sk-bench "${1:-3000}" "${2:-16}")
echo "  $result" | sed '2,$s/^/  /'
alive=yes
curl -sf "http://127.0.0.1:$proxy_port/health/readiness" >/dev/null 2>&1 || alive=no
hwm=$(awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$proxy_pid/status" 2>/dev/null || echo 0)
rss=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$proxy_pid/status" 2>/dev/null || echo 0)
heap=$(awk 'match($0, /->[0-9]+[KMG]\(/) { v = substr($0, RSTART + 2, RLENGTH - 3); u = substr(v, length(v)); v += 0
         h = u == "G" ? v * 1024 : u == "K" ? v / 1024 : v; if (h > m) m = h } END { printf "%.0f", m }' "$work/hostile/gc.log")
oom=no
grep -q OutOfMemoryError "$work/hostile/proxy.log" && oom=yes
# The file destination rotates at 100 MB (2 MB records fill that quickly): count what its lane
# exported and what it still has to, from /metrics, not the lines of the current file.
metric() { curl -sf "http://127.0.0.1:$proxy_port/metrics" 2>/dev/null | awk -v m="$1" 'index($0, m) == 1 { v = $NF } END { printf "%.0f", v }'; }
exported=$(metric 'llmhub_destination_records_total{destination="file",outcome="exported"')
lag=$(metric 'llmhub_destination_lag_records{destination="file"')
# What stays live once the run is over: young pauses report old-generation garbage as "after GC" too.
"$JAVA_HOME/bin/jcmd" "$proxy_pid" GC.run >/dev/null 2>&1 || true
live=$("$JAVA_HOME/bin/jcmd" "$proxy_pid" GC.heap_info 2>/dev/null | awk '/ used / { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }')
echo "  peak_rss_mb=$hwm rss_after_mb=$rss max_heap_after_gc_mb=$heap live_heap_after_run_mb=${live:-?} out_of_memory=$oom alive_after=$alive file_exported=$exported file_lag=$lag load=$(cut -d' ' -f1 /proc/loadavg)"
# Bad: any 5xx or transport error, and any answer but 200 to the bodies the proxy must accept (2 MB is
# under the default 10 MB limit) or but 400 to the nesting no parser should follow.
bad=$(printf '%s\n' "$result" | head -n1 | tr ' ' '\n' | awk -F= '$1 == "errors" || ($1 ~ /:/ && $1 !~ /:200$/ && $1 != "deep:400") { s += $2 } END { print s + 0 }')
if [ "$oom" = yes ] || [ "$alive" = no ] || [ "$bad" -gt 0 ] || [ "$hwm" -gt "$BENCH_MAX_RSS_MB" ]; then
  echo "hostile: FAILED (out_of_memory=$oom alive=$alive unexpected_answers=$bad peak_rss_mb=$hwm > $BENCH_MAX_RSS_MB?)"
  exit 1
fi
echo "hostile: passed (no OutOfMemoryError, every answer as expected, peak RSS within ${BENCH_MAX_RSS_MB} MB)"
