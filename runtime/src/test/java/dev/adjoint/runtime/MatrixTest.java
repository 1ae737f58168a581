package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatrixTest {
  private static final double[][] A = {{1, 2, 3}, {4, 5, 6}};
  private final Matrix a = Matrix.of(A);

  // ---------------------------------------------------------------------------------------------
  // Factories and access

  @Test
  void ofCopiesTheRowsAndReadsBack() {
    double[][] rows = {{1, 2}, {3, 4}, {5, 6}};
    Matrix m = Matrix.of(rows);
    rows[0][0] = 99;
    assertEquals(3, m.rows());
    assertEquals(2, m.cols());
    assertEquals("3x2", m.shape());
    assertEquals(1, m.get(0, 0));
    assertEquals(6, m.get(2, 1));
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}, {5, 6}}, m.toArray());
    assertArrayEquals(new double[] {3, 4}, m.row(1));
  }

  @Test
  void ofRejectsRaggedRows() {
    assertMessage(
        "of: row 1 has 1 entries but row 0 has 2", () -> Matrix.of(new double[][] {{1, 2}, {3}}));
  }

  @Test
  void ofNoRowsIsEmpty() {
    assertEquals("0x0", Matrix.of(new double[0][]).shape());
  }

  @Test
  void simpleFactories() {
    assertEquals(Matrix.of(new double[][] {{0, 0, 0}, {0, 0, 0}}), Matrix.zeros(2, 3));
    assertEquals(Matrix.of(new double[][] {{7, 7}}), Matrix.filled(1, 2, 7));
    assertEquals(Matrix.of(new double[][] {{1, 0}, {0, 1}}), Matrix.identity(2));
    assertEquals(Matrix.of(new double[][] {{1, 2, 3}}), Matrix.rowVector(1, 2, 3));
    assertEquals(Matrix.of(new double[][] {{1}, {2}, {3}}), Matrix.columnVector(1, 2, 3));
    assertEquals("0x4", Matrix.zeros(0, 4).shape());
    assertEquals("1x0", Matrix.rowVector().shape());
    assertEquals("0x1", Matrix.columnVector().shape());
  }

  @Test
  void vectorFactoriesCopyTheirArguments() {
    double[] values = {1, 2};
    Matrix row = Matrix.rowVector(values);
    Matrix column = Matrix.columnVector(values);
    values[0] = 99;
    assertEquals(1, row.get(0, 0));
    assertEquals(1, column.get(0, 0));
  }

  @Test
  void negativeOrHugeDimensionsAreRejected() {
    assertMessage(
        "zeros: a matrix cannot be -1x3 (negative dimension)", () -> Matrix.zeros(-1, 3));
    assertMessage(
        "filled: a matrix cannot be 2x-2 (negative dimension)", () -> Matrix.filled(2, -2, 0));
    assertMessage(
        "identity: a matrix of 100000x100000 is too large for one array",
        () -> Matrix.identity(100_000));
  }

  @Test
  void randomNormalIsReproducibleAndHasTheRequestedSpread() {
    Matrix m = Matrix.randomNormal(200, 50, 0.5, 42);
    assertEquals(m, Matrix.randomNormal(200, 50, 0.5, 42));
    assertNotEquals(m, Matrix.randomNormal(200, 50, 0.5, 43));
    double mean = m.mean();
    double standardDeviation = Math.sqrt(m.plusScalar(-mean).squaredNorm() / 10_000);
    assertEquals(0, mean, 0.02);
    assertEquals(0.5, standardDeviation, 0.02);
    assertEquals(Matrix.zeros(2, 2), Matrix.randomNormal(2, 2, 0, 1));
    assertMessage(
        "randomNormal: the standard deviation must be finite and not negative, got -1.0",
        () -> Matrix.randomNormal(2, 2, -1, 1));
  }

  @Test
  void glorotUniformStaysWithinItsLimitAndFillsIt() {
    Matrix m = Matrix.glorotUniform(64, 32, 7);
    double limit = Math.sqrt(6.0 / (64 + 32));
    assertEquals(m, Matrix.glorotUniform(64, 32, 7));
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (double[] row : m.toArray()) {
      for (double value : row) {
        max = Math.max(max, value);
        min = Math.min(min, value);
      }
    }
    assertTrue(max <= limit && min >= -limit, "within ±" + limit);
    assertTrue(max > 0.95 * limit && min < -0.95 * limit, "spread over ±" + limit);
    assertEquals(0, m.mean(), 0.02);
    assertEquals("0x3", Matrix.glorotUniform(0, 3, 1).shape());
  }

  @Test
  void realMatrixRoundTrip() {
    RealMatrix real = a.toRealMatrix();
    assertArrayEquals(A, real.getData());
    assertEquals(a, Matrix.fromRealMatrix(real));
    RealMatrix other = new Array2DRowRealMatrix(new double[][] {{1.5}, {-2}});
    assertEquals(Matrix.columnVector(1.5, -2), Matrix.fromRealMatrix(other));
    real.setEntry(0, 0, 99);
    assertEquals(1, a.get(0, 0), "toRealMatrix copies");
    assertMessage(
        "toRealMatrix: 0x3 is empty, and a RealMatrix cannot be",
        () -> Matrix.zeros(0, 3).toRealMatrix());
  }

  @Test
  void badIndicesNameTheIndexAndTheShape() {
    assertMessage("get: index (2, 0) is outside 2x3", () -> a.get(2, 0));
    assertMessage("get: index (0, -1) is outside 2x3", () -> a.get(0, -1));
    assertMessage("row: index 5 is outside the rows of 2x3", () -> a.row(5));
    assertMessage(
        "sliceRows: rows 1 to 3 are not a range of 2x3 (need 0 <= from <= to <= 2)",
        () -> a.sliceRows(1, 3));
    assertMessage(
        "sliceRows: rows 2 to 1 are not a range of 2x3 (need 0 <= from <= to <= 2)",
        () -> a.sliceRows(2, 1));
    assertMessage(
        "selectRows: index -1 at position 1 is not a row of 2x3",
        () -> a.selectRows(new int[] {0, -1}));
  }

  @Test
  void equalityComparesShapesAndEntries() {
    Matrix same = Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, a.transpose().transpose().plusScalar(1e-12));
    assertNotEquals(Matrix.rowVector(1, 2), Matrix.columnVector(1, 2));
    assertNotEquals(Matrix.zeros(2, 0), Matrix.zeros(0, 2));
    assertEquals(Matrix.rowVector(Double.NaN), Matrix.rowVector(Double.NaN));
    assertEquals(Matrix.rowVector(0.0), Matrix.rowVector(-0.0));
    assertEquals(Matrix.rowVector(0.0).hashCode(), Matrix.rowVector(-0.0).hashCode());
    assertNotEquals(a, "a string");
    assertTrue(a.sameShape(Matrix.zeros(2, 3)));
    assertFalse(a.sameShape(Matrix.zeros(3, 2)));
  }

  @Test
  void toStringIsShortAndReadable() {
    assertEquals(
        "Matrix 2x2 [[1, 0.5], [-2, 3.142]]",
        Matrix.of(new double[][] {{1, 0.5}, {-2, Math.PI}}).toString());
    assertEquals(
        "Matrix 1x3 [[1e+10, NaN, -Infinity]]",
        Matrix.rowVector(1e10, Double.NaN, Double.NEGATIVE_INFINITY).toString());
    assertEquals("Matrix 0x3 []", Matrix.zeros(0, 3).toString());
    assertEquals(
        "Matrix 8x8 [[0, 0, 0, 0, 0, ..., 0], [0, 0, 0, 0, 0, ..., 0], [0, 0, 0, 0, 0, ..., 0],"
            + " [0, 0, 0, 0, 0, ..., 0], [0, 0, 0, 0, 0, ..., 0], ..., [0, 0, 0, 0, 0, ..., 0]]",
        Matrix.zeros(8, 8).toString());
    assertTrue(Matrix.zeros(1000, 1000).toString().length() < 200);
  }

  // ---------------------------------------------------------------------------------------------
  // Immutability

  @Test
  void noOperationChangesItsOperandsOrExposesTheEntries() {
    Matrix square = Matrix.of(new double[][] {{1, -2}, {3, 0.5}});
    Matrix row = Matrix.rowVector(1, 2);
    double[][] before = square.toArray();
    List<UnaryOperator<Matrix>> operations =
        List.of(
            m -> m.times(m),
            m -> m.timesTransposed(m),
            m -> m.transposedTimes(m),
            Matrix::transpose,
            m -> m.plus(m),
            m -> m.minus(m),
            m -> m.multiply(m),
            m -> m.divide(m),
            m -> m.scale(2),
            m -> m.plusScalar(1),
            m -> m.addRowVector(row),
            Matrix::rowSums,
            Matrix::colSums,
            Matrix::rowMeans,
            Matrix::colMeans,
            Matrix::exp,
            Matrix::log,
            Matrix::tanh,
            Matrix::sigmoid,
            Matrix::relu,
            Matrix::softplus,
            Matrix::square,
            Matrix::sqrt,
            Matrix::softmaxRows,
            Matrix::logSumExpRows,
            m -> m.sliceRows(0, 2),
            m -> m.selectRows(new int[] {0, 1}),
            m -> m.hconcat(m),
            m -> m.vconcat(m));
    for (UnaryOperator<Matrix> operation : operations) {
      Matrix result = operation.apply(square);
      assertArrayEquals(before, square.toArray());
      if (result.sameShape(square)) {
        double[][] entries = result.toArray();
        entries[0][0] = 1234;
        assertNotEquals(1234, result.get(0, 0));
      }
    }
    assertEquals(Matrix.rowVector(1, 2), row);

    double[][] copy = square.toArray();
    copy[0][0] = 99;
    square.row(1)[0] = 99;
    assertArrayEquals(before, square.toArray());
  }

  @Test
  void everyOperationReturnsANewMatrix() {
    // Even where the result equals the operand, callers may rely on getting a distinct object.
    assertNotSame(a, a.scale(1));
    assertNotSame(a, a.plusScalar(0));
    assertNotSame(a, a.sliceRows(0, 2));
  }

  // ---------------------------------------------------------------------------------------------
  // Products

  @Test
  void timesMultipliesMatrices() {
    Matrix b = Matrix.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});
    assertEquals(Matrix.of(new double[][] {{4, 5}, {10, 11}}), a.times(b));
    assertEquals(a, Matrix.identity(2).times(a));
    assertEquals(a, a.times(Matrix.identity(3)));
    assertEquals(Matrix.zeros(2, 4), Matrix.zeros(2, 0).times(Matrix.zeros(0, 4)));
  }

  /** Sizes around the kernel's unrolling (2 rows, 4 steps of k) and odd sizes. */
  @ParameterizedTest(name = "{0}x{1} times {1}x{2}")
  @CsvSource({
    "1, 1, 1", "1, 7, 1", "7, 1, 5", "2, 4, 3", "3, 5, 2", "5, 3, 4", "4, 8, 1", "13, 17, 11",
    "33, 65, 31", "64, 3, 129", "1, 130, 9", "9, 130, 1"
  })
  void productKernelsAgreeWithANaiveTripleLoop(int m, int k, int n) {
    Random random = new Random(31L * m + 17L * k + n);
    double[][] left = randomEntries(m, k, random);
    double[][] right = randomEntries(k, n, random);
    double[][] expected = naiveProduct(left, right);
    Matrix x = Matrix.of(left);
    Matrix y = Matrix.of(right);
    assertClose(expected, x.times(y));
    assertClose(expected, x.timesTransposed(y.transpose()));
    assertClose(expected, x.transpose().transposedTimes(y));
  }

  @Test
  void transposeSwapsRowsAndColumns() {
    assertEquals(Matrix.of(new double[][] {{1, 4}, {2, 5}, {3, 6}}), a.transpose());
    assertEquals(a, a.transpose().transpose());
    assertEquals(Matrix.columnVector(1, 2), Matrix.rowVector(1, 2).transpose());
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise arithmetic and reductions

  @Test
  void elementWiseArithmetic() {
    Matrix b = Matrix.of(new double[][] {{2, 2, 2}, {1, -1, 0.5}});
    assertEquals(Matrix.of(new double[][] {{3, 4, 5}, {5, 4, 6.5}}), a.plus(b));
    assertEquals(Matrix.of(new double[][] {{-1, 0, 1}, {3, 6, 5.5}}), a.minus(b));
    assertEquals(Matrix.of(new double[][] {{2, 4, 6}, {4, -5, 3}}), a.multiply(b));
    assertEquals(Matrix.of(new double[][] {{0.5, 1, 1.5}, {4, -5, 12}}), a.divide(b));
    assertEquals(Matrix.of(new double[][] {{2, 4, 6}, {8, 10, 12}}), a.scale(2));
    assertEquals(Matrix.of(new double[][] {{0, 1, 2}, {3, 4, 5}}), a.plusScalar(-1));
    assertEquals(
        Matrix.of(new double[][] {{11, 22, 33}, {14, 25, 36}}),
        a.addRowVector(Matrix.rowVector(10, 20, 30)));
  }

  @Test
  void reductions() {
    assertEquals(21, a.sum());
    assertEquals(3.5, a.mean());
    assertEquals(Matrix.columnVector(6, 15), a.rowSums());
    assertEquals(Matrix.rowVector(5, 7, 9), a.colSums());
    assertEquals(Matrix.columnVector(2, 5), a.rowMeans());
    assertEquals(Matrix.rowVector(2.5, 3.5, 4.5), a.colMeans());
    assertEquals(91, a.squaredNorm());
    assertEquals(1 + 4 + 9 + 16 + 25 + 36, a.dot(a));
    assertEquals(5, Matrix.of(new double[][] {{1, 7}, {-3, 4}}).trace());
    assertEquals(0, Matrix.zeros(0, 3).sum());
    assertTrue(Double.isNaN(Matrix.zeros(0, 3).mean()));
  }

  @Test
  void elementWiseFunctionsMatchMath() {
    Matrix x = Matrix.of(new double[][] {{-2, -0.5, 0}, {0.25, 1, 3}});
    Matrix positive = x.plusScalar(2.5);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double v = x.get(i, j);
        double p = positive.get(i, j);
        assertEquals(Math.exp(v), x.exp().get(i, j), 1e-15);
        assertEquals(Math.log(p), positive.log().get(i, j), 1e-15);
        assertEquals(Math.tanh(v), x.tanh().get(i, j), 1e-15);
        assertEquals(1 / (1 + Math.exp(-v)), x.sigmoid().get(i, j), 1e-15);
        assertEquals(Math.max(v, 0), x.relu().get(i, j));
        assertEquals(Math.log(1 + Math.exp(v)), x.softplus().get(i, j), 1e-15);
        assertEquals(v * v, x.square().get(i, j));
        assertEquals(Math.sqrt(p), positive.sqrt().get(i, j));
      }
    }
    assertTrue(Double.isNaN(Matrix.rowVector(-1).sqrt().get(0, 0)));
    assertEquals(Double.NEGATIVE_INFINITY, Matrix.rowVector(0).log().get(0, 0));
  }

  // ---------------------------------------------------------------------------------------------
  // Stability for large inputs

  @Test
  void sigmoidAndSoftplusDoNotOverflow() {
    Matrix huge = Matrix.rowVector(-1000, -40, 40, 1000);
    assertEquals(Matrix.rowVector(0, Math.exp(-40) / (1 + Math.exp(-40)), 1, 1), huge.sigmoid());
    Matrix softplus = huge.softplus();
    assertEquals(0, softplus.get(0, 0));
    assertEquals(Math.exp(-40), softplus.get(0, 1), 1e-30, "accurate where log(1 + e^x) is not");
    assertEquals(40, softplus.get(0, 2), 1e-15);
    assertEquals(1000, softplus.get(0, 3));
  }

  @Test
  void softmaxRowsIsShiftInvariantAndFinite() {
    Matrix shifted = Matrix.of(new double[][] {{1000, 1001, 1002}, {-1000, -999, -998}});
    Matrix reference = Matrix.of(new double[][] {{0, 1, 2}, {0, 1, 2}}).softmaxRows();
    assertClose(reference.toArray(), shifted.softmaxRows());
    assertClose(new double[][] {{1}, {1}}, shifted.softmaxRows().rowSums());
    double e1 = Math.exp(1);
    double e2 = Math.exp(2);
    assertEquals(1 / (1 + e1 + e2), reference.get(0, 0), 1e-15);
    assertEquals(Matrix.rowVector(1, 0), Matrix.rowVector(0, Double.NEGATIVE_INFINITY).softmaxRows());
  }

  @Test
  void logSumExpRowsIsExactForLargeEntries() {
    Matrix m = Matrix.of(new double[][] {{1000, 1000}, {-1000, -1000}, {0, Math.log(3)}});
    Matrix lse = m.logSumExpRows();
    assertEquals("3x1", lse.shape());
    assertEquals(1000 + Math.log(2), lse.get(0, 0), 1e-12);
    assertEquals(-1000 + Math.log(2), lse.get(1, 0), 1e-12);
    assertEquals(Math.log(4), lse.get(2, 0), 1e-15);
    assertEquals(
        Matrix.columnVector(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
        Matrix.of(
                new double[][] {
                  {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                  {1, Double.POSITIVE_INFINITY}
                })
            .logSumExpRows());
    assertEquals(Matrix.columnVector(Double.NEGATIVE_INFINITY), Matrix.zeros(1, 0).logSumExpRows());
  }

  // ---------------------------------------------------------------------------------------------
  // Losses

  @Test
  void meanSquaredError() {
    Matrix targets = Matrix.of(new double[][] {{1, 2, 4}, {4, 5, 2}});
    assertEquals((1 + 16) / 6.0, Matrix.meanSquaredError(a, targets));
    assertEquals(0, Matrix.meanSquaredError(a, a));
  }

  @Test
  void binaryCrossEntropyWithLogitsMatchesTheDefinitionAndStaysFinite() {
    Matrix logits = Matrix.of(new double[][] {{-2, 0.5}, {3, 0}});
    Matrix targets = Matrix.of(new double[][] {{0, 1}, {0.3, 1}});
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double p = 1 / (1 + Math.exp(-logits.get(i, j)));
        double t = targets.get(i, j);
        expected += -t * Math.log(p) - (1 - t) * Math.log(1 - p);
      }
    }
    assertEquals(expected / 4, Matrix.binaryCrossEntropyWithLogits(logits, targets), 1e-15);

    Matrix huge = Matrix.rowVector(1000, 1000, -1000, -1000);
    Matrix labels = Matrix.rowVector(1, 0, 0, 1);
    assertEquals((0 + 1000 + 0 + 1000) / 4.0, Matrix.binaryCrossEntropyWithLogits(huge, labels));
  }

  @Test
  void softmaxCrossEntropyMatchesTheDefinitionAndStaysFinite() {
    Matrix logits = Matrix.of(new double[][] {{1, 2, 3}, {0.5, -1, 0}});
    int[] labels = {2, 0};
    Matrix probabilities = logits.softmaxRows();
    double expected = -(Math.log(probabilities.get(0, 2)) + Math.log(probabilities.get(1, 0))) / 2;
    assertEquals(expected, Matrix.softmaxCrossEntropy(logits, labels), 1e-15);

    Matrix huge = Matrix.of(new double[][] {{1000, 0}, {-1000, 1000}});
    assertEquals(
        (0 + 2000) / 2.0, Matrix.softmaxCrossEntropy(huge, new int[] {0, 0}), 1e-12);
  }

  @Test
  void softmaxCrossEntropyChecksTheLabels() {
    assertMessage(
        "softmaxCrossEntropy: 3 labels for logits 2x3 (one label per row is needed)",
        () -> Matrix.softmaxCrossEntropy(a, new int[] {0, 1, 2}));
    assertMessage(
        "softmaxCrossEntropy: label 3 of row 1 is not a column of logits 2x3",
        () -> Matrix.softmaxCrossEntropy(a, new int[] {0, 3}));
    assertMessage(
        "softmaxCrossEntropy: label -1 of row 0 is not a column of logits 2x3",
        () -> Matrix.softmaxCrossEntropy(a, new int[] {-1, 0}));
  }

  // ---------------------------------------------------------------------------------------------
  // Rows, slices and concatenation

  @Test
  void slicingSelectingAndConcatenating() {
    Matrix m = Matrix.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
    assertEquals(Matrix.of(new double[][] {{3, 4}, {5, 6}}), m.sliceRows(1, 3));
    assertEquals("0x2", m.sliceRows(2, 2).shape());
    assertEquals(
        Matrix.of(new double[][] {{5, 6}, {1, 2}, {5, 6}}), m.selectRows(new int[] {2, 0, 2}));
    assertEquals("0x2", m.selectRows(new int[0]).shape());
    assertEquals(
        Matrix.of(new double[][] {{1, 2, 1}, {3, 4, 2}, {5, 6, 3}}),
        m.hconcat(Matrix.columnVector(1, 2, 3)));
    assertEquals(
        Matrix.of(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}}),
        m.vconcat(Matrix.rowVector(7, 8)));
    assertEquals(m, Matrix.zeros(0, 2).vconcat(m));
    assertEquals(m, m.hconcat(Matrix.zeros(3, 0)));
  }

  // ---------------------------------------------------------------------------------------------
  // Shape mismatches

  @Test
  void shapeMismatchesNameTheOperationAndBothShapes() {
    Matrix threeByFour = Matrix.zeros(3, 4);
    Matrix fiveByTwo = Matrix.zeros(5, 2);
    assertMessage(
        "times: 3x4 cannot multiply 5x2 (columns of the left must equal rows of the right)",
        () -> threeByFour.times(fiveByTwo));
    assertMessage(
        "timesTransposed: 3x4 cannot multiply the transpose of 5x2 (both must have the same"
            + " number of columns)",
        () -> threeByFour.timesTransposed(fiveByTwo));
    assertMessage(
        "transposedTimes: the transpose of 3x4 cannot multiply 5x2 (both must have the same"
            + " number of rows)",
        () -> threeByFour.transposedTimes(fiveByTwo));
    for (String operation : List.of("plus", "minus", "multiply", "divide", "dot")) {
      Executable call =
          switch (operation) {
            case "plus" -> () -> threeByFour.plus(fiveByTwo);
            case "minus" -> () -> threeByFour.minus(fiveByTwo);
            case "multiply" -> () -> threeByFour.multiply(fiveByTwo);
            case "divide" -> () -> threeByFour.divide(fiveByTwo);
            default -> () -> threeByFour.dot(fiveByTwo);
          };
      assertMessage(
          operation + ": 3x4 and 5x2 differ in shape (the operation is element-wise)", call);
    }
    assertMessage(
        "addRowVector: cannot add 1x3 to every row of 3x4 (the row vector must be 1x4)",
        () -> threeByFour.addRowVector(Matrix.zeros(1, 3)));
    assertMessage(
        "addRowVector: cannot add 4x1 to every row of 3x4 (the row vector must be 1x4)",
        () -> threeByFour.addRowVector(Matrix.zeros(4, 1)));
    assertMessage(
        "hconcat: cannot put 5x2 to the right of 3x4 (both must have the same number of rows)",
        () -> threeByFour.hconcat(fiveByTwo));
    assertMessage(
        "vconcat: cannot put 5x2 below 3x4 (both must have the same number of columns)",
        () -> threeByFour.vconcat(fiveByTwo));
    assertMessage("trace: 3x4 is not square", threeByFour::trace);
    assertMessage(
        "meanSquaredError: 3x4 and 5x2 differ in shape (the operation is element-wise)",
        () -> Matrix.meanSquaredError(threeByFour, fiveByTwo));
    assertMessage(
        "binaryCrossEntropyWithLogits: 3x4 and 5x2 differ in shape (the operation is"
            + " element-wise)",
        () -> Matrix.binaryCrossEntropyWithLogits(threeByFour, fiveByTwo));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, error.getMessage());
  }

  private static double[][] randomEntries(int rows, int cols, Random random) {
    double[][] entries = new double[rows][cols];
    for (double[] row : entries) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextGaussian();
      }
    }
    return entries;
  }

  private static double[][] naiveProduct(double[][] left, double[][] right) {
    int inner = right.length;
    int cols = right[0].length;
    double[][] product = new double[left.length][cols];
    for (int i = 0; i < left.length; i++) {
      for (int j = 0; j < cols; j++) {
        double sum = 0;
        for (int p = 0; p < inner; p++) {
          sum += left[i][p] * right[p][j];
        }
        product[i][j] = sum;
      }
    }
    return product;
  }

  /** Entry by entry within 1e-12 relative to the entry's magnitude (or 1). */
  private static void assertClose(double[][] expected, Matrix actual) {
    assertEquals(expected.length + "x" + expected[0].length, actual.shape());
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        double tolerance = 1e-12 * Math.max(1, Math.abs(expected[i][j]));
        assertEquals(expected[i][j], actual.get(i, j), tolerance, "entry " + i + ", " + j);
      }
    }
  }
}
