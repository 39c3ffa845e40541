# Sourced by the bench scripts, after find-java.sh and with $root set.

# Sets $dist to the assembled distribution, building it first when a source or pom is newer than the
# last build (the same rule as ./llmhub).
bench_dist() {
  local version stamp
  version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$root/pom.xml")
  dist="$root/distribution/target/llmhub-$version/llmhub-$version"
  stamp="$dist/.built-from-checkout"
  if [ ! -x "$dist/bin/llmhub" ] || [ ! -f "$stamp" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o -name target -prune -o \
       \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$stamp" -print -quit)" ]; then
    echo "bench: building the distribution (./mvnw package -DskipTests)..." >&2
    "$root/mvnw" -q -B -DskipTests package >&2
    touch "$stamp"
  fi
}

# Starts bench/StubServer.java (a fast OpenAI-compatible upstream) in the background, appends its pid
# to the array $pids and sets $stub_port. $1: a work folder for its output.
bench_start_stub() {
  local work=$1
  "$JAVA_HOME/bin/java" "$root/bench/StubServer.java" > "$work/stub.port" 2> "$work/stub.err" &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$work/stub.port" ] && break; sleep 0.1; done
  stub_port=$(head -n1 "$work/stub.port")
  [ -n "$stub_port" ] || { echo "bench: the stub did not start: $(cat "$work/stub.err")" >&2; exit 1; }
}

# Prints a free loopback port.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}
