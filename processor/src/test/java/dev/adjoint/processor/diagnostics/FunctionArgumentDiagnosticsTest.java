package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * Functions as arguments of functions with derivative rules: what the processor rejects, on the method reference or
 * lambda (ADJ250, ADJ263, and ADJ219/ADJ223 as for calls), or on the rule whose interface has the wrong shape
 * (ADJ251). All cases share one library function with rules, {@code p.Quad.integrate}.
 */
class FunctionArgumentDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  // The control: a library function with a function parameter and well-formed rules draws no error.
  private static final String QUAD = TESTER.add("p.Quad", """
      package p;

      import dev.adjoint.DerivativeRule;

      final class Quad {
        private Quad() {}

        interface Integrand {
          double at(double x, double[] theta);
        }

        interface DifferentiableIntegrand extends Integrand {
          void pullback(double x, double[] theta, double seed, double[] dx, double[] dtheta);

          double tangent(double x, double[] theta, double tx, double[] ttheta);
        }

        static double integrate(Integrand f, double[] theta) {
          return (f.at(0, theta) + f.at(1, theta)) / 2;
        }

        @DerivativeRule(method = "integrate", wrt = "theta")
        static double[] integrateTheta(DifferentiableIntegrand f, double[] theta, double seed) {
          double[] dtheta = new double[theta.length];
          double[] dx = new double[1];
          f.pullback(0, theta, seed / 2, dx, dtheta);
          f.pullback(1, theta, seed / 2, dx, dtheta);
          return dtheta;
        }

        @DerivativeRule(method = "integrate", wrt = "theta", tangent = true)
        static double integrateThetaTangent(DifferentiableIntegrand f, double[] theta, double[] dtheta) {
          return (f.tangent(0, theta, 0, dtheta) + f.tangent(1, theta, 0, dtheta)) / 2;
        }
      }
      """);

  @Test
  void wellFormedRulesDrawNoError() {
    TESTER.check(QUAD);
  }

  private static final String LAMBDA = TESTER.add("p.LambdaIntegrand", """
      package p;

      import dev.adjoint.Differentiable;

      class LambdaIntegrand {
        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ263] the lambda expression `(x,t)->t[0] * x` is a function object, which Adjoint cannot differentiate through; pass a method reference to a static method instead
          return Quad.integrate((x, t) -> t[0] * x, theta);
        }
      }
      """);

  @Test
  void aLambdaWhereAMethodReferenceWouldDo() {
    TESTER.check(LAMBDA);
  }

  private static final String NO_RULE = TESTER.add("p.ReferenceToFunctionWithoutRules", """
      package p;

      import dev.adjoint.Differentiable;

      class ReferenceToFunctionWithoutRules {
        static double line(double x, double[] theta) {
          return theta[0] * x;
        }

        static double twice(Quad.Integrand f, double[] theta) {
          return 2 * f.at(1, theta);
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ263] the member reference `ReferenceToFunctionWithoutRules::line` is a function object, which Adjoint cannot differentiate through; Adjoint passes a method reference only to a function whose @DerivativeRule methods take it
          return twice(ReferenceToFunctionWithoutRules::line, theta);
        }
      }
      """);

  @Test
  void aMethodReferenceToAFunctionWithoutRules() {
    TESTER.check(NO_RULE);
  }

  private static final String IMPURE_HELPER = TESTER.add("p.ImpureIntegrand", """
      package p;

      import dev.adjoint.Differentiable;

      class ImpureIntegrand {
        static int evaluations;

        static double counted(double x, double[] theta) {
          evaluations++;
          return theta[0] * x;
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ250] `ImpureIntegrand::counted` is passed to Quad.integrate as a function, so Adjoint must differentiate it, and cannot: line 9 of ImpureIntegrand.java
          return Quad.integrate(ImpureIntegrand::counted, theta);
        }
      }
      """);

  @Test
  void aHelperWithEffects() {
    TESTER.check(IMPURE_HELPER);
  }

  private static final String NOT_RECOMPUTABLE = TESTER.add("p.NotRecomputableIntegrand", """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class NotRecomputableIntegrand {
        static int evaluations;

        static double noise() {
          evaluations++;
          return evaluations * 1e-9;
        }

        @Differentiable(also = TANGENT)
        static double jittered(double x, double[] theta) {
          return theta[0] * x + noise();
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ223] jittered makes calls of unknown purity
          return Quad.integrate(NotRecomputableIntegrand::jittered, theta);
        }
      }
      """);

  @Test
  void anAnnotatedMethodThatIsNotRecomputable() {
    TESTER.check(NOT_RECOMPUTABLE);
  }

  private static final String WITHOUT_TANGENT = TESTER.add("p.IntegrandWithoutTangent", """
      package p;

      import dev.adjoint.Differentiable;

      class IntegrandWithoutTangent {
        @Differentiable
        static double line(double x, double[] theta) {
          return theta[0] * x;
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ219] forward mode goes through line only if it has its own: add TANGENT
          return Quad.integrate(IntegrandWithoutTangent::line, theta);
        }
      }
      """);

  @Test
  void anAnnotatedMethodWithoutTangent() {
    TESTER.check(WITHOUT_TANGENT);
  }

  private static final String PARTIAL_WRT = TESTER.add("p.IntegrandWithPartialWrt", """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class IntegrandWithPartialWrt {
        @Differentiable(wrt = "theta", also = TANGENT)
        static double line(double x, double[] theta) {
          return theta[0] * x;
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ250] `IntegrandWithPartialWrt::line` is passed to Quad.integrate as a function, so Adjoint must differentiate it, and cannot: its wrt leaves out x
          return Quad.integrate(IntegrandWithPartialWrt::line, theta);
        }
      }
      """);

  @Test
  void anAnnotatedMethodThatLeavesOutAParameter() {
    TESTER.check(PARTIAL_WRT);
  }

  private static final String WRONG_SHAPE = TESTER.add("p.ReferenceOfWrongShape", """
      package p;

      import dev.adjoint.Differentiable;

      class ReferenceOfWrongShape {
        static float line(double x, double[] theta) {
          return (float) (theta[0] * x);
        }

        @Differentiable
        static double area(double[] theta) {
          // BUG: Diagnostic contains: [ADJ250] `ReferenceOfWrongShape::line` is passed to Quad.integrate as a function, so Adjoint must differentiate it, and cannot: it names no static method of that shape; pass a reference to a static method, @Differentiable (with also = TANGENT) or a helper Adjoint differentiates, that has this shape: double at(double, double[])
          return Quad.integrate(ReferenceOfWrongShape::line, theta);
        }
      }
      """);

  @Test
  void aReferenceToAMethodOfAnotherShape() {
    TESTER.check(WRONG_SHAPE);
  }

  private static final String BAD_INTERFACE = TESTER.add("p.RuleWithBadInterface", """
      package p;

      import dev.adjoint.DerivativeRule;

      final class RuleWithBadInterface {
        private RuleWithBadInterface() {}

        interface Curve {
          double at(double x, double[] theta);
        }

        interface DifferentiableCurve extends Curve {
          double[] pullback(double x, double[] theta, double seed);

          double tangent(double x, double[] theta, double tx, double[] ttheta);
        }

        static double peak(Curve f, double[] theta) {
          return f.at(1, theta);
        }

        // BUG: Diagnostic contains: [ADJ251] @DerivativeRule method peakTheta declares parameter f of type p.RuleWithBadInterface.DifferentiableCurve for a function parameter of type p.RuleWithBadInterface.Curve; that type must be an interface extending p.RuleWithBadInterface.Curve with exactly two abstract methods more, `void pullback(double, double[], double seed, double[], double[])` (adds seed times each partial into the arrays) and `double tangent(double, double[], double, double[])` (the derivative along the tangents), but it declares double[] pullback(double, double[], double)
        @DerivativeRule(method = "peak", wrt = "theta")
        static double[] peakTheta(DifferentiableCurve f, double[] theta, double seed) {
          return f.pullback(1, theta, seed);
        }
      }
      """);

  @Test
  void aRuleWhoseInterfaceHasTheWrongShape() {
    TESTER.check(BAD_INTERFACE);
  }
}
