package dev.adjoint.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * Helpers that generated gradient code calls: adjoint arrays shaped like their primal arrays,
 * reused when the shape already fits so that repeated calls allocate nothing, and {@link Matrix}
 * adjoints, which stay {@code null} until something is added to them.
 */
public final class Adjoints {
  private Adjoints() {}

  /** {@code reuse} filled with zeros when it has {@code shape}'s length, else a new zero array. */
  public static double[] zeroedLike(double[] shape, double[] reuse) {
    if (reuse != null && reuse.length == shape.length) {
      Arrays.fill(reuse, 0.0);
      return reuse;
    }
    return new double[shape.length];
  }

  /** {@code reuse} filled with zeros when its rows have {@code shape}'s lengths, else new zero rows. */
  public static double[][] zeroedLike(double[][] shape, double[][] reuse) {
    double[][] result = reuse != null && reuse.length == shape.length ? reuse : new double[shape.length][];
    for (int i = 0; i < shape.length; i++) {
      result[i] = zeroedLike(shape[i], result[i]);
    }
    return result;
  }

  /** Adds {@code source} into {@code target}, element by element. */
  public static void addInto(double[] target, double[] source) {
    if (target.length != source.length) {
      throw new IllegalArgumentException(
          "addInto: target has length " + target.length + " but source has length " + source.length);
    }
    for (int i = 0; i < target.length; i++) {
      target[i] += source[i];
    }
  }

  /** Adds {@code source} into {@code target}, element by element. */
  public static void addInto(double[][] target, double[][] source) {
    if (target.length != source.length) {
      throw new IllegalArgumentException(
          "addInto: target has " + target.length + " rows but source has " + source.length);
    }
    for (int i = 0; i < target.length; i++) {
      addInto(target[i], source[i]);
    }
  }

  /**
   * {@code a + b} element by element, in a new array: the tangent of an array-valued function of
   * several differentiated arguments, summed over their tangent rules (whose results may be
   * arrays the caller still holds, so neither is written).
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double[] sum(double[] a, double[] b) {
    double[] result = a.clone();
    addInto(result, b);
    return result;
  }

  /**
   * {@code a + b} element by element, in a new array of new rows (see {@link #sum(double[], double[])}).
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static double[][] sum(double[][] a, double[][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("sum: " + a.length + " rows and " + b.length + " rows");
    }
    double[][] result = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      result[i] = sum(a[i], b[i]);
    }
    return result;
  }

  /**
   * Adds a contribution to a {@link Matrix} adjoint that may not exist yet: generated code keeps
   * a Matrix adjoint {@code null} until the first contribution, so that unused adjoints cost
   * nothing.
   *
   * @param accumulated the adjoint so far, or {@code null} for none
   * @param contribution the contribution to add
   * @return {@code contribution} itself when {@code accumulated} is null, else a new matrix with
   *     the sum
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Matrix add(Matrix accumulated, Matrix contribution) {
    Objects.requireNonNull(contribution, "contribution");
    if (accumulated == null) {
      return contribution;
    }
    if (!accumulated.sameShape(contribution)) {
      throw new IllegalArgumentException(
          "add: an adjoint of "
              + accumulated.shape()
              + " cannot take a contribution of "
              + contribution.shape());
    }
    return accumulated.plus(contribution);
  }

  /**
   * A {@link Matrix} adjoint that may never have received a contribution, as the gradient of the
   * parameter it belongs to.
   *
   * @param adjoint the adjoint, or {@code null} for none
   * @param shape the parameter the adjoint belongs to
   * @return {@code adjoint} when not null, else zeros of {@code shape}'s shape
   */
  public static Matrix orZeros(Matrix adjoint, Matrix shape) {
    return adjoint != null ? adjoint : Matrix.zeros(shape.rows(), shape.cols());
  }

  /** Sets every element to zero. */
  public static void zero(double[] array) {
    Arrays.fill(array, 0.0);
  }

  /** Sets every element to zero. */
  public static void zero(double[][] array) {
    for (double[] row : array) {
      Arrays.fill(row, 0.0);
    }
  }

  /** A copy that generated code may change without touching the caller's array. */
  public static double[] copy(double[] array) {
    return array.clone();
  }

  /** A deep copy that generated code may change without touching the caller's array. */
  public static double[][] copy(double[][] array) {
    double[][] copy = new double[array.length][];
    for (int i = 0; i < array.length; i++) {
      copy[i] = array[i].clone();
    }
    return copy;
  }

  /**
   * Concatenates partial derivatives into one row: a {@code Double} contributes itself, a
   * {@code double[]} its elements, a {@code double[][]} or a {@link Matrix} its rows in order.
   */
  public static double[] flatten(Object... partials) {
    int size = 0;
    for (Object partial : partials) {
      size += sizeOf(partial);
    }
    double[] row = new double[size];
    int at = 0;
    for (Object partial : partials) {
      if (partial instanceof Double scalar) {
        row[at++] = scalar;
      } else if (partial instanceof double[] vector) {
        System.arraycopy(vector, 0, row, at, vector.length);
        at += vector.length;
      } else if (partial instanceof Matrix matrix) {
        for (double[] matrixRow : matrix.toArray()) {
          System.arraycopy(matrixRow, 0, row, at, matrixRow.length);
          at += matrixRow.length;
        }
      } else {
        for (double[] matrixRow : (double[][]) partial) {
          System.arraycopy(matrixRow, 0, row, at, matrixRow.length);
          at += matrixRow.length;
        }
      }
    }
    return row;
  }

  /** The element of a flat vector at {@code offset}: the part of a scalar parameter. */
  public static double part(double[] flat, int offset, double shape) {
    return flat[offset];
  }

  /** The part of a flat vector from {@code offset} shaped like {@code shape}. */
  public static double[] part(double[] flat, int offset, double[] shape) {
    return Arrays.copyOfRange(flat, offset, offset + shape.length);
  }

  /** The part of a flat vector from {@code offset} shaped like {@code shape}, row by row. */
  public static double[][] part(double[] flat, int offset, double[][] shape) {
    double[][] part = new double[shape.length][];
    for (int i = 0; i < shape.length; i++) {
      part[i] = Arrays.copyOfRange(flat, offset, offset + shape[i].length);
      offset += shape[i].length;
    }
    return part;
  }

  /** The part of a flat vector from {@code offset} shaped like {@code shape}, row by row. */
  public static Matrix part(double[] flat, int offset, Matrix shape) {
    return Matrix.of(part(flat, offset, new double[shape.rows()][shape.cols()]));
  }

  private static int sizeOf(Object partial) {
    if (partial instanceof Double) {
      return 1;
    }
    if (partial instanceof double[] vector) {
      return vector.length;
    }
    if (partial instanceof Matrix matrix) {
      return matrix.rows() * matrix.cols();
    }
    if (partial instanceof double[][] matrix) {
      int size = 0;
      for (double[] row : matrix) {
        size += row.length;
      }
      return size;
    }
    throw new IllegalArgumentException("not a partial derivative: " + partial);
  }
}
