package dev.adjoint.processor.ir;

import java.util.List;

/** Statements of the IR, structured as in Java: blocks, branches and loops. */
public sealed interface Stmt {

  SourcePosition position();

  /** Calls the visitor's method for this kind of statement. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per kind of statement: a pass written as a visitor stops compiling when a kind is
   * added, until it says what that kind means to it.
   */
  interface Visitor<R> {
    R visitBlock(Block block);

    R visitDeclare(Declare declare);

    R visitAssign(Assign assign);

    R visitArrayAssign(ArrayAssign arrayAssign);

    R visitIf(If ifStmt);

    R visitLoop(Loop loop);

    R visitBreak(Break jump);

    R visitContinue(Continue jump);

    R visitReturn(Return ret);

    R visitPush(Push push);

    R visitPullback(Pullback pullback);

    R visitPullbackTangent(PullbackTangent pullbackTangent);

    R visitEffect(Effect effect);

    R visitComment(Comment comment);
  }

  record Block(List<Stmt> statements, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitBlock(this);
    }

    public Block {
      statements = List.copyOf(statements);
    }

    public Block(List<Stmt> statements) {
      this(statements, SourcePosition.SYNTHETIC);
    }

    public static Block empty() {
      return new Block(List.of());
    }

    public boolean isEmpty() {
      return statements.isEmpty();
    }
  }

  /** {@code T v = init;} where init may be null (the variable starts at zero, false or null). */
  record Declare(Variable variable, Expr init, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitDeclare(this);
    }
  }

  record Assign(Variable variable, Expr value, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitAssign(this);
    }
  }

  /** {@code array[index] = value}, where {@code array} is a variable or an element of one. */
  record ArrayAssign(Expr array, Expr index, Expr value, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitArrayAssign(this);
    }
  }

  record If(Expr condition, Block thenBlock, Block elseBlock, SourcePosition position)
      implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitIf(this);
    }
  }

  /**
   * A loop: {@code while (condition) { body; update }} when {@code testFirst}, else the
   * do-while form. {@code update} holds a for-loop's update, which {@code continue} still reaches.
   * {@code label} identifies the loop for break and continue (unique in a method).
   */
  record Loop(
      String label,
      Expr condition,
      boolean testFirst,
      Block body,
      Block update,
      SourcePosition position)
      implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitLoop(this);
    }
  }

  /** {@code break} out of the loop labelled {@code loopLabel}. */
  record Break(String loopLabel, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitBreak(this);
    }
  }

  /** {@code continue} with the next iteration of the loop labelled {@code loopLabel}. */
  record Continue(String loopLabel, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitContinue(this);
    }
  }

  record Return(Expr value, SourcePosition position) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitReturn(this);
    }
  }

  /** Pushes a value onto the reverse sweep's tape (generated code only). */
  record Push(Expr value) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPush(this);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /**
   * Runs a callee's pullback into a gradient object (generated code only):
   * {@code Companion.fPullback(arguments, seed, gradient)}.
   */
  record Pullback(
      Callee.Differentiable callee, List<Expr> arguments, Expr seed, Variable gradient)
      implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPullback(this);
    }

    public Pullback {
      arguments = List.copyOf(arguments);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /**
   * A callee's pullback together with its tangent, for forward over reverse (generated code only):
   * {@code Companion.fPullbackTangent(arguments, seed, argumentTangents, seedTangent, gradient,
   * gradientTangent)} leaves the partials in {@code gradient} and their tangents in
   * {@code gradientTangent}.
   */
  record PullbackTangent(
      Pullback pullback, List<Expr> argumentTangents, Expr seedTangent, Variable gradientTangent)
      implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPullbackTangent(this);
    }

    public PullbackTangent {
      argumentTangents = List.copyOf(argumentTangents);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /** Evaluates a call for its effect, such as a runtime helper that accumulates an array. */
  record Effect(Expr.Call call) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitEffect(this);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }
  }

  /** A line comment in generated code, such as the source line a block comes from. */
  record Comment(String text) implements Stmt {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitComment(this);
    }

    @Override
    public SourcePosition position() {
      return SourcePosition.SYNTHETIC;
    }

    /** {@code line 12: sum += x[i] * x[i]}: where the code that follows comes from. */
    public static Comment sourceLine(SourcePosition position) {
      String text = String.valueOf(position.tree()).replaceAll("\\s+", " ").trim();
      int brace = text.indexOf('{');
      if (brace > 0) {
        text = text.substring(0, brace).trim();
      }
      return new Comment("line " + position.line() + ": " + (text.length() > 70 ? text.substring(0, 67) + "..." : text));
    }
  }
}
