package dev.adjoint.runtime.optim;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.optim.OptimizationData;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;

/**
 * A {@link ValueAndGradient}, such as a generated gradient, as the objective of Commons Math's
 * gradient-based optimizers ({@code NonLinearConjugateGradientOptimizer}), which ask for the value
 * and the gradient through two separate functions.
 *
 * <pre>{@code
 * CommonsMathObjective objective = new CommonsMathObjective(rosenbrock);
 * PointValuePair optimum = new NonLinearConjugateGradientOptimizer(
 *         Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-12, 1e-12))
 *     .optimize(new MaxEval(10_000), GoalType.MINIMIZE, new InitialGuess(new double[] {-1.2, 1}),
 *         objective.objectiveFunction(), objective.objectiveFunctionGradient());
 * }</pre>
 *
 * <p>Optimizers usually want the value and the gradient at the same point one after the other; the
 * last point's value and gradient are kept, so that the function runs once for both. Not
 * thread-safe.
 */
public final class CommonsMathObjective {
  private final ValueAndGradient function;
  // The last point evaluated, with its value and gradient.
  private double[] lastPoint;
  private boolean lastPointValid;
  private double lastValue;
  private double[] lastGradient;
  private int evaluations;

  /**
   * Wraps a function.
   *
   * @param function the function and its gradient
   */
  public CommonsMathObjective(ValueAndGradient function) {
    this.function = Objects.requireNonNull(function, "function");
  }

  /**
   * The value, for Commons Math.
   *
   * @return an objective function that calls {@link #value(double[])}
   */
  public ObjectiveFunction objectiveFunction() {
    return new ObjectiveFunction(this::value);
  }

  /**
   * The gradient, for Commons Math.
   *
   * @return an objective gradient that calls {@link #gradient(double[])}
   */
  public ObjectiveFunctionGradient objectiveFunctionGradient() {
    return new ObjectiveFunctionGradient(this::gradient);
  }

  /**
   * Both, to pass to {@code optimize(...)} among the other optimization data.
   *
   * @return the objective function and its gradient
   */
  public OptimizationData[] optimizationData() {
    return new OptimizationData[] {objectiveFunction(), objectiveFunctionGradient()};
  }

  /**
   * The function's value.
   *
   * @param point where to evaluate
   * @return the value at {@code point}
   */
  public double value(double[] point) {
    evaluateAt(point);
    return lastValue;
  }

  /**
   * The function's gradient.
   *
   * @param point where to evaluate
   * @return a new array with the gradient at {@code point} (Commons Math modifies it)
   */
  public double[] gradient(double[] point) {
    evaluateAt(point);
    return lastGradient.clone();
  }

  /**
   * How often the function has run: distinct points, since a repeated point is answered from the
   * last evaluation.
   *
   * @return the number of evaluations
   */
  public int evaluations() {
    return evaluations;
  }

  private void evaluateAt(double[] point) {
    if (lastPointValid && Arrays.equals(point, lastPoint)) {
      return;
    }
    if (lastPoint == null || lastPoint.length != point.length) {
      lastPoint = new double[point.length];
      lastGradient = new double[point.length];
    }
    // Invalid until the function returns: if it throws, nothing stale is answered later.
    lastPointValid = false;
    lastValue = function.evaluate(point, lastGradient);
    System.arraycopy(point, 0, lastPoint, 0, point.length);
    lastPointValid = true;
    evaluations++;
  }
}
