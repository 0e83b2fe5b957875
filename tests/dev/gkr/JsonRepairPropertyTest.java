package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random JSON trees (strings full of quotes, brackets, comment markers and escapes; every number kind) hold
 * the repair to two promises: valid JSON reads exactly as Jackson reads it, however it is wrapped; and a
 * value whose last closer is missing is closed to the same value, or refused when the caller says cut off.
 */
class JsonRepairPropertyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] PIECES = {"a", "Zürich", " ", "\"", "'", "\\", "//", "#", "/*", "*/", "{", "}", "[", "]",
      "(", ")", ",", ":", "\n", "\t", "...", "true", "null", "0", "-1.5e3", "“", "”", "✓", "\u0001", "http://x.org/a?b=1"};

  @Property(tries = 400, seed = "18")
  void validJsonReadsAsJacksonReadsItHoweverWrapped(@ForAll long seed) throws Exception {
    JsonNode tree = container(new Random(seed), 0);
    String compact = JSON.writeValueAsString(tree);
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    assertEquals(tree, JsonRepair.repair(compact), compact);
    assertEquals(tree, JsonRepair.repair(pretty), pretty);
    assertEquals(tree, JsonRepair.repair("```json\n" + pretty + "\n```"), pretty);
    assertEquals(tree, JsonRepair.repair("Here is the JSON you asked for:\n" + compact + "\nLet me know if you need more."), compact);
  }

  @Property(tries = 400, seed = "18")
  void missingLastCloserIsClosedToTheSameValueOrRefusedWhenCutOff(@ForAll long seed) throws Exception {
    JsonNode tree = container(new Random(seed), 0);
    String compact = JSON.writeValueAsString(tree);
    String open = compact.substring(0, compact.length() - 1);
    assertEquals(tree, JsonRepair.repair(open), open);
    JsonRepair.RepairException e = assertThrows(JsonRepair.RepairException.class, () -> JsonRepair.repair(open, true), open);
    assertEquals(RepairRefusal.CUT_OFF, e.reason(), e.getMessage());
    assertEquals(tree, JsonRepair.repair(compact, true), "a complete value passes even when cut off");
  }

  private static JsonNode container(Random r, int depth) {
    if (r.nextBoolean()) {
      ObjectNode o = NODES.objectNode();
      for (int k = r.nextInt(5); k > 0; k--) o.set(text(r), value(r, depth + 1));
      return o;
    }
    ArrayNode a = NODES.arrayNode();
    for (int k = r.nextInt(5); k > 0; k--) a.add(value(r, depth + 1));
    return a;
  }

  private static JsonNode value(Random r, int depth) {
    return switch (r.nextInt(depth < 4 ? 10 : 8)) {
      case 0, 1, 2 -> NODES.textNode(text(r));
      case 3 -> NODES.numberNode(r.nextInt(2001) - 1000);
      case 4 -> switch (r.nextInt(3)) {
        case 0 -> NODES.numberNode(r.nextLong());
        case 1 -> NODES.numberNode(new BigInteger(80, r).negate());
        default -> NODES.numberNode(r.nextInt());
      };
      case 5 -> NODES.numberNode((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
      case 6 -> r.nextBoolean() ? NODES.booleanNode(r.nextBoolean()) : NODES.nullNode();
      case 7 -> NODES.textNode("");
      default -> container(r, depth);
    };
  }

  private static String text(Random r) {
    StringBuilder b = new StringBuilder();
    for (int k = r.nextInt(6); k >= 0; k--) b.append(PIECES[r.nextInt(PIECES.length)]);
    return b.toString();
  }
}
