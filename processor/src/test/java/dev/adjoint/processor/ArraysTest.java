package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Arrays that are re-assigned, vector-valued functions and their Jacobians, and allocation. */
class ArraysTest {
  private static final String SOURCE = """
      package p;

      import dev.adjoint.Differentiable;

      class Nets {
        @Differentiable
        static double rnn(double[][] W, double[][] U, double[] b, double[][] xs) {
          double[] h = new double[b.length];
          for (int t = 0; t < xs.length; t++) {
            double[] next = new double[h.length];
            for (int i = 0; i < h.length; i++) {
              double z = b[i];
              for (int j = 0; j < h.length; j++) {
                z += W[i][j] * h[j];
              }
              for (int k = 0; k < xs[t].length; k++) {
                z += U[i][k] * xs[t][k];
              }
              next[i] = Math.tanh(z);
            }
            h = next;
          }
          double loss = 0;
          for (double v : h) {
            loss += 0.5 * v * v;
          }
          return loss;
        }

        @Differentiable
        static double[] layer(double[][] W, double[] b, double[] x) {
          double[] out = new double[b.length];
          for (int i = 0; i < b.length; i++) {
            double z = b[i];
            for (int j = 0; j < x.length; j++) {
              z += W[i][j] * x[j];
            }
            out[i] = Math.tanh(z);
          }
          return out;
        }

        @Differentiable
        static double rnnWithHelper(double[][] W, double[] b, double[][] xs) {
          double[] h = new double[b.length];
          for (double[] x : xs) {
            double[] input = new double[h.length + x.length];
            for (int i = 0; i < h.length; i++) {
              input[i] = h[i];
            }
            for (int i = 0; i < x.length; i++) {
              input[h.length + i] = x[i];
            }
            h = layer(W, b, input);
          }
          double loss = 0;
          for (double v : h) {
            loss += v * v;
          }
          return loss;
        }

        @Differentiable
        static double[] polar(double r, double theta) {
          return new double[] {r * Math.cos(theta), r * Math.sin(theta)};
        }

        @Differentiable
        static double rosenbrock(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
          }
          return sum;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Nets", SOURCE);
  private final SplittableRandom random = new SplittableRandom(11);

  private double[][] matrix(int rows, int cols) {
    double[][] m = new double[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = random.doubles(cols, -0.5, 0.5).toArray();
    }
    return m;
  }

  @Test
  void vanillaRnnOverTwentySteps() {
    int hidden = 4;
    int input = 3;
    double[][] xs = matrix(20, input);
    for (int trial = 0; trial < 5; trial++) {
      double[][] w = matrix(hidden, hidden);
      double[][] u = matrix(hidden, input);
      double[] b = random.doubles(hidden, -0.5, 0.5).toArray();
      Object g = compiled.call("p.NetsGrad", "rnn", w, u, b, xs);
      GradientAssertions.assertGradient(
          in -> (double) compiled.call("p.Nets", "rnn", in.matrix("W"), in.matrix("U"), in.vector("b"), xs),
          Inputs.of().matrix("W", w).matrix("U", u).vector("b", b),
          Inputs.of().matrix("W", (double[][]) Compiled.partial(g, "W"))
              .matrix("U", (double[][]) Compiled.partial(g, "U"))
              .vector("b", (double[]) Compiled.partial(g, "b")));
    }
  }

  @Test
  void rnnThroughAVectorValuedHelper() {
    double[][] xs = matrix(6, 2);
    double[][] w = matrix(3, 5);
    double[] b = random.doubles(3, -0.5, 0.5).toArray();
    Object g = compiled.call("p.NetsGrad", "rnnWithHelper", w, b, xs);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Nets", "rnnWithHelper", in.matrix("W"), in.vector("b"), xs),
        Inputs.of().matrix("W", w).vector("b", b),
        Inputs.of().matrix("W", (double[][]) Compiled.partial(g, "W")).vector("b", (double[]) Compiled.partial(g, "b")));
  }

  @Test
  void jacobianOfAVectorValuedFunction() {
    double r = 1.7;
    double theta = 0.4;
    double[][] jacobian = (double[][]) compiled.call("p.NetsGrad", "polarJacobian", r, theta);
    assertArrayEquals(new double[] {Math.cos(theta), -r * Math.sin(theta)}, jacobian[0], 1e-15);
    assertArrayEquals(new double[] {Math.sin(theta), r * Math.cos(theta)}, jacobian[1], 1e-15);
  }

  @Test
  void vectorJacobianProductAndJacobianOfALayer() {
    double[][] w = matrix(3, 4);
    double[] b = random.doubles(3, -1, 1).toArray();
    double[] x = random.doubles(4, -1, 1).toArray();
    double[][] jacobian = (double[][]) compiled.call("p.NetsGrad", "layerJacobian", w, b, x);
    GradientAssertions.assertJacobian(
        in -> (double[]) compiled.call("p.Nets", "layer", in.matrix("W"), in.vector("b"), in.vector("x")),
        Inputs.of().matrix("W", w).vector("b", b).vector("x", x),
        rowsAsInputs(jacobian, 3, 4));
  }

  private static Inputs[] rowsAsInputs(double[][] jacobian, int rows, int cols) {
    Inputs[] result = new Inputs[jacobian.length];
    for (int output = 0; output < jacobian.length; output++) {
      double[] row = jacobian[output];
      double[][] dw = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(row, i * cols, dw[i], 0, cols);
      }
      double[] db = java.util.Arrays.copyOfRange(row, rows * cols, rows * cols + rows);
      double[] dx = java.util.Arrays.copyOfRange(row, rows * cols + rows, row.length);
      result[output] = Inputs.of().matrix("W", dw).vector("b", db).vector("x", dx);
    }
    return result;
  }

  @Test
  void intoFormAllocatesNothingOnceWarm() throws Throwable {
    double[] x = random.doubles(1000, -2, 2).toArray();
    Class<?> gradientClass = compiled.load("p.NetsGrad$RosenbrockGradient");
    Object into = gradientClass.getConstructor().newInstance();
    MethodHandle intoForm = MethodHandles.publicLookup().findStatic(compiled.load("p.NetsGrad"), "rosenbrock",
        MethodType.methodType(double.class, double[].class, gradientClass));
    double checksum = 0;
    for (int warmUp = 0; warmUp < 20_000; warmUp++) {
      checksum += (double) intoForm.invoke(x, into);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int call = 0; call < 1000; call++) {
      checksum += (double) intoForm.invoke(x, into);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(0, allocated / 1000, "bytes allocated per call; checksum " + checksum);
  }
}
