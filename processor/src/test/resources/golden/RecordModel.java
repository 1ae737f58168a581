package golden;

import dev.adjoint.Differentiable;

/** A record of parameters, read through its accessors. */
class RecordModel {
  record Line(double slope, double intercept) {}

  @Differentiable(wrt = "line")
  static double squaredError(Line line, double[] xs, double[] ys) {
    double sum = 0;
    for (int i = 0; i < xs.length; i++) {
      double residual = line.slope() * xs[i] + line.intercept() - ys[i];
      sum += residual * residual;
    }
    return sum / xs.length;
  }
}
