///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 21+
//DESCRIPTION Your own batch with gkr's fluent API, from any folder: offline on the simulator, or with GEMINI_API_KEYS for real
//DEPS dev.gkr:gkr:0.1.0-SNAPSHOT

import dev.gkr.Results;
import dev.gkr.Rotator;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Copy this file anywhere, once {@code scripts/install} has put the library in ~/.m2, and run it there:
 * {@code jbang MyBatch.java [prompts.txt]} (or {@code /path/to/gkr/scripts/jbang MyBatch.java}). One prompt a
 * line; without a file it asks three questions. Results and a checkpoint land in the current folder.
 */
public class MyBatch {
  public static void main(String... args) throws Exception {
    List<String> prompts = args.length > 0
        ? Files.readAllLines(Path.of(args[0])).stream().filter(line -> !line.isBlank()).toList()
        : List.of("What is a slot pool?", "Why pace start-to-start?", "What does a 429 mean?");
    boolean offline = System.getenv("GEMINI_API_KEYS") == null;
    try (Simulator sim = offline ? Simulator.demo().start() : null) {
      Rotator rotator = offline ? Rotator.keys(Simulator.DEMO_KEYS).baseUrl(sim.baseUrl()) : Rotator.fromEnv();
      Table results = rotator
          .slots(2)
          .every("500ms")
          .checkpoint(Path.of("mybatch.checkpoint.jsonl"))   // a rerun skips what is done
          .run(prompts);
      Results.write(results, Path.of("mybatch.results.csv"));   // or .jsonl, .json, .parquet
      System.out.println(rotator.stats().print());
      System.out.println("results: mybatch.results.csv");
    }
  }
}
