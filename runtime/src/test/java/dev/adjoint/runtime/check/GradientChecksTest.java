package dev.adjoint.runtime.check;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Hand-written {@link DifferentiableFunction}s, as the processor will generate them, with correct
 * and deliberately wrong gradients.
 */
class GradientChecksTest {

  // ---------------------------------------------------------------------------------------------
  // Functions under check

  /** product(x, y) = x·y + sin(x)·y²; the wrong gradient forgets the 2 in ∂y. */
  private static DifferentiableFunction product(boolean wrong) {
    return DifferentiableFunction.of(
        "product",
        List.of(param("x", double.class), param("y", double.class)),
        a -> {
          double x = (Double) a[0];
          double y = (Double) a[1];
          return x * y + Math.sin(x) * y * y;
        },
        a -> {
          double x = (Double) a[0];
          double y = (Double) a[1];
          return new Object[] {y + Math.cos(x) * y * y, x + (wrong ? 1 : 2) * Math.sin(x) * y};
        });
  }

  /** cubes(w, b) = Σ w_i³/3 + b·Σ w_i; the wrong gradient is off by 0.5 at w[2]. */
  private static DifferentiableFunction cubes(boolean wrong) {
    return DifferentiableFunction.of(
        "cubes",
        List.of(param("w", double[].class), param("b", double.class)),
        a -> {
          double[] w = (double[]) a[0];
          double b = (Double) a[1];
          return Arrays.stream(w).map(x -> x * x * x / 3 + b * x).sum();
        },
        a -> {
          double[] w = (double[]) a[0];
          double b = (Double) a[1];
          double[] dw = Arrays.stream(w).map(x -> x * x + b).toArray();
          if (wrong) {
            dw[2] += 0.5;
          }
          return new Object[] {dw, Arrays.stream(w).sum()};
        });
  }

  /** waves(A, k) = k·Σ sin(A_ij)·(j + 1), k an int (data); the wrong gradient is off at [1][0]. */
  private static DifferentiableFunction waves(boolean wrong) {
    return DifferentiableFunction.of(
        "waves",
        List.of(param("A", double[][].class), data("k", int.class)),
        a -> {
          double[][] rows = (double[][]) a[0];
          int k = (Integer) a[1];
          double sum = 0;
          for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
              sum += k * Math.sin(row[j]) * (j + 1);
            }
          }
          return sum;
        },
        a -> {
          double[][] rows = (double[][]) a[0];
          int k = (Integer) a[1];
          double[][] partial = new double[rows.length][];
          for (int i = 0; i < rows.length; i++) {
            partial[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
              partial[i][j] = k * Math.cos(rows[i][j]) * (j + 1);
            }
          }
          if (wrong) {
            partial[1][0] -= 0.5;
          }
          return new Object[] {partial};
        });
  }

  /** traceOfSquare(W) = trace(W·W), whose gradient is 2Wᵀ; the wrong one returns 2W. */
  static DifferentiableFunction traceOfSquare(boolean wrong) {
    return DifferentiableFunction.of(
        "traceOfSquare",
        List.of(param("W", Matrix.class)),
        a -> {
          double[][] w = ((Matrix) a[0]).toArray();
          double trace = 0;
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
              trace += w[i][j] * w[j][i];
            }
          }
          return trace;
        },
        a -> {
          Matrix matrix = (Matrix) a[0];
          double[][] w = matrix.toArray();
          double[][] partial = new double[matrix.rows()][matrix.cols()];
          for (int i = 0; i < partial.length; i++) {
            for (int j = 0; j < partial[i].length; j++) {
              partial[i][j] = 2 * (wrong ? w[i][j] : w[j][i]);
            }
          }
          return new Object[] {Matrix.of(partial)};
        });
  }

  /** A layer's parameters: a 2x3 weight matrix and a bias. */
  record Params(Matrix weights, double bias) {}

  /** A record of partials of another type than the parameter's, with the same component names. */
  record ParamsGradient(Matrix weights, double bias) {}

  /**
   * layer(params, x) = Σ_i tanh((W x)_i + bias), x data of length 3; the wrong gradient is off at
   * weights[1][2] or in the bias.
   */
  static DifferentiableFunction layer(
      double weightError, double biasError, boolean ownGradientRecord) {
    return DifferentiableFunction.of(
        "layer",
        List.of(param("params", Params.class), data("x", double[].class)),
        a -> {
          double[] sech2 = new double[2];
          return layerForward((Params) a[0], (double[]) a[1], sech2);
        },
        a -> {
          Params params = (Params) a[0];
          double[] x = (double[]) a[1];
          double[] sech2 = new double[2];
          layerForward(params, x, sech2);
          double[][] dw = new double[2][3];
          double db = 0;
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
              dw[i][j] = sech2[i] * x[j];
            }
            db += sech2[i];
          }
          dw[1][2] += weightError;
          db += biasError;
          Object partial =
              ownGradientRecord
                  ? new ParamsGradient(Matrix.of(dw), db)
                  : new Params(Matrix.of(dw), db);
          return new Object[] {partial};
        });
  }

  static double layerForward(Params params, double[] x, double[] sech2) {
    double[][] w = params.weights().toArray();
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      double z = params.bias();
      for (int j = 0; j < x.length; j++) {
        z += w[i][j] * x[j];
      }
      double t = Math.tanh(z);
      sech2[i] = 1 - t * t;
      sum += t;
    }
    return sum;
  }

  static GradientChecks withLayerSamples(GradientChecks checks) {
    return checks
        .argument(
            "layer",
            "params",
            random ->
                new Params(
                    Matrix.of(
                        new double[][] {
                          random.doubles(3, -1, 1).toArray(), random.doubles(3, -1, 1).toArray()
                        }),
                    random.nextDouble(-1, 1)))
        .argument("layer", "x", random -> random.doubles(3, -1, 1).toArray());
  }

  private static final int BIG = 250;

  /**
   * big(w, b) = b·Σ w_i²/2 + Σ sin(w_i), w of length 250: above the full-gradient threshold. The
   * wrong gradient is off by 5 at w[17] or by 1 in b.
   */
  private static DifferentiableFunction big(double weightError, double biasError) {
    return DifferentiableFunction.of(
        "big",
        List.of(param("w", double[].class), param("b", double.class)),
        a -> {
          double[] w = (double[]) a[0];
          double b = (Double) a[1];
          return Arrays.stream(w).map(x -> b * x * x / 2 + Math.sin(x)).sum();
        },
        a -> {
          double[] w = (double[]) a[0];
          double b = (Double) a[1];
          double[] dw = Arrays.stream(w).map(x -> b * x + Math.cos(x)).toArray();
          dw[17] += weightError;
          return new Object[] {dw, Arrays.stream(w).map(x -> x * x / 2).sum() + biasError};
        });
  }

  private static GradientChecks withBigSamples(GradientChecks checks) {
    return checks.argument("big", "w", random -> random.doubles(BIG, -1, 1).toArray());
  }

  /** log(x), defined for positive x only. */
  private static DifferentiableFunction log(List<Double> seen) {
    return DifferentiableFunction.of(
        "log",
        List.of(param("x", double.class)),
        a -> Math.log((Double) a[0]),
        a -> {
          seen.add((Double) a[0]);
          return new Object[] {1 / (Double) a[0]};
        });
  }

  /** predict(X, w) = Σ_i (X w)_i², X a Matrix whose column count must equal w's length. */
  private static final DifferentiableFunction PREDICT =
      DifferentiableFunction.of(
          "predict",
          List.of(param("X", Matrix.class), param("w", double[].class)),
          a -> Arrays.stream(times((Matrix) a[0], (double[]) a[1])).map(y -> y * y).sum(),
          a -> {
            double[][] x = ((Matrix) a[0]).toArray();
            double[] w = (double[]) a[1];
            double[] y = times((Matrix) a[0], w);
            double[][] dx = new double[x.length][w.length];
            double[] dw = new double[w.length];
            for (int i = 0; i < x.length; i++) {
              for (int j = 0; j < w.length; j++) {
                dx[i][j] = 2 * y[i] * w[j];
                dw[j] += 2 * y[i] * x[i][j];
              }
            }
            return new Object[] {Matrix.of(dx), dw};
          });

  private static double[] times(Matrix matrix, double[] vector) {
    double[][] rows = matrix.toArray();
    double[] result = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < vector.length; j++) {
        result[i] += rows[i][j] * vector[j];
      }
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Correct gradients pass, wrong ones fail naming the parameter, index and seed

  @Test
  void oneDynamicTestPerFunctionNamedBySignatureAndCorrectGradientsPass() {
    GradientChecks checks =
        withLayerSamples(
            GradientChecks.of(
                List.of(
                    product(false),
                    cubes(false),
                    waves(false),
                    traceOfSquare(false),
                    layer(0, 0, false))));
    List<DynamicTest> tests = checks.dynamicTests().toList();
    assertEquals(
        List.of(
            "product(double x, double y)",
            "cubes(double[] w, double b)",
            "waves(double[][] A, int k)",
            "traceOfSquare(Matrix W)",
            "layer(Params params, double[] x)"),
        tests.stream().map(DynamicTest::getDisplayName).toList());
    tests.forEach(GradientChecksTest::assertPasses);
  }

  @Test
  void aWrongScalarPartialFailsNamingTheParameterValuesErrorsArgumentsAndSeed() {
    String message = failureOf(GradientChecks.of(product(false), product(true)), 1);
    assertTrue(
        message.startsWith(
            "product(double x, double y): wrong partial derivative for parameter y: analytic "),
        message);
    assertTrue(message.contains("numerical "), message);
    assertTrue(message.contains("absolute error "), message);
    assertTrue(message.contains("relative error "), message);
    assertTrue(message.contains("sample point 1 of 3, seed 42"), message);
    assertTrue(message.contains("-Dadjoint.gradcheck.seed=42"), message);
    assertTrue(message.contains("arguments:\n    x = "), message);
    assertTrue(message.contains("\n    y = "), message);
    assertTrue(!message.contains("parameter x"), message);
  }

  @Test
  void aWrongVectorPartialNamesTheIndex() {
    String message = failureOf(GradientChecks.of(cubes(true)), 0);
    assertTrue(message.contains("wrong partial derivative for parameter w, index [2]:"), message);
    assertTrue(message.contains("Gradient check FAILED for 1 of 5 components"), message);
    assertTrue(message.contains("w = double[4] ["), message);
  }

  @Test
  void aWrongRowsPartialNamesRowAndColumn() {
    String message = failureOf(GradientChecks.of(waves(true)), 0);
    assertTrue(message.contains("for parameter A, index [1][0]:"), message);
    assertTrue(message.contains("k = "), message);
  }

  @Test
  void aTransposedMatrixPartialFailsOffTheDiagonal() {
    String message = failureOf(GradientChecks.of(traceOfSquare(true)), 0);
    assertTrue(message.contains("for parameter W, index ["), message);
    assertTrue(message.contains("Gradient check FAILED for 6 of 9 components"), message);
    assertTrue(message.contains("W = Matrix 3x3"), message);
  }

  @Test
  void aRecordIsFlattenedComponentByComponent() {
    String weights = failureOf(withLayerSamples(GradientChecks.of(layer(0.5, 0, false))), 0);
    assertTrue(
        weights.contains("wrong partial derivative for parameter params.weights, index [1][2]:"),
        weights);
    assertTrue(weights.contains("params = Params[weights=Matrix 2x3"), weights);

    String bias = failureOf(withLayerSamples(GradientChecks.of(layer(0, 0.01, false))), 0);
    assertTrue(bias.contains("wrong partial derivative for parameter params.bias: "), bias);

    // The partials may be a record of their own, matched by component name.
    assertPasses(only(withLayerSamples(GradientChecks.of(layer(0, 0, true)))));

    // Suppliers for a parameter name shared by every function.
    assertPasses(
        only(
            GradientChecks.of(layer(0, 0, false))
                .argument(
                    "params",
                    random -> new Params(Matrix.of(new double[][] {{1, 2, 3}, {-1, 0, 0.5}}), 0.5))
                .argument("x", random -> random.doubles(3, -1, 1).toArray())));
  }

  @Test
  void aRecordWithoutSupplierFailsSayingHowToSupplyIt() {
    DynamicTest test = only(GradientChecks.of(layer(0, 0, false)));
    String message = failureOf(test);
    assertTrue(
        message.startsWith("layer(Params params, double[] x): no sample for params"), message);
    assertTrue(message.contains("parameter 'params' of type Params (a record)"), message);
    assertTrue(
        message.contains(".argument(\"layer\", \"params\", random -> new Params(...))"), message);
    assertTrue(message.contains(".arguments(\"layer\", random -> new Object[] {...})"), message);
    assertTrue(message.contains("seed 42"), message);
  }

  // ---------------------------------------------------------------------------------------------
  // Large inputs: random directions

  @Test
  void largeInputsAreCheckedAlongRandomDirections() {
    assertPasses(only(withBigSamples(GradientChecks.of(big(0, 0)))));

    String message = failureOf(withBigSamples(GradientChecks.of(big(5, 0))), 0);
    assertTrue(
        message.startsWith(
            "big(double[] w, double b): wrong gradient along random direction 1 of 5: analytic"
                + " v.grad "),
        message);
    assertTrue(message.contains("numerical d/dt f(x + t v) "), message);
    assertTrue(message.contains("parameter w FAILS"), message);
    assertTrue(message.contains("parameter b passes"), message);
    assertTrue(message.contains("direction v: double[" + (BIG + 1) + "] ["), message);
    assertTrue(
        message.contains((BIG + 1) + " differentiated components > fullGradientUpTo 200"), message);
    assertTrue(message.contains("seed 42"), message);

    String bias = failureOf(withBigSamples(GradientChecks.of(big(0, 1))), 0);
    assertTrue(bias.contains("parameter w passes"), bias);
    assertTrue(bias.contains("parameter b FAILS"), bias);
  }

  @Test
  void raisingTheThresholdComparesEveryComponent() {
    String message =
        failureOf(withBigSamples(GradientChecks.of(big(5, 0))).fullGradientUpTo(BIG + 1), 0);
    assertTrue(message.contains("wrong partial derivative for parameter w, index [17]:"), message);
    assertTrue(
        message.contains("Gradient check FAILED for 1 of " + (BIG + 1) + " components"), message);

    // And lowering it sends even a small function down the directional path.
    String small = failureOf(GradientChecks.of(cubes(true)).fullGradientUpTo(0), 0);
    assertTrue(small.contains("along random direction"), small);
    assertTrue(small.contains("parameter w FAILS"), small);
  }

  // ---------------------------------------------------------------------------------------------
  // Samples

  @Test
  void domainsRestrictTheSamples() {
    List<Double> seen = new ArrayList<>();
    String undefined = failureOf(GradientChecks.of(log(seen)).points(10), 0);
    assertTrue(undefined.contains("log(double x): the function's value is NaN"), undefined);
    assertTrue(undefined.contains(".positive(\"log\", \"x\")"), undefined);

    seen.clear();
    assertPasses(only(GradientChecks.of(log(seen)).positive("log", "x").points(10)));
    assertEquals(10, seen.size());
    assertTrue(seen.stream().allMatch(x -> x >= 0.1 && x <= 2), seen::toString);

    seen.clear();
    assertPasses(only(GradientChecks.of(log(seen)).domain("log", "x", 0, 5).points(20)));
    assertTrue(seen.stream().allMatch(x -> x > 0.001 && x < 5), seen::toString);

    // For every function with a parameter x; a function's own domain wins.
    seen.clear();
    List<Double> others = new ArrayList<>();
    GradientChecks shared =
        GradientChecks.of(log(seen), product(false)).domain("x", 3, 4).domain("log", "x", 0.5, 1);
    shared.dynamicTests().forEach(GradientChecksTest::assertPasses);
    assertTrue(seen.stream().allMatch(x -> x >= 0.5 && x <= 1), seen::toString);
    assertPasses(
        only(GradientChecks.of(recording(product(false), others)).domain("x", 3, 4).points(5)));
    assertEquals(5, others.size());
    assertTrue(others.stream().allMatch(x -> x >= 3 && x <= 4), others::toString);
  }

  @Test
  void defaultSamplesOfEveryParameterType() {
    List<Object[]> calls = new ArrayList<>();
    DifferentiableFunction sums =
        DifferentiableFunction.of(
            "sums",
            List.of(
                param("x", double.class),
                data("n", int.class),
                data("m", long.class),
                data("flag", boolean.class),
                param("v", double[].class),
                param("A", double[][].class),
                param("M", Matrix.class),
                data("labels", int[].class)),
            a ->
                (Double) a[0]
                    + Arrays.stream((double[]) a[4]).sum()
                    + Arrays.stream((double[][]) a[5]).flatMapToDouble(Arrays::stream).sum()
                    + Arrays.stream(((Matrix) a[6]).toArray())
                        .flatMapToDouble(Arrays::stream)
                        .sum(),
            a -> {
              calls.add(a.clone());
              return new Object[] {
                1.0,
                ones(4),
                new double[][] {ones(3), ones(3), ones(3)},
                Matrix.of(new double[][] {ones(3), ones(3), ones(3)})
              };
            });
    assertPasses(only(GradientChecks.of(sums).points(4)));
    assertEquals(4, calls.size());
    for (Object[] call : calls) {
      assertTrue(Math.abs((Double) call[0]) <= 2, () -> Arrays.deepToString(call));
      int n = (Integer) call[1];
      assertTrue(n >= 1 && n <= 5, () -> Arrays.deepToString(call));
      long m = (Long) call[2];
      assertTrue(m >= 1 && m <= 5, () -> Arrays.deepToString(call));
      assertTrue(call[3] instanceof Boolean);
      double[] v = (double[]) call[4];
      assertEquals(4, v.length);
      assertTrue(Arrays.stream(v).allMatch(value -> Math.abs(value) <= 1));
      double[][] rows = (double[][]) call[5];
      assertEquals(3, rows.length);
      assertEquals(3, rows[0].length);
      Matrix matrix = (Matrix) call[6];
      assertEquals(3, matrix.rows());
      assertEquals(3, matrix.cols());
      int[] labels = (int[]) call[7];
      assertEquals(4, labels.length);
      assertTrue(Arrays.stream(labels).allMatch(label -> label >= 0 && label <= 2));
    }
  }

  @Test
  void argumentListsKeepShapesInAgreement() {
    String message = failureOf(GradientChecks.of(PREDICT), 0);
    assertTrue(message.contains("predict(Matrix X, double[] w): the function threw"), message);
    assertTrue(message.contains("X, w got default shapes"), message);
    assertTrue(message.contains(".arguments(\"predict\", random -> new Object[] {...})"), message);

    assertPasses(
        only(
            GradientChecks.of(PREDICT)
                .arguments(
                    "predict",
                    random ->
                        new Object[] {
                          Matrix.of(
                              new double[][] {
                                random.doubles(2, -1, 1).toArray(),
                                random.doubles(2, -1, 1).toArray(),
                                random.doubles(2, -1, 1).toArray(),
                                random.doubles(2, -1, 1).toArray(),
                                random.doubles(2, -1, 1).toArray()
                              }),
                          random.doubles(2, -1, 1).toArray()
                        })));

    String wrongCount =
        failureOf(GradientChecks.of(PREDICT).arguments("predict", random -> new Object[] {1.0}));
    assertTrue(wrongCount.contains("returned 1 arguments but the function has 2"), wrongCount);
    String wrongType =
        failureOf(GradientChecks.of(cubes(false)).argument("cubes", "w", random -> "text"));
    assertTrue(
        wrongType.contains("the supplier of parameter 'w' returned a String, not a double[]"),
        wrongType);
  }

  @Test
  void pointsSetsTheNumberOfSamplePoints() {
    List<Double> seen = new ArrayList<>();
    assertPasses(only(GradientChecks.of(recording(product(false), seen)).points(7)));
    assertEquals(7, seen.size());
    assertEquals(7, seen.stream().distinct().count());
  }

  // ---------------------------------------------------------------------------------------------
  // The seed

  @Test
  void samplesAreReproducibleFromTheSeed() {
    assertEquals(samples(GradientChecks::of), samples(GradientChecks::of));
    assertEquals(
        samples(functions -> GradientChecks.of(functions).seed(GradientChecks.DEFAULT_SEED)),
        samples(GradientChecks::of));
    assertNotEquals(
        samples(functions -> GradientChecks.of(functions).seed(7)), samples(GradientChecks::of));

    String old = System.getProperty(GradientChecks.SEED_PROPERTY);
    try {
      System.setProperty(GradientChecks.SEED_PROPERTY, "7");
      assertEquals(
          samples(functions -> GradientChecks.of(functions).seed(7)), samples(GradientChecks::of));
      // An explicit seed wins over the property.
      assertEquals(
          samples(functions -> GradientChecks.of(functions).seed(8)),
          samples(functions -> GradientChecks.of(functions).seed(8)));
      assertNotEquals(
          samples(functions -> GradientChecks.of(functions).seed(8)), samples(GradientChecks::of));
      String message = failureOf(GradientChecks.of(product(true)), 0);
      assertTrue(message.contains("seed 7 (reproduce with .seed(7)"), message);

      System.setProperty(GradientChecks.SEED_PROPERTY, "random");
      String random = failureOf(GradientChecks.of(product(true)), 0);
      assertTrue(random.contains(", seed "), random);

      System.setProperty(GradientChecks.SEED_PROPERTY, "seven");
      IllegalArgumentException invalid =
          assertThrows(
              IllegalArgumentException.class,
              () -> GradientChecks.of(product(false)).dynamicTests());
      assertTrue(invalid.getMessage().contains("adjoint.gradcheck.seed"), invalid::getMessage);
    } finally {
      if (old == null) {
        System.clearProperty(GradientChecks.SEED_PROPERTY);
      } else {
        System.setProperty(GradientChecks.SEED_PROPERTY, old);
      }
    }
  }

  /** The x of every sample point of product. */
  private static List<Double> samples(
      Function<List<DifferentiableFunction>, GradientChecks> configure) {
    List<Double> seen = new ArrayList<>();
    configure
        .apply(List.of(recording(product(false), seen)))
        .dynamicTests()
        .forEach(GradientChecksTest::assertPasses);
    return seen;
  }

  // ---------------------------------------------------------------------------------------------
  // Skips, settings and mistakes

  @Test
  void skippedFunctionsAreAbortedWithTheReason() {
    List<DynamicTest> tests =
        GradientChecks.of(product(true), cubes(false))
            .skip("product", "kinks everywhere")
            .dynamicTests()
            .toList();
    assertEquals("product(double x, double y)", tests.get(0).getDisplayName());
    TestAbortedException aborted =
        assertThrows(TestAbortedException.class, tests.get(0).getExecutable());
    assertEquals("product(double x, double y) skipped: kinks everywhere", aborted.getMessage());
    assertPasses(tests.get(1));

    TestAbortedException noReason =
        assertThrows(
            TestAbortedException.class,
            only(GradientChecks.of(product(true)).skip("product")).getExecutable());
    assertTrue(
        noReason.getMessage().contains("skipped with .skip(\"product\")"), noReason::getMessage);
  }

  @Test
  void tolerancesAreConfigurable() {
    // 0.5% off: beyond the default relative tolerance of 1e-3, within 1e-2.
    DifferentiableFunction slightlyOff =
        DifferentiableFunction.of(
            "exp",
            List.of(param("x", double.class)),
            a -> Math.exp((Double) a[0]),
            a -> new Object[] {1.005 * Math.exp((Double) a[0])});
    String message = failureOf(GradientChecks.of(slightlyOff), 0);
    assertTrue(message.contains("|analytic - numeric| <= 1.0e-05 + 1.0e-03 * |numeric|"), message);
    assertPasses(only(GradientChecks.of(slightlyOff).tolerances(1e-5, 1e-2)));
    assertPasses(
        only(
            GradientChecks.of(slightlyOff)
                .checker(GradientChecker.withDefaults().withTolerances(0, 1e-2).withStep(1e-3))));
  }

  @Test
  void gradientsOfTheWrongShapeOrThatThrowFailClearly() {
    DifferentiableFunction shortPartial =
        DifferentiableFunction.of(
            "cubes",
            cubes(false).parameters(),
            a -> cubes(false).value(a),
            a -> new Object[] {new double[3], 0.0});
    String shape = failureOf(GradientChecks.of(shortPartial), 0);
    assertTrue(shape.contains("the gradient does not fit the arguments: the partials: "), shape);
    assertTrue(shape.contains("'w' is a vector of length 3"), shape);

    DifferentiableFunction missingPartial =
        DifferentiableFunction.of(
            "cubes",
            cubes(false).parameters(),
            a -> cubes(false).value(a),
            a -> new Object[] {1.0});
    String count = failureOf(GradientChecks.of(missingPartial), 0);
    assertTrue(
        count.contains(
            "returned 1 partials but the function has 2 differentiated parameters [w, b]"),
        count);

    DifferentiableFunction throwing =
        DifferentiableFunction.of(
            "cubes",
            cubes(false).parameters(),
            a -> cubes(false).value(a),
            a -> {
              throw new IllegalStateException("boom");
            });
    AssertionFailedError error =
        assertThrows(AssertionFailedError.class, only(GradientChecks.of(throwing)).getExecutable());
    assertTrue(
        error.getMessage().contains("the gradient threw java.lang.IllegalStateException: boom"),
        error::getMessage);
    assertEquals("boom", error.getCause().getMessage());
  }

  @Test
  void configuringAnUnknownFunctionOrParameterFailsAtOnce() {
    GradientChecks checks = GradientChecks.of(product(false), layer(0, 0, false), waves(false));
    IllegalArgumentException function =
        assertThrows(IllegalArgumentException.class, () -> checks.positive("prodcut", "x"));
    assertEquals(
        "no function named 'prodcut'; the functions are [product, layer, waves]",
        function.getMessage());
    IllegalArgumentException parameter =
        assertThrows(IllegalArgumentException.class, () -> checks.domain("product", "z", 0, 1));
    assertEquals(
        "function 'product' has no parameter named 'z'; the parameters are [x, y]",
        parameter.getMessage());
    assertThrows(IllegalArgumentException.class, () -> checks.domain("z", 0, 1));
    IllegalArgumentException record =
        assertThrows(IllegalArgumentException.class, () -> checks.positive("params"));
    assertTrue(
        record.getMessage().contains("supply its samples with .argument(...)"), record::getMessage);
    assertThrows(IllegalArgumentException.class, () -> checks.domain("waves", "k", 0.2, 0.8));
    assertThrows(IllegalArgumentException.class, () -> checks.domain("x", 1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> checks.argument("layer", "y", random -> 1.0));
    assertThrows(IllegalArgumentException.class, () -> checks.skip("nope"));
    assertThrows(IllegalArgumentException.class, () -> checks.points(0));
    assertThrows(IllegalArgumentException.class, () -> checks.directions(0));
    assertThrows(IllegalArgumentException.class, () -> checks.fullGradientUpTo(-1));
    // Configuring returns a copy: the original is unchanged.
    checks.skip("product");
    assertPasses(checks.dynamicTests().findFirst().orElseThrow());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  static FunctionParameter param(String name, Class<?> type) {
    return new FunctionParameter(name, type, true);
  }

  static FunctionParameter data(String name, Class<?> type) {
    return new FunctionParameter(name, type, false);
  }

  private static double[] ones(int length) {
    double[] ones = new double[length];
    Arrays.fill(ones, 1);
    return ones;
  }

  /** The same function, adding the first argument of each gradient call (one per sample point). */
  private static DifferentiableFunction recording(
      DifferentiableFunction function, List<Double> firstArguments) {
    ToDoubleFunction<Object[]> value = function::value;
    return DifferentiableFunction.of(
        function.name(),
        function.parameters(),
        value,
        a -> {
          firstArguments.add((Double) a[0]);
          return function.gradient(a);
        });
  }

  static DynamicTest only(GradientChecks checks) {
    List<DynamicTest> tests = checks.dynamicTests().toList();
    assertEquals(1, tests.size());
    return tests.get(0);
  }

  static void assertPasses(DynamicTest test) {
    assertDoesNotThrow(test.getExecutable(), test.getDisplayName());
  }

  static String failureOf(DynamicTest test) {
    return assertThrows(AssertionFailedError.class, test.getExecutable(), test.getDisplayName())
        .getMessage();
  }

  static String failureOf(GradientChecks checks, int index) {
    return failureOf(checks.dynamicTests().toList().get(index));
  }

  static String failureOf(GradientChecks checks) {
    return failureOf(only(checks));
  }
}
