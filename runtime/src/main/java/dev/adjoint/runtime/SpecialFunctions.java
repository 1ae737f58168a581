package dev.adjoint.runtime;

import org.apache.commons.math3.special.Gamma;

/**
 * Functions that statistical models need and {@link Math} lacks, each written to stay accurate in
 * the tails where the textbook formula overflows or cancels, and each differentiable through the
 * rules of {@link dev.adjoint.runtime.rules.SpecialRules}.
 */
public final class SpecialFunctions {
  // Polygamma: shift x up to at least this (plus the order) before the asymptotic series.
  private static final double ASYMPTOTIC_FROM = 20;
  // B_2, B_4, ..., B_20, the Bernoulli numbers of the asymptotic series.
  private static final double[] BERNOULLI = {
    1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
    43867.0 / 798, -174611.0 / 330
  };

  private SpecialFunctions() {}

  /**
   * {@code log(1 + exp(x))} (softplus), without overflow for large x or loss of the tiny value for
   * very negative x.
   *
   * @param x any number
   * @return {@code log(1 + e^x)}, which is x itself (to rounding) for x above about 37
   */
  public static double log1pExp(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  /**
   * The logistic function {@code 1 / (1 + exp(-x))}, computed so that neither tail overflows and
   * the lower tail keeps its relative accuracy.
   *
   * @param x any number
   * @return a number in [0, 1]
   */
  public static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /**
   * The logit {@code log(p / (1 - p))}, the inverse of {@link #logistic}.
   *
   * @param p a probability
   * @return {@code -Infinity} at 0, {@code +Infinity} at 1, NaN outside [0, 1]
   */
  public static double logit(double p) {
    return Math.log(p) - Math.log1p(-p);
  }

  /**
   * {@code log Σ exp(x_i)}, shifted by the largest entry so that no exponential overflows.
   *
   * @param x the entries
   * @return {@code -Infinity} for no entries or all {@code -Infinity}; {@code +Infinity} if an entry
   *     is; NaN if an entry is NaN
   */
  public static double logSumExp(double[] x) {
    double largest = Double.NEGATIVE_INFINITY;
    for (double entry : x) {
      if (Double.isNaN(entry)) {
        return Double.NaN;
      }
      largest = Math.max(largest, entry);
    }
    if (Double.isInfinite(largest)) {
      return largest;
    }
    double sum = 0;
    for (double entry : x) {
      sum += Math.exp(entry - largest);
    }
    return largest + Math.log(sum);
  }

  /**
   * The softmax weights {@code exp(x_i - logSumExp(x))}, the derivative of {@link #logSumExp}; when
   * the largest entry is infinite, the weight is shared equally among the entries equal to it.
   *
   * @param x the entries, not NaN
   * @return weights that sum to 1 (no weights for no entries)
   */
  public static double[] softmax(double[] x) {
    double largest = Double.NEGATIVE_INFINITY;
    for (double entry : x) {
      largest = Math.max(largest, entry);
    }
    double[] weights = new double[x.length];
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      weights[i] = Double.isInfinite(largest) ? (x[i] == largest ? 1 : 0) : Math.exp(x[i] - largest);
      sum += weights[i];
    }
    for (int i = 0; i < x.length; i++) {
      weights[i] /= sum;
    }
    return weights;
  }

  /**
   * The digamma function ψ = (log Γ)', to a few ulps: Commons Math 3.6.1's {@link Gamma#digamma}
   * is off by up to 3e-9 (its asymptotic series adds the 1/(120x⁴) term with the wrong sign), which
   * the derivative rules cannot afford. Shifts x up by {@code ψ(x) = ψ(x + 1) - 1/x} to at least
   * 20, then sums {@code ln x - 1/(2x) - Σ_k B_2k / (2k x^2k)} to {@code B_20}; negative x goes
   * through the reflection {@code ψ(x) = ψ(1 - x) - π / tan(πx)}.
   *
   * @param x the argument
   * @return ψ(x); NaN at the poles (0 and the negative integers) and for NaN
   */
  public static double digamma(double x) {
    if (Double.isNaN(x) || (x <= 0 && x == Math.rint(x))) {
      return Double.NaN;
    }
    if (x < 0) {
      return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
    }
    if (x == Double.POSITIVE_INFINITY) {
      return x;
    }
    double shifted = 0;
    while (x < ASYMPTOTIC_FROM) {
      shifted += 1 / x;
      x += 1;
    }
    double inverseSquare = 1 / (x * x);
    double power = 1;
    double series = Math.log(x) - 0.5 / x;
    for (int k = 1; k <= BERNOULLI.length; k++) {
      power *= inverseSquare;
      series -= BERNOULLI[k - 1] / (2 * k) * power;
    }
    return series - shifted;
  }

  /**
   * The polygamma function ψ⁽ⁿ⁾, the n-th derivative of the digamma function ψ = (log Γ)'. Order 0
   * is {@link #digamma}. Higher orders shift x up by the recurrence {@code
   * ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) - (-1)ⁿ n! / x^(n+1)} to at least {@code 20 + n}, then sum the
   * asymptotic series {@code (-1)^(n+1) [(n-1)!/xⁿ + n!/(2x^(n+1)) + Σ_k B_2k (2k+n-1)!/((2k)!
   * x^(2k+n))]} to {@code B_20}, whose first omitted term is below 1e-17 relative there.
   *
   * @param n the order, 0 or more
   * @param x the argument
   * @return ψ⁽ⁿ⁾(x); NaN at the poles (0 and the negative integers) and for NaN
   * @throws IllegalArgumentException if n is negative
   */
  public static double polygamma(int n, double x) {
    if (n < 0) {
      throw new IllegalArgumentException("polygamma: order " + n + " is negative");
    }
    if (n == 0) {
      return digamma(x);
    }
    if (Double.isNaN(x) || (x <= 0 && x == Math.rint(x))) {
      return Double.NaN;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0;
    }
    double factorial = 1;
    for (int k = 2; k <= n; k++) {
      factorial *= k;
    }
    double shifted = 0;
    while (x < ASYMPTOTIC_FROM + n) {
      shifted += Math.pow(x, -n - 1);
      x += 1;
    }
    double series = factorial / n / Math.pow(x, n) + factorial / (2 * Math.pow(x, n + 1));
    double ratio = factorial / n; // (2k + n - 1)! / (2k)!, for k = 0
    double inverseSquare = 1 / (x * x);
    double power = Math.pow(x, -n);
    for (int k = 1; k <= BERNOULLI.length; k++) {
      ratio *= (2.0 * k + n - 2) * (2.0 * k + n - 1) / ((2.0 * k - 1) * (2.0 * k));
      power *= inverseSquare;
      series += BERNOULLI[k - 1] * ratio * power;
    }
    double sign = n % 2 == 1 ? 1 : -1;
    return sign * (factorial * shifted + series);
  }
}
