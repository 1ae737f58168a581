package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The local partial derivatives of the arithmetic operators, written once: reverse mode scales a
 * node's adjoint by them, forward mode its operands' tangents, and the to-be-recorded analysis
 * derives from them which operand values the reverse sweep reads ({@link #operandValuesNeeded}).
 * Calls have their partials in the rule catalogue instead.
 *
 * <p>A partial is an IR expression of the operand values and, where a mode holds it, of the
 * node's own value: forward mode has {@code q = a / b} at hand and uses ∂q/∂b = -q / b, while
 * the reverse sweep, which would have to recompute q, uses -a / (b * b).
 */
public final class OperatorPartials {
  private static final Expr ONE = Expr.Literal.ofDouble(1.0);

  private OperatorPartials() {}

  /**
   * The values a partial may read: the operands', and the node's own value where the mode holds it
   * (null where it does not).
   */
  public record Values(Expr left, Expr right, Expr result) {}

  /** ∂(left op right)/∂left and ∂(left op right)/∂right. */
  public record Partials(Expr ofLeft, Expr ofRight) {}

  /** The partials of an arithmetic operator at {@code at}. */
  public static Partials of(BinaryOperator operator, Values at) {
    Expr a = at.left();
    Expr b = at.right();
    return switch (operator) {
      case ADD -> new Partials(ONE, ONE);
      case SUBTRACT -> new Partials(ONE, negate(ONE));
      case MULTIPLY -> new Partials(b, a);
      case DIVIDE -> new Partials(divide(ONE, b), at.result() != null
          ? divide(negate(at.result()), b)
          : divide(negate(a), Expr.Binary.of(BinaryOperator.MULTIPLY, b, b)));
      // a % b = a - b * trunc(a / b), where trunc(a / b) = (a - a % b) / b exactly.
      case REMAINDER -> new Partials(ONE, negate(divide(
          Expr.Binary.of(BinaryOperator.SUBTRACT, a, at.result() != null ? at.result()
              : Expr.Binary.of(BinaryOperator.REMAINDER, a, b)), b)));
      case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL, AND, OR ->
          throw new IllegalArgumentException("no derivative: " + operator);
    };
  }

  /** The partial of a unary operator with respect to its operand. */
  public static Expr of(UnaryOperator operator) {
    return switch (operator) {
      case NEGATE -> negate(ONE);
      case PLUS -> ONE;
      case NOT -> throw new IllegalArgumentException("no derivative: " + operator);
    };
  }

  /**
   * {@code seed} times {@code partial}, written as by hand: {@code s} for a partial of 1,
   * {@code -s} for -1, {@code s / b} for 1 / b, {@code -(s * a) / (b * b)} for -a / (b * b).
   */
  public static Expr times(Expr seed, Expr partial) {
    return product(seed, partial, true);
  }

  /**
   * The same product with the partial written first ({@code a * db}, {@code -(q * db) / b}), so
   * that a right operand's tangent stays on the right, where the operand is.
   */
  public static Expr partialTimes(Expr partial, Expr seed) {
    return product(seed, partial, false);
  }

  private static Expr product(Expr seed, Expr partial, boolean seedFirst) {
    if (isOne(partial)) {
      return seed;
    }
    if (isOne(seed)) {
      return partial;
    }
    if (partial instanceof Expr.Unary unary && unary.operator() == UnaryOperator.NEGATE) {
      return negate(product(seed, unary.operand(), seedFirst));
    }
    if (partial instanceof Expr.Binary quotient && quotient.operator() == BinaryOperator.DIVIDE) {
      return divide(product(seed, quotient.left(), seedFirst), quotient.right());
    }
    return seedFirst ? Expr.Binary.of(BinaryOperator.MULTIPLY, seed, partial)
        : Expr.Binary.of(BinaryOperator.MULTIPLY, partial, seed);
  }

  /**
   * The operands whose values the partials of the varied operands read in the reverse sweep, left
   * before right: for {@code a * b}, b's value only if a is varied, and a's only if b is.
   */
  public static List<Expr> operandValuesNeeded(Expr.Binary node, Predicate<Expr> varied) {
    Variable left = new Variable("left", node.left().type(), Variable.Role.SYNTHETIC);
    Variable right = new Variable("right", node.right().type(), Variable.Role.SYNTHETIC);
    Partials partials = of(node.operator(), new Values(new Expr.Read(left), new Expr.Read(right), null));
    Set<Variable> read = new HashSet<>();
    if (varied.test(node.left())) {
      read.addAll(Exprs.variablesRead(partials.ofLeft()));
    }
    if (varied.test(node.right())) {
      read.addAll(Exprs.variablesRead(partials.ofRight()));
    }
    List<Expr> operands = new ArrayList<>();
    if (read.contains(left)) {
      operands.add(node.left());
    }
    if (read.contains(right)) {
      operands.add(node.right());
    }
    return operands;
  }

  /** Whether, where a mode holds the node's value, the partials of the varied operands read it. */
  public static boolean readsOwnValue(Expr.Binary node, Predicate<Expr> varied) {
    Variable result = new Variable("result", node.type(), Variable.Role.SYNTHETIC);
    Partials partials = of(node.operator(), new Values(node.left(), node.right(), new Expr.Read(result)));
    return (varied.test(node.left()) && Exprs.variablesRead(partials.ofLeft()).contains(result))
        || (varied.test(node.right()) && Exprs.variablesRead(partials.ofRight()).contains(result));
  }

  private static Expr divide(Expr a, Expr b) {
    return Expr.Binary.of(BinaryOperator.DIVIDE, a, b);
  }

  private static Expr negate(Expr a) {
    if (a instanceof Expr.Unary unary && unary.operator() == UnaryOperator.NEGATE) {
      return unary.operand();
    }
    return new Expr.Unary(UnaryOperator.NEGATE, a, SourcePosition.SYNTHETIC);
  }

  private static boolean isOne(Expr expr) {
    return expr instanceof Expr.Literal literal && literal.type().isScalar() && literal.value() != null
        && (literal.value().equals(1) || literal.value().equals(1.0) || literal.value().equals(1L));
  }
}
