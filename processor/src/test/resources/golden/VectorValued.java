package golden;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;

/** A vector-valued method: pullback, Jacobian, and Jacobian-vector product. */
class VectorValued {
  @Differentiable(also = TANGENT)
  static double[] rates(double[] theta, double[] state) {
    double[] rate = new double[2];
    rate[0] = theta[0] * state[0] - theta[1] * state[0] * state[1];
    rate[1] = theta[2] * state[0] * state[1] - theta[3] * state[1];
    return rate;
  }
}
