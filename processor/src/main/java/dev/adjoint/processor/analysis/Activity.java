package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Activity analysis: which values depend on the differentiated parameters (varied) and which
 * assignments can still influence the result (useful). Only assignments that are both get
 * adjoint code, so dead or inactive code never reaches, let alone poisons, the gradient.
 *
 * <p>Variedness is flow-insensitive (a variable is varied if any assignment makes it so);
 * usefulness is computed backwards along the statements, with a fixpoint for loops, so that a
 * value that is overwritten before it is read is not useful.
 */
public final class Activity {
  private final Set<Variable> varied = new HashSet<>();
  private final Map<Stmt, Boolean> activeAssignments = new IdentityHashMap<>();

  private Activity() {}

  public static Activity of(Function function, Variable result) {
    Activity activity = new Activity();
    activity.varied.addAll(function.differentiated());
    boolean changed = true;
    while (changed) {
      changed = activity.propagateVaried(function.body());
    }
    Set<Variable> useful = new LinkedHashSet<>();
    useful.add(result);
    activity.useful(function.body(), useful);
    return activity;
  }

  /**
   * Only variedness: what in {@code body} may depend on {@code inputs}. Forward mode needs no
   * more, since a tangent flows only forwards.
   */
  public static Activity variedFrom(Stmt.Block body, java.util.Collection<Variable> inputs) {
    Activity activity = new Activity();
    activity.varied.addAll(inputs);
    boolean changed = true;
    while (changed) {
      changed = activity.propagateVaried(body);
    }
    return activity;
  }

  /** Whether {@code variable} may depend on a differentiated parameter. */
  public boolean isVaried(Variable variable) {
    return varied.contains(variable) && variable.type().isDifferentiable();
  }

  /** Whether the expression's value may depend on a differentiated parameter. */
  public boolean isVaried(Expr expr) {
    if (!expr.type().isDifferentiable()) {
      return false;
    }
    if (expr instanceof Expr.Read read) {
      return isVaried(read.variable());
    }
    if (expr instanceof Expr.ArrayRead read) {
      return isVaried(read.array());
    }
    if (expr instanceof Expr.Conditional conditional) {
      return isVaried(conditional.whenTrue()) || isVaried(conditional.whenFalse());
    }
    if (expr instanceof Expr.Cast cast) {
      return isVaried(cast.operand());
    }
    if (expr instanceof Expr.Pop || expr instanceof Expr.PartialOf) {
      return true; // what a reverse sweep restores or a pullback returns is as varied as its type
    }
    for (Expr child : Exprs.children(expr)) {
      if (isVaried(child)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an assignment (declaration, assignment or array element store) needs adjoint code. */
  public boolean isActive(Stmt assignment) {
    return activeAssignments.getOrDefault(assignment, false);
  }

  public Set<Variable> varied() {
    return Collections.unmodifiableSet(varied);
  }

  // ------------------------------------------------------------------ varied

  private boolean propagateVaried(Stmt statement) {
    boolean changed = false;
    if (statement instanceof Stmt.Block block) {
      for (Stmt child : block.statements()) {
        changed |= propagateVaried(child);
      }
    } else if (statement instanceof Stmt.If ifStmt) {
      changed |= propagateVaried(ifStmt.thenBlock());
      changed |= propagateVaried(ifStmt.elseBlock());
    } else if (statement instanceof Stmt.Loop loop) {
      changed |= propagateVaried(loop.body());
      changed |= propagateVaried(loop.update());
    } else {
      Variable target = targetOf(statement);
      Expr value = valueOf(statement);
      if (target != null && value != null && target.type().isDifferentiable()
          && isVaried(value) && varied.add(target)) {
        changed = true;
      }
    }
    return changed;
  }

  // ------------------------------------------------------------------ useful

  /** Walks {@code statement} backwards; {@code useful} holds what is useful after it, and before it on return. */
  private void useful(Stmt statement, Set<Variable> useful) {
    if (statement instanceof Stmt.Block block) {
      for (int i = block.statements().size() - 1; i >= 0; i--) {
        useful(block.statements().get(i), useful);
      }
    } else if (statement instanceof Stmt.If ifStmt) {
      Set<Variable> otherBranch = new LinkedHashSet<>(useful);
      useful(ifStmt.thenBlock(), useful);
      useful(ifStmt.elseBlock(), otherBranch);
      useful.addAll(otherBranch);
    } else if (statement instanceof Stmt.Loop loop) {
      // Useful at the loop head: after the loop, or before another pass of update and body.
      Set<Variable> atHead = new LinkedHashSet<>(useful);
      while (true) {
        Set<Variable> beforeBody = new LinkedHashSet<>(atHead);
        useful(loop.update(), beforeBody);
        useful(loop.body(), beforeBody);
        beforeBody.addAll(useful);
        if (beforeBody.equals(atHead)) {
          break;
        }
        atHead = beforeBody;
      }
      useful.addAll(atHead);
    } else {
      Variable target = targetOf(statement);
      Expr value = valueOf(statement);
      if (target == null || value == null) {
        return;
      }
      boolean isUseful = useful.contains(target);
      if (isUseful && isVaried(value)) {
        activeAssignments.put(statement, true);
      }
      if (isUseful) {
        if (statement instanceof Stmt.Assign || statement instanceof Stmt.Declare) {
          useful.remove(target);
        }
        useful.addAll(Exprs.variablesRead(value));
      }
    }
  }

  /** The variable an assignment writes (the array's for element stores), or null. */
  public static Variable targetOf(Stmt statement) {
    if (statement instanceof Stmt.Declare declare) {
      return declare.variable();
    }
    if (statement instanceof Stmt.Assign assign) {
      return assign.variable();
    }
    if (statement instanceof Stmt.ArrayAssign assign) {
      return Exprs.rootOf(assign.array());
    }
    return null;
  }

  /** The value an assignment stores, or null. */
  public static Expr valueOf(Stmt statement) {
    if (statement instanceof Stmt.Declare declare) {
      return declare.init();
    }
    if (statement instanceof Stmt.Assign assign) {
      return assign.value();
    }
    if (statement instanceof Stmt.ArrayAssign assign) {
      return assign.value();
    }
    return null;
  }

  /** Whether a call passes a varied value to a parameter that has no derivative. */
  public boolean lacksDerivative(Expr.Call call, int argument) {
    if (!isVaried(call.arguments().get(argument))) {
      return false;
    }
    Callee callee = call.callee();
    if (callee instanceof Callee.Ruled ruled) {
      return ruled.partials().get(argument).isEmpty();
    }
    if (callee instanceof Callee.Differentiable differentiable) {
      return differentiable.differentiated().get(argument) == null;
    }
    return true;
  }
}
