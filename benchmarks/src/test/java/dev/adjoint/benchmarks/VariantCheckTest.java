package dev.adjoint.benchmarks;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's variant checks as unit tests, at the benchmarked sizes: every variant must give
 * the hand-written value and gradient (tangent, H·v, Hessian), and the hand-written one must match
 * central differences. Nothing is timed here.
 */
class VariantCheckTest {
  @Test
  void bigPolynomialSplitIntoMethods() {
    new BigPolynomialWorkload().check();
  }

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
  void rosenbrockTangentsHessianVectorProductsAndHessian() {
    for (int n : VariantCheck.TANGENT_SIZES) {
      new RosenbrockTangentHessianWorkload(n).check(false);
    }
    new RosenbrockTangentHessianWorkload(VariantCheck.HESSIAN_SIZE).check(true);
  }

  @Test
  void logisticTangentsAndHessianVectorProducts() {
    new LogisticTangentHessianWorkload().check();
  }

  @Test
  void compileCostSourceHasTheRequestedShape() {
    String source = CompileCost.source(100);
    org.junit.jupiter.api.Assertions.assertEquals(
        100, source.split("@Differentiable", -1).length - 1);
  }
}
