package dev.adjoint.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The {@code treeAggregate} accumulator of a {@link DistributedObjective}: within a task it sums
 * the weighted loss and gradient of its partition's examples in plain doubles, with one gradient
 * object and one parameter value made on the first example; combining two accumulators adds their
 * sums exactly ({@link ExactSum}), so the total does not depend on the order Spark combines them in.
 */
final class PartitionSums<E, P, G> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ExampleLoss<E, P, G> loss;
  private final ParameterCodec<P> codec;
  private final Broadcast<double[]> parameters;
  private final DistributedObjective.Weight<E> weight;

  // This task's running sums, before they are sealed into the exact ones.
  private double lossSum;
  private double weightSum;
  private double[] gradientSum;
  private long count;

  // The exact sums of sealed partitions; null until a combine. Written by writeObject: as objects,
  // a model's worth of small ExactSums would cost several times the bytes of its doubles.
  private transient ExactSum exactLoss;
  private transient ExactSum exactWeight;
  private transient ExactSum[] exactGradient;

  // Made once per task, on its first example.
  private transient P localParameters;
  private transient G into;

  PartitionSums(
      ExampleLoss<E, P, G> loss,
      ParameterCodec<P> codec,
      Broadcast<double[]> parameters,
      DistributedObjective.Weight<E> weight) {
    this.loss = loss;
    this.codec = codec;
    this.parameters = parameters;
    this.weight = weight;
  }

  /** Adds one example: the seqOp. */
  PartitionSums<E, P, G> add(E example) {
    if (into == null) {
      localParameters = codec.unflatten(parameters.value());
      into = loss.newGradient();
    }
    if (gradientSum == null) {
      gradientSum = new double[codec.size()];
    }
    double w = weight == null ? 1 : weight.of(example);
    double value = loss.evaluate(example, localParameters, into);
    boolean finite = Double.isFinite(value) && Double.isFinite(w);
    finite &= codec.addScaled(loss.partials(into), w, gradientSum);
    if (!finite) {
      TaskContext task = TaskContext.get();
      throw new NonFiniteExampleException(
          task == null ? -1 : task.partitionId(), count, value, w, example);
    }
    lossSum += w * value;
    weightSum += w;
    count++;
    return this;
  }

  /** Adds another accumulator's sums to this one's, exactly: the combOp. */
  PartitionSums<E, P, G> merge(PartitionSums<E, P, G> other) {
    seal();
    other.seal();
    if (other.exactGradient != null) {
      if (exactGradient == null) {
        exactGradient = newSums(other.exactGradient.length);
      }
      exactLoss.addAll(other.exactLoss);
      exactWeight.addAll(other.exactWeight);
      for (int i = 0; i < exactGradient.length; i++) {
        exactGradient[i].addAll(other.exactGradient[i]);
      }
    }
    count += other.count;
    return this;
  }

  /** Moves the running sums into the exact ones. */
  private void seal() {
    if (gradientSum == null) {
      return;
    }
    if (exactGradient == null) {
      exactGradient = newSums(gradientSum.length);
    }
    exactLoss.add(lossSum);
    exactWeight.add(weightSum);
    for (int i = 0; i < gradientSum.length; i++) {
      exactGradient[i].add(gradientSum[i]);
    }
    gradientSum = null;
    lossSum = 0;
    weightSum = 0;
  }

  private ExactSum[] newSums(int size) {
    exactLoss = new ExactSum();
    exactWeight = new ExactSum();
    ExactSum[] sums = new ExactSum[size];
    for (int i = 0; i < size; i++) {
      sums[i] = new ExactSum();
    }
    return sums;
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    out.writeInt(exactGradient == null ? -1 : exactGradient.length);
    if (exactGradient != null) {
      exactLoss.writeTo(out);
      exactWeight.writeTo(out);
      for (ExactSum sum : exactGradient) {
        sum.writeTo(out);
      }
    }
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    int size = in.readInt();
    if (size >= 0) {
      exactLoss = ExactSum.readFrom(in);
      exactWeight = ExactSum.readFrom(in);
      exactGradient = new ExactSum[size];
      for (int i = 0; i < size; i++) {
        exactGradient[i] = ExactSum.readFrom(in);
      }
    }
  }

  long count() {
    return count;
  }

  double loss() {
    seal();
    return exactLoss == null ? 0 : exactLoss.value();
  }

  double weightSum() {
    seal();
    return exactWeight == null ? 0 : exactWeight.value();
  }

  /** The gradient sum into {@code into}, zeros if there were no examples. */
  void gradient(double[] into) {
    seal();
    for (int i = 0; i < into.length; i++) {
      into[i] = exactGradient == null ? 0 : exactGradient[i].value();
    }
  }
}
