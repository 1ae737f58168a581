package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * The value of a {@code double[][]}-valued function and its directional derivative, entry by entry:
 * what the generated {@code fTangent} of such a function returns.
 *
 * @param value the function's value
 * @param derivative the derivative of each entry along the direction, of the value's shape
 */
public record DualArray2D(double[][] value, double[][] derivative) {
  public DualArray2D {
    if (value.length != derivative.length) {
      throw new IllegalArgumentException(
          "value has " + value.length + " rows but derivative has " + derivative.length);
    }
    for (int i = 0; i < value.length; i++) {
      if (value[i].length != derivative[i].length) {
        throw new IllegalArgumentException("row " + i + " of value has " + value[i].length
            + " entries but that of derivative has " + derivative[i].length);
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DualArray2D that
        && Arrays.deepEquals(value, that.value) && Arrays.deepEquals(derivative, that.derivative);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(value) + Arrays.deepHashCode(derivative);
  }

  @Override
  public String toString() {
    return "DualArray2D[value=" + Arrays.deepToString(value) + ", derivative=" + Arrays.deepToString(derivative) + "]";
  }
}
