package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewtonTest {
  /** The 2-D Rosenbrock function with its analytic derivatives. */
  private static final Newton.Objective ROSENBROCK = new Newton.Objective() {
    @Override
    public double value(double[] p) {
      return (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);
    }

    @Override
    public double[] gradient(double[] p) {
      return new double[] {-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]), 200 * (p[1] - p[0] * p[0])};
    }

    @Override
    public double[][] hessian(double[] p) {
      return new double[][] {{2 - 400 * p[1] + 1200 * p[0] * p[0], -400 * p[0]}, {-400 * p[0], 200}};
    }
  };

  @Test
  void quadraticConvergesInOneStep() {
    Newton.Objective bowl = new Newton.Objective() {
      @Override
      public double value(double[] p) {
        return 3 * (p[0] - 1) * (p[0] - 1) + (p[1] + 2) * (p[1] + 2) + (p[0] - 1) * (p[1] + 2);
      }

      @Override
      public double[] gradient(double[] p) {
        return new double[] {6 * (p[0] - 1) + (p[1] + 2), 2 * (p[1] + 2) + (p[0] - 1)};
      }

      @Override
      public double[][] hessian(double[] p) {
        return new double[][] {{6, 1}, {1, 2}};
      }
    };
    Newton.Result result = Newton.withDefaults().minimize(bowl, new double[] {10, 10});
    assertEquals(1, result.iterations());
    assertArrayEquals(new double[] {1, -2}, result.point(), 1e-12);
  }

  @Test
  void rosenbrockFromTheClassicStartWithDampingAndLineSearch() {
    Newton.Result result = Newton.withDefaults().minimize(ROSENBROCK, new double[] {-1.2, 1});
    assertTrue(result.converged(), result.toString());
    assertArrayEquals(new double[] {1, 1}, result.point(), 1e-8);
    assertTrue(result.iterations() < 50, result.toString());
  }

  @Test
  void indefiniteHessianIsDampedIntoADescentStep() {
    double[] step = Newton.newtonStep(new double[][] {{-1, 0}, {0, 2}}, new double[] {1, 1});
    assertTrue(step[0] * 1 + step[1] * 1 < 0, "a descent direction");
  }
}
