# Sourced by ./mvnw, ./gantry, bench/run and .ci/run: points JAVA_HOME at a JDK of version 21 or
# newer, and says which flags a Gantry process runs with on it.
# Order: JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm (or on macOS's
# java_home), else the `java` on PATH if it is new enough.

gantry_java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

gantry_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    GANTRY_JAVA_MAJOR=$(gantry_java_major "$JAVA_HOME/bin/java")
    [ "$GANTRY_JAVA_MAJOR" -lt 21 ] || return 0
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
  GANTRY_JAVA_MAJOR=$best_major
  export JAVA_HOME
}

# The access flags of a JVM that runs Vert.x (call after gantry_find_jdk): native access for
# Netty's native transports (io_uring, epoll) and, on Java 23 and newer, sun.misc.Unsafe's memory
# access. Netty reads and writes its buffers through Unsafe when it may, and from Java 25 on only
# when this flag allows it; without it every byte goes through a ByteBuffer's bounds and session
# checks. Java 21 and 22 allow it without a flag and do not know the flag.
gantry_jvm_access_flags() {
  if [ "${GANTRY_JAVA_MAJOR:-21}" -ge 23 ]; then
    echo "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
  else
    echo "--enable-native-access=ALL-UNNAMED"
  fi
}
