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
    return node.accept(new Expr.Visitor<List<Expr>>() {
      @Override
      public List<Expr> visitBinary(Expr.Binary binary) {
        return OperatorPartials.operandValuesNeeded(binary, varied);
      }

      @Override
      public List<Expr> visitCall(Expr.Call call) {
        boolean differentiated = call.callee() instanceof Callee.Ruled || call.callee() instanceof Callee.Differentiable;
        return differentiated ? call.arguments() : List.of();
      }

      @Override
      public List<Expr> visitUnary(Expr.Unary unary) {
        return List.of(); // constant partials: -1, +1
      }

      @Override
      public List<Expr> visitCast(Expr.Cast cast) {
        return List.of(); // the seed passes through
      }

      @Override
      public List<Expr> visitLiteral(Expr.Literal literal) {
        return List.of();
      }

      @Override
      public List<Expr> visitFunctionRef(Expr.FunctionRef reference) {
        return List.of();
      }

      @Override
      public List<Expr> visitRead(Expr.Read read) {
        return List.of();
      }

      @Override
      public List<Expr> visitConstant(Expr.Constant constant) {
        return List.of();
      }

      @Override
      public List<Expr> visitArrayRead(Expr.ArrayRead read) {
        return List.of(); // the index is read by the adjoint's location, not by a partial
      }

      @Override
      public List<Expr> visitLength(Expr.Length length) {
        return List.of();
      }

      @Override
      public List<Expr> visitConditional(Expr.Conditional conditional) {
        return List.of(); // ?: on doubles became a branch in the normalizer
      }

      @Override
      public List<Expr> visitNewArray(Expr.NewArray array) {
        return List.of();
      }

      @Override
      public List<Expr> visitArrayLiteral(Expr.ArrayLiteral literal) {
        return List.of(); // each element takes its entry of the adjoint, a partial of 1
      }

      @Override
      public List<Expr> visitNewRecord(Expr.NewRecord record) {
        return List.of(); // each component takes its part of the adjoint, a partial of 1
      }

      @Override
      public List<Expr> visitPop(Expr.Pop pop) {
        return List.of();
      }

      @Override
      public List<Expr> visitPartialOf(Expr.PartialOf partial) {
        return List.of();
      }
    });
  }

  /** Whether the node's partials read the node's own value (rules such as exp's). */
  public static boolean ownValueNeeded(Expr node) {
    if (node instanceof Expr.Call call && call.callee() instanceof Callee.Ruled ruled) {
      return ruled.partials().stream().anyMatch(rule -> rule.map(Callee.PartialRule::takesValue).orElse(false));
    }
    return false;
  }
}
