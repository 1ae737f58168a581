package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A functional interface that a function with derivative rules takes as a parameter: its single
 * abstract method {@code methodName}, whose parameters are each {@code double} or {@code double[]}
 * and whose result is one of those ({@code interfaceName} is qualified, nested classes dotted).
 */
public record FunctionShape(String interfaceName, String methodName, List<Type> parameterTypes, Type resultType) {
  public FunctionShape {
    parameterTypes = List.copyOf(parameterTypes);
  }

  /** The IR type of a value of this interface. */
  public Type type() {
    return Type.object(interfaceName);
  }

  /** {@code double[] rates(double, double[], double[])}, as messages show it. */
  public String signature() {
    return resultType + " " + methodName + parameterTypes.stream().map(Type::toString)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }
}
