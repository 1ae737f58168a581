package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    System.out.println(compiled.generatedSources());
    assertEquals(0.8807970779778823, Compiled.scalar(g, "value"), 1e-15);
    assertEquals(-0.10499358540350662, Compiled.scalar(g, "a"), 1e-15);
    assertEquals(0.31498075621051985, Compiled.scalar(g, "b"), 1e-15);
    assertEquals(0.10499358540350662, Compiled.scalar(g, "c"), 1e-15);
    assertEquals(0.10499358540350662, Compiled.scalar(g, "x"), 1e-15);
    assertEquals(0.20998717080701323, Compiled.scalar(g, "y"), 1e-15);
  }
}
