package golden;

import static dev.adjoint.Derivative.HESSIAN;

import dev.adjoint.Differentiable;

/** A loop whose temporaries the reverse sweep recomputes instead of taping; with its Hessian. */
class Rosenbrock {
  @Differentiable(also = HESSIAN)
  static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double t = x[i + 1] - x[i] * x[i];
      double u = 1 - x[i];
      sum += 100 * t * t + u * u;
    }
    return sum;
  }
}
