package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Redactor;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDisplayTest {
  static final String KEY = "AIzaSyA-secret-test-key-0123456789f3Ab";

  @Test
  void showsLabelAndLastFourCharactersOnly() {
    ApiKey k = new ApiKey(KEY, "key-1", 0);
    assertEquals("key-1…f3Ab", k.display());
    assertEquals("key-1…f3Ab", k.toString());
  }

  @Test
  void shortKeysShowNoCharactersAtAll() {
    assertEquals("key-2…", new ApiKey("short-key", "key-2", 1).display());
  }

  @Test
  void aKeyWithCharactersNoKeyHoldsIsRefusedByPosition_issue25() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Rotator.keys("good-key-1", "bad\u20ackey-2"));
    assertEquals(
        "keys(...): key 2 of 2 has a '\u20ac' (U+20AC) at character 4: a Gemini API key holds only"
            + " letters, digits, '-' and '_'; check for a stray character",
        e.getMessage());
    IllegalArgumentException p =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> Rotator.keys("good-key-1").project("p", "ok-key", "tab\tkey"));
    assertEquals(
        true, p.getMessage().startsWith("project(\"p\", ...): its key 2 has a "), p.getMessage());
    assertFalse(p.getMessage().contains("tab\tkey"));
  }

  @Test
  void redactorRemovesKnownKeysConsumerQuotesAndGoogleShapedKeys() {
    Redactor r = new Redactor(List.of(new ApiKey(KEY, "key-1", 0)));
    String out =
        r.redact(
            "Consumer 'api_key:"
                + KEY
                + "' suspended; other AIzaSyBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB12Zz and api_key:unknown-secret-9999");
    assertFalse(out.contains(KEY), out);
    assertFalse(out.contains("AIzaSyBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB12Zz"), out);
    assertFalse(out.contains("unknown-secret"), out);
  }

  @Test
  void rotatorToStringNeverShowsKeys() {
    assertFalse(Rotator.keys(KEY).toString().contains("secret"));
  }
}
