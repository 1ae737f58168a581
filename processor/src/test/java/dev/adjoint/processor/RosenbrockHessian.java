package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The n-dimensional Rosenbrock function's Hessian, tridiagonal, in closed form. */
final class RosenbrockHessian {
  private RosenbrockHessian() {}

  /** Asserts that {@code hessian} is the analytic Hessian at {@code x}, entry by entry. */
  static void assertAnalytic(double[] x, double[][] hessian) {
    int n = x.length;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double expected = 0;
        if (i == j) {
          expected = (i < n - 1 ? 1200 * x[i] * x[i] - 400 * x[i + 1] + 2 : 0) + (i > 0 ? 200 : 0);
        } else if (j == i + 1) {
          expected = -400 * x[i];
        } else if (i == j + 1) {
          expected = -400 * x[j];
        }
        assertEquals(expected, hessian[i][j], 1e-9 * Math.max(1, Math.abs(expected)), "H[" + i + "][" + j + "]");
      }
    }
  }
}
