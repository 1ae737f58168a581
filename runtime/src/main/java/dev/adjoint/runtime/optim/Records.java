package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.RecordType.Component;
import dev.adjoint.runtime.optim.RecordType.Kind;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;

/**
 * Arithmetic on records of parameters, such as the gradient partials of a record parameter:
 * records whose components are {@code double}, {@code double[]}, {@code double[][]}, {@link
 * Matrix} or nested such records. Other components ({@code int}, {@code String}, ...) are data:
 * results take them from the first argument.
 *
 * <pre>{@code
 * Mlp sum = Records.zero(params);
 * for (Batch batch : batches) {
 *   sum = Records.add(sum, ModelsGrad.loss(params, batch.x(), batch.labels()).params());
 * }
 * Mlp mean = Records.scale(sum, 1.0 / batches.size());
 * }</pre>
 *
 * <p>Every result is a new record with new arrays and matrices; the arguments are left unchanged.
 * Records are read through their accessors and built through their canonical constructors, found
 * once per record class by reflection.
 */
public final class Records {
  private Records() {}

  /**
   * The component-wise sum.
   *
   * @param <R> the record type
   * @param a a record
   * @param b a record of the same type and shapes
   * @return {@code a + b}, with the data components of {@code a}
   * @throws IllegalArgumentException if the types or shapes differ, or a component is null
   */
  public static <R extends Record> R add(R a, R b) {
    return combine(a, b, Double::sum);
  }

  /**
   * Every number multiplied by {@code factor}.
   *
   * @param <R> the record type
   * @param record a record
   * @param factor the factor
   * @return {@code factor · record}, with the data components of {@code record}
   * @throws IllegalArgumentException if a component is null
   */
  public static <R extends Record> R scale(R record, double factor) {
    return combine(record, record, (x, unused) -> factor * x);
  }

  /**
   * A record of the same type and shapes with every number zero, such as the start of a sum.
   *
   * @param <R> the record type
   * @param record a record
   * @return zeros shaped like {@code record}, with its data components
   * @throws IllegalArgumentException if a component is null
   */
  public static <R extends Record> R zero(R record) {
    return combine(record, record, (x, y) -> 0.0);
  }

  /**
   * The sum of the squares of all numbers: the squared Euclidean norm, as of a gradient.
   *
   * @param record a record
   * @return the sum of squares
   * @throws IllegalArgumentException if a component is null
   */
  public static double squaredNorm(Record record) {
    double sum = 0;
    for (double value : toArray(record)) {
      sum += value * value;
    }
    return sum;
  }

  /**
   * The numbers of a record in one array, in the order the optimizers use: components in
   * declaration order, arrays and matrices row by row, nested records in place.
   *
   * @param record a record
   * @return a new array
   * @throws IllegalArgumentException if a component is null
   */
  public static double[] toArray(Record record) {
    ParameterLayout layout = ParameterLayout.of(Objects.requireNonNull(record, "record"));
    double[] values = new double[layout.size()];
    layout.gather(record, values, "record");
    return values;
  }

  /**
   * A record shaped like {@code template} with the given numbers, the inverse of {@link
   * #toArray(Record)}: for gradient checks and optimizers that work on flat vectors.
   *
   * @param <R> the record type
   * @param template a record of the wanted type and shapes, giving the data components
   * @param values the numbers, as many as {@code template} has
   * @return a new record
   * @throws IllegalArgumentException if the number of values differs
   */
  public static <R extends Record> R fromArray(R template, double[] values) {
    ParameterLayout layout = ParameterLayout.of(Objects.requireNonNull(template, "template"));
    if (values.length != layout.size()) {
      throw new IllegalArgumentException(
          layout + " has " + layout.size() + " numbers but " + values.length + " were given");
    }
    @SuppressWarnings("unchecked") // a layout rebuilds a value of the class it was made from
    R record = (R) layout.rebuild(values, template);
    return record;
  }

  @SuppressWarnings("unchecked") // combine keeps the record's class
  private static <R extends Record> R combine(R a, R b, DoubleBinaryOperator operator) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return (R) combine(a, b, Kind.RECORD, a.getClass().getSimpleName(), operator);
  }

  /** {@code operator} applied number by number to two values of one kind and shape. */
  private static Object combine(Object a, Object b, Kind kind, String path, DoubleBinaryOperator operator) {
    if (kind == Kind.DATA) {
      return a;
    }
    if (a == null || b == null) {
      throw new IllegalArgumentException(path + " is null");
    }
    return switch (kind) {
      case SCALAR -> operator.applyAsDouble((Double) a, (Double) b);
      case VECTOR -> combineVectors((double[]) a, (double[]) b, path, operator);
      case ROWS -> combineRows((double[][]) a, (double[][]) b, path, operator);
      case MATRIX -> combineMatrices((Matrix) a, (Matrix) b, path, operator);
      case RECORD -> combineRecords(a, b, path, operator);
      case DATA -> throw new IllegalStateException("data is carried over above");
    };
  }

  private static double[] combineVectors(double[] a, double[] b, String path, DoubleBinaryOperator operator) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          path + " has lengths " + a.length + " and " + b.length + " in the two records");
    }
    double[] result = new double[a.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = operator.applyAsDouble(a[i], b[i]);
    }
    return result;
  }

  private static double[][] combineRows(double[][] a, double[][] b, String path, DoubleBinaryOperator operator) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          path + " has " + a.length + " and " + b.length + " rows in the two records");
    }
    double[][] result = new double[a.length][];
    for (int i = 0; i < result.length; i++) {
      result[i] = combineVectors(a[i], b[i], path + "[" + i + "]", operator);
    }
    return result;
  }

  private static Matrix combineMatrices(Matrix a, Matrix b, String path, DoubleBinaryOperator operator) {
    if (!a.sameShape(b)) {
      throw new IllegalArgumentException(
          path + " is " + a.shape() + " and " + b.shape() + " in the two records");
    }
    if (a.rows() == 0 || a.cols() == 0) {
      return a; // nothing to combine, and Matrix.of would lose the other dimension
    }
    return Matrix.of(combineRows(a.toArray(), b.toArray(), path, operator));
  }

  private static Object combineRecords(Object a, Object b, String path, DoubleBinaryOperator operator) {
    if (a.getClass() != b.getClass()) {
      throw new IllegalArgumentException(
          path + " is a " + a.getClass().getName() + " and a " + b.getClass().getName());
    }
    RecordType type = RecordType.of(a.getClass());
    List<Component> components = type.components();
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      Component component = components.get(i);
      values[i] =
          combine(
              type.read(a, i),
              type.read(b, i),
              component.kind(),
              path + "." + component.name(),
              operator);
    }
    return type.construct(values);
  }
}
