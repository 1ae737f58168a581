package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.SpecialRulesTest.richardson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Quadrature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Quadrature#integrate} against closed forms on finite, half-infinite and infinite
 * intervals; its rules (bounds and parameters) against the closed forms' derivatives and
 * Richardson differences of {@code integrate}; tangents against pullbacks by the dot-product
 * identity; reversed bounds; the messages for a NaN integrand and for no convergence.
 */
class QuadratureRulesTest {
  /** x^θ. */
  static final class Power implements Quadrature.DifferentiableIntegrand {
    int evaluations;

    @Override public double integrand(double x, double[] p) {
      evaluations++;
      return Math.pow(x, p[0]);
    }

    @Override public void pullback(double x, double[] p, double seed, double[] dx, double[] dp) {
      dx[0] += p[0] * Math.pow(x, p[0] - 1) * seed;
      dp[0] += Math.pow(x, p[0]) * Math.log(x) * seed;
    }

    @Override public double tangent(double x, double[] p, double tx, double[] tp) {
      return p[0] * Math.pow(x, p[0] - 1) * tx + Math.pow(x, p[0]) * Math.log(x) * tp[0];
    }
  }

  /** exp(-(x - μ)²/(2σ²)). */
  static final class Bump implements Quadrature.DifferentiableIntegrand {
    @Override public double integrand(double x, double[] p) {
      double z = (x - p[0]) / p[1];
      return Math.exp(-0.5 * z * z);
    }

    @Override public void pullback(double x, double[] p, double seed, double[] dx, double[] dp) {
      double f = integrand(x, p);
      double z = (x - p[0]) / p[1];
      dx[0] += -f * z / p[1] * seed;
      dp[0] += f * z / p[1] * seed;
      dp[1] += f * z * z / p[1] * seed;
    }

    @Override public double tangent(double x, double[] p, double tx, double[] tp) {
      double f = integrand(x, p);
      double z = (x - p[0]) / p[1];
      return f * z / p[1] * (tp[0] - tx) + f * z * z / p[1] * tp[1];
    }
  }

  /** exp(θ·x), θ < 0 on [0, ∞), θ > 0 on (-∞, 0]. */
  static final class Exponential implements Quadrature.DifferentiableIntegrand {
    @Override public double integrand(double x, double[] p) {
      return Math.exp(p[0] * x);
    }

    @Override public void pullback(double x, double[] p, double seed, double[] dx, double[] dp) {
      dx[0] += p[0] * Math.exp(p[0] * x) * seed;
      dp[0] += x * Math.exp(p[0] * x) * seed;
    }

    @Override public double tangent(double x, double[] p, double tx, double[] tp) {
      return (p[0] * tx + x * tp[0]) * Math.exp(p[0] * x);
    }
  }

  private static final double SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

  @Test
  void valuesMatchClosedForms() {
    double theta = 1.7;
    double a = 0.5;
    double b = 2;
    double power = (Math.pow(b, theta + 1) - Math.pow(a, theta + 1)) / (theta + 1);
    assertClose(power, Quadrature.integrate(new Power(), a, b, new double[] {theta}), 1e-12);
    assertClose(-power, Quadrature.integrate(new Power(), b, a, new double[] {theta}), 1e-12);
    assertEquals(0, Quadrature.integrate(new Power(), b, b, new double[] {theta}));
    // √x on [0, 1]: a singular derivative at 0 needs many intervals.
    assertClose(2.0 / 3, Quadrature.integrate(new Power(), 0, 1, new double[] {0.5}), 1e-10);
    assertClose(1.3 * SQRT_TWO_PI, Quadrature.integrate(new Bump(), Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, new double[] {0.4, 1.3}), 1e-10);
    assertClose(0.65 * SQRT_TWO_PI, Quadrature.integrate(new Bump(), 0.4, Double.POSITIVE_INFINITY,
        new double[] {0.4, 1.3}), 1e-10);
    assertClose(1 / 0.8, Quadrature.integrate(new Exponential(), 0, Double.POSITIVE_INFINITY, new double[] {-0.8}),
        1e-10);
    assertClose(1 / 0.8, Quadrature.integrate(new Exponential(), Double.NEGATIVE_INFINITY, 0, new double[] {0.8}),
        1e-10);
    // A smooth integrand on a short interval: one 15-point rule is enough.
    Power counted = new Power();
    Quadrature.integrate(counted, 1, 1.5, new double[] {2});
    assertEquals(15, counted.evaluations);
  }

  @Test
  void rulesMatchClosedFormsAndDifferences() {
    double theta = 1.7;
    double a = 0.5;
    double b = 2;
    double[] p = {theta};
    Power f = new Power();
    double integral = (Math.pow(b, theta + 1) - Math.pow(a, theta + 1)) / (theta + 1);
    double byTheta = (Math.pow(b, theta + 1) * Math.log(b) - Math.pow(a, theta + 1) * Math.log(a)) / (theta + 1)
        - integral / (theta + 1);
    double seed = 1.3;
    assertClose(seed * byTheta, QuadratureRules.integrateParameters(f, a, b, p, seed)[0], 1e-10);
    assertClose(-seed * Math.pow(a, theta), QuadratureRules.integrateLower(f, a, b, p, seed), 1e-15);
    assertClose(seed * Math.pow(b, theta), QuadratureRules.integrateUpper(f, a, b, p, seed), 1e-15);
    assertClose(richardson(t -> Quadrature.integrate(f, a, b, new double[] {t}), theta, 1e-3),
        QuadratureRules.integrateParameters(f, a, b, p, 1)[0], 1e-8);
    assertClose(richardson(t -> Quadrature.integrate(f, t, b, p), a, 1e-3),
        QuadratureRules.integrateLower(f, a, b, p, 1), 1e-8);
    assertClose(richardson(t -> Quadrature.integrate(f, a, t, p), b, 1e-3),
        QuadratureRules.integrateUpper(f, a, b, p, 1), 1e-8);

    // Infinite intervals: ∫ bump = σ√(2π), so by μ 0 and by σ √(2π); along an infinite bound 0.
    double[] bump = {0.4, 1.3};
    double infinity = Double.POSITIVE_INFINITY;
    double[] gradient = QuadratureRules.integrateParameters(new Bump(), -infinity, infinity, bump, 1);
    assertEquals(0, gradient[0], 1e-10);
    assertClose(SQRT_TWO_PI, gradient[1], 1e-10);
    assertEquals(0, QuadratureRules.integrateUpper(new Bump(), -infinity, infinity, bump, 1));
    // On [μ', ∞) with μ' ≠ μ, by differences.
    double[] half = QuadratureRules.integrateParameters(new Bump(), 0.1, infinity, bump, 1);
    for (int j = 0; j < 2; j++) {
      int index = j;
      double difference = richardson(t -> {
        double[] moved = bump.clone();
        moved[index] = t;
        return Quadrature.integrate(new Bump(), 0.1, infinity, moved);
      }, bump[j], 1e-3);
      assertClose(difference, half[j], 1e-8);
    }
    // ∫_0^∞ e^(θx) dx = -1/θ and ∫_-∞^0 e^(θx) dx = 1/θ.
    assertClose(1 / (0.8 * 0.8),
        QuadratureRules.integrateParameters(new Exponential(), 0, infinity, new double[] {-0.8}, 1)[0], 1e-10);
    assertClose(-1 / (0.8 * 0.8),
        QuadratureRules.integrateParameters(new Exponential(), -infinity, 0, new double[] {0.8}, 1)[0], 1e-10);
  }

  @Test
  void tangentsMatchPullbacksByTheDotProductIdentity() {
    Random random = new Random(4);
    double[] bump = {0.4, 1.3};
    double seed = random.nextGaussian();
    double[] tangent = {random.nextGaussian(), random.nextGaussian()};
    double[] pullback = QuadratureRules.integrateParameters(new Bump(), -1, 3, bump, seed);
    assertClose(pullback[0] * tangent[0] + pullback[1] * tangent[1],
        seed * QuadratureRules.integrateParametersTangent(new Bump(), -1, 3, bump, tangent), 1e-12);
    double dx = random.nextGaussian();
    assertClose(QuadratureRules.integrateLower(new Bump(), -1, 3, bump, seed) * dx,
        seed * QuadratureRules.integrateLowerTangent(new Bump(), -1, 3, bump, dx), 1e-15);
    assertClose(QuadratureRules.integrateUpper(new Bump(), -1, 3, bump, seed) * dx,
        seed * QuadratureRules.integrateUpperTangent(new Bump(), -1, 3, bump, dx), 1e-15);
  }

  @Test
  void aNaNIntegrandAndNoConvergenceAreNamed() {
    ArithmeticException error = assertThrows(ArithmeticException.class,
        () -> Quadrature.integrate((x, p) -> Math.sqrt(x), -1, 1, new double[0]));
    assertTrue(error.getMessage().matches("Quadrature\\.integrate: the integrand is NaN at x = -[0-9.E-]+"),
        error.getMessage());
    // Noise in [0, 1) at every point: no rule converges on it.
    Quadrature.Integrand noise = (x, p) -> (Double.doubleToLongBits(x) * 0x9E3779B97F4A7C15L >>> 11) * 0x1.0p-53;
    error = assertThrows(ArithmeticException.class, () -> Quadrature.integrate(noise, 0, 1, new double[0]));
    assertTrue(error.getMessage().matches("Quadrature\\.integrate: no convergence on \\[0\\.0, 1\\.0\\] within 2000"
        + " intervals: the error estimate is \\S+ for the integral \\[\\S+\\] \\(is the integrand singular or"
        + " oscillating there\\?\\)"), error.getMessage());
  }

  private static void assertClose(double expected, double actual, double relative) {
    assertEquals(expected, actual, relative * (1 + Math.abs(expected)));
  }
}
