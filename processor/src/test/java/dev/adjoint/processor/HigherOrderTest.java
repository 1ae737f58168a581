package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Forward mode and Hessians: against closed forms and against the reverse-mode gradient. */
class HigherOrderTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Second {
        @Differentiable(also = {TANGENT, HESSIAN})
        static double z(double x, double y) {
          return 2 * x * x + 3 * y + 1;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double rosenbrock(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
          }
          return sum;
        }

        @Differentiable(also = TANGENT)
        static double wavy(double x, double y) {
          double s = Math.sin(x * y);
          if (s > 0) {
            s = s * Math.exp(x);
          }
          return s / (1 + y * y);
        }

        @Differentiable(wrt = "w", also = {TANGENT, HESSIAN})
        static double logistic(double[][] x, double[] w, int[] y, double lambda) {
          double loss = 0;
          for (int i = 0; i < x.length; i++) {
            double z = 0;
            for (int j = 0; j < w.length; j++) {
              z += x[i][j] * w[j];
            }
            double p = 1 / (1 + Math.exp(-z));
            loss -= y[i] == 1 ? Math.log(p) : Math.log(1 - p);
          }
          double penalty = 0;
          for (double wj : w) {
            penalty += wj * wj;
          }
          return loss / x.length + 0.5 * lambda * penalty;
        }

        @Differentiable(also = {TAYLOR})
        static double taylor(double x) {
          return 1 / (1 - x) + Math.pow(x, 5) + Math.sin(x) * Math.exp(x);
        }

        @Differentiable(also = TANGENT)
        static double term(double a, double b) {
          double d = b - a * a;
          return 100 * d * d + (1 - a) * (1 - a);
        }

        @Differentiable(also = TANGENT)
        static double viaCalls(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            sum += term(x[i], x[i + 1]);
          }
          return sum;
        }

        @Differentiable(also = TANGENT)
        static double loops(double[] v, double t) {
          double m = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > m) {
              m = v[i];
            }
          }
          double s = 0;
          for (double e : v) {
            s += Math.exp(t * (e - m));
          }
          return m + Math.log(s) / t;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Second", SOURCE);
  private final SplittableRandom random = new SplittableRandom(17);

  @Test
  void secondDerivativesOfAQuadratic() {
    double[][] hessian = (double[][]) compiled.call("p.SecondGrad", "zHessian", 1.3, -0.4);
    assertEquals(4.0, hessian[0][0], 0.0);
    assertEquals(0.0, hessian[0][1], 0.0);
    assertEquals(0.0, hessian[1][0], 0.0);
    assertEquals(0.0, hessian[1][1], 0.0);
  }

  @Test
  void rosenbrockHessianIsTheAnalyticTridiagonal() {
    int n = 100;
    double[] x = random.doubles(n, -1.5, 1.5).toArray();
    double[][] hessian = (double[][]) compiled.call("p.SecondGrad", "rosenbrockHessian", (Object) x);
    RosenbrockHessian.assertAnalytic(x, hessian);
  }

  @Test
  void tangentEqualsGradientDotDirection() {
    for (int trial = 0; trial < 10; trial++) {
      double x = random.nextDouble(-2, 2);
      double y = random.nextDouble(-2, 2);
      double dx = random.nextDouble(-1, 1);
      double dy = random.nextDouble(-1, 1);
      Object g = compiled.call("p.SecondGrad", "wavy", x, y);
      Dual dual = (Dual) compiled.call("p.SecondGrad", "wavyTangent", x, y, dx, dy);
      assertEquals(Compiled.scalar(g, "value"), dual.value(), 0.0);
      assertEquals(Compiled.scalar(g, "x") * dx + Compiled.scalar(g, "y") * dy, dual.derivative(), 1e-13);
    }
  }

  @Test
  void tangentThroughLoopsBranchesAndArrays() {
    for (int trial = 0; trial < 10; trial++) {
      double[] v = random.doubles(5, -2, 2).toArray();
      double t = random.nextDouble(0.5, 2);
      double[] dv = random.doubles(5, -1, 1).toArray();
      double dt = random.nextDouble(-1, 1);
      Object g = compiled.call("p.SecondGrad", "loops", v, t);
      Dual dual = (Dual) compiled.call("p.SecondGrad", "loopsTangent", v, t, dv, dt);
      double[] gv = (double[]) Compiled.partial(g, "v");
      double expected = Compiled.scalar(g, "t") * dt;
      for (int i = 0; i < v.length; i++) {
        expected += gv[i] * dv[i];
      }
      assertEquals(expected, dual.derivative(), 1e-12);
    }
  }

  @Test
  void hessianVectorProductMatchesTheHessian() {
    double[] x = random.doubles(8, -1, 1).toArray();
    double[] v = random.doubles(8, -1, 1).toArray();
    double[][] hessian = (double[][]) compiled.call("p.SecondGrad", "rosenbrockHessian", (Object) x);
    double[] product = (double[]) compiled.call("p.SecondGrad", "rosenbrockHessianVector", x, v);
    for (int i = 0; i < x.length; i++) {
      double expected = 0;
      for (int j = 0; j < x.length; j++) {
        expected += hessian[i][j] * v[j];
      }
      assertEquals(expected, product[i], 1e-9);
    }
  }

  @Test
  void logisticRegressionHessianIsXtSXOverNPlusLambda() {
    int n = 30;
    int d = 4;
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.doubles(d, -2, 2).toArray();
      y[i] = random.nextInt(2);
    }
    double[] w = random.doubles(d, -1, 1).toArray();
    double lambda = 0.01;
    double[][] hessian = (double[][]) compiled.call("p.SecondGrad", "logisticHessian", x, w, y, lambda);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double expected = a == b ? lambda : 0;
        for (int i = 0; i < n; i++) {
          double z = 0;
          for (int j = 0; j < d; j++) {
            z += x[i][j] * w[j];
          }
          double p = 1 / (1 + Math.exp(-z));
          expected += x[i][a] * p * (1 - p) * x[i][b] / n;
        }
        assertEquals(expected, hessian[a][b], 1e-12, "H[" + a + "][" + b + "]");
      }
    }
    dev.adjoint.runtime.check.GradientAssertions.assertHessian(
        point -> (double[]) Compiled.partial(compiled.call("p.SecondGrad", "logistic", x, point, y, lambda), "w"),
        w, hessian);
  }

  @Test
  void derivativesUpToTheFourthOrderByTaylorMode() {
    for (int trial = 0; trial < 5; trial++) {
      double x = random.nextDouble(-0.9, 0.9);
      double[] derivatives = (double[]) compiled.call("p.SecondGrad", "taylorDerivatives", x, 4);
      for (int k = 0; k <= 4; k++) {
        double inverse = factorial(k) / Math.pow(1 - x, k + 1);
        double power = k <= 5 ? factorial(5) / factorial(5 - k) * Math.pow(x, 5 - k) : 0;
        double sinExp = Math.pow(Math.sqrt(2), k) * Math.exp(x) * Math.sin(x + k * Math.PI / 4);
        assertEquals(inverse + power + sinExp, derivatives[k], 1e-9 * Math.max(1, Math.abs(derivatives[k])), "order " + k);
      }
    }
  }

  private static double factorial(int k) {
    double result = 1;
    for (int i = 2; i <= k; i++) {
      result *= i;
    }
    return result;
  }

  @Test
  void tangentThroughCallsOfOtherDifferentiableMethods() {
    double[] x = random.doubles(6, -1, 1).toArray();
    double[] dx = random.doubles(6, -1, 1).toArray();
    Object g = compiled.call("p.SecondGrad", "viaCalls", (Object) x);
    Dual dual = (Dual) compiled.call("p.SecondGrad", "viaCallsTangent", x, dx);
    dev.adjoint.runtime.check.GradientAssertions.assertTangent((double[]) Compiled.partial(g, "x"), dx, dual.derivative());
  }
}
