package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tester itself: it must fail on every kind of mismatch, or the negative tests prove nothing. */
class DiagnosticTesterTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  private static final String MARKER_WITHOUT_ERROR = TESTER.add("p.MarkerWithoutError", """
      package p;

      import dev.adjoint.Differentiable;

      class MarkerWithoutError {
        @Differentiable
        static double square(double x) {
          // BUG: Diagnostic contains: [ADJ201]
          return x * x;
        }
      }
      """);

  @Test
  void expectedErrorThatDoesNotComeFails() {
    assertFailsWith(MARKER_WITHOUT_ERROR, "line 9: expected an error containing \"[ADJ201]\", found none");
  }

  private static final String ERROR_WITHOUT_MARKER = TESTER.add("p.ErrorWithoutMarker", """
      package p;

      import dev.adjoint.Differentiable;

      class ErrorWithoutMarker {
        @Differentiable
        double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void errorWithoutMarkerFails() {
    assertFailsWith(ERROR_WITHOUT_MARKER, "line 6: error without a marker: [ADJ230]");
  }

  // The error is on the annotation (line 7), the marker points at the signature (line 8).
  private static final String MARKER_ON_WRONG_LINE = TESTER.add("p.MarkerOnWrongLine", """
      package p;

      import dev.adjoint.Differentiable;

      class MarkerOnWrongLine {
        @Differentiable
        // BUG: Diagnostic contains: [ADJ230]
        double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void errorOnAnotherLineFails() {
    AssertionError failure = assertFailsWith(MARKER_ON_WRONG_LINE, "line 8: expected an error containing \"[ADJ230]\"");
    assertTrue(failure.getMessage().contains("line 6: error without a marker"), failure.getMessage());
  }

  private static final String JAVAC_MARKER_ON_OUR_ERROR = TESTER.add("p.JavacMarkerOnOurError", """
      package p;

      import dev.adjoint.Differentiable;

      class JavacMarkerOnOurError {
        // JAVAC:
        @Differentiable
        double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void javacMarkerDoesNotAcceptAdjointErrors() {
    assertFailsWith(JAVAC_MARKER_ON_OUR_ERROR, "line 7: expected an error of javac's own");
  }

  private static final String FRAGMENTS_IN_ORDER = TESTER.add("p.FragmentsInOrder", """
      package p;

      import dev.adjoint.Differentiable;

      class FragmentsInOrder {
        // BUG: Diagnostic contains: [ADJ230] ... can be overridden
        @Differentiable
        double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void fragmentsInOrderMatch() {
    TESTER.check(FRAGMENTS_IN_ORDER);
  }

  private static final String FRAGMENTS_OUT_OF_ORDER = TESTER.add("p.FragmentsOutOfOrder", """
      package p;

      import dev.adjoint.Differentiable;

      class FragmentsOutOfOrder {
        // BUG: Diagnostic contains: can be overridden ... [ADJ230]
        @Differentiable
        double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void fragmentsOutOfOrderDoNotMatch() {
    assertFailsWith(FRAGMENTS_OUT_OF_ORDER, "line 7: expected an error containing");
  }

  @Test
  void markerWithNothingToMarkIsRejected() {
    DiagnosticTester tester = DiagnosticTester.create();
    assertThrows(IllegalArgumentException.class,
        () -> tester.add("p.Dangling", "package p;\nclass Dangling {}\n// BUG: Diagnostic contains: x\n"));
  }

  private static AssertionError assertFailsWith(String source, String expected) {
    AssertionError failure = assertThrows(AssertionError.class, () -> TESTER.check(source));
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    return failure;
  }
}
