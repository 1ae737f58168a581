package dev.adjoint.runtime.check;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A description of one generated gradient that a test can check without reflection: every
 * companion class has {@code functions()} returning one per scalar {@code @Differentiable} method.
 */
public interface DifferentiableFunction {

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
   * The description generated code builds.
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
    List<FunctionParameter> copy = List.copyOf(parameters);
    return new DifferentiableFunction() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<FunctionParameter> parameters() {
        return copy;
      }

      @Override
      public double value(Object... arguments) {
        return value.applyAsDouble(arguments);
      }

      @Override
      public Object[] gradient(Object... arguments) {
        return gradient.apply(arguments);
      }

      @Override
      public String toString() {
        return name + copy;
      }
    };
  }
}
