package golden;

import dev.adjoint.Differentiable;

/** Two-dimensional arrays and a local array: a layer written with loops. */
class MatrixVector {
  @Differentiable(wrt = {"w", "b"})
  static double layer(double[][] w, double[] b, double[] input) {
    double[] hidden = new double[b.length];
    double total = 0;
    for (int i = 0; i < b.length; i++) {
      double z = b[i];
      for (int k = 0; k < input.length; k++) {
        z += w[i][k] * input[k];
      }
      hidden[i] = Math.tanh(z);
      total += hidden[i] * hidden[i];
    }
    return total;
  }
}
