package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.Matrix;
import org.junit.jupiter.api.Test;

class RecordsTest {
  record Inner(double[] vector, Matrix matrix) {}

  record Outer(double scalar, Inner inner, double[][] rows, int count, String label) {}

  private static final Outer A =
      new Outer(
          1.5,
          new Inner(new double[] {1, 2}, Matrix.of(new double[][] {{1, 2}, {3, 4}})),
          new double[][] {{1}, {2, 3}},
          7,
          "a");
  private static final Outer B =
      new Outer(
          -0.5,
          new Inner(new double[] {10, 20}, Matrix.of(new double[][] {{-1, 0}, {0, 1}})),
          new double[][] {{4}, {5, 6}},
          8,
          "b");

  @Test
  void addSumsEveryNumberAndKeepsTheFirstRecordsData() {
    Outer sum = Records.add(A, B);
    assertEquals(1.0, sum.scalar());
    assertArrayEquals(new double[] {11, 22}, sum.inner().vector());
    assertEquals(Matrix.of(new double[][] {{0, 2}, {3, 5}}), sum.inner().matrix());
    assertArrayEquals(new double[][] {{5}, {7, 9}}, sum.rows());
    assertEquals(7, sum.count());
    assertEquals("a", sum.label());
  }

  @Test
  void scaleAndZero() {
    Outer doubled = Records.scale(A, 2);
    assertArrayEquals(new double[] {3, 2, 4, 2, 4, 6, 8, 2, 4, 6}, Records.toArray(doubled));
    Outer zero = Records.zero(A);
    assertArrayEquals(new double[10], Records.toArray(zero));
    assertEquals(Matrix.zeros(2, 2), zero.inner().matrix());
    assertEquals("a", zero.label());
  }

  @Test
  void theArgumentsAreLeftUnchanged() {
    Records.add(A, B);
    Records.scale(A, 3);
    assertArrayEquals(new double[] {1.5, 1, 2, 1, 2, 3, 4, 1, 2, 3}, Records.toArray(A));
  }

  @Test
  void toArrayAndFromArrayAreInverse() {
    double[] values = Records.toArray(B);
    assertArrayEquals(new double[] {-0.5, 10, 20, -1, 0, 0, 1, 4, 5, 6}, values);
    Outer back = Records.fromArray(A, values);
    assertArrayEquals(values, Records.toArray(back));
    assertEquals("a", back.label(), "data comes from the template");
    assertEquals(0.25 + 100 + 400 + 1 + 0 + 0 + 1 + 16 + 25 + 36, Records.squaredNorm(B));
  }

  @Test
  void nullDataIsCarriedOverButANullMatrixIsAnError() {
    Outer unlabelled = new Outer(1, A.inner(), A.rows(), 1, null);
    assertNull(Records.add(unlabelled, B).label());
    Outer broken = new Outer(1, new Inner(null, Matrix.zeros(2, 2)), A.rows(), 1, "");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Records.add(A, broken));
    assertEquals("Outer.inner.vector is null", error.getMessage());
  }

  @Test
  void shapesMustAgree() {
    Outer other = new Outer(1, new Inner(new double[] {1, 2}, Matrix.zeros(3, 2)), A.rows(), 1, "");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Records.add(A, other));
    assertEquals("Outer.inner.matrix is 2x2 and 3x2 in the two records", error.getMessage());
    IllegalArgumentException length =
        assertThrows(IllegalArgumentException.class, () -> Records.fromArray(A, new double[3]));
    assertEquals(
        "Outer(scalar: a double, inner: Inner(vector: a double[2], matrix: a 2x2 matrix),"
            + " rows: a double[][] with rows of [1, 2], count: data, label: data) has 10 numbers but 3 were given",
        length.getMessage());
  }
}
