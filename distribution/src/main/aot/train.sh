#!/usr/bin/env bash
# Build step (distribution/pom.xml, prepare-package): trains the AOT cache of the assembled folder DIST
# and writes lib/llmhub.aot plus lib/llmhub.aot.jdk (the JDK's JAVA_RUNTIME_VERSION, which bin/llmhub
# compares with its own JDK's before it uses the cache) into DIST and into OUT (for the tar.gz).
# JDK 24+ only (-XX:AOTMode record/create, JEP 483/515); an older build JDK leaves no cache, and
# bin/llmhub then starts without one. The training JVM runs with bin/llmhub's heap options, class path
# and JDK: the cache is only used by a JVM that matches it.
#   train.sh DIST OUT [ROUNDS]
set -euo pipefail
dist=$1 out=$2 rounds=${3:-1000}
rm -rf "$out" "$dist/lib/llmhub.aot" "$dist/lib/llmhub.aot.jdk"
mkdir -p "$out"
. "$dist/bin/class-path.sh"
java="$JAVA_HOME/bin/java"
major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${major:-0}" -lt 24 ]; then
  echo "llmhub AOT cache: skipped (JDK $major; the cache needs JDK 24+)"
  exit 0
fi
runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
if [ -z "$runtime" ]; then
  echo "llmhub AOT cache: skipped ($JAVA_HOME/release names no JAVA_RUNTIME_VERSION, so bin/llmhub could not match it)"
  exit 0
fi
llmhub_class_path "$dist"
cp=$llmhub_cp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
opts=(-Xms64m -Xmx512m -Xlog:aot=error -Xlog:cds=error)  # bin/llmhub's heap options
t0=$(date +%s)
"$java" "${opts[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$work/llmhub.aotconf" -cp "$cp" \
  dev.llmhub.server.AotTraining "$dist/plugins" "$rounds" > "$work/record.log" 2>&1 || { cat "$work/record.log" >&2; exit 1; }
grep '^llmhub AOT training:' "$work/record.log" || true
"$java" "${opts[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$work/llmhub.aotconf" -XX:AOTCache="$out/llmhub.aot" \
  -cp "$cp" > "$work/create.log" 2>&1 || { cat "$work/create.log" >&2; exit 1; }
printf '%s\n' "$runtime" > "$out/llmhub.aot.jdk"
cp "$out/llmhub.aot" "$out/llmhub.aot.jdk" "$dist/lib/"
echo "llmhub AOT cache: lib/llmhub.aot ($(( $(stat -c %s "$out/llmhub.aot") / 1048576 )) MB) for JDK $runtime, trained in $(( $(date +%s) - t0 )) s"
