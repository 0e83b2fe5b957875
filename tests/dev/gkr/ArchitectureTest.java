package dev.gkr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, as the README's Architecture section draws it: the public API alone in
 * {@code dev.gkr}, the internal packages in layers with no cycle, no internal package reaching the
 * command line or the simulator, every class the owner of its state, a small {@link Rotator}, and
 * no source file over 400 lines.
 */
class ArchitectureTest {
  private static final JavaClasses LIB =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.gkr");

  /**
   * The internal packages from top to bottom (a row's packages are side by side): each may use the
   * rows below it and the public API, never a row above.
   */
  static final List<List<String>> LAYERS =
      List.of(
          List.of("run", "embed"),
          List.of("engine", "batchmode"),
          List.of("plan"),
          List.of("task"),
          List.of("keys", "call"),
          List.of("store"),
          List.of("request"),
          List.of("table"),
          List.of("config"),
          List.of("cost", "json", "report"),
          List.of("common"));

  @Test
  void theApiPackageHoldsOnlyPublicTypes() {
    classes()
        .that()
        .resideInAPackage("dev.gkr")
        .and()
        .areTopLevelClasses()
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .bePublic()
        .because("dev.gkr is the API; internals live in dev.gkr.internal.*")
        .check(LIB);
  }

  @Test
  void internalPackagesHaveNoCycles() {
    slices().matching("dev.gkr.internal.(*)..").should().beFreeOfCycles().check(LIB);
  }

  @Test
  void internalPackagesStandInLayers() {
    List<String> listed = LAYERS.stream().flatMap(List::stream).toList();
    for (JavaClass c : LIB)
      if (c.getPackageName().startsWith("dev.gkr.internal."))
        assertTrue(
            listed.contains(c.getPackageName().substring("dev.gkr.internal.".length())),
            c.getPackageName() + " is in no layer: add it to LAYERS and the README's picture");
    for (int i = 1; i < LAYERS.size(); i++) {
      List<String> above = LAYERS.subList(0, i).stream().flatMap(List::stream).toList();
      noClasses()
          .that()
          .resideInAnyPackage(internal(LAYERS.get(i)))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(internal(above))
          .because("a lower layer never uses a higher one")
          .check(LIB);
    }
  }

  @Test
  void theLibraryNeedsNeitherTheCommandLineNorTheSimulator() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.gkr", "dev.gkr.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.gkr.cli..", "dev.gkr.sim..")
        .check(LIB);
  }

  /** The Spark part sits above the API: nothing else may need Spark on its class path. */
  @Test
  void onlyTheSparkPartUsesSpark() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.gkr.spark..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.gkr.spark..", "org.apache.spark..", "org.apache.hadoop..", "scala..")
        .check(LIB);
  }

  @Test
  void noClassTouchesAnotherClasssMutableFields() {
    classes().should(notTouchMutableFieldsOfOtherClasses()).check(LIB);
  }

  @Test
  void mutableFieldsArePrivate() {
    fields()
        .that()
        .areNotFinal()
        .and()
        .areDeclaredInClassesThat(DescribedPredicate.not(syntheticOrEnum()))
        .should()
        .bePrivate()
        .because("a class owns its state: others change it through methods named for what happens")
        .check(LIB);
  }

  @Test
  void rotatorKeepsASmallSurface() {
    List<String> publicMethods = new ArrayList<>();
    for (Method m : Rotator.class.getDeclaredMethods())
      if (Modifier.isPublic(m.getModifiers())) publicMethods.add(m.getName());
    // 25 before the new capabilities; the issues name four more entry points as contracts
    // (json(Class), fallbackModels, context, embed). Anything else belongs in an option value.
    assertTrue(
        publicMethods.size() <= 29, publicMethods.size() + " public methods: " + publicMethods);
  }

  @Test
  void noSourceFileIsOver400Lines() throws IOException {
    List<String> long_ = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("lib"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        long lines = Files.lines(p).count();
        if (lines > 400) long_.add(p + " (" + lines + " lines)");
      }
    }
    assertEquals(List.of(), long_, "split by concern");
  }

  private static String[] internal(List<String> names) {
    return names.stream().map(n -> "dev.gkr.internal." + n + "..").toArray(String[]::new);
  }

  private static DescribedPredicate<JavaClass> syntheticOrEnum() {
    return DescribedPredicate.describe("enums", JavaClass::isEnum);
  }

  /**
   * A read or write of a field that is not final, from a class with another top-level class (a
   * nested class and its outer class share their private state, as Java allows).
   */
  private static ArchCondition<JavaClass> notTouchMutableFieldsOfOtherClasses() {
    return new ArchCondition<>("not touch mutable fields of other classes") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (JavaFieldAccess a : origin.getFieldAccessesFromSelf()) {
          JavaClass owner = a.getTargetOwner();
          if (top(owner).equals(top(origin))) continue;
          a.getTarget()
              .resolveMember()
              .filter(f -> !f.getModifiers().contains(JavaModifier.FINAL))
              .filter(f -> !owner.isEnum())
              .ifPresent(
                  f ->
                      events.add(
                          SimpleConditionEvent.violated(a, a.getDescription() + " " + name(f))));
        }
      }
    };
  }

  private static String name(JavaField f) {
    return "(" + f.getFullName() + " is not final)";
  }

  private static JavaClass top(JavaClass c) {
    JavaClass t = c;
    while (t.getEnclosingClass().isPresent()) t = t.getEnclosingClass().get();
    return t;
  }
}
