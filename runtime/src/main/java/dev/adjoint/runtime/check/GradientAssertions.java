package dev.adjoint.runtime.check;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.opentest4j.AssertionFailedError;

/**
 * One-line JUnit assertions over {@link GradientChecker#withDefaults()}; each fails the test with
 * the {@link GradientReport} text when a component is out of tolerance.
 *
 * <pre>{@code
 * assertGradient(p -> Math.hypot(p[0], p[1]), new double[] {3, 4}, new double[] {0.6, 0.8});
 * }</pre>
 *
 * <p>This class and {@link GradientChecks} are the only classes of the runtime that need {@code
 * junit-jupiter-api} (an optional dependency); with other settings use {@code
 * GradientChecker.with...().check(...).assertPassed()}.
 */
public final class GradientAssertions {
  /**
   * How far, relative to max(1, |entries|), a Hessian may be from its transpose: both triangles are
   * analytic but come from separate passes, so only rounding may separate them.
   */
  static final double SYMMETRY_TOLERANCE = 1e-9;

  private GradientAssertions() {}

  /**
   * Asserts the gradient of a scalar function of named inputs.
   *
   * @param function the function, reading its arguments by name
   * @param at the point of the check
   * @param gradient the analytic partial derivatives, with the same blocks and shapes as {@code at}
   * @throws AssertionFailedError if any component is out of tolerance or not finite
   * @see GradientChecker#check(ToDoubleFunction, Inputs, Inputs)
   */
  public static void assertGradient(ToDoubleFunction<Inputs> function, Inputs at, Inputs gradient) {
    GradientChecker.withDefaults().check(function, at, gradient).assertPassed();
  }

  /**
   * Asserts the gradient of a scalar function of a flat array.
   *
   * @param function the function
   * @param point the point of the check
   * @param gradient the analytic partial derivatives, as long as {@code point}
   * @throws AssertionFailedError if any component is out of tolerance or not finite
   * @see GradientChecker#check(ToDoubleFunction, double[], double[])
   */
  public static void assertGradient(
      ToDoubleFunction<double[]> function, double[] point, double[] gradient) {
    GradientChecker.withDefaults().check(function, point, gradient).assertPassed();
  }

  /**
   * Asserts the Jacobian of a vector-valued function of named inputs.
   *
   * @param function the function, reading its arguments by name
   * @param at the point of the check
   * @param jacobianRows the analytic gradient of each output, in output order
   * @throws AssertionFailedError if any component is out of tolerance or not finite
   * @see GradientChecker#checkJacobian(Function, Inputs, Inputs...)
   */
  public static void assertJacobian(
      Function<Inputs, double[]> function, Inputs at, Inputs... jacobianRows) {
    GradientChecker.withDefaults().checkJacobian(function, at, jacobianRows).assertPassed();
  }

  /**
   * Asserts the Jacobian of a vector-valued function of a flat array.
   *
   * @param function the function
   * @param point the point of the check
   * @param jacobian {@code jacobian[i][j]} is the partial of output {@code i} by {@code point[j]}
   * @throws AssertionFailedError if any component is out of tolerance or not finite
   * @see GradientChecker#checkJacobian(Function, double[], double[][])
   */
  public static void assertJacobian(
      Function<double[], double[]> function, double[] point, double[][] jacobian) {
    GradientChecker.withDefaults().checkJacobian(function, point, jacobian).assertPassed();
  }

  /**
   * Asserts a Hessian: each row against finite differences of the gradient, and the matrix
   * against its transpose (to a relative 1e-9, since both triangles come from separate passes).
   *
   * @param gradient the (checked) gradient as a function of the flat point
   * @param point the point of the check
   * @param hessian the analytic Hessian at {@code point}
   * @throws AssertionFailedError if a component is out of tolerance or the matrix is not symmetric
   */
  public static void assertHessian(Function<double[], double[]> gradient, double[] point, double[][] hessian) {
    int[] entry = asymmetricEntry(hessian);
    if (entry != null) {
      int i = entry[0];
      int j = entry[1];
      fail("Hessian is not symmetric: H[" + i + "][" + j + "] = " + hessian[i][j] + " but H[" + j + "][" + i
          + "] = " + hessian[j][i]);
    }
    assertJacobian(gradient, point, hessian);
  }

  /**
   * The first entry {@code {i, j}} (with {@code j < i}) where a square matrix differs from its
   * transpose by more than {@value #SYMMETRY_TOLERANCE} · max(1, |H[i][j]|, |H[j][i]|), or null if
   * there is none; for {@link GradientChecks} too.
   */
  static int[] asymmetricEntry(double[][] hessian) {
    for (int i = 0; i < hessian.length; i++) {
      for (int j = 0; j < i; j++) {
        double scale = Math.max(1, Math.max(Math.abs(hessian[i][j]), Math.abs(hessian[j][i])));
        if (!(Math.abs(hessian[i][j] - hessian[j][i]) <= SYMMETRY_TOLERANCE * scale)) {
          return new int[] {i, j};
        }
      }
    }
    return null;
  }

  /**
   * Asserts a forward-mode derivative: it must equal the gradient dotted with the direction.
   *
   * @param gradient the (checked) gradient at the point
   * @param direction the tangent the derivative was taken along
   * @param derivative the forward-mode directional derivative
   * @throws AssertionFailedError if they differ beyond the default tolerances
   */
  public static void assertTangent(double[] gradient, double[] direction, double derivative) {
    if (gradient.length != direction.length) {
      fail("gradient has " + gradient.length + " components but the direction has " + direction.length);
    }
    double expected = 0;
    for (int i = 0; i < gradient.length; i++) {
      expected += gradient[i] * direction[i];
    }
    double tolerance = GradientChecker.DEFAULT_ABSOLUTE_TOLERANCE * 1e-3
        + GradientChecker.DEFAULT_RELATIVE_TOLERANCE * 1e-6 * Math.abs(expected);
    if (!(Math.abs(expected - derivative) <= tolerance)) {
      fail("tangent " + derivative + " differs from gradient·direction " + expected + " by "
          + Math.abs(expected - derivative));
    }
  }

  /** Fails the current test; {@link GradientReport#assertPassed()} comes here. */
  static void fail(String message) {
    throw new AssertionFailedError(message);
  }
}
