package dev.adjoint.runtime.optim;

/**
 * A scalar function of a flat parameter vector that computes its gradient along with its value,
 * typically a generated {@code m(args, into)} call whose partials are copied into {@code gradient}.
 *
 * <pre>{@code
 * RosenbrockGradient into = new RosenbrockGradient();
 * ValueAndGradient rosenbrock = (x, gradient) -> {
 *   double value = ModelsGrad.rosenbrock(x[0], x[1], into);
 *   gradient[0] = into.x();
 *   gradient[1] = into.y();
 *   return value;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ValueAndGradient {
  /**
   * Evaluates the function and its gradient.
   *
   * @param point where to evaluate; not to be modified
   * @param gradient receives the gradient at {@code point}; as long as {@code point}
   * @return the value at {@code point}
   */
  double evaluate(double[] point, double[] gradient);
}
