package dev.adjoint.example;

import dev.adjoint.example.ModelsGrad.RosenbrockGradient;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.io.PrintStream;

/**
 * Minimises the 2-D Rosenbrock function from the classic start (-1.2, 1) with Adam, taking the
 * gradient from the allocation-free {@code ModelsGrad.rosenbrock(x, y, into)}.
 */
final class RosenbrockExample {
  static final double LEARNING_RATE = 0.05;
  static final int MAX_STEPS = 20_000;
  /**
   * Near (1, 1) the Hessian's eigenvalues are about 0.4 and 1000, so this gradient norm puts the
   * point within about 1e-8 of the minimum. Stopping matters: once the gradient underflows, Adam's
   * second-moment estimate decays and its steps grow until they throw the point out again.
   */
  static final double GRADIENT_TOLERANCE = 1e-9;

  private RosenbrockExample() {}

  /** Prints the descent and returns the point it reached. */
  static double[] minimise(PrintStream out) {
    double[] point = {-1.2, 1};
    out.printf("minimise (1 - x)^2 + 100 (y - x^2)^2 from (%s, %s) with Adam, learning rate %s%n",
        point[0], point[1], LEARNING_RATE);
    RosenbrockGradient into = new RosenbrockGradient();
    ValueAndGradient loss =
        (p, gradient) -> {
          double value = ModelsGrad.rosenbrock(p[0], p[1], into);
          gradient[0] = into.x();
          gradient[1] = into.y();
          return value;
        };
    Descent descent = new Descent(new Adam(LEARNING_RATE), MAX_STEPS, GRADIENT_TOLERANCE, 250);
    Descent.Outcome outcome = descent.minimise(loss, point, new String[] {"x", "y"}, out);
    out.printf("  %s at (%.12f, %.12f), %.1e from (1, 1)%n",
        outcome.converged() ? "converged" : "stopped", point[0], point[1],
        Descent.distanceFrom(1, point));
    return point;
  }
}
