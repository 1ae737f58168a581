package dev.adjoint.benchmarks;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's variant checks as unit tests, at the benchmarked sizes: every variant must give
 * the hand-written value and gradient, and the hand-written gradient must match central
 * differences. Nothing is timed here.
 */
class VariantCheckTest {
  @Test
  void neuron() {
    new NeuronWorkload().check();
  }

  @Test
  void rosenbrockWithPeersAndCalls() {
    new RosenbrockWorkload(100).check(true);
    new RosenbrockWorkload(1_000).check(true);
    new RosenbrockWorkload(10_000).check(false);
  }

  @Test
  void logisticRegressionLoopsAndMatrix() {
    new LogisticWorkload().check();
  }

  @Test
  void mlpLoopsAndMatrix() {
    new MlpWorkload().check();
  }

  @Test
  void rnnLoopsAndMatrix() {
    new RnnWorkload().check();
  }

  @Test
  void compileCostSourceHasTheRequestedShape() {
    String source = CompileCost.source(100);
    org.junit.jupiter.api.Assertions.assertEquals(
        100, source.split("@Differentiable", -1).length - 1);
  }
}
