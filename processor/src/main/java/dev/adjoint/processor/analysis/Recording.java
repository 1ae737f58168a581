package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.normalize.OpaqueCalls;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
  /** Arrays that calls of unknown purity may write: what reads them cannot be recomputed. */
  private final Set<Variable> volatileArrays;
  private final Set<Variable> readInReverse = new HashSet<>();
  private final Map<Stmt, Boolean> saves = new IdentityHashMap<>();
  /** Per loop, the declarations its reverse sweep recomputes instead of restoring. */
  private final Map<Stmt.Loop, List<Stmt.Declare>> recomputed = new IdentityHashMap<>();
  private final Set<Stmt> recomputedDeclarations = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private Recording(Activity activity, Set<Variable> volatileArrays) {
    this.activity = activity;
    this.volatileArrays = volatileArrays;
  }

  public static Recording of(Function function, Activity activity) {
    Recording recording = new Recording(activity, function.volatileArrays());
    recording.findRecomputable(function.body());
    recording.collectReads(function.body());
    recording.walk(function.body(), new LinkedHashSet<>());
    return recording;
  }

  /**
   * The declarations at the top of {@code loop}'s body whose values the reverse sweep recomputes at
   * the start of each reversed iteration, in order, instead of saving them on the tape.
   */
  public List<Stmt.Declare> recomputedIn(Stmt.Loop loop) {
    return recomputed.getOrDefault(loop, List.of());
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
    // An element store into an array the reverse sweep reads may be saved, and its restore reads
    // the index.
    forEachAssignment(statement, assignment -> {
      if (assignment instanceof Stmt.ArrayAssign store && readInReverse.contains(Activity.targetOf(store))) {
        collectIndexReads(store.array(), readInReverse);
        readInReverse.addAll(Exprs.variablesRead(store.index()));
      }
    });
  }

  /** The variables whose values (from before the statement) its reverse step reads. */
  private Set<Variable> reverseReads(Stmt statement) {
    Set<Variable> reads = new LinkedHashSet<>();
    if (recomputedDeclarations.contains(statement)) {
      reads.addAll(Exprs.variablesRead(Activity.valueOf(statement)));
    }
    if (statement instanceof Stmt.ArrayAssign assign && activity.isVaried(Activity.targetOf(statement))) {
      // Even a store of a constant resets the element's adjoint in the reverse sweep, at that index.
      collectIndexReads(assign.array(), reads);
      reads.addAll(Exprs.variablesRead(assign.index()));
    }
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
    return statement.accept(new Stmts.ByAssignment<Set<Variable>>() {
      @Override
      public Set<Variable> visitBlock(Stmt.Block block) {
        Set<Variable> current = pending;
        for (Stmt child : block.statements()) {
          current = walk(child, current);
        }
        return current;
      }

      @Override
      public Set<Variable> visitIf(Stmt.If ifStmt) {
        Set<Variable> afterThen = walk(ifStmt.thenBlock(), new LinkedHashSet<>(pending));
        Set<Variable> afterElse = walk(ifStmt.elseBlock(), new LinkedHashSet<>(pending));
        afterThen.addAll(afterElse);
        return afterThen;
      }

      @Override
      public Set<Variable> visitLoop(Stmt.Loop loop) {
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

      @Override
      protected Set<Variable> assignment(Stmt assignment) {
        return walkAssignment(assignment, pending);
      }

      @Override
      protected Set<Variable> otherLeaf(Stmt other) {
        return pending; // writes no variable
      }
    });
  }

  private Set<Variable> walkAssignment(Stmt statement, Set<Variable> pending) {
    Variable target = Activity.targetOf(statement);
    if (target == null) {
      return pending;
    }
    pending.addAll(reverseReads(statement));
    if (statement instanceof Stmt.ArrayAssign store && pending.contains(target)) {
      collectIndexReads(store.array(), pending);
      pending.addAll(Exprs.variablesRead(store.index()));
    }
    if (isInvertibleStep(statement)) {
      if (readInReverse.contains(target)) {
        pending.add(target); // the inverse step reads the value this step leaves
      }
      return pending;
    }
    if (pending.contains(target) && !recomputedDeclarations.contains(statement)) {
      saves.put(statement, true);
    }
    if (!(statement instanceof Stmt.ArrayAssign)) {
      pending.remove(target);
    }
    return pending;
  }

  // ------------------------------------------------------------- recomputation

  /**
   * Finds, in every loop, the declarations at the top of its body that the reverse sweep can
   * recompute: their variable is assigned nowhere else, and what they read keeps its value through
   * the loop (nothing in the loop writes it), is the loop's counter (undone before each reversed
   * iteration), or is such a declaration itself. Hand-written adjoints do the same with the
   * temporaries of a loop body, and it keeps loops like Rosenbrock's off the tape.
   */
  private void findRecomputable(Stmt statement) {
    Map<Variable, Integer> writes = new IdentityHashMap<>();
    countWrites(statement, writes);
    findRecomputable(statement, writes);
  }

  private void findRecomputable(Stmt statement, Map<Variable, Integer> writes) {
    statement.accept(new Stmts.ByAssignment<Void>() {
      @Override
      public Void visitBlock(Stmt.Block block) {
        block.statements().forEach(child -> findRecomputable(child, writes));
        return null;
      }

      @Override
      public Void visitIf(Stmt.If ifStmt) {
        findRecomputable(ifStmt.thenBlock(), writes);
        findRecomputable(ifStmt.elseBlock(), writes);
        return null;
      }

      @Override
      public Void visitLoop(Stmt.Loop loop) {
        findRecomputableIn(loop, writes);
        return null;
      }

      @Override
      protected Void assignment(Stmt assignment) {
        return null; // only the leading declarations of a loop's body, found from the loop
      }

      @Override
      protected Void otherLeaf(Stmt other) {
        return null;
      }
    });
  }

  private void findRecomputableIn(Stmt.Loop loop, Map<Variable, Integer> writes) {
    Map<Variable, Integer> writtenInLoop = new IdentityHashMap<>();
    countWrites(loop.body(), writtenInLoop);
    countWrites(loop.update(), writtenInLoop);
    Set<Variable> counters = new java.util.HashSet<>();
    for (Stmt step : loop.update().statements()) {
      if (isInvertibleStep(step)) {
        counters.add(Activity.targetOf(step));
      }
    }
    Set<Variable> available = new java.util.HashSet<>();
    List<Stmt.Declare> found = new java.util.ArrayList<>();
    for (Stmt child : loop.body().statements()) {
      if (!(child instanceof Stmt.Declare declare) || declare.init() == null
          || !declare.variable().type().isScalar() || writes.getOrDefault(declare.variable(), 0) != 1
          || !OpaqueCalls.isRecomputable(declare.init(), volatileArrays)) {
        break; // only the leading run of declarations: later ones may follow writes they depend on
      }
      boolean stable = Exprs.variablesRead(declare.init()).stream().allMatch(read ->
          available.contains(read) || !writtenInLoop.containsKey(read)
              || (counters.contains(read) && writtenInLoop.get(read) == 1));
      if (!stable) {
        break;
      }
      found.add(declare);
      available.add(declare.variable());
      recomputedDeclarations.add(declare);
    }
    if (!found.isEmpty()) {
      recomputed.put(loop, found);
    }
    findRecomputable(loop.body(), writes);
  }

  private static void countWrites(Stmt statement, Map<Variable, Integer> writes) {
    forEachAssignment(statement, assignment -> writes.merge(Activity.targetOf(assignment), 1, Integer::sum));
  }

  /** Every assignment to a variable or into an array held by one. */
  private static void forEachAssignment(Stmt statement, java.util.function.Consumer<Stmt> action) {
    Stmts.forEachAssignment(statement, assignment -> {
      if (Activity.targetOf(assignment) != null) {
        action.accept(assignment);
      }
    });
  }
}
