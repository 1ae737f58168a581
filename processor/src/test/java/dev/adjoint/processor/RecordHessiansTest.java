package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hessians ({@code fHessian}, {@code fHessianVector}) over record parameters, flattened component
 * by component (nested records depth first, arrays row by row, data components left out): against
 * closed forms, against central differences of the generated gradient, and H·v against the Hessian.
 */
class RecordHessiansTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class Fits {
        record Line(double slope, double intercept) {}

        record Model(Line line, double[] weights, int degree, double[][] mix) {}

        /** (a·x + b - 1)³ + sin(a·b) for the line (a, b). */
        @Differentiable(also = HESSIAN)
        static double cubic(Line line, double x) {
          double r = line.slope() * x + line.intercept() - 1;
          return r * r * r + Math.sin(line.slope() * line.intercept());
        }

        /** A nested record, an array and a matrix component, and an int component that is data. */
        @Differentiable(wrt = "model", also = HESSIAN)
        static double loss(Model model, double[] xs) {
          double s = 0;
          for (int i = 0; i < xs.length; i++) {
            double p = model.line().slope() * xs[i] + model.line().intercept();
            for (int k = 0; k < model.weights().length; k++) {
              p += model.weights()[k] * Math.pow(xs[i], k + 2);
            }
            s += p * p * model.degree();
          }
          return s + model.mix()[0][1] * model.mix()[1][0] * Math.exp(model.line().slope());
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Fits", SOURCE);

  private static Object line(double slope, double intercept) {
    return compiled.construct("p.Fits$Line", slope, intercept);
  }

  private static Object model(double[] flat) {
    return compiled.construct("p.Fits$Model", line(flat[0], flat[1]), new double[] {flat[2], flat[3]}, 3,
        new double[][] {{flat[4], flat[5]}, {flat[6], flat[7]}});
  }

  /** The record's differentiable components in the documented order: depth first, arrays row by row. */
  private static void flatten(Object value, List<Double> out) throws ReflectiveOperationException {
    if (value instanceof Double number) {
      out.add(number);
    } else if (value instanceof double[] row) {
      for (double element : row) {
        out.add(element);
      }
    } else if (value instanceof double[][] rows) {
      for (double[] row : rows) {
        flatten(row, out);
      }
    } else if (value instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        component.getAccessor().setAccessible(true);
        flatten(component.getAccessor().invoke(record), out);
      }
    }
  }

  private static double[] gradientOfLoss(double[] flat, double[] xs) throws ReflectiveOperationException {
    List<Double> out = new ArrayList<>();
    flatten(Compiled.partial(compiled.call("p.FitsGrad", "loss", model(flat), xs), "model"), out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void hessianOfARecordAndADoubleMatchesClosedForms() {
    double a = 0.6;
    double b = -0.4;
    double x = 1.3;
    double r = a * x + b - 1;
    double[][] expected = {
        {6 * r * x * x - b * b * Math.sin(a * b), 6 * r * x + Math.cos(a * b) - a * b * Math.sin(a * b), 6 * r * a * x + 3 * r * r},
        {6 * r * x + Math.cos(a * b) - a * b * Math.sin(a * b), 6 * r - a * a * Math.sin(a * b), 6 * r * a},
        {6 * r * a * x + 3 * r * r, 6 * r * a, 6 * r * a * a}};
    double[][] hessian = (double[][]) compiled.call("p.FitsGrad", "cubicHessian", line(a, b), x);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expected[i], hessian[i], 1e-12, "row " + i);
    }
    double[] hv = (double[]) compiled.call("p.FitsGrad", "cubicHessianVector", line(a, b), x, line(1, -2), 0.5);
    for (int i = 0; i < 3; i++) {
      assertEquals(expected[i][0] - 2 * expected[i][1] + 0.5 * expected[i][2], hv[i], 1e-12, "H·v " + i);
    }
  }

  @Test
  void hessianOfANestedRecordMatchesDifferencesOfTheGradient() throws ReflectiveOperationException {
    double[] flat = {0.3, -0.2, 0.5, -0.7, 0.4, 1.1, -0.9, 2.0};
    double[] xs = {0.5, -1.0, 1.5};
    double[][] hessian = (double[][]) compiled.call("p.FitsGrad", "lossHessian", model(flat), xs);
    assertEquals(flat.length, hessian.length);
    double h = 1e-5;
    for (int j = 0; j < flat.length; j++) {
      double[] plus = flat.clone();
      double[] minus = flat.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] up = gradientOfLoss(plus, xs);
      double[] down = gradientOfLoss(minus, xs);
      for (int i = 0; i < flat.length; i++) {
        double numeric = (up[i] - down[i]) / (2 * h);
        assertEquals(numeric, hessian[i][j], 1e-6 * Math.max(1, Math.abs(numeric)), "H[" + i + "][" + j + "]");
      }
    }
    // Closed forms of a few entries: d²/dw0² = Σ 2·3·xᵢ⁴, d²/(dmix01 dmix10) = e^slope.
    double w0 = 0;
    for (double xi : xs) {
      w0 += 6 * Math.pow(xi, 4);
    }
    assertEquals(w0, hessian[2][2], 1e-10);
    assertEquals(Math.exp(flat[0]), hessian[5][6], 1e-12);
    assertEquals(0, hessian[4][4], 1e-12);
    // H·v along a direction that is a Model: the data component of the direction is ignored.
    Object direction = compiled.construct("p.Fits$Model", line(1, 0), new double[] {0, 2}, 99,
        new double[][] {{0, 0}, {0, 0}});
    double[] hv = (double[]) compiled.call("p.FitsGrad", "lossHessianVector", model(flat), xs, direction);
    for (int i = 0; i < flat.length; i++) {
      assertEquals(hessian[i][0] + 2 * hessian[i][3], hv[i], 1e-10, "H·v " + i);
    }
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    ModeChecks.everyModePasses(compiled, "p.FitsGrad", checks -> checks
        .argument("line", random -> line(random.nextDouble(-1, 1), random.nextDouble(-1, 1)))
        .argument("model", random -> model(random.doubles(8, -1, 1).toArray()))
        .argument("xs", random -> random.doubles(3, -1, 1).toArray()));
  }
}
