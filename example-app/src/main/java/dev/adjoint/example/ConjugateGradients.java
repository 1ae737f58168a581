package dev.adjoint.example;

import dev.adjoint.runtime.optim.CommonsMathObjective;
import dev.adjoint.runtime.optim.ValueAndGradient;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer.Formula;

/** Maximises a function with its (generated) gradient by Commons Math's nonlinear conjugate gradients. */
final class ConjugateGradients {
  private ConjugateGradients() {}

  /** Where the maximiser stopped, the value there, and what it cost. */
  record Optimum(double[] point, double value, int iterations, int evaluations) {}

  /**
   * Polak–Ribière conjugate gradients from {@code start} until the value changes by less than a
   * relative 1e-9 (or 1e-6 absolute) between iterations.
   *
   * @param maxEvaluations the most evaluations of the function and its gradient
   */
  static Optimum maximise(ValueAndGradient function, double[] start, int maxEvaluations) {
    CommonsMathObjective objective = new CommonsMathObjective(function);
    NonLinearConjugateGradientOptimizer optimizer =
        new NonLinearConjugateGradientOptimizer(Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-9, 1e-6));
    PointValuePair optimum = optimizer.optimize(new MaxEval(maxEvaluations), GoalType.MAXIMIZE,
        new InitialGuess(start), objective.objectiveFunction(), objective.objectiveFunctionGradient());
    return new Optimum(optimum.getPoint(), optimum.getValue(), optimizer.getIterations(), objective.evaluations());
  }
}
