package golden;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.DerivativeRule;
import dev.adjoint.Differentiable;

/** A solver with rules taking a function (Euler steps of an ODE) and a model passing it a private helper. */
class Solver {
  interface Rates {
    double[] rates(double t, double[] y, double[] theta);
  }

  interface DifferentiableRates extends Rates {
    void pullback(double t, double[] y, double[] theta, double[] seed, double[] dt, double[] dy, double[] dtheta);

    double[] tangent(double t, double[] y, double[] theta, double tt, double[] ty, double[] ttheta);
  }

  static double[][] euler(Rates f, double[] y0, double[] theta, int steps) {
    double[][] y = new double[steps + 1][];
    y[0] = y0.clone();
    for (int k = 0; k < steps; k++) {
      double[] rate = f.rates(0.1 * k, y[k], theta);
      y[k + 1] = new double[y0.length];
      for (int i = 0; i < y0.length; i++) {
        y[k + 1][i] = y[k][i] + 0.1 * rate[i];
      }
    }
    return y;
  }

  @DerivativeRule(method = "euler", wrt = "theta")
  static double[] eulerTheta(DifferentiableRates f, double[] y0, double[] theta, int steps, double[][] value,
      double[][] seed) {
    double[] lambda = seed[steps].clone();
    double[] dtheta = new double[theta.length];
    double[] dt = new double[1];
    for (int k = steps - 1; k >= 0; k--) {
      double[] scaled = new double[lambda.length];
      for (int i = 0; i < lambda.length; i++) {
        scaled[i] = 0.1 * lambda[i];
      }
      double[] dy = new double[lambda.length];
      f.pullback(0.1 * k, value[k], theta, scaled, dt, dy, dtheta);
      for (int i = 0; i < lambda.length; i++) {
        lambda[i] += dy[i] + seed[k][i];
      }
    }
    return dtheta;
  }

  @DerivativeRule(method = "euler", wrt = "theta", tangent = true)
  static double[][] eulerThetaTangent(DifferentiableRates f, double[] y0, double[] theta, int steps,
      double[][] value, double[] dtheta) {
    double[][] dy = new double[steps + 1][];
    dy[0] = new double[y0.length];
    for (int k = 0; k < steps; k++) {
      double[] rate = f.tangent(0.1 * k, value[k], theta, 0, dy[k], dtheta);
      dy[k + 1] = new double[y0.length];
      for (int i = 0; i < y0.length; i++) {
        dy[k + 1][i] = dy[k][i] + 0.1 * rate[i];
      }
    }
    return dy;
  }

  private static double[] decay(double t, double[] y, double[] theta) {
    return new double[] {-theta[0] * y[0]};
  }

  @Differentiable(wrt = "theta", also = TANGENT)
  static double finalAmount(double[] theta, double[] y0) {
    double[][] solution = euler(Solver::decay, y0, theta, 10);
    return solution[10][0];
  }
}
