package dev.adjoint.example;

import dev.adjoint.example.MatrixModels.LogisticRegression;
import dev.adjoint.example.MatrixModels.Mlp;
import dev.adjoint.example.MatrixModels.SoftmaxRegression;
import dev.adjoint.example.MatrixModelsGrad.LogisticLossGradient;
import dev.adjoint.example.MatrixModelsGrad.MlpLossGradient;
import dev.adjoint.example.MatrixModelsGrad.SoftmaxLossGradient;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.GradientDescent;

/**
 * Classifiers on the two real data sets in {@code src/main/resources/data}: logistic regression on
 * breast cancer diagnoses, softmax regression and a perceptron on handwritten digits. Each splits
 * its data set the same way: a shuffle seeded with {@link #SEED}, 80 % for training, 20 % for
 * testing.
 */
final class ClassifierExamples {
  static final long SEED = 7;
  static final double TRAIN_FRACTION = 0.8;

  static final double BREAST_CANCER_L2 = 1e-3;
  static final Training.Schedule BREAST_CANCER_SCHEDULE = new Training.Schedule(20, 32, 1, 1, SEED);
  static final Training.Schedule SOFTMAX_SCHEDULE = new Training.Schedule(3, 32, 1, 1, SEED);
  static final double SOFTMAX_L2 = 1e-4;
  static final int MLP_HIDDEN = 128;
  static final double MLP_L2 = 1e-4;
  static final Training.Schedule MLP_SCHEDULE = new Training.Schedule(12, 32, 0.8, 1, SEED);

  private ClassifierExamples() {}

  /** Breast cancer, standardised: 455 examples for training, 114 for testing. */
  static DataSet.Split breastCancer() {
    return DataSet.breastCancer().shuffled(SEED).split(TRAIN_FRACTION).standardised();
  }

  /** Digits with pixels scaled into [0, 1]: 1438 images for training, 359 for testing. */
  static DataSet.Split digits() {
    return DataSet.digits().scaled(1.0 / 16).shuffled(SEED).split(TRAIN_FRACTION);
  }

  static Training.Result<LogisticRegression> breastCancer(ExampleContext context) {
    DataSet.Split data = breastCancer();
    context.out().printf(
        "logistic regression on breast cancer diagnoses: %d training, %d test examples of %d features;"
            + " gradient descent with momentum%n",
        data.train().size(), data.test().size(), data.train().features().cols());
    LogisticLossGradient into = new LogisticLossGradient();
    Training.Result<LogisticRegression> result =
        Training.train(
            LogisticRegression.zeros(data.train().features().cols()),
            new GradientDescent(0.05, 0.9),
            data,
            (model, batch) -> {
              double loss =
                  MatrixModelsGrad.logisticLoss(
                      model, batch.features(), batch.labelColumn(), BREAST_CANCER_L2, into);
              return new Training.Evaluation<>(loss, into.model());
            },
            (model, features) -> Training.positive(MatrixModels.logisticLogits(model, features)),
            BREAST_CANCER_SCHEDULE,
            context);
    Training.report(context, "breast-cancer", "Logistic regression, breast cancer", result);
    return result;
  }

  static Training.Result<SoftmaxRegression> digitsSoftmax(ExampleContext context) {
    DataSet.Split data = digits();
    context.out().printf(
        "softmax regression on 8x8 digits: %d training, %d test images; Adam, batches of %d%n",
        data.train().size(), data.test().size(), SOFTMAX_SCHEDULE.batchSize());
    SoftmaxLossGradient into = new SoftmaxLossGradient();
    Training.Result<SoftmaxRegression> result =
        Training.train(
            SoftmaxRegression.zeros(data.train().features().cols(), 10),
            new Adam(0.05),
            data,
            (model, batch) -> {
              double loss =
                  MatrixModelsGrad.softmaxLoss(model, batch.features(), batch.labels(), SOFTMAX_L2, into);
              return new Training.Evaluation<>(loss, into.model());
            },
            (model, features) -> Training.argmaxRows(MatrixModels.softmaxLogits(model, features)),
            SOFTMAX_SCHEDULE,
            context);
    Training.report(context, "digits-softmax", "Softmax regression, digits", result);
    return result;
  }

  static Training.Result<Mlp> digitsMlp(ExampleContext context) {
    DataSet.Split data = digits();
    int inputs = data.train().features().cols();
    context.out().printf(
        "%d-%d-10 tanh perceptron on 8x8 digits: %d training, %d test images; Adam, batches of %d%n",
        inputs, MLP_HIDDEN, data.train().size(), data.test().size(), MLP_SCHEDULE.batchSize());
    MlpLossGradient into = new MlpLossGradient();
    Training.Result<Mlp> result =
        Training.train(
            Mlp.initial(inputs, MLP_HIDDEN, 10, SEED),
            new Adam(0.01),
            data,
            (model, batch) -> {
              double loss = MatrixModelsGrad.mlpLoss(model, batch.features(), batch.labels(), MLP_L2, into);
              return new Training.Evaluation<>(loss, into.model());
            },
            (model, features) -> Training.argmaxRows(MatrixModels.mlpLogits(model, features)),
            MLP_SCHEDULE,
            context);
    Training.report(context, "digits-mlp", "64-128-10 perceptron, digits", result);
    return result;
  }
}
