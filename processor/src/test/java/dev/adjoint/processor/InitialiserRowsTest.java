package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Existing arrays as rows of a {@code double[][]} initialiser ({@code {x}} for a parameter, {@code {y}} for a local,
 * {@code {w[1]}} for a row of a parameter, {@code {m[i]}} in a loop, and a call's result), in every mode. They were an
 * internal error ("rows of an initialiser are initialisers") on the method line.
 */
class InitialiserRowsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class Rows {
        @Differentiable(also = TANGENT)
        static double rows(double[] x, double[][] w) {
          double[] y = {x[1] * x[1], x[0]};
          double[][] m = {x, y, w[1]};
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[][] r = {m[i]};
            s += r[0][0] * r[0][1];
          }
          return s + m[0][0] * m[2][1];
        }

        @Differentiable(also = HESSIAN)
        static double rowProducts(double[] x) {
          double[] y = {x[1] * x[1], x[0]};
          double[][] m = {x, y};
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[][] r = {m[i]};
            s += r[0][0] * r[0][1];
          }
          return s + m[0][0] * m[1][0];
        }

        @Differentiable(also = TANGENT)
        static double loopRowAsRow(double[][] w, double[] x) {
          double s = 0;
          for (double[] row : w) {
            double[][] m = {row, x};
            s += m[0][0] * m[1][1] * m[0][1];
          }
          return s;
        }

        @Differentiable(also = HESSIAN)
        static double[] pair(double u) {
          return new double[] {u * u, u};
        }

        @Differentiable(also = HESSIAN)
        static double callAsRow(double u, double[] x) {
          double[][] m = {pair(u), x};
          return m[0][0] * m[1][1] + m[0][1];
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Rows", SOURCE);
  private final SplittableRandom random = new SplittableRandom(5);

  @Test
  void parameterLocalAndParameterRowAsRows() {
    double[] x = random.doubles(2, -2, 2).toArray();
    double[][] w = {random.doubles(3, -1, 1).toArray(), random.doubles(2, -1, 1).toArray()};
    double[] xBefore = x.clone();
    double[][] wBefore = {w[0].clone(), w[1].clone()};
    Object g = compiled.call("p.RowsGrad", "rows", x, w);
    double[] dx = (double[]) Compiled.partial(g, "x");
    double[][] dw = (double[][]) Compiled.partial(g, "w");
    // f = x0 x1 + x0 x1² + w10 w11 + x0 w11
    assertEquals(x[0] * x[1] + x[0] * x[1] * x[1] + w[1][0] * w[1][1] + x[0] * w[1][1], Compiled.scalar(g, "value"),
        1e-12);
    assertEquals(x[1] + x[1] * x[1] + w[1][1], dx[0], 1e-12);
    assertEquals(x[0] + 2 * x[0] * x[1], dx[1], 1e-12);
    assertEquals(0.0, dw[0][0] + dw[0][1] + dw[0][2], 0.0);
    assertEquals(w[1][1], dw[1][0], 1e-12);
    assertEquals(w[1][0] + x[0], dw[1][1], 1e-12);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Rows", "rows", in.vector("x"), in.matrix("w")),
        Inputs.of().vector("x", x).matrix("w", w), Inputs.of().vector("x", dx).matrix("w", dw));
    assertArrayEquals(xBefore, x, 0.0); // rows are the arrays' values, not places the sweeps write
    assertArrayEquals(wBefore[1], w[1], 0.0);
  }

  @Test
  void tangentOfRowsMatchesTheGradient() {
    double[] x = random.doubles(2, -2, 2).toArray();
    double[][] w = {random.doubles(3, -1, 1).toArray(), random.doubles(2, -1, 1).toArray()};
    double[] vx = random.doubles(2, -1, 1).toArray();
    double[][] vw = {random.doubles(3, -1, 1).toArray(), random.doubles(2, -1, 1).toArray()};
    Dual d = (Dual) compiled.call("p.RowsGrad", "rowsTangent", x, w, vx, vw);
    double expected = (x[1] + x[1] * x[1] + w[1][1]) * vx[0] + (x[0] + 2 * x[0] * x[1]) * vx[1]
        + w[1][1] * vw[1][0] + (w[1][0] + x[0]) * vw[1][1];
    assertEquals(expected, d.derivative(), 1e-12);
  }

  @Test
  void hessianOfRows() {
    double[] x = random.doubles(2, -2, 2).toArray();
    double[][] h = (double[][]) compiled.call("p.RowsGrad", "rowProductsHessian", (Object) x);
    // f = x0 x1 + 2 x0 x1²
    double[][] expected = {{0, 1 + 4 * x[1]}, {1 + 4 * x[1], 4 * x[0]}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(expected[i][j], h[i][j], 1e-12, "H[" + i + "][" + j + "]");
      }
    }
    Object g = compiled.call("p.RowsGrad", "rowProducts", (Object) x);
    GradientAssertions.assertGradient(p -> p[0] * p[1] + 2 * p[0] * p[1] * p[1], x,
        (double[]) Compiled.partial(g, "x"));
  }

  @Test
  void callResultAsARowInEveryMode() {
    double u = random.nextDouble(-2, 2);
    double[] x = random.doubles(2, -2, 2).toArray();
    Object g = compiled.call("p.RowsGrad", "callAsRow", u, x);
    // f = u² x1 + u
    assertEquals(2 * u * x[1] + 1, Compiled.scalar(g, "u"), 1e-12);
    double[] dx = (double[]) Compiled.partial(g, "x");
    assertEquals(0.0, dx[0], 0.0);
    assertEquals(u * u, dx[1], 1e-12);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Rows", "callAsRow", in.vector("u")[0], in.vector("x")),
        Inputs.of().vector("u", new double[] {u}).vector("x", x),
        Inputs.of().vector("u", new double[] {Compiled.scalar(g, "u")}).vector("x", dx));
    double[][] h = (double[][]) compiled.call("p.RowsGrad", "callAsRowHessian", u, x);
    double[][] expected = {{2 * x[1], 0, 2 * u}, {0, 0, 0}, {2 * u, 0, 0}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[i][j], h[i][j], 1e-12, "H[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void variableOfAnEnhancedForAsARow() {
    double[][] w = {{1, 2}, {3, 4}};
    double[] x = {5, 6};
    Object g = compiled.call("p.RowsGrad", "loopRowAsRow", w, x);
    // f = Σ_r r0 r1 x1
    assertArrayEquals(new double[] {12, 6}, ((double[][]) Compiled.partial(g, "w"))[0], 1e-12);
    assertArrayEquals(new double[] {24, 18}, ((double[][]) Compiled.partial(g, "w"))[1], 1e-12);
    assertArrayEquals(new double[] {0, 14}, (double[]) Compiled.partial(g, "x"), 1e-12);
    Dual d = (Dual) compiled.call("p.RowsGrad", "loopRowAsRowTangent", w, x, new double[][] {{1, 0}, {0, 0}},
        new double[] {0, 1});
    assertEquals(12 + 14, d.derivative(), 1e-12);
  }
}
