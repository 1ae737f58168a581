package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.Ode;
import dev.adjoint.runtime.Ode.DifferentiableRates;
import dev.adjoint.runtime.Ode.Options;
import java.util.Arrays;

/**
 * Derivatives of {@link Ode#solve} without options (those with options are in {@link
 * OdeOptionsRules}), in every differentiable argument: pullback rules ({@code solveParameters}) through {@link Ode#pullback},
 * tangent rules ({@code solveParametersTangent}) through {@link Ode#tangent}. The rates arrive as
 * {@link DifferentiableRates}, the processor's implementation of the rates' derivatives.
 *
 * <p>One solve for all pullback rules of a call: the processor calls the rule of each argument
 * in turn with the same arrays, and each would re-solve. The last pullback is kept per thread,
 * keyed by the identity of the rates and of the value (a new solve gives a new value array) and
 * by the contents of every other argument and the seed, so a changed seed or argument re-solves.
 * The tangent rules solve one directional sensitivity each ({@code 2n} states); along the output
 * times the tangent needs no solve: {@code f(tᵢ, yᵢ)·ṫᵢ}. Every rule (here and in {@link
 * OdeOptionsRules}) takes the value, also where it does not read it, so that no rule of one
 * overload also fits the other's parameters (a rule of the overload with options would otherwise
 * read as one of the overload without, with two extra parameters).
 */
public final class OdeRules {
  private OdeRules() {}

  // ---------------------------------------------------------------------------------------------
  // solve(rates, initialState, initialTime, times, parameters)

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialState")
  public static double[] solveInitialState(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, double[][] value, double[][] seed) {
    return pullback(rates, initialState, initialTime, times, parameters, Options.DEFAULT, value, seed).initialState();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialTime")
  public static double solveInitialTime(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, double[][] value, double[][] seed) {
    return pullback(rates, initialState, initialTime, times, parameters, Options.DEFAULT, value, seed).initialTime();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "times")
  public static double[] solveTimes(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, double[][] value, double[][] seed) {
    return pullback(rates, initialState, initialTime, times, parameters, Options.DEFAULT, value, seed).times();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "parameters")
  public static double[] solveParameters(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, double[][] value, double[][] seed) {
    return pullback(rates, initialState, initialTime, times, parameters, Options.DEFAULT, value, seed).parameters();
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialState", tangent = true)
  public static double[][] solveInitialStateTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, double[][] value, double[] tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, Options.DEFAULT, tangent, null);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "initialTime", tangent = true)
  public static double[][] solveInitialTimeTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, double[][] value, double tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, Options.DEFAULT,
        initialTimeTangent(rates, initialState, initialTime, parameters, tangent), null);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "times", tangent = true)
  public static double[][] solveTimesTangent(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, double[][] value, double[] tangent) {
    return timesTangent(rates, times, parameters, value, tangent);
  }

  @DerivativeRule(owner = Ode.class, method = "solve", wrt = "parameters", tangent = true)
  public static double[][] solveParametersTangent(DifferentiableRates rates, double[] initialState,
      double initialTime, double[] times, double[] parameters, double[][] value, double[] tangent) {
    return Ode.tangent(rates, initialState, initialTime, times, parameters, Options.DEFAULT, null, tangent);
  }

  // ---------------------------------------------------------------------------------------------
  // Shared

  /** Moving t₀ by ṫ₀ moves the solution as moving y₀ by {@code -f(t₀, y₀)·ṫ₀}. */
  static double[] initialTimeTangent(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] parameters, double tangent) {
    double[] moved = rates.rates(initialTime, initialState, parameters).clone();
    for (int i = 0; i < moved.length; i++) {
      moved[i] *= -tangent;
    }
    return moved;
  }

  /** Row i: {@code f(tᵢ, yᵢ)·ṫᵢ}. */
  static double[][] timesTangent(DifferentiableRates rates, double[] times, double[] parameters,
      double[][] value, double[] tangent) {
    double[][] rows = new double[times.length][];
    for (int i = 0; i < times.length; i++) {
      rows[i] = rates.rates(times[i], value[i], parameters).clone();
      for (int k = 0; k < rows[i].length; k++) {
        rows[i][k] *= tangent[i];
      }
    }
    return rows;
  }

  /** The last pullback of this thread, with what it was computed from. */
  private record SharedPullback(DifferentiableRates rates, double[][] value, double[] initialState,
      double initialTime, double[] times, double[] parameters, Options options, double[][] seed,
      Ode.Gradient gradient) {

    boolean isFor(DifferentiableRates otherRates, double[] otherInitialState, double otherInitialTime,
        double[] otherTimes, double[] otherParameters, Options otherOptions, double[][] otherValue,
        double[][] otherSeed) {
      return rates == otherRates && value == otherValue && Double.compare(initialTime, otherInitialTime) == 0
          && options.equals(otherOptions) && Arrays.equals(initialState, otherInitialState)
          && Arrays.equals(times, otherTimes) && Arrays.equals(parameters, otherParameters)
          && Arrays.deepEquals(seed, otherSeed);
    }
  }

  private static final ThreadLocal<SharedPullback> LAST_PULLBACK = new ThreadLocal<>();

  /** One pullback solve shared by the rules of a call; each rule gets its own copy of its part. */
  static Ode.Gradient pullback(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, Options options, double[][] value, double[][] seed) {
    SharedPullback last = LAST_PULLBACK.get();
    if (last == null || !last.isFor(rates, initialState, initialTime, times, parameters, options, value, seed)) {
      Ode.Gradient gradient = Ode.pullback(rates, initialState, initialTime, times, parameters, options, seed);
      last = new SharedPullback(rates, value, initialState.clone(), initialTime, times.clone(), parameters.clone(),
          options, Arrays.stream(seed).map(double[]::clone).toArray(double[][]::new), gradient);
      LAST_PULLBACK.set(last);
    }
    Ode.Gradient gradient = last.gradient();
    return new Ode.Gradient(gradient.initialState().clone(), gradient.initialTime(), gradient.times().clone(),
        gradient.parameters().clone());
  }
}
