package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/DIAGNOSTICS.md} and the negative tests complete: every {@link Message} has an
 * entry in the catalogue and at least one test source whose {@code // BUG: Diagnostic contains:}
 * marker expects it. Surefire runs tests in the module directory, so the paths are relative to
 * {@code processor/}.
 */
class CatalogueTest {
  private static final Path CATALOGUE = Path.of("..", "docs", "DIAGNOSTICS.md");
  private static final Path NEGATIVE_TESTS = Path.of("src", "test", "java", "dev", "adjoint", "processor", "diagnostics");
  /** Not negative tests: the tester's own test expects errors that do not come, on purpose. */
  private static final Set<String> NOT_NEGATIVE_TESTS = Set.of("DiagnosticTesterTest.java", "CatalogueTest.java");
  private static final String BUG_MARKER = "// BUG: Diagnostic contains:";
  private static final String JAVAC_MARKER = "// JAVAC:";
  private static final Pattern ID = Pattern.compile("ADJ\\d{3}");

  /** Messages no source can trigger on purpose, with the reason; nothing else may be listed. */
  private static final Map<Message, String> EXEMPT = Map.of(
      Message.INTERNAL_ERROR,
      "an exception inside the processor: no valid input provokes it on purpose, and every "
          + "DiagnosticTester check fails when one appears");

  @Test
  void everyMessageHasAnEntryInTheCatalogue() {
    String catalogue = read(CATALOGUE);
    List<String> missing = Arrays.stream(Message.values())
        .filter(message -> !catalogue.contains("### " + message.id() + " "))
        .map(message -> message.id() + " (" + message.name() + ")")
        .toList();
    assertTrue(missing.isEmpty(), () -> "no \"### ADJnnn\" entry in " + CATALOGUE + " for " + missing);
  }

  @Test
  void theCatalogueNamesOnlyRealMessages() {
    Set<String> real = Arrays.stream(Message.values()).map(Message::id).collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>(idsIn(read(CATALOGUE)));
    unknown.removeAll(real);
    assertTrue(unknown.isEmpty(), () -> CATALOGUE + " names ids that no Message has: " + unknown);
  }

  @Test
  void everyMessageIsExpectedByANegativeTest() {
    Set<String> expected = idsIn(String.join("\n", markers(BUG_MARKER)));
    List<String> untested = Arrays.stream(Message.values())
        .filter(message -> !EXEMPT.containsKey(message))
        .filter(message -> !expected.contains(message.id()))
        .map(message -> message.id() + " (" + message.name() + ")")
        .toList();
    assertTrue(untested.isEmpty(), () -> "no \"" + BUG_MARKER + " [ADJnnn]\" marker in " + NEGATIVE_TESTS
        + " expects " + untested);
  }

  @Test
  void onlyTheInternalErrorIsExempt() {
    assertTrue(EXEMPT.keySet().equals(Set.of(Message.INTERNAL_ERROR)), () -> "exempt: " + EXEMPT.keySet());
  }

  @Test
  void markersNameOnlyRealMessages() {
    Set<String> real = Arrays.stream(Message.values()).map(Message::id).collect(Collectors.toSet());
    Map<String, String> unknown = new TreeMap<>();
    for (String marker : markers(BUG_MARKER)) {
      for (String id : idsIn(marker)) {
        if (!real.contains(id)) {
          unknown.put(id, marker);
        }
      }
    }
    assertTrue(unknown.isEmpty(), () -> "markers expect ids that no Message has: " + unknown);
  }

  // Issue #5 asks for at least 40 negative cases; each marker is one expected error.
  @Test
  void atLeastFortyNegativeCases() {
    int adjoint = markers(BUG_MARKER).size();
    int javac = markers(JAVAC_MARKER).size();
    System.out.printf("negative cases: %d expected Adjoint errors and %d expected javac errors%n", adjoint, javac);
    assertTrue(adjoint + javac >= 40, () -> "only " + (adjoint + javac) + " negative cases");
  }

  /** The text of every marker line of the negative tests. */
  private static List<String> markers(String marker) {
    try (Stream<Path> files = Files.list(NEGATIVE_TESTS)) {
      return files
          .filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !NOT_NEGATIVE_TESTS.contains(file.getFileName().toString()))
          .sorted()
          .flatMap(file -> read(file).lines())
          .map(String::trim)
          .filter(line -> line.startsWith(marker))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> idsIn(String text) {
    Set<String> ids = new TreeSet<>();
    Matcher matcher = ID.matcher(text);
    while (matcher.find()) {
      ids.add(matcher.group());
    }
    return ids;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath().normalize(), e);
    }
  }
}
