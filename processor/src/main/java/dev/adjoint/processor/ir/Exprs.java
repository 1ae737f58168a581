package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Generic walks over expressions, so that each analysis states only what it looks for. */
public final class Exprs {
  private Exprs() {}

  /**
   * The arguments a derivative rule receives: each method reference at a parameter where the rule
   * takes an interface with {@code pullback} and {@code tangent} becomes that function object.
   */
  public static List<Expr> forRule(List<Expr> arguments, Callee.PartialRule rule) {
    List<Expr> ruleArguments = new ArrayList<>(arguments);
    for (int i = 0; i < arguments.size(); i++) {
      String differentiable = rule.functionInterfaceAt(i);
      if (differentiable != null && arguments.get(i) instanceof Expr.FunctionRef reference) {
        ruleArguments.set(i, reference.forRule(differentiable));
      }
    }
    return ruleArguments;
  }

  /** The sub-expressions of {@code expr}, in evaluation order. */
  public static List<Expr> children(Expr expr) {
    return expr.accept(CHILDREN);
  }

  private static final Expr.Visitor<List<Expr>> CHILDREN = new Expr.Visitor<>() {
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
      return List.of(read.array(), read.index());
    }

    @Override
    public List<Expr> visitLength(Expr.Length length) {
      return List.of(length.array());
    }

    @Override
    public List<Expr> visitUnary(Expr.Unary unary) {
      return List.of(unary.operand());
    }

    @Override
    public List<Expr> visitBinary(Expr.Binary binary) {
      return List.of(binary.left(), binary.right());
    }

    @Override
    public List<Expr> visitCast(Expr.Cast cast) {
      return List.of(cast.operand());
    }

    @Override
    public List<Expr> visitConditional(Expr.Conditional conditional) {
      return List.of(conditional.condition(), conditional.whenTrue(), conditional.whenFalse());
    }

    @Override
    public List<Expr> visitCall(Expr.Call call) {
      return call.arguments();
    }

    @Override
    public List<Expr> visitNewArray(Expr.NewArray array) {
      return array.dimensions();
    }

    @Override
    public List<Expr> visitArrayLiteral(Expr.ArrayLiteral literal) {
      return literal.elements();
    }

    @Override
    public List<Expr> visitNewRecord(Expr.NewRecord record) {
      return record.components();
    }

    @Override
    public List<Expr> visitPop(Expr.Pop pop) {
      return List.of();
    }

    @Override
    public List<Expr> visitPartialOf(Expr.PartialOf partial) {
      return List.of();
    }
  };

  /** The same node with each child replaced by {@code map(child)}. */
  public static Expr mapChildren(Expr expr, UnaryOperator<Expr> map) {
    return expr.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr visitLiteral(Expr.Literal literal) {
        return literal;
      }

      @Override
      public Expr visitFunctionRef(Expr.FunctionRef reference) {
        return reference;
      }

      @Override
      public Expr visitRead(Expr.Read read) {
        return read;
      }

      @Override
      public Expr visitConstant(Expr.Constant constant) {
        return constant;
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        return new Expr.ArrayRead(map.apply(read.array()), map.apply(read.index()), read.position());
      }

      @Override
      public Expr visitLength(Expr.Length length) {
        return new Expr.Length(map.apply(length.array()), length.position());
      }

      @Override
      public Expr visitUnary(Expr.Unary unary) {
        return new Expr.Unary(unary.operator(), map.apply(unary.operand()), unary.position());
      }

      @Override
      public Expr visitBinary(Expr.Binary binary) {
        return new Expr.Binary(binary.operator(), map.apply(binary.left()), map.apply(binary.right()),
            binary.type(), binary.position());
      }

      @Override
      public Expr visitCast(Expr.Cast cast) {
        return new Expr.Cast(cast.type(), map.apply(cast.operand()), cast.position());
      }

      @Override
      public Expr visitConditional(Expr.Conditional conditional) {
        return new Expr.Conditional(map.apply(conditional.condition()), map.apply(conditional.whenTrue()),
            map.apply(conditional.whenFalse()), conditional.type(), conditional.position());
      }

      @Override
      public Expr visitCall(Expr.Call call) {
        return new Expr.Call(call.callee(), mapAll(call.arguments(), map), call.position());
      }

      @Override
      public Expr visitNewArray(Expr.NewArray array) {
        return new Expr.NewArray(array.type(), mapAll(array.dimensions(), map), array.position());
      }

      @Override
      public Expr visitArrayLiteral(Expr.ArrayLiteral literal) {
        return new Expr.ArrayLiteral(literal.type(), mapAll(literal.elements(), map), literal.position());
      }

      @Override
      public Expr visitNewRecord(Expr.NewRecord record) {
        return new Expr.NewRecord(record.type(), record.accessors(), mapAll(record.components(), map), record.position());
      }

      @Override
      public Expr visitPop(Expr.Pop pop) {
        return pop;
      }

      @Override
      public Expr visitPartialOf(Expr.PartialOf partial) {
        return partial;
      }
    });
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
    Variable direct = expr.accept(VARIABLE_READ_DIRECTLY);
    if (direct != null) {
      into.add(direct);
    }
    for (Expr child : children(expr)) {
      collectVariables(child, into);
    }
  }

  /** The variable a node reads itself, not through its children, or null. */
  private static final Expr.Visitor<Variable> VARIABLE_READ_DIRECTLY = new Expr.Visitor<>() {
    @Override
    public Variable visitLiteral(Expr.Literal literal) {
      return null;
    }

    @Override
    public Variable visitFunctionRef(Expr.FunctionRef reference) {
      return null;
    }

    @Override
    public Variable visitRead(Expr.Read read) {
      return read.variable();
    }

    @Override
    public Variable visitConstant(Expr.Constant constant) {
      return null;
    }

    @Override
    public Variable visitArrayRead(Expr.ArrayRead read) {
      return null;
    }

    @Override
    public Variable visitLength(Expr.Length length) {
      return null;
    }

    @Override
    public Variable visitUnary(Expr.Unary unary) {
      return null;
    }

    @Override
    public Variable visitBinary(Expr.Binary binary) {
      return null;
    }

    @Override
    public Variable visitCast(Expr.Cast cast) {
      return null;
    }

    @Override
    public Variable visitConditional(Expr.Conditional conditional) {
      return null;
    }

    @Override
    public Variable visitCall(Expr.Call call) {
      return null;
    }

    @Override
    public Variable visitNewArray(Expr.NewArray array) {
      return null;
    }

    @Override
    public Variable visitArrayLiteral(Expr.ArrayLiteral literal) {
      return null;
    }

    @Override
    public Variable visitNewRecord(Expr.NewRecord record) {
      return null;
    }

    @Override
    public Variable visitPop(Expr.Pop pop) {
      return null;
    }

    @Override
    public Variable visitPartialOf(Expr.PartialOf partial) {
      return partial.gradient();
    }
  };

  /** The variable an array expression such as {@code a} or {@code a[i]} belongs to, or null. */
  public static Variable rootOf(Expr array) {
    return array.accept(ROOT);
  }

  private static final Expr.Visitor<Variable> ROOT = new Expr.Visitor<>() {
    @Override
    public Variable visitLiteral(Expr.Literal literal) {
      return null;
    }

    @Override
    public Variable visitFunctionRef(Expr.FunctionRef reference) {
      return null;
    }

    @Override
    public Variable visitRead(Expr.Read read) {
      return read.variable();
    }

    @Override
    public Variable visitConstant(Expr.Constant constant) {
      return null;
    }

    @Override
    public Variable visitArrayRead(Expr.ArrayRead read) {
      return read.array().accept(this);
    }

    @Override
    public Variable visitLength(Expr.Length length) {
      return null;
    }

    @Override
    public Variable visitUnary(Expr.Unary unary) {
      return null;
    }

    @Override
    public Variable visitBinary(Expr.Binary binary) {
      return null;
    }

    @Override
    public Variable visitCast(Expr.Cast cast) {
      return null;
    }

    @Override
    public Variable visitConditional(Expr.Conditional conditional) {
      return null;
    }

    @Override
    public Variable visitCall(Expr.Call call) {
      return null; // a returned array belongs to no variable yet
    }

    @Override
    public Variable visitNewArray(Expr.NewArray array) {
      return null;
    }

    @Override
    public Variable visitArrayLiteral(Expr.ArrayLiteral literal) {
      return null;
    }

    @Override
    public Variable visitNewRecord(Expr.NewRecord record) {
      return null;
    }

    @Override
    public Variable visitPop(Expr.Pop pop) {
      return null;
    }

    @Override
    public Variable visitPartialOf(Expr.PartialOf partial) {
      return null;
    }
  };

  /** Leaves need no temporary: their value can be read again at any time. */
  public static boolean isLeaf(Expr expr) {
    return expr.accept(IS_LEAF);
  }

  private static final Expr.Visitor<Boolean> IS_LEAF = new Expr.Visitor<>() {
    @Override
    public Boolean visitLiteral(Expr.Literal literal) {
      return true;
    }

    @Override
    public Boolean visitFunctionRef(Expr.FunctionRef reference) {
      return true;
    }

    @Override
    public Boolean visitRead(Expr.Read read) {
      return true;
    }

    @Override
    public Boolean visitConstant(Expr.Constant constant) {
      return true;
    }

    @Override
    public Boolean visitArrayRead(Expr.ArrayRead read) {
      return isLeaf(read.array()) && isLeaf(read.index());
    }

    @Override
    public Boolean visitLength(Expr.Length length) {
      return isLeaf(length.array());
    }

    @Override
    public Boolean visitUnary(Expr.Unary unary) {
      return false;
    }

    @Override
    public Boolean visitBinary(Expr.Binary binary) {
      return false;
    }

    @Override
    public Boolean visitCast(Expr.Cast cast) {
      return false;
    }

    @Override
    public Boolean visitConditional(Expr.Conditional conditional) {
      return false;
    }

    @Override
    public Boolean visitCall(Expr.Call call) {
      return false;
    }

    @Override
    public Boolean visitNewArray(Expr.NewArray array) {
      return false;
    }

    @Override
    public Boolean visitArrayLiteral(Expr.ArrayLiteral literal) {
      return false;
    }

    @Override
    public Boolean visitNewRecord(Expr.NewRecord record) {
      return false;
    }

    @Override
    public Boolean visitPop(Expr.Pop pop) {
      return false; // popping again would take the next value
    }

    @Override
    public Boolean visitPartialOf(Expr.PartialOf partial) {
      return true;
    }
  };

  /**
   * Whether two pure expressions denote the same value, wherever they were written. Calls, new
   * arrays and pops never do: each evaluation may give another value or object.
   */
  public static boolean sameValue(Expr a, Expr b) {
    return a.getClass() == b.getClass() && a.accept(new Expr.Visitor<Boolean>() {
      @Override
      public Boolean visitLiteral(Expr.Literal literal) {
        return Objects.equals(literal.value(), ((Expr.Literal) b).value()) && literal.type().equals(b.type());
      }

      @Override
      public Boolean visitFunctionRef(Expr.FunctionRef reference) {
        Expr.FunctionRef other = (Expr.FunctionRef) b;
        return Objects.equals(reference.target(), other.target())
            && Objects.equals(reference.differentiableInterface(), other.differentiableInterface());
      }

      @Override
      public Boolean visitRead(Expr.Read read) {
        return read.variable() == ((Expr.Read) b).variable();
      }

      @Override
      public Boolean visitConstant(Expr.Constant constant) {
        Expr.Constant other = (Expr.Constant) b;
        return constant.ownerQualifiedName().equals(other.ownerQualifiedName()) && constant.field().equals(other.field());
      }

      @Override
      public Boolean visitArrayRead(Expr.ArrayRead read) {
        return sameChildren(read, b);
      }

      @Override
      public Boolean visitLength(Expr.Length length) {
        return sameChildren(length, b);
      }

      @Override
      public Boolean visitUnary(Expr.Unary unary) {
        return unary.operator() == ((Expr.Unary) b).operator() && sameChildren(unary, b);
      }

      @Override
      public Boolean visitBinary(Expr.Binary binary) {
        return binary.operator() == ((Expr.Binary) b).operator() && sameChildren(binary, b);
      }

      @Override
      public Boolean visitCast(Expr.Cast cast) {
        return cast.type().equals(b.type()) && sameChildren(cast, b);
      }

      @Override
      public Boolean visitConditional(Expr.Conditional conditional) {
        return false;
      }

      @Override
      public Boolean visitCall(Expr.Call call) {
        return false;
      }

      @Override
      public Boolean visitNewArray(Expr.NewArray array) {
        return false;
      }

      @Override
      public Boolean visitArrayLiteral(Expr.ArrayLiteral literal) {
        return false;
      }

      @Override
      public Boolean visitNewRecord(Expr.NewRecord record) {
        return false;
      }

      @Override
      public Boolean visitPop(Expr.Pop pop) {
        return false;
      }

      @Override
      public Boolean visitPartialOf(Expr.PartialOf partial) {
        return false;
      }
    });
  }

  private static boolean sameChildren(Expr a, Expr b) {
    List<Expr> left = children(a);
    List<Expr> right = children(b);
    for (int i = 0; i < left.size(); i++) {
      if (!sameValue(left.get(i), right.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A visitor for code that is handed only locations, what an assignment can write: a variable
   * ({@code x}) or an element ({@code a[i]}). Every other kind is named here and rejected.
   */
  public abstract static class LocationsOnly<R> implements Expr.Visitor<R> {
    private R rejected(Expr expr) {
      throw new IllegalStateException("not a location: " + expr);
    }

    @Override
    public R visitLiteral(Expr.Literal literal) {
      return rejected(literal);
    }

    @Override
    public R visitFunctionRef(Expr.FunctionRef reference) {
      return rejected(reference);
    }

    @Override
    public R visitConstant(Expr.Constant constant) {
      return rejected(constant);
    }

    @Override
    public R visitLength(Expr.Length length) {
      return rejected(length);
    }

    @Override
    public R visitUnary(Expr.Unary unary) {
      return rejected(unary);
    }

    @Override
    public R visitBinary(Expr.Binary binary) {
      return rejected(binary);
    }

    @Override
    public R visitCast(Expr.Cast cast) {
      return rejected(cast);
    }

    @Override
    public R visitConditional(Expr.Conditional conditional) {
      return rejected(conditional);
    }

    @Override
    public R visitCall(Expr.Call call) {
      return rejected(call);
    }

    @Override
    public R visitNewArray(Expr.NewArray array) {
      return rejected(array);
    }

    @Override
    public R visitArrayLiteral(Expr.ArrayLiteral literal) {
      return rejected(literal);
    }

    @Override
    public R visitNewRecord(Expr.NewRecord record) {
      return rejected(record);
    }

    @Override
    public R visitPop(Expr.Pop pop) {
      return rejected(pop);
    }

    @Override
    public R visitPartialOf(Expr.PartialOf partial) {
      return rejected(partial);
    }
  }
}
