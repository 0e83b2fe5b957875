package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code embedContent} and {@code batchEmbedContents} as the Gemini API answers them: at most 100
 * requests a call, 2,048 input tokens a text, 3,072 dimensions unless {@code outputDimensionality}
 * asks fewer. A vector is seeded from the text's SHA-256, so the same text always gives the same
 * vector (related texts are not close: this is not a language model). The full vector has length 1;
 * a shortened one is its prefix, unnormalised, as Gemini returns it.
 */
final class Embeddings {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  static final int MAX_REQUESTS = 100;
  static final int MAX_INPUT_TOKENS = 2048;
  static final int NATIVE_DIMENSIONS = 3072;
  static final Set<String> MODELS = Set.of("gemini-embedding-001", "text-embedding-004");

  /** One text of a call, with what it asked. */
  record Item(String text, int dimensions, int tokens) {}

  private Embeddings() {}

  static boolean handles(String method) {
    return method.equals("embedContent") || method.equals("batchEmbedContents");
  }

  /**
   * The texts of a call; an {@link IllegalArgumentException} carries Gemini's 400 message for a
   * body it refuses.
   */
  static List<Item> parse(String method, JsonNode body) {
    boolean batch = method.equals("batchEmbedContents");
    List<JsonNode> requests = new ArrayList<>();
    if (batch) body.path("requests").forEach(requests::add);
    else requests.add(body);
    if (requests.isEmpty()) throw new IllegalArgumentException("* requests: is required");
    if (requests.size() > MAX_REQUESTS)
      throw new IllegalArgumentException(
          "* BatchEmbedContentsRequest.requests: at most "
              + MAX_REQUESTS
              + " requests can be in one batch");
    List<Item> items = new ArrayList<>(requests.size());
    for (JsonNode r : requests) {
      StringBuilder text = new StringBuilder();
      for (JsonNode p : r.path("content").path("parts")) text.append(p.path("text").asText(""));
      JsonNode dims = r.has("outputDimensionality") ? r.get("outputDimensionality") : null;
      int d = dims == null ? NATIVE_DIMENSIONS : dims.asInt();
      if (d < 1 || d > NATIVE_DIMENSIONS)
        throw new IllegalArgumentException(
            "* outputDimensionality: must be between 1 and " + NATIVE_DIMENSIONS + ", was " + d);
      items.add(new Item(text.toString(), d, SimText.tokens(text.toString())));
    }
    return items;
  }

  /** Gemini's 400 message for the first text over the input limit, or null. */
  static String tooLong(String method, List<Item> items) {
    for (int i = 0; i < items.size(); i++) {
      int n = items.get(i).tokens();
      if (n > MAX_INPUT_TOKENS)
        return (method.equals("batchEmbedContents") ? "* requests[" + i + "]: " : "* content: ")
            + "input token count is "
            + n
            + " but the model supports up to "
            + MAX_INPUT_TOKENS;
    }
    return null;
  }

  /**
   * One request of an embedding batch job (an embedContent body): its vector, or the error the
   * synchronous call would give (unknown model, a text over the input limit, a bad size).
   */
  static BatchApi.One batchAnswer(String key, String model, JsonNode request) {
    if (!MODELS.contains(model)) return error(404, "models/" + model + " is not found");
    try {
      List<Item> items = parse("embedContent", request);
      String tooLong = tooLong("embedContent", items);
      if (tooLong != null) return error(400, tooLong);
      ObjectNode r = JSON.createObjectNode();
      values(r.putObject("embedding").putArray("values"), items.get(0));
      r.put("tokenCount", items.get(0).tokens());
      return new BatchApi.One(r, null);
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
  }

  private static BatchApi.One error(int code, String message) {
    return new BatchApi.One(
        null, JSON.createObjectNode().put("code", code).put("message", message));
  }

  static int tokens(List<Item> items) {
    return items.stream().mapToInt(Item::tokens).sum();
  }

  /** The answer of a call that succeeded. */
  static JsonNode answer(String method, List<Item> items) {
    ObjectNode root = JSON.createObjectNode();
    if (method.equals("embedContent")) {
      values(root.putObject("embedding").putArray("values"), items.get(0));
      return root;
    }
    ArrayNode all = root.putArray("embeddings");
    for (Item it : items) values(all.addObject().putArray("values"), it);
    return root;
  }

  private static void values(ArrayNode out, Item it) {
    for (float v : vector(it.text(), it.dimensions())) out.add(v);
  }

  /** The vector of {@code text}: the same text, the same vector. */
  static float[] vector(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(seed(text));
    double[] full = new double[NATIVE_DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < full.length; i++) {
      full[i] = random.nextDouble(-1, 1);
      norm += full[i] * full[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int i = 0; i < dimensions; i++) out[i] = (float) (full[i] / norm);
    return out;
  }

  private static long seed(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long s = 0;
      for (int i = 0; i < 8; i++) s = (s << 8) | (d[i] & 0xff);
      return s;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
