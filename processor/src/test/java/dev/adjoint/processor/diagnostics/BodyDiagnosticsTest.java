package dev.adjoint.processor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Method bodies that use Java outside Adjoint's subset (ADJ2xx). Each error must sit on the
 * offending statement or expression. All sources share one compilation; each test checks the
 * markers of its own source.
 */
class BodyDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  // ------------------------------------------------------------------ statements

  private static final String TRY_CATCH = TESTER.add("p.TryCatch", """
      package p;

      import dev.adjoint.Differentiable;

      class TryCatch {
        @Differentiable
        static double guarded(double x) {
          double y = 0;
          // BUG: Diagnostic contains: [ADJ201] the try
          try {
            y = Math.log(x);
          } catch (RuntimeException e) {
            y = 0;
          }
          return y;
        }
      }
      """);

  @Test
  void tryCatch() {
    TESTER.check(TRY_CATCH);
  }

  // Inside an if: the error is on the nested statement, not on the if.
  private static final String THROW = TESTER.add("p.ThrowStatement", """
      package p;

      import dev.adjoint.Differentiable;

      class ThrowStatement {
        @Differentiable
        static double root(double x) {
          if (x < 0) {
            // BUG: Diagnostic contains: [ADJ201] the throw
            throw new IllegalArgumentException("negative");
          }
          return Math.sqrt(x);
        }
      }
      """);

  @Test
  void throwStatement() {
    TESTER.check(THROW);
  }

  private static final String SYNCHRONIZED = TESTER.add("p.SynchronizedBlock", """
      package p;

      import dev.adjoint.Differentiable;

      class SynchronizedBlock {
        @Differentiable
        static double square(double x) {
          double y = 0;
          // BUG: Diagnostic contains: [ADJ201] the synchronized
          synchronized (SynchronizedBlock.class) {
            y = x * x;
          }
          return y;
        }
      }
      """);

  @Test
  void synchronizedBlock() {
    TESTER.check(SYNCHRONIZED);
  }

  private static final String LOCAL_CLASS = TESTER.add("p.LocalClass", """
      package p;

      import dev.adjoint.Differentiable;

      class LocalClass {
        @Differentiable
        static double square(double x) {
          // BUG: Diagnostic contains: [ADJ201] the class
          class Helper {
          }
          return x * x;
        }
      }
      """);

  @Test
  void localClassDeclaration() {
    TESTER.check(LOCAL_CLASS);
  }

  private static final String LOCAL_TYPE = TESTER.add("p.ObjectLocal", """
      package p;

      import dev.adjoint.Differentiable;

      class ObjectLocal {
        @Differentiable
        static double square(double x) {
          // BUG: Diagnostic contains: [ADJ203] local variable boxed has type Object
          Object boxed = null;
          return x * x;
        }
      }
      """);

  @Test
  void localOfUnsupportedType() {
    TESTER.check(LOCAL_TYPE);
  }

  // Lowering goes on after a bad statement: two independent problems, two errors.
  private static final String TWO_PROBLEMS = TESTER.add("p.TwoProblems", """
      package p;

      import dev.adjoint.Differentiable;

      class TwoProblems {
        @Differentiable
        static double f(double x) {
          double y = x;
          // BUG: Diagnostic contains: [ADJ201] the throw
          if (x < 0) throw new IllegalStateException();
          // BUG: Diagnostic contains: [ADJ202] the char literal
          y += twice('l', x);
          return y;
        }

        static double twice(char label, double v) {
          return 2 * v;
        }
      }
      """);

  @Test
  void everyIndependentProblemIsReported() {
    TESTER.check(TWO_PROBLEMS);
  }

  // ----------------------------------------------------------------- expressions

  private static final String LAMBDA = TESTER.add("p.LambdaArgument", """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.function.DoubleUnaryOperator;

      class LambdaArgument {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ263] the lambda expression
          return apply(t -> t * x, x);
        }

        static double apply(DoubleUnaryOperator op, double v) {
          return op.applyAsDouble(v);
        }
      }
      """);

  @Test
  void lambda() {
    TESTER.check(LAMBDA);
  }

  private static final String METHOD_REFERENCE = TESTER.add("p.MethodReference", """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.function.DoubleUnaryOperator;

      class MethodReference {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ263] the member reference `Math::sin` is a function object
          return apply(Math::sin, x);
        }

        static double apply(DoubleUnaryOperator op, double v) {
          return op.applyAsDouble(v);
        }
      }
      """);

  @Test
  void methodReference() {
    TESTER.check(METHOD_REFERENCE);
  }

  private static final String NEW_OBJECT = TESTER.add("p.NewObject", """
      package p;

      import dev.adjoint.Differentiable;

      class NewObject {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] the new class `new Object()`
          boolean fresh = new Object() != null;
          return fresh ? x : -x;
        }
      }
      """);

  @Test
  void newObject() {
    TESTER.check(NEW_OBJECT);
  }

  // A method of an object is a call, so the call message names it.
  private static final String METHOD_OF_NEW_OBJECT = TESTER.add("p.MethodOfNewObject", """
      package p;

      import dev.adjoint.Differentiable;

      class MethodOfNewObject {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] the new class `new Object()`
          return x + new Object().hashCode();
        }
      }
      """);

  @Test
  void methodOfNewObject() {
    TESTER.check(METHOD_OF_NEW_OBJECT);
  }

  private static final String STRING_LITERAL = TESTER.add("p.StringLiteral", """
      package p;

      import dev.adjoint.Differentiable;

      class StringLiteral {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to the method length of a java.lang.String value (only Matrix values have methods here
          return log("step".length(), x);
        }

        static double log(int label, double v) {
          return v;
        }
      }
      """);

  @Test
  void stringLiteral() {
    TESTER.check(STRING_LITERAL);
  }

  private static final String INSTANCE_OF = TESTER.add("p.InstanceOf", """
      package p;

      import dev.adjoint.Differentiable;

      class InstanceOf {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] the instance of
          boolean boxed = ((Object) x) instanceof Double;
          return boxed ? x : 0;
        }
      }
      """);

  @Test
  void instanceOf() {
    TESTER.check(INSTANCE_OF);
  }

  private static final String BITWISE = TESTER.add("p.BitwiseOperators", """
      package p;

      import dev.adjoint.Differentiable;

      class BitwiseOperators {
        @Differentiable
        static double f(double x, int n) {
          // BUG: Diagnostic contains: [ADJ202] the operator & in `n & 1`
          int odd = n & 1;
          // BUG: Diagnostic contains: [ADJ202] the operator << in `n << 1`
          int twice = n << 1;
          return x * odd * twice;
        }
      }
      """);

  @Test
  void bitwiseAndShiftOperators() {
    TESTER.check(BITWISE);
  }

  private static final String NO_RULE_IN_BRANCH = TESTER.add("p.NoRuleInBranch", """
      package p;

      import dev.adjoint.Differentiable;

      class NoRuleInBranch {
        @Differentiable
        static double f(double x) {
          double y = x;
          if (x > 0) {
            // BUG: Diagnostic contains: [ADJ262] Math.IEEEremainder is not in the catalogue of differentiable Math functions, but a differentiated value flows into its argument 1; the catalogue: sin, cos, tan
            y = Math.IEEEremainder(x, 2);
          }
          return y;
        }
      }
      """);

  @Test
  void callWithoutRuleInBranch() {
    TESTER.check(NO_RULE_IN_BRANCH);
  }

  // damp has no rule, is not @Differentiable, and is no helper Adjoint differentiates (it calls
  // Math.random); s is differentiated from the first iteration.
  private static final String NO_RULE_IN_LOOP = TESTER.add("p.NoRuleInLoop", """
      package p;

      import dev.adjoint.Differentiable;

      class NoRuleInLoop {
        @Differentiable
        static double f(double x) {
          double s = x;
          for (int i = 0; i < 3; i++) {
            // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into NoRuleInLoop.damp ... line 17 of NoRuleInLoop.java calls Math.random, which may have effects
            s = damp(s) + 1;
          }
          return s;
        }

        static double damp(double v) {
          return 0.5 * v * Math.random();
        }
      }
      """);

  @Test
  void callWithoutRuleInLoop() {
    TESTER.check(NO_RULE_IN_LOOP);
  }

  // A call without a rule is fine when no differentiated value flows into it (angle is data).
  private static final String CALL_ON_DATA = TESTER.add("p.CallOnData", """
      package p;

      import dev.adjoint.Differentiable;

      class CallOnData {
        @Differentiable(wrt = "x")
        static double f(double x, double angle) {
          return x * Math.IEEEremainder(angle, 2);
        }
      }
      """);

  @Test
  void callWithoutRuleOnDataCompiles() {
    TESTER.check(CALL_ON_DATA);
  }

  // ------------------------------------------------------------- fields and arrays

  private static final String FIELD_WRITE = TESTER.add("p.FieldWrite", """
      package p;

      import dev.adjoint.Differentiable;

      class FieldWrite {
        static double last;

        @Differentiable
        static double square(double x) {
          // BUG: Diagnostic contains: [ADJ205] assignment to last
          last = x;
          return x * x;
        }
      }
      """);

  @Test
  void assignmentToStaticField() {
    TESTER.check(FIELD_WRITE);
  }

  private static final String QUALIFIED_FIELD_WRITE = TESTER.add("p.QualifiedFieldWrite", """
      package p;

      import dev.adjoint.Differentiable;

      class QualifiedFieldWrite {
        static double last;

        @Differentiable
        static double square(double x) {
          // BUG: Diagnostic contains: [ADJ205] assignment to QualifiedFieldWrite.last
          QualifiedFieldWrite.last = x;
          return x * x;
        }
      }
      """);

  @Test
  void assignmentToQualifiedStaticField() {
    TESTER.check(QUALIFIED_FIELD_WRITE);
  }

  private static final String NON_FINAL_READ = TESTER.add("p.NonFinalRead", """
      package p;

      import dev.adjoint.Differentiable;

      class NonFinalRead {
        static double scale = 2;

        @Differentiable
        static double scaled(double x) {
          // BUG: Diagnostic contains: [ADJ206] NonFinalRead.scale is not a static final field
          return scale * x;
        }
      }
      """);

  @Test
  void readOfNonFinalStaticField() {
    TESTER.check(NON_FINAL_READ);
  }

  private static final String PARAMETER_ARRAY_WRITE = TESTER.add("p.ParameterArrayWrite", """
      package p;

      import dev.adjoint.Differentiable;

      class ParameterArrayWrite {
        @Differentiable
        static double first(double[] w) {
          // BUG: Diagnostic contains: [ADJ207] writing into parameter array w
          w[0] = 1;
          return w[0] * w[1];
        }
      }
      """);

  @Test
  void writeIntoParameterArray() {
    TESTER.check(PARAMETER_ARRAY_WRITE);
  }

  private static final String ARRAY_ALIAS = TESTER.add("p.ArrayAlias", """
      package p;

      import dev.adjoint.Differentiable;

      class ArrayAlias {
        @Differentiable
        static double first(double[] w) {
          // BUG: Diagnostic contains: [ADJ210] ... would make two names for one array
          double[] a = w;
          return a[0];
        }
      }
      """);

  @Test
  void arrayAlias() {
    TESTER.check(ARRAY_ALIAS);
  }

  // ------------------------------------------------ assignments inside expressions

  private static final String ARRAY_REASSIGNED_IN_EXPRESSION = TESTER.add("p.ArrayReassignedInExpression", """
      package p;

      import dev.adjoint.Differentiable;

      class ArrayReassignedInExpression {
        @Differentiable
        static double f(double x) {
          double[] c = new double[1];
          // BUG: Diagnostic contains: [ADJ208] the array variable c is re-assigned inside an expression
          c[0] = (c = new double[2]).length * x;
          return c[0];
        }
      }
      """);

  @Test
  void arrayReassignedInsideTheExpressionThatReadsIt() {
    TESTER.check(ARRAY_REASSIGNED_IN_EXPRESSION);
  }

  private static final String SWITCH_OVER_CHAR = TESTER.add("p.SwitchOverChar", """
      package p;

      import dev.adjoint.Differentiable;

      class SwitchOverChar {
        static final char MODE = 's';

        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ260] switch over `MODE`: a @Differentiable method switches over int, String and enum values only
          switch (MODE) {
            case 's' -> x = x * x;
            default -> x = -x;
          }
          return x;
        }
      }
      """);

  @Test
  void switchOverAChar() {
    TESTER.check(SWITCH_OVER_CHAR);
  }

  private static final String SWITCH_EXPRESSION_OF_UNKNOWN_TYPE = TESTER.add("p.SwitchExpressionOfUnknownType", """
      package p;

      import dev.adjoint.Differentiable;

      class SwitchExpressionOfUnknownType {
        @Differentiable
        static double f(double x, int n) {
          return x * (switch (n) {
            case 0 -> 0.5;
            // BUG: Diagnostic contains: [ADJ261] this case of a switch expression yields a int
            default -> n / 2;
          });
        }
      }
      """);

  @Test
  void switchExpressionWhoseTypeIsUnknown() {
    TESTER.check(SWITCH_EXPRESSION_OF_UNKNOWN_TYPE);
  }

  private static final String LAMBDA_LOCAL = TESTER.add("p.LambdaLocal", """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.function.DoubleUnaryOperator;

      class LambdaLocal {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ263] the lambda expression `(t)->t * t` is a function object, which Adjoint cannot differentiate through; write its body as a static method
          DoubleUnaryOperator square = t -> t * t;
          return square.applyAsDouble(x);
        }
      }
      """);

  @Test
  void lambdaInALocal() {
    TESTER.check(LAMBDA_LOCAL);
  }

  private static final String RECORD_ROW_WRITE = TESTER.add("p.RecordRowWrite", """
      package p;

      import dev.adjoint.Differentiable;

      class RecordRowWrite {
        record Poly(double[] coefficients) {}

        @Differentiable
        static double f(Poly poly) {
          // BUG: Diagnostic contains: [ADJ207] writing into parameter array poly.coefficients() would change
          poly.coefficients()[0] = 1;
          return poly.coefficients()[0];
        }
      }
      """);

  @Test
  void messagesNameARecordsComponentAsTheSourceDoes() {
    TESTER.check(RECORD_ROW_WRITE);
  }

  // ------------------------------------------------------------- floats and labels

  private static final String FLOAT_LOCAL = TESTER.add("p.FloatLocal", """
      package p;

      import dev.adjoint.Differentiable;

      class FloatLocal {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ213] local variable half is an array of float
          float[] half = new float[1];
          return x * half[0];
        }
      }
      """);

  @Test
  void floatLocal() {
    TESTER.check(FLOAT_LOCAL);
  }

  private static final String LABELLED_BLOCK = TESTER.add("p.LabelledBlock", """
      package p;

      import dev.adjoint.Differentiable;

      class LabelledBlock {
        @Differentiable
        static double f(double x) {
          double y = x;
          // BUG: Diagnostic contains: [ADJ211] label done is on a statement that is not a loop
          done: {
            if (x > 0) {
              break done;
            }
            y = -x;
          }
          return y;
        }
      }
      """);

  @Test
  void labelOnNonLoopBlock() {
    TESTER.check(LABELLED_BLOCK);
  }

  private static final String SHIFT_ASSIGNMENT = TESTER.add("p.ShiftAssignment", """
      package p;

      import dev.adjoint.Differentiable;

      class ShiftAssignment {
        @Differentiable
        static double f(double x, int n) {
          int k = n;
          // BUG: Diagnostic contains: [ADJ201] ... `k >>= 1` is not supported
          k >>= 1;
          return x * k;
        }
      }
      """);

  @Test
  void compoundShiftAssignment() {
    TESTER.check(SHIFT_ASSIGNMENT);
  }

  private static final String COMPLEMENT = TESTER.add("p.BitwiseComplement", """
      package p;

      import dev.adjoint.Differentiable;

      class BitwiseComplement {
        @Differentiable
        static double f(double x, int n) {
          // BUG: Diagnostic contains: [ADJ202] ... `~n` is not supported
          return x * ~n;
        }
      }
      """);

  @Test
  void bitwiseComplement() {
    TESTER.check(COMPLEMENT);
  }

  // g differentiates x only, so the y that f differentiates has no way back through g.
  private static final String WRT_EXCLUDED = TESTER.add("p.WrtExcluded", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtExcluded {
        @Differentiable(wrt = "x")
        static double g(double x, double y) {
          return x * y;
        }

        @Differentiable
        static double f(double x, double y) {
          // BUG: Diagnostic contains: [ADJ214] WrtExcluded.g does not differentiate its parameter 2 ... add the parameter to its wrt
          return g(x, y);
        }
      }
      """);

  @Test
  void differentiatedValueIntoAnArgumentExcludedByWrt() {
    TESTER.check(WRT_EXCLUDED);
  }

  private static final String BOXED_CAST = TESTER.add("p.BoxedCast", """
      package p;

      import dev.adjoint.Differentiable;

      class BoxedCast {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] a cast to Double
          return (Double) x;
        }
      }
      """);

  @Test
  void castToBoxedType() {
    TESTER.check(BOXED_CAST);
  }

  private static final String VARIED_ARRAY_TO_OPAQUE_CALL = TESTER.add("p.VariedArrayToOpaqueCall", """
      package p;

      import dev.adjoint.Differentiable;

      class VariedArrayToOpaqueCall {
        static int calls;

        static double fill(double[] buffer) {
          calls++; // an effect: a call of unknown purity (a pure one would run in place)
          buffer[0] = 4;
          return 0;
        }

        @Differentiable
        static double f(double x) {
          double[] buffer = {x};
          // BUG: Diagnostic contains: [ADJ221] buffer holds differentiated values and is handed to VariedArrayToOpaqueCall.fill
          double ignored = fill(buffer);
          return buffer[0] * x;
        }
      }
      """);

  @Test
  void anArrayHoldingDifferentiatedValuesMustNotReachAnOpaqueCall() {
    TESTER.check(VARIED_ARRAY_TO_OPAQUE_CALL);
  }

  private static final String IMPURE_CALLEE = TESTER.add("p.ImpureCallee", """
      package p;

      import dev.adjoint.Differentiable;

      class ImpureCallee {
        static int calls;

        static double next() {
          calls++;
          return calls;
        }

        @Differentiable
        static double counted(double x) {
          return x * next();
        }

        @Differentiable
        static double viaCounted(double x) {
          // BUG: Diagnostic contains: [ADJ223] ImpureCallee.counted makes calls of unknown purity
          return 2 * counted(x);
        }

        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ223] ImpureCallee.viaCounted makes calls of unknown purity
          return viaCounted(x) * x;
        }

        @Differentiable(wrt = "x")
        static double onlyItsValue(double x, double y) {
          return x * viaCounted(y);
        }
      }
      """);

  @Test
  void aCalleeThatCallsAnOpaqueMethodIsNotRunAgainByAPullback() {
    TESTER.check(IMPURE_CALLEE);
  }

  // Written through b, read through a: the gradient must follow, or the alias must be refused.
  private static final String LOCAL_ARRAY_ALIAS = TESTER.add("p.LocalArrayAlias", """
      package p;

      import dev.adjoint.Differentiable;

      class LocalArrayAlias {
        @Differentiable
        static double f(double x) {
          double[] a = new double[1];
          double[] b = a;
          // BUG: Diagnostic contains: [ADJ216] writing into b, which shares its array ... since `double[] b = a`
          b[0] = x;
          return a[0] * a[0];
        }
      }
      """);

  @Test
  void aliasOfALocalArray() {
    TESTER.check(LOCAL_ARRAY_ALIAS);
  }

  // Valid Java (the loop never ends, so no return is needed); checked alone, because the
  // generated file is compiled only when no other source has an Adjoint error.
  @Test
  void endlessLoopIsReportedInsteadOfGeneratingUnreachableCode() {
    DiagnosticTester alone = DiagnosticTester.create();
    alone.check(alone.add("p.EndlessLoop", """
        package p;

        import dev.adjoint.Differentiable;

        class EndlessLoop {
          @Differentiable
          static double f(double x) {
            // BUG: Diagnostic contains: [ADJ215] this loop never ends
            while (true) {
              x = x * 2;
            }
          }
        }
        """));
  }

  // ------------------------------------------------- good next to bad in one class

  private static final String MIXED = TESTER.add("p.Mixed", """
      package p;

      import dev.adjoint.Differentiable;

      class Mixed {
        @Differentiable
        static double square(double x) {
          return x * x;
        }

        @Differentiable
        static double broken(double x) {
          // BUG: Diagnostic contains: [ADJ201] the synchronized
          synchronized (Mixed.class) {
            return x;
          }
        }
      }
      """);

  @Test
  void goodMethodNextToBadOneStillGetsItsCompanion() {
    TESTER.check(MIXED);
    String companion = TESTER.generatedSource("p.MixedGrad");
    assertTrue(companion.contains("SquareGradient square(double x)"), companion);
    assertFalse(companion.contains("broken"), companion);
  }
}
