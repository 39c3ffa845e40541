#!/usr/bin/env bash
# Where the proxy's time and bytes go under load: starts the stub upstream and one proxy (ROW: none, or
# destinations joined by +, e.g. file or file+otel+langfuse; otel and langfuse deliver into the tests'
# receivers as bench/pipeline.sh runs them), warms it like bench/overhead.sh, then records JFR
# (settings=profile: CPU samples and allocation samples) for SECONDS under the same load, and prints the
# proxy's CPU per request by thread group over those seconds (and the receivers', when they run), then
# JFR's hot methods and allocation views. Keeps the recording: OUT (default ./llmhub-ROW.jfr); open it
# in JDK Mission Control or read it with `jfr view`/`jfr print`.
#   bench/profile.sh [ROW=none] [SECONDS=30] [OUT]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
row=${1:-none}
seconds=${2:-30}
out=$(readlink -f "${3:-llmhub-$row.jfr}")
: "${BENCH_CONNECTIONS:=16}"
bench_need_wrk
if [ "$row" = none ]; then dests=(); else IFS=+ read -ra dests <<< "$row"; fi
case " ${dests[*]-} " in
  *" otel "* | *" langfuse "*) bench_e2e_build package -DskipTests; touch "$dist/.built-from-checkout" ;;
  *) bench_dist ;;
esac

bench_work
bench_start_stub "$work"
case " ${dests[*]-} " in
  *" otel "* | *" langfuse "*) bench_start_receivers ;;
esac
bench_start_proxy "$row" "$(bench_destinations_config ${dests[@]+"${dests[@]}"})"
url="http://127.0.0.1:$proxy_port/v1/chat/completions"
bench_warm "$url" "$BENCH_CONNECTIONS" sk-bench
echo "profile: $row warmed in ${warm_seconds}s ($warm_state), recording ${seconds}s at $BENCH_CONNECTIONS connections; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# JFR's execution sampler sees few samples on virtual threads' carriers; the CPU-time sampler (JDK 25+,
# Linux) samples every thread by the CPU it uses, so its hot methods are the ones to read here.
cpu_time_sampler=()
llmhub_java_major "$JAVA_HOME"
[ "$llmhub_major" -ge 25 ] && cpu_time_sampler=(jdk.CPUTimeSample#enabled=true "jdk.CPUTimeSample#throttle=${BENCH_CPU_SAMPLE_PERIOD:-2ms}")
"$JAVA_HOME/bin/jcmd" "$proxy_pid" JFR.start name=bench settings=profile ${cpu_time_sampler[@]+"${cpu_time_sampler[@]}"} >/dev/null
bench_thread_ticks "$proxy_pid" > "$work/threads0"
[ -n "${receivers_pid:-}" ] && bench_thread_ticks "$receivers_pid" > "$work/receivers0"
res=$(bench_wrk "$url" "$BENCH_CONNECTIONS" "$seconds" sk-bench)
[ -n "${receivers_pid:-}" ] && bench_thread_ticks "$receivers_pid" > "$work/receivers1"
bench_thread_ticks "$proxy_pid" > "$work/threads1"
"$JAVA_HOME/bin/jcmd" "$proxy_pid" JFR.dump name=bench filename="$out" >/dev/null
echo "$res"
n=$(field "$res" requests)
# per_request BEFORE AFTER: CPU per request by thread group between two bench_thread_ticks, largest first, and the total
per_request() {
  awk -F'\t' -v n="$n" -v hz="$(getconf CLK_TCK)" 'NR == FNR { b[$1] = $2; next }
    { d = $2 - b[$1]; if (d > 0 && n > 0) { printf "%8.1f  %s\n", d * 1e6 / hz / n, $1; t += d } }
    END { printf "%8.1f  all threads\n", (n > 0 ? t * 1e6 / hz / n : 0) }' "$1" "$2" | sort -rn
}
echo "the proxy's CPU per request by thread group while recording (µs; JFR's own threads included):"
per_request "$work/threads0" "$work/threads1"
if [ -n "${receivers_pid:-}" ]; then
  echo "the receivers' CPU per request by thread group (their own process, on the same cores):"
  per_request "$work/receivers0" "$work/receivers1"
fi
bench_stop_proxy
views=(hot-methods allocation-by-site allocation-by-class)
[ ${#cpu_time_sampler[@]} -gt 0 ] && views=(cpu-time-hot-methods "${views[@]}")
for view in "${views[@]}"; do
  "$JAVA_HOME/bin/jfr" view --width 160 "$view" "$out"
done
echo "recording: $out"
