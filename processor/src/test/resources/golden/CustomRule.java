package golden;

import dev.adjoint.DerivativeRule;
import dev.adjoint.Differentiable;

/** A user's function with its own derivative rule. */
class CustomRule {
  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  @DerivativeRule(method = "softplus")
  static double softplusPartial(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Differentiable
  static double smoothSum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += softplus(v);
    }
    return s;
  }
}
