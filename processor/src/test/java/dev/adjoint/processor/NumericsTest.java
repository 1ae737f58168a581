package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The generated gradient at the non-differentiable and singular points of the catalogue, exactly
 * as the table in {@code docs/NUMERICS.md} states it: one test per row, NaN and infinities
 * included. Every expected value is exact, so the comparisons allow no error (JUnit treats NaN
 * as equal to NaN, and -0.0 as equal to 0.0 when a delta is given).
 */
class NumericsTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  private static final Compiled compiled = Compiled.compile("p.Singular", """
      package p;

      import dev.adjoint.Differentiable;

      class Singular {
        @Differentiable
        static double sqrt(double x) {
          return Math.sqrt(x);
        }

        @Differentiable
        static double cbrt(double x) {
          return Math.cbrt(x);
        }

        @Differentiable
        static double abs(double x) {
          return Math.abs(x);
        }

        @Differentiable
        static double max(double a, double b) {
          return Math.max(a, b);
        }

        @Differentiable
        static double min(double a, double b) {
          return Math.min(a, b);
        }

        @Differentiable
        static double maxOfItself(double x) {
          return Math.max(x, x);
        }

        @Differentiable
        static double pow(double b, double e) {
          return Math.pow(b, e);
        }

        @Differentiable
        static double log(double x) {
          return Math.log(x);
        }

        @Differentiable
        static double log1p(double x) {
          return Math.log1p(x);
        }

        @Differentiable
        static double atan2(double y, double x) {
          return Math.atan2(y, x);
        }

        @Differentiable
        static double hypot(double x, double y) {
          return Math.hypot(x, y);
        }

        @Differentiable
        static double quotient(double x, double y) {
          return x / y;
        }

        @Differentiable
        static double sqrtOfSquare(double x) {
          return Math.sqrt(x * x);
        }

        @Differentiable
        static double unusedSqrt(double x) {
          double unused = Math.sqrt(x);
          return 2 * x;
        }

        @Differentiable
        static double strictSqrt(double x) {
          return StrictMath.sqrt(x);
        }
      }
      """);

  /**
   * Checks the value and the partials of {@code name} at {@code arguments}; {@code partials} holds
   * pairs of a parameter name and its expected partial derivative.
   */
  private static void expect(String name, double[] arguments, double value, Object... partials) {
    Object gradient = compiled.call("p.SingularGrad", name, Arrays.stream(arguments).boxed().toArray());
    String at = name + Arrays.toString(arguments);
    List<Executable> checks = new ArrayList<>();
    checks.add(() -> assertEquals(value, Compiled.scalar(gradient, "value"), 0.0, at + ": value"));
    for (int i = 0; i < partials.length; i += 2) {
      String parameter = (String) partials[i];
      double expected = (double) partials[i + 1];
      checks.add(() -> assertEquals(expected, Compiled.scalar(gradient, parameter), 0.0, at + ": ∂" + parameter));
    }
    assertAll(at, checks);
  }

  private static double[] at(double... arguments) {
    return arguments;
  }

  // ------------------------------------------------------------------- roots at 0

  @Test
  void sqrtAtZeroIsPlusInfinity() {
    expect("sqrt", at(0.0), 0.0, "x", INF);
    expect("sqrt", at(-0.0), -0.0, "x", INF);
    expect("strictSqrt", at(0.0), 0.0, "x", INF);
  }

  @Test
  void sqrtOfANegativeNumberIsNaN() {
    expect("sqrt", at(-1.0), NAN, "x", NAN);
  }

  @Test
  void cbrtAtZeroIsPlusInfinity() {
    expect("cbrt", at(0.0), 0.0, "x", INF);
    expect("cbrt", at(-0.0), -0.0, "x", INF);
  }

  @Test
  void cbrtOfANegativeNumberIsFinite() {
    expect("cbrt", at(-8.0), -2.0, "x", 1.0 / 12);
  }

  // --------------------------------------------------------------------- kinks

  @Test
  void absAtZeroIsZero() {
    expect("abs", at(0.0), 0.0, "x", 0.0);
    expect("abs", at(-0.0), 0.0, "x", 0.0);
    expect("abs", at(-3.0), 3.0, "x", -1.0);
  }

  @Test
  void maxAtATieSplitsTheSeedInHalves() {
    expect("max", at(1.0, 1.0), 1.0, "a", 0.5, "b", 0.5);
    expect("max", at(0.0, -0.0), 0.0, "a", 0.5, "b", 0.5);
    expect("max", at(2.0, 1.0), 2.0, "a", 1.0, "b", 0.0);
  }

  @Test
  void minAtATieSplitsTheSeedInHalves() {
    expect("min", at(1.0, 1.0), 1.0, "a", 0.5, "b", 0.5);
    expect("min", at(2.0, 1.0), 1.0, "a", 0.0, "b", 1.0);
  }

  // The halves add up: max(x, x) = x has derivative 1, also at the tie it always is.
  @Test
  void maxOfAValueWithItselfHasDerivativeOne() {
    expect("maxOfItself", at(0.0), 0.0, "x", 1.0);
    expect("maxOfItself", at(-2.5), -2.5, "x", 1.0);
  }

  // ---------------------------------------------------------------------- pow

  @Test
  void powAtZeroToTheZero() {
    // ∂b is 0 (pow(b, 0) is constant); ∂e = 1·ln 0 = -∞ (PyTorch and JAX give 0 here).
    expect("pow", at(0.0, 0.0), 1.0, "b", 0.0, "e", -INF);
  }

  @Test
  void powOfZeroToAPositivePower() {
    expect("pow", at(0.0, 1.0), 0.0, "b", 1.0, "e", 0.0);
    expect("pow", at(0.0, 2.0), 0.0, "b", 0.0, "e", 0.0);
    expect("pow", at(0.0, 0.5), 0.0, "b", INF, "e", 0.0);
  }

  @Test
  void powOfZeroToANegativePower() {
    expect("pow", at(0.0, -1.0), INF, "b", -INF, "e", -INF);
  }

  @Test
  void powOfANegativeBase() {
    expect("pow", at(-2.0, 2.0), 4.0, "b", -4.0, "e", NAN);
    expect("pow", at(-1.0, 0.0), 1.0, "b", 0.0, "e", NAN);
    expect("pow", at(-2.0, 0.5), NAN, "b", NAN, "e", NAN);
  }

  // ---------------------------------------------------------------------- log

  @Test
  void logAtZero() {
    expect("log", at(0.0), -INF, "x", INF);
    expect("log", at(-0.0), -INF, "x", -INF);
  }

  // The derivative 1/x is finite where log itself is NaN, as in PyTorch and JAX.
  @Test
  void logOfANegativeNumber() {
    expect("log", at(-2.0), NAN, "x", -0.5);
  }

  @Test
  void log1pAtMinusOne() {
    expect("log1p", at(-1.0), -INF, "x", INF);
  }

  // ------------------------------------------------------------ atan2 and hypot

  @Test
  void atan2AtTheOriginIsZero() {
    expect("atan2", at(0.0, 0.0), 0.0, "y", 0.0, "x", 0.0);
    expect("atan2", at(0.0, -0.0), Math.PI, "y", 0.0, "x", 0.0);
    expect("atan2", at(-0.0, -0.0), -Math.PI, "y", 0.0, "x", 0.0);
  }

  @Test
  void atan2OnTheAxes() {
    expect("atan2", at(0.0, 2.0), 0.0, "y", 0.5, "x", 0.0);
    expect("atan2", at(2.0, 0.0), Math.PI / 2, "y", 0.0, "x", -0.5);
  }

  @Test
  void hypotAtTheOriginIsZero() {
    expect("hypot", at(0.0, 0.0), 0.0, "x", 0.0, "y", 0.0);
    expect("hypot", at(-0.0, 0.0), 0.0, "x", 0.0, "y", 0.0);
  }

  @Test
  void hypotOnAnAxis() {
    expect("hypot", at(0.0, -3.0), 3.0, "x", 0.0, "y", -1.0);
  }

  // ----------------------------------------------------------- division by zero

  // Plain IEEE arithmetic on ∂x = 1/y and ∂y = -x/y², as in PyTorch and JAX.
  @Test
  void divisionByZero() {
    expect("quotient", at(1.0, 0.0), INF, "x", INF, "y", -INF);
    expect("quotient", at(1.0, -0.0), -INF, "x", -INF, "y", -INF);
    expect("quotient", at(-1.0, 0.0), -INF, "x", INF, "y", INF);
  }

  @Test
  void zeroDividedByZero() {
    expect("quotient", at(0.0, 0.0), NAN, "x", INF, "y", NAN);
  }

  // ----------------------------------------------------------- through the chain rule

  // sqrt(x·x) = |x|, but its gradient at 0 is ∞ · 0 = NaN, as in PyTorch and JAX: write
  // Math.abs(x) or Math.hypot where the argument can be 0.
  @Test
  void sqrtOfASquareAtZeroIsNaN() {
    expect("sqrtOfSquare", at(0.0), 0.0, "x", NAN);
    expect("sqrtOfSquare", at(-2.0), 2.0, "x", -1.0);
  }

  // Dead code is not in the reverse sweep: its infinite partial never meets a zero.
  @Test
  void unusedSqrtAtZeroLeavesTheGradientAlone() {
    expect("unusedSqrt", at(0.0), 0.0, "x", 2.0);
  }
}
