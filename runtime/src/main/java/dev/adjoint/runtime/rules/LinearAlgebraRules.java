package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;

/**
 * Derivatives of the functions of {@link LinearAlgebra}, as {@link DerivativeRule} methods in the
 * pullback form of {@link MatrixRules}: the function's arguments, optionally its value, and the
 * seed (the adjoint of the result); each returns the seed's contribution to the adjoint of {@code
 * wrt}. Each is a closed form in solves with the factor the function computed, never the
 * derivative of a factorisation loop:
 *
 * <ul>
 *   <li>{@code l = cholesky(a)}: {@code ā = sym(l⁻ᵀ·Φ(lᵀ·tril(l̄))·l⁻¹)}, with Φ the lower triangle
 *       with its diagonal halved (Murray 2016, "Differentiation of the Cholesky decomposition",
 *       the matrix form that Stan and JAX use).
 *   <li>{@code x = op(t)⁻¹·b}: {@code b̄ = op(t)⁻ᵀ·x̄}, and {@code t̄ = -b̄·xᵀ} (or {@code -x·b̄ᵀ}
 *       for the transposed solves) masked to the triangle the solve reads.
 *   <li>{@code x = a⁻¹·b}: {@code b̄ = a⁻ᵀ·x̄}, {@code ā = -b̄·xᵀ} (symmetrised for {@code
 *       solveSpd}); {@code y = a⁻¹}: {@code ā = -yᵀ·ȳ·yᵀ}.
 *   <li>{@code log|det a|}: {@code ā = seed·a⁻ᵀ}; {@code xᵀa⁻¹x}: {@code x̄ = 2·seed·a⁻¹x}, {@code
 *       ā = -seed·(a⁻¹x)(a⁻¹x)ᵀ}; the eigenvalues λ of symmetric a: {@code ā = Σ λ̄ᵢ·vᵢ·vᵢᵀ}.
 * </ul>
 *
 * <p>sym(m) is {@code (m + mᵀ)/2}: the functions of a symmetric matrix read its symmetric part, so
 * their adjoints are symmetric. Second-order rules are not given: the processor generates
 * Hessians for {@code double}s and their arrays, not for {@code Matrix} parameters.
 */
public final class LinearAlgebraRules {
  private LinearAlgebraRules() {}

  // ---------------------------------------------------------------------------------------------
  // Cholesky and triangular solves

  /** l = chol(a): sym(l⁻ᵀ·Φ(lᵀ·tril(seed))·l⁻¹). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "cholesky")
  public static Matrix cholesky(Matrix a, Matrix value, Matrix seed) {
    Matrix middle = lowerHalvedDiagonal(value.transposedTimes(lowerTriangle(seed)));
    Matrix left = LinearAlgebra.solveLowerTransposed(value, middle);
    return symmetricPart(LinearAlgebra.solveLowerTransposed(value, left.transpose()));
  }

  /** x = l⁻¹b by l: -tril(l⁻ᵀseed·xᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLower", wrt = "l")
  public static Matrix solveLowerL(Matrix l, Matrix b, Matrix value, Matrix seed) {
    return lowerTriangle(LinearAlgebra.solveLowerTransposed(l, seed).timesTransposed(value)).scale(-1);
  }

  /** x = l⁻¹b by b: l⁻ᵀseed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLower", wrt = "b")
  public static Matrix solveLowerB(Matrix l, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveLowerTransposed(l, seed);
  }

  /** x = l⁻ᵀb by l: -tril(x·(l⁻¹seed)ᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLowerTransposed", wrt = "l")
  public static Matrix solveLowerTransposedL(Matrix l, Matrix b, Matrix value, Matrix seed) {
    return lowerTriangle(value.timesTransposed(LinearAlgebra.solveLower(l, seed))).scale(-1);
  }

  /** x = l⁻ᵀb by b: l⁻¹seed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLowerTransposed", wrt = "b")
  public static Matrix solveLowerTransposedB(Matrix l, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveLower(l, seed);
  }

  /** x = u⁻¹b by u: -triu(u⁻ᵀseed·xᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpper", wrt = "u")
  public static Matrix solveUpperU(Matrix u, Matrix b, Matrix value, Matrix seed) {
    return upperTriangle(LinearAlgebra.solveUpperTransposed(u, seed).timesTransposed(value)).scale(-1);
  }

  /** x = u⁻¹b by b: u⁻ᵀseed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpper", wrt = "b")
  public static Matrix solveUpperB(Matrix u, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveUpperTransposed(u, seed);
  }

  /** x = u⁻ᵀb by u: -triu(x·(u⁻¹seed)ᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpperTransposed", wrt = "u")
  public static Matrix solveUpperTransposedU(Matrix u, Matrix b, Matrix value, Matrix seed) {
    return upperTriangle(value.timesTransposed(LinearAlgebra.solveUpper(u, seed))).scale(-1);
  }

  /** x = u⁻ᵀb by b: u⁻¹seed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpperTransposed", wrt = "b")
  public static Matrix solveUpperTransposedB(Matrix u, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveUpper(u, seed);
  }

  // ---------------------------------------------------------------------------------------------
  // Symmetric positive-definite systems

  /** x = a⁻¹b by a: -sym(a⁻¹seed·xᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveSpd", wrt = "a")
  public static Matrix solveSpdA(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return symmetricPart(LinearAlgebra.solveSpd(a, seed).timesTransposed(value)).scale(-1);
  }

  /** x = a⁻¹b by b: a⁻¹seed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveSpd", wrt = "b")
  public static Matrix solveSpdB(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveSpd(a, seed);
  }

  /** log det a: seed·a⁻¹. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "logDeterminantSpd")
  public static Matrix logDeterminantSpd(Matrix a, double seed) {
    return symmetricPart(LinearAlgebra.solveSpd(a, Matrix.identity(a.rows()))).scale(seed);
  }

  /** xᵀa⁻¹x by a: -seed·w·wᵀ with w = a⁻¹x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverseQuadraticForm", wrt = "a")
  public static Matrix inverseQuadraticFormA(Matrix a, Matrix x, double seed) {
    Matrix w = LinearAlgebra.solveSpd(a, x);
    return w.timesTransposed(w).scale(-seed);
  }

  /** xᵀa⁻¹x by x: 2·seed·a⁻¹x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverseQuadraticForm", wrt = "x")
  public static Matrix inverseQuadraticFormX(Matrix a, Matrix x, double seed) {
    return LinearAlgebra.solveSpd(a, x).scale(2 * seed);
  }

  // ---------------------------------------------------------------------------------------------
  // General systems

  /** x = a⁻¹b by a: -a⁻ᵀseed·xᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solve", wrt = "a")
  public static Matrix solveA(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveTransposed(a, seed).timesTransposed(value).scale(-1);
  }

  /** x = a⁻¹b by b: a⁻ᵀseed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solve", wrt = "b")
  public static Matrix solveB(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solveTransposed(a, seed);
  }

  /** x = a⁻ᵀb by a: -x·(a⁻¹seed)ᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveTransposed", wrt = "a")
  public static Matrix solveTransposedA(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return value.timesTransposed(LinearAlgebra.solve(a, seed)).scale(-1);
  }

  /** x = a⁻ᵀb by b: a⁻¹seed. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveTransposed", wrt = "b")
  public static Matrix solveTransposedB(Matrix a, Matrix b, Matrix value, Matrix seed) {
    return LinearAlgebra.solve(a, seed);
  }

  /** y = a⁻¹: -yᵀ·seed·yᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverse")
  public static Matrix inverse(Matrix a, Matrix value, Matrix seed) {
    return value.transposedTimes(seed).timesTransposed(value).scale(-1);
  }

  /** log|det a|: seed·a⁻ᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "logDeterminant")
  public static Matrix logDeterminant(Matrix a, double seed) {
    return LinearAlgebra.solveTransposed(a, Matrix.identity(a.rows())).scale(seed);
  }

  // ---------------------------------------------------------------------------------------------
  // Eigenvalues, diagonals, outer products

  /** λ = eig(a): v·diag(seed)·vᵀ, v the eigenvectors as columns. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "symmetricEigenvalues")
  public static Matrix symmetricEigenvalues(Matrix a, Matrix seed) {
    Matrix vectors = LinearAlgebra.symmetricEigenvectors(a);
    return vectors.times(LinearAlgebra.diag(seed)).timesTransposed(vectors);
  }

  /** diag(v): the diagonal of seed, shaped like v. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "diag")
  public static Matrix diag(Matrix vector, Matrix seed) {
    return shapedLike(LinearAlgebra.diagonal(seed), vector);
  }

  /** The diagonal of a: seed on a's diagonal, 0 elsewhere. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "diagonal")
  public static Matrix diagonal(Matrix a, Matrix seed) {
    return onDiagonal(seed, a.rows(), a.cols());
  }

  /** x·yᵀ by x: seed·y, shaped like x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "outer", wrt = "x")
  public static Matrix outerX(Matrix x, Matrix y, Matrix seed) {
    return shapedLike(seed.times(asColumn(y)), x);
  }

  /** x·yᵀ by y: seedᵀ·x, shaped like y. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "outer", wrt = "y")
  public static Matrix outerY(Matrix x, Matrix y, Matrix seed) {
    return shapedLike(seed.transposedTimes(asColumn(x)), y);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers (not rules), also used by LinearAlgebraTangentRules

  /** (m + mᵀ)/2. */
  static Matrix symmetricPart(Matrix m) {
    return m.plus(m.transpose()).scale(0.5);
  }

  /** The entries on and below the diagonal; zeros above. */
  static Matrix lowerTriangle(Matrix m) {
    return masked(m, true, 1);
  }

  /** The entries on and above the diagonal; zeros below. */
  static Matrix upperTriangle(Matrix m) {
    return masked(m, false, 1);
  }

  /** Murray's Φ: the lower triangle with the diagonal halved. */
  static Matrix lowerHalvedDiagonal(Matrix m) {
    return masked(m, true, 0.5);
  }

  /** A vector as an n×1 column. */
  static Matrix asColumn(Matrix vector) {
    return vector.rows() == 1 ? vector.transpose() : vector;
  }

  /** A column's entries as a row if {@code like} is a row of more than one entry, else as the column. */
  private static Matrix shapedLike(Matrix column, Matrix like) {
    return like.rows() == 1 && like.cols() != 1 ? column.transpose() : column;
  }

  /** A rows×cols matrix with the vector's entries on its diagonal. */
  static Matrix onDiagonal(Matrix vector, int rows, int cols) {
    Matrix column = asColumn(vector);
    double[][] entries = new double[rows][cols];
    for (int i = 0; i < column.rows(); i++) {
      entries[i][i] = column.get(i, 0);
    }
    return rows == 0 ? Matrix.zeros(0, cols) : Matrix.of(entries);
  }

  /** One triangle of m, its diagonal times diagonalFactor, zeros in the other triangle. */
  private static Matrix masked(Matrix m, boolean lower, double diagonalFactor) {
    double[][] entries = m.toArray();
    for (int i = 0; i < entries.length; i++) {
      for (int j = 0; j < entries[i].length; j++) {
        if (i == j) {
          entries[i][j] *= diagonalFactor;
        } else if ((j > i) == lower) {
          entries[i][j] = 0;
        }
      }
    }
    return m.rows() == 0 ? m : Matrix.of(entries);
  }
}
