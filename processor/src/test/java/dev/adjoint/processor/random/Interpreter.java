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
import dev.adjoint.processor.random.Ast.Continue;
import dev.adjoint.processor.random.Ast.DeclArr;
import dev.adjoint.processor.random.Ast.DeclArrCall;
import dev.adjoint.processor.random.Ast.DeclArrInit;
import dev.adjoint.processor.random.Ast.DeclD;
import dev.adjoint.processor.random.Ast.Expr;
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
import dev.adjoint.processor.random.Ast.Lit;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
import dev.adjoint.processor.random.Ast.Not;
import dev.adjoint.processor.random.Ast.Or;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Return;
import dev.adjoint.processor.random.Ast.ReturnArray;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.Var;
import dev.adjoint.processor.random.Ast.While;
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
 *   <li>{@link Plain} runs on Java {@code double}s with {@link Math}, exactly the semantics of the compiled program,
 *       and records every data-dependent decision (comparisons of doubles, the side {@code max} and {@code min}
 *       choose, the sign {@code abs} sees) in a {@link Trace}.
 *   <li>{@link Forward} runs on Commons Math {@link DerivativeStructure}s (forward mode, first order, one free
 *       variable per differentiated scalar or array element) and replays the recorded decisions, so that it follows
 *       exactly the path the compiled code took even where its own values differ in the last bits.
 * </ol>
 *
 * <p>At the points where a derivative does not exist the forward run uses the conventions the README documents for
 * the catalogue (½ to each side of a tie of {@code max}/{@code min}, 0 at the kink of {@code abs}, 0 at the origin of
 * {@code atan2} and {@code hypot}); it shares no code with the processor.
 */
abstract class Interpreter<T> {
  /** Decisions of the plain run, replayed by the forward run, and how close the plain run came to a kink. */
  static final class Trace {
    private int[] decisions = new int[64];
    private int size;
    private int next;
    /** The smallest relative distance of a comparison, max/min or abs argument from its kink. */
    double minMargin = Double.POSITIVE_INFINITY;
    /** The largest magnitude of any intermediate double. */
    double maxMagnitude;

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

    void margin(double a, double b) {
      double m = Math.abs(a - b) / (1 + Math.abs(a) + Math.abs(b));
      if (m < minMargin) {
        minMargin = m;
      }
    }

    int size() {
      return size;
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
  private int steps;

  Interpreter(Program program, Trace trace) {
    this.program = program;
    this.trace = trace;
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

  /** {@code a * s} for a constant s (abs as sign times argument). */
  abstract T scale(T a, double s);

  abstract double value(T a);

  abstract T[] newArray(int length);

  /** Decides a comparison of doubles: evaluates and records it, or replays it. */
  abstract boolean decide(String op, T l, T r);

  /** Which argument max/min takes: 1 the first, 2 the second, 0 a tie; evaluated and recorded, or replayed. */
  abstract int choose(String fn, T a, T b);

  /** The sign abs sees: -1, 0 or 1; evaluated and recorded, or replayed. */
  abstract int sign(T a);

  // ---------------------------------------------------------------- running

  /** Runs {@code method} on these arguments (T for a double, T[] for a double[]); returns T or T[]. */
  Object call(Method method, List<Object> arguments) {
    Frame frame = new Frame();
    for (int i = 0; i < method.params().size(); i++) {
      frame.vars.put(method.params().get(i).name(), arguments.get(i));
    }
    Signal signal = block(method.body(), frame);
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
    return switch (op) {
      case '+' -> add(a, b);
      case '-' -> sub(a, b);
      case '*' -> mul(a, b);
      case '/' -> div(a, b);
      default -> throw new IllegalArgumentException("operator " + op);
    };
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
      return neg(expr(n.e(), frame));
    } else if (e instanceof Bin b) {
      T l = expr(b.l(), frame);
      T r = expr(b.r(), frame);
      return combine(b.op(), l, r);
    } else if (e instanceof Fn1 f) {
      T a = expr(f.a(), frame);
      if (f.fn().equals("abs")) {
        return scale(a, sign(a));
      }
      return fn1(f.fn(), a);
    } else if (e instanceof Fn2 f) {
      T a = expr(f.a(), frame);
      T b = expr(f.b(), frame);
      if (f.fn().equals("max") || f.fn().equals("min")) {
        int choice = choose(f.fn(), a, b);
        return choice == 1 ? a : choice == 2 ? b : scale(add(a, b), 0.5);
      } else if (f.fn().equals("pow") && f.b() instanceof Lit l) {
        return powLiteral(a, l.value());
      }
      return fn2(f.fn(), a, b);
    } else if (e instanceof Ternary t) {
      return cond(t.c(), frame) ? expr(t.a(), frame) : expr(t.b(), frame);
    } else if (e instanceof Invoke i) {
      Object result = invoke(i, frame);
      if (result.getClass().isArray()) {
        throw new IllegalStateException("vector helper " + i.method() + " used as a scalar");
      }
      @SuppressWarnings("unchecked")
      T scalar = (T) result;
      return scalar;
    }
    throw new IllegalArgumentException(String.valueOf(e));
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

    private Double seen(double v) {
      double m = Math.abs(v);
      if (m > trace.maxMagnitude && !Double.isNaN(m)) {
        trace.maxMagnitude = m;
      }
      return v;
    }

    @Override
    Double lit(double v) {
      return v;
    }

    @Override
    Double add(Double a, Double b) {
      return seen(a + b);
    }

    @Override
    Double sub(Double a, Double b) {
      return seen(a - b);
    }

    @Override
    Double mul(Double a, Double b) {
      return seen(a * b);
    }

    @Override
    Double div(Double a, Double b) {
      return seen(a / b);
    }

    @Override
    Double neg(Double a) {
      return -a;
    }

    @Override
    Double fn1(String fn, Double a) {
      double x = a;
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
      return seen(switch (fn) {
        case "atan2" -> Math.atan2(a, b);
        case "hypot" -> Math.hypot(a, b);
        case "pow" -> Math.pow(a, b);
        default -> throw new IllegalArgumentException(fn);
      });
    }

    @Override
    Double powLiteral(Double base, double exponent) {
      return seen(Math.pow(base, exponent));
    }

    @Override
    Double scale(Double a, double s) {
      return a * s;
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
      trace.margin(l, r);
      boolean result = compare(op, l, r);
      trace.record(result ? 1 : 0);
      return result;
    }

    @Override
    int choose(String fn, Double a, Double b) {
      trace.margin(a, b);
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
      trace.margin(a, 0);
      double x = a;
      int s = x > 0 ? 1 : x < 0 ? -1 : 0;
      trace.record(s);
      return s;
    }

    /** {@code Math.abs} of the plain run: the abs node multiplies by the sign, which is exact, except -0.0. */
    @Override
    Double expr(Expr e, Frame frame) {
      if (e instanceof Fn1 f && f.fn().equals("abs")) {
        Double a = super.expr(f.a(), frame);
        sign(a);
        return Math.abs(a);
      }
      return super.expr(e, frame);
    }
  }

  // ---------------------------------------------------------------- the forward run

  /** Commons Math forward mode, replaying the plain run's decisions. */
  static final class Forward extends Interpreter<DerivativeStructure> {
    private final int freeParameters;

    Forward(Program program, Trace trace, int freeParameters) {
      super(program, trace);
      this.freeParameters = freeParameters;
    }

    DerivativeStructure variable(int index, double value) {
      return new DerivativeStructure(freeParameters, 1, index, value);
    }

    @Override
    DerivativeStructure lit(double v) {
      return new DerivativeStructure(freeParameters, 1, v);
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
        case "hypot" -> a.getValue() == 0 && b.getValue() == 0 ? lit(0) : DerivativeStructure.hypot(a, b);
        case "pow" -> a.pow(b);
        default -> throw new IllegalArgumentException(fn);
      };
    }

    @Override
    DerivativeStructure powLiteral(DerivativeStructure base, double exponent) {
      return base.pow(exponent);
    }

    @Override
    DerivativeStructure scale(DerivativeStructure a, double s) {
      return a.multiply(s);
    }

    @Override
    double value(DerivativeStructure a) {
      return a.getValue();
    }

    @Override
    DerivativeStructure[] newArray(int length) {
      return new DerivativeStructure[length];
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
