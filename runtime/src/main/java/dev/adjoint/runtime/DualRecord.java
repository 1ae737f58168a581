package dev.adjoint.runtime;

/**
 * The value of a record-valued function and its directional derivative, a record of the same type
 * holding the derivative of each component: what the generated {@code fTangent} of such a function
 * returns.
 *
 * @param <R> the record type
 * @param value the function's value
 * @param derivative the derivative of each component along the direction
 */
public record DualRecord<R extends Record>(R value, R derivative) {
  public DualRecord {
    if (value.getClass() != derivative.getClass()) {
      throw new IllegalArgumentException("value is a " + value.getClass().getSimpleName() + " but derivative is a "
          + derivative.getClass().getSimpleName());
    }
  }
}
