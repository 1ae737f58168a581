package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.DifferentiableFunction;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Helpers: static methods without {@code @Differentiable} that differentiated methods call are
 * differentiated automatically, in the modes their callers need. Four models written as a user
 * would, with the annotation on the top-level method only, each checked against finite
 * differences in reverse, tangent and Hessian modes; then the cases around them.
 */
class HelpersTest {
  private static final String PHARMACOKINETICS = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      /** One-compartment pharmacokinetics with first-order absorption: a private helper. */
      class Pharmacokinetics {
        @Differentiable(wrt = "theta", also = HESSIAN)
        static double loss(double[] theta, double[] times, double[] observed) {
          double absorption = Math.exp(theta[0]);
          double elimination = Math.exp(theta[1]);
          double volume = Math.exp(theta[2]);
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            double residual = observed[i] - concentration(100, absorption, elimination, volume, times[i]);
            sum += residual * residual;
          }
          return sum / times.length;
        }

        private static double concentration(double dose, double ka, double ke, double v, double t) {
          double absorbed = 1 - Math.exp(-ka * t);
          return dose / v * Math.exp(-ke * t) * absorbed;
        }
      }
      """;

  private static final String PROJECTILE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      /** A projectile with quadratic drag, stepped by a helper that returns the next state. */
      class Projectile {
        static final double GRAVITY = 9.81;

        @Differentiable(also = HESSIAN)
        static double distance(double[] launch) {
          double speed = launch[0];
          double angle = launch[1];
          double[] state = {0, 0, speed * Math.cos(angle), speed * Math.sin(angle)};
          for (int i = 0; i < 40; i++) {
            state = step(state, 0.02, launch[2]);
          }
          return state[0] + 0.5 * state[1];
        }

        static double[] step(double[] s, double dt, double drag) {
          double speed = Math.sqrt(s[2] * s[2] + s[3] * s[3]);
          double ax = -drag * speed * s[2];
          double ay = -GRAVITY - drag * speed * s[3];
          return new double[] {s[0] + dt * s[2], s[1] + dt * s[3], s[2] + dt * ax, s[3] + dt * ay};
        }
      }
      """;

  private static final String LOGISTIC = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      /** Bayesian logistic regression: the posterior from two helpers, one of them calling a third. */
      class Logistic {
        @Differentiable(wrt = "beta", also = HESSIAN)
        static double logPosterior(double[] beta, double[][] x, double[] y) {
          return logLikelihood(beta, x, y) + logPrior(beta, 2.0);
        }

        static double logLikelihood(double[] beta, double[][] x, double[] y) {
          double sum = 0;
          for (int i = 0; i < y.length; i++) {
            double eta = 0;
            for (int j = 0; j < beta.length; j++) {
              eta += x[i][j] * beta[j];
            }
            sum += y[i] * eta - softplus(eta);
          }
          return sum;
        }

        private static double softplus(double eta) {
          return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
        }

        static double logPrior(double[] beta, double scale) {
          double sum = 0;
          for (double b : beta) {
            sum -= 0.5 * b * b / (scale * scale);
          }
          return sum;
        }
      }
      """;

  private static final String GAUSSIAN_PROCESS = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      /** A Gaussian-process negative log likelihood, its covariance built by a kernel helper. */
      class GaussianProcess {
        @Differentiable(wrt = "hyper", also = HESSIAN)
        static double negativeLogLikelihood(double[] hyper, double[] xs, double[] ys) {
          int n = xs.length;
          double[][] l = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
              double sum = kernel(xs[i], xs[j], hyper[0], hyper[1]);
              if (i == j) {
                sum += 0.1;
              }
              for (int k = 0; k < j; k++) {
                sum -= l[i][k] * l[j][k];
              }
              if (i == j) {
                l[i][i] = Math.sqrt(sum);
              } else {
                l[i][j] = sum / l[j][j];
              }
            }
          }
          double[] z = new double[n];
          double fit = 0;
          double logDeterminant = 0;
          for (int i = 0; i < n; i++) {
            double sum = ys[i];
            for (int k = 0; k < i; k++) {
              sum -= l[i][k] * z[k];
            }
            z[i] = sum / l[i][i];
            fit += z[i] * z[i];
            logDeterminant += Math.log(l[i][i]);
          }
          return 0.5 * fit + logDeterminant;
        }

        private static double kernel(double a, double b, double logLength, double logSignal) {
          double d = (a - b) / Math.exp(logLength);
          return Math.exp(2 * logSignal) * Math.exp(-0.5 * d * d);
        }
      }
      """;


  private static final Compiled models = compileModels();

  private static Compiled compileModels() {
    return Compiled.compileAll(java.util.Map.of("p.Pharmacokinetics", PHARMACOKINETICS, "p.Projectile", PROJECTILE,
        "p.Logistic", LOGISTIC, "p.GaussianProcess", GAUSSIAN_PROCESS));
  }

  @SuppressWarnings("unchecked")
  private static List<DifferentiableFunction> functions(String companion) {
    return (List<DifferentiableFunction>) models.call(companion, "functions");
  }

  private static final double[] TIMES = {0.5, 1, 2, 4, 8, 12};
  private static final double[] OBSERVED = {4.1, 6.8, 8.2, 6.9, 3.6, 1.8};
  private static final double[] XS = {-1.2, -0.3, 0.4, 1.1, 2.0};
  private static final double[] YS = {0.3, -0.5, 0.9, 0.2, -0.7};
  private static final double[][] DESIGN = {{1, 0.5, -1}, {1, -1.5, 0.3}, {1, 0.2, 2.1}, {1, 1.4, -0.7}};
  private static final double[] LABELS = {1, 0, 1, 0};

  /** The one-line checks: reverse, tangent and Hessian of each model against finite differences. */
  @TestFactory
  List<DynamicTest> everyModelPassesTheGradientChecksInEveryMode() {
    List<DynamicTest> tests = new java.util.ArrayList<>();
    tests.addAll(GradientChecks.of(functions("p.PharmacokineticsGrad"))
        .domain("theta", -0.5, 0.5)
        .argument("times", random -> TIMES.clone())
        .argument("observed", random -> OBSERVED.clone())
        .dynamicTests().toList());
    tests.addAll(GradientChecks.of(functions("p.ProjectileGrad"))
        .argument("launch", random -> new double[] {random.nextDouble(20, 30), random.nextDouble(0.3, 1.0),
            random.nextDouble(0.001, 0.01)})
        .dynamicTests().toList());
    tests.addAll(GradientChecks.of(functions("p.LogisticGrad"))
        .argument("beta", random -> random.doubles(3, -1, 1).toArray())
        .argument("x", random -> DESIGN)
        .argument("y", random -> LABELS.clone())
        .dynamicTests().toList());
    tests.addAll(GradientChecks.of(functions("p.GaussianProcessGrad"))
        .domain("hyper", -0.5, 0.5)
        .argument("xs", random -> XS.clone())
        .argument("ys", random -> YS.clone())
        .dynamicTests().toList());
    assertEquals(12, tests.size(), "gradient, tangent and Hessian checks of four models");
    return tests;
  }

  @Test
  void theModelsHaveTheirAnalyticGradientsAndHessians() {
    SplittableRandom random = new SplittableRandom(12);
    for (int trial = 0; trial < 3; trial++) {
      double[] beta = random.doubles(3, -1, 1).toArray();
      double[] gradient = (double[]) Compiled.partial(
          models.call("p.LogisticGrad", "logPosterior", beta, DESIGN, LABELS), "beta");
      double[][] hessian = (double[][]) models.call("p.LogisticGrad", "logPosteriorHessian", beta, DESIGN, LABELS);
      // ∇ = Xᵀ(y − σ(Xβ)) − β/4, H = −Xᵀ diag(σ(1 − σ)) X − I/4
      for (int j = 0; j < 3; j++) {
        double expected = -beta[j] / 4;
        for (int i = 0; i < LABELS.length; i++) {
          expected += DESIGN[i][j] * (LABELS[i] - sigmoid(dot(DESIGN[i], beta)));
        }
        assertEquals(expected, gradient[j], 1e-12);
        for (int k = 0; k < 3; k++) {
          double second = j == k ? -0.25 : 0;
          for (int i = 0; i < LABELS.length; i++) {
            double s = sigmoid(dot(DESIGN[i], beta));
            second -= DESIGN[i][j] * DESIGN[i][k] * s * (1 - s);
          }
          assertEquals(second, hessian[j][k], 1e-12);
        }
      }
      double[] theta = random.doubles(3, -0.5, 0.5).toArray();
      ToDoubleFunction<double[]> loss = point -> (double) models.call("p.Pharmacokinetics", "loss", point, TIMES,
          OBSERVED);
      GradientAssertions.assertGradient(loss::applyAsDouble, theta, (double[]) Compiled.partial(
          models.call("p.PharmacokineticsGrad", "loss", theta, TIMES, OBSERVED), "theta"));
    }
  }

  @Test
  void helpersAreGeneratedPrivatelyIntoTheCallersCompanion() {
    String generated = models.generatedSources();
    assertTrue(generated.contains("private static double concentrationPullback("), generated);
    assertTrue(generated.contains("private static final class ConcentrationGradient"), generated);
    // concentration is private: the companion runs a copy of it; step is not, and is called where it is.
    assertTrue(generated.contains("private static double concentration(double dose"), generated);
    assertTrue(generated.contains("Projectile.step(state"), generated);
    assertFalse(generated.contains("private static double[] step("), generated);
    // only what callers use: no Hessian, Taylor or convenience entry points for a helper.
    assertFalse(generated.contains("concentrationHessian"), generated);
    assertFalse(generated.contains("public static ConcentrationGradient"), generated);
  }

  /** A caller's gradient object keeps its callees' gradient objects: reused, they give the same partials. */
  @Test
  void calleesGradientObjectsAreWorkspacesOfTheCallersGradient() throws ReflectiveOperationException {
    String generated = models.generatedSources();
    assertTrue(generated.contains("StepGradient stepGradient = into.stepGradientWorkspace();"), generated);
    Class<?> gradientClass = models.load("p.ProjectileGrad$DistanceGradient");
    Object reused = gradientClass.getConstructor().newInstance();
    java.lang.reflect.Method into = models.load("p.ProjectileGrad").getMethod("distance", double[].class, gradientClass);
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 3; trial++) {
      double[] launch = {random.nextDouble(20, 30), random.nextDouble(0.3, 1.0), random.nextDouble(0.001, 0.01)};
      double value = (double) into.invoke(null, launch, reused);
      Object fresh = models.call("p.ProjectileGrad", "distance", (Object) launch);
      assertEquals(Compiled.scalar(fresh, "value"), value, 0.0);
      assertTrue(java.util.Arrays.equals((double[]) Compiled.partial(fresh, "launch"),
          (double[]) Compiled.partial(reused, "launch")), "trial " + trial);
    }
  }

  private static double sigmoid(double t) {
    return 1 / (1 + Math.exp(-t));
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  // ------------------------------------------------------------------ around the models

  private static final String CASES = """
      package q;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static q.Library.cube;

      import dev.adjoint.Differentiable;

      class Cases {
        static int calls;

        /** Recursion in a helper. */
        @Differentiable(also = HESSIAN)
        static double viaPower(double x) {
          return power(x, 5) + x;
        }

        static double power(double x, int n) {
          if (n == 0) {
            return 1;
          }
          return x * power(x, n - 1);
        }

        /** Mutual recursion between helpers. */
        @Differentiable(also = TANGENT)
        static double alternating(double x) {
          return even(x, 4);
        }

        static double even(double x, int n) {
          return n == 0 ? x : Math.sin(odd(x, n - 1));
        }

        static double odd(double x, int n) {
          return n == 0 ? x : x * even(x, n - 1);
        }

        /** Helpers of two classes with the same name, and overloads. */
        @Differentiable(also = HESSIAN)
        static double sameNames(double x, double[] v) {
          return twice(x) + twice(v) + Library.twice(x) + cube(x);
        }

        static double twice(double x) {
          return 2 * x * x;
        }

        static double twice(double[] v) {
          return 2 * v[0] * v[1];
        }

        /** A helper on data only, and a helper with effects on data only: both run as written. */
        @Differentiable(wrt = "x")
        static double onData(double x, double d) {
          return x * twice(d) * counted(d);
        }

        static double counted(double v) {
          calls++;
          return v;
        }

        /** inner is first asked for by a gradient, then, through outer, by a Hessian: made again in more modes. */
        @Differentiable
        static double gradientCaller(double x) {
          return inner(x) * 2;
        }

        @Differentiable(also = HESSIAN)
        static double hessianCaller(double x) {
          return outer(x);
        }

        static double outer(double x) {
          return inner(x) * x;
        }

        static double inner(double x) {
          return Math.sin(x);
        }

        /** A private helper of data, with an int result: copied into the companion. */
        @Differentiable(wrt = "x")
        static double stepwise(double x, double t) {
          return x * x * (1 + bucket(t, 4));
        }

        private static int bucket(double t, int n) {
          int k = (int) Math.floor(t * n);
          return k < 0 ? 0 : k >= n ? n - 1 : k;
        }

        /** A helper calling an annotated method, called by an annotated method. */
        @Differentiable(also = HESSIAN)
        static double throughAnnotated(double x) {
          return viaAnnotated(x) * x;
        }

        static double viaAnnotated(double x) {
          return viaPower(x) + Math.exp(x);
        }
      }
      """;

  private static final String LIBRARY = """
      package q;

      class Library {
        static double twice(double x) {
          return 3 * x;
        }

        static double cube(double x) {
          return x * x * x;
        }
      }
      """;

  private static final Compiled cases =
      Compiled.compileAll(java.util.Map.of("q.Cases", CASES, "q.Library", LIBRARY));

  private static double value(String method, Object... arguments) {
    return (double) cases.call("q.Cases", method, arguments);
  }

  @Test
  void recursiveHelpersAreDifferentiatedInEveryModeTheirCallerAsks() {
    double x = 1.3;
    assertEquals(5 * Math.pow(x, 4) + 1, Compiled.scalar(cases.call("q.CasesGrad", "viaPower", x), "x"), 1e-12);
    double[][] hessian = (double[][]) cases.call("q.CasesGrad", "viaPowerHessian", x);
    assertEquals(20 * Math.pow(x, 3), hessian[0][0], 1e-10);
    Dual tangent = (Dual) cases.call("q.CasesGrad", "alternatingTangent", x, 1.0);
    GradientAssertions.assertGradient(p -> value("alternating", p[0]), new double[] {x},
        new double[] {tangent.derivative()});
    GradientAssertions.assertGradient(p -> value("alternating", p[0]), new double[] {x},
        new double[] {Compiled.scalar(cases.call("q.CasesGrad", "alternating", x), "x")});
  }

  @Test
  void helpersWithTheSameNameGetNamesOfTheirOwn() {
    double x = 0.7;
    double[] v = {1.5, -0.5};
    Object gradient = cases.call("q.CasesGrad", "sameNames", x, v);
    assertEquals(4 * x + 3 + 3 * x * x, Compiled.scalar(gradient, "x"), 1e-12);
    double[] dv = (double[]) Compiled.partial(gradient, "v");
    assertEquals(2 * v[1], dv[0], 1e-12);
    assertEquals(2 * v[0], dv[1], 1e-12);
    double[][] hessian = (double[][]) cases.call("q.CasesGrad", "sameNamesHessian", x, v);
    assertEquals(4 + 6 * x, hessian[0][0], 1e-12);
    assertEquals(2, hessian[1][2], 1e-12);
    String generated = cases.generatedSources();
    assertTrue(generated.contains("twice2Pullback") && generated.contains("twice3Pullback"), generated);
  }

  @Test
  void helpersOnDataRunAsWrittenAndEffectsStayOnceAPass() {
    double x = 0.9;
    double d = 1.7;
    int before = (int) readCalls();
    Object gradient = cases.call("q.CasesGrad", "onData", x, d);
    assertEquals(2 * d * d * d, Compiled.scalar(gradient, "x"), 1e-12);
    assertEquals(before + 1, (int) readCalls(), "counted runs once per gradient");
  }

  @Test
  void aHelperIsDifferentiatedAgainWhenALaterCallerNeedsMoreModes() {
    double x = 0.8;
    assertEquals(2 * Math.cos(x), Compiled.scalar(cases.call("q.CasesGrad", "gradientCaller", x), "x"), 1e-12);
    double[][] hessian = (double[][]) cases.call("q.CasesGrad", "hessianCallerHessian", x);
    assertEquals(2 * Math.cos(x) - x * Math.sin(x), hessian[0][0], 1e-12);
  }

  @Test
  void aPrivateHelperOfDataIsCopied() {
    assertEquals(2 * 0.5 * (1 + 2), Compiled.scalar(cases.call("q.CasesGrad", "stepwise", 0.5, 0.6), "x"), 1e-12);
    assertEquals(2 * 0.5 * (1 + 3), Compiled.scalar(cases.call("q.CasesGrad", "stepwise", 0.5, 7.0), "x"), 1e-12);
    assertTrue(cases.generatedSources().contains("private static int bucket(double t, int n)"));
  }

  @Test
  void aHelperMayCallAnAnnotatedMethod() {
    double x = 0.4;
    double expected = (5 * Math.pow(x, 4) + 1 + Math.exp(x)) * x + Math.pow(x, 5) + x + Math.exp(x);
    assertEquals(expected, Compiled.scalar(cases.call("q.CasesGrad", "throughAnnotated", x), "x"), 1e-12);
    double[][] hessian = (double[][]) cases.call("q.CasesGrad", "throughAnnotatedHessian", x);
    double second = (20 * Math.pow(x, 3) + Math.exp(x)) * x + 2 * (5 * Math.pow(x, 4) + 1 + Math.exp(x));
    assertEquals(second, hessian[0][0], 1e-10);
  }

  private static double readCalls() {
    try {
      java.lang.reflect.Field calls = cases.load("q.Cases").getDeclaredField("calls");
      calls.setAccessible(true);
      return calls.getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
