package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.GradientAssertions;
import org.junit.jupiter.api.Test;

class HelpersTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class Pk {
        @Differentiable(also = HESSIAN)
        static double loss(double[] theta) {
          double s = 0;
          for (int i = 0; i < 4; i++) {
            double c = concentration(theta[0], theta[1], 0.5 * i);
            s += c * c;
          }
          return s;
        }

        private static double concentration(double k, double v, double t) {
          return Math.exp(-k * t) / v;
        }
      }
      """;

  @Test
  void smoke() {
    Compiled compiled = Compiled.compile("p.Pk", SOURCE);
    System.out.println(compiled.generatedSources());
  }
}
