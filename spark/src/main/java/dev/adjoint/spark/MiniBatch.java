package dev.adjoint.spark;

import dev.adjoint.runtime.optim.Optimizer;
import java.util.Objects;

/**
 * Mini-batch training over a {@link DistributedObjective}: each iteration draws a Bernoulli sample
 * of the examples with Spark's {@code sample} (a new seed per iteration, so a run is reproducible),
 * evaluates the mean loss and gradient on it, and steps the parameters on the driver with one of the
 * runtime's optimizers ({@code GradientDescent}, {@code Adam}, ...), in place on the flat vector.
 *
 * <p>Stops as the in-process training loops do: after the given number of iterations, or when the
 * mini-batch gradient's norm is at most the tolerance (0 by default: never).
 *
 * <pre>{@code
 * Fit<Mlp> fit = MiniBatch.of(new Adam(0.01), 0.1, 42).iterations(500).minimize(objective, start);
 * }</pre>
 */
public final class MiniBatch {
  private final Optimizer optimizer;
  private final double fraction;
  private final long seed;
  private final int iterations;
  private final double gradientTolerance;
  private final Progress progress;

  private MiniBatch(Optimizer optimizer, double fraction, long seed, int iterations, double gradientTolerance,
      Progress progress) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("the mini-batch fraction must be in (0, 1], got " + fraction);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("the iterations must be positive, got " + iterations);
    }
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.fraction = fraction;
    this.seed = seed;
    this.iterations = iterations;
    this.gradientTolerance = gradientTolerance;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Steps with {@code optimizer} on samples of about {@code fraction} of the examples (1: full
   * batch, no sampling), 100 iterations, progress printed.
   */
  public static MiniBatch of(Optimizer optimizer, double fraction, long seed) {
    return new MiniBatch(optimizer, fraction, seed, 100, 0, Progress.printingTo(System.out));
  }

  /** Takes this many steps at most. */
  public MiniBatch iterations(int count) {
    return new MiniBatch(optimizer, fraction, seed, count, gradientTolerance, progress);
  }

  /** Stops early when a mini-batch gradient's norm is at most {@code tolerance}. */
  public MiniBatch gradientTolerance(double tolerance) {
    return new MiniBatch(optimizer, fraction, seed, iterations, tolerance, progress);
  }

  /** Reports each iteration to {@code listener}. */
  public MiniBatch progress(Progress listener) {
    return new MiniBatch(optimizer, fraction, seed, iterations, gradientTolerance, listener);
  }

  /** Trains from {@code start}; the optimizer is reset first. */
  public <E, P> Fit<P> minimize(DistributedObjective<E, P> objective, P start) {
    ParameterCodec<P> codec = objective.codec();
    double[] parameters = codec.flatten(start);
    optimizer.reset();
    DistributedObjective.Evaluation last = null;
    double norm = Double.NaN;
    int taken = 0;
    int evaluations = 0;
    while (taken < iterations) {
      long before = System.nanoTime();
      DistributedObjective<E, P> batch = fraction == 1 ? objective : objective.sample(fraction, seed + taken);
      last = batch.evaluate(parameters);
      evaluations++;
      norm = Lbfgs.norm(last.gradient());
      if (norm <= gradientTolerance) {
        break;
      }
      optimizer.step(parameters, last.gradient());
      taken++;
      progress.report(taken, last.value(), norm, (System.nanoTime() - before) / 1_000_000);
    }
    return new Fit<>(codec.unflatten(parameters), last.value(), norm, taken, evaluations, norm <= gradientTolerance);
  }
}
