#!/usr/bin/env bash
# µs to encode one call record (the seed's) to its JSON, in rounds after the JIT's warm-up: the journal's
# per-call encoding cost on its own (bench/RecordEncoding.java against hub-core's classes).
#   bench/record-encoding.sh [ROUNDS=10] [N=400000]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/common.sh"
cp_file="$root/hub-core/target/bench.classpath"
"$root/mvnw" -B -q -ntp -f "$root/pom.xml" -pl hub-core -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$root/hub-core/target/classes:$root/hub-core/target/test-classes:$(cat "$cp_file")" \
  "$root/bench/RecordEncoding.java" "${1:-10}" "${2:-400000}"
