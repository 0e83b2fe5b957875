///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DESCRIPTION gkr: send a batch of prompts through the Gemini API across many keys, as fast as their quotas allow
//DEPS com.google.genai:google-genai:2.0.0
//DEPS com.fasterxml.jackson.core:jackson-databind:2.18.11
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS io.github.classgraph:classgraph:4.8.200
//DEPS com.google.guava:guava:33.4.0-jre
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-nop:2.0.16
//DEPS com.github.victools:jsonschema-generator:4.38.0
//DEPS com.github.victools:jsonschema-module-jackson:4.38.0
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED
//SOURCES ../lib/dev/gkr/*.java
//SOURCES ../lib/dev/gkr/internal/**/*.java
//SOURCES ../lib/dev/gkr/sim/*.java
//SOURCES ../lib/dev/gkr/cli/*.java
//FILES dev/gkr/internal/cost/prices.json=../lib/dev/gkr/internal/cost/prices.json

// The library is compiled from this repository's lib/ (never a stale copy); see README "Use it from a shell".
// DuckDB (Parquet) is not a //DEPS: 77 MiB that only .parquet users need, loaded at run time (lib/dev/gkr/internal/table/DuckDb.java);
// the native-access option keeps JDK 24+ from warning when it loads its native library.
public class gkr {
  public static void main(String... args) {
    dev.gkr.cli.GkrCommand.main(args);
  }
}
