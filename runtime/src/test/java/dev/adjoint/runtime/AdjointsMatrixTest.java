package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Matrix helpers of {@link Adjoints}: adjoints that stay null until something is added. */
class AdjointsMatrixTest {
  private final Matrix contribution = Matrix.of(new double[][] {{1, 2}, {3, 4}});

  @Test
  void addingToNoAdjointYetGivesTheContributionItself() {
    assertSame(contribution, Adjoints.add(null, contribution));
  }

  @Test
  void addingToAnAdjointSumsAndLeavesBothUnchanged() {
    Matrix accumulated = Matrix.filled(2, 2, 10);
    Matrix sum = Adjoints.add(accumulated, contribution);
    assertEquals(Matrix.of(new double[][] {{11, 12}, {13, 14}}), sum);
    assertEquals(Matrix.filled(2, 2, 10), accumulated);
    assertEquals(Matrix.of(new double[][] {{1, 2}, {3, 4}}), contribution);
  }

  @Test
  void addingAContributionOfAnotherShapeNamesBothShapes() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Adjoints.add(Matrix.zeros(2, 2), Matrix.zeros(1, 2)));
    assertEquals("add: an adjoint of 2x2 cannot take a contribution of 1x2", error.getMessage());
  }

  @Test
  void orZerosFillsInAnAdjointThatNeverReceivedAnything() {
    assertEquals(Matrix.zeros(3, 1), Adjoints.orZeros(null, Matrix.columnVector(5, 6, 7)));
    assertSame(contribution, Adjoints.orZeros(contribution, Matrix.zeros(2, 2)));
  }

  @Test
  void flattenTakesMatricesRowByRow() {
    assertArrayEquals(
        new double[] {0.5, 1, 2, 3, 4, 7, 8},
        Adjoints.flatten(0.5, contribution, new double[] {7, 8}));
    assertArrayEquals(new double[0], Adjoints.flatten(Matrix.zeros(0, 3)));
  }
}
