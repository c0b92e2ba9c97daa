# Sourced by ./mvnw, ./gantry and .ci/run: points JAVA_HOME at a JDK of version 21 or newer.
# Order: JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm (or on macOS's
# java_home), else the `java` on PATH if it is new enough.

gantry_java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

gantry_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(gantry_java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return 0
  fi
  best="" best_major=0
  case $- in *f*) set +f; gantry_noglob=1 ;; *) gantry_noglob=0 ;; esac # ./mvnw runs under `set -f`
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    major=$(gantry_java_major "$home/bin/java")
    if [ "$major" -gt "$best_major" ]; then best="$home" best_major=$major; fi
  done
  [ "$gantry_noglob" = 0 ] || set -f
  if [ "$best_major" -lt 21 ] && command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(gantry_java_major "$home/bin/java")
    if [ "$major" -gt "$best_major" ]; then best="$home" best_major=$major; fi
  fi
  if [ "$best_major" -lt 21 ]; then
    echo "Gantry needs a JDK 21 or newer; none found (set JAVA_HOME)." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
