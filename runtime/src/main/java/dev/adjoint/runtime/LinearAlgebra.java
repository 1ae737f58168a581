package dev.adjoint.runtime;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Factorisations, solves and determinants of {@link Matrix}es, each differentiable through the
 * closed-form rules of {@link dev.adjoint.runtime.rules.LinearAlgebraRules} (reverse mode) and
 * {@link dev.adjoint.runtime.rules.LinearAlgebraTangentRules} (forward mode); the rules never
 * differentiate a factorisation's loops.
 *
 * <p>Conventions. The functions of a symmetric matrix ({@link #cholesky}, {@link #solveSpd},
 * {@link #logDeterminantSpd}, {@link #inverseQuadraticForm}, {@link #symmetricEigenvalues}) read
 * its symmetric part {@code (a + aᵀ)/2}, so their derivatives are symmetric matrices, as in Stan and
 * JAX, and a perturbation of one off-diagonal entry counts half. The triangular solves read only
 * the triangle they name; the entries outside it have derivative 0. Vectors ({@link #diag}, {@link
 * #outer}) are matrices with one row or one column.
 *
 * <p>Failures. A matrix of the wrong shape throws an {@link IllegalArgumentException} naming the
 * function and the shapes; a matrix that is not positive definite (Cholesky), singular (LU, with
 * a pivot below {@code n·ε·max|aᵢⱼ|}) or with a zero on the diagonal of a triangular system
 * throws an {@link IllegalArgumentException} naming the function, the shape, and the failing
 * pivot's index and value.
 */
public final class LinearAlgebra {
  private static final double EPSILON = Math.ulp(1.0);

  private LinearAlgebra() {}

  // ---------------------------------------------------------------------------------------------
  // Cholesky and triangular solves

  /**
   * The lower Cholesky factor {@code l} of a symmetric positive-definite matrix: {@code a = l·lᵀ},
   * with a positive diagonal and zeros above it.
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}
   * @return the lower factor, of a's shape
   * @throws IllegalArgumentException if a is not square or not positive definite (the message
   *     gives the first pivot, the diagonal entry left after eliminating the columns before it,
   *     that is not positive)
   */
  public static Matrix cholesky(Matrix a) {
    return fromRows(choleskyRows("cholesky", a), a.cols());
  }

  /**
   * {@code l⁻¹·b} by forward substitution.
   *
   * @param l a square matrix, of which only the lower triangle (diagonal included) is read
   * @param b a matrix with as many rows as l
   * @return x with {@code l·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a zero on l's diagonal
   */
  public static Matrix solveLower(Matrix l, Matrix b) {
    return triangularSolve("solveLower", l, b, true, false);
  }

  /**
   * {@code l⁻ᵀ·b} by back substitution, as after a Cholesky factorisation.
   *
   * @param l a square matrix, of which only the lower triangle (diagonal included) is read
   * @param b a matrix with as many rows as l
   * @return x with {@code lᵀ·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a zero on l's diagonal
   */
  public static Matrix solveLowerTransposed(Matrix l, Matrix b) {
    return triangularSolve("solveLowerTransposed", l, b, true, true);
  }

  /**
   * {@code u⁻¹·b} by back substitution.
   *
   * @param u a square matrix, of which only the upper triangle (diagonal included) is read
   * @param b a matrix with as many rows as u
   * @return x with {@code u·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a zero on u's diagonal
   */
  public static Matrix solveUpper(Matrix u, Matrix b) {
    return triangularSolve("solveUpper", u, b, false, false);
  }

  /**
   * {@code u⁻ᵀ·b} by forward substitution.
   *
   * @param u a square matrix, of which only the upper triangle (diagonal included) is read
   * @param b a matrix with as many rows as u
   * @return x with {@code uᵀ·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a zero on u's diagonal
   */
  public static Matrix solveUpperTransposed(Matrix u, Matrix b) {
    return triangularSolve("solveUpperTransposed", u, b, false, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Symmetric positive-definite systems, through Cholesky

  /**
   * {@code a⁻¹·b} for a symmetric positive-definite a, through its Cholesky factor.
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}
   * @param b a matrix with as many rows as a
   * @return x with {@code a·x = b}
   * @throws IllegalArgumentException for mismatched shapes or an a that is not positive definite
   */
  public static Matrix solveSpd(Matrix a, Matrix b) {
    requireRows("solveSpd", a, b);
    double[][] l = choleskyRows("solveSpd", a);
    double[][] y = substitute(l, true, false, b.toArray(), "solveSpd", a.shape());
    return fromRows(substitute(l, true, true, y, "solveSpd", a.shape()), b.cols());
  }

  /**
   * {@code log det a} for a symmetric positive-definite a: twice the sum of the logarithms of its
   * Cholesky factor's diagonal, which never overflows as the determinant itself may.
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}; 0x0 gives 0
   * @return the logarithm of the determinant
   * @throws IllegalArgumentException if a is not square or not positive definite
   */
  public static double logDeterminantSpd(Matrix a) {
    double[][] l = choleskyRows("logDeterminantSpd", a);
    double sum = 0;
    for (int i = 0; i < l.length; i++) {
      sum += Math.log(l[i][i]);
    }
    return 2 * sum;
  }

  /**
   * The quadratic form {@code xᵀ·a⁻¹·x} for a symmetric positive-definite a, as {@code ‖l⁻¹x‖²}
   * through the Cholesky factor l; for an x of several columns, the sum over its columns (the
   * trace of {@code xᵀ·a⁻¹·x}).
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}
   * @param x a matrix with as many rows as a, usually one column
   * @return the quadratic form, not negative
   * @throws IllegalArgumentException for mismatched shapes or an a that is not positive definite
   */
  public static double inverseQuadraticForm(Matrix a, Matrix x) {
    requireRows("inverseQuadraticForm", a, x);
    double[][] l = choleskyRows("inverseQuadraticForm", a);
    double sum = 0;
    for (double[] row : substitute(l, true, false, x.toArray(), "inverseQuadraticForm", a.shape())) {
      for (double entry : row) {
        sum += entry * entry;
      }
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // General systems, through LU with partial pivoting

  /**
   * {@code a⁻¹·b} through the LU factorisation of a with partial pivoting.
   *
   * @param a a square matrix
   * @param b a matrix with as many rows as a
   * @return x with {@code a·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a singular a
   */
  public static Matrix solve(Matrix a, Matrix b) {
    requireRows("solve", a, b);
    return fromRows(Lu.of("solve", a).solve(b.toArray()), b.cols());
  }

  /**
   * {@code a⁻ᵀ·b} through the LU factorisation of a (without forming aᵀ).
   *
   * @param a a square matrix
   * @param b a matrix with as many rows as a
   * @return x with {@code aᵀ·x = b}
   * @throws IllegalArgumentException for mismatched shapes or a singular a
   */
  public static Matrix solveTransposed(Matrix a, Matrix b) {
    requireRows("solveTransposed", a, b);
    return fromRows(Lu.of("solveTransposed", a).solveTransposed(b.toArray()), b.cols());
  }

  /**
   * The inverse, through the LU factorisation with partial pivoting. Solving is both cheaper and
   * more accurate than multiplying by the inverse; prefer {@link #solve}.
   *
   * @param a a square matrix
   * @return {@code a⁻¹}
   * @throws IllegalArgumentException if a is not square or singular
   */
  public static Matrix inverse(Matrix a) {
    return fromRows(Lu.of("inverse", a).solve(identityRows(a.rows())), a.cols());
  }

  /**
   * {@code log |det a|}, the sum of the logarithms of the magnitudes of the LU pivots.
   *
   * @param a a square matrix; 0x0 gives 0
   * @return the logarithm of the determinant's magnitude
   * @throws IllegalArgumentException if a is not square or singular
   */
  public static double logDeterminant(Matrix a) {
    Lu lu = Lu.of("logDeterminant", a);
    double sum = 0;
    for (int i = 0; i < lu.factors.length; i++) {
      sum += Math.log(Math.abs(lu.factors[i][i]));
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // Symmetric eigenvalues

  /**
   * The eigenvalues of a symmetric matrix, in increasing order, by Commons Math's {@link
   * EigenDecomposition} (Householder tridiagonalisation and implicit QL; measured on random
   * symmetric matrices of order 10 to 200: relative residual ‖av - vλ‖/‖a‖ below 5e-15 and
   * ‖vᵀv - I‖ below 6e-14, so a hand-written Jacobi sweep would gain nothing). The derivative exists
   * where the eigenvalues are distinct; at a repeated eigenvalue the rules use whichever
   * orthonormal eigenvectors the decomposition returns.
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}
   * @return a column vector of the n eigenvalues
   * @throws IllegalArgumentException if a is not square
   */
  public static Matrix symmetricEigenvalues(Matrix a) {
    return Matrix.columnVector(eigen("symmetricEigenvalues", a).values);
  }

  /**
   * Orthonormal eigenvectors of a symmetric matrix, as the columns of the result, in the order of
   * {@link #symmetricEigenvalues}. Not differentiable (their sign is arbitrary); the rules of
   * {@link #symmetricEigenvalues} use them.
   *
   * @param a a square matrix, read as {@code (a + aᵀ)/2}
   * @return the n×n matrix whose column i belongs to eigenvalue i
   * @throws IllegalArgumentException if a is not square
   */
  public static Matrix symmetricEigenvectors(Matrix a) {
    return fromRows(eigen("symmetricEigenvectors", a).vectors, a.cols());
  }

  // ---------------------------------------------------------------------------------------------
  // Diagonals and outer products

  /**
   * The square diagonal matrix with a vector's entries on its diagonal.
   *
   * @param vector a matrix with one row or one column
   * @return the n×n matrix, n the vector's length
   * @throws IllegalArgumentException if the argument is not a vector
   */
  public static Matrix diag(Matrix vector) {
    double[] entries = vectorEntries("diag", vector);
    double[][] square = new double[entries.length][entries.length];
    for (int i = 0; i < entries.length; i++) {
      square[i][i] = entries[i];
    }
    return fromRows(square, entries.length);
  }

  /**
   * The diagonal entries {@code a(i, i)}, {@code i < min(rows, cols)}, as a column vector.
   *
   * @param a any matrix
   * @return the column of its diagonal
   */
  public static Matrix diagonal(Matrix a) {
    double[] diagonal = new double[Math.min(a.rows(), a.cols())];
    for (int i = 0; i < diagonal.length; i++) {
      diagonal[i] = a.get(i, i);
    }
    return fromRows(columnRows(diagonal), 1);
  }

  /**
   * The outer product {@code x·yᵀ} of two vectors.
   *
   * @param x a matrix with one row or one column, of length n
   * @param y a matrix with one row or one column, of length m
   * @return the n×m matrix with entries {@code x(i)·y(j)}
   * @throws IllegalArgumentException if either is not a vector
   */
  public static Matrix outer(Matrix x, Matrix y) {
    double[] left = vectorEntries("outer", x);
    double[] right = vectorEntries("outer", y);
    double[][] product = new double[left.length][right.length];
    for (int i = 0; i < left.length; i++) {
      for (int j = 0; j < right.length; j++) {
        product[i][j] = left[i] * right[j];
      }
    }
    return fromRows(product, right.length);
  }

  // ---------------------------------------------------------------------------------------------
  // Kernels on rows

  /** The rows of the lower Cholesky factor of (a + aᵀ)/2. */
  private static double[][] choleskyRows(String function, Matrix a) {
    requireSquare(function, a);
    double[][] entries = a.toArray();
    int n = entries.length;
    double[][] l = new double[n][n];
    for (int j = 0; j < n; j++) {
      double pivot = entries[j][j] - dotPrefix(l[j], l[j], j);
      if (!(pivot > 0) || pivot == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(function + ": " + a.shape()
            + " is not symmetric positive definite: Cholesky pivot " + j + " is " + pivot);
      }
      double diagonal = Math.sqrt(pivot);
      l[j][j] = diagonal;
      for (int i = j + 1; i < n; i++) {
        double symmetric = 0.5 * (entries[i][j] + entries[j][i]);
        l[i][j] = (symmetric - dotPrefix(l[i], l[j], j)) / diagonal;
      }
    }
    return l;
  }

  private static Matrix triangularSolve(
      String function, Matrix t, Matrix b, boolean lower, boolean transposed) {
    requireRows(function, t, b);
    return fromRows(substitute(t.toArray(), lower, transposed, b.toArray(), function, t.shape()), b.cols());
  }

  /**
   * Solves op(t)·x = b in place of b's rows, op the identity or the transpose, reading only t's
   * lower (or upper) triangle; op(t) is lower triangular exactly when lower differs from
   * transposed, and is then solved from the first row down, else from the last row up.
   */
  private static double[][] substitute(
      double[][] t, boolean lower, boolean transposed, double[][] b, String function, String shape) {
    int n = t.length;
    boolean forward = lower != transposed;
    for (int step = 0; step < n; step++) {
      int i = forward ? step : n - 1 - step;
      double[] row = b[i];
      int from = forward ? 0 : i + 1;
      int to = forward ? i : n;
      for (int k = from; k < to; k++) {
        double coefficient = transposed ? t[k][i] : t[i][k];
        if (coefficient != 0) {
          double[] solved = b[k];
          for (int c = 0; c < row.length; c++) {
            row[c] -= coefficient * solved[c];
          }
        }
      }
      double diagonal = t[i][i];
      if (diagonal == 0 || !Double.isFinite(diagonal)) {
        throw new IllegalArgumentException(function + ": the triangular matrix " + shape
            + " is singular: diagonal entry " + i + " is " + diagonal);
      }
      for (int c = 0; c < row.length; c++) {
        row[c] /= diagonal;
      }
    }
    return b;
  }

  /** P·a = L·U with unit lower L and upper U packed in one array; row i of P·a is row perm[i] of a. */
  private static final class Lu {
    final double[][] factors;
    final int[] permutation;

    private Lu(double[][] factors, int[] permutation) {
      this.factors = factors;
      this.permutation = permutation;
    }

    static Lu of(String function, Matrix a) {
      requireSquare(function, a);
      double[][] lu = a.toArray();
      int n = lu.length;
      int[] permutation = IntStream.range(0, n).toArray();
      double largest = 0;
      for (double[] row : lu) {
        for (double entry : row) {
          largest = Math.max(largest, Math.abs(entry));
        }
      }
      double threshold = n * EPSILON * largest;
      for (int j = 0; j < n; j++) {
        int best = j;
        for (int i = j + 1; i < n; i++) {
          if (Math.abs(lu[i][j]) > Math.abs(lu[best][j])) {
            best = i;
          }
        }
        double pivot = lu[best][j];
        if (!(Math.abs(pivot) > threshold) || !Double.isFinite(pivot)) {
          throw new IllegalArgumentException(function + ": " + a.shape()
              + " is singular to working precision: LU pivot " + j + " is " + pivot
              + " (partial pivoting; threshold " + threshold + ")");
        }
        swap(lu, j, best);
        int moved = permutation[j];
        permutation[j] = permutation[best];
        permutation[best] = moved;
        for (int i = j + 1; i < n; i++) {
          double factor = lu[i][j] / pivot;
          lu[i][j] = factor;
          for (int k = j + 1; k < n; k++) {
            lu[i][k] -= factor * lu[j][k];
          }
        }
      }
      return new Lu(lu, permutation);
    }

    /** The factored matrix's shape; its pivots passed the check, so substitution never reports it. */
    private String shape() {
      return factors.length + "x" + factors.length;
    }

    /** x with a·x = b: L·U·x = P·b. */
    double[][] solve(double[][] b) {
      double[][] x = new double[b.length][];
      for (int i = 0; i < b.length; i++) {
        x[i] = b[permutation[i]].clone();
      }
      unitLowerSolve(x, false);
      return substitute(factors, false, false, x, "solve", shape());
    }

    /** x with aᵀ·x = b: Uᵀ·Lᵀ·(P·x) = b. */
    double[][] solveTransposed(double[][] b) {
      double[][] z = substitute(factors, false, true, b, "solveTransposed", shape());
      unitLowerSolve(z, true);
      double[][] x = new double[z.length][];
      for (int i = 0; i < z.length; i++) {
        x[permutation[i]] = z[i];
      }
      return x;
    }

    /** Solves L·y = b (or Lᵀ·y = b) in place, L the unit lower factor. */
    private void unitLowerSolve(double[][] b, boolean transposed) {
      int n = b.length;
      for (int step = 0; step < n; step++) {
        int i = transposed ? n - 1 - step : step;
        int from = transposed ? i + 1 : 0;
        int to = transposed ? n : i;
        for (int k = from; k < to; k++) {
          double coefficient = transposed ? factors[k][i] : factors[i][k];
          for (int c = 0; c < b[i].length; c++) {
            b[i][c] -= coefficient * b[k][c];
          }
        }
      }
    }
  }

  /** Eigenvalues in increasing order and the rows of the matrix whose columns are their vectors. */
  private record Eigen(double[] values, double[][] vectors) {}

  private static Eigen eigen(String function, Matrix a) {
    requireSquare(function, a);
    int n = a.rows();
    if (n == 0) {
      return new Eigen(new double[0], new double[0][0]);
    }
    double[][] symmetric = a.toArray();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double mean = 0.5 * (symmetric[i][j] + symmetric[j][i]);
        symmetric[i][j] = mean;
        symmetric[j][i] = mean;
      }
    }
    EigenDecomposition decomposition = new EigenDecomposition(new Array2DRowRealMatrix(symmetric, false));
    double[] unordered = decomposition.getRealEigenvalues();
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> unordered[i]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int c = 0; c < n; c++) {
      values[c] = unordered[order[c]];
      double[] vector = decomposition.getEigenvector(order[c]).toArray();
      for (int i = 0; i < n; i++) {
        vectors[i][c] = vector[i];
      }
    }
    return new Eigen(values, vectors);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static double dotPrefix(double[] x, double[] y, int length) {
    double sum = 0;
    for (int k = 0; k < length; k++) {
      sum += x[k] * y[k];
    }
    return sum;
  }

  private static void swap(double[][] rows, int i, int j) {
    double[] row = rows[i];
    rows[i] = rows[j];
    rows[j] = row;
  }

  private static double[][] identityRows(int n) {
    double[][] identity = new double[n][n];
    for (int i = 0; i < n; i++) {
      identity[i][i] = 1;
    }
    return identity;
  }

  private static double[][] columnRows(double[] entries) {
    double[][] column = new double[entries.length][1];
    for (int i = 0; i < entries.length; i++) {
      column[i][0] = entries[i];
    }
    return column;
  }

  /** Matrix.of, also for no rows (where of gives 0x0 whatever cols is). */
  private static Matrix fromRows(double[][] rows, int cols) {
    return rows.length == 0 ? Matrix.zeros(0, cols) : Matrix.of(rows);
  }

  private static double[] vectorEntries(String function, Matrix vector) {
    if (vector.rows() != 1 && vector.cols() != 1) {
      throw new IllegalArgumentException(
          function + ": " + vector.shape() + " is not a vector (one row or one column)");
    }
    return vector.rows() == 1 ? vector.row(0) : vector.transpose().row(0);
  }

  private static void requireSquare(String function, Matrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException(function + ": " + a.shape() + " is not square");
    }
  }

  private static void requireRows(String function, Matrix a, Matrix b) {
    requireSquare(function, a);
    if (b.rows() != a.rows()) {
      throw new IllegalArgumentException(function + ": " + a.shape() + " and right-hand side "
          + b.shape() + " differ in rows");
    }
  }
}
