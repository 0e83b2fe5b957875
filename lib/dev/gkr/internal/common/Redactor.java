package dev.gkr.internal.common;

import java.util.List;
import java.util.regex.Pattern;

/** Removes API keys from text that came from outside (server messages quote the consumer's key). */
public final class Redactor {
  private static final Pattern GOOGLE_KEY = Pattern.compile("AIza[0-9A-Za-z_\\-]{35}");
  private static final Pattern CONSUMER = Pattern.compile("api_key:[^'\"\\s]+");
  private final List<ApiKey> keys;

  public Redactor(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) return "";
    String out = text;
    for (ApiKey k : keys) {
      if (out.contains(k.secret())) out = out.replace(k.secret(), k.display());
    }
    out =
        CONSUMER
            .matcher(out)
            .replaceAll(
                m ->
                    java.util.regex.Matcher.quoteReplacement(
                        m.group().contains("…")
                            ? m.group()
                            : "api_key:…" + ApiKey.tail(m.group())));
    return GOOGLE_KEY
        .matcher(out)
        .replaceAll(
            m -> java.util.regex.Matcher.quoteReplacement("AIza…" + ApiKey.tail(m.group())));
  }
}
