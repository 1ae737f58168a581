package golden;

import dev.adjoint.Differentiable;

/** A branch inside a loop: the decision is recorded, the reverse sweep replays it. */
class Branches {
  @Differentiable
  static double huber(double[] r, double delta) {
    double loss = 0;
    for (int j = 0; j < r.length; j++) {
      if (Math.abs(r[j]) <= delta) {
        loss += 0.5 * r[j] * r[j];
      } else {
        loss += delta * (Math.abs(r[j]) - 0.5 * delta);
      }
    }
    return loss;
  }
}
