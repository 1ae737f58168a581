package dev.adjoint.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated source of representative methods, compared line by line with reviewed copies in
 * {@code src/test/resources/golden}: generated code is part of the product, and its readability
 * must not erode unnoticed. Each {@code golden/X.java} is a source whose companion
 * {@code golden/XGrad.java.txt} was read once by a person, then kept.
 *
 * <p>After an intended change of the generated code, rewrite the copies with
 * {@code mvn -pl processor -am test -Dtest=GoldenSourcesTest -Dadjoint.golden.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false}, read the diff, and commit it with the change.
 */
class GoldenSourcesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<String> sources() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".java"))
          .map(name -> name.substring(0, name.length() - ".java".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void generatedSourceIsTheReviewedOne(String className) throws IOException {
    String source = Files.readString(GOLDEN.resolve(className + ".java"));
    Compilation compilation = javac()
        .withProcessors(new AdjointProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("golden." + className, source));
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().toString());
    String generated = companionOf(compilation, className + "Grad");
    Path expectedFile = GOLDEN.resolve(className + "Grad.java.txt");
    if (Boolean.getBoolean("adjoint.golden.update")) {
      Files.writeString(expectedFile, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(expectedFile), "no reviewed copy " + expectedFile + "; generate it with -Dadjoint.golden.update=true");
    assertEquals(Files.readString(expectedFile), generated, "generated source of " + className
        + " differs from the reviewed copy; if the change is intended, update the copies (see the class comment)");
  }

  private static String companionOf(Compilation compilation, String simpleName) {
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      if (file.getName().endsWith("/" + simpleName + ".java")) {
        try {
          return file.getCharContent(true).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no generated " + simpleName);
  }
}
