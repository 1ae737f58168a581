package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Matrix;

/**
 * Derivatives of the differentiable operations of {@link Matrix}, as {@link DerivativeRule}
 * methods in the pullback form.
 *
 * <p>A rule takes the receiver (for an instance method), then the operation's parameters in
 * order, optionally the operation's value, and last the {@code seed}: the adjoint of the
 * operation's result, of the result's type ({@code Matrix} or {@code double}). It returns the
 * seed's contribution to the adjoint of the parameter named in {@code wrt}, of that parameter's
 * type: the vector-Jacobian product {@code seedᵀ · ∂result/∂wrt}. For example {@code c =
 * a.times(b)} gives {@code ∂L/∂a = ∂L/∂c · bᵀ}, which is {@link #timesA}.
 *
 * <p>An operation of one differentiable parameter has one rule, named after it ({@code tanh},
 * {@code sliceRows}); one of several has a rule per parameter, named after the operation and the
 * parameter ({@code timesA}, {@code timesB}). {@code int} and {@code int[]} parameters (indices,
 * labels) are data and have no rule.
 *
 * <p>At points where an operation has no derivative, a rule returns a chosen value, as {@link
 * MathRules} does: 0 for {@code relu} at 0 (as PyTorch), and for {@code sqrt} at 0 the seed times
 * {@code +Infinity}.
 */
public final class MatrixRules {
  private MatrixRules() {}

  // ---------------------------------------------------------------------------------------------
  // Products: c = a·b, a·bᵀ, aᵀ·b

  /** a·b by a: seed·bᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "times", wrt = "a")
  public static Matrix timesA(Matrix a, Matrix b, Matrix seed) {
    return seed.timesTransposed(b);
  }

  /** a·b by b: aᵀ·seed. */
  @DerivativeRule(owner = Matrix.class, method = "times", wrt = "b")
  public static Matrix timesB(Matrix a, Matrix b, Matrix seed) {
    return a.transposedTimes(seed);
  }

  /** a·bᵀ by a: seed·b. */
  @DerivativeRule(owner = Matrix.class, method = "timesTransposed", wrt = "a")
  public static Matrix timesTransposedA(Matrix a, Matrix b, Matrix seed) {
    return seed.times(b);
  }

  /** a·bᵀ by b: seedᵀ·a. */
  @DerivativeRule(owner = Matrix.class, method = "timesTransposed", wrt = "b")
  public static Matrix timesTransposedB(Matrix a, Matrix b, Matrix seed) {
    return seed.transposedTimes(a);
  }

  /** aᵀ·b by a: b·seedᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "transposedTimes", wrt = "a")
  public static Matrix transposedTimesA(Matrix a, Matrix b, Matrix seed) {
    return b.timesTransposed(seed);
  }

  /** aᵀ·b by b: a·seed. */
  @DerivativeRule(owner = Matrix.class, method = "transposedTimes", wrt = "b")
  public static Matrix transposedTimesB(Matrix a, Matrix b, Matrix seed) {
    return a.times(seed);
  }

  /** mᵀ: seedᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "transpose")
  public static Matrix transpose(Matrix m, Matrix seed) {
    return seed.transpose();
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise arithmetic

  /** a + b by a: seed. */
  @DerivativeRule(owner = Matrix.class, method = "plus", wrt = "a")
  public static Matrix plusA(Matrix a, Matrix b, Matrix seed) {
    return seed;
  }

  /** a + b by b: seed. */
  @DerivativeRule(owner = Matrix.class, method = "plus", wrt = "b")
  public static Matrix plusB(Matrix a, Matrix b, Matrix seed) {
    return seed;
  }

  /** a - b by a: seed. */
  @DerivativeRule(owner = Matrix.class, method = "minus", wrt = "a")
  public static Matrix minusA(Matrix a, Matrix b, Matrix seed) {
    return seed;
  }

  /** a - b by b: -seed. */
  @DerivativeRule(owner = Matrix.class, method = "minus", wrt = "b")
  public static Matrix minusB(Matrix a, Matrix b, Matrix seed) {
    return seed.scale(-1);
  }

  /** a ∘ b by a: seed ∘ b. */
  @DerivativeRule(owner = Matrix.class, method = "multiply", wrt = "a")
  public static Matrix multiplyA(Matrix a, Matrix b, Matrix seed) {
    return seed.multiply(b);
  }

  /** a ∘ b by b: seed ∘ a. */
  @DerivativeRule(owner = Matrix.class, method = "multiply", wrt = "b")
  public static Matrix multiplyB(Matrix a, Matrix b, Matrix seed) {
    return seed.multiply(a);
  }

  /** a / b by a: seed / b. */
  @DerivativeRule(owner = Matrix.class, method = "divide", wrt = "a")
  public static Matrix divideA(Matrix a, Matrix b, Matrix seed) {
    return seed.divide(b);
  }

  /** a / b by b: -seed ∘ a / b² = -seed ∘ value / b. */
  @DerivativeRule(owner = Matrix.class, method = "divide", wrt = "b")
  public static Matrix divideB(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return seed.multiply(value).divide(b).scale(-1);
  }

  /** factor·m by m: factor·seed. */
  @DerivativeRule(owner = Matrix.class, method = "scale", wrt = "m")
  public static Matrix scaleM(Matrix m, double factor, Matrix seed) {
    return seed.scale(factor);
  }

  /** factor·m by factor: Σ seed ∘ m. */
  @DerivativeRule(owner = Matrix.class, method = "scale", wrt = "factor")
  public static double scaleFactor(Matrix m, double factor, Matrix seed) {
    return seed.dot(m);
  }

  /** m + offset by m: seed. */
  @DerivativeRule(owner = Matrix.class, method = "plusScalar", wrt = "m")
  public static Matrix plusScalarM(Matrix m, double offset, Matrix seed) {
    return seed;
  }

  /** m + offset by offset: Σ seed. */
  @DerivativeRule(owner = Matrix.class, method = "plusScalar", wrt = "offset")
  public static double plusScalarOffset(Matrix m, double offset, Matrix seed) {
    return seed.sum();
  }

  /** m + row (added to every row) by m: seed. */
  @DerivativeRule(owner = Matrix.class, method = "addRowVector", wrt = "m")
  public static Matrix addRowVectorM(Matrix m, Matrix row, Matrix seed) {
    return seed;
  }

  /** m + row (added to every row) by row: the column sums of seed. */
  @DerivativeRule(owner = Matrix.class, method = "addRowVector", wrt = "row")
  public static Matrix addRowVectorRow(Matrix m, Matrix row, Matrix seed) {
    return seed.colSums();
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions to a number

  /** Σ m: seed in every entry. */
  @DerivativeRule(owner = Matrix.class, method = "sum")
  public static Matrix sum(Matrix m, double seed) {
    return Matrix.filled(m.rows(), m.cols(), seed);
  }

  /** mean of m: seed / (rows·cols) in every entry. */
  @DerivativeRule(owner = Matrix.class, method = "mean")
  public static Matrix mean(Matrix m, double seed) {
    return Matrix.filled(m.rows(), m.cols(), seed / ((double) m.rows() * m.cols()));
  }

  /** trace of m: seed on the diagonal. */
  @DerivativeRule(owner = Matrix.class, method = "trace")
  public static Matrix trace(Matrix m, double seed) {
    return Matrix.identity(m.rows()).scale(seed);
  }

  /** Σ a ∘ b by a: seed·b. */
  @DerivativeRule(owner = Matrix.class, method = "dot", wrt = "a")
  public static Matrix dotA(Matrix a, Matrix b, double seed) {
    return b.scale(seed);
  }

  /** Σ a ∘ b by b: seed·a. */
  @DerivativeRule(owner = Matrix.class, method = "dot", wrt = "b")
  public static Matrix dotB(Matrix a, Matrix b, double seed) {
    return a.scale(seed);
  }

  /** Σ m²: 2·seed·m. */
  @DerivativeRule(owner = Matrix.class, method = "squaredNorm")
  public static Matrix squaredNorm(Matrix m, double seed) {
    return m.scale(2 * seed);
  }

  /** The entry (row, col): seed there, 0 elsewhere. */
  @DerivativeRule(owner = Matrix.class, method = "get", wrt = "m")
  public static Matrix get(Matrix m, int row, int col, double seed) {
    m.get(row, col); // the same IllegalArgumentException as the operation for a bad index
    double[][] adjoint = new double[m.rows()][m.cols()];
    adjoint[row][col] = seed;
    return Matrix.of(adjoint);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions along rows and columns

  /** The sums of the rows (rows×1): each seed entry copied along its row. */
  @DerivativeRule(owner = Matrix.class, method = "rowSums")
  public static Matrix rowSums(Matrix m, Matrix seed) {
    return acrossColumns(seed, m.cols());
  }

  /** The sums of the columns (1×cols): the seed row copied into every row. */
  @DerivativeRule(owner = Matrix.class, method = "colSums")
  public static Matrix colSums(Matrix m, Matrix seed) {
    return Matrix.zeros(m.rows(), m.cols()).addRowVector(seed);
  }

  /** The means of the rows: as rowSums, divided by cols. */
  @DerivativeRule(owner = Matrix.class, method = "rowMeans")
  public static Matrix rowMeans(Matrix m, Matrix seed) {
    return acrossColumns(seed, m.cols()).scale(1.0 / m.cols());
  }

  /** The means of the columns: as colSums, divided by rows. */
  @DerivativeRule(owner = Matrix.class, method = "colMeans")
  public static Matrix colMeans(Matrix m, Matrix seed) {
    return Matrix.zeros(m.rows(), m.cols()).addRowVector(seed).scale(1.0 / m.rows());
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise functions

  /** exp' = exp: seed ∘ value. */
  @DerivativeRule(owner = Matrix.class, method = "exp")
  public static Matrix exp(Matrix m, Matrix value, Matrix seed) {
    return seed.multiply(value);
  }

  /** log'(x) = 1/x: seed / m. */
  @DerivativeRule(owner = Matrix.class, method = "log")
  public static Matrix log(Matrix m, Matrix seed) {
    return seed.divide(m);
  }

  /** tanh' = 1 - tanh²: seed ∘ (1 - value²). */
  @DerivativeRule(owner = Matrix.class, method = "tanh")
  public static Matrix tanh(Matrix m, Matrix value, Matrix seed) {
    return seed.multiply(value.square().scale(-1).plusScalar(1));
  }

  /** σ' = σ(1 - σ): seed ∘ value ∘ (1 - value). */
  @DerivativeRule(owner = Matrix.class, method = "sigmoid")
  public static Matrix sigmoid(Matrix m, Matrix value, Matrix seed) {
    return seed.multiply(value).multiply(value.scale(-1).plusScalar(1));
  }

  /** relu'(x) = 1 for x &gt; 0, else 0 (also at the kink x = 0, as PyTorch). */
  @DerivativeRule(owner = Matrix.class, method = "relu")
  public static Matrix relu(Matrix m, Matrix seed) {
    return seed.multiply(positive(m));
  }

  /** softplus' = σ: seed ∘ sigmoid(m). */
  @DerivativeRule(owner = Matrix.class, method = "softplus")
  public static Matrix softplus(Matrix m, Matrix seed) {
    return seed.multiply(m.sigmoid());
  }

  /** (x²)' = 2x: 2·seed ∘ m. */
  @DerivativeRule(owner = Matrix.class, method = "square")
  public static Matrix square(Matrix m, Matrix seed) {
    return seed.multiply(m).scale(2);
  }

  /** sqrt'(x) = 1 / (2 sqrt(x)): seed / (2·value); ±Infinity (NaN for a zero seed) at 0. */
  @DerivativeRule(owner = Matrix.class, method = "sqrt")
  public static Matrix sqrt(Matrix m, Matrix value, Matrix seed) {
    return seed.divide(value).scale(0.5);
  }

  // ---------------------------------------------------------------------------------------------
  // Row-wise softmax

  /** s = softmax of each row: s ∘ (seed - Σ_row seed ∘ s). */
  @DerivativeRule(owner = Matrix.class, method = "softmaxRows")
  public static Matrix softmaxRows(Matrix m, Matrix value, Matrix seed) {
    Matrix seedAlongValue = acrossColumns(seed.multiply(value).rowSums(), m.cols());
    return value.multiply(seed.minus(seedAlongValue));
  }

  /** log Σ exp of each row (rows×1): softmax(m) with each row scaled by its seed entry. */
  @DerivativeRule(owner = Matrix.class, method = "logSumExpRows")
  public static Matrix logSumExpRows(Matrix m, Matrix seed) {
    return m.softmaxRows().multiply(acrossColumns(seed, m.cols()));
  }

  // ---------------------------------------------------------------------------------------------
  // Rows, slices and concatenation

  /** Rows from..to-1: seed in those rows, 0 elsewhere. */
  @DerivativeRule(owner = Matrix.class, method = "sliceRows", wrt = "m")
  public static Matrix sliceRows(Matrix m, int from, int to, Matrix seed) {
    return Matrix.zeros(from, m.cols()).vconcat(seed).vconcat(Matrix.zeros(m.rows() - to, m.cols()));
  }

  /** The rows at indices: seed row r added to row indices[r] (repeated indices accumulate). */
  @DerivativeRule(owner = Matrix.class, method = "selectRows", wrt = "m")
  public static Matrix selectRows(Matrix m, int[] indices, Matrix seed) {
    double[][] adjoint = new double[m.rows()][m.cols()];
    for (int r = 0; r < indices.length; r++) {
      if (indices[r] < 0 || indices[r] >= m.rows()) {
        throw new IllegalArgumentException(
            "selectRows: index " + indices[r] + " at position " + r + " is not a row of " + m.shape());
      }
      double[] into = adjoint[indices[r]];
      for (int j = 0; j < into.length; j++) {
        into[j] += seed.get(r, j);
      }
    }
    return withShapeOf(m, adjoint);
  }

  /** left | right by left: the first left.cols() columns of seed. */
  @DerivativeRule(owner = Matrix.class, method = "hconcat", wrt = "left")
  public static Matrix hconcatLeft(Matrix left, Matrix right, Matrix seed) {
    return columns(seed, 0, left.cols());
  }

  /** left | right by right: the last right.cols() columns of seed. */
  @DerivativeRule(owner = Matrix.class, method = "hconcat", wrt = "right")
  public static Matrix hconcatRight(Matrix left, Matrix right, Matrix seed) {
    return columns(seed, left.cols(), seed.cols());
  }

  /** above over below by above: the first above.rows() rows of seed. */
  @DerivativeRule(owner = Matrix.class, method = "vconcat", wrt = "above")
  public static Matrix vconcatAbove(Matrix above, Matrix below, Matrix seed) {
    return seed.sliceRows(0, above.rows());
  }

  /** above over below by below: the last below.rows() rows of seed. */
  @DerivativeRule(owner = Matrix.class, method = "vconcat", wrt = "below")
  public static Matrix vconcatBelow(Matrix above, Matrix below, Matrix seed) {
    return seed.sliceRows(above.rows(), seed.rows());
  }

  // ---------------------------------------------------------------------------------------------
  // Losses (static), each a mean over n = rows·cols entries or over the rows

  /** mean (p - t)² by p: 2·seed·(p - t) / n. */
  @DerivativeRule(owner = Matrix.class, method = "meanSquaredError", wrt = "predictions")
  public static Matrix meanSquaredErrorPredictions(
      Matrix predictions, Matrix targets, double seed) {
    return predictions.minus(targets).scale(2 * seed / entries(predictions));
  }

  /** mean (p - t)² by t: -2·seed·(p - t) / n. */
  @DerivativeRule(owner = Matrix.class, method = "meanSquaredError", wrt = "targets")
  public static Matrix meanSquaredErrorTargets(Matrix predictions, Matrix targets, double seed) {
    return predictions.minus(targets).scale(-2 * seed / entries(predictions));
  }

  /** mean BCE(σ(z), t) by z: seed·(σ(z) - t) / n. */
  @DerivativeRule(owner = Matrix.class, method = "binaryCrossEntropyWithLogits", wrt = "logits")
  public static Matrix binaryCrossEntropyWithLogitsLogits(
      Matrix logits, Matrix targets, double seed) {
    return logits.sigmoid().minus(targets).scale(seed / entries(logits));
  }

  /** mean BCE(σ(z), t) by t: -seed·z / n. */
  @DerivativeRule(owner = Matrix.class, method = "binaryCrossEntropyWithLogits", wrt = "targets")
  public static Matrix binaryCrossEntropyWithLogitsTargets(
      Matrix logits, Matrix targets, double seed) {
    return logits.scale(-seed / entries(logits));
  }

  /** mean cross-entropy of softmax(z) and labels by z: seed·(softmax(z) - onehot) / rows. */
  @DerivativeRule(owner = Matrix.class, method = "softmaxCrossEntropy", wrt = "logits")
  public static Matrix softmaxCrossEntropy(Matrix logits, int[] labels, double seed) {
    return logits.softmaxRows().minus(oneHot(labels, logits)).scale(seed / logits.rows());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers (not rules)

  /** A rows×1 column copied into each of {@code cols} columns. */
  private static Matrix acrossColumns(Matrix column, int cols) {
    return column.times(Matrix.filled(1, cols, 1));
  }

  /** Columns from..to-1. */
  private static Matrix columns(Matrix m, int from, int to) {
    return m.transpose().sliceRows(from, to).transpose();
  }

  /** 1 where the entry is positive, else 0. */
  private static Matrix positive(Matrix m) {
    double[][] indicator = m.toArray();
    for (double[] row : indicator) {
      for (int j = 0; j < row.length; j++) {
        row[j] = row[j] > 0 ? 1 : 0;
      }
    }
    return withShapeOf(m, indicator);
  }

  /** Row i has a 1 in column labels[i]; shaped like logits. */
  private static Matrix oneHot(int[] labels, Matrix logits) {
    requireLabels(labels, logits);
    double[][] oneHot = new double[logits.rows()][logits.cols()];
    for (int i = 0; i < labels.length; i++) {
      oneHot[i][labels[i]] = 1;
    }
    return withShapeOf(logits, oneHot);
  }

  /**
   * Checks that there is one label per row of logits and each is a column, with the messages of
   * {@link Matrix#softmaxCrossEntropy}; also used by {@link MatrixTangentRules}.
   */
  static void requireLabels(int[] labels, Matrix logits) {
    if (labels.length != logits.rows()) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: "
              + labels.length
              + " labels for logits "
              + logits.shape()
              + " (one label per row is needed)");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= logits.cols()) {
        throw new IllegalArgumentException(
            "softmaxCrossEntropy: label "
                + labels[i]
                + " of row "
                + i
                + " is not a column of logits "
                + logits.shape());
      }
    }
  }

  /** Matrix.of(entries), which has the shape of m also when m has no rows (of gives 0x0 then). */
  private static Matrix withShapeOf(Matrix m, double[][] entries) {
    return m.rows() == 0 ? Matrix.zeros(0, m.cols()) : Matrix.of(entries);
  }

  /** The number of entries, as a double; also used by {@link MatrixTangentRules}. */
  static double entries(Matrix m) {
    return (double) m.rows() * m.cols();
  }
}
