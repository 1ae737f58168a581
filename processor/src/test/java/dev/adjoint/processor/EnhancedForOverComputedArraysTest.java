package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Enhanced for over arrays that are not variables (new arrays, calls' results), evaluated once, in every mode. */
class EnhancedForOverComputedArraysTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Iterated {
        static int calls = 0;

        static double[] weights(int n) {
          calls++;
          double[] w = new double[n];
          for (int i = 0; i < n; i++) {
            w[i] = i + 1;
          }
          return w;
        }

        @Differentiable(also = HESSIAN)
        static double[] powers(double x) {
          return new double[] {x, x * x, x * x * x};
        }

        /** x + 1.5x² (new double[] {1, 2} of constants, then of differentiated values). */
        @Differentiable(also = HESSIAN)
        static double literal(double x) {
          double s = 0;
          for (double c : new double[] {1, 2}) {
            for (double v : new double[] {x, c * x * x}) {
              s += v / 2;
            }
          }
          return s;
        }

        /** weights(3) is called once: x · (1 + 2 + 3), squared term by term. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double opaque(double x) {
          double s = 0;
          for (double w : weights(3)) {
            w *= x;
            s += w * w;
          }
          return s;
        }

        /** x + x² + x³ through a @Differentiable callee's result. */
        @Differentiable(also = HESSIAN)
        static double callee(double x) {
          double s = 0;
          for (double p : powers(x)) {
            s += p;
          }
          return s;
        }

        /** Rows of a new double[][]: 1.5·x·y + (x·y)². */
        @Differentiable(also = HESSIAN)
        static double rows(double x, double y) {
          double s = 0;
          for (double[] row : new double[][] {{x, y}, {x * y}}) {
            double p = 1;
            for (double v : row) {
              p *= v;
            }
            s += p * row.length / 2 + (row.length == 1 ? p * p : 0);
          }
          return s;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Iterated", SOURCE);

  private static double value(String method, Object... arguments) {
    return Compiled.scalar(compiled.call("p.IteratedGrad", method, arguments), "value");
  }

  private static double gradient(String method, String parameter, Object... arguments) {
    return Compiled.scalar(compiled.call("p.IteratedGrad", method, arguments), parameter);
  }

  @Test
  void valuesAndGradientsMatchClosedForms() {
    double x = 0.7;
    double y = -1.3;
    assertEquals(x + 1.5 * x * x, value("literal", x), 1e-12);
    assertEquals(1 + 3 * x, gradient("literal", "x", x), 1e-12);
    assertEquals(14 * x * x, value("opaque", x), 1e-12);
    assertEquals(28 * x, gradient("opaque", "x", x), 1e-12);
    assertEquals(x + x * x + x * x * x, value("callee", x), 1e-12);
    assertEquals(1 + 2 * x + 3 * x * x, gradient("callee", "x", x), 1e-12);
    assertEquals(1.5 * x * y + x * y * x * y, value("rows", x, y), 1e-12);
    assertEquals(1.5 * y + 2 * x * y * y, gradient("rows", "x", x, y), 1e-12);
    assertEquals(1.5 * x + 2 * x * x * y, gradient("rows", "y", x, y), 1e-12);
  }

  @Test
  void aCallOfUnknownPurityRunsOncePerRun() throws ReflectiveOperationException {
    java.lang.reflect.Field calls = compiled.load("p.Iterated").getDeclaredField("calls");
    calls.setAccessible(true);
    calls.setInt(null, 0);
    compiled.call("p.IteratedGrad", "opaque", 0.7);
    assertEquals(1, calls.getInt(null));
    compiled.call("p.IteratedGrad", "opaqueHessian", 0.7);
    assertEquals(2, calls.getInt(null));
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.IteratedGrad", checks -> checks);
  }

  @Test
  void taylorCoefficientsMatchClosedForms() {
    double x = 0.7;
    ModeChecks.taylorMatches(compiled, "p.IteratedGrad", "opaque", x, 14 * x * x, 28 * x, 28, 0);
  }
}
