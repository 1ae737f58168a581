package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.Differentiable;
import dev.adjoint.processor.AdjointProcessor;
import java.io.File;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The messages the other diagnostics tests leave out (ADJ114–ADJ116, ADJ217–ADJ220, ADJ401) and
 * more shapes of the others, so that every entry of {@code docs/DIAGNOSTICS.md} has a negative
 * case that produces it. All sources but the last few share one compilation; each test checks
 * the markers of its own source.
 */
class MoreDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  // ------------------------------------------------------------ signature (ADJ1xx)

  // Hessians are generated for doubles and arrays of them, not for a Matrix.
  private static final String HESSIAN_ON_MATRIX = TESTER.add("p.HessianOnMatrix", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class HessianOnMatrix {
        @Differentiable(also = HESSIAN)
        // BUG: Diagnostic contains: [ADJ114] also = [HESSIAN]: HESSIAN and TAYLOR are generated for double, double[] and double[][] parameters, HESSIAN also for records of them; m has type dev.adjoint.runtime.Matrix
        static double total(Matrix m) {
          return m.sum();
        }
      }
      """);

  @Test
  void hessianOfAMatrixParameter() {
    TESTER.check(HESSIAN_ON_MATRIX);
  }

  private static final String HESSIAN_ON_RECORD = TESTER.add("p.HessianOnRecord", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Matrix;

      class HessianOnRecord {
        record Layer(Matrix weights, double bias) {}

        @Differentiable(also = HESSIAN)
        static double at(
            // BUG: Diagnostic contains: [ADJ114] also = [HESSIAN] ... layer has type p.HessianOnRecord.Layer
            Layer layer,
            double x) {
          return layer.weights().sum() * x + layer.bias();
        }
      }
      """);

  @Test
  void hessianOfARecordParameter() {
    TESTER.check(HESSIAN_ON_RECORD);
  }

  private static final String TAYLOR_ON_VECTOR = TESTER.add("p.TaylorOnVector", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorOnVector {
        // BUG: Diagnostic contains: [ADJ115] also = TAYLOR is generated for methods returning double; pair returns double[]
        @Differentiable(also = TAYLOR)
        static double[] pair(double x) {
          return new double[] {x, x * x};
        }
      }
      """);

  @Test
  void taylorOfAVectorValuedMethod() {
    TESTER.check(TAYLOR_ON_VECTOR);
  }

  private static final String TAYLOR_OF_TWO = TESTER.add("p.TaylorOfTwo", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorOfTwo {
        // BUG: Diagnostic contains: [ADJ116] also = TAYLOR gives derivatives of a function of one double parameter; area differentiates [w, h]
        @Differentiable(also = TAYLOR)
        static double area(double w, double h) {
          return w * h;
        }
      }
      """);

  @Test
  void taylorOfAFunctionOfTwoParameters() {
    TESTER.check(TAYLOR_OF_TWO);
  }

  // One parameter, but an array: found only when the Taylor code is built, so the error is on the
  // method rather than on its annotation.
  private static final String TAYLOR_OF_ARRAY = TESTER.add("p.TaylorOfArray", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorOfArray {
        @Differentiable(also = TAYLOR)
        // BUG: Diagnostic contains: [ADJ116] ... norm2 differentiates
        static double norm2(double[] v) {
          return v[0] * v[0] + v[1] * v[1];
        }
      }
      """);

  @Test
  void taylorOfAnArrayFunction() {
    TESTER.check(TAYLOR_OF_ARRAY);
  }

  // Taylor mode goes through another @Differentiable method only when it has TAYLOR too; a
  // @DerivativeRule gives no series.
  private static final String TAYLOR_THROUGH_CALL = TESTER.add("p.TaylorThroughCall", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;
      import dev.adjoint.DerivativeRule;

      class TaylorThroughCall {
        @Differentiable
        static double square(double x) {
          return x * x;
        }

        static double cube(double x) {
          return x * x * x;
        }

        @DerivativeRule(method = "cube")
        static double cubeDerivative(double x) {
          return 3 * x * x;
        }

        @Differentiable(also = TAYLOR)
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ264] Taylor mode goes through square only if it has its own: add TAYLOR
          return square(x) + 1;
        }

        @Differentiable(also = TAYLOR)
        static double g(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to cube in Taylor mode (only java.lang.Math functions, helpers and @Differentiable methods with TAYLOR
          return cube(x) + 1;
        }
      }
      """);

  @Test
  void taylorThroughAnotherDifferentiableMethod() {
    TESTER.check(TAYLOR_THROUGH_CALL);
  }
  // A helper whose body Taylor mode cannot expand fails its Taylor-mode caller at the call.
  private static final String TAYLOR_THROUGH_HELPER = TESTER.add("p.TaylorThroughHelper", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorThroughHelper {
        static double pairProduct(double v) {
          double[] pair = {v, 2 * v};
          return pair[0] * pair[1];
        }

        @Differentiable(also = TAYLOR)
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ271] TaylorThroughHelper.pairProduct ... [ADJ201] `double[] pair = {v, 2 * v}` in Taylor mode
          return pairProduct(x) + 1;
        }
      }
      """);

  @Test
  void taylorThroughAHelperItCannotExpand() {
    TESTER.check(TAYLOR_THROUGH_HELPER);
  }


  // An array of doubles computed from series would keep only their values.
  private static final String TAYLOR_OF_ARRAY_OF_SERIES = TESTER.add("p.TaylorOfArrayOfSeries", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorOfArrayOfSeries {
        @Differentiable(also = TAYLOR)
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ201] `double[] a = {x, x * x}` in Taylor mode (arrays of doubles are not expanded into series)
          double[] a = {x, x * x};
          return a[0] + a[1];
        }
      }
      """);

  private static final String TAYLOR_OVER_ARRAY_OF_SERIES = TESTER.add("p.TaylorOverArrayOfSeries", """
      package p;

      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class TaylorOverArrayOfSeries {
        @Differentiable(also = TAYLOR)
        static double f(double x) {
          double s = 0;
          // BUG: Diagnostic contains: [ADJ201] `new double[]{x, 2 * x}` in Taylor mode (arrays of doubles
          for (double v : new double[] {x, 2 * x}) {
            s += v;
          }
          return s;
        }
      }
      """);

  @Test
  void taylorOfAnArrayOfSeries() {
    TESTER.check(TAYLOR_OF_ARRAY_OF_SERIES);
    TESTER.check(TAYLOR_OVER_ARRAY_OF_SERIES);
  }

  private static final String TANGENT_THROUGH_CALL = TESTER.add("p.TangentThroughCall", """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class TangentThroughCall {
        @Differentiable
        static double square(double x) {
          return x * x;
        }

        @Differentiable(also = TANGENT)
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ219] forward mode goes through square only if it has its own: add TANGENT to its @Differentiable(also = ...)
          return square(x) + 1;
        }
      }
      """);

  @Test
  void tangentThroughACalleeWithoutTangent() {
    TESTER.check(TANGENT_THROUGH_CALL);
  }

  private static final String HESSIAN_THROUGH_CALL = TESTER.add("p.HessianThroughCall", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class HessianThroughCall {
        @Differentiable
        static double square(double x) {
          return x * x;
        }

        @Differentiable(also = HESSIAN)
        static double f(double x, double y) {
          // BUG: Diagnostic contains: [ADJ219] forward mode goes through square
          return square(x) * y;
        }
      }
      """);

  @Test
  void hessianThroughACalleeWithoutTangent() {
    TESTER.check(HESSIAN_THROUGH_CALL);
  }

  private static final String HESSIAN_THROUGH_TANGENT_ONLY = TESTER.add("p.HessianThroughTangentOnly", """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class HessianThroughTangentOnly {
        @Differentiable(also = TANGENT)
        static double[] squares(double[] x) {
          double[] out = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * x[i];
          }
          return out;
        }

        @Differentiable(also = HESSIAN)
        static double f(double[] x) {
          // BUG: Diagnostic contains: [ADJ220] the Hessian goes through squares only if it has its own: add HESSIAN to its @Differentiable(also = ...)
          double[] s = squares(x);
          return s[0] * s[1];
        }
      }
      """);

  @Test
  void hessianThroughACalleeWithTangentOnly() {
    TESTER.check(HESSIAN_THROUGH_TANGENT_ONLY);
  }

  private static final String DEFAULT_METHOD = TESTER.add("p.DefaultMethod", """
      package p;

      import dev.adjoint.Differentiable;

      interface DefaultMethod {
        // BUG: Diagnostic contains: [ADJ112] @Differentiable method area must be declared in a class, not an interface
        @Differentiable
        default double area(double r) {
          return Math.PI * r * r;
        }
      }
      """);

  @Test
  void defaultMethodOfAnInterface() {
    TESTER.check(DEFAULT_METHOD);
  }

  private static final String ANNOTATION_MEMBER = TESTER.add("p.AnnotationMember", """
      package p;

      import dev.adjoint.Differentiable;

      @interface AnnotationMember {
        // BUG: Diagnostic contains: [ADJ112] @Differentiable method scale must be declared in a class
        @Differentiable
        double scale();
      }
      """);

  @Test
  void memberOfAnAnnotationType() {
    TESTER.check(ANNOTATION_MEMBER);
  }

  private static final String RETURNS_VOID = TESTER.add("p.ReturnsVoid", """
      package p;

      import dev.adjoint.Differentiable;

      class ReturnsVoid {
        // BUG: Diagnostic contains: [ADJ103] @Differentiable method print returns void
        @Differentiable
        static void print(double x) {
        }
      }
      """);

  @Test
  void voidMethod() {
    TESTER.check(RETURNS_VOID);
  }

  private static final String RETURNS_MATRIX_ARRAY = TESTER.add("p.ReturnsMatrixArray", """
      package p;

      import dev.adjoint.Differentiable;

      class ReturnsMatrixArray {
        record Fit(double[] weights, double bias) {}

        // A double[][] result is a vector-valued function now (ADJ103 narrowed).
        @Differentiable
        static double[][] outer(double x) {
          return new double[][] {{x}};
        }

        // BUG: Diagnostic contains: [ADJ103] @Differentiable method fit returns p.ReturnsMatrixArray.Fit; it must return double (or double[], double[][], Matrix or a record of doubles
        @Differentiable
        static Fit fit(double x) {
          return new Fit(new double[] {x}, x);
        }
      }
      """);

  @Test
  void methodReturningARecordHoldingAnArray() {
    TESTER.check(RETURNS_MATRIX_ARRAY);
  }

  private static final String BOXED_PARAMETER = TESTER.add("p.BoxedParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class BoxedParameter {
        @Differentiable
        // BUG: Diagnostic contains: [ADJ104] parameter x has type java.lang.Double
        static double twice(Double x) {
          return 2 * x;
        }
      }
      """);

  @Test
  void boxedDoubleParameter() {
    TESTER.check(BOXED_PARAMETER);
  }

  private static final String CUBE_PARAMETER = TESTER.add("p.CubeParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class CubeParameter {
        @Differentiable
        // BUG: Diagnostic contains: [ADJ104] parameter t has type double[][][]
        static double corner(double[][][] t) {
          return t[0][0][0];
        }
      }
      """);

  @Test
  void threeDimensionalArrayParameter() {
    TESTER.check(CUBE_PARAMETER);
  }

  private static final String ONLY_DATA = TESTER.add("p.OnlyData", """
      package p;

      import dev.adjoint.Differentiable;

      class OnlyData {
        // BUG: Diagnostic contains: [ADJ105] @Differentiable method count has no parameter to differentiate
        @Differentiable
        static double count(long n, boolean even, int[] k) {
          return even ? n : k.length;
        }
      }
      """);

  @Test
  void onlyDataParameters() {
    TESTER.check(ONLY_DATA);
  }

  private static final String WRT_TYPO = TESTER.add("p.WrtTypo", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtTypo {
        // BUG: Diagnostic contains: [ADJ106] wrt names "weigths", which is not a parameter of loss; its parameters are: x, weights
        @Differentiable(wrt = {"x", "weigths"})
        static double loss(double x, double[] weights) {
          return x * weights[0];
        }
      }
      """);

  @Test
  void misspeltWrt() {
    TESTER.check(WRT_TYPO);
  }

  private static final String WRT_BOOLEAN = TESTER.add("p.WrtBoolean", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtBoolean {
        // BUG: Diagnostic contains: [ADJ107] wrt names "flip" of type boolean
        @Differentiable(wrt = {"x", "flip"})
        static double sign(double x, boolean flip) {
          return flip ? -x : x;
        }
      }
      """);

  @Test
  void wrtNamesABooleanParameter() {
    TESTER.check(WRT_BOOLEAN);
  }

  private static final String VALUE_ARRAY = TESTER.add("p.ValueArray", """
      package p;

      import dev.adjoint.Differentiable;

      class ValueArray {
        // BUG: Diagnostic contains: [ADJ109] differentiated parameter "value" would clash
        @Differentiable
        static double first(double[] value) {
          return value[0];
        }
      }
      """);

  @Test
  void arrayParameterNamedValue() {
    TESTER.check(VALUE_ARRAY);
  }

  private static final String PRIVATE_NESTED = TESTER.add("p.PrivateNested", """
      package p;

      import dev.adjoint.Differentiable;

      class PrivateNested {
        static class Inner {
          // BUG: Diagnostic contains: [ADJ113] @Differentiable method hidden is private
          @Differentiable
          private static double hidden(double x) {
            return x * x;
          }
        }
      }
      """);

  @Test
  void privateMethodOfANestedClass() {
    TESTER.check(PRIVATE_NESTED);
  }

  private static final String THREE_OVERLOADS = TESTER.add("p.ThreeOverloads", """
      package p;

      import dev.adjoint.Differentiable;

      class ThreeOverloads {
        @Differentiable
        static double norm(double x) {
          return Math.abs(x);
        }

        // BUG: Diagnostic contains: [ADJ108] two @Differentiable methods named norm in ThreeOverloads would share the generated class NormGradient
        @Differentiable
        static double norm(double x, double y) {
          return Math.hypot(x, y);
        }

        // BUG: Diagnostic contains: [ADJ108] two @Differentiable methods named norm
        @Differentiable
        static double norm(double[] v) {
          return v[0];
        }
      }
      """);

  @Test
  void everyLaterOverloadIsReported() {
    TESTER.check(THREE_OVERLOADS);
  }

  // The companion of a nested class is Outer_InnerGrad; a class of that name is in the way.
  private static final String NESTED_COMPANION_TAKEN = TESTER.add("p.Shell", """
      package p;

      import dev.adjoint.Differentiable;

      class Shell {
        // BUG: Diagnostic contains: [ADJ403] a class named p.Shell_CoreGrad already exists, but Adjoint generates the gradients of Core there
        static class Core {
          @Differentiable
          static double square(double x) {
            return x * x;
          }
        }
      }

      class Shell_CoreGrad {
      }
      """);

  @Test
  void nestedClassCompanionNameTaken() {
    TESTER.check(NESTED_COMPANION_TAKEN);
  }

  // ------------------------------------------------------------------- body (ADJ2xx)

  private static final String ASSERT = TESTER.add("p.AssertStatement", """
      package p;

      import dev.adjoint.Differentiable;

      class AssertStatement {
        @Differentiable
        static double root(double x) {
          // BUG: Diagnostic contains: [ADJ201] the assert `assert x >= 0;` is not supported
          assert x >= 0;
          return Math.sqrt(x);
        }
      }
      """);

  @Test
  void assertStatement() {
    TESTER.check(ASSERT);
  }

  private static final String CALL_STATEMENT = TESTER.add("p.CallStatement", """
      package p;

      import dev.adjoint.Differentiable;

      class CallStatement {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ201] the method invocation `Math.sin(x)` as a statement of its own is not supported
          Math.sin(x);
          return x;
        }
      }
      """);

  @Test
  void callWhoseValueIsDropped() {
    TESTER.check(CALL_STATEMENT);
  }

  private static final String OR_ASSIGNMENT = TESTER.add("p.OrAssignment", """
      package p;

      import dev.adjoint.Differentiable;

      class OrAssignment {
        @Differentiable
        static double f(double x, boolean b) {
          boolean c = b;
          // BUG: Diagnostic contains: [ADJ201] the compound assignment |= in `c |= x > 0`
          c |= x > 0;
          return c ? x : -x;
        }
      }
      """);

  @Test
  void logicalCompoundAssignment() {
    TESTER.check(OR_ASSIGNMENT);
  }

  private static final String CHAR_LITERAL = TESTER.add("p.CharLiteral", """
      package p;

      import dev.adjoint.Differentiable;

      class CharLiteral {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ202] the char literal `'a'`
          return x * 'a';
        }
      }
      """);

  @Test
  void charLiteral() {
    TESTER.check(CHAR_LITERAL);
  }

  private static final String SHORT_LOCAL = TESTER.add("p.ShortLocal", """
      package p;

      import dev.adjoint.Differentiable;

      class ShortLocal {
        @Differentiable
        static double f(double x, int k) {
          // BUG: Diagnostic contains: [ADJ203] local variable shift has type short
          short shift = 3;
          return x * shift * k;
        }
      }
      """);

  @Test
  void shortLocal() {
    TESTER.check(SHORT_LOCAL);
  }

  private static final String STRING_LOCAL = TESTER.add("p.StringLocal", """
      package p;

      import dev.adjoint.Differentiable;

      class StringLocal {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ203] local variable name has type CharSequence
          CharSequence name = "f";
          return x;
        }
      }
      """);

  @Test
  void stringLocal() {
    TESTER.check(STRING_LOCAL);
  }

  // A function of the user's own, in another class, with neither a rule nor @Differentiable, which
  // is no helper Adjoint can differentiate: it counts its calls.
  private static final String NO_RULE_STATIC_IMPORT = TESTER.add("p.NoRuleImported", """
      package p;

      import static p.Helpers.softclip;

      import dev.adjoint.Differentiable;

      class NoRuleImported {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ270] a differentiated value flows into Helpers.softclip, which is not @Differentiable ... line 19 of NoRuleImported.java: [ADJ205] assignment to calls
          return softclip(x) * 2;
        }
      }

      class Helpers {
        static int calls;

        static double softclip(double v) {
          calls++;
          return v / (1 + Math.abs(v));
        }
      }
      """);

  @Test
  void staticallyImportedFunctionWithoutRule() {
    TESTER.check(NO_RULE_STATIC_IMPORT);
  }

  private static final String FIELD_OF_ANOTHER_CLASS = TESTER.add("p.FieldOfAnotherClass", """
      package p;

      import dev.adjoint.Differentiable;

      class FieldOfAnotherClass {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ205] assignment to Counters.last
          Counters.last = x;
          return x * x;
        }
      }

      class Counters {
        static double last;
      }
      """);

  @Test
  void assignmentToAnotherClassesField() {
    TESTER.check(FIELD_OF_ANOTHER_CLASS);
  }

  private static final String NON_FINAL_ELSEWHERE = TESTER.add("p.NonFinalElsewhere", """
      package p;

      import dev.adjoint.Differentiable;

      class NonFinalElsewhere {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ206] Settings.rate is not a static final field
          return Settings.rate * x;
        }
      }

      class Settings {
        static double rate = 0.1;
      }
      """);

  @Test
  void nonFinalFieldOfAnotherClass() {
    TESTER.check(NON_FINAL_ELSEWHERE);
  }

  private static final String COMPOUND_INTO_PARAMETER = TESTER.add("p.CompoundIntoParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class CompoundIntoParameter {
        @Differentiable
        static double f(double[] w, double x) {
          // BUG: Diagnostic contains: [ADJ207] writing into parameter array w
          w[0] += x;
          return w[0];
        }
      }
      """);

  @Test
  void compoundAssignmentIntoParameterArray() {
    TESTER.check(COMPOUND_INTO_PARAMETER);
  }

  private static final String INTO_PARAMETER_MATRIX = TESTER.add("p.IntoParameterMatrix", """
      package p;

      import dev.adjoint.Differentiable;

      class IntoParameterMatrix {
        @Differentiable
        static double f(double[][] m, double x) {
          // BUG: Diagnostic contains: [ADJ207] writing into parameter array m
          m[1][0] = x;
          return m[0][0] * m[1][0];
        }
      }
      """);

  @Test
  void writeIntoARowOfAParameterMatrix() {
    TESTER.check(INTO_PARAMETER_MATRIX);
  }

  private static final String STRING_CALL = TESTER.add("p.StringCall", """
      package p;

      import dev.adjoint.Differentiable;

      class StringCall {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to java.lang.String.valueOf (return type java.lang.String) is not supported
          return x * String.valueOf(x).length();
        }
      }
      """);

  @Test
  void callReturningAnObject() {
    TESTER.check(STRING_CALL);
  }

  private static final String GENERIC_HELPER = TESTER.add("p.GenericHelper", """
      package p;

      import dev.adjoint.Differentiable;

      class GenericHelper {
        static <T> double same(double v) {
          return v;
        }

        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to p.GenericHelper.same (only static methods without varargs or type parameters)
          return same(x) * x;
        }
      }
      """);

  @Test
  void callToAGenericHelper() {
    TESTER.check(GENERIC_HELPER);
  }

  private static final String VARARGS_HELPER = TESTER.add("p.VarargsHelper", """
      package p;

      import dev.adjoint.Differentiable;

      class VarargsHelper {
        static double total(double... values) {
          double sum = 0;
          for (double v : values) {
            sum += v;
          }
          return sum;
        }

        @Differentiable
        static double f(double x, double[] w) {
          // BUG: Diagnostic contains: [ADJ209] call to p.VarargsHelper.total (only static methods without varargs or type parameters)
          return x * total(w);
        }
      }
      """);

  @Test
  void callToAVarargsHelperWithAnArray() {
    TESTER.check(VARARGS_HELPER);
  }

  private static final String CHOOSE_ARRAYS = TESTER.add("p.ChooseArrays", """
      package p;

      import dev.adjoint.Differentiable;

      class ChooseArrays {
        @Differentiable
        static double f(double x, boolean small) {
          // BUG: Diagnostic contains: [ADJ210] choosing between arrays with ?: would make two names for one array
          double[] a = small ? new double[1] : new double[2];
          return x;
        }
      }
      """);

  @Test
  void conditionalBetweenArrays() {
    TESTER.check(CHOOSE_ARRAYS);
  }

  private static final String ROW_OF_PARAMETER = TESTER.add("p.RowOfParameter", """
      package p;

      import dev.adjoint.Differentiable;

      class RowOfParameter {
        @Differentiable
        static double f(double[][] m) {
          // BUG: Diagnostic contains: [ADJ210] giving a parameter's array, or a row of one, a second name
          double[] row = m[0];
          return row[0];
        }
      }
      """);

  @Test
  void rowOfAParameterMatrixGivenAName() {
    TESTER.check(ROW_OF_PARAMETER);
  }

  private static final String STORE_ROW = TESTER.add("p.StoreRow", """
      package p;

      import dev.adjoint.Differentiable;

      class StoreRow {
        @Differentiable
        static double f(double x) {
          double[][] m = new double[2][2];
          // BUG: Diagnostic contains: [ADJ210] storing an array into an array
          m[0] = new double[2];
          return m[1][0] + x;
        }
      }
      """);

  @Test
  void rowReplaced() {
    TESTER.check(STORE_ROW);
  }

  private static final String LABELLED_BLOCK_AROUND_LOOP = TESTER.add("p.LabelledBlockAroundLoop", """
      package p;

      import dev.adjoint.Differentiable;

      class LabelledBlockAroundLoop {
        @Differentiable
        static double f(double x) {
          double y = x;
          // BUG: Diagnostic contains: [ADJ211] label outer is on a statement that is not a loop
          outer: {
            for (int i = 0; i < 2; i++) {
              y = y * 2;
            }
          }
          return y;
        }
      }
      """);

  @Test
  void labelOnABlockAroundALoop() {
    TESTER.check(LABELLED_BLOCK_AROUND_LOOP);
  }

  private static final String OPAQUE_CALL_IN_BRANCH = TESTER.add("p.OpaqueCallInBranch", """
      package p;

      import dev.adjoint.Differentiable;

      class OpaqueCallInBranch {
        static int calls;

        static int pick(int i) {
          calls++;
          return i % 2;
        }

        @Differentiable
        static double f(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            // BUG: Diagnostic contains: [ADJ222] OpaqueCallInBranch.pick, whose effects Adjoint cannot see
            int k = i > 0 && pick(i) == 1 ? 1 : 0;
            s += x[i] * x[k];
          }
          return s;
        }
      }
      """);

  @Test
  void anOpaqueCallInABranchOfAValueIsLocated() {
    TESTER.check(OPAQUE_CALL_IN_BRANCH);
  }

  private static final String WRT_EXCLUDED_ELSEWHERE = TESTER.add("p.WrtExcludedElsewhere", """
      package p;

      import dev.adjoint.Differentiable;

      class WrtExcludedElsewhere {
        @Differentiable
        static double f(double x, double[] w) {
          // BUG: Diagnostic contains: [ADJ214] Scorer.score does not differentiate its parameter 2 (its wrt leaves it out)
          return Scorer.score(x, w);
        }
      }

      class Scorer {
        @Differentiable(wrt = "x")
        static double score(double x, double[] w) {
          return x * w[0];
        }
      }
      """);

  @Test
  void arrayArgumentExcludedByTheCalleesWrt() {
    TESTER.check(WRT_EXCLUDED_ELSEWHERE);
  }

  private static final String WRITE_THROUGH_SOURCE = TESTER.add("p.WriteThroughSource", """
      package p;

      import dev.adjoint.Differentiable;

      class WriteThroughSource {
        @Differentiable
        static double f(double x) {
          double[] a = new double[1];
          double[] b = a;
          // BUG: Diagnostic contains: [ADJ216] writing into a, which shares its array with another variable since `double[] b = a`
          a[0] = x;
          return b[0];
        }
      }
      """);

  @Test
  void writeIntoTheArrayThatWasGivenASecondName() {
    TESTER.check(WRITE_THROUGH_SOURCE);
  }

  private static final String ALIAS_OF_OUTER = TESTER.add("p.AliasOfOuter", """
      package p;

      import dev.adjoint.Differentiable;

      class AliasOfOuter {
        @Differentiable
        static double f(double x, boolean flag) {
          double[] a = new double[2];
          a[0] = x;
          if (flag) {
            // BUG: Diagnostic contains: [ADJ217] `double[] b = a` gives a second name to a, which is declared outside this block
            double[] b = a;
            return b[0];
          }
          return a[0] * x;
        }
      }
      """);

  @Test
  void secondNameForAnArrayOfAnOuterBlock() {
    TESTER.check(ALIAS_OF_OUTER);
  }

  // The same by assignment: b is re-pointed, inside the if, at an array of the enclosing block.
  private static final String ALIAS_BY_ASSIGNMENT = TESTER.add("p.AliasByAssignment", """
      package p;

      import dev.adjoint.Differentiable;

      class AliasByAssignment {
        @Differentiable
        static double f(double x, boolean flag) {
          double[] a = new double[1];
          double[] b = new double[1];
          a[0] = x;
          b[0] = 2 * x;
          if (flag) {
            // BUG: Diagnostic contains: [ADJ217] ... gives a second name to a, which is declared outside this block
            b = a;
          }
          return b[0] * x;
        }
      }
      """);

  @Test
  void arrayOfAnOuterBlockAssignedInAnInnerOne() {
    TESTER.check(ALIAS_BY_ASSIGNMENT);
  }

  // For an assignment the message quotes only its right-hand side: "`a` gives a second name to
  // a", where the declaration form quotes the whole `double[] b = a`.
  @Test
  void aliasByAssignmentQuotesTheAssignment() {
    DiagnosticTester alone = DiagnosticTester.create();
    alone.check(alone.add("p.AliasQuoted", """
        package p;

        import dev.adjoint.Differentiable;

        class AliasQuoted {
          @Differentiable
          static double f(double x, boolean flag) {
            double[] a = new double[1];
            double[] b = new double[1];
            a[0] = x;
            if (flag) {
              // BUG: Diagnostic contains: [ADJ217] `b = a` gives a second name to a
              b = a;
            }
            return b[0] * x;
          }
        }
        """));
  }

  private static final String RECORD_AS_VALUE = TESTER.add("p.RecordAsValue", """
      package p;

      import dev.adjoint.Differentiable;

      class RecordAsValue {
        record Inner(double a, double b) {}

        record Outer(Inner inner, double c) {}

        static double sum(Inner i) {
          return i.a() + i.b();
        }

        @Differentiable
        static double f(Outer o) {
          // BUG: Diagnostic contains: [ADJ235] `o.inner()` uses the record Inner as a value that Adjoint cannot take apart
          return o.inner() == null ? 0 : sum(o.inner()) * o.c();
        }
      }
      """);

  @Test
  void nestedRecordComparedAsAValue() {
    TESTER.check(RECORD_AS_VALUE);
  }

  // ENDLESS_LOOP in its for form; alone, as in BodyDiagnosticsTest, so that any generated file
  // would be compiled and a regression would show as unreachable code.
  @Test
  void endlessForLoop() {
    DiagnosticTester alone = DiagnosticTester.create();
    alone.check(alone.add("p.EndlessFor", """
        package p;

        import dev.adjoint.Differentiable;

        class EndlessFor {
          @Differentiable
          static double f(double x) {
            double y = x;
            // BUG: Diagnostic contains: [ADJ215] this loop never ends
            for (int i = 0; ; i++) {
              y = y * 0.5;
            }
          }
        }
        """));
  }

  // ------------------------------------------------------------------- rules (ADJ3xx)

  private static final String RULE_ARRAY_OWNER = TESTER.add("p.RuleArrayOwner", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleArrayOwner {
        // BUG: Diagnostic contains: [ADJ303] @DerivativeRule names owner double[], which is not a class on the classpath
        @DerivativeRule(owner = double[].class, method = "clone")
        static double cloneDerivative(double x) {
          return 1;
        }
      }
      """);

  @Test
  void ruleOwnerIsAnArrayType() {
    TESTER.check(RULE_ARRAY_OWNER);
  }

  private static final String RULE_WRONG_TYPE = TESTER.add("p.RuleWrongType", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleWrongType {
        static double poly(double x) {
          return x * x;
        }

        // BUG: Diagnostic contains: [ADJ304] @DerivativeRule method polyDerivative matches no method p.RuleWrongType.poly(int)
        @DerivativeRule(method = "poly")
        static double polyDerivative(int x) {
          return 2 * x;
        }
      }
      """);

  @Test
  void ruleParameterOfTheWrongType() {
    TESTER.check(RULE_WRONG_TYPE);
  }

  private static final String RULE_MISSPELT_FUNCTION = TESTER.add("p.RuleMisspeltFunction", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleMisspeltFunction {
        static double softsign(double x) {
          return x / (1 + Math.abs(x));
        }

        // BUG: Diagnostic contains: [ADJ304] @DerivativeRule method softsignDerivative matches no method p.RuleMisspeltFunction.sofsign(double)
        @DerivativeRule(method = "sofsign")
        static double softsignDerivative(double x) {
          double d = 1 + Math.abs(x);
          return 1 / (d * d);
        }
      }
      """);

  @Test
  void ruleForAMisspeltFunction() {
    TESTER.check(RULE_MISSPELT_FUNCTION);
  }

  private static final String RULE_RETURNS_ARRAY = TESTER.add("p.RuleReturnsArray", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleReturnsArray {
        static double poly(double x) {
          return x * x;
        }

        // BUG: Diagnostic contains: [ADJ302] @DerivativeRule method polyDerivative must return double ... not double[]
        @DerivativeRule(method = "poly")
        static double[] polyDerivative(double x) {
          return new double[] {2 * x};
        }
      }
      """);

  @Test
  void scalarRuleReturningAnArray() {
    TESTER.check(RULE_RETURNS_ARRAY);
  }

  private static final String RULE_INSTANCE_FUNCTION = TESTER.add("p.RuleNotStaticForStatic", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleNotStaticForStatic {
        static double cube(double x) {
          return x * x * x;
        }

        // BUG: Diagnostic contains: [ADJ301] @DerivativeRule method cubeDerivative must be static
        @DerivativeRule(method = "cube")
        public double cubeDerivative(double x, double value) {
          return 3 * value / x;
        }
      }
      """);

  @Test
  void publicInstanceRule() {
    TESTER.check(RULE_INSTANCE_FUNCTION);
  }

  private static final String RULE_THREE_PARAMETERS = TESTER.add("p.RuleThreeParameters", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleThreeParameters {
        static double volume(double w, double h, double d) {
          return w * h * d;
        }

        // BUG: Diagnostic contains: [ADJ305] @DerivativeRule for volume, a function of 3 parameters, must say which partial it gives with wrt = one of [w, h, d]
        @DerivativeRule(method = "volume")
        static double volumeDerivative(double w, double h, double d) {
          return h * d;
        }

        // BUG: Diagnostic contains: [ADJ306] @DerivativeRule wrt = "depth" names no parameter of volumeByDepth; its parameters are [w, h, d]
        @DerivativeRule(method = "volume", wrt = "depth")
        static double volumeByDepth(double w, double h, double d) {
          return w * h;
        }
      }
      """);

  @Test
  void threeParameterFunctionWithoutAndWithABadWrt() {
    TESTER.check(RULE_THREE_PARAMETERS);
  }

  private static final String RULE_DUPLICATE_VALUE_FORM = TESTER.add("p.RuleDuplicateWrt", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleDuplicateWrt {
        static double area(double w, double h) {
          return w * h;
        }

        @DerivativeRule(method = "area", wrt = "w")
        static double areaByW(double w, double h) {
          return h;
        }

        // BUG: Diagnostic contains: [ADJ307] a second @DerivativeRule for the partial of area with respect to parameter 1 (counting from 1)
        @DerivativeRule(method = "area", wrt = "width")
        static double areaByWidth(double width, double height, double value) {
          return value / width;
        }
      }
      """);

  @Test
  void duplicateRuleUnderAnotherParameterName() {
    TESTER.check(RULE_DUPLICATE_VALUE_FORM);
  }

  private static final String RULE_WRT_BOOLEAN = TESTER.add("p.RuleWrtBoolean", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleWrtBoolean {
        static double flip(double x, boolean negate) {
          return negate ? -x : x;
        }

        // BUG: Diagnostic contains: [ADJ308] @DerivativeRule wrt = "negate" names a parameter of type boolean, which is not differentiated
        @DerivativeRule(method = "flip", wrt = "negate")
        static double flipByNegate(double x, boolean negate) {
          return 0;
        }
      }
      """);

  @Test
  void ruleForABooleanParameter() {
    TESTER.check(RULE_WRT_BOOLEAN);
  }

  // A user rule for a function the runtime already covers (Math.sin): today the error lands on
  // the runtime's own MathRules.sin, a class file, with no source position at all, and the
  // user's rule silently wins. The error belongs on the user's rule (or the override should be
  // allowed and documented).
  @Test
  void userRuleForABuiltInFunctionIsReportedOnTheUsersRule() {
    DiagnosticTester alone = DiagnosticTester.create();
    alone.check(alone.add("p.OwnSine", """
        package p;

        import dev.adjoint.DerivativeRule;

        class OwnSine {
          // BUG: Diagnostic contains: [ADJ307] a second @DerivativeRule for the partial of sin
          @DerivativeRule(owner = Math.class, method = "sin")
          static double sinDerivative(double x) {
            return Math.cos(x);
          }
        }
        """));
  }

  // ---------------------------------------------------------- the processor (ADJ4xx)

  private static final String NO_RUNTIME_SOURCE = """
      package p;

      import dev.adjoint.Differentiable;

      class NoRuntime {
        @Differentiable
        // BUG: Diagnostic contains: [ADJ401] the Adjoint runtime (dev.adjoint:adjoint-runtime) is not on the classpath
        static double square(double x) {
          return x * x;
        }

        @Differentiable
        static double wave(double x) {
          return Math.sin(x);
        }
      }
      """;

  /**
   * Compiles {@link #NO_RUNTIME_SOURCE} with only the annotations on the classpath, as a project
   * that forgot the runtime dependency would.
   */
  private static Compilation compileWithoutRuntime() {
    return javac()
        .withProcessors(new AdjointProcessor())
        .withClasspath(List.of(annotationsOnly()))
        .compile(JavaFileObjects.forSourceString("p.NoRuntime", NO_RUNTIME_SOURCE));
  }

  private static File annotationsOnly() {
    try {
      File location = new File(Differentiable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertTrue(!location.getPath().contains("runtime"), () -> "annotations found in " + location);
      return location;
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void runtimeMissingFromTheClasspath() {
    Compilation compilation = compileWithoutRuntime();
    int markedLine = lineAfterMarker(NO_RUNTIME_SOURCE, "[ADJ401]");
    List<Diagnostic<? extends JavaFileObject>> errors = compilation.errors();
    String all = describe(errors);
    assertTrue(errors.stream().anyMatch(d -> d.getLineNumber() == markedLine
            && d.getSource() != null && d.getSource().getName().endsWith("NoRuntime.java")
            && d.getMessage(Locale.ROOT).startsWith(Message.RUNTIME_MISSING.format())),
        () -> "expected [ADJ401] on line " + markedLine + ", got:\n" + all);
    assertEquals(1, errors.stream().filter(d -> d.getMessage(Locale.ROOT).contains("[ADJ401]")).count(),
        () -> "ADJ401 once per compilation, got:\n" + all);
    assertTrue(errors.stream().noneMatch(d -> d.getMessage(Locale.ROOT).contains("[ADJ402]")), all);
  }

  // Once the runtime is known to be missing, nothing else should be reported: today Math.sin
  // also draws ADJ204 ("no derivative rule for Math.sin ... use a java.lang.Math function"),
  // which is wrong advice, and the companions are written anyway and fail to compile with
  // "package dev.adjoint.runtime.check does not exist".
  @Test
  void runtimeMissingIsTheOnlyError() {
    List<Diagnostic<? extends JavaFileObject>> errors = compileWithoutRuntime().errors();
    assertEquals(1, errors.size(), () -> describe(errors));
  }

  private static int lineAfterMarker(String source, String text) {
    List<String> lines = source.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().startsWith("// BUG: Diagnostic contains: " + text)) {
        return i + 2;
      }
    }
    throw new AssertionError("no marker " + text);
  }

  private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    return diagnostics.stream()
        .map(d -> (d.getSource() == null ? "(no file)" : d.getSource().getName()) + ":" + d.getLineNumber()
            + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }
}
