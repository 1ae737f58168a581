package dev.adjoint.example;

import dev.adjoint.example.HierarchicalModelsGrad.LogPosteriorGradient;
import dev.adjoint.example.HierarchicalModelsGrad.MarginalLogPosteriorGradient;
import dev.adjoint.runtime.LogDensity;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;

/**
 * The eight schools, a hierarchical model ({@link HierarchicalModels}), fitted with the generated
 * gradient of its log posterior twice: by the posterior mode, and by Hamiltonian Monte Carlo,
 * whose posterior means of μ and τ are compared with posteriordb's reference.
 */
final class EightSchoolsExample {
  static final String DATA = "eight-schools.csv";
  static final int CHAINS = 4;
  /** Draws shown in the trace plot: every one of them, so that the mixing shows. */
  static final int TRACE_DRAWS = 200;
  /**
   * Stan's 1000 warm-up iterations, 2500 draws per chain (10,000 in all, as posteriordb's
   * reference), a target acceptance rate of 0.9 (Stan: 0.8; posteriordb: 0.95), trajectories of
   * mean length 2 in the scaled coordinates, seeded.
   */
  static final HamiltonianMonteCarlo.Settings SETTINGS =
      new HamiltonianMonteCarlo.Settings(1000, 2500, 0.9, 2.0, 1024, 1);
  /**
   * posteriordb's reference posterior {@code eight_schools-eight_schools_noncentered} (10 chains of
   * Stan's NUTS, 10,000 draws; file {@code reference_posteriors/summary_statistics/mean_value/
   * mean_value/eight_schools-eight_schools_noncentered.json}): the means of μ and τ and their Monte
   * Carlo standard errors.
   */
  static final double[] REFERENCE_MEANS = {4.41051833695493, 3.60205952364059};
  static final double[] REFERENCE_MCSE = {0.0330374705950917, 0.0318615135640706};
  /** The same file's means of θ₁..₈ and their standard errors. */
  static final double[] REFERENCE_THETA_MEANS = {
    6.15050229334425, 4.9395811407422, 3.90590609001582, 4.79601675138494, 3.6144363246799, 4.0511475789675,
    6.31716975886893, 4.88399694353288
  };
  static final double[] REFERENCE_THETA_MCSE = {
    0.0557375282295219, 0.0462293788624847, 0.0542313705632124, 0.0474935816762281, 0.0461450610244603,
    0.0485195392528031, 0.0498766794075794, 0.0542511606560972
  };

  private EightSchoolsExample() {}

  /** Each school's estimated effect and its standard error. */
  record Data(double[] effects, double[] standardErrors) {
    int schools() {
      return effects.length;
    }
  }

  /**
   * What the example found: the posterior mode in the sampler's coordinates {μ, log τ, η₁..₈}, the
   * mode of the marginal posterior of (μ, log τ), the chains, and the summaries of μ, τ and each θⱼ.
   */
  record Result(double[] mode, double[] marginalMode, List<HamiltonianMonteCarlo.Chain> chains, ChainStatistics mu,
      ChainStatistics tau, ChainStatistics[] theta) {
    int divergences() {
      return chains.stream().mapToInt(HamiltonianMonteCarlo.Chain::divergences).sum();
    }
  }

  static Data data() {
    double[][] rows = DataSet.readCsv(DATA, false, 1).toArray(double[][]::new);
    return new Data(Arrays.stream(rows).mapToDouble(row -> row[1]).toArray(),
        Arrays.stream(rows).mapToDouble(row -> row[2]).toArray());
  }

  /** The log posterior in the non-centred coordinates with its generated gradient. */
  static ValueAndGradient logPosterior(Data data) {
    LogPosteriorGradient into = new LogPosteriorGradient();
    return (parameters, gradient) -> {
      double value = HierarchicalModelsGrad.logPosterior(parameters, data.effects(), data.standardErrors(), into);
      System.arraycopy(into.parameters(), 0, gradient, 0, gradient.length);
      return value;
    };
  }

  /** The marginal log posterior of {μ, log τ} with its generated gradient. */
  static ValueAndGradient marginalLogPosterior(Data data) {
    MarginalLogPosteriorGradient into = new MarginalLogPosteriorGradient();
    return (point, gradient) -> {
      double value = HierarchicalModelsGrad.marginalLogPosterior(point[0], point[1], data.effects(),
          data.standardErrors(), into);
      gradient[0] = into.mu();
      gradient[1] = into.logTau();
      return value;
    };
  }

  static Result run(ExampleContext context) {
    return run(context, SETTINGS);
  }

  static Result run(ExampleContext context, HamiltonianMonteCarlo.Settings settings) {
    Data data = data();
    int dimension = 2 + data.schools();
    context.out().printf("eight schools (Rubin 1981): effects %s, standard errors %s%n",
        Arrays.toString(data.effects()), Arrays.toString(data.standardErrors()));
    context.out().printf("  theta_j ~ N(mu, tau), non-centred; priors mu ~ N(0, %.0f), tau ~ half-Cauchy(0, %.0f) as"
        + " posteriordb's eight_schools_noncentered%n", HierarchicalModels.MU_PRIOR_SCALE,
        HierarchicalModels.TAU_PRIOR_SCALE);
    double[] mode = ConjugateGradients.maximise(logPosterior(data), new double[dimension], 5_000).point();
    double[] marginalMode = ConjugateGradients.maximise(marginalLogPosterior(data), new double[2], 5_000).point();
    context.out().println("  posterior mode of (mu, tau, theta): none, the density grows without bound as tau -> 0"
        + " with every theta = mu");
    context.out().printf("  mode in the sampler's coordinates (mu, log tau, eta): mu %.2f, tau %.2f, theta %s:%n"
        + "    a mode depends on the coordinates, and this one lies in the tail of tau%n",
        mode[0], Math.exp(mode[1]), format(theta(mode)));
    context.out().printf("  mode of the marginal posterior of (mu, log tau), theta integrated out:"
        + " mu %.2f, tau %.2f%n", marginalMode[0], Math.exp(marginalMode[1]));

    List<HamiltonianMonteCarlo.Chain> chains = sample(data, settings);
    ChainStatistics mu = ChainStatistics.of(quantity(chains, draw -> draw[0]));
    ChainStatistics tau = ChainStatistics.of(quantity(chains, draw -> Math.exp(draw[1])));
    ChainStatistics[] theta = IntStream.range(0, data.schools())
        .mapToObj(j -> ChainStatistics.of(quantity(chains, draw -> draw[0] + Math.exp(draw[1]) * draw[2 + j])))
        .toArray(ChainStatistics[]::new);
    Result result = new Result(mode, marginalMode, chains, mu, tau, theta);
    HamiltonianMonteCarlo.Chain first = chains.get(0);
    context.out().printf("  HMC: %d chains of %d warm-up iterations and %d draws; step size %.3f (chain 1),"
            + " acceptance %.2f, %d divergent, %d gradients%n", CHAINS, settings.warmup(), settings.draws(),
        first.stepSize(), chains.stream().mapToDouble(HamiltonianMonteCarlo.Chain::acceptance).average().orElseThrow(),
        result.divergences(), chains.stream().mapToLong(HamiltonianMonteCarlo.Chain::gradientEvaluations).sum());
    context.out().printf("  %-9s %8s %7s %6s %6s %6s   %14s%n", "", "mean", "mcse", "sd", "ESS", "R-hat",
        "posteriordb");
    printRow(context, "mu", mu, REFERENCE_MEANS[0], REFERENCE_MCSE[0]);
    printRow(context, "tau", tau, REFERENCE_MEANS[1], REFERENCE_MCSE[1]);
    for (int j = 0; j < theta.length; j++) {
      printRow(context, "theta[" + (j + 1) + "]", theta[j], REFERENCE_THETA_MEANS[j], REFERENCE_THETA_MCSE[j]);
    }
    plot(context, chains);
    return result;
  }

  /** {@link #CHAINS} chains, each from a point drawn uniformly in [-2, 2] as Stan does, seeded. */
  static List<HamiltonianMonteCarlo.Chain> sample(Data data, HamiltonianMonteCarlo.Settings settings) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    return IntStream.range(0, CHAINS).mapToObj(c -> {
      double[] initial = random.doubles(2 + data.schools(), -2, 2).toArray();
      return HamiltonianMonteCarlo.sample(logPosterior(data), initial, settings.withSeed(settings.seed() + 1 + c));
    }).toList();
  }

  /** θj = μ + τ·ηj at a point {μ, log τ, η₁..₈}. */
  static double[] theta(double[] point) {
    return IntStream.range(2, point.length).mapToDouble(i -> point[0] + Math.exp(point[1]) * point[i]).toArray();
  }

  /** {@code chains[c][i]}: the quantity at draw i of chain c. */
  static double[][] quantity(List<HamiltonianMonteCarlo.Chain> chains,
      ToDoubleFunction<double[]> of) {
    return chains.stream().map(chain -> Arrays.stream(chain.draws()).mapToDouble(of).toArray())
        .toArray(double[][]::new);
  }

  private static void printRow(ExampleContext context, String name, ChainStatistics s, double reference,
      double referenceMcse) {
    String published = String.format("%6.2f ± %.2f", reference, referenceMcse);
    context.out().printf("  %-9s %8.2f %7.3f %6.2f %6.0f %6.3f   %14s%n", name, s.mean(), s.mcse(),
        s.standardDeviation(), s.effectiveSampleSize(), s.rHat(), published);
  }

  private static String format(double[] values) {
    return Arrays.stream(values).mapToObj(v -> String.format("%.1f", v)).toList().toString();
  }

  /** The first draws of μ and τ in the first chain, and a histogram of τ over all chains with its prior. */
  private static void plot(ExampleContext context, List<HamiltonianMonteCarlo.Chain> chains) {
    int shown = Math.min(TRACE_DRAWS, chains.get(0).draws().length);
    double[] mu = Arrays.copyOf(chains.get(0).coordinate(0), shown);
    double[] tau = Arrays.stream(chains.get(0).coordinate(1)).limit(shown).map(Math::exp).toArray();
    double[] iterations = IntStream.rangeClosed(1, shown).asDoubleStream().toArray();
    XYChart trace = Plots.chart("Chain 1, its first " + shown + " draws", "draw", "value");
    Plots.line(trace, "mu", iterations, mu);
    Plots.line(trace, "tau", iterations, tau);
    double[] allTau = Arrays.stream(quantity(chains, draw -> Math.exp(draw[1]))).flatMapToDouble(Arrays::stream)
        .toArray();
    XYChart histogram = Plots.chart("Posterior of tau, " + allTau.length + " draws", "tau", "density");
    double[][] steps = histogram(allTau, 0, 20, 40);
    Plots.line(histogram, "HMC", steps[0], steps[1]);
    double[] grid = IntStream.rangeClosed(0, 100).mapToDouble(i -> i * 0.2).toArray();
    double[] prior = Arrays.stream(grid).map(t -> Math.log(2) + LogDensity.cauchy(t, 0, HierarchicalModels.TAU_PRIOR_SCALE))
        .map(Math::exp).toArray();
    Plots.line(histogram, "prior Cauchy+(0, 5)", grid, prior);
    Plots.write(context, "eight-schools", List.of(trace, histogram));
  }

  /**
   * A histogram of {@code values} in {@code bins} equal bins over [from, to] as the corners of a
   * step line: {x, density}, normalised by all values (those beyond {@code to} included).
   */
  static double[][] histogram(double[] values, double from, double to, int bins) {
    double width = (to - from) / bins;
    double[] counts = new double[bins];
    for (double value : values) {
      int bin = (int) Math.floor((value - from) / width);
      if (bin >= 0 && bin < bins) {
        counts[bin]++;
      }
    }
    double[] x = new double[2 * bins];
    double[] density = new double[2 * bins];
    for (int b = 0; b < bins; b++) {
      x[2 * b] = from + b * width;
      x[2 * b + 1] = from + (b + 1) * width;
      density[2 * b] = density[2 * b + 1] = counts[b] / values.length / width;
    }
    return new double[][] {x, density};
  }
}
