/**
 * First-order optimizers, arithmetic on records of parameters, and an adapter to Commons Math's
 * optimizers.
 *
 * <p>{@link dev.adjoint.runtime.optim.GradientDescent} (with momentum) and {@link
 * dev.adjoint.runtime.optim.Adam} update a {@code double[]} in place, or return updated copies of a
 * {@code double}, a {@link dev.adjoint.runtime.Matrix} or a record of parameters, such as the
 * {@code params()} partial of a generated gradient:
 *
 * <pre>{@code
 * record Mlp(Matrix w1, Matrix b1, Matrix w2, Matrix b2) {}
 *
 * Optimizer adam = new Adam(0.01);
 * MlpLossGradient gradient = new MlpLossGradient();
 * for (int step = 0; step < steps; step++) {
 *   NetsGrad.mlpLoss(params, x, labels, gradient);
 *   params = adam.step(params, gradient.params());
 * }
 * }</pre>
 *
 * <p>An optimizer allocates its state once, for the shape of the first value it updates; a step
 * then allocates nothing but the new value it returns, and refuses values of another shape until
 * {@link dev.adjoint.runtime.optim.Optimizer#reset()}. Optimizers are not thread-safe.
 *
 * <p>{@link dev.adjoint.runtime.optim.Records} adds, scales and zeros records of parameters and
 * flattens them to {@code double[]}; {@link dev.adjoint.runtime.optim.CommonsMathObjective} hands a
 * {@link dev.adjoint.runtime.optim.ValueAndGradient} to Commons Math's gradient-based optimizers.
 */
package dev.adjoint.runtime.optim;
