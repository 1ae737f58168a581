package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Generic walks over expressions, so that each analysis states only what it looks for. */
public final class Exprs {
  private Exprs() {}

  public static List<Expr> children(Expr expr) {
    if (expr instanceof Expr.ArrayRead read) {
      return List.of(read.array(), read.index());
    }
    if (expr instanceof Expr.Length length) {
      return List.of(length.array());
    }
    if (expr instanceof Expr.Unary unary) {
      return List.of(unary.operand());
    }
    if (expr instanceof Expr.Binary binary) {
      return List.of(binary.left(), binary.right());
    }
    if (expr instanceof Expr.Cast cast) {
      return List.of(cast.operand());
    }
    if (expr instanceof Expr.Conditional conditional) {
      return List.of(conditional.condition(), conditional.whenTrue(), conditional.whenFalse());
    }
    if (expr instanceof Expr.Call call) {
      return call.arguments();
    }
    if (expr instanceof Expr.NewArray array) {
      return array.dimensions();
    }
    if (expr instanceof Expr.ArrayLiteral literal) {
      return literal.elements();
    }
    return List.of();
  }

  /** The same node with each child replaced by {@code map(child)}. */
  public static Expr mapChildren(Expr expr, UnaryOperator<Expr> map) {
    if (expr instanceof Expr.ArrayRead read) {
      return new Expr.ArrayRead(map.apply(read.array()), map.apply(read.index()), read.position());
    }
    if (expr instanceof Expr.Length length) {
      return new Expr.Length(map.apply(length.array()), length.position());
    }
    if (expr instanceof Expr.Unary unary) {
      return new Expr.Unary(unary.operator(), map.apply(unary.operand()), unary.position());
    }
    if (expr instanceof Expr.Binary binary) {
      return new Expr.Binary(binary.operator(), map.apply(binary.left()), map.apply(binary.right()),
          binary.type(), binary.position());
    }
    if (expr instanceof Expr.Cast cast) {
      return new Expr.Cast(cast.type(), map.apply(cast.operand()), cast.position());
    }
    if (expr instanceof Expr.Conditional conditional) {
      return new Expr.Conditional(map.apply(conditional.condition()), map.apply(conditional.whenTrue()),
          map.apply(conditional.whenFalse()), conditional.type(), conditional.position());
    }
    if (expr instanceof Expr.Call call) {
      return new Expr.Call(call.callee(), mapAll(call.arguments(), map), call.position());
    }
    if (expr instanceof Expr.NewArray array) {
      return new Expr.NewArray(array.type(), mapAll(array.dimensions(), map), array.position());
    }
    if (expr instanceof Expr.ArrayLiteral literal) {
      return new Expr.ArrayLiteral(literal.type(), mapAll(literal.elements(), map), literal.position());
    }
    return expr;
  }

  private static List<Expr> mapAll(List<Expr> exprs, UnaryOperator<Expr> map) {
    List<Expr> mapped = new ArrayList<>(exprs.size());
    for (Expr expr : exprs) {
      mapped.add(map.apply(expr));
    }
    return mapped;
  }

  /** Every variable the expression reads. */
  public static Set<Variable> variablesRead(Expr expr) {
    Set<Variable> variables = new LinkedHashSet<>();
    collectVariables(expr, variables);
    return variables;
  }

  private static void collectVariables(Expr expr, Set<Variable> into) {
    if (expr instanceof Expr.Read read) {
      into.add(read.variable());
    }
    if (expr instanceof Expr.PartialOf partial) {
      into.add(partial.gradient());
    }
    for (Expr child : children(expr)) {
      collectVariables(child, into);
    }
  }

  /** The variable an array expression such as {@code a} or {@code a[i]} belongs to, or null. */
  public static Variable rootOf(Expr array) {
    if (array instanceof Expr.Read read) {
      return read.variable();
    }
    return array instanceof Expr.ArrayRead read ? rootOf(read.array()) : null;
  }

  /** Leaves need no temporary: their value can be read again at any time. */
  public static boolean isLeaf(Expr expr) {
    return expr instanceof Expr.Read || expr instanceof Expr.Literal || expr instanceof Expr.Constant
        || expr instanceof Expr.PartialOf
        || (expr instanceof Expr.ArrayRead read && isLeaf(read.array()) && isLeaf(read.index()))
        || (expr instanceof Expr.Length length && isLeaf(length.array()));
  }

  /** Whether two pure expressions denote the same value, wherever they were written. */
  public static boolean sameValue(Expr a, Expr b) {
    if (a.getClass() != b.getClass()) {
      return false;
    }
    if (a instanceof Expr.Read read) {
      return read.variable() == ((Expr.Read) b).variable();
    }
    if (a instanceof Expr.Literal literal) {
      return literal.value().equals(((Expr.Literal) b).value()) && literal.type().equals(b.type());
    }
    if (a instanceof Expr.Constant constant) {
      Expr.Constant other = (Expr.Constant) b;
      return constant.ownerQualifiedName().equals(other.ownerQualifiedName()) && constant.field().equals(other.field());
    }
    if (a instanceof Expr.Binary binary && binary.operator() != ((Expr.Binary) b).operator()) {
      return false;
    }
    if (a instanceof Expr.Unary unary && unary.operator() != ((Expr.Unary) b).operator()) {
      return false;
    }
    if (a instanceof Expr.Cast && !a.type().equals(b.type())) {
      return false;
    }
    if (!(a instanceof Expr.ArrayRead || a instanceof Expr.Length || a instanceof Expr.Binary
        || a instanceof Expr.Unary || a instanceof Expr.Cast)) {
      return false;
    }
    List<Expr> left = children(a);
    List<Expr> right = children(b);
    for (int i = 0; i < left.size(); i++) {
      if (!sameValue(left.get(i), right.get(i))) {
        return false;
      }
    }
    return true;
  }
}
