package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Array constructs that were once internal errors, errors on the method line or errors that named another construct:
 * each now has its own message on the construct itself.
 */
class ArrayDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  // Once reported as ADJ207 "writing into parameter array b", though no element is written.
  private static final String PARAMETER_ARRAY_REPOINTED = TESTER.add("p.ParameterArrayRepointed", """
      package p;

      import dev.adjoint.Differentiable;

      class ParameterArrayRepointed {
        @Differentiable
        static double f(double[] a, double[] b) {
          // BUG: Diagnostic contains: [ADJ226] `b = a` re-assigns parameter array b, which is not supported
          b = a;
          return b[0] * a[1];
        }

        @Differentiable
        static double g(double[] a, double x) {
          // BUG: Diagnostic contains: [ADJ226] `a = new double[]{x, x}` re-assigns parameter array a
          a = new double[] {x, x};
          return a[0];
        }
      }
      """);

  @Test
  void reassignedParameterArray() {
    TESTER.check(PARAMETER_ARRAY_REPOINTED);
  }

  // A pullback-form rule gives no second derivative: the Hessian needs rules of that rule, as for scalar rules.
  private static final String HESSIAN_THROUGH_ARRAY_RULE = TESTER.add("p.HessianThroughArrayRule", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.Differentiable;

      class HessianThroughArrayRule {
        static double sum(double[] v) {
          double s = 0;
          for (double e : v) {
            s += e;
          }
          return s;
        }

        @DerivativeRule(method = "sum")
        static double[] sumPullback(double[] v, double seed) {
          double[] adjoint = new double[v.length];
          java.util.Arrays.fill(adjoint, seed);
          return adjoint;
        }

        @DerivativeRule(method = "sum", tangent = true)
        static double sumTangent(double[] v, double[] dv) {
          return sum(dv);
        }

        @Differentiable(also = HESSIAN)
        static double f(double[] x) {
          // BUG: Diagnostic contains: [ADJ204] no derivative rule for HessianThroughArrayRule.sumPullback
          return sum(x) * x[0];
        }
      }
      """);

  @Test
  void hessianThroughAPullbackRuleOfAnArray() {
    TESTER.check(HESSIAN_THROUGH_ARRAY_RULE);
  }

  // Java shares a named row with its array; the lowering copies it, which is the same only while neither is written.
  private static final String WRITE_AFTER_SHARED_ROW = TESTER.add("p.WriteAfterSharedRow", """
      package p;

      import dev.adjoint.Differentiable;

      class WriteAfterSharedRow {
        @Differentiable
        static double intoTheNamedArray(double x) {
          double[] y = {x, 2 * x};
          double[][] m = {y};
          // BUG: Diagnostic contains: [ADJ216] writing into y, which shares its array with another variable since `double[][] m = {y}`
          y[0] = 3;
          return m[0][0];
        }

        @Differentiable
        static double intoTheNewArray(double[] x) {
          double[][] m = {x, x};
          // BUG: Diagnostic contains: [ADJ216] writing into m, which shares its array ... since `double[][] m = {x, x}`
          m[1][0] = 3;
          return m[0][0];
        }

        @Differentiable
        static double bothOutliveTheBlock(double x, boolean flag) {
          double[] y = {x, x};
          double[][] m = new double[1][2];
          if (flag) {
            // BUG: Diagnostic contains: [ADJ217] `m = new double[][]{y}` gives a second name to y, which is declared outside this block
            m = new double[][] {y};
          }
          return m[0][0];
        }
      }
      """);

  @Test
  void writeThroughAnArrayNamedAsARow() {
    TESTER.check(WRITE_AFTER_SHARED_ROW);
  }

  // Once a ClassCastException (Expr$Call to Expr$ArrayRead) reported as ADJ402 on the method line.
  private static final String COMPUTED_ARRAY_ELEMENT = TESTER.add("p.ComputedArrayElement", """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class ComputedArrayElement {
        @Differentiable
        static double rowOfAMatrix(Matrix m) {
          double s = 0;
          for (int i = 0; i < 2; i++) {
            // BUG: Diagnostic contains: [ADJ227] `m.row(i)[0]` uses an element of an array computed in the expression ... use m.get(i, j)
            s += m.row(i)[0];
          }
          return s;
        }

        @Differentiable(also = TANGENT)
        static double[] pair(double u) {
          return new double[] {u * u, u};
        }

        @Differentiable(also = TANGENT)
        static double elementOfACall(double u) {
          // BUG: Diagnostic contains: [ADJ227] `pair(u)[0]` uses an element of an array computed in the expression
          double a = pair(u)[0] * 2;
          // BUG: Diagnostic contains: [ADJ227] `new double[]{u, 2 * u}[1]` uses an element
          return a + new double[] {u, 2 * u}[1];
        }

        @Differentiable
        static double writeIntoACall(double u) {
          // BUG: Diagnostic contains: [ADJ227] `pair(u)[0]` uses an element of an array computed in the expression
          pair(u)[0] = 2;
          return u;
        }
      }
      """);

  @Test
  void elementOfAComputedArray() {
    TESTER.check(COMPUTED_ARRAY_ELEMENT);
  }
}
