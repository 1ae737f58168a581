package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.GradientAssertions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FoundationTest {
  private static final String MODELS = """
      package p;

      import dev.adjoint.Differentiable;

      class Models {
        @Differentiable
        static double neuron(double a, double b, double c, double x, double y) {
          return 1 / (1 + Math.exp(-(a * x + b * y + c)));
        }

        @Differentiable
        static double quadratic(double x, double y) {
          return 2 * x * x + 3 * y + 1;
        }

        @Differentiable
        static double rosenbrock(double x, double y) {
          return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }

        @Differentiable
        static double reassigned(double x, double y) {
          double t = x * y;
          t = Math.sin(t) * t;
          t += x;
          return t;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Models", MODELS);

  @Test
  void neuronMatchesAnalyticValues() {
    Object g = compiled.call("p.ModelsGrad", "neuron", 1.0, 2.0, -3.0, -1.0, 3.0);
    assertEquals(0.8807970779778823, Compiled.scalar(g, "value"), 1e-15);
    assertEquals(-0.10499358540350662, Compiled.scalar(g, "a"), 1e-15);
    assertEquals(0.31498075621051985, Compiled.scalar(g, "b"), 1e-15);
    assertEquals(0.10499358540350662, Compiled.scalar(g, "c"), 1e-15);
    assertEquals(0.10499358540350662, Compiled.scalar(g, "x"), 1e-15);
    assertEquals(0.20998717080701323, Compiled.scalar(g, "y"), 1e-15);
  }

  @Test
  void quadraticHasTheTextbookPartials() {
    for (double y : new double[] {-3, 0, 7.5}) {
      Object g = compiled.call("p.ModelsGrad", "quadratic", 2.0, y);
      assertEquals(8.0, Compiled.scalar(g, "x"), 0.0);
      assertEquals(3.0, Compiled.scalar(g, "y"), 0.0);
      assertEquals(2 * 4 + 3 * y + 1, Compiled.scalar(g, "value"), 0.0);
    }
  }

  @Test
  void rosenbrockAtTheClassicStart() {
    Object g = compiled.call("p.ModelsGrad", "rosenbrock", -1.2, 1.0);
    assertEquals(24.2, Compiled.scalar(g, "value"), 1e-12);
    assertEquals(-215.6, Compiled.scalar(g, "x"), 1e-12);
    assertEquals(-88.0, Compiled.scalar(g, "y"), 1e-12);
  }

  @Test
  void reassignedLocalMatchesFiniteDifferencesAndTheClosedForm() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10; i++) {
      double x = random.nextDouble(-2, 2);
      double y = random.nextDouble(-2, 2);
      Object g = compiled.call("p.ModelsGrad", "reassigned", x, y);
      double[] gradient = {Compiled.scalar(g, "x"), Compiled.scalar(g, "y")};
      GradientAssertions.assertGradient(p -> reassigned(p[0], p[1]), new double[] {x, y}, gradient);
      // t = sin(xy)·xy + x, so ∂t/∂x = y(cos(xy)·xy + sin(xy)) + 1.
      double u = x * y;
      double inner = Math.cos(u) * u + Math.sin(u);
      assertEquals(y * inner + 1, gradient[0], 1e-12);
      assertEquals(x * inner, gradient[1], 1e-12);
    }
  }

  @Test
  void intoFormReusesTheCallersObject() throws Exception {
    Class<?> gradientClass = compiled.load("p.ModelsGrad$RosenbrockGradient");
    Object into = gradientClass.getConstructor().newInstance();
    double value = (double) compiled.call("p.ModelsGrad", "rosenbrock", -1.2, 1.0, into);
    assertEquals(24.2, value, 1e-12);
    assertEquals(-215.6, Compiled.scalar(into, "x"), 1e-12);
    String expected = "RosenbrockGradient{value=" + value + ", x=" + Compiled.scalar(into, "x")
        + ", y=" + Compiled.scalar(into, "y") + "}";
    assertEquals(expected, into.toString());
  }

  private static double reassigned(double x, double y) {
    double t = x * y;
    t = Math.sin(t) * t;
    t += x;
    return t;
  }
}
