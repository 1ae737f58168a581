package dev.adjoint.example;

import dev.adjoint.runtime.optim.Newton;
import java.util.Arrays;

/**
 * Newton's method on the breast-cancer logistic regression, with the generated Hessian
 * ({@code also = HESSIAN} on {@link LoopModels#logisticLoss}): a handful of steps reach the optimum
 * that gradient descent needs thousands for.
 */
final class NewtonLogisticExample {
  private NewtonLogisticExample() {}

  /** The loss of the training split as a function of the flat parameters (w..., b). */
  static Newton.Objective objective(double[][] x, int[] y) {
    return new Newton.Objective() {
      @Override
      public double value(double[] parameters) {
        return LoopModels.logisticLoss(x, weights(parameters), bias(parameters), y);
      }

      @Override
      public double[] gradient(double[] parameters) {
        var gradient = LoopModelsGrad.logisticLoss(x, weights(parameters), bias(parameters), y);
        double[] flat = Arrays.copyOf(gradient.w(), parameters.length);
        flat[parameters.length - 1] = gradient.b();
        return flat;
      }

      @Override
      public double[][] hessian(double[] parameters) {
        return LoopModelsGrad.logisticLossHessian(x, weights(parameters), bias(parameters), y);
      }
    };
  }

  static double[] weights(double[] parameters) {
    return Arrays.copyOf(parameters, parameters.length - 1);
  }

  static double bias(double[] parameters) {
    return parameters[parameters.length - 1];
  }

  static Newton.Result fit(DataSet.Split data) {
    double[][] x = data.train().features().toArray();
    return Newton.withDefaults().minimize(objective(x, data.train().labels()), new double[x[0].length + 1]);
  }

  static void run(ExampleContext context) {
    DataSet.Split data = ClassifierExamples.breastCancer();
    Newton.Result result = fit(data);
    double[][] test = data.test().features().toArray();
    int correct = 0;
    for (int i = 0; i < test.length; i++) {
      double p = LoopModels.predict(test[i], weights(result.point()), bias(result.point()));
      correct += (p >= 0.5 ? 1 : 0) == data.test().labels()[i] ? 1 : 0;
    }
    System.out.printf("Newton with the generated Hessian: loss %.6f, |gradient| %.1e after %d steps; test accuracy %.4f%n",
        result.value(), result.gradientNorm(), result.iterations(), (double) correct / test.length);
  }
}
