package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28: {@code --context FILE} (repeatable) on the command line. */
class SharedContextCliTest {
  @TempDir Path dir;

  private InProcessGkr gkr(Simulator sim, String... args) throws Exception {
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "context-cli-key-0001\n");
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    Path tasks = dir.resolve("tasks.csv");
    Files.writeString(tasks, "id,prompt\nt1,Who pays?\nt2,How often?\n", StandardCharsets.UTF_8);
    String[] all = new String[args.length + 6];
    all[0] = "--quiet";
    all[1] = "--keys-file";
    all[2] = keys.toString();
    all[3] = "--base-url";
    all[4] = sim.baseUrl();
    System.arraycopy(args, 0, all, 5, args.length);
    all[all.length - 1] = tasks.toString();
    return InProcessGkr.run(all);
  }

  @Test
  void repeatedContextFilesGoFirstInEveryRequestInTheirOrder_issue28() throws Exception {
    Path a = dir.resolve("contract.txt");
    Path b = dir.resolve("rubric.txt");
    Files.writeString(a, "The tenant pays the rent monthly.\n".repeat(10));
    Files.writeString(b, "Answer in one word.\n");
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run = gkr(sim, "--context", a.toString(), "--context", b.toString());
      assertEquals(0, run.code(), run.err());
      assertEquals(2, sim.requests().size());
      for (SimRequest r : sim.requests()) {
        assertEquals(2, r.parts().size(), r.prompt());
        assertEquals(Files.size(a), r.parts().get(0).bytes());
        assertEquals(Files.size(b), r.parts().get(1).bytes());
      }
    }
  }

  @Test
  void aMissingContextFileIsExit2NamingItAndSendsNothing_issue28() throws Exception {
    Path missing = dir.resolve("manual.pdf");
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run = gkr(sim, "--context", missing.toString());
      assertEquals(2, run.code(), run.err());
      assertTrue(run.err().contains("--context: file " + missing + " does not exist"), run.err());
      assertFalse(run.err().contains("Exception"), run.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void aContextFileOfNoKnownTypeIsExit2NamingIt_issue28() throws Exception {
    Path odd = dir.resolve("notes.xyz");
    Files.write(odd, new byte[] {0, 1, 2, 3, 4, 5, (byte) 0xff});
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run = gkr(sim, "--context", odd.toString());
      assertEquals(2, run.code(), run.err());
      assertTrue(run.err().contains("notes.xyz"), run.err());
      assertTrue(run.err().contains("unsupported type"), run.err());
      assertFalse(run.err().contains("Exception"), run.err());
      assertEquals(0, sim.requests().size());
    }
  }
}
