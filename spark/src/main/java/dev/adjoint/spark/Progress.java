package dev.adjoint.spark;

import java.io.PrintStream;

/** What a distributed optimizer reports after each iteration. */
@FunctionalInterface
public interface Progress {
  /**
   * @param iteration the iteration, from 1 (0: the starting point)
   * @param loss the objective's value
   * @param gradientNorm the Euclidean norm of its gradient
   * @param millis the iteration's wall-clock time, its Spark jobs included
   */
  void report(int iteration, double loss, double gradientNorm, long millis);

  /** Prints one line per iteration. */
  static Progress printingTo(PrintStream out) {
    return (iteration, loss, gradientNorm, millis) ->
        out.printf("iteration %4d  loss %.10g  |gradient| %.3e  %5d ms%n", iteration, loss, gradientNorm, millis);
  }

  /** Reports nothing. */
  static Progress silent() {
    return (iteration, loss, gradientNorm, millis) -> {};
  }
}
