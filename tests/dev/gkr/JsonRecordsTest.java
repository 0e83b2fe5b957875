package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Answers as Java records: {@link Rotator#json(Class)} sends the record's schema through the real
 * SDK over HTTP to the simulator, whose schema-following answers come back as typed columns and
 * {@link Results#records}.
 */
class JsonRecordsTest {
  @TempDir Path dir;

  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @interface Nullable {}

  enum Sentiment {
    POSITIVE,
    NEUTRAL,
    NEGATIVE
  }

  record Price(double amount, String currency) {}

  record Review(
      @JsonPropertyDescription("the product's name as written in the review") String product,
      int stars,
      List<String> pros,
      Sentiment sentiment,
      Optional<String> summary,
      @JsonProperty("list_price") Price price,
      List<Price> offers,
      @Nullable Integer votes,
      boolean recommended) {}

  /** The same shape under another name: its schema, and so every task's hash, is the same. */
  record RenamedReview(
      @JsonPropertyDescription("the product's name as written in the review") String product,
      int stars,
      List<String> pros,
      Sentiment sentiment,
      Optional<String> summary,
      @JsonProperty("list_price") Price price,
      List<Price> offers,
      @Nullable Integer votes,
      boolean recommended) {}

  /** Review's shape with a check its schema does not show. */
  record ShortReview(
      @JsonPropertyDescription("the product's name as written in the review") String product,
      int stars,
      List<String> pros,
      Sentiment sentiment,
      Optional<String> summary,
      @JsonProperty("list_price") Price price,
      List<Price> offers,
      @Nullable Integer votes,
      boolean recommended) {
    ShortReview {
      if (stars > 9) throw new IllegalArgumentException("stars must be at most 9, was " + stars);
    }
  }

  record Category(String name, List<Category> children) {}

  /** One component more: another question, so every task is asked again. */
  record ReviewWithLanguage(String product, int stars, String language) {}

  static List<String> reviews(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(i -> "review " + i + " of a kettle: " + "works well ".repeat(i % 4 + 1))
        .toList();
  }

  private static Rotator rotator(Simulator sim) {
    return Rotator.keys("rec-key-1", "rec-key-2").slots(2).baseUrl(sim.baseUrl());
  }

  @Test
  void recordWithNestedRecordsListsEnumsAndOptionalsRoundTrips_issue27() {
    List<String> prompts = reviews(24);
    try (Simulator sim = Simulator.builder().start()) {
      Table t = rotator(sim).json(Review.class).run(prompts);
      assertEquals(24, t.booleanColumn("success").countTrue(), t.print());
      List<Review> records = Results.records(t, Review.class);
      assertEquals(24, records.size());
      boolean someSummary = false, noSummary = false, someVotes = false, noVotes = false;
      for (int i = 0; i < records.size(); i++) {
        Review r = records.get(i);
        // in task order: the simulator writes "<field> of <prompt>" into a text field
        assertEquals("product of " + prompts.get(i).strip(), r.product());
        assertEquals(prompts.get(i).trim().split("\\s+").length, r.stars());
        assertFalse(r.pros().isEmpty());
        assertNotNull(r.sentiment());
        assertNotNull(r.price());
        assertNotNull(r.price().currency());
        assertFalse(r.offers().isEmpty());
        r.offers().forEach(o -> assertNotNull(o.currency()));
        assertNotNull(r.summary(), "an Optional component is never null");
        someSummary |= r.summary().isPresent();
        noSummary |= r.summary().isEmpty();
        someVotes |= r.votes() != null;
        noVotes |= r.votes() == null;
      }
      assertTrue(someSummary && noSummary, "optional text both present and absent");
      assertTrue(someVotes && noVotes, "nullable number both present and absent");
      // the wire: the generated schema, required fields, descriptions and enums
      for (SimRequest q : sim.requests()) {
        JsonNode schema = q.generationConfig().path("responseJsonSchema");
        assertEquals(
            "the product's name as written in the review",
            schema.at("/properties/product/description").asText());
        assertEquals(
            "[\"POSITIVE\",\"NEUTRAL\",\"NEGATIVE\"]",
            schema.at("/properties/sentiment/enum").toString());
        assertEquals(
            "[\"product\",\"stars\",\"pros\",\"sentiment\",\"list_price\",\"offers\",\"recommended\"]",
            schema.path("required").toString());
        assertEquals("object", schema.at("/properties/offers/items/type").asText());
      }
      // one typed column per top-level component, after the json column
      List<String> names = t.columnNames();
      assertEquals(
          List.of(
              "json",
              "product",
              "stars",
              "pros",
              "sentiment",
              "summary",
              "list_price",
              "offers",
              "votes",
              "recommended"),
          names.subList(names.indexOf("json"), names.size()));
      assertEquals(ColumnType.LONG, t.column("stars").type());
      assertEquals(ColumnType.BOOLEAN, t.column("recommended").type());
      assertEquals(ColumnType.LONG, t.column("votes").type());
      assertEquals(ColumnType.STRING, t.column("sentiment").type());
      assertEquals(records.get(0).sentiment().name(), t.stringColumn("sentiment").get(0));
      assertTrue(t.stringColumn("list_price").get(0).startsWith("{\"amount\":"));
    }
  }

  @Test
  void mismatchingAnswerFailsWithSchemaMismatchNamingThePathAndIsRetried_issue27() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .retries(Retries.builder().maxRetries(1).build())
              .json(Review.class)
              .run(
                  List.of(
                      "always off [[sim:schema-mismatch]]",
                      "off once [[sim:schema-mismatchx1]]",
                      "fine"));
      assertFalse(t.booleanColumn("success").get(0));
      assertEquals("schema_mismatch", t.stringColumn("error_type").get(0));
      assertEquals(2, t.intColumn("attempts").get(0), "retried like bad_json");
      String error = t.stringColumn("error").get(0);
      assertTrue(
          error.contains("Review")
              && error.contains("$.product: expected string, got number 12345"),
          error);
      assertFalse(t.stringColumn("response").get(0).isEmpty(), "the raw answer is kept");
      assertTrue(t.booleanColumn("success").get(1), t.print());
      assertEquals(2, t.intColumn("attempts").get(1));
      assertTrue(t.booleanColumn("success").get(2));
      // failed rows stay in the table; records are the answered rows only
      List<Review> records = Results.records(t, Review.class);
      assertEquals(2, records.size());
      assertTrue(records.get(0).product().startsWith("product of off once"));
      assertTrue(t.column("stars").isMissing(0), "a failed row's cells are missing");
    }
  }

  @Test
  void resumeRebindsRowsAndAChangedRecordReAsksOnlyWhenItsSchemaChanged_issue27() {
    Path cp = dir.resolve("records.checkpoint.jsonl");
    List<String> prompts = reviews(8);
    try (Simulator sim = Simulator.builder().start()) {
      List<Review> first =
          Results.records(
              rotator(sim).checkpoint(cp).json(Review.class).run(prompts), Review.class);
      assertEquals(8, sim.requests().size());
      // same record: every row comes from the checkpoint and binds again
      Rotator again = rotator(sim).checkpoint(cp).json(Review.class);
      Table second = again.run(prompts);
      assertEquals(8, sim.requests().size(), "a finished task was asked again");
      assertEquals(8, again.stats().restored());
      assertEquals(first, Results.records(second, Review.class));
      assertEquals(ColumnType.LONG, second.column("stars").type());
      // a record renamed, same components: the schema names no class, nothing is asked again
      List<RenamedReview> renamed =
          Results.records(
              rotator(sim).checkpoint(cp).json(RenamedReview.class).run(prompts),
              RenamedReview.class);
      assertEquals(8, sim.requests().size());
      assertEquals(first.get(3).product(), renamed.get(3).product());
      // a changed record is another question: every task is asked again
      Table changed = rotator(sim).checkpoint(cp).json(ReviewWithLanguage.class).run(prompts);
      assertEquals(16, sim.requests().size());
      List<ReviewWithLanguage> relabelled = Results.records(changed, ReviewWithLanguage.class);
      assertEquals("language of " + prompts.get(0).strip(), relabelled.get(0).language());
    }
  }

  @Test
  void aRestoredRowThatNoLongerBindsIsAskedAgain_issue27() {
    Path cp = dir.resolve("strict.checkpoint.jsonl");
    List<String> prompts = reviews(8); // 9, 11, 13, 7, 9, 11, 13, 7 words: stars
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim).checkpoint(cp).json(Review.class).run(prompts);
      assertEquals(8, sim.requests().size());
      Table t =
          rotator(sim)
              .checkpoint(cp)
              .retries(Retries.builder().maxRetries(0).build())
              .json(ShortReview.class)
              .run(prompts);
      // same schema, same hash: the four rows of more than 9 stars do not bind and are asked again
      assertEquals(12, sim.requests().size());
      assertEquals(4, t.booleanColumn("success").countTrue(), t.print());
      assertEquals("schema_mismatch", t.stringColumn("error_type").get(1));
      assertTrue(
          t.stringColumn("error").get(1).contains("stars must be at most 9, was 11"),
          t.stringColumn("error").get(1));
      assertEquals(4, Results.records(t, ShortReview.class).size());
    }
  }

  @Test
  void recursiveRecordIsAnsweredAFewLevelsDeep_issue27() {
    try (Simulator sim = Simulator.builder().start()) {
      List<Category> c =
          Results.records(
              rotator(sim).json(Category.class).run(List.of("kitchen things", "garden tools")),
              Category.class);
      assertEquals(2, c.size());
      assertFalse(c.get(0).children().isEmpty());
      assertEquals("name of kitchen things", c.get(0).name());
      assertTrue(c.get(0).children().get(0).name().startsWith("name of"));
    }
  }

  @Test
  void batchModeAnswersBindToo_issue27() {
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(java.time.Duration.ofMinutes(20), java.time.Duration.ofHours(2))
            .start()) {
      Table t =
          Rotator.keys("rec-key-1")
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(java.time.Duration.ofSeconds(5), java.time.Duration.ofMinutes(5))
                      .build())
              .retries(Retries.builder().maxRetries(0).build())
              .json(Review.class)
              .run(List.of("a fine kettle", "a broken one [[sim:schema-mismatch]]"));
      assertEquals(0, sim.requests().size(), "answered by a Batch Mode job");
      assertEquals(1, sim.batches().size());
      assertTrue(t.booleanColumn("success").get(0), t.print());
      assertEquals("schema_mismatch", t.stringColumn("error_type").get(1));
      assertEquals(3L, t.longColumn("stars").getLong(0)); // "a fine kettle": three words
      assertEquals(1, Results.records(t, Review.class).size());
    }
  }

  @Test
  void recordsReadBackFromAResultsFile_issue27() {
    Path file = dir.resolve("reviews.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Table t = rotator(sim).json(Review.class).run(reviews(5));
      Results.write(t, file);
      assertEquals(
          Results.records(t, Review.class), Results.records(Results.read(file), Review.class));
    }
  }

  @Test
  void recordsOfARowThatDoesNotBindNamesTheRowAndPlace_issue27() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t = rotator(sim).json(ReviewWithLanguage.class).run(List.of("one", "two"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Results.records(t, Review.class));
      assertTrue(e.getMessage().contains("row 1 (id 1)"), e.getMessage());
      assertTrue(e.getMessage().contains("$.pros: required field is missing"), e.getMessage());
      IllegalArgumentException noJson =
          assertThrows(
              IllegalArgumentException.class,
              () -> Results.records(rotator(sim).run(List.of("plain")), Review.class));
      assertTrue(noJson.getMessage().contains("no json column"), noJson.getMessage());
    }
  }

  @Test
  void aTypeWithoutFieldsIsRefusedAtOnce_issue27() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Rotator.keys("k1").json(String.class));
    assertTrue(e.getMessage().startsWith("json(String.class): not a record"), e.getMessage());
  }
}
