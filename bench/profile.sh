#!/usr/bin/env bash
# Where the proxy's time and bytes go under load: starts the stub upstream and one proxy (ROW: none,
# file, or all = file + otel + langfuse into stand-in receivers is bench/pipeline.sh's job; here the
# destinations deliver into the stub), warms it like bench/overhead.sh, then records JFR (settings=profile:
# CPU samples and allocation samples) for SECONDS under the same load, and prints JFR's hot methods and
# allocation views. Keeps the recording: OUT (default ./llmhub-ROW.jfr); open it in JDK Mission Control
# or read it with `jfr view`/`jfr print`.
#   bench/profile.sh [ROW=none] [SECONDS=30] [OUT]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
row=${1:-none}
seconds=${2:-30}
out=$(readlink -f "${3:-llmhub-$row.jfr}")
: "${BENCH_CONNECTIONS:=16}"
bench_need_wrk
bench_dist

bench_work
bench_start_stub "$work"

case $row in
  none) destinations=() ;;
  file) destinations=("$(bench_file_callback "$work/calls.jsonl")") ;;
  *) echo "bench: unknown row $row (none|file)" >&2; exit 2 ;;
esac
bench_start_proxy "$row" "$(bench_config ${destinations[@]+"${destinations[@]}"})"
url="http://127.0.0.1:$proxy_port/v1/chat/completions"
bench_warm "$url" "$BENCH_CONNECTIONS" sk-bench
echo "profile: $row warmed in ${warm_seconds}s ($warm_state), recording ${seconds}s at $BENCH_CONNECTIONS connections; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/jcmd" "$proxy_pid" JFR.start name=bench settings=profile >/dev/null
bench_wrk "$url" "$BENCH_CONNECTIONS" "$seconds" sk-bench >&2
"$JAVA_HOME/bin/jcmd" "$proxy_pid" JFR.dump name=bench filename="$out" >/dev/null
bench_stop_proxy
for view in hot-methods allocation-by-site allocation-by-class; do
  "$JAVA_HOME/bin/jfr" view --width 160 "$view" "$out"
done
echo "recording: $out"
