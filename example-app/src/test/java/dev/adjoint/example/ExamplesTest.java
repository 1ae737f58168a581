package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  private static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void adamTakesTheRosenbrockFunctionToItsMinimum() {
    double[] minimum = RosenbrockExample.minimise(SILENT);
    assertTrue(Descent.distanceFrom(1, minimum) < 1e-6, () -> minimum[0] + ", " + minimum[1]);
  }

  @Test
  void adamTakesTheTenDimensionalRosenbrockFunctionToItsMinimum() {
    double[] minimum = RosenbrockNdExample.minimise(SILENT);
    assertTrue(Descent.distanceFrom(1, minimum) < 1e-6, () -> Arrays.toString(minimum));
  }

  @Test
  void logisticRegressionSeparatesTheTwoClasses() {
    LogisticRegressionExample.Model model = LogisticRegressionExample.train(SILENT);
    double[][] features = LogisticRegressionExample.FEATURES;
    int[] labels = LogisticRegressionExample.LABELS;
    for (int i = 0; i < features.length; i++) {
      assertEquals(labels[i], model.predict(features[i]), 0.05, "example " + i);
    }
  }

  @Test
  void aDescentStepWithTheGeneratedGradientAllocatesNothingOnceWarm() {
    double[] point = {-1.2, 1};
    double[] gradient = new double[2];
    ModelsGrad.RosenbrockGradient into = new ModelsGrad.RosenbrockGradient();
    LoopModelsGrad.RosenbrockGradient loopInto = new LoopModelsGrad.RosenbrockGradient();
    Adam adam = new Adam(1e-4);
    Runnable steps =
        () -> {
          for (int step = 0; step < 20_000; step++) {
            ModelsGrad.rosenbrock(point[0], point[1], into);
            gradient[0] = into.x();
            gradient[1] = into.y();
            LoopModelsGrad.rosenbrock(point, loopInto);
            adam.step(point, gradient);
          }
        };
    steps.run(); // sizes the tape, the gradient arrays and Adam's moments, and warms up the JIT
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    steps.run();
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 1024, () -> allocated + " bytes allocated over 20000 steps");
  }

  private static final String[] NAMES = {
    "neuron", "rosenbrock", "rosenbrock-nd", "logistic", "logistic-tiny", "breast-cancer",
    "digits-softmax", "digits-mlp", "lstm", "lotka-volterra", "mauna-loa", "eight-schools",
    "theophylline"
  };
  private static final String[] PLOTTED = {
    "logistic-tiny", "breast-cancer", "digits-softmax", "digits-mlp", "lstm", "lotka-volterra", "mauna-loa",
    "eight-schools", "theophylline"
  };

  @Test
  void withoutArgumentsEveryExampleRunsAndPlots(@TempDir Path plots) throws IOException {
    String output = run(0, "--plots", plots.toString());
    for (String name : NAMES) {
      assertTrue(output.contains("== " + name + "\n"), () -> name + " missing from\n" + output);
    }
    for (String name : PLOTTED) {
      Path png = plots.resolve(name + ".png");
      assertTrue(Files.size(png) > 10_000, () -> png + " is missing or nearly empty");
    }
    assertTrue(output.endsWith("plots in " + plots.toAbsolutePath().normalize() + "\n"), output);
  }

  @Test
  void helpListsTheExamplesAndAnExampleRunsAlone() {
    String help = run(0, "--help");
    for (String name : NAMES) {
      assertTrue(help.contains("  " + name + " "), () -> name + " missing from\n" + help);
    }
    assertTrue(help.contains("--plots DIR"), help);
    String neuron = run(0, "neuron");
    assertTrue(neuron.startsWith("== neuron") && !neuron.contains("== rosenbrock"), neuron);
    assertTrue(!neuron.contains("plots in"), "an example without plots does not mention them");
  }

  @Test
  void anUnknownExampleOrAMissingPlotDirectoryIsAnError() {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, ExampleApp.run(new String[] {"bogus"}, SILENT, err));
    assertEquals(2, ExampleApp.run(new String[] {"neuron", "--plots"}, SILENT, err));
  }

  /** Runs the app, checks its exit status and returns what it printed. */
  private static String run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(expectedStatus, ExampleApp.run(args, out, SILENT));
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
