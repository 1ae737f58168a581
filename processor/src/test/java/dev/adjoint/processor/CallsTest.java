package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/** Calls between differentiable methods, recursion, and users' derivative rules. */
class CallsTest {
  private static final String HELPERS = """
      package q;

      import dev.adjoint.Differentiable;

      public class Helpers {
        @Differentiable
        public static double square(double x) {
          return x * x;
        }
      }
      """;

  private static final String MODELS = """
      package p;

      import dev.adjoint.Differentiable;
      import dev.adjoint.DerivativeRule;
      import org.apache.commons.math3.special.Gamma;
      import q.Helpers;

      class Models {
        @Differentiable
        static double term(double a, double b) {
          double d = b - a * a;
          return 100 * d * d + (1 - a) * (1 - a);
        }

        @Differentiable
        static double rosenbrock(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            sum += term(x[i], x[i + 1]);
          }
          return sum;
        }

        @Differentiable
        static double viaOtherClass(double x, double y) {
          return Helpers.square(x) * y + Math.sin(Helpers.square(y));
        }

        @Differentiable
        static double power(double x, int n) {
          if (n == 0) {
            return 1;
          }
          double half = power(x, n / 2);
          if (n % 2 == 0) {
            return half * half;
          }
          return half * half * x;
        }

        // logGamma1p has no built-in rule (logGamma has one: a second would be ADJ307).
        @Differentiable
        static double logGammaModel(double x, double y) {
          return Gamma.logGamma1p(x * y) + x;
        }

        @DerivativeRule(owner = Gamma.class, method = "logGamma1p")
        static double logGamma1pDerivative(double x) {
          return Gamma.digamma(1 + x);
        }

        static double softplus(double x) {
          return x > 30 ? x : Math.log1p(Math.exp(x));
        }

        @DerivativeRule(method = "softplus")
        static double softplusDerivative(double x) {
          return 1 / (1 + Math.exp(-x));
        }

        @Differentiable
        static double softplusModel(double x) {
          return softplus(2 * x) + softplus(-x);
        }

        @Differentiable
        static double sumOfSquares(double[] v) {
          double s = 0;
          for (double e : v) {
            s += Helpers.square(e);
          }
          return s;
        }

        @Differentiable
        static double weighted(double[] w, double[] v) {
          return sumOfSquares(w) * sumOfSquares(v);
        }
      }
      """;

  private static final Compiled compiled = Compiled.compileAll(Map.of("q.Helpers", HELPERS, "p.Models", MODELS));
  private final SplittableRandom random = new SplittableRandom(3);

  @Test
  void helperCalledInsideALoop() {
    double[] x = random.doubles(50, -2, 2).toArray();
    Object g = compiled.call("p.ModelsGrad", "rosenbrock", (Object) x);
    double[] gradient = (double[]) Compiled.partial(g, "x");
    for (int i = 0; i < x.length; i++) {
      double expected = 0;
      if (i < x.length - 1) {
        expected += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
      }
      if (i > 0) {
        expected += 200 * (x[i] - x[i - 1] * x[i - 1]);
      }
      assertEquals(expected, gradient[i], 1e-9 * Math.max(1, Math.abs(expected)));
    }
  }

  @Test
  void helperInAnotherClass() {
    for (int trial = 0; trial < 5; trial++) {
      double x = random.nextDouble(-2, 2);
      double y = random.nextDouble(-2, 2);
      Object g = compiled.call("p.ModelsGrad", "viaOtherClass", x, y);
      assertEquals(2 * x * y, Compiled.scalar(g, "x"), 1e-12);
      assertEquals(x * x + Math.cos(y * y) * 2 * y, Compiled.scalar(g, "y"), 1e-12);
    }
  }

  @Test
  void recursivePowerBySquaring() {
    for (int n = 0; n <= 9; n++) {
      double x = random.nextDouble(0.5, 1.5);
      Object g = compiled.call("p.ModelsGrad", "power", x, n);
      assertEquals(Math.pow(x, n), Compiled.scalar(g, "value"), 1e-12);
      assertEquals(n * Math.pow(x, n - 1), Compiled.scalar(g, "x"), 1e-12);
    }
  }

  @Test
  void customRuleForALibraryFunction() {
    for (int trial = 0; trial < 5; trial++) {
      double x = random.nextDouble(0.3, 1.1);
      double y = random.nextDouble(0.3, 1.1);
      Object g = compiled.call("p.ModelsGrad", "logGammaModel", x, y);
      assertEquals(y * Gamma.digamma(1 + x * y) + 1, Compiled.scalar(g, "x"), 1e-12);
      assertEquals(x * Gamma.digamma(1 + x * y), Compiled.scalar(g, "y"), 1e-12);
      GradientAssertions.assertGradient(p -> Gamma.logGamma1p(p[0] * p[1]) + p[0], new double[] {x, y},
          new double[] {Compiled.scalar(g, "x"), Compiled.scalar(g, "y")});
    }
  }

  @Test
  void customRuleForAMethodOfTheSameClass() {
    for (double x : new double[] {-40, -2, 0, 1.5, 40}) {
      Object g = compiled.call("p.ModelsGrad", "softplusModel", x);
      double expected = 2 / (1 + Math.exp(-2 * x)) - 1 / (1 + Math.exp(x));
      assertEquals(expected, Compiled.scalar(g, "x"), 1e-12);
    }
  }

  @Test
  void arrayArgumentsToAHelper() {
    double[] w = random.doubles(4, -1, 1).toArray();
    double[] v = random.doubles(3, -1, 1).toArray();
    Object g = compiled.call("p.ModelsGrad", "weighted", w, v);
    GradientAssertions.assertGradient(
        in -> (double) compiled.call("p.Models", "weighted", in.vector("w"), in.vector("v")),
        Inputs.of().vector("w", w).vector("v", v),
        Inputs.of().vector("w", (double[]) Compiled.partial(g, "w")).vector("v", (double[]) Compiled.partial(g, "v")));
  }

  @Test
  void helperFromAClassCompiledEarlierWithoutParameterNames() throws Exception {
    java.nio.file.Path classes = java.nio.file.Files.createTempDirectory("adjoint-helpers");
    com.google.testing.compile.Compilation first = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor())
        .compile(com.google.testing.compile.JavaFileObjects.forSourceString("q.Helpers", HELPERS));
    for (javax.tools.JavaFileObject file : first.generatedFiles()) {
      if (file.getKind() == javax.tools.JavaFileObject.Kind.CLASS) {
        java.nio.file.Path target = classes.resolve(file.getName().replaceFirst("^/CLASS_OUTPUT/", ""));
        java.nio.file.Files.createDirectories(target.getParent());
        try (java.io.InputStream in = file.openInputStream()) {
          java.nio.file.Files.copy(in, target);
        }
      }
    }
    String caller = """
        package p;

        import dev.adjoint.Differentiable;
        import q.Helpers;

        class Caller {
          @Differentiable
          static double f(double x) {
            return Helpers.square(x) * x;
          }
        }
        """;
    java.util.List<java.io.File> classpath = new java.util.ArrayList<>();
    classpath.add(classes.toFile());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classpath.add(new java.io.File(entry));
    }
    com.google.testing.compile.Compilation second = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor())
        .withClasspath(classpath)
        .compile(com.google.testing.compile.JavaFileObjects.forSourceString("p.Caller", caller));
    com.google.common.truth.Truth.assertThat(second.errors()).isEmpty();
    String generated = Compiled.generatedSources(second);
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("HelpersGrad.squarePullback("), generated);
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("squareGradient.x()"), generated);
  }
}
