package dev.adjoint.runtime.check;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class SecondOrderAssertionsTest {
  /** Gradient of f(x, y) = x²y + sin(y). */
  private static final Function<double[], double[]> GRADIENT =
      p -> new double[] {2 * p[0] * p[1], p[0] * p[0] + Math.cos(p[1])};

  @Test
  void acceptsTheAnalyticHessian() {
    double[] p = {0.7, -1.3};
    double[][] hessian = {{2 * p[1], 2 * p[0]}, {2 * p[0], -Math.sin(p[1])}};
    GradientAssertions.assertHessian(GRADIENT, p, hessian);
  }

  @Test
  void rejectsAnAsymmetricHessian() {
    double[] p = {0.7, -1.3};
    double[][] hessian = {{2 * p[1], 2 * p[0]}, {2 * p[0] + 0.1, -Math.sin(p[1])}};
    AssertionFailedError failure = assertThrows(AssertionFailedError.class,
        () -> GradientAssertions.assertHessian(GRADIENT, p, hessian));
    assertTrue(failure.getMessage().contains("not symmetric"), failure.getMessage());
  }

  @Test
  void rejectsAWrongDiagonal() {
    double[] p = {0.7, -1.3};
    double[][] hessian = {{2 * p[1], 2 * p[0]}, {2 * p[0], Math.sin(p[1])}};
    assertThrows(AssertionFailedError.class, () -> GradientAssertions.assertHessian(GRADIENT, p, hessian));
  }

  @Test
  void tangentMustEqualGradientDotDirection() {
    GradientAssertions.assertTangent(new double[] {1, 2}, new double[] {0.5, -1}, -1.5);
    assertThrows(AssertionFailedError.class,
        () -> GradientAssertions.assertTangent(new double[] {1, 2}, new double[] {0.5, -1}, -1.4));
  }
}
