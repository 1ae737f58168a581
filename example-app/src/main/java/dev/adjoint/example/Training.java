package dev.adjoint.example;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.Optimizer;
import java.util.Arrays;
import java.util.Random;

/**
 * Minibatch training of a classifier whose parameters are a record, shared by the examples:
 * epochs over the shuffled training set, one optimizer step per batch with the generated gradient,
 * then the accuracies on the training and test sets, shown through {@link EpochProgress}.
 */
final class Training {
  private Training() {}

  /** A loss on a batch with its gradient, typically a generated {@code m(args, into)} call. */
  @FunctionalInterface
  interface Objective<M> {
    Evaluation<M> evaluate(M model, DataSet batch);
  }

  /** The loss on a batch and its gradient with respect to the model. */
  record Evaluation<M>(double loss, M gradient) {}

  /** The class the model predicts for each row of {@code features}. */
  @FunctionalInterface
  interface Classifier<M> {
    int[] predict(M model, Matrix features);
  }

  /**
   * How to go through the data.
   *
   * @param epochs passes over the training set
   * @param batchSize examples per step; the whole set (in its order) if at least its size
   * @param learningRateDecay the factor applied to the optimizer's learning rate after each epoch:
   *     1 keeps it, below 1 lets minibatch noise settle towards the end
   * @param reportEvery epochs per progress line
   * @param seed the seed of the shuffles
   */
  record Schedule(int epochs, int batchSize, double learningRateDecay, int reportEvery, long seed) {}

  /**
   * Per epoch: the mean training loss over its steps and the accuracies after it; without a test
   * set the test accuracies are NaN.
   */
  record History(double[] loss, double[] trainAccuracy, double[] testAccuracy) {}

  /** The trained model and its history. */
  record Result<M>(M model, History history) {
    double testAccuracy() {
      return history.testAccuracy()[history.testAccuracy().length - 1];
    }
  }

  /**
   * Trains {@code initial} on {@code data.train()}, measuring accuracy on both sets after each
   * epoch; {@code data.test()} may be null.
   */
  static <M extends Record> Result<M> train(
      M initial,
      Optimizer optimizer,
      DataSet.Split data,
      Objective<M> objective,
      Classifier<M> classifier,
      Schedule schedule,
      ExampleContext context) {
    DataSet train = data.train();
    int batchSize = Math.min(schedule.batchSize(), train.size());
    int batchesPerEpoch = (train.size() + batchSize - 1) / batchSize;
    int epochs = schedule.epochs();
    History history = new History(new double[epochs], new double[epochs], new double[epochs]);
    Random random = new Random(schedule.seed());
    M model = initial;
    double periodLoss = 0;
    int periodExamples = 0;
    try (EpochProgress progress = new EpochProgress(context)) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        int periodEnd = Math.min(epochs, (epoch / schedule.reportEvery() + 1) * schedule.reportEvery());
        String period = String.format("epoch %d/%d", periodEnd, epochs);
        if (epoch % schedule.reportEvery() == 0) {
          progress.start(period, (long) (periodEnd - epoch) * batchesPerEpoch);
          periodLoss = 0;
          periodExamples = 0;
        }
        boolean wholeSet = batchSize == train.size();
        int[] order = wholeSet ? null : DataSet.permutation(train.size(), random);
        double epochLoss = 0;
        for (int from = 0; from < train.size(); from += batchSize) {
          int to = Math.min(train.size(), from + batchSize);
          DataSet batch = wholeSet ? train : train.select(Arrays.copyOfRange(order, from, to));
          Evaluation<M> evaluation = objective.evaluate(model, batch);
          model = optimizer.step(model, evaluation.gradient());
          // Weighted by batch size, so that a short last batch counts for what it holds.
          epochLoss += evaluation.loss() * batch.size();
          periodLoss += evaluation.loss() * batch.size();
          periodExamples += batch.size();
          progress.step(periodLoss / periodExamples);
        }
        optimizer.setLearningRate(optimizer.learningRate() * schedule.learningRateDecay());
        history.loss()[epoch] = epochLoss / train.size();
        history.trainAccuracy()[epoch] = train.accuracy(classifier.predict(model, train.features()));
        history.testAccuracy()[epoch] =
            data.test() == null
                ? Double.NaN
                : data.test().accuracy(classifier.predict(model, data.test().features()));
        if (epoch + 1 == periodEnd) {
          progress.finish(period, summary(history, epoch));
        }
      }
    }
    return new Result<>(model, history);
  }

  /**
   * Prints the final loss and accuracies, and plots the history as {@code name.png}.
   *
   * @param title names the model and data in the plot, such as {@code "MLP on digits"}
   */
  static void report(ExampleContext context, String name, String title, Result<?> result) {
    History history = result.history();
    context.out().printf("  final: %s%n", summary(history, history.loss().length - 1));
    Plots.trainingCurves(context, name, title, history);
  }

  private static String summary(History history, int epoch) {
    String line =
        String.format("loss %.4f  train accuracy %.4f", history.loss()[epoch], history.trainAccuracy()[epoch]);
    double test = history.testAccuracy()[epoch];
    return Double.isNaN(test) ? line : line + String.format("  test accuracy %.4f", test);
  }

  /** Class 1 where a logit is positive: the prediction of a binary classifier. */
  static int[] positive(Matrix logitColumn) {
    int[] predicted = new int[logitColumn.rows()];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = logitColumn.get(i, 0) > 0 ? 1 : 0;
    }
    return predicted;
  }

  /** The column of the largest logit in each row: the prediction of a multi-class classifier. */
  static int[] argmaxRows(Matrix logits) {
    int[] predicted = new int[logits.rows()];
    for (int i = 0; i < predicted.length; i++) {
      int best = 0;
      for (int j = 1; j < logits.cols(); j++) {
        if (logits.get(i, j) > logits.get(i, best)) {
          best = j;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }
}
