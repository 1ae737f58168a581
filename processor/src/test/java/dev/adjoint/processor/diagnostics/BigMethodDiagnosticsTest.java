package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A method whose derivatives are too large for a class file even split into methods below 8,000
 * bytes: the build fails with ADJ280 on the method, and the companion still compiles.
 */
class BigMethodDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();
  /** Each term leaves six values (three products and their tangents) for the reverse sweep of H·v. */
  private static final int TERMS = 3_300;

  private static final String TOO_MANY_CONSTANTS = TESTER.add("p.Wide", wide());

  private static String wide() {
    StringBuilder source = new StringBuilder("""
        package p;

        import static dev.adjoint.Derivative.HESSIAN;

        import dev.adjoint.Differentiable;

        class Wide {
          // BUG: Diagnostic contains: [ADJ280] the derivatives of this method are too large for the JVM even split ... widePullbackTangent would need about ... class-file constants ... move parts of the computation into helper methods
          @Differentiable(also = HESSIAN) static double wide(double x, double y, double z, double w) {
            double s = 0;
        """);
    for (int k = 0; k < TERMS; k++) {
      source.append("    s += ").append(1 + k / 4096.0).append(" * x * y * z * w;\n");
    }
    return source.append("""
            return s;
          }
        }
        """).toString();
  }

  @Test
  void tooManyConstantsForAClassFileIsReportedOnTheMethod() {
    TESTER.check(TOO_MANY_CONSTANTS);
    assertTrue(TESTER.generatedSource("p.WideGrad").contains("frame.tooLargeForAClassFile()"),
        "the companion compiles without the frame that would not fit");
  }
}
