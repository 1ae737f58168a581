package dev.adjoint.spark;

import static dev.adjoint.Derivative.HESSIAN;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Matrix;

/** The models the Spark tests train: per-example losses for Spark, whole-data losses for the in-process oracles. */
final class Losses {
  private Losses() {}

  /** Logistic regression's coefficients. */
  record Coefficients(double[] w, double b) {}

  /** A softmax classifier: logits = x·w + b. */
  record Softmax(Matrix w, Matrix b) {}

  /** One example's logistic loss, log(1 + e^z) − y·z with z = w·x + b. */
  @Differentiable(wrt = "c")
  static double logLoss(Coefficients c, double[] x, double y) {
    double z = c.b();
    for (int j = 0; j < x.length; j++) {
      z += c.w()[j] * x[j];
    }
    return Math.log(1 + Math.exp(z)) - y * z;
  }

  /**
   * The whole data's mean logistic loss plus lambda/2·|w|², on flat parameters (w..., b): the
   * in-process oracle, minimized with Newton's method and the generated Hessian.
   */
  @Differentiable(wrt = "theta", also = HESSIAN)
  static double penalizedLogLoss(double[] theta, double[][] x, double[] y, double lambda) {
    int d = theta.length - 1;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double z = theta[d];
      for (int j = 0; j < d; j++) {
        z += theta[j] * x[i][j];
      }
      sum += Math.log(1 + Math.exp(z)) - y[i] * z;
    }
    double squaredNorm = 0;
    for (int j = 0; j < d; j++) {
      squaredNorm += theta[j] * theta[j];
    }
    return sum / x.length + lambda / 2 * squaredNorm;
  }

  /** One example's softmax cross-entropy; {@code label} holds its class. */
  @Differentiable(wrt = "p")
  static double softmaxLoss(Softmax p, double[] x, int[] label) {
    Matrix logits = Matrix.of(new double[][] {x}).times(p.w()).plus(p.b());
    return Matrix.softmaxCrossEntropy(logits, label);
  }

  /** The mean softmax cross-entropy of all rows at once: the in-process oracle. */
  @Differentiable(wrt = "p")
  static double softmaxLossAll(Softmax p, Matrix x, int[] labels) {
    Matrix logits = x.times(p.w()).addRowVector(p.b());
    return Matrix.softmaxCrossEntropy(logits, labels);
  }
}
