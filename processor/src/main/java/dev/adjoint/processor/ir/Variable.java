package dev.adjoint.processor.ir;

/**
 * A variable of the IR. Identity matters, not the name: two locals called {@code t} in sibling
 * blocks are two variables, and emission gives each a distinct Java name derived from
 * {@link #name()}.
 */
public final class Variable {

  /** Where a variable comes from; generated code treats parameters as read-only. */
  public enum Role {
    PARAMETER,
    LOCAL,
    /** A variable the transforms introduce: results, flags, adjoints, saved values. */
    SYNTHETIC
  }

  private final String name;
  private final Type type;
  private final Role role;

  public Variable(String name, Type type, Role role) {
    this.name = name;
    this.type = type;
    this.role = role;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Role role() {
    return role;
  }

  public boolean isParameter() {
    return role == Role.PARAMETER;
  }

  @Override
  public String toString() {
    return name + ":" + type;
  }
}
