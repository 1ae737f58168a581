package golden;

import dev.adjoint.Differentiable;

/** A model object: data in final fields, the model an instance method, one field in wrt. */
final class InstanceModel {
  final double[] times;
  final double[] observed;
  final double scale;

  InstanceModel(double[] times, double[] observed, double scale) {
    this.times = times;
    this.observed = observed;
    this.scale = scale;
  }

  @Differentiable(wrt = {"rate", "this.scale"})
  double loss(double rate) {
    double sum = 0;
    for (int i = 0; i < times.length; i++) {
      double residual = scale * Math.exp(-rate * times[i]) - this.observed[i];
      sum += residual * residual;
    }
    return sum;
  }
}
