package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Ode;
import dev.adjoint.runtime.Ode.DifferentiableRates;
import dev.adjoint.runtime.Ode.Options;

/**
 * Derivatives of {@link Ode#solve} with {@link Options} (data, never differentiated), as {@link
 * OdeRules} gives them without: the same pullbacks (sharing one solve) and tangents under the
 * options' tolerances and sensitivity method. A class of their own because a processor has to
 * accept a rule parameter of a record type for them.
 */
public final class OdeOptionsRules {
  private OdeOptionsRules() {}

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialState")
  public static double[] solveWithOptionsInitialState(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[][] seed) {
    return OdeRules.pullback(rates, initialState, initialTime, times, parameters, options, value, seed).initialState();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialTime")
  public static double solveWithOptionsInitialTime(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[][] seed) {
    return OdeRules.pullback(rates, initialState, initialTime, times, parameters, options, value, seed).initialTime();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "times")
  public static double[] solveWithOptionsTimes(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, Options options, double[][] value, double[][] seed) {
    return OdeRules.pullback(rates, initialState, initialTime, times, parameters, options, value, seed).times();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "parameters")
  public static double[] solveWithOptionsParameters(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[][] seed) {
    return OdeRules.pullback(rates, initialState, initialTime, times, parameters, options, value, seed).parameters();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialState", tangent = true)
  public static double[][] solveWithOptionsInitialStateTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[] tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, options, tangent, null);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialTime", tangent = true)
  public static double[][] solveWithOptionsInitialTimeTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, options,
        OdeRules.initialTimeTangent(rates, initialState, initialTime, parameters, tangent), null);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "times", tangent = true)
  public static double[][] solveWithOptionsTimesTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[] tangent) {
    return OdeRules.timesTangent(rates, times, parameters, value, tangent);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "parameters", tangent = true)
  public static double[][] solveWithOptionsParametersTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] value, double[] tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, options, null, tangent);
  }
}
