# Sourced, not run. Sets JAVA_HOME to a JDK >= 21 (llmhub needs Java 21+: Helidon 4) and puts its
# java first on PATH, or prints why not and exits 1. Order: $JAVA_HOME if new enough, then macOS's
# java_home, then the newest JDK under the usual folders, then `java` on PATH.
# Bash builtins where it can: bin/llmhub sources this on every start, and each command substitution or
# external command is a fork (tens of ms each on a loaded machine: see docs/performance.md).

llmhub_release_value() {
  # $1: a JDK's release file, $2: a key (JAVA_VERSION, JAVA_RUNTIME_VERSION). Sets llmhub_value to its
  # quoted value, or to nothing.
  local line
  llmhub_value=""
  [ -f "$1" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line == "$2=\""* ]]; then
      line=${line#"$2=\""}
      llmhub_value=${line%%\"*}
      return 0
    fi
  done < "$1"
}

llmhub_java_major() {
  # $1: a JDK home. Sets llmhub_major to its feature version (17, 21, 25…), or to nothing.
  local home=$1 v
  llmhub_major=""
  [ -x "$home/bin/java" ] || return 0
  llmhub_release_value "$home/release" JAVA_VERSION
  v=$llmhub_value
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.}
  llmhub_major=${v%%[.+-]*}
}

llmhub_find_java() {
  local min=21 best="" best_major=0 home
  if [ -n "${JAVA_HOME:-}" ]; then
    llmhub_java_major "$JAVA_HOME"
    if [ -n "$llmhub_major" ] && [ "$llmhub_major" -ge "$min" ]; then
      best=$JAVA_HOME
    fi
  fi
  if [ -z "$best" ] && [ -x /usr/libexec/java_home ]; then
    home=$(/usr/libexec/java_home -v "$min+" 2>/dev/null) && best=$home
  fi
  if [ -z "$best" ]; then
    for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
      [ -d "$home" ] || continue
      llmhub_java_major "$home"
      if [ -n "$llmhub_major" ] && [ "$llmhub_major" -ge "$min" ] && [ "$llmhub_major" -gt "$best_major" ]; then
        best=$home best_major=$llmhub_major
      fi
    done
  fi
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    home=$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)
    llmhub_java_major "$home"
    if [ -n "$llmhub_major" ] && [ "$llmhub_major" -ge "$min" ]; then
      best=$home
    fi
  fi
  if [ -z "$best" ]; then
    echo "llmhub needs a JDK $min or newer, and none was found." >&2
    echo "Looked at JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm, /usr/local/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks and the java on PATH." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}

llmhub_find_java
