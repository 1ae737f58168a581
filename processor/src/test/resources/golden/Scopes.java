package golden;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;

/** Names of disjoint scopes: two loops over j, and a t in each branch, keep their names. */
class Scopes {
  @Differentiable(wrt = "w", also = TANGENT)
  static double twoLoops(double[][] X, double[] w) {
    double loss = 0;
    for (int i = 0; i < X.length; i++) {
      double z = 0;
      for (int j = 0; j < w.length; j++) {
        z += X[i][j] * w[j];
      }
      loss += z * z;
    }
    for (int j = 0; j < w.length; j++) {
      loss += w[j] * w[j];
    }
    return loss;
  }

  @Differentiable(also = TANGENT)
  static double branches(double x) {
    double sum = 0;
    if (x > 0) {
      double t = x * x;
      sum += t * t;
    } else {
      double t = -x;
      sum += t * x;
    }
    return sum;
  }
}
