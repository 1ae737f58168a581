package golden;

import dev.adjoint.Differentiable;

/** An explicit Euler step whose rates a void helper writes into an array it is given. */
class OutParameters {
  @Differentiable(wrt = "theta")
  static double euler(double[] theta, double[] initial, int steps, double h) {
    double[] y = {initial[0], initial[1]};
    double[] dydt = new double[2];
    for (int s = 0; s < steps; s++) {
      rhs(y, theta, dydt);
      for (int i = 0; i < 2; i++) {
        y[i] += h * dydt[i];
      }
    }
    return y[0] + y[1];
  }

  private static void rhs(double[] y, double[] theta, double[] dydt) {
    dydt[0] = theta[0] * y[0] - theta[1] * y[0] * y[1];
    dydt[1] = theta[1] * y[0] * y[1] - theta[2] * y[1];
  }
}
