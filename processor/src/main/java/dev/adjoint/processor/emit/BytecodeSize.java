package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import java.util.List;

/**
 * An upper estimate of the bytes of bytecode javac emits for a statement as {@link CodeWriter}
 * prints it. Each read or write of a variable counts as a wide local access or a field access
 * through {@code this} (4 bytes), as in the large methods this is asked about; a constant as an
 * {@code ldc2_w} (3), an operator as one instruction, a comparison as the branches that make a
 * boolean of it. Tests compare it with the Code attributes of compiled companions.
 */
final class BytecodeSize {
  private static final int VARIABLE = 4;
  private static final int CONSTANT = 3;
  private static final int INVOKE = 3;
  private static final int BRANCH = 3;
  /** A comparison or logical operator used as a value: compare, branch, push 1, jump, push 0. */
  private static final int BOOLEAN_VALUE = 9;

  private BytecodeSize() {}

  static int of(List<Stmt> statements) {
    int size = 0;
    for (Stmt statement : statements) {
      size += of(statement);
    }
    return size;
  }

  static int of(Stmt statement) {
    return statement.accept(STATEMENT);
  }

  static int of(Expr expr) {
    int size = expr.accept(NODE);
    for (Expr child : Exprs.children(expr)) {
      size += of(child);
    }
    return size;
  }

  private static int ofAll(List<Expr> exprs) {
    return exprs.stream().mapToInt(BytecodeSize::of).sum();
  }

  private static final Stmt.Visitor<Integer> STATEMENT = new Stmt.Visitor<>() {
    @Override
    public Integer visitBlock(Stmt.Block block) {
      return of(block.statements());
    }

    @Override
    public Integer visitDeclare(Stmt.Declare declare) {
      return VARIABLE + (declare.init() == null ? CONSTANT + INVOKE : of(declare.init()));
    }

    @Override
    public Integer visitAssign(Stmt.Assign assign) {
      return VARIABLE + of(assign.value());
    }

    @Override
    public Integer visitArrayAssign(Stmt.ArrayAssign assign) {
      return of(assign.array()) + of(assign.index()) + of(assign.value()) + 1;
    }

    @Override
    public Integer visitIf(Stmt.If ifStmt) {
      return of(ifStmt.condition()) + BRANCH + of(ifStmt.thenBlock()) + BRANCH + of(ifStmt.elseBlock());
    }

    @Override
    public Integer visitLoop(Stmt.Loop loop) {
      return of(loop.condition()) + BRANCH + of(loop.body()) + of(loop.update()) + BRANCH;
    }

    @Override
    public Integer visitBreak(Stmt.Break jump) {
      return BRANCH;
    }

    @Override
    public Integer visitContinue(Stmt.Continue jump) {
      return BRANCH;
    }

    @Override
    public Integer visitReturn(Stmt.Return ret) {
      return (ret.value() == null ? 0 : of(ret.value())) + 1;
    }

    @Override
    public Integer visitPush(Stmt.Push push) {
      return VARIABLE + of(push.value()) + INVOKE;
    }

    @Override
    public Integer visitPullback(Stmt.Pullback pullback) {
      return ofAll(pullback.arguments()) + of(pullback.seed()) + VARIABLE + INVOKE + 1;
    }

    @Override
    public Integer visitPullbackTangent(Stmt.PullbackTangent tangent) {
      Stmt.Pullback pullback = tangent.pullback();
      return ofAll(pullback.arguments()) + of(pullback.seed()) + ofAll(tangent.argumentTangents())
          + of(tangent.seedTangent()) + 2 * VARIABLE + INVOKE + 1;
    }

    @Override
    public Integer visitEffect(Stmt.Effect effect) {
      return of(effect.call()) + 1;
    }

    @Override
    public Integer visitComment(Stmt.Comment comment) {
      return 0;
    }
  };

  /** The bytes of one expression node, without its children. */
  private static final Expr.Visitor<Integer> NODE = new Expr.Visitor<>() {
    @Override
    public Integer visitLiteral(Expr.Literal literal) {
      return CONSTANT;
    }

    @Override
    public Integer visitRead(Expr.Read read) {
      return VARIABLE;
    }

    @Override
    public Integer visitConstant(Expr.Constant constant) {
      return CONSTANT;
    }

    @Override
    public Integer visitArrayRead(Expr.ArrayRead read) {
      return 1;
    }

    @Override
    public Integer visitLength(Expr.Length length) {
      return 1;
    }

    @Override
    public Integer visitUnary(Expr.Unary unary) {
      return unary.type().isNumeric() ? 1 : BOOLEAN_VALUE;
    }

    @Override
    public Integer visitBinary(Expr.Binary binary) {
      return binary.operator().isArithmetic() ? 1 : BOOLEAN_VALUE;
    }

    @Override
    public Integer visitCast(Expr.Cast cast) {
      return 1;
    }

    @Override
    public Integer visitConditional(Expr.Conditional conditional) {
      return 2 * BRANCH;
    }

    @Override
    public Integer visitCall(Expr.Call call) {
      return INVOKE + 2;
    }

    @Override
    public Integer visitNewArray(Expr.NewArray array) {
      return 4 + VARIABLE;
    }

    @Override
    public Integer visitArrayLiteral(Expr.ArrayLiteral literal) {
      return 4 + VARIABLE + literal.elements().size() * (CONSTANT + 2);
    }

    @Override
    public Integer visitPop(Expr.Pop pop) {
      return VARIABLE + INVOKE;
    }

    @Override
    public Integer visitPartialOf(Expr.PartialOf partial) {
      return VARIABLE + INVOKE;
    }

    @Override
    public Integer visitFunctionRef(Expr.FunctionRef reference) {
      return INVOKE; // the method reference's invokedynamic, or the read of its function object
    }

    @Override
    public Integer visitNewRecord(Expr.NewRecord record) {
      return 4 + INVOKE; // new, dup, then the constructor's invokespecial
    }
  };
}
