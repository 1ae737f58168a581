package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerTest {
  /** f(x) = Σ c_i (x_i − t_i)²: minimum 0 at t, curvature 2c_i along axis i. */
  private record Bowl(double[] curvatures, double[] minimum) {
    void gradientInto(double[] x, double[] gradient) {
      for (int i = 0; i < x.length; i++) {
        gradient[i] = 2 * curvatures[i] * (x[i] - minimum[i]);
      }
    }

    double distanceToMinimum(double[] x) {
      double largest = 0;
      for (int i = 0; i < x.length; i++) {
        largest = Math.max(largest, Math.abs(x[i] - minimum[i]));
      }
      return largest;
    }

    /** Steps until every component is within {@code tolerance}, or -1 after {@code limit}. */
    int stepsToConverge(Optimizer optimizer, double[] x, double tolerance, int limit) {
      double[] gradient = new double[x.length];
      for (int step = 0; step < limit; step++) {
        if (distanceToMinimum(x) <= tolerance) {
          return step;
        }
        gradientInto(x, gradient);
        optimizer.step(x, gradient);
      }
      return -1;
    }
  }

  private static final Bowl BOWL = new Bowl(new double[] {1, 10, 0.5}, new double[] {3, -2, 0.5});

  static Stream<Named<Supplier<Optimizer>>> optimizers() {
    return Stream.of(
        Named.of("gradient descent", () -> new GradientDescent(0.04)),
        Named.of("gradient descent with momentum", () -> new GradientDescent(0.01, 0.9)),
        Named.of("Adam", () -> new Adam(0.05)));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void convergesToTheBottomOfAQuadraticBowl(Supplier<Optimizer> optimizers) {
    double[] x = {0, 0, 0};
    int steps = BOWL.stepsToConverge(optimizers.get(), x, 1e-6, 20_000);
    assertTrue(steps > 0, () -> "did not converge; stopped at " + Arrays.toString(x));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void allocatesNothingAfterTheFirstStep(Supplier<Optimizer> optimizers) {
    Optimizer optimizer = optimizers.get();
    double[] x = {0, 0, 0};
    double[] gradient = new double[3];
    Runnable manySteps =
        () -> {
          for (int step = 0; step < 100_000; step++) {
            BOWL.gradientInto(x, gradient);
            optimizer.step(x, gradient);
          }
        };
    manySteps.run(); // the first step allocates the state; the rest warms up the JIT
    long allocated = bytesAllocatedBy(manySteps);
    // Even 8 bytes a step would come to 800 kB; the margin only covers the measurement itself.
    assertTrue(allocated < 1024, () -> allocated + " bytes allocated over 100000 steps");
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesAnotherSizeUntilReset(Supplier<Optimizer> optimizers) {
    Optimizer optimizer = optimizers.get();
    optimizer.step(new double[3], new double[3]);
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> optimizer.step(new double[4], new double[4]));
    assertTrue(error.getMessage().contains("3") && error.getMessage().contains("4"), error::getMessage);
    optimizer.reset();
    optimizer.step(new double[4], new double[4]);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesAGradientOfAnotherLength(Supplier<Optimizer> optimizers) {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> optimizers.get().step(new double[2], new double[5]));
    assertEquals("the parameters have length 2 but the gradient has length 5", error.getMessage());
  }

  @Test
  void adamFirstStepIsTheLearningRateTimesTheSignOfTheGradient() {
    double[] gradient = {250, -0.003, 7, -1e-3};
    double[] x = {1, 2, 3, 4};
    new Adam(0.1).step(x, gradient);
    double[] expected = {1 - 0.1, 2 + 0.1, 3 - 0.1, 4 + 0.1};
    for (int i = 0; i < x.length; i++) {
      // ε = 1e-8 shortens the step by about ε/|g| of its length.
      assertEquals(expected[i], x[i], 0.1 * 1e-8 / Math.abs(gradient[i]) + 1e-15, "x[" + i + "]");
    }
  }

  @Test
  void adamLeavesAComponentWithZeroGradientInPlace() {
    double[] x = {1, 2};
    new Adam(0.1).step(x, new double[] {0, 1});
    assertEquals(1, x[0], 0.0);
  }

  @Test
  void momentumReachesTheMinimumOfANarrowValleyInFewerSteps() {
    // Curvatures 2 and 100: the learning rate must stay below 2/100 for the steep axis, so plain
    // descent crawls along the shallow one; momentum builds up speed there.
    Bowl valley = new Bowl(new double[] {1, 50}, new double[] {1, 1});
    int plain = valley.stepsToConverge(new GradientDescent(0.009), new double[] {-1, 0}, 1e-6, 100_000);
    int withMomentum =
        valley.stepsToConverge(new GradientDescent(0.009, 0.9), new double[] {-1, 0}, 1e-6, 100_000);
    assertTrue(plain > 0 && withMomentum > 0, "both converge");
    assertTrue(withMomentum * 2 < plain, () -> "momentum " + withMomentum + " steps, plain " + plain);
  }

  @Test
  void aLowerLearningRateTakesEffectOnTheNextStep() {
    GradientDescent descent = new GradientDescent(0.5);
    double[] x = {1};
    descent.step(x, new double[] {1});
    descent.setLearningRate(0.25);
    descent.step(x, new double[] {1});
    assertEquals(1 - 0.5 - 0.25, x[0], 0.0);
    assertEquals(0.25, descent.learningRate(), 0.0);
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new GradientDescent(0));
    assertThrows(IllegalArgumentException.class, () -> new GradientDescent(0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, -0.1, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).setLearningRate(-1));
  }

  private static long bytesAllocatedBy(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    work.run();
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
