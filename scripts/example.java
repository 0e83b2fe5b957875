///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DESCRIPTION A pipeline step with gkr's fluent API: offline on the simulator, or with GEMINI_API_KEYS for real
//DEPS com.google.genai:google-genai:2.0.0
//DEPS com.fasterxml.jackson.core:jackson-databind:2.18.11
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS io.github.classgraph:classgraph:4.8.200
//DEPS com.google.guava:guava:33.4.0-jre
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-nop:2.0.16
//DEPS com.github.victools:jsonschema-generator:4.38.0
//DEPS com.github.victools:jsonschema-module-jackson:4.38.0
//SOURCES ../lib/dev/gkr/*.java
//SOURCES ../lib/dev/gkr/internal/**/*.java
//SOURCES ../lib/dev/gkr/sim/*.java
//FILES dev/gkr/internal/cost/prices.json=../lib/dev/gkr/internal/cost/prices.json

import dev.gkr.Retries;
import dev.gkr.Rotator;
import dev.gkr.sim.Simulator;
import java.util.List;
import tech.tablesaw.api.Table;

/** Run: scripts/jbang scripts/example.java (offline), or with GEMINI_API_KEYS set, against Gemini itself. */
public class example {
  public static void main(String... args) {
    boolean offline = System.getenv("GEMINI_API_KEYS") == null;
    try (Simulator sim = offline ? Simulator.demo().start() : null) {
      Rotator rotator = offline ? Rotator.keys(Simulator.DEMO_KEYS).baseUrl(sim.baseUrl()) : Rotator.fromEnv();
      Table results = rotator
          .slots(2)
          .every("500ms")
          .systemInstruction("Answer in one sentence.")
          .retries(Retries.builder().maxRetries(3).build())   // task errors only
          .run(List.of("What is a slot pool?", "Why pace start-to-start?", "What does a 429 mean?"));
      System.out.println(results.selectColumns("id", "success", "attempts", "key", "response").print());
      System.out.println(rotator.stats().print());
    }
  }
}
