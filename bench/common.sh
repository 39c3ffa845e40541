# Sourced by the bench scripts with $root set; finds the JDK like bin/llmhub does. Needs wrk (apt-get install wrk);
# uses nginx as the stub upstream when installed (apt-get install nginx-light), else bench/StubServer.java.
#
# What a measured row is (bench_proxy_row): the proxy starts; start_ms is the time from exec to its
# readiness answering 200. Then it is loaded in BENCH_WINDOW-second windows (default 5) until two windows
# in a row agree within BENCH_TOLERANCE (default 0.10), after at least BENCH_MIN_WARMUP seconds (default
# 30: two windows can agree while the JIT is still compiling) and at most BENCH_MAX_WARMUP seconds
# (default 180; "unstable" is printed when it never settled); the first window is the cold one (cold_rps). Then
# BENCH_SECONDS (default 20) are measured per connection count, with the proxy's own counters read before
# and after through the attach API (bench/JvmProbe.java): allocation and CPU time per request. The heap
# after GC is the largest "after" of the GCs the proxy logged during the measured windows. Load is the
# 1-minute load average when the row ended: on a shared machine compare rows of one run only.

. "$root/distribution/src/main/dist/bin/find-java.sh"
: "${BENCH_WINDOW:=5}"
: "${BENCH_TOLERANCE:=0.10}"
: "${BENCH_MAX_WARMUP:=180}"
: "${BENCH_MIN_WARMUP:=30}"
: "${BENCH_SECONDS:=20}"
# BENCH_REPEAT=N: every proxy row is measured N times (rows alternating, each round a fresh start), each
# draw is listed as ROW@ROUND with ratios to its own round's baseline, and a table of medians follows:
# one start's row moves by about a quarter from the next start's on a shared 2-core box.
: "${BENCH_REPEAT:=1}"
# Helidon rejects every Java deserialization by default; bench/JvmProbe.java's JMX calls need these few.
bench_probe_opts="-Dhelidon.serialFilter.pattern=javax.management.ObjectName;java.lang.String;java.lang.Object;java.lang.Number;java.lang.Long;java.lang.Enum;!*"

# bench_work: a fresh temporary folder $work and an empty $pids; on exit every pid in $pids is killed and
# waited for, and $work is removed.
bench_work() {
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

# Sets $dist to where the build assembles the distribution.
bench_dist_dir() {
  local version
  version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$root/pom.xml")
  dist="$root/distribution/target/llmhub-$version/llmhub-$version"
}

# Sets $dist to the assembled distribution, building it first when a source or pom is newer than the
# last build (the same rule as ./llmhub).
bench_dist() {
  local stamp
  bench_dist_dir
  stamp="$dist/.built-from-checkout"
  if [ ! -x "$dist/bin/llmhub" ] || [ ! -f "$stamp" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o -name target -prune -o \
       \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$stamp" -print -quit)" ]; then
    echo "bench: building the distribution (./mvnw package -DskipTests)..." >&2
    "$root/mvnw" -q -B -DskipTests package >&2
    touch "$stamp"
  fi
}

# bench_e2e_build PHASE [MAVEN_ARGS...]: builds the distribution module (and what it needs) up to PHASE,
# for the benchmarks that live among its tests (dev.llmhub.e2e.*), and writes its test class path; sets
# $e2e_cp (its test classes and that path) and $dist.
bench_e2e_build() {
  local phase=$1 cp_file="$root/distribution/target/bench.classpath"
  shift
  "$root/mvnw" -B -q -ntp -f "$root/pom.xml" -pl distribution -am "$phase" dependency:build-classpath "$@" \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
  e2e_cp="$root/distribution/target/test-classes:$(cat "$cp_file")"
  bench_dist_dir
}

# bench_e2e_exec JAVA_ARGS...: replaces the script with a JVM on that class path, told where $dist is.
bench_e2e_exec() {
  exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$e2e_cp" -Dllmhub.dist.dir="$dist" "$@"
}

# bench_kafka_e2e WORK CLASS [ARGS...]: runs a Kafka benchmark among the distribution's tests (built with no
# test run), its broker working in distribution/target/WORK. The broker's jars are copied by the build of
# plugins/test-support/kafka-broker, which the harness finds by itself.
bench_kafka_e2e() {
  local work=$1
  shift
  bench_e2e_build package -DskipTests
  bench_e2e_exec -Dllmhub.kafka.work="$root/distribution/target/$work" "$@"
}

bench_need_wrk() {
  command -v wrk >/dev/null 2>&1 || { echo "bench: needs wrk as the load generator (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)" >&2; exit 1; }
}

# Prints a free loopback port.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

# Starts a fast OpenAI-compatible stub upstream in the background (nginx answering a fixed chat
# completion when nginx is installed, else bench/StubServer.java), appends its pid to $pids, sets
# $stub_port and $stub_kind. $1: a work folder.
bench_start_stub() {
  local work=$1 nginx_bin body
  nginx_bin=$(command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
  stub_port=$(bench_free_port)
  if [ -n "$nginx_bin" ]; then
    body='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Good morning! How can I assist you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":10,"total_tokens":21}}'
    mkdir -p "$work/nginx"
    cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 600s;
  client_max_body_size 0;  # any body: the proxy's own limit is what a run tests (nginx refuses > 1 MB by default)
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$stub_port;
    location / {
      default_type application/json;
      return 200 '$body';
    }
  }
}
NGINX
    "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2> "$work/stub.err" &
    pids+=($!)
    stub_kind="nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///')"
  else
    "$JAVA_HOME/bin/java" "$root/bench/StubServer.java" "$stub_port" > /dev/null 2> "$work/stub.err" &
    pids+=($!)
    stub_kind="bench/StubServer.java"
  fi
  for _ in $(seq 1 100); do
    curl -s -o /dev/null -X POST "http://127.0.0.1:$stub_port/v1/chat/completions" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: the stub upstream did not start: $(cat "$work/stub.err")" >&2
  exit 1
}

# bench_wrk URL CONNECTIONS SECONDS [KEY]: one closed-loop wrk run of the chat body (bench/wrk-chat.lua);
# prints "rps=R p50_ms=X p99_ms=Y requests=N errors=E" (errors: non-2xx answers and socket errors).
bench_wrk() {
  local url=$1 conns=$2 secs=$3 key=${4:-} threads
  threads=$(nproc)
  [ "$conns" -lt "$threads" ] && threads=$conns
  BENCH_KEY=$key wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$root/bench/wrk-chat.lua" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { e += $NF }
    /Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
    /^Requests\/sec:/ { r = $2 }
    END { printf "rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n", r, p50, p99, n, e }'
}

# field LINE NAME: the value of NAME=value in a line of such pairs.
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1; }

# bench_warm URL CONNECTIONS [KEY]: loads in windows until two in a row agree within the tolerance; sets
# $cold_rps (the first window), $warm_seconds and $warm_state (stable|unstable).
bench_warm() {
  local url=$1 conns=$2 key=${3:-} prev="" r elapsed=0 min=$BENCH_MIN_WARMUP
  [ "$min" -gt "$BENCH_MAX_WARMUP" ] && min=$BENCH_MAX_WARMUP
  cold_rps="" warm_state=unstable
  while [ "$elapsed" -lt "$BENCH_MAX_WARMUP" ]; do
    r=$(field "$(bench_wrk "$url" "$conns" "$BENCH_WINDOW" "$key")" rps)
    elapsed=$((elapsed + BENCH_WINDOW))
    [ -z "$cold_rps" ] && cold_rps=$r
    if [ -n "$prev" ] && [ "$elapsed" -ge "$min" ] && awk -v a="$prev" -v b="$r" -v t="$BENCH_TOLERANCE" \
         'BEGIN { m = a > b ? a : b; d = a - b; if (d < 0) d = -d; exit !(m > 0 && d / m <= t) }'; then
      warm_state=stable
      break
    fi
    prev=$r
  done
  warm_seconds=$elapsed
}

# bench_ticks PID...: the CPU time (user + system, clock ticks) the processes have used so far.
bench_ticks() {
  local p t=0 s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }  # the fields after the command name, which may hold spaces
    t=$((t + $(echo "$s" | awk '{ print $12 + $13 }')))
  done
  echo "$t"
}

# bench_thread_ticks PID: "NAME TICKS" per thread group of a process (user + system so far), its threads
# grouped by name without their numbers (the kernel keeps 15 characters of a name).
bench_thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(cut -d')' -f2- "$t/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
  done | awk -F'\t' '$2 != "" { n = $1; gsub(/[-#]?[0-9]+$/, "", n); gsub(/ +$/, "", n); t[n] += $2 }
    END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}

# bench_measure PID URL CONNECTIONS GC_LOG [KEY]: measures BENCH_SECONDS with the proxy's counters read
# before and after; prints the wrk line plus alloc_b_per_req, cpu_us_per_req, heap_after_gc_mb, rss_mb, load,
# and side_cpu_us_per_req when $bench_side_pids names other processes (the receivers of bench/pipeline.sh)
# whose CPU time per request is measured over the same seconds. Writes the proxy's CPU per request by
# thread group (µs, largest first) next to GC_LOG, in threads-cCONNECTIONS.
bench_measure() {
  local pid=$1 url=$2 conns=$3 gclog=$4 key=${5:-} before after res side0 side1 hz
  hz=$(getconf CLK_TCK)
  bench_thread_ticks "$pid" > "$gclog.threads0"
  side0=$(bench_ticks ${bench_side_pids:-})
  before=$("$JAVA_HOME/bin/java" "$root/bench/JvmProbe.java" "$pid")
  res=$(bench_wrk "$url" "$conns" "$BENCH_SECONDS" "$key")
  after=$("$JAVA_HOME/bin/java" "$root/bench/JvmProbe.java" "$pid")
  side1=$(bench_ticks ${bench_side_pids:-})
  bench_thread_ticks "$pid" > "$gclog.threads1"
  local n heap
  n=$(field "$res" requests)
  awk -F'\t' -v n="$n" -v hz="$hz" 'NR == FNR { b[$1] = $2; next } { d = $2 - b[$1]; if (d > 0 && n > 0) printf "%.1f\t%s\n", d * 1e6 / hz / n, $1 }' \
    "$gclog.threads0" "$gclog.threads1" | sort -rn > "$(dirname "$gclog")/threads-c$conns"
  [ -n "${bench_side_pids:-}" ] && res="$res side_cpu_us_per_req=$(awk -v a="$side0" -v b="$side1" -v n="$n" -v hz="$hz" \
    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')"
  heap=$(awk -v from="$(field "$before" uptime_ms)" -v to="$(field "$after" uptime_ms)" '
      function mb(v) { u = substr(v, length(v)); v += 0; return u == "G" ? v * 1024 : u == "K" ? v / 1024 : v }
      match($0, /^\[[0-9.]+s\]/) { t = substr($0, 2, RLENGTH - 3) * 1000
        if (t >= from && t <= to && match($0, /->[0-9]+[KMG]\(/)) { h = mb(substr($0, RSTART + 2, RLENGTH - 3)); if (h > m) m = h } }
      END { printf "%.0f", m }' "$gclog")
  printf '%s alloc_b_per_req=%.0f cpu_us_per_req=%.1f heap_after_gc_mb=%s rss_mb=%d load=%s\n' "$res" \
    "$(awk -v a="$(field "$before" allocated_bytes)" -v b="$(field "$after" allocated_bytes)" -v n="$n" 'BEGIN { print (n > 0 ? (b - a) / n : 0) }')" \
    "$(awk -v a="$(field "$before" cpu_ns)" -v b="$(field "$after" cpu_ns)" -v n="$n" 'BEGIN { print (n > 0 ? (b - a) / n / 1000 : 0) }')" \
    "$heap" "$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || echo 0)" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}

# bench_config [YAML...]: a proxy config serving the model "bench" from the stub upstream ($stub_port) with
# the master key sk-bench; each YAML argument is appended as it is (more general_settings lines first).
bench_config() {
  cat <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$stub_port/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: sk-bench
YAML
  [ $# -eq 0 ] || printf '%s\n' "$@"
}

# bench_startup_config: bench_config with bench/startup.sh's destinations: file (into $work/calls.jsonl) and
# otel towards a port that answers nothing (lanes retry off the request path).
bench_startup_config() {
  bench_config 'litellm_settings:
  callbacks: ["file", "otel"]
callback_settings:
  file:
    path: '"$work/calls.jsonl"'
  otel:
    endpoint: http://127.0.0.1:'"$(bench_free_port)"
}

# bench_file_callback PATH: the config lines enabling the file destination, writing to PATH.
bench_file_callback() {
  bench_file=$1 bench_callbacks file
}

# bench_start_receivers: an OTLP/gRPC receiver and the langfuse tests' Langfuse stand-in as one process
# (dev.llmhub.e2e.BenchReceivers, on $e2e_cp from bench_e2e_build), counting what arrives into
# $work/received; sets $otel_endpoint, $langfuse_url and $receivers_pid. They share the proxy's cores:
# BENCH_RECEIVERS_CHECK_ONE_IN (default 10) makes them decode and check one request in that many by all
# their rules and only count the spans of the others (1: check every request, as the tests do).
# BENCH_RECEIVERS_JAVA_OPTS: more JVM options for them (e.g.
# -XX:StartFlightRecording=filename=receivers.jfr,settings=profile).
bench_start_receivers() {
  : "${BENCH_RECEIVERS_CHECK_ONE_IN:=10}"
  # shellcheck disable=SC2086 # options are words
  "$JAVA_HOME/bin/java" -Xmx512m ${BENCH_RECEIVERS_JAVA_OPTS:-} -Djava.util.logging.config.file="$root/.ci/test-logging.properties" -cp "$e2e_cp" \
    dev.llmhub.e2e.BenchReceivers "$work/received" "$BENCH_RECEIVERS_CHECK_ONE_IN" > "$work/receivers.out" 2> "$work/receivers.err" &
  receivers_pid=$!
  pids+=($!)
  for _ in $(seq 1 300); do grep -q '^otel=' "$work/receivers.out" && break; sleep 0.1; done
  otel_endpoint=$(field "$(grep -m1 '^otel=' "$work/receivers.out")" otel)
  langfuse_url=$(field "$(grep -m1 '^otel=' "$work/receivers.out")" langfuse)
  [ -n "$otel_endpoint" ] && [ -n "$langfuse_url" ] || { echo "bench: the receivers did not start: $(cat "$work/receivers.err")" >&2; exit 1; }
}

# bench_callbacks NAME...: the config lines enabling those destinations (file, otel, langfuse): the file
# into $bench_file (default $work/calls.jsonl), otel and langfuse into the receivers of bench_start_receivers.
bench_callbacks() {
  local names="" settings="" n
  for n in "$@"; do
    names+="${names:+, }\"$n\""
    case $n in
      file) settings+="  file:
    path: ${bench_file:-$work/calls.jsonl}
" ;;
      otel) settings+="  otel:
    endpoint: $otel_endpoint
" ;;
      langfuse) settings+="  langfuse:
    host: $langfuse_url
    public_key: pk-lf-standin-0001
    secret_key: sk-lf-standin-SECRET-7f3a9c
" ;;
      *) echo "bench: unknown destination $n (file, otel, langfuse)" >&2; exit 2 ;;
    esac
  done
  printf 'litellm_settings:\n  callbacks: [%s]\ncallback_settings:\n%s\n' "$names" "${settings%$'\n'}"
}

# bench_destinations_config [NAME...]: bench_config with those destinations enabled (bench_callbacks).
bench_destinations_config() {
  if [ $# -eq 0 ]; then
    bench_config
  else
    bench_config "$(bench_callbacks "$@")"
  fi
}

# bench_start_redis NAME: a redis-server on a free loopback port in $work, no persistence, killed on exit;
# waits for its PING; sets redis_port_NAME and redis_pid_NAME. Needs redis-server (apt-get install redis-server).
bench_start_redis() {
  local port
  command -v redis-server >/dev/null || { echo "bench: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
  port=$(bench_free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no \
    --loglevel warning > "$work/redis-$1.log" 2>&1 &
  pids+=($!)
  printf -v "redis_pid_$1" '%s' "$!"
  printf -v "redis_port_$1" '%s' "$port"
  for _ in $(seq 1 500); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.02; done
  echo "bench: redis-server did not start: $(cat "$work/redis-$1.log")" >&2
  exit 1
}

# bench_start_mock_proxy NAME RPM [ROUTER_SETTINGS]: bin/llmhub serving the model "bench" from the mock
# provider (no upstream) with that rpm limit, no retries, the master key sk-bench, and these extra
# router_settings lines; sets port_NAME and pid_NAME.
bench_start_mock_proxy() {
  local yaml
  yaml=$(cat <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: mock/bench
      mock_response: "Good morning to you too."
      rpm: $2
router_settings:
  num_retries: 0
${3:-}
general_settings:
  master_key: sk-bench
YAML
)
  bench_start_proxy "$1" "$yaml"
  printf -v "port_$1" '%s' "$proxy_port"
  printf -v "pid_$1" '%s' "$proxy_pid"
}

# bench_start_proxy NAME YAML: starts bin/llmhub on a free port with that config (in $work/NAME/, its data
# directory too unless BENCH_DATA_DIR names one) and waits until it is ready; sets $proxy_pid, $proxy_port
# and $start_ms (exec to readiness).
bench_start_proxy() {
  local name=$1 yaml=$2 t0
  mkdir -p "$work/$name"
  proxy_port=$(bench_free_port)
  printf '%s\n' "$yaml" > "$work/$name/config.yaml"
  t0=$(date +%s%N)
  (cd "$work/$name" && LLMHUB_JAVA_OPTS="${LLMHUB_JAVA_OPTS:-} $bench_probe_opts -Xlog:gc:file=$work/$name/gc.log:uptime" exec "$dist/bin/llmhub" \
     --config "$work/$name/config.yaml" --host 127.0.0.1 --port "$proxy_port" --data-dir "${BENCH_DATA_DIR:-$work/$name/data}" \
     --plugins-dir "${BENCH_PLUGINS_DIR:-$dist/plugins}") > "$work/$name/proxy.log" 2>&1 &
  proxy_pid=$!
  pids+=($proxy_pid)
  bench_await_ready "$name" "$t0"
}

# bench_await_ready NAME T0_NS: waits for $proxy_pid to answer /health/readiness on $proxy_port; sets
# $start_ms (from T0 to the first 200). Prints $work/NAME/proxy.log and exits when it dies or never does.
bench_await_ready() {
  local name=$1 t0=$2 i
  for i in $(seq 1 1500); do
    if curl -sf "http://127.0.0.1:$proxy_port/health/readiness" >/dev/null 2>&1; then
      start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      return 0
    fi
    kill -0 "$proxy_pid" 2>/dev/null || break
    sleep 0.02
  done
  echo "bench: the proxy ($name) did not start:" >&2
  cat "$work/$name/proxy.log" >&2
  exit 1
}

bench_stop_proxy() {
  kill "$proxy_pid" 2>/dev/null || true
  wait "$proxy_pid" 2>/dev/null || true
}

# bench_row NAME CONNECTIONS LINE [COLD WARM_S WARM_STATE START_MS]: appends a row to $work/rows.
bench_row() {
  printf '%s|%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "${4:--}" "${5:--}" "${6:--}" "${7:--}" >> "$work/rows"
}

# bench_proxy_row NAME YAML [KEY]: one proxy from start to stop, measured at each of $BENCH_CONNECTIONS
# (warmed at the first). Leaves the proxy's folder in $work/NAME (its log, gc log, metrics). The proxy is
# started by bench_start_proxy, or by the function named in $bench_starter (same arguments and results).
bench_proxy_row() {
  local name=$1 yaml=$2 key=${3:-} url first=1 c line
  "${bench_starter:-bench_start_proxy}" "$name" "$yaml"
  url="http://127.0.0.1:$proxy_port/v1/chat/completions"
  for c in $BENCH_CONNECTIONS; do
    if [ $first = 1 ]; then
      bench_warm "$url" "$c" "$key"
    fi
    line=$(bench_measure "$proxy_pid" "$url" "$c" "$work/$name/gc.log" "$key")
    if [ $first = 1 ]; then
      bench_row "$name" "$c" "$line" "$cold_rps" "$warm_seconds" "$warm_state" "$start_ms"
    else
      bench_row "$name" "$c" "$line"
    fi
    first=0
    echo "  $name c=$c: $line" >&2
  done
  if declare -F bench_before_stop >/dev/null; then
    bench_before_stop "$name"
  else
    curl -s "http://127.0.0.1:$proxy_port/metrics" > "$work/$name/metrics" || true
  fi
  bench_stop_proxy
}

# bench_rounds FUNCTION: calls FUNCTION ROW NAME for each row of $BENCH_ROWS, BENCH_REPEAT times over (rows
# alternating, so every row meets the same load), NAME being the row's name in the table (bench_round_name).
bench_rounds() {
  local round row
  for round in $(seq 1 "$BENCH_REPEAT"); do
    for row in $BENCH_ROWS; do
      "$1" "$row" "$(bench_round_name "$row" "$round")"
    done
  done
}

# bench_round_name ROW ROUND: the row's name in the table: ROW, or ROW@ROUND when BENCH_REPEAT > 1.
bench_round_name() {
  if [ "$BENCH_REPEAT" -gt 1 ]; then echo "$1@$2"; else echo "$1"; fi
}

# bench_direct_rows: the stub straight, at each of $BENCH_CONNECTIONS (the ratio's denominator).
bench_direct_rows() {
  local c line url="http://127.0.0.1:$stub_port/v1/chat/completions"
  for c in $BENCH_CONNECTIONS; do
    bench_wrk "$url" "$c" "$BENCH_WINDOW" >/dev/null
    line=$(bench_wrk "$url" "$c" "$BENCH_SECONDS")
    bench_row direct "$c" "$line load=$(cut -d' ' -f1 /proc/loadavg)"
    echo "  direct c=$c: $line" >&2
  done
}

# bench_table BASELINE: prints $work/rows as one table; ratios are to the direct row and to the row
# named BASELINE at the same connection count.
bench_table() {
  local base=$1
  awk -F'|' -v base="$base" -v window="$BENCH_WINDOW" '
    function f(line, k,   n, a, i, kv) { n = split(line, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); if (kv[1] == k) return kv[2] } return "" }
    function round(n) { return match(n, /@[0-9]+$/) ? substr(n, RSTART) : "" }
    function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return n == 0 ? "-" : n % 2 ? a[(n + 1) / 2] : sprintf("%.3f", (a[n / 2] + a[n / 2 + 1]) / 2) }
    { name[NR] = $1; conns[NR] = $2; line[NR] = $3; cold[NR] = $4; warm[NR] = $5; state[NR] = $6; start[NR] = $7
      if ($1 == "direct") direct[$2] = f($3, "rps"); if ($1 == base round($1)) b[round($1), $2] = f($3, "rps")
      if (f($3, "side_cpu_us_per_req") != "") side = 1 }
    END {
      printf "%-22s %5s %8s %8s %8s %7s %7s %8s %6s %8s %9s %9s %8s %7s %6s %5s%s\n", "row", "conns", "rps", "p50_ms", "p99_ms",
        "/direct", "/" substr(base, 1, 6), "cold_rps", "cold/w", "warmup_s", "alloc_B/r", "cpu_us/r", "heapGC_M", "rss_M", "start", "load",
        side ? sprintf(" %9s", "side_us/r") : ""
      for (i = 1; i <= NR; i++) {
        r = f(line[i], "rps"); d = direct[conns[i]]; bb = b[round(name[i]), conns[i]]; sc = f(line[i], "side_cpu_us_per_req")
        if (round(name[i]) != "") { k = substr(name[i], 1, length(name[i]) - length(round(name[i]))) "|" conns[i]
          if (!(k in draws)) order[++keys] = k
          draws[k]++; mr[k] = mr[k] " " r; m50[k] = m50[k] " " f(line[i], "p50_ms"); mcpu[k] = mcpu[k] " " f(line[i], "cpu_us_per_req")
          if (bb > 0) mb[k] = mb[k] " " sprintf("%.3f", r / bb) }
        printf "%-22s %5s %8s %8s %8s %7s %7s %8s %6s %8s %9s %9s %8s %7s %6s %5s%s%s\n", name[i], conns[i], r, f(line[i], "p50_ms"), f(line[i], "p99_ms"),
          (d > 0 ? sprintf("%.2f", r / d) : "-"), (bb > 0 ? sprintf("%.2f", r / bb) : "-"), cold[i],
          (cold[i] > 0 && r > 0 ? sprintf("%.2f", cold[i] / r) : "-"), warm[i] (state[i] == "unstable" ? "!" : ""),
          (f(line[i], "alloc_b_per_req") == "" ? "-" : f(line[i], "alloc_b_per_req")), (f(line[i], "cpu_us_per_req") == "" ? "-" : f(line[i], "cpu_us_per_req")),
          (f(line[i], "heap_after_gc_mb") == "" ? "-" : f(line[i], "heap_after_gc_mb")), (f(line[i], "rss_mb") == "" ? "-" : f(line[i], "rss_mb")),
          start[i], f(line[i], "load"), side ? sprintf(" %9s", sc == "" ? "-" : sc) : "",
          (f(line[i], "errors") + 0 > 0 ? "  errors=" f(line[i], "errors") : "")
      }
      print "(ratios: rps to the direct row and to the " base " row at the same connections; cold/w: the first " window " s window"
      print " over the measured rps; warmup_s: seconds of windows until two agreed, ! when they never did; start: ms from exec to"
      print " ready; alloc/cpu per request: the whole proxy process; heapGC_M: largest heap after a GC while measured; load: 1-min load"
      print (side ? " side_us/r: CPU per request of the processes beside the proxy that the script names (not wrk, not the stub))" : ")")
      if (keys > 0) {
        printf "\nmedians of the draws (each ROW@ROUND above; /%s: the median of each round'"'"'s own ratio):\n", substr(base, 1, 6)
        printf "%-22s %5s %5s %8s %8s %9s %7s\n", "row", "conns", "draws", "rps", "p50_ms", "cpu_us/r", "/" substr(base, 1, 6)
        for (j = 1; j <= keys; j++) { split(order[j], kc, "|")
          printf "%-22s %5s %5s %8.0f %8.3f %9.1f %7s\n", kc[1], kc[2], draws[order[j]], median(mr[order[j]]), median(m50[order[j]]),
            median(mcpu[order[j]]), (order[j] in mb ? sprintf("%.2f", median(mb[order[j]])) : "-") }
      }
    }' "$work/rows"
}

# Prints what the numbers were taken on.
bench_header() {
  echo "$1: $(nproc) CPUs, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1), stub $stub_kind, wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}'),"
  echo "  windows ${BENCH_WINDOW}s until two agree within $(awk -v t="$BENCH_TOLERANCE" 'BEGIN { print t * 100 }')% (at least ${BENCH_MIN_WARMUP}s, at most ${BENCH_MAX_WARMUP}s), then ${BENCH_SECONDS}s measured; LLMHUB_JAVA_OPTS='${LLMHUB_JAVA_OPTS:-}'"
  echo "  load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
