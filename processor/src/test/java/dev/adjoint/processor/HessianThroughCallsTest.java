package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DualVector;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hessians of methods that call other {@code @Differentiable} methods (forward over reverse goes
 * through each callee's {@code fPullbackTangent}), and forward mode of vector-valued methods.
 */
class HessianThroughCallsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class Calls {
        @Differentiable(also = HESSIAN)
        static double term(double a, double b) {
          double d = b - a * a;
          return 100 * d * d + (1 - a) * (1 - a);
        }

        @Differentiable(also = HESSIAN)
        static double rosenbrock(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            sum += term(x[i], x[i + 1]);
          }
          return sum;
        }

        /** Vector-valued, with a parameter left out of wrt. */
        @Differentiable(wrt = "x", also = HESSIAN)
        static double[] field(double[] x, double scale) {
          double[] out = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            double left = i > 0 ? x[i - 1] : 0;
            out[i] = scale * Math.sin(x[i]) * left + Math.exp(0.5 * x[i]);
          }
          return out;
        }

        /** A vector-valued callee called twice in a loop, its results combined non-linearly. */
        @Differentiable(also = HESSIAN)
        static double energy(double[] x) {
          double total = 0;
          double[] state = {x[0], x[1], x[2]};
          for (int step = 0; step < 3; step++) {
            double[] f = field(state, 0.5);
            double[] g = field(f, 1.5);
            for (int i = 0; i < 3; i++) {
              state[i] += 0.1 * g[i];
            }
            total += f[0] * g[2] - Math.log(1 + f[1] * f[1]);
          }
          if (total > 0) {
            total += term(state[0], state[1] * x[3]);
          }
          return total;
        }

        /** Calls through an intermediate vector-valued method that itself calls a scalar one. */
        @Differentiable(also = HESSIAN)
        static double[] pairs(double[] x) {
          double[] out = new double[x.length - 1];
          for (int i = 0; i < out.length; i++) {
            out[i] = term(x[i], x[i + 1]);
          }
          return out;
        }

        /** Two inputs, many outputs: its Jacobian goes column by column, in forward mode. */
        @Differentiable(also = TANGENT)
        static double[] curve(double t, double[] s) {
          double[] points = new double[12];
          for (int i = 0; i < points.length; i++) {
            points[i] = Math.sin(t * i) * s[0] + Math.exp(-s[1] * i / 12.0);
          }
          return points;
        }

        @Differentiable(also = HESSIAN)
        static double nested(double[] x) {
          double[] p = pairs(x);
          double sum = 0;
          for (double v : p) {
            sum += Math.sqrt(1 + v);
          }
          return sum;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Calls", SOURCE);
  private final SplittableRandom random = new SplittableRandom(29);

  @Test
  void rosenbrockByCallsHasTheAnalyticTridiagonalHessian() {
    int n = 12;
    double[] x = random.doubles(n, -1.5, 1.5).toArray();
    double[][] hessian = (double[][]) compiled.call("p.CallsGrad", "rosenbrockHessian", (Object) x);
    RosenbrockHessian.assertAnalytic(x, hessian);
  }

  @Test
  void hessianThroughVectorValuedCalleesMatchesDifferencesOfTheGradient() {
    for (int trial = 0; trial < 5; trial++) {
      double[] x = random.doubles(4, -0.8, 0.8).toArray();
      GradientAssertions.assertGradient(p -> (double) compiled.call("p.Calls", "energy", (Object) p), x,
          (double[]) Compiled.partial(compiled.call("p.CallsGrad", "energy", (Object) x), "x"));
      double[][] hessian = (double[][]) compiled.call("p.CallsGrad", "energyHessian", (Object) x);
      GradientAssertions.assertHessian(
          point -> (double[]) Compiled.partial(compiled.call("p.CallsGrad", "energy", (Object) point), "x"),
          x, hessian);
    }
  }

  @Test
  void hessianThroughTwoLevelsOfCalls() {
    double[] x = random.doubles(5, -1, 1).toArray();
    GradientAssertions.assertGradient(p -> (double) compiled.call("p.Calls", "nested", (Object) p), x,
        (double[]) Compiled.partial(compiled.call("p.CallsGrad", "nested", (Object) x), "x"));
    double[][] hessian = (double[][]) compiled.call("p.CallsGrad", "nestedHessian", (Object) x);
    GradientAssertions.assertHessian(
        point -> (double[]) Compiled.partial(compiled.call("p.CallsGrad", "nested", (Object) point), "x"),
        x, hessian);
  }

  @Test
  void aTallJacobianComesColumnByColumnInForwardMode() {
    double t = 0.7;
    double[] s = {1.3, -0.4};
    double[][] jacobian = (double[][]) compiled.call("p.CallsGrad", "curveJacobian", t, s);
    assertTrue(compiled.generatedSources().contains("curveTangent(t, s, vT, vS).derivative()"),
        "forward columns for 3 inputs and 12 outputs");
    GradientAssertions.assertJacobian(
        p -> (double[]) compiled.call("p.Calls", "curve", p[0], new double[] {p[1], p[2]}),
        new double[] {t, s[0], s[1]}, jacobian);
  }

  @Test
  void vectorTangentIsTheJacobianTimesTheDirection() {
    double[] x = random.doubles(6, -1, 1).toArray();
    double[] dx = random.doubles(6, -1, 1).toArray();
    DualVector dual = (DualVector) compiled.call("p.CallsGrad", "fieldTangent", x, 0.7, dx);
    double[][] jacobian = (double[][]) compiled.call("p.CallsGrad", "fieldJacobian", x, 0.7);
    assertArrayEquals((double[]) compiled.call("p.Calls", "field", x, 0.7), dual.value(), 0.0);
    for (int i = 0; i < x.length; i++) {
      double expected = 0;
      for (int j = 0; j < x.length; j++) {
        expected += jacobian[i][j] * dx[j];
      }
      assertEquals(expected, dual.derivative()[i], 1e-12, "output " + i);
    }
  }
}
