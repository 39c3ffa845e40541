#!/usr/bin/env bash
# Journal benchmark: llmhub's LocalJournal against RocksDB (JNI), H2 MVStore and Chronicle Queue at
# durability "process", plus the group-commit strategies, the record codec (JSON vs Smile) and the heap
# with a backlog. Each measurement runs in its own JVM, warmed before it is measured; the 1 GiB
# recovery run kills the writing process with SIGKILL and times a fresh JVM opening the store.
#   bench/journal.sh [warmup-seconds=30] [measured-seconds=15] [recovery-GiB=1]
#   BENCH_SECTIONS=12 bench/journal.sh ...   only tables 1 and 2 (of 1 commit, 2 stores, 3 codec, 4 heap)
#   BENCH_STORES=llmhub,rocksdb bench/journal.sh ...   only these stores in table 2
# Needs ~6 GB free disk (in $TMPDIR) and downloads RocksDB, H2 and Chronicle on the first run (the
# bench/journal-compare project is not part of the normal build). Numbers are for comparing on one
# machine, not pass/fail. Results go into docs/journal-choice.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/distribution/src/main/dist/bin/find-java.sh"
cd "$root"
echo "bench: using $JAVA_HOME" >&2
version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$root/pom.xml")
# hub-core and plugin-api jars from this checkout (package, never install: ~/.m2 is shared)
./mvnw -B -q -ntp -pl hub-core -am package -DskipTests >&2
cp_file=$(mktemp)
work=$(mktemp -d "${TMPDIR:-/tmp}/llmhub-journal-bench.XXXXXX")
trap 'rm -rf "$work" "$cp_file"' EXIT
./mvnw -B -q -ntp -f bench/journal-compare/pom.xml package dependency:build-classpath \
  -Dllmhub.version="$version" -Dmdep.outputFile="$cp_file" >&2
cp="$root/bench/journal-compare/target/classes:$(cat "$cp_file")"

"$JAVA_HOME/bin/java" -Dbench.sections="${BENCH_SECTIONS:-1234}" -Dbench.stores="${BENCH_STORES:-llmhub,rocksdb,mvstore,chronicle}" -cp "$cp" dev.llmhub.bench.journal.Bench all "$work" "${1:-30}" "${2:-15}" "${3:-1}"

# Lines of code of the implementation (no blank lines, no comments), without the contract's interfaces.
echo
echo "5. lines of code (no blanks or comments)"
loc() { cat "$@" | sed -e 's://.*$::' | awk '
  /\/\*/ { c = 1 } { if (!c && $0 !~ /^[ \t]*$/) n++ } /\*\// { c = 0 } END { print n + 0 }'; }
journal="$root/hub-core/src/main/java/dev/llmhub/core/journal"
contract=(Journal JournalReader Append Entry StartFrom CursorInfo JournalStats JournalCodec JournalObserver
  Durability JournalClosedException JournalWriteException JournalOpenException)
impl=()
for f in "$journal"/*.java; do
  n=$(basename "$f" .java)
  [[ " ${contract[*]} " == *" $n "* ]] || impl+=("$f")
done
printf '%-44s %6s\n' "journal implementation (${#impl[@]} files)" "$(loc "${impl[@]}")"
printf '%-44s %6s\n' "  of which MemoryJournal" "$(loc "$journal/MemoryJournal.java")"
printf '%-44s %6s\n' "journal contract (${#contract[@]} files)" "$(loc $(printf "$journal/%s.java " "${contract[@]}"))"
