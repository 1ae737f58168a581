package dev.adjoint.example;

import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.io.PrintStream;

/**
 * Runs an optimizer on a loss, printing a progress line every so many steps, until the gradient
 * vanishes or the steps run out.
 *
 * @param optimizer updates the parameters from the gradient
 * @param maxSteps the most steps to take
 * @param gradientTolerance stop once the gradient's Euclidean norm is at most this; 0 runs all
 *     {@code maxSteps}
 * @param reportEvery print a progress line every this many steps
 */
record Descent(Optimizer optimizer, int maxSteps, double gradientTolerance, int reportEvery) {
  /** Where the descent stopped; the parameters themselves are updated in place. */
  record Outcome(int steps, double loss, double gradientNorm, boolean converged) {}

  /**
   * Minimises {@code loss} from {@code parameters}, updating them in place.
   *
   * @param columns names of the parameters to show on each progress line: all of them, or none
   * @param out where progress goes
   */
  Outcome minimise(ValueAndGradient loss, double[] parameters, String[] columns, PrintStream out) {
    if (columns.length != 0 && columns.length != parameters.length) {
      throw new IllegalArgumentException(
          columns.length + " column names for " + parameters.length + " parameters");
    }
    printHeader(columns, out);
    double[] gradient = new double[parameters.length];
    for (int step = 0; ; step++) {
      double value = loss.evaluate(parameters, gradient);
      double gradientNorm = norm(gradient);
      boolean converged = gradientNorm <= gradientTolerance;
      boolean last = converged || step == maxSteps;
      if (step % reportEvery == 0 || last) {
        printProgress(step, value, gradientNorm, columns.length == 0 ? null : parameters, out);
      }
      if (last) {
        return new Outcome(step, value, gradientNorm, converged);
      }
      optimizer.step(parameters, gradient);
    }
  }

  private static void printHeader(String[] columns, PrintStream out) {
    StringBuilder header = new StringBuilder(String.format("  %6s  %13s  %10s", "step", "loss", "|gradient|"));
    for (String column : columns) {
      header.append(String.format("  %12s", column));
    }
    out.println(header);
  }

  private static void printProgress(
      int step, double loss, double gradientNorm, double[] shown, PrintStream out) {
    StringBuilder line = new StringBuilder(String.format("  %6d  %13.6e  %10.3e", step, loss, gradientNorm));
    if (shown != null) {
      for (double parameter : shown) {
        line.append(String.format("  %12.8f", parameter));
      }
    }
    out.println(line);
  }

  static double norm(double[] vector) {
    double sumOfSquares = 0;
    for (double component : vector) {
      sumOfSquares += component * component;
    }
    return Math.sqrt(sumOfSquares);
  }

  /** The largest distance of a component from {@code target}: how far from (t, …, t). */
  static double distanceFrom(double target, double[] point) {
    double largest = 0;
    for (double component : point) {
      largest = Math.max(largest, Math.abs(component - target));
    }
    return largest;
  }
}
