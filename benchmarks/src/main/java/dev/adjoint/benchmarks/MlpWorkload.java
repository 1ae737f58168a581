package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Matrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * W4: a two-layer perceptron, mean softmax cross-entropy of tanh(X·W1 + b1)·W2 + b2, batch 256,
 * 64 → 128 → 10, gradient with respect to W1, b1, W2 and b2; with {@link Matrix} and with loops.
 */
public final class MlpWorkload {
  public static final int BATCH = 256;
  public static final int INPUTS = 64;
  public static final int HIDDEN = 128;
  public static final int CLASSES = 10;

  final double[][] X;
  final double[][] W1;
  final double[] b1;
  final double[][] W2;
  final double[] b2;
  final int[] labels;
  final Matrix xM;
  final Matrix w1M;
  final Matrix b1M;
  final Matrix w2M;
  final Matrix b2M;

  // The hand-written gradient and its work arrays, allocated once.
  final double[][] dW1 = new double[INPUTS][HIDDEN];
  final double[] db1 = new double[HIDDEN];
  final double[][] dW2 = new double[HIDDEN][CLASSES];
  final double[] db2 = new double[CLASSES];
  private final double[] hidden = new double[HIDDEN];
  private final double[] dpre = new double[HIDDEN];
  private final double[] logits = new double[CLASSES];

  final WorkloadsGrad.MlpGradient into = new WorkloadsGrad.MlpGradient();
  final WorkloadsGrad.MlpMatrixGradient matrixInto = new WorkloadsGrad.MlpMatrixGradient();

  public MlpWorkload() {
    SplittableRandom random = new SplittableRandom(4);
    X = Data.uniform(random, BATCH, INPUTS, -1, 1);
    double limit1 = Math.sqrt(6.0 / (INPUTS + HIDDEN));
    W1 = Data.uniform(random, INPUTS, HIDDEN, -limit1, limit1);
    b1 = Data.uniform(random, HIDDEN, -0.1, 0.1);
    double limit2 = Math.sqrt(6.0 / (HIDDEN + CLASSES));
    W2 = Data.uniform(random, HIDDEN, CLASSES, -limit2, limit2);
    b2 = Data.uniform(random, CLASSES, -0.1, 0.1);
    labels = random.ints(BATCH, 0, CLASSES).toArray();
    xM = Matrix.of(X);
    w1M = Matrix.of(W1);
    b1M = Matrix.rowVector(b1);
    w2M = Matrix.of(W2);
    b2M = Matrix.rowVector(b2);
  }

  public double primal() {
    return Workloads.mlp(X, W1, b1, W2, b2, labels);
  }

  public WorkloadsGrad.MlpGradient generated() {
    return WorkloadsGrad.mlp(X, W1, b1, W2, b2, labels);
  }

  public double generatedInto() {
    return WorkloadsGrad.mlp(X, W1, b1, W2, b2, labels, into);
  }

  public double matrixPrimal() {
    return Workloads.mlpMatrix(xM, w1M, b1M, w2M, b2M, labels);
  }

  public WorkloadsGrad.MlpMatrixGradient matrixGenerated() {
    return WorkloadsGrad.mlpMatrix(xM, w1M, b1M, w2M, b2M, labels);
  }

  public double matrixGeneratedInto() {
    return WorkloadsGrad.mlpMatrix(xM, w1M, b1M, w2M, b2M, labels, matrixInto);
  }

  /**
   * Plain loops, one example at a time (forward and backward of a row together, so that its
   * activations stay in L1), inner loops over contiguous rows.
   */
  public double handWritten() {
    for (double[] row : dW1) {
      Arrays.fill(row, 0);
    }
    for (double[] row : dW2) {
      Arrays.fill(row, 0);
    }
    Arrays.fill(db1, 0);
    Arrays.fill(db2, 0);
    double scale = 1.0 / BATCH;
    double loss = 0;
    double[] h = hidden;
    double[] z = logits;
    double[] da = dpre;
    for (int i = 0; i < BATCH; i++) {
      double[] x = X[i];
      // forward
      System.arraycopy(b1, 0, h, 0, HIDDEN);
      for (int j = 0; j < INPUTS; j++) {
        double xij = x[j];
        double[] w = W1[j];
        for (int k = 0; k < HIDDEN; k++) {
          h[k] += xij * w[k];
        }
      }
      for (int k = 0; k < HIDDEN; k++) {
        h[k] = Math.tanh(h[k]);
      }
      System.arraycopy(b2, 0, z, 0, CLASSES);
      for (int k = 0; k < HIDDEN; k++) {
        double hk = h[k];
        double[] w = W2[k];
        for (int c = 0; c < CLASSES; c++) {
          z[c] += hk * w[c];
        }
      }
      double max = z[0];
      for (int c = 1; c < CLASSES; c++) {
        max = Math.max(max, z[c]);
      }
      int label = labels[i];
      double labelLogit = z[label];
      double sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      loss += Math.log(sum) + max - labelLogit;
      // backward: dlogits = (softmax − onehot) / batch, kept in z
      double inverse = 1 / sum;
      for (int c = 0; c < CLASSES; c++) {
        z[c] = z[c] * inverse * scale;
      }
      z[label] -= scale;
      for (int c = 0; c < CLASSES; c++) {
        db2[c] += z[c];
      }
      for (int k = 0; k < HIDDEN; k++) {
        double hk = h[k];
        double[] w = W2[k];
        double[] dw = dW2[k];
        double dh = 0;
        for (int c = 0; c < CLASSES; c++) {
          dw[c] += hk * z[c];
          dh += z[c] * w[c];
        }
        da[k] = dh * (1 - hk * hk);
        db1[k] += da[k];
      }
      for (int j = 0; j < INPUTS; j++) {
        double xij = x[j];
        double[] dw = dW1[j];
        for (int k = 0; k < HIDDEN; k++) {
          dw[k] += xij * da[k];
        }
      }
    }
    return loss * scale;
  }

  public void check() {
    String v = "W4";
    double value = handWritten();
    double[][] rW1 = Data.copy(dW1);
    double[] rb1 = db1.clone();
    double[][] rW2 = Data.copy(dW2);
    double[] rb2 = db2.clone();
    // The reference against central differences on samples of each parameter.
    double[][] pW1 = Data.copy(W1);
    for (int j = 0; j < INPUTS; j += 21) {
      Check.referenceAgainstDifferences(v + " hand-written W1[" + j + "]", pW1[j], rW1[j],
          u -> Workloads.mlp(X, pW1, b1, W2, b2, labels), 4);
    }
    double[] pb1 = b1.clone();
    Check.referenceAgainstDifferences(v + " hand-written b1", pb1, rb1,
        u -> Workloads.mlp(X, W1, pb1, W2, b2, labels), 4);
    double[][] pW2 = Data.copy(W2);
    for (int k = 0; k < HIDDEN; k += 41) {
      Check.referenceAgainstDifferences(v + " hand-written W2[" + k + "]", pW2[k], rW2[k],
          u -> Workloads.mlp(X, W1, b1, pW2, b2, labels), 4);
    }
    double[] pb2 = b2.clone();
    Check.referenceAgainstDifferences(v + " hand-written b2", pb2, rb2,
        u -> Workloads.mlp(X, W1, b1, W2, pb2, labels), 10);

    Check.value(v + " loops primal", value, primal());
    WorkloadsGrad.MlpGradient g = generated();
    Check.value(v + " loops generated", value, g.value());
    Check.exact(v + " loops generated W1", rW1, g.W1());
    Check.exact(v + " loops generated b1", rb1, g.b1());
    Check.exact(v + " loops generated W2", rW2, g.W2());
    Check.exact(v + " loops generated b2", rb2, g.b2());
    Check.value(v + " loops generated into", value, generatedInto());
    Check.exact(v + " loops generated into W1", rW1, into.W1());
    Check.exact(v + " loops generated into b1", rb1, into.b1());
    Check.exact(v + " loops generated into W2", rW2, into.W2());
    Check.exact(v + " loops generated into b2", rb2, into.b2());
    Check.value(v + " Matrix primal", value, matrixPrimal());
    WorkloadsGrad.MlpMatrixGradient m = matrixGenerated();
    Check.value(v + " Matrix generated", value, m.value());
    Check.exact(v + " Matrix generated W1", rW1, m.W1());
    Check.exact(v + " Matrix generated b1", rb1, m.b1());
    Check.exact(v + " Matrix generated W2", rW2, m.W2());
    Check.exact(v + " Matrix generated b2", rb2, m.b2());
    Check.value(v + " Matrix generated into", value, matrixGeneratedInto());
    Check.exact(v + " Matrix generated into W1", rW1, matrixInto.W1());
    Check.exact(v + " Matrix generated into b1", rb1, matrixInto.b1());
    Check.exact(v + " Matrix generated into W2", rW2, matrixInto.W2());
    Check.exact(v + " Matrix generated into b2", rb2, matrixInto.b2());
  }

  void export(Path root) {
    double value = handWritten();
    new Export(root, "W4")
        .matrix("X", X).matrix("W1", W1).vector("b1", b1).matrix("W2", W2).vector("b2", b2)
        .ints("labels", labels)
        .scalar("value", value)
        .matrix("grad.W1", Data.copy(dW1)).vector("grad.b1", db1.clone())
        .matrix("grad.W2", Data.copy(dW2)).vector("grad.b2", db2.clone());
  }
}
