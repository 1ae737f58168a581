package dev.adjoint.processor.forward;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.normalize.OpaqueCalls;
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
      markReads(Stmts.children(statement));
      if (isLive(statement)) {
        for (Expr read : readsOf(statement)) {
          live.addAll(Exprs.variablesRead(read));
        }
        Expr value = Activity.valueOf(statement);
        if (value != null && OpaqueCalls.callsOpaque(value)) {
          live.add(Activity.targetOf(statement)); // the call stays, so does the variable it stores into
        }
      }
    }
  }

  private List<Stmt> prune(List<Stmt> statements) {
    List<Stmt> kept = new ArrayList<>();
    for (Stmt statement : statements) {
      if (isLive(statement)) {
        kept.add(statement.accept(pruneNested));
      }
    }
    return kept;
  }

  /** The statement with the dead stores removed from its nested blocks. */
  private final Stmt.Visitor<Stmt> pruneNested = new Stmt.Visitor<>() {
    @Override
    public Stmt visitBlock(Stmt.Block block) {
      return new Stmt.Block(prune(block.statements()), block.position());
    }

    @Override
    public Stmt visitDeclare(Stmt.Declare declare) {
      return declare;
    }

    @Override
    public Stmt visitAssign(Stmt.Assign assign) {
      return assign;
    }

    @Override
    public Stmt visitArrayAssign(Stmt.ArrayAssign assign) {
      return assign;
    }

    @Override
    public Stmt visitIf(Stmt.If ifStmt) {
      return new Stmt.If(ifStmt.condition(), new Stmt.Block(prune(ifStmt.thenBlock().statements())),
          new Stmt.Block(prune(ifStmt.elseBlock().statements())), ifStmt.position());
    }

    @Override
    public Stmt visitLoop(Stmt.Loop loop) {
      return new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(),
          new Stmt.Block(prune(loop.body().statements())), new Stmt.Block(prune(loop.update().statements())),
          loop.position());
    }

    @Override
    public Stmt visitBreak(Stmt.Break jump) {
      return jump;
    }

    @Override
    public Stmt visitContinue(Stmt.Continue jump) {
      return jump;
    }

    @Override
    public Stmt visitReturn(Stmt.Return ret) {
      return ret;
    }

    @Override
    public Stmt visitPush(Stmt.Push push) {
      return push;
    }

    @Override
    public Stmt visitPullback(Stmt.Pullback pullback) {
      return pullback;
    }

    @Override
    public Stmt visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return pullbackTangent;
    }

    @Override
    public Stmt visitEffect(Stmt.Effect effect) {
      return effect;
    }

    @Override
    public Stmt visitComment(Stmt.Comment comment) {
      return comment;
    }
  };

  /** Whether a statement must stay; blocks, branches and loops do, emptied of their dead stores. */
  private boolean isLive(Stmt statement) {
    return statement.accept(liveness);
  }

  private final Stmt.Visitor<Boolean> liveness = new Stmt.Visitor<>() {
    @Override
    public Boolean visitBlock(Stmt.Block block) {
      return true;
    }

    @Override
    public Boolean visitDeclare(Stmt.Declare declare) {
      return store(declare);
    }

    @Override
    public Boolean visitAssign(Stmt.Assign assign) {
      return store(assign);
    }

    @Override
    public Boolean visitArrayAssign(Stmt.ArrayAssign assign) {
      return store(assign);
    }

    @Override
    public Boolean visitIf(Stmt.If ifStmt) {
      return true;
    }

    @Override
    public Boolean visitLoop(Stmt.Loop loop) {
      return true;
    }

    @Override
    public Boolean visitBreak(Stmt.Break jump) {
      return true;
    }

    @Override
    public Boolean visitContinue(Stmt.Continue jump) {
      return true;
    }

    @Override
    public Boolean visitReturn(Stmt.Return ret) {
      return true;
    }

    @Override
    public Boolean visitPush(Stmt.Push push) {
      return true; // the tape keeps its order
    }

    @Override
    public Boolean visitPullback(Stmt.Pullback pullback) {
      return true;
    }

    @Override
    public Boolean visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return true;
    }

    @Override
    public Boolean visitEffect(Stmt.Effect effect) {
      if (!effect.call().callee().ownerQualifiedName().equals(ADJOINTS)) {
        return true;
      }
      Variable array = Exprs.rootOf(effect.call().arguments().get(0));
      return array == null || live.contains(array); // addInto(a, b), zero(a): a store into a
    }

    @Override
    public Boolean visitComment(Stmt.Comment comment) {
      return true;
    }

    private boolean store(Stmt statement) {
      Variable target = Activity.targetOf(statement);
      Expr value = Activity.valueOf(statement);
      // A call of unknown purity runs as often as in the original, whether or not its value is needed.
      return target == null || live.contains(target)
          || (value != null && (popsTape(value) || OpaqueCalls.callsOpaque(value)));
    }
  };

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

  /** The expressions a statement reads, its own nested blocks aside. */
  private static List<Expr> readsOf(Stmt statement) {
    return statement.accept(READS);
  }

  private static final Stmt.Visitor<List<Expr>> READS = new Stmt.Visitor<>() {
    @Override
    public List<Expr> visitBlock(Stmt.Block block) {
      return List.of();
    }

    @Override
    public List<Expr> visitDeclare(Stmt.Declare declare) {
      return declare.init() == null ? List.of() : List.of(declare.init());
    }

    @Override
    public List<Expr> visitAssign(Stmt.Assign assign) {
      return List.of(assign.value());
    }

    @Override
    public List<Expr> visitArrayAssign(Stmt.ArrayAssign assign) {
      return List.of(assign.array(), assign.index(), assign.value());
    }

    @Override
    public List<Expr> visitIf(Stmt.If ifStmt) {
      return List.of(ifStmt.condition());
    }

    @Override
    public List<Expr> visitLoop(Stmt.Loop loop) {
      return List.of(loop.condition());
    }

    @Override
    public List<Expr> visitBreak(Stmt.Break jump) {
      return List.of();
    }

    @Override
    public List<Expr> visitContinue(Stmt.Continue jump) {
      return List.of();
    }

    @Override
    public List<Expr> visitReturn(Stmt.Return ret) {
      return ret.value() == null ? List.of() : List.of(ret.value());
    }

    @Override
    public List<Expr> visitPush(Stmt.Push push) {
      return List.of(push.value());
    }

    @Override
    public List<Expr> visitPullback(Stmt.Pullback pullback) {
      List<Expr> reads = new ArrayList<>(pullback.arguments());
      reads.add(pullback.seed());
      reads.add(new Expr.Read(pullback.gradient()));
      return reads;
    }

    @Override
    public List<Expr> visitPullbackTangent(Stmt.PullbackTangent tangent) {
      List<Expr> reads = new ArrayList<>(visitPullback(tangent.pullback()));
      reads.addAll(tangent.argumentTangents());
      reads.add(tangent.seedTangent());
      reads.add(new Expr.Read(tangent.gradientTangent()));
      return reads;
    }

    @Override
    public List<Expr> visitEffect(Stmt.Effect effect) {
      return List.of(effect.call());
    }

    @Override
    public List<Expr> visitComment(Stmt.Comment comment) {
      return List.of();
    }
  };
}
