package dev.adjoint.processor.normalize;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.ThreeAddress;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pins down calls of unknown purity ({@link Callee.Opaque}: static methods with no rule that are
 * not {@code @Differentiable}) and the memory they may write, so that every mode runs each such
 * call exactly as often as the original method, in the same order, and uses the values it
 * returned then:
 *
 * <ul>
 *   <li>an opaque call inside an expression gets a local of its own, declared just before the
 *       statement; a call that is the whole value of a statement keeps its place;
 *   <li>the arrays such calls may write ({@link Function#volatileArrays()}: arrays handed to
 *       them, arrays they return, arrays sharing storage with those, {@code static final} arrays,
 *       and, when the method makes opaque calls at all, the data arrays it is given) are read
 *       into locals where an expression reads them, and handed to differentiated calls as copies,
 *       so that no derivative code reads them again later;
 *   <li>{@link #isRecomputable} tells the reverse sweep which values it must never recompute.
 * </ul>
 *
 * <p>An array holding differentiated values must not reach an opaque call (it may be written, and
 * its derivative is unknown), and an opaque call must not sit in a branch of {@code ?:}, {@code &&}
 * or {@code ||} inside a value, where the derivative code could not know whether it ran: both are
 * compile errors on the expression.
 */
public final class OpaqueCalls {
  private static final String ADJOINTS = "dev.adjoint.runtime.Adjoints";

  private final Set<Variable> volatileArrays;
  private final Activity varied;
  private final ThreeAddress names;

  private OpaqueCalls(Set<Variable> volatileArrays, Activity varied, ThreeAddress names) {
    this.volatileArrays = volatileArrays;
    this.varied = varied;
    this.names = names;
  }

  /** The function with its opaque calls and volatile reads pinned down. */
  public static Function isolate(Function function) {
    Set<Variable> volatileArrays = volatileArrays(function);
    Activity varied = Activity.variedFrom(function.body(), function.differentiated());
    OpaqueCalls pass = new OpaqueCalls(volatileArrays, varied, ThreeAddress.avoiding(function));
    Stmt.Block body = pass.block(function.body());
    return function.withBody(body).withVolatileArrays(volatileArrays);
  }

  /**
   * Whether the reverse sweep may evaluate {@code expr} again and get the value the forward sweep
   * had: it calls nothing of unknown purity and reads no array that such a call may write.
   */
  public static boolean isRecomputable(Expr expr, Set<Variable> volatileArrays) {
    if (unknownState(expr, volatileArrays) != UnknownState.NONE) {
      return false;
    }
    for (Expr child : Exprs.children(expr)) {
      if (!isRecomputable(child, volatileArrays)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the value calls a method of unknown purity, or a differentiated one that makes such
   * calls: it must run exactly as often as in the original, whether or not its value is needed.
   */
  public static boolean callsOpaque(Expr expr) {
    if (expr instanceof Expr.Call call && (call.callee() instanceof Callee.Opaque
        || (call.callee() instanceof Callee.Differentiable callee && !callee.recomputable()))) {
      return true;
    }
    for (Expr child : Exprs.children(expr)) {
      if (callsOpaque(child)) {
        return true;
      }
    }
    return false;
  }

  /** What of unknown state a node itself (not its children) runs or reads. */
  private enum UnknownState { NONE, OPAQUE_CALL, VOLATILE_ELEMENT }

  private static UnknownState unknownState(Expr expr, Set<Variable> volatileArrays) {
    return expr.accept(new Expr.Visitor<UnknownState>() {
      @Override
      public UnknownState visitLiteral(Expr.Literal literal) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitFunctionRef(Expr.FunctionRef reference) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitRead(Expr.Read read) {
        return UnknownState.NONE; // a local's value changes only by the method's own writes
      }

      @Override
      public UnknownState visitConstant(Expr.Constant constant) {
        return UnknownState.NONE; // a static final array is read through an element read
      }

      @Override
      public UnknownState visitArrayRead(Expr.ArrayRead read) {
        return isVolatile(read.array(), volatileArrays) ? UnknownState.VOLATILE_ELEMENT : UnknownState.NONE;
      }

      @Override
      public UnknownState visitLength(Expr.Length length) {
        return UnknownState.NONE; // calls cannot resize an array
      }

      @Override
      public UnknownState visitUnary(Expr.Unary unary) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitBinary(Expr.Binary binary) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitCast(Expr.Cast cast) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitConditional(Expr.Conditional conditional) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitCall(Expr.Call call) {
        return call.callee() instanceof Callee.Opaque ? UnknownState.OPAQUE_CALL : UnknownState.NONE;
      }

      @Override
      public UnknownState visitNewArray(Expr.NewArray array) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitArrayLiteral(Expr.ArrayLiteral literal) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitNewRecord(Expr.NewRecord record) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitPop(Expr.Pop pop) {
        return UnknownState.NONE;
      }

      @Override
      public UnknownState visitPartialOf(Expr.PartialOf partial) {
        return UnknownState.NONE;
      }
    });
  }

  /** Whether an array expression's storage may be written by calls of unknown purity. */
  private static boolean isVolatile(Expr array, Set<Variable> volatileArrays) {
    return array.accept(new Expr.Visitor<Boolean>() {
      @Override
      public Boolean visitLiteral(Expr.Literal literal) {
        return false; // null
      }

      @Override
      public Boolean visitFunctionRef(Expr.FunctionRef reference) {
        return false; // null
      }

      @Override
      public Boolean visitRead(Expr.Read read) {
        return volatileArrays.contains(read.variable());
      }

      @Override
      public Boolean visitConstant(Expr.Constant constant) {
        return true; // a static final array is shared with any code at all
      }

      @Override
      public Boolean visitArrayRead(Expr.ArrayRead read) {
        Variable root = Exprs.rootOf(read);
        return root != null && volatileArrays.contains(root);
      }

      @Override
      public Boolean visitLength(Expr.Length length) {
        return false;
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
        return call.callee() instanceof Callee.Opaque; // its result may be storage it keeps
      }

      @Override
      public Boolean visitNewArray(Expr.NewArray newArray) {
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

  // ------------------------------------------------------------- which arrays may change

  /**
   * The array variables an opaque call may write: those handed to one or returned by one, closed
   * under sharing storage ({@code b = a}, {@code r = m[i]}); and every data array parameter when
   * the method makes an opaque call, since the caller may have passed storage the call can reach.
   */
  static Set<Variable> volatileArrays(Function function) {
    Set<Variable> volatileArrays = new LinkedHashSet<>();
    List<Stmt> assignments = new ArrayList<>();
    collectAssignments(function.body(), assignments);
    boolean opaqueCalls = false;
    for (Stmt assignment : assignments) {
      for (Expr.Call call : opaqueCallsIn(assignment)) {
        opaqueCalls = true;
        for (Expr argument : call.arguments()) {
          if (argument.type().isArray() && Exprs.rootOf(argument) != null) {
            volatileArrays.add(Exprs.rootOf(argument));
          }
        }
      }
    }
    if (opaqueCalls) {
      for (Variable parameter : function.parameters()) {
        if (parameter.type().isArray() && !function.differentiated().contains(parameter)) {
          volatileArrays.add(parameter);
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Stmt assignment : assignments) {
        Variable target = Activity.targetOf(assignment);
        Expr value = Activity.valueOf(assignment);
        if (target == null || value == null || !target.type().isArray() || assignment instanceof Stmt.ArrayAssign) {
          continue;
        }
        Variable source = Exprs.rootOf(value);
        boolean sourceVolatile = isVolatile(value, volatileArrays);
        if (sourceVolatile && volatileArrays.add(target)) {
          changed = true;
        }
        if (source != null && volatileArrays.contains(target) && volatileArrays.add(source)) {
          changed = true;
        }
      }
    }
    return volatileArrays;
  }

  private static void collectAssignments(Stmt statement, List<Stmt> into) {
    Stmts.forEachAssignment(statement, assignment -> {
      if (Activity.targetOf(assignment) != null) {
        into.add(assignment);
      }
    });
  }

  private static List<Expr.Call> opaqueCallsIn(Stmt assignment) {
    List<Expr.Call> calls = new ArrayList<>();
    for (Expr part : partsOf(assignment)) {
      collectOpaqueCalls(part, calls);
    }
    return calls;
  }

  private static void collectOpaqueCalls(Expr expr, List<Expr.Call> into) {
    if (expr instanceof Expr.Call call && call.callee() instanceof Callee.Opaque) {
      into.add(call);
    }
    Exprs.children(expr).forEach(child -> collectOpaqueCalls(child, into));
  }

  /** What an assignment evaluates, in Java's order: the array and index of a store, then the value. */
  private static List<Expr> partsOf(Stmt assignment) {
    List<Expr> parts = new ArrayList<>();
    if (assignment instanceof Stmt.ArrayAssign store) {
      parts.add(store.array());
      parts.add(store.index());
    }
    if (Activity.valueOf(assignment) != null) {
      parts.add(Activity.valueOf(assignment));
    }
    return parts;
  }

  // ------------------------------------------------------------- the rewrite

  private Stmt.Block block(Stmt.Block block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt statement : block.statements()) {
      statement(statement, out);
    }
    return new Stmt.Block(out, block.position());
  }

  private void statement(Stmt statement, List<Stmt> out) {
    statement.accept(new Stmt.Visitor<Void>() {
      @Override
      public Void visitBlock(Stmt.Block block) {
        out.add(block(block));
        return null;
      }

      @Override
      public Void visitIf(Stmt.If ifStmt) {
        // Conditions run once in every mode (the reverse sweep replays recorded decisions).
        checkArguments(ifStmt.condition());
        out.add(new Stmt.If(ifStmt.condition(), block(ifStmt.thenBlock()), block(ifStmt.elseBlock()),
            ifStmt.position()));
        return null;
      }

      @Override
      public Void visitLoop(Stmt.Loop loop) {
        checkArguments(loop.condition());
        out.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(), block(loop.body()),
            block(loop.update()), loop.position()));
        return null;
      }

      @Override
      public Void visitDeclare(Stmt.Declare declare) {
        Expr init = declare.init() == null ? null : pinValue(declare.init(), out);
        out.add(new Stmt.Declare(declare.variable(), init, declare.position()));
        return null;
      }

      @Override
      public Void visitAssign(Stmt.Assign assign) {
        out.add(new Stmt.Assign(assign.variable(), pinValue(assign.value(), out), assign.position()));
        return null;
      }

      @Override
      public Void visitArrayAssign(Stmt.ArrayAssign store) {
        Expr array = pin(store.array(), out, false);
        Expr index = pin(store.index(), out, false);
        out.add(new Stmt.ArrayAssign(array, index, pinValue(store.value(), out), store.position()));
        return null;
      }

      @Override
      public Void visitBreak(Stmt.Break jump) {
        return unchanged(jump); // gone after normalisation
      }

      @Override
      public Void visitContinue(Stmt.Continue jump) {
        return unchanged(jump);
      }

      @Override
      public Void visitReturn(Stmt.Return ret) {
        return unchanged(ret);
      }

      @Override
      public Void visitPush(Stmt.Push push) {
        return unchanged(push); // generated code only: nothing of the user's to pin
      }

      @Override
      public Void visitPullback(Stmt.Pullback pullback) {
        return unchanged(pullback);
      }

      @Override
      public Void visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
        return unchanged(pullbackTangent);
      }

      @Override
      public Void visitEffect(Stmt.Effect effect) {
        return unchanged(effect);
      }

      @Override
      public Void visitComment(Stmt.Comment comment) {
        return unchanged(comment);
      }

      private Void unchanged(Stmt statement) {
        out.add(statement);
        return null;
      }
    });
  }

  /** The value of a statement: pinned, except that the value as a whole may stay a call or read. */
  private Expr pinValue(Expr value, List<Stmt> out) {
    return pin(value, out, true);
  }

  /**
   * Rewrites {@code expr} so that its opaque calls and volatile reads are locals declared into
   * {@code out} in evaluation order; {@code whole} when the expression is a statement's entire
   * value, which may stay in place.
   */
  private Expr pin(Expr expr, List<Stmt> out, boolean whole) {
    if (!isRecomputable(expr, volatileArrays) || containsVolatileArgument(expr)) {
      if (lazilyEvaluated(expr)) {
        checkNothingLazy(expr);
        return expr;
      }
      Expr pinnedChildren = expr instanceof Expr.Call call ? pinArguments(call, out)
          : Exprs.mapChildren(expr, child -> pin(child, out, false));
      UnknownState state = unknownState(pinnedChildren, volatileArrays);
      boolean mustPin = state == UnknownState.OPAQUE_CALL
          || (state == UnknownState.VOLATILE_ELEMENT && pinnedChildren.type().isScalar());
      if (!mustPin || whole) {
        return pinnedChildren;
      }
      Variable local = names.fresh(nameOf(pinnedChildren), pinnedChildren.type());
      out.add(new Stmt.Declare(local, pinnedChildren, SourcePosition.SYNTHETIC));
      return new Expr.Read(local, expr.position());
    }
    return expr;
  }

  /** A call's arguments pinned; a volatile array handed to a differentiated call becomes a copy. */
  private Expr pinArguments(Expr.Call call, List<Stmt> out) {
    boolean opaque = call.callee() instanceof Callee.Opaque;
    boolean mayWriteArrays = opaque && call.arguments().stream().anyMatch(argument -> argument.type().isArray());
    List<Expr> arguments = new ArrayList<>();
    for (int i = 0; i < call.arguments().size(); i++) {
      Expr argument = call.arguments().get(i);
      if (mayWriteArrays && !argument.type().isArray() && varied.isVaried(argument)) {
        // It may write the differentiated value into an array it is given, even where its result is unused.
        throw call.callee() instanceof Callee.Opaque helper && helper.notDifferentiated() != null
            ? new CompileError(call.position().tree(), Message.HELPER_NOT_DIFFERENTIABLE, shortName(helper),
                helper.notDifferentiated(), helper.name())
            : dev.adjoint.processor.rules.RuleCatalogue.missingRule(call.position().tree(),
                call.callee().ownerQualifiedName(), call.callee().name(), i + 1);
      }
      if (argument.type().isArray() && opaque) {
        if (varied.isVaried(argument)) {
          throw new CompileError(argument.position().tree(), Message.OPAQUE_CALL_GETS_VARIED_ARRAY,
              argument.position().tree(), shortName(call.callee()));
        }
        arguments.add(pin(argument, out, true));
      } else if (argument.type().isArray() && isVolatile(argument, volatileArrays)) {
        Expr copy = new Expr.Call(Callee.Plain.of(ADJOINTS, "copy", List.of(argument.type()), argument.type()),
            List.of(pin(argument, out, true)), SourcePosition.SYNTHETIC);
        Variable local = names.fresh(nameOf(argument) + "Now", argument.type());
        out.add(new Stmt.Declare(local, copy, SourcePosition.SYNTHETIC));
        arguments.add(new Expr.Read(local, argument.position()));
      } else {
        arguments.add(pin(argument, out, false));
      }
    }
    return new Expr.Call(call.callee(), arguments, call.position());
  }

  /** Whether a differentiated call receives an array that an opaque call may write. */
  private boolean containsVolatileArgument(Expr expr) {
    if (expr instanceof Expr.Call call && !(call.callee() instanceof Callee.Opaque)) {
      for (Expr argument : call.arguments()) {
        if (argument.type().isArray() && isVolatile(argument, volatileArrays)) {
          return true;
        }
      }
    }
    for (Expr child : Exprs.children(expr)) {
      if (containsVolatileArgument(child)) {
        return true;
      }
    }
    return false;
  }

  /** {@code ?:}, {@code &&} and {@code ||}, whose later operands may not run. */
  private static boolean lazilyEvaluated(Expr expr) {
    return expr.accept(new Expr.Visitor<Boolean>() {
      @Override
      public Boolean visitLiteral(Expr.Literal literal) {
        return false;
      }

      @Override
      public Boolean visitFunctionRef(Expr.FunctionRef reference) {
        return false;
      }

      @Override
      public Boolean visitRead(Expr.Read read) {
        return false;
      }

      @Override
      public Boolean visitConstant(Expr.Constant constant) {
        return false;
      }

      @Override
      public Boolean visitArrayRead(Expr.ArrayRead read) {
        return false;
      }

      @Override
      public Boolean visitLength(Expr.Length length) {
        return false;
      }

      @Override
      public Boolean visitUnary(Expr.Unary unary) {
        return false;
      }

      @Override
      public Boolean visitBinary(Expr.Binary binary) {
        return binary.operator() == BinaryOperator.AND || binary.operator() == BinaryOperator.OR;
      }

      @Override
      public Boolean visitCast(Expr.Cast cast) {
        return false;
      }

      @Override
      public Boolean visitConditional(Expr.Conditional conditional) {
        return true;
      }

      @Override
      public Boolean visitCall(Expr.Call call) {
        return false; // arguments all run, before the call
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

  private void checkNothingLazy(Expr expr) {
    List<Expr.Call> calls = opaqueCallsOf(expr);
    if (!calls.isEmpty()) {
      throw new CompileError(calls.get(0).position().tree(), Message.OPAQUE_CALL_IN_BRANCH,
          shortName(calls.get(0).callee()));
    }
    if (!isRecomputable(expr, volatileArrays)) {
      throw new CompileError(expr.position().tree(), Message.OPAQUE_CALL_IN_BRANCH,
          "an element of an array that such calls may change");
    }
  }

  /** Conditions run once, but an array holding differentiated values must not reach an opaque call there either. */
  private void checkArguments(Expr condition) {
    for (Expr.Call call : opaqueCallsOf(condition)) {
      for (Expr argument : call.arguments()) {
        if (argument.type().isArray() && varied.isVaried(argument)) {
          throw new CompileError(argument.position().tree(), Message.OPAQUE_CALL_GETS_VARIED_ARRAY,
              argument.position().tree(), shortName(call.callee()));
        }
      }
    }
  }

  private static List<Expr.Call> opaqueCallsOf(Expr expr) {
    List<Expr.Call> calls = new ArrayList<>();
    collectOpaqueCalls(expr, calls);
    return calls;
  }

  /** A name for a pinned value, after what it calls or reads. */
  private static String nameOf(Expr expr) {
    return expr.accept(new Expr.Visitor<String>() {
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
        return read.variable().name();
      }

      @Override
      public String visitConstant(Expr.Constant constant) {
        return constant.field().toLowerCase(java.util.Locale.ROOT);
      }

      @Override
      public String visitArrayRead(Expr.ArrayRead read) {
        return nameOf(read.array()) + "Element";
      }

      @Override
      public String visitLength(Expr.Length length) {
        return "value";
      }

      @Override
      public String visitUnary(Expr.Unary unary) {
        return "value";
      }

      @Override
      public String visitBinary(Expr.Binary binary) {
        return "value";
      }

      @Override
      public String visitCast(Expr.Cast cast) {
        return "value";
      }

      @Override
      public String visitConditional(Expr.Conditional conditional) {
        return "value";
      }

      @Override
      public String visitCall(Expr.Call call) {
        return call.callee().name();
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

  private static String shortName(Callee callee) {
    String owner = callee.ownerQualifiedName();
    return owner.substring(owner.lastIndexOf('.') + 1) + "." + callee.name();
  }
}
