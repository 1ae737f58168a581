package dev.adjoint.processor.random;

import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * internal errors), {@code adjoint.random.verbose} (print the points skipped because central differences disagree),
 * {@code adjoint.random.avoid} (features to leave out while exploring past a known bug, see {@link Generator#AVOID}).
 *
 * <p>Each program is also checked through every helper it has (scalar: {@code h(args)}, the into form on a reused
 * gradient object, the seeded pullback; vector-valued: {@code hJacobian} and the seeded {@code hPullback}). A point is
 * skipped when the oracle's value or derivative is not finite, when the generated gradient is not finite at a point
 * where a function's derivative is infinite or an intermediate overflowed ({@code singular}), or when central
 * differences confirm neither side (a kink or a tie).
 */
class RandomProgramsTest {
  static final long DEFAULT_SEED = 0x5EED_2024L;
  private static final int REPORTED = 5;
  private static final boolean VERBOSE = Boolean.getBoolean("adjoint.random.verbose");

  record Failure(Program program, Outcome outcome) {}

  @Test
  void generatedGradientsAgreeWithTheForwardModeOracle() throws InterruptedException {
    int programs = Integer.getInteger("adjoint.random.programs", 2050); // at least 2,000 checked after the skips
    long seed = Long.getLong("adjoint.random.seed", DEFAULT_SEED);
    int batchSize = Integer.getInteger("adjoint.random.batch", 100);
    int threads = Integer.getInteger("adjoint.random.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
    long start = System.nanoTime();

    // generate everything first, from one seeded source, so the programs do not depend on the thread count
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Program>> batches = new ArrayList<>();
    Map<String, SplittableRandom> pointSources = new TreeMap<>();
    for (int first = 0; first < programs; first += batchSize) {
      List<Program> batch = new ArrayList<>();
      for (int i = first; i < Math.min(programs, first + batchSize); i++) {
        SplittableRandom programRandom = random.split();
        int arrayLength = 1 + programRandom.nextInt(5);
        Program program = new Generator(programRandom).program("P" + i, arrayLength);
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
      results.add(compilers.submit(() -> Batch.compile(batch)));
    }
    compilers.shutdown();

    Map<String, Integer> skipped = new TreeMap<>();
    Map<String, Integer> wrongByCategory = new TreeMap<>();
    List<Failure> failures = new ArrayList<>();
    int checked = 0;
    int skips = 0;
    for (int b = 0; b < batches.size(); b++) {
      Batch.Result result;
      try {
        result = results.get(b).get();
      } catch (ExecutionException e) {
        throw new AssertionError("compiling batch " + b + " failed", e.getCause());
      }
      for (Program program : batches.get(b)) {
        Outcome outcome = check(program, result, pointSources.get(program.className()));
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
        if (outcome.wrong()) {
          wrongByCategory.merge(outcome.category(), 1, Integer::sum);
          failures.add(new Failure(program, outcome));
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    String summary = String.format("random programs: checked %d, wrong %d, skipped %d (seed %d)", checked,
        failures.size(), skips, seed);
    System.out.println(summary);
    System.out.printf("  %d programs in %.1f s (%.1f s cpu, %d javac threads); skipped %s; wrong %s%n", programs,
        seconds, cpu, threads, skipped, wrongByCategory);
    if (!failures.isEmpty()) {
      String report = report(summary, failures);
      System.out.println(report);
      fail(report);
    }
  }

  static Outcome check(Program program, Batch.Result result, SplittableRandom points) {
    String problem = result.problems().get(program.className());
    if (problem != null) {
      return new Outcome(Kind.WRONG, "compile", problem, List.of(), List.of());
    }
    return Checker.checkProgram(program, result.loader(), points, 3);
  }

  /** The first failures with their source, then the first failure of each distinct kind shrunk. */
  private static String report(String summary, List<Failure> failures) {
    StringBuilder report = new StringBuilder(summary).append('\n');
    for (Failure f : failures.subList(0, Math.min(REPORTED, failures.size()))) {
      report.append("\n=== ").append(f.program().className()).append(": ").append(f.outcome().category())
          .append(" of ").append(f.outcome().method()).append(" at ").append(Checker.format(f.outcome().point()))
          .append('\n')
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
          .append("): ").append(shrunk.outcome().category()).append(" of ").append(shrunk.outcome().method())
          .append(" at ")
          .append(Checker.format(shrunk.outcome().point())).append('\n')
          .append(shrunk.outcome().detail()).append('\n')
          .append(Printer.source(shrunk.program()));
    }
    return report.toString();
  }
}
