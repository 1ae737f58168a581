package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Matrix;

/**
 * Moves parameters one step at a time against the gradient of a loss at those parameters.
 *
 * <p>The parameters may be a {@code double[]} (updated in place), a {@code double}, a {@link
 * Matrix} or a record of {@code double}, {@code double[]}, {@code double[][]}, {@link Matrix} and
 * nested such records, such as the {@code params()} partial of a generated gradient: the last three
 * are immutable (or treated so), and a step returns new values.
 *
 * <pre>{@code
 * record Mlp(Matrix w1, Matrix b1, Matrix w2, Matrix b2) {}
 * Optimizer adam = new Adam(0.01);
 * Mlp params = ...;
 * for (...) {
 *   params = adam.step(params, ModelsGrad.loss(params, x, labels).params());
 * }
 * }</pre>
 *
 * <p>An optimizer keeps state between steps (such as a velocity or moment estimates) for one
 * parameter value, number by number: its first step fixes the value's kind and shape, and later
 * steps must pass values of that kind and shape. To optimize several values together, put them in
 * one record. Once warm, a step allocates nothing but the new value it returns.
 *
 * <p>Optimizers are not thread-safe. Implementations extend {@link AbstractOptimizer}.
 */
public interface Optimizer {
  /**
   * Moves {@code parameters} one step downhill, in place.
   *
   * @param parameters the parameters, updated in place
   * @param gradient the gradient of the loss at {@code parameters}, as long as {@code parameters};
   *     left unchanged
   * @throws IllegalArgumentException if the two arrays differ in length, or if the parameters differ
   *     from those of the earlier steps since construction or the last {@link #reset()}
   */
  void step(double[] parameters, double[] gradient);

  /**
   * Moves one number one step downhill.
   *
   * @param parameter the parameter
   * @param gradient the derivative of the loss at {@code parameter}
   * @return the new value of the parameter
   * @throws IllegalArgumentException if the earlier steps since construction or the last {@link
   *     #reset()} were not of one {@code double}
   */
  double step(double parameter, double gradient);

  /**
   * Moves a matrix of parameters one step downhill.
   *
   * @param parameters the parameters, left unchanged (a matrix is immutable)
   * @param gradient the gradient of the loss at {@code parameters}, of the same shape
   * @return a new matrix with the updated parameters
   * @throws IllegalArgumentException if the shapes differ, or differ from those of the earlier steps
   */
  Matrix step(Matrix parameters, Matrix gradient);

  /**
   * Moves a record of parameters one step downhill: every {@code double}, {@code double[]}, {@code
   * double[][]} and {@link Matrix} component, recursively through nested records; components of
   * other types ({@code int}, {@code String}, ...) are data and carried over unchanged.
   *
   * @param <R> the record type
   * @param parameters the parameters, left unchanged (arrays included)
   * @param gradient the gradient of the loss at {@code parameters}, a record of the same type and
   *     shapes, such as a generated gradient's partial
   * @return a new record with the updated parameters and new arrays and matrices
   * @throws IllegalArgumentException if the types or shapes differ, a component is null, or the
   *     record differs from those of the earlier steps
   */
  <R extends Record> R step(R parameters, R gradient);

  /**
   * The current step size.
   *
   * @return the learning rate
   */
  double learningRate();

  /**
   * Changes the step size for the following steps, keeping the state built up so far: for a
   * schedule that lowers the rate as training goes on.
   *
   * @param learningRate the new step size, positive
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  void setLearningRate(double learningRate);

  /**
   * Forgets the state built up by earlier steps, so that the next step starts afresh, possibly
   * with parameters of another shape. Settings such as the learning rate are kept.
   */
  void reset();
}
