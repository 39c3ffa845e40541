# Sourced, not run. Sets JAVA_HOME to a JDK >= 21 (llmhub needs Java 21+: Helidon 4) and puts its
# java first on PATH, or prints why not and exits 1. Order: $JAVA_HOME if new enough, then macOS's
# java_home, then the newest JDK under the usual folders, then `java` on PATH.

llmhub_java_major() {
  # $1: a JDK home. Prints its feature version (17, 21, 25…), or nothing.
  local home=$1 v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.}
  printf '%s\n' "${v%%[.+-]*}"
}

llmhub_find_java() {
  local min=21 best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(llmhub_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      best=$JAVA_HOME
    fi
  fi
  if [ -z "$best" ] && [ -x /usr/libexec/java_home ]; then
    home=$(/usr/libexec/java_home -v "$min+" 2>/dev/null) && best=$home
  fi
  if [ -z "$best" ]; then
    for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
      [ -d "$home" ] || continue
      major=$(llmhub_java_major "$home")
      if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
        best=$home best_major=$major
      fi
    done
  fi
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    home=$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)
    major=$(llmhub_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
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
