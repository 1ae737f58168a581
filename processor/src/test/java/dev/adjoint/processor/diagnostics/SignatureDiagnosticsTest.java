package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Declarations that {@code @Differentiable} rejects (ADJ1xx). Errors about the method land on its
 * {@code @Differentiable} annotation, errors about one parameter on that parameter. All sources
 * share one compilation; each test checks the markers of its own source.
 */
class SignatureDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String NOT_STATIC = TESTER.add("p.NotStatic", """
      package p;

      import dev.adjoint.Differentiable;

      class NotStatic {
        class Inner {
          // BUG: Diagnostic contains: [ADJ101] @Differentiable method square must be static: its class Inner is an inner class, whose objects hold an enclosing instance; make the class static
          @Differentiable
          double square(double x) {
            return x * x;
          }
        }
      }
      """);

  @Test
  void instanceMethodOfAnInnerClass() {
    TESTER.check(NOT_STATIC);
  }

  private static final String RETURNS_INT = TESTER.add("p.ReturnsInt", """
      package p;

      import dev.adjoint.Differentiable;

      class ReturnsInt {
        // BUG: Diagnostic contains: [ADJ103] @Differentiable method truncate returns int; it must return double
        @Differentiable
        static int truncate(double x) {
          return (int) x;
        }
      }
      """);

  @Test
  void nonDoubleReturnType() {
    TESTER.check(RETURNS_INT);
  }

  // An abstract method has no body; that it is an instance method is fine.
  private static final String ABSTRACT = TESTER.add("p.AbstractModel", """
      package p;

      import dev.adjoint.Differentiable;

      abstract class AbstractModel {
        // BUG: Diagnostic contains: [ADJ102] @Differentiable method loss has no body
        @Differentiable
        abstract double loss(double x);
      }
      """);

  @Test
  void abstractMethodInAbstractClass() {
    TESTER.check(ABSTRACT);
  }

  private static final String NATIVE = TESTER.add("p.NativeMethod", """
      package p;

      import dev.adjoint.Differentiable;

      class NativeMethod {
        // BUG: Diagnostic contains: [ADJ102] @Differentiable method fast has no body
        @Differentiable
        static native double fast(double x);
      }
      """);

  @Test
  void nativeMethod() {
    TESTER.check(NATIVE);
  }

  private static final String PRIVATE = TESTER.add("p.PrivateMethod", """
      package p;

      import dev.adjoint.Differentiable;

      class PrivateMethod {
        // BUG: Diagnostic contains: [ADJ113] @Differentiable method square is private
        @Differentiable
        private static double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void privateMethod() {
    TESTER.check(PRIVATE);
  }

  private static final String GENERIC = TESTER.add("p.GenericMethod", """
      package p;

      import dev.adjoint.Differentiable;

      class GenericMethod {
        // BUG: Diagnostic contains: [ADJ110] @Differentiable method scaled has type parameters
        @Differentiable
        static <T extends Number> double scaled(double x) {
          return 2 * x;
        }
      }
      """);

  @Test
  void genericMethod() {
    TESTER.check(GENERIC);
  }

  private static final String VARARGS = TESTER.add("p.VarargsMethod", """
      package p;

      import dev.adjoint.Differentiable;

      class VarargsMethod {
        // BUG: Diagnostic contains: [ADJ111] @Differentiable method sum takes varargs
        @Differentiable
        static double sum(double... xs) {
          double total = 0;
          for (double v : xs) {
            total += v;
          }
          return total;
        }
      }
      """);

  @Test
  void varargs() {
    TESTER.check(VARARGS);
  }

  // The error is on the parameter, so on the line of the signature rather than the annotation.
  private static final String STRING_PARAMETER = TESTER.add("p.StringParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class StringParameter {
        @Differentiable
        static double labelled(
            double x,
            // BUG: Diagnostic contains: [ADJ104] parameter label has type java.lang.StringBuilder
            StringBuilder label) {
          return x;
        }
      }
      """);

  @Test
  void stringParameter() {
    TESTER.check(STRING_PARAMETER);
  }

  private static final String FLOAT_PARAMETER = TESTER.add("p.FloatParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class FloatParameter {
        @Differentiable
        // BUG: Diagnostic contains: [ADJ104] parameter scales has type float[] ... declare a float[] as double[]
        static double scaled(float[] scales, double x) {
          return scales[0] * x;
        }
      }
      """);

  @Test
  void floatParameter() {
    TESTER.check(FLOAT_PARAMETER);
  }

  private static final String HIDDEN_PARAMETER_TYPES = TESTER.add("p.HiddenParameterTypes", """
      package p;

      import dev.adjoint.Differentiable;

      class HiddenParameterTypes {
        private enum Mode { A, B }

        private record Line(double slope) {}

        @Differentiable
        static double f(
            double x,
            // BUG: Diagnostic contains: [ADJ265] parameter mode has type p.HiddenParameterTypes.Mode, which the generated companion cannot name (Mode is private)
            Mode mode) {
          return x;
        }

        @Differentiable
        static double g(
            double x,
            // BUG: Diagnostic contains: [ADJ265] parameter line has type p.HiddenParameterTypes.Line ... (Line is private); make the type package-private or public
            Line line) {
          return x * line.slope();
        }
      }
      """);

  @Test
  void parameterTypesTheCompanionCannotName() {
    TESTER.check(HIDDEN_PARAMETER_TYPES);
  }

  private static final String ONLY_INTS = TESTER.add("p.OnlyInts", """
      package p;

      import dev.adjoint.Differentiable;

      class OnlyInts {
        // BUG: Diagnostic contains: [ADJ105] @Differentiable method area has no parameter to differentiate
        @Differentiable
        static double area(int width, int height) {
          return width * height;
        }
      }
      """);

  @Test
  void noDifferentiableParameter() {
    TESTER.check(ONLY_INTS);
  }

  private static final String WRT_UNKNOWN = TESTER.add("p.WrtUnknown", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtUnknown {
        // BUG: Diagnostic contains: [ADJ106] wrt names "z", which is not a parameter of f; its parameters are: x, y
        @Differentiable(wrt = "z")
        static double f(double x, double y) {
          return x * y;
        }
      }
      """);

  @Test
  void wrtNamesUnknownParameter() {
    TESTER.check(WRT_UNKNOWN);
  }

  private static final String WRT_INT = TESTER.add("p.WrtInt", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtInt {
        // BUG: Diagnostic contains: [ADJ107] wrt names "n" of type int
        @Differentiable(wrt = {"x", "n"})
        static double power(double x, int n) {
          return Math.pow(x, n);
        }
      }
      """);

  @Test
  void wrtNamesIntParameter() {
    TESTER.check(WRT_INT);
  }

  private static final String NAMED_VALUE = TESTER.add("p.NamedValue", """
      package p;

      import dev.adjoint.Differentiable;

      class NamedValue {
        // BUG: Diagnostic contains: [ADJ109] differentiated parameter "value" would clash
        @Differentiable
        static double half(double value) {
          return value / 2;
        }
      }
      """);

  @Test
  void differentiatedParameterNamedValue() {
    TESTER.check(NAMED_VALUE);
  }

  // The first overload is fine on its own; the second is the one that would collide.
  private static final String OVERLOADS = TESTER.add("p.Overloads", """
      package p;

      import dev.adjoint.Differentiable;

      class Overloads {
        @Differentiable
        static double norm(double x) {
          return Math.abs(x);
        }

        // BUG: Diagnostic contains: [ADJ108] two @Differentiable methods named norm in Overloads
        @Differentiable
        static double norm(double x, double y) {
          return Math.hypot(x, y);
        }
      }
      """);

  @Test
  void overloadsShareOneName() {
    TESTER.check(OVERLOADS);
  }

  private static final String IN_INTERFACE = TESTER.add("p.InInterface", """
      package p;

      import dev.adjoint.Differentiable;

      interface InInterface {
        // BUG: Diagnostic contains: [ADJ112] @Differentiable method square must be declared in a class, not an interface
        @Differentiable
        static double square(double x) {
          return x * x;
        }
      }
      """);

  @Test
  void staticMethodOfAnInterface() {
    TESTER.check(IN_INTERFACE);
  }

  // f and F differ only in case, yet both would get the gradient class FGradient. Checked alone:
  // the clash in the generated file would otherwise count against every source of the batch.
  @Test
  void namesThatDifferOnlyInCase() {
    DiagnosticTester alone = DiagnosticTester.create();
    alone.check(alone.add("p.CaseClash", """
        package p;

        import dev.adjoint.Differentiable;

        class CaseClash {
          @Differentiable
          static double f(double x) {
            return x;
          }

          // BUG: Diagnostic contains: [ADJ108] ... would share the generated class FGradient
          @Differentiable
          static double F(double x) {
            return 2 * x;
          }
        }
        """));
  }

  // A user class already has the companion's name.
  private static final String EXISTING_COMPANION = TESTER.add("p.Existing", """
      package p;

      import dev.adjoint.Differentiable;

      // BUG: Diagnostic contains: [ADJ403] a class named p.ExistingGrad already exists
      class Existing {
        @Differentiable
        static double square(double x) {
          return x * x;
        }
      }

      class ExistingGrad {
      }
      """);

  @Test
  void userClassAlreadyHasTheCompanionsName() {
    TESTER.check(EXISTING_COMPANION);
  }
}
