package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Matrix;

/**
 * Derivatives of the differentiable operations of {@link Matrix}, as {@link DerivativeRule} methods
 * in the tangent form ({@code tangent = true}), for forward mode.
 *
 * <p>A rule takes the receiver (for an instance method), then the operation's parameters in order,
 * optionally the operation's value, and last the tangent of the parameter named in {@code wrt}, of
 * that parameter's type, named {@code d} and the parameter's name ({@code da}, {@code dFactor}). It
 * returns that tangent's contribution to the tangent of the operation's result, of the result's
 * type ({@code Matrix} or {@code double}): the Jacobian-vector product {@code ∂result/∂wrt · dwrt}.
 * For example {@code c = a.times(b)} gives {@code dc = da·b + a·db}, whose terms are {@link
 * #timesA} and {@link #timesB}.
 *
 * <p>There is exactly one rule here for each rule of {@link MatrixRules} (the pullback form), with
 * the same name and the same parameter names before the tangent; each is the transpose of its
 * pullback rule: {@code ⟨seed, timesA(a, b, da)⟩ = ⟨MatrixRules.timesA(a, b, seed), da⟩}.
 *
 * <p>The element-wise functions have a diagonal Jacobian and {@code softmaxRows} a symmetric one,
 * so for them (and for {@code divide} by {@code b}) the tangent rule is the pullback rule with the
 * tangent in place of the seed, and these rules call {@link MatrixRules}. Forward and reverse mode
 * then agree exactly, also at the points where the pullback rule chooses a value: 0 for {@code
 * relu} at 0, and for {@code sqrt} at 0 the tangent divided by twice the value (an infinity, or NaN
 * for a zero tangent).
 */
public final class MatrixTangentRules {
  private MatrixTangentRules() {}

  // ---------------------------------------------------------------------------------------------
  // Products: c = a·b, a·bᵀ, aᵀ·b

  /** a·b along a: da·b. */
  @DerivativeRule(owner = Matrix.class, method = "times", wrt = "a", tangent = true)
  public static Matrix timesA(Matrix a, Matrix b, Matrix da) {
    return da.times(b);
  }

  /** a·b along b: a·db. */
  @DerivativeRule(owner = Matrix.class, method = "times", wrt = "b", tangent = true)
  public static Matrix timesB(Matrix a, Matrix b, Matrix db) {
    return a.times(db);
  }

  /** a·bᵀ along a: da·bᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "timesTransposed", wrt = "a", tangent = true)
  public static Matrix timesTransposedA(Matrix a, Matrix b, Matrix da) {
    return da.timesTransposed(b);
  }

  /** a·bᵀ along b: a·dbᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "timesTransposed", wrt = "b", tangent = true)
  public static Matrix timesTransposedB(Matrix a, Matrix b, Matrix db) {
    return a.timesTransposed(db);
  }

  /** aᵀ·b along a: daᵀ·b. */
  @DerivativeRule(owner = Matrix.class, method = "transposedTimes", wrt = "a", tangent = true)
  public static Matrix transposedTimesA(Matrix a, Matrix b, Matrix da) {
    return da.transposedTimes(b);
  }

  /** aᵀ·b along b: aᵀ·db. */
  @DerivativeRule(owner = Matrix.class, method = "transposedTimes", wrt = "b", tangent = true)
  public static Matrix transposedTimesB(Matrix a, Matrix b, Matrix db) {
    return a.transposedTimes(db);
  }

  /** mᵀ: dmᵀ. */
  @DerivativeRule(owner = Matrix.class, method = "transpose", tangent = true)
  public static Matrix transpose(Matrix m, Matrix dm) {
    return dm.transpose();
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise arithmetic

  /** a + b along a: da. */
  @DerivativeRule(owner = Matrix.class, method = "plus", wrt = "a", tangent = true)
  public static Matrix plusA(Matrix a, Matrix b, Matrix da) {
    return da;
  }

  /** a + b along b: db. */
  @DerivativeRule(owner = Matrix.class, method = "plus", wrt = "b", tangent = true)
  public static Matrix plusB(Matrix a, Matrix b, Matrix db) {
    return db;
  }

  /** a - b along a: da. */
  @DerivativeRule(owner = Matrix.class, method = "minus", wrt = "a", tangent = true)
  public static Matrix minusA(Matrix a, Matrix b, Matrix da) {
    return da;
  }

  /** a - b along b: -db. */
  @DerivativeRule(owner = Matrix.class, method = "minus", wrt = "b", tangent = true)
  public static Matrix minusB(Matrix a, Matrix b, Matrix db) {
    return db.scale(-1);
  }

  /** a ∘ b along a: da ∘ b. */
  @DerivativeRule(owner = Matrix.class, method = "multiply", wrt = "a", tangent = true)
  public static Matrix multiplyA(Matrix a, Matrix b, Matrix da) {
    return da.multiply(b);
  }

  /** a ∘ b along b: a ∘ db. */
  @DerivativeRule(owner = Matrix.class, method = "multiply", wrt = "b", tangent = true)
  public static Matrix multiplyB(Matrix a, Matrix b, Matrix db) {
    return a.multiply(db);
  }

  /** a / b along a: da / b. */
  @DerivativeRule(owner = Matrix.class, method = "divide", wrt = "a", tangent = true)
  public static Matrix divideA(Matrix a, Matrix b, Matrix da) {
    return da.divide(b);
  }

  /** a / b along b: -db ∘ a / b² = -db ∘ value / b, element-wise: the pullback rule. */
  @DerivativeRule(owner = Matrix.class, method = "divide", wrt = "b", tangent = true)
  public static Matrix divideB(Matrix a, Matrix b, Matrix value, Matrix db) {
    return MatrixRules.divideB(a, b, value, db);
  }

  /** factor·m along m: factor·dm. */
  @DerivativeRule(owner = Matrix.class, method = "scale", wrt = "m", tangent = true)
  public static Matrix scaleM(Matrix m, double factor, Matrix dm) {
    return dm.scale(factor);
  }

  /** factor·m along factor: dFactor·m. */
  @DerivativeRule(owner = Matrix.class, method = "scale", wrt = "factor", tangent = true)
  public static Matrix scaleFactor(Matrix m, double factor, double dFactor) {
    return m.scale(dFactor);
  }

  /** m + offset along m: dm. */
  @DerivativeRule(owner = Matrix.class, method = "plusScalar", wrt = "m", tangent = true)
  public static Matrix plusScalarM(Matrix m, double offset, Matrix dm) {
    return dm;
  }

  /** m + offset along offset: dOffset in every entry. */
  @DerivativeRule(owner = Matrix.class, method = "plusScalar", wrt = "offset", tangent = true)
  public static Matrix plusScalarOffset(Matrix m, double offset, double dOffset) {
    return Matrix.filled(m.rows(), m.cols(), dOffset);
  }

  /** m + row (added to every row) along m: dm. */
  @DerivativeRule(owner = Matrix.class, method = "addRowVector", wrt = "m", tangent = true)
  public static Matrix addRowVectorM(Matrix m, Matrix row, Matrix dm) {
    return dm;
  }

  /** m + row (added to every row) along row: dRow in every row. */
  @DerivativeRule(owner = Matrix.class, method = "addRowVector", wrt = "row", tangent = true)
  public static Matrix addRowVectorRow(Matrix m, Matrix row, Matrix dRow) {
    // A rows×1 column of ones times the 1×cols row: one pass, one allocation.
    return Matrix.filled(m.rows(), 1, 1).times(dRow);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions to a number

  /** Σ m: Σ dm. */
  @DerivativeRule(owner = Matrix.class, method = "sum", tangent = true)
  public static double sum(Matrix m, Matrix dm) {
    return dm.sum();
  }

  /** mean of m: mean of dm. */
  @DerivativeRule(owner = Matrix.class, method = "mean", tangent = true)
  public static double mean(Matrix m, Matrix dm) {
    return dm.mean();
  }

  /** trace of m: trace of dm. */
  @DerivativeRule(owner = Matrix.class, method = "trace", tangent = true)
  public static double trace(Matrix m, Matrix dm) {
    return dm.trace();
  }

  /** Σ a ∘ b along a: Σ da ∘ b. */
  @DerivativeRule(owner = Matrix.class, method = "dot", wrt = "a", tangent = true)
  public static double dotA(Matrix a, Matrix b, Matrix da) {
    return da.dot(b);
  }

  /** Σ a ∘ b along b: Σ a ∘ db. */
  @DerivativeRule(owner = Matrix.class, method = "dot", wrt = "b", tangent = true)
  public static double dotB(Matrix a, Matrix b, Matrix db) {
    return a.dot(db);
  }

  /** Σ m²: 2·Σ m ∘ dm. */
  @DerivativeRule(owner = Matrix.class, method = "squaredNorm", tangent = true)
  public static double squaredNorm(Matrix m, Matrix dm) {
    return 2 * m.dot(dm);
  }

  /** The entry (row, col): dm's entry there. */
  @DerivativeRule(owner = Matrix.class, method = "get", wrt = "m", tangent = true)
  public static double get(Matrix m, int row, int col, Matrix dm) {
    return dm.get(row, col);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions along rows and columns

  /** The sums of the rows: those of dm. */
  @DerivativeRule(owner = Matrix.class, method = "rowSums", tangent = true)
  public static Matrix rowSums(Matrix m, Matrix dm) {
    return dm.rowSums();
  }

  /** The sums of the columns: those of dm. */
  @DerivativeRule(owner = Matrix.class, method = "colSums", tangent = true)
  public static Matrix colSums(Matrix m, Matrix dm) {
    return dm.colSums();
  }

  /** The means of the rows: those of dm. */
  @DerivativeRule(owner = Matrix.class, method = "rowMeans", tangent = true)
  public static Matrix rowMeans(Matrix m, Matrix dm) {
    return dm.rowMeans();
  }

  /** The means of the columns: those of dm. */
  @DerivativeRule(owner = Matrix.class, method = "colMeans", tangent = true)
  public static Matrix colMeans(Matrix m, Matrix dm) {
    return dm.colMeans();
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise functions: a diagonal Jacobian, so the pullback rule with dm as the seed

  /** exp' = exp: dm ∘ value. */
  @DerivativeRule(owner = Matrix.class, method = "exp", tangent = true)
  public static Matrix exp(Matrix m, Matrix value, Matrix dm) {
    return MatrixRules.exp(m, value, dm);
  }

  /** log'(x) = 1/x: dm / m. */
  @DerivativeRule(owner = Matrix.class, method = "log", tangent = true)
  public static Matrix log(Matrix m, Matrix dm) {
    return MatrixRules.log(m, dm);
  }

  /** tanh' = 1 - tanh²: dm ∘ (1 - value²). */
  @DerivativeRule(owner = Matrix.class, method = "tanh", tangent = true)
  public static Matrix tanh(Matrix m, Matrix value, Matrix dm) {
    return MatrixRules.tanh(m, value, dm);
  }

  /** σ' = σ(1 - σ): dm ∘ value ∘ (1 - value). */
  @DerivativeRule(owner = Matrix.class, method = "sigmoid", tangent = true)
  public static Matrix sigmoid(Matrix m, Matrix value, Matrix dm) {
    return MatrixRules.sigmoid(m, value, dm);
  }

  /** relu'(x) = 1 for x &gt; 0, else 0 (also at the kink x = 0, as the pullback rule). */
  @DerivativeRule(owner = Matrix.class, method = "relu", tangent = true)
  public static Matrix relu(Matrix m, Matrix dm) {
    return MatrixRules.relu(m, dm);
  }

  /** softplus' = σ: dm ∘ sigmoid(m). */
  @DerivativeRule(owner = Matrix.class, method = "softplus", tangent = true)
  public static Matrix softplus(Matrix m, Matrix dm) {
    return MatrixRules.softplus(m, dm);
  }

  /** (x²)' = 2x: 2·dm ∘ m. */
  @DerivativeRule(owner = Matrix.class, method = "square", tangent = true)
  public static Matrix square(Matrix m, Matrix dm) {
    return MatrixRules.square(m, dm);
  }

  /** sqrt'(x) = 1 / (2 sqrt(x)): dm / (2·value); an infinity (NaN for a zero dm) at 0. */
  @DerivativeRule(owner = Matrix.class, method = "sqrt", tangent = true)
  public static Matrix sqrt(Matrix m, Matrix value, Matrix dm) {
    return MatrixRules.sqrt(m, value, dm);
  }

  // ---------------------------------------------------------------------------------------------
  // Row-wise softmax

  /**
   * s = softmax of each row: s ∘ (dm - Σ_row dm ∘ s). Each row's Jacobian diag(s) - s·sᵀ is
   * symmetric, so this is the pullback rule with dm as the seed.
   */
  @DerivativeRule(owner = Matrix.class, method = "softmaxRows", tangent = true)
  public static Matrix softmaxRows(Matrix m, Matrix value, Matrix dm) {
    return MatrixRules.softmaxRows(m, value, dm);
  }

  /** log Σ exp of each row (rows×1): Σ_row softmax(m) ∘ dm. */
  @DerivativeRule(owner = Matrix.class, method = "logSumExpRows", tangent = true)
  public static Matrix logSumExpRows(Matrix m, Matrix dm) {
    return m.softmaxRows().multiply(dm).rowSums();
  }

  // ---------------------------------------------------------------------------------------------
  // Rows, slices and concatenation

  /** Rows from..to-1: those rows of dm. */
  @DerivativeRule(owner = Matrix.class, method = "sliceRows", wrt = "m", tangent = true)
  public static Matrix sliceRows(Matrix m, int from, int to, Matrix dm) {
    return dm.sliceRows(from, to);
  }

  /** The rows at indices: those rows of dm. */
  @DerivativeRule(owner = Matrix.class, method = "selectRows", wrt = "m", tangent = true)
  public static Matrix selectRows(Matrix m, int[] indices, Matrix dm) {
    return dm.selectRows(indices);
  }

  /** left | right along left: dLeft | 0. */
  @DerivativeRule(owner = Matrix.class, method = "hconcat", wrt = "left", tangent = true)
  public static Matrix hconcatLeft(Matrix left, Matrix right, Matrix dLeft) {
    return dLeft.hconcat(Matrix.zeros(right.rows(), right.cols()));
  }

  /** left | right along right: 0 | dRight. */
  @DerivativeRule(owner = Matrix.class, method = "hconcat", wrt = "right", tangent = true)
  public static Matrix hconcatRight(Matrix left, Matrix right, Matrix dRight) {
    return Matrix.zeros(left.rows(), left.cols()).hconcat(dRight);
  }

  /** above over below along above: dAbove over 0. */
  @DerivativeRule(owner = Matrix.class, method = "vconcat", wrt = "above", tangent = true)
  public static Matrix vconcatAbove(Matrix above, Matrix below, Matrix dAbove) {
    return dAbove.vconcat(Matrix.zeros(below.rows(), below.cols()));
  }

  /** above over below along below: 0 over dBelow. */
  @DerivativeRule(owner = Matrix.class, method = "vconcat", wrt = "below", tangent = true)
  public static Matrix vconcatBelow(Matrix above, Matrix below, Matrix dBelow) {
    return Matrix.zeros(above.rows(), above.cols()).vconcat(dBelow);
  }

  // ---------------------------------------------------------------------------------------------
  // Losses (static), each a mean over n = rows·cols entries or over the rows

  /** mean (p - t)² along p: 2·Σ (p - t) ∘ dp / n. */
  @DerivativeRule(
      owner = Matrix.class,
      method = "meanSquaredError",
      wrt = "predictions",
      tangent = true)
  public static double meanSquaredErrorPredictions(
      Matrix predictions, Matrix targets, Matrix dPredictions) {
    // p - t first, not p·dp - t·dp: near a fit p ≈ t, where the difference of dots cancels.
    return 2 * predictions.minus(targets).dot(dPredictions) / MatrixRules.entries(predictions);
  }

  /** mean (p - t)² along t: -2·Σ (p - t) ∘ dt / n. */
  @DerivativeRule(
      owner = Matrix.class,
      method = "meanSquaredError",
      wrt = "targets",
      tangent = true)
  public static double meanSquaredErrorTargets(
      Matrix predictions, Matrix targets, Matrix dTargets) {
    return -2 * predictions.minus(targets).dot(dTargets) / MatrixRules.entries(predictions);
  }

  /** mean BCE(σ(z), t) along z: Σ (σ(z) - t) ∘ dz / n. */
  @DerivativeRule(
      owner = Matrix.class,
      method = "binaryCrossEntropyWithLogits",
      wrt = "logits",
      tangent = true)
  public static double binaryCrossEntropyWithLogitsLogits(
      Matrix logits, Matrix targets, Matrix dLogits) {
    return logits.sigmoid().minus(targets).dot(dLogits) / MatrixRules.entries(logits);
  }

  /** mean BCE(σ(z), t) along t: -Σ z ∘ dt / n. */
  @DerivativeRule(
      owner = Matrix.class,
      method = "binaryCrossEntropyWithLogits",
      wrt = "targets",
      tangent = true)
  public static double binaryCrossEntropyWithLogitsTargets(
      Matrix logits, Matrix targets, Matrix dTargets) {
    return -logits.dot(dTargets) / MatrixRules.entries(logits);
  }

  /**
   * mean cross-entropy of softmax(z) and labels along z: Σ (softmax(z) - onehot) ∘ dz / rows, with
   * the one-hot part read from dz rather than built.
   */
  @DerivativeRule(
      owner = Matrix.class,
      method = "softmaxCrossEntropy",
      wrt = "logits",
      tangent = true)
  public static double softmaxCrossEntropy(Matrix logits, int[] labels, Matrix dLogits) {
    MatrixRules.requireLabels(labels, logits);
    double atLabels = 0;
    for (int i = 0; i < labels.length; i++) {
      atLabels += dLogits.get(i, labels[i]);
    }
    return (logits.softmaxRows().dot(dLogits) - atLabels) / logits.rows();
  }
}
