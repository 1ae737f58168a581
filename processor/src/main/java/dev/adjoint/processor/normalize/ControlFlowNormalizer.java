package dev.adjoint.processor.normalize;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.ThreeAddress;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a function so that reverse mode sees only structured control flow: every
 * {@code return}, {@code break} and {@code continue} becomes the assignment of a flag (and of the
 * result), the statements after it are guarded by the flag, and loops test it. Nested blocks are
 * flattened, and {@code ?:} on doubles becomes an if statement, so that every branch the
 * derivative depends on is a statement the reverse sweep can replay.
 *
 * <p>The result has one exit, at the end, with the value in {@link #result()}.
 */
public final class ControlFlowNormalizer {
  private Variable result;
  private Variable returned;
  /** Names the flags and locals this pass adds, apart from the method's own. */
  private ThreeAddress names;
  private final Map<String, Variable> broken = new HashMap<>();
  private final Map<String, Variable> continued = new HashMap<>();
  private final Set<Variable> flagsRead = new LinkedHashSet<>();
  private int conditionalCount;

  /** A statement list with the flags that may be set in it and still be pending at its end. */
  private record Normalized(List<Stmt> statements, Set<Variable> pending) {}

  public Variable result() {
    return result;
  }

  public Function normalize(Function function) {
    names = ThreeAddress.avoiding(function);
    result = names.fresh("result", function.returnType());
    returned = names.fresh("returned", Type.BOOLEAN);
    List<Stmt> body = function.body().statements();
    List<Stmt> statements = new ArrayList<>();
    int last = body.size() - 1;
    boolean singleFinalReturn = last >= 0 && body.get(last) instanceof Stmt.Return
        && countReturns(function.body()) == 1;
    if (singleFinalReturn) {
      Stmt.Return ret = (Stmt.Return) body.get(last);
      statements.addAll(normalizeList(body.subList(0, last)).statements());
      statements.addAll(extractConditionals(ret.value(), value -> new Stmt.Declare(result, ownCopy(value), ret.position())));
    } else {
      statements.add(new Stmt.Declare(result, null, SourcePosition.SYNTHETIC));
      statements.add(new Stmt.Declare(returned, Expr.Literal.ofBoolean(false), SourcePosition.SYNTHETIC));
      statements.addAll(normalizeList(body).statements());
    }
    return function.withBody(new Stmt.Block(removeUnreadFlags(statements)));
  }

  /**
   * A returned local array is copied: the reverse sweep restores the array in place, and the value
   * handed back must not change with it.
   */
  private static Expr ownCopy(Expr value) {
    if (value.type().isArray() && value instanceof Expr.Read) {
      return new Expr.Call(dev.adjoint.processor.ir.Callee.Plain.of("dev.adjoint.runtime.Adjoints", "copy",
          List.of(value.type()), value.type()), List.of(value), value.position());
    }
    return value;
  }

  private static int countReturns(Stmt statement) {
    if (statement instanceof Stmt.Return) {
      return 1;
    }
    int count = 0;
    for (Stmt child : Stmts.children(statement)) {
      count += countReturns(child);
    }
    return count;
  }

  private Normalized normalizeList(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    Set<Variable> pending = new LinkedHashSet<>();
    for (int i = 0; i < statements.size(); i++) {
      Normalized one = normalizeStatement(statements.get(i));
      out.addAll(one.statements());
      pending.addAll(one.pending());
      if (!one.pending().isEmpty() && i + 1 < statements.size()) {
        Normalized rest = normalizeList(statements.subList(i + 1, statements.size()));
        if (!rest.statements().isEmpty()) {
          out.add(new Stmt.If(noneOf(one.pending()), new Stmt.Block(rest.statements()),
              Stmt.Block.empty(), SourcePosition.SYNTHETIC));
        }
        pending.addAll(rest.pending());
        break;
      }
    }
    return new Normalized(out, pending);
  }

  private Normalized normalizeStatement(Stmt statement) {
    return statement.accept(new Stmt.Visitor<Normalized>() {
      @Override
      public Normalized visitBlock(Stmt.Block block) {
        return normalizeList(block.statements());
      }

      @Override
      public Normalized visitDeclare(Stmt.Declare declare) {
        if (declare.init() == null) {
          return unchanged(declare);
        }
        return new Normalized(extractConditionals(declare.init(),
            value -> new Stmt.Declare(declare.variable(), value, declare.position())), Set.of());
      }

      @Override
      public Normalized visitAssign(Stmt.Assign assign) {
        return new Normalized(extractConditionals(assign.value(),
            value -> new Stmt.Assign(assign.variable(), value, assign.position())), Set.of());
      }

      @Override
      public Normalized visitArrayAssign(Stmt.ArrayAssign assign) {
        return new Normalized(extractConditionals(assign.value(),
            value -> new Stmt.ArrayAssign(assign.array(), assign.index(), value, assign.position())), Set.of());
      }

      @Override
      public Normalized visitIf(Stmt.If ifStmt) {
        Normalized whenTrue = normalizeList(ifStmt.thenBlock().statements());
        Normalized whenFalse = normalizeList(ifStmt.elseBlock().statements());
        Set<Variable> pending = new LinkedHashSet<>(whenTrue.pending());
        pending.addAll(whenFalse.pending());
        return new Normalized(List.of(new Stmt.If(ifStmt.condition(), new Stmt.Block(whenTrue.statements()),
            new Stmt.Block(whenFalse.statements()), ifStmt.position())), pending);
      }

      @Override
      public Normalized visitLoop(Stmt.Loop loop) {
        return normalizeLoop(loop);
      }

      @Override
      public Normalized visitBreak(Stmt.Break jump) {
        Variable flag = flag(broken, "broken", jump.loopLabel());
        return new Normalized(List.of(new Stmt.Assign(flag, Expr.Literal.ofBoolean(true), jump.position())), Set.of(flag));
      }

      @Override
      public Normalized visitContinue(Stmt.Continue jump) {
        Variable flag = flag(continued, "continued", jump.loopLabel());
        return new Normalized(List.of(new Stmt.Assign(flag, Expr.Literal.ofBoolean(true), jump.position())), Set.of(flag));
      }

      @Override
      public Normalized visitReturn(Stmt.Return ret) {
        List<Stmt> out = new ArrayList<>(extractConditionals(ret.value(), value -> new Stmt.Assign(result, ownCopy(value), ret.position())));
        out.add(new Stmt.Assign(returned, Expr.Literal.ofBoolean(true), ret.position()));
        return new Normalized(out, Set.of(returned));
      }

      @Override
      public Normalized visitPush(Stmt.Push push) {
        return unchanged(push);
      }

      @Override
      public Normalized visitPullback(Stmt.Pullback pullback) {
        return unchanged(pullback);
      }

      @Override
      public Normalized visitPullbackTangent(Stmt.PullbackTangent pullbackTangent) {
        return unchanged(pullbackTangent);
      }

      @Override
      public Normalized visitEffect(Stmt.Effect effect) {
        return unchanged(effect);
      }

      @Override
      public Normalized visitComment(Stmt.Comment comment) {
        return unchanged(comment);
      }

      private Normalized unchanged(Stmt statement) {
        return new Normalized(List.of(statement), Set.of());
      }
    });
  }

  private Normalized normalizeLoop(Stmt.Loop loop) {
    Normalized body = normalizeList(loop.body().statements());
    Variable brokenFlag = broken.get(loop.label());
    Variable continuedFlag = continued.get(loop.label());
    Set<Variable> stopping = new LinkedHashSet<>(body.pending());
    stopping.remove(continuedFlag);
    List<Stmt> bodyStatements = new ArrayList<>();
    if (continuedFlag != null && body.pending().contains(continuedFlag)) {
      bodyStatements.add(new Stmt.Assign(continuedFlag, Expr.Literal.ofBoolean(false), SourcePosition.SYNTHETIC));
    }
    bodyStatements.addAll(body.statements());
    List<Stmt> update = normalizeList(loop.update().statements()).statements();
    if (!stopping.isEmpty() && !update.isEmpty()) {
      update = List.of(new Stmt.If(noneOf(stopping), new Stmt.Block(update), Stmt.Block.empty(), SourcePosition.SYNTHETIC));
    }
    if (stopping.isEmpty() && loop.condition() instanceof Expr.Literal literal && Boolean.TRUE.equals(literal.value())) {
      throw new CompileError(loop.position().tree(), Message.ENDLESS_LOOP);
    }
    Expr condition = stopping.isEmpty() ? loop.condition()
        : new Expr.Binary(BinaryOperator.AND, noneOf(stopping), loop.condition(), Type.BOOLEAN, loop.condition().position());
    List<Stmt> out = new ArrayList<>();
    if (brokenFlag != null && stopping.contains(brokenFlag)) {
      out.add(new Stmt.Declare(brokenFlag, Expr.Literal.ofBoolean(false), SourcePosition.SYNTHETIC));
    }
    if (continuedFlag != null && body.pending().contains(continuedFlag)) {
      out.add(new Stmt.Declare(continuedFlag, Expr.Literal.ofBoolean(false), SourcePosition.SYNTHETIC));
    }
    out.add(new Stmt.Loop(loop.label(), condition, loop.testFirst(), new Stmt.Block(bodyStatements),
        new Stmt.Block(update), loop.position()));
    Set<Variable> escaping = new LinkedHashSet<>(stopping);
    escaping.remove(brokenFlag);
    return new Normalized(out, escaping);
  }

  private Variable flag(Map<String, Variable> flags, String prefix, String label) {
    return flags.computeIfAbsent(label, unused -> names.fresh(prefix + Identifiers.capitalize(label), Type.BOOLEAN));
  }

  /** {@code !(f1 || f2 ...)}, remembering that the flags are read. */
  private Expr noneOf(Set<Variable> flags) {
    Expr any = null;
    for (Variable flag : flags) {
      flagsRead.add(flag);
      Expr read = new Expr.Read(flag);
      any = any == null ? read : new Expr.Binary(BinaryOperator.OR, any, read, Type.BOOLEAN, SourcePosition.SYNTHETIC);
    }
    return new Expr.Unary(UnaryOperator.NOT, any, SourcePosition.SYNTHETIC);
  }

  // ------------------------------------------------------------ ?: on doubles

  /**
   * The statements that compute {@code value} with each double-valued {@code ?:} turned into an
   * if statement assigning a fresh local, then {@code finish} applied to what remains.
   */
  private List<Stmt> extractConditionals(Expr value, java.util.function.Function<Expr, Stmt> finish) {
    List<Stmt> before = new ArrayList<>();
    Expr rewritten = rewrite(value, before);
    before.add(finish.apply(rewritten));
    return before;
  }

  private Expr rewrite(Expr expr, List<Stmt> before) {
    if (expr instanceof Expr.Conditional conditional && conditional.type().equals(Type.DOUBLE)) {
      Variable chosen = new Variable(names.freshName("chosen" + (++conditionalCount)), Type.DOUBLE, Variable.Role.LOCAL);
      List<Stmt> whenTrue = extractConditionals(conditional.whenTrue(),
          value -> new Stmt.Assign(chosen, value, conditional.position()));
      List<Stmt> whenFalse = extractConditionals(conditional.whenFalse(),
          value -> new Stmt.Assign(chosen, value, conditional.position()));
      before.add(new Stmt.Declare(chosen, null, conditional.position()));
      before.add(new Stmt.If(conditional.condition(), new Stmt.Block(whenTrue), new Stmt.Block(whenFalse),
          conditional.position()));
      return new Expr.Read(chosen, conditional.position());
    }
    // The operands left of an extracted ?: run before it in Java: one with effects is computed first.
    List<Expr> children = Exprs.children(expr);
    int lastWithConditional = -1;
    for (int i = 0; i < children.size(); i++) {
      if (containsExtractedConditional(children.get(i))) {
        lastWithConditional = i;
      }
    }
    int[] position = {0};
    int conditionalAt = lastWithConditional;
    return Exprs.mapChildren(expr, child -> {
      Expr rewritten = rewrite(child, before);
      if (position[0]++ < conditionalAt && OpaqueCalls.callsOpaque(rewritten)) {
        Variable operand = new Variable(names.freshName("operand"), rewritten.type(), Variable.Role.LOCAL);
        before.add(new Stmt.Declare(operand, rewritten, rewritten.position()));
        return new Expr.Read(operand, rewritten.position());
      }
      return rewritten;
    });
  }

  private static boolean containsExtractedConditional(Expr expr) {
    if (expr instanceof Expr.Conditional conditional && conditional.type().equals(Type.DOUBLE)) {
      return true;
    }
    return Exprs.children(expr).stream().anyMatch(ControlFlowNormalizer::containsExtractedConditional);
  }

  // ------------------------------------------------------------ clean-up

  private List<Stmt> removeUnreadFlags(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt statement : statements) {
      if (!isUnreadFlagWrite(statement)) {
        out.add(statement.accept(withoutUnreadFlags));
      }
    }
    return out;
  }

  /** The statement with the writes of unread flags removed from its nested blocks. */
  private final Stmt.Visitor<Stmt> withoutUnreadFlags = new Stmt.Visitor<>() {
    @Override
    public Stmt visitBlock(Stmt.Block block) {
      return new Stmt.Block(removeUnreadFlags(block.statements()), block.position());
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
      return new Stmt.If(ifStmt.condition(), new Stmt.Block(removeUnreadFlags(ifStmt.thenBlock().statements())),
          new Stmt.Block(removeUnreadFlags(ifStmt.elseBlock().statements())), ifStmt.position());
    }

    @Override
    public Stmt visitLoop(Stmt.Loop loop) {
      return new Stmt.Loop(loop.label(), loop.condition(), loop.testFirst(),
          new Stmt.Block(removeUnreadFlags(loop.body().statements())),
          new Stmt.Block(removeUnreadFlags(loop.update().statements())), loop.position());
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

  private boolean isUnreadFlagWrite(Stmt statement) {
    Variable target = Activity.targetOf(statement); // flags are booleans: element stores never write one
    boolean isFlag = target == returned || broken.containsValue(target) || continued.containsValue(target);
    return isFlag && !flagsRead.contains(target);
  }
}
