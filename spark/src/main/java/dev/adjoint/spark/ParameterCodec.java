package dev.adjoint.spark;

import dev.adjoint.runtime.Matrix;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Maps parameters of one kind ({@code double[]}, {@link Matrix} or a record of {@code double},
 * {@code double[]}, {@code double[][]}, {@code Matrix} and nested such records) to and from the flat
 * {@code double[]} that is broadcast to the executors and that the driver-side optimizers step.
 *
 * <p>The partials of a generated gradient have the parameters' kind and shape (the partial of a
 * record is a record of the same type), so the same codec adds an example's partials into a flat
 * gradient sum: allocation-free for {@code double[]} and {@code Matrix}; a record's components are
 * read through its accessors.
 *
 * @param <P> the parameters' type
 */
public abstract class ParameterCodec<P> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;

  private ParameterCodec(int size) {
    this.size = size;
  }

  /** Parameters as one {@code double[]} of {@code length} numbers. */
  public static ParameterCodec<double[]> vector(int length) {
    return new VectorCodec(length);
  }

  /** One {@code double} parameter (boxed: the codec's type parameter is a reference type). */
  public static ParameterCodec<Double> scalar() {
    return new DoubleCodec();
  }

  /** Parameters as one {@code rows × cols} {@link Matrix}. */
  public static ParameterCodec<Matrix> matrix(int rows, int cols) {
    return new MatrixCodec(rows, cols);
  }

  /**
   * Parameters as a record shaped like {@code template}: every {@code double}, {@code double[]},
   * {@code double[][]} and {@code Matrix} component, recursively; components of other types are data,
   * taken from {@code template} when parameters are rebuilt.
   */
  public static <R extends Record> ParameterCodec<R> record(R template) {
    return new RecordCodec<>(template);
  }

  /**
   * Parameters like {@code example}: a {@code Double}, a {@code double[]}, a {@code double[][]} (rows
   * of the example's lengths), a {@code Matrix} or a record.
   */
  @SuppressWarnings("unchecked")
  public static <P> ParameterCodec<P> like(P example) {
    Objects.requireNonNull(example, "example");
    if (example instanceof Double) {
      return (ParameterCodec<P>) scalar();
    }
    if (example instanceof double[] array) {
      return (ParameterCodec<P>) vector(array.length);
    }
    if (example instanceof double[][] rows) {
      return (ParameterCodec<P>) new RowsCodec(rows);
    }
    if (example instanceof Matrix m) {
      return (ParameterCodec<P>) matrix(m.rows(), m.cols());
    }
    if (example instanceof Record r) {
      return (ParameterCodec<P>) record(r);
    }
    throw new IllegalArgumentException(
        "parameters must be a Double, a double[], a double[][], a Matrix or a record, got a " + example.getClass().getName());
  }

  /** How many numbers the parameters hold. */
  public final int size() {
    return size;
  }

  /** The parameters as a new flat array. */
  public final double[] flatten(P parameters) {
    double[] flat = new double[size];
    write(parameters, flat, 0);
    return flat;
  }

  /** Parameters rebuilt from a flat array of {@link #size()} numbers. */
  public final P unflatten(double[] flat) {
    requireLength(flat.length, "flat parameters");
    return read(flat, 0);
  }

  /**
   * Adds {@code weight · partials} into {@code sum}.
   *
   * @return whether every added number was finite
   */
  public final boolean addScaled(P partials, double weight, double[] sum) {
    requireLength(sum.length, "gradient sum");
    return accumulate(partials, weight, sum, 0);
  }

  abstract void write(P value, double[] flat, int offset);

  abstract P read(double[] flat, int offset);

  abstract boolean accumulate(P partials, double weight, double[] sum, int offset);

  private void requireLength(int length, String role) {
    if (length != size) {
      throw new IllegalArgumentException(
          "the " + role + " have length " + length + " but the parameters hold " + size + " numbers");
    }
  }

  private static final class VectorCodec extends ParameterCodec<double[]> {
    private static final long serialVersionUID = 1L;

    VectorCodec(int length) {
      super(length);
    }

    @Override
    void write(double[] value, double[] flat, int offset) {
      requireShape(value.length, size(), "double[]");
      System.arraycopy(value, 0, flat, offset, value.length);
    }

    @Override
    double[] read(double[] flat, int offset) {
      double[] value = new double[size()];
      System.arraycopy(flat, offset, value, 0, value.length);
      return value;
    }

    @Override
    boolean accumulate(double[] partials, double weight, double[] sum, int offset) {
      requireShape(partials.length, size(), "double[]");
      boolean finite = true;
      for (int i = 0; i < partials.length; i++) {
        double term = weight * partials[i];
        finite &= Double.isFinite(term);
        sum[offset + i] += term;
      }
      return finite;
    }
  }

  private static final class MatrixCodec extends ParameterCodec<Matrix> {
    private static final long serialVersionUID = 1L;
    private final int rows;
    private final int cols;

    MatrixCodec(int rows, int cols) {
      super(rows * cols);
      this.rows = rows;
      this.cols = cols;
    }

    private void requireMatrixShape(Matrix m) {
      if (m.rows() != rows || m.cols() != cols) {
        throw new IllegalArgumentException(
            "expected a " + rows + "x" + cols + " matrix, got " + m.shape());
      }
    }

    @Override
    void write(Matrix value, double[] flat, int offset) {
      requireMatrixShape(value);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          flat[offset + i * cols + j] = value.get(i, j);
        }
      }
    }

    @Override
    Matrix read(double[] flat, int offset) {
      double[][] entries = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(flat, offset + i * cols, entries[i], 0, cols);
      }
      return Matrix.of(entries);
    }

    @Override
    boolean accumulate(Matrix partials, double weight, double[] sum, int offset) {
      requireMatrixShape(partials);
      boolean finite = true;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double term = weight * partials.get(i, j);
          finite &= Double.isFinite(term);
          sum[offset + i * cols + j] += term;
        }
      }
      return finite;
    }
  }

  private static final class DoubleCodec extends ParameterCodec<Double> {
    private static final long serialVersionUID = 1L;

    DoubleCodec() {
      super(1);
    }

    @Override
    void write(Double value, double[] flat, int offset) {
      flat[offset] = value;
    }

    @Override
    Double read(double[] flat, int offset) {
      return flat[offset];
    }

    @Override
    boolean accumulate(Double partials, double weight, double[] sum, int offset) {
      double term = weight * partials;
      sum[offset] += term;
      return Double.isFinite(term);
    }
  }

  private static final class RowsCodec extends ParameterCodec<double[][]> {
    private static final long serialVersionUID = 1L;
    private final int[] rowLengths;

    RowsCodec(double[][] template) {
      super(total(template));
      rowLengths = new int[template.length];
      for (int i = 0; i < template.length; i++) {
        rowLengths[i] = template[i].length;
      }
    }

    private static int total(double[][] rows) {
      int n = 0;
      for (double[] row : rows) {
        n += row.length;
      }
      return n;
    }

    private void requireRows(double[][] value) {
      requireShape(value.length, rowLengths.length, "double[][] (rows)");
      for (int i = 0; i < value.length; i++) {
        if (value[i].length != rowLengths[i]) {
          // The message is built only on a mismatch: the check runs for every example.
          requireShape(value[i].length, rowLengths[i], "double[][] (row " + i + ")");
        }
      }
    }

    @Override
    void write(double[][] value, double[] flat, int offset) {
      requireRows(value);
      for (double[] row : value) {
        System.arraycopy(row, 0, flat, offset, row.length);
        offset += row.length;
      }
    }

    @Override
    double[][] read(double[] flat, int offset) {
      double[][] value = new double[rowLengths.length][];
      for (int i = 0; i < value.length; i++) {
        value[i] = new double[rowLengths[i]];
        System.arraycopy(flat, offset, value[i], 0, rowLengths[i]);
        offset += rowLengths[i];
      }
      return value;
    }

    @Override
    boolean accumulate(double[][] partials, double weight, double[] sum, int offset) {
      requireRows(partials);
      boolean finite = true;
      for (double[] row : partials) {
        for (double v : row) {
          double term = weight * v;
          finite &= Double.isFinite(term);
          sum[offset++] += term;
        }
      }
      return finite;
    }
  }

  /** A record: its numeric components in declaration order, each with a codec of its own. */
  private static final class RecordCodec<R extends Record> extends ParameterCodec<R> {
    private static final long serialVersionUID = 1L;
    private final Class<R> type;
    // Per component: its codec, or null for a data component (kept from the template).
    private final List<ParameterCodec<Object>> components;
    private final Object[] dataValues;
    // The components' accessors, made accessible once per JVM (a Method is not serializable).
    private transient Method[] accessors;

    @SuppressWarnings("unchecked")
    RecordCodec(R template) {
      super(sizeOf(template));
      type = (Class<R>) template.getClass();
      components = new ArrayList<>();
      RecordComponent[] recordComponents = type.getRecordComponents();
      dataValues = new Object[recordComponents.length];
      for (int i = 0; i < recordComponents.length; i++) {
        Object value = get(recordComponents[i], template);
        ParameterCodec<Object> codec = codecFor(value, recordComponents[i].getType());
        components.add(codec);
        if (codec == null) {
          requireSerializable(value, recordComponents[i].getName());
          dataValues[i] = value;
        }
      }
    }

    private static void requireSerializable(Object value, String name) {
      if (value != null && !(value instanceof Serializable)) {
        throw new IllegalArgumentException(
            "the data component " + name + " is a " + value.getClass().getName()
                + ", which is not Serializable; the parameters are rebuilt on the executors");
      }
    }

    private static int sizeOf(Record template) {
      int n = 0;
      for (RecordComponent c : template.getClass().getRecordComponents()) {
        ParameterCodec<Object> codec = codecFor(get(c, template), c.getType());
        n += codec == null ? 0 : codec.size();
      }
      return n;
    }

    @SuppressWarnings("unchecked")
    private static ParameterCodec<Object> codecFor(Object value, Class<?> type) {
      ParameterCodec<?> codec;
      if (type == double.class) {
        codec = new DoubleCodec();
      } else if (type == double[].class) {
        codec = new VectorCodec(((double[]) Objects.requireNonNull(value, "a double[] component")).length);
      } else if (type == double[][].class) {
        codec = new RowsCodec((double[][]) Objects.requireNonNull(value, "a double[][] component"));
      } else if (type == Matrix.class) {
        Matrix m = (Matrix) Objects.requireNonNull(value, "a Matrix component");
        codec = new MatrixCodec(m.rows(), m.cols());
      } else if (type.isRecord()) {
        codec = new RecordCodec<>((Record) Objects.requireNonNull(value, "a record component"));
      } else {
        codec = null;
      }
      return (ParameterCodec<Object>) codec;
    }

    private static Object get(RecordComponent component, Object record) {
      try {
        component.getAccessor().setAccessible(true);
        return component.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalArgumentException("cannot read the component " + component.getName(), e);
      }
    }

    private Method[] accessors() {
      if (accessors == null) {
        RecordComponent[] rc = type.getRecordComponents();
        Method[] methods = new Method[rc.length];
        for (int i = 0; i < rc.length; i++) {
          methods[i] = rc[i].getAccessor();
          methods[i].setAccessible(true);
        }
        accessors = methods;
      }
      return accessors;
    }

    private static Object get(Method accessor, Object record) {
      try {
        return accessor.invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalArgumentException("cannot read the component " + accessor.getName(), e);
      }
    }

    @Override
    void write(R value, double[] flat, int offset) {
      Method[] rc = accessors();
      for (int i = 0; i < rc.length; i++) {
        ParameterCodec<Object> codec = components.get(i);
        if (codec != null) {
          codec.write(get(rc[i], value), flat, offset);
          offset += codec.size();
        }
      }
    }

    @Override
    R read(double[] flat, int offset) {
      Method[] rc = accessors();
      Object[] values = new Object[rc.length];
      Class<?>[] types = new Class<?>[rc.length];
      for (int i = 0; i < rc.length; i++) {
        types[i] = rc[i].getReturnType();
        ParameterCodec<Object> codec = components.get(i);
        if (codec == null) {
          values[i] = dataValues[i];
        } else {
          values[i] = codec.read(flat, offset);
          offset += codec.size();
        }
      }
      try {
        var constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot rebuild a " + type.getName(), e);
      }
    }

    @Override
    boolean accumulate(R partials, double weight, double[] sum, int offset) {
      if (partials.getClass() != type) {
        throw new IllegalArgumentException(
            "expected partials of type " + type.getName() + ", got " + partials.getClass().getName());
      }
      Method[] rc = accessors();
      boolean finite = true;
      for (int i = 0; i < rc.length; i++) {
        ParameterCodec<Object> codec = components.get(i);
        if (codec != null) {
          finite &= codec.accumulate(get(rc[i], partials), weight, sum, offset);
          offset += codec.size();
        }
      }
      return finite;
    }
  }

  private static void requireShape(int actual, int expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "expected a " + what + " of length " + expected + ", got length " + actual);
    }
  }
}
