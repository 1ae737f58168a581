package dev.adjoint.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A cross-check of the JMH table that other processes disturb less: per-call <em>thread CPU
 * time</em> (not wall time) and bytes allocated per call once warm, both from the JVM's {@code
 * ThreadMXBean}, best of several rounds. Not JMH: no forks, all variants share one JVM and its JIT
 * profile. {@code java -cp benchmarks/target/benchmarks.jar dev.adjoint.benchmarks.CpuTimes
 * [REGEX]}.
 */
public final class CpuTimes {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static double sink;

  private CpuTimes() {}

  /** [CPU ns per call, bytes per call] of the best round. */
  static double[] measure(DoubleSupplier call, double warmupSeconds, double roundSeconds, int rounds) {
    long id = Thread.currentThread().getId();
    run(call, id, warmupSeconds);
    double best = Double.MAX_VALUE;
    double bytes = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      double[] round = run(call, id, roundSeconds);
      best = Math.min(best, round[0]);
      bytes = Math.min(bytes, round[1]);
    }
    return new double[] {best, bytes};
  }

  private static double[] run(DoubleSupplier call, long id, double seconds) {
    long budget = (long) (seconds * 1e9);
    long calls = 0;
    long batch = 1;
    long startCpu = THREADS.getCurrentThreadCpuTime();
    long startBytes = THREADS.getThreadAllocatedBytes(id);
    long cpu;
    do {
      for (long i = 0; i < batch; i++) {
        sink += call.getAsDouble();
      }
      calls += batch;
      batch = Math.min(batch * 2, 1 << 16);
      cpu = THREADS.getCurrentThreadCpuTime() - startCpu;
    } while (cpu < budget);
    long bytes = THREADS.getThreadAllocatedBytes(id) - startBytes;
    return new double[] {(double) cpu / calls, (double) bytes / calls};
  }

  public static void main(String[] args) {
    String filter = args.length > 0 ? args[0] : ".*";
    NeuronWorkload w1 = new NeuronWorkload();
    RosenbrockWorkload w2a = new RosenbrockWorkload(100);
    RosenbrockWorkload w2b = new RosenbrockWorkload(1_000);
    RosenbrockWorkload w2c = new RosenbrockWorkload(10_000);
    LogisticWorkload w3 = new LogisticWorkload();
    MlpWorkload w4 = new MlpWorkload();
    RnnWorkload w5 = new RnnWorkload();
    Map<String, DoubleSupplier> calls = new LinkedHashMap<>();
    calls.put("W1 primal", w1::primal);
    calls.put("W1 generatedInto", w1::generatedInto);
    calls.put("W1 handWritten", w1::handWritten);
    for (RosenbrockWorkload w : List.of(w2a, w2b, w2c)) {
      calls.put("W2 n=" + w.n + " primal", w::primal);
      calls.put("W2 n=" + w.n + " generatedInto", w::generatedInto);
      calls.put("W2 n=" + w.n + " handWritten", w::handWritten);
    }
    calls.put("W6 n=10000 primal", w2c::callsPrimal);
    calls.put("W6 n=10000 generatedInto", w2c::callsGeneratedInto);
    calls.put("W3 loops primal", w3::primal);
    calls.put("W3 loops generatedInto", w3::generatedInto);
    calls.put("W3 handWritten", w3::handWritten);
    calls.put("W3 Matrix primal", w3::matrixPrimal);
    calls.put("W3 Matrix generatedInto", w3::matrixGeneratedInto);
    calls.put("W4 Matrix primal", w4::matrixPrimal);
    calls.put("W4 Matrix generatedInto", w4::matrixGeneratedInto);
    calls.put("W4 loops primal", w4::primal);
    calls.put("W4 loops generatedInto", w4::generatedInto);
    calls.put("W4 handWritten", w4::handWritten);
    calls.put("W5 loops primal", w5::primal);
    calls.put("W5 loops generatedInto", w5::generatedInto);
    calls.put("W5 handWritten", w5::handWritten);
    calls.put("W5 Matrix primal", w5::matrixPrimal);
    calls.put("W5 Matrix generatedInto", w5::matrixGeneratedInto);
    for (int n : VariantCheck.TANGENT_SIZES) {
      RosenbrockTangentHessianWorkload t = new RosenbrockTangentHessianWorkload(n);
      calls.put("W2 n=" + n + " tangent generated", () -> t.generatedTangent().derivative());
      calls.put("W2 n=" + n + " tangent handWritten", () -> t.handWrittenTangent().derivative());
      calls.put("W2 n=" + n + " H·v generated", () -> t.generatedHessianVector()[0]);
      calls.put("W2 n=" + n + " H·v handWritten", () -> t.handWrittenHessianVector()[0]);
    }
    RosenbrockTangentHessianWorkload small = new RosenbrockTangentHessianWorkload(VariantCheck.HESSIAN_SIZE);
    calls.put("W2 n=20 gradient generatedInto", small::gradientInto);
    calls.put("W2 n=20 Hessian generated", () -> small.generatedHessian()[0][0]);
    calls.put("W2 n=20 Hessian handWritten", () -> small.handWrittenHessian()[0][0]);
    LogisticTangentHessianWorkload l = new LogisticTangentHessianWorkload();
    calls.put("W3 loops tangent generated", () -> l.generatedTangent().derivative());
    calls.put("W3 loops tangent handWritten", () -> l.handWrittenTangent().derivative());
    calls.put("W3 loops H·v generated", () -> l.generatedHessianVector()[0]);
    calls.put("W3 loops H·v handWritten", () -> l.handWrittenHessianVector()[0]);
    BigPolynomialWorkload big = new BigPolynomialWorkload();
    calls.put("big polynomial primal", big::primal);
    calls.put("big polynomial generatedInto", big::generatedInto);
    calls.put("big polynomial handWritten", big::handWritten);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, DoubleSupplier> e : calls.entrySet()) {
      if (!e.getKey().matches(filter)) {
        continue;
      }
      double[] m = measure(e.getValue(), 2, 0.5, 5);
      String line = String.format(Locale.ROOT, "%-32s %12s CPU/call %,12.0f B/call",
          e.getKey(), BenchmarkTable.time(m[0]), m[1]);
      System.out.println(line);
      lines.add(line);
    }
    if (sink == 42) {
      System.out.println(sink);
    }
  }
}
