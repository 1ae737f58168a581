package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Matrix parameters, locals and loops over matrices, checked against finite differences. */
class MatricesTest {
  private static final String SOURCE = """
      package p;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class Nets {
        record Mlp(Matrix w1, Matrix b1, Matrix w2, Matrix b2) {}

        @Differentiable(wrt = {"w", "b"})
        static double logistic(Matrix x, Matrix w, double b, Matrix y, double lambda) {
          Matrix logits = x.times(w).plusScalar(b);
          return Matrix.binaryCrossEntropyWithLogits(logits, y) + 0.5 * lambda * w.squaredNorm();
        }

        @Differentiable(wrt = "params")
        static double mlp(Mlp params, Matrix x, int[] labels) {
          Matrix hidden = x.times(params.w1()).addRowVector(params.b1()).tanh();
          Matrix logits = hidden.times(params.w2()).addRowVector(params.b2());
          return Matrix.softmaxCrossEntropy(logits, labels);
        }

        @Differentiable(wrt = {"w", "u", "b"})
        static double rnn(Matrix w, Matrix u, Matrix b, Matrix xs) {
          Matrix h = Matrix.zeros(1, w.rows());
          for (int t = 0; t < xs.rows(); t++) {
            Matrix input = xs.sliceRows(t, t + 1);
            h = h.times(w).plus(input.times(u)).plus(b).tanh();
          }
          return 0.5 * h.squaredNorm();
        }

        @Differentiable
        static double elementwise(Matrix a, double s) {
          Matrix m = a.multiply(a).scale(s).exp().plus(a.sigmoid());
          if (m.sum() > 10) {
            m = m.scale(0.5);
          }
          return m.mean() + a.transpose().get(0, 1) * s;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Nets", SOURCE);
  private final SplittableRandom random = new SplittableRandom(9);

  private Matrix random(int rows, int cols) {
    double[][] values = new double[rows][];
    for (int i = 0; i < rows; i++) {
      values[i] = random.doubles(cols, -0.5, 0.5).toArray();
    }
    return Matrix.of(values);
  }

  @Test
  void logisticRegressionWithMatrices() {
    Matrix x = random(8, 3);
    Matrix y = Matrix.of(new double[][] {{1}, {0}, {1}, {1}, {0}, {0}, {1}, {0}});
    Matrix w = random(3, 1);
    double b = 0.1;
    Object g = compiled.call("p.NetsGrad", "logistic", x, w, b, y, 0.01);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Nets", "logistic", x, Matrix.of(in.matrix("w")), in.scalar("b"), y, 0.01),
        Inputs.of().matrix("w", w.toArray()).scalar("b", b),
        Inputs.of().matrix("w", ((Matrix) Compiled.partial(g, "w")).toArray()).scalar("b", Compiled.scalar(g, "b")));
  }

  @Test
  void mlpGradientIsARecordOfMatrices() throws Exception {
    Matrix x = random(5, 4);
    int[] labels = {0, 2, 1, 2, 0};
    Class<?> mlp = compiled.load("p.Nets$Mlp");
    java.lang.reflect.Constructor<?> constructor = mlp.getDeclaredConstructors()[0];
    constructor.setAccessible(true);
    Matrix w1 = random(4, 6);
    Matrix b1 = random(1, 6);
    Matrix w2 = random(6, 3);
    Matrix b2 = random(1, 3);
    Object params = constructor.newInstance(w1, b1, w2, b2);
    Object g = compiled.call("p.NetsGrad", "mlp", params, x, labels);
    Object partial = Compiled.partial(g, "params");
    Inputs gradient = Inputs.of();
    for (String name : new String[] {"w1", "b1", "w2", "b2"}) {
      java.lang.reflect.Method accessor = mlp.getDeclaredMethod(name);
      accessor.setAccessible(true);
      gradient = gradient.matrix(name, ((Matrix) accessor.invoke(partial)).toArray());
    }
    GradientAssertions.assertGradient(
        in -> {
          try {
            Object point = constructor.newInstance(Matrix.of(in.matrix("w1")), Matrix.of(in.matrix("b1")),
                Matrix.of(in.matrix("w2")), Matrix.of(in.matrix("b2")));
            return (double) compiled.call("p.Nets", "mlp", point, x, labels);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        },
        Inputs.of().matrix("w1", w1.toArray()).matrix("b1", b1.toArray())
            .matrix("w2", w2.toArray()).matrix("b2", b2.toArray()),
        gradient);
  }

  @Test
  void recurrentLoopOverMatrices() {
    Matrix w = random(4, 4);
    Matrix u = random(3, 4);
    Matrix b = random(1, 4);
    Matrix xs = random(7, 3);
    Object g = compiled.call("p.NetsGrad", "rnn", w, u, b, xs);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Nets", "rnn", Matrix.of(in.matrix("w")), Matrix.of(in.matrix("u")),
            Matrix.of(in.matrix("b")), xs),
        Inputs.of().matrix("w", w.toArray()).matrix("u", u.toArray()).matrix("b", b.toArray()),
        Inputs.of().matrix("w", ((Matrix) Compiled.partial(g, "w")).toArray())
            .matrix("u", ((Matrix) Compiled.partial(g, "u")).toArray())
            .matrix("b", ((Matrix) Compiled.partial(g, "b")).toArray()));
  }

  @Test
  void elementwiseOperationsAndABranchOnAMatrix() {
    for (int trial = 0; trial < 4; trial++) {
      Matrix a = random(2, 3).scale(trial + 1);
      double s = random.nextDouble(0.1, 1);
      Object g = compiled.call("p.NetsGrad", "elementwise", a, s);
      GradientAssertions.assertGradient(
          in -> (double) compiled.call("p.Nets", "elementwise", Matrix.of(in.matrix("a")), in.scalar("s")),
          Inputs.of().matrix("a", a.toArray()).scalar("s", s),
          Inputs.of().matrix("a", ((Matrix) Compiled.partial(g, "a")).toArray()).scalar("s", Compiled.scalar(g, "s")));
    }
  }

  @Test
  void untouchedMatrixParameterGetsZeros() {
    Matrix x = random(3, 2);
    Object g = compiled.call("p.NetsGrad", "logistic", x, random(2, 1), 0.0, Matrix.zeros(3, 1), 0.0);
    assertEquals(2, ((Matrix) Compiled.partial(g, "w")).rows());
  }
}
