package dev.adjoint.example;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the examples: all of them by default, or the one named by the first argument.
 *
 * <pre>
 * mvn -B -q -pl example-app -am compile exec:java
 * mvn -B -q -pl example-app -am compile exec:java -Dexec.args=rosenbrock
 * </pre>
 */
public final class ExampleApp {
  /** One example: the name to choose it by, a line for {@code --help}, and its body. */
  private record Example(String name, String summary, Consumer<PrintStream> body) {}

  private static final List<Example> EXAMPLES =
      List.of(
          new Example("neuron", "value and gradient of a sigmoid neuron", NeuronExample::run),
          new Example("rosenbrock", "minimise the 2-D Rosenbrock function with Adam",
              RosenbrockExample::minimise),
          new Example("rosenbrock-nd", "minimise the 10-D Rosenbrock function (a loop) with Adam",
              RosenbrockNdExample::minimise),
          new Example("logistic", "train a logistic regression (nested loops) by gradient descent",
              LogisticRegressionExample::train));

  private ExampleApp() {}

  /**
   * Runs the examples.
   *
   * @param args nothing to run every example, an example's name to run that one, or {@code --help}
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs as {@link #main} does and returns the exit status instead of exiting. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      for (Example example : EXAMPLES) {
        runOne(example, out);
      }
      return 0;
    }
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      printUsage(out);
      return 0;
    }
    for (Example example : EXAMPLES) {
      if (args.length == 1 && example.name().equals(args[0])) {
        runOne(example, out);
        return 0;
      }
    }
    err.println("unknown arguments: " + String.join(" ", args));
    printUsage(err);
    return 2;
  }

  private static void runOne(Example example, PrintStream out) {
    out.println("== " + example.name());
    long start = System.nanoTime();
    example.body().accept(out);
    out.printf("   (%d ms)%n%n", (System.nanoTime() - start) / 1_000_000);
  }

  private static void printUsage(PrintStream out) {
    out.println("Adjoint examples: gradients generated at compile time from @Differentiable methods.");
    out.println("usage: ExampleApp [--help | EXAMPLE]   (no argument runs them all)");
    out.println("  with Maven: mvn -B -q -pl example-app -am compile exec:java -Dexec.args=EXAMPLE");
    for (Example example : EXAMPLES) {
      out.printf("  %-14s %s%n", example.name(), example.summary());
    }
  }
}
