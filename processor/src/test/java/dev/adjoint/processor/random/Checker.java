package dev.adjoint.processor.random;

import dev.adjoint.Derivative;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Param;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.Matrix;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * Evaluates one compiled method's generated derivatives at a point and compares them with the oracle: the plain
 * interpreter for the value (Java semantics, compared bit for bit with the compiled original), the forward-mode
 * {@link DerivativeStructure} interpreter for the derivatives. Central differences of the compiled original are only a
 * second opinion when the two disagree.
 *
 * <p>A scalar method is checked through its three entry points: {@code f(args)}, {@code f(args, into)} on a gradient
 * object first used at another point, and {@code fPullback(args, seed, into)}. A vector-valued helper through {@code
 * hJacobian(args)} and {@code hPullback(args, seed, into)}. Where the method asks for them ({@link Also}), then
 * {@code fTangent} and {@code fHessianVector} along random directions and the whole {@code fHessian}, against the
 * oracle's directional derivative (a forward run seeded with the tangent) and its second-order forward run.
 */
final class Checker {
  /** Relative tolerance of values and derivatives; the absolute floor is relative to the largest expected entry. */
  static final double RTOL = 1e-9;
  static final double ATOL = 1e-9;
  /** How the detail of a compilation failure names the derivative it is due to. */
  static final String COMPILES_WITHOUT = "fails only with ";
  private static final double SEED = 0.75;

  enum Kind { OK, WRONG, SKIPPED }

  /**
   * The outcome of one method at one point. {@code category} says what went wrong or why the point was skipped:
   * compile, crash, hang, value, gradient, into (only the reused gradient object is wrong), pullback (only the seeded
   * pullback is wrong), jacobian, interpreter (the oracle disagrees with the compiled original: a bug of this test),
   * non-finite, singular (the generated code meets 0 · ∞ at a point where a function's derivative is infinite),
   * fd-disagrees (central differences do not confirm the oracle: a kink or a tie); for the forward mode tangent-crash,
   * tangent-value (its value is not the primal), tangent (its derivative is not the oracle's directional derivative),
   * tangent-gradient (nor the generated gradient · tangent); for the Hessian hessian-crash, hessian-vector (H·v),
   * hessian (a row of the whole Hessian), hessian-symmetry; opaque-calls (generated code called the program's
   * opaque helpers another number of times than the original: their side effects differ). {@code method} is the
   * method checked, {@code other} the point a reused gradient object was first used at. {@code also} says, for each
   * of TANGENT and HESSIAN the method has, "ok" where it was checked, or why not (a skip category, "unsupported"
   * where the processor rejected it with a documented message and the program was compiled without it).
   */
  record Outcome(Kind kind, String category, String detail, List<Object> point, List<Object> other, String method,
      Map<Derivative, String> also) {
    Outcome {
      also = Map.copyOf(also);
    }

    Outcome(Kind kind, String category, String detail, List<Object> point, List<Object> other, String method) {
      this(kind, category, detail, point, other, method, Map.of());
    }

    Outcome(Kind kind, String category, String detail, List<Object> point, List<Object> other) {
      this(kind, category, detail, point, other, "f");
    }

    static Outcome ok(List<Object> point, List<Object> other) {
      return new Outcome(Kind.OK, "ok", "", point, other);
    }

    boolean wrong() {
      return kind == Kind.WRONG;
    }

    Outcome in(String methodName) {
      return new Outcome(kind, category, detail, point, other, methodName, also);
    }

    /** The same outcome, noting how {@code derivative} fared. */
    Outcome with(Derivative derivative, String status) {
      Map<Derivative, String> more = new EnumMap<>(Derivative.class);
      more.putAll(also);
      more.put(derivative, status);
      return new Outcome(kind, category, detail, point, other, method, more);
    }

    /** Whether {@code derivative} was checked ("ok"). */
    boolean checked(Derivative derivative) {
      return "ok".equals(also.get(derivative));
    }

    /**
     * What was wrong or skipped: gradient (every entry point of reverse mode), tangent or hessian; for a compilation
     * failure, the derivative without which the program compiles, if any.
     */
    String mode() {
      if (category.equals("compile")) {
        return detail.contains(COMPILES_WITHOUT + "TANGENT") ? "tangent"
            : detail.contains(COMPILES_WITHOUT + "HESSIAN") ? "hessian" : "gradient";
      }
      return category.startsWith("tangent") ? "tangent" : category.startsWith("hessian") ? "hessian" : "gradient";
    }
  }

  private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "random-programs-worker");
    t.setDaemon(true);
    return t;
  });

  private Checker() {}

  // ---------------------------------------------------------------- points

  /** A random point for the program's main method: every scalar and array element uniform in [-2, 2]. */
  static List<Object> randomPoint(Program program, SplittableRandom random) {
    List<Object> point = new ArrayList<>();
    for (Param p : program.main().params()) {
      if (p.matrix()) {
        double[][] rows = new double[p.rows()][];
        for (int i = 0; i < p.rows(); i++) {
          rows[i] = random.doubles(p.cols(), -1, 1).map(Checker::round).toArray();
        }
        point.add(Matrix.of(rows));
      } else if (p.array()) {
        point.add(random.doubles(program.arrayLength(), -2, 2).map(Checker::round).toArray());
      } else {
        point.add(round(random.nextDouble(-2, 2)));
      }
    }
    return point;
  }

  /** Points with few digits, so that a report can be pasted into a test. */
  private static double round(double v) {
    double r = Math.round(v * 1e6) / 1e6;
    return r == 0 ? 0.0 : r;
  }

  static double[] flatten(List<Object> point) {
    List<Double> values = new ArrayList<>();
    for (Object a : point) {
      if (a instanceof double[] array) {
        for (double v : array) {
          values.add(v);
        }
      } else if (a instanceof Matrix m) {
        for (double[] row : m.toArray()) {
          for (double v : row) {
            values.add(v);
          }
        }
      } else {
        values.add((Double) a);
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static List<Object> unflatten(Program program, double[] flat) {
    List<Object> point = new ArrayList<>();
    int index = 0;
    for (Param p : program.main().params()) {
      if (p.matrix()) {
        double[][] rows = new double[p.rows()][];
        for (int i = 0; i < p.rows(); i++) {
          rows[i] = Arrays.copyOfRange(flat, index, index + p.cols());
          index += p.cols();
        }
        point.add(Matrix.of(rows));
      } else if (p.array()) {
        point.add(Arrays.copyOfRange(flat, index, index + program.arrayLength()));
        index += program.arrayLength();
      } else {
        point.add(flat[index++]);
      }
    }
    return point;
  }

  static String format(List<Object> point) {
    List<String> parts = new ArrayList<>();
    for (Object a : point) {
      parts.add(a instanceof double[] array
          ? "new double[] " + Arrays.toString(array).replace('[', '{').replace(']', '}')
          : a instanceof Matrix m ? "Matrix.of(new double[][] " + Arrays.deepToString(m.toArray()).replace('[', '{')
              .replace(']', '}') + ")" : a.toString());
    }
    return "(" + String.join(", ", parts) + ")";
  }

  static String componentName(Program program, int flatIndex) {
    int index = flatIndex;
    for (Param p : program.main().params()) {
      if (p.matrix()) {
        if (index < p.rows() * p.cols()) {
          return p.name() + "(" + index / p.cols() + ", " + index % p.cols() + ")";
        }
        index -= p.rows() * p.cols();
      } else if (p.array()) {
        if (index < program.arrayLength()) {
          return p.name() + "[" + index + "]";
        }
        index -= program.arrayLength();
      } else {
        if (index == 0) {
          return p.name();
        }
        index--;
      }
    }
    return "?";
  }

  // ---------------------------------------------------------------- the oracle

  /**
   * The oracle at a point: the values (one for a scalar method), the Jacobian (rows the outputs, columns the parameters
   * flattened in order) and, when asked for, the Hessian of the first output (null otherwise).
   */
  record Expected(double[] values, double[][] jacobian, double[][] hessian, boolean singular, double cancellation,
      double amplification) {
    /**
     * The relative tolerance: {@link #RTOL}, or more where the original itself cancelled by a factor K (a sum of
     * large terms with a small result): derivatives cancel alike, in an order that differs between forward and reverse
     * mode, so they agree only to about K ulps; at most 1e-3 (a wrong derivative is off by far more).
     */
    double rtol() {
      return Math.min(1e-3, Math.max(RTOL, 4 * Math.ulp(1.0) * cancellation));
    }

    /**
     * The absolute floor for a gradient whose largest entry is {@code scale}: the relative tolerance of that entry, or
     * more where a local partial or a factor of size A makes adjoints of size A · scale, whose sums cancel to a few
     * ulps of that in reverse mode but exactly in forward mode (x - x fed into cbrt near 0).
     */
    double floor(double scale) {
      return Math.max(rtol() * (1 + scale), 4 * Math.ulp(1.0) * amplification * (1 + scale));
    }

    boolean finite() {
      return Arrays.stream(values).allMatch(Double::isFinite)
          && Arrays.stream(jacobian).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite);
    }

    boolean hessianFinite() {
      return hessian != null && Arrays.stream(hessian).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite);
    }

    /** {@code seedᵀ J}. */
    double[] combined(double[] seed) {
      double[] result = new double[jacobian[0].length];
      for (int k = 0; k < jacobian.length; k++) {
        for (int j = 0; j < result.length; j++) {
          result[j] += seed[k] * jacobian[k][j];
        }
      }
      return result;
    }
  }

  static Expected oracle(Program program, List<Object> point) {
    return oracle(program, point, 1);
  }

  /** The oracle at a point; with {@code order} 2 also the Hessian (of the first output). */
  static Expected oracle(Program program, List<Object> point, int order) {
    return oracle(program, point, order, 0);
  }

  /**
   * The oracle at a point, from the static state that {@code runsBefore} runs of the method at that point leave: what
   * a row of a Hessian or Jacobian that is made of one run per row sees (docs/DIAGNOSTICS.md, "Calls of unknown
   * purity").
   */
  static Expected oracle(Program program, List<Object> point, int order, int runsBefore) {
    StaticState start = stateAfter(program, point, runsBefore);
    Interpreter.Trace trace = new Interpreter.Trace();
    double[] values = plainRun(program, point, trace, start == null ? null : start.copy());
    int free = flatten(point).length;
    Interpreter.Forward forward = new Interpreter.Forward(program, trace, free, order);
    if (start != null) {
      forward.startingFrom(start.copy());
    }
    int[] next = {0};
    DerivativeStructure[] outputs = forwardRun(forward, point, v -> forward.variable(next[0]++, v));
    if (outputs == null) {
      // Commons Math's special cases for infinities and NaN are not always consistent: no derivative there anyway
      double[][] nan = new double[values.length][free];
      for (double[] row : nan) {
        Arrays.fill(row, Double.NaN);
      }
      double[][] hessian = order < 2 ? null : new double[free][free];
      if (hessian != null) {
        Arrays.stream(hessian).forEach(row -> Arrays.fill(row, Double.NaN));
      }
      return new Expected(values, nan, hessian, true, trace.maxCancellation, trace.maxPartial);
    }
    double[][] jacobian = new double[outputs.length][free];
    for (int k = 0; k < outputs.length; k++) {
      for (int j = 0; j < free; j++) {
        int[] orders = new int[free];
        orders[j] = 1;
        jacobian[k][j] = outputs[k].getPartialDerivative(orders);
      }
    }
    double[][] hessian = null;
    if (order >= 2) {
      hessian = new double[free][free];
      for (int i = 0; i < free; i++) {
        for (int j = 0; j < free; j++) {
          int[] orders = new int[free];
          orders[i]++;
          orders[j]++;
          hessian[i][j] = outputs[0].getPartialDerivative(orders);
        }
      }
    }
    return new Expected(values, jacobian, hessian, trace.singular, trace.maxCancellation, trace.maxPartial);
  }

  /**
   * The oracle's directional derivative of the (first) output along {@code tangent} (the parameters flattened): one
   * forward run with a single free parameter whose derivative each input is seeded with; NaN where there is none.
   */
  static double directional(Program program, List<Object> point, double[] tangent) {
    Interpreter.Trace trace = new Interpreter.Trace();
    plainRun(program, point, trace, null);
    Interpreter.Forward forward = new Interpreter.Forward(program, trace, 1, 1);
    int[] next = {0};
    DerivativeStructure[] outputs = forwardRun(forward, point, v -> forward.seeded(v, tangent[next[0]++]));
    return outputs == null ? Double.NaN : outputs[0].getPartialDerivative(1);
  }

  /** The static state after {@code runs} runs of the program's main method at {@code point}; null without one. */
  private static StaticState stateAfter(Program program, List<Object> point, int runs) {
    if (program.statics() == null) {
      return null;
    }
    StaticState state = new StaticState(program.statics());
    for (int r = 0; r < runs; r++) {
      plainRun(program, point, new Interpreter.Trace(), state);
    }
    return state;
  }

  /**
   * Runs the program on Java doubles from {@code start} (null: the initial static state), recording its decisions in
   * {@code trace}; returns its outputs.
   */
  private static double[] plainRun(Program program, List<Object> point, Interpreter.Trace trace,
      StaticState start) {
    List<Object> plainArgs = new ArrayList<>();
    for (Object a : point) {
      plainArgs.add(a instanceof double[] array ? Arrays.stream(array).boxed().toArray(Double[]::new) : a);
    }
    // a Matrix argument is the runtime's own Matrix in the plain run
    Interpreter<Double> interpreter = new Interpreter.Plain(program, trace);
    if (start != null) {
      interpreter.startingFrom(start);
    }
    Object plain = interpreter.call(program.main(), plainArgs);
    return plain instanceof Double[] array ? Arrays.stream(array).mapToDouble(Double::doubleValue).toArray()
        : new double[] {(Double) plain};
  }

  /**
   * Replays the plain run on DerivativeStructures, each scalar and element of the point made by {@code input} in
   * order; returns the outputs, or null where Commons Math fails at a singular point.
   */
  private static DerivativeStructure[] forwardRun(Interpreter.Forward forward, List<Object> point,
      java.util.function.DoubleFunction<DerivativeStructure> input) {
    List<Object> forwardArgs = new ArrayList<>();
    for (Object a : point) {
      if (a instanceof double[] array) {
        DerivativeStructure[] ds = new DerivativeStructure[array.length];
        for (int i = 0; i < array.length; i++) {
          ds[i] = input.apply(array[i]);
        }
        forwardArgs.add(ds);
      } else if (a instanceof Matrix m) {
        double[][] rows = m.toArray();
        DerivativeStructure[][] ds = new DerivativeStructure[rows.length][rows[0].length];
        for (int i = 0; i < rows.length; i++) {
          for (int j = 0; j < rows[0].length; j++) {
            ds[i][j] = input.apply(rows[i][j]);
          }
        }
        forwardArgs.add(ds);
      } else {
        forwardArgs.add(input.apply((Double) a));
      }
    }
    Object result;
    try {
      result = forward.call(forward.program.main(), forwardArgs);
    } catch (org.apache.commons.math3.exception.MathRuntimeException e) {
      if (!forward.trace.singular) {
        throw e;
      }
      return null;
    }
    return result instanceof DerivativeStructure[] array ? array
        : new DerivativeStructure[] {(DerivativeStructure) result};
  }

  // ---------------------------------------------------------------- the compiled code

  /** The program with one of its methods as the method under test (helpers are checked as well as {@code f}). */
  static Program asMain(Program program, String method) {
    if (program.main().name().equals(method)) {
      return program;
    }
    for (int i = 0; i < program.helpers().size(); i++) {
      if (program.helpers().get(i).name().equals(method)) {
        return program.with(program.helpers().subList(0, i), program.helpers().get(i));
      }
    }
    throw new IllegalArgumentException("no method " + method);
  }

  /** The loaded original and companion methods of one method under test. */
  static final class Loaded {
    final Program program;
    final boolean vector;
    final java.lang.reflect.Method primal;
    final java.lang.reflect.Method gradient;
    final java.lang.reflect.Method into;
    final java.lang.reflect.Method pullback;
    final java.lang.reflect.Method jacobian;
    /** fTangent, fHessianVector and fHessian where the method asks for them ({@link Also#of}), else null. */
    final java.lang.reflect.Method tangent;
    final java.lang.reflect.Method hessianVector;
    final java.lang.reflect.Method hessian;
    final Class<?> gradientClass;
    /** The program class's {@code resetState()} and its count of opaque calls, where it has static state. */
    private final java.lang.reflect.Method resetState;
    private final java.lang.reflect.Field calls;
    /** The first run of generated code that made a different number of opaque calls than the original, or null. */
    String callMismatch;

    Loaded(Program program, ClassLoader loader) throws ReflectiveOperationException {
      this.program = program;
      this.vector = program.main().vector();
      String name = program.main().name();
      Class<?> original = loader.loadClass(Printer.PACKAGE + "." + program.methodsClass());
      Class<?> companion = loader.loadClass(Printer.PACKAGE + "." + program.companion());
      Class<?> outer = loader.loadClass(Printer.PACKAGE + "." + program.className());
      resetState = program.statics() == null ? null : accessible(outer.getDeclaredMethod("resetState"));
      calls = program.statics() == null ? null : outer.getDeclaredField("calls");
      if (calls != null) {
        calls.setAccessible(true);
      }
      Class<?>[] types = program.main().params().stream()
          .map(p -> p.matrix() ? Matrix.class : p.array() ? double[].class : double.class).toArray(Class<?>[]::new);
      primal = accessible(original.getDeclaredMethod(name, types));
      java.lang.reflect.Method found = null;
      for (java.lang.reflect.Method m : companion.getDeclaredMethods()) {
        if (m.getName().equals(name + "Pullback") && m.getParameterCount() == types.length + 2) {
          found = m;
        }
      }
      if (found == null) {
        throw new NoSuchMethodException(name + "Pullback");
      }
      pullback = accessible(found);
      gradientClass = pullback.getParameterTypes()[types.length + 1];
      Class<?>[] intoTypes = Arrays.copyOf(types, types.length + 1);
      intoTypes[types.length] = gradientClass;
      if (vector) {
        gradient = null;
        into = null;
        jacobian = accessible(companion.getDeclaredMethod(name + "Jacobian", types));
      } else {
        gradient = accessible(companion.getDeclaredMethod(name, types));
        into = accessible(companion.getDeclaredMethod(name, intoTypes));
        jacobian = null;
      }
      // the tangents and directions have the parameters' shapes
      Class<?>[] twice = Arrays.copyOf(types, 2 * types.length);
      System.arraycopy(types, 0, twice, types.length, types.length);
      Set<Derivative> also = Also.of(program, program.main());
      tangent = also.contains(Derivative.TANGENT)
          ? accessible(companion.getDeclaredMethod(name + "Tangent", twice)) : null;
      hessianVector = also.contains(Derivative.HESSIAN)
          ? accessible(companion.getDeclaredMethod(name + "HessianVector", twice)) : null;
      hessian = also.contains(Derivative.HESSIAN)
          ? accessible(companion.getDeclaredMethod(name + "Hessian", types)) : null;
    }

    private Loaded(Loaded base, java.lang.reflect.Method tangent, java.lang.reflect.Method hessianVector,
        java.lang.reflect.Method hessian) {
      program = base.program;
      vector = base.vector;
      primal = base.primal;
      gradient = base.gradient;
      into = base.into;
      pullback = base.pullback;
      jacobian = base.jacobian;
      gradientClass = base.gradientClass;
      resetState = base.resetState;
      calls = base.calls;
      this.tangent = accessible(tangent);
      this.hessianVector = accessible(hessianVector);
      this.hessian = accessible(hessian);
    }

    /** The same method with other forward-mode and Hessian code: for tests of the checker itself. */
    Loaded replacing(java.lang.reflect.Method tangent, java.lang.reflect.Method hessianVector,
        java.lang.reflect.Method hessian) {
      return new Loaded(this, tangent, hessianVector, hessian);
    }

    private static java.lang.reflect.Method accessible(java.lang.reflect.Method m) {
      if (m != null) {
        m.setAccessible(true);
      }
      return m;
    }

    /** The compiled original's outputs (one for a scalar method), from the initial static state. */
    double[] primal(List<Object> point) throws Exception {
      resetState();
      Object result = primal.invoke(null, copy(point).toArray());
      return result instanceof double[] array ? array : new double[] {(Double) result};
    }

    private void resetState() throws ReflectiveOperationException {
      if (resetState != null) {
        resetState.invoke(null);
      }
    }

    /**
     * Runs a generated method on {@code point} and {@code extra} arguments from the initial static state, as the oracle
     * and the original run; notes in {@link #callMismatch} if it made another number of opaque calls than the original
     * does at that point.
     */
    Object generated(java.lang.reflect.Method method, List<Object> point, Object... extra) throws Exception {
      return generated(1, method, point, extra);
    }

    /** The same for generated code made of {@code runs} runs of the method (a Hessian or Jacobian, one per row). */
    Object generated(int runs, java.lang.reflect.Method method, List<Object> point, Object... extra)
        throws Exception {
      resetState();
      Object result = method.invoke(null, arguments(point, extra));
      if (calls != null) {
        int ran = calls.getInt(null);
        resetState();
        for (int r = 0; r < runs; r++) {
          primal.invoke(null, copy(point).toArray());
        }
        int original = calls.getInt(null);
        if (ran != original && callMismatch == null) {
          callMismatch = method.getName() + " at " + format(point) + " called the opaque helpers " + ran
              + " times, the original " + original + " times" + (runs > 1 ? " in " + runs + " runs" : "");
        }
      }
      return result;
    }

    /** How many runs of the method before the one that computes row {@code row} of a Hessian or Jacobian. */
    int runsBefore(int row) {
      return calls == null ? 0 : row;
    }

    Object newGradient() throws ReflectiveOperationException {
      var constructor = gradientClass.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    }

    /** The gradient flattened in parameter order, from a gradient object's accessors. */
    double[] read(Object gradientObject) throws ReflectiveOperationException {
      List<Double> values = new ArrayList<>();
      for (Param p : program.main().params()) {
        var accessor = gradientClass.getDeclaredMethod(p.name());
        accessor.setAccessible(true);
        Object partial = accessor.invoke(gradientObject);
        if (p.matrix()) {
          Matrix m = (Matrix) partial;
          if (m == null || m.rows() != p.rows() || m.cols() != p.cols()) {
            throw new IllegalStateException("accessor " + p.name() + "() returned " + m);
          }
          for (double[] row : m.toArray()) {
            for (double v : row) {
              values.add(v);
            }
          }
        } else if (p.array()) {
          double[] array = (double[]) partial;
          if (array == null || array.length != program.arrayLength()) {
            throw new IllegalStateException("accessor " + p.name() + "() returned " + Arrays.toString(array));
          }
          for (double v : array) {
            values.add(v);
          }
        } else {
          values.add((Double) partial);
        }
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    double value(Object gradientObject) throws ReflectiveOperationException {
      var accessor = gradientClass.getDeclaredMethod("value");
      accessor.setAccessible(true);
      return (double) accessor.invoke(gradientObject);
    }

    Object[] arguments(List<Object> point, Object... extra) {
      List<Object> args = copy(point);
      args.addAll(Arrays.asList(extra));
      return args.toArray();
    }
  }

  /** Copies array arguments, so that code that writes into them cannot hide it. */
  private static List<Object> copy(List<Object> point) {
    List<Object> result = new ArrayList<>();
    for (Object a : point) {
      result.add(a instanceof double[] array ? array.clone() : a);
    }
    return result;
  }

  private static <V> V timed(Callable<V> work) throws Exception {
    Future<V> future = WORKER.submit(work);
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvocationTargetException ite) {
        cause = ite.getCause();
      }
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw new RuntimeException(cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    }
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(3, trace.length); i++) {
      text.append(" at ").append(trace[i]);
    }
    return text.toString();
  }

  // ---------------------------------------------------------------- checking

  /**
   * Checks a compiled program: {@code f} and then each helper, each at up to {@code attempts} random points until one
   * is not skipped. The first wrong method decides; otherwise {@code f}'s outcome, noting for TANGENT and HESSIAN
   * whether any method checked them.
   */
  static Outcome checkProgram(Program program, ClassLoader loader, SplittableRandom random, int attempts) {
    Outcome main = checkMethod(program, program.main().name(), loader, random, attempts);
    if (main.wrong()) {
      return main;
    }
    for (Method helper : program.helpers()) {
      if (!helper.annotated()) {
        continue; // differentiated only for its callers, in their companion's private methods
      }
      Outcome outcome = checkMethod(program, helper.name(), loader, random, attempts);
      if (outcome.wrong()) {
        return outcome;
      }
      // a derivative counts as checked if it was in any method
      for (Map.Entry<Derivative, String> e : outcome.also().entrySet()) {
        if (!main.checked(e.getKey())) {
          main = main.with(e.getKey(), e.getValue());
        }
      }
    }
    return main;
  }

  static Outcome checkMethod(Program program, String method, ClassLoader loader, SplittableRandom random,
      int attempts) {
    Program derived = asMain(program, method);
    Loaded loaded;
    try {
      loaded = new Loaded(derived, loader);
    } catch (ReflectiveOperationException e) {
      return new Outcome(Kind.WRONG, "compile", "generated API missing: " + e, List.of(), List.of(), method);
    }
    Outcome outcome = null;
    for (int a = 0; a < attempts; a++) {
      List<Object> point = randomPoint(derived, random);
      List<Object> other = randomPoint(derived, random);
      outcome = check(loaded, point, other).in(method);
      if (outcome.kind() != Kind.SKIPPED) {
        return outcome;
      }
    }
    return outcome;
  }

  /** Checks the loaded method at {@code point}; {@code other} is where a reused gradient object is first used. */
  static Outcome check(Loaded loaded, List<Object> point, List<Object> other) {
    Program program = loaded.program;
    Expected expected;
    try {
      expected = oracle(program, point, loaded.hessian != null ? 2 : 1);
    } catch (RuntimeException e) {
      return new Outcome(Kind.WRONG, "interpreter", "the oracle failed: " + describe(e), point, other);
    }
    if (!expected.finite()) {
      return new Outcome(Kind.SKIPPED, "non-finite", "", point, other);
    }
    double[] primal;
    try {
      primal = timed(() -> loaded.primal(point));
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "interpreter", "the original method failed: " + describe(e), point, other);
    }
    if (!Arrays.equals(primal, expected.values())) {
      return new Outcome(Kind.WRONG, "interpreter", "the interpreter computes " + Arrays.toString(expected.values())
          + " where the compiled original computes " + Arrays.toString(primal), point, other);
    }
    loaded.callMismatch = null;
    Outcome outcome;
    if (loaded.vector) {
      outcome = checkVector(loaded, expected, point, other);
    } else {
      outcome = checkScalar(loaded, expected, point, other);
      if (outcome.kind() == Kind.OK && loaded.tangent != null) {
        outcome = checkTangent(loaded, expected, point, other, outcome);
      }
      if (outcome.kind() == Kind.OK && loaded.hessian != null) {
        outcome = checkHessian(loaded, expected, point, other, outcome);
      }
    }
    // the derivatives may still have come out right: a count that differs is wrong anyway
    if (!outcome.wrong() && loaded.callMismatch != null) {
      return new Outcome(Kind.WRONG, "opaque-calls", loaded.callMismatch, point, other);
    }
    return outcome;
  }

  /**
   * A random direction for the tangent ({@code salt} 1) or the Hessian-vector product (2) at this point, entries in
   * [-1, 1] with few digits, flattened: a function of the point, so that a failure is reproduced at the same point.
   */
  static double[] direction(List<Object> point, int salt) {
    double[] x = flatten(point);
    SplittableRandom random = new SplittableRandom(31L * Arrays.hashCode(x) + salt);
    return random.doubles(x.length, -1, 1).map(Checker::round).toArray();
  }

  /** Thrown by {@link #run} with the outcome of a generated method that threw or hung. */
  private static final class Failed extends Exception {
    final Outcome outcome;

    Failed(Outcome outcome) {
      super(null, null, false, false);
      this.outcome = outcome;
    }
  }

  /** Runs generated code; if it throws or hangs, a wrong outcome of {@code category} about {@code what}. */
  private static <V> V run(Callable<V> work, String category, String what, List<Object> point, List<Object> other)
      throws Failed {
    try {
      return timed(work);
    } catch (TimeoutException e) {
      throw new Failed(new Outcome(Kind.WRONG, category, what + " did not return within 20 s", point, other));
    } catch (Exception e) {
      throw new Failed(new Outcome(Kind.WRONG, category, what + " threw " + describe(e), point, other));
    }
  }

  /**
   * Forward mode, after the gradient passed: {@code fTangent(args, t)} for a random tangent t. Its value must be the
   * primal's (to 1e-12), its derivative the oracle's directional derivative (an independent forward run with t as
   * the seed) and the generated gradient · t, to the gradient's tolerance carried through the dot product: relative
   * {@link Expected#rtol}, absolute the gradient's floor times Σ|tⱼ|. Returns {@code ok} noting how TANGENT fared.
   */
  private static Outcome checkTangent(Loaded loaded, Expected expected, List<Object> point, List<Object> other,
      Outcome ok) {
    Program program = loaded.program;
    double[] t = direction(point, 1);
    List<Object> tangents = unflatten(program, t);
    String call = program.main().name() + "Tangent(args, " + format(tangents).substring(1) + ": ";
    double wanted;
    try {
      wanted = directional(program, point, t);
    } catch (RuntimeException e) {
      return new Outcome(Kind.WRONG, "interpreter", "the directional oracle failed: " + describe(e), point, other);
    }
    if (!Double.isFinite(wanted)) {
      return ok.with(Derivative.TANGENT, "non-finite");
    }
    Dual dual;
    double[] gradient;
    try {
      dual = run(() -> (Dual) loaded.generated(loaded.tangent, point, copy(tangents).toArray()),
          "tangent-crash", call.substring(0, call.length() - 2), point, other);
      gradient = run(() -> loaded.read(loaded.generated(loaded.gradient, point)), "crash",
          "the gradient", point, other);
    } catch (Failed f) {
      return f.outcome;
    }
    double primal = expected.values()[0];
    if (!(dual.value() == primal || close(dual.value(), primal, 1e-12, 0))) {
      return new Outcome(Kind.WRONG, "tangent-value", call + "value() = " + dual.value() + ", expected " + primal,
          point, other);
    }
    double[] oracleGradient = expected.jacobian()[0];
    double spread = Arrays.stream(t).map(Math::abs).sum();
    double floor = expected.floor(maxAbs(oracleGradient)) * Math.max(spread, Double.MIN_NORMAL);
    Supplier<double[]> numeric = () -> differences(x -> {
      try {
        return loaded.primal(unflatten(program, x));
      } catch (Exception e) {
        return new double[] {Double.NaN};
      }
    }, flatten(point), t);
    Outcome outcome = compare(expected, new double[] {wanted}, new double[] {dual.derivative()}, floor, numeric,
        j -> "derivative() (the oracle's directional derivative)", point, other, "tangent", call);
    if (outcome.kind() != Kind.OK) {
      return outcome.wrong() ? outcome : ok.with(Derivative.TANGENT, outcome.category());
    }
    // the generated gradient passed at this tolerance, the tangent too: together they agree to twice it
    double dot = 0;
    for (int j = 0; j < t.length; j++) {
      dot += gradient[j] * t[j];
    }
    if (!close(dual.derivative(), dot, 2 * expected.rtol(), 2 * floor)) {
      return new Outcome(Kind.WRONG, "tangent-gradient", call + "derivative() = " + dual.derivative()
          + ", the generated gradient · tangent = " + dot + " (the oracle's directional derivative " + wanted + ")",
          point, other);
    }
    return ok.with(Derivative.TANGENT, "ok");
  }

  /**
   * The Hessian, after the gradient passed: {@code fHessianVector(args, v)} for a random v against the oracle's H·v
   * (second-order forward mode), then each row of {@code fHessian(args)} against the oracle's H·eᵢ, and its
   * symmetry, with the gradient's tolerance policy (the floor from the largest |(H·v)ᵢ| terms, or the largest
   * |Hᵢⱼ|). Central differences of the oracle's gradient are the second opinion. Returns {@code ok} noting how
   * HESSIAN fared.
   */
  private static Outcome checkHessian(Loaded loaded, Expected expected, List<Object> point, List<Object> other,
      Outcome ok) {
    if (!expected.hessianFinite()) {
      return ok.with(Derivative.HESSIAN, "non-finite");
    }
    Program program = loaded.program;
    String name = program.main().name();
    double[][] h = expected.hessian().clone();
    int n = h.length;
    // each row of fHessian is a run of its own, from the state the runs before it left
    for (int i = 1; i < n && loaded.runsBefore(i) > 0; i++) {
      try {
        h[i] = oracle(program, point, 2, loaded.runsBefore(i)).hessian()[i];
      } catch (RuntimeException e) {
        return new Outcome(Kind.WRONG, "interpreter", "the oracle failed: " + describe(e), point, other);
      }
    }
    double[] v = direction(point, 2);
    List<Object> directions = unflatten(program, v);
    String call = name + "HessianVector(args, " + format(directions).substring(1) + ": ";
    double[] hv;
    double[][] whole;
    try {
      hv = run(() -> (double[]) loaded.generated(loaded.hessianVector, point, copy(directions).toArray()),
          "hessian-crash", call.substring(0, call.length() - 2), point, other);
      whole = run(() -> (double[][]) loaded.generated(n, loaded.hessian, point), "hessian-crash",
          name + "Hessian(args)", point, other);
    } catch (Failed f) {
      return f.outcome;
    }
    if (hv == null || hv.length != n || whole == null || whole.length != n
        || Arrays.stream(whole).anyMatch(row -> row == null || row.length != n)) {
      return new Outcome(Kind.WRONG, "hessian-crash", "expected " + n + " entries and " + n + " × " + n + ": "
          + call + Arrays.toString(hv) + ", " + name + "Hessian(args): " + Arrays.deepToString(whole), point, other);
    }
    // central differences of the oracle's gradient along a direction: a column of H (after runs before it)
    java.util.function.IntFunction<Function<double[], double[]>> oracleGradientAfter = runs -> x -> {
      try {
        return oracle(program, unflatten(program, x), 1, runs).jacobian()[0];
      } catch (RuntimeException e) {
        double[] nan = new double[n];
        Arrays.fill(nan, Double.NaN);
        return nan;
      }
    };
    double[] x = flatten(point);
    String status = "ok";
    double[] wanted = new double[n];
    double spread = 0;
    for (int i = 0; i < n; i++) {
      double terms = 0;
      for (int j = 0; j < n; j++) {
        wanted[i] += h[i][j] * v[j];
        terms += Math.abs(h[i][j] * v[j]);
      }
      spread = Math.max(spread, terms);
    }
    Outcome outcome = compare(expected, wanted, hv, expected.floor(spread),
        () -> differences(oracleGradientAfter.apply(0), x, v),
        j -> "(H·v)[" + componentName(program, j) + "]", point, other, "hessian-vector", call);
    if (outcome.wrong()) {
      return outcome;
    } else if (outcome.kind() == Kind.SKIPPED) {
      status = outcome.category();
    }
    double floor = expected.floor(Arrays.stream(h).mapToDouble(Checker::maxAbs).max().orElse(0));
    for (int i = 0; i < n; i++) {
      int row = i;
      String rowName = componentName(program, i);
      outcome = compare(expected, h[i], whole[i], floor,
          () -> differences(oracleGradientAfter.apply(loaded.runsBefore(row)), x, unit(n, row)),
          j -> "H[" + rowName + ", " + componentName(program, j) + "]", point, other, "hessian",
          name + "Hessian(args): ");
      if (outcome.wrong()) {
        return outcome;
      } else if (outcome.kind() == Kind.SKIPPED && status.equals("ok")) {
        status = outcome.category();
      }
    }
    // rows computed from different static states need not be symmetric
    for (int i = 0; i < n && loaded.runsBefore(1) == 0; i++) {
      for (int j = 0; j < i; j++) {
        if (!close(whole[i][j], whole[j][i], expected.rtol(), floor)
            && !(expected.singular() && !(Double.isFinite(whole[i][j]) && Double.isFinite(whole[j][i])))) {
          return new Outcome(Kind.WRONG, "hessian-symmetry", name + "Hessian(args): H[" + componentName(program, i)
              + ", " + componentName(program, j) + "] = " + whole[i][j] + " but H[" + componentName(program, j)
              + ", " + componentName(program, i) + "] = " + whole[j][i], point, other);
        }
      }
    }
    return ok.with(Derivative.HESSIAN, status);
  }

  private static Outcome checkScalar(Loaded loaded, Expected expected, List<Object> point, List<Object> other) {
    double value = expected.values()[0];
    double[] gradient = expected.jacobian()[0];
    // f(args)
    double[][] actual;
    try {
      actual = timed(() -> {
        Object g = loaded.generated(loaded.gradient, point);
        return new double[][] {{loaded.value(g)}, loaded.read(g)};
      });
    } catch (TimeoutException e) {
      return new Outcome(Kind.WRONG, "hang", "the gradient did not return within 20 s", point, other);
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "crash", "the gradient threw " + describe(e), point, other);
    }
    if (!close(actual[0][0], value, ATOL * (1 + Math.abs(value)))) {
      return new Outcome(Kind.WRONG, "value", "value() = " + actual[0][0] + ", expected " + value, point, other);
    }
    Outcome outcome = compare(loaded, expected, new double[] {1}, gradient, actual[1], point, other, "gradient", "");
    if (outcome.kind() != Kind.OK) {
      return outcome;
    }
    // f(args, into) on an object first used at another point: a stale tape or adjoint would show
    try {
      actual = timed(() -> {
        Object g = loaded.generated(loaded.gradient, other);
        double returned = (double) loaded.generated(loaded.into, point, g);
        return new double[][] {{returned, loaded.value(g)}, loaded.read(g)};
      });
    } catch (TimeoutException e) {
      return new Outcome(Kind.WRONG, "hang", "the into form did not return within 20 s", point, other);
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "into", "the into form after a call at " + format(other) + " threw "
          + describe(e), point, other);
    }
    String into = "f(args, into) on an object first used at " + format(other) + ": ";
    if (!close(actual[0][0], value, ATOL * (1 + Math.abs(value))) || actual[0][0] != actual[0][1]) {
      return new Outcome(Kind.WRONG, "into", into + "returned " + actual[0][0] + ", value() " + actual[0][1]
          + ", expected " + value, point, other);
    }
    outcome = compare(loaded, expected, new double[] {1}, gradient, actual[1], point, other, "into", into);
    if (outcome.kind() != Kind.OK) {
      return outcome;
    }
    // fPullback(args, seed, into)
    double[] seeded = gradient.clone();
    for (int j = 0; j < seeded.length; j++) {
      seeded[j] *= SEED;
    }
    try {
      actual = timed(() -> {
        Object g = loaded.newGradient();
        double returned = (double) loaded.generated(loaded.pullback, point, SEED, g);
        return new double[][] {{returned}, loaded.read(g)};
      });
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "pullback", "the pullback threw " + describe(e), point, other);
    }
    if (!close(actual[0][0], value, ATOL * (1 + Math.abs(value)))) {
      return new Outcome(Kind.WRONG, "pullback", "fPullback returned " + actual[0][0] + ", expected " + value, point,
          other);
    }
    return compare(loaded, expected, new double[] {SEED}, seeded, actual[1], point, other, "pullback",
        "fPullback(args, " + SEED + ", into): ");
  }

  private static Outcome checkVector(Loaded loaded, Expected expected, List<Object> point, List<Object> other) {
    int outputs = expected.values().length;
    double[][] jacobian;
    try {
      jacobian = timed(() -> (double[][]) loaded.generated(outputs, loaded.jacobian, point));
    } catch (TimeoutException e) {
      return new Outcome(Kind.WRONG, "hang", "the Jacobian did not return within 20 s", point, other);
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "crash", "the Jacobian threw " + describe(e), point, other);
    }
    if (jacobian.length != outputs) {
      return new Outcome(Kind.WRONG, "jacobian", "the Jacobian has " + jacobian.length + " rows, expected " + outputs,
          point, other);
    }
    for (int k = 0; k < outputs; k++) {
      double[] seed = new double[outputs];
      seed[k] = 1;
      // each row is a run of its own, from the state the runs before it left
      Expected expectedRow;
      try {
        expectedRow = loaded.runsBefore(k) == 0 ? expected : oracle(loaded.program, point, 1, loaded.runsBefore(k));
      } catch (RuntimeException e) {
        return new Outcome(Kind.WRONG, "interpreter", "the oracle failed: " + describe(e), point, other);
      }
      Outcome row = compare(loaded, expectedRow, seed, expectedRow.jacobian()[k], jacobian[k], point, other,
          "jacobian", "Jacobian row " + k + ": ");
      if (row.kind() != Kind.OK) {
        return row;
      }
    }
    double[] seed = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      seed[k] = SEED - k;
    }
    double[][] actual;
    try {
      actual = timed(() -> {
        Object g = loaded.newGradient();
        loaded.generated(loaded.pullback, other, seed.clone(), g);
        double[] returned = (double[]) loaded.generated(loaded.pullback, point, seed.clone(), g);
        return new double[][] {returned, loaded.read(g)};
      });
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "pullback", "the pullback threw " + describe(e), point, other);
    }
    if (!Arrays.equals(actual[0], expected.values())) {
      for (int k = 0; k < outputs; k++) {
        if (!close(actual[0][k], expected.values()[k], ATOL * (1 + Math.abs(expected.values()[k])))) {
          return new Outcome(Kind.WRONG, "pullback", "hPullback returned " + Arrays.toString(actual[0])
              + ", expected " + Arrays.toString(expected.values()), point, other);
        }
      }
    }
    return compare(loaded, expected, seed, expected.combined(seed), actual[1], point, other, "pullback",
        "hPullback(args, " + Arrays.toString(seed) + ", into) on an object first used at " + format(other) + ": ");
  }

  static boolean close(double actual, double expected, double floor) {
    return close(actual, expected, RTOL, floor);
  }

  static boolean close(double actual, double expected, double rtol, double floor) {
    if (Double.isNaN(actual)) {
      return false;
    }
    return Math.abs(actual - expected) <= rtol * Math.max(Math.abs(actual), Math.abs(expected)) + floor;
  }

  /**
   * Compares a generated gradient of {@code seedᵀ f} with the oracle's; where they disagree, asks central differences
   * of the compiled original: wrong only if they confirm the oracle, skipped otherwise.
   */
  private static Outcome compare(Loaded loaded, Expected expected, double[] seed, double[] wanted, double[] actual,
      List<Object> point, List<Object> other, String category, String prefix) {
    return compare(expected, wanted, actual, expected.floor(maxAbs(wanted)),
        () -> finiteDifferences(loaded, point, seed), j -> componentName(loaded.program, j), point, other, category,
        prefix);
  }

  /**
   * Compares generated derivatives with the oracle's {@code wanted}, entry by entry, with the oracle's relative
   * tolerance and this absolute {@code floor}. Where they disagree: skipped at a singular point if the generated ones
   * are not finite there; otherwise {@code numeric} (central differences, computed only then) is asked, and the result
   * is wrong only if it confirms the oracle, skipped otherwise (a kink or a tie). {@code names} names the entries.
   */
  private static Outcome compare(Expected expected, double[] wanted, double[] actual, double floor,
      Supplier<double[]> numeric, IntFunction<String> names, List<Object> point, List<Object> other, String category,
      String prefix) {
    double rtol = expected.rtol();
    List<Integer> bad = new ArrayList<>();
    for (int j = 0; j < wanted.length; j++) {
      if (!close(actual[j], wanted[j], rtol, floor)) {
        bad.add(j);
      }
    }
    if (bad.isEmpty()) {
      return Outcome.ok(point, other);
    }
    StringBuilder detail = new StringBuilder(prefix);
    if (expected.singular() && bad.stream().allMatch(j -> !Double.isFinite(actual[j]))) {
      for (int j : bad) {
        detail.append(names.apply(j)).append(": generated ").append(actual[j])
            .append(", expected ").append(wanted[j]).append('\n');
      }
      return new Outcome(Kind.SKIPPED, "singular", detail.toString(), point, other);
    }
    double[] fd = numeric.get();
    boolean oracleConfirmed = true;
    for (int j : bad) {
      double o = wanted[j];
      double g = actual[j];
      double fdTolerance = 1e-6 * (1 + Math.abs(o));
      // NaN from the generated code is far from anything
      boolean agrees = Math.abs(fd[j] - o) <= fdTolerance && !(Math.abs(fd[j] - g) <= Math.abs(fd[j] - o));
      oracleConfirmed &= agrees;
      detail.append(names.apply(j)).append(": generated ").append(g).append(", expected ")
          .append(o).append(" (central differences ").append(fd[j]).append(")\n");
    }
    if (!oracleConfirmed) {
      return new Outcome(Kind.SKIPPED, "fd-disagrees", detail.toString(), point, other);
    }
    return new Outcome(Kind.WRONG, category, detail.toString(), point, other);
  }

  static double maxAbs(double[] values) {
    return Arrays.stream(values).map(Math::abs).max().orElse(0);
  }

  /** Richardson-extrapolated central differences of {@code seedᵀ f} for the compiled original. */
  static double[] finiteDifferences(Loaded loaded, List<Object> point, double[] seed) {
    double[] x = flatten(point);
    Function<double[], double[]> f = moved -> {
      try {
        double[] outputs = loaded.primal(unflatten(loaded.program, moved));
        double sum = 0;
        for (int k = 0; k < outputs.length; k++) {
          sum += seed[k] * outputs[k];
        }
        return new double[] {sum};
      } catch (Exception e) {
        return new double[] {Double.NaN};
      }
    };
    double[] result = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      result[j] = differences(f, x, unit(x.length, j))[0];
    }
    return result;
  }

  /**
   * Richardson-extrapolated central differences of {@code g} at {@code x} along {@code v}: steps of {@code 1e-4 ·
   * max(1, |x|)} in the components {@code v} moves (for a unit vector: in that coordinate).
   */
  static double[] differences(Function<double[], double[]> g, double[] x, double[] v) {
    double size = 0;
    double reach = 1;
    for (int j = 0; j < x.length; j++) {
      if (v[j] != 0) {
        size = Math.max(size, Math.abs(v[j]));
        reach = Math.max(reach, Math.abs(x[j]));
      }
    }
    if (size == 0) {
      return new double[g.apply(x).length];
    }
    double h = 1e-4 * reach / size;
    double[] plus = g.apply(along(x, v, h));
    double[] minus = g.apply(along(x, v, -h));
    double[] halfPlus = g.apply(along(x, v, h / 2));
    double[] halfMinus = g.apply(along(x, v, -h / 2));
    double[] result = new double[plus.length];
    for (int k = 0; k < result.length; k++) {
      double d1 = (plus[k] - minus[k]) / (2 * h);
      double d2 = (halfPlus[k] - halfMinus[k]) / h;
      result[k] = (4 * d2 - d1) / 3;
    }
    return result;
  }

  private static double[] along(double[] x, double[] v, double step) {
    double[] moved = x.clone();
    for (int j = 0; j < x.length; j++) {
      moved[j] += step * v[j];
    }
    return moved;
  }

  static double[] unit(int length, int index) {
    double[] e = new double[length];
    e[index] = 1;
    return e;
  }
}
