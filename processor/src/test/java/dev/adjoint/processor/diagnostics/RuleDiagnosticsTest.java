package dev.adjoint.processor.diagnostics;

import org.junit.jupiter.api.Test;

/**
 * {@code @DerivativeRule} methods that the rule catalogue rejects (ADJ3xx); each error lands on
 * the rule's annotation. Every source declares its own functions, so that rules of one case
 * cannot collide with another's in the shared compilation.
 */
class RuleDiagnosticsTest {
  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  // The control: a well-formed rule, used by a @Differentiable method, draws no error.
  private static final String VALID_RULE = TESTER.add("p.ValidRule", """
      package p;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.Differentiable;

      class ValidRule {
        static double cube(double x) {
          return x * x * x;
        }

        @DerivativeRule(method = "cube")
        static double cubeDerivative(double x) {
          return 3 * x * x;
        }

        @Differentiable
        static double f(double x) {
          return cube(x) + x;
        }
      }
      """);

  @Test
  void validRuleDrawsNoError() {
    TESTER.check(VALID_RULE);
  }

  // Three doubles fit neither cube(double) nor cube(double) followed by its value.
  private static final String MATCHES_NOTHING = TESTER.add("p.RuleMatchesNothing", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleMatchesNothing {
        static double cube(double x) {
          return x * x * x;
        }

        // BUG: Diagnostic contains: [ADJ304] @DerivativeRule method cubeDerivative matches no method p.RuleMatchesNothing.cube(double, double, double)
        @DerivativeRule(method = "cube")
        static double cubeDerivative(double x, double y, double z) {
          return 3 * x * x;
        }
      }
      """);

  @Test
  void parameterListMatchesNoFunction() {
    TESTER.check(MATCHES_NOTHING);
  }

  private static final String WRT_UNKNOWN = TESTER.add("p.RuleWrtUnknown", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleWrtUnknown {
        static double area(double w, double h) {
          return w * h;
        }

        // BUG: Diagnostic contains: [ADJ306] @DerivativeRule wrt = "depth" names no parameter of areaByDepth; its parameters are [w, h]
        @DerivativeRule(method = "area", wrt = "depth")
        static double areaByDepth(double w, double h) {
          return 0;
        }
      }
      """);

  @Test
  void wrtNamesNoParameter() {
    TESTER.check(WRT_UNKNOWN);
  }

  private static final String NOT_STATIC = TESTER.add("p.RuleNotStatic", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleNotStatic {
        static double cube(double x) {
          return x * x * x;
        }

        // BUG: Diagnostic contains: [ADJ301] @DerivativeRule method cubeDerivative must be static
        @DerivativeRule(method = "cube")
        double cubeDerivative(double x) {
          return 3 * x * x;
        }
      }
      """);

  @Test
  void ruleNotStatic() {
    TESTER.check(NOT_STATIC);
  }

  private static final String RETURNS_INT = TESTER.add("p.RuleReturnsInt", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleReturnsInt {
        static double twice(double x) {
          return 2 * x;
        }

        // BUG: Diagnostic contains: [ADJ302] @DerivativeRule method twiceDerivative must return double ... not int
        @DerivativeRule(method = "twice")
        static int twiceDerivative(double x) {
          return 2;
        }
      }
      """);

  @Test
  void ruleReturnsInt() {
    TESTER.check(RETURNS_INT);
  }

  private static final String WRT_MISSING = TESTER.add("p.RuleWithoutWrt", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleWithoutWrt {
        static double area(double w, double h) {
          return w * h;
        }

        // BUG: Diagnostic contains: [ADJ305] @DerivativeRule for area, a function of 2 parameters, must say which partial it gives with wrt = one of [w, h]
        @DerivativeRule(method = "area")
        static double areaDerivative(double w, double h) {
          return h;
        }
      }
      """);

  @Test
  void twoParameterFunctionWithoutWrt() {
    TESTER.check(WRT_MISSING);
  }

  // The second rule in source order is the duplicate.
  private static final String DUPLICATE = TESTER.add("p.DuplicateRule", """
      package p;

      import dev.adjoint.DerivativeRule;

      class DuplicateRule {
        static double cube(double x) {
          return x * x * x;
        }

        @DerivativeRule(method = "cube")
        static double cubeDerivative(double x) {
          return 3 * x * x;
        }

        // BUG: Diagnostic contains: [ADJ307] a second @DerivativeRule for the partial of cube
        @DerivativeRule(method = "cube")
        static double cubeDerivativeAgain(double x, double value) {
          return 3 * value / x;
        }
      }
      """);

  @Test
  void duplicateRule() {
    TESTER.check(DUPLICATE);
  }

  private static final String WRT_INT = TESTER.add("p.RuleWrtInt", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RuleWrtInt {
        static double power(double x, int n) {
          return Math.pow(x, n);
        }

        // BUG: Diagnostic contains: [ADJ308] @DerivativeRule wrt = "n" names a parameter of type int
        @DerivativeRule(method = "power", wrt = "n")
        static double powerByN(double x, int n) {
          return 0;
        }
      }
      """);

  @Test
  void wrtNamesIntParameter() {
    TESTER.check(WRT_INT);
  }

  private static final String TANGENT_OF_THE_WRONG_PARAMETER = TESTER.add("p.RuleTangentType", """
      package p;

      import dev.adjoint.DerivativeRule;
      import dev.adjoint.runtime.Matrix;

      class RuleTangentType {
        // BUG: Diagnostic contains: [ADJ309] tangent-form @DerivativeRule method scaleM must take the tangent of wrt, of type Matrix, as its last parameter, not double
        @DerivativeRule(owner = Matrix.class, method = "scale", wrt = "m", tangent = true)
        static Matrix scaleM(Matrix m, double factor, double dFactor) {
          return m.scale(dFactor);
        }

        // A correct tangent rule of a user's own function is no error.
        static Matrix twice(Matrix m) {
          return m.scale(2);
        }

        @DerivativeRule(method = "twice", tangent = true)
        static Matrix twiceTangent(Matrix m, Matrix dm) {
          return dm.scale(2);
        }
      }
      """);

  @Test
  void tangentRuleWithoutTheTangentOfWrt() {
    TESTER.check(TANGENT_OF_THE_WRONG_PARAMETER);
  }

  private static final String PRIMITIVE_OWNER = TESTER.add("p.RulePrimitiveOwner", """
      package p;

      import dev.adjoint.DerivativeRule;

      class RulePrimitiveOwner {
        // BUG: Diagnostic contains: [ADJ303] @DerivativeRule names owner int
        @DerivativeRule(owner = int.class, method = "abs")
        static double absDerivative(double x) {
          return Math.signum(x);
        }
      }
      """);

  @Test
  void ownerThatIsNotAClass() {
    TESTER.check(PRIMITIVE_OWNER);
  }
}
