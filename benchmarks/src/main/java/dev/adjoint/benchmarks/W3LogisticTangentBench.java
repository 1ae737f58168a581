package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W3 logistic regression with loops, forward mode along one direction (vw, vb): generated ({@code
 * logisticTangent}), hand-written and with DerivativeStructure (one free parameter), next to the
 * primal.
 */
@State(Scope.Thread)
public class W3LogisticTangentBench {
  private LogisticTangentHessianWorkload w;

  @Setup
  public void setUp() {
    w = new LogisticTangentHessianWorkload();
    w.check();
  }

  @Benchmark
  public void primal(Blackhole bh) {
    bh.consume(w.primal());
  }

  @Benchmark
  public void generated(Blackhole bh) {
    bh.consume(w.generatedTangent());
  }

  @Benchmark
  public void handWritten(Blackhole bh) {
    bh.consume(w.handWrittenTangent());
  }

  @Benchmark
  public void derivativeStructure(Blackhole bh) {
    bh.consume(w.derivativeStructureTangent());
  }
}
