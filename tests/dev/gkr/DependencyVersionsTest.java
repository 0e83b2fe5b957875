package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependency versions are stated once, in pom.xml; JBang scripts cannot read a pom, so their {@code
 * //DEPS} lines repeat them, and this test keeps every repetition in step (issue 15).
 */
class DependencyVersionsTest {
  private static final Pattern DEP =
      Pattern.compile(
          "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
  private static final Pattern PROPERTY = Pattern.compile("<([a-zA-Z.]+)>([^<]+)</\\1>");
  private static final Pattern JBANG_DEPS =
      Pattern.compile("^//DEPS\\s+([^:\\s]+):([^:\\s]+):([^\\s@]+)", Pattern.MULTILINE);

  @Test
  void everyJBangDependencyHasThePomsVersion_issue15() throws IOException {
    Map<String, String> pom = pomVersions(Files.readString(Path.of("pom.xml")));
    List<String> checked = new ArrayList<>();
    try (Stream<Path> files =
        Stream.concat(Files.walk(Path.of("scripts")), Files.walk(Path.of("samples")))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = JBANG_DEPS.matcher(Files.readString(f));
        while (m.find()) {
          String ga = m.group(1) + ":" + m.group(2);
          if (ga.equals("dev.gkr:gkr")) continue; // the library itself, installed from this pom
          if (!pom.containsKey(ga))
            continue; // a script's own dependency (e.g. a chart library), not the library's
          assertEquals(pom.get(ga), m.group(3), f + " pins " + ga + " differently from pom.xml");
          checked.add(f.getFileName() + " " + ga);
        }
      }
    }
    assertFalse(
        checked.isEmpty(), "no //DEPS line was checked: the scripts or the pattern changed");
  }

  static Map<String, String> pomVersions(String pom) {
    Map<String, String> props = new HashMap<>();
    int start = pom.indexOf("<properties>");
    int end = pom.indexOf("</properties>");
    Matcher p = PROPERTY.matcher(pom.substring(start, end));
    while (p.find()) props.put(p.group(1), p.group(2));
    Map<String, String> out = new HashMap<>();
    Matcher d = DEP.matcher(pom);
    while (d.find()) {
      String v = d.group(3);
      if (v.startsWith("${")) v = props.get(v.substring(2, v.length() - 1));
      out.put(d.group(1) + ":" + d.group(2), v);
    }
    return out;
  }
}
