package dev.adjoint.runtime;

import java.util.Arrays;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Roots of {@code F(x, θ) = 0}, differentiable in θ through the rules of {@code
 * dev.adjoint.runtime.rules.RootsRules} by the implicit function theorem, never through the
 * iterations: {@code ∂x/∂θ = -J_x⁻¹·J_θ} at the root, so the pullback is {@code θ̄ = J_θᵀλ} with
 * {@code λ = -J_x⁻ᵀ·x̄} (one linear solve and one {@code pullback} call) and the tangent {@code ẋ =
 * -J_x⁻¹·(J_θ·θ̇)} (one {@code tangent} call). J_x takes n {@code tangent} calls. The guess has
 * derivative zero: the root does not move with it.
 *
 * <p>Systems: Newton's method with a backtracking (Armijo) line search on {@code ‖F‖²/2}, its
 * Jacobian from {@code tangent} calls when the equations are differentiable, else from forward
 * differences; when Newton stalls or meets a singular Jacobian, Commons Math's
 * Levenberg–Marquardt continues from the best point and Newton polishes its result. One equation:
 * Newton the same way, then, when it fails, a bracket grown from the guess and Commons Math's
 * Brent solver. Converged means a full Newton step smaller than {@code 1e-10·(1 + |x|)} (the
 * error after it is then of order 1e-20) or a zero residual; no root found throws, naming the
 * guess, where the search stopped and the residual there.
 */
public final class Roots {
  private static final int NEWTON_ITERATIONS = 100;
  private static final double STEP_TOLERANCE = 1e-10;

  private Roots() {}

  /** A system of n equations in n unknowns. */
  @FunctionalInterface
  public interface Equations {
    double[] residual(double[] x, double[] parameters);
  }

  /** Equations with their derivatives, in the convention of functions as arguments of rule-bearing functions. */
  public interface DifferentiableEquations extends Equations {
    /** Adds {@code seedᵀ·∂F/∂x} into dx and {@code seedᵀ·∂F/∂θ} into dparameters. */
    void pullback(double[] x, double[] parameters, double[] seed, double[] dx, double[] dparameters);

    /** {@code ∂F/∂x·tx + ∂F/∂θ·tparameters}. */
    double[] tangent(double[] x, double[] parameters, double[] tx, double[] tparameters);
  }

  /** One equation in one unknown. */
  @FunctionalInterface
  public interface Equation {
    double residual(double x, double[] parameters);
  }

  /** An equation with its derivatives. */
  public interface DifferentiableEquation extends Equation {
    /** Adds {@code seed·∂F/∂x} into {@code dx[0]} and {@code seed·∂F/∂θ} into dparameters. */
    void pullback(double x, double[] parameters, double seed, double[] dx, double[] dparameters);

    /** {@code ∂F/∂x·tx + ∂F/∂θ·tparameters}. */
    double tangent(double x, double[] parameters, double tx, double[] tparameters);
  }

  // ---------------------------------------------------------------------------------------------
  // Systems

  /**
   * A root of the system near the guess.
   *
   * @throws ArithmeticException if no root is found (the message names where the search stopped)
   */
  public static double[] solve(Equations f, double[] guess, double[] parameters) {
    int n = guess.length;
    double[] x = guess.clone();
    double[] residual = residual(f, x, parameters, n);
    if (newton(f, x, residual, parameters)) {
      return x;
    }
    double[] start = x.clone();
    try {
      LeastSquaresProblem problem = new LeastSquaresBuilder()
          .start(start)
          .target(new double[n])
          .model(point -> {
            double[] at = point.toArray();
            return new Pair<RealVector, org.apache.commons.math3.linear.RealMatrix>(
                new ArrayRealVector(residual(f, at, parameters, n), false),
                new Array2DRowRealMatrix(jacobian(f, at, parameters), false));
          })
          .maxEvaluations(1000)
          .maxIterations(1000)
          .build();
      double[] found = new LevenbergMarquardtOptimizer().optimize(problem).getPoint().toArray();
      double[] foundResidual = residual(f, found, parameters, n);
      if (newton(f, found, foundResidual, parameters)) {
        return found;
      }
      if (norm(foundResidual) < norm(residual)) {
        x = found;
        residual = foundResidual;
      }
    } catch (MathIllegalStateException e) {
      // Levenberg–Marquardt ran out of iterations: report Newton's best point below.
    }
    throw new ArithmeticException("Roots.solve: no root found from the guess " + Arrays.toString(guess)
        + ": Newton with a line search, then Levenberg–Marquardt, stopped at x = " + Arrays.toString(x)
        + " where the residual is " + Arrays.toString(residual)
        + "; try another guess, or check that the equations have a root");
  }

  /**
   * The pullback of a root by the implicit function theorem: {@code J_θᵀλ} with {@code λ =
   * -J_x⁻ᵀ·seed}, J_x at the root.
   */
  public static double[] pullback(DifferentiableEquations f, double[] root, double[] parameters, double[] seed) {
    checkLength("seed", seed.length, root.length);
    double[] lambda = decomposed(jacobian(f, root, parameters), true)
        .solve(new ArrayRealVector(seed, true).mapMultiply(-1)).toArray();
    double[] dparameters = new double[parameters.length];
    f.pullback(root, parameters, lambda, new double[root.length], dparameters);
    return dparameters;
  }

  /** The tangent of a root when the parameters move along tparameters: {@code -J_x⁻¹·(J_θ·tparameters)}. */
  public static double[] tangent(DifferentiableEquations f, double[] root, double[] parameters,
      double[] tparameters) {
    checkLength("parameter tangent", tparameters.length, parameters.length);
    double[] moved = f.tangent(root, parameters, new double[root.length], tparameters);
    checkLength("tangent", moved.length, root.length);
    return decomposed(jacobian(f, root, parameters), false)
        .solve(new ArrayRealVector(moved, true).mapMultiply(-1)).toArray();
  }

  /** Newton with a backtracking line search from x (updated in place, with its residual); whether it converged. */
  private static boolean newton(Equations f, double[] x, double[] residual, double[] parameters) {
    int n = x.length;
    double[] trial = new double[n];
    for (int iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
      double merit = squaredNorm(residual);
      if (merit == 0) {
        return true;
      }
      LUDecomposition lu = new LUDecomposition(new Array2DRowRealMatrix(jacobian(f, x, parameters), false));
      if (!lu.getSolver().isNonSingular()) {
        return false;
      }
      double[] step = lu.getSolver().solve(new ArrayRealVector(residual, false)).mapMultiply(-1).toArray();
      double fraction = 1;
      double[] trialResidual = null;
      for (int halving = 0; halving < 40; halving++, fraction /= 2) {
        for (int i = 0; i < n; i++) {
          trial[i] = x[i] + fraction * step[i];
        }
        trialResidual = f.residual(trial, parameters);
        checkLength("residual", trialResidual.length, n);
        // A NaN residual (a trial point outside the equations' domain) fails the test: a shorter step.
        if (squaredNorm(trialResidual) <= (1 - 1e-4 * fraction) * merit) {
          break;
        }
        trialResidual = null;
      }
      if (trialResidual == null) {
        return false;
      }
      System.arraycopy(trial, 0, x, 0, n);
      System.arraycopy(trialResidual, 0, residual, 0, n);
      if (fraction == 1 && maxAbs(step) <= STEP_TOLERANCE * (1 + maxAbs(x))) {
        return true;
      }
    }
    return false;
  }

  /** J_x from n tangent calls, or from forward differences for equations without derivatives. */
  private static double[][] jacobian(Equations f, double[] x, double[] parameters) {
    int n = x.length;
    double[][] jacobian = new double[n][n];
    double[] unit = new double[n];
    double[] zeroParameters = new double[parameters.length];
    double[] base = f instanceof DifferentiableEquations ? null : f.residual(x, parameters);
    for (int j = 0; j < n; j++) {
      double[] column;
      if (f instanceof DifferentiableEquations differentiable) {
        unit[j] = 1;
        column = differentiable.tangent(x, parameters, unit, zeroParameters);
        unit[j] = 0;
      } else {
        double[] moved = x.clone();
        double h = Math.sqrt(Math.ulp(1.0)) * Math.max(1, Math.abs(x[j]));
        moved[j] += h;
        column = f.residual(moved, parameters);
        for (int i = 0; i < n; i++) {
          column[i] = (column[i] - base[i]) / (moved[j] - x[j]);
        }
      }
      checkLength("tangent", column.length, n);
      for (int i = 0; i < n; i++) {
        jacobian[i][j] = column[i];
      }
    }
    return jacobian;
  }

  private static DecompositionSolver decomposed(double[][] jacobian, boolean transposed) {
    Array2DRowRealMatrix matrix = new Array2DRowRealMatrix(jacobian, false);
    DecompositionSolver solver = new LUDecomposition(transposed ? matrix.transpose() : matrix).getSolver();
    if (!solver.isNonSingular()) {
      throw new ArithmeticException("Roots: the Jacobian at the root " + Arrays.deepToString(jacobian)
          + " is singular, so the root does not move smoothly with the parameters");
    }
    return solver;
  }

  private static double[] residual(Equations f, double[] x, double[] parameters, int n) {
    double[] value = f.residual(x, parameters);
    checkResidual(value, x, n);
    return value.clone();
  }

  private static void checkResidual(double[] value, double[] x, int n) {
    checkLength("residual", value.length, n);
    for (double entry : value) {
      if (Double.isNaN(entry)) {
        throw new ArithmeticException("Roots.solve: the residual is NaN at x = " + Arrays.toString(x));
      }
    }
  }

  private static void checkLength(String what, int length, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException("Roots: the " + what + " has length " + length + " but should have "
          + expected);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One equation

  /**
   * A root of the equation near the guess: Newton, then a bracket grown from the guess and Brent.
   *
   * @throws ArithmeticException if no root is found (the message names where the search stopped)
   */
  public static double solve(Equation f, double guess, double[] parameters) {
    double x = guess;
    double value = scalarResidual(f, x, parameters);
    for (int iteration = 0; iteration < NEWTON_ITERATIONS && value != 0; iteration++) {
      double slope = derivative(f, x, parameters);
      double step = -value / slope;
      if (!Double.isFinite(step)) {
        break;
      }
      double fraction = 1;
      double trialValue = Double.NaN;
      for (int halving = 0; halving < 40; halving++, fraction /= 2) {
        trialValue = f.residual(x + fraction * step, parameters);
        if (Math.abs(trialValue) <= (1 - 1e-4 * fraction) * Math.abs(value)) {
          break;
        }
        trialValue = Double.NaN;
      }
      if (Double.isNaN(trialValue)) {
        break;
      }
      x += fraction * step;
      value = trialValue;
      if (fraction == 1 && Math.abs(step) <= STEP_TOLERANCE * (1 + Math.abs(x))) {
        return x;
      }
    }
    if (value == 0) {
      return x;
    }
    return bracketed(f, guess, parameters);
  }

  /** The pullback of a root of one equation: {@code -seed/F_x·∂F/∂θ}. */
  public static double[] pullback(DifferentiableEquation f, double root, double[] parameters, double seed) {
    double[] dparameters = new double[parameters.length];
    f.pullback(root, parameters, -seed / nonZeroSlope(f, root, parameters), new double[1], dparameters);
    return dparameters;
  }

  /** The tangent of a root of one equation: {@code -(∂F/∂θ·tparameters)/F_x}. */
  public static double tangent(DifferentiableEquation f, double root, double[] parameters, double[] tparameters) {
    checkLength("parameter tangent", tparameters.length, parameters.length);
    return -f.tangent(root, parameters, 0, tparameters) / nonZeroSlope(f, root, parameters);
  }

  private static double nonZeroSlope(DifferentiableEquation f, double root, double[] parameters) {
    double slope = f.tangent(root, parameters, 1, new double[parameters.length]);
    if (slope == 0 || !Double.isFinite(slope)) {
      throw new ArithmeticException("Roots: the derivative of the residual at the root " + root + " is " + slope
          + ", so the root does not move smoothly with the parameters");
    }
    return slope;
  }

  private static double derivative(Equation f, double x, double[] parameters) {
    if (f instanceof DifferentiableEquation differentiable) {
      return differentiable.tangent(x, parameters, 1, new double[parameters.length]);
    }
    double h = Math.sqrt(Math.ulp(1.0)) * Math.max(1, Math.abs(x));
    double moved = x + h;
    return (f.residual(moved, parameters) - f.residual(x, parameters)) / (moved - x);
  }

  /** Grows [guess - w, guess + w] until the residual changes sign, then Brent's method. */
  private static double bracketed(Equation f, double guess, double[] parameters) {
    double width = 0.1 * Math.max(1, Math.abs(guess));
    double lower = guess - width;
    double upper = guess + width;
    double atLower = scalarResidual(f, lower, parameters);
    double atUpper = scalarResidual(f, upper, parameters);
    for (int growth = 0; growth < 60 && atLower * atUpper > 0; growth++) {
      width *= 2;
      if (Math.abs(atLower) < Math.abs(atUpper)) {
        lower = guess - width;
        atLower = scalarResidual(f, lower, parameters);
      } else {
        upper = guess + width;
        atUpper = scalarResidual(f, upper, parameters);
      }
    }
    if (atLower * atUpper > 0) {
      throw new ArithmeticException("Roots.solve: no root found from the guess " + guess
          + ": Newton failed and the residual keeps its sign on [" + lower + ", " + upper + "] (" + atLower + " and "
          + atUpper + "); try another guess, or check that the equation has a root");
    }
    double absolute = 1e-15 * Math.max(Math.abs(lower), Math.abs(upper));
    return new BrentSolver(1e-15, absolute).solve(10_000, x -> f.residual(x, parameters), lower, upper, guess);
  }

  private static double scalarResidual(Equation f, double x, double[] parameters) {
    double value = f.residual(x, parameters);
    if (Double.isNaN(value)) {
      throw new ArithmeticException("Roots.solve: the residual is NaN at x = " + x);
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------

  private static double squaredNorm(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value * value;
    }
    return sum;
  }

  private static double norm(double[] values) {
    return Math.sqrt(squaredNorm(values));
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }
}
