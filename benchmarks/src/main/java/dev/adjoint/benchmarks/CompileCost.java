package dev.adjoint.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The compile-time cost of the processor: javac, in this JVM, on one generated source file with
 * {@value #METHODS} {@code @Differentiable} methods of {@value #STATEMENTS} statements each, once
 * with {@code -proc:none} and once with Adjoint's processor on the processor path (which also
 * compiles the generated companion). Each configuration is compiled {@value #WARMUPS} times to warm
 * javac up and then {@value #RUNS} times; the median is reported, and the first (cold) compile too.
 * The difference is split into the processor's part ({@code -proc:only}) and javac's work on the
 * generated companion (compiled alone).
 */
public final class CompileCost {
  static final int METHODS = 100;
  static final int STATEMENTS = 30;
  static final int WARMUPS = 1;
  static final int RUNS = 3;

  /** Milliseconds for the whole file; per method is (with − without) / methods. */
  public record Result(
      int methods,
      double coldWithout,
      double coldWith,
      double without,
      double with,
      double processorOnly,
      double generatedOnly,
      int generatedLines) {
    public double perMethodMs() {
      return (with - without) / methods;
    }

    public String describe() {
      return String.format(
          Locale.ROOT,
          "Compile time: javac on %d @Differentiable methods of ~%d statements: %.0f ms without the"
              + " processor, %.0f ms with it (warm medians; first compiles in a fresh JVM %.0f and %.0f ms):"
              + " %.1f ms per method. Of the difference: -proc:only (parse + processor) %.0f ms, javac on"
              + " the %,d generated lines alone %.0f ms.",
          methods, STATEMENTS, without, with, coldWithout, coldWith, perMethodMs(), processorOnly,
          generatedLines, generatedOnly);
    }
  }

  private CompileCost() {}

  /** One method of 30 statements: arithmetic, Math calls, a loop with a branch, a while loop. */
  private static String method(int k) {
    double c = 1 + (k % 7) * 0.25;
    String call = k % 10 == 9 ? " + 0.001 * f" + (k - 1) + "(b, a, x)" : "";
    return String.format(
        Locale.ROOT,
        """
          @Differentiable
          static double f%1$d(double a, double b, double[] x) {
            double s = 0;
            double t = a * b + %2$s;
            double u = Math.sin(t) + b * %3$s;
            double v = Math.exp(-u * u) * a;
            double q = Math.sqrt(1 + v * v);
            for (int i = 0; i < x.length; i++) {
              double xi = x[i];
              double r = xi * v - t;
              if (r > %4$s) {
                s += Math.log1p(r * r);
              } else {
                s -= r * %2$s;
              }
              s += Math.tanh(xi + a) * q;
            }
            double m = Math.max(s, t);
            double n = m * m + %3$s;
            double o = n / (1 + Math.abs(u));
            double p = Math.atan(o) + Math.cos(a);
            p *= %2$s;
            p += Math.hypot(a, b);
            double w = 0;
            int k = 0;
            while (k < 3) {
              w += p * k - Math.sinh(b / (k + 2));
              k++;
            }
            double z = w > 0 ? w : -w;
            double e = Math.pow(1 + z, 0.5);
            double g = e * s - o;
            double h = g / %3$s;
            h = h + Math.cbrt(1 + a * a);
            double last = h * p + w%5$s;
            return last + e;
          }

        """,
        k, c, c + 0.5, -0.5 + (k % 3) * 0.25, call);
  }

  /** The source of {@code bench.compilecost.Many} with {@code methods} methods. */
  static String source(int methods) {
    StringBuilder text = new StringBuilder();
    text.append("package bench.compilecost;\n\nimport dev.adjoint.Differentiable;\n\n");
    text.append("public final class Many {\n");
    for (int k = 0; k < methods; k++) {
      text.append(method(k));
    }
    return text.append("}\n").toString();
  }

  /** The folder of jars that makes the processor path: target/compile-cost-lib beside the jar. */
  static Path processorLibrary() {
    String configured = System.getProperty("adjoint.processorPath");
    if (configured != null) {
      return Paths.get(configured);
    }
    try {
      URI location = CompileCost.class.getProtectionDomain().getCodeSource().getLocation().toURI();
      Path here = Paths.get(location);
      // benchmarks/target/benchmarks.jar or benchmarks/target/classes
      return here.getParent().resolve("compile-cost-lib");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Result measure() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler (a JRE rather than a JDK?)");
    }
    Path library = processorLibrary();
    String processorPath;
    try (Stream<Path> jars = Files.list(library)) {
      processorPath =
          jars.filter(p -> p.toString().endsWith(".jar"))
              .map(Path::toString)
              .collect(Collectors.joining(File.pathSeparator));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no processor jars in " + library + " (built by mvn package in benchmarks/)", e);
    }
    if (!processorPath.contains("adjoint-processor")) {
      throw new IllegalStateException("adjoint-processor jar missing from " + library);
    }
    String source = source(METHODS);
    String classPath = System.getProperty("java.class.path");
    Path work = Files.createTempDirectory("adjoint-compile-cost");
    try {
      List<String> without = List.of("-proc:none", "-classpath", classPath);
      List<String> with = List.of("-processorpath", processorPath, "-classpath", classPath);
      double coldWithout = compile(javac, source, without, work.resolve("cold-without"));
      double coldWith = compile(javac, source, with, work.resolve("cold-with"));
      for (int i = 0; i < WARMUPS; i++) {
        compile(javac, source, without, work.resolve("w" + i));
        compile(javac, source, with, work.resolve("w" + i));
      }
      // The parts: the processor with -proc:only (javac parses and enters, the processor writes the
      // companion, nothing is attributed or generated), and javac on the companion alone.
      List<String> processorOnly = new ArrayList<>(with);
      processorOnly.add("-proc:only");
      Path companion = work.resolve("cold-with/bench/compilecost/ManyGrad.java");
      String generated = Files.readString(companion);
      List<String> generatedOnly =
          List.of("-proc:none", "-classpath", classPath + File.pathSeparator + work.resolve("cold-without"));
      compile(javac, generated, "ManyGrad", generatedOnly, work.resolve("g"));
      double[] timesWithout = new double[RUNS];
      double[] timesWith = new double[RUNS];
      double[] timesProcessor = new double[RUNS];
      double[] timesGenerated = new double[RUNS];
      for (int i = 0; i < RUNS; i++) {
        timesWithout[i] = compile(javac, source, without, work.resolve("r" + i));
        timesWith[i] = compile(javac, source, with, work.resolve("r" + i));
        timesProcessor[i] = compile(javac, source, processorOnly, work.resolve("p" + i));
        timesGenerated[i] = compile(javac, generated, "ManyGrad", generatedOnly, work.resolve("g" + i));
      }
      int generatedLines = (int) generated.lines().count();
      return new Result(METHODS, coldWithout, coldWith, median(timesWithout), median(timesWith),
          median(timesProcessor), median(timesGenerated), generatedLines);
    } finally {
      delete(work);
    }
  }

  private static double compile(JavaCompiler javac, String source, List<String> options, Path out)
      throws IOException {
    return compile(javac, source, "Many", options, out);
  }

  private static double compile(
      JavaCompiler javac, String source, String className, List<String> options, Path out)
      throws IOException {
    Files.createDirectories(out);
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of("-d", out.toString(), "-s", out.toString(), "-implicit:none"));
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///bench/compilecost/" + className + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    StringWriter messages = new StringWriter();
    long start = System.nanoTime();
    Boolean ok = javac.getTask(messages, null, null, all, null, List.of(file)).call();
    long elapsed = System.nanoTime() - start;
    if (!ok) {
      throw new IllegalStateException("javac failed on the compile-cost source:\n" + messages);
    }
    return elapsed / 1e6;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    System.out.println(measure().describe());
  }
}
