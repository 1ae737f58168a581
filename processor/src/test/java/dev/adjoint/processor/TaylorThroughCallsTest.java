package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import org.junit.jupiter.api.Test;

/**
 * Taylor mode ({@code fDerivatives}) through calls of other {@code @Differentiable} methods with
 * TAYLOR and of helpers (several double parameters, data arguments, recursion), and reading data
 * Matrix, record and array parameters: against closed forms, the gradient and central differences
 * of the gradient.
 */
class TaylorThroughCallsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class Series {
        record Poly(double a, double b) {}

        /** u·eᵘ. */
        @Differentiable(also = TAYLOR)
        static double inner(double u) {
          return Math.exp(u) * u;
        }

        /** times · v², a helper with a data parameter and a loop. */
        static double squares(double v, int times) {
          double s = 0;
          for (int i = 0; i < times; i++) {
            s += v * v;
          }
          return s;
        }

        /** a²·b, a private helper of two doubles. */
        private static double weighted(double a, double b) {
          return a * a * b;
        }

        /** vⁿ by recursion. */
        static double power(double v, int n) {
          return n == 0 ? 1 : v * power(v, n - 1);
        }

        /** 2x·e²ˣ + 3x² + x²·sin x + x⁴. */
        @Differentiable(also = TAYLOR)
        static double outer(double x) {
          return inner(2 * x) + squares(x, 3) + weighted(x, Math.sin(x)) + power(x, 4);
        }

        /** A helper that switches over a String. */
        static double pick(double v, String how) {
          return switch (how) {
            case "sin" -> Math.sin(v);
            default -> v * v;
          };
        }

        /** 2·sin x or 2x², chosen by a String handed on to a helper. */
        @Differentiable(also = TAYLOR)
        static double picked(double x, String how) {
          return 2 * pick(x, how);
        }

        /** a·x² + b·m₀₁·x + w₁·sin x, reading data of every kind. */
        @Differentiable(wrt = "x", also = TAYLOR)
        static double withData(double x, Matrix m, Poly p, double[] w) {
          return p.a() * x * x + p.b() * m.get(0, 1) * x + w[1] * Math.sin(x);
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Series", SOURCE);

  private static double[] derivatives(String method, Object... arguments) {
    return (double[]) compiled.call("p.SeriesGrad", method + "Derivatives", arguments);
  }

  private static double gradient(double x) {
    return Compiled.scalar(compiled.call("p.SeriesGrad", "outer", x), "x");
  }

  @Test
  void derivativesThroughCallsMatchClosedForms() {
    for (double x : new double[] {0.3, -0.8}) {
      double e = Math.exp(2 * x);
      double s = Math.sin(x);
      double c = Math.cos(x);
      double[] expected = {
          2 * x * e + 3 * x * x + x * x * s + Math.pow(x, 4),
          2 * e + 4 * x * e + 6 * x + 2 * x * s + x * x * c + 4 * Math.pow(x, 3),
          8 * e + 8 * x * e + 6 + 2 * s + 4 * x * c - x * x * s + 12 * x * x,
          24 * e + 16 * x * e + 6 * c - 6 * x * s - x * x * c + 24 * x};
      ModeChecks.taylorMatches(compiled, "p.SeriesGrad", "outer", x, expected);
      assertEquals((double) compiled.call("p.Series", "outer", x), derivatives("outer", x, 3)[0], 1e-12);
    }
  }

  @Test
  void derivativesAgreeWithTheGradientAndItsDifferences() {
    double x = 0.45;
    double h = 1e-5;
    double[] d = derivatives("outer", x, 2);
    assertEquals(gradient(x), d[1], 1e-12);
    double second = (gradient(x + h) - gradient(x - h)) / (2 * h);
    assertEquals(second, d[2], 1e-6 * Math.abs(second));
  }

  @Test
  void aStringChoosesTheHelpersBranchInTaylorMode() {
    double x = 0.9;
    assertArrayEquals(new double[] {2 * x * x, 4 * x, 4, 0}, derivatives("picked", x, "square", 3), 1e-12);
    assertArrayEquals(new double[] {2 * Math.sin(x), 2 * Math.cos(x), -2 * Math.sin(x), -2 * Math.cos(x)},
        derivatives("picked", x, "sin", 3), 1e-12);
  }

  @Test
  void dataMatrixRecordAndArrayParametersAreConstants() {
    double x = 0.6;
    Matrix m = Matrix.of(new double[][] {{1, 2.5}, {3, 4}});
    Object p = compiled.construct("p.Series$Poly", 1.5, -0.5);
    double[] w = {7, 0.8};
    double[] d = derivatives("withData", x, m, p, w, 3);
    assertEquals(1.5 * x * x - 0.5 * 2.5 * x + 0.8 * Math.sin(x), d[0], 1e-12);
    assertEquals(3 * x - 1.25 + 0.8 * Math.cos(x), d[1], 1e-12);
    assertEquals(3 - 0.8 * Math.sin(x), d[2], 1e-12);
    assertEquals(-0.8 * Math.cos(x), d[3], 1e-12);
  }

  @Test
  void helpersSeriesArePrivateAndAnnotatedOnesPublic() {
    String generated = compiled.generatedSources();
    assertTrue(generated.contains("public static double[] innerSeries(double[] uSeries, int order)"), generated);
    assertTrue(generated.contains("private static double[] weightedSeries(double[] aSeries, double[] bSeries, int order)"),
        generated);
    assertTrue(generated.contains("private static double[] powerSeries(double[] vSeries, int n, int order)"), generated);
    assertFalse(generated.contains("public static double[] squaresSeries"), generated);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.SeriesGrad", checks -> checks
        .argument("m", random -> Matrix.of(new double[][] {{random.nextDouble(), random.nextDouble()}}))
        .argument("p", random -> compiled.construct("p.Series$Poly", random.nextDouble(), random.nextDouble()))
        .argument("w", random -> random.doubles(2, -1, 1).toArray())
        .argument("how", random -> random.nextBoolean() ? "sin" : "square"));
  }
}
