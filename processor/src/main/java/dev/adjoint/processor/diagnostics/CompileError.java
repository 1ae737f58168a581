package dev.adjoint.processor.diagnostics;

/**
 * A problem found in one construct of the user's code: thrown where it is found, caught at the
 * level that can go on (the statement or the method) into the method's {@link Report}, and
 * printed from there once, at that construct's tree.
 */
public final class CompileError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Object tree;
  private final Message kind;

  /**
   * @param tree the {@code com.sun.source.tree.Tree} to attach the error to, or null for the method
   */
  public CompileError(Object tree, Message kind, Object... arguments) {
    super(kind.format(arguments), null, false, false);
    this.tree = tree;
    this.kind = kind;
  }

  public Object tree() {
    return tree;
  }

  public Message kind() {
    return kind;
  }
}
