package dev.adjoint.processor.random;

import dev.adjoint.processor.random.Ast.And;
import dev.adjoint.processor.random.Ast.ArrAssign;
import dev.adjoint.processor.random.Ast.ArrayRead;
import dev.adjoint.processor.random.Ast.ArrayRef;
import dev.adjoint.processor.random.Ast.Assign;
import dev.adjoint.processor.random.Ast.Bin;
import dev.adjoint.processor.random.Ast.Break;
import dev.adjoint.processor.random.Ast.Cmp;
import dev.adjoint.processor.random.Ast.Compound;
import dev.adjoint.processor.random.Ast.Cond;
import dev.adjoint.processor.random.Ast.Const;
import dev.adjoint.processor.random.Ast.Continue;
import dev.adjoint.processor.random.Ast.DeclArr;
import dev.adjoint.processor.random.Ast.DeclArrCall;
import dev.adjoint.processor.random.Ast.DeclArrInit;
import dev.adjoint.processor.random.Ast.DeclD;
import dev.adjoint.processor.random.Ast.AssignM;
import dev.adjoint.processor.random.Ast.DeclM;
import dev.adjoint.processor.random.Ast.Expr;
import dev.adjoint.processor.random.Ast.MBin;
import dev.adjoint.processor.random.Ast.MDot;
import dev.adjoint.processor.random.Ast.MExpr;
import dev.adjoint.processor.random.Ast.MFilled;
import dev.adjoint.processor.random.Ast.MGet;
import dev.adjoint.processor.random.Ast.MMap;
import dev.adjoint.processor.random.Ast.MPlusScalar;
import dev.adjoint.processor.random.Ast.MReduce;
import dev.adjoint.processor.random.Ast.MScale;
import dev.adjoint.processor.random.Ast.MTimes;
import dev.adjoint.processor.random.Ast.MTranspose;
import dev.adjoint.processor.random.Ast.MVar;
import dev.adjoint.processor.random.Ast.Fn1;
import dev.adjoint.processor.random.Ast.Fn2;
import dev.adjoint.processor.random.Ast.For;
import dev.adjoint.processor.random.Ast.ForEach;
import dev.adjoint.processor.random.Ast.IAdd;
import dev.adjoint.processor.random.Ast.ICmp;
import dev.adjoint.processor.random.Ast.ILength;
import dev.adjoint.processor.random.Ast.ILit;
import dev.adjoint.processor.random.Ast.IMod;
import dev.adjoint.processor.random.Ast.IRev;
import dev.adjoint.processor.random.Ast.IVar;
import dev.adjoint.processor.random.Ast.If;
import dev.adjoint.processor.random.Ast.IntAsDouble;
import dev.adjoint.processor.random.Ast.IntExpr;
import dev.adjoint.processor.random.Ast.Invoke;
import dev.adjoint.processor.random.Ast.CallVoid;
import dev.adjoint.processor.random.Ast.Case;
import dev.adjoint.processor.random.Ast.Switch;
import dev.adjoint.processor.random.Ast.SwitchExpr;
import dev.adjoint.processor.random.Ast.Lit;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
import dev.adjoint.processor.random.Ast.Not;
import dev.adjoint.processor.random.Ast.Opaque;
import dev.adjoint.processor.random.Ast.Or;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Return;
import dev.adjoint.processor.random.Ast.ReturnArray;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.TableRead;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.Var;
import dev.adjoint.processor.random.Ast.While;
import dev.adjoint.runtime.Matrix;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * The oracle: an interpreter of the program AST, written once over an abstract number type and run twice.
 *
 * <ol>
 *   <li>{@link Plain} runs on Java {@code double}s with {@link Math} (and the runtime's own {@link Matrix}, whose
 *       summation order only it knows), exactly the semantics of the compiled program, and records every
 *       data-dependent decision (comparisons of doubles, the side {@code max} and {@code min} choose, the sign {@code
 *       abs} sees) in a {@link Trace}, with what it saw of the numerics (singular points, cancellation, large
 *       partials).
 *   <li>{@link Forward} runs on Commons Math {@link DerivativeStructure}s (forward mode, first or second order, one
 *       free variable per differentiated scalar, array element or matrix entry, or one seeded with a tangent for a
 *       directional derivative; matrices as {@code DerivativeStructure[][]} with the textbook definitions) and
 *       replays the recorded decisions, so that it follows exactly the path the compiled code took even where its
 *       own values differ in the last bits.
 * </ol>
 *
 * <p>At the points where a derivative does not exist the forward run uses the conventions the README documents for
 * the catalogue (½ to each side of a tie of {@code max}/{@code min}, 0 at the kink of {@code abs}, 0 at the origin of
 * {@code atan2} and {@code hypot}); it shares no code with the processor.
 */
abstract class Interpreter<T> {
  /** Decisions of the plain run, replayed by the forward run, and what the plain run saw of the numerics. */
  static final class Trace {
    private int[] decisions = new int[64];
    private int size;
    private int next;
    /** The largest cancellation factor (|a| + |b|) / |a ± b| of a sum or difference with a non-zero result. */
    double maxCancellation = 1;
    /**
     * The largest magnitude of a local partial derivative (1/b of a division, cbrt' near 0, ...) or of a factor of a
     * product: how much an adjoint can grow, and with it the rounding error of adjoint sums that cancel.
     */
    double maxPartial = 1;

    void partial(double p) {
      double m = Math.abs(p);
      if (m > maxPartial && Double.isFinite(m)) {
        maxPartial = m;
      }
    }

    /**
     * Whether a function was evaluated where its derivative is infinite (cbrt or sqrt at 0, asin or acos at ±1, log
     * at 0, pow of 0, a division by 0) or an intermediate value overflowed: there reverse and forward mode may meet
     * 0 · ∞ in different places.
     */
    boolean singular;

    private double[] values = new double[256];
    private int valueCount;
    private int nextValue;

    void recordValue(double v) {
      if (valueCount == values.length) {
        values = java.util.Arrays.copyOf(values, valueCount * 2);
      }
      values[valueCount++] = v;
    }

    double replayValue() {
      if (nextValue >= valueCount) {
        throw new IllegalStateException("the forward run computed more values than the plain run");
      }
      return values[nextValue++];
    }

    void record(int decision) {
      if (size == decisions.length) {
        decisions = java.util.Arrays.copyOf(decisions, size * 2);
      }
      decisions[size++] = decision;
    }

    int replay() {
      if (next >= size) {
        throw new IllegalStateException("the forward run took more decisions than the plain run");
      }
      return decisions[next++];
    }
  }

  /** Thrown when an execution runs far longer than any generated program may (a generator bug). */
  static final class Runaway extends RuntimeException {
    Runaway() {
      super("the interpreter exceeded its step budget");
    }
  }

  private enum Signal { NORMAL, BREAK, CONTINUE, RETURN }

  private static final class Frame {
    final Map<String, Object> vars = new HashMap<>();
    Object result;
    String pendingLabel;
  }

  private static final int STEP_BUDGET = 5_000_000;

  final Program program;
  final Trace trace;
  /** The program class's static state, from its initial values (null where it has none). */
  StaticState state;
  private int steps;

  Interpreter(Program program, Trace trace) {
    this.program = program;
    this.trace = trace;
    this.state = program.statics() == null ? null : new StaticState(program.statics());
  }

  /** Runs from {@code start} (a state it then changes) rather than from the initial state; returns this. */
  Interpreter<T> startingFrom(StaticState start) {
    state = start;
    return this;
  }

  // ---------------------------------------------------------------- the arithmetic of T

  abstract T lit(double v);

  abstract T add(T a, T b);

  abstract T sub(T a, T b);

  abstract T mul(T a, T b);

  abstract T div(T a, T b);

  abstract T neg(T a);

  /** Math functions of one argument other than abs. */
  abstract T fn1(String fn, T a);

  /** atan2, hypot, and pow with an expression as exponent. */
  abstract T fn2(String fn, T a, T b);

  /** pow with a literal exponent. */
  abstract T powLiteral(T base, double exponent);

  /** abs, given the sign of its argument. */
  abstract T abs(T a, int sign);

  /** max or min, given the choice: 1 the first, 2 the second, 0 a tie. */
  abstract T minMax(String fn, T a, T b, int choice);

  abstract double value(T a);

  abstract T[] newArray(int length);

  /**
   * Every scalar result passes here in the same order in both runs: the plain run records its value, the forward run
   * takes it as its own value (keeping its derivatives), so that its partials are evaluated exactly where the
   * compiled code's are (a sign of zero lost by Commons Math's arithmetic once put atan2 on the other side of its
   * branch cut).
   */
  abstract T settle(T value);

  /** Decides a comparison of doubles: evaluates and records it, or replays it. */
  abstract boolean decide(String op, T l, T r);

  /** Which argument max/min takes: 1 the first, 2 the second, 0 a tie; evaluated and recorded, or replayed. */
  abstract int choose(String fn, T a, T b);

  /** The sign abs sees: -1, 0 or 1; evaluated and recorded, or replayed. */
  abstract int sign(T a);

  // ---------------------------------------------------------------- the matrices of T

  /** {@code Matrix.filled(rows, cols, value)}. */
  abstract Object mFilled(int rows, int cols, double value);

  abstract Object mTimes(Object a, Object b);

  abstract Object mTranspose(Object a);

  /** plus, minus, multiply: elementwise. */
  abstract Object mBin(String op, Object a, Object b);

  abstract Object mScale(Object a, T factor);

  abstract Object mPlusScalar(Object a, T offset);

  /** tanh, sigmoid, exp, square: elementwise. */
  abstract Object mMap(String fn, Object a);

  /** sum, mean, squaredNorm, trace. */
  abstract T mReduce(String fn, Object a);

  abstract T mDot(Object a, Object b);

  abstract T mGet(Object a, int row, int col);

  Object matrix(MExpr e, Frame frame) {
    if (e instanceof MVar v) {
      Object m = frame.vars.get(v.name());
      if (m == null) {
        throw new IllegalStateException("unbound matrix " + v.name());
      }
      return m;
    } else if (e instanceof MFilled f) {
      return mFilled(f.rows(), f.cols(), f.value());
    } else if (e instanceof MTimes t) {
      Object a = matrix(t.a(), frame);
      return mTimes(a, matrix(t.b(), frame));
    } else if (e instanceof MTranspose t) {
      return mTranspose(matrix(t.a(), frame));
    } else if (e instanceof MBin b) {
      Object a = matrix(b.a(), frame);
      return mBin(b.op(), a, matrix(b.b(), frame));
    } else if (e instanceof MScale m) {
      Object a = matrix(m.a(), frame);
      return mScale(a, expr(m.factor(), frame));
    } else if (e instanceof MPlusScalar m) {
      Object a = matrix(m.a(), frame);
      return mPlusScalar(a, expr(m.offset(), frame));
    } else if (e instanceof MMap m) {
      return mMap(m.fn(), matrix(m.a(), frame));
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  // ---------------------------------------------------------------- running

  /** Runs {@code method} on these arguments (T for a double, T[] for a double[]); returns T or T[]. */
  Object call(Method method, List<Object> arguments) {
    Frame frame = new Frame();
    for (int i = 0; i < method.params().size(); i++) {
      frame.vars.put(method.params().get(i).name(), arguments.get(i));
    }
    Signal signal = block(method.body(), frame);
    if (method.isVoid() && signal == Signal.NORMAL) {
      return null;
    }
    if (signal != Signal.RETURN) {
      throw new IllegalStateException("method " + method.name() + " ended without return");
    }
    return frame.result;
  }

  private Signal block(List<Stmt> statements, Frame frame) {
    for (Stmt s : statements) {
      Signal signal = statement(s, frame);
      if (signal != Signal.NORMAL) {
        return signal;
      }
    }
    return Signal.NORMAL;
  }

  @SuppressWarnings("unchecked")
  private T var(Frame frame, String name) {
    Object v = frame.vars.get(name);
    if (v == null) {
      throw new IllegalStateException("unbound " + name);
    }
    return (T) v;
  }

  @SuppressWarnings("unchecked")
  private T[] array(Frame frame, String name) {
    Object v = frame.vars.get(name);
    if (v == null || !v.getClass().isArray()) {
      throw new IllegalStateException("unbound array " + name);
    }
    return (T[]) v;
  }

  private T combine(char op, T a, T b) {
    return settle(switch (op) {
      case '+' -> add(a, b);
      case '-' -> sub(a, b);
      case '*' -> mul(a, b);
      case '/' -> div(a, b);
      default -> throw new IllegalArgumentException("operator " + op);
    });
  }

  private void tick() {
    if (++steps > STEP_BUDGET) {
      throw new Runaway();
    }
  }

  private Signal statement(Stmt statement, Frame frame) {
    tick();
    if (statement instanceof DeclD d) {
      frame.vars.put(d.name(), expr(d.init(), frame));
    } else if (statement instanceof Assign a) {
      T v = expr(a.e(), frame);
      frame.vars.put(a.name(), v);
    } else if (statement instanceof Compound c) {
      T old = var(frame, c.name());
      T v = expr(c.e(), frame);
      frame.vars.put(c.name(), combine(c.op(), old, v));
    } else if (statement instanceof DeclArr d) {
      T[] a = newArray(d.length());
      for (int i = 0; i < a.length; i++) {
        a[i] = lit(0);
      }
      frame.vars.put(d.name(), a);
    } else if (statement instanceof DeclArrInit d) {
      T[] a = newArray(d.init().size());
      for (int i = 0; i < a.length; i++) {
        a[i] = expr(d.init().get(i), frame);
      }
      frame.vars.put(d.name(), a);
    } else if (statement instanceof DeclArrCall d) {
      frame.vars.put(d.name(), invoke(d.call(), frame));
    } else if (statement instanceof ArrAssign a) {
      T[] array = array(frame, a.name());
      int index = intExpr(a.index(), frame);
      checkIndex(array, index, a.name());
      if (a.op() == '=') {
        array[index] = expr(a.e(), frame);
      } else {
        T old = array[index];
        array[index] = combine(a.op(), old, expr(a.e(), frame));
      }
    } else if (statement instanceof If i) {
      return cond(i.c(), frame) ? block(i.then(), frame) : block(i.els(), frame);
    } else if (statement instanceof For f) {
      if (f.down()) {
        for (int i = f.to() - 1; i >= f.from(); i--) {
          frame.vars.put(f.var(), i);
          Signal s = loopBody(f.label(), f.body(), frame);
          if (s == Signal.BREAK) {
            break;
          } else if (s != Signal.NORMAL) {
            return s;
          }
        }
      } else {
        for (int i = f.from(); i < f.to(); i++) {
          frame.vars.put(f.var(), i);
          Signal s = loopBody(f.label(), f.body(), frame);
          if (s == Signal.BREAK) {
            break;
          } else if (s != Signal.NORMAL) {
            return s;
          }
        }
      }
      return afterLoop(frame);
    } else if (statement instanceof ForEach f) {
      T[] array = array(frame, f.array());
      for (T element : array) {
        frame.vars.put(f.var(), element);
        Signal s = loopBody(f.label(), f.body(), frame);
        if (s == Signal.BREAK) {
          break;
        } else if (s != Signal.NORMAL) {
          return s;
        }
      }
      return afterLoop(frame);
    } else if (statement instanceof While w) {
      frame.vars.put(w.guard(), 0);
      if (w.doWhile()) {
        do {
          frame.vars.put(w.guard(), (Integer) frame.vars.get(w.guard()) + 1);
          Signal s = loopBody(w.label(), w.body(), frame);
          if (s == Signal.BREAK) {
            break;
          } else if (s != Signal.NORMAL) {
            return s;
          }
        } while (cond(w.c(), frame) && (Integer) frame.vars.get(w.guard()) < w.max());
      } else {
        while (cond(w.c(), frame) && (Integer) frame.vars.get(w.guard()) < w.max()) {
          frame.vars.put(w.guard(), (Integer) frame.vars.get(w.guard()) + 1);
          Signal s = loopBody(w.label(), w.body(), frame);
          if (s == Signal.BREAK) {
            break;
          } else if (s != Signal.NORMAL) {
            return s;
          }
        }
      }
      return afterLoop(frame);
    } else if (statement instanceof Break b) {
      frame.pendingLabel = b.label();
      return Signal.BREAK;
    } else if (statement instanceof Continue c) {
      frame.pendingLabel = c.label();
      return Signal.CONTINUE;
    } else if (statement instanceof Return r) {
      frame.result = expr(r.e(), frame);
      return Signal.RETURN;
    } else if (statement instanceof ReturnArray r) {
      if (r.array() != null) {
        frame.result = array(frame, r.array()).clone();
      } else {
        T[] a = newArray(r.elements().size());
        for (int i = 0; i < a.length; i++) {
          a[i] = expr(r.elements().get(i), frame);
        }
        frame.result = a;
      }
      return Signal.RETURN;
    } else if (statement instanceof CallVoid c) {
      invoke(c.call(), frame);
    } else if (statement instanceof Switch w) {
      int selector = intExpr(w.selector(), frame);
      int entry = -1;
      for (int i = 0; i < w.cases().size() && entry < 0; i++) {
        if (w.cases().get(i).labels().contains(selector)) {
          entry = i;
        }
      }
      for (int i = 0; i < w.cases().size() && entry < 0; i++) {
        if (w.cases().get(i).labels().isEmpty()) {
          entry = i;
        }
      }
      for (int i = Math.max(entry, 0); entry >= 0 && i < w.cases().size(); i++) {
        Case c = w.cases().get(i);
        Signal s = block(c.body(), frame);
        if (s != Signal.NORMAL) {
          return s; // no unlabelled break leaves a case here: a jump out of the switch, or a return
        }
        if (w.arrow() || c.breaks()) {
          break;
        }
      }
    } else if (statement instanceof DeclM d) {
      frame.vars.put(d.name(), matrix(d.init(), frame));
    } else if (statement instanceof AssignM a) {
      frame.vars.put(a.name(), matrix(a.e(), frame));
    } else {
      throw new IllegalArgumentException(String.valueOf(statement));
    }
    return Signal.NORMAL;
  }

  /** After a loop: a break aimed at an outer loop goes on; otherwise the loop simply ended. */
  private Signal afterLoop(Frame frame) {
    return frame.pendingLabel != null ? Signal.BREAK : Signal.NORMAL;
  }

  /**
   * Runs one iteration of a loop labelled {@code label}. A break or continue aimed at this loop (unlabelled, or with
   * its label) is consumed here: the result is BREAK (leave this loop) or NORMAL (next iteration). A break or continue
   * aimed at an outer loop leaves {@code pendingLabel} set: the loop returns BREAK for a labelled break, CONTINUE for a
   * labelled continue, and the statement that runs the loop passes it on.
   */
  private Signal loopBody(String label, List<Stmt> body, Frame frame) {
    Signal s = block(body, frame);
    if (s == Signal.BREAK || s == Signal.CONTINUE) {
      String target = frame.pendingLabel;
      if (target == null || target.equals(label)) {
        frame.pendingLabel = null;
        return s == Signal.BREAK ? Signal.BREAK : Signal.NORMAL;
      }
      return s; // aimed at an outer loop
    }
    return s;
  }

  private void checkIndex(Object[] array, int index, String name) {
    if (index < 0 || index >= array.length) {
      throw new IllegalStateException("index " + index + " out of " + name + "[" + array.length + "]");
    }
  }

  T expr(Expr e, Frame frame) {
    if (e instanceof Lit l) {
      return lit(l.value());
    } else if (e instanceof Var v) {
      return var(frame, v.name());
    } else if (e instanceof IntAsDouble i) {
      return lit(intExpr(i.e(), frame));
    } else if (e instanceof ArrayRead a) {
      T[] array = array(frame, a.array());
      int index = intExpr(a.index(), frame);
      checkIndex(array, index, a.array());
      return array[index];
    } else if (e instanceof ArrayRef a) {
      throw new IllegalStateException("array " + a.array() + " used as a value");
    } else if (e instanceof Neg n) {
      return settle(neg(expr(n.e(), frame)));
    } else if (e instanceof Bin b) {
      T l = expr(b.l(), frame);
      T r = expr(b.r(), frame);
      return combine(b.op(), l, r);
    } else if (e instanceof Fn1 f) {
      T a = expr(f.a(), frame);
      if (f.fn().equals("abs")) {
        return settle(abs(a, sign(a)));
      }
      return settle(fn1(f.fn(), a));
    } else if (e instanceof Fn2 f) {
      T a = expr(f.a(), frame);
      T b = expr(f.b(), frame);
      if (f.fn().equals("max") || f.fn().equals("min")) {
        return settle(minMax(f.fn(), a, b, choose(f.fn(), a, b)));
      } else if (f.fn().equals("pow") && f.b() instanceof Lit l) {
        return settle(powLiteral(a, l.value()));
      }
      return settle(fn2(f.fn(), a, b));
    } else if (e instanceof Ternary t) {
      return cond(t.c(), frame) ? expr(t.a(), frame) : expr(t.b(), frame);
    } else if (e instanceof SwitchExpr w) {
      int selector = intExpr(w.selector(), frame);
      for (int i = 0; i < w.labels().size(); i++) {
        if (w.labels().get(i).contains(selector)) {
          return expr(w.values().get(i), frame);
        }
      }
      return expr(w.values().get(w.values().size() - 1), frame);
    } else if (e instanceof Invoke i) {
      Object result = invoke(i, frame);
      if (result.getClass().isArray()) {
        throw new IllegalStateException("vector helper " + i.method() + " used as a scalar");
      }
      @SuppressWarnings("unchecked")
      T scalar = (T) result;
      return scalar;
    } else if (e instanceof MReduce r) {
      return settle(mReduce(r.fn(), matrix(r.a(), frame)));
    } else if (e instanceof MDot d) {
      Object a = matrix(d.a(), frame);
      return settle(mDot(a, matrix(d.b(), frame)));
    } else if (e instanceof MGet g) {
      return settle(mGet(matrix(g.a(), frame), g.row(), g.col()));
    } else if (e instanceof Opaque o) {
      return opaque(o, frame);
    } else if (e instanceof Const c) {
      return lit(program.statics().constants().get(c.index()));
    } else if (e instanceof TableRead t) {
      return lit(state.table(intExpr(t.index(), frame)));
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  /** An opaque helper's call: its arguments are constants here, the buffer it writes gets constants. */
  private T opaque(Opaque call, Frame frame) {
    List<Expr> scalars = call.args();
    T[] buffer = null;
    if (call.helper().buffer) {
      buffer = array(frame, ((ArrayRef) scalars.get(0)).array());
      scalars = scalars.subList(1, scalars.size());
    }
    double[] args = new double[scalars.size()];
    for (int a = 0; a < args.length; a++) {
      args[a] = value(expr(scalars.get(a), frame));
    }
    double[] contents = null;
    if (buffer != null) {
      contents = new double[buffer.length];
      for (int j = 0; j < contents.length; j++) {
        contents[j] = value(buffer[j]);
      }
    }
    double result = state.call(call.helper(), contents, args);
    if (buffer != null) {
      for (int j = 0; j < contents.length; j++) {
        buffer[j] = lit(contents[j]);
      }
    }
    return lit(result);
  }

  private Object invoke(Invoke call, Frame frame) {
    Method callee = program.method(call.method());
    List<Object> arguments = new ArrayList<>();
    for (Expr argument : call.args()) {
      arguments.add(argument instanceof ArrayRef ref ? array(frame, ref.array()) : expr(argument, frame));
    }
    return call(callee, arguments);
  }

  int intExpr(IntExpr e, Frame frame) {
    if (e instanceof ILit l) {
      return l.value();
    } else if (e instanceof IVar v) {
      Object value = frame.vars.get(v.name());
      if (!(value instanceof Integer i)) {
        throw new IllegalStateException("unbound int " + v.name());
      }
      return i;
    } else if (e instanceof IAdd a) {
      return intExpr(a.e(), frame) + a.c();
    } else if (e instanceof IRev r) {
      return r.c() - intExpr(r.e(), frame);
    } else if (e instanceof IMod m) {
      return intExpr(m.e(), frame) % m.n();
    } else if (e instanceof ILength l) {
      return Array.getLength(frame.vars.get(l.array()));
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  boolean cond(Cond c, Frame frame) {
    if (c instanceof Cmp cmp) {
      T l = expr(cmp.l(), frame);
      T r = expr(cmp.r(), frame);
      return decide(cmp.op(), l, r);
    } else if (c instanceof ICmp cmp) {
      int l = intExpr(cmp.l(), frame);
      int r = intExpr(cmp.r(), frame);
      switch (cmp.op()) {
        case "<":
          return l < r;
        case "<=":
          return l <= r;
        case ">":
          return l > r;
        case ">=":
          return l >= r;
        case "==":
          return l == r;
        case "!=":
          return l != r;
        default:
          throw new IllegalArgumentException(cmp.op());
      }
    } else if (c instanceof And a) {
      return cond(a.l(), frame) && cond(a.r(), frame);
    } else if (c instanceof Or o) {
      return cond(o.l(), frame) || cond(o.r(), frame);
    } else if (c instanceof Not n) {
      return !cond(n.c(), frame);
    }
    throw new IllegalArgumentException(String.valueOf(c));
  }

  static boolean compare(String op, double l, double r) {
    return switch (op) {
      case "<" -> l < r;
      case "<=" -> l <= r;
      case ">" -> l > r;
      case ">=" -> l >= r;
      default -> throw new IllegalArgumentException(op);
    };
  }

  // ---------------------------------------------------------------- the plain run

  /** Java doubles and {@link Math}: the semantics of the compiled program; records the decisions. */
  static final class Plain extends Interpreter<Double> {
    Plain(Program program, Trace trace) {
      super(program, trace);
    }

    /** Every computed value passes here: an overflow makes the point singular. */
    private Double seen(double v) {
      trace.singular |= !Double.isFinite(v);
      return v;
    }

    @Override
    Double lit(double v) {
      return v;
    }

    /** How much a sum cancelled: (|a| + |b|) / |a + b|, for the tolerance of derivatives that cancel alike. */
    private double cancelling(double a, double b, double sum) {
      if (sum != 0 && Double.isFinite(sum)) {
        double k = (Math.abs(a) + Math.abs(b)) / Math.abs(sum);
        if (k > trace.maxCancellation) {
          trace.maxCancellation = k;
        }
      }
      return sum;
    }

    @Override
    Double add(Double a, Double b) {
      return seen(cancelling(a, b, a + b));
    }

    @Override
    Double sub(Double a, Double b) {
      return seen(cancelling(a, b, a - b));
    }

    @Override
    Double mul(Double a, Double b) {
      trace.partial(a);
      trace.partial(b);
      return seen(a * b);
    }

    @Override
    Double div(Double a, Double b) {
      trace.singular |= b == 0;
      trace.partial(1 / b);
      trace.partial(a / b / b);
      return seen(a / b);
    }

    @Override
    Double neg(Double a) {
      return -a;
    }

    @Override
    Double fn1(String fn, Double a) {
      double x = a;
      boolean singular = switch (fn) {
        case "cbrt", "sqrt", "log", "log10" -> x == 0;
        case "asin", "acos" -> Math.abs(x) == 1;
        case "log1p" -> x == -1;
        default -> false;
      };
      trace.singular |= singular;
      trace.partial(switch (fn) {
        case "tan" -> 1 + Math.tan(x) * Math.tan(x);
        case "asin", "acos" -> 1 / Math.sqrt(1 - x * x);
        case "sinh", "cosh", "exp", "expm1" -> Math.cosh(x) + 1;
        case "log", "log10" -> 1 / x;
        case "log1p" -> 1 / (1 + x);
        case "sqrt" -> 0.5 / Math.sqrt(x);
        case "cbrt" -> 1 / (3 * Math.cbrt(x) * Math.cbrt(x));
        default -> 1;
      });
      return seen(switch (fn) {
        case "sin" -> Math.sin(x);
        case "cos" -> Math.cos(x);
        case "tan" -> Math.tan(x);
        case "asin" -> Math.asin(x);
        case "acos" -> Math.acos(x);
        case "atan" -> Math.atan(x);
        case "sinh" -> Math.sinh(x);
        case "cosh" -> Math.cosh(x);
        case "tanh" -> Math.tanh(x);
        case "exp" -> Math.exp(x);
        case "expm1" -> Math.expm1(x);
        case "log" -> Math.log(x);
        case "log10" -> Math.log10(x);
        case "log1p" -> Math.log1p(x);
        case "sqrt" -> Math.sqrt(x);
        case "cbrt" -> Math.cbrt(x);
        default -> throw new IllegalArgumentException(fn);
      });
    }

    @Override
    Double fn2(String fn, Double a, Double b) {
      trace.singular |= fn.equals("pow") && a == 0;
      if (fn.equals("pow")) {
        trace.partial(b * Math.pow(a, b - 1));
        trace.partial(Math.pow(a, b) * Math.log(a));
      } else {
        trace.partial(1 / Math.hypot(a, b));
      }
      return seen(switch (fn) {
        case "atan2" -> Math.atan2(a, b);
        case "hypot" -> Math.hypot(a, b);
        case "pow" -> Math.pow(a, b);
        default -> throw new IllegalArgumentException(fn);
      });
    }

    @Override
    Double powLiteral(Double base, double exponent) {
      trace.singular |= base == 0 && exponent < 1;
      trace.partial(exponent * Math.pow(base, exponent - 1));
      return seen(Math.pow(base, exponent));
    }

    @Override
    Double settle(Double value) {
      trace.recordValue(value);
      return value;
    }

    @Override
    Double abs(Double a, int sign) {
      return Math.abs(a);
    }

    @Override
    Double minMax(String fn, Double a, Double b, int choice) {
      return fn.equals("max") ? Math.max(a, b) : Math.min(a, b);
    }

    @Override
    double value(Double a) {
      return a;
    }

    @Override
    Double[] newArray(int length) {
      return new Double[length];
    }

    @Override
    boolean decide(String op, Double l, Double r) {
      boolean result = compare(op, l, r);
      trace.record(result ? 1 : 0);
      return result;
    }

    @Override
    int choose(String fn, Double a, Double b) {
      double x = a;
      double y = b;
      int choice;
      if (x == y) {
        choice = 0;
      } else if (fn.equals("max")) {
        choice = Math.max(x, y) == x ? 1 : 2;
      } else {
        choice = Math.min(x, y) == x ? 1 : 2;
      }
      trace.record(choice);
      return choice;
    }

    @Override
    int sign(Double a) {
      double x = a;
      int s = x > 0 ? 1 : x < 0 ? -1 : 0;
      trace.record(s);
      return s;
    }

    // the plain run's matrices are the runtime's own Matrix: its summation order is the compiled program's

    @Override
    Object mFilled(int rows, int cols, double value) {
      return Matrix.filled(rows, cols, value);
    }

    @Override
    Object mTimes(Object a, Object b) {
      return ((Matrix) a).times((Matrix) b);
    }

    @Override
    Object mTranspose(Object a) {
      return ((Matrix) a).transpose();
    }

    @Override
    Object mBin(String op, Object a, Object b) {
      Matrix l = (Matrix) a;
      Matrix r = (Matrix) b;
      return switch (op) {
        case "plus" -> l.plus(r);
        case "minus" -> l.minus(r);
        case "multiply" -> l.multiply(r);
        default -> throw new IllegalArgumentException(op);
      };
    }

    @Override
    Object mScale(Object a, Double factor) {
      return ((Matrix) a).scale(factor);
    }

    @Override
    Object mPlusScalar(Object a, Double offset) {
      return ((Matrix) a).plusScalar(offset);
    }

    @Override
    Object mMap(String fn, Object a) {
      Matrix m = (Matrix) a;
      return switch (fn) {
        case "tanh" -> m.tanh();
        case "sigmoid" -> m.sigmoid();
        case "exp" -> m.exp();
        case "square" -> m.square();
        default -> throw new IllegalArgumentException(fn);
      };
    }

    @Override
    Double mReduce(String fn, Object a) {
      Matrix m = (Matrix) a;
      return seen(switch (fn) {
        case "sum" -> m.sum();
        case "mean" -> m.mean();
        case "squaredNorm" -> m.squaredNorm();
        case "trace" -> m.trace();
        default -> throw new IllegalArgumentException(fn);
      });
    }

    @Override
    Double mDot(Object a, Object b) {
      return seen(((Matrix) a).dot((Matrix) b));
    }

    @Override
    Double mGet(Object a, int row, int col) {
      return ((Matrix) a).get(row, col);
    }

  }

  // ---------------------------------------------------------------- the forward run

  /**
   * Commons Math forward mode, replaying the plain run's decisions: derivatives up to {@code order} (2 gives the
   * Hessian) in {@code freeParameters} variables, or, with one free parameter seeded with a tangent, the directional
   * derivative.
   */
  static final class Forward extends Interpreter<DerivativeStructure> {
    private final int freeParameters;
    private final int order;

    Forward(Program program, Trace trace, int freeParameters, int order) {
      super(program, trace);
      this.freeParameters = freeParameters;
      this.order = order;
    }

    /** The free variable number {@code index}, at {@code value}. */
    DerivativeStructure variable(int index, double value) {
      return new DerivativeStructure(freeParameters, order, index, value);
    }

    /** With one free parameter of order 1: a value whose derivative is {@code tangent}. */
    DerivativeStructure seeded(double value, double tangent) {
      return new DerivativeStructure(1, 1, value, tangent);
    }

    @Override
    DerivativeStructure lit(double v) {
      return new DerivativeStructure(freeParameters, order, v);
    }

    @Override
    DerivativeStructure add(DerivativeStructure a, DerivativeStructure b) {
      return a.add(b);
    }

    @Override
    DerivativeStructure sub(DerivativeStructure a, DerivativeStructure b) {
      return a.subtract(b);
    }

    @Override
    DerivativeStructure mul(DerivativeStructure a, DerivativeStructure b) {
      return a.multiply(b);
    }

    @Override
    DerivativeStructure div(DerivativeStructure a, DerivativeStructure b) {
      return a.divide(b);
    }

    @Override
    DerivativeStructure neg(DerivativeStructure a) {
      return a.negate();
    }

    @Override
    DerivativeStructure fn1(String fn, DerivativeStructure a) {
      return switch (fn) {
        case "sin" -> a.sin();
        case "cos" -> a.cos();
        case "tan" -> a.tan();
        case "asin" -> a.asin();
        case "acos" -> a.acos();
        case "atan" -> a.atan();
        case "sinh" -> a.sinh();
        case "cosh" -> a.cosh();
        case "tanh" -> a.tanh();
        case "exp" -> a.exp();
        case "expm1" -> a.expm1();
        case "log" -> a.log();
        case "log10" -> a.log10();
        case "log1p" -> a.log1p();
        case "sqrt" -> a.sqrt();
        case "cbrt" -> a.cbrt();
        default -> throw new IllegalArgumentException(fn);
      };
    }

    @Override
    DerivativeStructure fn2(String fn, DerivativeStructure a, DerivativeStructure b) {
      return switch (fn) {
        case "atan2" -> a.getValue() == 0 && b.getValue() == 0 ? lit(Math.atan2(a.getValue(), b.getValue()))
            : DerivativeStructure.atan2(a, b);
        // Commons Math 3.6.1 builds its infinite or NaN result with the wrong order ("3 != 1" later): no derivative
        case "hypot" -> !Double.isFinite(a.getValue()) || !Double.isFinite(b.getValue())
            ? lit(Math.hypot(a.getValue(), b.getValue()))
            : a.getValue() == 0 && b.getValue() == 0 ? lit(0) : DerivativeStructure.hypot(a, b);
        case "pow" -> a.pow(b);
        default -> throw new IllegalArgumentException(fn);
      };
    }

    @Override
    DerivativeStructure powLiteral(DerivativeStructure base, double exponent) {
      return base.pow(exponent);
    }

    @Override
    DerivativeStructure settle(DerivativeStructure value) {
      double plain = trace.replayValue();
      if (Double.doubleToLongBits(plain) == Double.doubleToLongBits(value.getValue())) {
        return value;
      }
      double[] all = value.getAllDerivatives();
      all[0] = plain;
      return new DerivativeStructure(freeParameters, order, all);
    }

    /** abs'(0) = 0, as the catalogue says. */
    @Override
    DerivativeStructure abs(DerivativeStructure a, int sign) {
      return a.multiply(sign);
    }

    /** ½ to each side of a tie, as the catalogue says. */
    @Override
    DerivativeStructure minMax(String fn, DerivativeStructure a, DerivativeStructure b, int choice) {
      return choice == 1 ? a : choice == 2 ? b : a.add(b).multiply(0.5);
    }

    @Override
    double value(DerivativeStructure a) {
      return a.getValue();
    }

    @Override
    DerivativeStructure[] newArray(int length) {
      return new DerivativeStructure[length];
    }

    // the forward run's matrices are DerivativeStructure[rows][cols], with the textbook definitions

    private static DerivativeStructure[][] ds(Object m) {
      return (DerivativeStructure[][]) m;
    }

    private DerivativeStructure[][] map(Object m, java.util.function.UnaryOperator<DerivativeStructure> f) {
      DerivativeStructure[][] a = ds(m);
      DerivativeStructure[][] result = new DerivativeStructure[a.length][a[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          result[i][j] = f.apply(a[i][j]);
        }
      }
      return result;
    }

    private DerivativeStructure[][] zip(Object l, Object r,
        java.util.function.BinaryOperator<DerivativeStructure> f) {
      DerivativeStructure[][] a = ds(l);
      DerivativeStructure[][] b = ds(r);
      if (a.length != b.length || a[0].length != b[0].length) {
        throw new IllegalStateException("shapes differ");
      }
      DerivativeStructure[][] result = new DerivativeStructure[a.length][a[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          result[i][j] = f.apply(a[i][j], b[i][j]);
        }
      }
      return result;
    }

    @Override
    Object mFilled(int rows, int cols, double value) {
      DerivativeStructure[][] result = new DerivativeStructure[rows][cols];
      for (DerivativeStructure[] row : result) {
        java.util.Arrays.fill(row, lit(value));
      }
      return result;
    }

    @Override
    Object mTimes(Object l, Object r) {
      DerivativeStructure[][] a = ds(l);
      DerivativeStructure[][] b = ds(r);
      if (a[0].length != b.length) {
        throw new IllegalStateException("inner dimensions differ");
      }
      DerivativeStructure[][] result = new DerivativeStructure[a.length][b[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < b[0].length; j++) {
          DerivativeStructure sum = lit(0);
          for (int k = 0; k < b.length; k++) {
            sum = sum.add(a[i][k].multiply(b[k][j]));
          }
          result[i][j] = sum;
        }
      }
      return result;
    }

    @Override
    Object mTranspose(Object m) {
      DerivativeStructure[][] a = ds(m);
      DerivativeStructure[][] result = new DerivativeStructure[a[0].length][a.length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          result[j][i] = a[i][j];
        }
      }
      return result;
    }

    @Override
    Object mBin(String op, Object a, Object b) {
      return switch (op) {
        case "plus" -> zip(a, b, DerivativeStructure::add);
        case "minus" -> zip(a, b, DerivativeStructure::subtract);
        case "multiply" -> zip(a, b, DerivativeStructure::multiply);
        default -> throw new IllegalArgumentException(op);
      };
    }

    @Override
    Object mScale(Object a, DerivativeStructure factor) {
      return map(a, x -> x.multiply(factor));
    }

    @Override
    Object mPlusScalar(Object a, DerivativeStructure offset) {
      return map(a, x -> x.add(offset));
    }

    @Override
    Object mMap(String fn, Object a) {
      return switch (fn) {
        case "tanh" -> map(a, DerivativeStructure::tanh);
        case "sigmoid" -> map(a, x -> lit(1).divide(lit(1).add(x.negate().exp())));
        case "exp" -> map(a, DerivativeStructure::exp);
        case "square" -> map(a, x -> x.multiply(x));
        default -> throw new IllegalArgumentException(fn);
      };
    }

    @Override
    DerivativeStructure mReduce(String fn, Object m) {
      DerivativeStructure[][] a = ds(m);
      DerivativeStructure sum = lit(0);
      int count = 0;
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          count++;
          switch (fn) {
            case "sum", "mean" -> sum = sum.add(a[i][j]);
            case "squaredNorm" -> sum = sum.add(a[i][j].multiply(a[i][j]));
            case "trace" -> sum = i == j ? sum.add(a[i][j]) : sum;
            default -> throw new IllegalArgumentException(fn);
          }
        }
      }
      return fn.equals("mean") ? sum.divide(count) : sum;
    }

    @Override
    DerivativeStructure mDot(Object a, Object b) {
      DerivativeStructure[][] products = zip(a, b, DerivativeStructure::multiply);
      DerivativeStructure sum = lit(0);
      for (DerivativeStructure[] row : products) {
        for (DerivativeStructure x : row) {
          sum = sum.add(x);
        }
      }
      return sum;
    }

    @Override
    DerivativeStructure mGet(Object a, int row, int col) {
      return ds(a)[row][col];
    }

    @Override
    boolean decide(String op, DerivativeStructure l, DerivativeStructure r) {
      return trace.replay() == 1;
    }

    @Override
    int choose(String fn, DerivativeStructure a, DerivativeStructure b) {
      return trace.replay();
    }

    @Override
    int sign(DerivativeStructure a) {
      return trace.replay();
    }
  }
}
