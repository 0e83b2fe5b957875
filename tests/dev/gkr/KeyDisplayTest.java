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
