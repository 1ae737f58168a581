package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer.Formula;
import org.junit.jupiter.api.Test;

class CommonsMathObjectiveTest {
  /** Counts its calls, as a generated gradient would not. */
  private static final class Rosenbrock implements ValueAndGradient {
    int calls;

    @Override
    public double evaluate(double[] p, double[] gradient) {
      calls++;
      double x = p[0];
      double y = p[1];
      gradient[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      gradient[1] = 200 * (y - x * x);
      return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }
  }

  @Test
  void conjugateGradientsFindTheMinimumOfTheRosenbrockFunction() {
    Rosenbrock rosenbrock = new Rosenbrock();
    CommonsMathObjective objective = new CommonsMathObjective(rosenbrock);
    NonLinearConjugateGradientOptimizer optimizer =
        new NonLinearConjugateGradientOptimizer(Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-14, 1e-14));
    PointValuePair optimum =
        optimizer.optimize(
            new MaxEval(100_000),
            GoalType.MINIMIZE,
            new InitialGuess(new double[] {-1.2, 1}),
            objective.objectiveFunction(),
            objective.objectiveFunctionGradient());
    assertArrayEquals(new double[] {1, 1}, optimum.getPoint(), 1e-4);
    assertEquals(0, optimum.getValue(), 1e-8);
    assertEquals(rosenbrock.calls, objective.evaluations());
  }

  @Test
  void theValueAndGradientAtOnePointComeFromOneEvaluation() {
    Rosenbrock rosenbrock = new Rosenbrock();
    CommonsMathObjective objective = new CommonsMathObjective(rosenbrock);
    double[] point = {0.5, 2};
    assertEquals(306.5, objective.value(point));
    double[] gradient = objective.gradient(point.clone());
    assertArrayEquals(new double[] {-351, 350}, gradient, 1e-12);
    assertEquals(1, rosenbrock.calls);
    gradient[0] = 99; // Commons Math negates the gradient it gets in place
    assertArrayEquals(new double[] {-351, 350}, objective.gradient(point), 1e-12);
    objective.value(new double[] {1, 1});
    assertEquals(2, rosenbrock.calls);
  }

  @Test
  void aFailedEvaluationIsNotRemembered() {
    int[] calls = {0};
    CommonsMathObjective objective =
        new CommonsMathObjective(
            (p, g) -> {
              if (calls[0]++ == 0) {
                throw new ArithmeticException("first call fails");
              }
              g[0] = 2 * p[0];
              return p[0] * p[0];
            });
    assertThrows(ArithmeticException.class, () -> objective.value(new double[] {3}));
    assertEquals(9, objective.value(new double[] {3}));
    assertArrayEquals(new double[] {6}, objective.gradient(new double[] {3}));
  }

  @Test
  void optimizationDataHoldsBoth() {
    assertEquals(2, new CommonsMathObjective((p, g) -> 0).optimizationData().length);
  }
}
