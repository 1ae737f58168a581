package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.optim.GradientDescent;
import dev.adjoint.runtime.optim.Newton;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generated Hessian of the breast-cancer logistic loss, and Newton's method on it. */
class NewtonLogisticTest {
  private final DataSet.Split data = ClassifierExamples.breastCancer();
  private final double[][] x = data.train().features().toArray();
  private final int[] y = data.train().labels();

  @Test
  void hessianIsXtSXOverNPlusTheL2Term() {
    SplittableRandom random = new SplittableRandom(3);
    double[] w = random.doubles(x[0].length, -0.2, 0.2).toArray();
    double b = 0.1;
    double[][] hessian = LoopModelsGrad.logisticLossHessian(x, w, b, y);
    int d = w.length;
    for (int r = 0; r <= d; r++) {
      for (int c = 0; c <= d; c++) {
        double expected = r == c && r < d ? 2 * LoopModels.L2_PENALTY : 0;
        for (double[] row : x) {
          double p = LoopModels.predict(row, w, b);
          expected += (r < d ? row[r] : 1) * p * (1 - p) * (c < d ? row[c] : 1) / x.length;
        }
        assertEquals(expected, hessian[r][c], 1e-12, "H[" + r + "][" + c + "]");
      }
    }
    double[] point = Arrays.copyOf(w, d + 1);
    point[d] = b;
    GradientAssertions.assertHessian(NewtonLogisticExample.objective(x, y)::gradient, point, hessian);
  }

  @Test
  void tangentIsTheGradientAlongTheDirection() {
    double[] w = new double[x[0].length];
    double[] dw = new SplittableRandom(5).doubles(w.length, -1, 1).toArray();
    Dual dual = LoopModelsGrad.logisticLossTangent(x, w, 0.2, y, dw, 0.5);
    var gradient = LoopModelsGrad.logisticLoss(x, w, 0.2, y);
    double[] flatGradient = Arrays.copyOf(gradient.w(), w.length + 1);
    flatGradient[w.length] = gradient.b();
    double[] direction = Arrays.copyOf(dw, w.length + 1);
    direction[w.length] = 0.5;
    GradientAssertions.assertTangent(flatGradient, direction, dual.derivative());
  }

  @Test
  void newtonConvergesInFewerThanFifteenStepsToWhereGradientDescentGoes() {
    Newton.Result newton = NewtonLogisticExample.fit(data);
    assertTrue(newton.converged() && newton.iterations() < 15, newton.toString());

    double[] parameters = new double[x[0].length + 1];
    GradientDescent descent = new GradientDescent(0.3, 0.9);
    Newton.Objective objective = NewtonLogisticExample.objective(x, y);
    for (int step = 0; step < 20_000; step++) {
      descent.step(parameters, objective.gradient(parameters));
    }
    assertEquals(newton.value(), objective.value(parameters), 1e-7);
    assertArrayEquals(newton.point(), parameters, 1e-2);
  }
}
