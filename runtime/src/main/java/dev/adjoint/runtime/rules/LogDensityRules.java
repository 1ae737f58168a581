package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.LogDensity;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.SpecialFunctions;

/**
 * Derivatives of the log densities of {@link LogDensity}, one rule per {@code double} argument in
 * the partial form of {@link MathRules}, named after the density and the argument ({@code
 * normalSigma}); the multivariate normal has pullback rules and tangent rules ({@code ...Tangent}).
 *
 * <p>Outside the support, where the log density is the constant {@code -Infinity}, every partial
 * is 0. At a boundary of the support a partial is the formula's limit (an infinity, or the finite
 * value where a term {@code (a - 1)·log x} vanishes because a = 1). Laplace's partials in x and μ
 * are 0 at the kink x = μ. {@link LogDensitySecondOrderRules} has the second-order rules of the
 * normal, exponential, Poisson and binomial densities; a Hessian through the others is not yet
 * supported (a compile error, ADJ204).
 */
public final class LogDensityRules {
  private LogDensityRules() {}

  // ---------------------------------------------------------------------------------------------
  // Normal and log-normal

  /** -(x - μ)/σ². */
  @DerivativeRule(owner = LogDensity.class, method = "normal", wrt = "x")
  public static double normalX(double x, double mu, double sigma) {
    return -(x - mu) / (sigma * sigma);
  }

  /** (x - μ)/σ². */
  @DerivativeRule(owner = LogDensity.class, method = "normal", wrt = "mu")
  public static double normalMu(double x, double mu, double sigma) {
    return (x - mu) / (sigma * sigma);
  }

  /** (z² - 1)/σ. */
  @DerivativeRule(owner = LogDensity.class, method = "normal", wrt = "sigma")
  public static double normalSigma(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return (z * z - 1) / sigma;
  }

  /** -(1 + (log x - μ)/σ²)/x. */
  @DerivativeRule(owner = LogDensity.class, method = "lognormal", wrt = "x")
  public static double lognormalX(double x, double mu, double sigma) {
    return x > 0 ? -(1 + (Math.log(x) - mu) / (sigma * sigma)) / x : 0;
  }

  /** (log x - μ)/σ². */
  @DerivativeRule(owner = LogDensity.class, method = "lognormal", wrt = "mu")
  public static double lognormalMu(double x, double mu, double sigma) {
    return x > 0 ? normalMu(Math.log(x), mu, sigma) : 0;
  }

  /** (z² - 1)/σ with z = (log x - μ)/σ. */
  @DerivativeRule(owner = LogDensity.class, method = "lognormal", wrt = "sigma")
  public static double lognormalSigma(double x, double mu, double sigma) {
    return x > 0 ? normalSigma(Math.log(x), mu, sigma) : 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Student-t and Cauchy

  /** -(ν + 1)·z / (σ(ν + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "studentT", wrt = "x")
  public static double studentTX(double x, double nu, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return -(nu + 1) * z / (sigma * (nu + z * z));
  }

  /** ψ((ν+1)/2)/2 - ψ(ν/2)/2 - 1/(2ν) - log(1 + z²/ν)/2 + (ν + 1)z² / (2ν(ν + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "studentT", wrt = "nu")
  public static double studentTNu(double x, double nu, double mu, double sigma) {
    double z = (x - mu) / sigma;
    double squared = z * z;
    return 0.5 * (SpecialFunctions.digamma(0.5 * (nu + 1)) - SpecialFunctions.digamma(0.5 * nu) - 1 / nu
        - Math.log1p(squared / nu) + (nu + 1) * squared / (nu * (nu + squared)));
  }

  /** (ν + 1)·z / (σ(ν + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "studentT", wrt = "mu")
  public static double studentTMu(double x, double nu, double mu, double sigma) {
    return -studentTX(x, nu, mu, sigma);
  }

  /** ν(z² - 1) / (σ(ν + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "studentT", wrt = "sigma")
  public static double studentTSigma(double x, double nu, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return nu * (z * z - 1) / (sigma * (nu + z * z));
  }

  /** -2z / (scale(1 + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "cauchy", wrt = "x")
  public static double cauchyX(double x, double location, double scale) {
    double z = (x - location) / scale;
    return -2 * z / (scale * (1 + z * z));
  }

  /** 2z / (scale(1 + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "cauchy", wrt = "location")
  public static double cauchyLocation(double x, double location, double scale) {
    return -cauchyX(x, location, scale);
  }

  /** (z² - 1) / (scale(1 + z²)). */
  @DerivativeRule(owner = LogDensity.class, method = "cauchy", wrt = "scale")
  public static double cauchyScale(double x, double location, double scale) {
    double z = (x - location) / scale;
    return (z * z - 1) / (scale * (1 + z * z));
  }

  // ---------------------------------------------------------------------------------------------
  // Exponential, gamma, inverse gamma, beta, Laplace

  /** -λ. */
  @DerivativeRule(owner = LogDensity.class, method = "exponential", wrt = "x")
  public static double exponentialX(double x, double rate) {
    return x < 0 ? 0 : -rate;
  }

  /** 1/λ - x. */
  @DerivativeRule(owner = LogDensity.class, method = "exponential", wrt = "rate")
  public static double exponentialRate(double x, double rate) {
    return x < 0 ? 0 : 1 / rate - x;
  }

  /** (α - 1)/x - β. */
  @DerivativeRule(owner = LogDensity.class, method = "gamma", wrt = "x")
  public static double gammaX(double x, double shape, double rate) {
    return x < 0 ? 0 : ratio(shape - 1, x) - rate;
  }

  /** log β - ψ(α) + log x. */
  @DerivativeRule(owner = LogDensity.class, method = "gamma", wrt = "shape")
  public static double gammaShape(double x, double shape, double rate) {
    return x < 0 ? 0 : Math.log(rate) - SpecialFunctions.digamma(shape) + Math.log(x);
  }

  /** α/β - x. */
  @DerivativeRule(owner = LogDensity.class, method = "gamma", wrt = "rate")
  public static double gammaRate(double x, double shape, double rate) {
    return x < 0 ? 0 : shape / rate - x;
  }

  /** -(α + 1)/x + β/x². */
  @DerivativeRule(owner = LogDensity.class, method = "inverseGamma", wrt = "x")
  public static double inverseGammaX(double x, double shape, double scale) {
    return x > 0 ? (scale / x - (shape + 1)) / x : 0;
  }

  /** log β - ψ(α) - log x. */
  @DerivativeRule(owner = LogDensity.class, method = "inverseGamma", wrt = "shape")
  public static double inverseGammaShape(double x, double shape, double scale) {
    return x > 0 ? Math.log(scale) - SpecialFunctions.digamma(shape) - Math.log(x) : 0;
  }

  /** α/β - 1/x. */
  @DerivativeRule(owner = LogDensity.class, method = "inverseGamma", wrt = "scale")
  public static double inverseGammaScale(double x, double shape, double scale) {
    return x > 0 ? shape / scale - 1 / x : 0;
  }

  /** (a - 1)/x - (b - 1)/(1 - x). */
  @DerivativeRule(owner = LogDensity.class, method = "beta", wrt = "x")
  public static double betaX(double x, double a, double b) {
    return x < 0 || x > 1 ? 0 : ratio(a - 1, x) - ratio(b - 1, 1 - x);
  }

  /** log x - ψ(a) + ψ(a + b). */
  @DerivativeRule(owner = LogDensity.class, method = "beta", wrt = "a")
  public static double betaA(double x, double a, double b) {
    return x < 0 || x > 1 ? 0 : Math.log(x) - SpecialRules.logBetaA(a, b);
  }

  /** log(1 - x) - ψ(b) + ψ(a + b). */
  @DerivativeRule(owner = LogDensity.class, method = "beta", wrt = "b")
  public static double betaB(double x, double a, double b) {
    return x < 0 || x > 1 ? 0 : Math.log1p(-x) - SpecialRules.logBetaB(a, b);
  }

  /** -sign(x - μ)/b; 0 at x = μ. */
  @DerivativeRule(owner = LogDensity.class, method = "laplace", wrt = "x")
  public static double laplaceX(double x, double mu, double scale) {
    return Math.signum(mu - x) / scale;
  }

  /** sign(x - μ)/b; 0 at x = μ. */
  @DerivativeRule(owner = LogDensity.class, method = "laplace", wrt = "mu")
  public static double laplaceMu(double x, double mu, double scale) {
    return Math.signum(x - mu) / scale;
  }

  /** -1/b + |x - μ|/b². */
  @DerivativeRule(owner = LogDensity.class, method = "laplace", wrt = "scale")
  public static double laplaceScale(double x, double mu, double scale) {
    return (Math.abs(x - mu) / scale - 1) / scale;
  }

  // ---------------------------------------------------------------------------------------------
  // Counts

  /** k/λ - 1 (-1 for k = 0, also at λ = 0). */
  @DerivativeRule(owner = LogDensity.class, method = "poisson", wrt = "rate")
  public static double poissonRate(int k, double rate) {
    return k < 0 ? 0 : ratio(k, rate) - 1;
  }

  /** k·logistic(-α) - (n - k)·logistic(α), without the cancellation of k - n·logistic(α). */
  @DerivativeRule(owner = LogDensity.class, method = "binomialLogit", wrt = "logit")
  public static double binomialLogit(int k, int n, double logit) {
    if (k < 0 || k > n) {
      return 0;
    }
    return k * SpecialFunctions.logistic(-logit) - (n - k) * SpecialFunctions.logistic(logit);
  }

  /** φ(k - μ) / (μ(μ + φ)). */
  @DerivativeRule(owner = LogDensity.class, method = "negativeBinomial", wrt = "mu")
  public static double negativeBinomialMu(int k, double mu, double phi) {
    return k < 0 ? 0 : phi * (k - mu) / (mu * (mu + phi));
  }

  /** ψ(k + φ) - ψ(φ) - log(1 + μ/φ) + (μ - k)/(μ + φ), the ψ difference summed as Σ_{j&lt;k} 1/(φ + j). */
  @DerivativeRule(owner = LogDensity.class, method = "negativeBinomial", wrt = "phi")
  public static double negativeBinomialPhi(int k, double mu, double phi) {
    if (k < 0) {
      return 0;
    }
    double digammaDifference = 0;
    if (k <= 1000) {
      for (int j = k - 1; j >= 0; j--) {
        digammaDifference += 1 / (phi + j);
      }
    } else {
      digammaDifference = SpecialFunctions.digamma(k + phi) - SpecialFunctions.digamma(phi);
    }
    return digammaDifference - Math.log1p(mu / phi) + (mu - k) / (mu + phi);
  }

  // ---------------------------------------------------------------------------------------------
  // Multivariate normal with a Cholesky factor: z = L⁻¹(y - μ), w = L⁻ᵀz

  /** By y: -seed·w. */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "y")
  public static Matrix multiNormalCholeskyY(Matrix y, Matrix mu, Matrix choleskyFactor, double seed) {
    return whitened(y, mu, choleskyFactor)[1].scale(-seed);
  }

  /** By μ: seed·w. */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "mu")
  public static Matrix multiNormalCholeskyMu(Matrix y, Matrix mu, Matrix choleskyFactor, double seed) {
    return whitened(y, mu, choleskyFactor)[1].scale(seed);
  }

  /** By L: seed·(tril(w·zᵀ) - diag(1/Lᵢᵢ)). */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "choleskyFactor")
  public static Matrix multiNormalCholeskyCholeskyFactor(
      Matrix y, Matrix mu, Matrix choleskyFactor, double seed) {
    return factorGradient(y, mu, choleskyFactor).scale(seed);
  }

  /** Along dy: -⟨w, dy⟩. */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "y", tangent = true)
  public static double multiNormalCholeskyYTangent(Matrix y, Matrix mu, Matrix choleskyFactor, Matrix dy) {
    return -whitened(y, mu, choleskyFactor)[1].dot(dy);
  }

  /** Along dμ: ⟨w, dμ⟩. */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "mu", tangent = true)
  public static double multiNormalCholeskyMuTangent(Matrix y, Matrix mu, Matrix choleskyFactor, Matrix dMu) {
    return whitened(y, mu, choleskyFactor)[1].dot(dMu);
  }

  /** Along dL: ⟨tril(w·zᵀ) - diag(1/Lᵢᵢ), dL⟩. */
  @DerivativeRule(owner = LogDensity.class, method = "multiNormalCholesky", wrt = "choleskyFactor", tangent = true)
  public static double multiNormalCholeskyCholeskyFactorTangent(
      Matrix y, Matrix mu, Matrix choleskyFactor, Matrix dCholeskyFactor) {
    return factorGradient(y, mu, choleskyFactor).dot(dCholeskyFactor);
  }

  // ---------------------------------------------------------------------------------------------
  // Dirichlet: partials of the formula in the unconstrained entries of x (as Stan), 0 off the simplex

  /** By x: seed·(αᵢ - 1)/xᵢ. */
  @DerivativeRule(owner = LogDensity.class, method = "dirichlet", wrt = "x")
  public static double[] dirichletX(double[] x, double[] alpha, double seed) {
    return scaled(dirichletPartials(x, alpha, true), seed);
  }

  /** By α: seed·(log xᵢ + ψ(Σα) - ψ(αᵢ)). */
  @DerivativeRule(owner = LogDensity.class, method = "dirichlet", wrt = "alpha")
  public static double[] dirichletAlpha(double[] x, double[] alpha, double seed) {
    return scaled(dirichletPartials(x, alpha, false), seed);
  }

  /** Along dx: Σ (αᵢ - 1)/xᵢ·dxᵢ. */
  @DerivativeRule(owner = LogDensity.class, method = "dirichlet", wrt = "x", tangent = true)
  public static double dirichletXTangent(double[] x, double[] alpha, double[] dx) {
    return dot(dirichletPartials(x, alpha, true), dx);
  }

  /** Along dα: Σ (log xᵢ + ψ(Σα) - ψ(αᵢ))·dαᵢ. */
  @DerivativeRule(owner = LogDensity.class, method = "dirichlet", wrt = "alpha", tangent = true)
  public static double dirichletAlphaTangent(double[] x, double[] alpha, double[] dAlpha) {
    return dot(dirichletPartials(x, alpha, false), dAlpha);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers (not rules)

  /** a/x, 0 when a is 0 (the partial of a·log x, also at x = 0). */
  private static double ratio(double a, double x) {
    return a == 0 ? 0 : a / x;
  }

  /** The Dirichlet density's partials in x or in α; all 0 off the simplex, where the density is -∞. */
  private static double[] dirichletPartials(double[] x, double[] alpha, boolean byX) {
    double[] partials = new double[x.length];
    LogDensity.dirichlet(x, alpha); // the function's shape check and message
    if (!onSimplex(x)) {
      return partials;
    }
    double alphaSum = 0;
    for (double a : alpha) {
      alphaSum += a;
    }
    double digammaOfSum = SpecialFunctions.digamma(alphaSum);
    for (int i = 0; i < x.length; i++) {
      partials[i] = byX ? ratio(alpha[i] - 1, x[i])
          : Math.log(x[i]) + digammaOfSum - SpecialFunctions.digamma(alpha[i]);
    }
    return partials;
  }

  /** Entries not negative that sum to 1, as {@link LogDensity#dirichlet} reads them. */
  private static boolean onSimplex(double[] x) {
    double sum = 0;
    for (double entry : x) {
      if (entry < 0) {
        return false;
      }
      sum += entry;
    }
    return !(Math.abs(sum - 1) > LogDensity.SIMPLEX_TOLERANCE);
  }

  private static double[] scaled(double[] values, double factor) {
    for (int i = 0; i < values.length; i++) {
      values[i] *= factor;
    }
    return values;
  }

  private static double dot(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("dirichlet: the tangent has " + b.length + " entries for an argument of "
          + a.length);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** {z, w}: z = L⁻¹(y - μ), w = L⁻ᵀz. */
  private static Matrix[] whitened(Matrix y, Matrix mu, Matrix choleskyFactor) {
    LogDensity.multiNormalCholesky(y, mu, choleskyFactor); // the function's checks and messages
    Matrix z = LinearAlgebra.solveLower(choleskyFactor, y.minus(mu));
    return new Matrix[] {z, LinearAlgebra.solveLowerTransposed(choleskyFactor, z)};
  }

  /** tril(w·zᵀ) - diag(1/Lᵢᵢ), the gradient in L. */
  private static Matrix factorGradient(Matrix y, Matrix mu, Matrix choleskyFactor) {
    Matrix[] zw = whitened(y, mu, choleskyFactor);
    double[] inverseDiagonal = new double[y.rows()];
    for (int i = 0; i < inverseDiagonal.length; i++) {
      inverseDiagonal[i] = 1 / choleskyFactor.get(i, i);
    }
    return LinearAlgebraRules.lowerTriangle(zw[1].timesTransposed(zw[0]))
        .minus(LinearAlgebra.diag(Matrix.columnVector(inverseDiagonal)));
  }
}
