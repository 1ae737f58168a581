package dev.adjoint.spark;

import dev.adjoint.spark.Losses.Coefficients;
import dev.adjoint.spark.LossesGrad.LogLossGradient;
import dev.adjoint.spark.TestData.Sample;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of one full pass (value and gradient of the logistic loss, 30 features) over a synthetic
 * data set generated inside each partition and never collected: at {@code local[1]} and {@code
 * local[2]}, against the same loop in process, and Spark's fixed cost per pass on a tiny data set.
 * Prints, asserts nothing. Arguments: examples per partition (default 500000), partitions (4), passes (3).
 *
 * <pre>mvn -B -o -q -pl spark -am test-compile exec:exec</pre>
 */
public final class ThroughputBenchmark {
  private static final int FEATURES = 30;

  private ThroughputBenchmark() {}

  public static void main(String[] args) {
    int perPartition = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    long examples = (long) perPartition * partitions;
    double[] theta = new double[FEATURES + 1];
    for (int j = 0; j < theta.length; j++) {
      theta[j] = 0.05 * Math.cos(j);
    }
    System.out.printf("%d examples (%d partitions x %d), %d features; best of %d passes; %d cores%n",
        examples, partitions, perPartition, FEATURES, passes, Runtime.getRuntime().availableProcessors());

    double inProcess = inProcessPass(perPartition, partitions, theta, passes);
    System.out.printf("in process, one thread: %8.0f ms per pass, %6.2f M examples/s%n", inProcess, examples / inProcess / 1e3);
    for (String master : new String[] {"local[1]", "local[2]"}) {
      SparkSession spark = SparkSession.builder().master(master).appName("adjoint-throughput")
          .config("spark.ui.enabled", "false").getOrCreate();
      try {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Sample> data = generated(context, perPartition, partitions);
        DistributedObjective<Sample, Coefficients> objective = objective(data);
        double generateOnly = best(passes, () -> data.count());
        double pass = best(passes, () -> objective.evaluate(theta));
        DistributedObjective<Sample, Coefficients> tiny = objective(context.parallelize(TestData.breastCancer(), partitions).cache());
        double tinyPass = best(5 * passes, () -> tiny.evaluate(theta));
        System.out.printf("%s: %8.0f ms per pass (generating alone %6.0f ms), %6.2f M examples/s;"
                + " a pass over 569 cached examples %5.1f ms%n",
            master, pass, generateOnly, examples / pass / 1e3, tinyPass);
      } finally {
        spark.stop();
      }
    }
  }

  static DistributedObjective<Sample, Coefficients> objective(JavaRDD<Sample> data) {
    return DistributedObjective.over(data, ParameterCodec.like(new Coefficients(new double[FEATURES], 0)),
        ExampleLoss.of(LogLossGradient::new, (s, c, into) -> LossesGrad.logLoss(c, s.x(), s.y(), into),
            LogLossGradient::c));
  }

  /** Examples made inside each partition from its own seed: nothing crosses from the driver but the seeds. */
  static JavaRDD<Sample> generated(JavaSparkContext context, int perPartition, int partitions) {
    List<Integer> seeds = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      seeds.add(p);
    }
    return context.parallelize(seeds, partitions).flatMap(seed -> examples(seed, perPartition));
  }

  static Iterator<Sample> examples(int seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    return new Iterator<>() {
      int made;

      @Override
      public boolean hasNext() {
        return made < count;
      }

      @Override
      public Sample next() {
        made++;
        double[] x = new double[FEATURES];
        double z = 0.3;
        for (int j = 0; j < FEATURES; j++) {
          x[j] = random.nextGaussian();
          z += x[j] * (j % 3 - 1) * 0.5;
        }
        return new Sample(x, random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
      }
    };
  }

  /** The same generation and per-example loop without Spark, one thread. */
  static double inProcessPass(int perPartition, int partitions, double[] theta, int passes) {
    Coefficients c = ParameterCodec.like(new Coefficients(new double[FEATURES], 0)).unflatten(theta);
    ParameterCodec<Coefficients> codec = ParameterCodec.like(c);
    return best(passes, () -> {
      LogLossGradient into = new LogLossGradient();
      double[] gradient = new double[theta.length];
      double loss = 0;
      for (int p = 0; p < partitions; p++) {
        Iterator<Sample> it = examples(p, perPartition);
        while (it.hasNext()) {
          Sample s = it.next();
          loss += LossesGrad.logLoss(c, s.x(), s.y(), into);
          codec.addScaled(into.c(), 1, gradient);
        }
      }
      return loss;
    });
  }

  static double best(int repeats, java.util.function.Supplier<Object> run) {
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeats; r++) {
      long before = System.nanoTime();
      run.get();
      best = Math.min(best, (System.nanoTime() - before) / 1e6);
    }
    return best;
  }
}
