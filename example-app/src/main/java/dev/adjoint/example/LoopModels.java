package dev.adjoint.example;

import static dev.adjoint.Derivative.HESSIAN;
import static dev.adjoint.Derivative.TANGENT;



import dev.adjoint.Differentiable;

/**
 * Models written with loops over arrays; Adjoint generates {@code LoopModelsGrad}. Kept apart from
 * {@link Models} so that a construct the processor cannot handle yet shows up here alone.
 */
public final class LoopModels {
  /** Weight of the L2 penalty on the logistic regression's weights (not its bias). */
  public static final double L2_PENALTY = 1e-3;

  private LoopModels() {}

  /**
   * The n-dimensional Rosenbrock function Σ 100(x[i+1] − x[i]²)² + (1 − x[i])², with its global
   * minimum 0 at (1, …, 1).
   */
  @Differentiable(also = HESSIAN)
  public static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double valley = x[i + 1] - x[i] * x[i];
      double offset = 1 - x[i];
      sum += 100 * valley * valley + offset * offset;
    }
    return sum;
  }

  /**
   * Mean binary cross-entropy of the logistic model p = σ(X[i]·w + b) on labels y (0 or 1), plus
   * {@link #L2_PENALTY} times |w|².
   */
  @Differentiable(wrt = {"w", "b"}, also = {TANGENT, HESSIAN})
  public static double logisticLoss(double[][] X, double[] w, double b, int[] y) {
    double loss = 0;
    for (int i = 0; i < X.length; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += X[i][j] * w[j];
      }
      double p = 1 / (1 + Math.exp(-z));
      double label = y[i];
      loss -= label * Math.log(p) + (1 - label) * Math.log(1 - p);
    }
    double squaredNorm = 0;
    for (int j = 0; j < w.length; j++) {
      squaredNorm += w[j] * w[j];
    }
    return loss / X.length + L2_PENALTY * squaredNorm;
  }

  /** The logistic model's probability that the example {@code features} has label 1. */
  public static double predict(double[] features, double[] w, double b) {
    double z = b;
    for (int j = 0; j < w.length; j++) {
      z += features[j] * w[j];
    }
    return 1 / (1 + Math.exp(-z));
  }
}
