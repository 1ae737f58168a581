package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A parameter whose type is a record of differentiable values, such as a model's weights. The
 * transforms never see the record: each component it reaches through accessors is a variable of
 * its own (a leaf), and the gradient is a record of the same type built from the leaves' adjoints.
 *
 * <p>An instance method's receiver is one too, whose leaves are the final fields its body reads
 * (a record's through their accessors, a class's directly); it is data, and each field that
 * {@code wrt} names has a partial of its own in the gradient, named like the field.
 *
 * @param parameter the record parameter itself
 * @param component the record's structure
 * @param kind a record parameter, or the receiver
 */
public record RecordParameter(Variable parameter, Component component, Kind kind) {

  /** What the parameter is, which says how generated code reads its leaves. */
  public enum Kind {
    /** A record parameter: {@code params.w()}. */
    PARAMETER,
    /** The receiver, a record: {@code model.times()}. */
    RECORD_RECEIVER,
    /** The receiver, a class: {@code model.times}. */
    CLASS_RECEIVER;

    public boolean isReceiver() {
      return this != PARAMETER;
    }

    /** Whether a leaf is read as a field ({@code model.times}) rather than through its accessor. */
    public boolean readsFields() {
      return this == CLASS_RECEIVER;
    }
  }

  public RecordParameter(Variable parameter, Component component) {
    this(parameter, component, Kind.PARAMETER);
  }

  /** The leaf of the field or component {@code name} read directly under the root, or null. */
  public Variable leafNamed(String name) {
    for (Component child : component.children()) {
      if (child.isLeaf() && child.accessor().equals(name)) {
        return child.leaf();
      }
    }
    return null;
  }

  /**
   * One node of a record's structure: a record with components, or a leaf value read through the
   * accessor path from the parameter.
   *
   * @param className the record's qualified class name (null for a leaf)
   * @param accessor the accessor that reads this component from its parent (null at the root)
   * @param children the components, in the record's canonical constructor order (empty for a leaf)
   * @param leaf the variable holding a leaf's value (null for a record)
   */
  public record Component(String className, String accessor, List<Component> children, Variable leaf) {
    public Component {
      children = List.copyOf(children);
    }

    public boolean isLeaf() {
      return leaf != null;
    }

    /** Every leaf below this component, depth first. */
    public List<Component> leaves() {
      if (isLeaf()) {
        return List.of(this);
      }
      return children.stream().flatMap(child -> child.leaves().stream()).toList();
    }
  }
}
