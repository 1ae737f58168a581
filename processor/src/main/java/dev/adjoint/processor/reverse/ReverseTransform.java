package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.OperatorPartials;
import dev.adjoint.processor.analysis.Partials;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.rules.RuleCatalogue;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Source-to-source reverse mode on the IR (the approach of Tapenade): a forward sweep that runs
 * the original code and records only what the reverse sweep will need, then a reverse sweep that
 * walks the statements backwards, restoring overwritten values and propagating adjoints.
 *
 * <ul>
 *   <li>Values the reverse sweep reads are saved before they are overwritten (see
 *       {@link Recording}): in a local when the assignment runs at most once, on the tape inside
 *       loops. Integer updates such as {@code i++} are undone instead of saved.
 *   <li>Branch decisions and loop trip counts are recorded the same way, only when the branch or
 *       loop has adjoint work at all.
 *   <li>Expressions are split into named temporaries. At the method's top level the reverse sweep
 *       reuses them; inside branches and loops it recomputes those it needs from the restored
 *       values, so no intermediate is stored.
 * </ul>
 */
public final class ReverseTransform {
  private static final String ADJOINTS = "dev.adjoint.runtime.Adjoints";
  /** The comment between the forward and the reverse sweep, which emission also names split-off methods by. */
  public static final String REVERSE_SWEEP = "reverse sweep";

  private final Function function;
  private final Variable result;
  private final Activity activity;
  private final Recording recording;
  private final Map<Variable, Variable> adjoints = new LinkedHashMap<>();
  private final Map<Variable, Variable> parameterAdjoints = new LinkedHashMap<>();
  private final List<Stmt> hoisted = new ArrayList<>();
  private final Set<Variable> hoistedVariables = new HashSet<>();
  private final List<CompileError> errors = new ArrayList<>();
  private final ThreeAddress temporaries;
  private final Variable seed;
  private boolean usesTape;

  /** Where a statement runs: inside how many loops, and whether at the method's top level. */
  private record Where(int loopDepth, boolean topLevel) {
    Where nested() {
      return new Where(loopDepth, false);
    }

    Where inLoop() {
      return new Where(loopDepth + 1, false);
    }
  }

  /** A statement's forward-sweep code and its reverse-sweep code, the latter in execution order. */
  private record Translation(List<Stmt> forward, List<Stmt> reverse) {}

  public ReverseTransform(Function normalized, Variable result, Activity activity) {
    this.function = normalized;
    this.result = result;
    this.activity = activity;
    this.recording = Recording.of(normalized, activity);
    this.temporaries = ThreeAddress.avoiding(normalized);
    this.seed = fresh("seed", normalized.returnType());
  }

  /** Errors found in the body (such as a call without a rule on a differentiated value). */
  public List<CompileError> errors() {
    return Collections.unmodifiableList(errors);
  }

  public Pullback transform() {
    for (Variable parameter : function.differentiated()) {
      Variable adjoint = fresh(adjointName(parameter), parameter.type());
      adjoints.put(parameter, adjoint);
      parameterAdjoints.put(parameter, adjoint);
    }
    Variable resultAdjoint = fresh(adjointName(result), result.type());
    adjoints.put(result, resultAdjoint);
    Translation body = translateList(function.body().statements(), new Where(0, true));
    List<Stmt> statements = new ArrayList<>(hoisted);
    statements.addAll(body.forward());
    statements.add(new Stmt.Comment(REVERSE_SWEEP));
    // A vector seed is copied: the reverse sweep zeroes adjoints it has consumed.
    Expr seedValue = result.type().isArray()
        ? runtimeCall("copy", result.type(), new Expr.Read(seed)) : new Expr.Read(seed);
    statements.add(new Stmt.Declare(resultAdjoint, seedValue, SourcePosition.SYNTHETIC));
    statements.addAll(body.reverse());
    return new Pullback(statements, seed, result, parameterAdjoints, usesTape, temporaries);
  }

  // ------------------------------------------------------------- statements

  private Translation translateList(List<Stmt> statements, Where where) {
    List<Stmt> forward = new ArrayList<>();
    List<List<Stmt>> reverses = new ArrayList<>();
    for (Stmt statement : statements) {
      Translation translation = translate(statement, where);
      forward.addAll(translation.forward());
      reverses.add(translation.reverse());
    }
    List<Stmt> reverse = new ArrayList<>();
    for (int i = reverses.size() - 1; i >= 0; i--) {
      reverse.addAll(reverses.get(i));
    }
    return new Translation(forward, reverse);
  }

  private Translation translate(Stmt statement, Where where) {
    return statement.accept(new Stmts.ByAssignment<Translation>() {
      @Override
      public Translation visitBlock(Stmt.Block block) {
        return translateList(block.statements(), where);
      }

      @Override
      public Translation visitIf(Stmt.If ifStmt) {
        return translateIf(ifStmt, where);
      }

      @Override
      public Translation visitLoop(Stmt.Loop loop) {
        return translateLoop(loop, where);
      }

      @Override
      protected Translation assignment(Stmt assignment) {
        if (Activity.targetOf(assignment) == null) {
          return otherLeaf(assignment);
        }
        return translateAssignment(assignment, where);
      }

      @Override
      protected Translation otherLeaf(Stmt other) {
        // Jumps and returns are gone after normalisation; the rest only appears in generated code.
        throw new IllegalStateException("not normalized: " + other);
      }
    });
  }

  private Translation translateIf(Stmt.If ifStmt, Where where) {
    Translation whenTrue = translateList(ifStmt.thenBlock().statements(), where.nested());
    Translation whenFalse = translateList(ifStmt.elseBlock().statements(), where.nested());
    List<Stmt> forward = new ArrayList<>();
    List<Stmt> reverse = new ArrayList<>();
    comment(ifStmt, forward, reverse);
    if (whenTrue.reverse().isEmpty() && whenFalse.reverse().isEmpty()) {
      forward.add(new Stmt.If(ifStmt.condition(), new Stmt.Block(whenTrue.forward()),
          new Stmt.Block(whenFalse.forward()), ifStmt.position()));
      return new Translation(forward, List.of());
    }
    Recorded taken = record(ifStmt.condition(), "taken", where, forward, reverse);
    forward.add(new Stmt.If(taken.forward(), new Stmt.Block(whenTrue.forward()),
        new Stmt.Block(whenFalse.forward()), ifStmt.position()));
    forward.addAll(taken.afterBranch());
    reverse.add(new Stmt.If(taken.reverse(), new Stmt.Block(whenTrue.reverse()),
        new Stmt.Block(whenFalse.reverse()), ifStmt.position()));
    return new Translation(forward, reverse);
  }

  private Translation translateLoop(Stmt.Loop loop, Where where) {
    Translation body = translateList(loop.body().statements(), where.inLoop());
    Translation update = translateList(loop.update().statements(), where.inLoop());
    List<Stmt> forward = new ArrayList<>();
    List<Stmt> reverse = new ArrayList<>();
    comment(loop, forward, reverse);
    if (body.reverse().isEmpty() && update.reverse().isEmpty()) {
      forward.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(),
          new Stmt.Block(body.forward()), new Stmt.Block(update.forward()), loop.position()));
      return new Translation(forward, List.of());
    }
    Variable count = fresh("iterations", Type.INT);
    forward.add(define(count, Expr.Literal.ofInt(0), where));
    List<Stmt> forwardUpdate = new ArrayList<>(update.forward());
    forwardUpdate.add(increment(count, 1));
    forward.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(),
        new Stmt.Block(body.forward()), new Stmt.Block(forwardUpdate), loop.position()));
    Variable remaining = count;
    if (where.loopDepth() > 0) {
      // The count is hoisted: the reverse sweep takes each run's count back into it.
      forward.add(push(new Expr.Read(count)));
      reverse.add(new Stmt.Assign(count, new Expr.Pop(Type.INT), SourcePosition.SYNTHETIC));
    }
    List<Stmt> reverseBody = new ArrayList<>(update.reverse());
    for (Stmt.Declare declare : recording.recomputedIn(loop)) {
      // Recomputed rather than restored: what it reads holds its value for this iteration now.
      if (recording.isReadInReverse(declare.variable())) {
        reverseBody.add(new Stmt.Assign(declare.variable(), declare.init(), declare.position()));
      }
    }
    reverseBody.addAll(body.reverse());
    Expr more = Expr.Binary.of(BinaryOperator.GREATER, new Expr.Read(remaining), Expr.Literal.ofInt(0));
    reverse.add(new Stmt.Loop(loop.label() + "Reverse", more, true, new Stmt.Block(reverseBody),
        new Stmt.Block(List.of(increment(remaining, -1))), loop.position()));
    return new Translation(forward, reverse);
  }

  private Translation translateAssignment(Stmt statement, Where where) {
    Variable target = Activity.targetOf(statement);
    Expr value = Activity.valueOf(statement);
    List<Stmt> forward = new ArrayList<>();
    List<Stmt> reverse = new ArrayList<>();
    boolean active = activity.isActive(statement);
    if (active) {
      comment(statement, forward, reverse);
    }
    Expr location = locationOf(statement);
    List<Stmt> restore = save(statement, location, where, forward);
    if (!active) {
      forward.add(withValue(statement, value, where));
      allocateAdjointArray(statement, target, forward);
      reverse.addAll(restore);
      if (activity.isVaried(target) && !runsOnceAtStart(statement, where)) {
        // A new value starts with no adjoint: what later statements added belongs to the old one.
        reverse.add(resetAdjoint(location));
      }
      return new Translation(forward, reverse);
    }
    Map<Expr, Expr> forwardValues = new IdentityHashMap<>();
    boolean keepsArray = value.type().isArray() && Partials.ownValueNeeded(value);
    Expr root = keepsArray ? keptArrayValue(value, forward, forwardValues, where)
        : evaluateRoot(value, forward, forwardValues);
    Map<Expr, Expr> values = forwardValues;
    if (!where.topLevel()) {
      // Out of the forward sweep's scope: matrices are kept on the tape (a reference, no copy), and
      // so are the values of calls that take a function (an integral is not computed again); other
      // doubles are recomputed from the restored variables.
      values = new IdentityHashMap<>();
      List<Expr> kept = new ArrayList<>();
      collectKeptTemporaries(value, forwardValues, kept);
      for (Expr node : kept) {
        forward.add(push(forwardValues.get(node)));
      }
      for (int i = kept.size() - 1; i >= 0; i--) {
        // Back into the forward sweep's temporary, declared again in the reverse sweep's block.
        Expr temporary = forwardValues.get(kept.get(i));
        reverse.add(new Stmt.Declare(((Expr.Read) temporary).variable(), new Expr.Pop(temporary.type()),
            SourcePosition.SYNTHETIC));
        values.put(kept.get(i), temporary);
      }
      if (keepsArray) {
        // Pushed before the matrices: popped after them.
        Expr array = forwardValues.get(value);
        reverse.add(new Stmt.Declare(((Expr.Read) array).variable(), new Expr.Pop(value.type()),
            SourcePosition.SYNTHETIC));
        values.put(value, array);
      }
    }
    forward.add(withValue(statement, root, where));
    allocateAdjointArray(statement, target, forward);

    reverse.addAll(restore);
    if (!where.topLevel()) {
      recompute(value, reverse, values, true);
    }
    propagateAssignment(statement, target, value, values, where, reverse);
    return new Translation(forward, reverse);
  }

  /** What an assignment writes: the variable, or the array element. */
  private static Expr locationOf(Stmt statement) {
    if (statement instanceof Stmt.ArrayAssign assign) {
      return new Expr.ArrayRead(assign.array(), assign.index(), assign.position());
    }
    return new Expr.Read(Activity.targetOf(statement));
  }

  /** The statement with a new right-hand side; declarations of hoisted variables become assignments. */
  private Stmt withValue(Stmt statement, Expr value, Where where) {
    return statement.accept(new Stmts.AssignmentsOnly<Stmt>() {
      @Override
      public Stmt visitDeclare(Stmt.Declare declare) {
        Variable variable = declare.variable();
        if (!where.topLevel() && recording.isReadInReverse(variable)) {
          return define(variable, value, where);
        }
        return new Stmt.Declare(variable, value, declare.position());
      }

      @Override
      public Stmt visitAssign(Stmt.Assign assign) {
        return new Stmt.Assign(assign.variable(), value, assign.position());
      }

      @Override
      public Stmt visitArrayAssign(Stmt.ArrayAssign assign) {
        return new Stmt.ArrayAssign(assign.array(), assign.index(), value, assign.position());
      }
    });
  }

  /**
   * Saves the value an assignment overwrites when the reverse sweep will read it, and returns the
   * statements that restore it. Integer steps by a constant are undone rather than saved.
   */
  private List<Stmt> save(Stmt statement, Expr location, Where where, List<Stmt> forward) {
    Variable target = Activity.targetOf(statement);
    if (Recording.isInvertibleStep(statement)) {
      if (!recording.isReadInReverse(target)) {
        return List.of();
      }
      Expr.Binary step = (Expr.Binary) ((Stmt.Assign) statement).value();
      BinaryOperator inverse = step.operator() == BinaryOperator.ADD ? BinaryOperator.SUBTRACT : BinaryOperator.ADD;
      return List.of(new Stmt.Assign(target, new Expr.Binary(inverse, new Expr.Read(target), step.right(),
          step.type(), SourcePosition.SYNTHETIC), SourcePosition.SYNTHETIC));
    }
    if (!recording.saves(statement)) {
      return List.of();
    }
    Type type = location.type();
    Expr saved;
    if (where.loopDepth() > 0) {
      forward.add(push(location));
      saved = new Expr.Pop(type);
    } else {
      Variable slot = fresh("saved" + Identifiers.capitalize(target.name()), type);
      forward.add(define(slot, location, where));
      saved = new Expr.Read(slot);
    }
    return List.of(assignTo(location, saved));
  }

  /**
   * The nodes whose forward values are temporaries the reverse sweep takes from the tape, in
   * evaluation order: matrices, and the doubles that calls taking a function return (an array
   * such a call returns is kept by {@link #keptArrayValue}).
   */
  private static void collectKeptTemporaries(Expr node, Map<Expr, Expr> values, List<Expr> into) {
    for (Expr child : Exprs.children(node)) {
      collectKeptTemporaries(child, values, into);
    }
    if (values.get(node) instanceof Expr.Read read && read.variable().role() == Variable.Role.SYNTHETIC
        && (read.type().base() == Type.Base.MATRIX || (read.type().isScalar() && takesFunction(node)))) {
      into.add(node);
    }
  }

  /** Whether {@code node} is a call with a function argument, such as an integral or a solver's. */
  private static boolean takesFunction(Expr node) {
    return node instanceof Expr.Call call
        && call.arguments().stream().anyMatch(argument -> argument instanceof Expr.FunctionRef);
  }

  /** Gives a local array's adjoint the array's shape right after the array is created. */
  private void allocateAdjointArray(Stmt statement, Variable target, List<Stmt> forward) {
    if (!target.type().isArray() || !activity.isVaried(target) || statement instanceof Stmt.ArrayAssign
        || target.isParameter() || target == result) {
      return;
    }
    Variable adjoint = adjointOf(target);
    Expr zeroed = runtimeCall("zeroedLike", target.type(), new Expr.Read(target), new Expr.Read(adjoint));
    forward.add(new Stmt.Assign(adjoint, zeroed, SourcePosition.SYNTHETIC));
  }

  // ------------------------------------------------------------- adjoint propagation

  private void propagateAssignment(
      Stmt statement, Variable target, Expr value, Map<Expr, Expr> values, Where where, List<Stmt> out) {
    if (locationOf(statement).type().base() == Type.Base.MATRIX) {
      // A matrix adjoint stays null until something reaches it; then there is nothing to propagate.
      List<Stmt> propagation = new ArrayList<>();
      propagateValue(statement, target, value, values, where, propagation);
      Expr reached = Expr.Binary.of(BinaryOperator.NOT_EQUAL, adjointLocationOf(locationOf(statement)),
          new Expr.Literal(null, Type.MATRIX, SourcePosition.SYNTHETIC));
      out.add(new Stmt.If(reached, new Stmt.Block(propagation), Stmt.Block.empty(), SourcePosition.SYNTHETIC));
      return;
    }
    propagateValue(statement, target, value, values, where, out);
  }

  private void propagateValue(
      Stmt statement, Variable target, Expr value, Map<Expr, Expr> values, Where where, List<Stmt> out) {
    Expr location = locationOf(statement);
    Expr adjointLocation = adjointLocationOf(location);
    if (location.type().isArray()) {
      propagateArrayAssignment(statement, value, adjointLocation, values, where, out);
      return;
    }
    if (isAccumulation(value, statement)) {
      Expr.Binary binary = (Expr.Binary) value;
      Expr seedExpr = binary.operator() == BinaryOperator.ADD ? adjointLocation : negate(adjointLocation);
      propagate(binary.right(), seedExpr, values, out);
      return;
    }
    if (Exprs.variablesRead(value).contains(target)) {
      Variable outgoing = fresh("d" + target.name() + "Out", location.type());
      out.add(new Stmt.Declare(outgoing, adjointLocation, SourcePosition.SYNTHETIC));
      out.add(resetAdjoint(location));
      propagate(value, new Expr.Read(outgoing), values, out);
      return;
    }
    propagate(value, adjointLocation, values, out);
    if (!runsOnceAtStart(statement, where)) {
      out.add(resetAdjoint(location));
    }
  }

  /**
   * An array variable takes a new array: a call's pullback or pullback rule gets the array's adjoint as its seed,
   * an initialiser's elements get their entries, another local array gets the whole adjoint; then the adjoint
   * starts again from zeros, for the array the variable held before.
   */
  private void propagateArrayAssignment(
      Stmt statement, Expr value, Expr adjoint, Map<Expr, Expr> values, Where where, List<Stmt> out) {
    value = copiedArray(value);
    Stmt reset = resetAdjoint(locationOf(statement));
    boolean keepAdjoint = runsOnceAtStart(statement, where);
    if (value instanceof Expr.Call call && call.callee() instanceof Callee.Differentiable) {
      // The pullback consumes the seed before the arguments' adjoints (maybe this one) grow.
      propagateCall(call, adjoint, values, out, keepAdjoint ? List.of() : List.of(reset));
      return;
    }
    Variable target = Activity.targetOf(statement);
    if (!keepAdjoint && Exprs.variablesRead(value).contains(target)) {
      // The new array is made from the old one (h = {h[0] + ...}): take the seed before the old
      // array's adjoint, which is the same variable, starts to grow.
      Variable outgoing = fresh("d" + target.name() + "Out", adjoint.type());
      out.add(new Stmt.Declare(outgoing, runtimeCall("copy", adjoint.type(), adjoint), SourcePosition.SYNTHETIC));
      out.add(reset);
      adjoint = new Expr.Read(outgoing);
      keepAdjoint = true;
    }
    propagateNewArray(value, adjoint, values, out);
    if (!keepAdjoint) {
      out.add(reset);
    }
  }

  /** The adjoint of the array an array variable takes flows into what made that array. */
  private void propagateNewArray(Expr value, Expr adjoint, Map<Expr, Expr> values, List<Stmt> out) {
    value.accept(new Expr.Visitor<Void>() {
      @Override
      public Void visitCall(Expr.Call call) {
        propagateCall(call, adjoint, values, out, List.of()); // a rule's call reads the seed where it stands
        return null;
      }

      @Override
      public Void visitArrayLiteral(Expr.ArrayLiteral literal) {
        propagateArrayLiteral(literal, adjoint, values, out);
        return null;
      }

      @Override
      public Void visitNewRecord(Expr.NewRecord record) {
        throw new IllegalStateException("a record is no array: " + record);
      }

      @Override
      public Void visitRead(Expr.Read read) {
        if (activity.isVaried(read)) {
          out.add(new Stmt.Effect(runtimeCall("addInto", Type.BOOLEAN, adjointLocationOf(read), adjoint)));
        }
        return null;
      }

      @Override
      public Void visitNewArray(Expr.NewArray array) {
        return null; // zeros: nothing flows back
      }

      @Override
      public Void visitLiteral(Expr.Literal literal) {
        return null; // null: nothing flows back
      }

      @Override
      public Void visitFunctionRef(Expr.FunctionRef reference) {
        return null; // null: nothing flows back
      }

      @Override
      public Void visitArrayRead(Expr.ArrayRead read) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitConstant(Expr.Constant constant) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitConditional(Expr.Conditional conditional) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitCast(Expr.Cast cast) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitLength(Expr.Length length) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitUnary(Expr.Unary unary) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitBinary(Expr.Binary binary) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitPop(Expr.Pop pop) {
        return nothingFlowsBack();
      }

      @Override
      public Void visitPartialOf(Expr.PartialOf partial) {
        return nothingFlowsBack();
      }

      /**
       * The front end gives array variables only new arrays, initialisers, calls' results and local
       * arrays ({@code Message.ARRAY_ALIAS} for the rest), so no other kind arrives here.
       */
      private Void nothingFlowsBack() {
        return null;
      }
    });
  }

  /** A declaration that runs once, before anything could have given its variable an adjoint. */
  private static boolean runsOnceAtStart(Stmt statement, Where where) {
    return statement instanceof Stmt.Declare && where.topLevel();
  }

  private Stmt resetAdjoint(Expr location) {
    Expr adjoint = adjointLocationOf(location);
    if (adjoint.type().isArray()) {
      return new Stmt.Effect(runtimeCall("zero", Type.BOOLEAN, adjoint));
    }
    if (adjoint.type().base() == Type.Base.MATRIX) {
      return assignTo(adjoint, new Expr.Literal(null, Type.MATRIX, SourcePosition.SYNTHETIC));
    }
    return assignTo(adjoint, Expr.Literal.ofDouble(0.0));
  }

  /** {@code v = v + e} or {@code v = v - e} with e not reading v: v's adjoint passes through unchanged. */
  private static boolean isAccumulation(Expr value, Stmt statement) {
    if (!(value instanceof Expr.Binary binary)
        || (binary.operator() != BinaryOperator.ADD && binary.operator() != BinaryOperator.SUBTRACT)) {
      return false;
    }
    Expr location = locationOf(statement);
    return Exprs.sameValue(binary.left(), location)
        && !Exprs.variablesRead(binary.right()).contains(Activity.targetOf(statement));
  }

  /** An array argument's partial flows into the array variable, or into the elements of an initialiser. */
  private void propagateArrayArgument(Expr argument, Expr partial, Map<Expr, Expr> values, List<Stmt> out) {
    argument.accept(new Expr.Visitor<Void>() {
      @Override
      public Void visitRead(Expr.Read read) {
        return addInto(read);
      }

      @Override
      public Void visitArrayRead(Expr.ArrayRead read) {
        return addInto(read);
      }

      @Override
      public Void visitArrayLiteral(Expr.ArrayLiteral literal) {
        Expr literalAdjoint = partial;
        if (partial instanceof Expr.Call) {
          Variable adjoint = fresh("darray", partial.type()); // a rule's call, made once
          out.add(new Stmt.Declare(adjoint, partial, SourcePosition.SYNTHETIC));
          literalAdjoint = new Expr.Read(adjoint);
        }
        propagateArrayLiteral(literal, literalAdjoint, values, out);
        return null;
      }

      @Override
      public Void visitNewRecord(Expr.NewRecord record) {
        throw new IllegalStateException("a record is no array: " + record);
      }

      @Override
      public Void visitLiteral(Expr.Literal literal) {
        return computed(literal);
      }

      @Override
      public Void visitFunctionRef(Expr.FunctionRef reference) {
        return computed(reference);
      }

      @Override
      public Void visitConstant(Expr.Constant constant) {
        return computed(constant);
      }

      @Override
      public Void visitLength(Expr.Length length) {
        return computed(length);
      }

      @Override
      public Void visitUnary(Expr.Unary unary) {
        return computed(unary);
      }

      @Override
      public Void visitBinary(Expr.Binary binary) {
        return computed(binary);
      }

      @Override
      public Void visitCast(Expr.Cast cast) {
        return computed(cast);
      }

      @Override
      public Void visitConditional(Expr.Conditional conditional) {
        return computed(conditional);
      }

      @Override
      public Void visitCall(Expr.Call call) {
        return computed(call);
      }

      @Override
      public Void visitNewArray(Expr.NewArray array) {
        return computed(array);
      }

      @Override
      public Void visitPop(Expr.Pop pop) {
        return computed(pop);
      }

      @Override
      public Void visitPartialOf(Expr.PartialOf partialOf) {
        return computed(partialOf);
      }

      private Void addInto(Expr location) {
        out.add(new Stmt.Effect(runtimeCall("addInto", Type.BOOLEAN, adjointLocationOf(location), partial)));
        return null;
      }

      private Void computed(Expr array) {
        errors.add(new CompileError(array.position().tree(), Message.UNSUPPORTED_EXPRESSION,
            "a computed array as the argument of a differentiated call; store it in a local array first"));
        return null;
      }
    });
  }

  /**
   * Adjoints of an array created with an initialiser flow back into its element expressions; a row's into
   * whatever made it: an initialiser, a call, or the array it copies ({@code {x}} is lowered as a copy of x).
   */
  private void propagateArrayLiteral(Expr.ArrayLiteral literal, Expr adjointArray, Map<Expr, Expr> values, List<Stmt> out) {
    for (int i = 0; i < literal.elements().size(); i++) {
      Expr element = literal.elements().get(i);
      Expr elementAdjoint = new Expr.ArrayRead(adjointArray, Expr.Literal.ofInt(i), SourcePosition.SYNTHETIC);
      if (!element.type().isArray()) {
        propagate(element, elementAdjoint, values, out);
      } else if (activity.isVaried(element) && copiedArray(element) instanceof Expr.Call call) {
        propagateCall(call, elementAdjoint, values, out, List.of()); // the row's adjoint is the call's seed
      } else if (activity.isVaried(element)) {
        propagateArrayArgument(copiedArray(element), elementAdjoint, values, out);
      }
    }
  }

  /** The array a runtime copy copies (its adjoint is the original's), or {@code array} itself. */
  private static Expr copiedArray(Expr array) {
    if (array instanceof Expr.Call copy && copy.callee().ownerQualifiedName().equals(ADJOINTS)
        && copy.callee().name().equals("copy")) {
      return copy.arguments().get(0);
    }
    return array;
  }

  /** Adds {@code seedExpr}·∂node to the adjoints of everything {@code node} reads. */
  private void propagate(Expr node, Expr seedExpr, Map<Expr, Expr> values, List<Stmt> out) {
    if (!activity.isVaried(node)) {
      return;
    }
    node.accept(new Expr.Visitor<Void>() {
      @Override
      public Void visitRead(Expr.Read read) {
        return accumulate(read);
      }

      @Override
      public Void visitArrayRead(Expr.ArrayRead read) {
        return accumulate(read);
      }

      @Override
      public Void visitCast(Expr.Cast cast) {
        propagate(cast.operand(), seedExpr, values, out);
        return null;
      }

      @Override
      public Void visitUnary(Expr.Unary unary) {
        propagate(unary.operand(), OperatorPartials.times(seedExpr, OperatorPartials.of(unary.operator())), values, out);
        return null;
      }

      @Override
      public Void visitBinary(Expr.Binary binary) {
        propagateBinary(binary, materialize(binary, seedExpr, values, out), values, out);
        return null;
      }

      @Override
      public Void visitCall(Expr.Call call) {
        propagateCall(call, materialize(call, seedExpr, values, out), values, out, List.of());
        return null;
      }

      @Override
      public Void visitLiteral(Expr.Literal literal) {
        return noAdjoint(literal); // never varied
      }

      @Override
      public Void visitFunctionRef(Expr.FunctionRef reference) {
        return noAdjoint(reference); // never varied
      }

      @Override
      public Void visitConstant(Expr.Constant constant) {
        return noAdjoint(constant); // never varied
      }

      @Override
      public Void visitLength(Expr.Length length) {
        return noAdjoint(length); // an int
      }

      @Override
      public Void visitConditional(Expr.Conditional conditional) {
        return noAdjoint(conditional); // ?: on doubles became a branch in the normalizer
      }

      @Override
      public Void visitNewArray(Expr.NewArray array) {
        return noAdjoint(array); // never varied
      }

      @Override
      public Void visitArrayLiteral(Expr.ArrayLiteral literal) {
        return noAdjoint(literal); // its adjoint goes through propagateArrayLiteral
      }

      @Override
      public Void visitNewRecord(Expr.NewRecord record) {
        return noAdjoint(record); // its adjoint goes through propagateRecordArgument
      }

      @Override
      public Void visitPop(Expr.Pop pop) {
        return noAdjoint(pop); // only in generated code
      }

      @Override
      public Void visitPartialOf(Expr.PartialOf partial) {
        return noAdjoint(partial); // only in generated code
      }

      private Void accumulate(Expr location) {
        if (Exprs.rootOf(location) == null) {
          reportComputedArrayElement(location); // m.row(i)[0]: no variable holds that array's adjoint
          return null;
        }
        Expr adjoint = adjointLocationOf(location);
        Expr sum = location.type().base() == Type.Base.MATRIX
            ? runtimeCall("add", Type.MATRIX, adjoint, seedExpr)
            : Expr.Binary.of(BinaryOperator.ADD, adjoint, seedExpr);
        out.add(assignTo(adjoint, sum));
        return null;
      }

      private Void noAdjoint(Expr expr) {
        throw new IllegalStateException("no adjoint for " + expr);
      }
    });
  }

  private void propagateBinary(Expr.Binary binary, Expr s, Map<Expr, Expr> values, List<Stmt> out) {
    // The sweep does not hold the node's own value: the partials recompute what they need of it.
    OperatorPartials.Partials partials = OperatorPartials.of(binary.operator(),
        new OperatorPartials.Values(valueOf(binary.left(), values), valueOf(binary.right(), values), null));
    propagate(binary.left(), OperatorPartials.times(s, partials.ofLeft()), values, out);
    propagate(binary.right(), OperatorPartials.times(s, partials.ofRight()), values, out);
  }

  private void propagateCall(
      Expr.Call call, Expr s, Map<Expr, Expr> values, List<Stmt> out, List<Stmt> afterPullback) {
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
      arguments.add(valueOf(argument, values));
    }
    for (int i = 0; i < call.arguments().size(); i++) {
      if (activity.lacksDerivative(call, i)) {
        errors.add(call.callee() instanceof Callee.Differentiable
            ? new CompileError(call.position().tree(), Message.ARGUMENT_NOT_DIFFERENTIATED, shortName(call.callee()), i + 1)
            : call.callee() instanceof Callee.Opaque helper && helper.notDifferentiated() != null
            ? new CompileError(call.position().tree(), Message.HELPER_NOT_DIFFERENTIABLE, shortName(helper),
                helper.notDifferentiated(), helper.name())
            : RuleCatalogue.missingRule(call.position().tree(), call.callee().ownerQualifiedName(), call.callee().name(), i + 1));
        return;
      }
    }
    if (call.callee() instanceof Callee.Ruled ruled) {
      List<Expr> ruleArguments = new ArrayList<>(arguments);
      for (int i = 0; i < arguments.size(); i++) {
        Expr argument = call.arguments().get(i);
        if (!activity.isVaried(argument)) {
          continue;
        }
        Callee.PartialRule rule = ruled.partials().get(i).orElseThrow();
        List<Expr> ruleCallArguments = Exprs.forRule(ruleArguments, rule);
        if (rule.takesValue()) {
          ruleCallArguments.add(valueOf(call, values));
        }
        if (rule.pullback()) {
          ruleCallArguments.add(s);
        }
        // The function's declared types, not the arguments' (an int 2 in pow(x, 2) is a double
        // there), so that forward over reverse finds the rules of this rule.
        List<Type> types = new ArrayList<>(ruleCallArguments.stream().map(Expr::type).toList());
        if (ruled.parameterTypes().size() == arguments.size()) {
          for (int k = 0; k < arguments.size(); k++) {
            types.set(k, ruled.parameterTypes().get(k));
          }
        }
        Callee.Plain ruleMethod = Callee.Plain.of(rule.ruleOwnerQualifiedName(), rule.ruleName(), types,
            argument.type());
        // At the call's position: forward over reverse reports there when the rule has no rules of its own.
        Expr rulesValue = new Expr.Call(ruleMethod, ruleCallArguments, call.position());
        if (argument.type().isArray()) {
          propagateArrayArgument(argument, rulesValue, values, out); // array arguments have pullback rules
          continue;
        }
        // A partial rule gives ∂f/∂argument, to scale by the seed; a pullback rule gives the product.
        propagate(argument, rule.pullback() ? rulesValue : times(s, rulesValue), values, out);
      }
    } else if (call.callee() instanceof Callee.Differentiable callee) {
      if (!callee.recomputable()) {
        errors.add(new CompileError(call.position().tree(), Message.CALLEE_NOT_RECOMPUTABLE, shortName(callee)));
        return;
      }
      Variable gradient = fresh(call.callee().name() + "Gradient",
          Type.object(callee.companionQualifiedName() + "." + callee.gradientSimpleName()));
      hoist(gradient);
      out.add(new Stmt.Pullback(callee, arguments, s, gradient));
      out.addAll(afterPullback);
      for (int i = 0; i < arguments.size(); i++) {
        Expr argument = call.arguments().get(i);
        String parameter = callee.differentiated().get(i);
        if (parameter == null || !activity.isVaried(argument)) {
          continue;
        }
        Expr.PartialOf partial = new Expr.PartialOf(gradient, parameter, argument.type());
        if (argument instanceof Expr.NewRecord record) {
          propagateRecordArgument(record, partial, values, out);
        } else if (argument.type().isArray()) {
          propagateArrayArgument(argument, partial, values, out);
        } else {
          propagate(argument, partial, values, out);
        }
      }
    }
  }

  /** A record argument's partial is a record of the same type: each varied component takes its own part. */
  private void propagateRecordArgument(
      Expr.NewRecord record, Expr.PartialOf partial, Map<Expr, Expr> values, List<Stmt> out) {
    for (int i = 0; i < record.components().size(); i++) {
      Expr component = record.components().get(i);
      if (!activity.isVaried(component)) {
        continue;
      }
      Expr.PartialOf componentPartial = partial.component(record.accessors().get(i), component.type());
      if (component instanceof Expr.NewRecord nested) {
        propagateRecordArgument(nested, componentPartial, values, out);
      } else if (component.type().isArray()) {
        propagateArrayArgument(component, componentPartial, values, out);
      } else {
        propagate(component, componentPartial, values, out);
      }
    }
  }

  /** Declares the adjoint of a composite node when its seed is more than a name. */
  private Expr materialize(Expr node, Expr seedExpr, Map<Expr, Expr> values, List<Stmt> out) {
    if (seedExpr instanceof Expr.Read || seedExpr instanceof Expr.Literal) {
      return seedExpr;
    }
    Expr value = values.get(node);
    String base = value instanceof Expr.Read read ? read.variable().name() : nameFor(node);
    Variable adjoint = fresh("d" + base, node.type());
    out.add(new Stmt.Declare(adjoint, seedExpr, SourcePosition.SYNTHETIC));
    return new Expr.Read(adjoint);
  }

  // ------------------------------------------------------------- forward values

  /** Emits temporaries for the composite parts of a right-hand side and returns what to store. */
  private Expr evaluateRoot(Expr value, List<Stmt> out, Map<Expr, Expr> values) {
    if (Partials.ownValueNeeded(value)) {
      return evaluate(value, out, values);
    }
    Expr root = Exprs.mapChildren(value, child -> evaluate(child, out, values));
    values.put(value, root);
    return root;
  }

  /**
   * An array-valued call whose rules take its value (an ODE's solution, say): its value is kept in
   * a temporary for the reverse sweep's rules (in a loop, on the tape: a reference, no copy), and
   * the variable gets a copy, which later writes cannot reach; the reverse sweep would otherwise
   * call the function again.
   */
  private Expr keptArrayValue(Expr call, List<Stmt> out, Map<Expr, Expr> values, Where where) {
    Variable kept = fresh(nameFor(call), call.type());
    out.add(new Stmt.Declare(kept, Exprs.mapChildren(call, child -> evaluate(child, out, values)),
        SourcePosition.SYNTHETIC));
    if (!where.topLevel()) {
      out.add(push(new Expr.Read(kept)));
    }
    values.put(call, new Expr.Read(kept));
    return runtimeCall("copy", call.type(), new Expr.Read(kept));
  }

  /**
   * Recomputes, in the reverse sweep, the values that the partials of {@code node}'s subtree read
   * (the forward sweep's temporaries are out of scope there).
   */
  private void recompute(Expr node, List<Stmt> out, Map<Expr, Expr> values, boolean isRoot) {
    if (!activity.isVaried(node)) {
      return;
    }
    for (Expr operand : Partials.operandValuesNeeded(node, activity::isVaried)) {
      if (!values.containsKey(operand)) {
        evaluate(operand, out, values);
      }
    }
    if (Partials.ownValueNeeded(node) && !values.containsKey(node)) {
      evaluate(node, out, values);
    }
    for (Expr child : Exprs.children(node)) {
      recompute(child, out, values, false);
    }
  }

  private static Expr valueOf(Expr node, Map<Expr, Expr> values) {
    Expr value = values.get(node);
    return value != null ? value : node;
  }

  // ------------------------------------------------------------- recording

  /**
   * A recorded branch condition: what the forward sweep tests, what the reverse sweep tests, and
   * what the forward sweep does after the branch (a push, so that the reverse pops it before the
   * values the branch itself pushed).
   */
  private record Recorded(Expr forward, Expr reverse, List<Stmt> afterBranch) {}

  /** Records a branch condition: a local when it runs once, the tape inside loops. */
  private Recorded record(Expr condition, String name, Where where, List<Stmt> forward, List<Stmt> reverse) {
    Variable taken = fresh(name, Type.BOOLEAN);
    if (where.loopDepth() == 0) {
      forward.add(define(taken, condition, where));
      return new Recorded(new Expr.Read(taken), new Expr.Read(taken), List.of());
    }
    // Declared in the forward sweep's loop body and again, popped, in the reverse sweep's.
    forward.add(new Stmt.Declare(taken, condition, SourcePosition.SYNTHETIC));
    reverse.add(new Stmt.Declare(taken, new Expr.Pop(Type.BOOLEAN), SourcePosition.SYNTHETIC));
    return new Recorded(new Expr.Read(taken), new Expr.Read(taken), List.of(push(new Expr.Read(taken))));
  }

  private Stmt push(Expr value) {
    usesTape = true;
    return new Stmt.Push(value);
  }

  /**
   * Declares a variable both sweeps use: in place at the top level, else hoisted to the start of
   * the method (with a zero value) and assigned here.
   */
  private Stmt define(Variable variable, Expr value, Where where) {
    if (where.topLevel()) {
      return new Stmt.Declare(variable, value, SourcePosition.SYNTHETIC);
    }
    hoist(variable);
    // A declaration without a value starts at zero, as the hoisted one does.
    Expr start = value != null ? value : zeroOf(variable.type());
    return new Stmt.Assign(variable, start, SourcePosition.SYNTHETIC);
  }

  private static Expr zeroOf(Type type) {
    if (type.isScalar()) {
      switch (type.base()) {
        case DOUBLE:
          return Expr.Literal.ofDouble(0.0);
        case INT:
          return Expr.Literal.ofInt(0);
        case LONG:
          return new Expr.Literal(0L, Type.LONG, SourcePosition.SYNTHETIC);
        case BOOLEAN:
          return Expr.Literal.ofBoolean(false);
        default:
          break;
      }
    }
    return new Expr.Literal(null, type, SourcePosition.SYNTHETIC);
  }

  private void hoist(Variable variable) {
    if (hoistedVariables.add(variable)) {
      hoisted.add(new Stmt.Declare(variable, null, SourcePosition.SYNTHETIC));
    }
  }

  private static Stmt increment(Variable counter, int step) {
    BinaryOperator operator = step > 0 ? BinaryOperator.ADD : BinaryOperator.SUBTRACT;
    return new Stmt.Assign(counter,
        Expr.Binary.of(operator, new Expr.Read(counter), Expr.Literal.ofInt(Math.abs(step))), SourcePosition.SYNTHETIC);
  }

  // ------------------------------------------------------------- adjoints

  private Variable adjointOf(Variable variable) {
    Variable adjoint = adjoints.get(variable);
    if (adjoint == null) {
      adjoint = fresh(adjointName(variable), variable.type());
      adjoints.put(variable, adjoint);
      hoist(adjoint);
    }
    return adjoint;
  }

  /**
   * The adjoint of a variable or array element expression: {@code dx}, {@code dw[i]}. Anything else (an element of
   * a call's result) has no adjoint variable: an error on the expression, and a stand-in that is never emitted.
   */
  private Expr adjointLocationOf(Expr location) {
    if (Exprs.rootOf(location) == null) {
      reportComputedArrayElement(location);
      return new Expr.Read(fresh("noAdjoint", location.type()));
    }
    return location.accept(new Exprs.LocationsOnly<Expr>() { // a root means variable reads and element reads only
      @Override
      public Expr visitRead(Expr.Read read) {
        return new Expr.Read(adjointOf(read.variable()));
      }

      @Override
      public Expr visitArrayRead(Expr.ArrayRead read) {
        return new Expr.ArrayRead(adjointLocationOf(read.array()), read.index(), SourcePosition.SYNTHETIC);
      }
    });
  }

  private void reportComputedArrayElement(Expr expression) {
    Object tree = expression.position().tree();
    if (errors.stream().noneMatch(error -> error.tree() == tree)) {
      errors.add(new CompileError(tree, Message.COMPUTED_ARRAY_ELEMENT, tree));
    }
  }

  private static String adjointName(Variable variable) {
    return "d" + variable.name();
  }

  // ------------------------------------------------------------- small helpers

  private static Stmt assignTo(Expr location, Expr value) {
    return location.accept(new Exprs.LocationsOnly<Stmt>() {
      @Override
      public Stmt visitRead(Expr.Read read) {
        return new Stmt.Assign(read.variable(), value, SourcePosition.SYNTHETIC);
      }

      @Override
      public Stmt visitArrayRead(Expr.ArrayRead element) {
        return new Stmt.ArrayAssign(element.array(), element.index(), value, SourcePosition.SYNTHETIC);
      }
    });
  }

  private static Expr times(Expr a, Expr b) {
    if (isOne(a)) {
      return b;
    }
    return isOne(b) ? a : Expr.Binary.of(BinaryOperator.MULTIPLY, a, b);
  }

  private static boolean isOne(Expr expr) {
    return expr instanceof Expr.Literal literal
        && (literal.value().equals(1) || literal.value().equals(1.0) || literal.value().equals(1L));
  }

  private static Expr negate(Expr a) {
    if (a instanceof Expr.Unary unary && unary.operator() == UnaryOperator.NEGATE) {
      return unary.operand();
    }
    return new Expr.Unary(UnaryOperator.NEGATE, a, SourcePosition.SYNTHETIC);
  }

  private static Expr.Call runtimeCall(String method, Type returnType, Expr... arguments) {
    List<Type> types = new ArrayList<>();
    for (Expr argument : arguments) {
      types.add(argument.type());
    }
    return new Expr.Call(Callee.Plain.of(ADJOINTS, method, types, returnType), List.of(arguments),
        SourcePosition.SYNTHETIC);
  }

  private void comment(Stmt statement, List<Stmt> forward, List<Stmt> reverse) {
    if (statement.position().isKnown()) {
      Stmt.Comment comment = Stmt.Comment.sourceLine(statement.position());
      forward.add(comment);
      reverse.add(comment);
    }
  }

  private Variable fresh(String name, Type type) {
    return temporaries.fresh(name, type);
  }

  private Expr evaluate(Expr node, List<Stmt> out, Map<Expr, Expr> values) {
    return temporaries.evaluate(node, out, values);
  }

  private static String nameFor(Expr node) {
    return ThreeAddress.nameFor(node);
  }

  private static String shortName(Callee callee) {
    String owner = callee.ownerQualifiedName();
    return owner.substring(owner.lastIndexOf('.') + 1) + "." + callee.name();
  }

}
