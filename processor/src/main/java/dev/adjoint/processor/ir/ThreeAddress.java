package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits expressions into named temporaries, one step per line, and names the fresh variables of
 * one generated method ({@code sum}, {@code sum2}, {@code product}...), for every transform. The
 * names the method already has (the user's, and those of earlier passes) are never given again,
 * so that generated code says {@code sum} only where the source does.
 */
public final class ThreeAddress {
  private final Map<String, Integer> nameCounts = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, String> derivedNames = new HashMap<>();

  /** A namer that does not give the names {@code function} uses: its parameters' and its locals'. */
  public static ThreeAddress avoiding(Function function) {
    ThreeAddress namer = new ThreeAddress();
    function.parameters().forEach(parameter -> namer.used.add(parameter.name()));
    for (RecordParameter record : function.records()) {
      record.component().leaves().forEach(leaf -> namer.used.add(leaf.leaf().name()));
    }
    Stmts.declared(function.body().statements()).forEach(variable -> namer.used.add(variable.name()));
    return namer;
  }

  /** Another namer that starts with the names this one has taken, for code derived from the same body. */
  public ThreeAddress copy() {
    ThreeAddress copy = new ThreeAddress();
    copy.nameCounts.putAll(nameCounts);
    copy.used.addAll(used);
    copy.derivedNames.putAll(derivedNames);
    return copy;
  }

  /** A new synthetic variable named after {@code name}, numbered when the name is taken. */
  public Variable fresh(String name, Type type) {
    return new Variable(freshName(name), type, Variable.Role.SYNTHETIC);
  }

  /**
   * A variable named after a user's local called {@code name}, such as its tangent: every such
   * variable gets the same name, as the locals share theirs, and emission numbers them only where
   * their Java scopes overlap.
   */
  public Variable derived(String name, Type type) {
    return new Variable(derivedNames.computeIfAbsent(name, this::freshName), type, Variable.Role.SYNTHETIC);
  }

  /** {@code name}, numbered when it is taken ({@code sum2}), and taken from now on. */
  public String freshName(String name) {
    String candidate;
    do {
      int count = nameCounts.merge(name, 1, Integer::sum);
      candidate = count == 1 ? name : name + count;
    } while (!used.add(candidate));
    return candidate;
  }

  /**
   * Emits a temporary per composite double- or matrix-valued node of {@code node} (once: values
   * already in {@code values} are reused) and returns the expression for its value.
   */
  public Expr evaluate(Expr node, List<Stmt> out, Map<Expr, Expr> values) {
    if (values.containsKey(node)) {
      return values.get(node);
    }
    if (Exprs.isLeaf(node) || !node.type().isDifferentiableValue()) {
      values.put(node, node);
      return node;
    }
    Expr withTemporaries = Exprs.mapChildren(node, child -> evaluate(child, out, values));
    Variable temporary = fresh(nameFor(node), node.type());
    out.add(new Stmt.Declare(temporary, withTemporaries, SourcePosition.SYNTHETIC));
    Expr read = new Expr.Read(temporary);
    values.put(node, read);
    return read;
  }

  /** A name that says what a node computes. */
  public static String nameFor(Expr node) {
    return node.accept(new Expr.Visitor<String>() {
      @Override
      public String visitBinary(Expr.Binary binary) {
        return switch (binary.operator()) {
          case ADD -> "sum";
          case SUBTRACT -> "difference";
          case MULTIPLY -> "product";
          case DIVIDE -> "quotient";
          case REMAINDER -> "remainder";
          default -> "condition";
        };
      }

      @Override
      public String visitCall(Expr.Call call) {
        return call.callee().name();
      }

      @Override
      public String visitUnary(Expr.Unary unary) {
        return "negated";
      }

      @Override
      public String visitCast(Expr.Cast cast) {
        return "converted";
      }

      @Override
      public String visitLiteral(Expr.Literal literal) {
        return "value";
      }

      @Override
      public String visitFunctionRef(Expr.FunctionRef reference) {
        return "value";
      }

      @Override
      public String visitRead(Expr.Read read) {
        return "value";
      }

      @Override
      public String visitConstant(Expr.Constant constant) {
        return "value";
      }

      @Override
      public String visitArrayRead(Expr.ArrayRead read) {
        return "value";
      }

      @Override
      public String visitLength(Expr.Length length) {
        return "value";
      }

      @Override
      public String visitConditional(Expr.Conditional conditional) {
        return "value";
      }

      @Override
      public String visitNewArray(Expr.NewArray array) {
        return "value";
      }

      @Override
      public String visitArrayLiteral(Expr.ArrayLiteral literal) {
        return "value";
      }

      @Override
      public String visitNewRecord(Expr.NewRecord record) {
        return "record";
      }

      @Override
      public String visitPop(Expr.Pop pop) {
        return "value";
      }

      @Override
      public String visitPartialOf(Expr.PartialOf partial) {
        return "value";
      }
    });
  }
}
