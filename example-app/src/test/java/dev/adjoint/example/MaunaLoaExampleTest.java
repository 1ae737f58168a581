package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.GradientChecks;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The Gaussian process's log marginal likelihood, its generated gradient, and the fit on held-out years. */
class MaunaLoaExampleTest {
  /** Sixteen months of the record, every third from 1959 on: small enough for every check. */
  private static final MaunaLoaExample.Series SMALL =
      MaunaLoaExample.co2().select(IntStream.range(0, 16).map(i -> 3 * i).toArray());
  private static final double OFFSET = MaunaLoaExample.mean(SMALL.ppm());

  private static double[] nearTheStart(RandomGenerator random) {
    return Arrays.stream(MaunaLoaExample.START).map(value -> Math.log(value) + random.nextDouble(-0.5, 0.5)).toArray();
  }

  @TestFactory
  Stream<DynamicTest> oneLineGradientChecks() {
    return GradientChecks.of(GaussianProcessModelsGrad.functions())
        .arguments("logMarginalLikelihood", random -> new Object[] {
            nearTheStart(random),
            GaussianProcessModels.squaredDistances(SMALL.times(), SMALL.times()),
            GaussianProcessModels.seasonalPhases(SMALL.times(), SMALL.times()),
            MaunaLoaExample.centred(SMALL, OFFSET)})
        .dynamicTests();
  }

  /**
   * The value against a Cholesky factor from Commons Math, and the generated gradient against
   * Rasmussen and Williams' eq. 5.9, ½·tr((ααᵀ − K⁻¹)·∂K/∂θ) with α = K⁻¹y, with each ∂K/∂θ written
   * out by hand, and against central differences.
   */
  @Test
  void gradientIsTheClosedFormAndMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 3; trial++) {
      double[] logHyper = nearTheStart(random);
      var generated = GaussianProcessModelsGrad.logMarginalLikelihood(logHyper,
          GaussianProcessModels.squaredDistances(SMALL.times(), SMALL.times()),
          GaussianProcessModels.seasonalPhases(SMALL.times(), SMALL.times()), MaunaLoaExample.centred(SMALL, OFFSET));
      RealMatrix[] partials = kernelPartials(logHyper, SMALL.times());
      RealMatrix k = partials[partials.length - 1];
      RealVector y = MatrixUtils.createRealVector(Arrays.stream(SMALL.ppm()).map(ppm -> ppm - OFFSET).toArray());
      CholeskyDecomposition cholesky = new CholeskyDecomposition(k);
      RealMatrix inverse = cholesky.getSolver().getInverse();
      RealVector alpha = inverse.operate(y);
      double expectedValue = -0.5 * y.dotProduct(alpha) - 0.5 * Math.log(cholesky.getDeterminant())
          - 0.5 * y.getDimension() * Math.log(2 * Math.PI);
      assertEquals(expectedValue, generated.value(), 1e-9 * Math.abs(expectedValue));
      RealMatrix inner = alpha.outerProduct(alpha).subtract(inverse);
      for (int p = 0; p < logHyper.length; p++) {
        double expected = 0.5 * inner.multiply(partials[p]).getTrace();
        assertEquals(expected, generated.logHyper()[p], 1e-8 * (1 + Math.abs(expected)),
            GaussianProcessModels.HYPER_PARAMETER_NAMES[p]);
      }
      GradientAssertions.assertGradient(
          h -> GaussianProcessModels.logMarginalLikelihood(h,
              GaussianProcessModels.squaredDistances(SMALL.times(), SMALL.times()),
              GaussianProcessModels.seasonalPhases(SMALL.times(), SMALL.times()),
              MaunaLoaExample.centred(SMALL, OFFSET)),
          logHyper, generated.logHyper());
    }
  }

  /**
   * ∂K/∂θ for each of the six log hyper-parameters, then K itself, entry by entry from the
   * kernel's formula (not through {@link GaussianProcessModels#covariance}).
   */
  private static RealMatrix[] kernelPartials(double[] logHyper, double[] t) {
    int n = t.length;
    double trendVariance = Math.exp(2 * logHyper[0]);
    double trendLength = Math.exp(logHyper[1]);
    double seasonalVariance = Math.exp(2 * logHyper[2]);
    double decay = Math.exp(logHyper[3]);
    double smoothness = Math.exp(logHyper[4]);
    double noiseVariance = Math.exp(2 * logHyper[5]);
    RealMatrix[] partials = new RealMatrix[7];
    Arrays.setAll(partials, p -> MatrixUtils.createRealMatrix(n, n));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double d2 = (t[i] - t[j]) * (t[i] - t[j]);
        double s = Math.pow(Math.sin(Math.PI * (t[i] - t[j])), 2);
        double trend = trendVariance * Math.exp(-d2 / (2 * trendLength * trendLength));
        double seasonal = seasonalVariance * Math.exp(-d2 / (2 * decay * decay) - 2 * s / (smoothness * smoothness));
        double noise = i == j ? noiseVariance : 0;
        partials[0].setEntry(i, j, 2 * trend);
        partials[1].setEntry(i, j, trend * d2 / (trendLength * trendLength));
        partials[2].setEntry(i, j, 2 * seasonal);
        partials[3].setEntry(i, j, seasonal * d2 / (decay * decay));
        partials[4].setEntry(i, j, seasonal * 4 * s / (smoothness * smoothness));
        partials[5].setEntry(i, j, 2 * noise);
        partials[6].setEntry(i, j, trend + seasonal + noise);
      }
    }
    return partials;
  }

  /**
   * Measured: the log marginal likelihood rises from −188.7 to −107.3; the held-out years
   * 1993–1997 are predicted with an RMSE of 1.10 ppm (their growth slowed after Pinatubo, which
   * the kernel's smooth trend does not foresee), 68 % of them inside the 95 % band.
   */
  @Test
  void fitRaisesTheLikelihoodAndPredictsTheHeldOutYears() {
    MaunaLoaExample.Fit fit = MaunaLoaExample.run(ExampleContext.quiet(new PrintStream(OutputStream.nullOutputStream())));
    assertTrue(fit.logLikelihood() > fit.startLogLikelihood() + 50, fit::toString);
    // Near the maximum the generated gradient is small (conjugate gradients stop when the value
    // stalls: its largest component is 0.07 here, 96 at the start).
    double[] gradient = new double[fit.logHyper().length];
    MaunaLoaExample.Series train = MaunaLoaExample.training(MaunaLoaExample.co2());
    MaunaLoaExample.logMarginalLikelihood(train, MaunaLoaExample.mean(train.ppm())).evaluate(fit.logHyper(), gradient);
    assertTrue(Arrays.stream(gradient).allMatch(g -> Math.abs(g) < 0.2), () -> Arrays.toString(gradient));
    assertTrue(fit.holdOutRmse() < 1.5, fit::toString);
    assertTrue(fit.holdOutCoverage() > 0.5, fit::toString);
    // The noise found is a fraction of a ppm, the trend's length scale decades.
    assertTrue(Math.exp(fit.logHyper()[GaussianProcessModels.NOISE]) < 1, fit::toString);
    assertTrue(Math.exp(fit.logHyper()[1]) > 10, fit::toString);
  }

  @Test
  void theRecordIsMonthlyFrom1959To1997AndTheSplitKeepsTheHoldOutApart() {
    MaunaLoaExample.Series all = MaunaLoaExample.co2();
    assertEquals(468, all.size());
    assertEquals(1959.0, all.times()[0]);
    assertEquals(1997 + 11 / 12.0, all.times()[467], 1e-12);
    assertEquals(315.42, all.ppm()[0]);
    MaunaLoaExample.Series train = MaunaLoaExample.training(all);
    MaunaLoaExample.Series test = MaunaLoaExample.holdOut(all);
    assertEquals(136, train.size());
    assertEquals(60, test.size());
    assertTrue(train.times()[train.size() - 1] < test.times()[0]);
  }

  /**
   * Predictions at new times against the textbook formulas (Rasmussen and Williams, eq. 2.25–2.26,
   * plus the noise), computed from the kernel's formula with Commons Math's Cholesky solver.
   */
  @Test
  void predictionIsTheTextbookFormula() {
    double[] logHyper = nearTheStart(new SplittableRandom(9));
    double noiseVariance = Math.exp(2 * logHyper[GaussianProcessModels.NOISE]);
    double[] times = {1958.5, 1960.04, 1962.9, 1965.25};
    MaunaLoaExample.Prediction prediction = MaunaLoaExample.predict(logHyper, SMALL, OFFSET, times);
    RealMatrix k = kernelPartials(logHyper, SMALL.times())[6];
    var solver = new CholeskyDecomposition(k).getSolver();
    RealVector y = MatrixUtils.createRealVector(Arrays.stream(SMALL.ppm()).map(ppm -> ppm - OFFSET).toArray());
    for (int j = 0; j < times.length; j++) {
      double[] cross = new double[SMALL.size()];
      for (int i = 0; i < cross.length; i++) {
        cross[i] = kernel(logHyper, SMALL.times()[i], times[j]);
      }
      RealVector kStar = MatrixUtils.createRealVector(cross);
      double mean = OFFSET + kStar.dotProduct(solver.solve(y));
      double variance = kernel(logHyper, times[j], times[j]) - kStar.dotProduct(solver.solve(kStar)) + noiseVariance;
      assertEquals(mean, prediction.mean()[j], 1e-9 * Math.abs(mean));
      assertEquals(Math.sqrt(variance), prediction.standardDeviation()[j], 1e-7);
    }
  }

  /** The kernel without noise at two times, from its formula. */
  private static double kernel(double[] logHyper, double a, double b) {
    double d2 = (a - b) * (a - b);
    double s = Math.pow(Math.sin(Math.PI * (a - b)), 2);
    return Math.exp(2 * logHyper[0] - d2 / (2 * Math.exp(2 * logHyper[1])))
        + Math.exp(2 * logHyper[2] - d2 / (2 * Math.exp(2 * logHyper[3])) - 2 * s / Math.exp(2 * logHyper[4]));
  }
}
