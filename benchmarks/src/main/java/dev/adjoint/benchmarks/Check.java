package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.Matrix;
import java.util.function.ToDoubleFunction;

/**
 * Comparisons for the variant checks: every variant must give the same value and gradient as the
 * hand-written reference before it is timed. A mismatch throws {@link IllegalStateException}
 * naming the workload, the variant and the first differing component.
 */
final class Check {
  /** Analytic variants (generated, hand-written, DerivativeStructure) agree to rounding. */
  static final double EXACT_RTOL = 1e-9;
  static final double EXACT_ATOL = 1e-12;
  /** Finite differences against analytic gradients: PyTorch gradcheck's double tolerances. */
  static final double FD_RTOL = 1e-3;
  static final double FD_ATOL = 1e-5;

  private Check() {}

  static void close(String what, double expected, double actual, double rtol, double atol) {
    if (!(Math.abs(expected - actual) <= atol + rtol * Math.abs(expected))) {
      throw new IllegalStateException(
          what + ": expected " + expected + " (hand-written) but got " + actual);
    }
  }

  static void value(String what, double expected, double actual) {
    close(what + " value", expected, actual, EXACT_RTOL, EXACT_ATOL);
  }

  static void close(String what, double[] expected, double[] actual, double rtol, double atol) {
    if (actual == null || expected.length != actual.length) {
      throw new IllegalStateException(what + ": shape differs from the hand-written gradient");
    }
    // Absolute tolerance relative to the gradient's scale, so that tiny components of a large
    // gradient do not fail on rounding.
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      close(what + "[" + i + "]", expected[i], actual[i], rtol, atol * Math.max(1, scale));
    }
  }

  static void close(String what, double[][] expected, double[][] actual, double rtol, double atol) {
    if (actual == null || expected.length != actual.length) {
      throw new IllegalStateException(what + ": shape differs from the hand-written gradient");
    }
    for (int i = 0; i < expected.length; i++) {
      close(what + "[" + i + "]", expected[i], actual[i], rtol, atol);
    }
  }

  static void exact(String what, double[] expected, double[] actual) {
    close(what, expected, actual, EXACT_RTOL, EXACT_ATOL);
  }

  static void exact(String what, double[][] expected, double[][] actual) {
    close(what, expected, actual, EXACT_RTOL, EXACT_ATOL);
  }

  static void exact(String what, double[][] expected, Matrix actual) {
    exact(what, expected, actual == null ? null : actual.toArray());
  }

  /** A row vector (1×n Matrix) against a double[]. */
  static void exact(String what, double[] expected, Matrix actual) {
    exact(what, new double[][] {expected}, actual);
  }

  /**
   * Checks the hand-written reference itself on {@code samples} components of {@code parameter}
   * against central differences of {@code function}, which reads the parameter array in place.
   */
  static void referenceAgainstDifferences(
      String what,
      double[] parameter,
      double[] gradient,
      ToDoubleFunction<Void> function,
      int samples) {
    int step = Math.max(1, parameter.length / samples);
    for (int i = 0; i < parameter.length; i += step) {
      double saved = parameter[i];
      double h = 6e-6 * Math.max(1, Math.abs(saved));
      parameter[i] = saved + h;
      double up = function.applyAsDouble(null);
      parameter[i] = saved - h;
      double down = function.applyAsDouble(null);
      parameter[i] = saved;
      double numeric = (up - down) / (2 * h);
      if (!(Math.abs(gradient[i] - numeric) <= FD_ATOL + FD_RTOL * Math.abs(numeric))) {
        throw new IllegalStateException(
            what
                + "["
                + i
                + "]: hand-written gradient "
                + gradient[i]
                + " but central differences give "
                + numeric);
      }
    }
  }

  /** A forward-mode result: value and directional derivative. */
  static void exact(String what, Dual expected, Dual actual) {
    value(what, expected.value(), actual.value());
    value(what + " derivative", expected.derivative(), actual.derivative());
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** x + h·v, a new array: a point on the line through x along v. */
  static double[] axpy(double[] x, double h, double[] v) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      r[i] = x[i] + h * v[i];
    }
    return r;
  }
}
