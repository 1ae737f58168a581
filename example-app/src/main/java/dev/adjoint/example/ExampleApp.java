package dev.adjoint.example;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the examples: all of them by default, or those named as arguments.
 *
 * <pre>
 * mvn -B -q -pl example-app -am compile exec:java
 * mvn -B -q -pl example-app -am compile exec:java -Dexec.args="digits-mlp --plots /tmp/plots"
 * </pre>
 */
public final class ExampleApp {
  /** Where plots go unless {@code --plots DIR} says otherwise, relative to the working directory. */
  static final Path DEFAULT_PLOT_DIRECTORY = Path.of("target", "adjoint-plots");

  /**
   * One example: the name to choose it by, a line for {@code --help}, whether it writes plots, and
   * its body.
   */
  private record Example(String name, String summary, boolean plots, Consumer<ExampleContext> body) {}

  private static final List<Example> EXAMPLES =
      List.of(
          new Example("neuron", "value and gradient of a sigmoid neuron", false,
              context -> NeuronExample.run(context.out())),
          new Example("rosenbrock", "minimise the 2-D Rosenbrock function with Adam", false,
              context -> RosenbrockExample.minimise(context.out())),
          new Example("rosenbrock-nd", "minimise the 10-D Rosenbrock function (a loop) with Adam", false,
              context -> RosenbrockNdExample.minimise(context.out())),
          new Example("logistic", "train a logistic regression (nested loops) by gradient descent", false,
              context -> LogisticRegressionExample.train(context.out())),
          new Example("logistic-tiny", "clj-autograd's logistic regression, with Matrix and a record", true,
              LogisticTinyExample::run),
          new Example("breast-cancer", "logistic regression on breast cancer diagnoses (UCI)", true,
              ClassifierExamples::breastCancer),
          new Example("breast-cancer-newton", "the same model by Newton's method with the generated Hessian", true,
              NewtonLogisticExample::run),
          new Example("digits-softmax", "softmax regression on handwritten digits (UCI) with Adam", true,
              ClassifierExamples::digitsSoftmax),
          new Example("digits-mlp", "a 64-128-10 tanh perceptron on handwritten digits with Adam", true,
              ClassifierExamples::digitsMlp),
          new Example("lstm", "an LSTM cell looped over random walks: does the walk end above zero?", true,
              LstmExample::run),
          new Example("lotka-volterra", "fit a predator-prey ODE (RK4), standard errors from its Hessian",
              true, LotkaVolterraExample::run),
          new Example("mauna-loa", "Gaussian process on Mauna Loa CO2: kernel fitted by its marginal likelihood",
              true, MaunaLoaExample::run),
          new Example("eight-schools", "a hierarchical model: posterior mode, and Hamiltonian Monte Carlo draws",
              true, EightSchoolsExample::run),
          new Example("theophylline", "a pharmacokinetic ODE through Ode.solve fitted to 12 subjects (R's Theoph)",
              true, TheophyllineExample::run));

  private ExampleApp() {}

  /**
   * Runs the examples, with progress bars when the console is a terminal.
   *
   * @param args example names (none runs them all), {@code --plots DIR} to choose where plots go,
   *     or {@code --help}
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err, System.console() != null);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs as {@link #main} does without progress bars, and returns the exit status instead of exiting. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, false);
  }

  private static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
    List<Example> selected = new ArrayList<>();
    Path plotDirectory = DEFAULT_PLOT_DIRECTORY;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        printUsage(out);
        return 0;
      } else if (arg.equals("--plots") && i + 1 < args.length) {
        plotDirectory = Path.of(args[++i]);
      } else {
        Example example = find(arg);
        if (example == null) {
          err.println("unknown argument: " + arg);
          printUsage(err);
          return 2;
        }
        selected.add(example);
      }
    }
    if (selected.isEmpty()) {
      selected = EXAMPLES;
    }
    ExampleContext context = new ExampleContext(out, interactive, plotDirectory);
    long start = System.nanoTime();
    for (Example example : selected) {
      runOne(example, context);
    }
    if (selected.size() > 1) {
      out.printf("all %d examples in %.1f s%n", selected.size(), (System.nanoTime() - start) / 1e9);
    }
    if (selected.stream().anyMatch(Example::plots)) {
      out.println("plots in " + plotDirectory.toAbsolutePath().normalize());
    }
    return 0;
  }

  private static Example find(String name) {
    return EXAMPLES.stream().filter(example -> example.name().equals(name)).findFirst().orElse(null);
  }

  private static void runOne(Example example, ExampleContext context) {
    PrintStream out = context.out();
    out.println("== " + example.name());
    long start = System.nanoTime();
    example.body().accept(context);
    out.printf("   (%d ms)%n%n", (System.nanoTime() - start) / 1_000_000);
  }

  private static void printUsage(PrintStream out) {
    out.println("Adjoint examples: gradients generated at compile time from @Differentiable methods.");
    out.println("usage: ExampleApp [--help] [--plots DIR] [EXAMPLE...]   (no example runs them all)");
    out.println("  with Maven: mvn -B -q -pl example-app -am compile exec:java -Dexec.args=\"EXAMPLE...\"");
    out.println("  --plots DIR  where PNG plots of loss and accuracy go (default " + DEFAULT_PLOT_DIRECTORY + ")");
    for (Example example : EXAMPLES) {
      out.printf("  %-15s %s%n", example.name(), example.summary());
    }
  }
}
