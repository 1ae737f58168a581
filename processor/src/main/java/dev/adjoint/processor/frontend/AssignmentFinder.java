package dev.adjoint.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;

/** Finds whether a statement assigns a local variable of a given name. */
public final class AssignmentFinder extends TreeScanner<Boolean, Void> {
  private final String name;

  private AssignmentFinder(String name) {
    this.name = name;
  }

  static boolean assigns(Tree tree, String name) {
    return Boolean.TRUE.equals(tree.accept(new AssignmentFinder(name), null));
  }

  /**
   * Whether a statement stores into any array element, or calls a method that might (any method but
   * those of {@code Math} and {@code StrictMath}: Adjoint assumes a call may write what it can reach).
   */
  static boolean writesArrays(Tree tree) {
    return Boolean.TRUE.equals(tree.accept(new AssignmentFinder(null), null));
  }

  /**
   * Which parameters of {@code method} its {@code body} stores elements into, by an assignment, a
   * compound assignment or an increment of {@code p[i]} or {@code p[i][j]}.
   */
  public static java.util.Set<String> writtenParameterArrays(javax.lang.model.element.ExecutableElement method,
      Tree body) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    method.getParameters().forEach(parameter -> names.add(parameter.getSimpleName().toString()));
    return writtenArrays(body, names);
  }

  /**
   * Which of {@code names} {@code tree} stores elements into (see {@link #writtenParameterArrays}).
   */
  private static java.util.Set<String> writtenArrays(Tree tree, java.util.Set<String> names) {
    java.util.Set<String> written = new java.util.LinkedHashSet<>();
    tree.accept(new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        note(assignment.getVariable());
        return super.visitAssignment(assignment, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree assignment, Void unused) {
        note(assignment.getVariable());
        return super.visitCompoundAssignment(assignment, unused);
      }

      @Override
      public Void visitUnary(UnaryTree unary, Void unused) {
        switch (unary.getKind()) {
          case POSTFIX_INCREMENT, PREFIX_INCREMENT, POSTFIX_DECREMENT, PREFIX_DECREMENT -> note(unary.getExpression());
          default -> { }
        }
        return super.visitUnary(unary, unused);
      }

      private void note(ExpressionTree target) {
        while (target instanceof com.sun.source.tree.ParenthesizedTree parenthesized) {
          target = parenthesized.getExpression();
        }
        if (!(target instanceof com.sun.source.tree.ArrayAccessTree)) {
          return;
        }
        while (target instanceof com.sun.source.tree.ArrayAccessTree access) {
          target = access.getExpression();
        }
        if (target instanceof IdentifierTree id && names.contains(id.getName().toString())) {
          written.add(id.getName().toString());
        }
      }
    }, null);
    return written;
  }

  @Override
  public Boolean reduce(Boolean a, Boolean b) {
    return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
  }

  @Override
  public Boolean visitAssignment(AssignmentTree tree, Void unused) {
    return isTarget(tree.getVariable()) || Boolean.TRUE.equals(super.visitAssignment(tree, unused));
  }

  @Override
  public Boolean visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
    return isTarget(tree.getVariable()) || Boolean.TRUE.equals(super.visitCompoundAssignment(tree, unused));
  }

  @Override
  public Boolean visitUnary(UnaryTree tree, Void unused) {
    return isTarget(tree.getExpression()) || Boolean.TRUE.equals(super.visitUnary(tree, unused));
  }

  @Override
  public Boolean visitMethodInvocation(com.sun.source.tree.MethodInvocationTree tree, Void unused) {
    boolean mayWrite = name == null && !(tree.getMethodSelect() instanceof com.sun.source.tree.MemberSelectTree select
        && (select.getExpression().toString().equals("Math") || select.getExpression().toString().equals("StrictMath")));
    return mayWrite || Boolean.TRUE.equals(super.visitMethodInvocation(tree, unused));
  }

  /** With no name, any array element is a target. */
  private boolean isTarget(ExpressionTree target) {
    if (name == null) {
      return target instanceof com.sun.source.tree.ArrayAccessTree;
    }
    return target instanceof IdentifierTree id && id.getName().contentEquals(name);
  }
}
