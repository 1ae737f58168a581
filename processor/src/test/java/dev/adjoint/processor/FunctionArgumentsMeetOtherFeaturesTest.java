package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.DifferentiableFunction;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Method references passed to functions with rules (the solvers) in methods that also use the features merged
 * beside them: a record built in the method and passed to a helper (which must keep going to the helper, not to
 * rules), a switch over a String, and an instance method of a record model.
 */
class FunctionArgumentsMeetOtherFeaturesTest {
  private static final String BUMP = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Quadrature;

      record Bump(double height, double width) {
        private static double shape(double x, double[] theta) {
          return theta[0] * Math.exp(-theta[1] * x * x);
        }

        /** ∫_0^upper height exp(−width x²) dx: an instance method calling a solver. */
        @Differentiable(wrt = "upper", also = TANGENT)
        double area(double upper) {
          return Quadrature.integrate(Bump::shape, 0, upper, new double[] {height, width});
        }
      }
      """;

  private static final String MIXED = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Quadrature;

      final class Mixed {
        private Mixed() {}

        record Scale(double factor, double offset) {}

        private static double shape(double x, double[] theta) {
          return theta[0] * Math.exp(-theta[1] * x * x);
        }

        /** A helper taking a record: stays a helper, differentiated automatically. */
        static double scaled(Scale s, double y) {
          return s.factor() * y + s.offset();
        }

        @Differentiable(wrt = "theta", also = TANGENT)
        static double loss(double[] theta, String mode) {
          double area = Quadrature.integrate(Mixed::shape, 0, theta[2], theta);
          Scale s = new Scale(theta[0], 0.5);
          double value = switch (mode) {
            case "square" -> area * area;
            case "scaled" -> scaled(s, area);
            default -> area;
          };
          return value;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compileAll(Map.of("p.Bump", BUMP, "p.Mixed", MIXED));

  /** ∫_0^u a exp(−b x²) dx by Simpson's rule on many intervals. */
  private static double area(double a, double b, double u) {
    int n = 20_000;
    double h = u / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double x = i * h;
      sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * a * Math.exp(-b * x * x);
    }
    return sum * h / 3;
  }

  private static double closedForm(double[] theta, String mode) {
    double area = area(theta[0], theta[1], theta[2]);
    return switch (mode) {
      case "square" -> area * area;
      case "scaled" -> theta[0] * area + 0.5;
      default -> area;
    };
  }

  @Test
  void eachModeMatchesFiniteDifferencesAndItsTangent() {
    double[] theta = {1.3, 0.7, 1.4};
    double[] v = {0.2, -0.5, 0.9};
    for (String mode : new String[] {"square", "scaled", "plain"}) {
      Object g = compiled.call("p.MixedGrad", "loss", theta, mode);
      assertEquals(closedForm(theta, mode), Compiled.scalar(g, "value"), 1e-6, mode);
      double[] gradient = (double[]) Compiled.partial(g, "theta");
      GradientAssertions.assertGradient(x -> closedForm(x, mode), theta, gradient);
      Dual d = (Dual) compiled.call("p.MixedGrad", "lossTangent", theta, mode, v);
      GradientAssertions.assertTangent(gradient, v, d.derivative());
    }
  }

  @Test
  void anInstanceMethodOfARecordModelCallsTheSolver() {
    Object bump = compiled.construct("p.Bump", 1.3, 0.7);
    Object g = compiled.call("p.BumpGrad", "area", bump, 1.4);
    assertEquals(area(1.3, 0.7, 1.4), Compiled.scalar(g, "value"), 1e-6);
    // d/du ∫_0^u f = f(u)
    assertEquals(1.3 * Math.exp(-0.7 * 1.4 * 1.4), Compiled.scalar(g, "upper"), 1e-6);
    Dual d = (Dual) compiled.call("p.BumpGrad", "areaTangent", bump, 1.4, 2.0);
    assertEquals(2 * 1.3 * Math.exp(-0.7 * 1.4 * 1.4), d.derivative(), 1e-6);
  }

  @SuppressWarnings("unchecked")
  @TestFactory
  Stream<DynamicTest> oneLineChecks() {
    return GradientChecks.of((List<DifferentiableFunction>) compiled.call("p.MixedGrad", "functions"))
        .argument("loss", "theta", random -> new double[] {random.nextDouble(0.5, 2), random.nextDouble(0.2, 1),
            random.nextDouble(0.5, 2)})
        .argument("loss", "mode", random -> "square")
        .dynamicTests();
  }
}
