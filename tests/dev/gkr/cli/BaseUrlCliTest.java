package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gkr.Forwarder;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request carries an API key in a header: plain {@code http://} is allowed only to this
 * machine (loopback), anything else is refused before a request unless {@code --insecure-base-url}
 * says the user means it (issue 31). The simulator is reached through a forwarder on this machine's
 * own network address, so a request that went out would show in its log.
 */
class BaseUrlCliTest {
  private static final String KEY = "base-url-key-0000000000000001";
  @TempDir Path dir;

  private Path keys() throws Exception {
    Path keys = dir.resolve("keys.txt");
    if (!Files.exists(keys)) {
      Files.writeString(keys, KEY + "\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }
    return keys;
  }

  private Path tasks() throws Exception {
    return Files.writeString(dir.resolve("t.csv"), "id,prompt\na,Hello\nb,There\n");
  }

  private static Forwarder forwarder(Simulator sim) throws Exception {
    Optional<Forwarder> f = Forwarder.toLoopbackPort(sim.port());
    assumeTrue(f.isPresent(), "this machine has no non-loopback IPv4 address");
    return f.get();
  }

  @Test
  void plainHttpToAHostThatIsNotLoopbackIsRefusedBeforeAnyRequest_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start();
        Forwarder lan = forwarder(sim)) {
      InProcessGkr r =
          InProcessGkr.run(
              "--quiet",
              "--keys-file",
              keys().toString(),
              "--base-url",
              lan.baseUrl(),
              tasks().toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().startsWith("gkr: --base-url " + lan.baseUrl() + ": "), r.err());
      assertTrue(r.err().contains("clear text"), r.err());
      assertTrue(r.err().contains("--insecure-base-url"), "says what to do: " + r.err());
      assertFalse((r.out() + r.err()).contains(KEY), "no key in the output");
      assertEquals(0, sim.requests().size(), "no request, so no key, went out");
    }
  }

  @Test
  void insecureBaseUrlSaysTheUserMeansIt_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start();
        Forwarder lan = forwarder(sim)) {
      InProcessGkr r =
          InProcessGkr.run(
              "--quiet",
              "--keys-file",
              keys().toString(),
              "--base-url",
              lan.baseUrl(),
              "--insecure-base-url",
              tasks().toString());
      assertEquals(0, r.code(), r.err());
      assertEquals(2, sim.requests().size(), "the forwarder does reach the simulator");
    }
  }

  @Test
  void loopbackNamesNeedNoOptIn_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr r =
          InProcessGkr.run(
              "--quiet",
              "--keys-file",
              keys().toString(),
              "--base-url",
              "http://localhost:" + sim.port() + "/",
              tasks().toString());
      assertEquals(0, r.code(), r.err());
      assertEquals(2, sim.requests().size());
    }
  }

  @Test
  void theBaseUrlEnvironmentVariableFollowsTheSameRule_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start();
        Forwarder lan = forwarder(sim)) {
      Map<String, String> env = Map.of("GOOGLE_GEMINI_BASE_URL", lan.baseUrl());
      tasks();
      GkrProcess refused =
          GkrProcess.run(dir, env, "--quiet", "--keys-file", keys().toString(), "t.csv");
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains("GOOGLE_GEMINI_BASE_URL " + lan.baseUrl()), refused.err());
      assertTrue(refused.err().contains("--insecure-base-url"), refused.err());
      assertEquals(0, sim.requests().size(), "nothing sent");

      GkrProcess meant =
          GkrProcess.run(
              dir,
              env,
              "--quiet",
              "--keys-file",
              keys().toString(),
              "--insecure-base-url",
              "t.csv");
      assertEquals(0, meant.code(), meant.err());
      assertEquals(2, sim.requests().size());
    }
  }
}
