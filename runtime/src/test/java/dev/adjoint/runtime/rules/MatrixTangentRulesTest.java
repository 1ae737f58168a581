package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.CompiledRules.capitalised;
import static dev.adjoint.runtime.rules.CompiledRules.onlyPublicStaticMethod;
import static dev.adjoint.runtime.rules.MatrixTestSupport.awayFromZero;
import static dev.adjoint.runtime.rules.MatrixTestSupport.functionInputs;
import static dev.adjoint.runtime.rules.MatrixTestSupport.normal;
import static dev.adjoint.runtime.rules.MatrixTestSupport.operation;
import static dev.adjoint.runtime.rules.MatrixTestSupport.shapes;
import static dev.adjoint.runtime.rules.MatrixTestSupport.uniform;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientChecker;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import dev.adjoint.runtime.rules.CompiledRules.RuleParameter;
import dev.adjoint.runtime.rules.MatrixTestSupport.Shape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Every rule of {@link MatrixTangentRules} against directional finite differences of the operation
 * along a random tangent, and against its {@link MatrixRules} pullback rule by the dot-product
 * identity {@code ⟨seed, J·t⟩ = ⟨Jᵀ·seed, t⟩}, which checks the two catalogues against each other;
 * then the agreement of forward and reverse at the points where a rule chooses a value; then the
 * rules' signatures and the one-to-one match with MatrixRules, read from the compiled classes with
 * javac (the annotation has CLASS retention).
 *
 * <p>The checks are driven by the annotations: each tangent rule is called by reflection with
 * arguments drawn for its operation (receiver first), the value where the rule takes it, and a
 * random tangent; its pullback rule is the MatrixRules rule of the same (operation, wrt).
 */
class MatrixTangentRulesTest {
  /** Draws an operation's arguments, receiver first, where the operation is smooth. */
  private interface Sampler {
    List<Object> draw(Shape s, Random r);
  }

  private static final Map<String, Sampler> ARGUMENTS =
      Map.ofEntries(
          // Products
          entry(
              "times",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(s.cols(), s.other(), r))),
          entry(
              "timesTransposed",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(s.other(), s.cols(), r))),
          entry(
              "transposedTimes",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(s.rows(), s.other(), r))),
          entry("transpose", (s, r) -> List.of(normal(s.rows(), s.cols(), r))),
          // Element-wise arithmetic
          entry("plus", MatrixTangentRulesTest::twoAlike),
          entry("minus", MatrixTangentRulesTest::twoAlike),
          entry("multiply", MatrixTangentRulesTest::twoAlike),
          entry(
              "divide",
              (s, r) ->
                  List.of(normal(s.rows(), s.cols(), r), awayFromZero(s.rows(), s.cols(), 0.5, r))),
          entry("scale", (s, r) -> List.of(normal(s.rows(), s.cols(), r), r.nextGaussian())),
          entry("plusScalar", (s, r) -> List.of(normal(s.rows(), s.cols(), r), r.nextGaussian())),
          entry(
              "addRowVector",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(1, s.cols(), r))),
          // Reductions to a number
          entry("sum", MatrixTangentRulesTest::one),
          entry("mean", MatrixTangentRulesTest::one),
          entry("trace", (s, r) -> List.of(normal(s.rows(), s.rows(), r))),
          entry("dot", MatrixTangentRulesTest::twoAlike),
          entry("squaredNorm", MatrixTangentRulesTest::one),
          entry(
              "get",
              (s, r) ->
                  List.of(normal(s.rows(), s.cols(), r), r.nextInt(s.rows()), r.nextInt(s.cols()))),
          // Reductions along rows and columns
          entry("rowSums", MatrixTangentRulesTest::one),
          entry("colSums", MatrixTangentRulesTest::one),
          entry("rowMeans", MatrixTangentRulesTest::one),
          entry("colMeans", MatrixTangentRulesTest::one),
          // Element-wise functions
          entry("exp", MatrixTangentRulesTest::one),
          entry("log", (s, r) -> List.of(uniform(s.rows(), s.cols(), 0.5, 3, r))),
          entry("tanh", MatrixTangentRulesTest::one),
          entry("sigmoid", (s, r) -> List.of(normal(s.rows(), s.cols(), r).scale(2))),
          entry("relu", (s, r) -> List.of(awayFromZero(s.rows(), s.cols(), 0.1, r))),
          entry("softplus", (s, r) -> List.of(normal(s.rows(), s.cols(), r).scale(3))),
          entry("square", MatrixTangentRulesTest::one),
          entry("sqrt", (s, r) -> List.of(uniform(s.rows(), s.cols(), 0.3, 4, r))),
          // Row-wise softmax
          entry("softmaxRows", (s, r) -> List.of(normal(s.rows(), s.cols(), r).scale(2))),
          entry("logSumExpRows", (s, r) -> List.of(normal(s.rows(), s.cols(), r).scale(2))),
          // Rows, slices and concatenation
          entry(
              "sliceRows",
              (s, r) -> {
                int from = r.nextInt(s.rows());
                int to = from + 1 + r.nextInt(s.rows() - from);
                return List.of(normal(s.rows(), s.cols(), r), from, to);
              }),
          entry(
              "selectRows",
              (s, r) ->
                  List.of(
                      normal(s.rows(), s.cols(), r), r.ints(s.other() + 2, 0, s.rows()).toArray())),
          entry(
              "hconcat",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(s.rows(), s.other(), r))),
          entry(
              "vconcat",
              (s, r) -> List.of(normal(s.rows(), s.cols(), r), normal(s.other(), s.cols(), r))),
          // Losses
          entry("meanSquaredError", MatrixTangentRulesTest::twoAlike),
          entry(
              "binaryCrossEntropyWithLogits",
              (s, r) ->
                  List.of(
                      normal(s.rows(), s.cols(), r).scale(3),
                      uniform(s.rows(), s.cols(), 0, 1, r))),
          entry(
              "softmaxCrossEntropy",
              (s, r) ->
                  List.of(
                      normal(s.rows(), s.cols(), r).scale(2),
                      r.ints(s.rows(), 0, s.cols()).toArray())));

  private static List<Object> one(Shape s, Random r) {
    return List.of(normal(s.rows(), s.cols(), r));
  }

  private static List<Object> twoAlike(Shape s, Random r) {
    return List.of(normal(s.rows(), s.cols(), r), normal(s.rows(), s.cols(), r));
  }

  // ---------------------------------------------------------------------------------------------
  // A tangent rule with its pullback rule and operation, called by reflection

  /** A tangent rule, the MatrixRules rule of the same (operation, wrt), and the operation. */
  record Pair(Rule rule, Method tangent, Method pullback, Method operation) {
    @Override
    public String toString() {
      return rule.name();
    }

    int wrt() {
      return rule.wrtIndex();
    }

    Object value(List<Object> arguments) {
      if (Modifier.isStatic(operation.getModifiers())) {
        return invoke(operation, null, arguments);
      }
      return invoke(operation, arguments.get(0), arguments.subList(1, arguments.size()));
    }

    /** The operation as a function of argument {@code wrt()} alone. */
    Object along(List<Object> arguments, Object wrtArgument) {
      List<Object> changed = new ArrayList<>(arguments);
      changed.set(wrt(), wrtArgument);
      return value(changed);
    }

    Object jvp(List<Object> arguments, Object tangentOfWrt) {
      return callRule(tangent, arguments, tangentOfWrt);
    }

    Object vjp(List<Object> arguments, Object seed) {
      return callRule(pullback, arguments, seed);
    }

    /** The arguments, the value if the rule takes it, then the tangent or seed. */
    private Object callRule(Method rule, List<Object> arguments, Object last) {
      List<Object> all = new ArrayList<>(arguments);
      if (rule.getParameterCount() == arguments.size() + 2) {
        all.add(value(arguments));
      }
      all.add(last);
      return invoke(rule, null, all);
    }
  }

  private static List<Pair> cachedPairs;

  static synchronized List<Pair> pairs() {
    if (cachedPairs == null) {
      List<Pair> pairs = new ArrayList<>();
      for (Rule rule : CompiledRules.of(MatrixTangentRules.class)) {
        Rule pullback = pullbackRule(rule.key());
        pairs.add(
            new Pair(
                rule,
                onlyPublicStaticMethod(MatrixTangentRules.class, rule.name()),
                onlyPublicStaticMethod(MatrixRules.class, pullback.name()),
                operation(rule.function())));
      }
      cachedPairs = List.copyOf(pairs);
    }
    return cachedPairs;
  }

  private static Rule pullbackRule(String key) {
    List<Rule> found =
        CompiledRules.of(MatrixRules.class).stream().filter(r -> r.key().equals(key)).toList();
    assertEquals(1, found.size(), "MatrixRules has exactly one rule for " + key);
    return found.get(0);
  }

  static Stream<Arguments> pairsAtShapes() {
    return pairs().stream()
        .flatMap(
            pair ->
                shapes().stream()
                    .map(shape -> Arguments.of(pair.rule().name() + " at " + shape, pair, shape)));
  }

  // ---------------------------------------------------------------------------------------------
  // Against finite differences and against the pullback rules

  /**
   * Five-point central differences along the tangent (step 1e-4), 10³ to 10⁴ times stricter than
   * the gradient checks' defaults: every check here passes at 1e-11 + 1e-10·|numeric| and 19 fail
   * at 1e-12 + 1e-11·|numeric|, so this leaves a margin of about 10³ for rounding.
   */
  private static final GradientChecker DIRECTIONAL =
      GradientChecker.withDefaults().withTolerances(1e-8, 1e-7);

  /**
   * ⟨seed, J·t⟩ and ⟨Jᵀ·seed, t⟩ may differ by rounding: this fraction of the sum of the terms'
   * magnitudes (every check here passes at 1e-15 of it, and 12 fail at 1e-16).
   */
  private static final double ADJOINT_TOLERANCE = 1e-12;

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairsAtShapes")
  void tangentRulesAgreeWithFiniteDifferences(String label, Pair pair, Shape shape) {
    Random random = new Random(label.hashCode());
    List<Object> arguments = draw(pair, shape, random);
    Object at = arguments.get(pair.wrt());
    Object tangent = randomLike(at, random);
    assertDirectionalDerivative(
        x -> pair.along(arguments, x), at, tangent, pair.jvp(arguments, tangent));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairsAtShapes")
  void tangentRulesAreTheTransposesOfThePullbackRules(String label, Pair pair, Shape shape) {
    Random random = new Random(label.hashCode());
    List<Object> arguments = draw(pair, shape, random);
    Object tangent = randomLike(arguments.get(pair.wrt()), random);
    Object seed = randomLike(pair.value(arguments), random);
    assertAdjoint(seed, pair.jvp(arguments, tangent), pair.vjp(arguments, seed), tangent);
  }

  /** The checks above fail for a wrong rule: each catches a plausible mistake. */
  @Test
  void theChecksRejectWrongRules() {
    Random random = new Random(7);
    Matrix m = normal(3, 3, random);
    Matrix dm = normal(3, 3, random);
    // tanh' from the argument instead of the value.
    assertFails(
        () ->
            assertDirectionalDerivative(
                x -> ((Matrix) x).tanh(), m, dm, MatrixRules.tanh(m, m, dm)));
    // The transpose's tangent without transposing (the shapes agree for a square matrix).
    assertFails(() -> assertDirectionalDerivative(x -> ((Matrix) x).transpose(), m, dm, dm));
    // A tangent off by a relative 1e-5, for which the pullback rule is right.
    Matrix targets = normal(3, 3, random);
    double seed = random.nextGaussian();
    assertFails(
        () ->
            assertAdjoint(
                seed,
                1.00001 * MatrixTangentRules.meanSquaredErrorPredictions(m, targets, dm),
                MatrixRules.meanSquaredErrorPredictions(m, targets, seed),
                dm));
    // minus by b without the sign.
    Matrix b = normal(3, 3, random);
    Matrix seedMatrix = normal(3, 3, random);
    assertFails(() -> assertAdjoint(seedMatrix, dm, MatrixRules.minusB(m, b, seedMatrix), dm));
    // A tangent rule of another shape than the result.
    assertFails(
        () -> assertDirectionalDerivative(x -> ((Matrix) x).rowSums(), m, dm, dm.colSums()));
  }

  // ---------------------------------------------------------------------------------------------
  // Forward and reverse agree where a rule chooses a value

  /** Operations with a diagonal (element-wise) or otherwise symmetric Jacobian. */
  private static final List<String> SELF_ADJOINT =
      List.of("exp", "log", "tanh", "sigmoid", "relu", "softplus", "square", "sqrt", "softmaxRows");

  private static final double[] SPECIAL = {
    0,
    -0.0,
    1e-300,
    -1e-300,
    1,
    -1,
    750,
    -750,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.NaN
  };

  /**
   * For a symmetric Jacobian the tangent rule and the pullback rule are the same map, so they must
   * agree exactly, also at kinks, zeros, overflow and non-finite entries.
   */
  @Test
  void selfAdjointTangentRulesEqualThePullbackRulesEverywhere() {
    Matrix special = Matrix.rowVector(SPECIAL);
    Matrix tangent = Matrix.rowVector(1, -2, 0, 3, -0.0, 0.5, 1, -1, 2, 2, 1);
    for (String function : SELF_ADJOINT) {
      Pair pair =
          pairs().stream()
              .filter(p -> p.rule().function().equals(function))
              .findFirst()
              .orElseThrow();
      for (Matrix m : List.of(special, special.vconcat(tangent))) {
        Matrix dm = m.rows() == 1 ? tangent : tangent.vconcat(special);
        List<Object> arguments = List.of(m);
        assertEquals(
            pair.vjp(arguments, dm),
            pair.jvp(arguments, dm),
            function + " at " + m + " along " + dm);
      }
    }
  }

  @Test
  void reluTangentIsFlatAtZeroLikeThePullback() {
    Matrix atKink = Matrix.rowVector(0, -0.0, 1e-300, -1e-300);
    Matrix dm = Matrix.rowVector(1, 2, 3, 4);
    assertEquals(Matrix.rowVector(0, 0, 3, 0), MatrixTangentRules.relu(atKink, dm));
    assertEquals(MatrixRules.relu(atKink, dm), MatrixTangentRules.relu(atKink, dm));
  }

  @Test
  void sqrtTangentAtZeroIsInfiniteLikeThePullback() {
    Matrix zero = Matrix.rowVector(0, 0, 0);
    Matrix dm = Matrix.rowVector(1, -2, 0);
    Matrix tangent = MatrixTangentRules.sqrt(zero, zero.sqrt(), dm);
    assertEquals(
        Matrix.rowVector(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN), tangent);
    assertEquals(MatrixRules.sqrt(zero, zero.sqrt(), dm), tangent);
  }

  @Test
  void softmaxCrossEntropyTangentIsSoftmaxMinusOneHotAlongTheTangentOverRows() {
    Matrix logits = Matrix.of(new double[][] {{0, 0}, {Math.log(3), 0}});
    Matrix dLogits = Matrix.of(new double[][] {{2, 4}, {8, -4}});
    // softmax rows (1/2, 1/2) and (3/4, 1/4), minus one-hot at 0 and 1: (-1/2, 1/2), (3/4, -3/4);
    // along dLogits: (-1 + 2) + (6 + 3) = 10, over 2 rows.
    assertEquals(
        5, MatrixTangentRules.softmaxCrossEntropy(logits, new int[] {0, 1}, dLogits), 1e-14);
  }

  @Test
  void tangentRulesStayFiniteForHugeLogits() {
    Matrix logits = Matrix.of(new double[][] {{1000, 1001, -1000}, {-2000, -2001, -2000}});
    Matrix dLogits = Matrix.of(new double[][] {{0.5, -1, 2}, {1, 1, -3}});
    assertFinite(MatrixTangentRules.softmaxRows(logits, logits.softmaxRows(), dLogits));
    assertFinite(MatrixTangentRules.logSumExpRows(logits, dLogits));
    assertTrue(
        Double.isFinite(MatrixTangentRules.softmaxCrossEntropy(logits, new int[] {2, 1}, dLogits)));
    assertTrue(
        Double.isFinite(
            MatrixTangentRules.binaryCrossEntropyWithLogitsLogits(
                logits, Matrix.filled(2, 3, 1), dLogits)));
    assertFinite(MatrixTangentRules.softplus(logits, dLogits));
    assertFinite(MatrixTangentRules.sigmoid(logits, logits.sigmoid(), dLogits));
  }

  @Test
  void tangentRulesOfEmptyMatricesKeepTheShape() {
    Matrix empty = Matrix.zeros(0, 3);
    assertEquals("0x3", MatrixTangentRules.relu(empty, empty).shape());
    assertEquals("0x3", MatrixTangentRules.sliceRows(empty, 0, 0, empty).shape());
    assertEquals(
        "0x3",
        MatrixTangentRules.selectRows(Matrix.zeros(2, 3), new int[0], Matrix.zeros(2, 3)).shape());
    assertEquals(
        "0x3",
        MatrixTangentRules.addRowVectorRow(empty, Matrix.zeros(1, 3), Matrix.filled(1, 3, 1))
            .shape());
    assertEquals("0x5", MatrixTangentRules.hconcatLeft(empty, Matrix.zeros(0, 2), empty).shape());
    assertEquals(0.0, MatrixTangentRules.sum(empty, empty));
  }

  @Test
  void badIndicesAndLabelsFailAsInThePullbackRules() {
    Matrix m = Matrix.zeros(2, 3);
    assertSameFailure(() -> MatrixRules.get(m, 2, 0, 1), () -> MatrixTangentRules.get(m, 2, 0, m));
    assertSameFailure(
        () -> MatrixRules.selectRows(m, new int[] {0, 5}, Matrix.zeros(2, 3)),
        () -> MatrixTangentRules.selectRows(m, new int[] {0, 5}, m));
    assertSameFailure(
        () -> MatrixRules.softmaxCrossEntropy(m, new int[] {0, 3}, 1),
        () -> MatrixTangentRules.softmaxCrossEntropy(m, new int[] {0, 3}, m));
    assertSameFailure(
        () -> MatrixRules.softmaxCrossEntropy(m, new int[] {0}, 1),
        () -> MatrixTangentRules.softmaxCrossEntropy(m, new int[] {0}, m));
  }

  // ---------------------------------------------------------------------------------------------
  // The tangent form, read from the compiled annotations

  @Test
  void everyPullbackRuleHasExactlyOneTangentRuleOfTheSameNameAndViceVersa() {
    Map<String, List<String>> pullbacks = namesByKey(CompiledRules.of(MatrixRules.class));
    Map<String, List<String>> tangents = namesByKey(CompiledRules.of(MatrixTangentRules.class));
    assertFalse(pullbacks.isEmpty());
    assertEquals(pullbacks, tangents);
    pullbacks.forEach(
        (key, names) -> assertEquals(1, names.size(), "rules for " + key + ": " + names));
  }

  @Test
  void everyTangentRuleFitsTheTangentForm() {
    List<Rule> rules = CompiledRules.of(MatrixTangentRules.class);
    assertFalse(rules.isEmpty());
    for (Rule rule : rules) {
      String name = rule.name();
      assertTrue(rule.publicStatic(), name + " is public static");
      assertEquals(Matrix.class.getName(), rule.owner(), name + "'s owner");
      assertTrue(rule.tangent(), name + " is marked tangent = true");

      Method function = operation(rule.function());
      List<Class<?>> inputs = functionInputs(function);
      List<RuleParameter> parameters = rule.parameters();
      int extras = parameters.size() - inputs.size();
      assertTrue(extras == 1 || extras == 2, name + " takes the inputs, [value,] tangent");
      for (int i = 0; i < inputs.size(); i++) {
        assertEquals(
            inputs.get(i).getCanonicalName(), parameters.get(i).type(), name + " parameter " + i);
      }
      List<String> names = rule.parameterNames().subList(0, inputs.size());
      assertEquals(
          pullbackRule(rule.key()).parameterNames().subList(0, inputs.size()),
          names,
          name + " names the operation's inputs as the pullback rule does");

      if (rule.wrt().isEmpty()) {
        assertEquals(1, inputs.size(), name + ": wrt may be omitted only for one parameter");
      } else {
        assertTrue(
            names.contains(rule.wrt()), name + ": wrt '" + rule.wrt() + "' is one of " + names);
      }
      Class<?> wrtType = inputs.get(rule.wrtIndex());
      assertTrue(
          wrtType == Matrix.class || wrtType == double.class,
          name + ": " + rule.wrtName() + " is differentiable");

      String resultType = function.getReturnType().getCanonicalName();
      if (extras == 2) {
        RuleParameter value = parameters.get(inputs.size());
        assertEquals("value", value.name(), name + " takes the value");
        assertEquals(resultType, value.type(), name + ": the value has the result's type");
      }
      RuleParameter tangent = parameters.get(parameters.size() - 1);
      assertEquals(tangentName(rule.wrtName()), tangent.name(), name + " ends with the tangent");
      assertEquals(
          wrtType.getCanonicalName(),
          tangent.type(),
          name + ": the tangent has the type of " + rule.wrtName());
      assertEquals(resultType, rule.returnType(), name + " returns a tangent of the result");
    }
  }

  @Test
  void everyOperationWithATangentRuleHasArgumentsToCheckItAt() {
    TreeSet<String> functions =
        CompiledRules.of(MatrixTangentRules.class).stream()
            .map(Rule::function)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(functions, new TreeSet<>(ARGUMENTS.keySet()));
  }

  // ---------------------------------------------------------------------------------------------
  // Assertions

  /**
   * The derivative of {@code function} at {@code at} along {@code tangent}, by five-point central
   * differences of {@code s ↦ function(at + s·tangent)} at 0, against {@code derivative} entry by
   * entry.
   */
  private static void assertDirectionalDerivative(
      Function<Object, Object> function, Object at, Object tangent, Object derivative) {
    assertEquals(shapeOf(function.apply(at)), shapeOf(derivative), "the tangent's shape");
    double[][] jacobian =
        Arrays.stream(entries(derivative)).mapToObj(d -> new double[] {d}).toArray(double[][]::new);
    DIRECTIONAL
        .checkJacobian(
            s -> entries(function.apply(step(at, s[0], tangent))), new double[] {0}, jacobian)
        .assertPassed();
  }

  /** ⟨seed, jvp⟩ = ⟨vjp, tangent⟩, up to rounding. */
  private static void assertAdjoint(Object seed, Object jvp, Object vjp, Object tangent) {
    assertEquals(shapeOf(seed), shapeOf(jvp), "J·t has the result's shape");
    assertEquals(shapeOf(tangent), shapeOf(vjp), "Jᵀ·seed has the shape of wrt");
    double[] s = entries(seed);
    double[] j = entries(jvp);
    double[] v = entries(vjp);
    double[] t = entries(tangent);
    double forward = 0;
    double reverse = 0;
    double scale = 0;
    for (int i = 0; i < s.length; i++) {
      forward += s[i] * j[i];
      scale += Math.abs(s[i] * j[i]);
    }
    for (int i = 0; i < t.length; i++) {
      reverse += v[i] * t[i];
      scale += Math.abs(v[i] * t[i]);
    }
    assertTrue(Double.isFinite(forward) && Double.isFinite(reverse), forward + " and " + reverse);
    assertEquals(
        forward,
        reverse,
        ADJOINT_TOLERANCE * scale,
        "⟨seed, J·t⟩ = " + forward + " but ⟨Jᵀ·seed, t⟩ = " + reverse);
  }

  private static void assertFails(Executable check) {
    assertThrows(AssertionFailedError.class, check);
  }

  private static void assertSameFailure(Executable pullback, Executable tangent) {
    IllegalArgumentException expected = assertThrows(IllegalArgumentException.class, pullback);
    IllegalArgumentException actual = assertThrows(IllegalArgumentException.class, tangent);
    assertEquals(expected.getMessage(), actual.getMessage());
  }

  private static void assertFinite(Matrix m) {
    for (double value : entries(m)) {
      assertTrue(Double.isFinite(value), () -> "not finite: " + m);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Matrices and numbers alike

  private static List<Object> draw(Pair pair, Shape shape, Random random) {
    Sampler sampler = ARGUMENTS.get(pair.rule().function());
    if (sampler == null) {
      fail("no arguments for " + pair.rule().function());
    }
    return sampler.draw(shape, random);
  }

  private static Object randomLike(Object like, Random random) {
    if (like instanceof Matrix m) {
      return normal(m.rows(), m.cols(), random);
    }
    return random.nextGaussian();
  }

  /** x + s·t. */
  private static Object step(Object x, double s, Object t) {
    if (x instanceof Matrix m) {
      return m.plus(((Matrix) t).scale(s));
    }
    return (Double) x + s * (Double) t;
  }

  private static double[] entries(Object x) {
    if (x instanceof Matrix m) {
      return Arrays.stream(m.toArray()).flatMapToDouble(Arrays::stream).toArray();
    }
    return new double[] {(Double) x};
  }

  private static String shapeOf(Object x) {
    return x instanceof Matrix m ? m.shape() : x.getClass().getSimpleName();
  }

  /** The tangent of a: da; of factor: dFactor. */
  private static String tangentName(String parameter) {
    return "d" + (parameter.length() == 1 ? parameter : capitalised(parameter));
  }

  private static Map<String, List<String>> namesByKey(List<Rule> rules) {
    Map<String, List<String>> names = new TreeMap<>();
    for (Rule rule : rules) {
      names.computeIfAbsent(rule.key(), unused -> new ArrayList<>()).add(rule.name());
    }
    return names;
  }

  private static Object invoke(Method method, Object receiver, List<Object> arguments) {
    try {
      return method.invoke(receiver, arguments.toArray());
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(method.getName(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(method.getName(), e);
    }
  }
}
