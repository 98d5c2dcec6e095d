#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK >= 21 for the build: $JAVA_HOME when it is one, else Temurin 25 where this kind of
# machine keeps it. Exits 1 with what to install when neither is there.
set -u

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
  major=$(java_major "$candidate")
  if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done

echo "No JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}' is unset or older)." >&2
echo "Install one (e.g. Temurin 21 or 25: https://adoptium.net) and set JAVA_HOME to it." >&2
exit 1
