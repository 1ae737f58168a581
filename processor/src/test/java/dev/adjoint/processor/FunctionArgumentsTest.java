package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Method references to differentiable methods as the function parameters of functions with derivative rules (the
 * convention of README "Functions as arguments"): the rules take an interface D extending the parameter's
 * interface with pullback and tangent, which the companion implements from the referenced method's generated
 * derivatives. The rule-bearing functions here are the test's own: a trapezoid rule and an explicit Euler solver
 * returning double[][], so that nothing depends on the runtime's solvers.
 */
class FunctionArgumentsTest {
  static final String INTEGRALS = """
      package p;

      import dev.adjoint.DerivativeRule;

      final class Integrals {
        private Integrals() {}

        @FunctionalInterface
        interface Integrand {
          double integrand(double x, double[] theta);
        }

        interface DifferentiableIntegrand extends Integrand {
          void pullback(double x, double[] theta, double seed, double[] dx, double[] dtheta);

          double tangent(double x, double[] theta, double tx, double[] ttheta);
        }

        static final int INTERVALS = 200;

        /** The trapezoid rule on INTERVALS equal intervals of [a, b]. */
        static double trapezoid(Integrand f, double a, double b, double[] theta) {
          double h = (b - a) / INTERVALS;
          double sum = 0;
          for (int i = 0; i <= INTERVALS; i++) {
            sum += weight(i) * f.integrand(a + i * h, theta);
          }
          return sum * h;
        }

        private static double weight(int i) {
          return i == 0 || i == INTERVALS ? 0.5 : 1;
        }

        /** Σ w_i f(x_i) and Σ w_i ∂f/∂x(x_i) ∂x_i/∂end, where x_i moves with the end by i/N (upper) or 1 - i/N. */
        private static double endPartial(DifferentiableIntegrand f, double a, double b, double[] theta, boolean upper) {
          double h = (b - a) / INTERVALS;
          double sum = 0;
          double moved = 0;
          double[] dx = new double[1];
          double[] dtheta = new double[theta.length];
          for (int i = 0; i <= INTERVALS; i++) {
            double x = a + i * h;
            sum += weight(i) * f.integrand(x, theta);
            dx[0] = 0;
            f.pullback(x, theta, 1.0, dx, dtheta);
            moved += weight(i) * dx[0] * (upper ? (double) i / INTERVALS : 1 - (double) i / INTERVALS);
          }
          return (upper ? sum : -sum) / INTERVALS + h * moved;
        }

        @DerivativeRule(method = "trapezoid", wrt = "theta")
        static double[] trapezoidTheta(DifferentiableIntegrand f, double a, double b, double[] theta, double seed) {
          double h = (b - a) / INTERVALS;
          double[] dtheta = new double[theta.length];
          double[] dx = new double[1];
          for (int i = 0; i <= INTERVALS; i++) {
            f.pullback(a + i * h, theta, seed * weight(i) * h, dx, dtheta);
          }
          return dtheta;
        }

        @DerivativeRule(method = "trapezoid", wrt = "a")
        static double trapezoidA(DifferentiableIntegrand f, double a, double b, double[] theta, double seed) {
          return seed * endPartial(f, a, b, theta, false);
        }

        @DerivativeRule(method = "trapezoid", wrt = "b")
        static double trapezoidB(DifferentiableIntegrand f, double a, double b, double[] theta, double seed) {
          return seed * endPartial(f, a, b, theta, true);
        }

        /** Options of the rule: data, which the rules take as they are. */
        record Settings(int intervals) {}

        /** The trapezoid rule on settings.intervals() equal intervals of [a, b]. */
        static double trapezoid(Integrand f, double a, double b, double[] theta, Settings settings) {
          double h = (b - a) / settings.intervals();
          double sum = 0;
          for (int i = 0; i <= settings.intervals(); i++) {
            sum += (i == 0 || i == settings.intervals() ? 0.5 : 1) * f.integrand(a + i * h, theta);
          }
          return sum * h;
        }

        @DerivativeRule(method = "trapezoid", wrt = "theta")
        static double[] trapezoidWithSettingsTheta(DifferentiableIntegrand f, double a, double b, double[] theta,
            Settings settings, double seed) {
          int n = settings.intervals();
          double h = (b - a) / n;
          double[] dtheta = new double[theta.length];
          double[] dx = new double[1];
          for (int i = 0; i <= n; i++) {
            f.pullback(a + i * h, theta, seed * (i == 0 || i == n ? 0.5 : 1) * h, dx, dtheta);
          }
          return dtheta;
        }

        @DerivativeRule(method = "trapezoid", wrt = "theta", tangent = true)
        static double trapezoidWithSettingsThetaTangent(DifferentiableIntegrand f, double a, double b, double[] theta,
            Settings settings, double[] dtheta) {
          int n = settings.intervals();
          double h = (b - a) / n;
          double sum = 0;
          for (int i = 0; i <= n; i++) {
            sum += (i == 0 || i == n ? 0.5 : 1) * f.tangent(a + i * h, theta, 0, dtheta);
          }
          return sum * h;
        }

        @DerivativeRule(method = "trapezoid", wrt = "theta", tangent = true)
        static double trapezoidThetaTangent(DifferentiableIntegrand f, double a, double b, double[] theta,
            double[] dtheta) {
          double h = (b - a) / INTERVALS;
          double sum = 0;
          for (int i = 0; i <= INTERVALS; i++) {
            sum += weight(i) * f.tangent(a + i * h, theta, 0, dtheta);
          }
          return sum * h;
        }

        @DerivativeRule(method = "trapezoid", wrt = "a", tangent = true)
        static double trapezoidATangent(DifferentiableIntegrand f, double a, double b, double[] theta, double da) {
          return da * endPartial(f, a, b, theta, false);
        }

        @DerivativeRule(method = "trapezoid", wrt = "b", tangent = true)
        static double trapezoidBTangent(DifferentiableIntegrand f, double a, double b, double[] theta, double db) {
          return db * endPartial(f, a, b, theta, true);
        }
      }
      """;

  static final String FLOWS = """
      package p;

      import dev.adjoint.DerivativeRule;

      final class Flows {
        private Flows() {}

        @FunctionalInterface
        interface Rates {
          double[] rates(double t, double[] y, double[] theta);
        }

        interface DifferentiableRates extends Rates {
          void pullback(double t, double[] y, double[] theta, double[] seed, double[] dt, double[] dy, double[] dtheta);

          double[] tangent(double t, double[] y, double[] theta, double tt, double[] ty, double[] ttheta);
        }

        static final double STEP = 0.05;

        /** Explicit Euler: row k is the state at time k·STEP, row 0 the initial state. */
        static double[][] euler(Rates f, double[] y0, double[] theta, int steps) {
          double[][] y = new double[steps + 1][];
          y[0] = y0.clone();
          for (int k = 0; k < steps; k++) {
            double[] rate = f.rates(k * STEP, y[k], theta);
            y[k + 1] = new double[y0.length];
            for (int i = 0; i < y0.length; i++) {
              y[k + 1][i] = y[k][i] + STEP * rate[i];
            }
          }
          return y;
        }

        /** The discrete adjoint: the seed's contribution to y0 (first) and to theta (second). */
        private static double[][] adjoint(DifferentiableRates f, double[] theta, double[][] y, double[][] seed) {
          int steps = y.length - 1;
          double[] lambda = seed[steps].clone();
          double[] dtheta = new double[theta.length];
          double[] dt = new double[1];
          for (int k = steps - 1; k >= 0; k--) {
            double[] scaled = new double[lambda.length];
            for (int i = 0; i < lambda.length; i++) {
              scaled[i] = STEP * lambda[i];
            }
            double[] dy = new double[lambda.length];
            f.pullback(k * STEP, y[k], theta, scaled, dt, dy, dtheta);
            for (int i = 0; i < lambda.length; i++) {
              lambda[i] += dy[i] + seed[k][i];
            }
          }
          return new double[][] {lambda, dtheta};
        }

        /** Forward sensitivities along (dy0, dtheta). */
        private static double[][] sensitivity(DifferentiableRates f, double[] theta, double[][] y, double[] dy0,
            double[] dtheta) {
          double[][] dy = new double[y.length][];
          dy[0] = dy0.clone();
          for (int k = 0; k + 1 < y.length; k++) {
            double[] rate = f.tangent(k * STEP, y[k], theta, 0, dy[k], dtheta);
            dy[k + 1] = new double[dy0.length];
            for (int i = 0; i < dy0.length; i++) {
              dy[k + 1][i] = dy[k][i] + STEP * rate[i];
            }
          }
          return dy;
        }

        @DerivativeRule(method = "euler", wrt = "theta")
        static double[] eulerTheta(DifferentiableRates f, double[] y0, double[] theta, int steps, double[][] value,
            double[][] seed) {
          return adjoint(f, theta, value, seed)[1];
        }

        @DerivativeRule(method = "euler", wrt = "y0")
        static double[] eulerY0(DifferentiableRates f, double[] y0, double[] theta, int steps, double[][] value,
            double[][] seed) {
          return adjoint(f, theta, value, seed)[0];
        }

        @DerivativeRule(method = "euler", wrt = "theta", tangent = true)
        static double[][] eulerThetaTangent(DifferentiableRates f, double[] y0, double[] theta, int steps,
            double[][] value, double[] dtheta) {
          return sensitivity(f, theta, value, new double[y0.length], dtheta);
        }

        @DerivativeRule(method = "euler", wrt = "y0", tangent = true)
        static double[][] eulerY0Tangent(DifferentiableRates f, double[] y0, double[] theta, int steps,
            double[][] value, double[] dy0) {
          return sensitivity(f, theta, value, dy0, new double[theta.length]);
        }
      }
      """;

  static final String MODELS = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class Models {
        @Differentiable(also = TANGENT)
        static double bump(double x, double[] theta) {
          return theta[0] * Math.exp(-theta[1] * x * x);
        }

        /** A helper: no annotation, private, so copied into the companion and differentiated there. */
        private static double ramp(double x, double[] theta) {
          return theta[0] * x + Math.sin(theta[1] * x);
        }

        @Differentiable(also = TANGENT)
        static double bumpArea(double[] theta) {
          return Integrals.trapezoid(Models::bump, 0, theta[2], theta);
        }

        @Differentiable(also = TANGENT)
        static double rampArea(double[] theta, double b) {
          double area = Integrals.trapezoid(Models::ramp, theta[2], b, theta);
          return 2 * area;
        }

        static final Integrals.Settings COARSE = new Integrals.Settings(7);

        /** An overload whose rules take options as data, passed as a constant. */
        @Differentiable(also = TANGENT)
        static double coarseArea(double[] theta) {
          return Integrals.trapezoid(Models::ramp, 0, 1.5, theta, COARSE);
        }

        /** Two compartments: the first drains into the second, which drains out. */
        private static double[] transfer(double t, double[] y, double[] theta) {
          return new double[] {-theta[0] * y[0], theta[0] * y[0] - theta[1] * y[1]};
        }

        @Differentiable(wrt = "theta", also = TANGENT)
        static double misfit(double[] theta, double[] y0, double[] observed) {
          double[][] solution = Flows.euler(Models::transfer, y0, theta, 20);
          double sum = 0;
          for (int i = 0; i < observed.length; i++) {
            double residual = solution[i + 1][1] - observed[i];
            sum += residual * residual;
          }
          return sum + solution[20][0];
        }

        @Differentiable(wrt = "y0", also = TANGENT)
        static double finalAmount(double[] theta, double[] y0) {
          double[][] solution = Flows.euler(Models::transfer, y0, theta, 20);
          return solution[20][0] + 3 * solution[20][1];
        }

        /** Integrals and solutions in a loop; the integrand of another class, whose companion has its derivatives. */
        @Differentiable(also = TANGENT)
        static double inALoop(double[] theta, double[] ends) {
          double sum = 0;
          for (int i = 0; i < ends.length; i++) {
            sum += Integrals.trapezoid(Shapes::bell, 0, ends[i], theta) * ends[i];
            double[][] solution = Flows.euler(Models::transfer, new double[] {ends[i], 1}, theta, 5);
            sum += solution[5][1] * solution[2][0];
          }
          return sum;
        }

        /** Two referenced methods of one name, of two classes. */
        @Differentiable(also = TANGENT)
        static double twoBells(double[] theta) {
          return Integrals.trapezoid(Shapes::bell, 0, 1, theta) + Integrals.trapezoid(Curves::bell, 0, 1, theta);
        }

        /** Both the initial state and the rates' parameters differentiated: forward mode sums two tangent rules. */
        @Differentiable(also = TANGENT)
        static double mixed(double[] theta, double[] y0) {
          double[][] solution = Flows.euler(Models::transfer, y0, theta, 20);
          return solution[20][0] * solution[10][1];
        }
      }
      """;

  static final String SHAPES = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      public class Shapes {
        @Differentiable(also = TANGENT)
        public static double bell(double x, double[] theta) {
          return theta[1] / (1 + theta[0] * x * x);
        }
      }
      """;

  /** A method named as Shapes.bell, in another class: its function object must be another class too. */
  static final String CURVES = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      public class Curves {
        @Differentiable(also = TANGENT)
        public static double bell(double x, double[] theta) {
          return theta[0] * x * x * x;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compileAll(Map.of("p.Integrals", INTEGRALS, "p.Flows", FLOWS,
      "p.Models", MODELS, "p.Shapes", SHAPES, "p.Curves", CURVES));
  private final SplittableRandom random = new SplittableRandom(13);

  private static double bumpArea(double[] theta) {
    return (double) compiled.call("p.Models", "bumpArea", (Object) theta);
  }

  private static double rampArea(double[] theta, double b) {
    return (double) compiled.call("p.Models", "rampArea", theta, b);
  }

  /** θ0 ∫_a^b x dx + ∫_a^b sin(θ1 x) dx. */
  private static double rampIntegral(double theta0, double theta1, double a, double b) {
    return theta0 * (b * b - a * a) / 2 + (Math.cos(theta1 * a) - Math.cos(theta1 * b)) / theta1;
  }

  /** An annotated integrand: ∂/∂θ0 = area/θ0 exactly, ∂/∂b = f(b) up to the rule's O(h²), the rest by differences. */
  @Test
  void gradientThroughAnAnnotatedIntegrand() {
    for (int trial = 0; trial < 4; trial++) {
      double[] theta = {random.nextDouble(0.5, 2), random.nextDouble(0.2, 1.5), random.nextDouble(0.5, 2)};
      Object g = compiled.call("p.ModelsGrad", "bumpArea", (Object) theta);
      double[] gradient = (double[]) Compiled.partial(g, "theta");
      double area = bumpArea(theta);
      assertEquals(area, Compiled.scalar(g, "value"), 0.0);
      assertEquals(area / theta[0], gradient[0], 1e-12);
      assertEquals(theta[0] * Math.exp(-theta[1] * theta[2] * theta[2]), gradient[2], 1e-4);
      GradientAssertions.assertGradient(FunctionArgumentsTest::bumpArea, theta, gradient);
    }
  }

  /** A private helper as the integrand, both ends varied: against the closed form, and by differences. */
  @Test
  void gradientThroughAPrivateHelperWithBothEndsVaried() {
    for (int trial = 0; trial < 4; trial++) {
      double[] theta = {random.nextDouble(-1, 1), random.nextDouble(0.5, 2), random.nextDouble(0, 0.5)};
      double b = random.nextDouble(1, 2);
      Object g = compiled.call("p.ModelsGrad", "rampArea", theta, b);
      double[] dtheta = (double[]) Compiled.partial(g, "theta");
      double db = Compiled.scalar(g, "b");
      double a = theta[2];
      double t1 = theta[1];
      assertEquals(2 * rampIntegral(theta[0], t1, a, b), Compiled.scalar(g, "value"), 1e-4);
      assertEquals(2 * (b * b - a * a) / 2, dtheta[0], 1e-4);
      double dt1 = (b * Math.sin(t1 * b) - a * Math.sin(t1 * a)) / t1
          - (Math.cos(t1 * a) - Math.cos(t1 * b)) / (t1 * t1);
      assertEquals(2 * dt1, dtheta[1], 1e-4);
      assertEquals(-2 * (theta[0] * a + Math.sin(t1 * a)), dtheta[2], 1e-4);
      assertEquals(2 * (theta[0] * b + Math.sin(t1 * b)), db, 1e-4);
      GradientAssertions.assertGradient(x -> rampArea(new double[] {x[0], x[1], x[2]}, x[3]),
          new double[] {theta[0], theta[1], theta[2], b}, new double[] {dtheta[0], dtheta[1], dtheta[2], db});
    }
  }

  @Test
  void tangentsThroughIntegrandsMatchGradientsAndDifferences() {
    double[] theta = {1.3, 0.7, 1.1};
    double[] v = {0.4, -0.9, 0.6};
    Dual d = (Dual) compiled.call("p.ModelsGrad", "bumpAreaTangent", theta, v);
    double[] gradient = (double[]) Compiled.partial(compiled.call("p.ModelsGrad", "bumpArea", (Object) theta), "theta");
    assertEquals(bumpArea(theta), d.value(), 0.0);
    assertEquals(dot(gradient, v), d.derivative(), 1e-10);
    double h = 1e-6;
    assertEquals((bumpArea(along(theta, v, h)) - bumpArea(along(theta, v, -h))) / (2 * h), d.derivative(), 1e-6);

    double b = 1.7;
    double vb = -0.3;
    Dual ramp = (Dual) compiled.call("p.ModelsGrad", "rampAreaTangent", theta, b, v, vb);
    Object g = compiled.call("p.ModelsGrad", "rampArea", theta, b);
    double expected = dot((double[]) Compiled.partial(g, "theta"), v) + Compiled.scalar(g, "b") * vb;
    assertEquals(expected, ramp.derivative(), 1e-10);
    double central = (rampArea(along(theta, v, h), b + h * vb) - rampArea(along(theta, v, -h), b - h * vb)) / (2 * h);
    assertEquals(central, ramp.derivative(), 1e-6);
  }

  /** Options are data: the rules get the constant as it is (7 intervals: far from the integral, exactly the sum's). */
  @Test
  void optionsPassedAsAConstantToRulesThatTakeThem() {
    double[] theta = {0.9, 1.4};
    Object g = compiled.call("p.ModelsGrad", "coarseArea", (Object) theta);
    double[] dtheta = (double[]) Compiled.partial(g, "theta");
    // ∂/∂θ0 of h Σ w_i (θ0 x_i + sin(θ1 x_i)) is h Σ w_i x_i, which the trapezoid rule gives exactly for x: 1.5²/2.
    assertEquals(1.5 * 1.5 / 2, dtheta[0], 1e-12);
    double h = 1.5 / 7;
    double expected = 0;
    for (int i = 0; i <= 7; i++) {
      expected += (i == 0 || i == 7 ? 0.5 : 1) * h * i * h * Math.cos(theta[1] * i * h);
    }
    assertEquals(expected, dtheta[1], 1e-12);
    GradientAssertions.assertGradient(x -> (double) compiled.call("p.Models", "coarseArea", (Object) x), theta, dtheta);
    double[] v = {0.5, -1.5};
    Dual d = (Dual) compiled.call("p.ModelsGrad", "coarseAreaTangent", theta, v);
    assertEquals(dot(dtheta, v), d.derivative(), 1e-12);
  }

  private static double misfit(double[] theta, double[] y0, double[] observed) {
    return (double) compiled.call("p.Models", "misfit", theta, y0, observed);
  }

  private static double finalAmount(double[] theta, double[] y0) {
    return (double) compiled.call("p.Models", "finalAmount", theta, y0);
  }

  /** The Euler solution of the two compartments, written out here as an independent oracle. */
  private static double[][] euler(double[] theta, double[] y0, int steps) {
    double[][] y = new double[steps + 1][];
    y[0] = y0.clone();
    for (int k = 0; k < steps; k++) {
      y[k + 1] = new double[] {y[k][0] - 0.05 * theta[0] * y[k][0],
          y[k][1] + 0.05 * (theta[0] * y[k][0] - theta[1] * y[k][1])};
    }
    return y;
  }

  /** A solver's double[][] read by row and element: reverse mode against the closed form and differences. */
  @Test
  void gradientThroughASolverReturningRows() {
    double[] theta = {0.8, 0.3};
    double[] y0 = {2.0, 0.5};
    double[] observed = random.doubles(20, 0, 1).toArray();
    Object g = compiled.call("p.ModelsGrad", "misfit", theta, y0, observed);
    double[] dtheta = (double[]) Compiled.partial(g, "theta");
    assertEquals(misfit(theta, y0, observed), Compiled.scalar(g, "value"), 0.0);
    GradientAssertions.assertGradient(x -> misfit(x, y0, observed), theta, dtheta);
    // With the data equal to the solution the squares vanish to second order: only y[20][0] = y0 (1 - hθ0)^20 is left.
    double[] exact = new double[20];
    double[][] y = euler(theta, y0, 20);
    for (int i = 0; i < 20; i++) {
      exact[i] = y[i + 1][1];
    }
    double[] atFit = (double[]) Compiled.partial(compiled.call("p.ModelsGrad", "misfit", theta, y0, exact), "theta");
    assertEquals(-0.05 * 20 * y0[0] * Math.pow(1 - 0.05 * theta[0], 19), atFit[0], 1e-12);
    assertEquals(0.0, atFit[1], 1e-12);

    // The result is linear in y0: its partials are the solution from unit initial states.
    Object h = compiled.call("p.ModelsGrad", "finalAmount", theta, y0);
    double[] dy0 = (double[]) Compiled.partial(h, "y0");
    double[] fromFirst = euler(theta, new double[] {1, 0}, 20)[20];
    double[] fromSecond = euler(theta, new double[] {0, 1}, 20)[20];
    assertEquals(fromFirst[0] + 3 * fromFirst[1], dy0[0], 1e-12);
    assertEquals(fromSecond[0] + 3 * fromSecond[1], dy0[1], 1e-12);
    GradientAssertions.assertGradient(x -> finalAmount(theta, x), y0, dy0);
  }

  @Test
  void tangentsThroughASolverReturningRows() {
    double[] theta = {0.8, 0.3};
    double[] y0 = {2.0, 0.5};
    double[] observed = random.doubles(20, 0, 1).toArray();
    double[] v = {0.7, -0.4};
    Dual d = (Dual) compiled.call("p.ModelsGrad", "misfitTangent", theta, y0, observed, v);
    double[] dtheta = (double[]) Compiled.partial(compiled.call("p.ModelsGrad", "misfit", theta, y0, observed), "theta");
    assertEquals(misfit(theta, y0, observed), d.value(), 0.0);
    assertEquals(dot(dtheta, v), d.derivative(), 1e-10);
    double h = 1e-6;
    double central = (misfit(along(theta, v, h), y0, observed) - misfit(along(theta, v, -h), y0, observed)) / (2 * h);
    assertEquals(central, d.derivative(), 1e-6);

    Dual e = (Dual) compiled.call("p.ModelsGrad", "finalAmountTangent", theta, y0, v);
    double[] dy0 = (double[]) Compiled.partial(compiled.call("p.ModelsGrad", "finalAmount", theta, y0), "y0");
    assertEquals(dot(dy0, v), e.derivative(), 1e-12);
  }

  @Test
  void gradientAndTangentWithTheInitialStateAndTheParametersDifferentiated() {
    double[] theta = {0.6, 0.9};
    double[] y0 = {1.5, 0.2};
    Object g = compiled.call("p.ModelsGrad", "mixed", theta, y0);
    double[] dtheta = (double[]) Compiled.partial(g, "theta");
    double[] dy0 = (double[]) Compiled.partial(g, "y0");
    double[][] y = euler(theta, y0, 20);
    assertEquals(y[20][0] * y[10][1], Compiled.scalar(g, "value"), 1e-15);
    // y[20][0] = y0[0] (1 - hθ0)^20 does not depend on y0[1]; y[10][1] is linear in y0.
    double[] fromSecond = euler(theta, new double[] {0, 1}, 20)[10];
    assertEquals(y[20][0] * fromSecond[1], dy0[1], 1e-12);
    GradientAssertions.assertGradient(x -> mixed(new double[] {x[0], x[1]}, new double[] {x[2], x[3]}),
        new double[] {theta[0], theta[1], y0[0], y0[1]}, new double[] {dtheta[0], dtheta[1], dy0[0], dy0[1]});
    double[] vtheta = {0.3, -0.8};
    double[] vy0 = {-0.5, 0.4};
    Dual d = (Dual) compiled.call("p.ModelsGrad", "mixedTangent", theta, y0, vtheta, vy0);
    assertEquals(dot(dtheta, vtheta) + dot(dy0, vy0), d.derivative(), 1e-12);
    double h = 1e-6;
    double central = (mixed(along(theta, vtheta, h), along(y0, vy0, h))
        - mixed(along(theta, vtheta, -h), along(y0, vy0, -h))) / (2 * h);
    assertEquals(central, d.derivative(), 1e-6);
  }

  /** Rule calls in a loop body (recomputed there), with an integrand of another class: gradient and tangent. */
  @Test
  void rulesTakingFunctionsInALoop() {
    double[] theta = {0.7, 1.2};
    double[] ends = {0.5, 1.0, 1.6};
    Object g = compiled.call("p.ModelsGrad", "inALoop", theta, ends);
    double[] dtheta = (double[]) Compiled.partial(g, "theta");
    double[] dends = (double[]) Compiled.partial(g, "ends");
    GradientAssertions.assertGradient(x -> inALoop(new double[] {x[0], x[1]}, new double[] {x[2], x[3], x[4]}),
        new double[] {theta[0], theta[1], ends[0], ends[1], ends[2]},
        new double[] {dtheta[0], dtheta[1], dends[0], dends[1], dends[2]});
    double[] vtheta = {0.2, -0.5};
    double[] vends = {0.3, 0.1, -0.7};
    Dual d = (Dual) compiled.call("p.ModelsGrad", "inALoopTangent", theta, ends, vtheta, vends);
    assertEquals(dot(dtheta, vtheta) + dot(dends, vends), d.derivative(), 1e-10);
  }

  @Test
  void methodsOfOneNameInTwoClassesGetTwoFunctionObjects() {
    double[] theta = {0.8, 1.3};
    double[] gradient = (double[]) Compiled.partial(compiled.call("p.ModelsGrad", "twoBells", (Object) theta), "theta");
    GradientAssertions.assertGradient(x -> (double) compiled.call("p.Models", "twoBells", (Object) x), theta, gradient);
    // Only Shapes.bell reads θ1, linearly: its partial is that integral over θ1.
    double h = 1.0 / 200;
    double integral = 0;
    for (int i = 0; i <= 200; i++) {
      integral += (i == 0 || i == 200 ? 0.5 : 1) * h / (1 + theta[0] * i * h * i * h);
    }
    assertEquals(integral, gradient[1], 1e-12);
  }

  private static double inALoop(double[] theta, double[] ends) {
    return (double) compiled.call("p.Models", "inALoop", theta, ends);
  }

  private static double mixed(double[] theta, double[] y0) {
    return (double) compiled.call("p.Models", "mixed", theta, y0);
  }

  /** The rules get one function object per generated call, which keeps one gradient object for all its pullbacks. */
  @Test
  void functionObjectsAreMadeOncePerCallAndReuseTheirGradient() {
    String generated = compiled.generatedSources();
    String pullback = generated.substring(generated.indexOf("static double misfitPullback("),
        generated.indexOf("static Dual misfitTangent("));
    assertEquals(1, occurrences(pullback, "new TransferAsDifferentiableRates()"), pullback);
    assertEquals(1, occurrences(pullback, "Flows.euler(ModelsGrad::transfer"), "the pullback solves once: " + pullback);
    String tangent = generated.substring(generated.indexOf("static Dual misfitTangent("));
    tangent = tangent.substring(0, tangent.indexOf("\n  }\n"));
    assertEquals(1, occurrences(tangent, "Flows.euler(ModelsGrad::transfer"), "the tangent solves once: " + tangent);
    String loop = generated.substring(generated.indexOf("static double inALoopPullback("),
        generated.indexOf("static Dual inALoopTangent("));
    assertEquals(1, occurrences(loop, "Flows.euler(ModelsGrad::transfer"), "one solve per iteration: " + loop);
    assertEquals(1, occurrences(loop, " = Integrals.trapezoid(Shapes::bell"), "one integral per iteration: " + loop);
    String functionObject = generated.substring(generated.indexOf("class TransferAsDifferentiableRates"));
    assertEquals(1, occurrences(functionObject.substring(0, functionObject.indexOf("\n  }\n")),
        "gradient = new TransferGradient()"), functionObject);
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double[] along(double[] x, double[] v, double step) {
    double[] moved = x.clone();
    for (int i = 0; i < x.length; i++) {
      moved[i] += step * v[i];
    }
    return moved;
  }
}
