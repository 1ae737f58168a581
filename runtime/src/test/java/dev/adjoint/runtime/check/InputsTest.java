package dev.adjoint.runtime.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputsTest {
  private final Inputs inputs =
      Inputs.of().scalar("x", 0.3).vector("w", 1, 2).matrix("X", new double[][] {{1, 2}, {3}});

  @Test
  void blocksAreReadBackByName() {
    assertEquals(0.3, inputs.scalar("x"));
    assertArrayEquals(new double[] {1, 2}, inputs.vector("w"));
    assertArrayEquals(new double[][] {{1, 2}, {3}}, inputs.matrix("X"));
    assertEquals(List.of("x", "w", "X"), inputs.names());
  }

  @Test
  void addingCopiesTheCallersArrays() {
    double[] w = {1, 2};
    double[][] matrix = {{5}};
    Inputs copied = Inputs.of().vector("w", w).matrix("M", matrix);
    w[0] = 99;
    matrix[0][0] = 99;
    assertEquals(1, copied.vector("w")[0]);
    assertEquals(5, copied.matrix("M")[0][0]);
  }

  @Test
  void readingTheWrongKindNamesBothKinds() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> inputs.scalar("w"));
    assertEquals("input 'w' is a vector, not a scalar", error.getMessage());
  }

  @Test
  void readingAnUnknownNameListsTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> inputs.vector("v"));
    assertEquals("no input named 'v'; the inputs are [x, w, X]", error.getMessage());
  }

  @Test
  void matricesAreAddedAndReadBackAsMatrices() {
    Matrix weights = Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    Inputs withMatrix = Inputs.of().matrix("W", weights).scalar("b", 1);
    assertEquals(weights, withMatrix.matrixValue("W"));
    assertArrayEquals(new double[][] {{1, 2, 3}, {4, 5, 6}}, withMatrix.matrix("W"));
    assertEquals("{W=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], b=1.0}", withMatrix.toString());
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> withMatrix.matrixValue("b"));
    assertEquals("input 'b' is a scalar, not a matrix", error.getMessage());
  }

  @Test
  void aMatrixGradientChecksInOneLine() {
    Matrix x = Matrix.of(new double[][] {{0.5, -1}, {2, 0.25}});
    Matrix w = Matrix.of(new double[][] {{0.3}, {-0.7}});
    // f(W) = Σ tanh(X·W); ∂f/∂W = Xᵀ·(1 - tanh²(X·W)).
    Matrix gradient = x.transposedTimes(x.times(w).tanh().square().scale(-1).plusScalar(1));
    GradientAssertions.assertGradient(
        in -> x.times(in.matrixValue("W")).tanh().sum(),
        Inputs.of().matrix("W", w),
        Inputs.of().matrix("W", gradient));
    GradientReport wrong =
        GradientChecker.withDefaults()
            .check(
                in -> x.times(in.matrixValue("W")).tanh().sum(),
                Inputs.of().matrix("W", w),
                Inputs.of().matrix("W", gradient.scale(2)));
    assertTrue(wrong.toString().contains("W[0][0]"), wrong::toString);
  }

  @Test
  void namesMustBeUnique() {
    assertThrows(IllegalArgumentException.class, () -> Inputs.of().scalar("x", 1).vector("x", 2));
  }

  @Test
  void toStringShowsEveryBlock() {
    assertEquals("{x=0.3, w=[1.0, 2.0], X=[[1.0, 2.0], [3.0]]}", inputs.toString());
  }

  @Test
  void layoutsMustAgreeInNamesKindsAndShapes() {
    Inputs sameLayoutOtherOrder =
        Inputs.of().matrix("X", new double[][] {{0, 0}, {0}}).scalar("x", 0).vector("w", 0, 0);
    inputs.requireSameLayout(sameLayoutOtherOrder, "the gradient");

    Inputs shorterVector =
        Inputs.of().scalar("x", 0).vector("w", 0).matrix("X", new double[][] {{0, 0}, {0}});
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> inputs.requireSameLayout(shorterVector, "the gradient"));
    assertEquals(
        "the gradient: block 'w' is a vector of length 1 but at the point it is a vector of length"
            + " 2",
        error.getMessage());

    Inputs missingBlock = Inputs.of().scalar("x", 0).vector("w", 0, 0);
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> inputs.requireSameLayout(missingBlock, "the gradient"));
    assertTrue(missing.getMessage().contains("[x, w]"), missing::getMessage);
  }
}
