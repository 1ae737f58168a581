package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.RecordType.Component;
import dev.adjoint.runtime.optim.RecordType.Kind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where each number of a parameter value sits in one flat {@code double[]}: a {@code double} takes
 * one position, a {@code double[]} or {@link Matrix} one per entry (matrices row by row), a record
 * its differentiable components in declaration order, recursively. Components of other types
 * ({@code int}, {@code String}, ...) are data: they take no position and are carried over
 * unchanged.
 *
 * <p>A layout is made once from a first value and then {@linkplain #gather checks and copies}
 * values of the same shape into a flat array and {@linkplain #rebuild builds} new values from one,
 * allocating nothing but the new value: records are built through one method handle composed from
 * the canonical constructors and array reads, so that no {@code double} is boxed.
 */
final class ParameterLayout {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType REBUILDER_TYPE =
      MethodType.methodType(Object.class, double[].class, Object.class);
  private static final String HINT =
      " (an optimizer's state fits the first parameters it steps; call reset() or use another"
          + " optimizer for parameters of another shape)";

  private final Slot root;
  private final int size;
  // (double[] flat, Object previous) -> new value; made on the first rebuild.
  private MethodHandle rebuilder;

  private ParameterLayout(Slot root, int size) {
    this.root = root;
    this.size = size;
  }

  /** The layout of one {@code double}. */
  static ParameterLayout scalar() {
    return new ParameterLayout(new ScalarSlot("the parameter", 0), 1);
  }

  /** The layout of a {@code double[]} of {@code length} elements. */
  static ParameterLayout vector(int length) {
    return new ParameterLayout(new VectorSlot("the parameter", 0, length), length);
  }

  /**
   * The layout of a {@link Matrix} or a record.
   *
   * @throws IllegalArgumentException if the value is of another type, or a record holds a null
   *     array or matrix
   */
  static ParameterLayout of(Object value) {
    int[] next = {0};
    Slot root;
    if (value instanceof Matrix matrix) {
      root = slotFor(matrix, Kind.MATRIX, "the matrix", next);
    } else if (value instanceof Record record) {
      root = slotFor(record, Kind.RECORD, record.getClass().getSimpleName(), next);
    } else {
      throw new IllegalArgumentException(
          "expected a Matrix or a record, got " + (value == null ? "null" : value.getClass().getName()));
    }
    return new ParameterLayout(root, next[0]);
  }

  /** How many numbers the value has. */
  int size() {
    return size;
  }

  boolean isScalar() {
    return root instanceof ScalarSlot;
  }

  /** Whether this is the layout of a {@code double[]}, of any length. */
  boolean isVector() {
    return root instanceof VectorSlot;
  }

  boolean isVector(int length) {
    return root instanceof VectorSlot vector && vector.length == length;
  }

  /**
   * Copies the numbers of {@code value} into {@code into}, after checking that it has this
   * layout's shape.
   *
   * @param role what the value is, for messages: {@code "parameters"} or {@code "gradient"}
   * @throws IllegalArgumentException if the value's type or shape differs
   */
  void gather(Object value, double[] into, String role) {
    root.gather(value, into, role);
  }

  /**
   * A new value of this layout's shape with the numbers of {@code flat}; data components of records
   * come from {@code previous}, a value of the same shape.
   */
  Object rebuild(double[] flat, Object previous) {
    if (rebuilder == null) {
      rebuilder = root.rebuilder().asType(REBUILDER_TYPE);
    }
    try {
      return (Object) rebuilder.invokeExact(flat, previous);
    } catch (Throwable e) {
      throw RecordType.rethrow(e);
    }
  }

  /** Describes the shape, such as {@code Mlp(w1: 4x8 matrix, b1: 1x8 matrix, depth: data)}. */
  @Override
  public String toString() {
    return root.shape();
  }

  /** An error for a value whose shape differs from the layout's. */
  static IllegalArgumentException mismatch(String role, String path, String actual, String expected) {
    return new IllegalArgumentException(
        path + " of the " + role + " is " + actual + " where " + expected + " was expected" + HINT);
  }

  // -----------------------------------------------------------------------------------------------
  // Building

  private static Slot slotFor(Object value, Kind kind, String path, int[] next) {
    if (value == null) {
      throw new IllegalArgumentException(path + " is null");
    }
    int offset = next[0];
    Slot slot =
        switch (kind) {
          case SCALAR -> new ScalarSlot(path, offset);
          case VECTOR -> new VectorSlot(path, offset, ((double[]) value).length);
          case ROWS -> new RowsSlot(path, offset, rowLengths((double[][]) value, path));
          case MATRIX -> new MatrixSlot(path, offset, ((Matrix) value).rows(), ((Matrix) value).cols());
          case RECORD -> recordSlot(value, path, next);
          case DATA -> throw new IllegalStateException("data has no slot");
        };
    if (kind != Kind.RECORD) {
      next[0] += slot.size();
    }
    return slot;
  }

  private static RecordSlot recordSlot(Object record, String path, int[] next) {
    RecordType type = RecordType.of(record.getClass());
    List<Component> components = type.components();
    Slot[] children = new Slot[components.size()];
    for (int i = 0; i < children.length; i++) {
      Component component = components.get(i);
      if (component.kind() != Kind.DATA) {
        children[i] =
            slotFor(type.read(record, i), component.kind(), path + "." + component.name(), next);
      }
    }
    return new RecordSlot(path, type, children);
  }

  private static int[] rowLengths(double[][] rows, String path) {
    int[] lengths = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        throw new IllegalArgumentException(path + "[" + i + "] is null");
      }
      lengths[i] = rows[i].length;
    }
    return lengths;
  }

  private static MethodHandle findStatic(String name, MethodType type) {
    try {
      return LOOKUP.findStatic(ParameterLayout.class, name, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Slots: one per value in the tree of a parameter

  /** One value of the tree: a number, an array, a matrix or a record, at {@code offset}. */
  private abstract static class Slot {
    final String path;
    final int offset;

    Slot(String path, int offset) {
      this.path = path;
      this.offset = offset;
    }

    abstract int size();

    /** The shape as in messages: {@code "a double[3]"}, {@code "a 2x3 matrix"}. */
    abstract String shape();

    /** Checks {@code value}'s shape and copies its numbers to {@code into[offset...]}. */
    abstract void gather(Object value, double[] into, String role);

    /** {@code (double[] flat, Object previousParent) -> value}, of the value's exact type. */
    abstract MethodHandle rebuilder();

    /** A handle {@code (double[]) -> T} made into the rebuilder shape by ignoring the parent. */
    static MethodHandle ignoringPrevious(MethodHandle fromFlat) {
      return MethodHandles.dropArguments(fromFlat, 1, Object.class);
    }

    IllegalArgumentException nullValue(String role) {
      return new IllegalArgumentException(path + " of the " + role + " is null");
    }
  }

  private static final class ScalarSlot extends Slot {
    ScalarSlot(String path, int offset) {
      super(path, offset);
    }

    @Override
    int size() {
      return 1;
    }

    @Override
    String shape() {
      return "a double";
    }

    @Override
    void gather(Object value, double[] into, String role) {
      // A record reads its double components itself, so that they are never boxed.
      throw new UnsupportedOperationException("a scalar is gathered by its record");
    }

    @Override
    MethodHandle rebuilder() {
      MethodHandle element = MethodHandles.arrayElementGetter(double[].class);
      return ignoringPrevious(MethodHandles.insertArguments(element, 1, offset));
    }
  }

  private static final class VectorSlot extends Slot {
    private static final MethodHandle COPY_RANGE =
        findStatic("copyRange", MethodType.methodType(double[].class, double[].class, int.class, int.class));

    final int length;

    VectorSlot(String path, int offset, int length) {
      super(path, offset);
      this.length = length;
    }

    @Override
    int size() {
      return length;
    }

    @Override
    String shape() {
      return "a double[" + length + "]";
    }

    @Override
    void gather(Object value, double[] into, String role) {
      if (value == null) {
        throw nullValue(role);
      }
      double[] vector = (double[]) value;
      if (vector.length != length) {
        throw mismatch(role, path, "a double[" + vector.length + "]", shape());
      }
      System.arraycopy(vector, 0, into, offset, length);
    }

    @Override
    MethodHandle rebuilder() {
      return ignoringPrevious(MethodHandles.insertArguments(COPY_RANGE, 1, offset, length));
    }
  }

  private static double[] copyRange(double[] flat, int offset, int length) {
    return Arrays.copyOfRange(flat, offset, offset + length);
  }

  private static final class RowsSlot extends Slot {
    private static final MethodHandle COPY_ROWS =
        findStatic("copyRows", MethodType.methodType(double[][].class, double[].class, int.class, int[].class));

    final int[] rowLengths;
    final int size;

    RowsSlot(String path, int offset, int[] rowLengths) {
      super(path, offset);
      this.rowLengths = rowLengths;
      this.size = Arrays.stream(rowLengths).sum();
    }

    @Override
    int size() {
      return size;
    }

    @Override
    String shape() {
      return "a double[][] with rows of " + Arrays.toString(rowLengths);
    }

    @Override
    void gather(Object value, double[] into, String role) {
      if (value == null) {
        throw nullValue(role);
      }
      double[][] rows = (double[][]) value;
      boolean fits = rows.length == rowLengths.length;
      for (int i = 0; fits && i < rows.length; i++) {
        fits = rows[i] != null && rows[i].length == rowLengths[i];
      }
      if (!fits) {
        throw mismatch(role, path, "a double[][] of another shape", shape());
      }
      int at = offset;
      for (double[] row : rows) {
        System.arraycopy(row, 0, into, at, row.length);
        at += row.length;
      }
    }

    @Override
    MethodHandle rebuilder() {
      return ignoringPrevious(MethodHandles.insertArguments(COPY_ROWS, 1, offset, rowLengths));
    }
  }

  private static double[][] copyRows(double[] flat, int offset, int[] rowLengths) {
    double[][] rows = new double[rowLengths.length][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(flat, offset, offset + rowLengths[i]);
      offset += rowLengths[i];
    }
    return rows;
  }

  private static final class MatrixSlot extends Slot {
    final int rows;
    final int cols;
    // Matrix.of copies its rows: these are reused from step to step. Made on the first rebuild.
    private double[][] scratchRows;

    MatrixSlot(String path, int offset, int rows, int cols) {
      super(path, offset);
      this.rows = rows;
      this.cols = cols;
    }

    @Override
    int size() {
      return rows * cols;
    }

    @Override
    String shape() {
      return "a " + rows + "x" + cols + " matrix";
    }

    @Override
    void gather(Object value, double[] into, String role) {
      if (value == null) {
        throw nullValue(role);
      }
      if (!(value instanceof Matrix matrix)) {
        throw mismatch(role, path, "a " + value.getClass().getName(), shape());
      }
      if (matrix.rows() != rows || matrix.cols() != cols) {
        throw mismatch(role, path, "a " + matrix.shape() + " matrix", shape());
      }
      int at = offset;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          into[at++] = matrix.get(i, j);
        }
      }
    }

    /** The matrix whose entries are {@code flat[offset...]}, row by row. */
    Matrix fromFlat(double[] flat) {
      if (rows == 0 || cols == 0) {
        return Matrix.zeros(rows, cols); // Matrix.of would lose the other dimension
      }
      if (scratchRows == null) {
        scratchRows = new double[rows][cols];
      }
      for (int i = 0; i < rows; i++) {
        System.arraycopy(flat, offset + i * cols, scratchRows[i], 0, cols);
      }
      return Matrix.of(scratchRows);
    }

    @Override
    MethodHandle rebuilder() {
      try {
        MethodHandle fromFlat =
            LOOKUP.findVirtual(MatrixSlot.class, "fromFlat", MethodType.methodType(Matrix.class, double[].class));
        return ignoringPrevious(fromFlat.bindTo(this));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final class RecordSlot extends Slot {
    final RecordType type;
    // One per component; null for data components.
    final Slot[] children;

    RecordSlot(String path, RecordType type, Slot[] children) {
      super(path, -1);
      this.type = type;
      this.children = children;
    }

    @Override
    int size() {
      return Arrays.stream(children).filter(child -> child != null).mapToInt(Slot::size).sum();
    }

    @Override
    String shape() {
      StringJoiner shape = new StringJoiner(", ", type.simpleName() + "(", ")");
      List<Component> components = type.components();
      for (int i = 0; i < children.length; i++) {
        String child = children[i] == null ? "data" : children[i].shape();
        shape.add(components.get(i).name() + ": " + child);
      }
      return shape.toString();
    }

    @Override
    void gather(Object value, double[] into, String role) {
      if (value == null) {
        throw nullValue(role);
      }
      if (value.getClass() != type.type()) {
        throw mismatch(role, path, "a " + value.getClass().getName(), "a " + type.type().getName());
      }
      List<Component> components = type.components();
      try {
        for (int i = 0; i < children.length; i++) {
          Slot child = children[i];
          if (child instanceof ScalarSlot) {
            into[child.offset] = (double) components.get(i).getter().invokeExact(value);
          } else if (child != null) {
            child.gather((Object) components.get(i).objectGetter().invokeExact(value), into, role);
          }
        }
      } catch (Throwable e) {
        throw RecordType.rethrow(e);
      }
    }

    /**
     * The canonical constructor with each argument computed from {@code (flat, previous)}: read
     * from {@code flat} for differentiable components, taken from {@code previous} for data.
     */
    @Override
    MethodHandle rebuilder() {
      List<Component> components = type.components();
      MethodHandle build = type.constructor();
      // Replace the arguments from the last to the first, so that earlier positions stay put.
      for (int i = children.length - 1; i >= 0; i--) {
        build = MethodHandles.collectArguments(build, i, componentRebuilder(components.get(i), children[i]));
      }
      // Now (flat, previous, flat, previous, ...): feed the two arguments to every component.
      int[] reorder = new int[2 * children.length];
      for (int i = 0; i < reorder.length; i++) {
        reorder[i] = i % 2;
      }
      return MethodHandles.permuteArguments(
          build, MethodType.methodType(type.type(), double[].class, Object.class), reorder);
    }

    /** {@code (double[] flat, Object previousRecord) -> component value}. */
    private static MethodHandle componentRebuilder(Component component, Slot child) {
      if (child == null) {
        return MethodHandles.dropArguments(component.getter(), 0, double[].class);
      }
      MethodHandle fromFlat = child.rebuilder();
      if (child instanceof RecordSlot) {
        // A nested record takes its data components from the previous record's component.
        return MethodHandles.filterArguments(fromFlat, 1, component.objectGetter());
      }
      return fromFlat;
    }
  }
}
