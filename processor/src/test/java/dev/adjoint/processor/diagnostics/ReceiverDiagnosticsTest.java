package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Instance methods that Adjoint rejects (ADJ101, ADJ230–ADJ234, and the body's messages on
 * fields): what could run another body than the one differentiated, fields that may change or
 * that the companion cannot read, and {@code wrt} naming fields it cannot differentiate.
 */
class ReceiverDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String GENERIC_CLASS = TESTER.add("p.GenericModel", """
      package p;

      import dev.adjoint.Differentiable;

      final class GenericModel<T> {
        final double scale = 2;

        // BUG: Diagnostic contains: [ADJ101] @Differentiable method f must be static: its class GenericModel has type parameters
        @Differentiable
        double f(double x) {
          return scale * x;
        }
      }
      """);

  @Test
  void instanceMethodOfAGenericClass() {
    TESTER.check(GENERIC_CLASS);
  }

  private static final String OVERRIDABLE = TESTER.add("p.OverridableModel", """
      package p;

      import dev.adjoint.Differentiable;

      class OverridableModel {
        // BUG: Diagnostic contains: [ADJ230] @Differentiable method f can be overridden by a subclass ... make the method (or its class) final
        @Differentiable
        double f(double x) {
          return x * x;
        }

        @Differentiable
        final double g(double x) {
          // BUG: Diagnostic contains: [ADJ230] the method OverridableModel.helper can be overridden by a subclass
          return helper(x) * x;
        }

        double helper(double x) {
          return Math.sin(x);
        }
      }
      """);

  @Test
  void aMethodASubclassCanOverride() {
    TESTER.check(OVERRIDABLE);
  }

  private static final String NON_FINAL_FIELD = TESTER.add("p.Counter", """
      package p;

      import dev.adjoint.Differentiable;

      final class Counter {
        double scale = 1;

        @Differentiable
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ231] this method reads the field Counter.scale, which is not final ... make the field final, or pass its value as a parameter
          return scale * x;
        }
      }
      """);

  @Test
  void readingAFieldThatIsNotFinal() {
    TESTER.check(NON_FINAL_FIELD);
  }

  private static final String UNREADABLE_FIELDS = TESTER.add("p.Hidden", """
      package p;

      import dev.adjoint.Differentiable;

      final class Hidden {
        private final double rate = 0.5;
        final String label = "model";
        final double[] weights = {1, 2};

        @Differentiable
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ232] the generated companion cannot read the field Hidden.rate: it is private (make it package-private; it stays final)
          return rate * x;
        }

        @Differentiable
        double g(double x) {
          // BUG: Diagnostic contains: [ADJ232] the generated companion cannot read the field Hidden.label: its type java.lang.String is none of
          return label.length() * x;
        }

        @Differentiable
        double h(double x) {
          // BUG: Diagnostic contains: [ADJ207] writing into parameter array this.weights
          this.weights[0] = x;
          return x;
        }
      }
      """);

  @Test
  void fieldsTheCompanionCannotReadOrThatAreWritten() {
    TESTER.check(UNREADABLE_FIELDS);
  }

  private static final String OWN_ACCESSOR = TESTER.add("p.Clamped", """
      package p;

      import dev.adjoint.Differentiable;

      record Clamped(double rate) {
        public double rate() {
          return Math.max(rate, 0);
        }

        @Differentiable
        public double f(double x) {
          // BUG: Diagnostic contains: [ADJ232] the generated companion cannot read the field Clamped.rate: the record declares its own accessor rate()
          return rate * x;
        }
      }
      """);

  @Test
  void aRecordComponentWithAnAccessorOfItsOwn() {
    TESTER.check(OWN_ACCESSOR);
  }

  private static final String WRT_FIELDS = TESTER.add("p.WrtFields", """
      package p;

      import dev.adjoint.Differentiable;

      final class WrtFields {
        final double scale = 2;
        final int count = 3;
        double mutable = 1;

        // BUG: Diagnostic contains: [ADJ233] wrt names "this.missing": WrtFields has no instance field missing; the fields wrt can name: this.scale
        @Differentiable(wrt = "this.missing")
        double a(double x) {
          return scale * x;
        }

        // BUG: Diagnostic contains: [ADJ233] wrt names "this.count": its type int cannot be differentiated
        @Differentiable(wrt = {"x", "this.count"})
        double b(double x) {
          return count * x;
        }

        // BUG: Diagnostic contains: [ADJ233] wrt names "this.mutable": the field is not final
        @Differentiable(wrt = {"x", "this.mutable"})
        double c(double x) {
          return x;
        }

        // BUG: Diagnostic contains: [ADJ106] wrt names "scale", which is not a parameter of d; its parameters are: x, this.scale
        @Differentiable(wrt = "scale")
        double d(double x) {
          return scale * x;
        }

        // BUG: Diagnostic contains: [ADJ233] wrt names "this.scale": the gradient names each partial after its variable, and a parameter is also called scale; rename one
        @Differentiable(wrt = {"scale", "this.scale"})
        double e(double scale) {
          return this.scale * scale;
        }
      }
      """);

  @Test
  void wrtNamingFields() {
    TESTER.check(WRT_FIELDS);
  }

  private static final String STATIC_WRT_FIELD = TESTER.add("p.StaticWrtField", """
      package p;

      import dev.adjoint.Differentiable;

      class StaticWrtField {
        // BUG: Diagnostic contains: [ADJ233] wrt names "this.x": a static method has no this; name a parameter
        @Differentiable(wrt = "this.x")
        static double f(double x) {
          return x;
        }
      }
      """);

  @Test
  void wrtNamingAFieldOfAStaticMethod() {
    TESTER.check(STATIC_WRT_FIELD);
  }

  private static final String FIELD_THROUGH_CALL = TESTER.add("p.FieldThroughCall", """
      package p;

      import dev.adjoint.Differentiable;

      final class FieldThroughCall {
        final double scale = 2;
        final int n = 3;

        @Differentiable(wrt = {"x", "this.scale"})
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ234] scaled is called on this object while wrt differentiates its field(s) [scale], which the call may read ... make scaled static and pass those fields to it as arguments
          return scaled(x) + count() * x;
        }

        private double scaled(double x) {
          return scale * x;
        }

        private int count() {
          return n;
        }
      }
      """);

  @Test
  void aFieldInWrtReadThroughACall() {
    TESTER.check(FIELD_THROUGH_CALL);
  }

  private static final String OPAQUE_ON_RECEIVER = TESTER.add("p.Buffered", """
      package p;

      import dev.adjoint.Differentiable;

      final class Buffered {
        final double[] buffer = new double[2];

        @Differentiable
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to Buffered.fill on an object, whose effects Adjoint cannot see
          double filled = fill(3);
          return buffer[0] * x + filled;
        }

        double fill(double v) {
          buffer[0] = v;
          return v;
        }
      }
      """);

  private static final String FIELD_WRITES = TESTER.add("p.Remembers", """
      package p;

      import dev.adjoint.Differentiable;

      final class Remembers {
        double last;
        int calls;

        @Differentiable
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ205] assignment to this.last
          this.last = x;
          // BUG: Diagnostic contains: [ADJ205] assignment to calls
          calls = calls + 1;
          return x * x;
        }
      }
      """);

  @Test
  void writingFieldsOfTheObject() {
    TESTER.check(FIELD_WRITES);
  }

  private static final String DIFFERENTIATED_RECORD_CALL = TESTER.add("p.LineFit", """
      package p;

      import dev.adjoint.Differentiable;

      class LineFit {
        record Line(double slope, double intercept) {
          double at(double x) {
            return slope * x + intercept;
          }
        }

        @Differentiable(wrt = "line")
        static double residual(Line line, double x, double y) {
          // BUG: Diagnostic contains: [ADJ209] call to at on the differentiated record line (the partials of its components through its methods are not supported: leave line out of wrt, or pass its components to a static method)
          return line.at(x) - y;
        }
      }
      """);

  @Test
  void aMethodOfADifferentiatedRecordParameter() {
    TESTER.check(DIFFERENTIATED_RECORD_CALL);
  }

  private static final String THIS_AS_VALUE = TESTER.add("p.ThisAsValue", """
      package p;

      import dev.adjoint.Differentiable;

      final class ThisAsValue {
        final double scale = 2;

        static double scaleOf(ThisAsValue model) {
          return model.scale;
        }

        @Differentiable
        double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] `this` as a value (read its fields and call its methods directly)
          return scaleOf(this) * x;
        }
      }
      """);

  @Test
  void thisAsAValue() {
    TESTER.check(THIS_AS_VALUE);
  }

  @Test
  void aCallOnTheReceiverWhoseEffectsAreUnknown() {
    TESTER.check(OPAQUE_ON_RECEIVER);
  }
}
