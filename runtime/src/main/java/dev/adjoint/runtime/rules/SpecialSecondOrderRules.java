package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.SpecialFunctions;
import org.apache.commons.math3.special.Gamma;

/**
 * Derivatives of the scalar rules of {@link SpecialRules}, in the form of {@link SecondOrderRules},
 * so that forward-over-reverse Hessians can differentiate a reverse sweep that calls them. Each
 * takes the parameters of the {@link SpecialRules} method it differentiates, with the same names.
 * At the boundary points where {@link SpecialRules} returns a chosen limit (x = 0 of the
 * incomplete functions) these give what their formula gives there (NaN or an infinity).
 * {@code logSumExp}, a function of an array, has none.
 */
public final class SpecialSecondOrderRules {
  private SpecialSecondOrderRules() {}

  /** ψ'(x). */
  @DerivativeRule(owner = SpecialRules.class, method = "logGamma")
  public static double logGamma(double x) {
    return SpecialFunctions.polygamma(1, x);
  }

  /** ψ⁽²⁾(x). */
  @DerivativeRule(owner = SpecialRules.class, method = "digamma")
  public static double digamma(double x) {
    return SpecialFunctions.polygamma(2, x);
  }

  /** ψ⁽³⁾(x). */
  @DerivativeRule(owner = SpecialRules.class, method = "trigamma")
  public static double trigamma(double x) {
    return SpecialFunctions.polygamma(3, x);
  }

  /** ψ⁽²⁾(x). */
  @DerivativeRule(owner = SpecialRules.class, method = "accurateDigamma")
  public static double accurateDigamma(double x) {
    return SpecialFunctions.polygamma(2, x);
  }

  /** ψ⁽ⁿ⁺²⁾(x). */
  @DerivativeRule(owner = SpecialRules.class, method = "polygamma", wrt = "x")
  public static double polygamma(int n, double x) {
    return SpecialFunctions.polygamma(n + 2, x);
  }

  /** ∂/∂a (ψ(a) - ψ(a+b)) = ψ'(a) - ψ'(a+b). */
  @DerivativeRule(owner = SpecialRules.class, method = "logBetaA", wrt = "a")
  public static double logBetaAA(double a, double b) {
    return SpecialFunctions.polygamma(1, a) - SpecialFunctions.polygamma(1, a + b);
  }

  /** ∂/∂b (ψ(a) - ψ(a+b)) = -ψ'(a+b). */
  @DerivativeRule(owner = SpecialRules.class, method = "logBetaA", wrt = "b")
  public static double logBetaAB(double a, double b) {
    return -SpecialFunctions.polygamma(1, a + b);
  }

  /** ∂/∂a (ψ(b) - ψ(a+b)) = -ψ'(a+b). */
  @DerivativeRule(owner = SpecialRules.class, method = "logBetaB", wrt = "a")
  public static double logBetaBA(double a, double b) {
    return -SpecialFunctions.polygamma(1, a + b);
  }

  /** ∂/∂b (ψ(b) - ψ(a+b)) = ψ'(b) - ψ'(a+b). */
  @DerivativeRule(owner = SpecialRules.class, method = "logBetaB", wrt = "b")
  public static double logBetaBB(double a, double b) {
    return SpecialFunctions.polygamma(1, b) - SpecialFunctions.polygamma(1, a + b);
  }

  /** d/dx 2/√π e^(-x²) = -2x · 2/√π e^(-x²). */
  @DerivativeRule(owner = SpecialRules.class, method = "erf")
  public static double erf(double x) {
    return -2 * x * SpecialRules.erf(x);
  }

  /** d/dx -2/√π e^(-x²) = 2x · 2/√π e^(-x²). */
  @DerivativeRule(owner = SpecialRules.class, method = "erfc")
  public static double erfc(double x) {
    return 2 * x * SpecialRules.erf(x);
  }

  /** ∂/∂a of the gamma density f: f·(ln x - ψ(a)). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaPX", wrt = "a")
  public static double regularizedGammaPXA(double a, double x) {
    return SpecialRules.regularizedGammaPX(a, x) * (Math.log(x) - SpecialFunctions.digamma(a));
  }

  /** ∂/∂x of the gamma density f: f·((a - 1)/x - 1). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaPX", wrt = "x")
  public static double regularizedGammaPXX(double a, double x) {
    return SpecialRules.regularizedGammaPX(a, x) * ((a - 1) / x - 1);
  }

  /** ∂²P/∂a², by the series. */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaPA", wrt = "a")
  public static double regularizedGammaPAA(double a, double x) {
    return SpecialRules.GammaSeries.inShape(a, x)[1];
  }

  /** ∂²P/∂a∂x = f·(ln x - ψ(a)). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaPA", wrt = "x")
  public static double regularizedGammaPAX(double a, double x) {
    return regularizedGammaPXA(a, x);
  }

  /** -∂/∂a of the gamma density. */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaQX", wrt = "a")
  public static double regularizedGammaQXA(double a, double x) {
    return -regularizedGammaPXA(a, x);
  }

  /** -∂/∂x of the gamma density. */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaQX", wrt = "x")
  public static double regularizedGammaQXX(double a, double x) {
    return -regularizedGammaPXX(a, x);
  }

  /** -∂²P/∂a². */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaQA", wrt = "a")
  public static double regularizedGammaQAA(double a, double x) {
    return -regularizedGammaPAA(a, x);
  }

  /** -∂²P/∂a∂x. */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedGammaQA", wrt = "x")
  public static double regularizedGammaQAX(double a, double x) {
    return -regularizedGammaPXA(a, x);
  }

  /** ∂/∂x of the beta density f: f·((a - 1)/x - (b - 1)/(1 - x)). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedBeta", wrt = "x")
  public static double regularizedBetaX(double x, double a, double b) {
    return SpecialRules.regularizedBeta(x, a, b) * ((a - 1) / x - (b - 1) / (1 - x));
  }

  /** ∂/∂a of the beta density f: f·(ln x - ψ(a) + ψ(a + b)). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedBeta", wrt = "a")
  public static double regularizedBetaA(double x, double a, double b) {
    return SpecialRules.regularizedBeta(x, a, b) * (Math.log(x) - SpecialFunctions.digamma(a) + SpecialFunctions.digamma(a + b));
  }

  /** ∂/∂b of the beta density f: f·(ln(1 - x) - ψ(b) + ψ(a + b)). */
  @DerivativeRule(owner = SpecialRules.class, method = "regularizedBeta", wrt = "b")
  public static double regularizedBetaB(double x, double a, double b) {
    return SpecialRules.regularizedBeta(x, a, b) * (Math.log1p(-x) - SpecialFunctions.digamma(b) + SpecialFunctions.digamma(a + b));
  }

  /** d/dx logistic(x) = logistic(x)·logistic(-x). */
  @DerivativeRule(owner = SpecialRules.class, method = "log1pExp")
  public static double log1pExp(double x) {
    return SpecialRules.logistic(x);
  }

  /** d/dx σ(x)σ(-x) = σ(x)σ(-x)(σ(-x) - σ(x)). */
  @DerivativeRule(owner = SpecialRules.class, method = "logistic")
  public static double logistic(double x) {
    return SpecialRules.logistic(x) * (SpecialFunctions.logistic(-x) - SpecialFunctions.logistic(x));
  }

  /** d/dp (1/p + 1/(1 - p)) = -1/p² + 1/(1 - p)². */
  @DerivativeRule(owner = SpecialRules.class, method = "logit")
  public static double logit(double p) {
    return -1 / (p * p) + 1 / ((1 - p) * (1 - p));
  }
}
