package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Math functions with zero or one derivative (fma, toRadians, toDegrees, scalb, copySign, nextUp,
 * nextDown, nextAfter, ulp) and float locals, literals and casts, widened to double: every mode
 * against closed forms and finite differences.
 */
class MoreMathAndFloatsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class MoreMath {
        /** fma(x, x, x) + toRadians(x) · toDegrees(x) + scalb(x, 3) = x² + x + x² + 8x. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double scaled(double x) {
          return Math.fma(x, x, x) + Math.toRadians(x) * Math.toDegrees(x) + Math.scalb(x, 3);
        }

        /** copySign(x², -1) + nextUp(x) + nextDown(x) + nextAfter(x, 0) + ulp(x) ≈ -x² + 3x. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double stepped(double x) {
          return Math.copySign(x * x, -1) + Math.nextUp(x) + Math.nextDown(x) + Math.nextAfter(x, 0) + Math.ulp(x);
        }

        /** fma of three parameters: a·b + c. */
        @Differentiable(also = HESSIAN)
        static double fused(double a, double b, double c) {
          return Math.fma(a, b, c) * a;
        }

        /** A float local, a float literal and a cast to float, all widened: 0.5x² + 3x. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double floats(double x) {
          float half = 0.5f;
          float one = 1;
          double y = half * x * x + (float) 3 * x * one;
          return y;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.MoreMath", SOURCE);

  private static double gradient(String method, String parameter, Object... arguments) {
    return Compiled.scalar(compiled.call("p.MoreMathGrad", method, arguments), parameter);
  }

  @Test
  void valuesAreJavasAndGradientsMatchClosedForms() {
    double x = 0.7;
    for (String method : new String[] {"scaled", "stepped", "floats"}) {
      assertEquals((double) compiled.call("p.MoreMath", method, x),
          Compiled.scalar(compiled.call("p.MoreMathGrad", method, x), "value"), 1e-12, method);
    }
    assertEquals(4 * x + 1 + 8, gradient("scaled", "x", x), 1e-12);
    assertEquals(-2 * x + 3, gradient("stepped", "x", x), 1e-12);
    assertEquals(-2 * -x + 3, gradient("stepped", "x", -x), 1e-12);
    assertEquals(x + 3, gradient("floats", "x", x), 1e-12);
    assertEquals(2 * 0.5 * 2 + 3, gradient("fused", "a", 0.5, 2.0, 3.0), 1e-12);
    assertEquals(0.25, gradient("fused", "b", 0.5, 2.0, 3.0), 1e-12);
    assertEquals(0.5, gradient("fused", "c", 0.5, 2.0, 3.0), 1e-12);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.MoreMathGrad", checks -> checks);
  }

  @Test
  void taylorCoefficientsMatchClosedForms() {
    double x = 0.7;
    ModeChecks.taylorMatches(compiled, "p.MoreMathGrad", "scaled", x, 2 * x * x + 9 * x, 4 * x + 9, 4, 0);
    double stepped = (double) compiled.call("p.MoreMath", "stepped", x);
    ModeChecks.taylorMatches(compiled, "p.MoreMathGrad", "stepped", x, stepped, -2 * x + 3, -2, 0);
    ModeChecks.taylorMatches(compiled, "p.MoreMathGrad", "floats", x, 0.5 * x * x + 3 * x, x + 3, 1, 0);
  }

  /** Math.clamp is Java 21's: on 17 the built-in rules skip it, and this test does not run. */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void clampWhereTheJdkHasIt() {
    Compiled clamped = Compiled.compile("p.Clamped", """
        package p;

        import static dev.adjoint.Derivative.HESSIAN;
        import static dev.adjoint.Derivative.TAYLOR;

        import dev.adjoint.Differentiable;

        class Clamped {
          @Differentiable(also = {HESSIAN, TAYLOR})
          static double f(double x) {
            return Math.clamp(x * x, 0.5, 2.0) + x;
          }
        }
        """);
    assertEquals(2 * 1.2 + 1, Compiled.scalar(clamped.call("p.ClampedGrad", "f", 1.2), "x"), 1e-12);
    assertEquals(1, Compiled.scalar(clamped.call("p.ClampedGrad", "f", 0.5), "x"), 1e-12);
    assertEquals(1, Compiled.scalar(clamped.call("p.ClampedGrad", "f", 2.0), "x"), 1e-12);
    ModeChecks.taylorMatches(clamped, "p.ClampedGrad", "f", 1.2, 1.44 + 1.2, 3.4, 2, 0);
    ModeChecks.everyModePasses(clamped, "p.ClampedGrad", checks -> checks.domain("x", 0.8, 1.3));
  }
}
