package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Helpers (static methods without {@code @Differentiable} that differentiated code calls) that
 * Adjoint cannot differentiate: the error is on the call, and names the construct in the helper
 * and its line.
 */
class HelperDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String UNSUPPORTED_CONSTRUCT = TESTER.add("p.UnsupportedInHelper", """
      package p;

      import dev.adjoint.Differentiable;

      class UnsupportedInHelper {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into UnsupportedInHelper.labelled ... line 14 of UnsupportedInHelper.java: [ADJ203] local variable name has type StringBuilder
          return labelled(x) + 1;
        }

        static double labelled(double v) {
          double w = v * v;
          StringBuilder name = new StringBuilder("w");
          return name.isEmpty() ? 0 : w;
        }
      }
      """);

  @Test
  void anUnsupportedConstructInAHelperIsNamedAtTheCall() {
    TESTER.check(UNSUPPORTED_CONSTRUCT);
  }

  // Its partial would share the name of the helper's generated value(): generated code that did not compile.
  private static final String PARAMETER_NAMED_VALUE = TESTER.add("p.ValueParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class ValueParameter {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into ValueParameter.scaled ... line 12 of ValueParameter.java: its parameter "value" would clash with the value() of the gradient Adjoint generates for it; rename the parameter
          return scaled(x, 2.0);
        }

        static double scaled(double value, double factor) {
          return value * factor * value;
        }
      }
      """);

  @Test
  void aHelperParameterNamedValueIsNamedAtTheCall() {
    TESTER.check(PARAMETER_NAMED_VALUE);
  }

  // A helper with effects runs as before, once, where no differentiated value flows into it.
  private static final String EFFECTS_ON_DATA = TESTER.add("p.EffectsOnData", """
      package p;

      import dev.adjoint.Differentiable;

      class EffectsOnData {
        static int calls;

        static double counted(double v) {
          calls++;
          return v * calls;
        }

        @Differentiable(wrt = "x")
        static double f(double x, double data) {
          return x * counted(data);
        }
      }
      """);

  @Test
  void aHelperWithEffectsIsFineOnData() {
    TESTER.check(EFFECTS_ON_DATA);
    assertTrue(TESTER.generatedSource("p.EffectsOnDataGrad").contains("EffectsOnData.counted(data)"));
  }

  // outer would be a helper, but what it calls writes a field.
  private static final String IMPURE_THROUGH_A_CALL = TESTER.add("p.ImpureThroughACall", """
      package p;

      import dev.adjoint.Differentiable;

      class ImpureThroughACall {
        static double last;

        static double inner(double v) {
          last = v;
          return v;
        }

        static double outer(double v) {
          return 2 * inner(v);
        }

        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into ImpureThroughACall.outer ... line 14 of ImpureThroughACall.java calls ImpureThroughACall.inner, which may have effects
          return outer(x) * x;
        }
      }
      """);

  @Test
  void aHelperThatCallsOneWithEffectsIsNotDifferentiated() {
    TESTER.check(IMPURE_THROUGH_A_CALL);
  }

  // The helper lowers, but its forward mode needs a tangent its callee lacks; its callers share
  // its derivatives, so the one that asks for no forward mode fails too.
  private static final String FAILS_LATER = TESTER.add("p.HelperFailsLater", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class HelperFailsLater {
        @Differentiable
        static double square(double v) {
          return v * v;
        }

        static double viaSquare(double v) {
          return square(v) + v;
        }

        @Differentiable(also = HESSIAN)
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ271] HelperFailsLater.viaSquare, a helper Adjoint differentiates automatically for this call, cannot be differentiated: line 14 of HelperFailsLater.java: [ADJ219] forward mode goes through square
          return viaSquare(x) * x;
        }

        @Differentiable
        static double gradientOnly(double x) {
          // BUG: Diagnostic contains: [ADJ271] HelperFailsLater.viaSquare
          return viaSquare(x) * x;
        }
      }
      """);

  @Test
  void aHelperThatFailsInALaterStageFailsItsCall() {
    TESTER.check(FAILS_LATER);
  }

  // A private helper with effects: the companion can neither call it nor copy it.
  private static final String HIDDEN_WITH_EFFECTS = TESTER.add("p.HiddenWithEffects", """
      package p;

      import dev.adjoint.Differentiable;

      class HiddenWithEffects {
        static int calls;

        private static double counted(double v) {
          calls++;
          return v;
        }

        @Differentiable(wrt = "x")
        static double f(double x, double data) {
          // BUG: Diagnostic contains: [ADJ272] HiddenWithEffects.counted cannot be called from the generated companion ... line 9 of HiddenWithEffects.java: [ADJ205]
          return x * counted(data);
        }
      }
      """);

  @Test
  void aPrivateHelperWithEffectsIsAnErrorEvenOnData() {
    TESTER.check(HIDDEN_WITH_EFFECTS);
  }
}
