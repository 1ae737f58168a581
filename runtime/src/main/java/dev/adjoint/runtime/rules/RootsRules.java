package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Roots;
import dev.adjoint.runtime.Roots.DifferentiableEquation;
import dev.adjoint.runtime.Roots.DifferentiableEquations;

/**
 * Derivatives of {@link Roots#solve}, a system and one equation, by the implicit function theorem
 * at the root the solve returned (the rules take it as the value; nothing is solved again):
 * pullbacks through {@link Roots#pullback}, tangents through {@link Roots#tangent}. The guess has
 * derivative zero, given as rules so that a varied guess is not an error.
 */
public final class RootsRules {
  private RootsRules() {}

  // ---------------------------------------------------------------------------------------------
  // solve(equations, guess, parameters): a system

  /** θ̄ = J_θᵀλ, λ = -J_x⁻ᵀ·seed. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "parameters")
  public static double[] solveParameters(DifferentiableEquations f, double[] guess, double[] parameters,
      double[] value, double[] seed) {
    return Roots.pullback(f, value, parameters, seed);
  }

  /** 0. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "guess")
  public static double[] solveGuess(DifferentiableEquations f, double[] guess, double[] parameters, double[] value,
      double[] seed) {
    return new double[guess.length];
  }

  /** ẋ = -J_x⁻¹·(J_θ·θ̇). */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "parameters", tangent = true)
  public static double[] solveParametersTangent(DifferentiableEquations f, double[] guess, double[] parameters,
      double[] value, double[] tangent) {
    return Roots.tangent(f, value, parameters, tangent);
  }

  /** 0. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "guess", tangent = true)
  public static double[] solveGuessTangent(DifferentiableEquations f, double[] guess, double[] parameters,
      double[] value, double[] tangent) {
    return new double[guess.length];
  }

  // ---------------------------------------------------------------------------------------------
  // solve(equation, guess, parameters): one equation

  /** θ̄ = -seed/F_x·∂F/∂θ. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "parameters")
  public static double[] solveEquationParameters(DifferentiableEquation f, double guess, double[] parameters,
      double value, double seed) {
    return Roots.pullback(f, value, parameters, seed);
  }

  /** 0. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "guess")
  public static double solveEquationGuess(DifferentiableEquation f, double guess, double[] parameters, double value,
      double seed) {
    return 0;
  }

  /** ẋ = -(∂F/∂θ·θ̇)/F_x. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "parameters", tangent = true)
  public static double solveEquationParametersTangent(DifferentiableEquation f, double guess, double[] parameters,
      double value, double[] tangent) {
    return Roots.tangent(f, value, parameters, tangent);
  }

  /** 0. */
  @DerivativeRule(owner = Roots.class, method = "solve", wrt = "guess", tangent = true)
  public static double solveEquationGuessTangent(DifferentiableEquation f, double guess, double[] parameters,
      double value, double tangent) {
    return 0;
  }
}
