package dev.adjoint.example;

import static dev.adjoint.Derivative.HESSIAN;

import dev.adjoint.Differentiable;

/**
 * The Lotka–Volterra predator–prey equations, integrated by a hand-written fixed-step fourth-order
 * Runge–Kutta loop; Adjoint generates {@code PopulationModelsGrad}, so the fit below gets the
 * gradient of the whole simulation with respect to the four rates.
 *
 * <pre>
 *   dx/dt = α·x − β·x·y      (prey)
 *   dy/dt = δ·x·y − γ·y      (predators)
 * </pre>
 *
 * <p>Rates are {@code theta = {α, β, δ, γ}}; states are {@code {x, y}}.
 */
public final class PopulationModels {
  private PopulationModels() {}

  /** The time derivative of the state. */
  @Differentiable(also = HESSIAN)
  public static double[] rates(double[] theta, double[] state) {
    double prey = state[0];
    double predators = state[1];
    return new double[] {
      theta[0] * prey - theta[1] * prey * predators,
      theta[2] * prey * predators - theta[3] * predators
    };
  }

  /**
   * The state at times {@code dt·stepsPerObservation·k} for {@code k = 1 ... observations}, as
   * {@code {x1, y1, x2, y2, ...}}, by {@code stepsPerObservation} Runge–Kutta steps of {@code dt}
   * between observations.
   */
  @Differentiable(wrt = "theta", also = HESSIAN)
  public static double[] trajectory(
      double[] theta, double[] initial, int observations, int stepsPerObservation, double dt) {
    double[] state = {initial[0], initial[1]};
    double[] path = new double[2 * observations];
    for (int k = 0; k < observations; k++) {
      for (int step = 0; step < stepsPerObservation; step++) {
        double[] k1 = rates(theta, state);
        double[] atHalf1 = {state[0] + 0.5 * dt * k1[0], state[1] + 0.5 * dt * k1[1]};
        double[] k2 = rates(theta, atHalf1);
        double[] atHalf2 = {state[0] + 0.5 * dt * k2[0], state[1] + 0.5 * dt * k2[1]};
        double[] k3 = rates(theta, atHalf2);
        double[] atEnd = {state[0] + dt * k3[0], state[1] + dt * k3[1]};
        double[] k4 = rates(theta, atEnd);
        // In place: "state = new double[] {state[0] + ...}" inside a loop gets a wrong gradient
        // from the processor at present (the new array's adjoint is cleared after, instead of
        // before, the old array's share is added to the same variable).
        state[0] += dt / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
        state[1] += dt / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
      }
      path[2 * k] = state[0];
      path[2 * k + 1] = state[1];
    }
    return path;
  }

  /**
   * The mean squared difference of logarithms between the simulated and the observed populations,
   * for the rates {@code exp(logTheta)}: logarithms make the fit relative (prey and predators differ
   * in scale) and keep the rates positive.
   *
   * @param observed {@code {x1, y1, x2, y2, ...}} as {@link #trajectory} returns them
   */
  @Differentiable(wrt = "logTheta", also = HESSIAN)
  public static double logSquaredError(
      double[] logTheta, double[] initial, double[] observed, int stepsPerObservation, double dt) {
    double[] theta = new double[logTheta.length];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = Math.exp(logTheta[i]);
    }
    double[] simulated = trajectory(theta, initial, observed.length / 2, stepsPerObservation, dt);
    double sum = 0;
    for (int i = 0; i < simulated.length; i++) {
      double residual = Math.log(simulated[i]) - Math.log(observed[i]);
      sum += residual * residual;
    }
    return sum / simulated.length;
  }
}
