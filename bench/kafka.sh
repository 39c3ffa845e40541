#!/usr/bin/env bash
# Records/s through the proxy into a real Kafka broker (single-node KRaft, Kafka 4.4 from Maven Central,
# as its own JVM), with acks=all (idempotent producer) and acks=1: the assembled distribution runs as a
# process with the kafka destination, closed-loop clients call a mock model until the rate into the topic
# reaches a plateau (>= 30 s; the first window is printed apart as the cold figure), then the
# sustained rate is measured; then a backlog made while the broker
# is down is drained into the restarted broker (the lane's own capacity). One line per acks setting.
# Usage: bench/kafka.sh [measured seconds=20] [clients=16] [backlog calls=30000] [max warm-up seconds=120]
# Needs: Maven (./mvnw) and a JDK >= 21.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
bench_kafka_e2e kafka-bench-work dev.llmhub.e2e.KafkaProxyBenchmark "$@"
