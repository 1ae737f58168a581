package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Adjoints#sum}: forward mode's sum of the tangents an array-valued function gets from several rules. */
class AdjointsSumTest {
  @Test
  void sumsIntoNewArraysAndLeavesItsOperandsAlone() {
    double[][] a = {{1, 2}, {3}};
    double[][] b = {{10, 20}, {30}};
    double[][] sum = Adjoints.sum(a, b);
    assertArrayEquals(new double[][] {{11, 22}, {33}}, sum);
    assertArrayEquals(new double[][] {{1, 2}, {3}}, a);
    assertArrayEquals(new double[][] {{10, 20}, {30}}, b);
    assertTrue(sum[0] != a[0] && sum[0] != b[0]);
    assertArrayEquals(new double[] {4, 6}, Adjoints.sum(new double[] {1, 2}, new double[] {3, 4}));
  }

  @Test
  void mismatchedShapesNameBoth() {
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> Adjoints.sum(new double[2][1], new double[3][1]));
    assertTrue(rows.getMessage().contains("2 rows and 3 rows"), rows.getMessage());
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> Adjoints.sum(new double[2], new double[3]));
    assertTrue(lengths.getMessage().contains("length 2") && lengths.getMessage().contains("length 3"),
        lengths.getMessage());
  }
}
