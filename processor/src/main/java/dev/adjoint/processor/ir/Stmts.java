package dev.adjoint.processor.ir;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Generic walks over statements, so that each pass states only what it looks for. */
public final class Stmts {
  private Stmts() {}

  /** The variables that {@code statements} declare, at any depth, in order. */
  public static Set<Variable> declared(List<Stmt> statements) {
    Set<Variable> declared = new LinkedHashSet<>();
    statements.forEach(statement -> collectDeclared(statement, declared));
    return declared;
  }

  private static void collectDeclared(Stmt statement, Set<Variable> into) {
    if (statement instanceof Stmt.Declare declare) {
      into.add(declare.variable());
    }
    children(statement).forEach(child -> collectDeclared(child, into));
  }

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
}
