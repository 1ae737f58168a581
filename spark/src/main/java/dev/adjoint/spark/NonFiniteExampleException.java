package dev.adjoint.spark;

/**
 * An example whose loss, weight or gradient is not finite (such as one with a NaN feature), named
 * by its partition and its index within that partition: thrown on the executor as soon as the
 * example is evaluated, instead of a NaN loss some iterations later. Spark retries the task and then
 * fails the job with this message.
 */
public final class NonFiniteExampleException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long index;

  NonFiniteExampleException(int partition, long index, double value, double weight, Object example) {
    super("example " + index + " of partition " + partition + " gives a non-finite loss or gradient (loss "
        + value + ", weight " + weight + "); check its features: " + example);
    this.partition = partition;
    this.index = index;
  }

  /** The partition of the example, or -1 outside a Spark task. */
  public int partition() {
    return partition;
  }

  /** The example's index within its partition. */
  public long index() {
    return index;
  }
}
