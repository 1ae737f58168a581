package golden;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;

/** Helpers without @Differentiable, private, so copied into the companion: one differentiated, one on data. */
class Helpers {
  @Differentiable(also = TANGENT)
  static double decay(double[] rates, double t) {
    double sum = 0;
    for (int i = 0; i < rates.length; i++) {
      sum += amount(rates[i], t) * weight(i);
    }
    return sum;
  }

  private static double amount(double rate, double t) {
    return Math.exp(-rate * t);
  }

  private static double weight(int i) {
    return 1.0 / (i + 1);
  }
}
