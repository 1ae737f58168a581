package dev.adjoint.runtime.check;

import dev.adjoint.runtime.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named blocks of numbers: the point at which a gradient is checked, the analytic gradient at that
 * point (same names and shapes), and the arguments handed to the function under check.
 *
 * <p>A block is a scalar, a vector ({@code double[]}) or a matrix ({@code double[][]}, rows may
 * differ in length; or a {@link Matrix}, read back with {@link #matrixValue(String)}). Names let a
 * report point at one component, such as {@code w[3]} or {@code X[2][1]}.
 *
 * <pre>{@code
 * Inputs at = Inputs.of().scalar("x", 0.3).vector("w", 1, 2).matrix("X", new double[][] {{1, 2}});
 * double x = at.scalar("x");
 * }</pre>
 *
 * <p>The adding methods copy the arrays they are given; the reading methods return the stored
 * arrays without copying. The checker hands the function under check a fresh copy for every
 * evaluation, so the function may read (and even modify) those arrays freely.
 */
public final class Inputs {
  /** The shape of a block; the reading method must match it. */
  enum Kind {
    SCALAR("a scalar"),
    VECTOR("a vector"),
    MATRIX("a matrix");

    private final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** One named block; a scalar is stored as a 1×1 matrix and a vector as a 1×n matrix. */
  private record Block(Kind kind, double[][] rows) {}

  /** One number inside the blocks: the unit the checker perturbs and reports on. */
  record Coordinate(String name, Kind kind, int row, int column) {
    /** The index within the block: none for a scalar, one for a vector, two for a matrix. */
    int[] index() {
      return switch (kind) {
        case SCALAR -> new int[0];
        case VECTOR -> new int[] {column};
        case MATRIX -> new int[] {row, column};
      };
    }

    /** The block's name followed by the index, such as {@code w[3]} or {@code X[2][1]}. */
    String label() {
      StringBuilder label = new StringBuilder(name);
      for (int position : index()) {
        label.append('[').append(position).append(']');
      }
      return label.toString();
    }
  }

  private final Map<String, Block> blocks = new LinkedHashMap<>();

  private Inputs() {}

  /**
   * Starts an empty set of inputs, to be filled with {@link #scalar(String, double)}, {@link
   * #vector(String, double...)} and {@link #matrix(String, double[][])}.
   *
   * @return an empty, modifiable set of inputs
   */
  public static Inputs of() {
    return new Inputs();
  }

  /**
   * Adds a scalar block.
   *
   * @param name the block's name, unique within these inputs
   * @param value the scalar
   * @return these inputs, for chaining
   * @throws IllegalArgumentException if the name is already taken
   */
  public Inputs scalar(String name, double value) {
    return add(name, Kind.SCALAR, new double[][] {{value}});
  }

  /**
   * Adds a vector block, copying the values.
   *
   * @param name the block's name, unique within these inputs
   * @param values the vector's components
   * @return these inputs, for chaining
   * @throws IllegalArgumentException if the name is already taken
   */
  public Inputs vector(String name, double... values) {
    Objects.requireNonNull(values, "values");
    return add(name, Kind.VECTOR, new double[][] {values.clone()});
  }

  /**
   * Adds a matrix block, copying every row.
   *
   * @param name the block's name, unique within these inputs
   * @param values the matrix, one array per row
   * @return these inputs, for chaining
   * @throws IllegalArgumentException if the name is already taken
   */
  public Inputs matrix(String name, double[][] values) {
    Objects.requireNonNull(values, "values");
    return add(name, Kind.MATRIX, deepCopy(values));
  }

  /**
   * Adds a matrix block with the entries of a {@link Matrix}; it reads back with {@link
   * #matrixValue(String)} as a {@code Matrix}, or with {@link #matrix(String)} as rows.
   *
   * <pre>{@code
   * assertGradient(in -> Model.loss(in.matrixValue("W"), x),
   *     Inputs.of().matrix("W", w), Inputs.of().matrix("W", gradient.W()));
   * }</pre>
   *
   * @param name the block's name, unique within these inputs
   * @param value the matrix
   * @return these inputs, for chaining
   * @throws IllegalArgumentException if the name is already taken
   */
  public Inputs matrix(String name, Matrix value) {
    Objects.requireNonNull(value, "value");
    return add(name, Kind.MATRIX, value.toArray());
  }

  /**
   * Reads a scalar block.
   *
   * @param name the block's name
   * @return the scalar
   * @throws IllegalArgumentException if there is no such block or it is not a scalar
   */
  public double scalar(String name) {
    return block(name, Kind.SCALAR).rows[0][0];
  }

  /**
   * Reads a vector block.
   *
   * @param name the block's name
   * @return the stored array itself, not a copy
   * @throws IllegalArgumentException if there is no such block or it is not a vector
   */
  public double[] vector(String name) {
    return block(name, Kind.VECTOR).rows[0];
  }

  /**
   * Reads a matrix block.
   *
   * @param name the block's name
   * @return the stored rows themselves, not copies
   * @throws IllegalArgumentException if there is no such block or it is not a matrix
   */
  public double[][] matrix(String name) {
    return block(name, Kind.MATRIX).rows;
  }

  /**
   * Reads a matrix block as a {@link Matrix}.
   *
   * @param name the block's name
   * @return a new matrix with a copy of the block's entries (0x0 for a block with no rows)
   * @throws IllegalArgumentException if there is no such block, it is not a matrix, or its rows
   *     differ in length
   */
  public Matrix matrixValue(String name) {
    return Matrix.of(matrix(name));
  }

  /**
   * Lists the block names in the order they were added.
   *
   * @return an unmodifiable list of names
   */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(blocks.keySet()));
  }

  /** Shows every block, such as {@code {x=0.3, w=[1.0, 2.0]}}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (Map.Entry<String, Block> entry : blocks.entrySet()) {
      if (text.length() > 1) {
        text.append(", ");
      }
      text.append(entry.getKey()).append('=').append(describeValues(entry.getValue()));
    }
    return text.append('}').toString();
  }

  /** A deep copy, so that perturbing one coordinate leaves the original untouched. */
  Inputs copy() {
    Inputs copy = new Inputs();
    blocks.forEach(
        (name, block) -> copy.blocks.put(name, new Block(block.kind, deepCopy(block.rows))));
    return copy;
  }

  /** Every number of every block, block by block in insertion order, then row by row. */
  List<Coordinate> coordinates() {
    List<Coordinate> coordinates = new ArrayList<>();
    blocks.forEach(
        (name, block) -> {
          for (int row = 0; row < block.rows.length; row++) {
            for (int column = 0; column < block.rows[row].length; column++) {
              coordinates.add(new Coordinate(name, block.kind, row, column));
            }
          }
        });
    return coordinates;
  }

  double get(Coordinate coordinate) {
    return block(coordinate.name, coordinate.kind).rows[coordinate.row][coordinate.column];
  }

  void set(Coordinate coordinate, double value) {
    block(coordinate.name, coordinate.kind).rows[coordinate.row][coordinate.column] = value;
  }

  /**
   * Checks that {@code other} has exactly the blocks of these inputs, with the same kinds and
   * shapes, in any order.
   *
   * @param role what {@code other} is, for the error message
   */
  void requireSameLayout(Inputs other, String role) {
    if (!blocks.keySet().equals(other.blocks.keySet())) {
      throw new IllegalArgumentException(
          role + " has blocks " + other.blocks.keySet() + " but the point has " + blocks.keySet());
    }
    blocks.forEach(
        (name, block) -> {
          Block counterpart = other.blocks.get(name);
          if (counterpart.kind != block.kind || !sameShape(block.rows, counterpart.rows)) {
            throw new IllegalArgumentException(
                role
                    + ": block '"
                    + name
                    + "' is "
                    + describeShape(counterpart)
                    + " but at the point it is "
                    + describeShape(block));
          }
        });
  }

  private Inputs add(String name, Kind kind, double[][] rows) {
    Objects.requireNonNull(name, "name");
    if (blocks.containsKey(name)) {
      throw new IllegalArgumentException("an input named '" + name + "' was already added");
    }
    blocks.put(name, new Block(kind, rows));
    return this;
  }

  private Block block(String name, Kind expected) {
    Block block = blocks.get(name);
    if (block == null) {
      throw new IllegalArgumentException(
          "no input named '" + name + "'; the inputs are " + blocks.keySet());
    }
    if (block.kind != expected) {
      throw new IllegalArgumentException(
          "input '" + name + "' is " + block.kind.description + ", not " + expected.description);
    }
    return block;
  }

  private static boolean sameShape(double[][] left, double[][] right) {
    if (left.length != right.length) {
      return false;
    }
    for (int row = 0; row < left.length; row++) {
      if (left[row].length != right[row].length) {
        return false;
      }
    }
    return true;
  }

  private static String describeShape(Block block) {
    return switch (block.kind) {
      case SCALAR -> "a scalar";
      case VECTOR -> "a vector of length " + block.rows[0].length;
      case MATRIX ->
          "a matrix with row lengths "
              + Arrays.toString(Arrays.stream(block.rows).mapToInt(row -> row.length).toArray());
    };
  }

  private static String describeValues(Block block) {
    return switch (block.kind) {
      case SCALAR -> Double.toString(block.rows[0][0]);
      case VECTOR -> Arrays.toString(block.rows[0]);
      case MATRIX -> Arrays.deepToString(block.rows);
    };
  }

  private static double[][] deepCopy(double[][] rows) {
    double[][] copy = new double[rows.length][];
    for (int row = 0; row < rows.length; row++) {
      copy[row] = Objects.requireNonNull(rows[row], "row " + row).clone();
    }
    return copy;
  }
}
