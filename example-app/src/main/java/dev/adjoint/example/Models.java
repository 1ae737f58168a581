package dev.adjoint.example;

import static dev.adjoint.Derivative.HESSIAN;

import dev.adjoint.Differentiable;

/**
 * Straight-line models: Adjoint generates {@code ModelsGrad} with their gradients at compile time.
 */
public final class Models {
  private Models() {}

  /** A sigmoid neuron with weights a, b and bias c, applied to the input (x, y). */
  @Differentiable(also = HESSIAN)
  public static double neuron(double a, double b, double c, double x, double y) {
    return 1 / (1 + Math.exp(-(a * x + b * y + c)));
  }

  /** Rosenbrock's banana function: a curved, narrow valley with its minimum 0 at (1, 1). */
  @Differentiable(also = HESSIAN)
  public static double rosenbrock(double x, double y) {
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
  }
}
