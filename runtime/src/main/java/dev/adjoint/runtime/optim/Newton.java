package dev.adjoint.runtime.optim;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Newton's method with generated second derivatives: each step solves H·p = −g (Cholesky, from
 * Commons Math), damping H with a multiple of the identity until it is positive definite
 * (Levenberg), and halves the step until the value decreases.
 *
 * <pre>{@code
 * Newton.Result fit = Newton.withDefaults().minimize(new Newton.Objective() {
 *   public double value(double[] w) { return Models.loss(w, x, y); }
 *   public double[] gradient(double[] w) { return ModelsGrad.loss(w, x, y).w(); }
 *   public double[][] hessian(double[] w) { return ModelsGrad.lossHessian(w, x, y); }
 * }, start);
 * }</pre>
 */
public final class Newton {

  /** What Newton's method needs of a function of a flat vector. */
  public interface Objective {
    double value(double[] point);

    double[] gradient(double[] point);

    double[][] hessian(double[] point);
  }

  /**
   * Where the iteration stopped.
   *
   * @param point the minimiser found
   * @param value the function's value there
   * @param gradientNorm the gradient's Euclidean norm there
   * @param iterations the Newton steps taken
   * @param converged whether the gradient norm fell below the tolerance
   */
  public record Result(double[] point, double value, double gradientNorm, int iterations, boolean converged) {
    @Override
    public String toString() {
      return "Newton.Result{value=" + value + ", |gradient|=" + gradientNorm + ", iterations=" + iterations
          + ", converged=" + converged + ", point=" + Arrays.toString(point) + "}";
    }
  }

  private final double gradientTolerance;
  private final int maxIterations;

  private Newton(double gradientTolerance, int maxIterations) {
    this.gradientTolerance = gradientTolerance;
    this.maxIterations = maxIterations;
  }

  /** Stops when the gradient norm is below 1e-9, or after 100 steps. */
  public static Newton withDefaults() {
    return new Newton(1e-9, 100);
  }

  /** The same method with another stopping rule. */
  public Newton withTolerance(double gradientTolerance, int maxIterations) {
    if (!(gradientTolerance > 0) || maxIterations < 1) {
      throw new IllegalArgumentException("tolerance must be positive and iterations at least 1, not "
          + gradientTolerance + " and " + maxIterations);
    }
    return new Newton(gradientTolerance, maxIterations);
  }

  public Result minimize(Objective objective, double[] start) {
    double[] point = start.clone();
    double value = objective.value(point);
    double[] gradient = objective.gradient(point);
    int iteration = 0;
    while (norm(gradient) > gradientTolerance && iteration < maxIterations) {
      double[] step = newtonStep(objective.hessian(point), gradient);
      double scale = 1.0;
      double[] candidate = axpy(point, scale, step);
      double candidateValue = objective.value(candidate);
      // Halve the step until the value decreases (or the step no longer moves the point).
      while (!(candidateValue <= value) && scale > 1e-12) {
        scale /= 2;
        candidate = axpy(point, scale, step);
        candidateValue = objective.value(candidate);
      }
      if (!(candidateValue <= value)) {
        break;
      }
      point = candidate;
      value = candidateValue;
      gradient = objective.gradient(point);
      iteration++;
    }
    return new Result(point, value, norm(gradient), iteration, norm(gradient) <= gradientTolerance);
  }

  /** The solution p of (H + μI)·p = −g with the smallest μ ≥ 0 (tried by factors of 10) that makes it positive definite. */
  static double[] newtonStep(double[][] hessian, double[] gradient) {
    int n = gradient.length;
    if (hessian.length != n) {
      throw new IllegalArgumentException("Hessian is " + hessian.length + "x" + (n == 0 ? 0 : hessian[0].length)
          + " but the gradient has " + n + " components");
    }
    double damping = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(hessian[i][i]));
    }
    for (int attempt = 0; attempt < 40; attempt++) {
      // Symmetrised: generated Hessians compute H[i][j] and H[j][i] in separate passes, equal only to rounding.
      RealMatrix damped = new Array2DRowRealMatrix(n, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          damped.setEntry(i, j, (hessian[i][j] + hessian[j][i]) / 2);
        }
        damped.addToEntry(i, i, damping);
      }
      try {
        return new CholeskyDecomposition(damped).getSolver()
            .solve(new ArrayRealVector(gradient).mapMultiply(-1)).toArray();
      } catch (NonPositiveDefiniteMatrixException notYet) {
        damping = damping == 0 ? Math.max(1e-8, 1e-8 * scale) : damping * 10;
      }
    }
    throw new IllegalStateException("no damping made the Hessian positive definite");
  }

  private static double[] axpy(double[] x, double a, double[] y) {
    double[] result = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      result[i] = x[i] + a * y[i];
    }
    return result;
  }

  private static double norm(double[] v) {
    double sum = 0;
    for (double e : v) {
      sum += e * e;
    }
    return Math.sqrt(sum);
  }
}
