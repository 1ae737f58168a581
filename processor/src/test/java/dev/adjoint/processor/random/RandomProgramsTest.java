package dev.adjoint.processor.random;

import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue #5: the processor verifies itself on thousands of random programs. Each program is generated from a seeded
 * random source, printed as Java, compiled through the real processor with {@code -Xlint:all -Werror} (100 programs
 * per javac run), and its generated gradient is compared at a random point with the forward-mode oracle.
 *
 * <p>System properties: {@code adjoint.random.programs} (default 2000), {@code adjoint.random.seed} (default fixed),
 * {@code adjoint.random.batch} (programs per javac run, default 100).
 */
class RandomProgramsTest {
  static final long DEFAULT_SEED = 0x5EED_2024L;
  private static final int REPORTED = 5;
  private static final int SHRUNK = Integer.getInteger("adjoint.random.shrink", 3);

  @Test
  void generatedGradientsAgreeWithTheForwardModeOracle() {
    int programs = Integer.getInteger("adjoint.random.programs", 2000);
    long seed = Long.getLong("adjoint.random.seed", DEFAULT_SEED);
    int batchSize = Integer.getInteger("adjoint.random.batch", 100);
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Integer> skipped = new TreeMap<>();
    Map<String, Integer> wrongByCategory = new TreeMap<>();
    List<Failure> failures = new ArrayList<>();
    int checked = 0;
    int wrong = 0;
    int skips = 0;
    long compileNanos = 0;
    long checkNanos = 0;
    for (int first = 0; first < programs; first += batchSize) {
      int count = Math.min(batchSize, programs - first);
      List<Program> batch = new ArrayList<>();
      Map<String, SplittableRandom> pointSources = new LinkedHashMap<>();
      for (int i = first; i < first + count; i++) {
        SplittableRandom programRandom = random.split();
        int arrayLength = 1 + programRandom.nextInt(5);
        Program program = new Generator(programRandom).program("P" + i, arrayLength);
        batch.add(program);
        pointSources.put(program.className(), programRandom.split());
      }
      long compileStart = System.nanoTime();
      long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      Batch.Result result = Batch.compile(batch);
      compileNanos += System.nanoTime() - compileStart;
      System.out.printf("  batch %d: compile cpu %.1f s%n", first,
          (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9);
      long checkStart = System.nanoTime();
      for (Program program : batch) {
        String problem = result.problems().get(program.className());
        Outcome outcome;
        if (problem != null) {
          outcome = new Outcome(Kind.WRONG, "compile", problem, List.of(), List.of());
        } else {
          try {
            Checker.Loaded loaded = new Checker.Loaded(program, result.loader());
            outcome = Checker.check(loaded, pointSources.get(program.className()), 3);
          } catch (ReflectiveOperationException e) {
            outcome = new Outcome(Kind.WRONG, "compile", "generated API missing: " + e, List.of(), List.of());
          }
        }
        switch (outcome.kind()) {
          case OK -> checked++;
          case SKIPPED -> {
            skips++;
            skipped.merge(outcome.category(), 1, Integer::sum);
          }
          case WRONG -> {
            checked++;
            wrong++;
            wrongByCategory.merge(outcome.category(), 1, Integer::sum);
            failures.add(new Failure(program, outcome, result.generated().get(program.className())));
          }
        }
      }
      checkNanos += System.nanoTime() - checkStart;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("  compile %.1f s, check %.1f s, cpu %.1f s%n", compileNanos / 1e9, checkNanos / 1e9,
        ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9);
    String summary = String.format("random programs: checked %d, wrong %d, skipped %d (seed %d, %d programs, %.1f s)",
        checked, wrong, skips, seed, programs, seconds);
    System.out.println(summary);
    System.out.println("  skipped by reason: " + skipped + "; wrong by category: " + wrongByCategory);
    if (wrong > 0) {
      StringBuilder report = new StringBuilder(summary).append('\n');
      for (Failure f : failures.subList(0, Math.min(REPORTED, failures.size()))) {
        report.append("\n=== ").append(f.program().className()).append(": ").append(f.outcome().category())
            .append(" at ").append(Checker.format(f.outcome().point())).append('\n')
            .append(f.outcome().detail()).append('\n')
            .append(Printer.source(f.program()));
      }
      // shrink the first failure of each distinct kind
      long budget = Long.getLong("adjoint.random.shrinkMillis", 120_000);
      java.util.Set<String> shrunkKinds = new java.util.HashSet<>();
      for (Failure f : failures) {
        if (shrunkKinds.size() >= SHRUNK || !shrunkKinds.add(Shrinker.signature(f.outcome()))) {
          continue;
        }
        long shrinkStart = System.nanoTime();
        Shrinker.Shrunk shrunk = Shrinker.shrink(f.program(), f.outcome(), budget);
        report.append("\n=== shrunk ").append(f.program().className()).append(" (").append(shrunk.compilations())
            .append(" compilations, ").append(String.format("%.1f s", (System.nanoTime() - shrinkStart) / 1e9))
            .append("): ").append(shrunk.outcome().category()).append(" at ")
            .append(Checker.format(shrunk.outcome().point())).append('\n')
            .append(shrunk.outcome().detail()).append('\n')
            .append(Printer.source(shrunk.program()));
      }
      System.out.println(report);
      fail(report.toString());
    }
  }

  record Failure(Program program, Outcome outcome, String generated) {}
}
