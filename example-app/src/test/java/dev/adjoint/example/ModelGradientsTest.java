package dev.adjoint.example;

import static dev.adjoint.runtime.check.GradientAssertions.assertGradient;
import static dev.adjoint.runtime.check.GradientAssertions.assertJacobian;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.example.MatrixModels.LogisticRegression;
import dev.adjoint.example.MatrixModels.Mlp;
import dev.adjoint.example.MatrixModels.SoftmaxRegression;
import dev.adjoint.example.SequenceModels.Lstm;
import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.DualVector;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.optim.Records;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generated gradients of the Matrix, record and ODE models against finite differences, and
 * their forward mode against the gradient, at seeded random parameters and data. Records are flattened with {@link Records#toArray} for the
 * checker, so a failure names a position in that order.
 */
class ModelGradientsTest {
  private static final int POINTS = 5;
  private final SplittableRandom random = new SplittableRandom(2024);

  private Matrix randomMatrix(int rows, int cols, double scale) {
    double[][] values = new double[rows][];
    for (int i = 0; i < rows; i++) {
      values[i] = random.doubles(cols, -scale, scale).toArray();
    }
    return Matrix.of(values);
  }

  private int[] randomLabels(int count, int classes) {
    return random.ints(count, 0, classes).toArray();
  }

  /** A random tangent for a record of parameters: a record of the same type. */
  private <R extends Record> R randomDirection(R model) {
    return Records.fromArray(model, random.doubles(Records.toArray(model).length, -1, 1).toArray());
  }

  /** Forward mode along {@code direction} equals the gradient dotted with it. */
  private static void assertTangent(Record gradient, Record direction, Dual tangent) {
    GradientAssertions.assertTangent(Records.toArray(gradient), Records.toArray(direction), tangent.derivative());
  }

  @Test
  void logisticRegression() {
    for (int i = 0; i < POINTS; i++) {
      Matrix features = randomMatrix(7, 4, 2);
      Matrix labels = Matrix.columnVector(Arrays.stream(randomLabels(7, 2)).asDoubleStream().toArray());
      LogisticRegression model = new LogisticRegression(randomMatrix(4, 1, 1), random.nextDouble(-1, 1));
      double l2 = 0.01;
      LogisticRegression gradient = MatrixModelsGrad.logisticLoss(model, features, labels, l2).model();
      LogisticRegression direction = randomDirection(model);
      assertTangent(gradient, direction, MatrixModelsGrad.logisticLossTangent(model, features, labels, l2, direction));
      assertGradient(
          p -> MatrixModels.logisticLoss(Records.fromArray(model, p), features, labels, l2),
          Records.toArray(model),
          Records.toArray(gradient));
    }
  }

  @Test
  void softmaxRegression() {
    for (int i = 0; i < POINTS; i++) {
      Matrix features = randomMatrix(6, 5, 2);
      int[] labels = randomLabels(6, 3);
      SoftmaxRegression model = new SoftmaxRegression(randomMatrix(5, 3, 1), randomMatrix(1, 3, 1));
      SoftmaxRegression gradient = MatrixModelsGrad.softmaxLoss(model, features, labels, 0.01).model();
      SoftmaxRegression direction = randomDirection(model);
      assertTangent(gradient, direction, MatrixModelsGrad.softmaxLossTangent(model, features, labels, 0.01, direction));
      assertGradient(
          p -> MatrixModels.softmaxLoss(Records.fromArray(model, p), features, labels, 0.01),
          Records.toArray(model),
          Records.toArray(gradient));
    }
  }

  @Test
  void perceptron() {
    for (int i = 0; i < POINTS; i++) {
      Matrix features = randomMatrix(6, 5, 1);
      int[] labels = randomLabels(6, 4);
      Mlp model = new Mlp(randomMatrix(5, 7, 1), randomMatrix(1, 7, 1), randomMatrix(7, 4, 1), randomMatrix(1, 4, 1));
      Mlp gradient = MatrixModelsGrad.mlpLoss(model, features, labels, 0.01).model();
      Mlp direction = randomDirection(model);
      assertTangent(gradient, direction, MatrixModelsGrad.mlpLossTangent(model, features, labels, 0.01, direction));
      assertGradient(
          p -> MatrixModels.mlpLoss(Records.fromArray(model, p), features, labels, 0.01),
          Records.toArray(model),
          Records.toArray(gradient));
    }
  }

  @Test
  void lstmOverAFewTimeSteps() {
    for (int i = 0; i < POINTS; i++) {
      int hidden = 3;
      Matrix sequences = randomMatrix(5, 4, 1.5); // 5 steps of 4 sequences
      double[] targets = Arrays.stream(randomLabels(4, 2)).asDoubleStream().toArray();
      Lstm model =
          new Lstm(
              randomMatrix(4 * hidden, 1, 1),
              randomMatrix(4 * hidden, hidden, 1),
              randomMatrix(4 * hidden, 1, 1),
              randomMatrix(1, hidden, 1),
              random.nextDouble(-1, 1));
      Lstm gradient = SequenceModelsGrad.lstmLoss(model, sequences, targets).model();
      Lstm direction = randomDirection(model);
      assertTangent(gradient, direction, SequenceModelsGrad.lstmLossTangent(model, sequences, targets, direction));
      assertGradient(
          p -> SequenceModels.lstmLoss(Records.fromArray(model, p), sequences, targets),
          Records.toArray(model),
          Records.toArray(gradient));
    }
  }

  @Test
  void lotkaVolterraLossOnAShortHorizon() {
    double[] initial = LotkaVolterraExample.INITIAL_POPULATIONS;
    for (int i = 0; i < POINTS; i++) {
      double[] logRates =
          Arrays.stream(LotkaVolterraExample.TRUE_RATES).map(rate -> Math.log(rate) + random.nextDouble(-0.3, 0.3)).toArray();
      double[] observed = random.doubles(6, 2, 20).toArray(); // 3 observations of both species
      double[] gradient = PopulationModelsGrad.logSquaredError(logRates, initial, observed, 4, 0.1).logTheta();
      assertGradient(p -> PopulationModels.logSquaredError(p, initial, observed, 4, 0.1), logRates, gradient);
    }
  }

  @Test
  void lotkaVolterraHessianThroughTheSimulation() {
    double[] initial = LotkaVolterraExample.INITIAL_POPULATIONS;
    double[] logRates = Arrays.stream(LotkaVolterraExample.TRUE_RATES).map(Math::log).toArray();
    double[] observed = random.doubles(6, 2, 20).toArray();
    double[][] hessian = PopulationModelsGrad.logSquaredErrorHessian(logRates, initial, observed, 4, 0.1);
    GradientAssertions.assertHessian(
        p -> PopulationModelsGrad.logSquaredError(p, initial, observed, 4, 0.1).logTheta(), logRates, hessian);
  }

  @Test
  void lotkaVolterraTrajectoryTangentIsTheJacobianTimesTheDirection() {
    double[] rates = LotkaVolterraExample.TRUE_RATES;
    double[] initial = LotkaVolterraExample.INITIAL_POPULATIONS;
    double[] direction = random.doubles(4, -1, 1).toArray();
    DualVector dual = PopulationModelsGrad.trajectoryTangent(rates, initial, 3, 4, 0.1, direction);
    double[][] jacobian = PopulationModelsGrad.trajectoryJacobian(rates, initial, 3, 4, 0.1);
    for (int i = 0; i < jacobian.length; i++) {
      GradientAssertions.assertTangent(jacobian[i], direction, dual.derivative()[i]);
    }
  }

  @Test
  void lotkaVolterraTrajectoryJacobian() {
    double[] rates = LotkaVolterraExample.TRUE_RATES;
    double[] initial = LotkaVolterraExample.INITIAL_POPULATIONS;
    assertJacobian(
        p -> PopulationModels.trajectory(p, initial, 3, 4, 0.1),
        rates,
        PopulationModelsGrad.trajectoryJacobian(rates, initial, 3, 4, 0.1));
  }

  @Test
  void theLogitsUsedForPredictionsAreThoseTheLossesTrainOn() {
    // The processor cannot call Matrix-returning methods yet, so each loss repeats its forward pass.
    Matrix features = randomMatrix(6, 5, 1);
    int[] labels = randomLabels(6, 3);
    SoftmaxRegression softmax = new SoftmaxRegression(randomMatrix(5, 3, 1), randomMatrix(1, 3, 1));
    assertEquals(
        Matrix.softmaxCrossEntropy(MatrixModels.softmaxLogits(softmax, features), labels),
        MatrixModels.softmaxLoss(softmax, features, labels, 0),
        1e-15);
    Mlp mlp = new Mlp(randomMatrix(5, 7, 1), randomMatrix(1, 7, 1), randomMatrix(7, 3, 1), randomMatrix(1, 3, 1));
    assertEquals(
        Matrix.softmaxCrossEntropy(MatrixModels.mlpLogits(mlp, features), labels),
        MatrixModels.mlpLoss(mlp, features, labels, 0),
        1e-15);
    LogisticRegression logistic = new LogisticRegression(randomMatrix(5, 1, 1), 0.3);
    Matrix targets = Matrix.columnVector(1, 0, 1, 1, 0, 0);
    assertEquals(
        Matrix.binaryCrossEntropyWithLogits(MatrixModels.logisticLogits(logistic, features), targets),
        MatrixModels.logisticLoss(logistic, features, targets, 0),
        1e-15);
  }
}
