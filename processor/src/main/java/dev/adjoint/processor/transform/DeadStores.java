package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the stores whose values nothing needs. Forward over reverse computes every first-order
 * adjoint and its tangent, but a Hessian-vector product returns only the tangents of the
 * parameters' adjoints: the parameters' adjoints themselves, accumulated element by element, and
 * whatever only they read, are dead. Flow-insensitive: a variable is live when a live statement
 * (an output's store, a condition, a push, an effect, a call of another pullback) reads it.
 * Pops stay, whatever they store into, so that the tape keeps its order.
 */
final class DeadStores {
  private static final String ADJOINTS = "dev.adjoint.runtime.Adjoints";

  private final Set<Variable> live = new HashSet<>();

  private DeadStores(Collection<Variable> outputs) {
    live.addAll(outputs);
  }

  /** The statements left, and the variables they still need. */
  record Pruned(List<Stmt> statements, Set<Variable> live) {}

  /** The statements without stores into variables that neither the outputs nor live code read. */
  static Pruned remove(List<Stmt> statements, Collection<Variable> outputs) {
    DeadStores dead = new DeadStores(outputs);
    int before;
    do {
      before = dead.live.size();
      dead.markReads(statements);
    } while (dead.live.size() != before);
    return new Pruned(dead.prune(statements), Set.copyOf(dead.live));
  }

  private void markReads(List<Stmt> statements) {
    for (Stmt statement : statements) {
      if (statement instanceof Stmt.Block block) {
        markReads(block.statements());
      } else if (statement instanceof Stmt.If ifStmt) {
        markReads(ifStmt.thenBlock().statements());
        markReads(ifStmt.elseBlock().statements());
      } else if (statement instanceof Stmt.Loop loop) {
        markReads(loop.body().statements());
        markReads(loop.update().statements());
      }
      if (isLive(statement)) {
        for (Expr read : readsOf(statement)) {
          live.addAll(Exprs.variablesRead(read));
        }
      }
    }
  }

  private List<Stmt> prune(List<Stmt> statements) {
    List<Stmt> kept = new ArrayList<>();
    for (Stmt statement : statements) {
      if (statement instanceof Stmt.Block block) {
        kept.add(new Stmt.Block(prune(block.statements()), block.position()));
      } else if (statement instanceof Stmt.If ifStmt) {
        kept.add(new Stmt.If(ifStmt.condition(), new Stmt.Block(prune(ifStmt.thenBlock().statements())),
            new Stmt.Block(prune(ifStmt.elseBlock().statements())), ifStmt.position()));
      } else if (statement instanceof Stmt.Loop loop) {
        kept.add(new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(),
            new Stmt.Block(prune(loop.body().statements())), new Stmt.Block(prune(loop.update().statements())),
            loop.position()));
      } else if (isLive(statement)) {
        kept.add(statement);
      }
    }
    return kept;
  }

  /** Whether a statement other than a block, branch or loop must stay. */
  private boolean isLive(Stmt statement) {
    Variable target = Activity.targetOf(statement);
    if (target != null) {
      Expr value = Activity.valueOf(statement);
      // A call of unknown purity runs as often as in the original, whether or not its value is needed.
      return live.contains(target) || (value != null && (popsTape(value) || OpaqueCalls.callsOpaque(value)));
    }
    if (statement instanceof Stmt.Effect effect && effect.call().callee().ownerQualifiedName().equals(ADJOINTS)) {
      Variable array = Exprs.rootOf(effect.call().arguments().get(0));
      return array == null || live.contains(array); // addInto(a, b), zero(a): a store into a
    }
    return true;
  }

  private static boolean popsTape(Expr expr) {
    if (expr instanceof Expr.Pop) {
      return true;
    }
    for (Expr child : Exprs.children(expr)) {
      if (popsTape(child)) {
        return true;
      }
    }
    return false;
  }

  /** The expressions a statement reads, its own sub-blocks aside. */
  private static List<Expr> readsOf(Stmt statement) {
    List<Expr> reads = new ArrayList<>();
    if (statement instanceof Stmt.ArrayAssign assign) {
      reads.add(assign.array());
      reads.add(assign.index());
    }
    Expr value = Activity.valueOf(statement);
    if (value != null) {
      reads.add(value);
    }
    if (statement instanceof Stmt.If ifStmt) {
      reads.add(ifStmt.condition());
    } else if (statement instanceof Stmt.Loop loop) {
      reads.add(loop.condition());
    } else if (statement instanceof Stmt.Push push) {
      reads.add(push.value());
    } else if (statement instanceof Stmt.Effect effect) {
      reads.add(effect.call());
    } else if (statement instanceof Stmt.Return ret && ret.value() != null) {
      reads.add(ret.value());
    } else if (statement instanceof Stmt.Pullback pullback) {
      reads.addAll(pullbackReads(pullback));
    } else if (statement instanceof Stmt.PullbackTangent tangent) {
      reads.addAll(pullbackReads(tangent.pullback()));
      reads.addAll(tangent.argumentTangents());
      reads.add(tangent.seedTangent());
      reads.add(new Expr.Read(tangent.gradientTangent()));
    }
    return reads;
  }

  private static List<Expr> pullbackReads(Stmt.Pullback pullback) {
    List<Expr> reads = new ArrayList<>(pullback.arguments());
    reads.add(pullback.seed());
    reads.add(new Expr.Read(pullback.gradient()));
    return reads;
  }
}
