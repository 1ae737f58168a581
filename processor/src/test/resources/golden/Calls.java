package golden;

import dev.adjoint.Differentiable;

/** A call of another differentiable method inside a loop. */
class Calls {
  @Differentiable
  static double term(double a, double b) {
    double d = b - a * a;
    return 100 * d * d + (1 - a) * (1 - a);
  }

  @Differentiable
  static double chain(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      sum += term(x[i], x[i + 1]);
    }
    return sum;
  }
}
