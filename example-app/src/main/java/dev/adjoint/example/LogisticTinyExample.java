package dev.adjoint.example;

import dev.adjoint.example.MatrixModels.LogisticRegression;
import dev.adjoint.example.MatrixModelsGrad.LogisticLossGradient;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.GradientDescent;

/**
 * The logistic regression of clj-autograd's README and tests, with {@link Matrix} and a record of
 * parameters: three examples in two features, weights and bias starting at zero, 1000 steps of
 * gradient descent on the binary cross-entropy. The loop-based {@link LogisticRegressionExample}
 * trains a regularised variant.
 */
final class LogisticTinyExample {
  static final Matrix FEATURES = Matrix.of(new double[][] {{5, 2}, {-1, 0}, {5, 2}});
  static final int[] LABELS = {1, 0, 1};
  static final int STEPS = 1000;
  /**
   * clj-autograd sums the loss over the three examples and steps 0.01 along its gradient; the mean
   * loss with three times the rate takes exactly those steps.
   */
  static final double LEARNING_RATE = 3 * 0.01;

  private LogisticTinyExample() {}

  static Training.Result<LogisticRegression> run(ExampleContext context) {
    context.out().printf(
        "logistic regression on %d examples (clj-autograd's), %d steps of gradient descent%n",
        LABELS.length, STEPS);
    DataSet data = new DataSet(FEATURES, LABELS);
    LogisticLossGradient into = new LogisticLossGradient();
    Training.Result<LogisticRegression> result =
        Training.train(
            LogisticRegression.zeros(FEATURES.cols()),
            new GradientDescent(LEARNING_RATE),
            new DataSet.Split(data, null),
            (model, batch) -> {
              double loss = MatrixModelsGrad.logisticLoss(model, batch.features(), batch.labelColumn(), 0, into);
              return new Training.Evaluation<>(loss, into.model());
            },
            (model, features) -> Training.positive(MatrixModels.logisticLogits(model, features)),
            new Training.Schedule(STEPS, LABELS.length, 1, 200, 0),
            context);
    LogisticRegression model = result.model();
    double[] probabilities = probabilities(model);
    context.out().printf("  weights (%.6f, %.6f), bias %.6f%n", model.weights().get(0, 0),
        model.weights().get(1, 0), model.bias());
    context.out().printf("  predictions (%.6f, %.6f, %.6f) for labels (1, 0, 1)%n",
        probabilities[0], probabilities[1], probabilities[2]);
    Training.report(context, "logistic-tiny", "Logistic regression, 3 examples", result);
    return result;
  }

  /** The model's probability of class 1 for each example. */
  static double[] probabilities(LogisticRegression model) {
    Matrix probabilities = MatrixModels.logisticLogits(model, FEATURES).sigmoid();
    double[] column = new double[probabilities.rows()];
    for (int i = 0; i < column.length; i++) {
      column[i] = probabilities.get(i, 0);
    }
    return column;
  }
}
