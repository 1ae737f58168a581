package dev.adjoint.processor.random;

import static dev.adjoint.Derivative.HESSIAN;
import static dev.adjoint.Derivative.TANGENT;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.Derivative;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue #5: the processor verifies itself on thousands of random programs. Each program is generated from a seeded
 * random source ({@link Generator}), printed as Java ({@link Printer}), compiled through the real processor with
 * {@code -Xlint:all -Werror} (100 programs, one class each, per javac run; two runs at a time), and its generated
 * gradient is compared at a random point with the oracle ({@link Interpreter}: Java doubles for the value, Commons
 * Math's {@code DerivativeStructure} forward mode for the gradient). A failing program is shrunk ({@link Shrinker}).
 *
 * <p>System properties: {@code adjoint.random.programs} (default 2050), {@code adjoint.random.seed}, {@code
 * adjoint.random.batch} (programs per javac run, default 100), {@code adjoint.random.threads} (parallel javac runs,
 * default 2), {@code adjoint.random.shrink} (how many distinct failures to shrink, default 3), {@code
 * adjoint.random.shrinkMillis} (time budget of each, default 120000), {@code adjoint.random.debug} (stack traces of
 * internal errors), {@code adjoint.random.verbose} (print a line for each wrong program, and the points skipped because
 * central differences disagree),
 * {@code adjoint.random.avoid} (features to leave out while exploring past a known bug, see {@link Generator#AVOID}).
 *
 * <p>Each program is also checked through every helper it has (scalar: {@code h(args)}, the into form on a reused
 * gradient object, the seeded pullback; vector-valued: {@code hJacobian} and the seeded {@code hPullback}). A point is
 * skipped when the oracle's value or derivative is not finite, when the generated gradient is not finite at a point
 * where a function's derivative is infinite or an intermediate overflowed ({@code singular}), or when central
 * differences confirm neither side (a kink or a tie).
 *
 * <p>Issue #7: the methods also ask for {@code also = TANGENT} and {@code HESSIAN} wherever the processor generates
 * them ({@link Also}: no Hessian over Matrix parameters, no forward mode for a vector-valued main method). After a
 * method's gradient passed at a point, its {@code fTangent} (along a random tangent) is checked against the primal,
 * the oracle's directional derivative and the generated gradient · tangent, its {@code fHessianVector} and {@code
 * fHessian} against a second-order oracle; a mismatch is a wrong program like a wrong gradient, its category
 * (tangent..., hessian...) giving the mode. The summary counts the
 * checked programs in which a tangent and a Hessian were checked. {@code adjoint.random.also} (default {@code
 * TANGENT,HESSIAN}; empty: the gradient only) chooses what the programs ask for. A program the processor rejects
 * only for its TANGENT or HESSIAN is compiled again without: with a documented "not generated" message ({@link
 * Also#unsupported}) it is checked without them, otherwise it is wrong.
 *
 * <p>Issue #11: about a third of the programs have static state ({@link StaticState}): private constants, a {@code
 * static final double[] TABLE} the methods read, and plain static helpers with side effects that they call on values
 * that do not depend on the differentiated parameters (a counter, an LCG in a static {@code long}, a {@code
 * java.util.Random} in a static field, one that writes the array it is given, one that writes {@code TABLE});
 * about one in seven has its methods in a nested class (companion {@code P17_InnerGrad}). The checker calls the
 * class's {@code resetState()} before every run of compiled code, the oracle starts from the same state, and every
 * generated entry point must call the helpers as often as the original (a Hessian or Jacobian: as often as that many
 * runs of it, each row exact for the state its run started in).
 *
 * <p>Issue #12: about half the helpers are without {@code @Differentiable} (Adjoint differentiates them for their
 * callers; half of them private), and about half of those are void, filling an out array ({@code out}) that their
 * callers pass (also as one of their inputs); methods have switch statements over ints, in arrow and colon form
 * (falling through), and switch expressions. Helpers without annotation are checked through their callers only.
 */
class RandomProgramsTest {
  static final long DEFAULT_SEED = 0x5EED_2024L;
  private static final int REPORTED = 5;
  private static final boolean VERBOSE = Boolean.getBoolean("adjoint.random.verbose");

  /** The derivatives besides the gradient the programs ask for: {@code -Dadjoint.random.also=TANGENT,HESSIAN}. */
  static final Set<Derivative> ALSO = java.util.Arrays.stream(
      System.getProperty("adjoint.random.also", "TANGENT,HESSIAN").split(",")).filter(s -> !s.isBlank())
      .map(Derivative::valueOf).collect(java.util.stream.Collectors.toSet());

  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  record Failure(Program program, Outcome outcome) {}

  @Test
  void generatedGradientsAgreeWithTheForwardModeOracle() throws InterruptedException {
    int programs = Integer.getInteger("adjoint.random.programs", 2050); // at least 2,000 checked after the skips
    long seed = Long.getLong("adjoint.random.seed", DEFAULT_SEED);
    int batchSize = Integer.getInteger("adjoint.random.batch", 100);
    int threads = Integer.getInteger("adjoint.random.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicLong javacNanos = new java.util.concurrent.atomic.AtomicLong();
    long checkNanos = 0;

    // generate everything first, from one seeded source, so the programs do not depend on the thread count
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Program>> batches = new ArrayList<>();
    Map<String, SplittableRandom> pointSources = new TreeMap<>();
    int withStatics = 0;
    int withOpaqueCalls = 0;
    int nested = 0;
    int[] issue12 = new int[4];
    for (int first = 0; first < programs; first += batchSize) {
      List<Program> batch = new ArrayList<>();
      for (int i = first; i < Math.min(programs, first + batchSize); i++) {
        SplittableRandom programRandom = random.split();
        int arrayLength = 1 + programRandom.nextInt(5);
        Program program = new Generator(programRandom).program("P" + i, arrayLength);
        program = program.withAlso(alsoFor(program));
        withStatics += program.statics() != null ? 1 : 0;
        withOpaqueCalls += Printer.source(program).contains("calls++") ? 1 : 0;
        nested += program.nested() ? 1 : 0;
        int[] constructs = RandomRegressionTest.issue12Constructs(program);
        for (int k = 0; k < issue12.length; k++) {
          issue12[k] += constructs[k];
        }
        batch.add(program);
        pointSources.put(program.className(), programRandom.split());
      }
      batches.add(batch);
    }

    ExecutorService compilers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "random-programs-javac");
      t.setDaemon(true);
      return t;
    });
    List<Future<Batch.Result>> results = new ArrayList<>();
    for (List<Program> batch : batches) {
      results.add(compilers.submit(() -> {
        long compileStart = THREADS.getCurrentThreadCpuTime();
        Batch.Result compiled = Batch.compile(batch);
        javacNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - compileStart);
        return compiled;
      }));
    }
    compilers.shutdown();

    Map<String, Integer> skipped = new TreeMap<>();
    Map<String, Integer> wrongByCategory = new TreeMap<>();
    List<Failure> failures = new ArrayList<>();
    Map<String, Integer> notChecked = new TreeMap<>();
    int checked = 0;
    int tangents = 0;
    int hessians = 0;
    int skips = 0;
    for (int b = 0; b < batches.size(); b++) {
      Batch.Result result;
      try {
        result = results.get(b).get();
      } catch (ExecutionException e) {
        throw new AssertionError("compiling batch " + b + " failed", e.getCause());
      }
      Map<String, Retried> retried = retry(batches.get(b), result);
      for (Program program : batches.get(b)) {
        long checkStart = THREADS.getCurrentThreadCpuTime();
        Outcome outcome = check(program, result, retried.get(program.className()),
            pointSources.get(program.className()));
        checkNanos += THREADS.getCurrentThreadCpuTime() - checkStart;
        if (outcome.kind() == Kind.SKIPPED) {
          if (VERBOSE && outcome.category().equals("fd-disagrees")) {
            System.out.println("skipped " + program.className() + " at " + Checker.format(outcome.point()) + ":\n"
                + outcome.detail() + Printer.source(program));
          }
          skips++;
          skipped.merge(outcome.category(), 1, Integer::sum);
          continue;
        }
        checked++;
        tangents += outcome.checked(TANGENT) ? 1 : 0;
        hessians += outcome.checked(HESSIAN) ? 1 : 0;
        outcome.also().forEach((derivative, status) -> {
          if (!status.equals("ok")) {
            notChecked.merge(derivative.name().toLowerCase(Locale.ROOT) + " " + status, 1, Integer::sum);
          }
        });
        if (outcome.wrong()) {
          if (VERBOSE) {
            System.out.println("wrong " + program.className() + ": " + outcome.category() + " of " + outcome.method()
                + ": " + outcome.detail().lines().findFirst().orElse(""));
          }
          wrongByCategory.merge(outcome.category(), 1, Integer::sum);
          failures.add(new Failure(program, outcome));
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    String summary = String.format("random programs: checked %d (tangent %d, hessian %d), wrong %d, skipped %d"
        + " (seed %d)", checked, tangents, hessians, failures.size(), skips, seed);
    System.out.println(summary);
    System.out.printf("  %d programs in %.1f s (%.1f s cpu: javac %.1f s in %d threads, checking %.1f s); skipped %s;"
        + " tangent or hessian not checked in checked programs %s; wrong %s%n", programs, seconds, cpu,
        javacNanos.get() / 1e9, threads, checkNanos / 1e9, skipped, notChecked, wrongByCategory);
    System.out.printf("  generated: %d with static state (%d calling opaque helpers), %d in a nested class;"
        + " %d with helpers without annotation, %d calling void helpers, %d with switch statements, %d with switch"
        + " expressions%n", withStatics, withOpaqueCalls, nested, issue12[0], issue12[1], issue12[2], issue12[3]);
    if (!failures.isEmpty()) {
      String report = report(summary, failures);
      System.out.println(report);
      fail(report);
    }
  }

  /** {@link #ALSO}, but without HESSIAN for a program with static state where the generator avoids that. */
  static Set<Derivative> alsoFor(Program program) {
    if (program.statics() == null || !Generator.AVOID.contains("opaqueHessian")) {
      return ALSO;
    }
    Set<Derivative> fewer = EnumSet.noneOf(Derivative.class);
    fewer.addAll(ALSO);
    fewer.remove(HESSIAN);
    return fewer;
  }

  static Outcome check(Program program, Batch.Result result, Retried retried, SplittableRandom points) {
    String problem = result.problems().get(program.className());
    if (problem == null) {
      return Checker.checkProgram(program, result.loader(), points, 3);
    }
    if (retried == null) {
      return new Outcome(Kind.WRONG, "compile", problem, List.of(), List.of());
    }
    if (!Also.unsupported(problem)) {
      Set<Derivative> fewer = retried.program().also();
      return new Outcome(Kind.WRONG, "compile", problem + "(" + Checker.COMPILES_WITHOUT + retried.culprit()
          + ": compiles asking for " + (fewer.isEmpty() ? "the gradient only" : fewer) + ")", List.of(), List.of());
    }
    // a documented rejection of a derivative: the rest of the program is still checked
    Outcome outcome = Checker.checkProgram(retried.program(), retried.result().loader(), points, 3);
    Set<Derivative> left = Also.asked(retried.program());
    for (Derivative d : Also.asked(program)) {
      if (!left.contains(d)) {
        outcome = outcome.with(d, "unsupported");
      }
    }
    return outcome;
  }

  /** A program the processor rejected with its TANGENT or HESSIAN, compiled again asking for less. */
  record Retried(Program program, Batch.Result result, Derivative culprit) {}

  /**
   * The programs of a batch that fail to compile but compile asking for less: without HESSIAN, or else without TANGENT
   * and HESSIAN. Where the processor rejects them with a documented message ({@link Also#unsupported}), they are
   * checked without; anything else is a wrong program, with the derivative that made it fail. (Rare: {@link Also#of}
   * asks only for what the processor generates.)
   */
  private static Map<String, Retried> retry(List<Program> batch, Batch.Result result) {
    Map<String, Retried> retried = new HashMap<>();
    List<Program> failing = new ArrayList<>();
    for (Program p : batch) {
      if (result.problems().containsKey(p.className()) && !Also.asked(p).isEmpty()) {
        failing.add(p);
      }
    }
    for (Derivative culprit : List.of(HESSIAN, TANGENT)) {
      List<Program> fewer = new ArrayList<>();
      for (Program p : failing) {
        Set<Derivative> less = EnumSet.noneOf(Derivative.class);
        less.addAll(p.also());
        less.removeIf(d -> d.compareTo(culprit) >= 0);
        if (!retried.containsKey(p.className()) && !Also.asked(p.withAlso(less)).equals(Also.asked(p))) {
          fewer.add(p.withAlso(less));
        }
      }
      if (fewer.isEmpty()) {
        continue;
      }
      Batch.Result again = Batch.compile(fewer);
      for (Program p : again.compiled()) {
        retried.put(p.className(), new Retried(p, again, culprit));
      }
    }
    return retried;
  }

  /** The first failures with their source, then the first failure of each distinct kind shrunk. */
  private static String report(String summary, List<Failure> failures) {
    StringBuilder report = new StringBuilder(summary).append('\n');
    for (Failure f : failures.subList(0, Math.min(REPORTED, failures.size()))) {
      report.append("\n=== ").append(f.program().className()).append(": ").append(f.outcome().category())
          .append(" (").append(f.outcome().mode()).append(") of ").append(f.outcome().method()).append(" at ")
          .append(Checker.format(f.outcome().point())).append('\n')
          .append(f.outcome().detail()).append('\n')
          .append(Printer.source(f.program()));
    }
    int shrinkCount = Integer.getInteger("adjoint.random.shrink", 3);
    long budget = Long.getLong("adjoint.random.shrinkMillis", 120_000);
    Set<String> kinds = new HashSet<>();
    for (Failure f : failures) {
      if (kinds.size() >= shrinkCount || !kinds.add(Shrinker.signature(f.outcome()))) {
        continue;
      }
      long shrinkStart = System.nanoTime();
      Shrinker.Shrunk shrunk = Shrinker.shrink(f.program(), f.outcome(), budget);
      report.append("\n=== ").append(f.program().className()).append(" shrunk (").append(shrunk.compilations())
          .append(" compilations, ").append(String.format("%.1f s", (System.nanoTime() - shrinkStart) / 1e9))
          .append("): ").append(shrunk.outcome().category()).append(" (").append(f.outcome().mode())
          .append(") of ").append(shrunk.outcome().method())
          .append(" at ")
          .append(Checker.format(shrunk.outcome().point())).append('\n')
          .append(shrunk.outcome().detail()).append('\n')
          .append(Printer.source(shrunk.program()));
    }
    return report.toString();
  }
}
