#!/usr/bin/env bash
# Pipeline benchmark: prints records/s through one delivery lane into a no-op destination at several
# batch sizes, and the request-path cost of publish() with 0, 1 and 4 lanes.
#   bench/pipeline.sh [records-per-run]      (default 300000)
# Numbers compare runs on one machine; they are not pass/fail.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
cd "$root"
echo "bench: using $JAVA_HOME" >&2
./mvnw -B -q -ntp -pl hub-core -am test-compile -DskipTests >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -ntp -pl hub-core dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
cp="$root/hub-core/target/test-classes:$root/hub-core/target/classes:$root/plugin-api/target/classes:$(cat "$cp_file")"
"$JAVA_HOME/bin/java" -Xms512m -Xmx1g -Djava.util.logging.config.file="$root/.ci/test-logging.properties" \
  -cp "$cp" dev.llmhub.core.delivery.LaneBenchmark "${1:-300000}"

# TODO(lead, after the merge): proxy throughput with 0 vs 4 lanes enabled. Needs the server (issue 2):
# start `./llmhub --config <mock model config, callbacks: 4 destinations>` twice (no callbacks / four
# lanes such as file + faulty no-ops), drive POST /chat/completions against the mock provider with a
# fixed concurrency for a fixed time, and print requests/s and p50/p99 latency for both runs.
echo
echo "proxy throughput with 0 vs 4 lanes: TODO (needs the server; see the end of bench/pipeline.sh)"
