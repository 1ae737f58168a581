package dev.adjoint.benchmarks;

/**
 * Runs every workload's check: each variant (primal, generated in both forms, hand-written,
 * DerivativeStructure, finite differences, the Matrix forms) must give the hand-written value and
 * gradient, and the hand-written gradient must agree with central differences; likewise the
 * tangents, Hessian-vector products and Hessians of W2 and W3. The module's unit
 * tests run it, and every benchmark's setup runs its own workload's check on the exact data it then
 * times, so a benchmark of wrong code fails instead of printing a number.
 */
public final class VariantCheck {
  /** The sizes of W2 that are benchmarked; DerivativeStructure and differences only below 10,000. */
  public static final int[] ROSENBROCK_SIZES = {100, 1_000, 10_000};

  /** The sizes of W2 whose tangent and H·v are benchmarked (issue #7). */
  public static final int[] TANGENT_SIZES = {100, 1_000};

  /** The size of W2 whose whole Hessian is benchmarked. */
  public static final int HESSIAN_SIZE = 20;

  private VariantCheck() {}

  public static void all() {
    new NeuronWorkload().check();
    for (int n : ROSENBROCK_SIZES) {
      new RosenbrockWorkload(n).check(n <= 1_000);
    }
    new LogisticWorkload().check();
    new MlpWorkload().check();
    new RnnWorkload().check();
    for (int n : TANGENT_SIZES) {
      new RosenbrockTangentHessianWorkload(n).check(false);
    }
    new RosenbrockTangentHessianWorkload(HESSIAN_SIZE).check(true);
    new LogisticTangentHessianWorkload().check();
  }

  /** {@code java -cp benchmarks.jar dev.adjoint.benchmarks.VariantCheck} checks without timing. */
  public static void main(String[] args) {
    all();
    System.out.println("all variants agree");
  }
}
