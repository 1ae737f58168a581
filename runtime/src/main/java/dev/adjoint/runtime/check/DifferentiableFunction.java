package dev.adjoint.runtime.check;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A description of one generated gradient that a test can check without reflection: every
 * companion class has {@code functions()} returning one per scalar {@code @Differentiable} method.
 *
 * <p>Besides the value and the gradient, a description may carry the method's generated forward
 * mode ({@code also = TANGENT}) and Hessian ({@code also = HESSIAN}); {@link GradientChecks} checks
 * whatever it carries. Generated code adds them with {@link #withTangent(Tangent)} and {@link
 * #withHessian(Function)}. For {@code @Differentiable(also = {TANGENT, HESSIAN}) static double
 * f(double[] x, int n, double y)}, with {@code n} not differentiated:
 *
 * <pre>{@code
 * DifferentiableFunction.of("f",
 *         List.of(new FunctionParameter("x", double[].class, true),
 *             new FunctionParameter("n", int.class, false),
 *             new FunctionParameter("y", double.class, true)),
 *         arguments ->
 *             Models.f((double[]) arguments[0], (int) arguments[1], (double) arguments[2]),
 *         arguments -> {
 *           ModelsGrad.FGradient gradient =
 *               ModelsGrad.f((double[]) arguments[0], (int) arguments[1], (double) arguments[2]);
 *           return new Object[] {gradient.x(), gradient.y()};
 *         })
 *     .withTangent((arguments, tangents) -> ModelsGrad.fTangent(
 *             (double[]) arguments[0], (int) arguments[1], (double) arguments[2],
 *             (double[]) tangents[0], (double) tangents[1])
 *         .derivative())
 *     .withHessian(arguments -> ModelsGrad.fHessian(
 *         (double[]) arguments[0], (int) arguments[1], (double) arguments[2]))
 * }</pre>
 *
 * <p>Note the two index spaces: {@code arguments} has one entry per parameter, {@code tangents}
 * one per <em>differentiated</em> parameter (as the gradient's partials), so above {@code
 * tangents[1]} belongs to {@code y}, which is {@code arguments[2]}.
 */
public interface DifferentiableFunction {

  /**
   * The generated forward mode of a method: its directional derivative.
   *
   * <p>Generated code implements it as {@code (arguments, tangents) -> fTangent(...).derivative()}.
   */
  @FunctionalInterface
  interface Tangent {
    /**
     * Calls the generated forward mode.
     *
     * @param arguments one per parameter, boxed, as for {@link DifferentiableFunction#value}
     * @param tangents one per differentiated parameter, in order, each shaped like its argument: a
     *     {@code Double}, {@code double[]}, {@code double[][]}, {@code Matrix} or a record of the
     *     parameter's type
     * @return the derivative of the method's value along the tangents
     */
    double derivative(Object[] arguments, Object[] tangents);
  }

  /** The method's name. */
  String name();

  /** All parameters, in order. */
  List<FunctionParameter> parameters();

  /**
   * Calls the original method.
   *
   * @param arguments one per parameter, boxed
   * @return the method's value
   */
  double value(Object... arguments);

  /**
   * Calls the generated gradient.
   *
   * @param arguments one per parameter, boxed
   * @return the partial derivative for each differentiated parameter, in order: a {@code Double},
   *     {@code double[]}, {@code double[][]}, {@code Matrix} or record of partials, shaped like the
   *     parameter
   */
  Object[] gradient(Object... arguments);

  /**
   * Whether {@link #tangent(Object[], Object[])} is available: the method has {@code also =
   * TANGENT}.
   *
   * @return false unless added with {@link #withTangent(Tangent)} (or overridden)
   */
  default boolean hasTangent() {
    return false;
  }

  /**
   * Calls the generated forward mode: the directional derivative {@code ∇f · tangents}.
   *
   * @param arguments one per parameter, boxed
   * @param tangents one per differentiated parameter, in order, shaped like its argument
   * @return the directional derivative
   * @throws UnsupportedOperationException if there is none ({@link #hasTangent()} is false)
   */
  default double tangent(Object[] arguments, Object[] tangents) {
    throw missing("tangent", "TANGENT");
  }

  /**
   * Whether {@link #hessian(Object...)} is available: the method has {@code also = HESSIAN}.
   *
   * @return false unless added with {@link #withHessian(Function)} (or overridden)
   */
  default boolean hasHessian() {
    return false;
  }

  /**
   * Calls the generated Hessian.
   *
   * @param arguments one per parameter, boxed
   * @return the Hessian over the differentiated arguments flattened in order (arrays element by
   *     element, row by row), as the generated {@code fHessian} returns it
   * @throws UnsupportedOperationException if there is none ({@link #hasHessian()} is false)
   */
  default double[][] hessian(Object... arguments) {
    throw missing("Hessian", "HESSIAN");
  }

  /**
   * A copy of this description that has the given forward mode (replacing any it had), keeping its
   * Hessian.
   *
   * @param tangent calls the generated {@code fTangent}
   * @return a new description
   */
  default DifferentiableFunction withTangent(Tangent tangent) {
    return Description.copyOf(this).withTangent(tangent);
  }

  /**
   * A copy of this description that has the given Hessian (replacing any it had), keeping its
   * forward mode.
   *
   * @param hessian calls the generated {@code fHessian} with the boxed arguments, one per parameter
   * @return a new description
   */
  default DifferentiableFunction withHessian(Function<Object[], double[][]> hessian) {
    return Description.copyOf(this).withHessian(hessian);
  }

  /**
   * The description generated code builds; add the other modes with {@link #withTangent(Tangent)}
   * and {@link #withHessian(Function)}.
   *
   * @param name the method's name
   * @param parameters all parameters, in order
   * @param value calls the original method
   * @param gradient calls the generated gradient
   * @return the description
   */
  static DifferentiableFunction of(
      String name,
      List<FunctionParameter> parameters,
      ToDoubleFunction<Object[]> value,
      Function<Object[], Object[]> gradient) {
    return new Description(name, List.copyOf(parameters), value, gradient, null, null);
  }

  private UnsupportedOperationException missing(String what, String also) {
    return new UnsupportedOperationException(
        name()
            + " has no generated "
            + what
            + ": add also = "
            + also
            + " to its @Differentiable (import static dev.adjoint.Derivative.*) and regenerate");
  }
}
