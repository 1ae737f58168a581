package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaylorTest {
  private static final int ORDER = 4;

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The derivatives 0..order of {@code f} at {@code x}, through the series. */
  private static double[] derivativesOf(UnaryOperator<double[]> f, double x, int order) {
    return Taylor.derivatives(f.apply(Taylor.variable(x, order)));
  }

  private static double[] expected(IntToDoubleFunction kthDerivative, int order) {
    double[] d = new double[order + 1];
    for (int k = 0; k <= order; k++) {
      d[k] = kthDerivative.applyAsDouble(k);
    }
    return d;
  }

  private static void assertClose(double[] expected, double[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int k = 0; k < expected.length; k++) {
      double tolerance = relative * Math.max(1, Math.abs(expected[k]));
      if (!(Math.abs(expected[k] - actual[k]) <= tolerance)) {
        fail(
            what
                + ": derivative "
                + k
                + " expected "
                + expected[k]
                + " but was "
                + actual[k]
                + " (all expected "
                + java.util.Arrays.toString(expected)
                + ", actual "
                + java.util.Arrays.toString(actual)
                + ")");
      }
    }
  }

  private static void assertDerivatives(
      String name, UnaryOperator<double[]> f, double x, int order, IntToDoubleFunction closedForm) {
    assertClose(
        expected(closedForm, order), derivativesOf(f, x, order), 1e-12, name + " at x = " + x);
  }

  private static double factorial(int k) {
    double f = 1;
    for (int i = 2; i <= k; i++) {
      f *= i;
    }
    return f;
  }

  /** r·(r-1)·…·(r-k+1). */
  private static double falling(double r, int k) {
    double p = 1;
    for (int i = 0; i < k; i++) {
      p *= r - i;
    }
    return p;
  }

  /**
   * The k-th derivative of tan (sign 1) or tanh (sign -1) as a polynomial in t = tan x or tanh x:
   * p_{k+1}(t) = p_k'(t)·(1 + sign·t²), starting from p_0(t) = t.
   */
  private static double tangentDerivative(int k, double t, int sign) {
    double[] p = new double[k + 2];
    p[1] = 1;
    for (int step = 0; step < k; step++) {
      double[] dp = new double[p.length];
      for (int i = 1; i < p.length; i++) {
        dp[i - 1] = i * p[i];
      }
      double[] next = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        next[i] += dp[i];
        if (i + 2 < p.length) {
          next[i + 2] += sign * dp[i];
        }
      }
      p = next;
    }
    double value = 0;
    for (int i = p.length - 1; i >= 0; i--) {
      value = value * t + p[i];
    }
    return value;
  }

  private static DerivativeStructure ds(double x, int order) {
    return new DerivativeStructure(1, order, 0, x);
  }

  private static double[] partials(DerivativeStructure d) {
    double[] p = new double[d.getOrder() + 1];
    for (int k = 0; k < p.length; k++) {
      p[k] = d.getPartialDerivative(k);
    }
    return p;
  }

  /** Compares a composition through Taylor with the same composition through DerivativeStructure. */
  private static void assertMatchesCommonsMath(
      String name,
      UnaryOperator<double[]> taylor,
      Function<DerivativeStructure, DerivativeStructure> commons,
      double... points) {
    for (double x : points) {
      for (int order = 0; order <= ORDER; order++) {
        assertClose(
            partials(commons.apply(ds(x, order))),
            derivativesOf(taylor, x, order),
            1e-11,
            name + " at x = " + x + " (order " + order + ")");
      }
    }
  }

  /** A constant series as long as {@code like}. */
  private static double[] c(double value, double[] like) {
    return Taylor.constant(value, like.length - 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Seeds and results

  @Test
  void constantAndVariableSeedTheSeries() {
    assertArrayEquals(new double[] {2.5, 0, 0, 0}, Taylor.constant(2.5, 3));
    assertArrayEquals(new double[] {2.5, 1, 0, 0}, Taylor.variable(2.5, 3));
    assertArrayEquals(new double[] {2.5}, Taylor.variable(2.5, 0));
    assertArrayEquals(new double[] {2.5}, Taylor.constant(2.5, 0));
    assertEquals(2.5, Taylor.value(Taylor.variable(2.5, 3)));
    assertThrows(IllegalArgumentException.class, () -> Taylor.constant(1, -1));
    assertThrows(IllegalArgumentException.class, () -> Taylor.variable(1, -1));
  }

  @Test
  void derivativesMultiplyByFactorials() {
    assertArrayEquals(
        new double[] {1, 2, 6, 24, 96}, Taylor.derivatives(new double[] {1, 2, 3, 4, 4}));
  }

  @Test
  void seriesOfDifferentLengthsNameBothLengths() {
    double[] a = Taylor.variable(1, 2);
    double[] b = Taylor.variable(1, 4);
    List<BinaryOperator<double[]>> binary =
        List.of(
            Taylor::add, Taylor::subtract, Taylor::multiply, Taylor::divide, Taylor::remainder,
            Taylor::pow, Taylor::atan2, Taylor::hypot, Taylor::max, Taylor::min);
    for (BinaryOperator<double[]> op : binary) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> op.apply(a, b));
      assertTrue(
          e.getMessage().contains("3") && e.getMessage().contains("5"), e.getMessage());
    }
    assertEquals(
        "multiply: series of different lengths 3 and 5 (orders 2 and 4)",
        assertThrows(IllegalArgumentException.class, () -> Taylor.multiply(a, b)).getMessage());
  }

  @Test
  void emptySeriesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Taylor.sin(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Taylor.add(new double[0], new double[0]));
  }

  /** Every function, unary and binary, leaves its arguments as they were. */
  @Test
  void argumentsAreNeverModifiedAndResultsAreNewArrays() {
    List<UnaryOperator<double[]>> unary = new ArrayList<>();
    for (UnaryFunction f : UNARY) {
      unary.add(f.series);
    }
    unary.add(Taylor::negate);
    double[] a = {0.3, 0.7, -0.2, 0.1, 0.05};
    for (UnaryOperator<double[]> f : unary) {
      double[] copy = a.clone();
      double[] result = f.apply(a);
      assertArrayEquals(copy, a);
      assertTrue(result != a);
      result[1] = 99; // mutating a result must not reach the argument either
      assertArrayEquals(copy, a);
    }
    double[] b = {1.7, -0.4, 0.3, 0.2, -0.1};
    List<BinaryOperator<double[]>> binary =
        List.of(
            Taylor::add, Taylor::subtract, Taylor::multiply, Taylor::divide, Taylor::remainder,
            Taylor::pow, Taylor::atan2, Taylor::hypot, Taylor::max, Taylor::min);
    for (BinaryOperator<double[]> op : binary) {
      double[] copyA = a.clone();
      double[] copyB = b.clone();
      double[] result = op.apply(a, b);
      assertArrayEquals(copyA, a);
      assertArrayEquals(copyB, b);
      assertTrue(result != a && result != b);
      result[0] = 99;
      assertArrayEquals(copyA, a);
      assertArrayEquals(copyB, b);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Closed forms

  @ParameterizedTest
  @ValueSource(doubles = {-2.1, -0.5, 0, 0.3, 1.7, 4})
  void sinAndCosShiftByAQuarterTurnPerDerivative(double x) {
    assertDerivatives("sin", Taylor::sin, x, ORDER, k -> Math.sin(x + k * Math.PI / 2));
    assertDerivatives("cos", Taylor::cos, x, ORDER, k -> Math.cos(x + k * Math.PI / 2));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-3, -0.5, 0, 0.3, 2.2})
  void expIsItsOwnDerivative(double x) {
    assertDerivatives("exp", Taylor::exp, x, ORDER, k -> Math.exp(x));
    assertDerivatives("expm1", Taylor::expm1, x, ORDER, k -> k == 0 ? Math.expm1(x) : Math.exp(x));
  }

  @Test
  void expm1KeepsItsPrecisionNearZero() {
    assertEquals(Math.expm1(1e-12), Taylor.value(Taylor.expm1(Taylor.variable(1e-12, 3))), 0);
    assertEquals(Math.log1p(1e-12), Taylor.value(Taylor.log1p(Taylor.variable(1e-12, 3))), 0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1.3, 0, 0.4, 2.5})
  void expAndSinUpToOrderEight(double x) {
    assertDerivatives("exp", Taylor::exp, x, 8, k -> Math.exp(x));
    assertDerivatives("sin", Taylor::sin, x, 8, k -> Math.sin(x + k * Math.PI / 2));
    assertDerivatives("cos", Taylor::cos, x, 8, k -> Math.cos(x + k * Math.PI / 2));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-2, -0.5, 0, 0.25, 0.9, 3})
  void reciprocalOfOneMinusX(double x) {
    assertDerivatives(
        "1/(1-x)",
        s -> Taylor.divide(c(1, s), Taylor.subtract(c(1, s), s)),
        x,
        ORDER,
        k -> factorial(k) / Math.pow(1 - x, k + 1));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-2, -1, -0.7, 0, 0.5, 1.5})
  void fifthPowerIsExactAlsoAtNonPositivePoints(double x) {
    for (int order : new int[] {ORDER, 8}) {
      assertDerivatives(
          "x^5",
          s -> Taylor.pow(s, Taylor.constant(5, order)),
          x,
          order,
          k -> k > 5 ? 0 : factorial(5) / factorial(5 - k) * Math.pow(x, 5 - k));
    }
  }

  @Test
  void integerPowersAtIntegerPointsAreExact() {
    for (double x : new double[] {-2, -1, 0, 1, 3}) {
      double[] actual = derivativesOf(s -> Taylor.pow(s, Taylor.constant(5, 8)), x, 8);
      double[] exact = expected(k -> k > 5 ? 0 : factorial(5) / factorial(5 - k) * Math.pow(x, 5 - k), 8);
      assertArrayEquals(exact, actual, 0.0, "x^5 at " + x);
    }
    // a power of a series that starts at 0 but is not the variable: (t²)³ = t⁶ around 0
    double[] square = Taylor.multiply(Taylor.variable(0, 8), Taylor.variable(0, 8));
    assertArrayEquals(
        new double[] {0, 0, 0, 0, 0, 0, 1, 0, 0}, Taylor.pow(square, Taylor.constant(3, 8)));
    assertArrayEquals(new double[] {1, 0, 0}, Taylor.pow(Taylor.variable(0, 2), Taylor.constant(0, 2)));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-3, -1.5, -0.5, 0.5, 2})
  void negativeIntegerPowers(double x) {
    assertDerivatives(
        "x^-3",
        s -> Taylor.pow(s, c(-3, s)),
        x,
        ORDER,
        k -> falling(-3, k) * Math.pow(x, -3 - k));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.2, 1, 2.5, 7})
  void realPowersAndRoots(double x) {
    assertDerivatives(
        "x^2.7", s -> Taylor.pow(s, c(2.7, s)), x, ORDER, k -> falling(2.7, k) * Math.pow(x, 2.7 - k));
    assertDerivatives(
        "sqrt", Taylor::sqrt, x, ORDER, k -> falling(0.5, k) * Math.pow(x, 0.5 - k));
    for (double y : new double[] {x, -x}) {
      assertDerivatives(
          "cbrt", Taylor::cbrt, y, ORDER, k -> falling(1.0 / 3, k) * Math.cbrt(y) / Math.pow(y, k));
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 1, 2.5, 10})
  void logarithms(double x) {
    IntToDoubleFunction log = k -> k == 0 ? Math.log(x) : falling(-1, k - 1) / Math.pow(x, k);
    assertDerivatives("log", Taylor::log, x, ORDER, log);
    assertDerivatives(
        "log10",
        Taylor::log10,
        x,
        ORDER,
        k -> k == 0 ? Math.log10(x) : log.applyAsDouble(k) / Math.log(10));
    double y = x - 0.5; // log1p around points in (-1, ∞)
    assertDerivatives(
        "log1p",
        Taylor::log1p,
        y,
        ORDER,
        k -> k == 0 ? Math.log1p(y) : falling(-1, k - 1) / Math.pow(1 + y, k));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1.2, -0.4, 0, 0.3, 1.1})
  void tanAndTanhThroughTheirPolynomialsInThemselves(double x) {
    assertDerivatives(
        "tan", Taylor::tan, x, 6, k -> tangentDerivative(k, Math.tan(x), 1));
    assertDerivatives(
        "tanh", Taylor::tanh, x, 6, k -> tangentDerivative(k, Math.tanh(x), -1));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-2, -0.3, 0, 0.8, 3})
  void sinhAndCoshAlternate(double x) {
    assertDerivatives("sinh", Taylor::sinh, x, ORDER, k -> k % 2 == 0 ? Math.sinh(x) : Math.cosh(x));
    assertDerivatives("cosh", Taylor::cosh, x, ORDER, k -> k % 2 == 0 ? Math.cosh(x) : Math.sinh(x));
  }

  @Test
  void inverseTrigonometricFunctionsMatchCommonsMath() {
    assertMatchesCommonsMath("asin", Taylor::asin, DerivativeStructure::asin, -0.9, -0.3, 0, 0.5, 0.95);
    assertMatchesCommonsMath("acos", Taylor::acos, DerivativeStructure::acos, -0.9, -0.3, 0, 0.5, 0.95);
    assertMatchesCommonsMath("atan", Taylor::atan, DerivativeStructure::atan, -4, -0.3, 0, 0.5, 2);
  }

  @Test
  void asinOfAnInnerFunctionUsesTheChainRule() {
    assertMatchesCommonsMath(
        "asin(x²/2)",
        s -> Taylor.asin(Taylor.multiply(c(0.5, s), Taylor.multiply(s, s))),
        d -> d.multiply(d).multiply(0.5).asin(),
        -1.1, -0.2, 0, 0.6, 1.2);
  }

  @Test
  void absIsTheSignTimesTheSeriesAndFlatAtZero() {
    assertDerivatives("abs", Taylor::abs, -1.5, ORDER, k -> k == 0 ? 1.5 : k == 1 ? -1 : 0);
    assertDerivatives("abs", Taylor::abs, 2, ORDER, k -> k == 0 ? 2 : k == 1 ? 1 : 0);
    assertArrayEquals(new double[] {0, 0, 0}, Taylor.abs(Taylor.variable(0, 2)));
    assertArrayEquals(new double[] {0, 0, 0}, Taylor.abs(Taylor.variable(-0.0, 2)), 0.0);
    assertEquals(0, Double.compare(0.0, Taylor.abs(Taylor.variable(-0.0, 2))[0]));
    assertMatchesCommonsMath(
        "abs(sin x)", s -> Taylor.abs(Taylor.sin(s)), d -> d.sin().abs(), -2, -0.5, 0.5, 4);
  }

  @Test
  void stepFunctionsAreConstants() {
    double[] x = {2.6, 1, 0.5, 0.25};
    assertArrayEquals(new double[] {2, 0, 0, 0}, Taylor.floor(x));
    assertArrayEquals(new double[] {3, 0, 0, 0}, Taylor.ceil(x));
    assertArrayEquals(new double[] {3, 0, 0, 0}, Taylor.rint(x));
    assertArrayEquals(new double[] {1, 0, 0, 0}, Taylor.signum(x));
    assertArrayEquals(new double[] {-1, 0, 0, 0}, Taylor.signum(Taylor.negate(x)));
    assertArrayEquals(new double[] {-2.6, -1, -0.5, -0.25}, Taylor.negate(x));
  }

  @Test
  void maxAndMinChooseTheSeriesByValueWithTiesToTheFirst() {
    double[] a = {1, 2, 3};
    double[] b = {2, -1, 5};
    double[] tie = {1, 7, 7};
    assertArrayEquals(b, Taylor.max(a, b));
    assertArrayEquals(b, Taylor.max(b, a));
    assertArrayEquals(a, Taylor.min(a, b));
    assertArrayEquals(a, Taylor.min(b, a));
    assertArrayEquals(a, Taylor.max(a, tie));
    assertArrayEquals(tie, Taylor.max(tie, a));
    assertArrayEquals(a, Taylor.min(a, tie));
    assertArrayEquals(tie, Taylor.min(tie, a));
    double[] nan = Taylor.max(a, new double[] {Double.NaN, 0, 0});
    assertTrue(Double.isNaN(nan[0]) && Double.isNaN(nan[1]) && Double.isNaN(nan[2]));
  }

  @Test
  void remainderSubtractsTheTruncatedQuotientTimesTheDivisor() {
    // f = 3x + x², g = 1 + x at x = 1.3: f₀ = 5.59, g₀ = 2.3, q = trunc(2.43...) = 2
    UnaryOperator<double[]> f = s -> Taylor.add(Taylor.multiply(c(3, s), s), Taylor.multiply(s, s));
    UnaryOperator<double[]> g = s -> Taylor.add(c(1, s), s);
    double x = 1.3;
    double[] actual = derivativesOf(s -> Taylor.remainder(f.apply(s), g.apply(s)), x, ORDER);
    double[] fd = derivativesOf(f, x, ORDER);
    double[] gd = derivativesOf(g, x, ORDER);
    assertEquals((3 * x + x * x) % (1 + x), actual[0], 0);
    for (int k = 1; k <= ORDER; k++) {
      assertEquals(fd[k] - 2 * gd[k], actual[k], 1e-12);
    }
    // negative dividend: trunc(-5.59 / 2.3) = -2, rounding toward zero as Java's %
    double[] negative =
        derivativesOf(s -> Taylor.remainder(Taylor.negate(f.apply(s)), g.apply(s)), x, ORDER);
    assertEquals(-(3 * x + x * x) % (1 + x), negative[0], 0);
    for (int k = 1; k <= ORDER; k++) {
      assertEquals(-fd[k] + 2 * gd[k], negative[k], 1e-12);
    }
  }

  @Test
  void atan2AndHypotAtTheOriginHaveZeroDerivatives() {
    double[] x = Taylor.variable(0, 3);
    assertArrayEquals(new double[] {0, 0, 0, 0}, Taylor.hypot(x, x));
    assertArrayEquals(new double[] {Math.atan2(0, 0), 0, 0, 0}, Taylor.atan2(x, x));
    // along the ray (t, t), t > 0, atan2 is π/4 with all derivatives 0, which the series keeps
    double[] ray = Taylor.variable(1e-3, 3);
    assertArrayEquals(new double[] {Math.PI / 4, 0, 0, 0}, Taylor.atan2(ray, ray), 1e-15);
  }

  @Test
  void hypotDoesNotOverflow() {
    double big = 1e300;
    double[] a = {3 * big, big, 0};
    double[] b = {4 * big, 0, 0};
    double[] h = Taylor.hypot(a, b);
    assertEquals(5 * big, h[0], 1e286);
    assertEquals(0.6 * big, h[1], 1e286); // ∂h/∂a = a/h = 3/5
    double[] angle = Taylor.atan2(b, a);
    assertEquals(Math.atan2(4, 3), angle[0], 1e-15);
    assertEquals(-4.0 / 25, angle[1], 1e-15); // -b·a'/(a² + b²) = -4·big² / 25·big²
  }

  // ---------------------------------------------------------------------------------------------
  // Compositions against Commons Math's DerivativeStructure

  @Test
  void expOfSin() {
    assertMatchesCommonsMath(
        "exp(sin x)", s -> Taylor.exp(Taylor.sin(s)), d -> d.sin().exp(), -2, -0.4, 0, 0.7, 3);
  }

  @Test
  void logOfOnePlusSquareTimesCos() {
    assertMatchesCommonsMath(
        "log(1 + x²)·cos x",
        s -> Taylor.multiply(Taylor.log(Taylor.add(c(1, s), Taylor.multiply(s, s))), Taylor.cos(s)),
        d -> d.multiply(d).add(1).log().multiply(d.cos()),
        -1.5, -0.2, 0, 0.9, 2.4);
  }

  @Test
  void quotientOfRootAndTanh() {
    assertMatchesCommonsMath(
        "sqrt(1 + tanh² x) / (x + 3)",
        s -> {
          double[] t = Taylor.tanh(s);
          return Taylor.divide(
              Taylor.sqrt(Taylor.add(c(1, s), Taylor.multiply(t, t))), Taylor.add(s, c(3, s)));
        },
        d -> d.tanh().multiply(d.tanh()).add(1).sqrt().divide(d.add(3)),
        -1.7, -0.5, 0, 0.4, 2);
  }

  @Test
  void powerWithAVaryingExponent() {
    assertMatchesCommonsMath(
        "x^x", s -> Taylor.pow(s, s), d -> d.pow(d), 0.3, 1, 1.7, 3);
    assertMatchesCommonsMath(
        "(sin x + 2)^cos x",
        s -> Taylor.pow(Taylor.add(Taylor.sin(s), c(2, s)), Taylor.cos(s)),
        d -> d.sin().add(2).pow(d.cos()),
        -2, 0, 0.8, 2.5);
  }

  @Test
  void twoArgumentFunctionsOfOneVariable() {
    assertMatchesCommonsMath(
        "atan2(sin x, 1 + x²)",
        s -> Taylor.atan2(Taylor.sin(s), Taylor.add(c(1, s), Taylor.multiply(s, s))),
        d -> DerivativeStructure.atan2(d.sin(), d.multiply(d).add(1)),
        -2, -0.3, 0, 1.1, 3);
    assertMatchesCommonsMath(
        "atan2(x, x - 2)",
        s -> Taylor.atan2(s, Taylor.subtract(s, c(2, s))),
        d -> DerivativeStructure.atan2(d, d.subtract(2)),
        -1, 0.5, 1.5, 3);
    assertMatchesCommonsMath(
        "hypot(cos x, x³)",
        s -> Taylor.hypot(Taylor.cos(s), Taylor.multiply(s, Taylor.multiply(s, s))),
        d -> DerivativeStructure.hypot(d.cos(), d.pow(3)),
        -1.3, -0.2, 0, 0.6, 2);
  }

  @Test
  void hyperbolicAndInverseChain() {
    assertMatchesCommonsMath(
        "atan(sinh x)·cosh(x/2) - acos(x/3)",
        s ->
            Taylor.subtract(
                Taylor.multiply(
                    Taylor.atan(Taylor.sinh(s)), Taylor.cosh(Taylor.multiply(s, c(0.5, s)))),
                Taylor.acos(Taylor.divide(s, c(3, s)))),
        d -> d.sinh().atan().multiply(d.multiply(0.5).cosh()).subtract(d.divide(3).acos()),
        -2, -0.5, 0, 1, 2.5);
  }

  @Test
  void expm1Log1pLog10Cbrt() {
    assertMatchesCommonsMath(
        "expm1(x)·log1p(x²) + log10(2 + cos x)·cbrt(x - 1)",
        s ->
            Taylor.add(
                Taylor.multiply(Taylor.expm1(s), Taylor.log1p(Taylor.multiply(s, s))),
                Taylor.multiply(
                    Taylor.log10(Taylor.add(c(2, s), Taylor.cos(s))),
                    Taylor.cbrt(Taylor.subtract(s, c(1, s))))),
        d ->
            d.expm1()
                .multiply(d.multiply(d).log1p())
                .add(d.cos().add(2).log10().multiply(d.subtract(1).cbrt())),
        -1.5, -0.3, 0.4, 2.2, 3);
  }

  @Test
  void tanOfAQuotient() {
    assertMatchesCommonsMath(
        "tan(x / (1 + x²))",
        s -> Taylor.tan(Taylor.divide(s, Taylor.add(c(1, s), Taylor.multiply(s, s)))),
        d -> d.divide(d.multiply(d).add(1)).tan(),
        -2, -0.5, 0, 0.7, 3);
  }

  // ---------------------------------------------------------------------------------------------
  // Every unary function against finite differences of its own lower derivatives

  private record UnaryFunction(String name, UnaryOperator<double[]> series, double... points) {}

  private static final List<UnaryFunction> UNARY =
      List.of(
          new UnaryFunction("sin", Taylor::sin, -2, 0.3, 1.9),
          new UnaryFunction("cos", Taylor::cos, -2, 0.3, 1.9),
          new UnaryFunction("tan", Taylor::tan, -1, 0.3, 1),
          new UnaryFunction("asin", Taylor::asin, -0.8, 0.1, 0.7),
          new UnaryFunction("acos", Taylor::acos, -0.8, 0.1, 0.7),
          new UnaryFunction("atan", Taylor::atan, -3, 0.1, 1.5),
          new UnaryFunction("sinh", Taylor::sinh, -2, 0.3, 1.9),
          new UnaryFunction("cosh", Taylor::cosh, -2, 0.3, 1.9),
          new UnaryFunction("tanh", Taylor::tanh, -1.5, 0.3, 1.2),
          new UnaryFunction("exp", Taylor::exp, -2, 0.3, 1.9),
          new UnaryFunction("expm1", Taylor::expm1, -2, 0.3, 1.9),
          new UnaryFunction("log", Taylor::log, 0.4, 1, 3),
          new UnaryFunction("log10", Taylor::log10, 0.4, 1, 3),
          new UnaryFunction("log1p", Taylor::log1p, -0.5, 0.3, 3),
          new UnaryFunction("sqrt", Taylor::sqrt, 0.4, 1, 3),
          new UnaryFunction("cbrt", Taylor::cbrt, -2, 0.4, 3),
          new UnaryFunction("abs", Taylor::abs, -2, 0.4, 3),
          new UnaryFunction("signum", Taylor::signum, -2, 0.4, 3),
          new UnaryFunction("floor", Taylor::floor, -2.5, 0.4, 3.3),
          new UnaryFunction("ceil", Taylor::ceil, -2.5, 0.4, 3.3),
          new UnaryFunction("rint", Taylor::rint, -2.3, 0.4, 3.3),
          new UnaryFunction("x^2.5", s -> Taylor.pow(s, Taylor.constant(2.5, s.length - 1)), 0.4, 1, 3),
          new UnaryFunction("x^-2", s -> Taylor.pow(s, Taylor.constant(-2, s.length - 1)), -2, 0.4, 3),
          new UnaryFunction("sin(x)^x", s -> Taylor.pow(Taylor.sin(s), s), 0.4, 1, 2.5));

  /**
   * The k-th derivative from the series at x against a central difference of the (k-1)-th
   * derivative from the series at x ± h, Richardson-extrapolated ((4·D(h/2) − D(h)) / 3, error
   * O(h⁴)), for k = 1..4. Also checks the value against the Math function.
   */
  @TestFactory
  Stream<DynamicTest> everyFunctionAgreesWithFiniteDifferencesOfItsOwnSeries() {
    return UNARY.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.name(),
                    () -> {
                      for (double x : f.points()) {
                        double[] d = derivativesOf(f.series(), x, ORDER);
                        double h = 1e-3;
                        for (int k = 1; k <= ORDER; k++) {
                          int lower = k - 1;
                          DoubleUnaryOperator g = y -> derivativesOf(f.series(), y, ORDER)[lower];
                          double coarse = (g.applyAsDouble(x + h) - g.applyAsDouble(x - h)) / (2 * h);
                          double fine =
                              (g.applyAsDouble(x + h / 2) - g.applyAsDouble(x - h / 2)) / h;
                          double richardson = (4 * fine - coarse) / 3;
                          double tolerance = 1e-7 * Math.max(1, Math.abs(richardson));
                          assertEquals(
                              richardson,
                              d[k],
                              tolerance,
                              f.name() + ": derivative " + k + " at x = " + x);
                        }
                      }
                    }));
  }

  @Test
  void valuesAreExactlyThoseOfMath() {
    double x = 0.37;
    double[] s = Taylor.variable(x, ORDER);
    assertEquals(Math.sin(x), Taylor.value(Taylor.sin(s)), 0);
    assertEquals(Math.tan(x), Taylor.value(Taylor.tan(s)), 0);
    assertEquals(Math.asin(x), Taylor.value(Taylor.asin(s)), 0);
    assertEquals(Math.acos(x), Taylor.value(Taylor.acos(s)), 0);
    assertEquals(Math.atan(x), Taylor.value(Taylor.atan(s)), 0);
    assertEquals(Math.tanh(x), Taylor.value(Taylor.tanh(s)), 0);
    assertEquals(Math.log10(x), Taylor.value(Taylor.log10(s)), 0);
    assertEquals(Math.cbrt(x), Taylor.value(Taylor.cbrt(s)), 0);
    assertEquals(Math.pow(x, 2.3), Taylor.value(Taylor.pow(s, c(2.3, s))), 0);
    assertEquals(Math.pow(x, x), Taylor.value(Taylor.pow(s, s)), 0);
    assertEquals(Math.hypot(x, 2), Taylor.value(Taylor.hypot(s, c(2, s))), 0);
    assertEquals(Math.atan2(x, -2), Taylor.value(Taylor.atan2(s, c(-2, s))), 0);
  }

  @Test
  void orderZeroSeriesCarryOnlyValues() {
    double[] x = Taylor.variable(0.5, 0);
    assertArrayEquals(new double[] {Math.asin(0.5)}, Taylor.asin(x));
    assertArrayEquals(new double[] {Math.atan2(0.5, 0.5)}, Taylor.atan2(x, x));
    assertArrayEquals(new double[] {Math.hypot(0.5, 0.5)}, Taylor.hypot(x, x));
    assertArrayEquals(new double[] {Math.exp(0.5)}, Taylor.exp(x));
  }
}
