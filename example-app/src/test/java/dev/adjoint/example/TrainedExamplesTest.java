package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The examples reach their targets with their fixed seeds, exactly as the app runs them. */
class TrainedExamplesTest {
  private static final ExampleContext QUIET =
      ExampleContext.quiet(new PrintStream(OutputStream.nullOutputStream()));

  @Test
  void logisticTinyReproducesCljAutograd() {
    // clj-autograd's test asserts these predictions after the same 1000 steps.
    double[] expected = {0.9998655456159079, 0.04813488562019285, 0.9998655456159079};
    double[] predicted = LogisticTinyExample.probabilities(LogisticTinyExample.run(QUIET).model());
    assertArrayEquals(expected, predicted, 1e-12);
  }

  @Test
  void breastCancerTestAccuracyIsAtLeast95Percent() {
    Training.Result<?> result = ClassifierExamples.breastCancer(QUIET);
    assertTrue(result.testAccuracy() >= 0.95, () -> "test accuracy " + result.testAccuracy());
  }

  @Test
  void digitsSoftmaxTestAccuracyIsAtLeast93Percent() {
    Training.Result<?> result = ClassifierExamples.digitsSoftmax(QUIET);
    assertEquals(3, result.history().loss().length, "epochs");
    assertTrue(result.testAccuracy() >= 0.93, () -> "test accuracy " + result.testAccuracy());
  }

  @Test
  void digitsPerceptronTestAccuracyIsAtLeast97Percent() {
    Training.Result<?> result = ClassifierExamples.digitsMlp(QUIET);
    assertTrue(result.testAccuracy() >= 0.97, () -> "test accuracy " + result.testAccuracy());
  }

  @Test
  void lstmLossFallsAndItClassifiesMostWalks() {
    Training.Result<?> result = LstmExample.run(QUIET);
    double[] loss = result.history().loss();
    assertTrue(loss[loss.length - 1] < 0.25 * loss[0], () -> "loss by epoch " + Arrays.toString(loss));
    assertTrue(result.testAccuracy() >= 0.95, () -> "test accuracy " + result.testAccuracy());
  }

  @Test
  void lotkaVolterraRatesAreRecoveredWithin5Percent() {
    LotkaVolterraExample.Fit fit = LotkaVolterraExample.run(QUIET);
    for (int i = 0; i < fit.rates().length; i++) {
      double error = LotkaVolterraExample.relativeError(fit.rates()[i], LotkaVolterraExample.TRUE_RATES[i]);
      int rate = i;
      assertTrue(error < 0.05, () -> LotkaVolterraExample.NAMES[rate] + " is " + fit.rates()[rate]);
    }
  }

  @Test
  void lotkaVolterraStandardErrorsCoverTheTrueRates() {
    LotkaVolterraExample.Fit fit = LotkaVolterraExample.run(QUIET);
    for (int i = 0; i < fit.rates().length; i++) {
      double error = Math.abs(fit.rates()[i] - LotkaVolterraExample.TRUE_RATES[i]);
      double standardError = fit.standardErrors()[i];
      int rate = i;
      // 5 % noise on 60 observations: errors of a few percent of each rate, not less than 0.1 %.
      assertTrue(standardError > 1e-3 * fit.rates()[i] && standardError < 0.1 * fit.rates()[i],
          () -> LotkaVolterraExample.NAMES[rate] + " has standard error " + standardError);
      assertTrue(error < 3 * standardError,
          () -> LotkaVolterraExample.NAMES[rate] + " is " + error / standardError + " standard errors off");
    }
  }

  @Test
  void theDataSetsLoadFromTheClasspathWithTheirDocumentedShapes() {
    DataSet cancer = DataSet.breastCancer();
    assertEquals(569, cancer.size());
    assertEquals(30, cancer.features().cols());
    assertEquals(357, Arrays.stream(cancer.labels()).sum(), "benign");
    DataSet digits = DataSet.digits();
    assertEquals(1797, digits.size());
    assertEquals(64, digits.features().cols());
    assertEquals(9, Arrays.stream(digits.labels()).max().getAsInt());
    DataSet.Split split = ClassifierExamples.breastCancer();
    assertEquals(455, split.train().size());
    assertEquals(114, split.test().size());
  }

  @Test
  void standardisingUsesTheTrainingSetsStatistics() {
    DataSet.Split split = ClassifierExamples.breastCancer();
    double[][] train = split.train().features().toArray();
    for (int j = 0; j < 30; j += 7) {
      int column = j;
      double mean = Arrays.stream(train).mapToDouble(row -> row[column]).average().orElseThrow();
      double meanSquare = Arrays.stream(train).mapToDouble(row -> row[column] * row[column]).average().orElseThrow();
      assertEquals(0, mean, 1e-12);
      assertEquals(1, meanSquare, 1e-12);
    }
  }
}
