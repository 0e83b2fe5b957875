package dev.gkr.internal.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.Outcome;
import dev.gkr.internal.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The price table: per model and {@link PriceTier}, USD per million input, output and cached input
 * tokens, with a long-context tier above a prompt size where the model has one. Built in from
 * {@code dev/gkr/internal/cost/prices.json} (dated, with its source), extended or overridden by a
 * user's file of the same shape. Immutable; safe to share. A model or tier that is not in the table
 * has no price: {@link #cost} answers NaN, never a guess.
 */
public final class Prices implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  static final String RESOURCE = "prices.json";

  /** USD per million tokens; the long* rates apply above {@link Model#longContextAbove}. */
  record Rates(
      double input,
      double output,
      double cachedInput,
      double longInput,
      double longOutput,
      double longCachedInput)
      implements java.io.Serializable {}

  /**
   * One model's rates per tier; {@code longContextAbove} 0 when the model has a single tier; {@code
   * cacheStorage} USD per million tokens per hour of an explicit context cache, NaN when unknown.
   */
  record Model(long longContextAbove, Map<PriceTier, Rates> tiers, double cacheStorage)
      implements java.io.Serializable {}

  /**
   * What one answer used, as {@code usageMetadata} reports it: {@code cachedTokens} are part of
   * {@code promptTokens} (not added to them); {@code thoughtsTokens} are billed as output like
   * {@code outputTokens}.
   */
  public record Usage(
      long promptTokens, long cachedTokens, long outputTokens, long thoughtsTokens) {
    static Usage of(Outcome.Success s) {
      return new Usage(s.promptTokens(), s.cachedTokens(), s.outputTokens(), s.thoughtsTokens());
    }
  }

  private final Map<String, Model> models;
  private final String source;

  private Prices(Map<String, Model> models, String source) {
    this.models = Map.copyOf(models);
    this.source = source;
  }

  /**
   * The built-in table (see the resource's {@code date}, {@code source} and {@code note}); read
   * once.
   */
  public static Prices builtIn() {
    return BuiltIn.TABLE;
  }

  private static final class BuiltIn {
    static final Prices TABLE = read();
  }

  private static Prices read() {
    try (InputStream in = Prices.class.getResourceAsStream(RESOURCE)) {
      // A copy of the sources without the resource (a JBang script without //FILES) still runs; its
      // costs are unknown.
      if (in == null)
        return new Prices(
            Map.of(),
            "no built-in price table (dev/gkr/internal/cost/"
                + RESOURCE
                + " is not on the class path)");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The built-in table with the models of {@code json} added or replaced; {@code name} is used in
   * error messages.
   */
  public Prices with(String json, String name) {
    Map<String, Model> merged = new HashMap<>(models);
    merged.putAll(parse(json, name).models);
    return new Prices(merged, source + " + " + name);
  }

  /** {@link #with} from a file. */
  public Prices with(Path file) {
    try {
      return with(Files.readString(file, StandardCharsets.UTF_8), "prices file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "prices file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  public String source() {
    return source;
  }

  /**
   * The model's rates at this tier, if the table has them. {@code models/} prefixes are ignored.
   */
  Optional<Rates> rates(String model, PriceTier tier) {
    Model m = models.get(bare(model));
    return m == null ? Optional.empty() : Optional.ofNullable(m.tiers().get(tier));
  }

  boolean knows(String model, PriceTier tier) {
    return rates(model, tier).isPresent();
  }

  /**
   * What Google bills for one answer, in USD, or NaN when the table has no price for the model at
   * this tier. The prompt minus its cached part at the input rate, the cached part at the cached
   * rate, answer and thinking at the output rate; all at the long-context rates when the prompt is
   * above the model's threshold.
   */
  public double cost(String model, Usage u, PriceTier tier) {
    Model m = models.get(bare(model));
    Rates r = m == null ? null : m.tiers().get(tier);
    if (r == null) return Double.NaN;
    boolean longCtx = m.longContextAbove() > 0 && u.promptTokens() > m.longContextAbove();
    long cached = Math.min(u.cachedTokens(), u.promptTokens());
    double in = (u.promptTokens() - cached) * (longCtx ? r.longInput() : r.input());
    double cachedCost = cached * (longCtx ? r.longCachedInput() : r.cachedInput());
    double out = (u.outputTokens() + u.thoughtsTokens()) * (longCtx ? r.longOutput() : r.output());
    return (in + cachedCost + out) / 1_000_000.0;
  }

  /**
   * USD per million tokens per hour that an explicit context cache of {@code model} costs to store,
   * or NaN when the table has no such price.
   */
  public double cacheStorage(String model) {
    Model m = models.get(bare(model));
    return m == null ? Double.NaN : m.cacheStorage();
  }

  /**
   * What one cached token saves on one request against the same token sent inline, in USD per
   * million (the input rate minus the cached rate, below the long-context threshold); NaN unknown.
   */
  public double cachedSaving(String model, PriceTier tier) {
    return rates(model, tier).map(r -> r.input() - r.cachedInput()).orElse(Double.NaN);
  }

  static String bare(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  /**
   * Parses and checks a whole table; the first bad field is named in the message ({@code name}:
   * models.X.standard.output ...).
   */
  static Prices parse(String json, String name) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          name
              + ": not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + ")");
    }
    if (root == null || !root.isObject())
      throw new IllegalArgumentException(
          name + ": expected a JSON object with a \"models\" object");
    JsonNode ms = root.path("models");
    if (!ms.isObject() || ms.isEmpty())
      throw new IllegalArgumentException(
          name + ": models must be an object with at least one model");
    Map<String, Model> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = "models." + e.getKey();
      JsonNode m = e.getValue();
      if (!m.isObject()) throw bad(name, at, "must be an object");
      long above = 0;
      if (m.has("longContextAbove")) {
        JsonNode a = m.get("longContextAbove");
        if (!a.canConvertToLong() || !a.isIntegralNumber() || a.asLong() < 1)
          throw bad(name, at + ".longContextAbove", "must be a whole number of tokens >= 1");
        above = a.asLong();
      }
      double storage = Double.NaN;
      if (m.has("cacheStorage")) {
        JsonNode c = m.get("cacheStorage");
        if (!c.isNumber() || c.asDouble() < 0 || !Double.isFinite(c.asDouble()))
          throw bad(
              name, at + ".cacheStorage", "must be a number >= 0 (USD per 1M tokens per hour)");
        storage = c.asDouble();
      }
      Map<PriceTier, Rates> tiers = new EnumMap<>(PriceTier.class);
      for (PriceTier t : PriceTier.values()) {
        if (m.has(t.code()))
          tiers.put(t, rates(name, at + "." + t.code(), m.get(t.code()), above > 0));
      }
      if (tiers.isEmpty()) throw bad(name, at, "has none of standard, batch, flex");
      for (Iterator<String> f = m.fieldNames(); f.hasNext(); ) {
        String field = f.next();
        if (!field.equals("longContextAbove")
            && !field.equals("cacheStorage")
            && tiers.keySet().stream().noneMatch(t -> t.code().equals(field))) {
          throw bad(
              name,
              at + "." + field,
              "is not a known field (longContextAbove, cacheStorage, standard, batch, flex)");
        }
      }
      out.put(bare(e.getKey()), new Model(above, tiers, storage));
    }
    return new Prices(out, name);
  }

  private static Rates rates(String name, String at, JsonNode n, boolean longTier) {
    if (!n.isObject()) throw bad(name, at, "must be an object of rates");
    double in = rate(name, at, n, "input"),
        out = rate(name, at, n, "output"),
        cached = rate(name, at, n, "cachedInput");
    if (!longTier) {
      for (String f : new String[] {"longInput", "longOutput", "longCachedInput"}) {
        if (n.has(f)) throw bad(name, at + "." + f, "needs longContextAbove on the model");
      }
      return new Rates(in, out, cached, in, out, cached);
    }
    return new Rates(
        in,
        out,
        cached,
        rate(name, at, n, "longInput"),
        rate(name, at, n, "longOutput"),
        rate(name, at, n, "longCachedInput"));
  }

  private static double rate(String name, String at, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) throw bad(name, at + "." + field, "is missing (USD per 1M tokens)");
    if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble()))
      throw bad(name, at + "." + field, "must be a number >= 0 (USD per 1M tokens), was " + v);
    return v.asDouble();
  }

  private static IllegalArgumentException bad(String name, String at, String why) {
    return new IllegalArgumentException(name + ": " + at + " " + why);
  }
}
