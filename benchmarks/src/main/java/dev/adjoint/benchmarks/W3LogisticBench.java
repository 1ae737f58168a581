package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** W3 logistic regression, 10,000 × 50, with loops and with Matrix. */
@State(Scope.Thread)
public class W3LogisticBench {
  private LogisticWorkload w;

  @Setup
  public void setUp() {
    w = new LogisticWorkload();
    w.check();
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
    bh.consume(w.handW);
    bh.consume(w.handB);
  }

  @Benchmark
  public void matrixPrimal(Blackhole bh) {
    bh.consume(w.matrixPrimal());
  }

  @Benchmark
  public void matrixGenerated(Blackhole bh) {
    bh.consume(w.matrixGenerated());
  }

  @Benchmark
  public void matrixGeneratedInto(Blackhole bh) {
    bh.consume(w.matrixGeneratedInto());
    bh.consume(w.matrixInto);
  }
}
