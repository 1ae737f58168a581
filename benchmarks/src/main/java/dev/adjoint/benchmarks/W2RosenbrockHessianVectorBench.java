package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W2 Rosenbrock, Hessian-vector products: generated ({@code rosenbrockHessianVector}, forward over
 * reverse) and the hand-written tridiagonal H·v, next to the generated gradient (allocation-free
 * form) whose cost H·v is compared with.
 */
@State(Scope.Thread)
public class W2RosenbrockHessianVectorBench {
  @Param({"100", "1000"})
  public int n;

  private RosenbrockTangentHessianWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockTangentHessianWorkload(n);
    w.check(false);
  }

  @Benchmark
  public void gradient(Blackhole bh) {
    bh.consume(w.gradientInto());
    bh.consume(w.base.into);
  }

  @Benchmark
  public void generated(Blackhole bh) {
    bh.consume(w.generatedHessianVector());
  }

  @Benchmark
  public void handWritten(Blackhole bh) {
    bh.consume(w.handWrittenHessianVector());
  }
}
