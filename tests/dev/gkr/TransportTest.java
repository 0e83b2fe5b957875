package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every outcome of one request, through the real SDK over HTTP to the simulator. */
class TransportTest {
  static final String SUSPENDED_KEY = "AIzaSyTEST-suspended-key-0000000000wxyz";
  static Simulator sim;

  /*
   * The 250-connection count below holds only if the simulator's JDK server keeps 250 idle
   * connections (its default is 200: it would close the rest, and the client would reopen them).
   * The property is read once, when the server's classes load: set here before this class starts a
   * server, and in the pom's argLine for a JVM where another test class loaded them first.
   */
  static {
    Simulator.tuneJdkHttpServer();
  }

  @BeforeAll
  static void start() {
    sim =
        Simulator.builder()
            .key("k-invalid", KeyBehavior.invalid())
            .key(SUSPENDED_KEY, KeyBehavior.suspended())
            .key("k-denied", KeyBehavior.permissionDenied())
            .key("k-minute", KeyBehavior.rateLimitedFirst(1000, Duration.ofSeconds(7)))
            .key("k-day", KeyBehavior.dailyLimitReached())
            .project("small", Quota.per(1, Duration.ofMinutes(1)), "k-quota")
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static Outcome call(String key, String prompt) {
    return Rotator.keys(key)
        .baseUrl(sim.baseUrl())
        .retries(Retries.builder().timeout(Duration.ofSeconds(10)).build())
        .generate(prompt);
  }

  @Test
  void successCarriesTextFinishReasonAndTokens() {
    Outcome o =
        Rotator.keys("k-ok")
            .baseUrl(sim.baseUrl())
            .systemInstruction("Be terse.")
            .temperature(0.5)
            .generate("What is a slot pool?");
    Outcome.Success s = assertInstanceOf(Outcome.Success.class, o);
    assertEquals(Simulator.answerFor("What is a slot pool?", "Be terse.", 0.5), s.text());
    assertEquals("STOP", s.finishReason());
    assertTrue(s.promptTokens() > 0 && s.outputTokens() > 0, s.toString());
  }

  @Test
  void perMinute429IsRateLimitedWithServerRetryDelay() {
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, call("k-minute", "hello"));
    assertEquals(ErrorType.RATE_LIMITED, f.type());
    assertEquals(429, f.httpCode());
    assertEquals(Optional.of(Duration.ofSeconds(7)), f.retryDelay());
  }

  @Test
  void projectQuotaRefusalIsRateLimitedWithItsDelay() {
    call("k-quota", "first");
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, call("k-quota", "second"));
    assertEquals(ErrorType.RATE_LIMITED, f.type());
    assertTrue(f.retryDelay().orElseThrow().compareTo(Duration.ofSeconds(50)) > 0, f.toString());
  }

  @Test
  void sdkDoesNotSleepBeforeHandingBackA429_issue2() {
    Settings s = Rotator.keys("k-minute").baseUrl(sim.baseUrl()).settings();
    try (Transport t = new Transport(s, new Redactor(s.keys()))) {
      t.generate(
          s.keys().get(0),
          "warm up"); // class loading and the first connection stay out of the measurement
      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        assertEquals(
            ErrorType.RATE_LIMITED,
            assertInstanceOf(Outcome.Failure.class, t.generate(s.keys().get(0), "again " + i))
                .type());
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      // Margins: when its status list is not emptied, the SDK's RetryInterceptor (2.0.0) sleeps
      // 1 s x (1 + jitter in [-1, 1)) after each 429, i.e. uniformly 0-2 s: ten such sleeps add up
      // to under 3 s
      // with probability 1.5e-5 (Irwin-Hall). Without them ten 429s on loopback take ~50 ms: 60x
      // headroom for a
      // busy machine.
      assertTrue(
          ms < 3_000,
          "ten 429s took " + ms + " ms: the SDK sleeps before handing a 429 back (see Transport)");
    }
  }

  @Test
  void perDay429IsDailyLimitEvenWithZeroDelay() {
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, call("k-day", "hello"));
    assertEquals(ErrorType.DAILY_LIMIT, f.type());
    assertEquals(Optional.of(Duration.ZERO), f.retryDelay());
  }

  @Test
  void invalidKeyAndBadRequestShareCodeButNotType() {
    Outcome.Failure key = assertInstanceOf(Outcome.Failure.class, call("k-invalid", "hello"));
    Outcome.Failure req =
        assertInstanceOf(Outcome.Failure.class, call("k-ok", "hello [[sim:bad-request]]"));
    assertEquals(400, key.httpCode());
    assertEquals(400, req.httpCode());
    assertEquals(ErrorType.KEY_INVALID, key.type());
    assertEquals(ErrorType.BAD_REQUEST, req.type());
  }

  @Test
  void suspendedKeyIsRecognisedAndItsKeyRedactedFromTheMessage() {
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, call(SUSPENDED_KEY, "hello"));
    assertEquals(ErrorType.KEY_SUSPENDED, f.type());
    assertTrue(f.message().contains("suspended"), f.message());
    assertFalse(f.message().contains(SUSPENDED_KEY), "whole key leaked: " + f.message());
    assertFalse(f.toString().contains(SUSPENDED_KEY));
  }

  @Test
  void permissionDeniedWithoutSuspensionIsAKeyError() {
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, call("k-denied", "hello"));
    assertEquals(ErrorType.PERMISSION_DENIED, f.type());
    assertEquals(ErrorType.Kind.KEY_DEAD, f.type().kind());
  }

  @Test
  void serverErrorsAreTransient() {
    for (String code : List.of("500", "503", "504")) {
      Outcome.Failure f =
          assertInstanceOf(Outcome.Failure.class, call("k-ok", "x [[sim:" + code + "]]"));
      assertEquals(
          code.equals("503") ? ErrorType.OVERLOADED : ErrorType.SERVER_ERROR, f.type(), code);
      assertEquals(ErrorType.Kind.TRANSIENT, f.type().kind(), code);
      assertEquals(Integer.parseInt(code), f.httpCode());
    }
  }

  @Test
  void safetyBlockAndEmptyAnswerAreTaskErrors() {
    Outcome.Failure safety =
        assertInstanceOf(Outcome.Failure.class, call("k-ok", "x [[sim:safety]]"));
    Outcome.Failure empty =
        assertInstanceOf(Outcome.Failure.class, call("k-ok", "x [[sim:empty]]"));
    assertEquals(ErrorType.PROMPT_BLOCKED, safety.type());
    assertEquals(ErrorType.EMPTY_ANSWER, empty.type());
  }

  @Test
  void requestThatNeverAnswersHitsTheTimeout() {
    Outcome o =
        Rotator.keys("k-ok")
            .baseUrl(sim.baseUrl())
            .retries(Retries.builder().timeout(Duration.ofMillis(500)).build())
            .generate("x [[sim:hang]]");
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, o);
    assertEquals(ErrorType.TIMEOUT, f.type());
    assertTrue(
        f.latency().compareTo(Duration.ofSeconds(5)) < 0, "timeout not applied: " + f.latency());
  }

  @Test
  void refusedConnectionIsAConnectionError() {
    int port;
    try (Simulator closed = Simulator.builder().start()) {
      port = closed.port();
    }
    Outcome o = Rotator.keys("k").baseUrl("http://127.0.0.1:" + port).generate("hello");
    assertEquals(ErrorType.CONNECTION, assertInstanceOf(Outcome.Failure.class, o).type());
  }

  /**
   * The claim: every slot has its request in flight at once, 250 of them, through one process. The
   * simulator holds its answers until 250 requests are open (the gate), so the peak is not a matter
   * of latency; it can never exceed the slots either, so it must be exactly 250. The gate gives up
   * after 60 s, and then the peak falls short and the test fails naming it. Keep-alive: after the
   * first wave every slot reuses a pooled connection, so the server sees exactly 250 client
   * connections for 500 requests (see Transport for why that needs the pool's size).
   */
  @Test
  void twoHundredFiftySlotsHave250RequestsInFlightAtOnceOver250ReusedConnections() {
    try (Simulator gated =
        Simulator.builder().holdAnswersUntil(250, Duration.ofSeconds(60)).start()) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 50; i++) keys.add("wide-key-" + i);
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < 500; i++) prompts.add("wide " + i);
      tech.tablesaw.api.Table t = Rotator.keys(keys).slots(5).baseUrl(gated.baseUrl()).run(prompts);
      assertEquals(500, t.booleanColumn("success").countTrue());
      assertEquals(250, gated.maxConcurrentRequests(), "requests in flight at once at the server");
      assertEquals(
          "100000",
          System.getProperty("sun.net.httpserver.maxIdleConnections"),
          "the server keeps every idle connection (see the static block)");
      assertEquals(
          250, gated.connections(), "client connections opened for 500 requests over 250 slots");
    }
  }

  static Settings settingsOf(Rotator r) {
    return r.settings();
  }
}
