package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** switch statements and expressions over int, in arrow and colon form: every mode against Java, closed forms and finite differences. */
class SwitchTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Switches {
        static final int CUBE = 3;

        /** Arrow form, several labels, a constant label, default. */
        @Differentiable(also = HESSIAN)
        static double arrow(double x, int kind) {
          double y = 0;
          switch (kind) {
            case 0 -> y = x;
            case 1, 2 -> y = x * x;
            case CUBE -> {
              double t = x * x;
              y = t * x;
            }
            default -> y = Math.sin(x);
          }
          return y;
        }

        /** Colon form with fall-through: kind 0 adds x, x² and 1; kind 1 adds x² and 1; kind 2 adds 2x; others 1. */
        @SuppressWarnings("fallthrough")
        @Differentiable(also = HESSIAN)
        static double fallThrough(double x, int kind) {
          double s = 0;
          switch (kind) {
            case 0:
              s += x;
            case 1:
              s += x * x;
            default:
              s += 1;
              break;
            case 2:
              s += 2 * x;
          }
          return s;
        }

        /** Colon form without fall-through, a break inside an if, default in the middle. */
        @Differentiable(also = HESSIAN)
        static double colon(double x, int kind) {
          double s = x;
          switch (kind) {
            case 1:
              s *= x;
              break;
            default:
              s = -s;
              break;
            case 2:
              if (x > 0) {
                s = 2 * x;
                break;
              }
              s = 3 * x;
              break;
          }
          return s;
        }

        /** A switch expression in arrow form with a block that yields. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double expression(double x) {
          double s = 0;
          for (int i = 0; i < 4; i++) {
            s += switch (i) {
              case 0 -> x;
              case 1 -> {
                double t = x * x;
                yield t / 2;
              }
              default -> i * Math.exp(x);
            };
          }
          return s;
        }

        /** A switch expression in colon form, a yield inside an if, an int result. */
        @Differentiable(also = HESSIAN)
        static double colonExpression(double x, int n) {
          int k = switch (n % 3) {
            case 0:
              yield 1;
            case 1:
              if (n > 3) {
                yield 5;
              }
              yield 2;
            default:
              yield n;
          };
          return k * x * x;
        }

        /** A loop's continue and break pass through a switch as in Java. */
        @Differentiable(also = HESSIAN)
        static double inLoop(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            switch (i % 4) {
              case 0:
                continue;
              case 3:
                s += 100 * x[i];
                break;
              default:
                s += x[i] * x[i];
            }
            if (s > 1e6) {
              break;
            }
          }
          return s;
        }

        /** The selector is evaluated once, side effects included. */
        @Differentiable(also = HESSIAN)
        static double selectorOnce(double x, int n) {
          int k = n;
          double y = switch (k++) {
            case 0 -> x;
            case 1 -> 2 * x;
            default -> k * x;
          };
          return y + k;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Switches", SOURCE);

  private static double value(String method, Object... arguments) {
    return Compiled.scalar(compiled.call("p.SwitchesGrad", method, arguments), "value");
  }

  private static double gradient(String method, Object... arguments) {
    Object partial = Compiled.partial(compiled.call("p.SwitchesGrad", method, arguments), "x");
    return partial instanceof double[] array ? array[0] + 10 * array[1] + 100 * array[2] + 1000 * array[3] : (double) partial;
  }

  @Test
  void valuesAreJavas() {
    double x = 0.7;
    for (int kind = -1; kind <= 5; kind++) {
      for (String method : new String[] {"arrow", "fallThrough", "colon", "colonExpression", "selectorOnce"}) {
        assertEquals((double) compiled.call("p.Switches", method, x, kind), value(method, x, kind), 1e-12, method + " " + kind);
        assertEquals((double) compiled.call("p.Switches", method, -x, kind), value(method, -x, kind), 1e-12, method + " " + kind);
      }
    }
    assertEquals((double) compiled.call("p.Switches", "expression", x), value("expression", x), 1e-12);
    double[] v = {1, 2, 3, 4, 5};
    assertEquals((double) compiled.call("p.Switches", "inLoop", (Object) v), value("inLoop", (Object) v), 1e-12);
  }

  @Test
  void gradientsMatchClosedForms() {
    double x = 0.7;
    assertEquals(1, gradient("arrow", x, 0), 1e-12);
    assertEquals(2 * x, gradient("arrow", x, 2), 1e-12);
    assertEquals(3 * x * x, gradient("arrow", x, 3), 1e-12);
    assertEquals(Math.cos(x), gradient("arrow", x, 7), 1e-12);
    assertEquals(1 + 2 * x, gradient("fallThrough", x, 0), 1e-12);
    assertEquals(2 * x, gradient("fallThrough", x, 1), 1e-12);
    assertEquals(2, gradient("fallThrough", x, 2), 1e-12);
    assertEquals(0, gradient("fallThrough", x, 9), 1e-12);
    assertEquals(2 * x, gradient("colon", x, 1), 1e-12);
    assertEquals(-1, gradient("colon", x, 0), 1e-12);
    assertEquals(2, gradient("colon", x, 2), 1e-12);
    assertEquals(3, gradient("colon", -x, 2), 1e-12);
    assertEquals(1 + x + 2 * Math.exp(x) + 3 * Math.exp(x), gradient("expression", x), 1e-12);
    assertEquals(2 * 5 * x, gradient("colonExpression", x, 4), 1e-12);
    assertEquals(2 * 2 * x, gradient("colonExpression", x, 1), 1e-12);
    assertEquals(2 * 5 * x, gradient("colonExpression", x, 5), 1e-12);
    assertEquals(2, gradient("selectorOnce", x, 1), 1e-12);
    assertEquals(3, gradient("selectorOnce", x, 2), 1e-12);
    assertEquals(0 + 10 * 2 * 2 + 100 * 2 * 3 + 1000 * 100, gradient("inLoop", (Object) new double[] {1, 2, 3, 4, 5}), 1e-12);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.SwitchesGrad", checks -> checks
        .domain("kind", -1, 4).domain("n", 0, 7).domain("selectorOnce", "n", -1, 3));
  }

  @Test
  void taylorCoefficientsMatchClosedForms() {
    double x = 0.7;
    double e = Math.exp(x);
    ModeChecks.taylorMatches(compiled, "p.SwitchesGrad", "expression", x,
        x + x * x / 2 + 5 * e, 1 + x + 5 * e, 1 + 5 * e, 5 * e);
  }
}
