/**
 * First-order optimizers that update a parameter vector in place from its gradient, such as one
 * written by a generated {@code m(args, into)} method.
 *
 * <pre>{@code
 * Optimizer adam = new Adam(0.01);
 * double[] x = {-1.2, 1};
 * RosenbrockGradient gradient = new RosenbrockGradient();
 * double[] g = new double[2];
 * for (int step = 0; step < 5000; step++) {
 *   ModelsGrad.rosenbrock(x[0], x[1], gradient);
 *   g[0] = gradient.x();
 *   g[1] = gradient.y();
 *   adam.step(x, g);
 * }
 * }</pre>
 *
 * <p>An optimizer allocates its state once, for the size of the first vector it updates, and
 * nothing afterwards; it then refuses vectors of another size until {@link
 * dev.adjoint.runtime.optim.Optimizer#reset()}. Optimizers are not thread-safe.
 */
package dev.adjoint.runtime.optim;
