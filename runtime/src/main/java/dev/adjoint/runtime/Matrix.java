package dev.adjoint.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A dense, row-major matrix of {@code double}s, immutable through its API: every operation returns
 * a new matrix and no method exposes the backing array.
 *
 * <p>Every differentiable operation has a derivative rule in {@link
 * dev.adjoint.runtime.rules.MatrixRules} (reverse mode) and one in {@link
 * dev.adjoint.runtime.rules.MatrixTangentRules} (forward mode), so {@code @Differentiable} code can
 * compute with matrices: {@code x.times(w).addRowVector(b).tanh()}.
 *
 * <p>Shapes are written {@code rows x cols}, such as {@code 3x4}; either may be 0. An operation
 * given matrices of the wrong shapes, or an index outside the matrix, throws an {@link
 * IllegalArgumentException} that names the operation and the shapes involved. Functions that are
 * undefined at some inputs ({@code log} of a negative number, {@code sqrt} of one) give {@code
 * NaN} there, as {@link Math} does.
 *
 * <p>The matrix products ({@link #times}, {@link #timesTransposed}, {@link #transposedTimes}) are
 * pure-Java kernels arranged so that the innermost loop walks contiguous memory; see {@link
 * #times} for how they were chosen.
 */
public final class Matrix {
  // The largest array length every JVM allocates.
  private static final int MAX_SIZE = Integer.MAX_VALUE - 8;
  // toString shows at most this many rows and columns; beyond, the first few and the last one.
  private static final int SHOWN = 6;

  private final int rows;
  private final int cols;
  // Row-major: entry (i, j) is data[i * cols + j]. Never leaves this class.
  private final double[] data;

  /** Takes ownership of {@code data}, which must have {@code rows * cols} entries. */
  private Matrix(int rows, int cols, double[] data) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  // ---------------------------------------------------------------------------------------------
  // Factories

  /**
   * A matrix with a copy of the given rows.
   *
   * @param rows one array per row, all of the same length; no rows gives a 0x0 matrix
   * @return the matrix
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static Matrix of(double[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      return new Matrix(0, 0, new double[0]);
    }
    int cols = Objects.requireNonNull(rows[0], "row 0").length;
    double[] data = new double[checkedSize("of", rows.length, cols)];
    for (int i = 0; i < rows.length; i++) {
      double[] row = Objects.requireNonNull(rows[i], "row " + i);
      if (row.length != cols) {
        throw new IllegalArgumentException(
            "of: row " + i + " has " + row.length + " entries but row 0 has " + cols);
      }
      System.arraycopy(row, 0, data, i * cols, cols);
    }
    return new Matrix(rows.length, cols, data);
  }

  /**
   * A matrix of zeros.
   *
   * @param rows the number of rows, not negative
   * @param cols the number of columns, not negative
   * @return the matrix
   * @throws IllegalArgumentException if a dimension is negative or the matrix is too large
   */
  public static Matrix zeros(int rows, int cols) {
    return new Matrix(rows, cols, new double[checkedSize("zeros", rows, cols)]);
  }

  /**
   * A matrix with every entry equal to {@code value}.
   *
   * @param rows the number of rows, not negative
   * @param cols the number of columns, not negative
   * @param value the value of every entry
   * @return the matrix
   * @throws IllegalArgumentException if a dimension is negative or the matrix is too large
   */
  public static Matrix filled(int rows, int cols, double value) {
    double[] data = new double[checkedSize("filled", rows, cols)];
    Arrays.fill(data, value);
    return new Matrix(rows, cols, data);
  }

  /**
   * The n×n identity matrix.
   *
   * @param n the number of rows and columns, not negative
   * @return the matrix
   * @throws IllegalArgumentException if {@code n} is negative or the matrix is too large
   */
  public static Matrix identity(int n) {
    double[] data = new double[checkedSize("identity", n, n)];
    for (int i = 0; i < n; i++) {
      data[i * n + i] = 1;
    }
    return new Matrix(n, n, data);
  }

  /**
   * A 1×n matrix of the given values.
   *
   * @param values the entries, copied
   * @return the row vector
   */
  public static Matrix rowVector(double... values) {
    return new Matrix(1, values.length, values.clone());
  }

  /**
   * An n×1 matrix of the given values.
   *
   * @param values the entries, copied
   * @return the column vector
   */
  public static Matrix columnVector(double... values) {
    return new Matrix(values.length, 1, values.clone());
  }

  /**
   * A matrix of independent normal samples with mean 0, filled row by row from {@code new
   * Random(seed)}: the same seed gives the same matrix on every JVM.
   *
   * @param rows the number of rows, not negative
   * @param cols the number of columns, not negative
   * @param standardDeviation the samples' standard deviation, finite and not negative
   * @param seed the seed of the random generator
   * @return the matrix
   * @throws IllegalArgumentException if a dimension or the standard deviation is negative
   */
  public static Matrix randomNormal(int rows, int cols, double standardDeviation, long seed) {
    if (!(standardDeviation >= 0 && Double.isFinite(standardDeviation))) {
      throw new IllegalArgumentException(
          "randomNormal: the standard deviation must be finite and not negative, got "
              + standardDeviation);
    }
    double[] data = new double[checkedSize("randomNormal", rows, cols)];
    Random random = new Random(seed);
    for (int i = 0; i < data.length; i++) {
      data[i] = standardDeviation * random.nextGaussian();
    }
    return new Matrix(rows, cols, data);
  }

  /**
   * Glorot (Xavier) uniform initialisation: independent samples uniform in {@code ±sqrt(6 / (rows
   * + cols))}, filled row by row from {@code new Random(seed)}. Suits a weight matrix of {@code
   * rows} inputs and {@code cols} outputs followed by {@code tanh} or {@code sigmoid}.
   *
   * @param rows the number of rows (fan-in), not negative
   * @param cols the number of columns (fan-out), not negative
   * @param seed the seed of the random generator
   * @return the matrix
   * @throws IllegalArgumentException if a dimension is negative
   */
  public static Matrix glorotUniform(int rows, int cols, long seed) {
    double[] data = new double[checkedSize("glorotUniform", rows, cols)];
    if (data.length > 0) {
      double limit = Math.sqrt(6.0 / ((double) rows + cols));
      Random random = new Random(seed);
      for (int i = 0; i < data.length; i++) {
        data[i] = limit * (2 * random.nextDouble() - 1);
      }
    }
    return new Matrix(rows, cols, data);
  }

  /**
   * A copy of a Commons Math matrix.
   *
   * @param m the matrix to copy
   * @return the matrix
   */
  public static Matrix fromRealMatrix(RealMatrix m) {
    return of(m.getData());
  }

  /**
   * A copy as a Commons Math matrix, for its decompositions and solvers.
   *
   * @return a new {@link Array2DRowRealMatrix}
   * @throws IllegalArgumentException if this matrix has no entries (Commons Math has no empty
   *     matrices)
   */
  public RealMatrix toRealMatrix() {
    if (data.length == 0) {
      throw new IllegalArgumentException(
          "toRealMatrix: " + shape() + " is empty, and a RealMatrix cannot be");
    }
    return new Array2DRowRealMatrix(toArray(), false);
  }

  // ---------------------------------------------------------------------------------------------
  // Access

  /**
   * The number of rows.
   *
   * @return the number of rows
   */
  public int rows() {
    return rows;
  }

  /**
   * The number of columns.
   *
   * @return the number of columns
   */
  public int cols() {
    return cols;
  }

  /**
   * One entry.
   *
   * @param row the row index, from 0
   * @param col the column index, from 0
   * @return the entry
   * @throws IllegalArgumentException if the index is outside the matrix
   */
  public double get(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IllegalArgumentException(
          "get: index (" + row + ", " + col + ") is outside " + shape());
    }
    return data[row * cols + col];
  }

  /**
   * A copy of the entries.
   *
   * @return a new array of {@link #rows()} new arrays of {@link #cols()} entries
   */
  public double[][] toArray() {
    double[][] copy = new double[rows][];
    for (int i = 0; i < rows; i++) {
      copy[i] = Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }
    return copy;
  }

  /**
   * A copy of one row.
   *
   * @param i the row index, from 0
   * @return a new array of {@link #cols()} entries
   * @throws IllegalArgumentException if the row does not exist
   */
  public double[] row(int i) {
    if (i < 0 || i >= rows) {
      throw new IllegalArgumentException("row: index " + i + " is outside the rows of " + shape());
    }
    return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
  }

  /**
   * Whether both matrices have the same numbers of rows and of columns.
   *
   * @param other the other matrix
   * @return true if the shapes are equal
   */
  public boolean sameShape(Matrix other) {
    return rows == other.rows && cols == other.cols;
  }

  /**
   * The shape, as in error messages.
   *
   * @return {@code rows + "x" + cols}, such as {@code "3x4"}
   */
  public String shape() {
    return rows + "x" + cols;
  }

  /**
   * Equal shapes and numerically equal entries: {@code 0.0} equals {@code -0.0}, as with {@code
   * ==}, and {@code NaN} equals {@code NaN}, so that a matrix equals itself.
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Matrix matrix) || rows != matrix.rows || cols != matrix.cols) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      double x = data[i];
      double y = matrix.data[i];
      if (x != y && !(Double.isNaN(x) && Double.isNaN(y))) {
        return false;
      }
    }
    return true;
  }

  /** Consistent with {@link #equals}: {@code -0.0} hashes as {@code 0.0}. */
  @Override
  public int hashCode() {
    int hash = 31 * rows + cols;
    for (double value : data) {
      hash = 31 * hash + Double.hashCode(value == 0 ? 0.0 : value);
    }
    return hash;
  }

  /**
   * The shape and the entries to four significant digits, such as {@code Matrix 2x2 [[1, 0.5],
   * [-2, 3.142]]}; a matrix with many rows or columns shows the first five and the last, with
   * {@code ...} between.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Matrix ").append(shape()).append(" [");
    for (int i : shownIndices(rows)) {
      if (i < 0) {
        text.append(", ...");
        continue;
      }
      if (text.charAt(text.length() - 1) != '[') {
        text.append(", ");
      }
      text.append('[');
      boolean first = true;
      for (int j : shownIndices(cols)) {
        if (!first) {
          text.append(", ");
        }
        first = false;
        text.append(j < 0 ? "..." : shortNumber(data[i * cols + j]));
      }
      text.append(']');
    }
    return text.append(']').toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Matrix products
  //
  // How the kernels were chosen: a throw-away System.nanoTime harness (not a test), JDK 17.0.15
  // C2 on a 2-core AMD EPYC (64 KB L1d, 1 MB L2) shared with other work, each variant in a fresh
  // JVM warmed up on all the shapes below together (as in training), best of 7 timings per shape.
  // Load from other processes made whole runs up to 2x slower; these are the quiet runs.
  // GFLOP/s = 2·m·k·n / time; at 4 GFLOP/s a 256x64·64x128 product takes about 1 ms.
  //
  //   this · other                      256x64·64x128  256x128·128x10  256x128·128x64  64x256·256x128
  //   naive i-j-k (dot products)             0.9             1.1             0.9             0.9
  //   i-k-j                                  1.6             1.6             1.5             2.4
  //   i-k-j, k unrolled by 4                 3.8             2.8             3.8             3.8
  //   i-k-j, 2 rows at once, k by 4          3.9             3.7             4.5             4.4   <- kept
  //   Blocking k by 64 or 128 and j by 512 on top of these gained nothing at these sizes (an
  //   operand fits in L2) and sometimes lost 20%, so there is none.
  //
  //   thisᵀ · other, (256x64)ᵀ·256x128 and (256x128)ᵀ·256x10: the same kernel reading this by
  //   columns, 4.5 and 3.7 (k outermost, rank-1 updates: 2.7 and 1.8).
  //
  //   this · otherᵀ                     256x128·(64x128)ᵀ  256x10·(128x10)ᵀ  256x64·(128x64)ᵀ
  //   naive dot products                      1.4                1.8               2.1
  //   transposing other, then i-k-j           3.5                2.0               2.2
  //   1 row x 4 columns of dot products       2.9                2.9               3.0
  //   2 rows x 4 columns of dot products      5.5                4.3               5.4   <- kept
  //
  // Through the public API, allocation included (quiet run): x·W1 256x64·64x128 886 us (4.7),
  // h·W2 256x128·128x10 175 us (3.8), d·W2ᵀ 256x10·(128x10)ᵀ 173 us (3.8), hᵀ·d (256x128)ᵀ·256x10
  // 172 us (3.8), dh·W1ᵀ 256x128·(64x128)ᵀ 746 us (5.6), xᵀ·dh (256x64)ᵀ·256x128 850 us (4.9).
  //
  // So times and transposedTimes share multiplyInto (2 rows of the result at a time, k unrolled
  // by 4, j innermost over contiguous rows of other and of the result), and timesTransposed uses
  // dotProductsInto (a 2x4 tile of dot products: 8 independent sums, both operands read along
  // their rows).

  /**
   * The matrix product {@code this · other}.
   *
   * @param other a matrix with as many rows as this has columns
   * @return the {@code rows() x other.cols()} product
   * @throws IllegalArgumentException if the inner dimensions differ
   */
  public Matrix times(Matrix other) {
    if (cols != other.rows) {
      throw new IllegalArgumentException(
          "times: "
              + shape()
              + " cannot multiply "
              + other.shape()
              + " (columns of the left must equal rows of the right)");
    }
    double[] product = new double[checkedSize("times", rows, other.cols)];
    multiplyInto(data, cols, 1, other.data, product, rows, cols, other.cols);
    return new Matrix(rows, other.cols, product);
  }

  /**
   * The product {@code this · otherᵀ}, without forming the transpose.
   *
   * @param other a matrix with as many columns as this
   * @return the {@code rows() x other.rows()} product
   * @throws IllegalArgumentException if the numbers of columns differ
   */
  public Matrix timesTransposed(Matrix other) {
    if (cols != other.cols) {
      throw new IllegalArgumentException(
          "timesTransposed: "
              + shape()
              + " cannot multiply the transpose of "
              + other.shape()
              + " (both must have the same number of columns)");
    }
    double[] product = new double[checkedSize("timesTransposed", rows, other.rows)];
    dotProductsInto(data, other.data, product, rows, cols, other.rows);
    return new Matrix(rows, other.rows, product);
  }

  /**
   * The product {@code thisᵀ · other}, without forming the transpose.
   *
   * @param other a matrix with as many rows as this
   * @return the {@code cols() x other.cols()} product
   * @throws IllegalArgumentException if the numbers of rows differ
   */
  public Matrix transposedTimes(Matrix other) {
    if (rows != other.rows) {
      throw new IllegalArgumentException(
          "transposedTimes: the transpose of "
              + shape()
              + " cannot multiply "
              + other.shape()
              + " (both must have the same number of rows)");
    }
    double[] product = new double[checkedSize("transposedTimes", cols, other.cols)];
    // Entry (i, p) of thisᵀ is data[p * cols + i].
    multiplyInto(data, 1, cols, other.data, product, cols, rows, other.cols);
    return new Matrix(cols, other.cols, product);
  }

  /**
   * The transpose.
   *
   * @return the {@code cols() x rows()} matrix whose entry (j, i) is this one's (i, j)
   */
  public Matrix transpose() {
    double[] transposed = new double[data.length];
    for (int i = 0; i < rows; i++) {
      int from = i * cols;
      for (int j = 0; j < cols; j++) {
        transposed[j * rows + i] = data[from + j];
      }
    }
    return new Matrix(cols, rows, transposed);
  }

  /**
   * {@code c += A·b} for row-major {@code b} (k×n) and {@code c} (m×n), where entry (i, p) of A is
   * {@code a[i * aRowStride + p * aStepStride]}: {@code (k, 1)} reads a row-major m×k matrix,
   * {@code (1, m)} the transpose of a row-major k×m one.
   */
  private static void multiplyInto(
      double[] a, int aRowStride, int aStepStride, double[] b, double[] c, int m, int k, int n) {
    int s = aStepStride;
    int i = 0;
    for (; i + 1 < m; i += 2) {
      int c0 = i * n;
      int c1 = c0 + n;
      int a0 = i * aRowStride;
      int a1 = a0 + aRowStride;
      int p = 0;
      for (; p + 3 < k; p += 4) {
        double x0 = a[a0 + p * s];
        double x1 = a[a0 + (p + 1) * s];
        double x2 = a[a0 + (p + 2) * s];
        double x3 = a[a0 + (p + 3) * s];
        double y0 = a[a1 + p * s];
        double y1 = a[a1 + (p + 1) * s];
        double y2 = a[a1 + (p + 2) * s];
        double y3 = a[a1 + (p + 3) * s];
        int b0 = p * n;
        int b1 = b0 + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        for (int j = 0; j < n; j++) {
          double v0 = b[b0 + j];
          double v1 = b[b1 + j];
          double v2 = b[b2 + j];
          double v3 = b[b3 + j];
          c[c0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
          c[c1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
        }
      }
      for (; p < k; p++) {
        double x = a[a0 + p * s];
        double y = a[a1 + p * s];
        int bp = p * n;
        for (int j = 0; j < n; j++) {
          double v = b[bp + j];
          c[c0 + j] += x * v;
          c[c1 + j] += y * v;
        }
      }
    }
    if (i < m) {
      int c0 = i * n;
      int a0 = i * aRowStride;
      for (int p = 0; p < k; p++) {
        double x = a[a0 + p * s];
        int bp = p * n;
        for (int j = 0; j < n; j++) {
          c[c0 + j] += x * b[bp + j];
        }
      }
    }
  }

  /** {@code c = a·bᵀ} for row-major {@code a} (m×k), {@code b} (n×k) and {@code c} (m×n). */
  private static void dotProductsInto(double[] a, double[] b, double[] c, int m, int k, int n) {
    int i = 0;
    for (; i + 1 < m; i += 2) {
      int a0 = i * k;
      int a1 = a0 + k;
      int c0 = i * n;
      int c1 = c0 + n;
      int j = 0;
      for (; j + 3 < n; j += 4) {
        int b0 = j * k;
        int b1 = b0 + k;
        int b2 = b1 + k;
        int b3 = b2 + k;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (int p = 0; p < k; p++) {
          double x = a[a0 + p];
          double y = a[a1 + p];
          double v0 = b[b0 + p];
          double v1 = b[b1 + p];
          double v2 = b[b2 + p];
          double v3 = b[b3 + p];
          s00 += x * v0;
          s01 += x * v1;
          s02 += x * v2;
          s03 += x * v3;
          s10 += y * v0;
          s11 += y * v1;
          s12 += y * v2;
          s13 += y * v3;
        }
        c[c0 + j] = s00;
        c[c0 + j + 1] = s01;
        c[c0 + j + 2] = s02;
        c[c0 + j + 3] = s03;
        c[c1 + j] = s10;
        c[c1 + j + 1] = s11;
        c[c1 + j + 2] = s12;
        c[c1 + j + 3] = s13;
      }
      for (; j < n; j++) {
        int bj = j * k;
        double s0 = 0;
        double s1 = 0;
        for (int p = 0; p < k; p++) {
          double v = b[bj + p];
          s0 += a[a0 + p] * v;
          s1 += a[a1 + p] * v;
        }
        c[c0 + j] = s0;
        c[c1 + j] = s1;
      }
    }
    if (i < m) {
      int a0 = i * k;
      for (int j = 0; j < n; j++) {
        int bj = j * k;
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += a[a0 + p] * b[bj + p];
        }
        c[i * n + j] = sum;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise arithmetic

  /**
   * The element-wise sum.
   *
   * @param other a matrix of the same shape
   * @return {@code this + other}
   * @throws IllegalArgumentException if the shapes differ
   */
  public Matrix plus(Matrix other) {
    requireSameShape("plus", other);
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] + other.data[i];
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * The element-wise difference.
   *
   * @param other a matrix of the same shape
   * @return {@code this - other}
   * @throws IllegalArgumentException if the shapes differ
   */
  public Matrix minus(Matrix other) {
    requireSameShape("minus", other);
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] - other.data[i];
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * The element-wise (Hadamard) product.
   *
   * @param other a matrix of the same shape
   * @return the matrix of {@code this(i, j) * other(i, j)}
   * @throws IllegalArgumentException if the shapes differ
   */
  public Matrix multiply(Matrix other) {
    requireSameShape("multiply", other);
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] * other.data[i];
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * The element-wise quotient.
   *
   * @param other a matrix of the same shape
   * @return the matrix of {@code this(i, j) / other(i, j)}
   * @throws IllegalArgumentException if the shapes differ
   */
  public Matrix divide(Matrix other) {
    requireSameShape("divide", other);
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] / other.data[i];
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * Every entry times a factor.
   *
   * @param factor the factor
   * @return {@code factor · this}
   */
  public Matrix scale(double factor) {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] * factor;
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * Every entry plus a number.
   *
   * @param offset the number added to every entry
   * @return the matrix of {@code this(i, j) + offset}
   */
  public Matrix plusScalar(double offset) {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] + offset;
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * Adds a row vector to every row: the bias of a dense layer, {@code x.times(w).addRowVector(b)}.
   *
   * @param row a {@code 1 x cols()} matrix
   * @return the matrix of {@code this(i, j) + row(0, j)}
   * @throws IllegalArgumentException if {@code row} is not {@code 1 x cols()}
   */
  public Matrix addRowVector(Matrix row) {
    if (row.rows != 1 || row.cols != cols) {
      throw new IllegalArgumentException(
          "addRowVector: cannot add "
              + row.shape()
              + " to every row of "
              + shape()
              + " (the row vector must be 1x"
              + cols
              + ")");
    }
    double[] result = new double[data.length];
    for (int i = 0; i < rows; i++) {
      int from = i * cols;
      for (int j = 0; j < cols; j++) {
        result[from + j] = data[from + j] + row.data[j];
      }
    }
    return new Matrix(rows, cols, result);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions

  /**
   * The sum of all entries.
   *
   * @return the sum; 0 for an empty matrix
   */
  public double sum() {
    double sum = 0;
    for (double value : data) {
      sum += value;
    }
    return sum;
  }

  /**
   * The mean of all entries.
   *
   * @return the mean; {@code NaN} for an empty matrix
   */
  public double mean() {
    return sum() / data.length;
  }

  /**
   * The sum of each row.
   *
   * @return a {@code rows() x 1} matrix
   */
  public Matrix rowSums() {
    double[] sums = new double[rows];
    for (int i = 0; i < rows; i++) {
      double sum = 0;
      for (int j = i * cols, end = j + cols; j < end; j++) {
        sum += data[j];
      }
      sums[i] = sum;
    }
    return new Matrix(rows, 1, sums);
  }

  /**
   * The sum of each column.
   *
   * @return a {@code 1 x cols()} matrix
   */
  public Matrix colSums() {
    double[] sums = new double[cols];
    for (int i = 0; i < rows; i++) {
      int from = i * cols;
      for (int j = 0; j < cols; j++) {
        sums[j] += data[from + j];
      }
    }
    return new Matrix(1, cols, sums);
  }

  /**
   * The mean of each row.
   *
   * @return a {@code rows() x 1} matrix; {@code NaN}s when there are no columns
   */
  public Matrix rowMeans() {
    return rowSums().scale(1.0 / cols);
  }

  /**
   * The mean of each column.
   *
   * @return a {@code 1 x cols()} matrix; {@code NaN}s when there are no rows
   */
  public Matrix colMeans() {
    return colSums().scale(1.0 / rows);
  }

  /**
   * The sum of the diagonal.
   *
   * @return the trace
   * @throws IllegalArgumentException if the matrix is not square
   */
  public double trace() {
    if (rows != cols) {
      throw new IllegalArgumentException("trace: " + shape() + " is not square");
    }
    double trace = 0;
    for (int i = 0; i < rows; i++) {
      trace += data[i * cols + i];
    }
    return trace;
  }

  /**
   * The sum of the element-wise products (the Frobenius inner product).
   *
   * @param other a matrix of the same shape
   * @return {@code Σ this(i, j) · other(i, j)}
   * @throws IllegalArgumentException if the shapes differ
   */
  public double dot(Matrix other) {
    requireSameShape("dot", other);
    double sum = 0;
    for (int i = 0; i < data.length; i++) {
      sum += data[i] * other.data[i];
    }
    return sum;
  }

  /**
   * The squared Frobenius norm.
   *
   * @return the sum of the squares of the entries
   */
  public double squaredNorm() {
    double sum = 0;
    for (double value : data) {
      sum += value * value;
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise functions

  /**
   * {@link Math#exp} of every entry.
   *
   * @return the matrix of {@code exp(this(i, j))}
   */
  public Matrix exp() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = Math.exp(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@link Math#log} of every entry.
   *
   * @return the matrix of {@code log(this(i, j))}: {@code -Infinity} at 0, {@code NaN} below
   */
  public Matrix log() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = Math.log(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@link Math#tanh} of every entry.
   *
   * @return the matrix of {@code tanh(this(i, j))}
   */
  public Matrix tanh() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = Math.tanh(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * The logistic function {@code 1 / (1 + exp(-x))} of every entry, computed without overflow for
   * inputs of either sign.
   *
   * @return the matrix of {@code sigmoid(this(i, j))}, each in [0, 1]
   */
  public Matrix sigmoid() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = sigmoid(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@code max(x, 0)} of every entry.
   *
   * @return the rectified matrix
   */
  public Matrix relu() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      double x = data[i];
      result[i] = x > 0 ? x : 0;
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@code log(1 + exp(x))} of every entry, computed as {@code max(x, 0) + log1p(exp(-|x|))}: no
   * overflow for large {@code x}, no loss of precision for very negative {@code x}.
   *
   * @return the matrix of {@code softplus(this(i, j))}
   */
  public Matrix softplus() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = softplus(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * The square of every entry.
   *
   * @return the matrix of {@code this(i, j)²}
   */
  public Matrix square() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = data[i] * data[i];
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@link Math#sqrt} of every entry.
   *
   * @return the matrix of {@code sqrt(this(i, j))}: {@code NaN} for negative entries
   */
  public Matrix sqrt() {
    double[] result = new double[data.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = Math.sqrt(data[i]);
    }
    return new Matrix(rows, cols, result);
  }

  // ---------------------------------------------------------------------------------------------
  // Row-wise softmax

  /**
   * The softmax of each row, {@code exp(x_j) / Σ_k exp(x_k)}, computed after subtracting the row's
   * maximum so that large entries do not overflow.
   *
   * @return a matrix of the same shape whose rows are probability distributions
   */
  public Matrix softmaxRows() {
    double[] result = new double[data.length];
    for (int i = 0; i < rows; i++) {
      int from = i * cols;
      int end = from + cols;
      double max = rowMax(from, end);
      double sum = 0;
      for (int j = from; j < end; j++) {
        double e = Math.exp(data[j] - max);
        result[j] = e;
        sum += e;
      }
      double inverse = 1 / sum;
      for (int j = from; j < end; j++) {
        result[j] *= inverse;
      }
    }
    return new Matrix(rows, cols, result);
  }

  /**
   * {@code log Σ_j exp(x_ij)} of each row, computed as {@code m + log Σ_j exp(x_ij - m)} with
   * {@code m} the row's maximum: exact for large entries, where the naive sum overflows.
   *
   * @return a {@code rows() x 1} matrix; {@code -Infinity} for a row with no columns or only
   *     {@code -Infinity}s
   */
  public Matrix logSumExpRows() {
    double[] result = new double[rows];
    for (int i = 0; i < rows; i++) {
      result[i] = logSumExp(i * cols, (i + 1) * cols);
    }
    return new Matrix(rows, 1, result);
  }

  // ---------------------------------------------------------------------------------------------
  // Rows, slices and concatenation

  /**
   * Rows {@code from} to {@code to - 1}: a mini-batch of a data set.
   *
   * @param from the first row, from 0
   * @param to one past the last row; {@code from == to} gives no rows
   * @return the {@code (to - from) x cols()} matrix
   * @throws IllegalArgumentException unless {@code 0 <= from <= to <= rows()}
   */
  public Matrix sliceRows(int from, int to) {
    if (from < 0 || from > to || to > rows) {
      throw new IllegalArgumentException(
          "sliceRows: rows "
              + from
              + " to "
              + to
              + " are not a range of "
              + shape()
              + " (need 0 <= from <= to <= "
              + rows
              + ")");
    }
    return new Matrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
  }

  /**
   * The given rows, in the given order; an index may repeat.
   *
   * @param indices row indices, from 0
   * @return the {@code indices.length x cols()} matrix whose row {@code r} is row {@code
   *     indices[r]} of this
   * @throws IllegalArgumentException if an index is not a row of this matrix
   */
  public Matrix selectRows(int[] indices) {
    double[] result = new double[checkedSize("selectRows", indices.length, cols)];
    for (int r = 0; r < indices.length; r++) {
      int index = indices[r];
      if (index < 0 || index >= rows) {
        throw new IllegalArgumentException(
            "selectRows: index "
                + index
                + " at position "
                + r
                + " is not a row of "
                + shape());
      }
      System.arraycopy(data, index * cols, result, r * cols, cols);
    }
    return new Matrix(indices.length, cols, result);
  }

  /**
   * This matrix with {@code right}'s columns appended on the right.
   *
   * @param right a matrix with as many rows as this
   * @return the {@code rows() x (cols() + right.cols())} matrix
   * @throws IllegalArgumentException if the numbers of rows differ
   */
  public Matrix hconcat(Matrix right) {
    if (rows != right.rows) {
      throw new IllegalArgumentException(
          "hconcat: cannot put "
              + right.shape()
              + " to the right of "
              + shape()
              + " (both must have the same number of rows)");
    }
    int width = checkedSize("hconcat", 1, cols + right.cols);
    double[] result = new double[checkedSize("hconcat", rows, width)];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(data, i * cols, result, i * width, cols);
      System.arraycopy(right.data, i * right.cols, result, i * width + cols, right.cols);
    }
    return new Matrix(rows, width, result);
  }

  /**
   * This matrix with {@code below}'s rows appended underneath.
   *
   * @param below a matrix with as many columns as this
   * @return the {@code (rows() + below.rows()) x cols()} matrix
   * @throws IllegalArgumentException if the numbers of columns differ
   */
  public Matrix vconcat(Matrix below) {
    if (cols != below.cols) {
      throw new IllegalArgumentException(
          "vconcat: cannot put "
              + below.shape()
              + " below "
              + shape()
              + " (both must have the same number of columns)");
    }
    int height = checkedSize("vconcat", rows + below.rows, 1);
    double[] result = new double[checkedSize("vconcat", height, cols)];
    System.arraycopy(data, 0, result, 0, data.length);
    System.arraycopy(below.data, 0, result, data.length, below.data.length);
    return new Matrix(height, cols, result);
  }

  // ---------------------------------------------------------------------------------------------
  // Losses

  /**
   * The mean over all entries of {@code (prediction - target)²}.
   *
   * @param predictions the predictions
   * @param targets the targets, of the same shape
   * @return the mean squared error; {@code NaN} for empty matrices
   * @throws IllegalArgumentException if the shapes differ
   */
  public static double meanSquaredError(Matrix predictions, Matrix targets) {
    predictions.requireSameShape("meanSquaredError", targets);
    double sum = 0;
    for (int i = 0; i < predictions.data.length; i++) {
      double error = predictions.data[i] - targets.data[i];
      sum += error * error;
    }
    return sum / predictions.data.length;
  }

  /**
   * The binary cross-entropy of {@code sigmoid(logits)} against {@code targets}, averaged over all
   * entries: per entry {@code -t·log σ(z) - (1 - t)·log(1 - σ(z))}, computed as {@code max(z, 0) -
   * z·t + log1p(exp(-|z|))}, which neither overflows nor takes the log of 0.
   *
   * @param logits the scores {@code z}, before the sigmoid
   * @param targets the targets {@code t}, of the same shape, usually 0 or 1
   * @return the mean loss; {@code NaN} for empty matrices
   * @throws IllegalArgumentException if the shapes differ
   */
  public static double binaryCrossEntropyWithLogits(Matrix logits, Matrix targets) {
    logits.requireSameShape("binaryCrossEntropyWithLogits", targets);
    double sum = 0;
    for (int i = 0; i < logits.data.length; i++) {
      double z = logits.data[i];
      sum += Math.max(z, 0) - z * targets.data[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return sum / logits.data.length;
  }

  /**
   * The cross-entropy of {@code softmaxRows(logits)} against class labels, averaged over the rows:
   * per row {@code logSumExp(row) - row[label]}, which is exact for large logits.
   *
   * @param logits one row of class scores per example
   * @param labels the class of each example, in {@code [0, logits.cols())}
   * @return the mean loss; {@code NaN} when there are no rows
   * @throws IllegalArgumentException if there is not one label per row or a label is not a column
   */
  public static double softmaxCrossEntropy(Matrix logits, int[] labels) {
    logits.requireLabels("softmaxCrossEntropy", labels);
    int cols = logits.cols;
    double sum = 0;
    for (int i = 0; i < logits.rows; i++) {
      sum += logits.logSumExp(i * cols, (i + 1) * cols) - logits.data[i * cols + labels[i]];
    }
    return sum / logits.rows;
  }

  /** Checks that {@code labels} has one class index in {@code [0, cols())} per row. */
  private void requireLabels(String operation, int[] labels) {
    if (labels.length != rows) {
      throw new IllegalArgumentException(
          operation
              + ": "
              + labels.length
              + " labels for logits "
              + shape()
              + " (one label per row is needed)");
    }
    for (int i = 0; i < rows; i++) {
      if (labels[i] < 0 || labels[i] >= cols) {
        throw new IllegalArgumentException(
            operation
                + ": label "
                + labels[i]
                + " of row "
                + i
                + " is not a column of logits "
                + shape());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private void requireSameShape(String operation, Matrix other) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException(
          operation
              + ": "
              + shape()
              + " and "
              + other.shape()
              + " differ in shape (the operation is element-wise)");
    }
  }

  /** {@code rows * cols}, after checking that both are non-negative and the product fits. */
  private static int checkedSize(String operation, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          operation + ": a matrix cannot be " + rows + "x" + cols + " (negative dimension)");
    }
    long size = (long) rows * cols;
    if (size > MAX_SIZE) {
      throw new IllegalArgumentException(
          operation + ": a matrix of " + rows + "x" + cols + " is too large for one array");
    }
    return (int) size;
  }

  private double rowMax(int from, int end) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = from; j < end; j++) {
      max = Math.max(max, data[j]);
    }
    return max;
  }

  /** log Σ exp(data[from..end)), shifted by the maximum. */
  private double logSumExp(int from, int end) {
    double max = rowMax(from, end);
    if (Double.isInfinite(max)) {
      // All -Infinity (or no entries): the sum is 0. A +Infinity entry dominates. Either way
      // subtracting the maximum would give NaN.
      return max;
    }
    double sum = 0;
    for (int j = from; j < end; j++) {
      sum += Math.exp(data[j] - max);
    }
    return max + Math.log(sum);
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** Indices to show: all when few, else the first SHOWN - 1, then -1 (for "..."), then the last. */
  private static int[] shownIndices(int count) {
    if (count <= SHOWN) {
      int[] all = new int[count];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] shown = new int[SHOWN + 1];
    for (int i = 0; i < SHOWN - 1; i++) {
      shown[i] = i;
    }
    shown[SHOWN - 1] = -1;
    shown[SHOWN] = count - 1;
    return shown;
  }

  /** Four significant digits without trailing zeros: 1, 0.5, 3.142, -1.5e+10, NaN. */
  private static String shortNumber(double value) {
    if (value == 0 || !Double.isFinite(value)) {
      return value == 0 ? "0" : Double.toString(value);
    }
    String text = String.format(Locale.ROOT, "%.4g", value);
    int exponent = text.indexOf('e');
    String mantissa = exponent < 0 ? text : text.substring(0, exponent);
    String suffix = exponent < 0 ? "" : text.substring(exponent);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + suffix;
  }
}
