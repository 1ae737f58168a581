package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** W2 with Commons Math's DerivativeStructure and central differences, O(n²) each. */
@State(Scope.Thread)
public class W2RosenbrockPeersBench {
  @Param({"100", "1000"})
  public int n;

  private RosenbrockWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockWorkload(n);
    w.check(true);
  }

  @Benchmark
  public void derivativeStructure(Blackhole bh) {
    bh.consume(w.derivativeStructure());
    bh.consume(w.dsGradient);
  }

  @Benchmark
  public void finiteDifferences(Blackhole bh) {
    bh.consume(w.finiteDifferences());
    bh.consume(w.fdGradient);
  }
}
