package dev.adjoint.runtime.check;

import dev.adjoint.runtime.Matrix;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps the differentiated arguments of one call of a {@link DifferentiableFunction} onto named
 * {@link Inputs} blocks, and back: a {@code double} becomes a scalar block, a {@code double[]} a
 * vector, a {@code double[][]} or {@link Matrix} a matrix, and a record one block per component of
 * those types, named {@code params.w1} (nested records {@code params.layer.w}). The partials
 * returned by the generated gradient map onto the same blocks, so that {@link GradientChecker} can
 * compare them.
 *
 * <p>Records are read and rebuilt by reflection (their accessors and canonical constructor), which
 * is fine in test support and never happens in generated code.
 */
final class ArgumentLayout {

  /** The arguments or the gradient do not fit the parameters; the message says how. */
  static final class LayoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LayoutException(String message) {
      super(message);
    }

    LayoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private enum Shape {
    SCALAR,
    VECTOR,
    ROWS,
    MATRIX
  }

  /** The blocks of one differentiated value. */
  private sealed interface Node permits Leaf, RecordNode {}

  /** A value that is one block. */
  private record Leaf(String block, Shape shape) implements Node {}

  /**
   * A record: {@code children[i]} is the node of component {@code i}, or null for a component that
   * is not differentiated (an {@code int}, a {@code String}...), which is carried over unchanged.
   */
  private record RecordNode(
      String path, Constructor<?> constructor, RecordComponent[] components, Node[] children)
      implements Node {}

  private final List<FunctionParameter> parameters;
  private final Object[] arguments;
  private final Node[] nodes;

  private ArgumentLayout(List<FunctionParameter> parameters, Object[] arguments, Node[] nodes) {
    this.parameters = parameters;
    this.arguments = arguments;
    this.nodes = nodes;
  }

  /**
   * The layout of one argument list.
   *
   * @param parameters the function's parameters
   * @param arguments one per parameter, already checked against the parameter types
   * @throws LayoutException if a differentiated parameter's type cannot be perturbed
   */
  static ArgumentLayout of(List<FunctionParameter> parameters, Object[] arguments) {
    Node[] nodes = new Node[parameters.size()];
    for (int i = 0; i < nodes.length; i++) {
      FunctionParameter parameter = parameters.get(i);
      if (!parameter.differentiated()) {
        continue;
      }
      Node node = nodeFor(parameter.name(), parameter.type(), new HashSet<>());
      if (node == null && arguments[i] != null) {
        node = nodeFor(parameter.name(), arguments[i].getClass(), new HashSet<>());
      }
      if (node == null) {
        throw new LayoutException(
            "parameter '"
                + parameter.name()
                + "' is differentiated but the checker cannot perturb a "
                + parameter.type().getSimpleName()
                + ": it handles double, double[], double[][], Matrix and records of these");
      }
      nodes[i] = node;
    }
    return new ArgumentLayout(parameters, arguments.clone(), nodes);
  }

  /**
   * The differentiated arguments as blocks.
   *
   * @return new, modifiable inputs
   */
  Inputs point() {
    Inputs point = Inputs.of();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        put(nodes[i], point, arguments[i], "argument");
      }
    }
    return point;
  }

  /**
   * A new argument list: the differentiated arguments built from {@code values} (using its arrays,
   * not copies: hand in a fresh copy), the others as sampled.
   */
  Object[] arguments(Inputs values) {
    Object[] result = arguments.clone();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        result[i] = rebuild(nodes[i], values, arguments[i]);
      }
    }
    return result;
  }

  /**
   * The differentiated arguments alone, built from {@code values} as {@link #arguments(Inputs)}
   * builds them: one per differentiated parameter, in order, such as the tangents of forward mode
   * (a record rebuilt with the sampled argument's data components).
   */
  Object[] differentiated(Inputs values) {
    Object[] all = arguments(values);
    List<Object> result = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        result.add(all[i]);
      }
    }
    return result.toArray();
  }

  /**
   * The generated gradient's partials as blocks with the names of {@link #point()}'s.
   *
   * @param gradient one partial per differentiated parameter, in order
   * @throws LayoutException if the count or a type is wrong (shapes are compared by the caller)
   */
  Inputs partials(Object[] gradient) {
    List<String> differentiated = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        differentiated.add(parameters.get(i).name());
      }
    }
    if (gradient == null) {
      throw new LayoutException("the gradient returned null instead of the partials");
    }
    if (gradient.length != differentiated.size()) {
      throw new LayoutException(
          "the gradient returned "
              + gradient.length
              + " partials but the function has "
              + differentiated.size()
              + " differentiated parameters "
              + differentiated);
    }
    Inputs partials = Inputs.of();
    int next = 0;
    for (Node node : nodes) {
      if (node != null) {
        put(node, partials, gradient[next++], "partial");
      }
    }
    return partials;
  }

  private static Node nodeFor(String path, Class<?> type, Set<Class<?>> enclosing) {
    if (type == double.class || type == Double.class) {
      return new Leaf(path, Shape.SCALAR);
    }
    if (type == double[].class) {
      return new Leaf(path, Shape.VECTOR);
    }
    if (type == double[][].class) {
      return new Leaf(path, Shape.ROWS);
    }
    if (type == Matrix.class) {
      return new Leaf(path, Shape.MATRIX);
    }
    if (!type.isRecord()) {
      return null;
    }
    if (!enclosing.add(type)) {
      throw new LayoutException(
          "record " + type.getSimpleName() + " contains itself (at " + path + ")");
    }
    RecordComponent[] components = type.getRecordComponents();
    Node[] children = new Node[components.length];
    for (int i = 0; i < components.length; i++) {
      children[i] =
          nodeFor(path + "." + components[i].getName(), components[i].getType(), enclosing);
    }
    enclosing.remove(type);
    Class<?>[] componentTypes =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    Constructor<?> constructor;
    try {
      constructor = type.getDeclaredConstructor(componentTypes);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new LayoutException(
          "cannot use the canonical constructor of record "
              + type.getName()
              + " by reflection ("
              + e
              + "); if it is in a named module, open its package",
          e);
    }
    return new RecordNode(path, constructor, components, children);
  }

  private static void put(Node node, Inputs into, Object value, String role) {
    if (node instanceof RecordNode record) {
      if (value == null) {
        throw new LayoutException("the " + role + " for " + record.path + " is null");
      }
      for (int i = 0; i < record.components.length; i++) {
        if (record.children[i] != null) {
          String name = record.components[i].getName();
          put(record.children[i], into, component(value, name, role, record.path), role);
        }
      }
      return;
    }
    Leaf leaf = (Leaf) node;
    if (value == null) {
      throw new LayoutException("the " + role + " for " + leaf.block + " is null");
    }
    switch (leaf.shape) {
      case SCALAR -> {
        if (!(value instanceof Number number)) {
          throw mismatch(leaf, value, role, "a double");
        }
        into.scalar(leaf.block, number.doubleValue());
      }
      case VECTOR -> {
        if (!(value instanceof double[] vector)) {
          throw mismatch(leaf, value, role, "a double[]");
        }
        into.vector(leaf.block, vector);
      }
      case ROWS, MATRIX -> {
        if (value instanceof double[][] rows) {
          into.matrix(leaf.block, rows);
        } else if (value instanceof Matrix matrix) {
          into.matrix(leaf.block, matrix);
        } else {
          throw mismatch(leaf, value, role, leaf.shape == Shape.ROWS ? "a double[][]" : "a Matrix");
        }
      }
    }
  }

  private static LayoutException mismatch(Leaf leaf, Object value, String role, String expected) {
    return new LayoutException(
        "the "
            + role
            + " for "
            + leaf.block
            + " is a "
            + value.getClass().getSimpleName()
            + " but "
            + leaf.block
            + " is "
            + expected);
  }

  private static Object rebuild(Node node, Inputs values, Object original) {
    if (node instanceof Leaf leaf) {
      return switch (leaf.shape) {
        case SCALAR -> values.scalar(leaf.block);
        case VECTOR -> values.vector(leaf.block);
        case ROWS -> values.matrix(leaf.block);
        case MATRIX -> values.matrixValue(leaf.block);
      };
    }
    RecordNode record = (RecordNode) node;
    Object[] components = new Object[record.components.length];
    for (int i = 0; i < components.length; i++) {
      Object old = read(record.components[i], original);
      components[i] = record.children[i] == null ? old : rebuild(record.children[i], values, old);
    }
    try {
      return record.constructor.newInstance(components);
    } catch (InvocationTargetException e) {
      throw rethrow(e);
    } catch (ReflectiveOperationException e) {
      throw new LayoutException("cannot rebuild " + record.path + " by reflection: " + e, e);
    }
  }

  /** The component of any record with the given name: partials may be a record of their own. */
  private static Object component(Object record, String name, String role, String path) {
    Class<?> type = record.getClass();
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getName().equals(name)) {
          return read(component, record);
        }
      }
    }
    throw new LayoutException(
        "the "
            + role
            + " for "
            + path
            + " is a "
            + type.getSimpleName()
            + ", which has no record component '"
            + name
            + "'");
  }

  private static Object read(RecordComponent component, Object record) {
    Method accessor = component.getAccessor();
    try {
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (InvocationTargetException e) {
      throw rethrow(e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new LayoutException(
          "cannot read record component "
              + component.getDeclaringRecord().getSimpleName()
              + "."
              + component.getName()
              + " by reflection ("
              + e
              + "); if the record is in a named module, open its package",
          e);
    }
  }

  /** The exception thrown by a record's own code, unwrapped. */
  private static RuntimeException rethrow(InvocationTargetException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new LayoutException("a record's code threw " + cause, cause);
  }
}
