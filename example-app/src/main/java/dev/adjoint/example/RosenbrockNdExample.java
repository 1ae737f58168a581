package dev.adjoint.example;

import dev.adjoint.example.LoopModelsGrad.RosenbrockGradient;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Minimises the n-dimensional Rosenbrock function, a loop over a {@code double[]}, with Adam and
 * the generated {@code LoopModelsGrad.rosenbrock(x, into)}.
 */
final class RosenbrockNdExample {
  static final int DIMENSION = 10;
  /**
   * Converges for n = 5 to 20 from 0.001 to 0.003; from 0.004 on, Adam keeps overshooting across
   * the narrow valley and the gradient never vanishes.
   */
  static final double LEARNING_RATE = 0.002;
  static final int MAX_STEPS = 20_000;
  /** As for the 2-D function: stop before Adam's steps grow again on a vanished gradient. */
  static final double GRADIENT_TOLERANCE = 1e-9;

  private RosenbrockNdExample() {}

  /** Prints the descent and returns the point it reached. */
  static double[] minimise(PrintStream out) {
    double[] point = new double[DIMENSION];
    out.printf("minimise the %d-D Rosenbrock function from the origin with Adam, learning rate %s%n",
        DIMENSION, LEARNING_RATE);
    RosenbrockGradient into = new RosenbrockGradient();
    ValueAndGradient loss =
        (p, gradient) -> {
          double value = LoopModelsGrad.rosenbrock(p, into);
          System.arraycopy(into.x(), 0, gradient, 0, gradient.length);
          return value;
        };
    Descent descent = new Descent(new Adam(LEARNING_RATE), MAX_STEPS, GRADIENT_TOLERANCE, 250);
    Descent.Outcome outcome = descent.minimise(loss, point, new String[0], out);
    String components =
        String.join(", ", Arrays.stream(point).mapToObj(v -> String.format("%.9f", v)).toList());
    out.printf("  %s %.1e from (1, ..., 1): x = (%s)%n",
        outcome.converged() ? "converged" : "stopped", Descent.distanceFrom(1, point), components);
    return point;
  }
}
