package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.check.GradientChecks;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The pharmacokinetic loss through Ode.solve: its generated gradient, and the population fit. */
class TheophyllineExampleTest {
  private static final TheophyllineExample.Data DATA = TheophyllineExample.data();

  private static double[] nearTheStart(SplittableRandom random) {
    double[] logTheta = new double[3];
    for (int i = 0; i < 3; i++) {
      logTheta[i] = Math.log(TheophyllineExample.START[i]) + random.nextDouble(-0.4, 0.4);
    }
    return logTheta;
  }

  /** The closed-form sum of squares and its gradient in log ka, log ke, log V, by hand. */
  private static double[] closedFormLossAndGradient(double[] logTheta) {
    double ka = Math.exp(logTheta[0]);
    double ke = Math.exp(logTheta[1]);
    double v = Math.exp(logTheta[2]);
    double loss = 0;
    double[] gradient = new double[3];
    for (int k = 0; k < DATA.size(); k++) {
      double t = DATA.sampleTimes()[k];
      double dose = DATA.doses()[k];
      double c = PkModels.concentration(dose, ka, ke, v, t);
      double residual = DATA.observed()[k] - c;
      loss += residual * residual;
      double difference = Math.exp(-ke * t) - Math.exp(-ka * t);
      // c = D·ka/(V(ka − ke))·(e^(−ke t) − e^(−ka t))
      double dcDka = dose / v * (-ke / ((ka - ke) * (ka - ke)) * difference + ka / (ka - ke) * t * Math.exp(-ka * t));
      double dcDke = dose / v * (ka / ((ka - ke) * (ka - ke)) * difference - ka / (ka - ke) * t * Math.exp(-ke * t));
      double dcDlogV = -c;
      gradient[0] += -2 * residual * dcDka * ka;
      gradient[1] += -2 * residual * dcDke * ke;
      gradient[2] += -2 * residual * dcDlogV;
    }
    return new double[] {loss, gradient[0], gradient[1], gradient[2]};
  }

  private static double[] generatedGradient(double[] logTheta) {
    return PkModelsGrad.sumOfSquares(logTheta, DATA.times(), DATA.timeIndex(), DATA.doses(), DATA.observed()).theta();
  }

  @TestFactory
  Stream<DynamicTest> oneLineGradientChecks() {
    return GradientChecks.of(PkModelsGrad.functions())
        .arguments("sumOfSquares", random -> new Object[] {
            nearTheStart(new SplittableRandom(random.nextLong())), DATA.times(), DATA.timeIndex(), DATA.doses(),
            DATA.observed()})
        // The tangent and the gradient integrate different sensitivity equations, each to the solver's
        // tolerances (relative 1e-8), so they agree to about 1e-9, not to rounding.
        .tangentTolerances(1e-10, 1e-7)
        .dynamicTests();
  }

  /** The Jacobian behind the standard errors, column by column against central differences of the predictions. */
  @Test
  void predictionsJacobianMatchesCentralDifferences() {
    double[] logTheta = nearTheStart(new SplittableRandom(3));
    double[][] jacobian = PkModelsGrad.predictionsJacobian(logTheta, DATA.times(), DATA.timeIndex(), DATA.doses());
    assertEquals(DATA.size(), jacobian.length);
    for (int i = 0; i < 3; i++) {
      double h = 1e-5;
      double[] plus = logTheta.clone();
      double[] minus = logTheta.clone();
      plus[i] += h;
      minus[i] -= h;
      double[] up = PkModels.predictions(plus, DATA.times(), DATA.timeIndex(), DATA.doses());
      double[] down = PkModels.predictions(minus, DATA.times(), DATA.timeIndex(), DATA.doses());
      for (int k = 0; k < DATA.size(); k++) {
        double difference = (up[k] - down[k]) / (2 * h);
        assertEquals(difference, jacobian[k][i], 1e-5 * (1 + Math.abs(difference)), "row " + k + ", column " + i);
      }
    }
  }

  @Test
  void dataHasTheTwelveSubjectsWithoutTheSamplesAtTimeZero() {
    assertEquals(120, DATA.size());
    assertEquals(12, java.util.Arrays.stream(DATA.subjects()).distinct().count());
    assertTrue(DATA.times()[0] > 0);
  }

  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 3; trial++) {
      double[] logTheta = nearTheStart(random);
      double[] gradient = generatedGradient(logTheta);
      for (int i = 0; i < 3; i++) {
        double h = 1e-5;
        double[] plus = logTheta.clone();
        double[] minus = logTheta.clone();
        plus[i] += h;
        minus[i] -= h;
        double difference = (TheophyllineExample.loss(plus, DATA) - TheophyllineExample.loss(minus, DATA)) / (2 * h);
        assertEquals(difference, gradient[i], 1e-4 * (1 + Math.abs(difference)), "component " + i);
      }
    }
  }

  @Test
  void lossAndGradientMatchTheClosedForm() {
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 3; trial++) {
      double[] logTheta = nearTheStart(random);
      double[] closed = closedFormLossAndGradient(logTheta);
      assertEquals(closed[0], TheophyllineExample.loss(logTheta, DATA), 1e-5 * closed[0]);
      double[] gradient = generatedGradient(logTheta);
      for (int i = 0; i < 3; i++) {
        assertEquals(closed[i + 1], gradient[i], 1e-5 * (1 + Math.abs(closed[i + 1])), "component " + i);
      }
    }
  }

  @Test
  void fitReducesTheLossAndFindsPlausibleParameters() {
    TheophyllineExample.Fit fit = TheophyllineExample.fit(DATA);
    assertTrue(fit.loss() < 0.8 * fit.startLoss(), fit.loss() + " against " + fit.startLoss());
    double[] gradient = generatedGradient(fit.logTheta());
    for (double component : gradient) {
      assertEquals(0, component, 1e-2 * fit.loss());
    }
    double ka = fit.estimates()[0];
    double ke = fit.estimates()[1];
    double v = fit.estimates()[2];
    assertTrue(ka > 0.8 && ka < 3, "ka " + ka);
    assertTrue(ke > 0.05 && ke < 0.12, "ke " + ke);
    assertTrue(v > 0.3 && v < 0.7, "V " + v);
    for (int i = 0; i < 3; i++) {
      double se = fit.standardErrors()[i];
      assertTrue(se > 0 && se < 0.3 * fit.estimates()[i], "standard error " + i + ": " + se);
    }
    assertTrue(fit.closedFormDifference() < 1e-4, "Ode.solve against the closed form: " + fit.closedFormDifference());
  }
}
