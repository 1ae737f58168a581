package golden;

import dev.adjoint.Differentiable;

/** A scalar expression: one temporary per intermediate, the reverse sweep reusing them. */
class Neuron {
  @Differentiable
  static double neuron(double a, double b, double c, double x, double y) {
    return 1 / (1 + Math.exp(-(a * x + b * y + c)));
  }
}
