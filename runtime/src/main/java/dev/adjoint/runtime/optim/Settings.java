package dev.adjoint.runtime.optim;

/** Argument checks shared by the optimizers, so that their messages read alike. */
final class Settings {
  private Settings() {}

  static double requirePositive(double value, String name) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException("the " + name + " must be positive and finite, got " + value);
    }
    return value;
  }

  /** A decay rate such as a momentum or a moment's beta: in [0, 1). */
  static double requireDecay(double value, String name) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("the " + name + " must be in [0, 1), got " + value);
    }
    return value;
  }

  /** Checks that the parameters and gradient agree in length. */
  static void requireSameLength(double[] parameters, double[] gradient) {
    if (parameters.length != gradient.length) {
      throw new IllegalArgumentException(
          "the parameters have length " + parameters.length
              + " but the gradient has length " + gradient.length);
    }
  }
}
