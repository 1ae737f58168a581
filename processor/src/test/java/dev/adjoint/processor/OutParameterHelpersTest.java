package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Void helpers and helpers that fill arrays they are given (out-parameters), called from
 * {@code @Differentiable} methods: Adjoint runs them in place, so that their writes are the
 * caller's writes. A Runge–Kutta step written with a void {@code rhs(y, theta, dydt)} must give
 * what the same model written with a value-returning helper gives, in every mode, and both what
 * finite differences of the original method give.
 */
class OutParameterHelpersTest {
  private static final String ODE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      /** Lotka–Volterra rates, integrated by RK4 with the rates written into an array or returned. */
      class Ode {
        static void rhs(double[] y, double[] theta, double[] dydt) {
          dydt[0] = theta[0] * y[0] - theta[1] * y[0] * y[1];
          dydt[1] = -theta[2] * y[1] + theta[3] * y[0] * y[1];
        }

        static double[] rates(double[] y, double[] theta) {
          return new double[] {theta[0] * y[0] - theta[1] * y[0] * y[1], -theta[2] * y[1] + theta[3] * y[0] * y[1]};
        }

        private static void axpy(double[] y, double a, double[] k, double[] out) {
          for (int i = 0; i < y.length; i++) {
            out[i] = y[i] + a * k[i];
          }
        }

        @Differentiable(wrt = "theta", also = HESSIAN)
        static double voidRk4(double[] theta, double[] initial, int steps, double h) {
          double[] y = {initial[0], initial[1]};
          double[] k1 = new double[2];
          double[] k2 = new double[2];
          double[] k3 = new double[2];
          double[] k4 = new double[2];
          double[] tmp = new double[2];
          for (int s = 0; s < steps; s++) {
            rhs(y, theta, k1);
            axpy(y, h / 2, k1, tmp);
            rhs(tmp, theta, k2);
            axpy(y, h / 2, k2, tmp);
            rhs(tmp, theta, k3);
            axpy(y, h, k3, tmp);
            rhs(tmp, theta, k4);
            for (int i = 0; i < 2; i++) {
              y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
          }
          return y[0] * y[0] + y[1];
        }

        @Differentiable(wrt = "theta", also = HESSIAN)
        static double valueRk4(double[] theta, double[] initial, int steps, double h) {
          double[] y = {initial[0], initial[1]};
          for (int s = 0; s < steps; s++) {
            double[] k1 = rates(y, theta);
            double[] y2 = {y[0] + h / 2 * k1[0], y[1] + h / 2 * k1[1]};
            double[] k2 = rates(y2, theta);
            double[] y3 = {y[0] + h / 2 * k2[0], y[1] + h / 2 * k2[1]};
            double[] k3 = rates(y3, theta);
            double[] y4 = {y[0] + h * k3[0], y[1] + h * k3[1]};
            double[] k4 = rates(y4, theta);
            double[] next = new double[2];
            for (int i = 0; i < 2; i++) {
              next[i] = y[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
            y = next;
          }
          return y[0] * y[0] + y[1];
        }
      }
      """;

  private static final String CASES = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class OutCases {
        /** Returns a value and fills an out-array. */
        static double energy(double[] y, double[] gradient) {
          gradient[0] = 2 * y[0];
          gradient[1] = 3 * y[1] * y[1];
          return y[0] * y[0] + y[1] * y[1] * y[1];
        }

        /** Reads the out-array before writing it: its old contents flow into its new ones. */
        static void accumulate(double[] acc, double[] x, double w) {
          for (int i = 0; i < acc.length; i++) {
            acc[i] += w * x[i] * x[i];
          }
        }

        /** Leaves early, with a scalar parameter it changes. */
        static void clampInto(double[] out, double v, double limit) {
          if (v > limit) {
            out[0] = limit;
            return;
          }
          v = v * v;
          out[0] = v;
        }

        @Differentiable(also = HESSIAN)
        static double valueAndOut(double[] x) {
          double[] g = new double[2];
          double e = energy(x, g) * x[0];
          return e + g[0] * g[1];
        }

        @Differentiable(also = HESSIAN)
        static double accumulated(double[] x, double w) {
          double[] acc = {1, 2};
          accumulate(acc, x, w);
          accumulate(acc, x, w * w);
          return acc[0] * acc[1];
        }

        /** The same array as input and output: reads see the writes, as in Java. */
        @Differentiable(also = HESSIAN)
        static double aliased(double[] x) {
          double[] a = {x[0], x[1]};
          accumulate(a, a, 2);
          return a[0] + a[1] * a[0];
        }

        /** Runs another helper in place, itself run in place from a for update and from switch cases. */
        private static void twice(double[] out, double v) {
          clampInto(out, v, 10);
          out[0] = out[0] * 2;
        }

        @Differentiable(wrt = "x", also = HESSIAN)
        static double dispatched(double x, int mode) {
          double[] out = new double[1];
          double s = 0;
          for (int i = 0; i < 3; twice(out, x + i), i++) {
            s += out[0];
          }
          switch (mode) {
            case 0 -> twice(out, s);
            case 1 -> clampInto(out, s * x, 100);
            default -> { }
          }
          return s + out[0];
        }

        @Differentiable(also = HESSIAN)
        static double clamped(double x) {
          double[] out = new double[1];
          clampInto(out, x, 2);
          double first = out[0];
          clampInto(out, 3 * x, 2);
          return first * out[0] + x;
        }
      }
      """;

  private static Compiled compiled() {
    return Compiled.compileAll(Map.of("p.Ode", ODE, "p.OutCases", CASES));
  }

  private static final Compiled COMPILED = compiled();

  private static final double[] INITIAL = {1.2, 0.8};

  @Test
  void rungeKuttaWithVoidRhsMatchesValueReturningRhsInEveryMode() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 5; trial++) {
      double[] theta = {0.5 + random.nextDouble(), 0.3 + random.nextDouble(), 0.4 + random.nextDouble(),
          0.2 + random.nextDouble()};
      Object[] arguments = {theta, INITIAL, 20, 0.05};
      Object viaVoid = COMPILED.call("p.OdeGrad", "voidRk4", arguments);
      Object viaValue = COMPILED.call("p.OdeGrad", "valueRk4", arguments);
      assertEquals(Compiled.scalar(viaValue, "value"), Compiled.scalar(viaVoid, "value"), 1e-12);
      double[] gradient = (double[]) Compiled.partial(viaVoid, "theta");
      assertArrayEquals((double[]) Compiled.partial(viaValue, "theta"), gradient, 1e-10);
      ToDoubleFunction<double[]> primal = t -> (double) COMPILED.call("p.Ode", "voidRk4", t, INITIAL, 20, 0.05);
      GradientAssertions.assertGradient(primal::applyAsDouble, theta, gradient);

      double[] direction = {random.nextDouble(), -random.nextDouble(), random.nextDouble(), 0.5};
      Dual tangent = (Dual) COMPILED.call("p.OdeGrad", "voidRk4Tangent", theta, INITIAL, 20, 0.05, direction);
      Dual expected = (Dual) COMPILED.call("p.OdeGrad", "valueRk4Tangent", theta, INITIAL, 20, 0.05, direction);
      assertEquals(expected.derivative(), tangent.derivative(), 1e-10);
      assertEquals(dot(gradient, direction), tangent.derivative(), 1e-10);

      double[][] hessian = (double[][]) COMPILED.call("p.OdeGrad", "voidRk4Hessian", arguments);
      double[][] hessianOfValue = (double[][]) COMPILED.call("p.OdeGrad", "valueRk4Hessian", arguments);
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(hessianOfValue[i], hessian[i], 1e-8, "row " + i);
        // Against central differences of the gradient.
        double step = 1e-5;
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        plus[i] += step;
        minus[i] -= step;
        double[] gPlus = (double[]) Compiled.partial(COMPILED.call("p.OdeGrad", "voidRk4", plus, INITIAL, 20, 0.05), "theta");
        double[] gMinus = (double[]) Compiled.partial(COMPILED.call("p.OdeGrad", "voidRk4", minus, INITIAL, 20, 0.05), "theta");
        for (int j = 0; j < 4; j++) {
          double numeric = (gPlus[j] - gMinus[j]) / (2 * step);
          assertEquals(numeric, hessian[i][j], 1e-5 * Math.max(1, Math.abs(numeric)), "H[" + i + "][" + j + "]");
        }
      }
    }
  }

  @Test
  void everyModeOfEveryCaseAgainstFiniteDifferences() {
    ModeChecks.everyModePasses(COMPILED, "p.OutCasesGrad", checks -> checks
        .argument("valueAndOut", "x", random -> random.doubles(2, 0.2, 1.5).toArray())
        .argument("accumulated", "x", random -> random.doubles(2, 0.2, 1.5).toArray())
        .argument("aliased", "x", random -> random.doubles(2, 0.2, 1.5).toArray())
        .domain("w", 0.2, 1.5)
        .domain("clamped", "x", 0.1, 0.6) // away from the kinks at 2/3 and 2
        .domain("dispatched", "x", 0.1, 0.6)
        .argument("mode", random -> random.nextInt(3)));
    ModeChecks.everyModePasses(COMPILED, "p.OdeGrad", checks -> checks
        .argument("theta", random -> random.doubles(4, 0.3, 1.2).toArray())
        .argument("initial", random -> INITIAL.clone())
        .argument("steps", random -> 10)
        .argument("h", random -> 0.05));
  }

  @Test
  void analyticValues() {
    // valueAndOut: e = (x0² + x1³)·x0, g = (2x0, 3x1²): f = x0³ + x1³x0 + 6x0x1².
    double[] x = {0.7, 1.3};
    Object gradient = COMPILED.call("p.OutCasesGrad", "valueAndOut", (Object) x);
    double[] dx = (double[]) Compiled.partial(gradient, "x");
    assertEquals(3 * x[0] * x[0] + Math.pow(x[1], 3) + 6 * x[1] * x[1], dx[0], 1e-12);
    assertEquals(3 * x[1] * x[1] * x[0] + 12 * x[0] * x[1], dx[1], 1e-12);

    // aliased: a = x, then a[0] += 2a0², then a[1] += 2a1²: f = a0' + a1'·a0'.
    Object aliased = COMPILED.call("p.OutCasesGrad", "aliased", (Object) x);
    double a0 = x[0] + 2 * x[0] * x[0];
    double a1 = x[1] + 2 * x[1] * x[1];
    double[] da = (double[]) Compiled.partial(aliased, "x");
    assertEquals(a0 + a1 * a0, Compiled.scalar(aliased, "value"), 1e-12);
    assertEquals((1 + a1) * (1 + 4 * x[0]), da[0], 1e-12);
    assertEquals(a0 * (1 + 4 * x[1]), da[1], 1e-12);

    // clamped: below the limit both calls square (x² · 9x² + x), above it the second one clamps (x² · 2 + x).
    assertEquals(36 * Math.pow(0.5, 3) + 1, Compiled.scalar(COMPILED.call("p.OutCasesGrad", "clamped", 0.5), "x"), 1e-12);
    assertEquals(4 * 1.2 + 1, Compiled.scalar(COMPILED.call("p.OutCasesGrad", "clamped", 1.2), "x"), 1e-12);
  }

  @Test
  void helpersRunInPlaceFromForUpdatesAndSwitchCases() {
    double x = 0.4;
    double s = 2 * x * x + 2 * (x + 1) * (x + 1);
    double ds = 4 * x + 4 * (x + 1);
    double[] expected = {ds * (1 + 4 * s), ds + 2 * s * x * (ds * x + s), ds + 4 * (x + 2)};
    double[] values = {s + 2 * s * s, s + s * s * x * x, s + 2 * (x + 2) * (x + 2)};
    for (int mode = 0; mode < 3; mode++) {
      Object gradient = COMPILED.call("p.OutCasesGrad", "dispatched", x, mode);
      assertEquals(values[mode], Compiled.scalar(gradient, "value"), 1e-12, "mode " + mode);
      assertEquals(expected[mode], Compiled.scalar(gradient, "x"), 1e-11, "mode " + mode);
    }
  }

  @Test
  void intoFormAndHessianVectorProduct() throws ReflectiveOperationException {
    double[] theta = {0.9, 0.5, 0.7, 0.4};
    Object fresh = COMPILED.call("p.OdeGrad", "voidRk4", theta, INITIAL, 20, 0.05);
    Class<?> gradientClass = COMPILED.load("p.OdeGrad$VoidRk4Gradient");
    Object into = gradientClass.getConstructor().newInstance();
    java.lang.reflect.Method intoForm = COMPILED.load("p.OdeGrad").getMethod("voidRk4", double[].class,
        double[].class, int.class, double.class, gradientClass);
    for (int run = 0; run < 2; run++) { // the second run reuses the gradient object's arrays and tape
      double value = (double) intoForm.invoke(null, theta, INITIAL, 20, 0.05, into);
      assertEquals(Compiled.scalar(fresh, "value"), value, 0.0);
      assertArrayEquals((double[]) Compiled.partial(fresh, "theta"), (double[]) Compiled.partial(into, "theta"), 0.0);
    }
    double[] v = {0.3, -1.0, 0.5, 2.0};
    double[] hv = (double[]) COMPILED.call("p.OdeGrad", "voidRk4HessianVector", theta, INITIAL, 20, 0.05, v);
    double[][] hessian = (double[][]) COMPILED.call("p.OdeGrad", "valueRk4Hessian", theta, INITIAL, 20, 0.05);
    for (int i = 0; i < 4; i++) {
      assertEquals(dot(hessian[i], v), hv[i], 1e-9 * Math.max(1, Math.abs(hv[i])), "(H v)[" + i + "]");
    }
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
