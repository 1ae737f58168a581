package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W6: W2 at n = 10,000 with each term computed by a {@code @Differentiable} helper; compare with
 * W2's inlined version at the same n ({@link W2RosenbrockBench}) and its hand-written gradient.
 */
@State(Scope.Thread)
public class W6CallsBench {
  @Param({"10000"})
  public int n;

  private RosenbrockWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockWorkload(n);
    w.check(false);
  }

  @Benchmark
  public void primal(Blackhole bh) {
    bh.consume(w.callsPrimal());
  }

  @Benchmark
  public void generated(Blackhole bh) {
    bh.consume(w.callsGenerated());
  }

  @Benchmark
  public void generatedInto(Blackhole bh) {
    bh.consume(w.callsGeneratedInto());
    bh.consume(w.callsInto);
  }
}
