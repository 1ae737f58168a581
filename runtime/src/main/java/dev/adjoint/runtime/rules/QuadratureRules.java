package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Quadrature;
import dev.adjoint.runtime.Quadrature.DifferentiableIntegrand;

/**
 * Derivatives of {@link Quadrature#integrate}: in the bounds the integrand there ({@code
 * ∂/∂upper = f(upper)}, {@code ∂/∂lower = -f(lower)}, 0 along an infinite bound), in the
 * parameters under the integral sign ({@code ∫ ∂f/∂θ dx}, integrating the integrand's pullback
 * or tangent adaptively, not differentiating the quadrature of f).
 */
public final class QuadratureRules {
  private QuadratureRules() {}

  /** -seed·f(lower). */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "lower")
  public static double integrateLower(DifferentiableIntegrand f, double lower, double upper, double[] parameters,
      double seed) {
    return -seed * Quadrature.atBound(f, lower, parameters);
  }

  /** seed·f(upper). */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "upper")
  public static double integrateUpper(DifferentiableIntegrand f, double lower, double upper, double[] parameters,
      double seed) {
    return seed * Quadrature.atBound(f, upper, parameters);
  }

  /** seed·∫ ∂f/∂θ dx. */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "parameters")
  public static double[] integrateParameters(DifferentiableIntegrand f, double lower, double upper,
      double[] parameters, double seed) {
    double[] gradient = Quadrature.integrateGradient(f, lower, upper, parameters);
    for (int j = 0; j < gradient.length; j++) {
      gradient[j] *= seed;
    }
    return gradient;
  }

  /** -f(lower)·dlower. */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "lower", tangent = true)
  public static double integrateLowerTangent(DifferentiableIntegrand f, double lower, double upper,
      double[] parameters, double tangent) {
    return -Quadrature.atBound(f, lower, parameters) * tangent;
  }

  /** f(upper)·dupper. */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "upper", tangent = true)
  public static double integrateUpperTangent(DifferentiableIntegrand f, double lower, double upper,
      double[] parameters, double tangent) {
    return Quadrature.atBound(f, upper, parameters) * tangent;
  }

  /** ∫ ∂f/∂θ·dθ dx. */
  @DerivativeRule(owner = Quadrature.class, method = "integrate", wrt = "parameters", tangent = true)
  public static double integrateParametersTangent(DifferentiableIntegrand f, double lower, double upper,
      double[] parameters, double[] tangent) {
    return Quadrature.integrateTangent(f, lower, upper, parameters, tangent);
  }
}
