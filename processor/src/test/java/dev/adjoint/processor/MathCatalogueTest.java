package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.rules.RuleCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The list of Math functions that ADJ262 prints is the runtime's MathRules, no more, no less. */
class MathCatalogueTest {
  @Test
  void theListedCatalogueIsMathRules() throws IOException {
    String rules = Files.readString(Path.of("../runtime/src/main/java/dev/adjoint/runtime/rules/MathRules.java"));
    Matcher matcher = Pattern.compile("@DerivativeRule\\(owner = Math\\.class, method = \"(\\w+)\"").matcher(rules);
    TreeSet<String> functions = new TreeSet<>();
    while (matcher.find()) {
      functions.add(matcher.group(1));
    }
    assertEquals(functions, new TreeSet<>(RuleCatalogue.MATH_CATALOGUE));
    assertEquals(RuleCatalogue.MATH_CATALOGUE.size(), functions.size());
  }
}
