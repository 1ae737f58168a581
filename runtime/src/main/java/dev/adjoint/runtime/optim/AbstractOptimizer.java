package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Matrix;
import java.util.Objects;

/**
 * The base of first-order optimizers: subclasses update a flat {@code double[]} with state kept in
 * flat buffers of the same length, and this class maps {@code double}, {@link Matrix} and record
 * parameters onto those positions.
 *
 * <p>The first step after construction or {@link #reset()} fixes the parameters' layout (a {@code
 * double[]} of some length, one {@code double}, a matrix of some shape, or a record with its
 * components' shapes) and calls {@link #initializeState(int)} with the number of parameters; later
 * steps check that their values have that layout. A step of a matrix or record copies it into a
 * flat buffer, calls {@link #update(double[], double[])} and builds the new value from the buffer:
 * once warm it allocates only that new value.
 */
public abstract class AbstractOptimizer implements Optimizer {
  // The layout of the parameters of the first step; null before it.
  private ParameterLayout layout;
  // The parameters and gradient of a double, Matrix or record step, flattened.
  private double[] parameterBuffer;
  private double[] gradientBuffer;

  /** For subclasses. */
  protected AbstractOptimizer() {}

  /**
   * Allocates and initialises the state for {@code size} parameters, discarding any earlier
   * state: called on the first step after construction or {@link #reset()}.
   *
   * @param size the number of parameters
   */
  protected abstract void initializeState(int size);

  /**
   * Moves the parameters one step downhill, in place, updating the state.
   *
   * @param parameters the parameters, as many as given to {@link #initializeState(int)}
   * @param gradient the gradient at {@code parameters}, of the same length; not to be modified
   */
  protected abstract void update(double[] parameters, double[] gradient);

  @Override
  public final void step(double[] parameters, double[] gradient) {
    Settings.requireSameLength(parameters, gradient);
    if (layout == null) {
      start(ParameterLayout.vector(parameters.length), null, null);
    } else if (!layout.isVector(parameters.length)) {
      throw new IllegalArgumentException(
          "this optimizer's state was made for "
              + describeState()
              + " but this step has "
              + parameters.length
              + "; call reset() or use a new optimizer for another parameter vector");
    }
    update(parameters, gradient);
  }

  @Override
  public final double step(double parameter, double gradient) {
    if (layout == null) {
      start(ParameterLayout.scalar(), new double[1], new double[1]);
    } else if (!layout.isScalar()) {
      throw new IllegalArgumentException(
          "this optimizer's state was made for " + describeState() + " but this step has a double"
              + "; call reset() or use a new optimizer for another parameter");
    }
    parameterBuffer[0] = parameter;
    gradientBuffer[0] = gradient;
    update(parameterBuffer, gradientBuffer);
    return parameterBuffer[0];
  }

  @Override
  public final Matrix step(Matrix parameters, Matrix gradient) {
    return (Matrix) stepStructured(parameters, gradient);
  }

  @Override
  public final <R extends Record> R step(R parameters, R gradient) {
    @SuppressWarnings("unchecked") // a layout rebuilds a value of the class it was made from
    R next = (R) stepStructured(parameters, gradient);
    return next;
  }

  @Override
  public final void reset() {
    layout = null;
    parameterBuffer = null;
    gradientBuffer = null;
  }

  private Object stepStructured(Object parameters, Object gradient) {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(gradient, "gradient");
    if (layout == null) {
      // The state is committed only once both values have been read: a refused first step leaves
      // the optimizer fresh.
      ParameterLayout first = ParameterLayout.of(parameters);
      double[] firstParameters = new double[first.size()];
      double[] firstGradient = new double[first.size()];
      first.gather(parameters, firstParameters, "parameters");
      first.gather(gradient, firstGradient, "gradient");
      start(first, firstParameters, firstGradient);
    } else if (layout.isScalar() || layout.isVector()) {
      throw new IllegalArgumentException(
          "this optimizer's state was made for " + describeState() + " but this step has a "
              + parameters.getClass().getSimpleName()
              + "; call reset() or use a new optimizer for another parameter");
    } else {
      layout.gather(parameters, parameterBuffer, "parameters");
      layout.gather(gradient, gradientBuffer, "gradient");
    }
    update(parameterBuffer, gradientBuffer);
    return layout.rebuild(parameterBuffer, parameters);
  }

  /** Fixes the layout and the buffers (null for an in-place double[]) and makes the state. */
  private void start(ParameterLayout first, double[] parameters, double[] gradient) {
    layout = first;
    parameterBuffer = parameters;
    gradientBuffer = gradient;
    initializeState(first.size());
  }

  /** The parameters the state was made for, as in messages. */
  private String describeState() {
    return layout.isVector() ? layout.size() + " parameters" : layout.toString();
  }
}
