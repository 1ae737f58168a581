package dev.adjoint.runtime.check;

import static dev.adjoint.runtime.check.GradientChecksTest.assertPasses;
import static dev.adjoint.runtime.check.GradientChecksTest.data;
import static dev.adjoint.runtime.check.GradientChecksTest.failureOf;
import static dev.adjoint.runtime.check.GradientChecksTest.layer;
import static dev.adjoint.runtime.check.GradientChecksTest.layerForward;
import static dev.adjoint.runtime.check.GradientChecksTest.param;
import static dev.adjoint.runtime.check.GradientChecksTest.traceOfSquare;
import static dev.adjoint.runtime.check.GradientChecksTest.withLayerSamples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientChecksTest.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Forward modes and Hessians in {@link GradientChecks}: hand-written descriptions as generated
 * {@code functions()} build them, with {@code withTangent(...)} and {@code withHessian(...)},
 * correct and deliberately wrong.
 */
class TangentAndHessianChecksTest {

  // ---------------------------------------------------------------------------------------------
  // f(x, y) = x²y + sin y

  /** How a description of f is wrong, if at all. */
  private enum Fault {
    NONE,
    /** The tangent is 1.5 times the right one. */
    TANGENT_FACTOR,
    /** The tangent is off by a relative 1e-7 only. */
    TANGENT_ROUNDING,
    /** H[1][1] = +sin y instead of -sin y. */
    HESSIAN_ENTRY,
    /** H[1][0] is 1e-6 off, within the finite-difference tolerance, so only asymmetric. */
    HESSIAN_ASYMMETRIC,
    /** The Hessian is 1x1. */
    HESSIAN_SHAPE
  }

  private static DifferentiableFunction f(Fault fault) {
    return f(fault, new ArrayList<>(), new ArrayList<>());
  }

  /**
   * f with every mode; {@code gradientCalls} gets the arguments of each gradient call, {@code
   * tangentCalls} the arguments and tangents of each tangent call.
   */
  private static DifferentiableFunction f(
      Fault fault, List<Object[]> gradientCalls, List<Object[][]> tangentCalls) {
    return DifferentiableFunction.of(
            "f",
            List.of(param("x", double.class), param("y", double.class)),
            a -> {
              double x = (double) a[0];
              double y = (double) a[1];
              return x * x * y + Math.sin(y);
            },
            a -> {
              gradientCalls.add(a.clone());
              double x = (double) a[0];
              double y = (double) a[1];
              return new Object[] {2 * x * y, x * x + Math.cos(y)};
            })
        .withTangent(
            (a, t) -> {
              tangentCalls.add(new Object[][] {a.clone(), t.clone()});
              double x = (double) a[0];
              double y = (double) a[1];
              double dx = (double) t[0];
              double dy = (double) t[1];
              // Forward mode through the expression, as generated code does it.
              double xx = x * x;
              double dxx = 2 * x * dx;
              double derivative = dxx * y + xx * dy + Math.cos(y) * dy;
              return switch (fault) {
                case TANGENT_FACTOR -> 1.5 * derivative;
                case TANGENT_ROUNDING -> (1 + 1e-7) * derivative;
                default -> derivative;
              };
            })
        .withHessian(
            a -> {
              double x = (double) a[0];
              double y = (double) a[1];
              double[][] h = {{2 * y, 2 * x}, {2 * x, -Math.sin(y)}};
              switch (fault) {
                case HESSIAN_ENTRY -> h[1][1] = Math.sin(y);
                case HESSIAN_ASYMMETRIC -> h[1][0] += 1e-6;
                case HESSIAN_SHAPE -> h = new double[][] {{2 * y}};
                default -> {}
              }
              return h;
            });
  }

  @Test
  void eachModeIsATestOfItsOwnAndCorrectDerivativesPass() {
    List<DynamicTest> tests = GradientChecks.of(f(Fault.NONE)).dynamicTests().toList();
    assertEquals(
        List.of(
            "f(double x, double y)",
            "f(double x, double y) tangent",
            "f(double x, double y) Hessian"),
        tests.stream().map(DynamicTest::getDisplayName).toList());
    tests.forEach(GradientChecksTest::assertPasses);
  }

  @Test
  void theTangentIsCheckedAtTheGradientsPointsAlongRandomTangents() {
    List<Object[]> gradientCalls = new ArrayList<>();
    List<Object[][]> tangentCalls = new ArrayList<>();
    List<DynamicTest> tests =
        GradientChecks.of(f(Fault.NONE, gradientCalls, tangentCalls))
            .points(4)
            .dynamicTests()
            .toList();

    assertPasses(tests.get(0));
    List<Object> gradientPoints = gradientCalls.stream().map(call -> call[0]).toList();
    assertEquals(4, gradientPoints.size());
    gradientCalls.clear();

    assertPasses(tests.get(1));
    assertEquals(4, tangentCalls.size());
    // The tangent test samples the same points as the gradient test.
    assertEquals(gradientPoints, tangentCalls.stream().map(call -> call[0][0]).toList());
    for (Object[][] call : tangentCalls) {
      assertEquals(2, call[1].length);
      assertTrue(call[1][0] instanceof Double && call[1][1] instanceof Double);
      assertNotEquals(0.0, (double) call[1][0]);
    }
    // A new tangent at every point.
    assertEquals(4, tangentCalls.stream().map(call -> call[1][0]).distinct().count());
  }

  @Test
  void aWrongTangentFailsNamingTheModeTheTangentsArgumentsAndSeed() {
    String message = failureOf(GradientChecks.of(f(Fault.TANGENT_FACTOR)), 1);
    assertTrue(
        message.startsWith("f(double x, double y) tangent: wrong tangent (forward mode): tangent "),
        message);
    assertTrue(message.contains(", gradient.dx "), message);
    assertTrue(message.contains("relative error 5.000e-01"), message);
    assertTrue(message.contains("parameter x FAILS: "), message);
    assertTrue(message.contains("parameter y FAILS: "), message);
    assertTrue(
        message.contains("tangents dx, one per differentiated parameter:\n    x = "), message);
    assertTrue(message.contains("\n    y = "), message);
    assertTrue(message.contains("<= 1.0e-12 + 1.0e-09 * sum |partial_i * dx_i|"), message);
    assertTrue(message.contains("if the test f(double x, double y) fails too"), message);
    assertTrue(message.contains("sample point 1 of 3, seed 42"), message);
    assertTrue(message.contains("arguments:\n    x = "), message);

    // The gradient and Hessian of the same description still pass.
    List<DynamicTest> tests = GradientChecks.of(f(Fault.TANGENT_FACTOR)).dynamicTests().toList();
    assertPasses(tests.get(0));
    assertPasses(tests.get(2));
  }

  @Test
  void theTangentToleranceIsTightAndConfigurable() {
    String message = failureOf(GradientChecks.of(f(Fault.TANGENT_ROUNDING)), 1);
    assertTrue(message.contains("relative error 1.000e-07"), message);
    assertPasses(
        GradientChecks.of(f(Fault.TANGENT_ROUNDING))
            .tangentTolerances(0, 1e-6)
            .dynamicTests()
            .toList()
            .get(1));
    assertThrows(
        IllegalArgumentException.class,
        () -> GradientChecks.of(f(Fault.NONE)).tangentTolerances(-1, 1e-9));
  }

  @Test
  void aWrongHessianEntryFailsNamingTheEntry() {
    String message = failureOf(GradientChecks.of(f(Fault.HESSIAN_ENTRY)), 2);
    assertTrue(
        message.startsWith(
            "f(double x, double y) Hessian: wrong Hessian entry H[1][1] (d2f / dy dy): analytic "),
        message);
    assertTrue(message.contains("numerical "), message);
    assertTrue(message.contains("Gradient check FAILED for 1 of 4 components"), message);
    assertTrue(message.contains("output 1, y: analytic "), message);
    assertTrue(
        message.contains("rows and columns are the 2 differentiated components in order: x, y"),
        message);
    assertTrue(message.contains("central differences of the generated gradient"), message);
    assertTrue(message.contains("sample point 1 of 3, seed 42"), message);
    assertTrue(message.contains("arguments:\n    x = "), message);
  }

  @Test
  void anAsymmetricHessianFailsEvenWithinTheFiniteDifferenceTolerance() {
    String message = failureOf(GradientChecks.of(f(Fault.HESSIAN_ASYMMETRIC)), 2);
    assertTrue(
        message.startsWith(
            "f(double x, double y) Hessian: the Hessian is not symmetric:"
                + " H[1][0] (d2f / dy dx) = "),
        message);
    assertTrue(message.contains(" but H[0][1] (d2f / dx dy) = "), message);
    assertTrue(
        message.contains("|H[i][j] - H[j][i]| <= 1e-09 * max(1, |H[i][j]|, |H[j][i]|)"), message);
    assertTrue(message.contains("seed 42"), message);
  }

  @Test
  void aHessianOfTheWrongShapeFailsClearly() {
    String message = failureOf(GradientChecks.of(f(Fault.HESSIAN_SHAPE)), 2);
    assertTrue(
        message.contains(
            "the Hessian does not fit the arguments: it has 1 rows but the differentiated"
                + " arguments have 2 components"),
        message);
  }

  @Test
  void skippingAFunctionSkipsEveryMode() {
    List<DynamicTest> tests =
        GradientChecks.of(f(Fault.TANGENT_FACTOR)).skip("f", "not today").dynamicTests().toList();
    assertEquals(3, tests.size());
    for (DynamicTest test : tests) {
      TestAbortedException aborted = assertThrows(TestAbortedException.class, test.getExecutable());
      assertEquals(test.getDisplayName() + " skipped: not today", aborted.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rosenbrock: a double[] and an int that is not differentiated

  /**
   * rosenbrock(x, k) = Σ_i k (x_{i+1} - x_i²)² + (1 - x_i)², k an int (data).
   *
   * @param tangentError added to the tangent's dx[1] coefficient
   * @param hessianError added to H[2][2]
   */
  private static DifferentiableFunction rosenbrock(
      double tangentError, double hessianError, List<Object[]> tangents) {
    return DifferentiableFunction.of(
            "rosenbrock",
            List.of(param("x", double[].class), data("k", int.class)),
            a -> {
              double[] x = (double[]) a[0];
              int k = (int) a[1];
              double sum = 0;
              for (int i = 0; i + 1 < x.length; i++) {
                double r = x[i + 1] - x[i] * x[i];
                sum += k * r * r + (1 - x[i]) * (1 - x[i]);
              }
              return sum;
            },
            a -> {
              double[] x = (double[]) a[0];
              int k = (int) a[1];
              double[] g = new double[x.length];
              for (int i = 0; i + 1 < x.length; i++) {
                double r = x[i + 1] - x[i] * x[i];
                g[i] += -4 * k * x[i] * r - 2 * (1 - x[i]);
                g[i + 1] += 2 * k * r;
              }
              return new Object[] {g};
            })
        .withTangent(
            (a, t) -> {
              tangents.add(t.clone());
              double[] x = (double[]) a[0];
              int k = (int) a[1];
              double[] dx = (double[]) t[0];
              double derivative = tangentError * dx[1];
              for (int i = 0; i + 1 < x.length; i++) {
                double r = x[i + 1] - x[i] * x[i];
                double dr = dx[i + 1] - 2 * x[i] * dx[i];
                derivative += 2 * k * r * dr - 2 * (1 - x[i]) * dx[i];
              }
              return derivative;
            })
        .withHessian(
            a -> {
              double[] x = (double[]) a[0];
              int k = (int) a[1];
              int n = x.length;
              double[][] h = new double[n][n];
              for (int i = 0; i + 1 < n; i++) {
                double r = x[i + 1] - x[i] * x[i];
                h[i][i] += -4 * k * r + 8 * k * x[i] * x[i] + 2;
                h[i][i + 1] += -4 * k * x[i];
                h[i + 1][i] += -4 * k * x[i];
                h[i + 1][i + 1] += 2 * k;
              }
              h[2][2] += hessianError;
              return h;
            });
  }

  @Test
  void anArrayWithADataParameterGetsOneTangentShapedLikeTheArray() {
    List<Object[]> tangents = new ArrayList<>();
    GradientChecks.of(rosenbrock(0, 0, tangents))
        .dynamicTests()
        .forEach(GradientChecksTest::assertPasses);
    assertEquals(3, tangents.size());
    for (Object[] call : tangents) {
      assertEquals(1, call.length);
      assertEquals(4, ((double[]) call[0]).length);
    }

    String tangent = failureOf(GradientChecks.of(rosenbrock(0.5, 0, new ArrayList<>())), 1);
    assertTrue(tangent.startsWith("rosenbrock(double[] x, int k) tangent: wrong tangent"), tangent);
    assertTrue(
        tangent.contains("tangents dx, one per differentiated parameter:\n    x = double[4] ["),
        tangent);
    String tangentsSection =
        tangent.substring(tangent.indexOf("tangents dx"), tangent.indexOf("Criterion"));
    assertFalse(tangentsSection.contains("k = "), tangent);
    assertTrue(tangent.contains("arguments:\n    x = double[4] ["), tangent);
    assertTrue(tangent.contains("\n    k = "), tangent);

    String hessian = failureOf(GradientChecks.of(rosenbrock(0, 1, new ArrayList<>())), 2);
    assertTrue(
        hessian.startsWith(
            "rosenbrock(double[] x, int k) Hessian:"
                + " wrong Hessian entry H[2][2] (d2f / dx[2] dx[2]):"),
        hessian);
    assertTrue(hessian.contains("Gradient check FAILED for 1 of 16 components"), hessian);
    assertTrue(hessian.contains("in order: x[0], x[1], x[2], x[3]"), hessian);
  }

  // ---------------------------------------------------------------------------------------------
  // A Matrix parameter: trace(W·W)

  /**
   * trace(W·W): tangent 2 Σ W_ij dW_ji (the wrong one forgets the transpose), Hessian 2 δ_il δ_jk.
   */
  private static DifferentiableFunction traceOfSquareWithModes(
      boolean wrongTangent, List<Object[]> tangents) {
    return traceOfSquare(false)
        .withTangent(
            (a, t) -> {
              tangents.add(t.clone());
              double[][] w = ((Matrix) a[0]).toArray();
              double[][] dw = ((Matrix) t[0]).toArray();
              double derivative = 0;
              for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w.length; j++) {
                  derivative += 2 * w[i][j] * (wrongTangent ? dw[i][j] : dw[j][i]);
                }
              }
              return derivative;
            })
        .withHessian(
            a -> {
              int n = ((Matrix) a[0]).rows();
              double[][] h = new double[n * n][n * n];
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                  h[i * n + j][j * n + i] = 2;
                }
              }
              return h;
            });
  }

  @Test
  void aMatrixGetsAMatrixTangent() {
    List<Object[]> tangents = new ArrayList<>();
    GradientChecks.of(traceOfSquareWithModes(false, tangents))
        .dynamicTests()
        .forEach(GradientChecksTest::assertPasses);
    assertEquals(3, tangents.size());
    Matrix first = (Matrix) tangents.get(0)[0];
    assertEquals(3, first.rows());
    assertEquals(3, first.cols());

    String message =
        failureOf(GradientChecks.of(traceOfSquareWithModes(true, new ArrayList<>())), 1);
    assertTrue(message.startsWith("traceOfSquare(Matrix W) tangent: wrong tangent"), message);
    assertTrue(message.contains("parameter W FAILS"), message);
    assertTrue(message.contains("    W = Matrix 3x3 ["), message);
  }

  // ---------------------------------------------------------------------------------------------
  // A record parameter

  /** layer's forward mode; the wrong one forgets the bias's tangent. */
  private static DifferentiableFunction layerWithTangent(
      boolean forgetBias, List<Object[]> tangents) {
    return layer(0, 0, false)
        .withTangent(
            (a, t) -> {
              tangents.add(t.clone());
              Params params = (Params) a[0];
              double[] x = (double[]) a[1];
              Params dp = (Params) t[0];
              double[] sech2 = new double[2];
              layerForward(params, x, sech2);
              double[][] dw = dp.weights().toArray();
              double derivative = 0;
              for (int i = 0; i < 2; i++) {
                double dz = forgetBias ? 0 : dp.bias();
                for (int j = 0; j < 3; j++) {
                  dz += dw[i][j] * x[j];
                }
                derivative += sech2[i] * dz;
              }
              return derivative;
            });
  }

  @Test
  void aRecordGetsATangentRecordOfItsType() {
    List<Object[]> tangents = new ArrayList<>();
    List<DynamicTest> tests =
        withLayerSamples(GradientChecks.of(layerWithTangent(false, tangents)))
            .dynamicTests()
            .toList();
    assertEquals(
        List.of("layer(Params params, double[] x)", "layer(Params params, double[] x) tangent"),
        tests.stream().map(DynamicTest::getDisplayName).toList());
    tests.forEach(GradientChecksTest::assertPasses);
    assertEquals(3, tangents.size());
    for (Object[] call : tangents) {
      assertEquals(1, call.length);
      Params dp = (Params) call[0];
      assertEquals(2, dp.weights().rows());
      assertEquals(3, dp.weights().cols());
    }

    String message =
        failureOf(
            withLayerSamples(GradientChecks.of(layerWithTangent(true, new ArrayList<>()))), 1);
    assertTrue(
        message.startsWith("layer(Params params, double[] x) tangent: wrong tangent"), message);
    assertTrue(message.contains("parameter params.weights passes"), message);
    assertTrue(message.contains("parameter params.bias FAILS"), message);
    assertTrue(message.contains("    params = Params[weights=Matrix 2x3"), message);
  }

  // ---------------------------------------------------------------------------------------------
  // The description

  @Test
  void withoutTangentOrHessianADescriptionSaysWhatToAdd() {
    DifferentiableFunction plain = traceOfSquare(false);
    assertFalse(plain.hasTangent());
    assertFalse(plain.hasHessian());
    Object[] arguments = {Matrix.of(new double[][] {{1}})};
    UnsupportedOperationException tangent =
        assertThrows(
            UnsupportedOperationException.class, () -> plain.tangent(arguments, arguments));
    assertEquals(
        "traceOfSquare has no generated tangent: add also = TANGENT to its @Differentiable"
            + " (import static dev.adjoint.Derivative.*) and regenerate",
        tangent.getMessage());
    UnsupportedOperationException hessian =
        assertThrows(UnsupportedOperationException.class, () -> plain.hessian(arguments));
    assertTrue(
        hessian.getMessage().startsWith("traceOfSquare has no generated Hessian: add also = HESSIAN"),
        hessian::getMessage);
    // Only the gradient is checked.
    assertEquals(1, GradientChecks.of(plain).dynamicTests().count());
  }

  @Test
  void withCopiesKeepTheOtherModes() {
    DifferentiableFunction both = f(Fault.NONE);
    assertTrue(both.hasTangent() && both.hasHessian());
    Object[] at = {0.5, 2.0};
    // At (x, y) = (0.5, 2) along (1, -1): 2xy·1 + (x² + cos y)·(-1).
    assertEquals(
        2 * 0.5 * 2.0 - (0.25 + Math.cos(2.0)), both.tangent(at, new Object[] {1.0, -1.0}), 1e-15);
    assertArrayEquals(new double[] {2 * 0.5, -Math.sin(2.0)}, both.hessian(at)[1], 1e-15);

    DifferentiableFunction retangented = both.withTangent((a, t) -> 7);
    assertEquals(7, retangented.tangent(at, new Object[] {1.0, 1.0}));
    assertTrue(retangented.hasHessian());
    assertEquals(-Math.sin(2.0), retangented.hessian(at)[1][1]);
    assertEquals(both.value(at), retangented.value(at));
    // The original is unchanged.
    assertNotEquals(7, both.tangent(at, new Object[] {1.0, 1.0}));

    IllegalArgumentException count =
        assertThrows(IllegalArgumentException.class, () -> both.tangent(at, new Object[] {1.0}));
    assertEquals(
        "f takes one tangent per differentiated parameter, 2, but got 1", count.getMessage());

    // Any implementation can be extended, not only those of DifferentiableFunction.of.
    DifferentiableFunction custom = new DifferentiableFunction() {
      @Override
      public String name() {
        return "square";
      }

      @Override
      public List<FunctionParameter> parameters() {
        return List.of(param("x", double.class));
      }

      @Override
      public double value(Object... arguments) {
        return (double) arguments[0] * (double) arguments[0];
      }

      @Override
      public Object[] gradient(Object... arguments) {
        return new Object[] {2 * (double) arguments[0]};
      }
    };
    Function<Object[], double[][]> wrongHessian = a -> new double[][] {{3}};
    DifferentiableFunction extended =
        custom.withTangent((a, t) -> 2 * (double) a[0] * (double) t[0]).withHessian(wrongHessian);
    assertEquals("square", extended.name());
    assertEquals(
        List.of("square(double x)", "square(double x) tangent", "square(double x) Hessian"),
        GradientChecks.of(extended).dynamicTests().map(DynamicTest::getDisplayName).toList());
    List<DynamicTest> tests = GradientChecks.of(extended).dynamicTests().toList();
    assertPasses(tests.get(0));
    assertPasses(tests.get(1));
    String message = failureOf(tests.get(2));
    assertTrue(
        message.startsWith(
            "square(double x) Hessian: wrong Hessian entry H[0][0] (d2f / dx dx): analytic 3.0"),
        message);
    assertPasses(
        GradientChecks.of(extended.withHessian(a -> new double[][] {{2}}))
            .dynamicTests()
            .toList()
            .get(2));
  }
}
