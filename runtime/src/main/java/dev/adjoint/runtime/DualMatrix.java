package dev.adjoint.runtime;

/**
 * The value of a {@link Matrix}-valued function and its derivative along a tangent (a
 * Jacobian-vector product), as the generated forward mode {@code fTangent} returns them.
 *
 * @param value the function's value
 * @param derivative the directional derivative, shaped like {@code value}
 */
public record DualMatrix(Matrix value, Matrix derivative) {
  public DualMatrix {
    if (!value.sameShape(derivative)) {
      throw new IllegalArgumentException(
          "value is " + value.shape() + " but derivative is " + derivative.shape());
    }
  }
}
