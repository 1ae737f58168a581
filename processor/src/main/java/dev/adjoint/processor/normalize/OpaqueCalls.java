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
    if (expr instanceof Expr.Call call && call.callee() instanceof Callee.Opaque) {
      return false;
    }
    if (expr instanceof Expr.ArrayRead read && isVolatile(read.array(), volatileArrays)) {
      return false;
    }
    for (Expr child : Exprs.children(expr)) {
      if (!isRecomputable(child, volatileArrays)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the statement's value calls a method of unknown purity (so it must run, once). */
  public static boolean callsOpaque(Expr expr) {
    if (expr instanceof Expr.Call call && call.callee() instanceof Callee.Opaque) {
      return true;
    }
    for (Expr child : Exprs.children(expr)) {
      if (callsOpaque(child)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isVolatile(Expr array, Set<Variable> volatileArrays) {
    if (array instanceof Expr.Constant) {
      return true;
    }
    if (array instanceof Expr.Call call) {
      return call.callee() instanceof Callee.Opaque;
    }
    Variable root = Exprs.rootOf(array);
    return root != null && volatileArrays.contains(root);
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
    if (statement instanceof Stmt.Block block) {
      block.statements().forEach(child -> collectAssignments(child, into));
    } else if (statement instanceof Stmt.If ifStmt) {
      collectAssignments(ifStmt.thenBlock(), into);
      collectAssignments(ifStmt.elseBlock(), into);
    } else if (statement instanceof Stmt.Loop loop) {
      collectAssignments(loop.body(), into);
      collectAssignments(loop.update(), into);
    } else if (Activity.targetOf(statement) != null) {
      into.add(statement);
    }
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
    if (statement instanceof Stmt.Block block) {
      out.add(block(block));
    } else if (statement instanceof Stmt.If ifStmt) {
      // Conditions run once in every mode (the reverse sweep replays recorded decisions).
      checkArguments(ifStmt.condition());
      out.add(new Stmt.If(ifStmt.condition(), block(ifStmt.thenBlock()), block(ifStmt.elseBlock()),
          ifStmt.position()));
    } else if (statement instanceof Stmt.Loop loop) {
      checkArguments(loop.condition());
      out.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(), block(loop.body()),
          block(loop.update()), loop.position()));
    } else if (statement instanceof Stmt.Declare declare) {
      Expr init = declare.init() == null ? null : pinValue(declare.init(), out);
      out.add(new Stmt.Declare(declare.variable(), init, declare.position()));
    } else if (statement instanceof Stmt.Assign assign) {
      out.add(new Stmt.Assign(assign.variable(), pinValue(assign.value(), out), assign.position()));
    } else if (statement instanceof Stmt.ArrayAssign store) {
      Expr array = pin(store.array(), out, false);
      Expr index = pin(store.index(), out, false);
      out.add(new Stmt.ArrayAssign(array, index, pinValue(store.value(), out), store.position()));
    } else {
      out.add(statement); // returns and the like are gone after normalisation; nothing to pin
    }
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
      boolean mustPin = (pinnedChildren instanceof Expr.Call call && call.callee() instanceof Callee.Opaque)
          || (pinnedChildren instanceof Expr.ArrayRead read && read.type().isScalar()
              && isVolatile(read.array(), volatileArrays));
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
    List<Expr> arguments = new ArrayList<>();
    for (Expr argument : call.arguments()) {
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
    return expr instanceof Expr.Conditional
        || (expr instanceof Expr.Binary binary
            && (binary.operator() == BinaryOperator.AND || binary.operator() == BinaryOperator.OR));
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

  private static String nameOf(Expr expr) {
    if (expr instanceof Expr.Call call) {
      return call.callee().name();
    }
    if (expr instanceof Expr.ArrayRead read) {
      return nameOf(read.array()) + "Element";
    }
    if (expr instanceof Expr.Read read) {
      return read.variable().name();
    }
    if (expr instanceof Expr.Constant constant) {
      return constant.field().toLowerCase(java.util.Locale.ROOT);
    }
    return "value";
  }

  private static String shortName(Callee callee) {
    String owner = callee.ownerQualifiedName();
    return owner.substring(owner.lastIndexOf('.') + 1) + "." + callee.name();
  }
}
