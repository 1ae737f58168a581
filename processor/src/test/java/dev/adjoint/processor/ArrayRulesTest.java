package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A user's {@code @DerivativeRule} for a function of a {@code double[]} returning {@code double}, in the pullback form
 * (reverse mode) and the tangent form (forward mode), as the README's "Your own rules" documents. The companion once
 * added the rule's array to the array adjoint with {@code +}, which javac rejects.
 */
class ArrayRulesTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.Differentiable;

      class Norms {
        static double norm(double[] v) {
          double s = 0;
          for (double e : v) {
            s += e * e;
          }
          return Math.sqrt(s);
        }

        @DerivativeRule(method = "norm")
        static double[] normPullback(double[] v, double value, double seed) {
          double[] adjoint = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            adjoint[i] = seed * v[i] / value;
          }
          return adjoint;
        }

        @DerivativeRule(method = "norm", tangent = true)
        static double normTangent(double[] v, double value, double[] dv) {
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * dv[i];
          }
          return s / value;
        }

        static double[] twice(double[] v) {
          double[] doubled = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            doubled[i] = 2 * v[i];
          }
          return doubled;
        }

        @DerivativeRule(method = "twice")
        static double[] twicePullback(double[] v, double[] seed) {
          return twice(seed);
        }

        @DerivativeRule(method = "twice", tangent = true)
        static double[] twiceTangent(double[] v, double[] dv) {
          return twice(dv);
        }

        static double[] spread(double u) {
          return new double[] {u, 3 * u};
        }

        @DerivativeRule(method = "spread")
        static double spreadPullback(double u, double[] seed) {
          return seed[0] + 3 * seed[1];
        }

        @DerivativeRule(method = "spread", tangent = true)
        static double[] spreadTangent(double u, double du) {
          return new double[] {du, 3 * du};
        }

        @Differentiable(also = TANGENT)
        static double spreadInALoop(double[] x) {
          double s = 0;
          for (int i = 0; i < 2; i++) {
            double[] q = spread(x[i]);
            s += q[1] * x[i];
          }
          return s;
        }

        @Differentiable(also = TANGENT)
        static double arrayValuedRuleInALoop(double[] x) {
          double[] p = twice(x);
          double s = 0;
          for (int i = 0; i < 2; i++) {
            double[] q = twice(new double[] {x[i], p[i]});
            s += q[1] * x[i];
          }
          return s + p[0];
        }

        @Differentiable(also = TANGENT)
        static double scaledNorm(double[] x) {
          double[] scaled = {2 * x[0], x[1]};
          return norm(scaled) * x[0];
        }

        @Differentiable(also = TANGENT)
        static double normsInALoop(double[] x, double[][] w) {
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += norm(w[i]) * norm(new double[] {x[i], 3 * x[i]});
          }
          return s + norm(x);
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Norms", SOURCE);
  private final SplittableRandom random = new SplittableRandom(11);

  private static double norm(double... v) {
    double s = 0;
    for (double e : v) {
      s += e * e;
    }
    return Math.sqrt(s);
  }

  @Test
  void pullbackRuleOfALocalArray() {
    for (int trial = 0; trial < 5; trial++) {
      double[] x = random.doubles(2, -2, 2).toArray();
      Object g = compiled.call("p.NormsGrad", "scaledNorm", (Object) x);
      double[] gradient = (double[]) Compiled.partial(g, "x");
      // f = n · x0 with n = √(4x0² + x1²): ∂f/∂x0 = 4x0²/n + n, ∂f/∂x1 = x0 x1 / n
      double n = norm(2 * x[0], x[1]);
      assertEquals(n * x[0], Compiled.scalar(g, "value"), 1e-12);
      assertEquals(4 * x[0] * x[0] / n + n, gradient[0], 1e-12);
      assertEquals(x[0] * x[1] / n, gradient[1], 1e-12);
      GradientAssertions.assertGradient(p -> norm(2 * p[0], p[1]) * p[0], x, gradient);
    }
  }

  @Test
  void pullbackRuleOfParameterRowsAndInitialisersInALoop() {
    double[] x = random.doubles(3, -2, 2).toArray();
    double[][] w = {random.doubles(2, -1, 1).toArray(), random.doubles(4, -1, 1).toArray(),
        random.doubles(3, -1, 1).toArray()};
    Object g = compiled.call("p.NormsGrad", "normsInALoop", x, w);
    double[] dx = (double[]) Compiled.partial(g, "x");
    double[][] dw = (double[][]) Compiled.partial(g, "w");
    double nx = norm(x);
    for (int i = 0; i < x.length; i++) {
      // s = Σ |w_i| · √10 |x_i| + |x|
      double sign = Math.signum(x[i]);
      assertEquals(norm(w[i]) * Math.sqrt(10) * sign + x[i] / nx, dx[i], 1e-12);
      for (int j = 0; j < w[i].length; j++) {
        assertEquals(w[i][j] / norm(w[i]) * Math.sqrt(10) * Math.abs(x[i]), dw[i][j], 1e-12);
      }
    }
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Norms", "normsInALoop", in.vector("x"), in.matrix("w")),
        Inputs.of().vector("x", x).matrix("w", w), Inputs.of().vector("x", dx).matrix("w", dw));
  }

  @Test
  void tangentRuleMatchesTheGradientAndFiniteDifferences() {
    double[] x = random.doubles(3, -2, 2).toArray();
    double[][] w = {random.doubles(2, -1, 1).toArray(), random.doubles(4, -1, 1).toArray(),
        random.doubles(3, -1, 1).toArray()};
    double[] vx = random.doubles(3, -1, 1).toArray();
    double[][] vw = {random.doubles(2, -1, 1).toArray(), random.doubles(4, -1, 1).toArray(),
        random.doubles(3, -1, 1).toArray()};
    Dual d = (Dual) compiled.call("p.NormsGrad", "normsInALoopTangent", x, w, vx, vw);
    Object g = compiled.call("p.NormsGrad", "normsInALoop", x, w);
    double[] dx = (double[]) Compiled.partial(g, "x");
    double[][] dw = (double[][]) Compiled.partial(g, "w");
    double directional = 0;
    for (int i = 0; i < x.length; i++) {
      directional += dx[i] * vx[i];
      for (int j = 0; j < w[i].length; j++) {
        directional += dw[i][j] * vw[i][j];
      }
    }
    assertEquals((double) compiled.call("p.Norms", "normsInALoop", x, w), d.value(), 0.0);
    assertEquals(directional, d.derivative(), 1e-12);
    double h = 1e-6;
    double central = (normsInALoopAlong(x, w, vx, vw, h) - normsInALoopAlong(x, w, vx, vw, -h)) / (2 * h);
    assertEquals(central, d.derivative(), 1e-6);

    double[] y = random.doubles(2, -2, 2).toArray();
    double[] vy = random.doubles(2, -1, 1).toArray();
    Dual scaled = (Dual) compiled.call("p.NormsGrad", "scaledNormTangent", y, vy);
    double n = norm(2 * y[0], y[1]);
    assertEquals((4 * y[0] * y[0] / n + n) * vy[0] + y[0] * y[1] / n * vy[1], scaled.derivative(), 1e-12);
  }

  private double normsInALoopAlong(double[] x, double[][] w, double[] vx, double[][] vw, double step) {
    double[] xs = x.clone();
    double[][] ws = new double[w.length][];
    for (int i = 0; i < x.length; i++) {
      xs[i] += step * vx[i];
      ws[i] = w[i].clone();
      for (int j = 0; j < w[i].length; j++) {
        ws[i][j] += step * vw[i][j];
      }
    }
    return (double) compiled.call("p.Norms", "normsInALoop", xs, ws);
  }

  /** Also a function into an array: its adjoint starts again from zeros for each pass of the loop. */
  @Test
  void pullbackAndTangentRulesOfAnArrayValuedFunction() {
    double[] x = random.doubles(2, -2, 2).toArray();
    Object g = compiled.call("p.NormsGrad", "arrayValuedRuleInALoop", (Object) x);
    double[] gradient = (double[]) Compiled.partial(g, "x");
    // q_i = {2 x_i, 4 x_i}: f = 4 x0² + 4 x1² + 2 x0
    assertEquals(8 * x[0] + 2, gradient[0], 1e-12);
    assertEquals(8 * x[1], gradient[1], 1e-12);
    GradientAssertions.assertGradient(p -> 4 * p[0] * p[0] + 4 * p[1] * p[1] + 2 * p[0], x, gradient);
    double[] v = random.doubles(2, -1, 1).toArray();
    Dual d = (Dual) compiled.call("p.NormsGrad", "arrayValuedRuleInALoopTangent", x, v);
    assertEquals(gradient[0] * v[0] + gradient[1] * v[1], d.derivative(), 1e-12);
  }

  /**
   * A function of a double into an array, in a loop: the array's adjoint was never reset, so each pass's rule got the
   * seeds of all later passes too (gradient [12, 12] at x = {1, 2}, not [6, 12]), silently.
   */
  @Test
  void arrayValuedRuleOfADoubleInALoop() {
    Object g = compiled.call("p.NormsGrad", "spreadInALoop", (Object) new double[] {1, 2});
    assertArrayEquals(new double[] {6, 12}, (double[]) Compiled.partial(g, "x"), 1e-12);
    double[] x = random.doubles(2, -2, 2).toArray();
    double[] gradient = (double[]) Compiled.partial(compiled.call("p.NormsGrad", "spreadInALoop", (Object) x), "x");
    // f = 3 x0² + 3 x1²
    GradientAssertions.assertGradient(p -> 3 * p[0] * p[0] + 3 * p[1] * p[1], x, gradient);
    double[] v = random.doubles(2, -1, 1).toArray();
    Dual d = (Dual) compiled.call("p.NormsGrad", "spreadInALoopTangent", x, v);
    assertEquals(6 * x[0] * v[0] + 6 * x[1] * v[1], d.derivative(), 1e-12);
  }
}
