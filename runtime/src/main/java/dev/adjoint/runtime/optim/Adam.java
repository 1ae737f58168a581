package dev.adjoint.runtime.optim;

/**
 * Adam (Kingma and Ba, 2015): gradient descent scaled per component by running estimates of the
 * gradient's first and second moments, with their bias towards zero corrected. At step {@code t}:
 *
 * <pre>
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   x ← x − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 *
 * <p>Each component therefore moves by about η per step whatever the gradient's scale; in
 * particular the first step is {@code η·sign(g)} (up to ε).
 *
 * <p>The parameters may be a {@code double[]}, a {@code double}, a {@link dev.adjoint.runtime.Matrix}
 * or a record of those (see {@link Optimizer}); the moment estimates have one entry per number and
 * are allocated on the first step.
 */
public final class Adam extends AbstractOptimizer {
  /** The usual decay of the first-moment estimate. */
  public static final double DEFAULT_BETA1 = 0.9;

  /** The usual decay of the second-moment estimate. */
  public static final double DEFAULT_BETA2 = 0.999;

  /** The usual guard against dividing by a vanishing second moment. */
  public static final double DEFAULT_EPSILON = 1e-8;

  private double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private double[] firstMoment;
  private double[] secondMoment;
  // β₁ᵗ and β₂ᵗ, kept as running products rather than recomputed with Math.pow at every step.
  private double beta1Power;
  private double beta2Power;

  /**
   * Adam with the usual β₁ = {@value #DEFAULT_BETA1}, β₂ = {@value #DEFAULT_BETA2} and ε = {@value
   * #DEFAULT_EPSILON}.
   *
   * @param learningRate the step size η, positive; about how far each component moves per step
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public Adam(double learningRate) {
    this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * Adam with every setting given.
   *
   * @param learningRate the step size η, positive
   * @param beta1 the decay β₁ of the first-moment estimate, in [0, 1)
   * @param beta2 the decay β₂ of the second-moment estimate, in [0, 1)
   * @param epsilon the ε added to the root of the second moment, positive
   * @throws IllegalArgumentException if a setting is out of its range
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this.learningRate = Settings.requirePositive(learningRate, "learning rate");
    this.beta1 = Settings.requireDecay(beta1, "beta1");
    this.beta2 = Settings.requireDecay(beta2, "beta2");
    this.epsilon = Settings.requirePositive(epsilon, "epsilon");
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
   * Changes the step size for the following steps, keeping the moment estimates (for a schedule
   * that lowers the rate as the optimum comes near).
   *
   * @param learningRate the new step size, positive
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  @Override
  public void setLearningRate(double learningRate) {
    this.learningRate = Settings.requirePositive(learningRate, "learning rate");
  }

  @Override
  protected void initializeState(int size) {
    firstMoment = new double[size];
    secondMoment = new double[size];
    beta1Power = 1;
    beta2Power = 1;
  }

  @Override
  protected void update(double[] parameters, double[] gradient) {
    beta1Power *= beta1;
    beta2Power *= beta2;
    double firstCorrection = 1 / (1 - beta1Power);
    double secondCorrection = 1 / (1 - beta2Power);
    for (int i = 0; i < parameters.length; i++) {
      double g = gradient[i];
      firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g;
      secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g;
      double mean = firstMoment[i] * firstCorrection;
      double rootMeanSquare = Math.sqrt(secondMoment[i] * secondCorrection);
      parameters[i] -= learningRate * mean / (rootMeanSquare + epsilon);
    }
  }
}
