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

  /** Checks that the parameters and gradient agree and have the length the state was made for. */
  static void requireLengths(double[] parameters, double[] gradient, int stateLength) {
    if (parameters.length != gradient.length) {
      throw new IllegalArgumentException(
          "the parameters have length " + parameters.length
              + " but the gradient has length " + gradient.length);
    }
    if (parameters.length != stateLength) {
      throw new IllegalArgumentException(
          "this optimizer's state was made for " + stateLength
              + " parameters but this step has " + parameters.length
              + "; call reset() or use a new optimizer for another parameter vector");
    }
  }
}
