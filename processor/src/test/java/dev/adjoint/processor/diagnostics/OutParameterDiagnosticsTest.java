package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Void helpers and helpers that write into arrays they are given run in place at their calls;
 * what stops that is an error on the call that says what to do.
 */
class OutParameterDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String RECURSIVE = TESTER.add("p.RecursiveFill", """
      package p;

      import dev.adjoint.Differentiable;

      class RecursiveFill {
        static void fill(double[] out, double v, int n) {
          if (n == 0) {
            return;
          }
          out[n - 1] = v * n;
          fill(out, v, n - 1);
        }

        @Differentiable
        static double f(double x) {
          double[] out = new double[3];
          // BUG: Diagnostic contains: [ADJ276] RecursiveFill.fill returns nothing, so Adjoint runs it in place ... line 11 of RecursiveFill.java: [ADJ273] RecursiveFill.fill writes into an array it is given
          fill(out, x, 3);
          return out[0] + out[2];
        }
      }
      """);

  @Test
  void aRecursiveVoidHelperCannotRunInPlace() {
    TESTER.check(RECURSIVE);
  }

  private static final String PARAMETER_AS_OUT = TESTER.add("p.ParameterAsOut", """
      package p;

      import dev.adjoint.Differentiable;

      class ParameterAsOut {
        static void scale(double[] out, double factor) {
          for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
          }
        }

        @Differentiable
        static double f(double[] x, double factor) {
          // BUG: Diagnostic contains: [ADJ274] ParameterAsOut.scale writes into its parameter out, and the argument x is a parameter of the method being differentiated
          scale(x, factor);
          return x[0];
        }
      }
      """);

  @Test
  void aParameterArrayOfTheCallerAsOutArrayIsAnError() {
    TESTER.check(PARAMETER_AS_OUT);
  }

  private static final String LIBRARY = TESTER.add("p.OdeLibrary", """
      package p;

      class OdeLibrary {
        static void rhs(double[] y, double k, double[] dydt) {
          dydt[0] = -k * y[0];
        }
      }
      """);

  private static final String ELSEWHERE = TESTER.add("p.OdeElsewhere", """
      package p;

      import dev.adjoint.Differentiable;

      class OdeElsewhere {
        @Differentiable
        static double f(double k) {
          double[] y = {1};
          double[] dydt = new double[1];
          // BUG: Diagnostic contains: [ADJ275] OdeLibrary.rhs writes into an array it is given (or returns nothing), so Adjoint runs it in place at each call, which needs its source in the same file as the caller
          OdeLibrary.rhs(y, k, dydt);
          return dydt[0];
        }
      }
      """);

  @Test
  void aHelperThatRunsInPlaceMustBeInTheCallersFile() {
    TESTER.check(LIBRARY);
    TESTER.check(ELSEWHERE);
  }

  private static final String WITH_EFFECTS = TESTER.add("p.VoidWithEffects", """
      package p;

      import dev.adjoint.Differentiable;

      class VoidWithEffects {
        static int calls;

        static void count(double[] out, double v) {
          calls++;
          out[0] = v;
        }

        @Differentiable
        static double f(double x) {
          double[] out = new double[1];
          // BUG: Diagnostic contains: [ADJ276] VoidWithEffects.count returns nothing, so Adjoint runs it in place (its statements as if written here), but cannot: line 9 of VoidWithEffects.java: [ADJ205]
          count(out, x);
          return out[0];
        }
      }
      """);

  @Test
  void aVoidHelperOutsideTheSubsetIsAnErrorOnItsCall() {
    TESTER.check(WITH_EFFECTS);
  }

  private static final String VALUE_WITH_EFFECTS = TESTER.add("p.FillWithEffects", """
      package p;

      import dev.adjoint.Differentiable;

      class FillWithEffects {
        static int calls;

        static double fill(double[] out, double v) {
          calls++;
          out[0] = v;
          return 0;
        }

        @Differentiable
        static double f(double x) {
          double[] buffer = new double[1];
          double ignored = fill(buffer, 2);
          double[] out = new double[1];
          // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into FillWithEffects.fill ... line 9 of FillWithEffects.java: [ADJ205]
          double alsoIgnored = fill(out, x);
          return x * buffer[0] + out[0];
        }
      }
      """);

  @Test
  void aValueHelperWithEffectsThatFillsAnArrayStaysACallOfUnknownPurity() {
    TESTER.check(VALUE_WITH_EFFECTS);
  }
}
