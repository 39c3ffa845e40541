#!/usr/bin/env bash
# Sustained records/s from the proxy's lane into a real Elasticsearch 9.2: the assembled distribution
# runs as a process with the elasticsearch destination, closed-loop clients send calls (mock model)
# through it, and the clock stops when the last document is searchable. One line per lane batch size.
# (bench/elasticsearch.sh measures the destination alone, without the proxy.)
# Usage: bench/elasticsearch-proxy.sh [calls=20000] [clients=8] [batch sizes... (100 512 2000)]
# Needs: Maven (./mvnw) and a JDK >= 21. Runs Elasticsearch as an unprivileged user when started as
# root, exactly like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. distribution/src/main/dist/bin/find-java.sh

mvn=./mvnw
[ -x "$mvn" ] || mvn=mvn
cp_file=distribution/target/bench.classpath
# Assemble the distribution, unpack the server (pre-integration-test) and compile the benchmark, running
# no test; then write the distribution's test class path (the last module of the reactor writes last).
"$mvn" -B -q -pl distribution -am pre-integration-test dependency:build-classpath \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >/dev/null
version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml)
es_version=$(ls -d distribution/target/elasticsearch-* | head -n1)

exec "$JAVA_HOME/bin/java" -Xmx512m -cp "distribution/target/test-classes:$(cat "$cp_file")" \
  -Dllmhub.dist.dir="$PWD/distribution/target/llmhub-$version/llmhub-$version" \
  -Dllmhub.es.home="$PWD/$es_version" \
  -Dllmhub.es.work="$PWD/distribution/target/es-bench-work" \
  dev.llmhub.e2e.ElasticsearchProxyBenchmark "$@"
