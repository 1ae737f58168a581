package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.SpecialFunctions;

/**
 * Derivatives of some rules of {@link LogDensityRules}, in the form of {@link SecondOrderRules}, so
 * that Hessians go through the normal, exponential, Poisson and binomial (logit) log densities:
 * the common likelihoods of regression models. Each takes the parameters of the rule it
 * differentiates, with the same names. Outside the support, where the first-order rules are the
 * constant 0, these are 0 too.
 */
public final class LogDensitySecondOrderRules {
  private LogDensitySecondOrderRules() {}

  /** ∂/∂x of -(x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalX", wrt = "x")
  public static double normalXX(double x, double mu, double sigma) {
    return -1 / (sigma * sigma);
  }

  /** ∂/∂μ of -(x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalX", wrt = "mu")
  public static double normalXMu(double x, double mu, double sigma) {
    return 1 / (sigma * sigma);
  }

  /** ∂/∂σ of -(x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalX", wrt = "sigma")
  public static double normalXSigma(double x, double mu, double sigma) {
    return 2 * (x - mu) / (sigma * sigma * sigma);
  }

  /** ∂/∂x of (x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalMu", wrt = "x")
  public static double normalMuX(double x, double mu, double sigma) {
    return 1 / (sigma * sigma);
  }

  /** ∂/∂μ of (x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalMu", wrt = "mu")
  public static double normalMuMu(double x, double mu, double sigma) {
    return -1 / (sigma * sigma);
  }

  /** ∂/∂σ of (x - μ)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalMu", wrt = "sigma")
  public static double normalMuSigma(double x, double mu, double sigma) {
    return -2 * (x - mu) / (sigma * sigma * sigma);
  }

  /** ∂/∂x of (z² - 1)/σ. */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalSigma", wrt = "x")
  public static double normalSigmaX(double x, double mu, double sigma) {
    return 2 * (x - mu) / (sigma * sigma * sigma);
  }

  /** ∂/∂μ of (z² - 1)/σ. */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalSigma", wrt = "mu")
  public static double normalSigmaMu(double x, double mu, double sigma) {
    return -2 * (x - mu) / (sigma * sigma * sigma);
  }

  /** ∂/∂σ of (z² - 1)/σ: (1 - 3z²)/σ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "normalSigma", wrt = "sigma")
  public static double normalSigmaSigma(double x, double mu, double sigma) {
    double z = (x - mu) / sigma;
    return (1 - 3 * z * z) / (sigma * sigma);
  }

  /** ∂/∂x of -λ: 0. */
  @DerivativeRule(owner = LogDensityRules.class, method = "exponentialX", wrt = "x")
  public static double exponentialXX(double x, double rate) {
    return 0;
  }

  /** ∂/∂λ of -λ: -1 (0 outside the support). */
  @DerivativeRule(owner = LogDensityRules.class, method = "exponentialX", wrt = "rate")
  public static double exponentialXRate(double x, double rate) {
    return x < 0 ? 0 : -1;
  }

  /** ∂/∂x of 1/λ - x: -1 (0 outside the support). */
  @DerivativeRule(owner = LogDensityRules.class, method = "exponentialRate", wrt = "x")
  public static double exponentialRateX(double x, double rate) {
    return x < 0 ? 0 : -1;
  }

  /** ∂/∂λ of 1/λ - x: -1/λ² (0 outside the support). */
  @DerivativeRule(owner = LogDensityRules.class, method = "exponentialRate", wrt = "rate")
  public static double exponentialRateRate(double x, double rate) {
    return x < 0 ? 0 : -1 / (rate * rate);
  }

  /** ∂/∂λ of k/λ - 1: -k/λ². */
  @DerivativeRule(owner = LogDensityRules.class, method = "poissonRate", wrt = "rate")
  public static double poissonRate(int k, double rate) {
    return k <= 0 ? 0 : -k / (rate * rate);
  }

  /** ∂/∂α of k·σ(-α) - (n - k)·σ(α): -n·σ(α)σ(-α). */
  @DerivativeRule(owner = LogDensityRules.class, method = "binomialLogit", wrt = "logit")
  public static double binomialLogit(int k, int n, double logit) {
    return k < 0 || k > n ? 0 : -n * SpecialFunctions.logistic(logit) * SpecialFunctions.logistic(-logit);
  }
}
