package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.LocalClassProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles in-memory sources through {@link AdjointProcessor} and checks the errors against
 * markers written in the sources themselves:
 *
 * <ul>
 *   <li>{@code // BUG: Diagnostic contains: <text>} — the next line that is not a marker must carry
 *       an error whose message contains {@code <text>}. A text such as {@code [ADJ201] ... not
 *       supported} is several fragments: the message must contain them in that order, so that a
 *       test can name the stable id and a key phrase that do not stand side by side;
 *   <li>{@code // JAVAC: <text>} — the next line must carry an error of javac's own (one that does
 *       not start with {@code [ADJ}), containing {@code <text>} when it is given.
 * </ul>
 *
 * <p>Several markers stacked above one line expect that many errors there. Every error must be
 * claimed by a marker of its own file; an error in no test source (such as a generated file that
 * does not compile) fails every check, and so does an Adjoint internal error.
 *
 * <p>Several sources may share one compilation (a compile costs a few hundred milliseconds): add
 * them all, then {@link #check} each by name. The compilation runs once, on the first check.
 * Keep code that javac itself rejects in a tester of its own: javac stops before attributing
 * bodies once a processor reports an error, so one source's Adjoint error would hide another
 * source's javac errors (and errors in generated code too).
 */
public final class DiagnosticTester {
  private static final String BUG_MARKER = "// BUG: Diagnostic contains:";
  private static final String JAVAC_MARKER = "// JAVAC:";
  private static final String OUR_PREFIX = "[ADJ";
  /** Splits a marker's text into fragments that must appear in order, anything in between. */
  private static final String FRAGMENT_SEPARATOR = " \\.\\.\\. ";
  private static final String INTERNAL_ERROR = "[" + Message.INTERNAL_ERROR.id() + "]";

  private final Map<String, Source> sources = new LinkedHashMap<>();
  private final GeneratedSourceRecorder generated = new GeneratedSourceRecorder();
  private Compilation compilation;

  private DiagnosticTester() {}

  public static DiagnosticTester create() {
    return new DiagnosticTester();
  }

  /** Adds the source of class {@code qualifiedName} and returns that name, for {@link #check}. */
  public synchronized String add(String qualifiedName, String text) {
    if (compilation != null) {
      throw new IllegalStateException("sources were already compiled; add " + qualifiedName + " earlier");
    }
    if (sources.containsKey(qualifiedName)) {
      throw new IllegalArgumentException("two sources named " + qualifiedName);
    }
    sources.put(qualifiedName, new Source(qualifiedName, text));
    return qualifiedName;
  }

  /** The compilation of every added source through the processor, run on first use. */
  public synchronized Compilation compilation() {
    if (compilation == null) {
      compilation = javac()
          // The recorder goes first: it claims nothing, and javac's last round runs only
          // processors that ran before.
          .withProcessors(generated, new LocalClassProcessor(), new AdjointProcessor())
          .compile(sources.values().stream().map(Source::file).toList());
    }
    return compilation;
  }

  /** Checks the diagnostics of one source against its markers. */
  public void check(String qualifiedName) {
    Source source = sources.get(qualifiedName);
    if (source == null) {
      throw new IllegalArgumentException("no source named " + qualifiedName);
    }
    List<Diagnostic<? extends JavaFileObject>> diagnostics = compilation().diagnostics();
    List<String> mismatches = mismatches(source, diagnostics);
    if (!mismatches.isEmpty()) {
      throw new AssertionError(report(source, mismatches, diagnostics));
    }
  }

  /**
   * The text of a source file the processor generated, also when the compilation failed (where
   * compile-testing hides generated files); fails when there is no such file.
   */
  public String generatedSource(String qualifiedName) {
    compilation();
    String text = generated.texts.get(qualifiedName);
    if (text == null) {
      throw new AssertionError("no generated source " + qualifiedName + "; generated: " + generated.texts.keySet());
    }
    return text;
  }

  /**
   * Fails unless every source compiles without the processor: errors the markers expect must
   * come from Adjoint, not from a slip in the test source that javac would reject anyway.
   */
  public void assertValidJavaWithoutProcessor() {
    Compilation plain = javac().compile(sources.values().stream().map(Source::file).toList());
    List<String> errors = plain.errors().stream().map(DiagnosticTester::describe).toList();
    if (!errors.isEmpty()) {
      throw new AssertionError("test sources that javac alone rejects:\n  " + String.join("\n  ", errors));
    }
  }

  // ------------------------------------------------------------------------------- matching

  private List<String> mismatches(Source source, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    List<String> mismatches = new ArrayList<>();
    List<Diagnostic<? extends JavaFileObject>> unclaimed = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
      // Diagnostics in no test source (none at all, or a generated file) count against every check.
      if (!source.owns(diagnostic) && isKnownSource(diagnostic)) {
        continue;
      }
      String message = messageOf(diagnostic);
      if (message.contains(INTERNAL_ERROR) || message.contains("internal error")) {
        // A crash fails the check even where a marker would claim it.
        mismatches.add(where(diagnostic) + ": the processor crashed: " + message);
      } else if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        unclaimed.add(diagnostic);
      }
    }
    // Longer texts first, so that a loose marker does not take the error a precise one needs.
    List<Marker> markers = source.markers.stream()
        .sorted(Comparator.comparingInt((Marker m) -> m.text.length()).reversed()).toList();
    for (Marker marker : markers) {
      Diagnostic<? extends JavaFileObject> claimed = unclaimed.stream()
          .filter(d -> source.owns(d) && d.getLineNumber() == marker.line && marker.accepts(messageOf(d)))
          .findFirst().orElse(null);
      if (claimed == null) {
        mismatches.add("line " + marker.line + ": expected " + marker.describe() + ", found none");
      } else {
        unclaimed.remove(claimed);
      }
    }
    for (Diagnostic<? extends JavaFileObject> diagnostic : unclaimed) {
      String place = source.owns(diagnostic) ? "line " + diagnostic.getLineNumber() : where(diagnostic);
      mismatches.add(place + ": error without a marker: " + messageOf(diagnostic));
    }
    return mismatches;
  }

  /** Whether the diagnostic sits in one of the added sources (another check will judge it). */
  private boolean isKnownSource(Diagnostic<? extends JavaFileObject> diagnostic) {
    return sources.values().stream().anyMatch(source -> source.owns(diagnostic));
  }

  private String report(Source source, List<String> mismatches, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    StringBuilder text = new StringBuilder(source.name).append(": diagnostics do not match the markers\n");
    mismatches.forEach(m -> text.append("  ").append(m).append('\n'));
    text.append("Diagnostics of this source and of no test source:\n");
    diagnostics.stream()
        .filter(d -> source.owns(d) || !isKnownSource(d))
        .forEach(d -> text.append("  ").append(describe(d)).append('\n'));
    text.append("Source:\n");
    for (int i = 0; i < source.lines.size(); i++) {
      text.append(String.format(Locale.ROOT, "%4d | %s%n", i + 1, source.lines.get(i)));
    }
    return text.toString();
  }

  private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
    return diagnostic.getKind() + " " + where(diagnostic) + ": " + messageOf(diagnostic);
  }

  private static String where(Diagnostic<? extends JavaFileObject> diagnostic) {
    String file = diagnostic.getSource() == null ? "(no file)" : diagnostic.getSource().getName();
    return file + ":" + diagnostic.getLineNumber();
  }

  private static String messageOf(Diagnostic<? extends JavaFileObject> diagnostic) {
    return diagnostic.getMessage(Locale.ROOT);
  }

  // -------------------------------------------------------------------------------- sources

  private static final class Source {
    final String name;
    final List<String> lines;
    final List<Marker> markers;
    final JavaFileObject file;

    Source(String name, String text) {
      this.name = name;
      this.lines = text.lines().toList();
      this.markers = Marker.parse(name, lines);
      this.file = JavaFileObjects.forSourceString(name, text);
    }

    JavaFileObject file() {
      return file;
    }

    boolean owns(Diagnostic<? extends JavaFileObject> diagnostic) {
      JavaFileObject other = diagnostic.getSource();
      return other != null && Objects.equals(other.toUri(), file.toUri());
    }
  }

  /** One expectation: an error on {@code line} (1-based) that {@link #accepts} recognises. */
  private record Marker(int line, boolean javacOnly, String text) {
    static List<Marker> parse(String sourceName, List<String> lines) {
      List<Marker> markers = new ArrayList<>();
      // Markers read so far whose target, the next line that is not a marker, is still to come.
      List<Marker> pending = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.startsWith(BUG_MARKER)) {
          String text = line.substring(BUG_MARKER.length()).trim();
          if (text.isEmpty()) {
            throw new IllegalArgumentException(sourceName + " line " + (i + 1) + ": a BUG marker needs text");
          }
          pending.add(new Marker(0, false, text));
        } else if (line.startsWith(JAVAC_MARKER)) {
          pending.add(new Marker(0, true, line.substring(JAVAC_MARKER.length()).trim()));
        } else {
          int target = i + 1;
          pending.forEach(m -> markers.add(new Marker(target, m.javacOnly, m.text)));
          pending.clear();
        }
      }
      if (!pending.isEmpty()) {
        throw new IllegalArgumentException(sourceName + ": a marker on the last line has no line to mark");
      }
      return markers;
    }

    boolean accepts(String message) {
      return containsInOrder(message) && !(javacOnly && message.startsWith(OUR_PREFIX));
    }

    /** Whether the message holds every fragment of the text, in order. */
    private boolean containsInOrder(String message) {
      int from = 0;
      for (String fragment : text.split(FRAGMENT_SEPARATOR)) {
        int at = message.indexOf(fragment, from);
        if (at < 0) {
          return false;
        }
        from = at + fragment.length();
      }
      return true;
    }

    String describe() {
      if (javacOnly) {
        return "an error of javac's own" + (text.isEmpty() ? "" : " containing \"" + text + "\"")
            + " (not one starting with " + OUR_PREFIX + ")";
      }
      return "an error containing \"" + text + "\"";
    }
  }

  /**
   * Keeps the text of every generated type in the test sources' packages, read in javac's last
   * round, when the generated files have been parsed even if an earlier round reported errors.
   */
  private final class GeneratedSourceRecorder extends AbstractProcessor {
    final Map<String, String> texts = new LinkedHashMap<>();

    /** Every annotation, and even none: javac calls it in the first round and so in the last. */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!round.processingOver()) {
        return false;
      }
      Trees trees = Trees.instance(processingEnv);
      Set<String> packages = new TreeSet<>();
      sources.keySet().forEach(name -> packages.add(packageOf(name)));
      for (String packageName : packages) {
        PackageElement element = processingEnv.getElementUtils().getPackageElement(packageName);
        if (element == null) {
          continue;
        }
        for (TypeElement type : ElementFilter.typesIn(element.getEnclosedElements())) {
          String name = type.getQualifiedName().toString();
          TreePath path = trees.getPath(type);
          if (path != null && !sources.containsKey(name)) {
            texts.put(name, read(path.getCompilationUnit().getSourceFile()));
          }
        }
      }
      return false;
    }

    private static String packageOf(String qualifiedName) {
      int dot = qualifiedName.lastIndexOf('.');
      return dot < 0 ? "" : qualifiedName.substring(0, dot);
    }

    private static String read(JavaFileObject file) {
      try {
        return file.getCharContent(true).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
