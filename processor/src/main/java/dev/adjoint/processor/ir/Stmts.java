package dev.adjoint.processor.ir;

import java.util.List;
import java.util.function.Consumer;

/** Generic walks over statements, so that each pass states only what it looks for. */
public final class Stmts {
  private Stmts() {}

  /** The statements nested directly in a block, branch or loop; none for the other kinds. */
  public static List<Stmt> children(Stmt statement) {
    return statement.accept(CHILDREN);
  }

  private static final Stmt.Visitor<List<Stmt>> CHILDREN = new Stmt.Visitor<>() {
    @Override
    public List<Stmt> visitBlock(Stmt.Block block) {
      return block.statements();
    }

    @Override
    public List<Stmt> visitDeclare(Stmt.Declare declare) {
      return List.of();
    }

    @Override
    public List<Stmt> visitAssign(Stmt.Assign assign) {
      return List.of();
    }

    @Override
    public List<Stmt> visitArrayAssign(Stmt.ArrayAssign arrayAssign) {
      return List.of();
    }

    @Override
    public List<Stmt> visitIf(Stmt.If ifStmt) {
      return List.of(ifStmt.thenBlock(), ifStmt.elseBlock());
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop loop) {
      return List.of(loop.body(), loop.update());
    }

    @Override
    public List<Stmt> visitBreak(Stmt.Break jump) {
      return List.of();
    }

    @Override
    public List<Stmt> visitContinue(Stmt.Continue jump) {
      return List.of();
    }

    @Override
    public List<Stmt> visitReturn(Stmt.Return ret) {
      return List.of();
    }

    @Override
    public List<Stmt> visitPush(Stmt.Push push) {
      return List.of();
    }

    @Override
    public List<Stmt> visitPullback(Stmt.Pullback pullback) {
      return List.of();
    }

    @Override
    public List<Stmt> visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return List.of();
    }

    @Override
    public List<Stmt> visitEffect(Stmt.Effect effect) {
      return List.of();
    }

    @Override
    public List<Stmt> visitComment(Stmt.Comment comment) {
      return List.of();
    }
  };

  /**
   * A visitor for passes that treat the three kinds of assignment alike and every other leaf alike,
   * and say themselves what blocks, branches and loops mean. Each leaf kind is named here, so a new
   * kind of statement must be sorted into one of the two groups.
   */
  public abstract static class ByAssignment<R> implements Stmt.Visitor<R> {
    /** A declaration, an assignment or an array element store. */
    protected abstract R assignment(Stmt assignment);

    /** A jump, a return, a tape push, a callee's pullback, an effect or a comment. */
    protected abstract R otherLeaf(Stmt statement);

    @Override
    public R visitDeclare(Stmt.Declare declare) {
      return assignment(declare);
    }

    @Override
    public R visitAssign(Stmt.Assign assign) {
      return assignment(assign);
    }

    @Override
    public R visitArrayAssign(Stmt.ArrayAssign arrayAssign) {
      return assignment(arrayAssign);
    }

    @Override
    public R visitBreak(Stmt.Break jump) {
      return otherLeaf(jump);
    }

    @Override
    public R visitContinue(Stmt.Continue jump) {
      return otherLeaf(jump);
    }

    @Override
    public R visitReturn(Stmt.Return ret) {
      return otherLeaf(ret);
    }

    @Override
    public R visitPush(Stmt.Push push) {
      return otherLeaf(push);
    }

    @Override
    public R visitPullback(Stmt.Pullback pullback) {
      return otherLeaf(pullback);
    }

    @Override
    public R visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return otherLeaf(pullbackTangent);
    }

    @Override
    public R visitEffect(Stmt.Effect effect) {
      return otherLeaf(effect);
    }

    @Override
    public R visitComment(Stmt.Comment comment) {
      return otherLeaf(comment);
    }
  }

  /**
   * Every assignment in {@code statement}, in program order: into blocks, both branches (then
   * before else) and loops (body before update).
   */
  public static void forEachAssignment(Stmt statement, Consumer<Stmt> action) {
    statement.accept(new ByAssignment<Void>() {
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
      protected Void assignment(Stmt assignment) {
        action.accept(assignment);
        return null;
      }

      @Override
      protected Void otherLeaf(Stmt statement) {
        return null;
      }
    });
  }

  /**
   * A visitor for code that is handed only assignments (declarations, assignments, element
   * stores): every other kind is named here and rejected.
   */
  public abstract static class AssignmentsOnly<R> implements Stmt.Visitor<R> {
    private R rejected(Stmt statement) {
      throw new IllegalStateException("not an assignment: " + statement);
    }

    @Override
    public R visitBlock(Stmt.Block block) {
      return rejected(block);
    }

    @Override
    public R visitIf(Stmt.If ifStmt) {
      return rejected(ifStmt);
    }

    @Override
    public R visitLoop(Stmt.Loop loop) {
      return rejected(loop);
    }

    @Override
    public R visitBreak(Stmt.Break jump) {
      return rejected(jump);
    }

    @Override
    public R visitContinue(Stmt.Continue jump) {
      return rejected(jump);
    }

    @Override
    public R visitReturn(Stmt.Return ret) {
      return rejected(ret);
    }

    @Override
    public R visitPush(Stmt.Push push) {
      return rejected(push);
    }

    @Override
    public R visitPullback(Stmt.Pullback pullback) {
      return rejected(pullback);
    }

    @Override
    public R visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return rejected(pullbackTangent);
    }

    @Override
    public R visitEffect(Stmt.Effect effect) {
      return rejected(effect);
    }

    @Override
    public R visitComment(Stmt.Comment comment) {
      return rejected(comment);
    }
  }
}
