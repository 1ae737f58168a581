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
import java.util.List;
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
    return (expr.type().isDifferentiable() || expr instanceof Expr.NewRecord) && expr.accept(variedExpression);
  }

  private final Expr.Visitor<Boolean> variedExpression = new Expr.Visitor<>() {
    @Override
    public Boolean visitLiteral(Expr.Literal literal) {
      return false;
    }

    @Override
    public Boolean visitFunctionRef(Expr.FunctionRef reference) {
      return false;
    }

    @Override
    public Boolean visitRead(Expr.Read read) {
      return isVaried(read.variable());
    }

    @Override
    public Boolean visitConstant(Expr.Constant constant) {
      return false;
    }

    @Override
    public Boolean visitArrayRead(Expr.ArrayRead read) {
      return isVaried(read.array()); // the index only picks an element
    }

    @Override
    public Boolean visitLength(Expr.Length length) {
      return false;
    }

    @Override
    public Boolean visitUnary(Expr.Unary unary) {
      return isVaried(unary.operand());
    }

    @Override
    public Boolean visitBinary(Expr.Binary binary) {
      return isVaried(binary.left()) || isVaried(binary.right());
    }

    @Override
    public Boolean visitCast(Expr.Cast cast) {
      return isVaried(cast.operand());
    }

    @Override
    public Boolean visitConditional(Expr.Conditional conditional) {
      return isVaried(conditional.whenTrue()) || isVaried(conditional.whenFalse()); // the condition only picks
    }

    @Override
    public Boolean visitCall(Expr.Call call) {
      return call.arguments().stream().anyMatch(Activity.this::isVaried);
    }

    @Override
    public Boolean visitNewArray(Expr.NewArray array) {
      return false; // zeros, whatever the dimensions
    }

    @Override
    public Boolean visitArrayLiteral(Expr.ArrayLiteral literal) {
      return literal.elements().stream().anyMatch(Activity.this::isVaried);
    }

    @Override
    public Boolean visitNewRecord(Expr.NewRecord record) {
      return record.components().stream().anyMatch(Activity.this::isVaried);
    }

    @Override
    public Boolean visitPop(Expr.Pop pop) {
      return true; // what a reverse sweep restores is as varied as its type
    }

    @Override
    public Boolean visitPartialOf(Expr.PartialOf partial) {
      return true; // what a pullback returns is as varied as its type
    }
  };

  /** Whether an assignment (declaration, assignment or array element store) needs adjoint code. */
  public boolean isActive(Stmt assignment) {
    return activeAssignments.getOrDefault(assignment, false);
  }

  public Set<Variable> varied() {
    return Collections.unmodifiableSet(varied);
  }

  // ------------------------------------------------------------------ varied

  private boolean propagateVaried(Stmt statement) {
    return statement.accept(variedPropagation);
  }

  /** Marks the targets of assignments of varied values; true when that changed anything. */
  private final Stmt.Visitor<Boolean> variedPropagation = new Stmt.Visitor<>() {
    @Override
    public Boolean visitBlock(Stmt.Block block) {
      return anyChanged(block.statements());
    }

    @Override
    public Boolean visitDeclare(Stmt.Declare declare) {
      return assignment(declare);
    }

    @Override
    public Boolean visitAssign(Stmt.Assign assign) {
      return assignment(assign);
    }

    @Override
    public Boolean visitArrayAssign(Stmt.ArrayAssign assign) {
      return assignment(assign);
    }

    @Override
    public Boolean visitIf(Stmt.If ifStmt) {
      return anyChanged(List.of(ifStmt.thenBlock(), ifStmt.elseBlock()));
    }

    @Override
    public Boolean visitLoop(Stmt.Loop loop) {
      return anyChanged(List.of(loop.body(), loop.update()));
    }

    @Override
    public Boolean visitBreak(Stmt.Break jump) {
      return false;
    }

    @Override
    public Boolean visitContinue(Stmt.Continue jump) {
      return false;
    }

    @Override
    public Boolean visitReturn(Stmt.Return ret) {
      return false; // the normalizer made it an assignment of the result
    }

    @Override
    public Boolean visitPush(Stmt.Push push) {
      return false; // the pop that reads it is varied by itself
    }

    @Override
    public Boolean visitPullback(Stmt.Pullback pullback) {
      return false; // it writes the gradient object, whose partials are varied by themselves
    }

    @Override
    public Boolean visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return false;
    }

    @Override
    public Boolean visitEffect(Stmt.Effect effect) {
      return false;
    }

    @Override
    public Boolean visitComment(Stmt.Comment comment) {
      return false;
    }

    /** Visits every statement, changed or not: the fixpoint needs each pass to be complete. */
    private boolean anyChanged(List<? extends Stmt> statements) {
      boolean changed = false;
      for (Stmt child : statements) {
        changed |= child.accept(this);
      }
      return changed;
    }

    private boolean assignment(Stmt statement) {
      Variable target = targetOf(statement);
      Expr value = valueOf(statement);
      return target != null && value != null && target.type().isDifferentiable() && isVaried(value)
          && varied.add(target);
    }
  };

  // ------------------------------------------------------------------ useful

  /** Walks {@code statement} backwards; {@code useful} holds what is useful after it, and before it on return. */
  private void useful(Stmt statement, Set<Variable> useful) {
    statement.accept(new Stmt.Visitor<Void>() {
      @Override
      public Void visitBlock(Stmt.Block block) {
        for (int i = block.statements().size() - 1; i >= 0; i--) {
          useful(block.statements().get(i), useful);
        }
        return null;
      }

      @Override
      public Void visitDeclare(Stmt.Declare declare) {
        assignment(declare, true);
        return null;
      }

      @Override
      public Void visitAssign(Stmt.Assign assign) {
        assignment(assign, true);
        return null;
      }

      @Override
      public Void visitArrayAssign(Stmt.ArrayAssign assign) {
        assignment(assign, false); // the other elements stay useful
        return null;
      }

      @Override
      public Void visitIf(Stmt.If ifStmt) {
        Set<Variable> otherBranch = new LinkedHashSet<>(useful);
        useful(ifStmt.thenBlock(), useful);
        useful(ifStmt.elseBlock(), otherBranch);
        useful.addAll(otherBranch);
        return null;
      }

      @Override
      public Void visitLoop(Stmt.Loop loop) {
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
        return null;
      }

      @Override
      public Void visitBreak(Stmt.Break jump) {
        return null;
      }

      @Override
      public Void visitContinue(Stmt.Continue jump) {
        return null;
      }

      @Override
      public Void visitReturn(Stmt.Return ret) {
        return null; // the normalizer made it an assignment of the result
      }

      @Override
      public Void visitPush(Stmt.Push push) {
        return null;
      }

      @Override
      public Void visitPullback(Stmt.Pullback pullback) {
        return null;
      }

      @Override
      public Void visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
        return null;
      }

      @Override
      public Void visitEffect(Stmt.Effect effect) {
        return null;
      }

      @Override
      public Void visitComment(Stmt.Comment comment) {
        return null;
      }

      private void assignment(Stmt statement, boolean overwritesTarget) {
        Variable target = targetOf(statement);
        Expr value = valueOf(statement);
        if (value == null || !useful.contains(target)) {
          return;
        }
        if (isVaried(value)) {
          activeAssignments.put(statement, true);
        }
        if (overwritesTarget) {
          useful.remove(target);
        }
        useful.addAll(Exprs.variablesRead(value));
      }
    });
  }

  /** The variable an assignment writes (the array's for element stores), or null. */
  public static Variable targetOf(Stmt statement) {
    return statement.accept(TARGET);
  }

  /** The value an assignment stores, or null. */
  public static Expr valueOf(Stmt statement) {
    return statement.accept(VALUE);
  }

  private static final Stmt.Visitor<Variable> TARGET = new AssignmentPart<>() {
    @Override
    public Variable visitDeclare(Stmt.Declare declare) {
      return declare.variable();
    }

    @Override
    public Variable visitAssign(Stmt.Assign assign) {
      return assign.variable();
    }

    @Override
    public Variable visitArrayAssign(Stmt.ArrayAssign assign) {
      return Exprs.rootOf(assign.array());
    }
  };

  private static final Stmt.Visitor<Expr> VALUE = new AssignmentPart<>() {
    @Override
    public Expr visitDeclare(Stmt.Declare declare) {
      return declare.init();
    }

    @Override
    public Expr visitAssign(Stmt.Assign assign) {
      return assign.value();
    }

    @Override
    public Expr visitArrayAssign(Stmt.ArrayAssign assign) {
      return assign.value();
    }
  };

  /**
   * A part of an assignment, which the three kinds of assignment give and every other statement
   * has not (null). The other kinds are each named, so that a new kind of statement must say
   * whether it assigns.
   */
  private abstract static class AssignmentPart<R> implements Stmt.Visitor<R> {
    @Override
    public R visitBlock(Stmt.Block block) {
      return null;
    }

    @Override
    public R visitIf(Stmt.If ifStmt) {
      return null;
    }

    @Override
    public R visitLoop(Stmt.Loop loop) {
      return null;
    }

    @Override
    public R visitBreak(Stmt.Break jump) {
      return null;
    }

    @Override
    public R visitContinue(Stmt.Continue jump) {
      return null;
    }

    @Override
    public R visitReturn(Stmt.Return ret) {
      return null;
    }

    @Override
    public R visitPush(Stmt.Push push) {
      return null;
    }

    @Override
    public R visitPullback(Stmt.Pullback pullback) {
      return null;
    }

    @Override
    public R visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
      return null;
    }

    @Override
    public R visitEffect(Stmt.Effect effect) {
      return null;
    }

    @Override
    public R visitComment(Stmt.Comment comment) {
      return null;
    }
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
