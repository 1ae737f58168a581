package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.GradientChecks;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The eight schools' log posteriors, their generated gradients, the modes and the HMC means. */
class EightSchoolsExampleTest {
  private static final EightSchoolsExample.Data DATA = EightSchoolsExample.data();
  private static final double[] Y = DATA.effects();
  private static final double[] SIGMA = DATA.standardErrors();

  @TestFactory
  Stream<DynamicTest> oneLineGradientChecks() {
    return GradientChecks.of(HierarchicalModelsGrad.functions())
        .arguments("logPosterior", random -> new Object[] {random.doubles(10, -2, 2).toArray(), Y, SIGMA})
        .argument("marginalLogPosterior", "effects", random -> Y)
        .argument("marginalLogPosterior", "standardErrors", random -> SIGMA)
        .dynamicTests();
  }

  @Test
  void theDataAreRubinsEightSchools() {
    assertArrayEquals(new double[] {28, 8, -3, 7, -1, 1, 18, 12}, Y);
    assertArrayEquals(new double[] {15, 10, 16, 11, 9, 11, 10, 18}, SIGMA);
  }

  /**
   * The generated gradient of the non-centred log posterior against its derivative written by
   * hand, and against central differences, at random points.
   */
  @Test
  void gradientIsTheHandWrittenOneAndMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 5; trial++) {
      double[] point = random.doubles(10, -2, 2).toArray();
      double mu = point[0];
      double tau = Math.exp(point[1]);
      double[] expected = new double[10];
      // Priors: N(0, 5) on mu, Cauchy+(0, 5) on tau with log tau's Jacobian, N(0, 1) on each eta.
      expected[0] = -mu / 25;
      expected[1] = 1 - 2 * tau * tau / (25 + tau * tau);
      for (int j = 0; j < 8; j++) {
        double eta = point[2 + j];
        double residual = (Y[j] - mu - tau * eta) / (SIGMA[j] * SIGMA[j]);
        expected[0] += residual;
        expected[1] += residual * tau * eta;
        expected[2 + j] = -eta + residual * tau;
      }
      double[] generated = HierarchicalModelsGrad.logPosterior(point, Y, SIGMA).parameters();
      assertArrayEquals(expected, generated, 1e-12);
      GradientAssertions.assertGradient(p -> HierarchicalModels.logPosterior(p, Y, SIGMA), point, generated);
    }
  }

  /**
   * The mode of the marginal posterior of (μ, log τ) found with the generated gradient is the
   * highest point of a fine grid, and the gradient vanishes there.
   */
  @Test
  void marginalModeIsTheTopOfAGridSearch() {
    EightSchoolsExample.Result result = run();
    double best = Double.NEGATIVE_INFINITY;
    double[] bestPoint = null;
    for (double mu = -5; mu <= 15; mu += 0.01) {
      for (double logTau = -3; logTau <= 4; logTau += 0.005) {
        double value = HierarchicalModels.marginalLogPosterior(mu, logTau, Y, SIGMA);
        if (value > best) {
          best = value;
          bestPoint = new double[] {mu, logTau};
        }
      }
    }
    assertArrayEquals(bestPoint, result.marginalMode(), 0.01);
    // The mode in the sampler's coordinates is a stationary point too (at tau = 29: see the example).
    double[] gradientAtMode = HierarchicalModelsGrad.logPosterior(result.mode(), Y, SIGMA).parameters();
    assertArrayEquals(new double[10], gradientAtMode, 1e-2);
    assertEquals(29, Math.exp(result.mode()[1]), 1);
    var gradient = HierarchicalModelsGrad.marginalLogPosterior(result.marginalMode()[0], result.marginalMode()[1], Y, SIGMA);
    assertEquals(0, gradient.mu(), 1e-4);
    assertEquals(0, gradient.logTau(), 1e-4);
  }

  /**
   * Seeded HMC with the generated gradient: posterior means of μ and τ within four Monte Carlo
   * standard errors (ours and posteriordb's combined) of posteriordb's reference, no divergent
   * transitions, chains that agree. Seeds 1 to 8 all put both means within 1.7 combined standard
   * errors (measured once, seed 1 is the example's).
   */
  @Test
  void posteriorMeansMatchPosteriordbsReference() {
    EightSchoolsExample.Result result = run();
    assertNear(EightSchoolsExample.REFERENCE_MEANS[0], EightSchoolsExample.REFERENCE_MCSE[0], result.mu(), "mu");
    assertNear(EightSchoolsExample.REFERENCE_MEANS[1], EightSchoolsExample.REFERENCE_MCSE[1], result.tau(), "tau");
    assertEquals(0, result.divergences());
    assertTrue(result.mu().effectiveSampleSize() > 2000 && result.tau().effectiveSampleSize() > 1000,
        () -> result.mu() + " " + result.tau());
    for (int j = 0; j < 8; j++) {
      ChainStatistics theta = result.theta()[j];
      assertTrue(theta.rHat() < 1.01, theta::toString);
      assertNear(EightSchoolsExample.REFERENCE_THETA_MEANS[j], EightSchoolsExample.REFERENCE_THETA_MCSE[j], theta,
          "theta[" + (j + 1) + "]");
    }
  }

  private static void assertNear(double reference, double referenceMcse, ChainStatistics ours, String name) {
    double tolerance = 4 * Math.hypot(referenceMcse, ours.mcse());
    assertEquals(reference, ours.mean(), tolerance, () -> name + ": " + ours);
  }

  private static EightSchoolsExample.Result run() {
    return EightSchoolsExample.run(ExampleContext.quiet(new PrintStream(OutputStream.nullOutputStream())));
  }
}
