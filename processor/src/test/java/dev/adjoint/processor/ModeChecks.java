package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.DifferentiableFunction;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DynamicTest;

/**
 * Checks of every generated mode of a compiled companion: the gradient against finite
 * differences, the tangent against the gradient and the Hessian against differences of the
 * gradient (the runtime's one-line check), and Taylor coefficients against closed forms.
 */
final class ModeChecks {
  private ModeChecks() {}

  /** Runs the one-line check of every scalar method of {@code companion}; fails naming each failing mode. */
  @SuppressWarnings("unchecked")
  static void everyModePasses(Compiled compiled, String companion, UnaryOperator<GradientChecks> configure) {
    List<DifferentiableFunction> functions = (List<DifferentiableFunction>) compiled.call(companion, "functions");
    List<String> failures = new ArrayList<>();
    List<DynamicTest> tests = configure.apply(GradientChecks.of(functions).points(5)).dynamicTests().toList();
    for (DynamicTest test : tests) {
      try {
        test.getExecutable().execute();
      } catch (Throwable e) {
        failures.add(test.getDisplayName() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures, () -> compiled.generatedSources());
    if (tests.size() < functions.size()) {
      throw new AssertionError("fewer checks than functions: " + tests);
    }
  }

  /** {@code methodDerivatives(x, n)} holds f, f', f''... at x as {@code expected} (to a relative 1e-10). */
  static void taylorMatches(Compiled compiled, String companion, String method, double x, double... expected) {
    double[] actual = (double[]) compiled.call(companion, method + "Derivatives", x, expected.length - 1);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], 1e-10 * Math.max(1, Math.abs(expected[k])),
          method + ": derivative " + k + " at " + x);
    }
  }
}
