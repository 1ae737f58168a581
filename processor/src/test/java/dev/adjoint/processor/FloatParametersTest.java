package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * float parameters, differentiated as doubles: the generated methods take a double and give a
 * double partial, in every mode, against closed forms and finite differences (float arrays stay
 * ADJ104: SignatureDiagnosticsTest).
 */
class FloatParametersTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Floats {
        /** x²·y + sin(x): a float and a double parameter. */
        @Differentiable(also = HESSIAN)
        static double mixed(float x, double y) {
          return x * x * y + Math.sin(x);
        }

        /** eˣ/2 of one float, in Taylor mode too. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double single(float x) {
          float half = 0.5f;
          return half * Math.exp(x);
        }

        /** A float that is data (left out of wrt) scales a vector-valued function. */
        @Differentiable(wrt = "v", also = HESSIAN)
        static double[] scaled(double[] v, float scale) {
          return new double[] {scale * v[0] * v[1], v[1]};
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Floats", SOURCE);

  @Test
  void generatedMethodsTakeDoublesAndGiveDoublePartials() throws ReflectiveOperationException {
    Class<?> companion = compiled.load("p.FloatsGrad");
    Method mixed = companion.getMethod("mixed", double.class, double.class);
    Object gradient = mixed.invoke(null, 0.5, 3.0);
    assertEquals(double.class, gradient.getClass().getMethod("x").getReturnType());
    assertEquals(2 * 0.5 * 3 + Math.cos(0.5), Compiled.scalar(gradient, "x"), 1e-12);
    assertEquals(0.25, Compiled.scalar(gradient, "y"), 1e-12);
    // Values of floats that are exact doubles agree with Java's float arithmetic here.
    Method original = compiled.load("p.Floats").getDeclaredMethod("mixed", float.class, double.class);
    original.setAccessible(true);
    assertEquals((double) original.invoke(null, 0.5f, 3.0), Compiled.scalar(gradient, "value"), 1e-6);
    assertTrue(compiled.generatedSources().contains("{@link p.Floats#mixed(float, double)}"));
  }

  @Test
  void hessianAndTaylorMatchClosedForms() {
    double x = 0.5;
    double y = 3;
    double[][] h = (double[][]) compiled.call("p.FloatsGrad", "mixedHessian", x, y);
    assertEquals(2 * y - Math.sin(x), h[0][0], 1e-12);
    assertEquals(2 * x, h[0][1], 1e-12);
    assertEquals(2 * x, h[1][0], 1e-12);
    assertEquals(0, h[1][1], 1e-12);
    double e = Math.exp(x) / 2;
    ModeChecks.taylorMatches(compiled, "p.FloatsGrad", "single", x, e, e, e, e);
  }

  @Test
  void aFloatDataParameterReachesTheOriginalAsAFloat() {
    double[][] jacobian = (double[][]) compiled.call("p.FloatsGrad", "scaledJacobian", new double[] {2, 5}, 3.0);
    assertEquals(3 * 5, jacobian[0][0], 1e-12);
    assertEquals(3 * 2, jacobian[0][1], 1e-12);
    assertEquals(1, jacobian[1][1], 1e-12);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.FloatsGrad", checks -> checks);
  }
}
