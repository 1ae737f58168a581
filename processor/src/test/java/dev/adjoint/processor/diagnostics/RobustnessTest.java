package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.Compiled;
import dev.adjoint.processor.LocalClassProcessor;
import dev.adjoint.runtime.Dual;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users throw at the processor beyond the plain static method of a top-level class. Each case
 * either works (the companion compiles under {@code -Xlint:all -Werror} and its gradient is right)
 * or draws a clear Adjoint error; never an internal error, never silence.
 */
class RobustnessTest {

  // ---------------------------------------------------------------- places that work

  // One file per top-level class: a companion that names an auxiliary class (a second top-level
  // class of another file) draws javac's -Xlint:auxiliaryclass warning.
  private static final Compiled PLACES = Compiled.compileAll(Map.of(
      "p.Places", """
          package p;

          import dev.adjoint.Differentiable;

          class Places {
            static class Inner {
              @Differentiable
              static double cube(double x) {
                return x * x * x;
              }

              static class Deeper {
                @Differentiable
                static double quartic(double x) {
                  return x * x * x * x;
                }
              }
            }

            // An inner (non-static) class may declare static methods since Java 16.
            class InnerInstance {
              @Differentiable
              static double square(double x) {
                return x * x;
              }
            }
          }
          """,
      "p.Activation", """
          package p;

          import dev.adjoint.Differentiable;

          enum Activation {
            RELU, TANH;

            @Differentiable
            static double softplus(double x) {
              return Math.log1p(Math.exp(x));
            }
          }
          """,
      "p.Point", """
          package p;

          import dev.adjoint.Differentiable;

          record Point(double x, double y) {
            @Differentiable
            static double radius(double x, double y) {
              return Math.sqrt(x * x + y * y);
            }
          }
          """,
      "p.Box", """
          package p;

          import dev.adjoint.Differentiable;

          class Box<T> {
            T content;

            @Differentiable
            static double half(double x) {
              return x / 2;
            }
          }
          """));

  @Test
  void nestedStaticClassHasCompanionOuterUnderscoreInner() {
    assertEquals(12.0, Compiled.scalar(PLACES.call("p.Places_InnerGrad", "cube", 2.0), "x"), 0.0);
    assertEquals(32.0, Compiled.scalar(PLACES.call("p.Places_Inner_DeeperGrad", "quartic", 2.0), "x"), 0.0);
  }

  @Test
  void staticMethodOfAnInnerClass() {
    assertEquals(6.0, Compiled.scalar(PLACES.call("p.Places_InnerInstanceGrad", "square", 3.0), "x"), 0.0);
  }

  @Test
  void staticMethodOfAnEnum() {
    double x = 0.3;
    assertEquals(1 / (1 + Math.exp(-x)), Compiled.scalar(PLACES.call("p.ActivationGrad", "softplus", x), "x"), 1e-15);
  }

  @Test
  void staticMethodOfARecord() {
    Object g = PLACES.call("p.PointGrad", "radius", 3.0, 4.0);
    assertEquals(5.0, Compiled.scalar(g, "value"), 0.0);
    assertEquals(0.6, Compiled.scalar(g, "x"), 1e-15);
    assertEquals(0.8, Compiled.scalar(g, "y"), 1e-15);
  }

  @Test
  void staticMethodOfAGenericClass() {
    assertEquals(0.5, Compiled.scalar(PLACES.call("p.BoxGrad", "half", 7.0), "x"), 0.0);
  }

  // f calls the other class's g, and the other class's h calls f back: one compilation.
  @Test
  void twoClassesThatCallEachOther() {
    Compiled both = Compiled.compileAll(Map.of(
        "p.First", """
            package p;

            import dev.adjoint.Differentiable;

            class First {
              @Differentiable
              static double f(double x) {
                return Second.g(x) * x;
              }
            }
            """,
        "p.Second", """
            package p;

            import dev.adjoint.Differentiable;

            class Second {
              @Differentiable
              static double g(double x) {
                return Math.sin(x);
              }

              @Differentiable
              static double h(double x, double y) {
                return First.f(x) + x * y;
              }
            }
            """));
    double x = 0.7;
    double y = -1.3;
    double df = Math.cos(x) * x + Math.sin(x);
    assertEquals(df, Compiled.scalar(both.call("p.FirstGrad", "f", x), "x"), 1e-15);
    Object h = both.call("p.SecondGrad", "h", x, y);
    assertEquals(df + y, Compiled.scalar(h, "x"), 1e-15);
    assertEquals(x, Compiled.scalar(h, "y"), 0.0);
  }

  @Test
  void classInTheDefaultPackage() {
    Compiled plain = Compiled.compileAll(Map.of(
        "Plain", """
            import dev.adjoint.Differentiable;

            class Plain {
              @Differentiable
              static double f(double x, double[] w) {
                return x * w[0] + w[1];
              }
            }
            """,
        "Caller", """
            import dev.adjoint.Differentiable;

            class Caller {
              @Differentiable
              static double g(double x) {
                double[] w = {3, 4};
                return Plain.f(x, w) * 2;
              }
            }
            """));
    Object f = plain.call("PlainGrad", "f", 2.0, new double[] {3, 4});
    assertEquals(3.0, Compiled.scalar(f, "x"), 0.0);
    assertTrue(Arrays.equals(new double[] {2, 1}, (double[]) Compiled.partial(f, "w")));
    assertEquals(6.0, Compiled.scalar(plain.call("CallerGrad", "g", 2.0), "x"), 0.0);
  }

  // Parameter and local names that the generated code also uses for its own variables.
  @Test
  void namesTheGeneratedCodeUsesToo() {
    Compiled names = Compiled.compile("p.Names", """
        package p;

        import dev.adjoint.Differentiable;

        class Names {
          @Differentiable(wrt = {"seed", "into", "tape"})
          static double f(double seed, double into, double tape, double value) {
            double gradient = seed * into;
            double result = gradient * tape;
            double dresult = value;
            return result * dresult;
          }
        }
        """);
    Object g = names.call("p.NamesGrad", "f", 2.0, 3.0, 5.0, 7.0);
    assertEquals(210.0, Compiled.scalar(g, "value"), 0.0);
    assertEquals(105.0, Compiled.scalar(g, "seed"), 0.0);
    assertEquals(70.0, Compiled.scalar(g, "into"), 0.0);
    assertEquals(42.0, Compiled.scalar(g, "tape"), 0.0);
  }

  // A record parameter left out of wrt is data: the tangent and Hessian-vector code read its
  // components through the same leaf variables as the gradient (once undeclared there).
  @Test
  void tangentAndHessianWithARecordAsData() {
    Compiled lines = Compiled.compile("p.Lines", """
        package p;

        import static dev.adjoint.Derivative.HESSIAN;
        import static dev.adjoint.Derivative.TANGENT;

        import dev.adjoint.Differentiable;

        class Lines {
          record Line(double slope, double intercept) {}

          @Differentiable(wrt = "x", also = {TANGENT, HESSIAN})
          static double at(Line line, double x) {
            return line.slope() * x * x + line.intercept();
          }
        }
        """);
    Object line = newRecord(lines.load("p.Lines$Line"), 1.5, 0.25);
    assertEquals(6.0, Compiled.scalar(lines.call("p.LinesGrad", "at", line, 2.0), "x"), 0.0);
    Dual dual = (Dual) lines.call("p.LinesGrad", "atTangent", line, 2.0, 0.5);
    assertEquals(6.25, dual.value(), 0.0);
    assertEquals(3.0, dual.derivative(), 0.0);
    double[][] hessian = (double[][]) lines.call("p.LinesGrad", "atHessian", line, 2.0);
    assertEquals(3.0, hessian[0][0], 0.0);
  }

  @Test
  void gradientWithARecordAsData() {
    Compiled lines = Compiled.compile("p.Lines", """
        package p;

        import dev.adjoint.Differentiable;

        class Lines {
          record Line(double slope, double intercept) {}

          @Differentiable(wrt = "x")
          static double at(Line line, double x) {
            return line.slope() * x * x + line.intercept();
          }
        }
        """);
    Object line = newRecord(lines.load("p.Lines$Line"), 1.5, 0.25);
    Object g = lines.call("p.LinesGrad", "at", line, 2.0);
    assertEquals(6.25, Compiled.scalar(g, "value"), 0.0);
    assertEquals(6.0, Compiled.scalar(g, "x"), 0.0);
  }

  // ----------------------------------------------------------- places that get an error

  private static final DiagnosticTester TESTER = DiagnosticTester.create();

  @Test
  void everyErrorCaseIsValidJava() {
    TESTER.assertValidJavaWithoutProcessor();
  }

  private static final String GENERIC_IN_RECORD = TESTER.add("p.GenericInRecord", """
      package p;

      import dev.adjoint.Differentiable;

      record GenericInRecord(double scale) {
        // BUG: Diagnostic contains: [ADJ110] @Differentiable method scaled has type parameters
        @Differentiable
        static <N extends Number> double scaled(double x) {
          return 3 * x;
        }
      }
      """);

  @Test
  void genericMethodOfARecord() {
    TESTER.check(GENERIC_IN_RECORD);
  }

  private static final String VARARGS_IN_ENUM = TESTER.add("p.VarargsInEnum", """
      package p;

      import dev.adjoint.Differentiable;

      enum VarargsInEnum {
        SUM;

        // BUG: Diagnostic contains: [ADJ111] @Differentiable method total takes varargs; declare the parameter as an array
        @Differentiable
        static double total(double... xs) {
          return xs[0] + xs[1];
        }
      }
      """);

  @Test
  void varargsMethodOfAnEnum() {
    TESTER.check(VARARGS_IN_ENUM);
  }

  private static final String INTERFACE = TESTER.add("p.Shape", """
      package p;

      import dev.adjoint.Differentiable;

      interface Shape {
        // BUG: Diagnostic contains: [ADJ112] @Differentiable method unitArea must be declared in a class, not an interface
        @Differentiable
        static double unitArea(double r) {
          return Math.PI * r * r;
        }

        // BUG: Diagnostic contains: [ADJ112] @Differentiable method area must be declared in a class, not an interface
        @Differentiable
        default double area(double r) {
          return Math.PI * r * r;
        }
      }
      """);

  @Test
  void staticAndDefaultMethodsOfAnInterface() {
    TESTER.check(INTERFACE);
  }

  private static final String GENERIC_WITNESS = TESTER.add("p.GenericWitness", """
      package p;

      import dev.adjoint.Differentiable;

      class GenericWitness {
        @Differentiable
        static double f(double x) {
          // BUG: Diagnostic contains: [ADJ209] call to p.Util.identity (only static methods without varargs or type parameters)
          return Util.<Double>identity(x) * x;
        }
      }

      class Util {
        static <T> double identity(double v) {
          return v;
        }
      }
      """);

  @Test
  void callToAGenericMethodWithATypeWitness() {
    TESTER.check(GENERIC_WITNESS);
  }

  // ----------------------------------------------------------------- several rounds

  /**
   * A stand-in for another annotation processor: in its first round it writes a source holding a
   * {@code @Differentiable} method that calls a hand-written one, so that Adjoint meets the
   * method only in the second round.
   */
  static final class GeneratingProcessor extends AbstractProcessor {
    private boolean written;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (written || round.processingOver()) {
        return false;
      }
      written = true;
      try (Writer out = processingEnv.getFiler().createSourceFile("p.gen.Spline").openWriter()) {
        out.write("""
            package p.gen;

            import dev.adjoint.Differentiable;
            import p.Handwritten;

            public class Spline {
              @Differentiable
              public static double smooth(double x, double[] knots) {
                double s = 0;
                for (double k : knots) {
                  s += Handwritten.bump(x - k);
                }
                return s;
              }
            }
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false; // claims nothing: Adjoint must still see @Differentiable
    }
  }

  @Test
  void methodGeneratedByAnotherProcessorIsDifferentiatedInTheNextRound() {
    Compilation compilation = javac()
        .withProcessors(new GeneratingProcessor(), new AdjointProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.Handwritten", """
            package p;

            import dev.adjoint.Differentiable;

            public class Handwritten {
              @Differentiable
              public static double bump(double x) {
                return Math.exp(-x * x);
              }
            }
            """));
    assertNoProblems(compilation);
    Loaded loaded = new Loaded(compilation);
    double x = 0.4;
    double[] knots = {-1, 0, 0.5};
    double expected = 0;
    for (double k : knots) {
      expected += -2 * (x - k) * Math.exp(-(x - k) * (x - k));
    }
    Object gradient = loaded.call("p.gen.SplineGrad", "smooth", x, knots);
    assertEquals(expected, Compiled.scalar(gradient, "x"), 1e-15);
    assertEquals(-expected, Arrays.stream((double[]) Compiled.partial(gradient, "knots")).sum(), 1e-15);
  }

  /** Another stand-in: writes, in its first round, a class that hand-written code already uses. */
  static final class TablesProcessor extends AbstractProcessor {
    private boolean written;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (written || round.processingOver()) {
        return false;
      }
      written = true;
      try (Writer out = processingEnv.getFiler().createSourceFile("p.gen.Tables").openWriter()) {
        out.write("""
            package p.gen;

            import dev.adjoint.Differentiable;

            public class Tables {
              public static final double SCALE = 3.0;

              @Differentiable
              public static double cube(double x) {
                return x * x * x;
              }

              @Differentiable
              public static double square(double x) {
                return x * x;
              }
            }
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false;
    }
  }

  // In the first round p.gen.Tables does not exist yet: the method waits for the next round
  // instead of being skipped without a word (it was, and no companion was written).
  @Test
  void methodUsingAClassGeneratedInTheSameCompilationWaitsForIt() {
    Compilation compilation = javac()
        .withProcessors(new TablesProcessor(), new AdjointProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.Model", """
            package p;

            import static p.gen.Tables.square;

            import dev.adjoint.Differentiable;
            import p.gen.Tables;

            class Model {
              @Differentiable
              static double f(double x) {
                return Tables.SCALE * Tables.cube(x) + square(x);
              }
            }
            """));
    assertNoProblems(compilation);
    double x = 0.6;
    Object gradient = new Loaded(compilation).call("p.ModelGrad", "f", x);
    double h = 1e-6;
    double derivative = 9 * x * x + 2 * x;
    double centred = (3 * Math.pow(x + h, 3) + (x + h) * (x + h) - 3 * Math.pow(x - h, 3) - (x - h) * (x - h)) / (2 * h);
    assertEquals(derivative, Compiled.scalar(gradient, "x"), 1e-14);
    assertEquals(centred, Compiled.scalar(gradient, "x"), 1e-7);
  }

  // ----------------------------------------------------------- incremental compilation

  private static final String MODEL_A = """
      package p;

      import dev.adjoint.Differentiable;

      class A {
        @Differentiable
        static double f(double x, int n, double[] w) {
          return x * x * w[n];
        }
      }
      """;

  private static final String USER_B = """
      package p;

      import dev.adjoint.Differentiable;

      class B {
        @Differentiable
        static double g(double x, double[] w) {
          return 3 * A.f(x, 1, w) + x;
        }
      }
      """;

  /**
   * Compiles A and B together, keeps only A's class files (A and its companion), then compiles B
   * alone against them: what an IDE or an incremental build does when only B changed.
   */
  @Test
  void recompilingOneFileAgainstTheOtherFilesClassOutput(@TempDir Path classes) {
    Compilation first = compile(List.of(), source("p.A", MODEL_A), source("p.B", USER_B));
    assertNoProblems(first);
    writeClasses(first, classes, name -> name.startsWith("p/A"));

    Compilation second = compile(List.of(classes.toFile()), source("p.B", USER_B.replace("3 * A.f", "5 * A.f")));
    assertNoProblems(second);
    Loaded loaded = new Loaded(second, classes);
    double x = 1.5;
    double[] w = {2, 4};
    Object g = loaded.call("p.BGrad", "g", x, w);
    assertEquals(5 * 2 * x * w[1] + 1, Compiled.scalar(g, "x"), 0.0);
    assertTrue(Arrays.equals(new double[] {0, 5 * x * x}, (double[]) Compiled.partial(g, "w")));
  }

  private static final String MODEL_A_WITH_WRT = MODEL_A.replace("@Differentiable", "@Differentiable(wrt = {\"x\", \"w\"})");

  // With -parameters the class file keeps A.f's parameter names, and wrt can be matched.
  @Test
  void recompilingOneFileAgainstAMethodWithWrtCompiledWithParameterNames(@TempDir Path classes) {
    Compilation first = compile(List.of(), List.of("-parameters"), source("p.A", MODEL_A_WITH_WRT), source("p.B", USER_B));
    assertNoProblems(first);
    writeClasses(first, classes, name -> name.startsWith("p/A"));
    Compilation second = compile(List.of(classes.toFile()), source("p.B", USER_B));
    assertNoProblems(second);
    Object g = new Loaded(second, classes).call("p.BGrad", "g", 1.5, new double[] {2, 4});
    assertEquals(3 * 2 * 1.5 * 4 + 1, Compiled.scalar(g, "x"), 0.0);
  }

  // Without -parameters (javac's and Maven's default) A.f's parameters are arg0, arg1, arg2 in
  // the class file: wrt = {"x", "w"} matches none of them. The companion's fPullback carries
  // @DerivativeMetadata with the names and which are differentiated; without it B's call drew a
  // false "A.f does not differentiate its parameter 1 (its wrt leaves it out)".
  @Test
  void recompilingOneFileAgainstAMethodWithWrtCompiledWithoutParameterNames(@TempDir Path classes) {
    Compilation first = compile(List.of(), source("p.A", MODEL_A_WITH_WRT), source("p.B", USER_B));
    assertNoProblems(first);
    writeClasses(first, classes, name -> name.startsWith("p/A"));
    Compilation second = compile(List.of(classes.toFile()), source("p.B", USER_B));
    assertNoProblems(second);
    Object g = new Loaded(second, classes).call("p.BGrad", "g", 1.5, new double[] {2, 4});
    assertEquals(3 * 2 * 1.5 * 4 + 1, Compiled.scalar(g, "x"), 0.0);
  }

  // Recompiling A itself, after renaming a parameter, with the previous output (holding the old
  // companion AGrad.class) on the classpath, as an incremental build does: the processor takes
  // the old companion's accessor names (x) for the new parameters (y), so y is no longer
  // differentiated and FGradient silently loses its partial.
  @Test
  void recompilingAFileAfterRenamingAParameter(@TempDir Path classes) {
    Compilation first = compile(List.of(), source("p.A", MODEL_A));
    assertNoProblems(first);
    writeClasses(first, classes, name -> true);
    String renamed = MODEL_A.replace("double x,", "double y,").replace("x * x", "y * y");
    Compilation second = compile(List.of(classes.toFile()), source("p.A", renamed));
    assertNoProblems(second);
    Object g = new Loaded(second).call("p.AGrad", "f", 1.5, 1, new double[] {2, 4});
    assertEquals(2 * 1.5 * 4, Compiled.scalar(g, "y"), 0.0);
  }

  // ------------------------------------- valid Java that the processor skips in silence

  // Local classes are not in RoundEnvironment.getElementsAnnotatedWith: LocalClassProcessor finds
  // them in the trees and reports ADJ117.
  @Test
  void methodOfALocalClass() {
    assertWorksOrClearError("p.Local_HelperGrad", "square", Map.of("p.Local", """
        package p;

        import dev.adjoint.Differentiable;

        class Local {
          static double run(double x) {
            class Helper {
              @Differentiable
              static double square(double v) {
                return v * v;
              }
            }
            return Helper.square(x);
          }
        }
        """));
  }

  // A varargs helper called with separate arguments: SymbolResolver finds no overload of that
  // arity and assumes javac will report the call, but javac accepts it.
  @Test
  void callToAVarargsHelperWithSeparateArguments() {
    assertWorksOrClearError("p.SpreadGrad", "f", Map.of("p.Spread", """
        package p;

        import dev.adjoint.Differentiable;

        class Spread {
          static double total(double... values) {
            double sum = 0;
            for (double v : values) {
              sum += v;
            }
            return sum;
          }

          @Differentiable
          static double f(double x, double y) {
            return total(x, y);
          }
        }
        """));
  }

  // int k; k += x is valid Java (an implicit narrowing cast); the processor treats the double
  // result as a javac error and skips the method.
  @Test
  void compoundAssignmentThatNarrows() {
    assertWorksOrClearError("p.NarrowGrad", "f", Map.of("p.Narrow", """
        package p;

        import dev.adjoint.Differentiable;

        class Narrow {
          @Differentiable
          static double f(double x) {
            int k = 1;
            k += x;
            return k * x;
          }
        }
        """));
  }

  // Objects.hashCode(Object) takes a boxed double: no overload has IR parameter types, and the
  // processor assumes javac will complain.
  @Test
  void callThatBoxesItsArgument() {
    assertWorksOrClearError("p.BoxingGrad", "f", Map.of("p.Boxing", """
        package p;

        import dev.adjoint.Differentiable;
        import java.util.Objects;

        class Boxing {
          @Differentiable(wrt = "x")
          static double f(double x, double c) {
            return x * Objects.hashCode(c);
          }
        }
        """));
  }

  // Helper is a member class inherited from Base: javac resolves it, SymbolResolver does not.
  @Test
  void callThroughAnInheritedNestedClass() {
    assertWorksOrClearError("p.DerivedGrad", "f", Map.of("p.Derived", """
        package p;

        import dev.adjoint.Differentiable;

        class Derived extends Base {
          @Differentiable(wrt = "x")
          static double f(double x, double c) {
            return x * Helper.twice(c);
          }
        }

        class Base {
          static class Helper {
            static double twice(double v) {
              return 2 * v;
            }
          }
        }
        """));
  }

  // ------------------------------------------------------------------------- helpers

  /**
   * Either an Adjoint error (not an internal one) or a successful compilation whose companion
   * has {@code method}: anything else means the processor skipped a method in silence.
   */
  private static void assertWorksOrClearError(String companion, String method, Map<String, String> sources) {
    Compilation compilation = javac()
        .withProcessors(new LocalClassProcessor(), new AdjointProcessor())
        .compile(sources.entrySet().stream().map(e -> source(e.getKey(), e.getValue())).toList());
    String all = describe(compilation.diagnostics());
    assertTrue(compilation.diagnostics().stream().noneMatch(d -> d.getMessage(Locale.ROOT).contains("[ADJ402]")), all);
    boolean clearError = compilation.errors().stream().anyMatch(d -> d.getMessage(Locale.ROOT).startsWith("[ADJ"));
    if (clearError) {
      return;
    }
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), all);
    Class<?> type = new Loaded(compilation).load(companion);
    assertTrue(Arrays.stream(type.getDeclaredMethods()).anyMatch(m -> m.getName().equals(method)),
        () -> companion + " has no " + method + ", and no error said why:\n" + all);
  }

  private static JavaFileObject source(String name, String text) {
    return JavaFileObjects.forSourceString(name, text);
  }

  private static Compilation compile(List<File> extraClasspath, JavaFileObject... sources) {
    return compile(extraClasspath, List.of(), sources);
  }

  /** Through Adjoint, on {@code extraClasspath} followed by the test's own classpath. */
  private static Compilation compile(List<File> extraClasspath, List<String> options, JavaFileObject... sources) {
    List<File> classpath = new ArrayList<>(extraClasspath);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    List<String> allOptions = new ArrayList<>(List.of("-Xlint:all,-processing", "-Werror"));
    allOptions.addAll(options);
    return javac()
        .withProcessors(new AdjointProcessor())
        .withClasspath(classpath)
        .withOptions(allOptions)
        .compile(sources);
  }

  private static void assertNoProblems(Compilation compilation) {
    List<Diagnostic<? extends JavaFileObject>> problems = compilation.diagnostics().stream()
        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE).toList();
    assertTrue(problems.isEmpty(), () -> describe(problems));
    assertEquals(Compilation.Status.SUCCESS, compilation.status());
  }

  private static String describe(List<? extends Diagnostic<? extends JavaFileObject>> diagnostics) {
    return diagnostics.stream()
        .map(d -> d.getKind() + " " + (d.getSource() == null ? "(no file)" : d.getSource().getName())
            + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  /** Writes the class files whose path (such as {@code p/A.class}) passes {@code keep}. */
  private static void writeClasses(Compilation compilation, Path directory, Predicate<String> keep) {
    for (JavaFileObject file : compilation.generatedFiles()) {
      String name = classPath(file);
      if (file.getKind() != JavaFileObject.Kind.CLASS || !keep.test(name)) {
        continue;
      }
      try (InputStream in = file.openInputStream()) {
        Path target = directory.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String classPath(JavaFileObject file) {
    return file.toUri().getPath().replaceFirst("^/CLASS_OUTPUT/", "");
  }

  private static Object newRecord(Class<?> type, Object... components) {
    try {
      var constructor = type.getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      return constructor.newInstance(components);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The classes of a compilation (and of a class directory it was compiled against), loaded. */
  private static final class Loaded {
    private final ClassLoader loader;

    Loaded(Compilation compilation, Path... directories) {
      Map<String, byte[]> classes = new HashMap<>();
      for (Path directory : directories) {
        try (var files = Files.walk(directory)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
            classes.put(binaryName(directory.relativize(file).toString()), Files.readAllBytes(file));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (JavaFileObject file : compilation.generatedFiles()) {
        if (file.getKind() == JavaFileObject.Kind.CLASS) {
          try (InputStream in = file.openInputStream()) {
            classes.put(binaryName(classPath(file)), in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      loader = new ClassLoader(RobustnessTest.class.getClassLoader()) {
        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
          byte[] bytes = classes.get(name);
          if (bytes == null) {
            throw new ClassNotFoundException(name);
          }
          return defineClass(name, bytes, 0, bytes.length);
        }
      };
    }

    private static String binaryName(String path) {
      return path.replace(File.separatorChar, '/').replace(".class", "").replace('/', '.');
    }

    Class<?> load(String name) {
      try {
        return loader.loadClass(name);
      } catch (ClassNotFoundException e) {
        throw new AssertionError("not generated: " + name, e);
      }
    }

    Object call(String owner, String name, Object... arguments) {
      for (Method method : load(owner).getDeclaredMethods()) {
        if (method.getName().equals(name) && method.getParameterCount() == arguments.length
            && !method.getReturnType().equals(double.class)) {
          try {
            method.setAccessible(true);
            return method.invoke(null, arguments);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          } catch (InvocationTargetException e) {
            throw new AssertionError("call failed: " + e.getCause(), e.getCause());
          }
        }
      }
      throw new AssertionError("no method " + name + Arrays.toString(arguments) + " in " + owner);
    }
  }
}
