package dev.adjoint.runtime.check;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The {@link DifferentiableFunction} that {@link DifferentiableFunction#of} builds and {@code
 * with...} copies: each mode a function, the tangent and Hessian possibly absent (null).
 */
final class Description implements DifferentiableFunction {
  private final String name;
  private final List<FunctionParameter> parameters;
  private final ToDoubleFunction<Object[]> value;
  private final Function<Object[], Object[]> gradient;
  private final Tangent tangent;
  private final Function<Object[], double[][]> hessian;
  private final int differentiated;

  Description(
      String name,
      List<FunctionParameter> parameters,
      ToDoubleFunction<Object[]> value,
      Function<Object[], Object[]> gradient,
      Tangent tangent,
      Function<Object[], double[][]> hessian) {
    this.name = Objects.requireNonNull(name, "name");
    this.parameters = parameters;
    this.value = Objects.requireNonNull(value, "value");
    this.gradient = Objects.requireNonNull(gradient, "gradient");
    this.tangent = tangent;
    this.hessian = hessian;
    this.differentiated =
        (int) parameters.stream().filter(FunctionParameter::differentiated).count();
  }

  /** The function itself if it is a description, else one that calls it mode by mode. */
  static Description copyOf(DifferentiableFunction function) {
    if (function instanceof Description description) {
      return description;
    }
    return new Description(
        function.name(),
        List.copyOf(function.parameters()),
        function::value,
        function::gradient,
        function.hasTangent() ? function::tangent : null,
        function.hasHessian() ? function::hessian : null);
  }

  @Override
  public Description withTangent(Tangent tangent) {
    return new Description(
        name, parameters, value, gradient, Objects.requireNonNull(tangent, "tangent"), hessian);
  }

  @Override
  public Description withHessian(Function<Object[], double[][]> hessian) {
    return new Description(
        name, parameters, value, gradient, tangent, Objects.requireNonNull(hessian, "hessian"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<FunctionParameter> parameters() {
    return parameters;
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
  public boolean hasTangent() {
    return tangent != null;
  }

  @Override
  public double tangent(Object[] arguments, Object[] tangents) {
    if (tangent == null) {
      return DifferentiableFunction.super.tangent(arguments, tangents);
    }
    if (tangents.length != differentiated) {
      throw new IllegalArgumentException(
          name
              + " takes one tangent per differentiated parameter, "
              + differentiated
              + ", but got "
              + tangents.length);
    }
    return tangent.derivative(arguments, tangents);
  }

  @Override
  public boolean hasHessian() {
    return hessian != null;
  }

  @Override
  public double[][] hessian(Object... arguments) {
    if (hessian == null) {
      return DifferentiableFunction.super.hessian(arguments);
    }
    return hessian.apply(arguments);
  }

  @Override
  public String toString() {
    return name
        + parameters
        + (tangent == null ? "" : " with tangent")
        + (hessian == null ? "" : " with Hessian");
  }
}
