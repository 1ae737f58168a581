package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MathRulesTest {
  /** A Math function, its partials as the rules give them, and points where it is smooth. */
  private record RuleCase(
      String function,
      List<String> parameters,
      ToDoubleFunction<double[]> value,
      Function<double[], double[]> partials,
      double[][] points) {

    /** The convention: the function's name, or the name plus each capitalised parameter. */
    List<String> ruleNames() {
      if (parameters.size() == 1) {
        return List.of(function);
      }
      return parameters.stream().map(parameter -> function + capitalised(parameter)).toList();
    }

    private static String capitalised(String name) {
      return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
  }

  /** A partial of a two-parameter function, given both arguments and the function's value. */
  private interface BinaryRule {
    double at(double first, double second, double value);
  }

  private static final List<RuleCase> CASES =
      List.of(
          unary("sin", Math::sin, MathRules::sin, -3, -0.5, 0, 1, 2.5, 40),
          unary("cos", Math::cos, MathRules::cos, -3, -0.5, 0, 1, 2.5, 40),
          unary("tan", Math::tan, MathRules::tan, -1.2, 0, 0.7, 1.5),
          unary("asin", Math::asin, MathRules::asin, -0.9, -0.3, 0, 0.5, 0.95),
          unary("acos", Math::acos, MathRules::acos, -0.9, -0.3, 0, 0.5, 0.95),
          unary("atan", Math::atan, MathRules::atan, -20, -1, 0, 0.4, 3),
          binary(
              "atan2(y, x)",
              Math::atan2,
              rule(MathRules::atan2Y),
              rule(MathRules::atan2X),
              new double[][] {{1, 2}, {-1, 0.5}, {0.3, -2}, {-2, -0.1}, {0, 1}, {5, 0}}),
          unary("sinh", Math::sinh, MathRules::sinh, -4, -0.5, 0, 1.2, 10),
          unary("cosh", Math::cosh, MathRules::cosh, -4, -0.5, 0, 1.2, 10),
          unary("tanh", Math::tanh, MathRules::tanh, -3, -0.2, 0, 0.5, 4),
          unary("exp", Math::exp, MathRules::exp, -5, 0, 1.5, 20),
          unary("expm1", Math::expm1, MathRules::expm1, -3, -1e-3, 0, 1e-3, 2),
          unary("log", Math::log, MathRules::log, 0.05, 0.5, 1, 7, 1e5),
          unary("log10", Math::log10, MathRules::log10, 0.05, 0.5, 1, 7, 1e5),
          unary("log1p", Math::log1p, MathRules::log1p, -0.9, -1e-3, 0, 0.5, 30),
          unary("sqrt", Math::sqrt, MathRules::sqrt, 0.01, 0.3, 1, 2, 1e4),
          unary("cbrt", Math::cbrt, MathRules::cbrt, -27, -0.2, 0.05, 1, 8),
          binary(
              "pow(base, exponent)",
              Math::pow,
              rule(MathRules::powBase),
              rule(MathRules::powExponent),
              new double[][] {{2, 3}, {0.5, -1.5}, {3, 0.5}, {1.7, 0}, {1, 2.5}, {0.2, 7}}),
          binary(
              "hypot(x, y)",
              Math::hypot,
              rule(MathRules::hypotX),
              rule(MathRules::hypotY),
              new double[][] {{3, 4}, {-1, 0.5}, {0.2, -7}, {1e-3, 2}}),
          unary("abs", Math::abs, MathRules::abs, -2, -0.1, 0.3, 5),
          binary(
              "max(a, b)",
              Math::max,
              rule(MathRules::maxA),
              rule(MathRules::maxB),
              new double[][] {{1, 2}, {3, -1}, {-0.5, -0.4}}),
          binary(
              "min(a, b)",
              Math::min,
              rule(MathRules::minA),
              rule(MathRules::minB),
              new double[][] {{1, 2}, {3, -1}, {-0.5, -0.4}}),
          unary("signum", Math::signum, MathRules::signum, -2.3, 0.3, 7.6),
          unary("floor", Math::floor, MathRules::floor, -2.3, 0.3, 7.6),
          unary("ceil", Math::ceil, MathRules::ceil, -2.3, 0.3, 7.6),
          unary("rint", Math::rint, MathRules::rint, -2.3, 0.3, 7.6),
          unary("toRadians", Math::toRadians, MathRules::toRadians, -200, 0, 45, 720),
          unary("toDegrees", Math::toDegrees, MathRules::toDegrees, -7, 0, 0.5, 3.2),
          unary("nextUp", Math::nextUp, MathRules::nextUp, -2.3, 0, 0.3, 7.6),
          unary("nextDown", Math::nextDown, MathRules::nextDown, -2.3, 0, 0.3, 7.6),
          unary("ulp", Math::ulp, MathRules::ulp, -2.3, 0.3, 1.5, 7.6),
          binary(
              "copySign(magnitude, sign)",
              Math::copySign,
              rule(MathRules::copySignMagnitude),
              rule(MathRules::copySignSign),
              new double[][] {{1.5, 2}, {1.5, -2}, {-0.7, 3}, {-0.7, -0.1}}),
          binary(
              "nextAfter(start, direction)",
              Math::nextAfter,
              rule(MathRules::nextAfterStart),
              rule(MathRules::nextAfterDirection),
              new double[][] {{1, 2}, {1, -2}, {-3, 5}}),
          ternary(
              "fma(a, b, c)",
              p -> Math.fma(p[0], p[1], p[2]),
              List.of(MathRules::fmaA, MathRules::fmaB, MathRules::fmaC),
              new double[][] {{1, 2, 3}, {-0.5, 4, 0}, {0, 0, -1}}),
          // Math.clamp is Java 21's; the tests run on 17 too.
          ternary(
              "clamp(x, min, max)",
              p -> Math.min(Math.max(p[0], p[1]), p[2]),
              List.of(MathRules::clampX, MathRules::clampMin, MathRules::clampMax),
              new double[][] {{0.5, 0, 1}, {-1, 0, 1}, {2, 0, 1}, {0.2, -3, 0.3}}));

  /** A partial of a three-parameter function. */
  private interface TernaryRule {
    double at(double a, double b, double c);
  }

  /** A three-parameter function; {@code signature} names its parameters. */
  private static RuleCase ternary(
      String signature, ToDoubleFunction<double[]> value, List<TernaryRule> rules, double[][] points) {
    int open = signature.indexOf('(');
    List<String> parameters =
        List.of(signature.substring(open + 1, signature.length() - 1).split(", "));
    return new RuleCase(
        signature.substring(0, open),
        parameters,
        value,
        p -> rules.stream().mapToDouble(rule -> rule.at(p[0], p[1], p[2])).toArray(),
        points);
  }

  /** scalb(d, scaleFactor) takes an int, which is data: its rule is checked on its own. */
  @Test
  void scalbScalesTheDerivativeByAPowerOfTwo() {
    for (int scaleFactor : new int[] {-3, 0, 5}) {
      for (double d : new double[] {-1.5, 0, 0.7}) {
        assertGradient(p -> Math.scalb(p[0], scaleFactor), new double[] {d},
            new double[] {MathRules.scalbD(d, scaleFactor)});
      }
    }
    assertEquals(32.0, MathRules.scalbD(0.7, 5));
  }

  @Test
  void clampSharesTiesAtItsBoundsAsMaxAndMinDo() {
    assertEquals(1.0, MathRules.clampX(0.5, 0, 1));
    assertEquals(0.5, MathRules.clampX(0, 0, 1));
    assertEquals(0.5, MathRules.clampMin(0, 0, 1));
    assertEquals(0.5, MathRules.clampX(1, 0, 1));
    assertEquals(0.5, MathRules.clampMax(1, 0, 1));
    assertEquals(1.0, MathRules.clampMin(-2, 0, 1) + MathRules.clampX(-2, 0, 1) + MathRules.clampMax(-2, 0, 1));
  }

  @Test
  void copySignIsFlatAtAZeroMagnitude() {
    assertEquals(0.0, MathRules.copySignMagnitude(0, -1));
    assertEquals(-1.0, MathRules.copySignMagnitude(2, -1));
    assertEquals(1.0, MathRules.copySignMagnitude(-2, -1));
  }

  static Stream<Arguments> rulesAtSmoothPoints() {
    return CASES.stream()
        .flatMap(
            rule ->
                Arrays.stream(rule.points())
                    .map(
                        point ->
                            Arguments.of(rule.function() + Arrays.toString(point), rule, point)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rulesAtSmoothPoints")
  void ruleAgreesWithFiniteDifferences(String label, RuleCase rule, double[] point) {
    assertGradient(rule.value(), point, rule.partials().apply(point));
  }

  @Test
  void everyPublicRuleIsCheckedAndFollowsTheSignatureConvention() {
    Map<String, RuleCase> caseByRule = new HashMap<>();
    CASES.forEach(rule -> rule.ruleNames().forEach(name -> caseByRule.put(name, rule)));
    List<String> declared = new ArrayList<>();
    for (Method method : MathRules.class.getDeclaredMethods()) {
      if (!Modifier.isPublic(method.getModifiers())) {
        continue;
      }
      declared.add(method.getName());
      RuleCase rule = caseByRule.get(method.getName());
      if (rule != null) {
        assertFollowsConvention(method, rule.parameters());
      }
    }
    TreeSet<String> expected = new TreeSet<>(caseByRule.keySet());
    expected.add("scalbD"); // see scalbScalesTheDerivativeByAPowerOfTwo
    assertEquals(expected, new TreeSet<>(declared));
  }

  @Test
  void rootsAreInfiniteAtZero() {
    assertEquals(Double.POSITIVE_INFINITY, MathRules.sqrt(0.0, Math.sqrt(0.0)));
    assertEquals(Double.POSITIVE_INFINITY, MathRules.sqrt(-0.0, Math.sqrt(-0.0)));
    assertEquals(Double.POSITIVE_INFINITY, MathRules.cbrt(0.0, Math.cbrt(0.0)));
    assertEquals(Double.POSITIVE_INFINITY, MathRules.cbrt(-0.0, Math.cbrt(-0.0)));
  }

  @Test
  void atan2AndHypotAreFlatAtTheOrigin() {
    assertEquals(0.0, MathRules.atan2Y(0, 0));
    assertEquals(0.0, MathRules.atan2X(0, 0));
    assertEquals(0.0, MathRules.hypotX(0, 0, 0));
    assertEquals(0.0, MathRules.hypotY(0, 0, 0));
  }

  @Test
  void absIsFlatAtZero() {
    assertEquals(0.0, MathRules.abs(0.0));
    assertEquals(0.0, MathRules.abs(-0.0));
  }

  @Test
  void maxAndMinShareTiesEqually() {
    assertEquals(0.5, MathRules.maxA(2, 2));
    assertEquals(0.5, MathRules.maxB(2, 2));
    assertEquals(0.5, MathRules.minA(2, 2));
    assertEquals(0.5, MathRules.minB(2, 2));
    assertEquals(0.5, MathRules.maxA(-0.0, 0.0), "signed zeros compare equal");
  }

  @Test
  void roundingAndSignRulesAreZeroAtTheirJumps() {
    assertEquals(0.0, MathRules.signum(0));
    assertEquals(0.0, MathRules.floor(2));
    assertEquals(0.0, MathRules.ceil(2));
    assertEquals(0.0, MathRules.rint(2.5));
  }

  @Test
  void powBaseIsZeroForAZeroExponentEvenAtBaseZero() {
    assertEquals(0.0, MathRules.powBase(0, 0));
    assertEquals(0.0, MathRules.powBase(5, 0));
    assertEquals(0.0, MathRules.powBase(-3, 0));
    assertEquals(1.0, MathRules.powBase(0, 1));
    assertEquals(0.0, MathRules.powBase(0, 2));
    assertEquals(Double.POSITIVE_INFINITY, MathRules.powBase(0, 0.5), "like sqrt at 0");
  }

  @Test
  void powBaseHoldsForANegativeBaseWithAnIntegerExponent() {
    assertGradient(
        p -> Math.pow(p[0], 3), new double[] {-2}, new double[] {MathRules.powBase(-2, 3)});
    assertGradient(
        p -> Math.pow(p[0], -2), new double[] {-0.5}, new double[] {MathRules.powBase(-0.5, -2)});
  }

  @Test
  void powExponentIsZeroWhereTheValueIsZeroAndNaNForANegativeBase() {
    assertEquals(0.0, MathRules.powExponent(0, 2, Math.pow(0, 2)));
    assertEquals(0.0, MathRules.powExponent(0, 0.5, Math.pow(0, 0.5)));
    assertEquals(Double.NaN, MathRules.powExponent(-2, 3, Math.pow(-2, 3)));
    assertEquals(Double.NaN, MathRules.powExponent(-2, 0.5, Math.pow(-2, 0.5)));
  }

  /** Parameters as the function's, optionally then {@code double value}; all doubles. */
  private static void assertFollowsConvention(Method rule, List<String> functionParameters) {
    String name = rule.getName();
    assertTrue(Modifier.isStatic(rule.getModifiers()), name + " is static");
    assertEquals(double.class, rule.getReturnType(), name + " returns double");
    List<String> ruleParameters = new ArrayList<>();
    for (Parameter parameter : rule.getParameters()) {
      assertEquals(double.class, parameter.getType(), name + " takes doubles");
      ruleParameters.add(parameter.getName());
    }
    List<String> withValue =
        Stream.concat(functionParameters.stream(), Stream.of("value")).toList();
    assertTrue(
        ruleParameters.equals(functionParameters) || ruleParameters.equals(withValue),
        name + " takes " + ruleParameters + ", expected " + functionParameters + " [value]");
  }

  /** A one-parameter function whose rule does not take the value. */
  private static RuleCase unary(
      String function, DoubleUnaryOperator value, DoubleUnaryOperator rule, double... points) {
    return unary(function, value, (x, valueAtX) -> rule.applyAsDouble(x), points);
  }

  /** A one-parameter function whose rule takes the value, computed here as generated code would. */
  private static RuleCase unary(
      String function, DoubleUnaryOperator value, DoubleBinaryOperator rule, double... points) {
    return new RuleCase(
        function,
        List.of("x"),
        p -> value.applyAsDouble(p[0]),
        p -> new double[] {rule.applyAsDouble(p[0], value.applyAsDouble(p[0]))},
        Arrays.stream(points).mapToObj(x -> new double[] {x}).toArray(double[][]::new));
  }

  /**
   * A two-parameter function; {@code signature} names its parameters, as in "pow(base, exponent)".
   */
  private static RuleCase binary(
      String signature,
      DoubleBinaryOperator value,
      BinaryRule first,
      BinaryRule second,
      double[][] points) {
    int open = signature.indexOf('(');
    List<String> parameters =
        List.of(signature.substring(open + 1, signature.length() - 1).split(", "));
    return new RuleCase(
        signature.substring(0, open),
        parameters,
        p -> value.applyAsDouble(p[0], p[1]),
        p -> {
          double valueAtP = value.applyAsDouble(p[0], p[1]);
          return new double[] {first.at(p[0], p[1], valueAtP), second.at(p[0], p[1], valueAtP)};
        },
        points);
  }

  /** A two-parameter rule that does not take the value. */
  private static BinaryRule rule(DoubleBinaryOperator rule) {
    return (first, second, value) -> rule.applyAsDouble(first, second);
  }

  /** A two-parameter rule that takes the value. */
  private static BinaryRule rule(BinaryRule rule) {
    return rule;
  }
}
