package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.optim.Newton;
import dev.adjoint.runtime.optim.ValueAndGradient;
import dev.adjoint.spark.Losses.Coefficients;
import dev.adjoint.spark.LossesGrad.LogLossGradient;
import dev.adjoint.spark.TestData.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logistic regression on the breast-cancer data in 4 partitions: against Spark MLlib's own
 * LogisticRegression, against Newton's method in process with the generated Hessian, under an
 * injected task failure, and with a NaN feature.
 */
class DistributedLogisticTest {
  private static final double LAMBDA = 0.01;
  private static final int PARTITIONS = 4;
  // Counts the injected failures; local mode runs tasks in this JVM.
  static final AtomicInteger FAILURES = new AtomicInteger();

  private static SparkSession spark;
  private static JavaSparkContext context;
  private static List<Sample> samples;
  private static JavaRDD<Sample> rdd;

  @BeforeAll
  static void startSpark() {
    // local[2, 2]: two threads, and a failed task is tried once more.
    spark = SparkSession.builder().master("local[2,2]").appName("adjoint-spark-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    samples = TestData.breastCancer();
    rdd = context.parallelize(samples, PARTITIONS).cache();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static ExampleLoss<Sample, Coefficients, LogLossGradient> logLoss() {
    return ExampleLoss.of(LogLossGradient::new, (s, c, into) -> LossesGrad.logLoss(c, s.x(), s.y(), into),
        LogLossGradient::c);
  }

  /** lambda/2·|w|² on the flat (w..., b), the intercept not penalised (as MLlib). */
  static ValueAndGradient l2(int weights) {
    return (theta, gradient) -> {
      double value = 0;
      for (int j = 0; j < weights; j++) {
        value += LAMBDA / 2 * theta[j] * theta[j];
        gradient[j] = LAMBDA * theta[j];
      }
      return value;
    };
  }

  static Coefficients start() {
    return new Coefficients(new double[samples.get(0).x().length], 0);
  }

  static Fit<Coefficients> fit(JavaRDD<Sample> data, int maxIterations) {
    DistributedObjective<Sample, Coefficients> objective =
        DistributedObjective.over(data, ParameterCodec.like(start()), logLoss());
    return Lbfgs.withDefaults().maxIterations(maxIterations).regularizer(l2(start().w().length))
        .progress(Progress.silent())
        .minimize(objective, start());
  }

  @Test
  void matchesSparkMllibAndNewtonInProcess() {
    long before = System.nanoTime();
    Fit<Coefficients> fit = fit(rdd, 100);
    System.out.printf("L-BFGS on Spark: %d iterations, %d passes, %d ms%n", fit.iterations(), fit.evaluations(),
        (System.nanoTime() - before) / 1_000_000);
    assertTrue(fit.converged(), fit.toString());

    List<LabeledPoint> points = new ArrayList<>();
    for (Sample s : samples) {
      points.add(new LabeledPoint(s.y(), Vectors.dense(s.x())));
    }
    Dataset<Row> frame = spark.createDataFrame(context.parallelize(points, PARTITIONS), LabeledPoint.class);
    before = System.nanoTime();
    LogisticRegressionModel mllib = new LogisticRegression().setRegParam(LAMBDA).setElasticNetParam(0)
        .setStandardization(false).setFitIntercept(true).setMaxIter(1000).setTol(1e-14).fit(frame);
    System.out.printf("MLlib: %d iterations, %d ms%n", mllib.summary().totalIterations(), (System.nanoTime() - before) / 1_000_000);
    double[] mllibW = mllib.coefficients().toArray();
    assertArrayEquals(mllibW, fit.parameters().w(), 1e-6);
    assertEquals(mllib.intercept(), fit.parameters().b(), 1e-6);

    double[][] x = samples.stream().map(Sample::x).toArray(double[][]::new);
    double[] y = samples.stream().mapToDouble(Sample::y).toArray();
    Newton.Result newton = Newton.withDefaults().minimize(new Newton.Objective() {
      public double value(double[] theta) {
        return Losses.penalizedLogLoss(theta, x, y, LAMBDA);
      }

      public double[] gradient(double[] theta) {
        return LossesGrad.penalizedLogLoss(theta, x, y, LAMBDA).theta();
      }

      public double[][] hessian(double[] theta) {
        return LossesGrad.penalizedLogLossHessian(theta, x, y, LAMBDA);
      }
    }, new double[x[0].length + 1]);
    assertTrue(newton.converged(), newton.toString());
    int d = x[0].length;
    assertArrayEquals(Arrays.copyOf(newton.point(), d), fit.parameters().w(), 1e-7);
    assertEquals(newton.point()[d], fit.parameters().b(), 1e-7);
    assertEquals(newton.value(), fit.value(), 1e-12);
  }

  @Test
  void objectiveIsTheMeanLossAndItsGradientAtAnyPoint() {
    // A point away from the optimum, against the in-process generated gradient (lambda 0) and finite differences.
    int d = samples.get(0).x().length;
    double[] theta = new double[d + 1];
    for (int j = 0; j <= d; j++) {
      theta[j] = 0.1 * Math.sin(j + 1);
    }
    DistributedObjective<Sample, Coefficients> objective =
        DistributedObjective.over(rdd, ParameterCodec.like(start()), logLoss()).treeDepth(3);
    DistributedObjective.Evaluation e = objective.evaluate(theta);
    double[][] x = samples.stream().map(Sample::x).toArray(double[][]::new);
    double[] y = samples.stream().mapToDouble(Sample::y).toArray();
    assertEquals(samples.size(), e.count());
    assertEquals(samples.size(), e.weightSum());
    assertEquals(Losses.penalizedLogLoss(theta, x, y, 0), e.value(), 1e-13);
    assertArrayEquals(LossesGrad.penalizedLogLoss(theta, x, y, 0).theta(), e.gradient(), 1e-13);
    double h = 1e-6;
    for (int j = 0; j <= d; j += 7) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[j] += h;
      minus[j] -= h;
      double difference = (Losses.penalizedLogLoss(plus, x, y, 0) - Losses.penalizedLogLoss(minus, x, y, 0)) / (2 * h);
      assertEquals(difference, e.gradient()[j], 1e-7);
    }
    // Weighted: each example's weight 2 leaves the mean, doubles the sum.
    DistributedObjective.Evaluation weighted = objective.weighted(s -> 2).summed().evaluate(theta);
    assertEquals(2 * samples.size(), weighted.weightSum());
    assertEquals(2 * samples.size() * e.value(), weighted.value(), 1e-9);
  }

  @Test
  void aTaskThatFailsOnItsFirstAttemptIsRetriedAndTheFitIsIdentical() {
    // Five iterations: every pass of each fit has its task of partition 1 fail once.
    Fit<Coefficients> plain = fit(rdd, 5);
    FAILURES.set(0);
    JavaRDD<Sample> flaky = rdd.map(s -> {
      TaskContext task = TaskContext.get();
      if (task.partitionId() == 1 && task.attemptNumber() == 0) {
        FAILURES.incrementAndGet();
        throw new IllegalStateException("injected failure of the first attempt");
      }
      return s;
    });
    Fit<Coefficients> retried = fit(flaky, 5);
    assertTrue(FAILURES.get() >= plain.evaluations(), "failures injected: " + FAILURES.get());
    assertArrayEquals(plain.parameters().w(), retried.parameters().w(), 0);
    assertEquals(plain.parameters().b(), retried.parameters().b(), 0);
    assertEquals(plain.value(), retried.value(), 0);
  }

  @Test
  void aNanFeatureIsReportedWithItsPartitionAndIndex() {
    List<Sample> bad = new ArrayList<>(samples);
    // parallelize gives partition 2 of 4 the samples from 2 * 569 / 4 = 284 on.
    int global = 284 + 17;
    double[] x = bad.get(global).x().clone();
    x[5] = Double.NaN;
    bad.set(global, new Sample(x, bad.get(global).y()));
    DistributedObjective<Sample, Coefficients> objective =
        DistributedObjective.over(context.parallelize(bad, PARTITIONS), ParameterCodec.like(start()), logLoss());
    SparkException e = assertThrows(SparkException.class, () -> objective.evaluate(new double[31]));
    assertTrue(e.getMessage().contains("example 17 of partition 2 gives a non-finite loss or gradient"), e.getMessage());
  }
}
