package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static dev.adjoint.runtime.rules.CompiledRules.capitalised;
import static dev.adjoint.runtime.rules.MatrixTestSupport.awayFromZero;
import static dev.adjoint.runtime.rules.MatrixTestSupport.functionInputs;
import static dev.adjoint.runtime.rules.MatrixTestSupport.normal;
import static dev.adjoint.runtime.rules.MatrixTestSupport.operation;
import static dev.adjoint.runtime.rules.MatrixTestSupport.returnsDifferentiable;
import static dev.adjoint.runtime.rules.MatrixTestSupport.shapes;
import static dev.adjoint.runtime.rules.MatrixTestSupport.takesMatrix;
import static dev.adjoint.runtime.rules.MatrixTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.Inputs;
import dev.adjoint.runtime.rules.CompiledRules.RuleParameter;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import dev.adjoint.runtime.rules.MatrixTestSupport.Shape;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link MatrixRules} against finite differences, through a scalar probe: for a
 * Matrix-valued operation {@code f}, {@code p(x) = f(x).dot(R)} with a fixed random {@code R}, whose
 * gradient is the rule applied with seed {@code R}; for a double-valued one, {@code p(x) = r·f(x)}
 * with seed {@code r}. Then the rules' signatures against the convention the processor relies on,
 * read from the compiled class with javac (the annotation has CLASS retention).
 */
class MatrixRulesTest {
  /** A probe, the point of the check and the gradient the rules give there. */
  record Check(ToDoubleFunction<Inputs> probe, Inputs at, Inputs gradient) {}

  /** An operation and how to check its rules at a shape, with a seeded generator. */
  record Case(String operation, BiFunction<Shape, Random, Check> check) {
    @Override
    public String toString() {
      return operation;
    }
  }

  private static final List<Case> CASES =
      List.of(
          // Products
          new Case(
              "times",
              (s, r) -> {
                Matrix a = normal(s.rows(), s.cols(), r);
                Matrix b = normal(s.cols(), s.other(), r);
                Matrix seed = normal(s.rows(), s.other(), r);
                return matrixProbe(
                    in -> in.matrixValue("a").times(in.matrixValue("b")),
                    seed,
                    Inputs.of().matrix("a", a).matrix("b", b),
                    Inputs.of()
                        .matrix("a", MatrixRules.timesA(a, b, seed))
                        .matrix("b", MatrixRules.timesB(a, b, seed)));
              }),
          new Case(
              "timesTransposed",
              (s, r) -> {
                Matrix a = normal(s.rows(), s.cols(), r);
                Matrix b = normal(s.other(), s.cols(), r);
                Matrix seed = normal(s.rows(), s.other(), r);
                return matrixProbe(
                    in -> in.matrixValue("a").timesTransposed(in.matrixValue("b")),
                    seed,
                    Inputs.of().matrix("a", a).matrix("b", b),
                    Inputs.of()
                        .matrix("a", MatrixRules.timesTransposedA(a, b, seed))
                        .matrix("b", MatrixRules.timesTransposedB(a, b, seed)));
              }),
          new Case(
              "transposedTimes",
              (s, r) -> {
                Matrix a = normal(s.rows(), s.cols(), r);
                Matrix b = normal(s.rows(), s.other(), r);
                Matrix seed = normal(s.cols(), s.other(), r);
                return matrixProbe(
                    in -> in.matrixValue("a").transposedTimes(in.matrixValue("b")),
                    seed,
                    Inputs.of().matrix("a", a).matrix("b", b),
                    Inputs.of()
                        .matrix("a", MatrixRules.transposedTimesA(a, b, seed))
                        .matrix("b", MatrixRules.transposedTimesB(a, b, seed)));
              }),
          new Case(
              "transpose",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.cols(), s.rows(), r);
                return unary(Matrix::transpose, m, seed, MatrixRules.transpose(m, seed));
              }),
          // Element-wise arithmetic
          new Case(
              "plus",
              (s, r) ->
                  binary(
                      Matrix::plus,
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      MatrixRules::plusA,
                      MatrixRules::plusB)),
          new Case(
              "minus",
              (s, r) ->
                  binary(
                      Matrix::minus,
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      MatrixRules::minusA,
                      MatrixRules::minusB)),
          new Case(
              "multiply",
              (s, r) ->
                  binary(
                      Matrix::multiply,
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      normal(s.rows(), s.cols(), r),
                      MatrixRules::multiplyA,
                      MatrixRules::multiplyB)),
          new Case(
              "divide",
              (s, r) -> {
                Matrix a = normal(s.rows(), s.cols(), r);
                Matrix b = awayFromZero(s.rows(), s.cols(), 0.5, r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                Matrix value = a.divide(b);
                return binary(
                    Matrix::divide,
                    a,
                    b,
                    seed,
                    MatrixRules::divideA,
                    (x, y, z) -> MatrixRules.divideB(x, y, value, z));
              }),
          new Case(
              "scale",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                double factor = r.nextGaussian();
                Matrix seed = normal(s.rows(), s.cols(), r);
                return matrixProbe(
                    in -> in.matrixValue("m").scale(in.scalar("factor")),
                    seed,
                    Inputs.of().matrix("m", m).scalar("factor", factor),
                    Inputs.of()
                        .matrix("m", MatrixRules.scaleM(m, factor, seed))
                        .scalar("factor", MatrixRules.scaleFactor(m, factor, seed)));
              }),
          new Case(
              "plusScalar",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                double offset = r.nextGaussian();
                Matrix seed = normal(s.rows(), s.cols(), r);
                return matrixProbe(
                    in -> in.matrixValue("m").plusScalar(in.scalar("offset")),
                    seed,
                    Inputs.of().matrix("m", m).scalar("offset", offset),
                    Inputs.of()
                        .matrix("m", MatrixRules.plusScalarM(m, offset, seed))
                        .scalar("offset", MatrixRules.plusScalarOffset(m, offset, seed)));
              }),
          new Case(
              "addRowVector",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix row = normal(1, s.cols(), r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return matrixProbe(
                    in -> in.matrixValue("m").addRowVector(in.matrixValue("row")),
                    seed,
                    Inputs.of().matrix("m", m).matrix("row", row),
                    Inputs.of()
                        .matrix("m", MatrixRules.addRowVectorM(m, row, seed))
                        .matrix("row", MatrixRules.addRowVectorRow(m, row, seed)));
              }),
          // Reductions to a number
          new Case(
              "sum",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                double seed = r.nextGaussian();
                return toNumber(Matrix::sum, m, seed, MatrixRules.sum(m, seed));
              }),
          new Case(
              "mean",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                double seed = r.nextGaussian();
                return toNumber(Matrix::mean, m, seed, MatrixRules.mean(m, seed));
              }),
          new Case(
              "trace",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.rows(), r);
                double seed = r.nextGaussian();
                return toNumber(Matrix::trace, m, seed, MatrixRules.trace(m, seed));
              }),
          new Case(
              "dot",
              (s, r) -> {
                Matrix a = normal(s.rows(), s.cols(), r);
                Matrix b = normal(s.rows(), s.cols(), r);
                double seed = r.nextGaussian();
                return scalarProbe(
                    in -> in.matrixValue("a").dot(in.matrixValue("b")),
                    seed,
                    Inputs.of().matrix("a", a).matrix("b", b),
                    Inputs.of()
                        .matrix("a", MatrixRules.dotA(a, b, seed))
                        .matrix("b", MatrixRules.dotB(a, b, seed)));
              }),
          new Case(
              "squaredNorm",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                double seed = r.nextGaussian();
                return toNumber(Matrix::squaredNorm, m, seed, MatrixRules.squaredNorm(m, seed));
              }),
          new Case(
              "get",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                int row = r.nextInt(s.rows());
                int col = r.nextInt(s.cols());
                double seed = r.nextGaussian();
                return toNumber(
                    x -> x.get(row, col), m, seed, MatrixRules.get(m, row, col, seed));
              }),
          // Reductions along rows and columns
          new Case(
              "rowSums",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.rows(), 1, r);
                return unary(Matrix::rowSums, m, seed, MatrixRules.rowSums(m, seed));
              }),
          new Case(
              "colSums",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(1, s.cols(), r);
                return unary(Matrix::colSums, m, seed, MatrixRules.colSums(m, seed));
              }),
          new Case(
              "rowMeans",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.rows(), 1, r);
                return unary(Matrix::rowMeans, m, seed, MatrixRules.rowMeans(m, seed));
              }),
          new Case(
              "colMeans",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(1, s.cols(), r);
                return unary(Matrix::colMeans, m, seed, MatrixRules.colMeans(m, seed));
              }),
          // Element-wise functions
          new Case(
              "exp",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::exp, m, seed, MatrixRules.exp(m, m.exp(), seed));
              }),
          new Case(
              "log",
              (s, r) -> {
                Matrix m = uniform(s.rows(), s.cols(), 0.5, 3, r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::log, m, seed, MatrixRules.log(m, seed));
              }),
          new Case(
              "tanh",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::tanh, m, seed, MatrixRules.tanh(m, m.tanh(), seed));
              }),
          new Case(
              "sigmoid",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r).scale(2);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::sigmoid, m, seed, MatrixRules.sigmoid(m, m.sigmoid(), seed));
              }),
          new Case(
              "relu",
              (s, r) -> {
                Matrix m = awayFromZero(s.rows(), s.cols(), 0.1, r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::relu, m, seed, MatrixRules.relu(m, seed));
              }),
          new Case(
              "softplus",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r).scale(3);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::softplus, m, seed, MatrixRules.softplus(m, seed));
              }),
          new Case(
              "square",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::square, m, seed, MatrixRules.square(m, seed));
              }),
          new Case(
              "sqrt",
              (s, r) -> {
                Matrix m = uniform(s.rows(), s.cols(), 0.3, 4, r);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(Matrix::sqrt, m, seed, MatrixRules.sqrt(m, m.sqrt(), seed));
              }),
          // Row-wise softmax
          new Case(
              "softmaxRows",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r).scale(2);
                Matrix seed = normal(s.rows(), s.cols(), r);
                return unary(
                    Matrix::softmaxRows,
                    m,
                    seed,
                    MatrixRules.softmaxRows(m, m.softmaxRows(), seed));
              }),
          new Case(
              "logSumExpRows",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r).scale(2);
                Matrix seed = normal(s.rows(), 1, r);
                return unary(Matrix::logSumExpRows, m, seed, MatrixRules.logSumExpRows(m, seed));
              }),
          // Rows, slices and concatenation
          new Case(
              "sliceRows",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                int from = r.nextInt(s.rows());
                int to = from + 1 + r.nextInt(s.rows() - from);
                Matrix seed = normal(to - from, s.cols(), r);
                return unary(
                    x -> x.sliceRows(from, to), m, seed, MatrixRules.sliceRows(m, from, to, seed));
              }),
          new Case(
              "selectRows",
              (s, r) -> {
                Matrix m = normal(s.rows(), s.cols(), r);
                int[] indices = r.ints(s.other() + 2, 0, s.rows()).toArray();
                Matrix seed = normal(indices.length, s.cols(), r);
                return unary(
                    x -> x.selectRows(indices),
                    m,
                    seed,
                    MatrixRules.selectRows(m, indices, seed));
              }),
          new Case(
              "hconcat",
              (s, r) -> {
                Matrix left = normal(s.rows(), s.cols(), r);
                Matrix right = normal(s.rows(), s.other(), r);
                Matrix seed = normal(s.rows(), s.cols() + s.other(), r);
                return binary(
                    Matrix::hconcat,
                    left,
                    right,
                    seed,
                    MatrixRules::hconcatLeft,
                    MatrixRules::hconcatRight);
              }),
          new Case(
              "vconcat",
              (s, r) -> {
                Matrix above = normal(s.rows(), s.cols(), r);
                Matrix below = normal(s.other(), s.cols(), r);
                Matrix seed = normal(s.rows() + s.other(), s.cols(), r);
                return binary(
                    Matrix::vconcat,
                    above,
                    below,
                    seed,
                    MatrixRules::vconcatAbove,
                    MatrixRules::vconcatBelow);
              }),
          // Losses
          new Case(
              "meanSquaredError",
              (s, r) -> {
                Matrix predictions = normal(s.rows(), s.cols(), r);
                Matrix targets = normal(s.rows(), s.cols(), r);
                double seed = r.nextGaussian();
                return scalarProbe(
                    in ->
                        Matrix.meanSquaredError(
                            in.matrixValue("predictions"), in.matrixValue("targets")),
                    seed,
                    Inputs.of().matrix("predictions", predictions).matrix("targets", targets),
                    Inputs.of()
                        .matrix(
                            "predictions",
                            MatrixRules.meanSquaredErrorPredictions(predictions, targets, seed))
                        .matrix(
                            "targets",
                            MatrixRules.meanSquaredErrorTargets(predictions, targets, seed)));
              }),
          new Case(
              "binaryCrossEntropyWithLogits",
              (s, r) -> {
                Matrix logits = normal(s.rows(), s.cols(), r).scale(3);
                Matrix targets = uniform(s.rows(), s.cols(), 0, 1, r);
                double seed = r.nextGaussian();
                return scalarProbe(
                    in ->
                        Matrix.binaryCrossEntropyWithLogits(
                            in.matrixValue("logits"), in.matrixValue("targets")),
                    seed,
                    Inputs.of().matrix("logits", logits).matrix("targets", targets),
                    Inputs.of()
                        .matrix(
                            "logits",
                            MatrixRules.binaryCrossEntropyWithLogitsLogits(logits, targets, seed))
                        .matrix(
                            "targets",
                            MatrixRules.binaryCrossEntropyWithLogitsTargets(
                                logits, targets, seed)));
              }),
          new Case(
              "softmaxCrossEntropy",
              (s, r) -> {
                Matrix logits = normal(s.rows(), s.cols(), r).scale(2);
                int[] labels = r.ints(s.rows(), 0, s.cols()).toArray();
                double seed = r.nextGaussian();
                return toNumber(
                    x -> Matrix.softmaxCrossEntropy(x, labels),
                    logits,
                    seed,
                    MatrixRules.softmaxCrossEntropy(logits, labels, seed));
              }));

  static Stream<Arguments> casesAtShapes() {
    return CASES.stream()
        .flatMap(
            rule ->
                shapes().stream()
                    .map(shape -> Arguments.of(rule.operation() + " at " + shape, rule, shape)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesAtShapes")
  void rulesAgreeWithFiniteDifferences(String label, Case rule, Shape shape) {
    Check check = rule.check().apply(shape, new Random(label.hashCode()));
    assertGradient(check.probe(), check.at(), check.gradient());
  }

  // ---------------------------------------------------------------------------------------------
  // Values at special points

  @Test
  void reluIsFlatAtZero() {
    Matrix atKink = Matrix.rowVector(0, -0.0, 1e-300, -1e-300);
    assertEquals(
        Matrix.rowVector(0, 0, 1, 0), MatrixRules.relu(atKink, Matrix.filled(1, 4, 1)));
  }

  @Test
  void sqrtIsInfiniteAtZeroLikeTheScalarRule() {
    Matrix zero = Matrix.rowVector(0, 0);
    Matrix gradient = MatrixRules.sqrt(zero, zero.sqrt(), Matrix.rowVector(1, -2));
    assertEquals(Matrix.rowVector(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), gradient);
  }

  @Test
  void softmaxRulesStayFiniteForHugeLogits() {
    Matrix logits = Matrix.of(new double[][] {{1000, 1001, -1000}, {-2000, -2001, -2000}});
    Matrix seed = Matrix.of(new double[][] {{0.5, -1, 2}, {1, 1, -3}});
    assertFinite(MatrixRules.softmaxRows(logits, logits.softmaxRows(), seed));
    assertFinite(MatrixRules.logSumExpRows(logits, Matrix.columnVector(1, 2)));
    assertFinite(MatrixRules.softmaxCrossEntropy(logits, new int[] {2, 1}, 1));
    assertFinite(
        MatrixRules.binaryCrossEntropyWithLogitsLogits(logits, Matrix.filled(2, 3, 1), 1));
    assertFinite(MatrixRules.softplus(logits, seed));
    assertFinite(MatrixRules.sigmoid(logits, logits.sigmoid(), seed));
  }

  @Test
  void softmaxCrossEntropyRuleIsSoftmaxMinusOneHotOverRows() {
    Matrix logits = Matrix.of(new double[][] {{0, 0}, {Math.log(3), 0}});
    Matrix gradient = MatrixRules.softmaxCrossEntropy(logits, new int[] {0, 1}, 2);
    // softmax rows (1/2, 1/2) and (3/4, 1/4); minus one-hot; times 2 / 2 rows.
    assertMatrixEquals(new double[][] {{-0.5, 0.5}, {0.75, -0.75}}, gradient, 1e-15);
  }

  @Test
  void selectRowsAccumulatesRepeatedIndices() {
    Matrix m = Matrix.zeros(3, 2);
    Matrix seed = Matrix.of(new double[][] {{1, 2}, {10, 20}, {100, 200}});
    assertEquals(
        Matrix.of(new double[][] {{0, 0}, {101, 202}, {10, 20}}),
        MatrixRules.selectRows(m, new int[] {1, 2, 1}, seed));
  }

  @Test
  void rulesOfEmptyMatricesKeepTheShape() {
    Matrix empty = Matrix.zeros(0, 3);
    assertEquals("0x3", MatrixRules.selectRows(empty, new int[0], Matrix.zeros(0, 3)).shape());
    assertEquals("0x3", MatrixRules.relu(empty, empty).shape());
    assertEquals("0x3", MatrixRules.softmaxCrossEntropy(empty, new int[0], 1).shape());
    assertEquals("0x3", MatrixRules.sliceRows(empty, 0, 0, empty).shape());
  }

  @Test
  void badIndicesAndLabelsAreNamedInTheRulesToo() {
    Matrix m = Matrix.zeros(2, 3);
    assertThrows(IllegalArgumentException.class, () -> MatrixRules.get(m, 2, 0, 1));
    IllegalArgumentException select =
        assertThrows(
            IllegalArgumentException.class,
            () -> MatrixRules.selectRows(m, new int[] {0, 5}, Matrix.zeros(2, 3)));
    assertEquals("selectRows: index 5 at position 1 is not a row of 2x3", select.getMessage());
    IllegalArgumentException label =
        assertThrows(
            IllegalArgumentException.class,
            () -> MatrixRules.softmaxCrossEntropy(m, new int[] {0, 3}, 1));
    assertEquals(
        "softmaxCrossEntropy: label 3 of row 1 is not a column of logits 2x3", label.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // The convention, read from the compiled annotations

  @Test
  void everyDifferentiableMatrixOperationHasARulePerDifferentiableInput() {
    Map<String, Set<String>> expected = new TreeMap<>();
    for (Method method : Matrix.class.getDeclaredMethods()) {
      if (!Modifier.isPublic(method.getModifiers()) || !returnsDifferentiable(method)) {
        continue;
      }
      List<Class<?>> inputs = functionInputs(method);
      List<String> differentiable = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        if (inputs.get(i) == Matrix.class || (inputs.get(i) == double.class && takesMatrix(method))) {
          differentiable.add(method.getName() + "#" + i);
        }
      }
      if (takesMatrix(method)) {
        expected.computeIfAbsent(method.getName(), unused -> new TreeSet<>()).addAll(differentiable);
      }
    }

    Map<String, Set<String>> covered = new TreeMap<>();
    for (Rule rule : CompiledRules.of(MatrixRules.class)) {
      int index = rule.wrtIndex();
      covered
          .computeIfAbsent(rule.function(), unused -> new TreeSet<>())
          .add(rule.function() + "#" + index);
    }
    assertEquals(expected, covered);
  }

  @Test
  void everyRuleFollowsThePullbackConvention() {
    Set<String> seen = new HashSet<>();
    List<Rule> rules = CompiledRules.of(MatrixRules.class);
    assertFalse(rules.isEmpty());
    for (Rule rule : rules) {
      String name = rule.name();
      assertTrue(rule.publicStatic(), name + " is public static");
      assertEquals(Matrix.class.getName(), rule.owner(), name + "'s owner");
      assertFalse(rule.tangent(), name + " is in the pullback form");
      Method function = operation(rule.function());
      List<Class<?>> inputs = functionInputs(function);
      List<RuleParameter> parameters = rule.parameters();
      int extras = parameters.size() - inputs.size();
      assertTrue(extras == 1 || extras == 2, name + " takes the inputs, [value,] seed");
      for (int i = 0; i < inputs.size(); i++) {
        assertEquals(
            inputs.get(i).getCanonicalName(),
            parameters.get(i).type(),
            name + " parameter " + i);
      }
      String returnType = function.getReturnType().getCanonicalName();
      RuleParameter seed = parameters.get(parameters.size() - 1);
      assertEquals("seed", seed.name(), name + " ends with the seed");
      assertEquals(returnType, seed.type(), name + ": the seed has the result's type");
      if (extras == 2) {
        RuleParameter value = parameters.get(inputs.size());
        assertEquals("value", value.name(), name + " takes the value");
        assertEquals(returnType, value.type(), name + ": the value's type");
      }

      List<String> names = rule.parameterNames().subList(0, inputs.size());
      long differentiableInputs =
          inputs.stream().filter(type -> type == Matrix.class || type == double.class).count();
      int index;
      if (rule.wrt().isEmpty()) {
        assertEquals(1, inputs.size(), name + ": wrt may be omitted only for one parameter");
        index = 0;
      } else {
        index = names.indexOf(rule.wrt());
        assertTrue(index >= 0, name + ": wrt '" + rule.wrt() + "' is one of " + names);
      }
      assertEquals(
          inputs.get(index).getCanonicalName(),
          rule.returnType(),
          name + " returns the type of " + names.get(index));
      assertEquals(
          differentiableInputs == 1 ? rule.function() : rule.function() + capitalised(names.get(index)),
          name,
          "the naming convention");
      assertTrue(seen.add(rule.function() + "#" + index), name + " duplicates another rule");
    }
  }

  @Test
  void everyRuleIsCheckedAgainstFiniteDifferences() {
    Set<String> functions = new TreeSet<>();
    CompiledRules.of(MatrixRules.class).forEach(rule -> functions.add(rule.function()));
    Set<String> checked = CASES.stream().map(Case::operation).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(functions, checked);
  }

  // ---------------------------------------------------------------------------------------------
  // Probes

  /** f(x) = op(x).dot(seed) for a Matrix-valued op. */
  private static Check matrixProbe(
      Function<Inputs, Matrix> op, Matrix seed, Inputs at, Inputs gradient) {
    return new Check(in -> op.apply(in).dot(seed), at, gradient);
  }

  /** f(x) = seed · op(x) for a double-valued op. */
  private static Check scalarProbe(
      ToDoubleFunction<Inputs> op, double seed, Inputs at, Inputs gradient) {
    return new Check(in -> seed * op.applyAsDouble(in), at, gradient);
  }

  private static Check unary(Function<Matrix, Matrix> op, Matrix m, Matrix seed, Matrix gradient) {
    return matrixProbe(
        in -> op.apply(in.matrixValue("m")),
        seed,
        Inputs.of().matrix("m", m),
        Inputs.of().matrix("m", gradient));
  }

  private static Check toNumber(
      ToDoubleFunction<Matrix> op, Matrix m, double seed, Matrix gradient) {
    return scalarProbe(
        in -> op.applyAsDouble(in.matrixValue("m")),
        seed,
        Inputs.of().matrix("m", m),
        Inputs.of().matrix("m", gradient));
  }

  /** A rule of a binary Matrix operation, without the value. */
  private interface BinaryRule {
    Matrix apply(Matrix a, Matrix b, Matrix seed);
  }

  private static Check binary(
      BiFunction<Matrix, Matrix, Matrix> op,
      Matrix a,
      Matrix b,
      Matrix seed,
      BinaryRule ruleA,
      BinaryRule ruleB) {
    return matrixProbe(
        in -> op.apply(in.matrixValue("a"), in.matrixValue("b")),
        seed,
        Inputs.of().matrix("a", a).matrix("b", b),
        Inputs.of().matrix("a", ruleA.apply(a, b, seed)).matrix("b", ruleB.apply(a, b, seed)));
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertFinite(Matrix m) {
    for (double[] row : m.toArray()) {
      for (double value : row) {
        assertTrue(Double.isFinite(value), () -> "not finite: " + m);
      }
    }
  }

  private static void assertMatrixEquals(double[][] expected, Matrix actual, double tolerance) {
    assertEquals(expected.length + "x" + expected[0].length, actual.shape());
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual.get(i, j), tolerance, "entry " + i + ", " + j);
      }
    }
  }
}
