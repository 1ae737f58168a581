package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.check.DifferentiableFunction;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The generated functions() with the runtime's one-line check, as a user's test would run them. */
class GradientChecksIntegrationTest {
  private static final String MODELS = """
      package p;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.Differentiable;

      class Models {
        @Differentiable
        static double neuron(double a, double b, double c, double x, double y) {
          return 1 / (1 + Math.exp(-(a * x + b * y + c)));
        }

        @Differentiable
        static double logLikelihood(double sigma, double[] residuals) {
          double sum = 0;
          for (double r : residuals) {
            sum += r * r;
          }
          return -residuals.length * Math.log(sigma) - sum / (2 * sigma * sigma);
        }

        static double cube(double x) {
          return x * x * x;
        }

        // Deliberately wrong: the derivative of x³ is 3x².
        @DerivativeRule(method = "cube")
        static double cubeDerivative(double x) {
          return 2 * x * x;
        }

        @Differentiable
        static double usesWrongRule(double x, int n) {
          return cube(x) * n;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Models", MODELS);

  @SuppressWarnings("unchecked")
  private static List<DifferentiableFunction> functions() {
    return (List<DifferentiableFunction>) compiled.call("p.ModelsGrad", "functions");
  }

  @Test
  void companionDescribesEveryScalarMethod() {
    assertEquals(List.of("neuron", "logLikelihood", "usesWrongRule"),
        functions().stream().map(DifferentiableFunction::name).toList());
    assertEquals("[double sigma, double[] residuals]", functions().get(1).parameters().toString());
  }

  @Test
  void oneLineCheckPassesCorrectGradientsAndCatchesAWrongRule() {
    Map<String, DynamicTest> tests = GradientChecks.of(functions())
        .positive("logLikelihood", "sigma")
        .dynamicTests()
        .collect(Collectors.toMap(test -> test.getDisplayName().replaceAll("\\(.*", ""), test -> test));
    assertDoesNotFail(tests.get("neuron"));
    assertDoesNotFail(tests.get("logLikelihood"));
    AssertionFailedError failure = assertThrows(AssertionFailedError.class,
        () -> tests.get("usesWrongRule").getExecutable().execute());
    assertTrue(failure.getMessage().contains("usesWrongRule"), failure.getMessage());
    assertTrue(failure.getMessage().contains("x"), failure.getMessage());
  }

  private static void assertDoesNotFail(DynamicTest test) {
    try {
      test.getExecutable().execute();
    } catch (Throwable e) {
      throw new AssertionError(test.getDisplayName() + " failed: " + e.getMessage(), e);
    }
  }
}
