package dev.adjoint.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.runtime.Dual;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls of methods whose purity is unknown ("opaque": no rule, not {@code @Differentiable}) run
 * exactly as often as in the original method, and the derivative code uses the values they
 * returned then; arrays handed to them, and {@code static final} arrays, may change under them.
 * Every mode is checked against closed forms and against finite differences of the primal run
 * from the same state.
 */
class OpaqueCallsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Opaque {
        static int counter = 0;
        static final double[] TABLE = {1, 2, 3};
        static long seed = 42;

        static void reset() {
          counter = 0;
          TABLE[0] = 1;
          TABLE[1] = 2;
          TABLE[2] = 3;
          seed = 42;
        }

        static double next() {
          counter++;
          return counter;
        }

        static double fill(double[] buf, int i) {
          counter++;
          for (int j = 0; j < buf.length; j++) {
            buf[j] = i + 1;
          }
          return 0;
        }

        static double bumpTable() {
          counter++;
          for (int j = 0; j < TABLE.length; j++) {
            TABLE[j] += 10;
          }
          return 0;
        }

        /** A linear congruential generator in a static field: a user's Math.random(). */
        static double uniform() {
          counter++;
          seed = (seed * 6364136223846793005L + 1442695040888963407L);
          return ((seed >>> 11) & ((1L << 53) - 1)) / (double) (1L << 53);
        }

        @Differentiable(also = HESSIAN)
        static double counted(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            double k = next();
            s += x[i] * x[i] * k;
          }
          return s;
        }

        @Differentiable(also = {HESSIAN, TAYLOR})
        static double filled(double x) {
          double[] buf = new double[1];
          double a = fill(buf, 0);
          double y = x * buf[0];
          double b = fill(buf, 4);
          return y * x * buf[0];
        }

        @Differentiable(also = HESSIAN)
        static double filledInLoop(double[] x) {
          double[] buf = new double[1];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            double a = fill(buf, i);
            s += x[i] * x[i] * buf[0];
          }
          return s;
        }

        @Differentiable(also = HESSIAN)
        static double inline(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i] * next();
          }
          return s;
        }

        @Differentiable(also = HESSIAN)
        static double random(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i] * uniform();
          }
          return s;
        }

        @Differentiable(also = HESSIAN)
        static double table(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i] * TABLE[i];
            double b = bumpTable();
          }
          return s;
        }

        @Differentiable(also = TANGENT)
        static double mathRandom(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * Math.random();
          }
          return s;
        }

        @Differentiable(also = HESSIAN)
        static double conditional(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i] * (i % 2 == 0 ? next() : 1);
          }
          return s;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Opaque", SOURCE);

  @BeforeEach
  void reset() {
    compiled.call("p.Opaque", "reset");
  }

  private int counter() {
    try {
      java.lang.reflect.Field counter = compiled.load("p.Opaque").getDeclaredField("counter");
      counter.setAccessible(true);
      return counter.getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The primal from the reset state, as finite differences see it. */
  private ToDoubleFunction<double[]> primal(String method) {
    return x -> {
      reset();
      return (double) compiled.call("p.Opaque", method, (Object) x.clone());
    };
  }

  /**
   * Checks the gradient, the tangent and the Hessian of a method of a {@code double[]} against
   * the closed form {@code f(x) = Σ x_i² w_i} with the given weights, and against finite
   * differences; each derivative method must call the opaque helpers as often as the primal.
   */
  private void assertSumOfWeightedSquares(String method, double[] x, double[] weights) {
    reset();
    double value = (double) compiled.call("p.Opaque", method, (Object) x.clone());
    int callsOfPrimal = counter();
    double expected = 0;
    double[] gradient = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected += x[i] * x[i] * weights[i];
      gradient[i] = 2 * x[i] * weights[i];
    }
    assertEquals(expected, value, 1e-12);

    reset();
    Object g = compiled.call("p.OpaqueGrad", method, (Object) x.clone());
    assertEquals(callsOfPrimal, counter(), "calls of the opaque helpers in the gradient");
    assertEquals(expected, Compiled.scalar(g, "value"), 1e-12);
    assertArrayEquals(gradient, (double[]) Compiled.partial(g, "x"), 1e-12);
    GradientAssertions.assertGradient(primal(method), x, (double[]) Compiled.partial(g, "x"));

    double[] direction = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      direction[i] = 0.5 - i;
    }
    reset();
    Dual tangent = (Dual) compiled.call("p.OpaqueGrad", method + "Tangent", x.clone(), direction);
    assertEquals(callsOfPrimal, counter(), "calls of the opaque helpers in the tangent");
    assertEquals(expected, tangent.value(), 1e-12);
    double directional = 0;
    for (int i = 0; i < x.length; i++) {
      directional += gradient[i] * direction[i];
    }
    assertEquals(directional, tangent.derivative(), 1e-12);

    // Each Hessian-vector product is one run of the method, from the state it starts in.
    for (int i = 0; i < x.length; i++) {
      double[] unit = new double[x.length];
      unit[i] = 1;
      reset();
      double[] column = (double[]) compiled.call("p.OpaqueGrad", method + "HessianVector", x.clone(), unit);
      assertEquals(callsOfPrimal, counter(), "calls of the opaque helpers in H·v");
      double[] expectedColumn = new double[x.length];
      expectedColumn[i] = 2 * weights[i];
      assertArrayEquals(expectedColumn, column, 1e-12, "Hessian column " + i);
    }
  }

  @Test
  void aCounterRunsOncePerIterationAndItsValuesAreTheOnesUsed() {
    assertSumOfWeightedSquares("counted", new double[] {1, 1, 1}, new double[] {1, 2, 3});
  }

  @Test
  void anOpaqueCallInsideAnExpressionRunsOnce() {
    assertSumOfWeightedSquares("inline", new double[] {1.5, -2, 0.5}, new double[] {1, 2, 3});
  }

  @Test
  void anOpaqueCallInOneBranchOfAConditionalRunsOnlyWhenTaken() {
    assertSumOfWeightedSquares("conditional", new double[] {1.5, -2, 0.5, 3}, new double[] {1, 1, 2, 1});
  }

  @Test
  void anArrayWrittenByAnOpaqueCallInALoopIsReadAsItWasThen() {
    assertSumOfWeightedSquares("filledInLoop", new double[] {1, 1, 1}, new double[] {1, 2, 3});
  }

  @Test
  void aStaticFinalArrayWrittenByAnOpaqueCallIsReadAsItWasThen() {
    assertSumOfWeightedSquares("table", new double[] {0.5, 2, -1}, new double[] {1, 12, 23});
  }

  @Test
  void aSeededRandomHelperGivesTheGradientOfTheSameDraws() {
    double[] x = {0.7, -1.2, 2.0, 0.1};
    double[] draws = new double[x.length];
    reset();
    for (int i = 0; i < x.length; i++) {
      draws[i] = (double) compiled.call("p.Opaque", "uniform");
    }
    assertSumOfWeightedSquares("random", x, draws);
  }

  @Test
  void mathRandomIsDrawnOncePerIterationAndTheGradientHoldsThoseDraws() {
    // f(x) = Σ x_i r_i with fresh draws r_i: the gradient is the draws, so value = x · gradient,
    // and each draw is in [0, 1) — which fails if the reverse sweep draws again.
    double[] x = {0.3, -1.1, 2.5, 0.9, -0.4};
    for (int trial = 0; trial < 20; trial++) {
      Object g = compiled.call("p.OpaqueGrad", "mathRandom", (Object) x.clone());
      double[] gradient = (double[]) Compiled.partial(g, "x");
      double dot = 0;
      for (int i = 0; i < x.length; i++) {
        dot += x[i] * gradient[i];
        assertTrue(gradient[i] >= 0 && gradient[i] < 1, "draw " + gradient[i]);
      }
      assertEquals(dot, Compiled.scalar(g, "value"), 1e-12);
      Dual tangent = (Dual) compiled.call("p.OpaqueGrad", "mathRandomTangent", x.clone(), x.clone());
      double valueFromDraws = tangent.derivative(); // with direction x, the tangent is Σ x_i r_i too
      assertEquals(tangent.value(), valueFromDraws, 1e-12);
    }
  }

  @Test
  void anArrayRefilledBetweenTwoReadsGivesEachReadItsOwnValue() {
    // f(x) = (x * 1) * x * 5 = 5x²: value 5 at x = 1, derivative 10, second derivative 10.
    double x = 1;
    reset();
    assertEquals(5.0, (double) compiled.call("p.Opaque", "filled", x), 1e-12);
    int callsOfPrimal = counter();
    reset();
    Object g = compiled.call("p.OpaqueGrad", "filled", x);
    assertEquals(callsOfPrimal, counter());
    assertEquals(5.0, Compiled.scalar(g, "value"), 1e-12);
    assertEquals(10.0, Compiled.scalar(g, "x"), 1e-12);
    GradientAssertions.assertGradient(p -> callFilled(p[0]), new double[] {x}, new double[] {Compiled.scalar(g, "x")});

    reset();
    Dual tangent = (Dual) compiled.call("p.OpaqueGrad", "filledTangent", x, 1.0);
    assertEquals(callsOfPrimal, counter());
    assertEquals(10.0, tangent.derivative(), 1e-12);

    reset();
    double[][] hessian = (double[][]) compiled.call("p.OpaqueGrad", "filledHessian", x);
    assertEquals(callsOfPrimal, counter());
    assertEquals(10.0, hessian[0][0], 1e-12);

    reset();
    double[] derivatives = (double[]) compiled.call("p.OpaqueGrad", "filledDerivatives", 2.0, 3);
    assertEquals(callsOfPrimal, counter());
    assertArrayEquals(new double[] {20, 20, 10, 0}, derivatives, 1e-12);
  }

  @Test
  void aCalleeCompiledEarlierThatIsNotRecomputableIsRejectedAtTheCall(@TempDir Path classes) throws IOException {
    String library = """
        package q;

        import dev.adjoint.Differentiable;

        public class Library {
          static int calls;

          static double next() {
            calls++;
            return calls;
          }

          @Differentiable
          public static double counted(double x) {
            return x * next();
          }
        }
        """;
    Compilation first = javac().withProcessors(new AdjointProcessor())
        .compile(JavaFileObjects.forSourceString("q.Library", library));
    assertEquals(Compilation.Status.SUCCESS, first.status(), first.diagnostics()::toString);
    for (JavaFileObject file : first.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        Path target = classes.resolve(file.getName().replaceFirst("^/CLASS_OUTPUT/", ""));
        Files.createDirectories(target.getParent());
        try (InputStream in = file.openInputStream()) {
          Files.copy(in, target);
        }
      }
    }
    String caller = """
        package p;

        import dev.adjoint.Differentiable;
        import q.Library;

        class Caller {
          @Differentiable
          static double f(double x) {
            return Library.counted(x) * x;
          }
        }
        """;
    List<File> classpath = new ArrayList<>(List.of(classes.toFile()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    Compilation second = javac().withProcessors(new AdjointProcessor()).withClasspath(classpath)
        .compile(JavaFileObjects.forSourceString("p.Caller", caller));
    assertEquals(1, second.errors().size(), second.diagnostics()::toString);
    Diagnostic<? extends JavaFileObject> error = second.errors().get(0);
    assertTrue(error.getMessage(null).startsWith("[ADJ223] Library.counted makes calls of unknown purity"),
        error.getMessage(null));
    assertEquals(9, error.getLineNumber());
  }

  private double callFilled(double x) {
    reset();
    return (double) compiled.call("p.Opaque", "filled", x);
  }
}
