package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * The value of a {@code double[]}-valued function and its derivative along a tangent (a
 * Jacobian-vector product), as the generated forward mode {@code fTangent} returns them.
 *
 * @param value the function's value
 * @param derivative the directional derivative, one entry per entry of {@code value}
 */
public record DualVector(double[] value, double[] derivative) {
  public DualVector {
    if (value.length != derivative.length) {
      throw new IllegalArgumentException(
          "value has " + value.length + " entries but derivative has " + derivative.length);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DualVector that
        && Arrays.equals(value, that.value) && Arrays.equals(derivative, that.derivative);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(value) + Arrays.hashCode(derivative);
  }

  @Override
  public String toString() {
    return "DualVector[value=" + Arrays.toString(value) + ", derivative=" + Arrays.toString(derivative) + "]";
  }
}
