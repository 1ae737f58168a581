package dev.adjoint.example;

import static dev.adjoint.Derivative.HESSIAN;

import dev.adjoint.Differentiable;

/**
 * Four models as a scientist writes them: {@code @Differentiable} on the top-level method only,
 * the work done by ordinary (some private) static helpers, which Adjoint differentiates too.
 */
final class ScientificModels {
  private ScientificModels() {}

  /** One-compartment pharmacokinetics with first-order absorption, on log parameters. */
  @Differentiable(wrt = "logTheta", also = HESSIAN)
  static double pharmacokineticLoss(double[] logTheta, double[] times, double[] observed) {
    double sum = 0;
    for (int i = 0; i < times.length; i++) {
      double residual = observed[i]
          - concentration(100, Math.exp(logTheta[0]), Math.exp(logTheta[1]), Math.exp(logTheta[2]), times[i]);
      sum += residual * residual;
    }
    return sum / times.length;
  }

  private static double concentration(double dose, double ka, double ke, double volume, double t) {
    return dose / volume * Math.exp(-ke * t) * (1 - Math.exp(-ka * t));
  }

  /** How far a projectile with quadratic drag flies in a second, stepped by a helper. */
  @Differentiable(also = HESSIAN)
  static double projectileDistance(double[] launch) {
    double[] state = {0, 0, launch[0] * Math.cos(launch[1]), launch[0] * Math.sin(launch[1])};
    for (int i = 0; i < 50; i++) {
      state = step(state, 0.02, launch[2]);
    }
    return state[0];
  }

  private static double[] step(double[] s, double dt, double drag) {
    double speed = Math.sqrt(s[2] * s[2] + s[3] * s[3]);
    return new double[] {
      s[0] + dt * s[2], s[1] + dt * s[3], s[2] - dt * drag * speed * s[2], s[3] - dt * (9.81 + drag * speed * s[3])
    };
  }

  /** The log posterior of a Bayesian logistic regression with a Gaussian prior. */
  @Differentiable(wrt = "beta", also = HESSIAN)
  static double logPosterior(double[] beta, double[][] x, double[] y) {
    return logLikelihood(beta, x, y) + logPrior(beta, 2.0);
  }

  static double logLikelihood(double[] beta, double[][] x, double[] y) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double eta = 0;
      for (int j = 0; j < beta.length; j++) {
        eta += x[i][j] * beta[j];
      }
      sum += y[i] * eta - softplus(eta);
    }
    return sum;
  }

  private static double softplus(double eta) {
    return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
  }

  static double logPrior(double[] beta, double scale) {
    double sum = 0;
    for (double b : beta) {
      sum -= 0.5 * b * b / (scale * scale);
    }
    return sum;
  }

  /** The negative log marginal likelihood of a Gaussian process, by a Cholesky factor of its kernel matrix. */
  @Differentiable(wrt = "logHyper", also = HESSIAN)
  static double gaussianProcessLoss(double[] logHyper, double[] xs, double[] ys) {
    int n = xs.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = kernel(xs[i], xs[j], logHyper[0], logHyper[1]) + (i == j ? 0.1 : 0);
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
      }
    }
    double fit = 0;
    double logDeterminant = 0;
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = ys[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * z[k];
      }
      z[i] = sum / l[i][i];
      fit += z[i] * z[i];
      logDeterminant += Math.log(l[i][i]);
    }
    return 0.5 * fit + logDeterminant;
  }

  private static double kernel(double a, double b, double logLength, double logSignal) {
    double d = (a - b) / Math.exp(logLength);
    return Math.exp(2 * logSignal - 0.5 * d * d);
  }
}
