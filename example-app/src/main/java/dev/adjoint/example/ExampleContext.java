package dev.adjoint.example;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What an example needs from the app: where to print, whether progress bars may redraw a terminal
 * line, and where plots go.
 *
 * @param out where the example prints
 * @param interactive true to draw progress bars (stdout is a terminal); false for one plain line per
 *     report, as suits CI logs and tests
 * @param plotDirectory where PNG plots go, or null for none
 */
record ExampleContext(PrintStream out, boolean interactive, Path plotDirectory) {
  /** Plain output and no plots, for tests. */
  static ExampleContext quiet(PrintStream out) {
    return new ExampleContext(out, false, null);
  }
}
