package dev.adjoint.example;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every generated gradient of a class, with its forward mode and Hessian where the model asks for
 * them, checked in one line each: what the README shows users. Models with matrices and records
 * get arguments of matching shapes.
 */
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

  @TestFactory
  Stream<DynamicTest> matrixModels() {
    return GradientChecks.of(MatrixModelsGrad.functions())
        .arguments("logisticLoss", random -> new Object[] {
            new MatrixModels.LogisticRegression(matrix(3, 1, random), random.nextDouble(-1, 1)),
            matrix(5, 3, random), Matrix.columnVector(1, 0, 0, 1, 1), 0.1})
        .arguments("softmaxLoss", random -> new Object[] {
            new MatrixModels.SoftmaxRegression(matrix(3, 4, random), matrix(1, 4, random)),
            matrix(5, 3, random), new int[] {0, 3, 1, 2, 1}, 0.1})
        .arguments("mlpLoss", random -> new Object[] {
            new MatrixModels.Mlp(matrix(3, 4, random), matrix(1, 4, random), matrix(4, 2, random), matrix(1, 2, random)),
            matrix(5, 3, random), new int[] {0, 1, 1, 0, 1}, 0.1})
        .dynamicTests();
  }

  @TestFactory
  Stream<DynamicTest> sequenceModels() {
    int hidden = 2;
    return GradientChecks.of(SequenceModelsGrad.functions())
        .arguments("lstmLoss", random -> new Object[] {
            new SequenceModels.Lstm(matrix(4 * hidden, 1, random), matrix(4 * hidden, hidden, random),
                matrix(4 * hidden, 1, random), matrix(1, hidden, random), random.nextDouble(-1, 1)),
            matrix(4, 3, random), new double[] {1, 0, 1}})
        .dynamicTests();
  }

  @TestFactory
  Stream<DynamicTest> populationModels() {
    return GradientChecks.of(PopulationModelsGrad.functions())
        .arguments("logSquaredError", random -> new Object[] {
            Arrays.stream(LotkaVolterraExample.TRUE_RATES).map(rate -> Math.log(rate) + random.nextDouble(-0.2, 0.2))
                .toArray(),
            LotkaVolterraExample.INITIAL_POPULATIONS, random.doubles(6, 2, 20).toArray(), 4, 0.1})
        .dynamicTests();
  }

  private static Matrix matrix(int rows, int cols, RandomGenerator random) {
    return Matrix.randomNormal(rows, cols, 1, random.nextLong());
  }
}
