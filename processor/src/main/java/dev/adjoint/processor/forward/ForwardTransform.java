package dev.adjoint.processor.forward;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.OperatorPartials;
import dev.adjoint.processor.analysis.Partials;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.ThreeAddress;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.reverse.Pullback;
import dev.adjoint.processor.rules.RuleCatalogue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Forward mode on the IR: every statement that computes a varied value is followed by the
 * statement that computes its tangent (directional derivative), in the same block, so branches
 * and loops need no recording. Applied to a function it gives Jacobian-vector products; applied to
 * a pullback's statements (forward over reverse) it gives Hessian-vector products, which is why it
 * also carries tangents across the tape and through the reverse sweep's rule calls.
 */
public final class ForwardTransform {
  private static final String ADJOINTS = "dev.adjoint.runtime.Adjoints";
  private static final String DUAL = "dev.adjoint.runtime.Dual";
  private static final String DUAL_ARRAY_2D = "dev.adjoint.runtime.DualArray2D";
  private static final String DUAL_VECTOR = "dev.adjoint.runtime.DualVector";
  private static final String MATRIX = "dev.adjoint.runtime.Matrix";
  private static final String DUAL_MATRIX = "dev.adjoint.runtime.DualMatrix";

  private final Activity activity;
  private final RuleCatalogue rules;
  private final String prefix;
  private final ThreeAddress temporaries;
  private final Map<Variable, Variable> tangents = new IdentityHashMap<>();
  /** The tangent of each call of another {@code @Differentiable} method, from the callee's own forward mode. */
  private final Map<Expr, Expr> callTangents = new IdentityHashMap<>();
  /** The gradient objects that callees' pullbacks fill, which get a twin for their tangents. */
  private final Set<Variable> pullbackGradients = new HashSet<>();
  private boolean overReverse;
  /** Whether to put the source line above each statement's code: not over a pullback, which has them. */
  private boolean commentSourceLines;

  /**
   * @param activity which variables are varied
   * @param rules where the partials of called functions come from (rules of rules, for second order)
   * @param prefix the prefix of tangent names: {@code d} gives {@code dx} for {@code x}
   * @param inputs the tangent of each input variable, provided by the caller
   */
  public ForwardTransform(Activity activity, RuleCatalogue rules, String prefix, Map<Variable, Variable> inputs,
      ThreeAddress temporaries) {
    this.activity = activity;
    this.rules = rules;
    this.prefix = prefix;
    this.temporaries = temporaries;
    this.tangents.putAll(inputs);
  }

  /** Jacobian-vector products: the function's body with a tangent per differentiated parameter ({@code dx}). */
  public static TangentCode tangentCode(Function normalized, Variable result, RuleCatalogue rules) {
    Map<Variable, Variable> inputs = new LinkedHashMap<>();
    ThreeAddress temporaries = ThreeAddress.avoiding(normalized);
    for (Variable parameter : normalized.differentiated()) {
      inputs.put(parameter, new Variable(temporaries.freshName("d" + parameter.name()), parameter.type(),
          Variable.Role.PARAMETER));
    }
    Activity activity = Activity.variedFrom(normalized.body(), normalized.differentiated());
    ForwardTransform forward = new ForwardTransform(activity, rules, "d", inputs, temporaries);
    forward.commentSourceLines = true;
    List<Stmt> statements = forward.transform(normalized.body().statements());
    Map<Variable, Variable> outputs = new LinkedHashMap<>();
    if (activity.isVaried(result)) {
      outputs.put(result, forward.tangentOf(result));
    }
    return new TangentCode(statements, inputs, outputs, false);
  }

  /**
   * Hessian-vector products, forward over reverse: the pullback's statements with a direction
   * per differentiated parameter ({@code vx}); each parameter adjoint's tangent ends as H·v.
   */
  public static TangentCode hessianVectorCode(Pullback pullback, RuleCatalogue rules) {
    return forwardOverReverse(pullback, rules, false);
  }

  /**
   * The pullback's own forward mode, which callers' Hessians call: as {@link #hessianVectorCode}
   * but the seed has a tangent too ({@code vSeed}), since in a caller it depends on the parameters.
   */
  public static TangentCode pullbackTangentCode(Pullback pullback, RuleCatalogue rules) {
    return forwardOverReverse(pullback, rules, true);
  }

  private static TangentCode forwardOverReverse(Pullback pullback, RuleCatalogue rules, boolean seedHasTangent) {
    Map<Variable, Variable> inputs = new LinkedHashMap<>();
    Map<Variable, Variable> outputs = new LinkedHashMap<>();
    List<Variable> varied = new ArrayList<>();
    ThreeAddress temporaries = pullback.temporaries().copy();
    for (Map.Entry<Variable, Variable> adjoint : pullback.parameterAdjoints().entrySet()) {
      Variable parameter = adjoint.getKey();
      inputs.put(parameter, new Variable(temporaries.freshName(directionName(parameter)), parameter.type(),
          Variable.Role.PARAMETER));
      Variable adjointTangent = temporaries.fresh("t" + adjoint.getValue().name(), parameter.type());
      inputs.put(adjoint.getValue(), adjointTangent);
      outputs.put(parameter, adjointTangent);
      varied.add(parameter);
      varied.add(adjoint.getValue());
    }
    if (seedHasTangent) {
      Variable seed = pullback.seed();
      inputs.put(seed, new Variable(temporaries.freshName(directionName(seed)), seed.type(), Variable.Role.PARAMETER));
      varied.add(seed);
    }
    Stmt.Block body = new Stmt.Block(pullback.statements());
    Activity activity = Activity.variedFrom(body, varied);
    ForwardTransform forward = new ForwardTransform(activity, rules, "t", inputs, temporaries);
    forward.overReverse = true;
    collectPullbackGradients(body.statements(), forward.pullbackGradients);
    List<Stmt> statements = forward.transform(body.statements());
    if (seedHasTangent) {
      return new TangentCode(statements, inputs, outputs, pullback.usesTape()); // the caller reads the adjoints too
    }
    DeadStores.Pruned pruned = DeadStores.remove(statements, outputs.values());
    Set<Variable> unused = new HashSet<>(pullback.parameterAdjoints().values());
    unused.removeAll(pruned.live());
    return new TangentCode(pruned.statements(), inputs, outputs, pullback.usesTape(), unused);
  }

  /** {@code vX} for {@code x}: the direction a Hessian is multiplied by. */
  private static String directionName(Variable variable) {
    return "v" + Identifiers.capitalize(variable.name());
  }

  private static void collectPullbackGradients(List<Stmt> statements, Set<Variable> gradients) {
    Stmts.ByAssignment<Void> collector = new Stmts.ByAssignment<>() {
      @Override
      public Void visitBlock(Stmt.Block block) {
        block.statements().forEach(child -> child.accept(this));
        return null;
      }

      @Override
      public Void visitIf(Stmt.If ifStmt) {
        ifStmt.thenBlock().accept(this);
        ifStmt.elseBlock().accept(this);
        return null;
      }

      @Override
      public Void visitLoop(Stmt.Loop loop) {
        loop.body().accept(this);
        loop.update().accept(this);
        return null;
      }

      @Override
      public Void visitPullback(Stmt.Pullback pullback) {
        gradients.add(pullback.gradient());
        return null;
      }

      @Override
      protected Void assignment(Stmt assignment) {
        return null;
      }

      @Override
      protected Void otherLeaf(Stmt statement) {
        return null; // a pullback tangent is written by this transform, after the collection
      }
    };
    statements.forEach(statement -> statement.accept(collector));
  }

  /** The tangent variable of {@code variable}, declared where the variable is. */
  public Variable tangentOf(Variable variable) {
    // Locals of one name in disjoint scopes (a t per branch) have tangents of one name (dt in each).
    return tangents.computeIfAbsent(variable, v -> v.role() == Variable.Role.LOCAL
        ? temporaries.derived(prefix + v.name(), v.type()) : temporaries.fresh(prefix + v.name(), v.type()));
  }

  public List<Stmt> transform(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt statement : statements) {
      translate(statement, out);
    }
    return out;
  }

  private void translate(Stmt statement, List<Stmt> out) {
    if (commentSourceLines && statement.position().isKnown() && !(statement instanceof Stmt.Block)) {
      out.add(Stmt.Comment.sourceLine(statement.position()));
    }
    statement.accept(new Stmts.ByAssignment<Void>() {
      @Override
      public Void visitBlock(Stmt.Block block) {
        out.add(new Stmt.Block(transform(block.statements()), block.position()));
        return null;
      }

      @Override
      public Void visitIf(Stmt.If ifStmt) {
        out.add(new Stmt.If(ifStmt.condition(), new Stmt.Block(transform(ifStmt.thenBlock().statements())),
            new Stmt.Block(transform(ifStmt.elseBlock().statements())), ifStmt.position()));
        return null;
      }

      @Override
      public Void visitLoop(Stmt.Loop loop) {
        Stmt.Block body = new Stmt.Block(transform(loop.body().statements()));
        boolean commented = commentSourceLines;
        commentSourceLines = false; // the update stays a for loop's update
        Stmt.Block update = new Stmt.Block(transform(loop.update().statements()));
        commentSourceLines = commented;
        out.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(), body, update, loop.position()));
        return null;
      }

      @Override
      public Void visitPush(Stmt.Push push) {
        out.add(push);
        if (push.value().type().isDifferentiable()) {
          out.add(new Stmt.Push(tangentLocation(push.value())));
        }
        return null;
      }

      @Override
      public Void visitEffect(Stmt.Effect effect) {
        translateEffect(effect, out);
        return null;
      }

      @Override
      public Void visitPullback(Stmt.Pullback pullback) {
        translatePullback(pullback, out);
        return null;
      }

      @Override
      public Void visitComment(Stmt.Comment comment) {
        out.add(comment);
        return null;
      }

      @Override
      protected Void assignment(Stmt assignment) {
        translateAssignment(assignment, out);
        return null;
      }

      @Override
      protected Void otherLeaf(Stmt other) {
        // Jumps and returns are gone after normalisation; pullback tangents are this transform's output.
        throw new IllegalStateException("not normalized: " + other);
      }
    });
  }

  private void translateAssignment(Stmt statement, List<Stmt> out) {
    Variable target = Activity.targetOf(statement);
    Expr value = Activity.valueOf(statement);
    boolean hasTangent = target.type().isDifferentiable() && activity.isVaried(target);
    if (statement instanceof Stmt.Declare declare && pullbackGradients.contains(target)) {
      out.add(statement);
      out.add(new Stmt.Declare(tangentOf(target), null, declare.position()));
      return;
    }
    if (value instanceof Expr.Pop pop && pop.type().isDifferentiable()) {
      // Every differentiable push is followed by its tangent's, which therefore comes off first.
      out.add(hasTangent
          ? store(statement, tangentLocation(locationOf(statement)), new Expr.Pop(pop.type()))
          : new Stmt.Declare(temporaries.fresh("unusedTangent", pop.type()), new Expr.Pop(pop.type()),
              SourcePosition.SYNTHETIC));
      out.add(statement);
      return;
    }
    if (!hasTangent) {
      out.add(statement);
      return;
    }
    if (value == null) {
      out.add(statement);
      out.add(new Stmt.Declare(tangentOf(target), null, SourcePosition.SYNTHETIC));
      return;
    }
    Map<Expr, Expr> values = new IdentityHashMap<>();
    evaluateDifferentiableCalls(value, values, out);
    if (target.type().isArray() && !(statement instanceof Stmt.ArrayAssign)) {
      // The calls' values come from their forward mode, computed once above.
      out.add(store(statement, locationOf(statement), withValues(value, values)));
      Expr tangent = callTangents.containsKey(value) ? callTangents.get(value)
          : storedRuleCallTangent(value, target, out).orElseGet(() -> arrayTangent(value));
      out.add(store(statement, tangentLocation(locationOf(statement)), tangent));
      return;
    }
    Expr root = values.containsKey(value) ? values.get(value)
        : Partials.ownValueNeeded(value) || needsOwnValue(value)
        ? temporaries.evaluate(value, out, values)
        : Exprs.mapChildren(value, child -> temporaries.evaluate(child, out, values));
    values.putIfAbsent(value, root);
    Expr tangent = tangentExpression(value, values, out);
    Expr location = locationOf(statement);
    Expr tangentLocation = tangentLocation(location);
    if (target.type().base() == Type.Base.MATRIX && isZero(tangent)) {
      out.add(store(statement, location, root));
      out.add(store(statement, tangentLocation, zerosLike(location))); // later rules take it: a matrix, if of zeros
      return;
    }
    Stmt tangentStore = Exprs.sameValue(tangentLocation, tangent) ? null : store(statement, tangentLocation, tangent);
    // The tangent reads the values from before the store: it comes first when the store changes one.
    boolean tangentFirst = tangentStore != null && Exprs.variablesRead(tangent).contains(target);
    if (tangentFirst) {
      out.add(tangentStore);
    }
    out.add(store(statement, location, root));
    if (tangentStore != null && !tangentFirst) {
      out.add(tangentStore);
    }
  }

  /** {@code node} with every part already evaluated into {@code values} read from there. */
  private static Expr withValues(Expr node, Map<Expr, Expr> values) {
    return values.containsKey(node) ? values.get(node) : Exprs.mapChildren(node, child -> withValues(child, values));
  }

  /** Whether the tangent reads the node's own value (that of a / b, for one), which then goes into a temporary. */
  private boolean needsOwnValue(Expr node) {
    return node instanceof Expr.Binary binary && OperatorPartials.readsOwnValue(binary, activity::isVaried);
  }

  /** The statement's kind of store (declaration, assignment, element store) of {@code value} into {@code location}. */
  private static Stmt store(Stmt statement, Expr location, Expr value) {
    return location.accept(new Exprs.LocationsOnly<Stmt>() {
      @Override
      public Stmt visitRead(Expr.Read read) {
        return statement instanceof Stmt.Declare
            ? new Stmt.Declare(read.variable(), value, statement.position())
            : new Stmt.Assign(read.variable(), value, statement.position());
      }

      @Override
      public Stmt visitArrayRead(Expr.ArrayRead element) {
        return new Stmt.ArrayAssign(element.array(), element.index(), value, statement.position());
      }
    });
  }

  private static Expr locationOf(Stmt statement) {
    if (statement instanceof Stmt.ArrayAssign assign) {
      return new Expr.ArrayRead(assign.array(), assign.index(), assign.position());
    }
    return new Expr.Read(Activity.targetOf(statement));
  }

  /** Where the tangent of a value is: its variable's tangent, an element of one, or zero (no tangent). */
  private Expr tangentLocation(Expr location) {
    return location.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr visitRead(Expr.Read read) {
        return activity.isVaried(read.variable()) || tangents.containsKey(read.variable())
            ? new Expr.Read(tangentOf(read.variable())) : zero(read.type());
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        if (Exprs.rootOf(read) == null && activity.isVaried(read.array())) {
          // m.row(i)[0]: a computed array has no tangent variable (reverse mode reports the same)
          throw new CompileError(read.position().tree(), Message.COMPUTED_ARRAY_ELEMENT, read.position().tree());
        }
        Expr array = tangentLocation(read.array());
        return array instanceof Expr.Literal ? zero(read.type())
            : new Expr.ArrayRead(array, read.index(), SourcePosition.SYNTHETIC);
      }

      @Override
      public Expr visitPartialOf(Expr.PartialOf partial) {
        return pullbackGradients.contains(partial.gradient())
            ? new Expr.PartialOf(tangentOf(partial.gradient()), partial.parameter(), partial.components(), partial.type())
            : zero(partial.type());
      }

      @Override
      public Expr visitLiteral(Expr.Literal literal) {
        return none(literal);
      }

      @Override
      public Expr visitFunctionRef(Expr.FunctionRef reference) {
        return none(reference);
      }

      @Override
      public Expr visitConstant(Expr.Constant constant) {
        return none(constant);
      }

      @Override
      public Expr visitLength(Expr.Length length) {
        return none(length);
      }

      @Override
      public Expr visitUnary(Expr.Unary unary) {
        return none(unary);
      }

      @Override
      public Expr visitBinary(Expr.Binary binary) {
        return none(binary);
      }

      @Override
      public Expr visitCast(Expr.Cast cast) {
        return none(cast);
      }

      @Override
      public Expr visitConditional(Expr.Conditional conditional) {
        return none(conditional);
      }

      @Override
      public Expr visitCall(Expr.Call call) {
        return none(call);
      }

      @Override
      public Expr visitNewArray(Expr.NewArray array) {
        return none(array);
      }

      @Override
      public Expr visitArrayLiteral(Expr.ArrayLiteral literal) {
        return none(literal);
      }

      @Override
      public Expr visitNewRecord(Expr.NewRecord record) {
        return none(record);
      }

      @Override
      public Expr visitPop(Expr.Pop pop) {
        return none(pop);
      }

      /** Not a location: no variable holds its tangent (values are found by tangentExpression). */
      private Expr none(Expr value) {
        return zero(value.type());
      }
    });
  }

  /** The tangent of an array value: zeros shaped like a new array, the other array's tangent, element tangents. */
  /**
   * The tangent of an array-valued call of a function with rules just stored into {@code target},
   * its rules given the stored value rather than a second evaluation (an ODE solved twice, say);
   * empty for other values, and when the call reads {@code target}, which the store changed.
   */
  private Optional<Expr> storedRuleCallTangent(Expr value, Variable target, List<Stmt> out) {
    if (!(value instanceof Expr.Call call) || !(call.callee() instanceof Callee.Ruled)
        || Exprs.variablesRead(call).contains(target)) {
      return Optional.empty();
    }
    Map<Expr, Expr> stored = new IdentityHashMap<>();
    stored.put(call, new Expr.Read(target));
    return Optional.of(orZerosLike(callTangent(call, stored, out), call));
  }

  private Expr arrayTangent(Expr value) {
    if (callTangents.containsKey(value)) {
      return callTangents.get(value); // a row made by a call of a @Differentiable method
    }
    return value.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr visitNewArray(Expr.NewArray array) {
        return array;
      }

      @Override
      public Expr visitRead(Expr.Read read) {
        return orZerosLike(tangentLocation(read), read);
      }

      @Override
      public Expr visitArrayLiteral(Expr.ArrayLiteral literal) {
        List<Expr> elements = new ArrayList<>();
        for (Expr element : literal.elements()) {
          elements.add(element.type().isArray() ? arrayTangent(element) : tangent(element, new IdentityHashMap<>(), null));
        }
        return new Expr.ArrayLiteral(literal.type(), elements, literal.position());
      }

      @Override
      public Expr visitNewRecord(Expr.NewRecord record) {
        return unsupported(record);
      }

      @Override
      public Expr visitCall(Expr.Call call) {
        if (call.callee().name().equals("zeroedLike")) {
          return new Expr.Call(call.callee(), List.of(call.arguments().get(0), tangentLocation(call.arguments().get(1))),
              SourcePosition.SYNTHETIC);
        }
        if (call.callee() instanceof Callee.Ruled) {
          return orZerosLike(callTangent(call, new IdentityHashMap<>(), null), call); // through its tangent rules
        }
        if (call.callee().name().equals("copy")) {
          Expr original = call.arguments().get(0);
          Expr tangent = tangentLocation(original);
          return isZero(tangent) ? zerosLike(original)
              : new Expr.Call(call.callee(), List.of(tangent), SourcePosition.SYNTHETIC);
        }
        return unsupported(call);
      }

      @Override
      public Expr visitLiteral(Expr.Literal literal) {
        return unsupported(literal);
      }

      @Override
      public Expr visitFunctionRef(Expr.FunctionRef reference) {
        return unsupported(reference);
      }

      @Override
      public Expr visitConstant(Expr.Constant constant) {
        return unsupported(constant);
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        return unsupported(read);
      }

      @Override
      public Expr visitLength(Expr.Length length) {
        return unsupported(length);
      }

      @Override
      public Expr visitUnary(Expr.Unary unary) {
        return unsupported(unary);
      }

      @Override
      public Expr visitBinary(Expr.Binary binary) {
        return unsupported(binary);
      }

      @Override
      public Expr visitCast(Expr.Cast cast) {
        return unsupported(cast);
      }

      @Override
      public Expr visitConditional(Expr.Conditional conditional) {
        return unsupported(conditional);
      }

      @Override
      public Expr visitPop(Expr.Pop pop) {
        return unsupported(pop);
      }

      @Override
      public Expr visitPartialOf(Expr.PartialOf partial) {
        return unsupported(partial);
      }

      private Expr unsupported(Expr array) {
        throw new CompileError(array.position().tree(), Message.UNSUPPORTED_EXPRESSION, array.position().isKnown()
            ? "the array `" + array.position().tree() + "` in forward mode" : "this array expression in forward mode");
      }
    });
  }

  /**
   * The runtime's array helpers act on tangents as on values. An argument may be a rule's call
   * ({@code addInto(dx, normPullback(x, norm, dnorm))}): its tangent comes from that rule's rules,
   * computed before the effect changes anything it reads.
   */
  private void translateEffect(Stmt.Effect effect, List<Stmt> out) {
    Expr.Call call = effect.call();
    if (!call.callee().ownerQualifiedName().equals(ADJOINTS)) {
      out.add(effect);
      return;
    }
    List<Stmt> tangentCode = new ArrayList<>();
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
      Expr tangent = argument instanceof Expr.Call ? tangent(argument, new IdentityHashMap<>(), tangentCode)
          : tangentLocation(argument);
      if (isZero(tangent)) {
        out.add(effect);
        return;
      }
      arguments.add(tangent);
    }
    out.addAll(tangentCode);
    out.add(effect);
    out.add(new Stmt.Effect(new Expr.Call(call.callee(), arguments, SourcePosition.SYNTHETIC)));
  }

  // ------------------------------------------------------------- tangents of expressions

  /** The tangent of {@code node}, in a temporary of {@code out} when composite (null: inline). */
  private Expr tangent(Expr node, Map<Expr, Expr> values, List<Stmt> out) {
    Expr tangent = tangentExpression(node, values, out);
    if (out == null || Exprs.isLeaf(tangent)) {
      return tangent;
    }
    Expr value = values.get(node);
    String base = value instanceof Expr.Read read ? read.variable().name() : ThreeAddress.nameFor(node);
    Variable variable = temporaries.fresh(prefix + base, node.type());
    out.add(new Stmt.Declare(variable, tangent, SourcePosition.SYNTHETIC));
    return new Expr.Read(variable);
  }

  /** The tangent of {@code node} as one expression over its parts' tangents, which are in temporaries of {@code out}. */
  private Expr tangentExpression(Expr node, Map<Expr, Expr> values, List<Stmt> out) {
    if (!activity.isVaried(node)) {
      return zero(node.type());
    }
    if (callTangents.containsKey(node)) {
      return callTangents.get(node);
    }
    return node.accept(new Expr.Visitor<Expr>() {
      @Override
      public Expr visitRead(Expr.Read read) {
        return tangentLocation(read);
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        return tangentLocation(read);
      }

      @Override
      public Expr visitPartialOf(Expr.PartialOf partial) {
        return tangentLocation(partial);
      }

      @Override
      public Expr visitCast(Expr.Cast cast) {
        return tangent(cast.operand(), values, out);
      }

      @Override
      public Expr visitUnary(Expr.Unary unary) {
        Expr operand = tangent(unary.operand(), values, out);
        return isZero(operand) ? operand : OperatorPartials.times(operand, OperatorPartials.of(unary.operator()));
      }

      @Override
      public Expr visitBinary(Expr.Binary binary) {
        return binaryTangent(binary, values, out);
      }

      @Override
      public Expr visitCall(Expr.Call call) {
        return callTangent(call, values, out);
      }

      @Override
      public Expr visitArrayLiteral(Expr.ArrayLiteral literal) {
        return arrayTangent(literal); // an array made in a call's argument list
      }

      @Override
      public Expr visitNewRecord(Expr.NewRecord record) {
        return recordTangent(record, values, out);
      }

      @Override
      public Expr visitNewArray(Expr.NewArray array) {
        return arrayTangent(array);
      }

      @Override
      public Expr visitLiteral(Expr.Literal literal) {
        return noTangent(literal); // never varied
      }

      @Override
      public Expr visitFunctionRef(Expr.FunctionRef reference) {
        return noTangent(reference); // never varied
      }

      @Override
      public Expr visitConstant(Expr.Constant constant) {
        return noTangent(constant); // never varied
      }

      @Override
      public Expr visitLength(Expr.Length length) {
        return noTangent(length); // an int
      }

      @Override
      public Expr visitConditional(Expr.Conditional conditional) {
        return noTangent(conditional); // ?: on doubles became a branch in the normalizer
      }

      @Override
      public Expr visitPop(Expr.Pop pop) {
        return noTangent(pop); // popped into a variable by its own statement
      }

      private Expr noTangent(Expr expr) {
        throw new IllegalStateException("no tangent for " + expr);
      }
    });
  }

  private Expr binaryTangent(Expr.Binary binary, Map<Expr, Expr> values, List<Stmt> out) {
    OperatorPartials.Partials partials = OperatorPartials.of(binary.operator(), new OperatorPartials.Values(
        valueOf(binary.left(), values), valueOf(binary.right(), values), valueOf(binary, values)));
    Expr leftTangent = tangent(binary.left(), values, out);
    Expr rightTangent = tangent(binary.right(), values, out);
    Expr leftTerm = isZero(leftTangent) || isZero(partials.ofLeft()) ? zero(binary.type())
        : OperatorPartials.times(leftTangent, partials.ofLeft());
    Expr rightTerm = isZero(rightTangent) || isZero(partials.ofRight()) ? zero(binary.type())
        : OperatorPartials.partialTimes(partials.ofRight(), rightTangent);
    return sumOverCommonDenominator(leftTerm, rightTerm);
  }

  /** {@code a / c + b / c} as {@code (a + b) / c}: the quotient rule's one division. */
  private static Expr sumOverCommonDenominator(Expr a, Expr b) {
    if (a instanceof Expr.Binary first && first.operator() == BinaryOperator.DIVIDE
        && b instanceof Expr.Binary second && second.operator() == BinaryOperator.DIVIDE
        && Exprs.sameValue(first.right(), second.right())) {
      return divide(plus(first.left(), second.left()), first.right());
    }
    return plus(a, b);
  }

  /**
   * The tangent of a call of a function with rules: per varied argument, its tangent rule applied to
   * the argument's tangent (matrices), or its partial times the tangent (functions of doubles).
   */
  private Expr callTangent(Expr.Call call, Map<Expr, Expr> values, List<Stmt> out) {
    List<Optional<Callee.PartialRule>> partials = partialsOf(call);
    List<Optional<Callee.PartialRule>> tangentRules = rules.tangentsOf(call.callee().ownerQualifiedName(),
        call.callee().name(), call.callee().parameterTypes()).orElse(List.of());
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
      arguments.add(valueOf(argument, values));
    }
    Expr sum = zero(call.type());
    for (int i = 0; i < arguments.size(); i++) {
      Expr argument = call.arguments().get(i);
      Expr argumentTangent = activity.isVaried(argument) ? tangent(argument, values, out) : zero(argument.type());
      // Over a pullback, values popped from the tape count as varied; but a call of unknown purity
      // received nothing varied in the original (reverse mode checked that): its tangents are zero.
      if (isZero(argumentTangent) || (overReverse && call.callee() instanceof Callee.Opaque)) {
        continue;
      }
      int index = i;
      Optional<Callee.PartialRule> tangentRule = i < tangentRules.size() ? tangentRules.get(i) : Optional.empty();
      Callee.PartialRule rule = tangentRule.or(() -> partials.get(index)).orElseThrow(() -> RuleCatalogue.missingRule(
          call.position().tree(), call.callee().ownerQualifiedName(), call.callee().name(), index + 1));
      if (tangentRule.isEmpty() && rule.pullback()) {
        throw new CompileError(call.position().tree(), Message.UNSUPPORTED_CALL, call.callee().name()
            + " in forward mode (it has a pullback rule but no rule with tangent = true)");
      }
      List<Expr> ruleArguments = Exprs.forRule(arguments, rule);
      if (rule.takesValue()) {
        ruleArguments.add(valueOf(call, values));
      }
      if (tangentRule.isPresent()) {
        ruleArguments.add(argumentTangent);
      }
      Callee.Plain method = Callee.Plain.of(rule.ruleOwnerQualifiedName(), rule.ruleName(),
          ruleArguments.stream().map(Expr::type).toList(), tangentRule.isPresent() ? call.type() : Type.DOUBLE);
      Expr ruleCall = new Expr.Call(method, ruleArguments, SourcePosition.SYNTHETIC);
      Expr contribution = tangentRule.isPresent() ? ruleCall : times(ruleCall, argumentTangent);
      sum = call.type().isArray() && !isZero(sum)
          ? new Expr.Call(Callee.Plain.of(ADJOINTS, "sum", List.of(call.type(), call.type()), call.type()),
              List.of(sum, contribution), SourcePosition.SYNTHETIC)
          : plus(sum, contribution);
    }
    return sum;
  }

  /**
   * Calls of other {@code @Differentiable} methods in {@code node}, innermost first, each once through
   * the callee's forward mode: {@code Dual gDual = gTangent(args, tangents)}, whose value stands for
   * the call in {@code values} and whose derivative is the call's tangent.
   */
  private void evaluateDifferentiableCalls(Expr node, Map<Expr, Expr> values, List<Stmt> out) {
    if (!activity.isVaried(node)) {
      return;
    }
    for (Expr child : Exprs.children(node)) {
      evaluateDifferentiableCalls(child, values, out);
    }
    if (!(node instanceof Expr.Call call) || !(call.callee() instanceof Callee.Differentiable callee)) {
      return;
    }
    if (!callee.hasTangent()) {
      throw new CompileError(call.position().tree(), Message.CALLEE_WITHOUT_TANGENT, callee.name());
    }
    if (overReverse && !callee.hasPullbackTangent()) {
      throw new CompileError(call.position().tree(), Message.CALLEE_WITHOUT_HESSIAN, callee.name());
    }
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
      arguments.add(temporaries.evaluate(argument, out, values));
    }
    arguments.addAll(argumentTangents(callee, call.arguments(), values, out));
    Type dualType = Type.object(dualClassOf(callee.returnType()));
    Variable dual = temporaries.fresh(callee.name() + "Dual", dualType);
    List<Type> argumentTypes = arguments.stream().map(Expr::type).toList();
    // A callee that makes calls of unknown purity keeps that nature in its tangent: it must run.
    Callee tangentMethod = callee.recomputable()
        ? Callee.Plain.of(callee.companionQualifiedName(), callee.tangentName(), argumentTypes, dualType)
        : new Callee.Opaque(callee.companionQualifiedName(), callee.tangentName(), argumentTypes, dualType);
    out.add(new Stmt.Declare(dual, new Expr.Call(tangentMethod, arguments, SourcePosition.SYNTHETIC),
        SourcePosition.SYNTHETIC));
    values.put(call, dualPart(dual, "value", callee.returnType()));
    callTangents.put(call, dualPart(dual, "derivative", callee.returnType()));
  }

  /**
   * The runtime class a forward mode returns for a result of this type: {@code Dual},
   * {@code DualVector}, {@code DualArray2D} or {@code DualMatrix}.
   */
  public static String dualClassOf(Type result) {
    return result.dimensions() == 2 ? DUAL_ARRAY_2D : result.isArray() ? DUAL_VECTOR
        : result.base() == Type.Base.MATRIX ? DUAL_MATRIX : DUAL;
  }

  private static Expr dualPart(Variable dual, String part, Type type) {
    return new Expr.Call(new Callee.Plain(dual.type().className(), part, List.of(dual.type()), type, true),
        List.of(new Expr.Read(dual)), SourcePosition.SYNTHETIC);
  }

  /** The tangents a callee's forward mode takes: one per differentiated parameter, zeros shaped like an array. */
  private List<Expr> argumentTangents(
      Callee.Differentiable callee, List<Expr> arguments, Map<Expr, Expr> values, List<Stmt> out) {
    List<Expr> tangents = new ArrayList<>();
    for (int i = 0; i < arguments.size(); i++) {
      if (callee.differentiated().get(i) != null) {
        tangents.add(shapedTangent(arguments.get(i), values, out));
      }
    }
    return tangents;
  }

  /** The tangent of {@code value}, as an array or matrix of zeros where it has none. */
  private Expr shapedTangent(Expr value, Map<Expr, Expr> values, List<Stmt> out) {
    if (value instanceof Expr.NewRecord record) {
      return recordTangent(record, values, out);
    }
    return orZerosLike(tangent(value, values, out), valueOf(value, values));
  }

  /**
   * A record argument's tangent: a record of the same type holding its components' tangents (zeros
   * where they have none), its data components keeping their values, as callees' tangents take it.
   */
  private Expr recordTangent(Expr.NewRecord record, Map<Expr, Expr> values, List<Stmt> out) {
    List<Expr> components = new ArrayList<>();
    for (Expr component : record.components()) {
      components.add(component.type().isDifferentiable() || component instanceof Expr.NewRecord
          ? shapedTangent(component, values, out) : valueOf(component, values));
    }
    return new Expr.NewRecord(record.type(), record.accessors(), components, SourcePosition.SYNTHETIC);
  }

  /** {@code tangent}, or zeros shaped like {@code value} when it is known to be zero. */
  private static Expr orZerosLike(Expr tangent, Expr value) {
    return isZero(tangent) ? zerosLike(value) : tangent;
  }

  /** Zeros shaped like {@code value}, for a tangent that must exist at run time. */
  private static Expr zerosLike(Expr value) {
    Type type = value.type();
    if (type.isArray()) {
      return new Expr.Call(Callee.Plain.of(ADJOINTS, "zeroedLike", List.of(type, type), type),
          List.of(value, new Expr.Literal(null, type, SourcePosition.SYNTHETIC)), SourcePosition.SYNTHETIC);
    }
    if (type.base() == Type.Base.MATRIX) {
      List<Expr> shape = new ArrayList<>();
      for (String dimension : List.of("rows", "cols")) {
        shape.add(new Expr.Call(new Callee.Plain(MATRIX, dimension, List.of(type), Type.INT, true), List.of(value),
            SourcePosition.SYNTHETIC));
      }
      return new Expr.Call(Callee.Plain.of(MATRIX, "zeros", List.of(Type.INT, Type.INT), type), shape,
          SourcePosition.SYNTHETIC);
    }
    return Expr.Literal.ofDouble(0.0);
  }

  /** A callee's pullback, forward over reverse: its own pullback tangent fills the gradient and its twin. */
  private void translatePullback(Stmt.Pullback pullback, List<Stmt> out) {
    Callee.Differentiable callee = pullback.callee();
    if (!callee.hasPullbackTangent()) {
      throw new CompileError(null, Message.CALLEE_WITHOUT_HESSIAN, callee.name());
    }
    Map<Expr, Expr> values = new IdentityHashMap<>();
    List<Expr> argumentTangents = new ArrayList<>();
    for (Expr tangent : argumentTangents(callee, pullback.arguments(), values, out)) {
      if (tangent instanceof Expr.NewRecord record) {
        addLeafTangents(record, argumentTangents); // the pullback tangent takes a direction per leaf
      } else {
        argumentTangents.add(tangent);
      }
    }
    Expr seedTangent = shapedTangent(pullback.seed(), values, out);
    out.add(new Stmt.PullbackTangent(pullback, argumentTangents, seedTangent, tangentOf(pullback.gradient())));
  }

  /** The tangents of a record's differentiable leaves, depth first (its data components have none). */
  private static void addLeafTangents(Expr.NewRecord record, List<Expr> into) {
    for (Expr component : record.components()) {
      if (component instanceof Expr.NewRecord nested) {
        addLeafTangents(nested, into);
      } else if (component.type().isDifferentiable()) {
        into.add(component);
      }
    }
  }

  /** The partial rules of a call: its own, or, for a rule method called by a pullback, the rules of that rule. */
  private List<Optional<Callee.PartialRule>> partialsOf(Expr.Call call) {
    if (call.callee() instanceof Callee.Ruled ruled) {
      return ruled.partials();
    }
    return rules.partialsOf(call.callee().ownerQualifiedName(), call.callee().name(), call.callee().parameterTypes())
        .orElse(Collections.nCopies(call.arguments().size(), Optional.empty()));
  }

  private static Expr valueOf(Expr node, Map<Expr, Expr> values) {
    Expr value = values.get(node);
    return value != null ? value : node;
  }

  // ------------------------------------------------------------- algebra that drops zeros

  /** A tangent known to be zero when the code is generated: 0, or null for an array or a matrix. */
  private static boolean isZero(Expr expr) {
    return expr instanceof Expr.Literal literal
        && (Double.valueOf(0.0).equals(literal.value()) || Integer.valueOf(0).equals(literal.value())
            || literal.value() == null);
  }

  private static Expr zero(Type type) {
    return type.isArray() || type.base() == Type.Base.MATRIX
        ? new Expr.Literal(null, type, SourcePosition.SYNTHETIC)
        : Expr.Literal.ofDouble(0.0);
  }

  private static Expr plus(Expr a, Expr b) {
    if (isZero(a)) {
      return b;
    }
    if (isZero(b)) {
      return a;
    }
    if (a.type().base() == Type.Base.MATRIX) {
      return new Expr.Call(new Callee.Plain(MATRIX, "plus", List.of(a.type(), b.type()), a.type(), true),
          List.of(a, b), SourcePosition.SYNTHETIC);
    }
    if (b instanceof Expr.Unary unary && unary.operator() == UnaryOperator.NEGATE) {
      return Expr.Binary.of(BinaryOperator.SUBTRACT, a, unary.operand());
    }
    return Expr.Binary.of(BinaryOperator.ADD, a, b);
  }

  private static Expr times(Expr a, Expr b) {
    if (isZero(a) || isZero(b)) {
      return Expr.Literal.ofDouble(0.0);
    }
    return Expr.Binary.of(BinaryOperator.MULTIPLY, a, b);
  }

  private static Expr divide(Expr a, Expr b) {
    return isZero(a) ? a : Expr.Binary.of(BinaryOperator.DIVIDE, a, b);
  }

  private static Expr negate(Expr a) {
    if (isZero(a)) {
      return a;
    }
    if (a instanceof Expr.Unary unary && unary.operator() == UnaryOperator.NEGATE) {
      return unary.operand();
    }
    return new Expr.Unary(UnaryOperator.NEGATE, a, SourcePosition.SYNTHETIC);
  }
}
