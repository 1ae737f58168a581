package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Matrix;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * W3: logistic regression, mean binary cross-entropy of σ(X·w + b) plus 0.5·λ·‖w‖², X 10,000 × 50,
 * gradient with respect to w and b; with loops over {@code double[][]} and with {@link Matrix}.
 */
public final class LogisticWorkload {
  public static final int EXAMPLES = 10_000;
  public static final int FEATURES = 50;

  final double[][] X;
  final double[] w;
  final double b = 0.1;
  final double[] y;
  final Matrix xMatrix;
  final Matrix wMatrix;
  final Matrix yMatrix;

  final double[] handW = new double[FEATURES];
  double handB;
  final WorkloadsGrad.LogisticGradient into = new WorkloadsGrad.LogisticGradient();
  final WorkloadsGrad.LogisticMatrixGradient matrixInto = new WorkloadsGrad.LogisticMatrixGradient();

  public LogisticWorkload() {
    SplittableRandom random = new SplittableRandom(3);
    X = Data.uniform(random, EXAMPLES, FEATURES, -1, 1);
    w = Data.uniform(random, FEATURES, -0.5, 0.5);
    // Labels from a noisy linear model, so that the loss is neither 0 nor saturated.
    double[] truth = Data.uniform(random, FEATURES, -1, 1);
    y = new double[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      double z = random.nextGaussian();
      for (int j = 0; j < FEATURES; j++) {
        z += X[i][j] * truth[j];
      }
      y[i] = z > 0 ? 1 : 0;
    }
    xMatrix = Matrix.of(X);
    wMatrix = Data.columnVector(w);
    yMatrix = Data.columnVector(y);
  }

  public double primal() {
    return Workloads.logistic(X, w, b, y);
  }

  public WorkloadsGrad.LogisticGradient generated() {
    return WorkloadsGrad.logistic(X, w, b, y);
  }

  public double generatedInto() {
    return WorkloadsGrad.logistic(X, w, b, y, into);
  }

  public double matrixPrimal() {
    return Workloads.logisticMatrix(xMatrix, wMatrix, b, yMatrix);
  }

  public WorkloadsGrad.LogisticMatrixGradient matrixGenerated() {
    return WorkloadsGrad.logisticMatrix(xMatrix, wMatrix, b, yMatrix);
  }

  public double matrixGeneratedInto() {
    return WorkloadsGrad.logisticMatrix(xMatrix, wMatrix, b, yMatrix, matrixInto);
  }

  /** One pass over X: each row's forward value and its gradient contribution together. */
  public double handWritten() {
    double[] dw = handW;
    java.util.Arrays.fill(dw, 0);
    double db = 0;
    double loss = 0;
    for (int i = 0; i < EXAMPLES; i++) {
      double[] row = X[i];
      double z = b;
      for (int j = 0; j < FEATURES; j++) {
        z += row[j] * w[j];
      }
      double p = 1 / (1 + Math.exp(-z));
      double label = y[i];
      loss -= label * Math.log(p) + (1 - label) * Math.log(1 - p);
      double dz = p - label;
      for (int j = 0; j < FEATURES; j++) {
        dw[j] += dz * row[j];
      }
      db += dz;
    }
    double squaredNorm = 0;
    double scale = 1.0 / EXAMPLES;
    for (int j = 0; j < FEATURES; j++) {
      squaredNorm += w[j] * w[j];
      dw[j] = dw[j] * scale + Workloads.LAMBDA * w[j];
    }
    handB = db * scale;
    return loss * scale + 0.5 * Workloads.LAMBDA * squaredNorm;
  }

  public void check() {
    String v = "W3";
    double value = handWritten();
    double[] reference = handW.clone();
    double referenceB = handB;
    double[] p = w.clone();
    Check.referenceAgainstDifferences(
        v + " hand-written w", p, reference, u -> Workloads.logistic(X, p, b, y), 10);
    double[] pb = {b};
    Check.referenceAgainstDifferences(
        v + " hand-written b", pb, new double[] {referenceB}, u -> Workloads.logistic(X, w, pb[0], y), 1);
    Check.value(v + " loops primal", value, primal());
    WorkloadsGrad.LogisticGradient g = generated();
    Check.value(v + " loops generated", value, g.value());
    Check.exact(v + " loops generated w", reference, g.w());
    Check.value(v + " loops generated b", referenceB, g.b());
    Check.value(v + " loops generated into", value, generatedInto());
    Check.exact(v + " loops generated into w", reference, into.w());
    Check.value(v + " loops generated into b", referenceB, into.b());
    Check.value(v + " Matrix primal", value, matrixPrimal());
    WorkloadsGrad.LogisticMatrixGradient m = matrixGenerated();
    Check.value(v + " Matrix generated", value, m.value());
    Check.exact(v + " Matrix generated w", new double[][] {reference}, m.w().transpose());
    Check.value(v + " Matrix generated b", referenceB, m.b());
    Check.value(v + " Matrix generated into", value, matrixGeneratedInto());
    Check.exact(v + " Matrix generated into w", new double[][] {reference}, matrixInto.w().transpose());
    Check.value(v + " Matrix generated into b", referenceB, matrixInto.b());
  }

  void export(Path root) {
    double value = handWritten();
    new Export(root, "W3")
        .matrix("X", X).vector("w", w).scalar("b", b).vector("y", y).scalar("lambda", Workloads.LAMBDA)
        .scalar("value", value).vector("grad.w", handW.clone()).scalar("grad.b", handB);
  }
}
