package dev.adjoint.spark;

import dev.adjoint.runtime.optim.ValueAndGradient;
import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;

/**
 * A loss summed over an RDD of examples, with its gradient, from a generated gradient: the way
 * Spark MLlib evaluates its own objectives. Each evaluation broadcasts the parameters (one flat
 * {@code double[]}) once; each task sums its partition's weighted losses and gradients with one
 * gradient object, allocating nothing per example for {@code double[]} and {@code Matrix}
 * parameters; {@code treeAggregate} combines the partition sums at a configurable depth, exactly
 * (the result has the same bits whatever the order tasks finish in, retries included).
 *
 * <pre>{@code
 * DistributedObjective<Sample, Coefficients> objective = DistributedObjective
 *     .over(samples.cache(), ParameterCodec.like(start), ExampleLoss.of(
 *         LogLossGradient::new,
 *         (s, c, into) -> LossesGrad.logLoss(c, s.x(), s.y(), into),
 *         LogLossGradient::c))
 *     .treeDepth(2);
 * DistributedObjective.Evaluation e = objective.evaluate(ParameterCodec.like(start).flatten(start));
 * }</pre>
 *
 * <p>As a {@link ValueAndGradient} it is the weighted mean (the default) or the weighted sum, so the
 * runtime's in-process optimizers can drive it too. Immutable: the settings return new objectives.
 *
 * @param <E> the example type
 * @param <P> the parameters' type
 */
public final class DistributedObjective<E, P> implements ValueAndGradient {

  /** The weight of an example; examples weigh 1 unless a weight is given. */
  @FunctionalInterface
  public interface Weight<E> extends Serializable {
    double of(E example);
  }

  /**
   * One evaluation's totals.
   *
   * @param value the weighted mean (or sum) of the examples' losses
   * @param gradient its gradient, flat in the codec's order
   * @param count the number of examples
   * @param weightSum the sum of their weights (the count when unweighted)
   */
  public record Evaluation(double value, double[] gradient, long count, double weightSum) {}

  private final JavaRDD<E> examples;
  private final ParameterCodec<P> codec;
  private final ExampleLoss<E, P, ?> loss;
  private final Weight<E> weight;
  private final int treeDepth;
  private final boolean mean;

  private DistributedObjective(
      JavaRDD<E> examples,
      ParameterCodec<P> codec,
      ExampleLoss<E, P, ?> loss,
      Weight<E> weight,
      int treeDepth,
      boolean mean) {
    this.examples = Objects.requireNonNull(examples, "examples");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.loss = Objects.requireNonNull(loss, "loss");
    this.weight = weight;
    if (treeDepth < 1) {
      throw new IllegalArgumentException("the tree depth must be at least 1, got " + treeDepth);
    }
    this.treeDepth = treeDepth;
    this.mean = mean;
  }

  /**
   * The mean loss over {@code examples} (cache them: every evaluation is one pass), combined at
   * depth 2 as MLlib does.
   */
  public static <E, P> DistributedObjective<E, P> over(
      JavaRDD<E> examples, ParameterCodec<P> codec, ExampleLoss<E, P, ?> loss) {
    return new DistributedObjective<>(examples, codec, loss, null, 2, true);
  }

  /** The mean loss over the rows of a typed {@code Dataset} (as its {@code javaRDD()}). */
  public static <E, P> DistributedObjective<E, P> over(
      Dataset<E> examples, ParameterCodec<P> codec, ExampleLoss<E, P, ?> loss) {
    return over(examples.javaRDD(), codec, loss);
  }

  /** The same objective with weighted examples. */
  public DistributedObjective<E, P> weighted(Weight<E> weight) {
    return new DistributedObjective<>(examples, codec, loss, Objects.requireNonNull(weight, "weight"), treeDepth, mean);
  }

  /** The same objective combined by a {@code treeAggregate} of this depth (1: straight to the driver). */
  public DistributedObjective<E, P> treeDepth(int depth) {
    return new DistributedObjective<>(examples, codec, loss, weight, depth, mean);
  }

  /** The weighted sum of the losses instead of their weighted mean. */
  public DistributedObjective<E, P> summed() {
    return new DistributedObjective<>(examples, codec, loss, weight, treeDepth, false);
  }

  /**
   * The same objective over a Bernoulli sample of the examples (Spark's {@code sample} without
   * replacement): a mini-batch of about {@code fraction} of them.
   */
  public DistributedObjective<E, P> sample(double fraction, long seed) {
    return new DistributedObjective<>(examples.sample(false, fraction, seed), codec, loss, weight, treeDepth, mean);
  }

  /** The parameters' codec. */
  public ParameterCodec<P> codec() {
    return codec;
  }

  /** The examples. */
  public JavaRDD<E> examples() {
    return examples;
  }

  /**
   * One pass over the examples at {@code parameters}.
   *
   * @param parameters flat, in the codec's order; not modified
   * @throws org.apache.spark.SparkException wrapping a {@link NonFiniteExampleException} naming the
   *     first example whose loss or gradient is not finite
   */
  public Evaluation evaluate(double[] parameters) {
    if (parameters.length != codec.size()) {
      throw new IllegalArgumentException(
          "the parameters have length " + parameters.length + " but the codec holds " + codec.size());
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(examples.context());
    Broadcast<double[]> broadcast = context.broadcast(parameters.clone());
    try {
      PartitionSums<E, P, ?> total = aggregate(broadcast, loss);
      double weightSum = total.weightSum();
      double[] gradient = new double[codec.size()];
      total.gradient(gradient);
      double value = total.loss();
      if (mean) {
        if (!(weightSum > 0)) {
          throw new IllegalStateException(
              "the mean loss needs a positive total weight, got " + weightSum + " over " + total.count() + " examples");
        }
        value /= weightSum;
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] /= weightSum;
        }
      }
      return new Evaluation(value, gradient, total.count(), weightSum);
    } finally {
      broadcast.destroy();
    }
  }

  private <G> PartitionSums<E, P, G> aggregate(Broadcast<double[]> broadcast, ExampleLoss<E, P, G> typedLoss) {
    PartitionSums<E, P, G> zero = new PartitionSums<>(typedLoss, codec, broadcast, weight);
    return examples.treeAggregate(zero, PartitionSums::add, PartitionSums::merge, treeDepth);
  }

  @Override
  public double evaluate(double[] point, double[] gradient) {
    Evaluation e = evaluate(point);
    System.arraycopy(e.gradient(), 0, gradient, 0, gradient.length);
    return e.value();
  }
}
