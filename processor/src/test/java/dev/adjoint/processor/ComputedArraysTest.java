package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.Matrix;
import org.junit.jupiter.api.Test;

/**
 * Elements of arrays computed in an expression: allowed where nothing differentiated flows into them, and the
 * Matrix entry read that ADJ227 suggests for {@code m.row(i)[0]}.
 */
class ComputedArraysTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class Computed {
        static double[] table(int k) {
          return new double[] {k, 2 * k};
        }

        @Differentiable(also = TANGENT)
        static double scaledByATableEntry(double u, int n) {
          return u * u * table(n)[1];
        }

        @Differentiable(also = TANGENT)
        static double firstColumn(Matrix m) {
          double s = 0;
          for (int i = 0; i < m.rows(); i++) {
            s += m.get(i, 0) * m.get(i, 0);
          }
          return s;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Computed", SOURCE);

  @Test
  void elementOfAnInactiveCallsResult() {
    Object g = compiled.call("p.ComputedGrad", "scaledByATableEntry", 1.5, 3);
    // f = 6 u²
    assertEquals(13.5, Compiled.scalar(g, "value"), 0.0);
    assertEquals(18.0, Compiled.scalar(g, "u"), 1e-12);
    Dual d = (Dual) compiled.call("p.ComputedGrad", "scaledByATableEntryTangent", 1.5, 3,
        2.0);
    assertEquals(36.0, d.derivative(), 1e-12);
    double h = 1e-6;
    double central = ((double) compiled.call("p.Computed", "scaledByATableEntry", 1.5 + h, 3)
        - (double) compiled.call("p.Computed", "scaledByATableEntry", 1.5 - h, 3)) / (2 * h);
    assertEquals(central, Compiled.scalar(g, "u"), 1e-6);
  }

  @Test
  void entriesOfAMatrixInALoop() {
    Matrix m = Matrix.of(new double[][] {{1, 2}, {3, 4}, {-5, 6}});
    Object g = compiled.call("p.ComputedGrad", "firstColumn", m);
    Matrix dm = (Matrix) Compiled.partial(g, "m");
    double[][] expected = {{2, 0}, {6, 0}, {-10, 0}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(expected[i][j], dm.get(i, j), 1e-12);
      }
    }
    Matrix direction = Matrix.of(new double[][] {{0.5, 1}, {-1, 1}, {2, 1}});
    Dual d = (Dual) compiled.call("p.ComputedGrad", "firstColumnTangent", m, direction);
    assertEquals(2 * 0.5 - 6 - 20, d.derivative(), 1e-12);
  }
}
