package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** W1 neuron: per-call overhead. */
@State(Scope.Thread)
public class W1NeuronBench {
  private NeuronWorkload w;

  @Setup
  public void setUp() {
    w = new NeuronWorkload();
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
    bh.consume(w.handGradient);
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
