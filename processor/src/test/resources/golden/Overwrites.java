package golden;

import dev.adjoint.Differentiable;

/** A variable overwritten in a loop: its old values are saved and restored in place. */
class Overwrites {
  @Differentiable
  static double iterate(double x, int n) {
    double y = x;
    for (int j = 0; j < n; j++) {
      y = Math.sin(y) * y;
    }
    return y;
  }
}
