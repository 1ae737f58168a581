package dev.adjoint.runtime.check;

import java.util.OptionalInt;

/**
 * The comparison of one partial derivative: one input component, and for a vector-valued function
 * one output, with its analytic and numeric values.
 *
 * <p>The component passes when both values are finite and {@code |analytic - numeric| <=
 * absoluteTolerance + relativeTolerance · |numeric|}. A non-finite value never passes, because a
 * finite-difference estimate can neither confirm nor refute it.
 */
public final class ComponentCheck {
  private final Inputs.Coordinate coordinate;
  private final int output;
  private final double analytic;
  private final double numeric;
  private final double allowedError;

  /**
   * @param output the output index, or -1 for a scalar-valued function
   * @param allowedError the tolerance for this component, already combining both tolerances
   */
  ComponentCheck(
      Inputs.Coordinate coordinate,
      int output,
      double analytic,
      double numeric,
      double allowedError) {
    this.coordinate = coordinate;
    this.output = output;
    this.analytic = analytic;
    this.numeric = numeric;
    this.allowedError = allowedError;
  }

  /**
   * The name of the input block this component belongs to.
   *
   * @return the block name, such as {@code "w"}
   */
  public String parameter() {
    return coordinate.name();
  }

  /**
   * The position of the component inside its block.
   *
   * @return a new array: empty for a scalar, {@code {i}} for a vector, {@code {row, column}} for a
   *     matrix
   */
  public int[] index() {
    return coordinate.index();
  }

  /** The component's coordinate, for {@link GradientChecks} to find its position. */
  Inputs.Coordinate coordinate() {
    return coordinate;
  }

  /**
   * The output whose gradient this component belongs to.
   *
   * @return the output index for a vector-valued function; empty for a scalar-valued one
   */
  public OptionalInt output() {
    return output < 0 ? OptionalInt.empty() : OptionalInt.of(output);
  }

  /**
   * Where the component is, such as {@code w[3]}, or {@code output 1, X[2][0]} for a vector-valued
   * function.
   *
   * @return a readable location
   */
  public String location() {
    return output < 0 ? coordinate.label() : "output " + output + ", " + coordinate.label();
  }

  /**
   * The derivative under check, as supplied by the caller.
   *
   * @return the analytic partial derivative
   */
  public double analytic() {
    return analytic;
  }

  /**
   * The finite-difference estimate of the derivative.
   *
   * @return the numeric partial derivative
   */
  public double numeric() {
    return numeric;
  }

  /**
   * The absolute difference between the two derivatives.
   *
   * @return {@code |analytic - numeric|}, NaN if either is NaN
   */
  public double absoluteError() {
    return Math.abs(analytic - numeric);
  }

  /**
   * The difference relative to the numeric derivative.
   *
   * @return {@code |analytic - numeric| / |numeric|}; 0 when both are 0, and infinite when only the
   *     numeric derivative is 0
   */
  public double relativeError() {
    double absoluteError = absoluteError();
    return absoluteError == 0 ? 0 : absoluteError / Math.abs(numeric);
  }

  /**
   * Whether the component is within tolerance.
   *
   * @return true if both derivatives are finite and close enough
   */
  public boolean passed() {
    return isFinite() && absoluteError() <= allowedError;
  }

  /** Shows location, both derivatives and both errors, or why the component cannot be compared. */
  @Override
  public String toString() {
    String values = location() + ": analytic " + analytic + ", numeric " + numeric;
    if (!Double.isFinite(numeric)) {
      return values + " (the numeric derivative is not finite)";
    }
    if (!Double.isFinite(analytic)) {
      return values + " (the analytic derivative is not finite)";
    }
    return values
        + String.format(
            ", absolute error %.3e, relative error %.3e", absoluteError(), relativeError());
  }

  /**
   * How far the error is beyond what is allowed, as a multiple of the tolerance: at most 1 when the
   * component passes, infinite when it cannot be compared. The report's worst component maximises
   * this.
   */
  double severity() {
    if (!isFinite()) {
      return Double.POSITIVE_INFINITY;
    }
    double absoluteError = absoluteError();
    return absoluteError == 0 ? 0 : absoluteError / allowedError;
  }

  private boolean isFinite() {
    return Double.isFinite(analytic) && Double.isFinite(numeric);
  }
}
