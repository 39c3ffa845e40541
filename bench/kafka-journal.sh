#!/usr/bin/env bash
# Requests/s and p50/p99 latency of the proxy with the Kafka journal (general_settings.journal.kind:
# kafka) against the local journal, both with durability: process (Kafka: acks=1; local: the write
# returned). For each, the assembled distribution runs as a process with a mock model and the file
# destination, 16 closed-loop clients call it until the request rate reaches a plateau (5 s windows,
# >= 30 s; the first window is printed apart as the cold figure), then the rate and latencies are
# measured. The broker is a real single-node KRaft broker
# (Kafka 4.4 from Maven Central, its own JVM) on the same machine.
# Usage: bench/kafka-journal.sh [measured seconds=20] [clients=16] [max warm-up seconds=120]
# Needs: Maven (./mvnw) and a JDK >= 21.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
bench_kafka_e2e kafka-journal-bench-work dev.llmhub.e2e.KafkaJournalBenchmark "$@"
