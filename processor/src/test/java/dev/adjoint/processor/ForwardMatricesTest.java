package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.DualMatrix;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.optim.Records;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forward mode through {@code Matrix} operations (the runtime's tangent-form rules), records of
 * parameters, a user's own tangent rule, loops and branches: each tangent against the reverse-mode
 * gradient dotted with the direction.
 */
class ForwardMatricesTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class Net {
        record Layer(Matrix w, Matrix b, double scale) {}

        /** Softsign, element-wise, with rules of the user's own in both forms. */
        static Matrix softsign(Matrix m) {
          double[][] v = m.toArray();
          for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
              row[j] = row[j] / (1 + Math.abs(row[j]));
            }
          }
          return Matrix.of(v);
        }

        static Matrix softsignSlope(Matrix m) {
          double[][] v = m.toArray();
          for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
              double d = 1 + Math.abs(row[j]);
              row[j] = 1 / (d * d);
            }
          }
          return Matrix.of(v);
        }

        @DerivativeRule(method = "softsign")
        static Matrix softsignPullback(Matrix m, Matrix seed) {
          return seed.multiply(softsignSlope(m));
        }

        @DerivativeRule(method = "softsign", tangent = true)
        static Matrix softsignTangent(Matrix m, Matrix dm) {
          return dm.multiply(softsignSlope(m));
        }

        @Differentiable(wrt = {"w", "x"}, also = TANGENT)
        static double layers(Matrix w, Matrix x, int depth) {
          Matrix h = Matrix.zeros(x.rows(), w.cols());
          Matrix a = x;
          for (int k = 0; k < depth; k++) {
            a = a.times(w).tanh();
            if (a.sum() > 0) {
              h = h.plus(a.scale(0.5));
            } else {
              h = h.minus(softsign(a));
            }
          }
          return h.squaredNorm() + a.transposedTimes(x).trace();
        }

        /** Matrix-valued: its Jacobian has a row per element, row by row. */
        @Differentiable(also = TANGENT)
        static Matrix hidden(Matrix w, Matrix x) {
          Matrix h = x.times(w).tanh();
          if (h.sum() > 0) {
            return h.scale(2);
          }
          return h;
        }

        /** Two numbers in, a 3x4 matrix out: a tall Jacobian, column by column. */
        @Differentiable(also = TANGENT)
        static Matrix grid(double a, double b) {
          Matrix m = Matrix.filled(3, 4, 1.0).scale(a);
          return m.multiply(m).plusScalar(Math.sin(b)).scale(b);
        }

        @Differentiable(also = TANGENT)
        static double energy(Matrix w, Matrix x) {
          return hidden(w, x).squaredNorm() + grid(w.get(0, 0), x.get(1, 1)).sum();
        }

        @Differentiable(wrt = "layer", also = TANGENT)
        static double fit(Layer layer, Matrix x, double[] y) {
          Matrix out = softsign(x.times(layer.w()).addRowVector(layer.b())).scale(layer.scale());
          double loss = 0;
          for (int i = 0; i < y.length; i++) {
            double r = out.get(i, 0) - y[i];
            loss += r * r;
          }
          return loss / y.length;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Net", SOURCE);
  private final SplittableRandom random = new SplittableRandom(41);

  private Matrix randomMatrix(int rows, int cols) {
    double[][] values = new double[rows][];
    for (int i = 0; i < rows; i++) {
      values[i] = random.doubles(cols, -1, 1).toArray();
    }
    return Matrix.of(values);
  }

  private static double[] flat(Matrix... matrices) {
    return Arrays.stream(matrices).flatMap(m -> Arrays.stream(m.toArray())).flatMapToDouble(Arrays::stream).toArray();
  }

  @Test
  void matricesThroughLoopsAndBranches() {
    for (int depth = 0; depth <= 4; depth++) {
      Matrix w = randomMatrix(3, 3);
      Matrix x = randomMatrix(4, 3);
      Matrix dw = randomMatrix(3, 3);
      Matrix dx = randomMatrix(4, 3);
      Object gradient = compiled.call("p.NetGrad", "layers", w, x, depth);
      double[] analytic = flat((Matrix) Compiled.partial(gradient, "w"), (Matrix) Compiled.partial(gradient, "x"));
      int layers = depth;
      GradientAssertions.assertGradient(
          p -> (double) compiled.call("p.Net", "layers", unflatten(p, 0, 3, 3), unflatten(p, 9, 4, 3), layers),
          flat(w, x), analytic);
      Dual dual = (Dual) compiled.call("p.NetGrad", "layersTangent", w, x, depth, dw, dx);
      GradientAssertions.assertTangent(analytic, flat(dw, dx), dual.derivative());
    }
  }

  @Test
  void matrixValuedMethodsHaveJacobiansAndTangents() {
    Matrix w = randomMatrix(3, 3);
    Matrix x = randomMatrix(4, 3);
    double[] point = flat(w, x);
    double[][] jacobian = (double[][]) compiled.call("p.NetGrad", "hiddenJacobian", w, x);
    GradientAssertions.assertJacobian(
        p -> flat((Matrix) compiled.call("p.Net", "hidden", unflatten(p, 0, 3, 3), unflatten(p, 9, 4, 3))),
        point, jacobian);
    Matrix dw = randomMatrix(3, 3);
    Matrix dx = randomMatrix(4, 3);
    DualMatrix dual = (DualMatrix) compiled.call("p.NetGrad", "hiddenTangent", w, x, dw, dx);
    double[] derivative = flat(dual.derivative());
    for (int i = 0; i < jacobian.length; i++) {
      GradientAssertions.assertTangent(jacobian[i], flat(dw, dx), derivative[i]);
    }
  }

  @Test
  void aTallMatrixJacobianComesColumnByColumn() {
    double[][] jacobian = (double[][]) compiled.call("p.NetGrad", "gridJacobian", 0.3, -1.2);
    GradientAssertions.assertJacobian(p -> flat((Matrix) compiled.call("p.Net", "grid", p[0], p[1])),
        new double[] {0.3, -1.2}, jacobian);
    assertTrue(compiled.generatedSources().contains("gridTangent(a, b, vA, vB)"), "forward columns");
  }

  @Test
  void callsOfMatrixValuedMethods() {
    Matrix w = randomMatrix(3, 3);
    Matrix x = randomMatrix(4, 3);
    Object gradient = compiled.call("p.NetGrad", "energy", w, x);
    double[] analytic = flat((Matrix) Compiled.partial(gradient, "w"), (Matrix) Compiled.partial(gradient, "x"));
    GradientAssertions.assertGradient(
        p -> (double) compiled.call("p.Net", "energy", unflatten(p, 0, 3, 3), unflatten(p, 9, 4, 3)),
        flat(w, x), analytic);
    Matrix dw = randomMatrix(3, 3);
    Matrix dx = randomMatrix(4, 3);
    Dual dual = (Dual) compiled.call("p.NetGrad", "energyTangent", w, x, dw, dx);
    GradientAssertions.assertTangent(analytic, flat(dw, dx), dual.derivative());
  }

  private static Matrix unflatten(double[] flat, int offset, int rows, int cols) {
    double[][] values = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, offset + i * cols, values[i], 0, cols);
    }
    return Matrix.of(values);
  }

  @Test
  void recordTangentIsARecordOfTheSameType() {
    Matrix x = randomMatrix(5, 2);
    double[] y = random.doubles(5, -1, 1).toArray();
    Record layer = (Record) compiled.construct("p.Net$Layer", randomMatrix(2, 1), randomMatrix(1, 1), 1.5);
    Record direction = Records.fromArray(layer, random.doubles(Records.toArray(layer).length, -1, 1).toArray());
    Record gradient = (Record) Compiled.partial(compiled.call("p.NetGrad", "fit", layer, x, y), "layer");
    GradientAssertions.assertGradient(
        p -> (double) compiled.call("p.Net", "fit", Records.fromArray(layer, p), x, y),
        Records.toArray(layer), Records.toArray(gradient));
    Dual dual = (Dual) compiled.call("p.NetGrad", "fitTangent", layer, x, y, direction);
    GradientAssertions.assertTangent(Records.toArray(gradient), Records.toArray(direction), dual.derivative());
  }
}
