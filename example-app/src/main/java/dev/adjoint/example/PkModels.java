package dev.adjoint.example;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Ode;

/**
 * A one-compartment pharmacokinetic model with first-order absorption, written as the right-hand
 * side of an ODE and solved by {@link Ode#solve} inside {@code @Differentiable} code; Adjoint
 * generates {@code PkModelsGrad}, whose gradient and Jacobian go through the solver's rules (the
 * sensitivity equations), never through the integrator's steps.
 *
 * <pre>
 *   d gut / dt     = −ka·gut
 *   d central / dt =  ka·gut − ke·central        concentration = central / V
 * </pre>
 *
 * <p>Amounts are per kg of body weight, so a dose of D mg/kg starts as {@code gut = D}. Because the
 * equations are linear in the amounts, one solve from a unit dose serves every subject: a subject's
 * concentrations are its dose times the unit-dose curve at its sampling times. Parameters are
 * {@code theta = {log ka, log ke, log V}} (ka, ke per hour, V in L/kg).
 */
public final class PkModels {
  private PkModels() {}

  /** The rates of the two amounts {gut, central}; {@code parameters[2]} (log V) does not enter them. */
  @Differentiable(also = TANGENT)
  static double[] rates(double t, double[] state, double[] parameters) {
    double ka = Math.exp(parameters[0]);
    double ke = Math.exp(parameters[1]);
    return new double[] {-ka * state[0], ka * state[0] - ke * state[1]};
  }

  /**
   * The sum of squared residuals {@code Σ (observed_k − dose_k·central(times[timeIndex_k]) / V)²}
   * over the observations after time 0.
   *
   * @param times the distinct sampling times, increasing and all after 0
   * @param timeIndex for each observation, the index of its time in {@code times}
   * @param doses for each observation, its subject's dose (mg/kg)
   * @param observed the concentrations (mg/L)
   */
  @Differentiable(wrt = "theta", also = TANGENT)
  static double sumOfSquares(double[] theta, double[] times, int[] timeIndex, double[] doses, double[] observed) {
    double[][] amounts = Ode.solve(PkModels::rates, new double[] {1.0, 0.0}, 0.0, times, theta);
    double volume = Math.exp(theta[2]);
    double sum = 0;
    for (int k = 0; k < observed.length; k++) {
      double residual = observed[k] - doses[k] * amounts[timeIndex[k]][1] / volume;
      sum += residual * residual;
    }
    return sum;
  }

  /**
   * The predicted concentrations, one per observation as in {@link #sumOfSquares}; their Jacobian
   * gives the Gauss–Newton (Fisher) information.
   */
  @Differentiable(wrt = "theta", also = TANGENT)
  static double[] predictions(double[] theta, double[] times, int[] timeIndex, double[] doses) {
    double[][] amounts = Ode.solve(PkModels::rates, new double[] {1.0, 0.0}, 0.0, times, theta);
    double volume = Math.exp(theta[2]);
    double[] concentrations = new double[doses.length];
    for (int k = 0; k < doses.length; k++) {
      concentrations[k] = doses[k] * amounts[timeIndex[k]][1] / volume;
    }
    return concentrations;
  }

  /** The closed form of the same model: {@code D·ka / (V·(ka − ke)) · (e^(−ke·t) − e^(−ka·t))}. */
  static double concentration(double dose, double ka, double ke, double volume, double t) {
    return dose * ka / (volume * (ka - ke)) * (Math.exp(-ke * t) - Math.exp(-ka * t));
  }
}
