package golden;

import dev.adjoint.Differentiable;

/** Calls of unknown purity: run once, their values taped, never recomputed. */
class OpaqueHelpers {
  static int counter;

  static double next() {
    counter++;
    return counter;
  }

  static double fill(double[] buffer, int i) {
    counter++; // an effect: not run in place, so a call of unknown purity
    for (int j = 0; j < buffer.length; j++) {
      buffer[j] = i + 1;
    }
    return 0;
  }

  @Differentiable
  static double weighted(double[] x) {
    double[] buffer = new double[1];
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double k = next();
      double ignored = fill(buffer, i);
      s += x[i] * x[i] * k * buffer[0];
    }
    return s;
  }
}
