package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Methods the processor cannot take as they are, each reported where the problem is: constants
 * the companion cannot read (ADJ224), names that never resolve (ADJ225), methods of local classes
 * (ADJ117). None is skipped in silence.
 */
class FrontEndDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  // ------------------------------------------------------------ constants (ADJ224)

  // Not a compile-time constant (a method call), so its value exists only when the class loads.
  private static final String PRIVATE_COMPUTED = TESTER.add("p.PrivateComputed", """
      package p;

      import dev.adjoint.Differentiable;

      class PrivateComputed {
        private static final double LOG_2PI = Math.log(2 * Math.PI);

        @Differentiable
        static double logDensity(double x) {
          // BUG: Diagnostic contains: [ADJ224] PrivateComputed.LOG_2PI cannot be read by the generated companion: it is private ... make it package-private
          return -0.5 * (LOG_2PI + x * x);
        }
      }
      """);

  @Test
  void privateConstantComputedWhenTheClassLoads() {
    TESTER.check(PRIVATE_COMPUTED);
  }

  private static final String PRIVATE_CLASS = TESTER.add("p.PrivateClass", """
      package p;

      import dev.adjoint.Differentiable;

      class PrivateClass {
        private static final class Tables {
          static final double SCALE = Math.sqrt(2);
        }

        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ224] Tables.SCALE cannot be read ... its class Tables is private
          return Tables.SCALE * x;
        }
      }
      """);

  @Test
  void constantOfAPrivateNestedClass() {
    TESTER.check(PRIVATE_CLASS);
  }

  private static final String PROTECTED_BASE = TESTER.add("q.ProtectedBase", """
      package q;

      public class ProtectedBase {
        protected static final double RATE = Math.sqrt(3);
      }
      """);

  private static final String PROTECTED_ELSEWHERE = TESTER.add("p.ProtectedElsewhere", """
      package p;

      import dev.adjoint.Differentiable;

      class ProtectedElsewhere extends q.ProtectedBase {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ224] ProtectedBase.RATE cannot be read ... it is protected in another package
          return RATE * x;
        }
      }
      """);

  @Test
  void protectedConstantOfAnotherPackage() {
    TESTER.check(PROTECTED_BASE);
    TESTER.check(PROTECTED_ELSEWHERE);
  }

  // --------------------------------------------------------- unresolved names (ADJ225)
  // javac would report these too, but only after processing: Adjoint waits until the last round
  // (a later round may bring a generated class) and then says which name it could not find.

  private static final String UNKNOWN_VARIABLE = TESTER.add("p.UnknownVariable", """
      package p;

      import dev.adjoint.Differentiable;

      class UnknownVariable {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ225] cannot find the name offset, so Adjoint did not differentiate this method
          return x + offset;
        }
      }
      """);

  @Test
  void unknownVariable() {
    TESTER.check(UNKNOWN_VARIABLE);
  }

  private static final String UNKNOWN_METHOD = TESTER.add("p.UnknownMethod", """
      package p;

      import dev.adjoint.Differentiable;

      class UnknownMethod {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ225] cannot find the method cube
          return cube(x);
        }
      }
      """);

  @Test
  void unknownMethod() {
    TESTER.check(UNKNOWN_METHOD);
  }

  private static final String UNKNOWN_CLASS = TESTER.add("p.UnknownClass", """
      package p;

      import dev.adjoint.Differentiable;

      class UnknownClass {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ225] cannot find the class Helpers
          return Helpers.cube(x);
        }
      }
      """);

  @Test
  void unknownClass() {
    TESTER.check(UNKNOWN_CLASS);
  }

  private static final String UNKNOWN_LOCAL_TYPE = TESTER.add("p.UnknownLocalType", """
      package p;

      import dev.adjoint.Differentiable;

      class UnknownLocalType {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ225] cannot find the class Vector3
          Vector3 v = null;
          return x;
        }
      }
      """);

  @Test
  void unknownLocalType() {
    TESTER.check(UNKNOWN_LOCAL_TYPE);
  }

  // A variable whose declaration was rejected is not reported again as unknown where it is read.
  private static final String REJECTED_DECLARATION = TESTER.add("p.RejectedDeclaration", """
      package p;

      import dev.adjoint.Differentiable;

      class RejectedDeclaration {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ213]
          float[] halves = {0.5f};
          return x * halves[0];
        }
      }
      """);

  @Test
  void readOfARejectedDeclaration() {
    TESTER.check(REJECTED_DECLARATION);
  }

  // ------------------------------------------------------------- local classes (ADJ117)

  private static final String LOCAL_CLASS = TESTER.add("p.LocalHelper", """
      package p;

      import dev.adjoint.Differentiable;

      class LocalHelper {
        static double run(double x) {
          class Helper {
            // BUG: Diagnostic contains: [ADJ117] @Differentiable method square is in a class declared inside a method ... move the class out
            @Differentiable
            static double square(double v) {
              return v * v;
            }
          }
          return Helper.square(x);
        }

        static double twice(double x) {
          class Outer {
            static class Inner {
              // BUG: Diagnostic contains: [ADJ117] @Differentiable method doubled
              @Differentiable
              static double doubled(double v) {
                return 2 * v;
              }
            }
          }
          return Outer.Inner.doubled(x);
        }
      }
      """);

  @Test
  void methodOfALocalClass() {
    TESTER.check(LOCAL_CLASS);
  }

  private static final String ANONYMOUS_CLASS = TESTER.add("p.AnonymousHelper", """
      package p;

      import java.util.function.DoubleUnaryOperator;

      class AnonymousHelper {
        static final DoubleUnaryOperator SQUARE = new DoubleUnaryOperator() {
          // BUG: Diagnostic contains: [ADJ117] @Differentiable method applyAsDouble
          @dev.adjoint.Differentiable
          public double applyAsDouble(double v) {
            return v * v;
          }
        };
      }
      """);

  @Test
  void methodOfAnAnonymousClass() {
    TESTER.check(ANONYMOUS_CLASS);
  }
}
