#!/usr/bin/env bash
# Console search benchmark: fills a journal on disk with N seed-shaped call records (default 200000,
# about 400 MiB) and prints how long the console's searches take over it — the newest page, a call id
# and a metadata value (the byte pre-filter skips records without decoding them), one call by id, and
# filters that must decode every record (hub-core's SearchBenchmark).
#   bench/console-search.sh [records=200000]
# Numbers compare runs on one machine; they are not pass/fail.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
cd "$root"
echo "bench: using $JAVA_HOME" >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -ntp -pl hub-core -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
cp="$root/hub-core/target/test-classes:$root/hub-core/target/classes:$root/plugin-api/target/classes:$(cat "$cp_file")"
"$JAVA_HOME/bin/java" -Xms512m -Xmx1g -Djava.util.logging.config.file="$root/.ci/test-logging.properties" \
  -cp "$cp" dev.llmhub.core.search.SearchBenchmark "${1:-200000}"
