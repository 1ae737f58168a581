package dev.adjoint.spark;

import breeze.linalg.DenseVector;
import breeze.linalg.DenseVector$mcD$sp;
import breeze.math.MutableFiniteCoordinateField;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.util.Objects;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * Full-batch L-BFGS over a {@link DistributedObjective}, with Breeze's {@code LBFGS}: the
 * implementation Spark MLlib trains its own models with (a dependency of {@code spark-mllib}). Each
 * evaluation is one Spark job; the L-BFGS state (a few vectors of the parameters' size) stays on the
 * driver.
 *
 * <p>Stops as the runtime's in-process {@code Newton} does: when the gradient's Euclidean norm is at
 * most the tolerance (converged), or after the maximum number of iterations, or when Breeze's line
 * search fails twice in a row (not converged unless the gradient is small enough).
 *
 * <pre>{@code
 * Fit<Coefficients> fit = Lbfgs.withDefaults()
 *     .regularizer(l2)                      // optional, evaluated on the driver
 *     .minimize(objective, start);
 * }</pre>
 */
public final class Lbfgs {
  private final double gradientTolerance;
  private final int maxIterations;
  private final int memory;
  private final ValueAndGradient regularizer;
  private final Progress progress;

  private Lbfgs(double gradientTolerance, int maxIterations, int memory, ValueAndGradient regularizer, Progress progress) {
    if (!(gradientTolerance >= 0)) {
      throw new IllegalArgumentException("the gradient tolerance must be at least 0, got " + gradientTolerance);
    }
    if (maxIterations < 1 || memory < 1) {
      throw new IllegalArgumentException(
          "the iterations and memory must be positive, got " + maxIterations + " and " + memory);
    }
    this.gradientTolerance = gradientTolerance;
    this.maxIterations = maxIterations;
    this.memory = memory;
    this.regularizer = regularizer;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * A gradient tolerance of 1e-9 and at most 100 iterations (as the in-process {@code Newton}), a
   * memory of 10 (as MLlib), progress printed to standard output.
   */
  public static Lbfgs withDefaults() {
    return new Lbfgs(1e-9, 100, 10, null, Progress.printingTo(System.out));
  }

  /** Stops when the gradient norm is at most {@code tolerance}. */
  public Lbfgs gradientTolerance(double tolerance) {
    return new Lbfgs(tolerance, maxIterations, memory, regularizer, progress);
  }

  /** Stops after {@code iterations} iterations at most. */
  public Lbfgs maxIterations(int iterations) {
    return new Lbfgs(gradientTolerance, iterations, memory, regularizer, progress);
  }

  /** Keeps {@code corrections} pairs of steps and gradient changes. */
  public Lbfgs memory(int corrections) {
    return new Lbfgs(gradientTolerance, maxIterations, corrections, regularizer, progress);
  }

  /**
   * Adds a term of the flat parameters evaluated on the driver, such as an L2 penalty (a generated
   * gradient of a {@code @Differentiable} penalty, or a lambda).
   */
  public Lbfgs regularizer(ValueAndGradient term) {
    return new Lbfgs(gradientTolerance, maxIterations, memory, Objects.requireNonNull(term, "term"), progress);
  }

  /** Reports each iteration to {@code listener} instead of printing it. */
  public Lbfgs progress(Progress listener) {
    return new Lbfgs(gradientTolerance, maxIterations, memory, regularizer, listener);
  }

  /** Minimizes {@code objective} (plus the regularizer) from {@code start}. */
  public <E, P> Fit<P> minimize(DistributedObjective<E, P> objective, P start) {
    ParameterCodec<P> codec = objective.codec();
    double[] x0 = codec.flatten(start);
    return minimize((ValueAndGradient) objective, x0, codec);
  }

  /** Minimizes any flat function, such as an in-process generated gradient, with the same stopping rule. */
  public <P> Fit<P> minimize(ValueAndGradient function, double[] start, ParameterCodec<P> codec) {
    int[] evaluations = {0};
    DiffFunction<DenseVector<Object>> breezeFunction = point -> {
      double[] x = toArray(point);
      double[] gradient = new double[x.length];
      double value = function.evaluate(x, gradient);
      if (regularizer != null) {
        double[] extra = new double[x.length];
        value += regularizer.evaluate(x, extra);
        for (int i = 0; i < x.length; i++) {
          gradient[i] += extra[i];
        }
      }
      evaluations[0]++;
      return new Tuple2<>(value, new DenseVector$mcD$sp(gradient));
    };
    MutableFiniteCoordinateField<DenseVector<Object>, Object, Object> space = DenseVector.space_Double();
    FirstOrderMinimizer.ConvergenceCheck<DenseVector<Object>> stop =
        FirstOrderMinimizer.<DenseVector<Object>>maxIterationsReached(maxIterations)
            .$bar$bar(FirstOrderMinimizer.searchFailed());
    LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(stop, memory, space);
    Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> states =
        lbfgs.iterations(breezeFunction, new DenseVector$mcD$sp(start.clone()));
    FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> state = null;
    long before = System.nanoTime();
    double norm = Double.NaN;
    while (states.hasNext()) {
      state = states.next();
      long now = System.nanoTime();
      norm = norm(toArray(state.grad()));
      progress.report(state.iter(), state.value(), norm, (now - before) / 1_000_000);
      before = now;
      if (norm <= gradientTolerance) {
        break;
      }
    }
    if (state == null) {
      throw new IllegalStateException("Breeze's L-BFGS returned no state");
    }
    return new Fit<>(codec.unflatten(toArray(state.x())), state.value(), norm, state.iter(), evaluations[0],
        norm <= gradientTolerance);
  }

  static double norm(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }

  private static double[] toArray(DenseVector<Object> vector) {
    double[] out = new double[vector.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = vector.apply$mcD$sp(i);
    }
    return out;
  }
}
