package dev.adjoint.runtime.optim;

/**
 * Gradient descent, optionally with (heavy-ball) momentum, in the form PyTorch's {@code SGD} uses:
 *
 * <pre>
 *   v ← μ·v + g
 *   x ← x − η·v
 * </pre>
 *
 * <p>where η is the learning rate and μ the momentum; with μ = 0 this is plain {@code x ← x − η·g}.
 * Momentum lets steps build up along directions where the gradient keeps its sign, which speeds
 * progress along the floor of long, narrow valleys.
 *
 * <p>The parameters may be a {@code double[]}, a {@code double}, a {@link dev.adjoint.runtime.Matrix}
 * or a record of those (see {@link Optimizer}); {@code v} has one entry per number, starts at zero
 * and is allocated on the first step.
 */
public final class GradientDescent extends AbstractOptimizer {
  private double learningRate;
  private final double momentum;
  private double[] velocity;

  /**
   * Plain gradient descent, without momentum.
   *
   * @param learningRate the step size η, positive
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public GradientDescent(double learningRate) {
    this(learningRate, 0);
  }

  /**
   * Gradient descent with momentum.
   *
   * @param learningRate the step size η, positive
   * @param momentum the fraction μ of the previous velocity kept at each step, in [0, 1); 0.9 is
   *     usual
   * @throws IllegalArgumentException if the learning rate is not positive and finite, or the
   *     momentum is outside [0, 1)
   */
  public GradientDescent(double learningRate, double momentum) {
    this.learningRate = Settings.requirePositive(learningRate, "learning rate");
    this.momentum = Settings.requireDecay(momentum, "momentum");
  }

  /**
   * The current step size η.
   *
   * @return the learning rate
   */
  @Override
  public double learningRate() {
    return learningRate;
  }

  /**
   * Changes the step size for the following steps, keeping the velocity (for a schedule that
   * lowers the rate as the optimum comes near).
   *
   * @param learningRate the new step size, positive
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  @Override
  public void setLearningRate(double learningRate) {
    this.learningRate = Settings.requirePositive(learningRate, "learning rate");
  }

  /**
   * The momentum μ this optimizer was made with.
   *
   * @return the momentum, 0 for plain gradient descent
   */
  public double momentum() {
    return momentum;
  }

  @Override
  protected void initializeState(int size) {
    velocity = new double[size];
  }

  @Override
  protected void update(double[] parameters, double[] gradient) {
    for (int i = 0; i < parameters.length; i++) {
      velocity[i] = momentum * velocity[i] + gradient[i];
      parameters[i] -= learningRate * velocity[i];
    }
  }
}
