package dev.adjoint.example;

import dev.adjoint.runtime.check.GradientChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every generated gradient of a class, checked in one line each: what the README shows users. */
class OneLineGradientChecksTest {

  @TestFactory
  Stream<DynamicTest> models() {
    return GradientChecks.of(ModelsGrad.functions()).dynamicTests();
  }

  @TestFactory
  Stream<DynamicTest> loopModels() {
    return GradientChecks.of(LoopModelsGrad.functions())
        .argument("rosenbrock", "x", random -> random.doubles(6, -1.5, 1.5).toArray())
        .arguments("logisticLoss", random -> new Object[] {
            new double[][] {{5, 2}, {-1, 0}, {5, 2}, {0.5, -1.5}},
            random.doubles(2, -1, 1).toArray(), random.nextDouble(-1, 1), new int[] {1, 0, 1, 0}})
        .dynamicTests();
  }
}
