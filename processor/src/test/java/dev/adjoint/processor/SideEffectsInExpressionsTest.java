package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Assignments and increments inside expressions and conditions run as in Java, in Java's order of
 * evaluation: every mode against the original method, closed forms and finite differences.
 */
class SideEffectsInExpressionsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Effects {
        /** The index is evaluated (and i incremented) before the value, which reads the new i. */
        @Differentiable(also = HESSIAN)
        static double cubes(double[] x) {
          double[] a = new double[x.length];
          int i = 0;
          while (i < x.length) {
            a[i++] = x[i - 1] * x[i - 1];
          }
          double s = 0;
          for (int k = 0; k < x.length; k++) {
            s += a[k] * x[k];
          }
          return s;
        }

        /** s = t = 2x; then s * t is read before t = 3 changes t: 4x² + 6x. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double chained(double x) {
          double s;
          double t;
          s = t = x * 2;
          return s * t + (t = 3) * s;
        }

        /** The condition's decrement also runs on the failing test: x^n - 1. */
        @Differentiable(also = HESSIAN)
        static double countdown(double x, int n) {
          double p = 1;
          while (n-- > 0) {
            p *= x;
          }
          return p + n;
        }

        /** k grows by 2 in the condition of an if: 6x + 6 for n = 5. */
        @Differentiable(also = HESSIAN)
        static double stepping(double x, int n) {
          int k = 0;
          double s = 0;
          while (true) {
            if ((k += 2) > n) {
              break;
            }
            s += x * k;
          }
          return s + k;
        }

        /** ++calls runs only when the left operand of && is true, calls++ only when that of || is false: 5x · 6. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double shortCircuit(double x) {
          int calls = 0;
          double s = 0;
          for (int i = 0; i < 4; i++) {
            if (i % 2 == 0 && ++calls > 0) {
              s += x * calls;
            }
            if (i > 10 || calls++ < 0) {
              s += 1000;
            }
          }
          return s * calls;
        }

        /** Only the chosen branch of ?: changes k: x + 2 for x > 0, and 0 otherwise. */
        @Differentiable(also = HESSIAN)
        static double chosen(double x) {
          int k = 1;
          double y = x > 0 ? x * k++ : x * --k;
          return y + k;
        }

        /** A do-while's condition runs after a continue too: x³ for n = 3. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double doWhile(double x) {
          double p = 1;
          int m = 3;
          do {
            p *= x;
            if (m == 2) {
              continue;
            }
          } while (--m > 0);
          return p + m;
        }

        /** Arguments in order: hypot(x, 2x) + 3x · 2 for x > 0. */
        @Differentiable(also = HESSIAN)
        static double arguments(double x) {
          int i = 0;
          double[] a = {x, 2 * x, 3 * x};
          return Math.hypot(a[i++], a[i++]) + a[i] * i;
        }

        /** y += ... reads y before the operand assigns it: x + 2x². */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double compound(double x) {
          double y = x;
          y += (y = y * 2) * x;
          return y;
        }

        /** A for loop whose condition and update both have side effects: x · (0 + 1 + 2) + (0 + 0 + 1) + 4. */
        @Differentiable(also = HESSIAN)
        static double forLoop(double x) {
          int i = 0;
          int tests = 0;
          double s = 0;
          for (int j = 0; tests++ < 3; j = i++) {
            s += x * i + j;
          }
          return s + tests;
        }

        /** An element incremented as a value: the old value is used. */
        @Differentiable(also = HESSIAN)
        static double elementIncrement(double[] x) {
          double[] c = {x[0], x[1]};
          double old = c[0]++;
          return old * c[0] + c[1]--;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Effects", SOURCE);

  private static double gradient(String method, String parameter, Object... arguments) {
    return Compiled.scalar(compiled.call("p.EffectsGrad", method, arguments), parameter);
  }

  private static double value(String method, Object... arguments) {
    return Compiled.scalar(compiled.call("p.EffectsGrad", method, arguments), "value");
  }

  @Test
  void valuesAreJavas() {
    assertEquals(1.5 * 1.5 * 1.5 + 8, value("cubes", new double[] {1.5, 2}), 1e-12);
    assertEquals(4 * 2.25 + 9, value("chained", 1.5), 1e-12);
    assertEquals(1.5 * 1.5 * 1.5 - 1, value("countdown", 1.5, 3), 1e-12);
    assertEquals(9 + 6, value("stepping", 1.5, 5), 1e-12);
    assertEquals(45, value("shortCircuit", 1.5), 1e-12);
    assertEquals(3.5, value("chosen", 1.5), 1e-12);
    assertEquals(0, value("chosen", -1.5), 1e-12);
    assertEquals(1.5 * 1.5 * 1.5, value("doWhile", 1.5), 1e-12);
    assertEquals(Math.sqrt(5) * 1.5 + 9, value("arguments", 1.5), 1e-12);
    assertEquals(1.5 + 2 * 2.25, value("compound", 1.5), 1e-12);
    assertEquals(1.5 * 3 + 1 + 4, value("forLoop", 1.5), 1e-12);
    assertEquals(1.5 * 2.5 + 2, value("elementIncrement", new double[] {1.5, 2}), 1e-12);
    for (String method : new String[] {"chained", "shortCircuit", "chosen", "doWhile", "arguments", "compound", "forLoop"}) {
      assertEquals((double) compiled.call("p.Effects", method, 0.7), value(method, 0.7), 1e-12, method);
    }
    assertEquals((double) compiled.call("p.Effects", "countdown", 0.7, 4), value("countdown", 0.7, 4), 1e-12);
  }

  @Test
  void gradientsMatchClosedForms() {
    assertEquals(3 * 2.25, ((double[]) Compiled.partial(compiled.call("p.EffectsGrad", "cubes", new double[] {1.5, 2}), "x"))[0], 1e-12);
    assertEquals(8 * 1.5 + 6, gradient("chained", "x", 1.5), 1e-12);
    assertEquals(3 * 2.25, gradient("countdown", "x", 1.5, 3), 1e-12);
    assertEquals(6, gradient("stepping", "x", 1.5, 5), 1e-12);
    assertEquals(30, gradient("shortCircuit", "x", 1.5), 1e-12);
    assertEquals(1, gradient("chosen", "x", 1.5), 1e-12);
    assertEquals(0, gradient("chosen", "x", -1.5), 1e-12);
    assertEquals(3 * 2.25, gradient("doWhile", "x", 1.5), 1e-12);
    assertEquals(Math.sqrt(5) + 6, gradient("arguments", "x", 1.5), 1e-12);
    assertEquals(1 + 4 * 1.5, gradient("compound", "x", 1.5), 1e-12);
    assertEquals(3, gradient("forLoop", "x", 1.5), 1e-12);
    double[] dx = (double[]) Compiled.partial(compiled.call("p.EffectsGrad", "elementIncrement", new double[] {1.5, 2}), "x");
    assertEquals(2 * 1.5 + 1, dx[0], 1e-12);
    assertEquals(1, dx[1], 1e-12);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.EffectsGrad", checks -> checks
        .domain("countdown", "n", 0, 4).domain("stepping", "n", 0, 9)
        .domain("arguments", "x", 0.5, 2).domain("chosen", "x", 0.2, 2));
  }

  @Test
  void taylorCoefficientsMatchClosedForms() {
    ModeChecks.taylorMatches(compiled, "p.EffectsGrad", "chained", 1.5, 4 * 2.25 + 9, 8 * 1.5 + 6, 8, 0);
    ModeChecks.taylorMatches(compiled, "p.EffectsGrad", "shortCircuit", 1.5, 45, 30, 0);
    ModeChecks.taylorMatches(compiled, "p.EffectsGrad", "doWhile", 1.5, 3.375, 6.75, 9, 6, 0);
    ModeChecks.taylorMatches(compiled, "p.EffectsGrad", "compound", 1.5, 6, 7, 4, 0);
  }
}
