package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOperator;
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
 * The to-be-recorded analysis: which assignments must save the value they overwrite, because the
 * reverse sweep will read it. The reverse sweep of a statement reads its operands' values as they
 * were before it ran; a later write to one of them must then save and restore it, but only the
 * first such write: a restore brings the saved value back whatever the variable holds meanwhile.
 *
 * <p>Walks the statements forwards, with the set of variables whose current value some reverse
 * step still reads ("pending"); a write to a pending variable saves. Integer steps by a constant
 * ({@code i++}) are undone in the reverse sweep instead, which reads the value they leave.
 */
public final class Recording {
  private final Activity activity;
  private final Set<Variable> readInReverse = new HashSet<>();
  private final Map<Stmt, Boolean> saves = new IdentityHashMap<>();

  private Recording(Activity activity) {
    this.activity = activity;
  }

  public static Recording of(Function function, Activity activity) {
    Recording recording = new Recording(activity);
    recording.collectReads(function.body());
    recording.walk(function.body(), new LinkedHashSet<>());
    return recording;
  }

  /** Whether the assignment must save the value it overwrites. */
  public boolean saves(Stmt assignment) {
    return saves.getOrDefault(assignment, false);
  }

  /** Whether any reverse step reads the variable's value (so both sweeps must see it). */
  public boolean isReadInReverse(Variable variable) {
    return readInReverse.contains(variable);
  }

  public Set<Variable> readInReverse() {
    return Collections.unmodifiableSet(readInReverse);
  }

  /** {@code i = i + c} or {@code i = i - c} on an integer, with c a literal or constant. */
  public static boolean isInvertibleStep(Stmt statement) {
    return statement instanceof Stmt.Assign assign && assign.variable().type().isIntegral()
        && assign.value() instanceof Expr.Binary binary
        && (binary.operator() == BinaryOperator.ADD || binary.operator() == BinaryOperator.SUBTRACT)
        && binary.left() instanceof Expr.Read read && read.variable() == assign.variable()
        && (binary.right() instanceof Expr.Literal || binary.right() instanceof Expr.Constant);
  }

  // ------------------------------------------------------------- what the reverse sweep reads

  private void collectReads(Stmt statement) {
    forEachAssignment(statement, assignment -> readInReverse.addAll(reverseReads(assignment)));
  }

  /** The variables whose values (from before the statement) its reverse step reads. */
  private Set<Variable> reverseReads(Stmt statement) {
    Set<Variable> reads = new LinkedHashSet<>();
    if (!activity.isActive(statement)) {
      return reads;
    }
    collectOperandReads(Activity.valueOf(statement), reads);
    if (statement instanceof Stmt.ArrayAssign assign) {
      collectIndexReads(assign.array(), reads);
      reads.addAll(Exprs.variablesRead(assign.index()));
    }
    return reads;
  }

  private void collectOperandReads(Expr node, Set<Variable> reads) {
    if (!activity.isVaried(node)) {
      return;
    }
    for (Expr operand : Partials.operandValuesNeeded(node, activity::isVaried)) {
      reads.addAll(Exprs.variablesRead(operand));
    }
    if (Partials.ownValueNeeded(node)) {
      reads.addAll(Exprs.variablesRead(node));
    }
    if (node instanceof Expr.ArrayRead read) {
      collectIndexReads(read, reads);
    }
    for (Expr child : Exprs.children(node)) {
      collectOperandReads(child, reads);
    }
  }

  private static void collectIndexReads(Expr array, Set<Variable> reads) {
    if (array instanceof Expr.ArrayRead read) {
      reads.addAll(Exprs.variablesRead(read.index()));
      collectIndexReads(read.array(), reads);
    }
  }

  // ------------------------------------------------------------- the forward walk

  /** Walks {@code statement} with the pending set before it; returns the pending set after it. */
  private Set<Variable> walk(Stmt statement, Set<Variable> pending) {
    if (statement instanceof Stmt.Block block) {
      for (Stmt child : block.statements()) {
        pending = walk(child, pending);
      }
      return pending;
    }
    if (statement instanceof Stmt.If ifStmt) {
      Set<Variable> afterThen = walk(ifStmt.thenBlock(), new LinkedHashSet<>(pending));
      Set<Variable> afterElse = walk(ifStmt.elseBlock(), new LinkedHashSet<>(pending));
      afterThen.addAll(afterElse);
      return afterThen;
    }
    if (statement instanceof Stmt.Loop loop) {
      // Iterate to the pending set at the loop head: before the loop, or after any iteration.
      Set<Variable> atHead = new LinkedHashSet<>(pending);
      while (true) {
        Set<Variable> afterIteration = walk(loop.update(), walk(loop.body(), new LinkedHashSet<>(atHead)));
        afterIteration.addAll(atHead);
        if (afterIteration.equals(atHead)) {
          return atHead;
        }
        atHead = afterIteration;
      }
    }
    Variable target = Activity.targetOf(statement);
    if (target == null) {
      return pending;
    }
    pending.addAll(reverseReads(statement));
    if (isInvertibleStep(statement)) {
      if (readInReverse.contains(target)) {
        pending.add(target); // the inverse step reads the value this step leaves
      }
      return pending;
    }
    if (pending.contains(target)) {
      saves.put(statement, true);
    }
    if (!(statement instanceof Stmt.ArrayAssign)) {
      pending.remove(target);
    }
    return pending;
  }

  private static void forEachAssignment(Stmt statement, java.util.function.Consumer<Stmt> action) {
    if (statement instanceof Stmt.Block block) {
      block.statements().forEach(child -> forEachAssignment(child, action));
    } else if (statement instanceof Stmt.If ifStmt) {
      forEachAssignment(ifStmt.thenBlock(), action);
      forEachAssignment(ifStmt.elseBlock(), action);
    } else if (statement instanceof Stmt.Loop loop) {
      forEachAssignment(loop.body(), action);
      forEachAssignment(loop.update(), action);
    } else if (Activity.targetOf(statement) != null) {
      action.accept(statement);
    }
  }
}
