#!/usr/bin/env bash
# Requests/s and p50/p99 latency of the proxy with the Kafka journal (general_settings.journal.kind:
# kafka) against the local journal, both with durability: process (Kafka: acks=1; local: the write
# returned). For each, the assembled distribution runs as a process with a mock model and the file
# destination, 16 closed-loop clients call it until the request rate reaches a plateau (5 s windows,
# >= 30 s), then the rate and latencies are measured. The broker is a real single-node KRaft broker
# (Kafka 4.4 from Maven Central, its own JVM) on the same machine.
# Usage: bench/kafka-journal.sh [measured seconds=20] [clients=16] [max warm-up seconds=120]
# Needs: Maven (./mvnw) and a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
. distribution/src/main/dist/bin/find-java.sh

mvn=./mvnw
[ -x "$mvn" ] || mvn=mvn
cp_file=distribution/target/bench.classpath
# Assemble the distribution and compile the benchmark, running no test; then write the distribution's test
# class path. The broker's jars are copied by the build of plugins/test-support/kafka-broker.
"$mvn" -B -q -pl distribution -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >/dev/null
version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml)

exec "$JAVA_HOME/bin/java" -Xmx512m -cp "distribution/target/test-classes:$(cat "$cp_file")" \
  -Dllmhub.dist.dir="$PWD/distribution/target/llmhub-$version/llmhub-$version" \
  -Dllmhub.kafka.work="$PWD/distribution/target/kafka-journal-bench-work" \
  dev.llmhub.e2e.KafkaJournalBenchmark "$@"
