package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Branches, loops, early returns and arrays: every gradient against finite differences and closed forms. */
class ControlFlowTest {
  private static final String SOURCE = """
      package p;

      import dev.adjoint.Differentiable;

      class Flow {
        @Differentiable
        static double piecewise(double x) {
          if (x < -1) {
            return Math.abs(x) * 2;
          } else if (x < 1) {
            double y = x * x;
            return Math.max(y, 0.25);
          }
          double z = x;
          z = z * z * x;
          return z;
        }

        @Differentiable
        static double newtonSqrt(double a) {
          double g = a;
          int steps = 0;
          while (Math.abs(g * g - a) > 1e-14 * a && steps < 100) {
            g = 0.5 * (g + a / g);
            steps++;
          }
          return g;
        }

        @Differentiable
        static double halving(double x) {
          int k = 0;
          while (x > 1) {
            x = x / 2;
            k++;
          }
          return x + k;
        }

        @Differentiable
        static double nested(double x, double y) {
          double s = 0;
          outer:
          for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
              if (j > i) {
                continue outer;
              }
              if (i + j == 7) {
                break outer;
              }
              if ((i + j) % 2 == 0) {
                continue;
              }
              s += Math.sin(x * i + y * j) * x;
            }
          }
          return s;
        }

        @Differentiable
        static double logSumExp(double[] v) {
          double m = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > m) {
              m = v[i];
            }
          }
          double s = 0;
          for (double e : v) {
            s += Math.exp(e - m);
          }
          return m + Math.log(s);
        }

        @Differentiable
        static double unusedAcos(double x) {
          double unused = Math.acos(2 * x);
          double y = x * x;
          return y;
        }

        @Differentiable
        static double overwrittenAcos(double x) {
          double t = Math.acos(2 * x);
          t = x * 3;
          return t;
        }

        @Differentiable
        static double horner(double[] coefficients, double x) {
          double result = 0;
          for (int i = coefficients.length - 1; i >= 0; i--) {
            result = result * x + coefficients[i];
          }
          return result;
        }

        @Differentiable
        static double rosenbrock(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
          }
          return sum;
        }

        @Differentiable(wrt = {"w", "b"})
        static double logistic(double[][] X, double[] w, double b, int[] y, double lambda) {
          double loss = 0;
          for (int i = 0; i < X.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) {
              z += X[i][j] * w[j];
            }
            double p = 1 / (1 + Math.exp(-z));
            loss -= y[i] == 1 ? Math.log(p) : Math.log(1 - p);
          }
          double penalty = 0;
          for (double wj : w) {
            penalty += wj * wj;
          }
          return loss / X.length + 0.5 * lambda * penalty;
        }

        @Differentiable
        static double doWhile(double x) {
          double p = 1;
          int n = 0;
          do {
            p = p * x;
            n++;
          } while (n < 3);
          return p;
        }

        @Differentiable
        static double localArray(double x, double y) {
          double[] v = new double[3];
          v[0] = x;
          v[1] = x * y;
          v[2] = Math.sin(v[1]);
          v[1] += v[2] * y;
          double[] c = {x, 2 * y};
          return v[0] * v[1] + v[2] + c[0] * c[1];
        }

        @Differentiable
        static double ternary(double x) {
          double y = x > 0 ? x * x : -x;
          return y > 1 ? Math.sqrt(y) : y;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Flow", SOURCE);
  private final SplittableRandom random = new SplittableRandom(42);

  private double[] scalarGradient(String method, double... arguments) {
    Object[] boxed = new Object[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      boxed[i] = arguments[i];
    }
    Object g = compiled.call("p.FlowGrad", method, boxed);
    String[] names = {"x", "y"};
    if (method.equals("newtonSqrt")) {
      names = new String[] {"a"};
    }
    double[] gradient = new double[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      gradient[i] = Compiled.scalar(g, names[i]);
    }
    return gradient;
  }

  private double primal(String method, double... arguments) {
    Object[] boxed = new Object[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      boxed[i] = arguments[i];
    }
    return (double) compiled.call("p.Flow", method, boxed);
  }

  private void checkScalar(String method, double low, double high, int arity) {
    for (int trial = 0; trial < 8; trial++) {
      double[] point = new double[arity];
      for (int i = 0; i < arity; i++) {
        point[i] = random.nextDouble(low, high);
      }
      GradientAssertions.assertGradient(p -> primal(method, p), point, scalarGradient(method, point));
    }
  }

  @Test
  void piecewiseWithEarlyReturns() {
    checkScalar("piecewise", -3, 3, 1);
    assertEquals(-2.0, scalarGradient("piecewise", -2.0)[0], 0.0);
    assertEquals(1.4, scalarGradient("piecewise", 0.7)[0], 1e-15);
    assertEquals(0.5, scalarGradient("piecewise", 0.5)[0], 0.0); // a tie in max: half to each side
    assertEquals(0.0, scalarGradient("piecewise", 0.1)[0], 0.0);
    assertEquals(12.0, scalarGradient("piecewise", 2.0)[0], 0.0);
  }

  @Test
  void newtonIterationDifferentiatesToTheSquareRootsDerivative() {
    for (double a : new double[] {0.5, 2, 9, 100}) {
      assertEquals(1 / (2 * Math.sqrt(a)), scalarGradient("newtonSqrt", a)[0], 1e-9);
    }
  }

  @Test
  void halvingLoopScalesTheGradient() {
    assertEquals(1.0 / 8, scalarGradient("halving", 5.0)[0], 0.0);
    assertEquals(1.0, scalarGradient("halving", 0.5)[0], 0.0);
  }

  @Test
  void breakAndContinueInNestedLoops() {
    checkScalar("nested", -1, 1, 2);
  }

  @Test
  void logSumExpGradientIsTheSoftmax() {
    for (int trial = 0; trial < 5; trial++) {
      double[] v = random.doubles(6, -3, 3).toArray();
      Object g = compiled.call("p.FlowGrad", "logSumExp", (Object) v);
      double[] gradient = (double[]) Compiled.partial(g, "v");
      double max = java.util.Arrays.stream(v).max().orElseThrow();
      double sum = java.util.Arrays.stream(v).map(e -> Math.exp(e - max)).sum();
      for (int i = 0; i < v.length; i++) {
        assertEquals(Math.exp(v[i] - max) / sum, gradient[i], 1e-14);
      }
    }
  }

  @Test
  void deadCodeDoesNotPoisonTheGradient() {
    assertEquals(6.0, scalarGradient("unusedAcos", 3.0)[0], 0.0);
    assertEquals(3.0, scalarGradient("overwrittenAcos", 3.0)[0], 0.0);
  }

  @Test
  void hornerGradientWithRespectToCoefficientsAndX() {
    double[] coefficients = {1, -2, 3, 0.5};
    double x = 1.7;
    Object g = compiled.call("p.FlowGrad", "horner", coefficients, x);
    double[] dc = (double[]) Compiled.partial(g, "coefficients");
    for (int i = 0; i < coefficients.length; i++) {
      assertEquals(Math.pow(x, i), dc[i], 1e-12);
    }
    assertEquals(-2 + 6 * x + 1.5 * x * x, Compiled.scalar(g, "x"), 1e-12);
  }

  @Test
  void rosenbrockInAThousandDimensions() {
    double[] x = random.doubles(1000, -2, 2).toArray();
    Object g = compiled.call("p.FlowGrad", "rosenbrock", (Object) x);
    double[] gradient = (double[]) Compiled.partial(g, "x");
    for (int i = 0; i < x.length; i++) {
      double expected = 0;
      if (i < x.length - 1) {
        expected += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
      }
      if (i > 0) {
        expected += 200 * (x[i] - x[i - 1] * x[i - 1]);
      }
      assertEquals(expected, gradient[i], 1e-9 * Math.max(1, Math.abs(expected)));
    }
  }

  @Test
  void logisticRegressionLossAgainstFiniteDifferences() {
    double[][] features = new double[20][3];
    int[] labels = new int[20];
    for (int i = 0; i < 20; i++) {
      features[i] = random.doubles(3, -2, 2).toArray();
      labels[i] = random.nextInt(2);
    }
    for (int trial = 0; trial < 5; trial++) {
      double[] w = random.doubles(3, -1, 1).toArray();
      double b = random.nextDouble(-1, 1);
      Object g = compiled.call("p.FlowGrad", "logistic", features, w, b, labels, 0.1);
      GradientAssertions.assertGradient(
          in -> (double) compiled.call("p.Flow", "logistic", features, in.vector("w"), in.scalar("b"), labels, 0.1),
          Inputs.of().vector("w", w).scalar("b", b),
          Inputs.of().vector("w", (double[]) Compiled.partial(g, "w")).scalar("b", Compiled.scalar(g, "b")));
    }
  }

  @Test
  void doWhileLoop() {
    assertEquals(3 * 1.5 * 1.5, scalarGradient("doWhile", 1.5)[0], 1e-14);
  }

  @Test
  void localArraysWithElementWrites() {
    checkScalar("localArray", -2, 2, 2);
  }

  @Test
  void ternaries() {
    checkScalar("ternary", -3, 3, 1);
    assertTrue(scalarGradient("ternary", -0.5)[0] == -1.0);
  }
}
