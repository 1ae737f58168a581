package dev.adjoint.runtime;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Integrals {@code ∫ f(x, θ) dx} over a finite or infinite interval by adaptive Gauss–Kronrod
 * quadrature (the 7-point Gauss and 15-point Kronrod rules of QUADPACK's QK15; the interval with
 * the largest error estimate {@code |K15 - G7|} is bisected until the estimates sum to at most
 * {@code max(1e-12, 1e-10·|∫|)}, each component for a vector of integrals). Its own
 * implementation rather than Commons Math's {@code IterativeLegendreGaussIntegrator}, which has
 * no error estimate per interval, does not adapt locally and integrates one scalar function: the
 * derivatives need several integrals of one pass over the nodes.
 *
 * <p>Infinite bounds by substitution: {@code x = a + t/(1 - t)} on {@code [a, ∞)}, {@code x = b -
 * t/(1 - t)} on {@code (-∞, b]} and {@code x = t/(1 - t²)} on {@code (-∞, ∞)}; the nodes are
 * interior, so f is never called at an infinity. Differentiable through {@code
 * dev.adjoint.runtime.rules.QuadratureRules}: under the integral sign in θ ({@code ∫ ∂f/∂θ dx},
 * by integrating the integrand's pullback) and in the bounds ({@code ∂/∂upper = f(upper)}, {@code
 * ∂/∂lower = -f(lower)}; 0 along an infinite bound). A lower bound above the upper one gives the
 * negated integral. An integrand that is NaN or infinite at a node, and no convergence within 2000
 * intervals, throw, naming the point or the interval.
 */
public final class Quadrature {
  private static final double RELATIVE_TOLERANCE = 1e-10;
  private static final double ABSOLUTE_TOLERANCE = 1e-12;
  private static final int MAX_INTERVALS = 2000;

  /** Nodes of the 15-point Kronrod rule on [-1, 1], the non-negative half; the odd ones are the 7-point Gauss rule's. */
  private static final double[] NODES = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0
  };
  private static final double[] KRONROD_WEIGHTS = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714
  };
  /** Weights of the 7-point Gauss rule at NODES[1], NODES[3], NODES[5], NODES[7]. */
  private static final double[] GAUSS_WEIGHTS = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327
  };

  private Quadrature() {}

  @FunctionalInterface
  public interface Integrand {
    double integrand(double x, double[] parameters);
  }

  /** An integrand with its derivatives, in the convention of functions as arguments of rule-bearing functions. */
  public interface DifferentiableIntegrand extends Integrand {
    /** Adds {@code seed·∂f/∂x} into {@code dx[0]} and {@code seed·∂f/∂θ} into dparameters. */
    void pullback(double x, double[] parameters, double seed, double[] dx, double[] dparameters);

    /** {@code ∂f/∂x·tx + ∂f/∂θ·tparameters}. */
    double tangent(double x, double[] parameters, double tx, double[] tparameters);
  }

  /** {@code ∫_lower^upper f(x, θ) dx}; either bound may be infinite. */
  public static double integrate(Integrand f, double lower, double upper, double[] parameters) {
    double[] value = new double[1];
    adaptive((x, into) -> into[0] = checked(f.integrand(x, parameters), x), lower, upper, value);
    return value[0];
  }

  /** {@code ∫ ∂f/∂θ dx}, the gradient of the integral in θ, from one adaptive pass over the pullbacks. */
  public static double[] integrateGradient(DifferentiableIntegrand f, double lower, double upper,
      double[] parameters) {
    double[] gradient = new double[parameters.length];
    double[] dx = new double[1];
    adaptive((x, into) -> {
      Arrays.fill(into, 0);
      f.pullback(x, parameters, 1, dx, into);
    }, lower, upper, gradient);
    return gradient;
  }

  /** {@code ∫ ∂f/∂θ·tparameters dx}, the tangent of the integral when θ moves along tparameters. */
  public static double integrateTangent(DifferentiableIntegrand f, double lower, double upper, double[] parameters,
      double[] tparameters) {
    if (tparameters.length != parameters.length) {
      throw new IllegalArgumentException("Quadrature: the parameter tangent has length " + tparameters.length
          + " but the parameters have length " + parameters.length);
    }
    double[] value = new double[1];
    adaptive((x, into) -> into[0] = checked(f.tangent(x, parameters, 0, tparameters), x), lower, upper, value);
    return value[0];
  }

  /** f at a finite bound, 0 at an infinite one (the derivative of the integral along that bound). */
  public static double atBound(Integrand f, double bound, double[] parameters) {
    return Double.isInfinite(bound) ? 0 : checked(f.integrand(bound, parameters), bound);
  }

  // ---------------------------------------------------------------------------------------------

  /** Writes the values of d integrands at x into {@code into} (length d). */
  private interface VectorIntegrand {
    void evaluate(double x, double[] into);
  }

  /** A piece of the (substituted) interval with its Kronrod values and error estimate. */
  private record Piece(double from, double to, double[] value, double error) {}

  /** Adds ∫ g into result (length d), adaptively; the interval's infinities by substitution. */
  private static void adaptive(VectorIntegrand g, double lower, double upper, double[] result) {
    if (Double.isNaN(lower) || Double.isNaN(upper)) {
      throw new IllegalArgumentException("Quadrature.integrate: a bound is NaN: [" + lower + ", " + upper + "]");
    }
    if (lower == upper) {
      return;
    }
    if (lower > upper) {
      adaptive(g, upper, lower, result);
      for (int k = 0; k < result.length; k++) {
        result[k] = -result[k];
      }
      return;
    }
    int d = result.length;
    double[] buffer = new double[d];
    VectorIntegrand substituted;
    double from;
    double to;
    if (Double.isInfinite(lower) && Double.isInfinite(upper)) {
      substituted = (t, into) -> weighted(g, t / (1 - t * t), (1 + t * t) / ((1 - t * t) * (1 - t * t)), into);
      from = -1;
      to = 1;
    } else if (Double.isInfinite(upper)) {
      substituted = (t, into) -> weighted(g, lower + t / (1 - t), 1 / ((1 - t) * (1 - t)), into);
      from = 0;
      to = 1;
    } else if (Double.isInfinite(lower)) {
      substituted = (t, into) -> weighted(g, upper - t / (1 - t), 1 / ((1 - t) * (1 - t)), into);
      from = 0;
      to = 1;
    } else {
      substituted = g;
      from = lower;
      to = upper;
    }
    PriorityQueue<Piece> pieces = new PriorityQueue<>((a, b) -> Double.compare(b.error(), a.error()));
    double[] total = new double[d];
    Piece whole = kronrod(substituted, from, to, buffer, d);
    pieces.add(whole);
    add(total, whole.value(), 1);
    double totalError = whole.error();
    while (!(totalError <= tolerance(total))) {
      if (pieces.size() >= MAX_INTERVALS || !Double.isFinite(totalError)) {
        throw new ArithmeticException("Quadrature.integrate: no convergence on [" + lower + ", " + upper + "] within "
            + MAX_INTERVALS + " intervals: the error estimate is " + totalError + " for the integral "
            + Arrays.toString(total) + " (is the integrand singular or oscillating there?)");
      }
      Piece worst = pieces.poll();
      double middle = 0.5 * (worst.from() + worst.to());
      if (!(middle > worst.from() && middle < worst.to())) {
        throw new ArithmeticException("Quadrature.integrate: no convergence on [" + lower + ", " + upper + "]: the"
            + " interval around " + middle + " cannot be split further (is the integrand singular there?)");
      }
      Piece left = kronrod(substituted, worst.from(), middle, buffer, d);
      Piece right = kronrod(substituted, middle, worst.to(), buffer, d);
      add(total, worst.value(), -1);
      add(total, left.value(), 1);
      add(total, right.value(), 1);
      totalError += left.error() + right.error() - worst.error();
      pieces.add(left);
      pieces.add(right);
    }
    // Sum the pieces afresh: the running total has rounding from its subtractions.
    Arrays.fill(total, 0);
    for (Piece piece : pieces) {
      add(total, piece.value(), 1);
    }
    add(result, total, 1);
  }

  private static void weighted(VectorIntegrand g, double x, double weight, double[] into) {
    g.evaluate(x, into);
    for (int k = 0; k < into.length; k++) {
      into[k] = into[k] == 0 ? 0 : into[k] * weight;
    }
  }

  /** The 15-point Kronrod value on [from, to] and its distance from the 7-point Gauss value. */
  private static Piece kronrod(VectorIntegrand g, double from, double to, double[] buffer, int d) {
    double center = 0.5 * (from + to);
    double half = 0.5 * (to - from);
    double[] kronrod = new double[d];
    double[] gauss = new double[d];
    for (int i = 0; i < NODES.length; i++) {
      int copies = NODES[i] == 0 ? 1 : 2;
      for (int side = 0; side < copies; side++) {
        g.evaluate(center + (side == 0 ? 1 : -1) * half * NODES[i], buffer);
        for (int k = 0; k < d; k++) {
          kronrod[k] += KRONROD_WEIGHTS[i] * buffer[k];
          if (i % 2 == 1) {
            gauss[k] += GAUSS_WEIGHTS[i / 2] * buffer[k];
          }
        }
      }
    }
    double error = 0;
    for (int k = 0; k < d; k++) {
      kronrod[k] *= half;
      error = Math.max(error, Math.abs(kronrod[k] - gauss[k] * half));
    }
    return new Piece(from, to, kronrod, error);
  }

  private static double tolerance(double[] total) {
    double largest = 0;
    for (double value : total) {
      largest = Math.max(largest, Math.abs(value));
    }
    return Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * largest);
  }

  private static void add(double[] into, double[] values, double sign) {
    for (int k = 0; k < into.length; k++) {
      into[k] += sign * values[k];
    }
  }

  private static double checked(double value, double x) {
    if (!Double.isFinite(value)) {
      throw new ArithmeticException("Quadrature.integrate: the integrand is " + value + " at x = " + x);
    }
    return value;
  }
}
