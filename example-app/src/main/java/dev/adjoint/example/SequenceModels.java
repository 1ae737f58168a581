package dev.adjoint.example;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Matrix;

/**
 * A recurrent classifier: an LSTM cell run over a sequence with a loop, written with {@link
 * Matrix}; Adjoint generates {@code SequenceModelsGrad}.
 *
 * <p>The batch runs along the columns: the hidden and cell states are {@code hidden x batch}
 * matrices, so that the four gates are row slices of one product.
 */
public final class SequenceModels {
  private SequenceModels() {}

  /**
   * An LSTM cell with a linear read-out of its last hidden state.
   *
   * @param inputWeights {@code 4·hidden x inputs}: the input, forget, output and candidate gates'
   *     weights on the input, stacked
   * @param recurrentWeights {@code 4·hidden x hidden}: their weights on the previous hidden state
   * @param bias {@code 4·hidden x 1}
   * @param readout {@code 1 x hidden}
   * @param readoutBias the read-out's bias
   */
  public record Lstm(Matrix inputWeights, Matrix recurrentWeights, Matrix bias, Matrix readout, double readoutBias) {
    /**
     * Glorot-uniform weights, zero biases except the forget gate's, which starts at 1 so that the
     * cell remembers from the start (Jozefowicz et al., 2015).
     */
    static Lstm initial(int inputs, int hidden, long seed) {
      double[][] bias = new double[4 * hidden][1];
      for (int i = hidden; i < 2 * hidden; i++) {
        bias[i][0] = 1;
      }
      return new Lstm(
          Matrix.glorotUniform(4 * hidden, inputs, seed),
          Matrix.glorotUniform(4 * hidden, hidden, seed + 1),
          Matrix.of(bias),
          Matrix.glorotUniform(1, hidden, seed + 2),
          0);
    }
  }

  /**
   * The logit of class 1 for each sequence: the cell ({@link Lstm}'s components) runs over {@code
   * sequences} (one time step per row, one sequence per column: {@code steps x batch}, a single
   * input feature) and the read-out maps its last hidden state to one number per sequence.
   *
   * <p>This takes the cell's matrices one by one because the processor cannot yet pass a record to
   * a differentiable call (ADJ218 asks for its components instead).
   */
  @Differentiable(wrt = {"inputWeights", "recurrentWeights", "bias", "readout", "readoutBias"}, also = TANGENT)
  public static double[] lstmLogits(
      Matrix inputWeights,
      Matrix recurrentWeights,
      Matrix bias,
      Matrix readout,
      double readoutBias,
      Matrix sequences) {
    int hidden = recurrentWeights.cols();
    int batch = sequences.cols();
    // bias · ones adds the bias column to every sequence's column.
    Matrix ones = Matrix.filled(1, batch, 1.0);
    Matrix h = Matrix.zeros(hidden, batch);
    Matrix c = Matrix.zeros(hidden, batch);
    for (int t = 0; t < sequences.rows(); t++) {
      Matrix input = sequences.sliceRows(t, t + 1);
      Matrix gates = inputWeights.times(input).plus(recurrentWeights.times(h)).plus(bias.times(ones));
      Matrix inputGate = gates.sliceRows(0, hidden).sigmoid();
      Matrix forgetGate = gates.sliceRows(hidden, 2 * hidden).sigmoid();
      Matrix outputGate = gates.sliceRows(2 * hidden, 3 * hidden).sigmoid();
      Matrix candidate = gates.sliceRows(3 * hidden, 4 * hidden).tanh();
      c = forgetGate.multiply(c).plus(inputGate.multiply(candidate));
      h = outputGate.multiply(c.tanh());
    }
    Matrix logits = readout.times(h).plusScalar(readoutBias);
    double[] result = new double[batch];
    for (int i = 0; i < batch; i++) {
      result[i] = logits.get(0, i);
    }
    return result;
  }

  /** {@link #lstmLogits} of a model. */
  public static double[] lstmLogits(Lstm model, Matrix sequences) {
    return lstmLogits(
        model.inputWeights(), model.recurrentWeights(), model.bias(), model.readout(), model.readoutBias(), sequences);
  }

  /** Mean binary cross-entropy of {@link #lstmLogits} against {@code targets} (0 or 1 each). */
  @Differentiable(wrt = "model", also = TANGENT)
  public static double lstmLoss(Lstm model, Matrix sequences, double[] targets) {
    double[] logits =
        lstmLogits(
            model.inputWeights(), model.recurrentWeights(), model.bias(), model.readout(), model.readoutBias(),
            sequences);
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double z = logits[i];
      // -t·log σ(z) - (1 - t)·log(1 - σ(z)), arranged so that nothing overflows.
      sum += Math.max(z, 0) - z * targets[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return sum / logits.length;
  }
}
