package dev.adjoint.processor.taylor;

import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.RecordParameter;
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
   * The body of {@code fDerivatives} or {@code fSeries}: the statements, the order parameter, the
   * series that holds the result, and (for {@code fSeries}) the series that stand for the double
   * parameters, by parameter.
   */
  public record TaylorCode(List<Stmt> statements, Variable order, Variable result, Map<Variable, Variable> inputs) {}

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
    // Parameters, and the values read from records and the receiver's fields at the start.
    List<Variable> inputs = new ArrayList<>(normalized.parameters());
    normalized.records().forEach(record -> record.component().leaves().forEach(leaf -> inputs.add(leaf.leaf())));
    for (Variable parameter : inputs) {
      if (parameter.type().equals(Type.DOUBLE)) {
        Variable seriesOfParameter = names.fresh(parameter.name() + "Series", SERIES);
        transform.series.put(parameter, seriesOfParameter);
        String start = parameter == transform.parameter ? "variable" : "constant";
        statements.add(new Stmt.Declare(seriesOfParameter,
            transform.taylor(start, new Expr.Read(parameter), new Expr.Read(transform.order)), SourcePosition.SYNTHETIC));
      }
    }
    statements.addAll(transform.constantLeaves(normalized, names));
    statements.addAll(transform.statements(normalized.body().statements()));
    return new TaylorCode(statements, transform.order, transform.seriesOf(result), Map.of());
  }

  /**
   * The body of {@code fSeries}, what a caller's Taylor mode calls: every double parameter comes in
   * as a series ({@code xSeries}) in the caller's variable, and the result goes out as one.
   */
  public static TaylorCode series(Function normalized, Variable result) {
    ThreeAddress names = ThreeAddress.avoiding(normalized);
    TaylorTransform transform = new TaylorTransform(null,
        new Variable(names.freshName("order"), Type.INT, Variable.Role.PARAMETER));
    Map<Variable, Variable> inputs = new java.util.LinkedHashMap<>();
    for (Variable parameter : normalized.parameters()) {
      if (parameter.type().equals(Type.DOUBLE)) {
        Variable seriesOfParameter = new Variable(names.freshName(parameter.name() + "Series"), SERIES,
            Variable.Role.PARAMETER);
        transform.series.put(parameter, seriesOfParameter);
        inputs.put(parameter, seriesOfParameter);
      }
    }
    List<Stmt> statements = transform.constantLeaves(normalized, names);
    statements.addAll(transform.statements(normalized.body().statements()));
    return new TaylorCode(statements, transform.order, transform.seriesOf(result), inputs);
  }

  /** Constant series of the double components of record parameters, which are data in Taylor mode. */
  private List<Stmt> constantLeaves(Function normalized, ThreeAddress names) {
    List<Stmt> statements = new ArrayList<>();
    for (RecordParameter record : normalized.records()) {
      for (RecordParameter.Component component : record.component().leaves()) {
        Variable leaf = component.leaf();
        if (leaf.type().equals(Type.DOUBLE)) {
          Variable seriesOfLeaf = names.fresh(leaf.name() + "Series", SERIES);
          series.put(leaf, seriesOfLeaf);
          statements.add(new Stmt.Declare(seriesOfLeaf, taylor("constant", new Expr.Read(leaf), new Expr.Read(order)),
              SourcePosition.SYNTHETIC));
        }
      }
    }
    return statements;
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
        if (call.callee() instanceof Callee.Differentiable callee) {
          return seriesCall(call, callee);
        }
        String owner = call.callee().ownerQualifiedName();
        if (!(owner.equals(MATH) || owner.equals(STRICT_MATH)) || call.callee() instanceof Callee.Plain) {
          throw new CompileError(call.position().tree(), Message.UNSUPPORTED_CALL,
              call.callee().name() + " in Taylor mode (only java.lang.Math functions, helpers and @Differentiable"
                  + " methods with TAYLOR: a @DerivativeRule gives no Taylor series)");
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
      public Expr visitNewRecord(Expr.NewRecord record) {
        return constant(record); // an argument of a call, which Taylor mode takes only on data
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
   * A call of another {@code @Differentiable} method or a helper: its {@code fSeries}, with the
   * series of each double argument and the values of the others.
   */
  private Expr seriesCall(Expr.Call call, Callee.Differentiable callee) {
    if (!callee.hasSeries()) {
      throw new CompileError(call.position().tree(), Message.CALLEE_WITHOUT_SERIES, callee.name());
    }
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
      arguments.add(argument.type().equals(Type.DOUBLE) ? seriesOf(argument) : arrayOrValue(argument, call));
    }
    arguments.add(new Expr.Read(order));
    List<Type> types = arguments.stream().map(Expr::type).toList();
    return new Expr.Call(Callee.Plain.of(callee.companionQualifiedName(), callee.seriesName(), types, SERIES),
        arguments, call.position());
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
    return arrayOrValue(expr, statement.position());
  }

  private Expr arrayOrValue(Expr expr, Expr call) {
    return arrayOrValue(expr, call.position());
  }

  private Expr arrayOrValue(Expr expr, SourcePosition at) {
    if (expr.type().isArray() && expr.type().base() == Type.Base.DOUBLE && readsSeries(expr)) {
      throw new CompileError(at.tree(), Message.UNSUPPORTED_STATEMENT,
          "`" + at.tree() + "` in Taylor mode (arrays of doubles are not expanded into series)");
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
