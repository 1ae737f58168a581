package dev.adjoint.example;

import dev.adjoint.example.SequenceModels.Lstm;
import dev.adjoint.example.SequenceModelsGrad.LstmLossGradient;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.Adam;
import java.util.Random;

/**
 * Trains {@link SequenceModels#lstmLoss an LSTM} to tell whether a random walk ends above zero: each
 * sequence is {@link #LENGTH} standard normal steps, and its label is 1 when their sum is positive.
 * The cell has to keep a running sum in its state, which a model of the last few steps cannot.
 */
final class LstmExample {
  static final int LENGTH = 12;
  static final int HIDDEN = 8;
  static final int TRAINING_SEQUENCES = 1024;
  static final int TEST_SEQUENCES = 512;
  static final long SEED = 11;
  static final Training.Schedule SCHEDULE = new Training.Schedule(15, 32, 0.85, 1, SEED);

  private LstmExample() {}

  /** Random walks, one per row, labelled 1 when they end above zero. */
  static DataSet randomWalks(int count, Random random) {
    double[][] steps = new double[count][LENGTH];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      double sum = 0;
      for (int t = 0; t < LENGTH; t++) {
        steps[i][t] = random.nextGaussian();
        sum += steps[i][t];
      }
      labels[i] = sum > 0 ? 1 : 0;
    }
    return new DataSet(Matrix.of(steps), labels);
  }

  static DataSet.Split data() {
    Random random = new Random(SEED);
    return new DataSet.Split(randomWalks(TRAINING_SEQUENCES, random), randomWalks(TEST_SEQUENCES, random));
  }

  /** Class 1 where the LSTM's logit is positive; {@code walks} holds one sequence per row. */
  static int[] predict(Lstm model, Matrix walks) {
    // The model reads time steps as rows, sequences as columns.
    double[] logits = SequenceModels.lstmLogits(model, walks.transpose());
    int[] predicted = new int[logits.length];
    for (int i = 0; i < logits.length; i++) {
      predicted[i] = logits[i] > 0 ? 1 : 0;
    }
    return predicted;
  }

  static Training.Result<Lstm> run(ExampleContext context) {
    DataSet.Split data = data();
    context.out().printf(
        "LSTM (%d hidden units) on random walks of %d steps: does the walk end above zero?"
            + " %d training, %d test walks; Adam%n",
        HIDDEN, LENGTH, TRAINING_SEQUENCES, TEST_SEQUENCES);
    LstmLossGradient into = new LstmLossGradient();
    Training.Result<Lstm> result =
        Training.train(
            Lstm.initial(1, HIDDEN, SEED),
            new Adam(0.02),
            data,
            (model, batch) -> {
              double loss =
                  SequenceModelsGrad.lstmLoss(model, batch.features().transpose(), batch.labelValues(), into);
              return new Training.Evaluation<>(loss, into.model());
            },
            LstmExample::predict,
            SCHEDULE,
            context);
    double[] loss = result.history().loss();
    context.out().printf("  loss fell from %.4f in the first epoch to %.4f in the last%n", loss[0], loss[loss.length - 1]);
    Training.report(context, "lstm", "LSTM, random walks", result);
    return result;
  }
}
