package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/** Records built, passed and returned in differentiated code: what Adjoint cannot take apart says so where it stands. */
class RecordDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String RECORD_VALUES = TESTER.add("p.RecordValues", """
      package p;

      import dev.adjoint.Differentiable;

      class RecordValues {
        record Point(double x, double y) {}

        @Differentiable
        static double chosen(double x, boolean flag) {
          Point a = new Point(x, 1);
          Point b = new Point(1, x);
          // BUG: Diagnostic contains: [ADJ235] `flag ? a : b` uses the record Point as a value that Adjoint cannot take apart
          Point c = flag ? a : b;
          return c.x();
        }

        @Differentiable
        static double compared(Point p, double x) {
          // BUG: Diagnostic contains: [ADJ235] `p` uses the record Point as a value
          return p == null ? x : p.x() * x;
        }
      }
      """);

  @Test
  void recordValuesThatCannotBeTakenApart() {
    TESTER.check(RECORD_VALUES);
  }

  private static final String OWN_CODE = TESTER.add("p.OwnCode", """
      package p;

      import dev.adjoint.Differentiable;

      class OwnCode {
        record Positive(double value) {
          Positive {
            value = Math.abs(value);
          }
        }

        record Scaled(double raw) {
          public double raw() {
            return 2 * raw;
          }
        }

        record Pair(Positive first, double second) {}

        @Differentiable
        static double constructor(double x) {
          // BUG: Diagnostic contains: [ADJ236] record Positive declares its own constructor Positive(double), which Adjoint would skip
          Positive p = new Positive(x);
          return p.value();
        }

        @Differentiable
        static double accessor(double x) {
          // BUG: Diagnostic contains: [ADJ236] record Scaled declares its own accessor Scaled.raw()
          var s = new Scaled(x);
          return s.raw();
        }

        @Differentiable
        static double nested(double x) {
          // BUG: Diagnostic contains: [ADJ236] record Positive declares its own constructor
          Pair p = new Pair(null, x);
          return p.second();
        }
      }
      """);

  @Test
  void recordsWithCodeOfTheirOwn() {
    TESTER.check(OWN_CODE);
  }

  private static final String RECORD_RESULTS = TESTER.add("p.RecordResults", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class RecordResults {
        record Point(double x, double y) {}

        static int calls;

        static Point counted(double x) {
          calls++;
          return new Point(x, x);
        }

        @Differentiable
        static Point differentiable(double x) {
          return new Point(x, 2 * x);
        }

        @Differentiable
        static double callsAHelperWithEffects(double x) {
          // BUG: Diagnostic contains: [ADJ237] RecordResults.counted returns a record, which differentiated code takes only from a helper ... it cannot be differentiated: line 13 of RecordResults.java: [ADJ205]
          Point p = counted(x);
          return p.x();
        }

        @Differentiable
        static double callsADifferentiableMethod(double x) {
          // BUG: Diagnostic contains: [ADJ237] RecordResults.differentiable returns a record ... but it is @Differentiable (not supported yet)
          Point p = differentiable(x);
          return p.y();
        }

        @Differentiable
        static double readsAResultWhole(double x) {
          // BUG: Diagnostic contains: [ADJ235] `half(x)` uses the record Point as a value
          return half(x).x();
        }

        static Point half(double x) {
          return new Point(x / 2, x / 2);
        }

        // BUG: Diagnostic contains: [ADJ238] also = [HESSIAN]: hessian returns the record p.RecordResults.Point
        @Differentiable(also = HESSIAN)
        static Point hessian(double x) {
          return new Point(x * x, x);
        }
      }
      """);

  @Test
  void recordResults() {
    TESTER.check(RECORD_RESULTS);
  }

}
