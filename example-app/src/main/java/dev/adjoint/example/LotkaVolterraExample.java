package dev.adjoint.example;

import dev.adjoint.example.PopulationModelsGrad.LogSquaredErrorGradient;
import dev.adjoint.runtime.optim.CommonsMathObjective;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer.Formula;
import org.knowm.xchart.XYChart;

/**
 * Recovers the four rates of a Lotka–Volterra model from noisy observations: the populations are
 * simulated with known rates, observed with multiplicative noise, and the rates fitted by Commons
 * Math's nonlinear conjugate gradients on the generated gradient of the whole Runge–Kutta
 * simulation ({@link PopulationModels#logSquaredError}); the generated Hessian of the same loss then
 * gives each rate's standard error.
 */
final class LotkaVolterraExample {
  static final String[] NAMES = {"alpha", "beta", "delta", "gamma"};
  /** α, β, δ, γ: the SciPy cookbook's rabbits and foxes. */
  static final double[] TRUE_RATES = {1.0, 0.1, 0.075, 1.5};
  static final double[] INITIAL_POPULATIONS = {10, 5};
  static final double DT = 0.1;
  static final int STEPS_PER_OBSERVATION = 5;
  static final int OBSERVATIONS = 30;
  /** Standard deviation of the logarithm of the observation noise: about 5 % either way. */
  static final double NOISE = 0.05;
  static final long SEED = 3;
  /** Relative difference allowed between H[i][j] and H[j][i]. */
  static final double SYMMETRY_TOLERANCE = 1e-9;
  /** The first guess: each rate 20 to 25 % off. */
  static final double[] START = {0.8, 0.125, 0.06, 1.875};

  private LotkaVolterraExample() {}

  /** The fitted rates, the loss there, what the fit cost, and each rate's standard error. */
  record Fit(double[] rates, double loss, int evaluations, int iterations, double[] standardErrors) {}

  /** The true trajectory with each population multiplied by {@code exp(NOISE · N(0, 1))}. */
  static double[] observations() {
    double[] path =
        PopulationModels.trajectory(TRUE_RATES, INITIAL_POPULATIONS, OBSERVATIONS, STEPS_PER_OBSERVATION, DT);
    Random random = new Random(SEED);
    double[] observed = new double[path.length];
    for (int i = 0; i < path.length; i++) {
      observed[i] = path[i] * Math.exp(NOISE * random.nextGaussian());
    }
    return observed;
  }

  static Fit run(ExampleContext context) {
    double[] observed = observations();
    context.out().printf(
        "fit the rates of a Lotka–Volterra model (RK4, %d steps of %s per observation) to %d noisy"
            + " observations with Commons Math's conjugate gradients%n",
        STEPS_PER_OBSERVATION, DT, OBSERVATIONS);
    CommonsMathObjective objective = objective(observed);
    double[] start = Arrays.stream(START).map(Math::log).toArray();
    double startLoss = objective.value(start);
    NonLinearConjugateGradientOptimizer optimizer =
        new NonLinearConjugateGradientOptimizer(
            Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-10, 1e-14), 1e-6, 1e-8, 1e-4);
    PointValuePair optimum =
        optimizer.optimize(
            new MaxEval(5_000),
            GoalType.MINIMIZE,
            new InitialGuess(start),
            objective.objectiveFunction(),
            objective.objectiveFunctionGradient());
    double[] rates = Arrays.stream(optimum.getPoint()).map(Math::exp).toArray();
    Fit fit =
        new Fit(
            rates,
            optimum.getValue(),
            objective.evaluations(),
            optimizer.getIterations(),
            standardErrors(optimum.getPoint(), observed));
    context.out().printf(
        "  loss %.3e at the first guess, %.3e after %d iterations%n", startLoss, fit.loss(), fit.iterations());
    context.out().printf("  %d evaluations of the simulation and its gradient%n", fit.evaluations());
    context.out().printf("  residual standard deviation %.3f (the noise added: %.3f); standard errors from the%n"
        + "  generated Hessian of the loss, PopulationModelsGrad.logSquaredErrorHessian%n",
        Math.sqrt(residualVariance(fit.loss(), observed.length)), NOISE);
    context.out().printf("  %-6s %8s %8s %8s %8s %9s%n", "rate", "true", "start", "fitted", "error", "std err");
    for (int i = 0; i < NAMES.length; i++) {
      context.out().printf("  %-6s %8.4f %8.4f %8.4f %7.2f%% %9.4f%n", NAMES[i], TRUE_RATES[i], START[i],
          fit.rates()[i], 100 * relativeError(fit.rates()[i], TRUE_RATES[i]), fit.standardErrors()[i]);
    }
    plot(context, observed, fit);
    return fit;
  }

  /** The loss on {@code observed} with its generated gradient, for Commons Math. */
  static CommonsMathObjective objective(double[] observed) {
    LogSquaredErrorGradient into = new LogSquaredErrorGradient();
    return new CommonsMathObjective(
        (logRates, gradient) -> {
          double loss =
              PopulationModelsGrad.logSquaredError(
                  logRates, INITIAL_POPULATIONS, observed, STEPS_PER_OBSERVATION, DT, into);
          System.arraycopy(into.logTheta(), 0, gradient, 0, gradient.length);
          return loss;
        });
  }

  /**
   * The standard error of each fitted rate, from the Hessian of the loss at the optimum. The loss
   * is the mean of n squared residuals, so near the optimum its Hessian H ≈ (2/n)·JᵀJ, and the
   * least-squares covariance σ²·(JᵀJ)⁻¹ of the log-rates is (2σ²/n)·H⁻¹, with σ² the residual
   * variance n·loss/(n − p). A rate exp(u) has standard error exp(u)·se(u) (delta method).
   */
  static double[] standardErrors(double[] logRates, double[] observed) {
    int n = observed.length;
    int p = logRates.length;
    double[][] hessian =
        PopulationModelsGrad.logSquaredErrorHessian(logRates, INITIAL_POPULATIONS, observed, STEPS_PER_OBSERVATION, DT);
    double loss = PopulationModels.logSquaredError(logRates, INITIAL_POPULATIONS, observed, STEPS_PER_OBSERVATION, DT);
    double residualVariance = residualVariance(loss, n);
    // Cholesky both inverts and checks that the optimum is a minimum (H positive definite); the two
    // halves of a Hessian by forward over reverse agree to rounding, not bit for bit.
    RealMatrix inverse = new CholeskyDecomposition(MatrixUtils.createRealMatrix(hessian), SYMMETRY_TOLERANCE,
        CholeskyDecomposition.DEFAULT_ABSOLUTE_POSITIVITY_THRESHOLD).getSolver().getInverse();
    double[] errors = new double[p];
    for (int i = 0; i < p; i++) {
      errors[i] = Math.exp(logRates[i]) * Math.sqrt(2 * residualVariance / n * inverse.getEntry(i, i));
    }
    return errors;
  }

  /** σ² of n log-residuals whose mean square is {@code loss}, with the four rates fitted. */
  static double residualVariance(double loss, int n) {
    return n * loss / (n - NAMES.length);
  }

  static double relativeError(double value, double truth) {
    return Math.abs(value - truth) / Math.abs(truth);
  }

  /** The observations with the fitted and the first-guess trajectories, prey and predators apart. */
  private static void plot(ExampleContext context, double[] observed, Fit fit) {
    // A sample every step draws smooth curves.
    int stepsPerSample = 1;
    int samples = STEPS_PER_OBSERVATION * OBSERVATIONS;
    double[] fitted = PopulationModels.trajectory(fit.rates(), INITIAL_POPULATIONS, samples, stepsPerSample, DT);
    double[] guessed = PopulationModels.trajectory(START, INITIAL_POPULATIONS, samples, stepsPerSample, DT);
    double[] observationTimes =
        IntStream.rangeClosed(1, OBSERVATIONS).mapToDouble(k -> k * STEPS_PER_OBSERVATION * DT).toArray();
    // The curves start from the initial populations at time 0.
    double[] times = IntStream.rangeClosed(0, samples).mapToDouble(k -> k * stepsPerSample * DT).toArray();
    XYChart prey = Plots.chart("Prey", "time", "population");
    XYChart predators = Plots.chart("Predators", "time", "population");
    for (int species = 0; species < 2; species++) {
      XYChart chart = species == 0 ? prey : predators;
      double start = INITIAL_POPULATIONS[species];
      Plots.points(chart, "observed", observationTimes, species(observed, species, Double.NaN));
      Plots.line(chart, "fitted", times, species(fitted, species, start));
      Plots.line(chart, "first guess", times, species(guessed, species, start));
    }
    Plots.write(context, "lotka-volterra", List.of(prey, predators));
  }

  /**
   * One species of an interleaved trajectory {@code {x1, y1, x2, y2, ...}}, after {@code start}
   * unless it is NaN.
   */
  private static double[] species(double[] interleaved, int species, double start) {
    DoubleStream values = IntStream.range(0, interleaved.length / 2).mapToDouble(k -> interleaved[2 * k + species]);
    return (Double.isNaN(start) ? values : DoubleStream.concat(DoubleStream.of(start), values)).toArray();
  }
}
