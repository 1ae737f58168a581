package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the derivative of each kind of expression node needs to know of the forward values, in
 * one place: the reverse transform and the to-be-recorded analysis must agree on it.
 */
public final class Partials {
  private Partials() {}

  /**
   * The operands whose values the partials of the varied operands read: for {@code a * b}, b's
   * value only if a is varied, and a's only if b is (from {@link OperatorPartials}); all the
   * arguments of a call with rules or a pullback.
   */
  public static List<Expr> operandValuesNeeded(Expr node, Predicate<Expr> varied) {
    if (node instanceof Expr.Binary binary) {
      return OperatorPartials.operandValuesNeeded(binary, varied);
    }
    if (node instanceof Expr.Call call
        && (call.callee() instanceof Callee.Ruled || call.callee() instanceof Callee.Differentiable)) {
      return call.arguments();
    }
    return List.of();
  }

  /** Whether the node's partials read the node's own value (rules such as exp's). */
  public static boolean ownValueNeeded(Expr node) {
    if (node instanceof Expr.Call call && call.callee() instanceof Callee.Ruled ruled) {
      return ruled.partials().stream().anyMatch(rule -> rule.map(Callee.PartialRule::takesValue).orElse(false));
    }
    return false;
  }
}
