package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W2 Rosenbrock at a small n, the whole Hessian: generated ({@code rosenbrockHessian}, one H·v per
 * unit vector), hand-written (a dense array with the tridiagonal entries filled in) and
 * DerivativeStructure of order 2 with n free parameters; primal and generated gradient at the same
 * n for scale.
 */
@State(Scope.Thread)
public class W2RosenbrockHessianBench {
  @Param({"20"})
  public int n;

  private RosenbrockTangentHessianWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockTangentHessianWorkload(n);
    w.check(true);
  }

  @Benchmark
  public void primal(Blackhole bh) {
    bh.consume(w.primal());
  }

  @Benchmark
  public void gradient(Blackhole bh) {
    bh.consume(w.gradientInto());
    bh.consume(w.base.into);
  }

  @Benchmark
  public void generated(Blackhole bh) {
    bh.consume(w.generatedHessian());
  }

  @Benchmark
  public void handWritten(Blackhole bh) {
    bh.consume(w.handWrittenHessian());
  }

  @Benchmark
  public void derivativeStructure(Blackhole bh) {
    bh.consume(w.derivativeStructureHessian());
  }
}
