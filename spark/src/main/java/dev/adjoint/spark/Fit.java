package dev.adjoint.spark;

/**
 * Where a distributed optimizer stopped.
 *
 * @param <P> the parameters' type
 * @param parameters the parameters found
 * @param value the objective there (for mini-batch training: on the last mini-batch)
 * @param gradientNorm the Euclidean norm of its gradient
 * @param iterations the iterations taken
 * @param evaluations the passes over the data (Spark jobs)
 * @param converged whether the gradient norm fell below the tolerance
 */
public record Fit<P>(P parameters, double value, double gradientNorm, int iterations, int evaluations, boolean converged) {}
