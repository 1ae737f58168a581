package dev.adjoint.example;

import dev.adjoint.runtime.optim.ValueAndGradient;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A small Hamiltonian Monte Carlo sampler (Neal 2011) for a log density with its gradient, such as
 * a generated one: leapfrog steps with a diagonal mass matrix, a number of steps drawn afresh for
 * each transition (so that no fixed trajectory length resonates with the target), and a warm-up as
 * Stan's, shortened to three windows: the step size adapts by dual averaging (Hoffman and Gelman
 * 2014) towards a target acceptance rate; in the middle window the draws' variances become the
 * inverse mass matrix; the step size then adapts again and stays fixed for the draws. Seeded:
 * the same settings give the same draws.
 */
final class HamiltonianMonteCarlo {
  /** A transition whose energy grows by more than this is divergent, as in Stan. */
  static final double DIVERGENCE = 1000;

  /**
   * What to run.
   *
   * @param warmup adaptation iterations, whose draws are discarded
   * @param draws draws kept
   * @param targetAcceptance the mean acceptance probability the step size adapts to (Stan: 0.8)
   * @param integrationTime the mean length of a trajectory, in units of the scaled coordinates
   * @param maxLeapfrogSteps no trajectory takes more steps, however small the step size
   * @param seed seeds the random numbers
   */
  record Settings(int warmup, int draws, double targetAcceptance, double integrationTime, int maxLeapfrogSteps,
      long seed) {
    Settings {
      if (warmup < 20 || draws < 1 || maxLeapfrogSteps < 1) {
        throw new IllegalArgumentException(
            "need at least 20 warm-up iterations, a draw and a step: " + warmup + ", " + draws + ", " + maxLeapfrogSteps);
      }
    }

    Settings withSeed(long seed) {
      return new Settings(warmup, draws, targetAcceptance, integrationTime, maxLeapfrogSteps, seed);
    }
  }

  /**
   * One chain: {@code draws[i]} is the i-th kept point; then the step size and inverse mass matrix
   * the warm-up chose, the mean acceptance probability of the kept draws, how many of their
   * transitions diverged, and how many gradients the whole chain evaluated.
   */
  record Chain(double[][] draws, double stepSize, double[] inverseMetric, double acceptance, int divergences,
      long gradientEvaluations) {
    /** Coordinate {@code index} of every draw. */
    double[] coordinate(int index) {
      return Arrays.stream(draws).mapToDouble(draw -> draw[index]).toArray();
    }
  }

  private final ValueAndGradient logDensity;
  private final Settings settings;
  private final SplittableRandom random;
  private final int dimension;
  private double[] position;
  private double[] gradient;
  private double logDensityHere;
  private double[] inverseMetric;
  private long gradientEvaluations;

  private HamiltonianMonteCarlo(ValueAndGradient logDensity, double[] initial, Settings settings) {
    this.logDensity = logDensity;
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.dimension = initial.length;
    this.position = initial.clone();
    this.gradient = new double[dimension];
    this.logDensityHere = evaluate(position, gradient);
    if (!Double.isFinite(logDensityHere)) {
      throw new IllegalArgumentException("the log density is " + logDensityHere + " at the initial point "
          + Arrays.toString(initial));
    }
    this.inverseMetric = new double[dimension];
    Arrays.fill(inverseMetric, 1);
  }

  /** Warms up from {@code initial} and returns the draws of one chain. */
  static Chain sample(ValueAndGradient logDensity, double[] initial, Settings settings) {
    return new HamiltonianMonteCarlo(logDensity, initial, settings).run();
  }

  private Chain run() {
    int fastStart = Math.max(1, settings.warmup() * 15 / 100);
    int fastEnd = Math.max(1, settings.warmup() / 10);
    int slow = settings.warmup() - fastStart - fastEnd;
    double stepSize = reasonableStepSize();
    stepSize = adaptStepSize(stepSize, fastStart, null);
    Variance variance = new Variance(dimension);
    stepSize = adaptStepSize(stepSize, slow, variance);
    inverseMetric = variance.regularised();
    stepSize = adaptStepSize(reasonableStepSize(), fastEnd, null);
    double[][] draws = new double[settings.draws()][];
    double acceptance = 0;
    int divergences = 0;
    for (int i = 0; i < settings.draws(); i++) {
      double accepted = transition(stepSize);
      divergences += accepted < 0 ? 1 : 0;
      acceptance += Math.max(0, accepted);
      draws[i] = position.clone();
    }
    return new Chain(draws, stepSize, inverseMetric.clone(), acceptance / settings.draws(), divergences,
        gradientEvaluations);
  }

  /**
   * Runs {@code iterations} transitions adapting the step size by dual averaging, adding each
   * position to {@code variance} unless it is null, and returns the averaged step size.
   */
  private double adaptStepSize(double stepSize, int iterations, Variance variance) {
    // Hoffman and Gelman's constants, as Stan's.
    double shrinkTowards = Math.log(10 * stepSize);
    double gamma = 0.05;
    double t0 = 10;
    double kappa = 0.75;
    double averageError = 0;
    double logStep = Math.log(stepSize);
    double averageLogStep = logStep;
    for (int m = 1; m <= iterations; m++) {
      double accepted = Math.max(0, transition(Math.exp(logStep)));
      averageError += (settings.targetAcceptance() - accepted - averageError) / (m + t0);
      logStep = shrinkTowards - Math.sqrt(m) / gamma * averageError;
      double weight = Math.pow(m, -kappa);
      averageLogStep = weight * logStep + (1 - weight) * averageLogStep;
      if (variance != null) {
        variance.add(position);
      }
    }
    return Math.exp(averageLogStep);
  }

  /**
   * Stan's first guess of a step size: from 1, doubled or halved until one leapfrog step's
   * acceptance probability crosses 0.8 (at most 50 times).
   */
  private double reasonableStepSize() {
    double[] momentum = drawMomentum();
    double stepSize = 1;
    boolean growing = oneStepLogAcceptance(stepSize, momentum) > Math.log(0.8);
    for (int i = 0; i < 50; i++) {
      stepSize = growing ? 2 * stepSize : stepSize / 2;
      double logAcceptance = oneStepLogAcceptance(stepSize, momentum);
      if (growing ? !(logAcceptance > Math.log(0.8)) : !(logAcceptance < Math.log(0.8))) {
        break;
      }
    }
    return stepSize;
  }

  /** The log of the acceptance probability of one leapfrog step from here with this momentum. */
  private double oneStepLogAcceptance(double stepSize, double[] momentum) {
    double[] p = momentum.clone();
    double end = leapfrog(position.clone(), p, gradient.clone(), stepSize, 1);
    return hamiltonian(logDensityHere, momentum) - hamiltonian(end, p);
  }

  /**
   * One transition with a number of leapfrog steps drawn uniformly around {@code integrationTime /
   * stepSize}: moves to the end of the trajectory with the Metropolis probability.
   *
   * @return the acceptance probability, or -1 for a divergent trajectory (rejected): its energy
   *     grew by more than {@link #DIVERGENCE} or its log density is not finite
   */
  private double transition(double stepSize) {
    double[] momentum = drawMomentum();
    double start = hamiltonian(logDensityHere, momentum);
    int meanSteps = (int) Math.max(1,
        Math.min(settings.maxLeapfrogSteps(), Math.ceil(settings.integrationTime() / stepSize)));
    int steps = Math.min(settings.maxLeapfrogSteps(), 1 + random.nextInt(2 * meanSteps));
    double[] q = position.clone();
    double[] g = gradient.clone();
    double end = leapfrog(q, momentum, g, stepSize, steps);
    double energyChange = hamiltonian(end, momentum) - start;
    if (!Double.isFinite(end) || Double.isNaN(energyChange) || energyChange > DIVERGENCE) {
      return -1;
    }
    double acceptance = Math.min(1, Math.exp(-energyChange));
    if (random.nextDouble() < acceptance) {
      position = q;
      gradient = g;
      logDensityHere = end;
    }
    return acceptance;
  }

  /** {@code steps} leapfrog steps with this sampler's metric, counting the evaluations. */
  private double leapfrog(double[] q, double[] p, double[] g, double stepSize, int steps) {
    return leapfrog(this::evaluate, inverseMetric, q, p, g, stepSize, steps);
  }

  /**
   * {@code steps} leapfrog steps of the Hamiltonian −log density(q) + ½·pᵀ·diag(inverseMetric)·p
   * from (q, p), whose gradient of the log density is g, updating all three in place; it stops early
   * where the log density is not finite.
   *
   * @return the log density at the end
   */
  static double leapfrog(ValueAndGradient logDensity, double[] inverseMetric, double[] q, double[] p, double[] g,
      double stepSize, int steps) {
    double value = Double.NaN;
    for (int step = 0; step < steps; step++) {
      for (int i = 0; i < q.length; i++) {
        p[i] += 0.5 * stepSize * g[i];
        q[i] += stepSize * inverseMetric[i] * p[i];
      }
      value = logDensity.evaluate(q, g);
      if (!Double.isFinite(value)) {
        return value; // a divergence: no need to go on
      }
      for (int i = 0; i < q.length; i++) {
        p[i] += 0.5 * stepSize * g[i];
      }
    }
    return value;
  }

  /** Momentum from N(0, M), M the inverse of the inverse metric. */
  private double[] drawMomentum() {
    double[] momentum = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      momentum[i] = nextGaussian() / Math.sqrt(inverseMetric[i]);
    }
    return momentum;
  }

  /** Potential plus kinetic energy. */
  private double hamiltonian(double logDensityValue, double[] momentum) {
    double kinetic = 0;
    for (int i = 0; i < dimension; i++) {
      kinetic += inverseMetric[i] * momentum[i] * momentum[i];
    }
    return -logDensityValue + 0.5 * kinetic;
  }

  private double evaluate(double[] point, double[] gradientOut) {
    gradientEvaluations++;
    return logDensity.evaluate(point, gradientOut);
  }

  /** A standard normal by Box–Muller, from the seeded generator. */
  private double nextGaussian() {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** Running means and variances of each coordinate (Welford). */
  private static final class Variance {
    private final double[] mean;
    private final double[] sumOfSquares;
    private int count;

    Variance(int dimension) {
      mean = new double[dimension];
      sumOfSquares = new double[dimension];
    }

    void add(double[] point) {
      count++;
      for (int i = 0; i < mean.length; i++) {
        double delta = point[i] - mean[i];
        mean[i] += delta / count;
        sumOfSquares[i] += delta * (point[i] - mean[i]);
      }
    }

    /** The variances shrunk towards 1e-3 as Stan does, so that a short window gives no zero. */
    double[] regularised() {
      double[] variance = new double[mean.length];
      for (int i = 0; i < mean.length; i++) {
        variance[i] = count < 2 ? 1
            : (count / (count + 5.0)) * sumOfSquares[i] / (count - 1) + 1e-3 * (5.0 / (count + 5.0));
      }
      return variance;
    }
  }
}
