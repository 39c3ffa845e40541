#!/usr/bin/env bash
# Throughput of the elasticsearch destination into a real Elasticsearch 9.2 server (the test build's
# integ-test distribution), per batch size, one export at a time (what one lane with concurrency 1 does).
# Usage: bench/elasticsearch.sh [seconds-per-size] [batch sizes...]   e.g. bench/elasticsearch.sh 20 50 200 1000
# Needs: Maven (./mvnw) and a JDK >= 21 (found like bin/llmhub finds it). Runs Elasticsearch as an
# unprivileged user when started as root, exactly like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. distribution/src/main/dist/bin/find-java.sh

seconds=${1:-20}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 200 1000)

mvn=./mvnw
[ -x "$mvn" ] || mvn=mvn
module=plugins/elasticsearch
cp_file=$module/target/bench.classpath
# Compile (with the core it needs) and unpack the server; then write the test class path.
"$mvn" -B -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
# hub-core's test classes (SampleRecords) come from the reactor, not from an installed test-jar.
cp="$cp:hub-core/target/test-classes:hub-core/target/classes"

exec java -Xmx512m -cp "$cp" \
  -Dllmhub.es.home="$module/target/elasticsearch-9.2.0" \
  -Dllmhub.es.work="$module/target/bench-work" \
  dev.llmhub.plugin.elasticsearch.ElasticsearchBenchmark "$seconds" "${sizes[@]}"
