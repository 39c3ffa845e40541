#!/usr/bin/env bash
# Exec to ready of two or more assembled distributions started in turn (A, B, A, B, ...), so all meet the same
# load: bench/startup.sh's set-up (the plugins each distribution ships installed, file and otel enabled,
# otel towards a port that answers nothing), each with its AOT cache on (-XX:AOTMode=on: a start without
# it fails rather than being measured). First BENCH_FIRST_STARTS starts of each into an empty data
# directory (a first start), then BENCH_STARTS restarts of each, every distribution keeping its own data
# directory across them (a restart, as a service manager does it). Each start prints exec to ready and
# the CPU the process had used by then (user + system, all threads); then the medians.
#   bench/startup-ab.sh DIST_A DIST_B [DIST_C...]   (e.g. a copy of main's distribution, and this checkout's)
# Environment: BENCH_STARTS (default 7), BENCH_FIRST_STARTS (default 3), LLMHUB_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
[ $# -ge 2 ] && [ $# -le 26 ] || { echo "usage: bench/startup-ab.sh DIST_A DIST_B [DIST_C...]" >&2; exit 2; }
dists=()
for d in "$@"; do dists+=("$(cd "$d" && pwd)"); done
names=(A B C D E F G H I J K L M N O P Q R S T U V W X Y Z)
all=$(seq 0 $(($# - 1)))
: "${BENCH_STARTS:=7}"
: "${BENCH_FIRST_STARTS:=3}"
for d in "${dists[@]}"; do
  [ -x "$d/bin/llmhub" ] || { echo "bench: $d/bin/llmhub is missing" >&2; exit 1; }
  [ -f "$d/lib/llmhub.aot" ] || { echo "bench: $d/lib/llmhub.aot is missing (the build makes it on JDK 24+ only)" >&2; exit 1; }
done
bench_work
stub_port=$(bench_free_port) # nothing is called: the config needs an upstream, readiness does not
config=$(bench_startup_config)
LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} -XX:AOTMode=on"
echo "llmhub startup A/B: $(nproc) CPUs, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1); LLMHUB_JAVA_OPTS='$LLMHUB_JAVA_OPTS'"
for which in $all; do
  echo "  ${names[$which]}: ${dists[$which]} ($(ls "${dists[$which]}/plugins" | grep -c '\.zip$') plugins installed)"
done
echo "  enabled: file, otel; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# start_one WHICH RUN DATA: one start of dist WHICH (0, 1, ...) with data directory DATA; appends "ms cpu_ms".
start_one() {
  local which=$1 run=$2 data=$3 stat cpu
  dist=${dists[$which]}
  BENCH_DATA_DIR=$data bench_start_proxy "$run" "$config"
  read -r stat < "/proc/$proxy_pid/stat"
  stat=${stat##*) }
  read -r -a f <<< "$stat"
  cpu=$(( (f[11] + f[12]) * 1000 / $(getconf CLK_TCK) ))
  bench_stop_proxy
  rm -rf "${work:?}/$run"
  results[$which]+="$start_ms/$cpu "
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
report() {
  local label=$1 which
  for which in $all; do
    local r=${results[$which]}
    echo "  $label ${names[$which]}: exec to ready ms / CPU ms: ${r% } (median $(tr ' ' '\n' <<< "$r" | grep . | cut -d/ -f1 | median) ms, CPU $(tr ' ' '\n' <<< "$r" | grep . | cut -d/ -f2 | median) ms)"
  done
}

results=()
for i in $(seq 1 "$BENCH_FIRST_STARTS"); do
  for which in $all; do start_one "$which" "first$which-$i" "$work/first$which-$i-data"; rm -rf "$work/first$which-$i-data"; done
done
[ "$BENCH_FIRST_STARTS" -eq 0 ] || report "first start"
results=()
for which in $all; do start_one "$which" "warm$which" "$work/data$which"; done # the data directories' first start
results=()
for i in $(seq 1 "$BENCH_STARTS"); do
  for which in $all; do start_one "$which" "restart$which-$i" "$work/data$which"; done
done
report "restart"
echo "  load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
