package dev.adjoint.runtime;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Log densities (and log probability mass functions) of common distributions, computed in log
 * space throughout so that they stay finite and accurate far into the tails, each differentiable
 * in every {@code double} argument through the rules of {@link
 * dev.adjoint.runtime.rules.LogDensityRules}. Counts ({@code int} arguments) are data.
 *
 * <p>Conventions. Outside the support (a negative x of a gamma density, a count above n) the
 * value is {@code -Infinity} and every partial is 0; at a boundary of the support the value is
 * the limit of the formula (such as {@code +Infinity} for a beta density with {@code a < 1} at 0).
 * Invalid parameters (a scale or shape that is not positive) give NaN. A term {@code a·log(y)}
 * with {@code a = 0} is 0 also at {@code y = 0}, so that {@code poisson(0, 0) = 0}.
 */
public final class LogDensity {
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  private static final double LOG_PI = Math.log(Math.PI);

  private LogDensity() {}

  /**
   * The normal distribution.
   *
   * @param x the point
   * @param mu the mean
   * @param sigma the standard deviation, positive
   * @return {@code -((x - μ)/σ)²/2 - log σ - log(2π)/2}
   */
  public static double normal(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return -0.5 * z * z - Math.log(sigma) - HALF_LOG_TWO_PI;
  }

  /**
   * The log-normal distribution: log x is normal with mean μ and standard deviation σ.
   *
   * @param x the point; not positive is outside the support
   * @param mu the mean of log x
   * @param sigma the standard deviation of log x, positive
   * @return {@code normal(log x, μ, σ) - log x}
   */
  public static double lognormal(double x, double mu, double sigma) {
    if (!(x > 0)) {
      return outside(x);
    }
    double logX = Math.log(x);
    return normal(logX, mu, sigma) - logX;
  }

  /**
   * Student's t distribution with location and scale.
   *
   * @param x the point
   * @param nu the degrees of freedom, positive
   * @param mu the location
   * @param sigma the scale, positive
   * @return {@code log Γ((ν+1)/2) - log Γ(ν/2) - log(νπ)/2 - log σ - (ν+1)/2 · log(1 + z²/ν)},
   *     {@code z = (x - μ)/σ}
   */
  public static double studentT(double x, double nu, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return Gamma.logGamma(0.5 * (nu + 1)) - Gamma.logGamma(0.5 * nu) - 0.5 * (Math.log(nu) + LOG_PI)
        - Math.log(sigma) - 0.5 * (nu + 1) * Math.log1p(z * z / nu);
  }

  /**
   * The Cauchy distribution.
   *
   * @param x the point
   * @param location the median
   * @param scale the half width at half maximum, positive
   * @return {@code -log π - log scale - log(1 + z²)}, {@code z = (x - location)/scale}
   */
  public static double cauchy(double x, double location, double scale) {
    double z = (x - location) / scale;
    return -LOG_PI - Math.log(scale) - Math.log1p(z * z);
  }

  /**
   * The exponential distribution.
   *
   * @param x the point; negative is outside the support
   * @param rate the rate λ (one over the mean), positive
   * @return {@code log λ - λx}
   */
  public static double exponential(double x, double rate) {
    if (x < 0) {
      return outside(x);
    }
    return Math.log(rate) - rate * x;
  }

  /**
   * The gamma distribution in the shape-rate form.
   *
   * @param x the point; negative is outside the support
   * @param shape the shape α, positive
   * @param rate the rate β (one over the scale), positive
   * @return {@code α log β - log Γ(α) + (α - 1) log x - βx}
   */
  public static double gamma(double x, double shape, double rate) {
    if (x < 0) {
      return outside(x);
    }
    return shape * Math.log(rate) - Gamma.logGamma(shape) + xLogY(shape - 1, x) - rate * x;
  }

  /**
   * The inverse gamma distribution: 1/x is gamma with the given shape and rate.
   *
   * @param x the point; not positive is outside the support
   * @param shape the shape α, positive
   * @param scale the scale β, positive
   * @return {@code α log β - log Γ(α) - (α + 1) log x - β/x}
   */
  public static double inverseGamma(double x, double shape, double scale) {
    if (!(x > 0)) {
      return outside(x);
    }
    return shape * Math.log(scale) - Gamma.logGamma(shape) - (shape + 1) * Math.log(x) - scale / x;
  }

  /**
   * The beta distribution.
   *
   * @param x the point; outside [0, 1] is outside the support
   * @param a the first shape, positive
   * @param b the second shape, positive
   * @return {@code (a - 1) log x + (b - 1) log(1 - x) - log B(a, b)}
   */
  public static double beta(double x, double a, double b) {
    if (x < 0 || x > 1) {
      return outside(x);
    }
    return xLogY(a - 1, x) + xLog1pY(b - 1, -x) - Beta.logBeta(a, b);
  }

  /**
   * The Laplace (double exponential) distribution.
   *
   * @param x the point
   * @param mu the location
   * @param scale the scale b, positive
   * @return {@code -log(2b) - |x - μ|/b}
   */
  public static double laplace(double x, double mu, double scale) {
    return -Math.log(2 * scale) - Math.abs(x - mu) / scale;
  }

  /**
   * The Poisson distribution, differentiable in its rate.
   *
   * @param k the count; negative is outside the support
   * @param rate the mean λ, not negative
   * @return {@code k log λ - λ - log k!}
   */
  public static double poisson(int k, double rate) {
    if (k < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return xLogY(k, rate) - rate - CombinatoricsUtils.factorialLog(k);
  }

  /**
   * The binomial distribution with the success probability given by its logit α, {@code p =
   * logistic(α)}, which keeps both tails accurate: {@code log p = -log(1 + e^-α)}.
   *
   * @param k the number of successes; outside [0, n] is outside the support
   * @param n the number of trials, not negative
   * @param logit the logit α of the success probability
   * @return {@code log C(n, k) - k log(1 + e^-α) - (n - k) log(1 + e^α)}
   */
  public static double binomialLogit(int k, int n, double logit) {
    if (k < 0 || k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    return CombinatoricsUtils.binomialCoefficientLog(n, k)
        - k * SpecialFunctions.log1pExp(-logit) - (n - k) * SpecialFunctions.log1pExp(logit);
  }

  /**
   * The negative binomial distribution in the mean-dispersion form (Stan's {@code
   * neg_binomial_2}): mean μ, variance {@code μ + μ²/φ}; a Poisson distribution as φ grows.
   *
   * @param k the count; negative is outside the support
   * @param mu the mean, positive
   * @param phi the dispersion, positive
   * @return {@code log Γ(k + φ) - log k! - log Γ(φ) - k log(1 + φ/μ) - φ log(1 + μ/φ)}
   */
  public static double negativeBinomial(int k, double mu, double phi) {
    if (k < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    // log Γ(k + φ) - log Γ(φ) - k log(1 + φ/μ) = Σ_{j<k} log(μ(φ + j)/(μ + φ)), which, unlike the
    // difference of log Γs, keeps its digits as φ grows towards the Poisson limit.
    double countTerms = 0;
    if (k <= 1000) {
      for (int j = 0; j < k; j++) {
        countTerms += Math.log1p((j - mu) / (mu + phi));
      }
      countTerms += xLogY(k, mu);
    } else {
      countTerms = Gamma.logGamma(k + phi) - Gamma.logGamma(phi) - xLog1pY(k, phi / mu);
    }
    return countTerms - CombinatoricsUtils.factorialLog(k) - phi * Math.log1p(mu / phi);
  }

  /**
   * The multivariate normal distribution with its covariance given by its lower Cholesky factor
   * L (covariance {@code L·Lᵀ}), as from {@link LinearAlgebra#cholesky}.
   *
   * @param y the point, an n×1 column
   * @param mu the mean, an n×1 column
   * @param choleskyFactor L, n×n, of which only the lower triangle is read; its diagonal positive
   * @return {@code -‖L⁻¹(y - μ)‖²/2 - Σ log Lᵢᵢ - n log(2π)/2}
   * @throws IllegalArgumentException if the shapes do not fit or L has a zero on its diagonal
   */
  public static double multiNormalCholesky(Matrix y, Matrix mu, Matrix choleskyFactor) {
    if (y.cols() != 1 || !y.sameShape(mu)) {
      throw new IllegalArgumentException("multiNormalCholesky: the point " + y.shape()
          + " and the mean " + mu.shape() + " must be columns of one length");
    }
    Matrix z = LinearAlgebra.solveLower(choleskyFactor, y.minus(mu));
    double logDiagonal = 0;
    for (int i = 0; i < y.rows(); i++) {
      logDiagonal += Math.log(choleskyFactor.get(i, i));
    }
    return -0.5 * z.squaredNorm() - logDiagonal - y.rows() * HALF_LOG_TWO_PI;
  }

  /** How far from 1 the sum of a Dirichlet point may be (as Stan's simplex check). */
  public static final double SIMPLEX_TOLERANCE = 1e-8;

  /**
   * The Dirichlet distribution on the simplex.
   *
   * @param x the point: entries not negative that sum to 1 within {@link #SIMPLEX_TOLERANCE};
   *     any other point is outside the support
   * @param alpha the concentrations, positive, as many as x
   * @return {@code Σ (αᵢ - 1) log xᵢ + log Γ(Σ αᵢ) - Σ log Γ(αᵢ)}
   * @throws IllegalArgumentException if x and alpha differ in length (both named) or are empty
   */
  public static double dirichlet(double[] x, double[] alpha) {
    if (x.length != alpha.length || x.length == 0) {
      throw new IllegalArgumentException("dirichlet: the point has " + x.length + " entries and alpha "
          + alpha.length + "; they must be as many, at least one");
    }
    double sum = 0;
    double alphaSum = 0;
    double value = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      sum += x[i];
      alphaSum += alpha[i];
      value += xLogY(alpha[i] - 1, x[i]) - Gamma.logGamma(alpha[i]);
    }
    if (Math.abs(sum - 1) > SIMPLEX_TOLERANCE) {
      return Double.NEGATIVE_INFINITY;
    }
    return value + Gamma.logGamma(alphaSum);
  }

  /** a·log(y), 0 when a is 0 (also for y = 0). */
  static double xLogY(double a, double y) {
    return a == 0 ? 0 : a * Math.log(y);
  }

  /** a·log(1 + y), 0 when a is 0. */
  static double xLog1pY(double a, double y) {
    return a == 0 ? 0 : a * Math.log1p(y);
  }

  /** -Infinity outside the support; NaN stays NaN. */
  private static double outside(double x) {
    return Double.isNaN(x) ? x : Double.NEGATIVE_INFINITY;
  }
}
