package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static dev.adjoint.runtime.check.GradientAssertions.assertJacobian;
import static dev.adjoint.runtime.rules.CompiledRules.capitalised;
import static dev.adjoint.runtime.rules.CompiledRules.onlyPublicStaticMethod;
import static dev.adjoint.runtime.rules.CompiledRules.publicStaticMethods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.rules.CompiledRules.Rule;
import dev.adjoint.runtime.rules.CompiledRules.RuleParameter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link SecondOrderRules} against central finite differences of the {@link
 * MathRules} method it differentiates, taken as written (a {@code value} parameter is an argument
 * of its own); then the rules composed as forward-over-reverse code composes them, against finite
 * differences of the first-order rules; then the conventions at special points; then the rules'
 * signatures and coverage, read from the compiled class with javac (the annotation has CLASS
 * retention).
 */
class SecondOrderRulesTest {
  /** A MathRules method and points, in its parameters' order, around which it is smooth. */
  private record Case(String function, double[][] points) {}

  private static final double[][] ATAN2_POINTS = {
    {1, 2}, {-1, 0.5}, {0.3, -2}, {-2, -0.1}, {0, 1}, {5, 0}
  };
  private static final double[][] POW_POINTS = {
    {2, 3}, {0.5, -1.5}, {3, 0.5}, {1.7, 0}, {2, 1}, {1, 2.5}, {0.2, 7}
  };
  private static final double[][] HYPOT_PAIRS = {{3, 4}, {-1, 0.5}, {0.2, -7}, {1e-3, 2}};
  // (x, y, hypot(x, y)) as generated code passes them, then a value unrelated to x and y.
  private static final double[][] HYPOT_POINTS =
      join(withValue(Math::hypot, HYPOT_PAIRS), new double[][] {{1, 2, -0.5}});
  private static final double[][] PAIRS_WITHOUT_TIES = {{1, 2}, {3, -1}, {-0.5, -0.4}};

  private static final List<Case> CASES =
      List.of(
          new Case("sin", xs(-3, -0.5, 0, 1, 2.5, 40)),
          new Case("cos", xs(-3, -0.5, 0, 1, 2.5, 40)),
          new Case(
              "tan", join(withValue(Math::tan, -1.2, 0, 0.7, 1.5), new double[][] {{0.3, -2}})),
          new Case("asin", xs(-0.9, -0.3, 0, 0.5, 0.95)),
          new Case("acos", xs(-0.9, -0.3, 0, 0.5, 0.95)),
          new Case("atan", xs(-20, -1, 0, 0.4, 3)),
          new Case("atan2Y", ATAN2_POINTS),
          new Case("atan2X", ATAN2_POINTS),
          new Case("sinh", xs(-4, -0.5, 0, 1.2, 10)),
          new Case("cosh", xs(-4, -0.5, 0, 1.2, 10)),
          new Case(
              "tanh", join(withValue(Math::tanh, -3, -0.2, 0, 0.5, 4), new double[][] {{1, 3}})),
          new Case("exp", join(withValue(Math::exp, -5, 0, 1.5, 20), new double[][] {{0, -2}})),
          new Case(
              "expm1",
              join(withValue(Math::expm1, -3, -1e-3, 0, 1e-3, 2), new double[][] {{1, -0.5}})),
          new Case("log", xs(0.05, 0.5, 1, 7, 1e5)),
          new Case("log10", xs(0.05, 0.5, 1, 7, 1e5)),
          new Case("log1p", xs(-0.9, -1e-3, 0, 0.5, 30)),
          new Case(
              "sqrt",
              join(withValue(Math::sqrt, 0.01, 0.3, 1, 2, 1e4), new double[][] {{-1, -0.5}})),
          new Case(
              "cbrt",
              join(withValue(Math::cbrt, -27, -0.2, 0.05, 1, 8), new double[][] {{2, -1.5}})),
          new Case("powBase", POW_POINTS),
          new Case(
              "powExponent",
              // The value as generated code passes it, then a zero value and an unrelated one.
              join(withValue(Math::pow, POW_POINTS), new double[][] {{2, 3, 0}, {1.5, -1, -2}})),
          new Case("hypotX", HYPOT_POINTS),
          new Case("hypotY", HYPOT_POINTS),
          new Case("abs", xs(-2, -0.1, 0.3, 5)),
          new Case("maxA", PAIRS_WITHOUT_TIES),
          new Case("maxB", PAIRS_WITHOUT_TIES),
          new Case("minA", PAIRS_WITHOUT_TIES),
          new Case("minB", PAIRS_WITHOUT_TIES),
          // These MathRules methods are the constant 0, smooth even at the jumps of Math's.
          new Case("signum", xs(-2.3, 0, 0.3, 7.6)),
          new Case("floor", xs(-2.3, 0.3, 2, 7.6)),
          new Case("ceil", xs(-2.3, 0.3, 2, 7.6)),
          new Case("rint", xs(-2.3, 0.3, 2.5, 7.6)),
          new Case("toRadians", xs(-200, 0, 45)),
          new Case("toDegrees", xs(-7, 0, 0.5)),
          new Case("nextUp", xs(-2.3, 0, 7.6)),
          new Case("nextDown", xs(-2.3, 0, 7.6)),
          new Case("ulp", xs(-2.3, 0.3, 7.6)),
          new Case("nextAfterStart", new double[][] {{1, 2}, {1, -2}}),
          new Case("nextAfterDirection", new double[][] {{1, 2}, {1, -2}}),
          new Case("copySignMagnitude", new double[][] {{1.5, 2}, {-0.7, -0.1}}),
          new Case("copySignSign", new double[][] {{1.5, 2}, {-0.7, -0.1}}),
          new Case("fmaA", new double[][] {{1, 2, 3}, {-0.5, 4, 0}}),
          new Case("fmaB", new double[][] {{1, 2, 3}, {-0.5, 4, 0}}),
          new Case("fmaC", new double[][] {{1, 2, 3}, {-0.5, 4, 0}}),
          new Case("clampX", new double[][] {{0.5, 0, 1}, {-1, 0, 1}, {2, 0, 1}}),
          new Case("clampMin", new double[][] {{0.5, 0, 1}, {-1, 0, 1}, {2, 0, 1}}),
          new Case("clampMax", new double[][] {{0.5, 0, 1}, {-1, 0, 1}, {2, 0, 1}}));

  static Stream<Arguments> rulesAtSmoothPoints() {
    return CASES.stream()
        .flatMap(
            c ->
                Arrays.stream(c.points())
                    .map(point -> Arguments.of(c.function() + Arrays.toString(point), c, point)));
  }

  /** The gradient of a MathRules method, as this class's rules give it, against its FD estimate. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rulesAtSmoothPoints")
  void rulesAgreeWithFiniteDifferencesOfMathRules(String label, Case c, double[] point) {
    Method function = mathRule(c.function());
    double value = call(function, point);
    double[] gradient = new double[point.length];
    for (int i = 0; i < point.length; i++) {
      Method rule = secondOrderRule(function, i);
      gradient[i] =
          rule.getParameterCount() == point.length
              ? call(rule, point)
              : call(rule, append(point, value));
    }
    assertGradient(p -> call(function, p), point, gradient);
  }

  // ---------------------------------------------------------------------------------------------
  // Composed as forward-over-reverse code composes them: the tangent of a value-taking rule is its
  // partial along x plus its partial along the value times the tangent of the value.

  /** A first-order gradient, as generated code computes it, and its Jacobian from these rules. */
  private record Hessian(
      String function,
      Function<double[], double[]> gradient,
      Function<double[], double[][]> hessian,
      double[][] points) {}

  /** A partial of a value-taking unary rule, as MathRules.tan(x, value) or tanValue(x, value). */
  private interface ValueRule {
    double at(double x, double value);
  }

  private static final List<Hessian> HESSIANS =
      List.of(
          unaryHessian(
              "tan",
              Math::tan,
              MathRules::tan,
              SecondOrderRules::tanX,
              SecondOrderRules::tanValue,
              -1.2, 0, 0.7, 1.5),
          unaryHessian(
              "tanh",
              Math::tanh,
              MathRules::tanh,
              SecondOrderRules::tanhX,
              SecondOrderRules::tanhValue,
              -3, -0.2, 0, 0.5, 4),
          unaryHessian(
              "exp",
              Math::exp,
              MathRules::exp,
              SecondOrderRules::expX,
              SecondOrderRules::expValue,
              -5, 0, 1.5, 20),
          unaryHessian(
              "expm1",
              Math::expm1,
              MathRules::expm1,
              SecondOrderRules::expm1X,
              SecondOrderRules::expm1Value,
              -3, -1e-3, 0, 1e-3, 2),
          unaryHessian(
              "sqrt",
              Math::sqrt,
              MathRules::sqrt,
              SecondOrderRules::sqrtX,
              SecondOrderRules::sqrtValue,
              0.01, 0.3, 1, 2, 1e4),
          unaryHessian(
              "cbrt",
              Math::cbrt,
              MathRules::cbrt,
              SecondOrderRules::cbrtX,
              SecondOrderRules::cbrtValue,
              -27, -0.2, 0.05, 1, 8),
          new Hessian(
              "pow",
              p -> {
                double value = Math.pow(p[0], p[1]);
                return new double[] {
                  MathRules.powBase(p[0], p[1]), MathRules.powExponent(p[0], p[1], value)
                };
              },
              p -> {
                double b = p[0];
                double e = p[1];
                double value = Math.pow(b, e);
                double valueB = MathRules.powBase(b, e);
                double valueE = MathRules.powExponent(b, e, value);
                double alongValue = SecondOrderRules.powExponentValue(b, e, value);
                return new double[][] {
                  {SecondOrderRules.powBaseBase(b, e), SecondOrderRules.powBaseExponent(b, e)},
                  {
                    SecondOrderRules.powExponentBase(b, e, value) + alongValue * valueB,
                    SecondOrderRules.powExponentExponent(b, e, value) + alongValue * valueE
                  }
                };
              },
              POW_POINTS),
          new Hessian(
              "atan2",
              p -> new double[] {MathRules.atan2Y(p[0], p[1]), MathRules.atan2X(p[0], p[1])},
              p ->
                  new double[][] {
                    {SecondOrderRules.atan2YY(p[0], p[1]), SecondOrderRules.atan2YX(p[0], p[1])},
                    {SecondOrderRules.atan2XY(p[0], p[1]), SecondOrderRules.atan2XX(p[0], p[1])}
                  },
              ATAN2_POINTS),
          new Hessian(
              "hypot",
              p -> {
                double value = Math.hypot(p[0], p[1]);
                return new double[] {
                  MathRules.hypotX(p[0], p[1], value), MathRules.hypotY(p[0], p[1], value)
                };
              },
              p -> {
                double x = p[0];
                double y = p[1];
                double value = Math.hypot(x, y);
                double valueX = MathRules.hypotX(x, y, value);
                double valueY = MathRules.hypotY(x, y, value);
                double xAlongValue = SecondOrderRules.hypotXValue(x, y, value);
                double yAlongValue = SecondOrderRules.hypotYValue(x, y, value);
                return new double[][] {
                  {
                    SecondOrderRules.hypotXX(x, y, value) + xAlongValue * valueX,
                    SecondOrderRules.hypotXY(x, y, value) + xAlongValue * valueY
                  },
                  {
                    SecondOrderRules.hypotYX(x, y, value) + yAlongValue * valueX,
                    SecondOrderRules.hypotYY(x, y, value) + yAlongValue * valueY
                  }
                };
              },
              HYPOT_PAIRS));

  static Stream<Arguments> composedAtSmoothPoints() {
    return HESSIANS.stream()
        .flatMap(
            h ->
                Arrays.stream(h.points())
                    .map(point -> Arguments.of(h.function() + Arrays.toString(point), h, point)));
  }

  /** The composed rules are the Jacobian of the first-order gradient, and it is symmetric. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("composedAtSmoothPoints")
  void composedRulesGiveTheSymmetricHessian(String label, Hessian h, double[] point) {
    double[][] hessian = h.hessian().apply(point);
    assertJacobian(h.gradient(), point, hessian);
    for (int i = 0; i < hessian.length; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(
            hessian[i][j],
            hessian[j][i],
            1e-12 * Math.max(1, Math.abs(hessian[i][j])),
            "entries " + i + "," + j + " and " + j + "," + i);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conventions at special points

  @Test
  void sqrtValueIsMinusInfinityAtZero() {
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.sqrtValue(0.0, 0.0));
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.sqrtValue(-0.0, -0.0));
    assertEquals(0.0, SecondOrderRules.sqrtX(0.0, 0.0));
  }

  @Test
  void cbrtValueIsZeroAtZero() {
    assertEquals(0.0, SecondOrderRules.cbrtValue(0.0, 0.0));
    assertEquals(0.0, SecondOrderRules.cbrtValue(-0.0, -0.0));
    assertEquals(0.0, SecondOrderRules.cbrtX(0.0, 0.0));
  }

  @Test
  void asinAndAcosAreInfiniteAtTheEndsOfTheirDomain() {
    assertEquals(Double.POSITIVE_INFINITY, SecondOrderRules.asin(1, MathRules.asin(1)));
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.asin(-1, MathRules.asin(-1)));
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.acos(1, MathRules.acos(1)));
    assertEquals(Double.POSITIVE_INFINITY, SecondOrderRules.acos(-1, MathRules.acos(-1)));
  }

  @Test
  void logIsMinusInfinityAtZero() {
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.log(0.0, MathRules.log(0.0)));
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.log(-0.0, MathRules.log(-0.0)));
  }

  @Test
  void atan2AndHypotAreFlatAtTheOrigin() {
    assertEquals(0.0, SecondOrderRules.atan2YY(0, 0));
    assertEquals(0.0, SecondOrderRules.atan2YX(0, 0));
    assertEquals(0.0, SecondOrderRules.atan2XY(0, 0));
    assertEquals(0.0, SecondOrderRules.atan2XX(0, 0));
    assertEquals(0.0, SecondOrderRules.hypotXX(0, 0, 0));
    assertEquals(0.0, SecondOrderRules.hypotXY(0, 0, 0));
    assertEquals(0.0, SecondOrderRules.hypotXValue(0, 0, 0));
    assertEquals(0.0, SecondOrderRules.hypotYX(0, 0, 0));
    assertEquals(0.0, SecondOrderRules.hypotYY(0, 0, 0));
    assertEquals(0.0, SecondOrderRules.hypotYValue(0, 0, 0));
  }

  @Test
  void powBaseBaseIsZeroWherePowBaseIsConstantEvenAtBaseZero() {
    assertEquals(0.0, SecondOrderRules.powBaseBase(0, 0));
    assertEquals(0.0, SecondOrderRules.powBaseBase(0, 1));
    assertEquals(0.0, SecondOrderRules.powBaseBase(-3, 0));
    assertEquals(0.0, SecondOrderRules.powBaseBase(-3, 1));
    assertEquals(2.0, SecondOrderRules.powBaseBase(0, 2));
    assertEquals(0.0, SecondOrderRules.powBaseBase(0, 3));
    assertEquals(Double.NEGATIVE_INFINITY, SecondOrderRules.powBaseBase(0, 0.5), "like sqrt''");
  }

  @Test
  void powBaseBaseHoldsForANegativeBaseWithAnIntegerExponent() {
    assertGradient(
        p -> MathRules.powBase(p[0], 3),
        new double[] {-2},
        new double[] {SecondOrderRules.powBaseBase(-2, 3)});
    assertGradient(
        p -> MathRules.powBase(p[0], -2),
        new double[] {-0.5},
        new double[] {SecondOrderRules.powBaseBase(-0.5, -2)});
  }

  @Test
  void powBaseExponentIsZeroWherePowBaseVanishesAndNaNForANegativeBase() {
    assertEquals(0.0, SecondOrderRules.powBaseExponent(0, 2));
    assertEquals(0.0, SecondOrderRules.powBaseExponent(0, 3.5));
    assertEquals(Double.NaN, SecondOrderRules.powBaseExponent(-2, 3));
    assertEquals(Double.NaN, SecondOrderRules.powBaseExponent(-2, 0.5));
    assertEquals(Double.NaN, SecondOrderRules.powBaseExponent(-2, 0));
  }

  @Test
  void powExponentRulesFollowMathRulesAtZeroAndNegativeBases() {
    assertEquals(0.0, SecondOrderRules.powExponentBase(0, 2, Math.pow(0, 2)));
    assertEquals(0.0, SecondOrderRules.powExponentBase(-2, 3, 0));
    assertEquals(Double.NaN, SecondOrderRules.powExponentBase(-2, 3, Math.pow(-2, 3)));
    assertEquals(0.0, SecondOrderRules.powExponentValue(0, 2, Math.pow(0, 2)));
    assertEquals(0.0, SecondOrderRules.powExponentValue(-0.0, 2, Math.pow(-0.0, 2)));
    assertEquals(Double.NaN, SecondOrderRules.powExponentValue(-2, 3, Math.pow(-2, 3)));
    assertEquals(0.0, SecondOrderRules.powExponentExponent(-2, 3, Math.pow(-2, 3)));
  }

  /** At b = 0, e = 2 the Hessian of pow is {{2, 0}, {0, 0}}, the limit as b falls to 0. */
  @Test
  void composedPowHessianIsFiniteAtBaseZero() {
    Hessian pow = HESSIANS.stream().filter(h -> h.function().equals("pow")).findFirst().get();
    double[][] hessian = pow.hessian().apply(new double[] {0, 2});
    assertEquals(List.of(2.0, 0.0, 0.0, 0.0), flat(hessian));
  }

  @Test
  void piecewiseConstantRulesAreZeroAlsoAtTheirJumps() {
    assertEquals(0.0, SecondOrderRules.abs(0));
    assertEquals(0.0, SecondOrderRules.abs(-0.0));
    assertEquals(0.0, SecondOrderRules.maxAA(2, 2));
    assertEquals(0.0, SecondOrderRules.maxAB(2, 2));
    assertEquals(0.0, SecondOrderRules.maxBA(2, 2));
    assertEquals(0.0, SecondOrderRules.maxBB(2, 2));
    assertEquals(0.0, SecondOrderRules.minAA(2, 2));
    assertEquals(0.0, SecondOrderRules.minAB(2, 2));
    assertEquals(0.0, SecondOrderRules.minBA(2, 2));
    assertEquals(0.0, SecondOrderRules.minBB(2, 2));
    assertEquals(0.0, SecondOrderRules.signum(0));
    assertEquals(0.0, SecondOrderRules.floor(2));
    assertEquals(0.0, SecondOrderRules.ceil(2));
    assertEquals(0.0, SecondOrderRules.rint(2.5));
  }

  // ---------------------------------------------------------------------------------------------
  // Signatures and coverage, from the annotations as javac reads them from the class file

  @Test
  void everyParameterOfEveryMathRuleHasExactlyOneRule() {
    Set<String> expected = new TreeSet<>();
    for (Method function : publicStaticMethods(MathRules.class)) {
      for (Parameter parameter : function.getParameters()) {
        if (parameter.getType() == double.class) {
          expected.add(function.getName() + "#" + parameter.getName());
        }
      }
    }
    List<String> covered = new ArrayList<>();
    for (Rule rule : CompiledRules.of(SecondOrderRules.class)) {
      Method function = mathRule(rule.function());
      String wrt =
          rule.wrt().isEmpty() ? function.getParameters()[0].getName() : rule.wrt();
      covered.add(rule.function() + "#" + wrt);
    }
    assertEquals(expected, new TreeSet<>(covered));
    assertEquals(covered.size(), new TreeSet<>(covered).size(), "no parameter has two rules");
  }

  @Test
  void everyRuleFollowsTheConvention() {
    List<Rule> rules = CompiledRules.of(SecondOrderRules.class);
    assertFalse(rules.isEmpty());
    for (Rule rule : rules) {
      String name = rule.name();
      assertTrue(rule.publicStatic(), name + " is public static");
      assertEquals(MathRules.class.getName(), rule.owner(), name + "'s owner");
      assertFalse(rule.tangent(), name + " is in the partial form");
      assertEquals("double", rule.returnType(), name + " returns double");

      Method function = mathRule(rule.function());
      List<String> functionNames =
          Stream.of(function.getParameters()).map(Parameter::getName).toList();
      List<RuleParameter> parameters = rule.parameters();
      int extras = parameters.size() - functionNames.size();
      assertTrue(extras == 0 || extras == 1, name + " takes " + functionNames + " [value]");
      for (RuleParameter parameter : parameters) {
        boolean data = parameter.name().equals("scaleFactor"); // scalb's int
        assertEquals(data ? "int" : "double", parameter.type(), name + " takes doubles");
      }
      List<String> names = rule.parameterNames();
      assertEquals(functionNames, names.subList(0, functionNames.size()), name + "'s parameters");
      if (extras == 1) {
        assertEquals("value", names.get(names.size() - 1), name + " calls the extra one value");
      }

      String expectedName;
      if (rule.wrt().isEmpty()) {
        assertEquals(1, functionNames.size(), name + ": wrt may be omitted only for one parameter");
        expectedName = rule.function();
      } else {
        assertTrue(
            functionNames.contains(rule.wrt()),
            name + ": wrt '" + rule.wrt() + "' is one of " + functionNames);
        expectedName =
            functionNames.size() == 1 ? rule.function() : rule.function() + capitalised(rule.wrt());
      }
      assertEquals(expectedName, name, "the naming convention");
    }
  }

  @Test
  void everyRuleIsCheckedAgainstFiniteDifferences() {
    Set<String> checked = new TreeSet<>();
    for (Case c : CASES) {
      Method function = mathRule(c.function());
      for (int i = 0; i < function.getParameterCount(); i++) {
        checked.add(secondOrderRule(function, i).getName());
      }
      for (double[] point : c.points()) {
        assertEquals(function.getParameterCount(), point.length, c.function() + "'s points");
      }
    }
    assertEquals(0.0, SecondOrderRules.scalbDD(0.7, 5)); // scalbD takes an int: checked here
    checked.add("scalbDD");
    Set<String> declared =
        publicStaticMethods(SecondOrderRules.class).stream()
            .map(Method::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(declared, checked);
  }

  // ---------------------------------------------------------------------------------------------
  // Reflection on the rule classes

  /** The only public static method of MathRules with this name. */
  private static Method mathRule(String name) {
    return onlyPublicStaticMethod(MathRules.class, name);
  }

  /** The rule for parameter {@code index} of a MathRules method, found by the naming convention. */
  private static Method secondOrderRule(Method function, int index) {
    String name =
        function.getParameterCount() == 1
            ? function.getName()
            : function.getName() + capitalised(function.getParameters()[index].getName());
    return onlyPublicStaticMethod(SecondOrderRules.class, name);
  }

  private static double call(Method method, double... arguments) {
    Object[] boxed = Arrays.stream(arguments).boxed().toArray();
    try {
      return (double) method.invoke(null, boxed);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(method.getName(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Points

  private static double[][] xs(double... xs) {
    return Arrays.stream(xs).mapToObj(x -> new double[] {x}).toArray(double[][]::new);
  }

  /** Points {x, f(x)}: a value-taking method where generated code calls it. */
  private static double[][] withValue(DoubleUnaryOperator f, double... xs) {
    return Arrays.stream(xs)
        .mapToObj(x -> new double[] {x, f.applyAsDouble(x)})
        .toArray(double[][]::new);
  }

  /** Points {a, b, f(a, b)}. */
  private static double[][] withValue(DoubleBinaryOperator f, double[][] pairs) {
    return Arrays.stream(pairs)
        .map(p -> new double[] {p[0], p[1], f.applyAsDouble(p[0], p[1])})
        .toArray(double[][]::new);
  }

  private static double[][] join(double[][] first, double[][] second) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(double[][]::new);
  }

  private static double[] append(double[] point, double value) {
    double[] longer = Arrays.copyOf(point, point.length + 1);
    longer[point.length] = value;
    return longer;
  }

  private static List<Double> flat(double[][] matrix) {
    return Arrays.stream(matrix).flatMapToDouble(Arrays::stream).boxed().toList();
  }

  /** A value-taking unary Math function's Hessian, from its first- and second-order rules. */
  private static Hessian unaryHessian(
      String function,
      DoubleUnaryOperator math,
      ValueRule firstOrder,
      ValueRule alongX,
      ValueRule alongValue,
      double... xs) {
    return new Hessian(
        function,
        p -> new double[] {firstOrder.at(p[0], math.applyAsDouble(p[0]))},
        p -> {
          double x = p[0];
          double value = math.applyAsDouble(x);
          double valueTangent = firstOrder.at(x, value);
          return new double[][] {{alongX.at(x, value) + alongValue.at(x, value) * valueTangent}};
        },
        xs(xs));
  }
}
