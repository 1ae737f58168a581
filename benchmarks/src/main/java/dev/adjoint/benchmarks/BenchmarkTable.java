package dev.adjoint.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

/**
 * The benchmark command: runs every JMH benchmark of this module (one fork each, 3×1 s warm-up,
 * 5×1 s measurement, with JMH's GC profiler for bytes allocated per call), then the compile-time
 * measurement, then the PyTorch script when {@code /usr/bin/python3} can import torch, and prints
 * one table: a row per workload (gradients of W1–W6; tangents, Hessian-vector products and a whole
 * Hessian of W2 and W3), the time per call of each variant and the ratios.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar [--quick] [--include REGEX] [--no-python]
 * [--no-compile-cost]}. {@code --quick} (1×0.5 s warm-up, 2×0.5 s measurement) is for trying the
 * command, not for numbers.
 */
public final class BenchmarkTable {
  private static final String PYTHON = "/usr/bin/python3";
  /** Bytes per call below which gc.alloc.rate.norm is JMH's own allocation, not the benchmark's. */
  private static final double ALLOCATION_NOISE = 64;

  private BenchmarkTable() {}

  /** A time and the bytes allocated per call of one benchmark. */
  record Measured(double nanos, double error, double bytes) {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean python = true;
    boolean compileCost = true;
    String include = "dev\\.adjoint\\.benchmarks\\.W.*Bench\\..*";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--no-python" -> python = false;
        case "--no-compile-cost" -> compileCost = false;
        case "--include" -> include = args[++i];
        default -> {
          System.err.println(
              "usage: java -jar benchmarks.jar [--quick] [--include REGEX] [--no-python] [--no-compile-cost]");
          System.exit(2);
        }
      }
    }
    String environment = environment();
    System.out.println(environment);

    Map<String, Measured> jmh = runJmh(include, quick);

    String compileLine;
    if (compileCost) {
      System.out.println("# compile-time cost: javac with and without the processor ...");
      try {
        compileLine = CompileCost.measure().describe();
      } catch (RuntimeException | IOException e) {
        compileLine = "compile-time cost not measured: " + e.getMessage();
      }
      System.out.println(compileLine);
    } else {
      compileLine = "compile-time cost not measured (--no-compile-cost)";
    }

    Map<String, String> torch = new HashMap<>();
    String torchLine = python ? runPython(torch, quick) : "PyTorch: not run (--no-python)";

    System.out.println();
    System.out.println("## Adjoint benchmarks: time per call (value and gradient, or what the row names:"
        + " tangent, H·v, Hessian; primal: value only)");
    System.out.println();
    System.out.println(environment.replace("# ", ""));
    System.out.println();
    printTable(jmh, torch, include);
    System.out.println();
    System.out.println(
        "generated = the allocation-free form f(args, into); \"convenience\" = f(args), which allocates"
            + " the gradient object. Ratios use the into form. DS = Commons Math DerivativeStructure,"
            + " FD = central finite differences (2n+1 evaluations). alloc = bytes per call of the into"
            + " form (of the primal in brackets), JMH's gc.alloc.rate.norm.");
    System.out.println("hand-written rows marked * are shared: W3 loops/Matrix, W4, W5 (one analytic gradient each),"
        + " W6 = W2's at n = 10,000; PyTorch W6 calls a Python helper on tensors.");
    System.out.println("tangent, H·v and Hessian rows (issue #7): generated = fTangent (value and derivative along"
        + " one direction, a new Dual), fHessianVector (a new double[]) or fHessian (a new double[n][n]); hand-written"
        + " returns the same kind of new result; DS = DerivativeStructure with one free parameter (the"
        + " direction) of order 1 for tangents, n parameters of order 2 for the Hessian; gen/primal = generated /"
        + " primal (grad/primal on gradient rows; the H·v rows' primal is the tangent benchmark's), gen/grad ="
        + " generated / the generated gradient's into form at the same size, measured in the same run.");
    System.out.println(torchLine);
    System.out.println(compileLine);
    printTargets(jmh, torch);
  }

  // ---------------------------------------------------------------------------------------------
  // JMH

  private static Map<String, Measured> runJmh(String include, boolean quick) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.NANOSECONDS)
            .forks(1)
            .threads(1)
            .jvmArgsAppend("-Xms2g", "-Xmx2g")
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(false);
    if (quick) {
      options.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
    } else {
      options.warmupIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Measured> measured = new HashMap<>();
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String n = run.getParams().getParam("n");
      if (n != null) {
        name += "[" + n + "]";
      }
      Result<?> primary = run.getPrimaryResult();
      double bytes = Double.NaN;
      for (String key : run.getSecondaryResults().keySet()) {
        if (key.endsWith("gc.alloc.rate.norm")) {
          bytes = run.getSecondaryResults().get(key).getScore();
        }
      }
      measured.put(name, new Measured(primary.getScore(), primary.getScoreError(), bytes));
    }
    return measured;
  }

  // ---------------------------------------------------------------------------------------------
  // PyTorch

  private static String runPython(Map<String, String> torch, boolean quick) {
    if (!Files.isExecutable(Paths.get(PYTHON))) {
      return "PyTorch: not measured (" + PYTHON + " not found; on Debian: apt-get install python3-torch)";
    }
    Path folder = null;
    try {
      folder = Files.createTempDirectory("adjoint-pytorch");
      Path script = folder.resolve("pytorch_bench.py");
      try (InputStream in = BenchmarkTable.class.getResourceAsStream("pytorch_bench.py")) {
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      Path data = folder.resolve("data");
      exportAll(data);
      System.out.println("# PyTorch: " + PYTHON + " " + script.getFileName() + " ...");
      List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), data.toString()));
      if (quick) {
        command.addAll(List.of("0.5", "0.5", "2"));
      }
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // One thread, also for OpenMP and the BLAS (the script sets torch's own thread count too).
      for (String variable : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
        builder.environment().put(variable, "1");
      }
      Process process = builder.start();
      String info = null;
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          System.out.println("  " + line);
          String[] parts = line.split(" ", 4);
          if (parts[0].equals("NO_TORCH")) {
            process.waitFor();
            return "PyTorch: not measured (" + PYTHON + " cannot import torch: "
                + line.substring(9) + "; on Debian: apt-get install python3-torch)";
          } else if (parts[0].equals("INFO")) {
            info = line.substring(5);
          } else if (parts[0].equals("RESULT") && parts.length >= 3) {
            torch.put(parts[1], parts[2].equals("-") ? "! " + line.substring(line.indexOf(" - ") + 3) : parts[2]);
          }
        }
      }
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      return "PyTorch: " + (info == null ? "?" : info) + "; eager autograd, forward + backward, "
          + (quick ? "quick run" : "3 s warm-up, mean of 5 rounds of 1 s")
          + "; checked against the Java gradient first.";
    } catch (IOException | InterruptedException | RuntimeException e) {
      return "PyTorch: not measured (" + e + ")";
    } finally {
      if (folder != null) {
        try (Stream<Path> paths = Files.walk(folder)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // a temporary folder left behind
        }
      }
    }
  }

  private static void exportAll(Path data) {
    new NeuronWorkload().export(data);
    for (int n : VariantCheck.ROSENBROCK_SIZES) {
      new RosenbrockWorkload(n).export(data, "W2-" + n);
    }
    new LogisticWorkload().export(data);
    new MlpWorkload().export(data);
    new RnnWorkload().export(data);
  }

  // ---------------------------------------------------------------------------------------------
  // The table

  /** What a row's "generated" variant computes. */
  enum Kind { GRADIENT, TANGENT, HESSIAN_VECTOR, HESSIAN }

  /**
   * One row: the JMH names of its variants (null: not applicable), its PyTorch id (null: none) and,
   * for the rows beyond the gradient, the generated gradient its cost is compared with.
   */
  record Row(Kind kind, String name, String primal, String convenience, String into, String hand,
      boolean sharedHand, String ds, String fd, String torch, String gradient) {
    Row(String name, String primal, String convenience, String into, String hand,
        boolean sharedHand, String ds, String fd, String torch) {
      this(Kind.GRADIENT, name, primal, convenience, into, hand, sharedHand, ds, fd, torch, null);
    }
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("W1 neuron", "W1NeuronBench.primal", "W1NeuronBench.generated",
        "W1NeuronBench.generatedInto", "W1NeuronBench.handWritten", false,
        "W1NeuronBench.derivativeStructure", "W1NeuronBench.finiteDifferences", "W1"));
    for (int n : VariantCheck.ROSENBROCK_SIZES) {
      String p = "[" + n + "]";
      boolean peers = n <= 1_000;
      rows.add(new Row(String.format(Locale.ROOT, "W2 Rosenbrock n=%,d", n),
          "W2RosenbrockBench.primal" + p, "W2RosenbrockBench.generated" + p,
          "W2RosenbrockBench.generatedInto" + p, "W2RosenbrockBench.handWritten" + p, false,
          peers ? "W2RosenbrockPeersBench.derivativeStructure" + p : null,
          peers ? "W2RosenbrockPeersBench.finiteDifferences" + p : null, "W2-" + n));
    }
    for (String[] w : new String[][] {
        {"W3 logistic, loops", "W3LogisticBench", "", "W3"},
        {"W3 logistic, Matrix", "W3LogisticBench", "matrix", "W3"},
        {"W4 MLP, Matrix", "W4MlpBench", "matrix", "W4"},
        {"W4 MLP, loops", "W4MlpBench", "", "W4"},
        {"W5 RNN, loops", "W5RnnBench", "", "W5"},
        {"W5 RNN, Matrix", "W5RnnBench", "matrix", "W5"}}) {
      String c = w[1] + ".";
      String prefix = w[2];
      rows.add(new Row(w[0], c + method(prefix, "primal"), c + method(prefix, "generated"),
          c + method(prefix, "generatedInto"), c + "handWritten", true, null, null, w[3]));
    }
    rows.add(new Row("W6 calls (W2 n=10,000)", "W6CallsBench.primal[10000]",
        "W6CallsBench.generated[10000]", "W6CallsBench.generatedInto[10000]",
        "W2RosenbrockBench.handWritten[10000]", true, null, null, "W6"));
    // Issue #7: forward mode, Hessian-vector products and the whole Hessian.
    for (int n : VariantCheck.TANGENT_SIZES) {
      String p = "[" + n + "]";
      rows.add(new Row(Kind.TANGENT, String.format(Locale.ROOT, "W2 Rosenbrock n=%,d, tangent", n),
          "W2RosenbrockTangentBench.primal" + p, null, "W2RosenbrockTangentBench.generated" + p,
          "W2RosenbrockTangentBench.handWritten" + p, false,
          "W2RosenbrockTangentBench.derivativeStructure" + p, null, null,
          "W2RosenbrockHessianVectorBench.gradient" + p));
    }
    rows.add(new Row(Kind.TANGENT, "W3 logistic, loops, tangent", "W3LogisticTangentBench.primal",
        null, "W3LogisticTangentBench.generated", "W3LogisticTangentBench.handWritten", false,
        "W3LogisticTangentBench.derivativeStructure", null, null,
        "W3LogisticHessianVectorBench.gradient"));
    for (int n : VariantCheck.TANGENT_SIZES) {
      String p = "[" + n + "]";
      rows.add(new Row(Kind.HESSIAN_VECTOR, String.format(Locale.ROOT, "W2 Rosenbrock n=%,d, H·v", n),
          "W2RosenbrockTangentBench.primal" + p, null, "W2RosenbrockHessianVectorBench.generated" + p,
          "W2RosenbrockHessianVectorBench.handWritten" + p, false, null, null, null,
          "W2RosenbrockHessianVectorBench.gradient" + p));
    }
    rows.add(new Row(Kind.HESSIAN_VECTOR, "W3 logistic, loops, H·v", "W3LogisticTangentBench.primal",
        null, "W3LogisticHessianVectorBench.generated", "W3LogisticHessianVectorBench.handWritten",
        false, null, null, null, "W3LogisticHessianVectorBench.gradient"));
    String h = "[" + VariantCheck.HESSIAN_SIZE + "]";
    rows.add(new Row(Kind.HESSIAN, "W2 Rosenbrock n=" + VariantCheck.HESSIAN_SIZE + ", Hessian",
        "W2RosenbrockHessianBench.primal" + h, null, "W2RosenbrockHessianBench.generated" + h,
        "W2RosenbrockHessianBench.handWritten" + h, false,
        "W2RosenbrockHessianBench.derivativeStructure" + h, null, null,
        "W2RosenbrockHessianBench.gradient" + h));
    return rows;
  }

  private static String method(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private static void printTable(Map<String, Measured> jmh, Map<String, String> torch, String include) {
    java.util.regex.Pattern included = java.util.regex.Pattern.compile(include);
    System.out.println("| workload | primal | generated | convenience | hand-written | DS | FD | PyTorch"
        + " | gen/hand | gen/primal | gen/grad | DS/gen | FD/gen | PyTorch/gen | alloc B/op |");
    System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (Row row : rows()) {
      double generated = nanos(jmh, row.into);
      double torchNanos = Double.NaN;
      String torchCell = "—";
      String t = row.torch == null ? null : torch.get(row.torch);
      if (t != null && t.startsWith("! ")) {
        torchCell = t.substring(2);
      } else if (t != null) {
        torchNanos = Double.parseDouble(t);
        torchCell = time(torchNanos);
      } else if (row.torch != null && !torch.isEmpty()) {
        torchCell = "missing";
      }
      List<String> cells = List.of(
          row.name,
          cell(jmh, included, row.primal),
          cell(jmh, included, row.into),
          cell(jmh, included, row.convenience),
          cell(jmh, included, row.hand) + (row.sharedHand ? "*" : ""),
          cell(jmh, included, row.ds),
          cell(jmh, included, row.fd),
          torchCell,
          ratio(generated, nanos(jmh, row.hand)),
          ratio(generated, nanos(jmh, row.primal)),
          ratio(generated, nanos(jmh, row.gradient)),
          ratio(nanos(jmh, row.ds), generated),
          ratio(nanos(jmh, row.fd), generated),
          ratio(torchNanos, generated),
          bytes(jmh, row.into) + " (" + bytes(jmh, row.primal) + ")");
      System.out.println("| " + String.join(" | ", cells) + " |");
    }
  }

  /** The targets, each met, missed (with the numbers) or not measured. */
  private static void printTargets(Map<String, Measured> jmh, Map<String, String> torch) {
    List<String> missed = new ArrayList<>();
    List<String> unmeasured = new ArrayList<>();
    for (Row row : rows()) {
      if (row.kind != Kind.GRADIENT) {
        continue; // issue #6's targets are about gradients; none is checked on the other rows
      }
      double generated = nanos(jmh, row.into);
      target(missed, unmeasured, row.name + " gen/hand", generated / nanos(jmh, row.hand), 1.25, true);
      if (!row.name.startsWith("W1")) {
        target(missed, unmeasured, row.name + " grad/primal", generated / nanos(jmh, row.primal), 3, true);
      }
      if (row.name.endsWith("n=100")) {
        target(missed, unmeasured, row.name + " DS/gen", nanos(jmh, row.ds) / generated, 50, false);
      }
      String t = row.torch == null ? null : torch.get(row.torch);
      if (!row.name.startsWith("W6") && t != null && !t.startsWith("! ")) {
        target(missed, unmeasured, row.name + " PyTorch/gen", Double.parseDouble(t) / generated, 1, false);
      }
      boolean zeroTarget = row.name.startsWith("W2") || row.name.equals("W3 logistic, loops")
          || row.name.equals("W5 RNN, loops");
      Measured m = jmh.get(row.into);
      if (zeroTarget && (m == null || Double.isNaN(m.bytes))) {
        unmeasured.add(row.name + " alloc");
      } else if (zeroTarget && m.bytes > ALLOCATION_NOISE) {
        // JMH's own per-iteration allocation, spread over the calls of an iteration, puts a floor of
        // a few bytes under calls of a millisecond; past that, allocation is the code's.
        Measured p = jmh.get(row.primal);
        missed.add(String.format(Locale.ROOT, "%s into form allocates %,.0f B/call (primal %,.0f)",
            row.name, m.bytes, p == null ? Double.NaN : p.bytes));
      }
    }
    System.out.println(missed.isEmpty() ? "Targets missed: none." : "Targets missed: " + String.join("; ", missed) + ".");
    if (!unmeasured.isEmpty()) {
      System.out.println("Targets not measured: " + String.join(", ", unmeasured) + ".");
    }
  }

  private static void target(List<String> missed, List<String> unmeasured, String what, double ratio,
      double bound, boolean atMost) {
    if (Double.isNaN(ratio)) {
      unmeasured.add(what);
    } else if (atMost ? ratio > bound : ratio < bound) {
      missed.add(String.format(Locale.ROOT, "%s %s %s %s", what, ratio(ratio, 1), atMost ? ">" : "<",
          bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound)));
    }
  }

  private static double nanos(Map<String, Measured> jmh, String name) {
    Measured m = name == null ? null : jmh.get(name);
    return m == null ? Double.NaN : m.nanos;
  }

  /** The time, "—" where the variant does not apply, "not run" if excluded, "FAILED" if it failed. */
  private static String cell(Map<String, Measured> jmh, java.util.regex.Pattern included, String name) {
    if (name == null) {
      return "—";
    }
    Measured m = jmh.get(name);
    if (m != null) {
      return time(m.nanos);
    }
    String benchmark = "dev.adjoint.benchmarks." + name.replaceAll("\\[.*", "");
    return included.matcher(benchmark).find() ? "FAILED" : "not run";
  }

  private static String bytes(Map<String, Measured> jmh, String name) {
    Measured m = name == null ? null : jmh.get(name);
    if (m == null || Double.isNaN(m.bytes)) {
      return "?";
    }
    double b = m.bytes < 0.5 ? 0 : m.bytes;
    return b >= 10_000 ? String.format(Locale.ROOT, "%,.0fk", b / 1000) : String.format(Locale.ROOT, "%,.0f", b);
  }

  /** A time with three significant digits and a unit. */
  static String time(double nanos) {
    if (Double.isNaN(nanos)) {
      return "—";
    }
    String unit = "ns";
    double v = nanos;
    if (v >= 1e6) {
      v /= 1e6;
      unit = "ms";
    } else if (v >= 1e3) {
      v /= 1e3;
      unit = "µs";
    }
    String format = v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s";
    return String.format(Locale.ROOT, format, v, unit);
  }

  static String ratio(double numerator, double denominator) {
    if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
      return "—";
    }
    double r = numerator / denominator;
    String format = r >= 100 ? "%,.0f" : r >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, format, r);
  }

  // ---------------------------------------------------------------------------------------------
  // The environment

  private static String environment() {
    String cpu = "unknown CPU";
    try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
      cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException | RuntimeException ignored) {
      // not Linux
    }
    return String.format(Locale.ROOT, "# JVM: %s %s (%s); CPU: %s, %d cores visible; OS: %s %s",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"), cpu, Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.version"));
  }
}
