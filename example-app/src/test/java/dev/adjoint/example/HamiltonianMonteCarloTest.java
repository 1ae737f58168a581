package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.optim.ValueAndGradient;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The sampler on a target whose moments are known, and the chain statistics on known series. */
class HamiltonianMonteCarloTest {
  private static final double[] MEAN = {1, -2};
  private static final double[] SD = {1, 3};
  private static final double CORRELATION = 0.7;
  private static final HamiltonianMonteCarlo.Settings SETTINGS =
      new HamiltonianMonteCarlo.Settings(500, 2000, 0.8, 2.0, 256, 11);

  /** log N(x | MEAN, Σ) up to a constant, with its gradient −Σ⁻¹(x − MEAN), written by hand. */
  private static final ValueAndGradient GAUSSIAN = (x, gradient) -> {
    double u = (x[0] - MEAN[0]) / SD[0];
    double v = (x[1] - MEAN[1]) / SD[1];
    double scale = 1 / (1 - CORRELATION * CORRELATION);
    gradient[0] = -scale * (u - CORRELATION * v) / SD[0];
    gradient[1] = -scale * (v - CORRELATION * u) / SD[1];
    return -0.5 * scale * (u * u - 2 * CORRELATION * u * v + v * v);
  };

  /**
   * Four seeded chains recover the means, variances and covariance of a correlated 2-D Gaussian,
   * each within four Monte Carlo standard errors (the errors estimated from the draws of x, of
   * (x − μ)² and of the product of the deviations).
   */
  @Test
  void recoversTheMeanAndCovarianceOfACorrelatedGaussian() {
    List<HamiltonianMonteCarlo.Chain> chains = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int c = 0; c < 4; c++) {
      chains.add(HamiltonianMonteCarlo.sample(GAUSSIAN, random.doubles(2, -2, 2).toArray(), SETTINGS.withSeed(c)));
    }
    for (int i = 0; i < 2; i++) {
      int index = i;
      assertWithinMcse(MEAN[i], chains, x -> x[index], "mean " + i);
      assertWithinMcse(SD[i] * SD[i], chains, x -> (x[index] - MEAN[index]) * (x[index] - MEAN[index]), "variance " + i);
    }
    assertWithinMcse(CORRELATION * SD[0] * SD[1], chains, x -> (x[0] - MEAN[0]) * (x[1] - MEAN[1]), "covariance");
    for (HamiltonianMonteCarlo.Chain chain : chains) {
      assertEquals(0, chain.divergences());
      // Dual averaging aims at 0.8; the averaged step it keeps accepts somewhat more.
      assertTrue(chain.acceptance() > 0.7 && chain.acceptance() < 0.98, () -> "acceptance " + chain.acceptance());
      // The warm-up's variances become the inverse metric: near the target's.
      assertEquals(SD[1] * SD[1] / (SD[0] * SD[0]), chain.inverseMetric()[1] / chain.inverseMetric()[0], 3);
    }
  }

  private static void assertWithinMcse(double expected, List<HamiltonianMonteCarlo.Chain> chains,
      ToDoubleFunction<double[]> of, String what) {
    ChainStatistics statistics = ChainStatistics.of(EightSchoolsExample.quantity(chains, of));
    assertTrue(statistics.rHat() < 1.01, () -> what + ": " + statistics);
    assertTrue(statistics.effectiveSampleSize() > 1000, () -> what + ": " + statistics);
    assertEquals(expected, statistics.mean(), 4 * statistics.mcse(), () -> what + ": " + statistics);
  }

  /**
   * Leapfrog steps are time-reversible (run back with the momentum negated, they return to the start)
   * and second-order accurate (halving the step quarters the energy error): the two properties that
   * make the Metropolis correction exact.
   */
  @Test
  void leapfrogIsReversibleAndSecondOrder() {
    double[] inverseMetric = {0.5, 2};
    double[] q = {0.3, -1.1};
    double[] p = {0.7, 0.2};
    double[] g = new double[2];
    double start = GAUSSIAN.evaluate(q, g);
    double[] q1 = q.clone();
    double[] p1 = p.clone();
    double[] g1 = g.clone();
    HamiltonianMonteCarlo.leapfrog(GAUSSIAN, inverseMetric, q1, p1, g1, 0.1, 25);
    p1[0] = -p1[0];
    p1[1] = -p1[1];
    HamiltonianMonteCarlo.leapfrog(GAUSSIAN, inverseMetric, q1, p1, g1, 0.1, 25);
    assertArrayEquals(q, q1, 1e-12);
    assertArrayEquals(new double[] {-p[0], -p[1]}, p1, 1e-12);
    double coarse = energyError(inverseMetric, q, p, start, 0.2, 10);
    double fine = energyError(inverseMetric, q, p, start, 0.1, 20);
    assertEquals(4, coarse / fine, 0.5);
  }

  private static double energyError(double[] inverseMetric, double[] q, double[] p, double start, double stepSize,
      int steps) {
    double[] q1 = q.clone();
    double[] p1 = p.clone();
    double[] g1 = new double[2];
    GAUSSIAN.evaluate(q1, g1);
    double end = HamiltonianMonteCarlo.leapfrog(GAUSSIAN, inverseMetric, q1, p1, g1, stepSize, steps);
    return Math.abs(kinetic(inverseMetric, p1) - end - (kinetic(inverseMetric, p) - start));
  }

  private static double kinetic(double[] inverseMetric, double[] p) {
    return 0.5 * (inverseMetric[0] * p[0] * p[0] + inverseMetric[1] * p[1] * p[1]);
  }

  @Test
  void theSameSeedGivesTheSameDraws() {
    double[] start = {0, 0};
    HamiltonianMonteCarlo.Chain first = HamiltonianMonteCarlo.sample(GAUSSIAN, start, SETTINGS);
    HamiltonianMonteCarlo.Chain second = HamiltonianMonteCarlo.sample(GAUSSIAN, start, SETTINGS);
    assertEquals(first.draws()[SETTINGS.draws() - 1][1], second.draws()[SETTINGS.draws() - 1][1]);
  }

  /**
   * log(1 − x²) is NaN outside (−1, 1): trajectories that leave are divergent and rejected, so no
   * draw is outside, and no trajectory takes more steps than the limit, however long it should be.
   */
  @Test
  void trajectoriesLeavingTheSupportDivergeAndNoneIsLongerThanTheLimit() {
    ValueAndGradient bounded = (x, gradient) -> {
      gradient[0] = -2 * x[0] / (1 - x[0] * x[0]);
      return Math.log(1 - x[0] * x[0]);
    };
    HamiltonianMonteCarlo.Settings settings = new HamiltonianMonteCarlo.Settings(20, 200, 0.8, 1e9, 10, 1);
    HamiltonianMonteCarlo.Chain chain = HamiltonianMonteCarlo.sample(bounded, new double[] {0.1}, settings);
    assertTrue(chain.divergences() > 0, chain::toString);
    for (double[] draw : chain.draws()) {
      assertTrue(Math.abs(draw[0]) < 1, () -> "a draw outside the support: " + draw[0]);
    }
    // The first evaluation, at most 51 of a step size guess twice, then at most 10 per transition.
    assertTrue(chain.gradientEvaluations() <= 1 + 2 * 51 + (20 + 200) * 10, () -> chain.gradientEvaluations() + "");
    assertThrows(IllegalArgumentException.class,
        () -> HamiltonianMonteCarlo.sample(GAUSSIAN, new double[] {Double.NaN, 0}, SETTINGS));
  }

  /** Independent draws: an effective sample size near their number, and a standard error near σ/√n. */
  @Test
  void independentDrawsHaveAnEffectiveSampleSizeNearTheirNumber() {
    SplittableRandom random = new SplittableRandom(5);
    double[][] chains = new double[4][2000];
    for (double[] chain : chains) {
      for (int i = 0; i < chain.length; i++) {
        chain[i] = 2 * gaussian(random);
      }
    }
    ChainStatistics statistics = ChainStatistics.of(chains);
    assertEquals(8000, statistics.effectiveSampleSize(), 800);
    assertEquals(2, statistics.standardDeviation(), 0.05);
    assertEquals(2 / Math.sqrt(8000), statistics.mcse(), 0.003);
    assertEquals(1, statistics.rHat(), 0.005);
  }

  /** An AR(1) series with coefficient φ has effective sample size n·(1 − φ)/(1 + φ). */
  @Test
  void anAutoregressiveSeriesHasTheKnownEffectiveSampleSize() {
    double phi = 0.6;
    SplittableRandom random = new SplittableRandom(6);
    double[][] chains = new double[4][5000];
    for (double[] chain : chains) {
      double x = gaussian(random) / Math.sqrt(1 - phi * phi);
      for (int i = 0; i < chain.length; i++) {
        x = phi * x + gaussian(random);
        chain[i] = x;
      }
    }
    double expected = 20000 * (1 - phi) / (1 + phi);
    assertEquals(expected, ChainStatistics.of(chains).effectiveSampleSize(), 0.15 * expected);
  }

  @Test
  void chainsThatDisagreeHaveALargeRHat() {
    double[][] chains = {{0, 1, 0, 1, 0, 1}, {10, 11, 10, 11, 10, 11}};
    assertTrue(ChainStatistics.of(chains).rHat() > 5);
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
