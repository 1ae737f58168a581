package dev.adjoint.runtime.check;

/**
 * One parameter of a {@link DifferentiableFunction}.
 *
 * @param name the parameter's name in the source
 * @param type its type ({@code double.class}, {@code double[].class}, {@code Matrix.class}, a record class...)
 * @param differentiated whether the gradient has a partial for it
 */
public record FunctionParameter(String name, Class<?> type, boolean differentiated) {

  @Override
  public String toString() {
    return type.getSimpleName() + " " + name + (differentiated ? "" : " (data)");
  }
}
