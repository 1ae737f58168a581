package dev.adjoint.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Big methods: the split generated gradient of a 5,000-term polynomial against a hand-written one,
 * and the polynomial itself, one method of about 62,000 bytes that HotSpot leaves to the
 * interpreter unless told otherwise ({@code primalCompiledAnyway}). Not in {@link BenchmarkTable}'s
 * table: run it with JMH's command line (docs/PERFORMANCE.md).
 */
@State(Scope.Thread)
public class BigPolynomialBench {
  private BigPolynomialWorkload w;

  @Setup
  public void setUp() {
    w = new BigPolynomialWorkload();
    w.check();
  }

  @Benchmark
  public double primal() {
    return w.primal();
  }

  @Benchmark
  @Fork(jvmArgsAppend = "-XX:-DontCompileHugeMethods")
  public double primalCompiledAnyway() {
    return w.primal();
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
