package dev.adjoint.example;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.LogDensity;

/**
 * The eight schools (Rubin 1981; Gelman et al., Bayesian Data Analysis, 3rd ed., §5.5): the
 * effect θⱼ of coaching in school j is estimated as yⱼ with standard error σⱼ, and the θⱼ are drawn
 * from N(μ, τ). Priors as in posteriordb's {@code eight_schools_noncentered} (Stan's example):
 * μ ~ N(0, 5) and τ ~ Cauchy⁺(0, 5), a half-Cauchy, weakly informative on the scale of the effects
 * and, unlike an inverse-gamma, not pushing τ away from 0 (Gelman 2006).
 */
final class HierarchicalModels {
  static final double MU_PRIOR_SCALE = 5;
  static final double TAU_PRIOR_SCALE = 5;

  private HierarchicalModels() {}

  /**
   * The log posterior density, up to a constant, in the non-centred parametrisation on the
   * unconstrained scale: {@code parameters = {μ, log τ, η₁, ..., η₈}} with θⱼ = μ + τ·ηⱼ and ηⱼ ~
   * N(0, 1). The prior includes log τ, the log Jacobian of τ = exp(log τ), so that a sampler in
   * these coordinates draws from the posterior of (μ, τ, θ).
   */
  @Differentiable(wrt = "parameters", also = TANGENT)
  static double logPosterior(double[] parameters, double[] effects, double[] standardErrors) {
    double mu = parameters[0];
    double tau = Math.exp(parameters[1]);
    double logDensity = logPrior(mu, parameters[1]);
    for (int j = 0; j < effects.length; j++) {
      double eta = parameters[2 + j];
      logDensity += LogDensity.normal(eta, 0, 1) + LogDensity.normal(effects[j], mu + tau * eta, standardErrors[j]);
    }
    return logDensity;
  }

  /**
   * The log of the marginal posterior density of (μ, log τ), up to a constant, with the θⱼ
   * integrated out in closed form: yⱼ ~ N(μ, √(σⱼ² + τ²)).
   */
  @Differentiable(wrt = {"mu", "logTau"}, also = TANGENT)
  static double marginalLogPosterior(double mu, double logTau, double[] effects, double[] standardErrors) {
    double tau = Math.exp(logTau);
    double logDensity = logPrior(mu, logTau);
    for (int j = 0; j < effects.length; j++) {
      logDensity += LogDensity.normal(effects[j], mu, Math.sqrt(standardErrors[j] * standardErrors[j] + tau * tau));
    }
    return logDensity;
  }

  /**
   * The log prior density of μ and log τ, with log τ's Jacobian; a helper, differentiated for
   * both models without an annotation.
   */
  private static double logPrior(double mu, double logTau) {
    // The half-Cauchy is twice the Cauchy on τ > 0; the constant log 2 is left out.
    return LogDensity.normal(mu, 0, MU_PRIOR_SCALE) + LogDensity.cauchy(Math.exp(logTau), 0, TAU_PRIOR_SCALE) + logTau;
  }
}
