package dev.adjoint.processor.random;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.random.Ast.Program;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles many programs, one class each, in one javac run through the real processor with {@code -Xlint:all
 * -Werror}, and loads the generated classes. A diagnostic (error or warning) is attributed to the program whose class
 * or companion it is in; those programs are set aside and the rest compiled again, so one bad program does not lose
 * its batch.
 */
final class Batch {
  /** The programs that compiled cleanly, their classes, and the problems of the others by class name. */
  record Result(ClassLoader loader, List<Program> compiled, Map<String, String> problems,
      Map<String, String> generated) {}

  private static final boolean DEBUG = Boolean.getBoolean("adjoint.random.debug");
  private static final List<String> OPTIONS = DEBUG
      ? List.of("-Xlint:all", "-Werror", "-Aadjoint.debug=true") : List.of("-Xlint:all", "-Werror");

  private Batch() {}

  static Result compile(List<Program> programs) {
    Map<String, String> problems = new LinkedHashMap<>();
    List<Program> remaining = new ArrayList<>(programs);
    while (!remaining.isEmpty()) {
      Attempt attempt = attempt(remaining);
      if (attempt.problems.isEmpty()) {
        return new Result(attempt.loader, remaining, problems, attempt.generated);
      }
      if (attempt.unattributed != null) {
        if (remaining.size() == 1) {
          problems.put(remaining.get(0).className(), attempt.unattributed);
          remaining = List.of();
          break;
        }
        // bisect: compile the halves on their own
        int half = remaining.size() / 2;
        Result left = compile(remaining.subList(0, half));
        Result right = compile(remaining.subList(half, remaining.size()));
        problems.putAll(left.problems());
        problems.putAll(right.problems());
        List<Program> good = new ArrayList<>(left.compiled());
        good.addAll(right.compiled());
        remaining = good;
        continue;
      }
      problems.putAll(attempt.problems);
      remaining.removeIf(p -> attempt.problems.containsKey(p.className()));
    }
    return new Result(new MapLoader(Map.of()), List.of(), problems, Map.of());
  }

  private record Attempt(Map<String, String> problems, String unattributed, ClassLoader loader,
      Map<String, String> generated) {}

  private static Attempt attempt(List<Program> programs) {
    List<JavaFileObject> files = new ArrayList<>();
    for (Program p : programs) {
      files.add(JavaFileObjects.forSourceString(Printer.PACKAGE + "." + p.className(), Printer.source(p)));
    }
    Compilation compilation;
    try {
      compilation = javac().withProcessors(new AdjointProcessor()).withOptions(OPTIONS).compile(files);
    } catch (RuntimeException | Error e) {
      return new Attempt(Map.of("?", e.toString()), "javac crashed: " + e, null, Map.of());
    }
    Map<String, StringBuilder> byClass = new LinkedHashMap<>();
    Map<String, StringBuilder> notes = new HashMap<>();
    StringBuilder unattributed = new StringBuilder();
    boolean attributedAny = false;
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        if (DEBUG && d.getSource() != null && owner(d.getSource().getName()) != null) {
          notes.computeIfAbsent(owner(d.getSource().getName()), k -> new StringBuilder())
              .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        continue;
      }
      String text = d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
      String owner = d.getSource() == null ? null : owner(d.getSource().getName());
      if (owner == null) {
        if (!d.getMessage(Locale.ROOT).contains("-Werror")) {
          unattributed.append(text).append('\n');
        }
        continue;
      }
      attributedAny = true;
      String where = d.getSource().getName().contains("Grad.java") ? " (generated " + owner + "Grad)" : "";
      byClass.computeIfAbsent(owner, k -> new StringBuilder()).append(text).append(where).append('\n');
    }
    if (compilation.status() != Compilation.Status.SUCCESS && !attributedAny && unattributed.isEmpty()) {
      unattributed.append("compilation failed without diagnostics\n");
    }
    Map<String, String> problems = new LinkedHashMap<>();
    byClass.forEach((k, v) -> problems.put(k, v + (notes.containsKey(k) ? "notes:\n" + notes.get(k) : "")));
    if (!unattributed.isEmpty() && byClass.isEmpty()) {
      return new Attempt(Map.of("?", unattributed.toString()), unattributed.toString(), null, Map.of());
    }
    if (!problems.isEmpty()) {
      return new Attempt(problems, null, null, Map.of());
    }
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String name = file.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return new Attempt(Map.of(), null, new MapLoader(classes), generatedSources(compilation));
  }

  /** The generated companion sources by program class name. */
  private static Map<String, String> generatedSources(Compilation compilation) {
    Map<String, String> result = new HashMap<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      String owner = owner(file.getName());
      try {
        result.put(owner, file.getCharContent(true).toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return result;
  }

  /**
   * The program class a source file belongs to: {@code /p/P17.java}, {@code .../p/P17Grad.java} and (its methods in a
   * nested class) {@code .../p/P17_InnerGrad.java} are P17's.
   */
  private static String owner(String fileName) {
    String simple = fileName.substring(fileName.lastIndexOf('/') + 1);
    if (!simple.endsWith(".java")) {
      return null;
    }
    simple = simple.substring(0, simple.length() - ".java".length());
    if (simple.endsWith("Grad")) {
      simple = simple.substring(0, simple.length() - "Grad".length());
    }
    String nested = "_" + Program.NESTED;
    return simple.endsWith(nested) ? simple.substring(0, simple.length() - nested.length()) : simple;
  }

  private static final class MapLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    MapLoader(Map<String, byte[]> classes) {
      super(Batch.class.getClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
