package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W3 logistic regression with loops, Hessian-vector products over (w, b): generated ({@code
 * logisticHessianVector}, forward over reverse) and the hand-written XᵀS(Xv)/N + λv, next to the
 * generated gradient (allocation-free form) whose cost H·v is compared with.
 */
@State(Scope.Thread)
public class W3LogisticHessianVectorBench {
  private LogisticTangentHessianWorkload w;

  @Setup
  public void setUp() {
    w = new LogisticTangentHessianWorkload();
    w.check();
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
