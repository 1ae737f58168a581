package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.CompiledRules.onlyPublicStaticMethod;
import static dev.adjoint.runtime.rules.CompiledRules.publicStaticMethods;
import static dev.adjoint.runtime.rules.MatrixTestSupport.normal;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The functions of {@link LinearAlgebra} against Commons Math, every rule of {@link
 * LinearAlgebraRules} against central finite differences entry by entry, every rule of {@link
 * LinearAlgebraTangentRules} against its pullback rule by the dot-product identity {@code ⟨seed,
 * J·t⟩ = ⟨Jᵀ·seed, t⟩}, on random well-conditioned inputs of sizes 1 to 5, and the messages of
 * the failures.
 */
class LinearAlgebraRulesTest {
  private static final int[] SIZES = {1, 2, 3, 5};
  private static final double STEP = 1e-6;

  /** Draws a function's arguments for size n. */
  private interface Sampler {
    List<Object> draw(int n, Random r);
  }

  private static final Map<String, Sampler> ARGUMENTS = Map.ofEntries(
      entry("cholesky", (n, r) -> List.of(spd(n, r))),
      entry("solveLower", LinearAlgebraRulesTest::triangularSystem),
      entry("solveLowerTransposed", LinearAlgebraRulesTest::triangularSystem),
      entry("solveUpper", LinearAlgebraRulesTest::triangularSystem),
      entry("solveUpperTransposed", LinearAlgebraRulesTest::triangularSystem),
      entry("solveSpd", (n, r) -> List.of(spd(n, r), normal(n, 2, r))),
      entry("logDeterminantSpd", (n, r) -> List.of(spd(n, r))),
      entry("inverseQuadraticForm", (n, r) -> List.of(spd(n, r), normal(n, 1 + n % 2, r))),
      entry("solve", (n, r) -> List.of(general(n, r), normal(n, 2, r))),
      entry("solveTransposed", (n, r) -> List.of(general(n, r), normal(n, 2, r))),
      entry("inverse", (n, r) -> List.of(general(n, r))),
      entry("logDeterminant", (n, r) -> List.of(general(n, r))),
      entry("symmetricEigenvalues", (n, r) -> List.of(symmetricPart(normal(n, n, r)))),
      entry("diag", (n, r) -> List.of(n % 2 == 0 ? normal(1, n, r) : normal(n, 1, r))),
      entry("diagonal", (n, r) -> List.of(normal(n, n + 1, r))),
      entry("outer", (n, r) -> List.of(normal(n, 1, r), normal(1, n + 1, r))));

  static Stream<Rule> pullbackRules() {
    return CompiledRules.of(LinearAlgebraRules.class).stream();
  }

  static Stream<Rule> tangentRules() {
    return CompiledRules.of(LinearAlgebraTangentRules.class).stream();
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  @ParameterizedTest(name = "{0}")
  @MethodSource("pullbackRules")
  void pullbackRuleMatchesCentralDifferences(Rule rule) throws Exception {
    Method function = onlyPublicStaticMethod(LinearAlgebra.class, rule.function());
    Method ruleMethod = onlyPublicStaticMethod(LinearAlgebraRules.class, rule.name());
    int wrt = rule.wrtIndex();
    Random random = new Random(rule.name().hashCode());
    for (int n : SIZES) {
      List<Object> arguments = ARGUMENTS.get(rule.function()).draw(n, random);
      Object value = function.invoke(null, arguments.toArray());
      Object seed = randomLike(value, random);
      Matrix pullback = (Matrix) ruleMethod.invoke(null, ruleArguments(rule, arguments, value, seed).toArray());
      Matrix point = (Matrix) arguments.get(wrt);
      assertTrue(pullback.sameShape(point), rule.name() + " returns the shape of " + rule.wrtName());
      double[][] entries = point.toArray();
      for (int i = 0; i < point.rows(); i++) {
        for (int j = 0; j < point.cols(); j++) {
          double expected = (seeded(function, arguments, wrt, entries, i, j, STEP, seed)
              - seeded(function, arguments, wrt, entries, i, j, -STEP, seed)) / (2 * STEP);
          assertEquals(expected, pullback.get(i, j), 1e-6 * (1 + Math.abs(expected)),
              rule.name() + " at n = " + n + ", entry (" + i + ", " + j + ")");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tangentRules")
  void tangentRuleIsTheTransposeOfThePullbackRuleAndMatchesDifferences(Rule rule) throws Exception {
    Method function = onlyPublicStaticMethod(LinearAlgebra.class, rule.function());
    Method tangentMethod = onlyPublicStaticMethod(LinearAlgebraTangentRules.class, rule.name());
    Method pullbackMethod = onlyPublicStaticMethod(LinearAlgebraRules.class, rule.name());
    Random random = new Random(rule.name().hashCode() + 1);
    for (int n : SIZES) {
      List<Object> arguments = ARGUMENTS.get(rule.function()).draw(n, random);
      Object value = function.invoke(null, arguments.toArray());
      Matrix tangent = normal(((Matrix) arguments.get(rule.wrtIndex())).rows(),
          ((Matrix) arguments.get(rule.wrtIndex())).cols(), random);
      Object seed = randomLike(value, random);
      Object forward = tangentMethod.invoke(null, ruleArguments(rule, arguments, value, tangent).toArray());
      Matrix backward = (Matrix) pullbackMethod.invoke(null, ruleArguments(rule, arguments, value, seed).toArray());
      double seedAlongForward = inner(seed, forward);
      assertEquals(seedAlongForward, backward.dot(tangent), 1e-9 * (1 + Math.abs(seedAlongForward)),
          rule.name() + " at n = " + n);
      double difference = (along(function, arguments, rule.wrtIndex(), tangent, STEP, seed)
          - along(function, arguments, rule.wrtIndex(), tangent, -STEP, seed)) / (2 * STEP);
      assertEquals(difference, seedAlongForward, 1e-6 * (1 + Math.abs(difference)),
          rule.name() + " against central differences at n = " + n);
    }
  }

  @Test
  void everyDifferentiableFunctionHasBothRulesPerMatrixParameter() {
    Set<String> functions = publicStaticMethods(LinearAlgebra.class).stream()
        .filter(m -> !m.getName().equals("symmetricEigenvectors"))
        .map(m -> Stream.of(m.getParameters()).map(p -> m.getName() + "#" + p.getName())
            .collect(Collectors.joining(",")))
        .flatMap(keys -> Stream.of(keys.split(",")))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> pullbacks = pullbackRules().map(Rule::key).collect(Collectors.toCollection(TreeSet::new));
    Set<String> tangents = tangentRules().map(Rule::key).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(functions, pullbacks);
    assertEquals(functions, tangents);
    assertEquals(functions.stream().map(key -> key.substring(0, key.indexOf('#')))
        .collect(Collectors.toCollection(TreeSet::new)), new TreeSet<>(ARGUMENTS.keySet()));
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  @Test
  void factorisationsAndSolvesAgreeWithCommonsMath() {
    Random random = new Random(7);
    for (int n : SIZES) {
      Matrix spd = spd(n, random);
      Matrix a = general(n, random);
      Matrix b = normal(n, 3, random);
      Matrix l = LinearAlgebra.cholesky(spd);
      assertClose(spd, l.timesTransposed(l), 1e-12);
      assertEquals(0, l.minus(LinearAlgebraRules.lowerTriangle(l)).squaredNorm());
      assertClose(b, spd.times(LinearAlgebra.solveSpd(spd, b)), 1e-10);
      assertClose(b, a.times(LinearAlgebra.solve(a, b)), 1e-10);
      assertClose(b, a.transposedTimes(LinearAlgebra.solveTransposed(a, b)), 1e-10);
      assertClose(Matrix.identity(n), a.times(LinearAlgebra.inverse(a)), 1e-10);
      assertClose(b, l.times(LinearAlgebra.solveLower(l, b)), 1e-12);
      assertClose(b, l.transposedTimes(LinearAlgebra.solveLowerTransposed(l, b)), 1e-12);
      Matrix u = l.transpose();
      assertClose(b, u.times(LinearAlgebra.solveUpper(u, b)), 1e-12);
      assertClose(b, u.transposedTimes(LinearAlgebra.solveUpperTransposed(u, b)), 1e-12);
      double determinant = new LUDecomposition(a.toRealMatrix()).getDeterminant();
      assertEquals(Math.log(Math.abs(determinant)), LinearAlgebra.logDeterminant(a), 1e-12);
      assertEquals(Math.log(new LUDecomposition(spd.toRealMatrix()).getDeterminant()),
          LinearAlgebra.logDeterminantSpd(spd), 1e-12);
      Matrix x = normal(n, 1, random);
      assertEquals(x.dot(LinearAlgebra.solve(spd, x)), LinearAlgebra.inverseQuadraticForm(spd, x), 1e-10);
      double[] expected = new EigenDecomposition(spd.toRealMatrix()).getRealEigenvalues().clone();
      java.util.Arrays.sort(expected);
      assertClose(Matrix.columnVector(expected), LinearAlgebra.symmetricEigenvalues(spd), 1e-12);
    }
  }

  @Test
  void smallExamplesByHand() {
    Matrix a = Matrix.of(new double[][] {{4, 2}, {2, 5}});
    assertEquals(Matrix.of(new double[][] {{2, 0}, {1, 2}}), LinearAlgebra.cholesky(a));
    assertEquals(Math.log(16), LinearAlgebra.logDeterminantSpd(a), 1e-15);
    assertClose(Matrix.columnVector(1, 6), LinearAlgebra.symmetricEigenvalues(Matrix.of(new double[][] {{5, 2}, {2, 2}})), 1e-14);
    assertEquals(Matrix.of(new double[][] {{3, 0}, {0, -1}}), LinearAlgebra.diag(Matrix.rowVector(3, -1)));
    assertEquals(Matrix.columnVector(1, 5), LinearAlgebra.diagonal(Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}})));
    assertEquals(Matrix.of(new double[][] {{3, 4}, {6, 8}}), LinearAlgebra.outer(Matrix.columnVector(1, 2), Matrix.rowVector(3, 4)));
    assertEquals(Math.log(2), LinearAlgebra.logDeterminant(Matrix.of(new double[][] {{0, 1}, {2, 0}})), 1e-15);
    // The symmetric functions read (a + aᵀ)/2: an asymmetric a gives the factor of its symmetric part.
    assertEquals(LinearAlgebra.cholesky(a), LinearAlgebra.cholesky(Matrix.of(new double[][] {{4, 3}, {1, 5}})));
    // Triangular solves read only their triangle.
    assertEquals(LinearAlgebra.solveLower(Matrix.of(new double[][] {{2, 0}, {1, 2}}), Matrix.columnVector(2, 5)),
        LinearAlgebra.solveLower(Matrix.of(new double[][] {{2, 99}, {1, 2}}), Matrix.columnVector(2, 5)));
  }

  @Test
  void emptyMatrices() {
    Matrix empty = Matrix.zeros(0, 0);
    assertEquals(empty, LinearAlgebra.cholesky(empty));
    assertEquals(0, LinearAlgebra.logDeterminantSpd(empty));
    assertEquals(0, LinearAlgebra.logDeterminant(empty));
    assertEquals(Matrix.zeros(0, 2), LinearAlgebra.solve(empty, Matrix.zeros(0, 2)));
    assertEquals(Matrix.zeros(0, 1), LinearAlgebra.symmetricEigenvalues(empty));
  }

  // ---------------------------------------------------------------------------------------------
  // Failures

  @Test
  void failuresNameTheShapeAndThePivot() {
    Matrix indefinite = Matrix.of(new double[][] {{1, 2}, {2, 1}});
    assertMessage("cholesky: 2x2 is not symmetric positive definite: Cholesky pivot 1 is -3.0",
        () -> LinearAlgebra.cholesky(indefinite));
    assertMessage("logDeterminantSpd: 1x1 is not symmetric positive definite: Cholesky pivot 0 is -1.0",
        () -> LinearAlgebra.logDeterminantSpd(Matrix.of(new double[][] {{-1}})));
    assertMessage("solveSpd: 2x2 is not symmetric positive definite: Cholesky pivot 1 is -3.0",
        () -> LinearAlgebra.solveSpd(indefinite, Matrix.columnVector(1, 1)));
    Matrix singular = Matrix.of(new double[][] {{1, 2}, {2, 4}});
    assertMessage("solve: 2x2 is singular to working precision: LU pivot 1 is 0.0 (partial pivoting; threshold 1.7763568394002505E-15)",
        () -> LinearAlgebra.solve(singular, Matrix.columnVector(1, 1)));
    assertMessage("inverse: 2x2 is singular to working precision: LU pivot 1 is 0.0 (partial pivoting; threshold 1.7763568394002505E-15)",
        () -> LinearAlgebra.inverse(singular));
    assertMessage("logDeterminant: 1x1 is singular to working precision: LU pivot 0 is 0.0 (partial pivoting; threshold 0.0)",
        () -> LinearAlgebra.logDeterminant(Matrix.zeros(1, 1)));
    assertMessage("solveLower: the triangular matrix 2x2 is singular: diagonal entry 1 is 0.0",
        () -> LinearAlgebra.solveLower(Matrix.of(new double[][] {{1, 0}, {1, 0}}), Matrix.columnVector(1, 1)));
    assertMessage("cholesky: 2x3 is not square", () -> LinearAlgebra.cholesky(Matrix.zeros(2, 3)));
    assertMessage("solve: 2x2 and right-hand side 3x1 differ in rows",
        () -> LinearAlgebra.solve(Matrix.identity(2), Matrix.zeros(3, 1)));
    assertMessage("diag: 2x2 is not a vector (one row or one column)", () -> LinearAlgebra.diag(Matrix.identity(2)));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  private static void assertClose(Matrix expected, Matrix actual, double tolerance) {
    assertTrue(expected.sameShape(actual), expected.shape() + " vs " + actual.shape());
    double error = Math.sqrt(expected.minus(actual).squaredNorm());
    assertTrue(error <= tolerance * (1 + Math.sqrt(expected.squaredNorm())),
        "expected " + expected + " but was " + actual);
  }

  /** The function's arguments, the value if the rule takes it, then the seed or tangent. */
  private static List<Object> ruleArguments(Rule rule, List<Object> arguments, Object value, Object last) {
    List<Object> all = new ArrayList<>(arguments);
    if (rule.parameters().size() == arguments.size() + 2) {
      all.add(value);
    }
    all.add(last);
    return all;
  }

  /** ⟨seed, f(arguments with entry (i, j) of argument wrt moved by step)⟩. */
  private static double seeded(Method function, List<Object> arguments, int wrt, double[][] entries,
      int i, int j, double step, Object seed) throws Exception {
    double[][] moved = new double[entries.length][];
    for (int k = 0; k < entries.length; k++) {
      moved[k] = entries[k].clone();
    }
    moved[i][j] += step;
    List<Object> shifted = new ArrayList<>(arguments);
    shifted.set(wrt, Matrix.of(moved));
    try {
      return inner(seed, function.invoke(null, shifted.toArray()));
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  /** ⟨seed, f(arguments with argument wrt moved by step·direction)⟩. */
  private static double along(Method function, List<Object> arguments, int wrt, Matrix direction,
      double step, Object seed) throws Exception {
    List<Object> shifted = new ArrayList<>(arguments);
    shifted.set(wrt, ((Matrix) arguments.get(wrt)).plus(direction.scale(step)));
    return inner(seed, function.invoke(null, shifted.toArray()));
  }

  private static double inner(Object seed, Object value) {
    return seed instanceof Matrix m ? m.dot((Matrix) value) : (Double) seed * (Double) value;
  }

  private static Object randomLike(Object value, Random random) {
    return value instanceof Matrix m ? normal(m.rows(), m.cols(), random) : random.nextGaussian();
  }

  private static Matrix symmetricPart(Matrix m) {
    return m.plus(m.transpose()).scale(0.5);
  }

  /** m·mᵀ + I: symmetric, eigenvalues at least 1. */
  private static Matrix spd(int n, Random random) {
    Matrix m = normal(n, n, random).scale(0.7);
    return m.timesTransposed(m).plus(Matrix.identity(n));
  }

  /** A normal matrix with a diagonal of magnitude 2 to 3 and either sign: well conditioned. */
  private static Matrix general(int n, Random random) {
    double[][] entries = normal(n, n, random).scale(0.4).toArray();
    for (int i = 0; i < n; i++) {
      entries[i][i] = (random.nextBoolean() ? 1 : -1) * (2 + random.nextDouble());
    }
    return Matrix.of(entries);
  }

  /** A general matrix (both triangles filled; a solve reads one) and a right-hand side. */
  private static List<Object> triangularSystem(int n, Random random) {
    return List.of(general(n, random), normal(n, 2, random));
  }
}
