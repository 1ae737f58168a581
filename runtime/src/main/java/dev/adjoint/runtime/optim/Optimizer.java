package dev.adjoint.runtime.optim;

/**
 * Updates parameters in place, one step at a time, from the gradient of the loss at those
 * parameters.
 *
 * <p>An optimizer keeps state between steps (such as a velocity or moment estimates) for one
 * parameter vector: its first step fixes the vector's length, later steps allocate nothing and
 * must pass vectors of that length.
 */
public interface Optimizer {
  /**
   * Moves {@code parameters} one step downhill.
   *
   * @param parameters the parameters, updated in place
   * @param gradient the gradient of the loss at {@code parameters}, as long as {@code parameters};
   *     left unchanged
   * @throws IllegalArgumentException if the two arrays differ in length, or if their length differs
   *     from that of the earlier steps since construction or the last {@link #reset()}
   */
  void step(double[] parameters, double[] gradient);

  /**
   * Forgets the state built up by earlier steps, so that the next step starts afresh, possibly
   * with a parameter vector of another length. Settings such as the learning rate are kept.
   */
  void reset();
}
