package dev.adjoint.benchmarks;

import static dev.adjoint.Derivative.HESSIAN;
import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Matrix;

/**
 * The benchmark workloads W1–W6 of issue #6, each written once as an ordinary {@code
 * @Differentiable} method. The method itself is the "primal" variant; Adjoint generates {@code
 * WorkloadsGrad} with the "generated" variants. The hand-written gradients, the {@code
 * handWritten()} method of each workload class ({@link NeuronWorkload#handWritten()}, {@link
 * RosenbrockWorkload#handWritten()}, {@link LogisticWorkload#handWritten()}, {@link
 * MlpWorkload#handWritten()}, {@link RnnWorkload#handWritten()}), compute exactly these functions.
 * W2 and W3 (loops) also ask for forward mode and Hessians
 * ({@code also = {TANGENT, HESSIAN}}, issue #7), benchmarked by {@link
 * RosenbrockTangentHessianWorkload} and {@link LogisticTangentHessianWorkload}; this leaves their
 * gradient code as it was.
 */
public final class Workloads {
  /** λ of the logistic regression's penalty 0.5·λ·‖w‖². */
  public static final double LAMBDA = 1e-3;

  private Workloads() {}

  // W1 -------------------------------------------------------------------------------------------

  /** W1: a sigmoid neuron, σ(a·x + b·y + c). */
  @Differentiable
  public static double neuron(double a, double b, double c, double x, double y) {
    return 1 / (1 + Math.exp(-(a * x + b * y + c)));
  }

  // W2 -------------------------------------------------------------------------------------------

  /** W2: Σ_{i<n-1} 100(x[i+1] − x[i]²)² + (1 − x[i])². */
  @Differentiable(also = {TANGENT, HESSIAN})
  public static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double valley = x[i + 1] - x[i] * x[i];
      double offset = 1 - x[i];
      sum += 100 * valley * valley + offset * offset;
    }
    return sum;
  }

  // W6 -------------------------------------------------------------------------------------------

  /** W6's helper: one term 100(next − xi²)² + (1 − xi)² of W2. */
  @Differentiable
  public static double rosenbrockTerm(double xi, double next) {
    double valley = next - xi * xi;
    double offset = 1 - xi;
    return 100 * valley * valley + offset * offset;
  }

  /** W6: W2 with each term computed by a call to the {@code @Differentiable} helper. */
  @Differentiable
  public static double rosenbrockCalls(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      sum += rosenbrockTerm(x[i], x[i + 1]);
    }
    return sum;
  }

  // W3 -------------------------------------------------------------------------------------------

  /**
   * W3 with loops: mean binary cross-entropy of p = σ(X[i]·w + b) against labels y (0 or 1), plus
   * 0.5·λ·‖w‖².
   */
  @Differentiable(wrt = {"w", "b"}, also = {TANGENT, HESSIAN})
  public static double logistic(double[][] X, double[] w, double b, double[] y) {
    double loss = 0;
    for (int i = 0; i < X.length; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += X[i][j] * w[j];
      }
      double p = 1 / (1 + Math.exp(-z));
      loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
    double squaredNorm = 0;
    for (int j = 0; j < w.length; j++) {
      squaredNorm += w[j] * w[j];
    }
    return loss / X.length + 0.5 * LAMBDA * squaredNorm;
  }

  /** W3 with {@link Matrix} operations: X is N×d, w is d×1, y is N×1. */
  @Differentiable(wrt = {"w", "b"})
  public static double logisticMatrix(Matrix X, Matrix w, double b, Matrix y) {
    Matrix logits = X.times(w).plusScalar(b);
    return Matrix.binaryCrossEntropyWithLogits(logits, y) + 0.5 * LAMBDA * w.squaredNorm();
  }

  // W4 -------------------------------------------------------------------------------------------

  /**
   * W4 with {@link Matrix} operations: mean softmax cross-entropy of tanh(X·W1 + b1)·W2 + b2 (b1
   * and b2 are row vectors added to every row).
   */
  @Differentiable(wrt = {"W1", "b1", "W2", "b2"})
  public static double mlpMatrix(
      Matrix X, Matrix W1, Matrix b1, Matrix W2, Matrix b2, int[] labels) {
    Matrix hidden = X.times(W1).addRowVector(b1).tanh();
    Matrix logits = hidden.times(W2).addRowVector(b2);
    return Matrix.softmaxCrossEntropy(logits, labels);
  }

  /** W4 with loops over {@code double[][]}: the same function as {@link #mlpMatrix}. */
  @Differentiable(wrt = {"W1", "b1", "W2", "b2"})
  public static double mlp(
      double[][] X, double[][] W1, double[] b1, double[][] W2, double[] b2, int[] labels) {
    int batch = X.length;
    int inputs = W1.length;
    int hiddens = b1.length;
    int classes = b2.length;
    double[][] pre = new double[batch][hiddens];
    double[][] hidden = new double[batch][hiddens];
    double[][] logits = new double[batch][classes];
    double loss = 0;
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < hiddens; k++) {
        pre[i][k] = b1[k];
      }
      for (int j = 0; j < inputs; j++) {
        double xij = X[i][j];
        for (int k = 0; k < hiddens; k++) {
          pre[i][k] += xij * W1[j][k];
        }
      }
      for (int k = 0; k < hiddens; k++) {
        hidden[i][k] = Math.tanh(pre[i][k]);
      }
      for (int c = 0; c < classes; c++) {
        logits[i][c] = b2[c];
      }
      for (int k = 0; k < hiddens; k++) {
        double hik = hidden[i][k];
        for (int c = 0; c < classes; c++) {
          logits[i][c] += hik * W2[k][c];
        }
      }
      double max = logits[i][0];
      for (int c = 1; c < classes; c++) {
        max = Math.max(max, logits[i][c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[i][c] - max);
      }
      loss += Math.log(sum) + max - logits[i][labels[i]];
    }
    return loss / batch;
  }

  // W5 -------------------------------------------------------------------------------------------

  /**
   * W5 with loops: h_t = tanh(W·h_{t-1} + U·x_t + b) for t = 1..T (x_t is {@code xs[t-1]}), h_0 = 0,
   * loss 0.5·‖h_T‖².
   */
  @Differentiable(wrt = {"W", "U", "b"})
  public static double rnn(double[][] W, double[][] U, double[] b, double[][] xs) {
    int hiddens = b.length;
    int steps = xs.length;
    double[][] h = new double[steps + 1][hiddens];
    for (int t = 0; t < steps; t++) {
      for (int r = 0; r < hiddens; r++) {
        double s = b[r];
        for (int c = 0; c < hiddens; c++) {
          s += W[r][c] * h[t][c];
        }
        for (int c = 0; c < xs[t].length; c++) {
          s += U[r][c] * xs[t][c];
        }
        h[t + 1][r] = Math.tanh(s);
      }
    }
    double squaredNorm = 0;
    for (int r = 0; r < hiddens; r++) {
      squaredNorm += h[steps][r] * h[steps][r];
    }
    return 0.5 * squaredNorm;
  }

  /**
   * W5 with {@link Matrix} operations, as row vectors: h is 1×H, W is H×H, U is H×I, b is 1×H, xs
   * is T×I; h·Wᵀ is (W·h)ᵀ.
   */
  @Differentiable(wrt = {"W", "U", "b"})
  public static double rnnMatrix(Matrix W, Matrix U, Matrix b, Matrix xs) {
    Matrix h = Matrix.zeros(1, W.rows());
    for (int t = 0; t < xs.rows(); t++) {
      Matrix input = xs.sliceRows(t, t + 1);
      h = h.timesTransposed(W).plus(input.timesTransposed(U)).plus(b).tanh();
    }
    return 0.5 * h.squaredNorm();
  }
}
