package dev.adjoint.example;

import dev.adjoint.example.LoopModelsGrad.LogisticLossGradient;
import dev.adjoint.runtime.optim.GradientDescent;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Trains a logistic regression, a model with nested loops over a {@code double[][]}, by gradient
 * descent with the generated {@code LoopModelsGrad.logisticLoss(X, w, b, y, into)}.
 */
final class LogisticRegressionExample {
  static final double[][] FEATURES = {{5, 2}, {-1, 0}, {5, 2}};
  static final int[] LABELS = {1, 0, 1};
  static final double LEARNING_RATE = 0.1;
  static final int STEPS = 1000;

  private LogisticRegressionExample() {}

  /** The trained weights and bias. */
  record Model(double[] w, double b) {
    double predict(double[] features) {
      return LoopModels.predict(features, w, b);
    }
  }

  /** Prints the training and the predictions, and returns the trained model. */
  static Model train(PrintStream out) {
    int featureCount = FEATURES[0].length;
    out.printf("logistic regression on %d examples, %d steps of gradient descent, learning rate %s, L2 %s%n",
        FEATURES.length, STEPS, LEARNING_RATE, LoopModels.L2_PENALTY);
    // The optimizer works on one vector: the weights followed by the bias.
    double[] parameters = new double[featureCount + 1];
    double[] w = new double[featureCount];
    LogisticLossGradient into = new LogisticLossGradient();
    ValueAndGradient loss =
        (p, gradient) -> {
          System.arraycopy(p, 0, w, 0, featureCount);
          double value = LoopModelsGrad.logisticLoss(FEATURES, w, p[featureCount], LABELS, into);
          System.arraycopy(into.w(), 0, gradient, 0, featureCount);
          gradient[featureCount] = into.b();
          return value;
        };
    Descent descent = new Descent(new GradientDescent(LEARNING_RATE), STEPS, 0, 100);
    descent.minimise(loss, parameters, new String[] {"w[0]", "w[1]", "b"}, out);
    Model model = new Model(Arrays.copyOf(parameters, featureCount), parameters[featureCount]);
    out.printf("  %-12s  %5s  %10s%n", "features", "label", "prediction");
    for (int i = 0; i < FEATURES.length; i++) {
      String features =
          String.join(", ", Arrays.stream(FEATURES[i]).mapToObj(v -> String.format("%4.1f", v)).toList());
      out.printf("  %-12s  %5d  %10.6f%n", features, LABELS[i], model.predict(FEATURES[i]));
    }
    return model;
  }
}
