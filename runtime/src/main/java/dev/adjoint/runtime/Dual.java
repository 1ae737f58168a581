package dev.adjoint.runtime;

/**
 * A value with its directional derivative, as generated forward mode returns them.
 *
 * @param value the function's value
 * @param derivative the derivative along the tangent the caller gave
 */
public record Dual(double value, double derivative) {}
