package dev.adjoint.example;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Matrix;

/**
 * Classifiers written with {@link Matrix} and records of parameters; Adjoint generates {@code
 * MatrixModelsGrad}, whose gradient accessors return records of the same types, ready for {@code
 * optimizer.step(model, gradient.model())}.
 *
 * <p>The processor cannot yet call a {@code Matrix}-returning method from a differentiable one, so
 * each loss spells out its model's forward pass, and the {@code ...Logits} method beside it (used
 * for predictions) repeats it; tests check that the two agree.
 */
public final class MatrixModels {
  private MatrixModels() {}

  /** Logistic regression: the probability of class 1 is {@code σ(x·weights + bias)}. */
  public record LogisticRegression(Matrix weights, double bias) {
    /** All zeros, for {@code features} inputs. */
    static LogisticRegression zeros(int features) {
      return new LogisticRegression(Matrix.zeros(features, 1), 0);
    }
  }

  /** Softmax regression: class probabilities {@code softmax(x·weights + bias)}. */
  public record SoftmaxRegression(Matrix weights, Matrix bias) {
    static SoftmaxRegression zeros(int features, int classes) {
      return new SoftmaxRegression(Matrix.zeros(features, classes), Matrix.zeros(1, classes));
    }
  }

  /** A multi-layer perceptron with one tanh hidden layer. */
  public record Mlp(Matrix w1, Matrix b1, Matrix w2, Matrix b2) {
    /** Glorot-uniform weights and zero biases. */
    static Mlp initial(int inputs, int hidden, int classes, long seed) {
      return new Mlp(
          Matrix.glorotUniform(inputs, hidden, seed),
          Matrix.zeros(1, hidden),
          Matrix.glorotUniform(hidden, classes, seed + 1),
          Matrix.zeros(1, classes));
    }
  }

  /**
   * Mean binary cross-entropy of a logistic regression on {@code features} (one example per row)
   * against {@code labels} (a column of 0s and 1s), plus {@code l2 / 2 · |weights|²}.
   */
  @Differentiable(wrt = "model", also = TANGENT)
  public static double logisticLoss(LogisticRegression model, Matrix features, Matrix labels, double l2) {
    Matrix logits = features.times(model.weights()).plusScalar(model.bias());
    return Matrix.binaryCrossEntropyWithLogits(logits, labels) + 0.5 * l2 * model.weights().squaredNorm();
  }

  /** The logits of {@link #logisticLoss}, one row per example. */
  public static Matrix logisticLogits(LogisticRegression model, Matrix features) {
    return features.times(model.weights()).plusScalar(model.bias());
  }

  /** Mean cross-entropy of a softmax regression against class labels, plus {@code l2 / 2 · |weights|²}. */
  @Differentiable(wrt = "model", also = TANGENT)
  public static double softmaxLoss(SoftmaxRegression model, Matrix features, int[] labels, double l2) {
    Matrix logits = features.times(model.weights()).addRowVector(model.bias());
    return Matrix.softmaxCrossEntropy(logits, labels) + 0.5 * l2 * model.weights().squaredNorm();
  }

  /** The logits of {@link #softmaxLoss}, one row of class scores per example. */
  public static Matrix softmaxLogits(SoftmaxRegression model, Matrix features) {
    return features.times(model.weights()).addRowVector(model.bias());
  }

  /** Mean cross-entropy of the perceptron against class labels, plus {@code l2 / 2} times both weights' squared norms. */
  @Differentiable(wrt = "model", also = TANGENT)
  public static double mlpLoss(Mlp model, Matrix features, int[] labels, double l2) {
    Matrix hidden = features.times(model.w1()).addRowVector(model.b1()).tanh();
    Matrix logits = hidden.times(model.w2()).addRowVector(model.b2());
    double penalty = model.w1().squaredNorm() + model.w2().squaredNorm();
    return Matrix.softmaxCrossEntropy(logits, labels) + 0.5 * l2 * penalty;
  }

  /** The logits of {@link #mlpLoss}. */
  public static Matrix mlpLogits(Mlp model, Matrix features) {
    Matrix hidden = features.times(model.w1()).addRowVector(model.b1()).tanh();
    return hidden.times(model.w2()).addRowVector(model.b2());
  }
}
