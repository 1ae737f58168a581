package dev.adjoint.processor.random;

import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Param;
import dev.adjoint.processor.random.Ast.Program;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * Evaluates one compiled program's generated gradient at a point and compares value and gradient with the oracle:
 * the plain interpreter for the value (Java semantics), the forward-mode {@link DerivativeStructure} interpreter for
 * the gradient. Central differences of the compiled method are only a second opinion when the two disagree.
 */
final class Checker {
  /** Relative tolerance of value and gradient, and the absolute floor (relative to the gradient's largest entry). */
  static final double RTOL = 1e-9;
  static final double ATOL = 1e-9;

  enum Kind { OK, WRONG, SKIPPED }

  /**
   * The outcome of one program at one point. {@code category} says what went wrong or why the point was skipped:
   * compile, crash, hang, value, gradient, into (only the reused-object form is wrong), interpreter (the oracle
   * disagrees with the compiled original: a bug of this test), non-finite, fd-disagrees.
   */
  record Outcome(Kind kind, String category, String detail, List<Object> point, List<Object> other) {
    static Outcome ok(List<Object> point, List<Object> other) {
      return new Outcome(Kind.OK, "ok", "", point, other);
    }

    boolean wrong() {
      return kind == Kind.WRONG;
    }
  }

  private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "random-programs-worker");
    t.setDaemon(true);
    return t;
  });

  private Checker() {}

  /** A random point for the program's main method: every scalar and array element uniform in [-2, 2]. */
  static List<Object> randomPoint(Program program, SplittableRandom random) {
    List<Object> point = new ArrayList<>();
    for (Param p : program.main().params()) {
      if (p.array()) {
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

  /** The oracle at a point: value (plain run), gradient (forward run), flattened in parameter order. */
  record Expected(double value, double[] gradient, double minMargin, double maxMagnitude) {
    boolean finite() {
      return Double.isFinite(value) && Arrays.stream(gradient).allMatch(Double::isFinite);
    }
  }

  static Expected oracle(Program program, List<Object> point) {
    Method main = program.main();
    Interpreter.Trace trace = new Interpreter.Trace();
    List<Object> plainArgs = new ArrayList<>();
    for (Object a : point) {
      plainArgs.add(a instanceof double[] array ? Arrays.stream(array).boxed().toArray(Double[]::new) : a);
    }
    double value = (Double) new Interpreter.Plain(program, trace).call(main, plainArgs);
    int free = 0;
    for (Object a : point) {
      free += a instanceof double[] array ? array.length : 1;
    }
    Interpreter.Forward forward = new Interpreter.Forward(program, trace, free);
    List<Object> forwardArgs = new ArrayList<>();
    int index = 0;
    for (Object a : point) {
      if (a instanceof double[] array) {
        DerivativeStructure[] ds = new DerivativeStructure[array.length];
        for (int i = 0; i < array.length; i++) {
          ds[i] = forward.variable(index++, array[i]);
        }
        forwardArgs.add(ds);
      } else {
        forwardArgs.add(forward.variable(index++, (Double) a));
      }
    }
    DerivativeStructure result = (DerivativeStructure) forward.call(main, forwardArgs);
    double[] gradient = new double[free];
    for (int j = 0; j < free; j++) {
      int[] orders = new int[free];
      orders[j] = 1;
      gradient[j] = result.getPartialDerivative(orders);
    }
    return new Expected(value, gradient, trace.minMargin, trace.maxMagnitude);
  }

  /** The loaded classes of one compiled program. */
  static final class Loaded {
    final Program program;
    final java.lang.reflect.Method primal;
    final java.lang.reflect.Method gradient;
    final java.lang.reflect.Method into;
    final Class<?> gradientClass;

    Loaded(Program program, ClassLoader loader) throws ReflectiveOperationException {
      this.program = program;
      Class<?> original = loader.loadClass(Printer.PACKAGE + "." + program.className());
      Class<?> companion = loader.loadClass(Printer.PACKAGE + "." + program.className() + "Grad");
      Class<?>[] types = program.main().params().stream().map(p -> p.array() ? double[].class : double.class)
          .toArray(Class<?>[]::new);
      primal = original.getDeclaredMethod(program.main().name(), types);
      primal.setAccessible(true);
      gradient = companion.getDeclaredMethod(program.main().name(), types);
      gradient.setAccessible(true);
      gradientClass = gradient.getReturnType();
      Class<?>[] intoTypes = Arrays.copyOf(types, types.length + 1);
      intoTypes[types.length] = gradientClass;
      into = companion.getDeclaredMethod(program.main().name(), intoTypes);
      into.setAccessible(true);
    }

    double primal(List<Object> point) throws Exception {
      return (double) primal.invoke(null, copy(point).toArray());
    }

    Object gradient(List<Object> point) throws Exception {
      return gradient.invoke(null, copy(point).toArray());
    }

    double into(List<Object> point, Object gradientObject) throws Exception {
      List<Object> args = copy(point);
      args.add(gradientObject);
      return (double) into.invoke(null, args.toArray());
    }

    /** Value then the gradient flattened in parameter order. */
    double[] read(Object gradientObject) throws ReflectiveOperationException {
      List<Double> values = new ArrayList<>();
      values.add((double) gradientClass.getMethod("value").invoke(gradientObject));
      for (Param p : program.main().params()) {
        Object partial = gradientClass.getMethod(p.name()).invoke(gradientObject);
        if (p.array()) {
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
  }

  /** Copies array arguments, so that code that writes into them cannot hide it. */
  private static List<Object> copy(List<Object> point) {
    List<Object> result = new ArrayList<>();
    for (Object a : point) {
      result.add(a instanceof double[] array ? array.clone() : a);
    }
    return result;
  }

  private static <V> V timed(java.util.concurrent.Callable<V> work) throws Exception {
    Future<V> future = WORKER.submit(work);
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
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

  /** Checks a compiled program at up to {@code attempts} random points, stopping at the first point not skipped. */
  static Outcome check(Loaded loaded, SplittableRandom random, int attempts) {
    Outcome outcome = null;
    for (int a = 0; a < attempts; a++) {
      List<Object> point = randomPoint(loaded.program, random);
      List<Object> other = randomPoint(loaded.program, random);
      outcome = check(loaded, point, other);
      if (outcome.kind() != Kind.SKIPPED) {
        return outcome;
      }
    }
    return outcome;
  }

  /**
   * Checks at {@code point}: the convenience form, and the into form on a gradient object first used at {@code
   * other} (a stale tape or adjoint would show).
   */
  static Outcome check(Loaded loaded, List<Object> point, List<Object> other) {
    Program program = loaded.program;
    Expected expected;
    try {
      expected = oracle(program, point);
    } catch (RuntimeException e) {
      return new Outcome(Kind.WRONG, "interpreter", "the oracle failed: " + e, point, other);
    }
    if (!expected.finite()) {
      return new Outcome(Kind.SKIPPED, "non-finite", "", point, other);
    }
    double primal;
    try {
      primal = timed(() -> loaded.primal(point));
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "interpreter", "the original method failed: " + e, point, other);
    }
    if (Double.doubleToLongBits(primal) != Double.doubleToLongBits(expected.value())) {
      return new Outcome(Kind.WRONG, "interpreter",
          "the interpreter computes " + expected.value() + " where the compiled original computes " + primal, point,
          other);
    }
    double[] actual;
    try {
      actual = timed(() -> loaded.read(loaded.gradient(point)));
    } catch (TimeoutException e) {
      return new Outcome(Kind.WRONG, "hang", "the gradient did not return within 20 s", point, other);
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "crash", "the gradient threw " + describe(e), point, other);
    }
    Outcome convenience = compare(loaded, expected, actual, point, other, "");
    if (convenience.kind() != Kind.OK) {
      return convenience;
    }
    double[] reused;
    try {
      reused = timed(() -> {
        Object g = loaded.gradient(other);
        double returned = loaded.into(point, g);
        double[] read = loaded.read(g);
        if (Double.doubleToLongBits(returned) != Double.doubleToLongBits(read[0])) {
          throw new IllegalStateException("the into form returned " + returned + " but value() is " + read[0]);
        }
        return read;
      });
    } catch (TimeoutException e) {
      return new Outcome(Kind.WRONG, "hang", "the into form did not return within 20 s", point, other);
    } catch (Exception e) {
      return new Outcome(Kind.WRONG, "into", "the into form after a call at " + format(other) + " threw "
          + describe(e), point, other);
    }
    Outcome into = compare(loaded, expected, reused, point, other, "into form on an object first used at " + format(other)
        + ": ");
    if (into.wrong()) {
      return new Outcome(Kind.WRONG, "into", into.detail(), point, other);
    }
    return into;
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(3, trace.length); i++) {
      text.append(" at ").append(trace[i]);
    }
    return text.toString();
  }

  static boolean close(double actual, double expected, double floor) {
    if (Double.isNaN(actual)) {
      return false;
    }
    return Math.abs(actual - expected) <= RTOL * Math.max(Math.abs(actual), Math.abs(expected)) + floor;
  }

  private static Outcome compare(Loaded loaded, Expected expected, double[] actual, List<Object> point,
      List<Object> other, String prefix) {
    double floor = ATOL * (1 + Arrays.stream(expected.gradient()).map(Math::abs).max().orElse(0));
    if (!close(actual[0], expected.value(), ATOL * (1 + Math.abs(expected.value())))) {
      return new Outcome(Kind.WRONG, "value", prefix + "value() = " + actual[0] + ", expected " + expected.value(),
          point, other);
    }
    List<Integer> bad = new ArrayList<>();
    for (int j = 0; j < expected.gradient().length; j++) {
      if (!close(actual[j + 1], expected.gradient()[j], floor)) {
        bad.add(j);
      }
    }
    if (bad.isEmpty()) {
      return Outcome.ok(point, other);
    }
    // second opinion: central differences of the compiled original
    double[] numeric = finiteDifferences(loaded, point);
    StringBuilder detail = new StringBuilder(prefix);
    boolean oracleConfirmed = true;
    for (int j : bad) {
      double o = expected.gradient()[j];
      double g = actual[j + 1];
      double fd = numeric[j];
      double fdTolerance = 1e-6 * (1 + Math.abs(o));
      boolean agrees = Math.abs(fd - o) <= fdTolerance && Math.abs(fd - o) < Math.abs(fd - g);
      oracleConfirmed &= agrees;
      detail.append(componentName(loaded.program, j)).append(": generated ").append(g).append(", expected ")
          .append(o).append(" (central differences ").append(fd).append(")\n");
    }
    if (!oracleConfirmed) {
      return new Outcome(Kind.SKIPPED, "fd-disagrees", detail.toString(), point, other);
    }
    return new Outcome(Kind.WRONG, "gradient", detail.toString(), point, other);
  }

  static String componentName(Program program, int flatIndex) {
    int index = flatIndex;
    for (Param p : program.main().params()) {
      if (p.array()) {
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

  /** Richardson-extrapolated central differences of the compiled original, flattened in parameter order. */
  static double[] finiteDifferences(Loaded loaded, List<Object> point) {
    double[] x = flatten(point);
    double[] result = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      final int component = j;
      java.util.function.DoubleUnaryOperator f = t -> {
        double[] moved = x.clone();
        moved[component] = t;
        try {
          return loaded.primal(unflatten(loaded.program, moved));
        } catch (Exception e) {
          return Double.NaN;
        }
      };
      double h = 1e-4 * Math.max(1, Math.abs(x[j]));
      double d1 = (f.applyAsDouble(x[j] + h) - f.applyAsDouble(x[j] - h)) / (2 * h);
      double d2 = (f.applyAsDouble(x[j] + h / 2) - f.applyAsDouble(x[j] - h / 2)) / h;
      result[j] = (4 * d2 - d1) / 3;
    }
    return result;
  }

  static double[] flatten(List<Object> point) {
    List<Double> values = new ArrayList<>();
    for (Object a : point) {
      if (a instanceof double[] array) {
        for (double v : array) {
          values.add(v);
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
      if (p.array()) {
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
      parts.add(a instanceof double[] array ? "new double[] " + Arrays.toString(array).replace('[', '{').replace(']', '}')
          : a.toString());
    }
    return "(" + String.join(", ", parts) + ")";
  }
}
