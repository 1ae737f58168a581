package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.CompiledRules.onlyPublicStaticMethod;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.SpecialFunctions;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SpecialFunctions} against Commons Math and closed forms, in the tails too; every scalar
 * rule of {@link SpecialRules} and of {@link SpecialSecondOrderRules} against Richardson-extrapolated
 * central differences of the function it differentiates, at points that include the tails; the
 * array rules of {@code logSumExp} against differences and each other.
 */
class SpecialRulesTest {
  private static final double ZETA_3 = 1.2020569031595942;

  /** Points per SpecialRules method (the function it differentiates and, for second order, itself). */
  private static final Map<String, double[][]> POINTS = Map.ofEntries(
      entry("logGamma", new double[][] {{1e-8}, {0.01}, {0.5}, {1}, {3.3}, {50}, {1e4}}),
      entry("digamma", new double[][] {{0.05}, {1}, {2.5}, {30}, {-1.5}}),
      entry("accurateDigamma", new double[][] {{0.05}, {1}, {2.5}, {30}, {-2.5}, {1e5}}),
      entry("trigamma", new double[][] {{0.2}, {1}, {7.5}, {60}, {-0.5}}),
      entry("polygamma", new double[][] {{1, 0.3}, {2, 2}, {3, 15}, {1, -1.5}, {4, 0.7}}),
      entry("logBetaA", new double[][] {{0.5, 2}, {3, 4}, {100, 0.2}, {1e-3, 1e3}}),
      entry("logBetaB", new double[][] {{0.5, 2}, {3, 4}, {100, 0.2}, {1e-3, 1e3}}),
      entry("erf", new double[][] {{0}, {0.5}, {-1.7}, {2.5}}),
      entry("erfc", new double[][] {{0.3}, {3}, {6}, {9}, {-1}}),
      entry("regularizedGammaPX", new double[][] {{0.5, 0.1}, {2, 3}, {10, 4}, {50, 60}, {0.5, 1e-8}}),
      entry("regularizedGammaPA", new double[][] {{0.5, 0.1}, {2, 3}, {10, 4}, {3, 10}, {50, 60}, {0.1, 5}, {1000, 990}, {30, 2}}),
      entry("regularizedGammaQX", new double[][] {{0.5, 0.1}, {2, 3}, {3, 40}, {50, 60}}),
      entry("regularizedGammaQA", new double[][] {{0.5, 0.1}, {2, 3}, {10, 4}, {3, 10}, {50, 60}, {1000, 990}}),
      entry("regularizedBeta", new double[][] {{0.3, 2, 3}, {0.01, 0.5, 0.5}, {0.99, 5, 1.5}, {0.5, 20, 30}, {1e-6, 2, 2}}),
      entry("log1pExp", new double[][] {{-40}, {-1}, {0}, {3}, {40}}),
      entry("logistic", new double[][] {{-40}, {-3}, {0}, {2}, {40}}),
      entry("logit", new double[][] {{1e-10}, {0.2}, {0.5}, {0.999}, {1 - 1e-9}}));

  /**
   * Where differences of a first-order rule cannot resolve its derivative: ψ(b) - ψ(a + b) at b =
   * 1000, a = 0.001 cancels to 1e-6 of its terms, so rounding alone is 1e-6 of the derivative.
   */
  private static final Map<String, double[][]> SECOND_ORDER_POINTS = Map.of(
      "logBetaA", new double[][] {{0.5, 2}, {3, 4}, {100, 0.2}},
      "logBetaB", new double[][] {{0.5, 2}, {3, 4}, {100, 0.2}});

  static Stream<Rule> scalarRules() {
    return CompiledRules.of(SpecialRules.class).stream().filter(rule -> rule.returnType().equals("double")
        && rule.parameters().stream().noneMatch(p -> p.type().equals("double[]")));
  }

  static Stream<Rule> secondOrderRules() {
    return CompiledRules.of(SpecialSecondOrderRules.class).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalarRules")
  void ruleMatchesDifferencesOfItsFunction(Rule rule) throws Exception {
    // Commons Math's digamma is off by up to 3e-9, too much for differences: use the accurate one.
    Method function = rule.function().equals("digamma")
        ? SpecialFunctions.class.getMethod("digamma", double.class) : functionOf(rule);
    Method ruleMethod = onlyPublicStaticMethod(SpecialRules.class, rule.name());
    checkAgainstDifferences(rule, function, ruleMethod, POINTS.get(rule.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secondOrderRules")
  void secondOrderRuleMatchesDifferencesOfTheFirstOrderRule(Rule rule) throws Exception {
    Method firstOrder = onlyPublicStaticMethod(SpecialRules.class, rule.function());
    Method ruleMethod = onlyPublicStaticMethod(SpecialSecondOrderRules.class, rule.name());
    checkAgainstDifferences(rule, firstOrder, ruleMethod,
        SECOND_ORDER_POINTS.getOrDefault(rule.function(), POINTS.get(rule.function())));
  }

  @Test
  void everyRuleHasPoints() {
    TreeSet<String> named = Stream.concat(scalarRules().map(Rule::name), secondOrderRules().map(Rule::function))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(POINTS.keySet()), named);
    assertEquals(CompiledRules.of(SpecialRules.class).size(), scalarRules().count() + 2,
        "the scalar rules and logSumExp's pullback and tangent");
  }

  private static void checkAgainstDifferences(Rule rule, Method function, Method ruleMethod, double[][] points)
      throws Exception {
    int wrt = rule.wrtIndex();
    for (double[] point : points) {
      DoubleUnaryOperator along = t -> invoke(function, moved(point, wrt, t));
      double x = point[wrt];
      double step = 1e-3 * stepScale(rule, wrt, x);
      double expected = richardson(along, x, step);
      double actual = invoke(ruleMethod, point);
      // Rounding of f's values and of the points x ± h, both divided by h.
      double noise = (4e-16 * Math.abs(along.applyAsDouble(x)) + 2 * Math.abs(expected) * Math.ulp(x)) / step;
      assertEquals(expected, actual, 1e-7 * Math.abs(expected) + noise,
          rule.name() + " at " + java.util.Arrays.toString(point));
    }
  }

  /** The length over which the function changes: to the boundary of (0, 1), 1/|x| for e^(-x²), else |x|. */
  private static double stepScale(Rule rule, int wrt, double x) {
    if (rule.name().startsWith("logit") || rule.name().startsWith("regularizedBeta") && wrt == 0) {
      return Math.min(x, 1 - x);
    }
    if (rule.name().startsWith("erf")) {
      return 1 / (1 + Math.abs(x));
    }
    return x == 0 ? 1 : Math.abs(x);
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  @Test
  void polygammaAgreesWithTrigammaAndKnownValues() {
    for (double x : new double[] {0.001, 0.3, 1, 2.5, 19.9, 20.1, 100, 1e6, -0.5, -3.7}) {
      assertEquals(Gamma.trigamma(x), SpecialFunctions.polygamma(1, x), 3e-12 * Math.abs(Gamma.trigamma(x)), "x = " + x);
      // Commons Math's digamma is off by up to 3e-9.
      assertEquals(Gamma.digamma(x), SpecialFunctions.polygamma(0, x), 5e-9 * (1 + Math.abs(Gamma.digamma(x))), "x = " + x);
      assertEquals(SpecialFunctions.digamma(x + 1) - 1 / x, SpecialFunctions.digamma(x), 1e-14 * (1 + Math.abs(1 / x)), "x = " + x);
    }
    // The asymptotic series at two points, through the recurrence.
    for (int n = 0; n <= 3; n++) {
      double x = 25.3;
      double step = (n % 2 == 0 ? -1 : 1) * CombinatoricsUtils.factorialDouble(n) / Math.pow(x, n + 1);
      assertEquals(SpecialFunctions.polygamma(n, x + 1) + step, SpecialFunctions.polygamma(n, x),
          1e-15 * Math.abs(SpecialFunctions.polygamma(n, x)), "order " + n);
    }
    double eulerGamma = 0.5772156649015329;
    assertEquals(-eulerGamma, SpecialFunctions.digamma(1), 1e-15);
    assertEquals(-eulerGamma - 2 * Math.log(2), SpecialFunctions.digamma(0.5), 1e-15);
    assertEquals(-eulerGamma - Math.PI / (2 * Math.sqrt(3)) - 1.5 * Math.log(3), SpecialFunctions.digamma(1.0 / 3), 1e-15);
    assertEquals(Math.PI * Math.PI / 6, SpecialFunctions.polygamma(1, 1), 1e-15);
    assertEquals(Math.PI * Math.PI / 2, SpecialFunctions.polygamma(1, 0.5), 1e-15);
    assertEquals(-eulerGamma - 2 * Math.log(2) + 2, SpecialFunctions.digamma(-0.5), 1e-15);
    assertTrue(Double.isNaN(SpecialFunctions.digamma(-3)));
    assertEquals(-2 * ZETA_3, SpecialFunctions.polygamma(2, 1), 1e-14);
    assertEquals(-14 * ZETA_3, SpecialFunctions.polygamma(2, 0.5), 1e-13);
    assertEquals(Math.pow(Math.PI, 4) / 15, SpecialFunctions.polygamma(3, 1), 1e-13);
    // ψ⁽²⁾(x) ~ -1/x² - 1/x³ - 1/(2x⁴) for large x; ψ⁽²⁾(x) = ψ⁽²⁾(x + 1) - 2/x³.
    assertEquals(-1 / 1e8 - 1 / 1e12 - 0.5 / 1e16, SpecialFunctions.polygamma(2, 1e4), 1e-23);
    assertEquals(SpecialFunctions.polygamma(2, 1.3) - 2 / Math.pow(0.3, 3), SpecialFunctions.polygamma(2, 0.3), 1e-12);
    assertTrue(Double.isNaN(SpecialFunctions.polygamma(2, -2)));
    assertEquals(0, SpecialFunctions.polygamma(3, Double.POSITIVE_INFINITY));
    assertEquals("polygamma: order -1 is negative",
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.polygamma(-1, 1)).getMessage());
  }

  @Test
  void logisticFunctionsStayAccurateInTheTails() {
    for (double x : new double[] {-30, -2, 0, 0.7, 15}) {
      assertEquals(Math.log1p(Math.exp(x)), SpecialFunctions.log1pExp(x), 1e-15 * (1 + Math.abs(x)));
      assertEquals(1 / (1 + Math.exp(-x)), SpecialFunctions.logistic(x), 1e-15);
      assertEquals(x, SpecialFunctions.logit(SpecialFunctions.logistic(x)), 1e-9 * (1 + Math.abs(x)));
    }
    assertEquals(800, SpecialFunctions.log1pExp(800));
    assertEquals(Math.exp(-700), SpecialFunctions.log1pExp(-700), 1e-15 * Math.exp(-700));
    assertEquals(Math.exp(-700), SpecialFunctions.logistic(-700), 1e-15 * Math.exp(-700));
    assertEquals(1, SpecialFunctions.logistic(800));
    assertEquals(Math.exp(-40), SpecialRules.logistic(40), 1e-12 * Math.exp(-40));
    assertEquals(Math.exp(-40), SpecialRules.logistic(-40), 1e-12 * Math.exp(-40));
    assertEquals(Double.NEGATIVE_INFINITY, SpecialFunctions.logit(0));
    assertEquals(Double.POSITIVE_INFINITY, SpecialFunctions.logit(1));
    assertEquals(Math.log(1e-300), SpecialFunctions.logit(1e-300), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, SpecialRules.logit(0));
    assertEquals(2 / Math.sqrt(Math.PI) * Math.exp(-81), -SpecialRules.erfc(9), 1e-15 * Math.exp(-81));
    assertTrue(Erf.erfc(9) > 0);
  }

  @Test
  void logSumExpAndItsRules() {
    assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(-3)), SpecialFunctions.logSumExp(new double[] {1, 2, -3}), 1e-15);
    assertEquals(1000 + Math.log(2), SpecialFunctions.logSumExp(new double[] {1000, 1000}), 1e-12);
    assertEquals(-1000 + Math.log(2), SpecialFunctions.logSumExp(new double[] {-1000, -1000}), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, SpecialFunctions.logSumExp(new double[0]));
    assertEquals(Double.NEGATIVE_INFINITY, SpecialFunctions.logSumExp(new double[] {Double.NEGATIVE_INFINITY}));
    assertEquals(Double.POSITIVE_INFINITY, SpecialFunctions.logSumExp(new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(Double.isNaN(SpecialFunctions.logSumExp(new double[] {1, Double.NaN})));
    assertArrayEquals(new double[] {0, 1.5, 1.5}, SpecialRules.logSumExp(
        new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, 3));
    Random random = new Random(3);
    for (int n : new int[] {1, 2, 5}) {
      double[] x = random.doubles(n, -800, 800).toArray();
      double seed = random.nextGaussian();
      double[] pullback = SpecialRules.logSumExp(x, seed);
      double[] tangent = random.doubles(n, -1, 1).toArray();
      double forward = SpecialRules.logSumExpTangent(x, tangent);
      double dot = 0;
      for (int i = 0; i < n; i++) {
        dot += pullback[i] * tangent[i];
        int index = i;
        double expected = seed * richardson(t -> SpecialFunctions.logSumExp(moved(x, index, t)), x[i], 1e-3);
        assertEquals(expected, pullback[i], 1e-8 * (1 + Math.abs(expected)), "entry " + i + " of " + n);
      }
      assertEquals(dot, seed * forward, 1e-12 * (1 + Math.abs(dot)));
    }
  }

  @Test
  void incompleteGammaShapeDerivativeAtItsBoundaries() {
    assertEquals(0, SpecialRules.regularizedGammaPA(2, 0));
    assertTrue(Double.isNaN(SpecialRules.regularizedGammaPA(-1, 2)));
    assertTrue(Double.isNaN(SpecialRules.regularizedGammaPA(2, -1)));
    assertEquals(Double.POSITIVE_INFINITY, SpecialRules.regularizedGammaPX(0.5, 0));
    assertEquals(1, SpecialRules.regularizedGammaPX(1, 0));
    assertEquals(0, SpecialRules.regularizedGammaPX(2, 0));
    assertEquals(3, SpecialRules.regularizedBeta(0, 1, 3));
    assertEquals(0, SpecialRules.regularizedBeta(1, 1, 3));
    // P(1, x) = 1 - e^(-x): ∂/∂a at a = 1 is known in closed form through the exponential integral;
    // here against the series' own second derivative by differences in a.
    double first = SpecialRules.regularizedGammaPA(1.5, 2);
    double second = SpecialSecondOrderRules.regularizedGammaPAA(1.5, 2);
    double expected = richardson(a -> SpecialRules.regularizedGammaPA(a, 2), 1.5, 1e-3);
    assertEquals(expected, second, 1e-8);
    assertTrue(first < 0, "P decreases in the shape");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The function a rule of SpecialRules differentiates: owner's static method of the rule's parameter types. */
  private static Method functionOf(Rule rule) throws Exception {
    Class<?> owner = Class.forName(rule.owner());
    Class<?>[] types = rule.parameters().stream()
        .map(p -> p.type().equals("int") ? int.class : double.class).toArray(Class<?>[]::new);
    return owner.getMethod(rule.function(), types);
  }

  private static double invoke(Method method, double[] point) {
    Object[] arguments = new Object[point.length];
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < point.length; i++) {
      arguments[i] = types[i] == int.class ? (Object) (int) point[i] : (Object) point[i];
    }
    try {
      return (Double) method.invoke(null, arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double[] moved(double[] point, int index, double value) {
    double[] copy = point.clone();
    copy[index] = value;
    return copy;
  }

  /** Central differences at steps h and h/2, extrapolated: error O(h⁴). */
  static double richardson(DoubleUnaryOperator f, double x, double h) {
    double coarse = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    double fine = (f.applyAsDouble(x + h / 2) - f.applyAsDouble(x - h / 2)) / h;
    return (4 * fine - coarse) / 3;
  }
}
