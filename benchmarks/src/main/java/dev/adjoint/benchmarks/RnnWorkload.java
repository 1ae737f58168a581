package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Matrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * W5: a recurrent network h_t = tanh(W·h_{t-1} + U·x_t + b), T = 50, hidden 32, input 16, h_0 = 0,
 * loss 0.5·‖h_T‖², gradient with respect to W, U and b; with loops and with {@link Matrix}.
 */
public final class RnnWorkload {
  public static final int STEPS = 50;
  public static final int HIDDEN = 32;
  public static final int INPUT = 16;

  final double[][] W;
  final double[][] U;
  final double[] b;
  final double[][] xs;
  final Matrix wM;
  final Matrix uM;
  final Matrix bM;
  final Matrix xsM;

  final double[][] dW = new double[HIDDEN][HIDDEN];
  final double[][] dU = new double[HIDDEN][INPUT];
  final double[] db = new double[HIDDEN];
  private final double[][] states = new double[STEPS + 1][HIDDEN];
  private double[] dh = new double[HIDDEN];
  private double[] dhPrevious = new double[HIDDEN];
  private final double[] da = new double[HIDDEN];

  final WorkloadsGrad.RnnGradient into = new WorkloadsGrad.RnnGradient();
  final WorkloadsGrad.RnnMatrixGradient matrixInto = new WorkloadsGrad.RnnMatrixGradient();

  public RnnWorkload() {
    SplittableRandom random = new SplittableRandom(5);
    double limit = 1 / Math.sqrt(HIDDEN);
    W = Data.uniform(random, HIDDEN, HIDDEN, -limit, limit);
    U = Data.uniform(random, HIDDEN, INPUT, -limit, limit);
    b = Data.uniform(random, HIDDEN, -0.1, 0.1);
    xs = Data.uniform(random, STEPS, INPUT, -1, 1);
    wM = Matrix.of(W);
    uM = Matrix.of(U);
    bM = Matrix.rowVector(b);
    xsM = Matrix.of(xs);
  }

  public double primal() {
    return Workloads.rnn(W, U, b, xs);
  }

  public WorkloadsGrad.RnnGradient generated() {
    return WorkloadsGrad.rnn(W, U, b, xs);
  }

  public double generatedInto() {
    return WorkloadsGrad.rnn(W, U, b, xs, into);
  }

  public double matrixPrimal() {
    return Workloads.rnnMatrix(wM, uM, bM, xsM);
  }

  public WorkloadsGrad.RnnMatrixGradient matrixGenerated() {
    return WorkloadsGrad.rnnMatrix(wM, uM, bM, xsM);
  }

  public double matrixGeneratedInto() {
    return WorkloadsGrad.rnnMatrix(wM, uM, bM, xsM, matrixInto);
  }

  /** Backpropagation through time with plain loops and preallocated states. */
  public double handWritten() {
    double[][] h = states;
    for (int t = 0; t < STEPS; t++) {
      double[] previous = h[t];
      double[] next = h[t + 1];
      double[] x = xs[t];
      for (int r = 0; r < HIDDEN; r++) {
        double[] wr = W[r];
        double[] ur = U[r];
        double s = b[r];
        for (int c = 0; c < HIDDEN; c++) {
          s += wr[c] * previous[c];
        }
        for (int c = 0; c < INPUT; c++) {
          s += ur[c] * x[c];
        }
        next[r] = Math.tanh(s);
      }
    }
    double squaredNorm = 0;
    double[] last = h[STEPS];
    for (int r = 0; r < HIDDEN; r++) {
      squaredNorm += last[r] * last[r];
    }
    for (double[] row : dW) {
      Arrays.fill(row, 0);
    }
    for (double[] row : dU) {
      Arrays.fill(row, 0);
    }
    Arrays.fill(db, 0);
    System.arraycopy(last, 0, dh, 0, HIDDEN);
    for (int t = STEPS - 1; t >= 0; t--) {
      double[] previous = h[t];
      double[] next = h[t + 1];
      double[] x = xs[t];
      Arrays.fill(dhPrevious, 0);
      for (int r = 0; r < HIDDEN; r++) {
        double a = dh[r] * (1 - next[r] * next[r]);
        db[r] += a;
        double[] wr = W[r];
        double[] dwr = dW[r];
        for (int c = 0; c < HIDDEN; c++) {
          dwr[c] += a * previous[c];
          dhPrevious[c] += a * wr[c];
        }
        double[] dur = dU[r];
        for (int c = 0; c < INPUT; c++) {
          dur[c] += a * x[c];
        }
      }
      double[] swap = dh;
      dh = dhPrevious;
      dhPrevious = swap;
    }
    return 0.5 * squaredNorm;
  }

  public void check() {
    String v = "W5";
    double value = handWritten();
    double[][] rW = Data.copy(dW);
    double[][] rU = Data.copy(dU);
    double[] rb = db.clone();
    double[][] pW = Data.copy(W);
    for (int r = 0; r < HIDDEN; r += 7) {
      Check.referenceAgainstDifferences(v + " hand-written W[" + r + "]", pW[r], rW[r],
          u -> Workloads.rnn(pW, U, b, xs), 5);
    }
    double[][] pU = Data.copy(U);
    for (int r = 0; r < HIDDEN; r += 11) {
      Check.referenceAgainstDifferences(v + " hand-written U[" + r + "]", pU[r], rU[r],
          u -> Workloads.rnn(W, pU, b, xs), 5);
    }
    double[] pb = b.clone();
    Check.referenceAgainstDifferences(v + " hand-written b", pb, rb, u -> Workloads.rnn(W, U, pb, xs), 8);

    Check.value(v + " loops primal", value, primal());
    WorkloadsGrad.RnnGradient g = generated();
    Check.value(v + " loops generated", value, g.value());
    Check.exact(v + " loops generated W", rW, g.W());
    Check.exact(v + " loops generated U", rU, g.U());
    Check.exact(v + " loops generated b", rb, g.b());
    Check.value(v + " loops generated into", value, generatedInto());
    Check.exact(v + " loops generated into W", rW, into.W());
    Check.exact(v + " loops generated into U", rU, into.U());
    Check.exact(v + " loops generated into b", rb, into.b());
    Check.value(v + " Matrix primal", value, matrixPrimal());
    WorkloadsGrad.RnnMatrixGradient m = matrixGenerated();
    Check.value(v + " Matrix generated", value, m.value());
    Check.exact(v + " Matrix generated W", rW, m.W());
    Check.exact(v + " Matrix generated U", rU, m.U());
    Check.exact(v + " Matrix generated b", rb, m.b());
    Check.value(v + " Matrix generated into", value, matrixGeneratedInto());
    Check.exact(v + " Matrix generated into W", rW, matrixInto.W());
    Check.exact(v + " Matrix generated into U", rU, matrixInto.U());
    Check.exact(v + " Matrix generated into b", rb, matrixInto.b());
  }

  void export(Path root) {
    double value = handWritten();
    new Export(root, "W5")
        .matrix("W", W).matrix("U", U).vector("b", b).matrix("xs", xs)
        .scalar("value", value)
        .matrix("grad.W", Data.copy(dW)).matrix("grad.U", Data.copy(dU)).vector("grad.b", db.clone());
  }
}
