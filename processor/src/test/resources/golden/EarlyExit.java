package golden;

import dev.adjoint.Differentiable;

/** A while loop with break and an early return, normalised into flags. */
class EarlyExit {
  @Differentiable
  static double firstAbove(double[] x, double threshold) {
    int k = 0;
    double product = 1;
    while (k < x.length) {
      if (x[k] > threshold) {
        return product * x[k];
      }
      product *= x[k];
      k++;
    }
    return product;
  }
}
