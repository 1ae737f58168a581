package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A {@code @Differentiable} method lowered to the IR.
 *
 * @param ownerQualifiedName the class that declares the method
 * @param name the method's name
 * @param parameters all parameters, in order
 * @param differentiated the parameters to differentiate, in declaration order
 * @param returnType the method's return type
 * @param body the method's body
 * @param records the parameters of record type, whose leaves stand in {@code differentiated}
 * @param volatileArrays the arrays that calls of unknown purity may write, whose elements no
 *     derivative code may read again later (see {@code OpaqueCalls})
 */
public record Function(
    String ownerQualifiedName,
    String name,
    List<Variable> parameters,
    List<Variable> differentiated,
    Type returnType,
    Stmt.Block body,
    List<RecordParameter> records,
    java.util.Set<Variable> volatileArrays) {
  public Function {
    parameters = List.copyOf(parameters);
    differentiated = List.copyOf(differentiated);
    records = List.copyOf(records);
    volatileArrays = java.util.Set.copyOf(volatileArrays);
  }

  /** A function as lowered, before any array is known to be volatile. */
  public Function(String ownerQualifiedName, String name, List<Variable> parameters, List<Variable> differentiated,
      Type returnType, Stmt.Block body, List<RecordParameter> records) {
    this(ownerQualifiedName, name, parameters, differentiated, returnType, body, records, java.util.Set.of());
  }

  /** The receiver of an instance method, the first parameter; empty for a static method. */
  public java.util.Optional<RecordParameter> receiver() {
    return records.stream().filter(record -> record.kind().isReceiver()).findFirst();
  }

  /** The same function with another body. */
  public Function withBody(Stmt.Block newBody) {
    return new Function(ownerQualifiedName, name, parameters, differentiated, returnType, newBody, records,
        volatileArrays);
  }

  /** The same function with these volatile arrays. */
  public Function withVolatileArrays(java.util.Set<Variable> arrays) {
    return new Function(ownerQualifiedName, name, parameters, differentiated, returnType, body, records, arrays);
  }
}
