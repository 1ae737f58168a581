package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each arithmetic operator with both operands differentiated, in every mode that reads the one
 * table of operator partials (gradient, tangent, Hessian), against the analytic partials and
 * central finite differences; Taylor mode, which has series arithmetic of its own, beside it.
 */
class OperatorPartialsTest {
  private static final Compiled compiled = Compiled.compile("p.Ops", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Ops {
        @Differentiable(also = {TANGENT, HESSIAN})
        static double add(double a, double b) {
          return a + b;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double subtract(double a, double b) {
          return a - b;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double multiply(double a, double b) {
          return a * b;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double divide(double a, double b) {
          return a / b;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double remainder(double a, double b) {
          return a % b;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double signs(double a, double b) {
          return -a * +b;
        }

        @Differentiable(also = TAYLOR)
        static double pickedByValue(double x) {
          double[] c = {1, 2, 3};
          return c[(int) x] * x * x;
        }
      }
      """);

  private static final double STEP = 1e-6;

  /** The partials {@code (d/da, d/db)} and the Hessian {@code [[aa, ab], [ab, bb]]} of each method. */
  private record Expected(DoubleBinaryOperator function, DoubleBinaryOperator da, DoubleBinaryOperator db,
      DoubleBinaryOperator daa, DoubleBinaryOperator dab, DoubleBinaryOperator dbb) {}

  private static Expected expected(String method) {
    DoubleBinaryOperator zero = (a, b) -> 0;
    return switch (method) {
      case "add" -> new Expected(Double::sum, (a, b) -> 1, (a, b) -> 1, zero, zero, zero);
      case "subtract" -> new Expected((a, b) -> a - b, (a, b) -> 1, (a, b) -> -1, zero, zero, zero);
      case "multiply" -> new Expected((a, b) -> a * b, (a, b) -> b, (a, b) -> a, zero, (a, b) -> 1, zero);
      case "divide" -> new Expected((a, b) -> a / b, (a, b) -> 1 / b, (a, b) -> -a / (b * b), zero,
          (a, b) -> -1 / (b * b), (a, b) -> 2 * a / (b * b * b));
      // a % b = a - b * trunc(a / b), away from the jumps
      case "remainder" -> new Expected((a, b) -> a % b, (a, b) -> 1, (a, b) -> -(double) (long) (a / b),
          zero, zero, zero);
      case "signs" -> new Expected((a, b) -> -a * b, (a, b) -> -b, (a, b) -> -a, zero, (a, b) -> -1, zero);
      default -> throw new IllegalArgumentException(method);
    };
  }

  @ParameterizedTest
  @CsvSource({
      "add, 1.7, -0.6", "subtract, 1.7, -0.6", "multiply, 1.7, -0.6", "divide, 1.7, -0.6",
      "divide, -3.1, 2.5", "remainder, 7.3, 2.1", "remainder, -7.3, 2.1", "remainder, 7.3, -2.1",
      "signs, 1.7, -0.6"})
  void gradientTangentAndHessianAgreeWithTheAnalyticPartials(String method, double a, double b) {
    Expected f = expected(method);
    Object gradient = compiled.call("p.OpsGrad", method, a, b);
    double da = Compiled.scalar(gradient, "a");
    double db = Compiled.scalar(gradient, "b");
    assertEquals(f.function().applyAsDouble(a, b), Compiled.scalar(gradient, "value"), 0.0);
    assertEquals(f.da().applyAsDouble(a, b), da, 1e-15, "d/da");
    assertEquals(f.db().applyAsDouble(a, b), db, 1e-14, "d/db");
    double differenceA = (f.function().applyAsDouble(a + STEP, b) - f.function().applyAsDouble(a - STEP, b)) / (2 * STEP);
    double differenceB = (f.function().applyAsDouble(a, b + STEP) - f.function().applyAsDouble(a, b - STEP)) / (2 * STEP);
    assertEquals(differenceA, da, 1e-7, "d/da against finite differences");
    assertEquals(differenceB, db, 1e-7, "d/db against finite differences");

    double va = 0.3;
    double vb = -1.1;
    Dual tangent = (Dual) compiled.call("p.OpsGrad", method + "Tangent", a, b, va, vb);
    assertEquals(f.function().applyAsDouble(a, b), tangent.value(), 0.0);
    assertEquals(da * va + db * vb, tangent.derivative(), 1e-14, "tangent");

    double[][] hessian = (double[][]) compiled.call("p.OpsGrad", method + "Hessian", a, b);
    assertEquals(f.daa().applyAsDouble(a, b), hessian[0][0], 1e-14, "d2/da2");
    assertEquals(f.dab().applyAsDouble(a, b), hessian[0][1], 1e-14, "d2/dadb");
    assertEquals(f.dab().applyAsDouble(a, b), hessian[1][0], 1e-14, "d2/dbda");
    assertEquals(f.dbb().applyAsDouble(a, b), hessian[1][1], 1e-14, "d2/db2");
    double[] plusA = gradientAt(method, a + STEP, b);
    double[] minusA = gradientAt(method, a - STEP, b);
    double[] plusB = gradientAt(method, a, b + STEP);
    double[] minusB = gradientAt(method, a, b - STEP);
    assertEquals((plusA[0] - minusA[0]) / (2 * STEP), hessian[0][0], 1e-6, "d2/da2 against finite differences");
    assertEquals((plusB[0] - minusB[0]) / (2 * STEP), hessian[0][1], 1e-6, "d2/dadb against finite differences");
    assertEquals((plusB[1] - minusB[1]) / (2 * STEP), hessian[1][1], 1e-6, "d2/db2 against finite differences");
  }

  private static double[] gradientAt(String method, double a, double b) {
    Object gradient = compiled.call("p.OpsGrad", method, a, b);
    return new double[] {Compiled.scalar(gradient, "a"), Compiled.scalar(gradient, "b")};
  }

  /** An index computed from the parameter picks a constant: c[(int) x] * x * x is 2x² near 1.5. */
  @ParameterizedTest
  @CsvSource({"1.5", "1.2"})
  void taylorModeReadsAnIndexFromTheSeriesValue(double x) {
    double[] derivatives = (double[]) compiled.call("p.OpsGrad", "pickedByValueDerivatives", x, 3);
    assertEquals(2 * x * x, derivatives[0], 1e-15);
    assertEquals(4 * x, derivatives[1], 1e-15);
    assertEquals(4, derivatives[2], 1e-15);
    assertEquals(0, derivatives[3], 0.0);
  }
}
