package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.Matrix;

/** Matrix code: the rules of Matrix operations. */
class MatrixModel {
  @Differentiable(wrt = {"w", "b"})
  static double loss(Matrix w, Matrix b, Matrix x, int[] labels) {
    Matrix logits = x.times(w).addRowVector(b);
    return Matrix.softmaxCrossEntropy(logits, labels);
  }
}
