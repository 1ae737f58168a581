package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Code that javac itself rejects, for a reason no later round of processing can change: the
 * processor must skip the method silently so that javac's own error stands alone. (A name that
 * does not resolve may still be generated; see {@link FrontEndDiagnosticsTest}.) Each case compiles on its own, because one Adjoint error would stop
 * javac before it attributes any body and so hide the javac errors of every other source.
 */
class JavacErrorsTest {

  @Test
  void missingReturn() {
    expectOnlyJavacErrors("p.MissingReturn", """
        package p;

        import dev.adjoint.Differentiable;

        class MissingReturn {
          @Differentiable
          static double f(double x) {
            if (x > 0) {
              return x;
            }
          // JAVAC: missing return statement
          }
        }
        """);
  }

  @Test
  void lossyConversion() {
    expectOnlyJavacErrors("p.LossyConversion", """
        package p;

        import dev.adjoint.Differentiable;

        class LossyConversion {
          @Differentiable
          static double f(double x) {
            // JAVAC: incompatible types
            int k = 1.5;
            return k * x;
          }
        }
        """);
  }

  @Test
  void unknownMathFunction() {
    expectOnlyJavacErrors("p.UnknownMathFunction", """
        package p;

        import dev.adjoint.Differentiable;

        class UnknownMathFunction {
          @Differentiable
          static double f(double x) {
            // JAVAC: cannot find symbol
            return Math.cube(x);
          }
        }
        """);
  }

  @Test
  void unknownFieldOfAKnownClass() {
    expectOnlyJavacErrors("p.UnknownField", """
        package p;

        import dev.adjoint.Differentiable;

        class UnknownField {
          @Differentiable
          static double f(double x) {
            // JAVAC: cannot find symbol
            return Math.GOLDEN * x;
          }
        }
        """);
  }

  @Test
  void wrongNumberOfArguments() {
    expectOnlyJavacErrors("p.WrongArity", """
        package p;

        import dev.adjoint.Differentiable;

        class WrongArity {
          @Differentiable
          static double f(double x) {
            // JAVAC: cannot be applied
            return Math.sin(x, x);
          }
        }
        """);
  }

  @Test
  void breakOutsideLoop() {
    expectOnlyJavacErrors("p.BreakOutsideLoop", """
        package p;

        import dev.adjoint.Differentiable;

        class BreakOutsideLoop {
          @Differentiable
          static double f(double x) {
            // JAVAC: break outside switch or loop
            break;
          }
        }
        """);
  }

  @Test
  void doubleAsCondition() {
    expectOnlyJavacErrors("p.DoubleCondition", """
        package p;

        import dev.adjoint.Differentiable;

        class DoubleCondition {
          @Differentiable
          static double f(double x) {
            // JAVAC: incompatible types
            if (x) {
              return x;
            }
            return -x;
          }
        }
        """);
  }

  @Test
  void booleanReturned() {
    expectOnlyJavacErrors("p.BooleanReturned", """
        package p;

        import dev.adjoint.Differentiable;

        class BooleanReturned {
          @Differentiable
          static double f(double x) {
            // JAVAC: incompatible types
            return x > 0;
          }
        }
        """);
  }

  private static void expectOnlyJavacErrors(String name, String source) {
    DiagnosticTester tester = DiagnosticTester.create();
    tester.check(tester.add(name, source));
  }
}
