package dev.adjoint.example;

import dev.adjoint.runtime.check.GradientChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The models whose helpers carry no annotation, checked in one line: gradient, tangent and Hessian. */
class HelperModelsTest {
  @TestFactory
  Stream<DynamicTest> scientificModels() {
    return GradientChecks.of(ScientificModelsGrad.functions())
        .argument("logTheta", random -> random.doubles(3, -0.5, 0.5).toArray())
        .argument("times", random -> new double[] {0.5, 1, 2, 4, 8, 12})
        .argument("observed", random -> new double[] {4.1, 6.8, 8.2, 6.9, 3.6, 1.8})
        .argument("launch", random -> new double[] {random.nextDouble(20, 30), random.nextDouble(0.3, 1),
            random.nextDouble(0.001, 0.01)})
        .argument("beta", random -> random.doubles(3, -1, 1).toArray())
        .argument("x", random -> new double[][] {{1, 0.5, -1}, {1, -1.5, 0.3}, {1, 0.2, 2.1}, {1, 1.4, -0.7}})
        .argument("y", random -> new double[] {1, 0, 1, 0})
        .argument("logHyper", random -> random.doubles(2, -0.5, 0.5).toArray())
        .argument("xs", random -> new double[] {-1.2, -0.3, 0.4, 1.1, 2.0})
        .argument("ys", random -> new double[] {0.3, -0.5, 0.9, 0.2, -0.7})
        .dynamicTests();
  }
}
