package dev.adjoint.processor.taylor;

import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.ThreeAddress;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Taylor mode: every double becomes a truncated Taylor series in the one differentiated parameter
 * (the runtime's {@code Taylor} arithmetic), so that one pass gives derivatives of any order.
 * Integers, booleans and conditions keep their values; a branch tests a series' value.
 */
public final class TaylorTransform {
  private static final String TAYLOR = "dev.adjoint.runtime.Taylor";
  private static final String MATH = "java.lang.Math";
  private static final String STRICT_MATH = "java.lang.StrictMath";
  private static final Type SERIES = Type.DOUBLE_ARRAY;

  private final Variable order;
  private final Map<Variable, Variable> series = new IdentityHashMap<>();
  private final Variable parameter;

  /**
   * The body of {@code fDerivatives}: the statements, the order parameter, and the series that
   * holds the result.
   */
  public record TaylorCode(List<Stmt> statements, Variable order, Variable result) {}

  private TaylorTransform(Variable parameter, Variable order) {
    this.parameter = parameter;
    this.order = order;
  }

  public static TaylorCode of(Function normalized, Variable result) {
    List<Variable> differentiated = normalized.differentiated();
    if (differentiated.size() != 1 || !differentiated.get(0).type().equals(Type.DOUBLE)) {
      throw new CompileError(null, Message.TAYLOR_PARAMETERS, normalized.name(), differentiated);
    }
    ThreeAddress names = ThreeAddress.avoiding(normalized);
    TaylorTransform transform = new TaylorTransform(differentiated.get(0),
        new Variable(names.freshName("order"), Type.INT, Variable.Role.PARAMETER));
    List<Stmt> statements = new ArrayList<>();
    for (Variable parameter : normalized.parameters()) {
      if (parameter.type().equals(Type.DOUBLE)) {
        Variable seriesOfParameter = names.fresh(parameter.name() + "Series", SERIES);
        transform.series.put(parameter, seriesOfParameter);
        String start = parameter == transform.parameter ? "variable" : "constant";
        statements.add(new Stmt.Declare(seriesOfParameter,
            transform.taylor(start, new Expr.Read(parameter), new Expr.Read(transform.order)), SourcePosition.SYNTHETIC));
      }
    }
    statements.addAll(transform.statements(normalized.body().statements()));
    return new TaylorCode(statements, transform.order, transform.seriesOf(result));
  }

  private List<Stmt> statements(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt statement : statements) {
      out.add(statement(statement));
    }
    return out;
  }

  private Stmt statement(Stmt statement) {
    return statement.accept(new Stmt.Visitor<Stmt>() {
      @Override
      public Stmt visitBlock(Stmt.Block block) {
        return new Stmt.Block(statements(block.statements()), block.position());
      }

      @Override
      public Stmt visitDeclare(Stmt.Declare declare) {
        Variable variable = declare.variable();
        if (variable.type().equals(Type.DOUBLE)) {
          Expr init = declare.init() == null ? Expr.Literal.ofDouble(0.0) : declare.init();
          return new Stmt.Declare(seriesOf(variable), seriesOf(init), declare.position());
        }
        return new Stmt.Declare(variable, declare.init() == null ? null : arrayOrValue(declare.init(), declare), declare.position());
      }

      @Override
      public Stmt visitAssign(Stmt.Assign assign) {
        Variable variable = assign.variable();
        return variable.type().equals(Type.DOUBLE)
            ? new Stmt.Assign(seriesOf(variable), seriesOf(assign.value()), assign.position())
            : new Stmt.Assign(variable, arrayOrValue(assign.value(), assign), assign.position());
      }

      @Override
      public Stmt visitArrayAssign(Stmt.ArrayAssign assign) {
        if (assign.value().type().equals(Type.DOUBLE)) {
          throw new CompileError(assign.position().tree(), Message.UNSUPPORTED_STATEMENT,
              "`" + assign.position().tree() + "` in Taylor mode (arrays of doubles are not expanded into series)");
        }
        return new Stmt.ArrayAssign(value(assign.array()), value(assign.index()), value(assign.value()), assign.position());
      }

      @Override
      public Stmt visitIf(Stmt.If ifStmt) {
        return new Stmt.If(value(ifStmt.condition()), new Stmt.Block(statements(ifStmt.thenBlock().statements())),
            new Stmt.Block(statements(ifStmt.elseBlock().statements())), ifStmt.position());
      }

      @Override
      public Stmt visitLoop(Stmt.Loop loop) {
        return new Stmt.Loop(loop.label(), value(loop.condition()), loop.testFirst(),
            new Stmt.Block(statements(loop.body().statements())), new Stmt.Block(statements(loop.update().statements())),
            loop.position());
      }

      @Override
      public Stmt visitBreak(Stmt.Break jump) {
        throw notInNormalizedSource(jump);
      }

      @Override
      public Stmt visitContinue(Stmt.Continue jump) {
        throw notInNormalizedSource(jump);
      }

      @Override
      public Stmt visitReturn(Stmt.Return ret) {
        throw notInNormalizedSource(ret);
      }

      @Override
      public Stmt visitPush(Stmt.Push push) {
        throw notInNormalizedSource(push);
      }

      @Override
      public Stmt visitPullback(Stmt.Pullback pullback) {
        throw notInNormalizedSource(pullback);
      }

      @Override
      public Stmt visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
        throw notInNormalizedSource(pullbackTangent);
      }

      @Override
      public Stmt visitEffect(Stmt.Effect effect) {
        throw notInNormalizedSource(effect);
      }

      @Override
      public Stmt visitComment(Stmt.Comment comment) {
        return comment;
      }
    });
  }

  /** Taylor mode reads a normalized user method: no jumps, and none of the other transforms' statements. */
  private static IllegalStateException notInNormalizedSource(Object node) {
    return new IllegalStateException("not in a normalized method: " + node);
  }

  private Variable seriesOf(Variable variable) {
    return series.computeIfAbsent(variable, v -> new Variable(v.name(), SERIES, Variable.Role.SYNTHETIC));
  }

  /**
   * The series of a double-valued expression. The operators and {@code Math} functions map to the
   * runtime's series arithmetic, not to the first-order partials of
   * {@link dev.adjoint.processor.analysis.OperatorPartials}: the series of a product is the Cauchy
   * product of its operands' series, which no first-order partial gives.
   */
  private Expr seriesOf(Expr expr) {
    if (!expr.type().equals(Type.DOUBLE)) {
      return taylor("constant", value(expr), new Expr.Read(order));
    }
    return expr.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr visitLiteral(Expr.Literal literal) {
        return constant(literal);
      }

      @Override
      public Expr visitFunctionRef(Expr.FunctionRef reference) {
        return constant(reference);
      }

      @Override
      public Expr visitRead(Expr.Read read) {
        return new Expr.Read(seriesOf(read.variable()));
      }

      @Override
      public Expr visitConstant(Expr.Constant constant) {
        return constant(constant);
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        return constant(read); // an element of a data array: arrays are not expanded into series
      }

      @Override
      public Expr visitLength(Expr.Length length) {
        return constant(length);
      }

      @Override
      public Expr visitUnary(Expr.Unary unary) {
        Expr operand = seriesOf(unary.operand());
        return unary.operator() == UnaryOperator.NEGATE ? taylor("negate", operand) : operand;
      }

      @Override
      public Expr visitBinary(Expr.Binary binary) {
        String operation = switch (binary.operator()) {
          case ADD -> "add";
          case SUBTRACT -> "subtract";
          case MULTIPLY -> "multiply";
          case DIVIDE -> "divide";
          case REMAINDER -> "remainder";
          default -> throw new IllegalStateException("not arithmetic: " + binary);
        };
        return taylor(operation, seriesOf(binary.left()), seriesOf(binary.right()));
      }

      @Override
      public Expr visitCast(Expr.Cast cast) {
        // A cast from an integer starts a constant series; a cast of a double changes nothing.
        return cast.operand().type().equals(Type.DOUBLE) ? seriesOf(cast.operand()) : constant(cast);
      }

      @Override
      public Expr visitConditional(Expr.Conditional conditional) {
        throw notInNormalizedSource(conditional); // the normalizer made ?: on doubles an if statement
      }

      @Override
      public Expr visitCall(Expr.Call call) {
        if (!readsSeries(call)) {
          return constant(call); // a call on data, of any callee: a constant series
        }
        String owner = call.callee().ownerQualifiedName();
        if (!(owner.equals(MATH) || owner.equals(STRICT_MATH)) || call.callee() instanceof Callee.Plain) {
          throw new CompileError(call.position().tree(), Message.UNSUPPORTED_CALL,
              call.callee().name() + " in Taylor mode (java.lang.Math functions only)");
        }
        List<Expr> arguments = new ArrayList<>();
        for (Expr argument : call.arguments()) {
          arguments.add(seriesOf(argument));
        }
        return taylor(call.callee().name(), arguments.toArray(Expr[]::new));
      }

      @Override
      public Expr visitNewArray(Expr.NewArray array) {
        return constant(array);
      }

      @Override
      public Expr visitArrayLiteral(Expr.ArrayLiteral literal) {
        return constant(literal);
      }

      @Override
      public Expr visitPop(Expr.Pop pop) {
        throw notInNormalizedSource(pop);
      }

      @Override
      public Expr visitPartialOf(Expr.PartialOf partial) {
        throw notInNormalizedSource(partial);
      }
    });
  }

  /**
   * The series of a value that does not depend on the parameter. Its parts are plain values: an
   * index such as {@code (int) x} reads the value of x's series.
   */
  private Expr constant(Expr expr) {
    return taylor("constant", Exprs.mapChildren(expr, this::value), new Expr.Read(order));
  }

  /** Whether an expression reads a double variable, which is a series here. */
  private static boolean readsSeries(Expr expr) {
    return Exprs.variablesRead(expr).stream().anyMatch(v -> v.type().equals(Type.DOUBLE));
  }

  /**
   * A value stored into a variable that is not a double; an array of doubles computed from series
   * (an initialiser {@code {x, x * x}}, a call on x) would keep only their values, so it is an error.
   */
  private Expr arrayOrValue(Expr expr, Stmt statement) {
    if (expr.type().isArray() && expr.type().base() == Type.Base.DOUBLE && readsSeries(expr)) {
      throw new CompileError(statement.position().tree(), Message.UNSUPPORTED_STATEMENT,
          "`" + statement.position().tree() + "` in Taylor mode (arrays of doubles are not expanded into series)");
    }
    return value(expr);
  }

  /** An expression in a place that needs a plain value: a condition, an index, an integer. */
  private Expr value(Expr expr) {
    if (expr.type().equals(Type.DOUBLE) && readsSeries(expr)) {
      return taylor("value", seriesOf(expr));
    }
    return Exprs.mapChildren(expr, this::value);
  }

  private Expr.Call taylor(String operation, Expr... arguments) {
    List<Type> types = new ArrayList<>();
    for (Expr argument : arguments) {
      types.add(argument.type());
    }
    Type returnType = operation.equals("value") ? Type.DOUBLE : SERIES;
    return new Expr.Call(Callee.Plain.of(TAYLOR, operation, types, returnType), List.of(arguments),
        SourcePosition.SYNTHETIC);
  }
}
