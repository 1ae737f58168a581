package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Flattening parameters of each kind, and adding partials into a flat sum. */
class ParameterCodecTest {
  record Layer(Matrix w, double[] b) {}

  record Model(Layer first, double scale, double[][] table, int steps) {}

  static Model model() {
    return new Model(new Layer(Matrix.of(new double[][] {{1, 2}, {3, 4}}), new double[] {5, 6}), 7,
        new double[][] {{8}, {9, 10}}, 3);
  }

  @Test
  void aRecordFlattensInComponentOrderAndComesBackAfterSerialization() throws Exception {
    ParameterCodec<Model> codec = ParameterCodec.like(model());
    assertEquals(10, codec.size());
    double[] flat = codec.flatten(model());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, flat, 0);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(codec);
    }
    @SuppressWarnings("unchecked")
    ParameterCodec<Model> shipped = (ParameterCodec<Model>)
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    double[] doubled = flat.clone();
    for (int i = 0; i < doubled.length; i++) {
      doubled[i] *= 2;
    }
    Model rebuilt = shipped.unflatten(doubled);
    assertEquals(Matrix.of(new double[][] {{2, 4}, {6, 8}}), rebuilt.first().w());
    assertArrayEquals(new double[] {10, 12}, rebuilt.first().b(), 0);
    assertEquals(14, rebuilt.scale());
    assertArrayEquals(new double[] {18, 20}, rebuilt.table()[1], 0);
    assertEquals(3, rebuilt.steps());  // data, from the template

    double[] sum = new double[10];
    assertTrue(shipped.addScaled(model(), 0.5, sum));
    assertTrue(shipped.addScaled(model(), 0.5, sum));
    assertArrayEquals(flat, sum, 0);
  }

  @Test
  void addingPartialsAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Matrix m = Matrix.filled(8, 16, 0.5);
    double[] v = new double[128];
    double[][] rows = {new double[3], new double[5]};
    ParameterCodec<Matrix> matrixCodec = ParameterCodec.like(m);
    ParameterCodec<double[]> vectorCodec = ParameterCodec.like(v);
    ParameterCodec<double[][]> rowsCodec = ParameterCodec.like(rows);
    double[] sum = new double[128];
    double[] rowSum = new double[8];
    for (int warm = 0; warm < 20_000; warm++) {
      matrixCodec.addScaled(m, 1, sum);
      vectorCodec.addScaled(v, 1, sum);
      rowsCodec.addScaled(rows, 1, rowSum);
    }
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < 10_000; i++) {
      matrixCodec.addScaled(m, 1, sum);
      vectorCodec.addScaled(v, 1, sum);
      rowsCodec.addScaled(rows, 1, rowSum);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 30,000 calls");
    assertEquals(30_000 * 0.5, sum[0], 0);
  }

  @Test
  void shapesAreCheckedAndNonFinitePartialsFlagged() {
    ParameterCodec<Matrix> codec = ParameterCodec.matrix(2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> codec.flatten(Matrix.zeros(3, 2)));
    assertEquals("expected a 2x3 matrix, got 3x2", e.getMessage());
    ParameterCodec<Double> scalar = ParameterCodec.like(2.5);
    assertArrayEquals(new double[] {2.5}, scalar.flatten(2.5), 0);
    assertEquals(-1.0, scalar.unflatten(new double[] {-1}));
    ParameterCodec<double[]> vector = ParameterCodec.vector(2);
    assertFalse(vector.addScaled(new double[] {1, Double.NaN}, 1, new double[2]));
    e = assertThrows(IllegalArgumentException.class, () -> vector.unflatten(new double[3]));
    assertEquals("the flat parameters have length 3 but the parameters hold 2 numbers", e.getMessage());
  }
}
