package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.spark.Losses.Softmax;
import dev.adjoint.spark.LossesGrad.SoftmaxLossGradient;
import dev.adjoint.spark.TestData.Digit;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A softmax classifier with Matrix parameters on the digits, trained with Adam on Spark and in process. */
class DistributedSoftmaxTest {
  private static final int STEPS = 15;

  private static SparkSession spark;
  private static List<Digit> digits;
  private static JavaRDD<Digit> rdd;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("adjoint-spark-softmax-test")
        .config("spark.ui.enabled", "false").getOrCreate();
    digits = TestData.digits();
    rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(digits, 4).cache();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static Softmax start() {
    return new Softmax(Matrix.randomNormal(64, 10, 0.01, 7), Matrix.zeros(1, 10));
  }

  static DistributedObjective<Digit, Softmax> objective() {
    return DistributedObjective.over(rdd, ParameterCodec.like(start()), ExampleLoss.of(
        SoftmaxLossGradient::new, (d, p, into) -> LossesGrad.softmaxLoss(p, d.x(), d.label(), into),
        SoftmaxLossGradient::p));
  }

  @Test
  void adamOnSparkFollowsAdamInProcessStepForStep() {
    Fit<Softmax> distributed = MiniBatch.of(new Adam(0.05), 1, 0).iterations(STEPS).progress(Progress.silent())
        .minimize(objective(), start());

    // In process: all rows as one matrix, the generated gradient of the batch loss.
    Matrix x = Matrix.of(digits.stream().map(Digit::x).toArray(double[][]::new));
    int[] labels = digits.stream().mapToInt(d -> d.label()[0]).toArray();
    Adam adam = new Adam(0.05);
    Softmax local = start();
    for (int step = 0; step < STEPS; step++) {
      local = adam.step(local, LossesGrad.softmaxLossAll(local, x, labels).p());
    }
    double localLoss = Losses.softmaxLossAll(local, x, labels);
    double distributedLoss = Losses.softmaxLossAll(distributed.parameters(), x, labels);
    assertTrue(localLoss < 0.6, "in-process loss " + localLoss);
    assertEquals(localLoss, distributedLoss, 1e-10);
    assertArrayEquals(flat(local), flat(distributed.parameters()), 1e-9);
  }

  @Test
  void miniBatchesAreSparkSamplesReproducibleBySeed() {
    MiniBatch training = MiniBatch.of(new Adam(0.05), 0.25, 42).iterations(5).progress(Progress.silent());
    Fit<Softmax> first = training.minimize(objective(), start());
    Fit<Softmax> second = training.minimize(objective(), start());
    assertArrayEquals(flat(first.parameters()), flat(second.parameters()), 0);
    Fit<Softmax> otherSeed = MiniBatch.of(new Adam(0.05), 0.25, 43).iterations(5).progress(Progress.silent())
        .minimize(objective(), start());
    assertTrue(!java.util.Arrays.equals(flat(first.parameters()), flat(otherSeed.parameters())));
    Matrix x = Matrix.of(digits.stream().map(Digit::x).toArray(double[][]::new));
    int[] labels = digits.stream().mapToInt(d -> d.label()[0]).toArray();
    assertTrue(Losses.softmaxLossAll(first.parameters(), x, labels) < Losses.softmaxLossAll(start(), x, labels) - 0.3);
  }

  private static double[] flat(Softmax p) {
    return ParameterCodec.like(p).flatten(p);
  }
}
