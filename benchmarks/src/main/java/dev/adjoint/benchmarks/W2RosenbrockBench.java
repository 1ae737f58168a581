package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** W2 Rosenbrock over double[]: primal, generated and hand-written at three sizes. */
@State(Scope.Thread)
public class W2RosenbrockBench {
  @Param({"100", "1000", "10000"})
  public int n;

  private RosenbrockWorkload w;

  @Setup
  public void setUp() {
    w = new RosenbrockWorkload(n);
    w.check(false);
  }

  @Benchmark
  public void primal(Blackhole bh) {
    bh.consume(w.primal());
  }

  @Benchmark
  public void generated(Blackhole bh) {
    bh.consume(w.generated());
  }

  @Benchmark
  public void generatedInto(Blackhole bh) {
    bh.consume(w.generatedInto());
    bh.consume(w.into);
  }

  @Benchmark
  public void handWritten(Blackhole bh) {
    bh.consume(w.handWritten());
    bh.consume(w.handGradient);
  }
}
