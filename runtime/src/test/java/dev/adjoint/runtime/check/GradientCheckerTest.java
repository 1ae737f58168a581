package dev.adjoint.runtime.check;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static dev.adjoint.runtime.check.GradientAssertions.assertJacobian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class GradientCheckerTest {
  private static final GradientChecker CHECKER = GradientChecker.withDefaults();

  /** f(x, w, X) = x·Σw + Σ X[i][j]² sin(w[j]), with its gradient written out by hand below. */
  private static double model(Inputs args) {
    double x = args.scalar("x");
    double[] w = args.vector("w");
    double[][] matrix = args.matrix("X");
    double value = 0;
    for (int j = 0; j < w.length; j++) {
      value += x * w[j];
      for (double[] row : matrix) {
        value += row[j] * row[j] * Math.sin(w[j]);
      }
    }
    return value;
  }

  private static final Inputs POINT =
      Inputs.of()
          .scalar("x", 0.3)
          .vector("w", 1, -2)
          .matrix("X", new double[][] {{0.5, 1}, {2, -1}, {1.5, 0.25}});

  /** The model's exact gradient at POINT, plus the given errors on x, w[1] and X[2][1]. */
  private static Inputs modelGradient(double scalarError, double vectorError, double matrixError) {
    double[] w = POINT.vector("w");
    double[][] matrix = POINT.matrix("X");
    double dx = w[0] + w[1];
    double[] dw = new double[w.length];
    double[][] dX = new double[matrix.length][w.length];
    for (int j = 0; j < w.length; j++) {
      dw[j] = POINT.scalar("x");
      for (int i = 0; i < matrix.length; i++) {
        dw[j] += matrix[i][j] * matrix[i][j] * Math.cos(w[j]);
        dX[i][j] = 2 * matrix[i][j] * Math.sin(w[j]);
      }
    }
    dw[1] += vectorError;
    dX[2][1] += matrixError;
    return Inputs.of().scalar("x", dx + scalarError).vector("w", dw).matrix("X", dX);
  }

  @Test
  void acceptsACorrectGradientOverScalarVectorAndMatrixBlocks() {
    GradientReport report =
        CHECKER.check(GradientCheckerTest::model, POINT, modelGradient(0, 0, 0));
    assertTrue(report.passed(), report::toString);
    assertEquals(1 + 2 + 6, report.components().size());
    report.assertPassed();
  }

  @Test
  void rejectsAWrongScalarPartial() {
    GradientReport report =
        CHECKER.check(GradientCheckerTest::model, POINT, modelGradient(0.1, 0, 0));
    assertOnlyFailure(report, "x", new int[0], "x: analytic");
  }

  @Test
  void rejectsAWrongVectorPartialNamingItsIndex() {
    GradientReport report =
        CHECKER.check(GradientCheckerTest::model, POINT, modelGradient(0, 0.1, 0));
    assertOnlyFailure(report, "w", new int[] {1}, "w[1]: analytic");
  }

  @Test
  void rejectsAWrongMatrixPartialNamingRowAndColumn() {
    GradientReport report =
        CHECKER.check(GradientCheckerTest::model, POINT, modelGradient(0, 0, -0.1));
    assertOnlyFailure(report, "X", new int[] {2, 1}, "X[2][1]: analytic");
  }

  @Test
  void flatFormNamesComponentsPoint() {
    double x = 0.4;
    double y = -1.3;
    double[] point = {x, y};
    assertGradient(p -> p[0] * Math.exp(p[1]), point, new double[] {Math.exp(y), x * Math.exp(y)});

    GradientReport wrong =
        CHECKER.check(p -> p[0] * Math.exp(p[1]), point, new double[] {Math.exp(y), Math.exp(y)});
    assertOnlyFailure(wrong, "point", new int[] {1}, "point[1]: analytic");
  }

  @Test
  void checksAJacobianRowByRowNamingTheOutput() {
    // polar(r, angle) = (r cos(angle), r sin(angle))
    Inputs at = Inputs.of().scalar("r", 2).vector("angle", 0.7);
    double cos = Math.cos(0.7);
    double sin = Math.sin(0.7);
    Inputs dxRow = Inputs.of().scalar("r", cos).vector("angle", -2 * sin);
    Inputs dyRow = Inputs.of().scalar("r", sin).vector("angle", 2 * cos);
    Inputs wrongDyRow = Inputs.of().scalar("r", sin).vector("angle", 2 * sin);

    assertJacobian(GradientCheckerTest::polar, at, dxRow, dyRow);

    GradientReport report =
        CHECKER.checkJacobian(GradientCheckerTest::polar, at, dxRow, wrongDyRow);
    assertFalse(report.passed());
    assertEquals(1, report.failures().size());
    ComponentCheck worst = report.worst();
    assertEquals(OptionalInt.of(1), worst.output());
    assertEquals("output 1, angle[0]", worst.location());
    assertTrue(report.toString().contains("output 1, angle[0]: analytic"), report::toString);
  }

  @Test
  void flatJacobian() {
    double[] point = {3, 4};
    double[][] jacobian = {{4, 3}, {0.6, 0.8}}; // rows: d(xy), d(hypot)
    assertJacobian(p -> new double[] {p[0] * p[1], Math.hypot(p[0], p[1])}, point, jacobian);
  }

  @Test
  void defaultTolerancesAreAbsolutePlusRelativeToTheNumericDerivative() {
    // d(2x)/dx = 2, so the allowance is 1e-5 + 1e-3 * 2 = 2.01e-3.
    assertTrue(CHECKER.check(p -> 2 * p[0], new double[] {0.5}, new double[] {2.002}).passed());
    assertFalse(CHECKER.check(p -> 2 * p[0], new double[] {0.5}, new double[] {2.00202}).passed());

    // A zero derivative isolates the absolute tolerance.
    assertTrue(CHECKER.check(p -> 7, new double[] {0.5}, new double[] {0.9e-5}).passed());
    assertFalse(CHECKER.check(p -> 7, new double[] {0.5}, new double[] {1.1e-5}).passed());
  }

  @Test
  void tolerancesCanBeChanged() {
    GradientChecker absoluteOnly = CHECKER.withTolerances(0.1, 0);
    assertTrue(
        absoluteOnly.check(p -> 100 * p[0], new double[] {1}, new double[] {100.09}).passed());
    assertFalse(
        absoluteOnly.check(p -> 100 * p[0], new double[] {1}, new double[] {100.11}).passed());

    GradientChecker relativeOnly = CHECKER.withTolerances(0, 0.01);
    assertTrue(
        relativeOnly.check(p -> 100 * p[0], new double[] {1}, new double[] {100.9}).passed());
    assertFalse(
        relativeOnly.check(p -> 100 * p[0], new double[] {1}, new double[] {101.1}).passed());
  }

  @Test
  void theStepScalesWithTheCoordinateAndCanBeChanged() {
    // Near 1e4 the relative step spans a whole unit, far too coarse for sin.
    double x = 1e4;
    double[] gradient = {Math.cos(x)};
    assertFalse(CHECKER.check(p -> Math.sin(p[0]), new double[] {x}, gradient).passed());
    assertTrue(
        CHECKER.withStep(1e-8).check(p -> Math.sin(p[0]), new double[] {x}, gradient).passed());
  }

  @Test
  void morePointsAreMoreAccurate() {
    double[] point = {1};
    double[] gradient = {Math.exp(1)};
    GradientChecker coarse = CHECKER.withStep(1e-2);
    double threePointError =
        coarse.withPoints(3).check(p -> Math.exp(p[0]), point, gradient).worst().absoluteError();
    double sevenPointError =
        coarse.withPoints(7).check(p -> Math.exp(p[0]), point, gradient).worst().absoluteError();
    assertTrue(
        sevenPointError < threePointError / 1000, sevenPointError + " vs " + threePointError);
  }

  @Test
  void aNonFiniteAnalyticDerivativeFails() {
    GradientReport report =
        CHECKER.check(p -> p[0] * p[0], new double[] {1}, new double[] {Double.NaN});
    assertFalse(report.passed());
    assertTrue(
        report.toString().contains("point[0]: analytic NaN, numeric 1.99999")
            && report.toString().contains("(the analytic derivative is not finite)"),
        report::toString);
  }

  @Test
  void aNonFiniteNumericDerivativeFailsEvenWhenBothAreInfinite() {
    // The samples around 0 include negative numbers, where sqrt is NaN.
    GradientReport report =
        CHECKER.check(
            p -> Math.sqrt(p[0]), new double[] {0}, new double[] {Double.POSITIVE_INFINITY});
    assertFalse(report.passed());
    assertTrue(
        report.toString().contains("(the numeric derivative is not finite)"), report::toString);

    GradientReport infinite =
        CHECKER.check(
            p -> Double.POSITIVE_INFINITY,
            new double[] {1},
            new double[] {Double.POSITIVE_INFINITY});
    assertFalse(infinite.passed());
  }

  @Test
  void theWorstComponentIsTheOneFurthestBeyondItsTolerance() {
    // Both are off by 0.01; w[0] has the smaller derivative, so the smaller allowance.
    GradientReport report =
        CHECKER.check(p -> p[0] + 1000 * p[1], new double[] {1, 1}, new double[] {1.01, 1000.01});
    assertEquals(1, report.failures().size());
    assertArrayEquals(new int[] {0}, report.worst().index());
    assertEquals(0.01, report.worst().absoluteError(), 1e-9);
    assertEquals(0.01, report.worst().relativeError(), 1e-9);
  }

  @Test
  void assertPassedThrowsTheReportText() {
    // A constant function makes the numeric derivative exactly 0, so the text is deterministic.
    GradientReport report = CHECKER.check(p -> 7, new double[] {3}, new double[] {0.5});
    AssertionFailedError error = assertThrows(AssertionFailedError.class, report::assertPassed);
    String component =
        "point[0]: analytic 0.5, numeric 0.0, absolute error 5.000e-01, relative error Infinity";
    assertEquals(
        String.join(
            "\n",
            "Gradient check FAILED for 1 of 1 components; worst " + component,
            "Criterion: |analytic - numeric| <= 1.0e-05 + 1.0e-03 * |numeric|"
                + " (5-point differences, step 1.0e-04)",
            "Failing components:",
            "  " + component),
        error.getMessage());
    assertEquals(report.toString(), error.getMessage());

    assertThrows(
        AssertionFailedError.class,
        () -> assertGradient(p -> p[0] * p[0], new double[] {3}, new double[] {5}));
  }

  @Test
  void aPassingReportNamesTheComponentClosestToFailing() {
    GradientReport report = CHECKER.check(p -> 7, new double[] {1, 2}, new double[] {0, 1e-6});
    report.assertPassed();
    assertEquals(
        "Gradient check passed for all 2 components; worst point[1]: analytic 1.0E-6, numeric 0.0,"
            + " absolute error 1.000e-06, relative error Infinity",
        report.toString().lines().findFirst().orElseThrow());
  }

  @Test
  void aLongListOfFailuresIsCut() {
    double[] point = new double[25];
    double[] wrongGradient = new double[25];
    java.util.Arrays.fill(wrongGradient, 1);
    GradientReport report = CHECKER.check(p -> 0, point, wrongGradient);
    assertEquals(25, report.failures().size());
    assertTrue(report.toString().endsWith("\n  ... and 5 more"), report::toString);
    assertFalse(report.toString().contains("point[20]:"), report::toString);
  }

  @Test
  void theFunctionWorksOnCopies() {
    Inputs at = Inputs.of().vector("w", 1, 2);
    double[] gradient = {2, 4};
    GradientReport report =
        CHECKER.check(
            args -> {
              double[] w = args.vector("w");
              double value = w[0] * w[0] + w[1] * w[1];
              w[0] =
                  1000; // scribbling must not leak into later samples or into the caller's inputs
              return value;
            },
            at,
            Inputs.of().vector("w", gradient));
    assertTrue(report.passed(), report::toString);
    assertArrayEquals(new double[] {1, 2}, at.vector("w"));
  }

  @Test
  void mismatchedShapesAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> CHECKER.check(p -> p[0], new double[] {1, 2}, new double[] {1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> CHECKER.check(p -> p[0], new double[0], new double[0]));
    IllegalArgumentException outputs =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CHECKER.checkJacobian(
                    p -> new double[] {p[0], p[0]}, new double[] {1}, new double[][] {{1}}));
    assertEquals("the function has 2 outputs but 1 gradients were given", outputs.getMessage());
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CHECKER.withTolerances(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> CHECKER.withTolerances(0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CHECKER.withStep(0));
    assertThrows(IllegalArgumentException.class, () -> CHECKER.withPoints(1));
  }

  private static double[] polar(Inputs args) {
    double r = args.scalar("r");
    double angle = args.vector("angle")[0];
    return new double[] {r * Math.cos(angle), r * Math.sin(angle)};
  }

  private static void assertOnlyFailure(
      GradientReport report, String parameter, int[] index, String line) {
    assertFalse(report.passed());
    assertEquals(1, report.failures().size(), report::toString);
    ComponentCheck worst = report.worst();
    assertEquals(parameter, worst.parameter());
    assertArrayEquals(index, worst.index());
    assertEquals(OptionalInt.empty(), worst.output());
    assertTrue(report.toString().contains("\n  " + line), report::toString);
  }
}
