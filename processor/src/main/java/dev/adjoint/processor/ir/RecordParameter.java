package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A parameter whose type is a record of differentiable values, such as a model's weights. The
 * transforms never see the record: each component it reaches through accessors is a variable of
 * its own (a leaf), and the gradient is a record of the same type built from the leaves' adjoints.
 *
 * @param parameter the record parameter itself
 * @param component the record's structure
 */
public record RecordParameter(Variable parameter, Component component) {

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
