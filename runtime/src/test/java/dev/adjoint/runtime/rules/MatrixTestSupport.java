package dev.adjoint.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Matrix;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shapes, random matrices and reflection on {@link Matrix}'s operations, for the rule tests. */
final class MatrixTestSupport {
  private MatrixTestSupport() {}

  /** The shape of an operation's main operand, and a size for its other operand. */
  record Shape(int rows, int cols, int other) {
    @Override
    public String toString() {
      return rows + "x" + cols + ", other " + other;
    }
  }

  /** Row and column vectors, a scalar-like 1x1, and random shapes (fixed seed). */
  static List<Shape> shapes() {
    List<Shape> shapes =
        new ArrayList<>(
            List.of(
                new Shape(1, 1, 1),
                new Shape(1, 5, 3),
                new Shape(5, 1, 2),
                new Shape(3, 4, 1),
                new Shape(4, 3, 5)));
    Random random = new Random(20240601);
    for (int i = 0; i < 2; i++) {
      shapes.add(new Shape(1 + random.nextInt(6), 1 + random.nextInt(6), 1 + random.nextInt(4)));
    }
    return shapes;
  }

  // ---------------------------------------------------------------------------------------------
  // Random matrices

  static Matrix normal(int rows, int cols, Random random) {
    return Matrix.randomNormal(rows, cols, 1, random.nextLong());
  }

  static Matrix uniform(int rows, int cols, double low, double high, Random random) {
    double[][] entries = new double[rows][cols];
    for (double[] row : entries) {
      for (int j = 0; j < cols; j++) {
        row[j] = low + (high - low) * random.nextDouble();
      }
    }
    return Matrix.of(entries);
  }

  /** Entries of either sign with magnitudes in [margin, 2], away from kinks and poles at 0. */
  static Matrix awayFromZero(int rows, int cols, double margin, Random random) {
    Matrix magnitudes = uniform(rows, cols, margin, 2, random);
    double[][] entries = magnitudes.toArray();
    for (double[] row : entries) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextBoolean() ? row[j] : -row[j];
      }
    }
    return Matrix.of(entries);
  }

  // ---------------------------------------------------------------------------------------------
  // Matrix's operations

  /** Whether the method returns a Matrix or a double. */
  static boolean returnsDifferentiable(Method method) {
    return method.getReturnType() == Matrix.class || method.getReturnType() == double.class;
  }

  static boolean takesMatrix(Method method) {
    return functionInputs(method).contains(Matrix.class);
  }

  /** The receiver (for an instance method), then the parameters. */
  static List<Class<?>> functionInputs(Method method) {
    List<Class<?>> inputs = new ArrayList<>();
    if (!Modifier.isStatic(method.getModifiers())) {
      inputs.add(method.getDeclaringClass());
    }
    inputs.addAll(List.of(method.getParameterTypes()));
    return inputs;
  }

  /** The only public method of Matrix with this name. */
  static Method operation(String name) {
    List<Method> found =
        Stream.of(Matrix.class.getMethods()).filter(m -> m.getName().equals(name)).toList();
    assertEquals(1, found.size(), "Matrix has exactly one public method named " + name);
    return found.get(0);
  }
}
