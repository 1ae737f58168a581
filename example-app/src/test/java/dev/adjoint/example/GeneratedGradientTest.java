package dev.adjoint.example;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.example.LoopModelsGrad.LogisticLossGradient;
import dev.adjoint.example.ModelsGrad.NeuronGradient;
import dev.adjoint.runtime.check.Inputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every example model's generated gradient against finite differences, at seeded random points. */
class GeneratedGradientTest {
  private static final int POINTS = 20;

  @Test
  void neuron() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < POINTS; i++) {
      double[] point = uniform(random, 5, -2, 2);
      NeuronGradient g = ModelsGrad.neuron(point[0], point[1], point[2], point[3], point[4]);
      assertGradient(
          p -> Models.neuron(p[0], p[1], p[2], p[3], p[4]),
          point,
          new double[] {g.a(), g.b(), g.c(), g.x(), g.y()});
      assertEquals(Models.neuron(point[0], point[1], point[2], point[3], point[4]), g.value());
    }
  }

  @Test
  void rosenbrock() {
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < POINTS; i++) {
      double[] point = uniform(random, 2, -2, 2);
      ModelsGrad.RosenbrockGradient g = ModelsGrad.rosenbrock(point[0], point[1]);
      assertGradient(p -> Models.rosenbrock(p[0], p[1]), point, new double[] {g.x(), g.y()});
      assertEquals(Models.rosenbrock(point[0], point[1]), g.value());
    }
  }

  @Test
  void rosenbrockOfAnyDimension() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < POINTS; i++) {
      double[] point = uniform(random, random.nextInt(1, 13), -2, 2);
      LoopModelsGrad.RosenbrockGradient g = LoopModelsGrad.rosenbrock(point);
      assertGradient(LoopModels::rosenbrock, point, g.x());
      assertEquals(LoopModels.rosenbrock(point), g.value());
    }
  }

  @Test
  void logisticLossOnTheExampleDataAndOnRandomData() {
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < POINTS; i++) {
      boolean exampleData = i % 2 == 0;
      int features = exampleData ? 2 : random.nextInt(1, 5);
      double[][] x = exampleData ? LogisticRegressionExample.FEATURES : randomMatrix(random, 6, features);
      int[] y = exampleData ? LogisticRegressionExample.LABELS : random.ints(6, 0, 2).toArray();
      double[] w = uniform(random, features, -1, 1);
      double b = random.nextDouble(-1, 1);
      LogisticLossGradient g = LoopModelsGrad.logisticLoss(x, w, b, y);
      assertGradient(
          args -> LoopModels.logisticLoss(x, args.vector("w"), args.scalar("b"), y),
          Inputs.of().vector("w", w).scalar("b", b),
          Inputs.of().vector("w", g.w()).scalar("b", g.b()));
      assertEquals(LoopModels.logisticLoss(x, w, b, y), g.value());
    }
  }

  @Test
  void reusingOneGradientObjectGivesWhatFreshOnesGive() {
    // The examples call the allocation-free form with one object throughout, across changing sizes here.
    SplittableRandom random = new SplittableRandom(5);
    LoopModelsGrad.RosenbrockGradient into = new LoopModelsGrad.RosenbrockGradient();
    for (int i = 0; i < POINTS; i++) {
      double[] point = uniform(random, random.nextInt(2, 6), -2, 2);
      double value = LoopModelsGrad.rosenbrock(point, into);
      LoopModelsGrad.RosenbrockGradient fresh = LoopModelsGrad.rosenbrock(point);
      assertEquals(fresh.value(), value);
      assertArrayEquals(fresh.x(), into.x());
    }
  }

  private static double[] uniform(SplittableRandom random, int length, double from, double to) {
    return random.doubles(length, from, to).toArray();
  }

  private static double[][] randomMatrix(SplittableRandom random, int rows, int columns) {
    double[][] matrix = new double[rows][];
    for (int row = 0; row < rows; row++) {
      matrix[row] = uniform(random, columns, -3, 3);
    }
    return matrix;
  }
}
