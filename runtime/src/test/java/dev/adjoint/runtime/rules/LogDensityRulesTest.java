package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.CompiledRules.onlyPublicStaticMethod;
import static dev.adjoint.runtime.rules.SpecialRulesTest.richardson;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.LogDensity;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.SpecialFunctions;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.CauchyDistribution;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PascalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LogDensity} against Commons Math's distribution objects, and in the tails against closed
 * forms; every rule of {@link LogDensityRules} against Richardson-extrapolated central differences
 * at points that include the tails; the multivariate normal's pullback rules entry by entry and
 * its tangent rules by the dot-product identity; the conventions outside the support.
 */
class LogDensityRulesTest {
  /** Points per density, its arguments in order (counts as doubles), tails included. */
  private static final Map<String, double[][]> POINTS = Map.ofEntries(
      entry("normal", new double[][] {{0, 0, 1}, {3, 1, 2}, {40, 0, 1}, {-1e3, 2, 0.5}}),
      entry("lognormal", new double[][] {{1.5, 0.2, 0.7}, {1e-5, 0, 1}, {100, 0, 1}}),
      entry("studentT", new double[][] {{0.3, 3, 0, 1}, {50, 2.5, 1, 2}, {-4, 30, 0.5, 0.8}, {1e4, 1.5, 0, 1}}),
      entry("cauchy", new double[][] {{0.5, 0, 1}, {1e3, 1, 2}, {-3, 0.5, 0.1}}),
      entry("exponential", new double[][] {{0.5, 2}, {30, 3}, {1e-3, 1.5}}),
      entry("gamma", new double[][] {{2, 3, 1.5}, {0.01, 0.5, 2}, {50, 2, 1}, {1e-6, 4, 0.3}}),
      entry("inverseGamma", new double[][] {{0.7, 3, 1.5}, {0.01, 0.5, 2}, {50, 2, 1}}),
      entry("beta", new double[][] {{0.3, 2, 3}, {1e-4, 0.5, 0.5}, {0.999, 5, 1.5}, {0.5, 40, 60}}),
      entry("laplace", new double[][] {{0.3, 0, 1}, {-20, 1, 0.5}, {1e3, 0, 2}}),
      entry("poisson", new double[][] {{3, 2.5}, {0, 1.7}, {50, 3}, {2, 80}}),
      entry("binomialLogit", new double[][] {{3, 10, 0.2}, {0, 5, -3}, {20, 20, 4}, {0, 50, 30}, {50, 50, -30}}),
      entry("negativeBinomial", new double[][] {{3, 2.5, 4}, {0, 1, 2}, {40, 5, 3}, {7, 6, 50}, {2000, 1500, 30}}));

  static Stream<Rule> scalarRules() {
    return CompiledRules.of(LogDensityRules.class).stream()
        .filter(rule -> rule.parameters().stream().noneMatch(p -> p.type().endsWith("Matrix") || p.type().endsWith("[]")));
  }

  static Stream<Rule> secondOrderRules() {
    return CompiledRules.of(LogDensitySecondOrderRules.class).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalarRules")
  void ruleMatchesDifferences(Rule rule) throws Exception {
    checkAgainstDifferences(rule, functionOf(rule), onlyPublicStaticMethod(LogDensityRules.class, rule.name()),
        POINTS.get(rule.function()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secondOrderRules")
  void secondOrderRuleMatchesDifferencesOfTheFirstOrderRule(Rule rule) throws Exception {
    Rule firstOrder = scalarRules().filter(candidate -> candidate.name().equals(rule.function())).findFirst().orElseThrow();
    checkAgainstDifferences(rule, onlyPublicStaticMethod(LogDensityRules.class, firstOrder.name()),
        onlyPublicStaticMethod(LogDensitySecondOrderRules.class, rule.name()), POINTS.get(firstOrder.function()));
  }

  private static void checkAgainstDifferences(Rule rule, Method function, Method ruleMethod, double[][] points) {
    int wrt = rule.wrtIndex();
    for (double[] point : points) {
      DoubleUnaryOperator along = t -> invoke(function, moved(point, wrt, t));
      double x = point[wrt];
      double step = 1e-4 * (x == 0 ? 1 : Math.abs(x));
      if (rule.function().startsWith("beta") && wrt == 0) {
        step = 1e-4 * Math.min(x, 1 - x);
      }
      double expected = richardson(along, x, step);
      double actual = invoke(ruleMethod, point);
      double noise = (1e-15 * Math.abs(along.applyAsDouble(x)) + 2 * Math.abs(expected) * Math.ulp(x)) / step;
      assertEquals(expected, actual, 1e-7 * Math.abs(expected) + noise,
          rule.name() + " at " + Arrays.toString(point));
    }
  }

  @Test
  void everyDensityHasPointsAndEveryDoubleArgumentARule() throws Exception {
    TreeSet<String> expected = new TreeSet<>();
    for (Method density : CompiledRules.publicStaticMethods(LogDensity.class)) {
      for (java.lang.reflect.Parameter parameter : density.getParameters()) {
        if (parameter.getType() != int.class) {
          expected.add(density.getName() + "#" + parameter.getName());
        }
      }
    }
    TreeSet<String> pullbacks = CompiledRules.of(LogDensityRules.class).stream().filter(rule -> !rule.tangent())
        .map(Rule::key).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, pullbacks);
    TreeSet<String> withPoints = new TreeSet<>(POINTS.keySet());
    withPoints.add("multiNormalCholesky");
    withPoints.add("dirichlet");
    assertEquals(CompiledRules.publicStaticMethods(LogDensity.class).stream().map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new)), withPoints);
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  @Test
  void valuesAgreeWithCommonsMath() {
    for (double[] p : POINTS.get("normal")) {
      assertClose(new NormalDistribution(p[1], p[2]).logDensity(p[0]), LogDensity.normal(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("lognormal")) {
      assertClose(new LogNormalDistribution(p[1], p[2]).logDensity(p[0]), LogDensity.lognormal(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("studentT")) {
      assertClose(new TDistribution(p[1]).logDensity((p[0] - p[2]) / p[3]) - Math.log(p[3]),
          LogDensity.studentT(p[0], p[1], p[2], p[3]));
    }
    for (double[] p : POINTS.get("cauchy")) {
      assertClose(new CauchyDistribution(p[1], p[2]).logDensity(p[0]), LogDensity.cauchy(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("exponential")) {
      assertClose(new ExponentialDistribution(1 / p[1]).logDensity(p[0]), LogDensity.exponential(p[0], p[1]));
    }
    for (double[] p : POINTS.get("gamma")) {
      assertClose(new GammaDistribution(p[1], 1 / p[2]).logDensity(p[0]), LogDensity.gamma(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("inverseGamma")) {
      // 1/x is gamma(shape, rate = scale): the density of x is that of 1/x over x².
      assertClose(new GammaDistribution(p[1], 1 / p[2]).logDensity(1 / p[0]) - 2 * Math.log(p[0]),
          LogDensity.inverseGamma(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("beta")) {
      assertClose(new BetaDistribution(p[1], p[2]).logDensity(p[0]), LogDensity.beta(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("laplace")) {
      assertClose(Math.log(new LaplaceDistribution(p[1], p[2]).density(p[0])), LogDensity.laplace(p[0], p[1], p[2]));
    }
    for (double[] p : POINTS.get("poisson")) {
      assertClose(new PoissonDistribution(p[1]).logProbability((int) p[0]), LogDensity.poisson((int) p[0], p[1]));
    }
    for (double[] p : new double[][] {{3, 10, 0.2}, {0, 5, -3}, {20, 20, 4}, {7, 9, 1.5}}) {
      assertClose(new BinomialDistribution((int) p[1], SpecialFunctions.logistic(p[2])).logProbability((int) p[0]),
          LogDensity.binomialLogit((int) p[0], (int) p[1], p[2]));
    }
    for (double[] p : new double[][] {{3, 2.5, 4}, {0, 1, 2}, {40, 5, 3}, {2000, 1500, 30}}) {
      // Pascal(r, p) counts failures before the r-th success: φ = r, p = φ/(μ + φ).
      assertClose(new PascalDistribution((int) p[2], p[2] / (p[1] + p[2])).logProbability((int) p[0]),
          LogDensity.negativeBinomial((int) p[0], p[1], p[2]));
    }
  }

  @Test
  void tailsStayFiniteAndAccurate() {
    // log(1 - logistic(30)) = -log1pExp(30): Commons Math's 1 - p would lose every digit.
    assertEquals(-50 * SpecialFunctions.log1pExp(30), LogDensity.binomialLogit(0, 50, 30), 1e-12);
    assertEquals(-50 * SpecialFunctions.log1pExp(30), LogDensity.binomialLogit(50, 50, -30), 1e-12);
    double tail = Math.exp(-30) / (1 + Math.exp(-30));
    assertEquals(50 * tail, LogDensityRules.binomialLogit(50, 50, 30), 1e-14 * tail);
    assertEquals(-50 * tail, LogDensityRules.binomialLogit(0, 50, -30), 1e-14 * tail);
    assertEquals(-0.5 * 1e6 - 0.5 * Math.log(2 * Math.PI), LogDensity.normal(1e3, 0, 1), 1e-9);
    assertEquals(-5e299, LogDensity.normal(1e150, 0, 1), 1e285);
    // A huge dispersion is the Poisson limit.
    assertEquals(LogDensity.poisson(7, 6), LogDensity.negativeBinomial(7, 6, 1e12), 1e-9);
    assertEquals(LogDensityRules.poissonRate(7, 6), LogDensityRules.negativeBinomialMu(7, 6, 1e12), 1e-9);
    // ∂/∂φ → -((k - μ)² - k)/(2φ²) as φ grows, where differences of log Γ(k + φ) - log Γ(φ) fail.
    assertEquals(3e-12, LogDensityRules.negativeBinomialPhi(7, 6, 1e6), 1e-16);
    assertEquals(Math.log(1.5) - 1.5 * 700, LogDensity.exponential(700, 1.5), 1e-12);
  }

  @Test
  void outsideTheSupportAndAtItsBoundaries() {
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.gamma(-1, 2, 1));
    assertEquals(0, LogDensityRules.gammaShape(-1, 2, 1));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.lognormal(0, 0, 1));
    assertEquals(0, LogDensityRules.lognormalX(-2, 0, 1));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.beta(1.5, 2, 2));
    assertEquals(0, LogDensityRules.betaA(1.5, 2, 2));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.exponential(-0.1, 2));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.poisson(-1, 2));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.binomialLogit(6, 5, 0));
    assertEquals(0, LogDensity.poisson(0, 0));
    assertEquals(-1, LogDensityRules.poissonRate(0, 0));
    assertEquals(Math.log(3), LogDensity.beta(0, 1, 3), 1e-15);
    assertEquals(-2, LogDensityRules.betaX(0, 1, 3));
    assertEquals(Double.POSITIVE_INFINITY, LogDensity.beta(0, 0.5, 3));
    assertEquals(Math.log(2), LogDensity.gamma(0, 1, 2), 1e-15);
    assertEquals(0, LogDensityRules.laplaceX(1, 1, 2));
    assertTrue(Double.isNaN(LogDensity.normal(0, 0, -1)));
    assertTrue(Double.isNaN(LogDensity.gamma(Double.NaN, 2, 1)));
  }

  // ---------------------------------------------------------------------------------------------
  // Multivariate normal

  @Test
  void multivariateNormalAgainstCommonsMathAndDifferences() {
    Random random = new Random(11);
    for (int n : new int[] {1, 2, 4}) {
      Matrix m = MatrixTestSupport.normal(n, n, random).scale(0.6);
      Matrix covariance = m.timesTransposed(m).plus(Matrix.identity(n));
      Matrix l = LinearAlgebra.cholesky(covariance);
      Matrix y = MatrixTestSupport.normal(n, 1, random);
      Matrix mu = MatrixTestSupport.normal(n, 1, random);
      double expected = Math.log(new MultivariateNormalDistribution(column(mu), covariance.toArray()).density(column(y)));
      assertEquals(expected, LogDensity.multiNormalCholesky(y, mu, l), 1e-12 * (1 + Math.abs(expected)));
      // The upper triangle of the factor is not read: junk there changes nothing.
      Matrix junk = l.plus(strictlyUpper(MatrixTestSupport.normal(n, n, random)));
      assertEquals(LogDensity.multiNormalCholesky(y, mu, l), LogDensity.multiNormalCholesky(y, mu, junk));
      Matrix[] arguments = {y, mu, junk};
      Matrix[] pullbacks = {
        LogDensityRules.multiNormalCholeskyY(y, mu, junk, 1),
        LogDensityRules.multiNormalCholeskyMu(y, mu, junk, 1),
        LogDensityRules.multiNormalCholeskyCholeskyFactor(y, mu, junk, 1)
      };
      for (int which = 0; which < 3; which++) {
        double[][] entries = arguments[which].toArray();
        for (int i = 0; i < entries.length; i++) {
          for (int j = 0; j < entries[i].length; j++) {
            int argument = which;
            int row = i;
            int col = j;
            double difference = richardson(t -> {
              Matrix[] moved = arguments.clone();
              double[][] changed = entries.clone();
              changed[row] = entries[row].clone();
              changed[row][col] = t;
              moved[argument] = Matrix.of(changed);
              return LogDensity.multiNormalCholesky(moved[0], moved[1], moved[2]);
            }, entries[i][j], 1e-3);
            assertEquals(difference, pullbacks[which].get(i, j), 1e-8 * (1 + Math.abs(difference)),
                "argument " + which + " entry (" + i + ", " + j + ") at n = " + n);
          }
        }
        Matrix tangent = MatrixTestSupport.normal(arguments[which].rows(), arguments[which].cols(), random);
        double forward = switch (which) {
          case 0 -> LogDensityRules.multiNormalCholeskyYTangent(y, mu, junk, tangent);
          case 1 -> LogDensityRules.multiNormalCholeskyMuTangent(y, mu, junk, tangent);
          default -> LogDensityRules.multiNormalCholeskyCholeskyFactorTangent(y, mu, junk, tangent);
        };
        assertEquals(pullbacks[which].dot(tangent), forward, 1e-12 * (1 + Math.abs(forward)));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dirichlet

  @Test
  void dirichletAgainstTheBetaDensityAndTheClosedForm() {
    for (double[] p : POINTS.get("beta")) {
      assertClose(new BetaDistribution(p[1], p[2]).logDensity(p[0]),
          LogDensity.dirichlet(new double[] {p[0], 1 - p[0]}, new double[] {p[1], p[2]}));
    }
    double[] x = {0.2, 0.5, 0.3};
    double[] alpha = {1.5, 3, 0.7};
    double density = Gamma.gamma(5.2) / (Gamma.gamma(1.5) * Gamma.gamma(3) * Gamma.gamma(0.7))
        * Math.pow(0.2, 0.5) * Math.pow(0.5, 2) * Math.pow(0.3, -0.3);
    assertClose(Math.log(density), LogDensity.dirichlet(x, alpha));
    // Large concentrations stay finite in log space, where Γ(Σα) overflows.
    assertClose(LogDensity.beta(0.4, 300, 450), LogDensity.dirichlet(new double[] {0.4, 0.6}, new double[] {300, 450}));
  }

  @Test
  void dirichletRulesAgainstClosedFormsDifferencesAndEachOther() {
    Random random = new Random(17);
    double[][] points = {{0.2, 0.5, 0.3}, {0.05, 0.9, 0.05}, {0.25, 0.25, 0.25, 0.25}, {1e-6, 0.5 - 5e-7, 0.5 - 5e-7}};
    for (double[] x : points) {
      double[] alpha = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        alpha[i] = 0.3 + 4 * random.nextDouble();
      }
      double seed = 1.7;
      double[] byX = LogDensityRules.dirichletX(x, alpha, seed);
      double[] byAlpha = LogDensityRules.dirichletAlpha(x, alpha, seed);
      double alphaSum = Arrays.stream(alpha).sum();
      for (int i = 0; i < x.length; i++) {
        assertEquals(seed * (alpha[i] - 1) / x[i], byX[i], 1e-12 * Math.abs(byX[i]));
        int index = i;
        double difference = richardson(a -> LogDensity.dirichlet(x, moved(alpha, index, a)), alpha[i], 1e-4 * alpha[i]);
        assertEquals(seed * difference, byAlpha[i], 1e-7 * (1 + Math.abs(byAlpha[i])), "alpha[" + i + "] at "
            + Arrays.toString(x));
        assertEquals(seed * (Math.log(x[i]) + Gamma.digamma(alphaSum) - Gamma.digamma(alpha[i])), byAlpha[i],
            1e-8 * (1 + Math.abs(byAlpha[i])));
      }
      // Along the simplex (directions summing to 0) the density's differences are the partials' dot product.
      double[] along = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        along[i] = random.nextGaussian();
      }
      double mean = Arrays.stream(along).average().orElse(0);
      for (int i = 0; i < x.length; i++) {
        along[i] = (along[i] - mean) * Arrays.stream(x).min().orElse(1);
      }
      double difference = richardson(t -> LogDensity.dirichlet(plus(x, along, t), alpha), 0, 1e-3);
      assertEquals(difference, LogDensityRules.dirichletXTangent(x, alpha, along), 1e-7 * (1 + Math.abs(difference)));
      // Tangents against pullbacks: ⟨seed·∂, t⟩ = seed·(∂·t).
      double[] tangent = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        tangent[i] = random.nextGaussian();
      }
      assertEquals(dot(byX, tangent), seed * LogDensityRules.dirichletXTangent(x, alpha, tangent),
          1e-12 * (1 + Math.abs(dot(byX, tangent))));
      assertEquals(dot(byAlpha, tangent), seed * LogDensityRules.dirichletAlphaTangent(x, alpha, tangent),
          1e-12 * (1 + Math.abs(dot(byAlpha, tangent))));
    }
  }

  @Test
  void dirichletOutsideTheSimplexAndAtItsBoundary() {
    double[] alpha = {2, 1, 0.5};
    for (double[] off : new double[][] {{0.5, 0.5, 0.5}, {-0.1, 0.6, 0.5}, {0.3, 0.3, 0.3}}) {
      assertEquals(Double.NEGATIVE_INFINITY, LogDensity.dirichlet(off, alpha));
      assertArrayEquals(new double[3], LogDensityRules.dirichletX(off, alpha, 1));
      assertArrayEquals(new double[3], LogDensityRules.dirichletAlpha(off, alpha, 1));
    }
    // Within the tolerance of the sum the point is on the simplex.
    assertTrue(Double.isFinite(LogDensity.dirichlet(new double[] {0.3, 0.3, 0.4 + 5e-9}, alpha)));
    // xᵢ = 0 with αᵢ = 1: the term (αᵢ - 1)·log xᵢ is 0, and so is its partial in xᵢ.
    double[] second = {0.6, 0, 0.4};
    assertEquals(Math.log(0.6) - 0.5 * Math.log(0.4) + Gamma.logGamma(3.5) - Gamma.logGamma(2) - Gamma.logGamma(0.5),
        LogDensity.dirichlet(second, alpha), 1e-12);
    assertEquals(0, LogDensityRules.dirichletX(second, alpha, 1)[1]);
    assertEquals(Double.NEGATIVE_INFINITY, LogDensityRules.dirichletAlpha(second, alpha, 1)[1]);
    // αᵢ < 1 at xᵢ = 0: the density is +∞; αᵢ > 1 there: -∞ (the formula's limits, as the beta density's).
    assertEquals(Double.POSITIVE_INFINITY, LogDensity.dirichlet(new double[] {0.6, 0.4, 0}, alpha));
    assertEquals(Double.NEGATIVE_INFINITY, LogDensity.dirichlet(new double[] {0, 0.6, 0.4}, alpha));
    assertTrue(Double.isNaN(LogDensity.dirichlet(new double[] {Double.NaN, 0.5, 0.5}, alpha)));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> LogDensity.dirichlet(new double[] {0.5, 0.5}, alpha));
    assertEquals("dirichlet: the point has 2 entries and alpha 3; they must be as many, at least one",
        error.getMessage());
  }

  private static double[] plus(double[] x, double[] direction, double t) {
    double[] moved = x.clone();
    for (int i = 0; i < x.length; i++) {
      moved[i] += t * direction[i];
    }
    return moved;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertClose(double expected, double actual) {
    assertEquals(expected, actual, 1e-11 * (1 + Math.abs(expected)));
  }

  private static double[] column(Matrix vector) {
    return vector.transpose().row(0);
  }

  private static Method functionOf(Rule rule) throws Exception {
    Class<?>[] types = rule.parameters().stream()
        .map(p -> p.type().equals("int") ? int.class : double.class).toArray(Class<?>[]::new);
    return LogDensity.class.getMethod(rule.function(), types);
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

  /** The entries above the diagonal. */
  private static Matrix strictlyUpper(Matrix m) {
    return m.minus(LinearAlgebraRules.lowerTriangle(m));
  }
}
