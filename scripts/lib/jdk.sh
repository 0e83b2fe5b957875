# Sourced by gkr's scripts: exports JAVA_HOME pointing at a JDK >= 21, or exits with a clear error.
# Order: $JAVA_HOME, then the newest JDK under /usr/lib/jvm, then java on PATH.
gkr_java_major() { # $1 = path to a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
gkr_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  if command -v java >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); candidates+=("$c")
  fi
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      local v; v=$(gkr_java_major "$c/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
    fi
  done
  return 1
}
if ! GKR_JDK=$(gkr_find_jdk); then
  echo "gkr: needs a JDK 21 or newer (looked at \$JAVA_HOME, /usr/lib/jvm/*, and java on PATH)." >&2
  echo "gkr: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 2
fi
export JAVA_HOME="$GKR_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it unless told this is expected.
if [ "$(gkr_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe-memory-access*) ;; *) export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}";; esac
fi
# Maven 3.8's Jansi writes ESC[0m to stdout and stderr at exit, even with -q -B: it would land in captured logs.
case " ${MAVEN_OPTS:-} " in *jansi.noreset*) ;; *) export MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}";; esac
