package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Matrix;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Optimizers on a double, a Matrix and records, next to the double[] of {@link OptimizerTest}. */
class StructuredParametersTest {
  record Layer(Matrix weights, Matrix bias) {}

  /** Every supported kind of component, nested, with data that must be carried over. */
  record Model(Layer hidden, Layer output, double scale, double[] offsets, double[][] table, int depth, String name) {}

  private static final Matrix TARGET_WEIGHTS = Matrix.of(new double[][] {{1, -2, 3}, {0.5, 4, -1}});
  private static final Matrix TARGET_BIAS = Matrix.rowVector(-3, 2, 0.25);
  private static final Model TARGET =
      new Model(
          new Layer(TARGET_WEIGHTS, TARGET_BIAS),
          new Layer(TARGET_WEIGHTS.transpose(), Matrix.rowVector(7, -7)),
          1.5,
          new double[] {2, -1},
          new double[][] {{1}, {2, 3}},
          3,
          "model");

  static Stream<Named<Supplier<Optimizer>>> optimizers() {
    return Stream.of(
        Named.of("gradient descent", () -> new GradientDescent(0.1)),
        Named.of("gradient descent with momentum", () -> new GradientDescent(0.02, 0.9)),
        Named.of("Adam", () -> new Adam(0.05)));
  }

  /** The gradient of Σ (x − t)² over every number of a record: 2(x − t), as a record. */
  private static Model quadraticGradient(Model model) {
    return Records.scale(Records.add(model, Records.scale(TARGET, -1)), 2);
  }

  private static double distance(Model model) {
    return Math.sqrt(Records.squaredNorm(Records.add(model, Records.scale(TARGET, -1))));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aDoubleConverges(Supplier<Optimizer> optimizers) {
    Optimizer optimizer = optimizers.get();
    double x = 0;
    for (int step = 0; step < 2000; step++) {
      x = optimizer.step(x, 2 * (x - 3));
    }
    assertEquals(3, x, 1e-6);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aMatrixConverges(Supplier<Optimizer> optimizers) {
    Optimizer optimizer = optimizers.get();
    Matrix start = Matrix.zeros(2, 3);
    Matrix w = start;
    for (int step = 0; step < 2000; step++) {
      w = optimizer.step(w, w.minus(TARGET_WEIGHTS).scale(2));
    }
    assertEquals(0, w.minus(TARGET_WEIGHTS).squaredNorm(), 1e-12);
    assertEquals(Matrix.zeros(2, 3), start, "the parameters passed in are left unchanged");
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aRecordOfMatricesConvergesOnAQuadratic(Supplier<Optimizer> optimizers) {
    Optimizer optimizer = optimizers.get();
    Model start = Records.zero(TARGET);
    Model model = start;
    for (int step = 0; step < 2000; step++) {
      model = optimizer.step(model, quadraticGradient(model));
    }
    assertTrue(distance(model) < 1e-6, "distance " + distance(model));
    assertEquals(3, model.depth());
    assertSame(TARGET.name(), model.name(), "data components are carried over");
    assertEquals(0, Records.squaredNorm(start), "the parameters passed in are left unchanged");
  }

  @Test
  void aRecordStepTakesTheSameStepAsTheFlatVectorOfItsNumbers() {
    // Pins down the layout: the record's numbers sit where Records.toArray puts them.
    Adam onRecord = new Adam(0.1);
    Adam onVector = new Adam(0.1);
    Model model = Records.scale(TARGET, 0.5);
    double[] vector = Records.toArray(model);
    for (int step = 0; step < 5; step++) {
      Model gradient = quadraticGradient(Records.fromArray(TARGET, vector));
      model = onRecord.step(model, gradient);
      onVector.step(vector, Records.toArray(gradient));
    }
    assertArrayEquals(vector, Records.toArray(model), 0.0);
  }

  @Test
  void aRecordStepReturnsNewArraysAndMatrices() {
    Model before = Records.zero(TARGET);
    Model after = new GradientDescent(0.5).step(before, quadraticGradient(before));
    assertNotSame(before.offsets(), after.offsets());
    assertNotSame(before.table()[1], after.table()[1]);
    assertArrayEquals(new double[] {0, 0}, before.offsets(), 0.0);
    assertArrayEquals(new double[] {2, -1}, after.offsets(), 0.0, "one step of 0.5 · 2(x − t) reaches t");
    assertEquals(TARGET_BIAS, after.hidden().bias());
    assertEquals(1.5, after.scale(), 0.0);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aRecordStepAllocatesOnlyTheNewRecordOnceWarm(Supplier<Optimizer> optimizers) {
    record Weights(Matrix w, Matrix b, double scale) {}
    Optimizer optimizer = optimizers.get();
    Weights gradient = new Weights(Matrix.filled(16, 16, 0.01), Matrix.filled(1, 16, 0.01), 0.01);
    Weights[] params = {new Weights(Matrix.zeros(16, 16), Matrix.zeros(1, 16), 0)};
    int steps = 10_000;
    Runnable optimizerSteps =
        () -> {
          for (int step = 0; step < steps; step++) {
            params[0] = optimizer.step(params[0], gradient);
          }
        };
    // What a step cannot avoid: building the new record with Matrix.of, as by hand.
    double[][] wRows = new double[16][16];
    double[][] bRows = new double[1][16];
    Runnable buildingByHand =
        () -> {
          for (int step = 0; step < steps; step++) {
            params[0] = new Weights(Matrix.of(wRows), Matrix.of(bRows), step);
          }
        };
    // The first runs size the state and warm up the JIT and the method handles.
    optimizerSteps.run();
    buildingByHand.run();
    long perStep = bytesAllocatedBy(optimizerSteps) / steps;
    long newValue = bytesAllocatedBy(buildingByHand) / steps;
    // Copying the gradient (~2.2 kB) or boxing its 272 numbers (~4.3 kB) would show up above the
    // margin; a few hundred bytes vary with what the JIT has inlined by then in a fresh JVM.
    assertTrue(perStep <= newValue + 512, () -> perStep + " bytes per step, building the new value takes " + newValue);
  }

  @Test
  void anotherShapeIsRefusedUntilReset() {
    Adam adam = new Adam(0.1);
    Model model = Records.zero(TARGET);
    adam.step(model, model);
    Model wider =
        new Model(
            new Layer(Matrix.zeros(2, 4), Matrix.zeros(1, 3)), model.output(), 0, model.offsets(),
            model.table(), 3, "model");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> adam.step(wider, wider));
    assertEquals(
        "Model.hidden.weights of the parameters is a 2x4 matrix where a 2x3 matrix was expected"
            + " (an optimizer's state fits the first parameters it steps; call reset() or use"
            + " another optimizer for parameters of another shape)",
        error.getMessage());
    adam.reset();
    adam.step(wider, wider);
  }

  @Test
  void aGradientOfAnotherShapeIsRefused() {
    Optimizer descent = new GradientDescent(0.1);
    Model model = Records.zero(TARGET);
    Model gradient =
        new Model(model.hidden(), model.output(), 0, new double[3], model.table(), 3, "model");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> descent.step(model, gradient));
    assertTrue(
        error.getMessage().startsWith("Model.offsets of the gradient is a double[3] where a double[2] was expected"),
        error::getMessage);
    IllegalArgumentException matrices =
        assertThrows(IllegalArgumentException.class, () -> descent.step(Matrix.zeros(2, 2), Matrix.zeros(2, 3)));
    assertTrue(matrices.getMessage().startsWith("the matrix of the gradient is a 2x3 matrix"), matrices::getMessage);
  }

  @Test
  void aNullComponentIsNamed() {
    Model model = Records.zero(TARGET);
    Model broken = new Model(new Layer(null, TARGET_BIAS), model.output(), 0, model.offsets(), model.table(), 3, "");
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).step(broken, model));
    assertEquals("Model.hidden.weights is null", error.getMessage());
  }

  @Test
  void anotherKindOfParameterIsRefused() {
    Adam adam = new Adam(0.1);
    adam.step(new double[6], new double[6]);
    IllegalArgumentException matrix =
        assertThrows(IllegalArgumentException.class, () -> adam.step(Matrix.zeros(2, 3), Matrix.zeros(2, 3)));
    assertTrue(matrix.getMessage().startsWith("this optimizer's state was made for 6 parameters"), matrix::getMessage);

    GradientDescent descent = new GradientDescent(0.1);
    descent.step(Matrix.zeros(2, 3), Matrix.zeros(2, 3));
    IllegalArgumentException vector =
        assertThrows(IllegalArgumentException.class, () -> descent.step(new double[6], new double[6]));
    assertTrue(vector.getMessage().startsWith("this optimizer's state was made for a 2x3 matrix"), vector::getMessage);
    IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class, () -> descent.step(1.0, 1.0));
    assertTrue(scalar.getMessage().contains("a 2x3 matrix but this step has a double"), scalar::getMessage);
    IllegalArgumentException record =
        assertThrows(IllegalArgumentException.class, () -> descent.step(TARGET.hidden(), TARGET.hidden()));
    assertTrue(record.getMessage().contains("a 2x3 matrix was expected"), record::getMessage);
  }

  @Test
  void momentumCarriesOverFromStepToStepForEveryComponent() {
    // With μ = 0.5 and a constant gradient g the steps are η·g, then η·1.5·g.
    GradientDescent descent = new GradientDescent(0.1, 0.5);
    Layer gradient = new Layer(Matrix.filled(2, 3, 1), Matrix.filled(1, 3, -2));
    Layer layer = descent.step(Records.zero(gradient), gradient);
    layer = descent.step(layer, gradient);
    assertEquals(0, layer.weights().minus(Matrix.filled(2, 3, -0.25)).squaredNorm(), 1e-28);
    assertEquals(0, layer.bias().minus(Matrix.filled(1, 3, 0.5)).squaredNorm(), 1e-28);
  }

  private static long bytesAllocatedBy(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    work.run();
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
