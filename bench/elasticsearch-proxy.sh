#!/usr/bin/env bash
# Sustained records/s from the proxy's lane into a real Elasticsearch 9.2: the assembled distribution
# runs as a process with the elasticsearch destination, closed-loop clients send calls (mock model)
# through it, and the clock stops when the last document is searchable. One line per lane batch size.
# (bench/elasticsearch.sh measures the destination alone, without the proxy.)
# Usage: bench/elasticsearch-proxy.sh [calls=20000] [clients=8] [batch sizes... (100 512 2000)]
# Needs: Maven (./mvnw) and a JDK >= 21. Runs Elasticsearch as an unprivileged user when started as
# root, exactly like the tests.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
# Assemble the distribution, unpack the server (pre-integration-test) and compile the benchmark, running
# no test; then write the distribution's test class path (the last module of the reactor writes last).
bench_e2e_build pre-integration-test -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
es_home=$(ls -d "$root"/distribution/target/elasticsearch-* | head -n1)
bench_e2e_exec -Dllmhub.es.home="$es_home" \
  -Dllmhub.es.work="$root/distribution/target/es-bench-work" \
  dev.llmhub.e2e.ElasticsearchProxyBenchmark "$@"
