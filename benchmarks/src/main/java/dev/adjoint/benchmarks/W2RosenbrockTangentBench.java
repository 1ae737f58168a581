package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W2 Rosenbrock, forward mode: value and derivative along one direction (a JVP), generated
 * ({@code rosenbrockTangent}), hand-written and with DerivativeStructure (one free parameter), next
 * to the primal.
 */
@State(Scope.Thread)
public class W2RosenbrockTangentBench {
  @Param({"100", "1000"})
  public int n;

  private RosenbrockTangentHessianWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockTangentHessianWorkload(n);
    w.check(false);
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
