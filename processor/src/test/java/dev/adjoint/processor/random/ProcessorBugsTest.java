package dev.adjoint.processor.random;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.Compiled;
import dev.adjoint.runtime.Dual;
import org.junit.jupiter.api.Disabled;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Processor bugs found by {@link RandomProgramsTest}, each as the shrunk program (lightly hand-reduced further) with
 * its expected gradient. The first four were fixed while the random tests were written and stay as regression tests;
 * the ones still open are {@code @Disabled("processor bug: ...")}: remove the annotation to check a fix.
 */
class ProcessorBugsTest {
  private static double scalar(Compiled compiled, String owner, String method, String partial, Object... args) {
    return Compiled.scalar(compiled.call(owner, method, args), partial);
  }

  /**
   * A loop whose reverse sweep has nothing to do but reset the adjoints of the array elements it overwrote (here: with
   * constants) does not step its counter back: {@code da[i] = 0.0} runs with the counter's final value, so it resets
   * the wrong element (a silently wrong gradient) or indexes past the end (an exception).
   */
  @Test
  void loopThatOnlyOverwritesArrayElementsWithConstants() {
    Compiled compiled = Compiled.compile("p.A", """
        package p;

        import dev.adjoint.Differentiable;

        class A {
          @Differentiable
          static double f(double x) {
            double[] a = {x, x, x};
            for (int i = 0; i < 2; i++) {
              a[i] = 1.0;
            }
            return a[0] + a[1] + a[2];
          }
        }
        """);
    // f(x) = 1 + 1 + x; the generated gradient is 2.0: da[2] is reset twice, da[0] and da[1] never
    assertEquals(1.0, scalar(compiled, "p.AGrad", "f", "x", 0.3), 0.0);
  }

  /** The same bug as an exception: the reverse sweep indexes with the counter's final value. */
  @Test
  void loopThatOnlyOverwritesArrayElementsIndexesPastTheEnd() {
    Compiled compiled = Compiled.compile("p.B", """
        package p;

        import dev.adjoint.Differentiable;

        class B {
          @Differentiable
          static double f(double x) {
            double[] a = new double[2];
            for (int i = 0; i < 1; i++) {
              a[i + 1] = x;
            }
            return x;
          }
        }
        """);
    // throws ArrayIndexOutOfBoundsException: Index 2 out of bounds for length 2 (da[i + 1] with i == 1)
    assertEquals(1.0, scalar(compiled, "p.BGrad", "f", "x", 0.4), 0.0);
  }

  /**
   * The same loop inside an if: the counter's declaration stays in the forward branch, so the generated reverse sweep
   * does not compile ({@code cannot find symbol: variable i}).
   */
  @Test
  void loopThatOnlyOverwritesArrayElementsInsideAnIf() {
    Compiled compiled = Compiled.compile("p.C", """
        package p;

        import dev.adjoint.Differentiable;

        class C {
          @Differentiable
          static double f(double u) {
            if (u >= 1.0) {
              double[] a = new double[2];
              for (int i = 0; i < 2; i++) {
                a[i] = u;
              }
            }
            return u;
          }
        }
        """);
    assertEquals(1.0, scalar(compiled, "p.CGrad", "f", "u", 1.5), 0.0);
  }

  /**
   * A ternary as the argument of a Math function, in a statement inside an if or a loop body, crashes the processor:
   * {@code [ADJ402] internal error ... IllegalStateException: cannot print null} (from {@code CodeWriter.bare}). The
   * same statement at the top level of the method compiles.
   */
  @Test
  void ternaryAsMathArgumentInsideAnIf() {
    Compiled compiled = Compiled.compile("p.D", """
        package p;

        import dev.adjoint.Differentiable;

        class D {
          @Differentiable
          static double f(double x) {
            if (x > 1) {
              x = Math.sin(x > 0 ? x : 1);
            }
            return x;
          }
        }
        """);
    assertEquals(Math.cos(1.5), scalar(compiled, "p.DGrad", "f", "x", 1.5), 1e-15);
  }

  /**
   * A loop that overwrites elements of an array the result does not depend on through them, but that an earlier
   * statement read (so the old values are taped and restored in the reverse sweep): the restoring loop {@code a[i] =
   * tape.popDouble()} does not step its counter back, so it restores the wrong elements and the earlier statement's
   * partial {@code dd * a[0]} reads the overwritten value.
   */
  @Test
  void loopThatOverwritesTapedArrayElementsRestoresTheWrongOnes() {
    Compiled compiled = Compiled.compile("p.F", """
        package p;

        import dev.adjoint.Differentiable;

        class F {
          @Differentiable
          static double f(double x) {
            double[] a = {2.0, 3.0, 5.0};
            double d = a[0] * x;
            for (int i = 0; i < 2; i++) {
              a[i] = 1.0;
            }
            return d;
          }
        }
        """);
    // f(x) = 2x; the generated gradient is 1.0 (a[0] is still 1.0 when dd * a[0] runs)
    assertEquals(2.0, scalar(compiled, "p.FGrad", "f", "x", 0.3), 0.0);
  }

  /** The same bug as an exception: {@code a[i] = tape.popDouble()} with i == a.length. */
  @Test
  void loopThatOverwritesTapedArrayElementsIndexesPastTheEnd() {
    Compiled compiled = Compiled.compile("p.G", """
        package p;

        import dev.adjoint.Differentiable;

        class G {
          @Differentiable
          static double f(double x) {
            double[] a = {2.0, 3.0};
            double d = a[0] * x;
            for (int i = 0; i < 2; i++) {
              a[i] = 1.0;
            }
            return d;
          }
        }
        """);
    // throws ArrayIndexOutOfBoundsException: Index 2 out of bounds for length 2
    assertEquals(2.0, scalar(compiled, "p.GGrad", "f", "x", 0.3), 0.0);
  }

  /**
   * The same loop after an early return (so inside the generated {@code if (!returned)}): the counter is declared in
   * the forward branch only, and the reverse sweep does not compile ({@code cannot find symbol: variable i}).
   */
  @Test
  void loopThatOverwritesTapedArrayElementsAfterAnEarlyReturn() {
    Compiled compiled = Compiled.compile("p.H", """
        package p;

        import dev.adjoint.Differentiable;

        class H {
          @Differentiable
          static double f(double x) {
            double[] a = new double[2];
            double d = a[0] * x;
            if (x < 0.0) {
              return 1.0;
            }
            for (int i = 0; i < 2; i++) {
              a[i] = 1.0;
            }
            return d;
          }
        }
        """);
    assertEquals(0.0, scalar(compiled, "p.HGrad", "f", "x", 0.3), 0.0);
  }

  /**
   * A declaration in a loop body that the reverse sweep recomputes (commit "Recompute loop-body declarations in the
   * reverse sweep") is assigned there without being declared: {@code d = w[i];} in the reverse loop, {@code cannot find
   * symbol: variable d}. About one random program in six has such a loop.
   */
  @Test
  void loopBodyDeclarationRecomputedInTheReverseSweep() {
    Compiled compiled = Compiled.compile("p.E", """
        package p;

        import dev.adjoint.Differentiable;

        class E {
          @Differentiable
          static double f(double[] w) {
            for (int i = 0; i < 2; i++) {
              double d = w[i];
            }
            return 1.0;
          }
        }
        """);
    Object g = compiled.call("p.EGrad", "f", (Object) new double[] {0.5, 0.25});
    assertEquals(0.0, ((double[]) Compiled.partial(g, "w"))[0], 0.0);
  }

  /**
   * The variable of an enhanced for is lowered as an alias of the array element ({@code a[index]}, read again at each
   * use) instead of a copy taken when the iteration starts: after the body writes that element, the variable reads the
   * new value. The value itself is wrong, not only the gradient.
   */
  @Test
  void enhancedForVariableIsACopyOfTheElement() {
    Compiled compiled = Compiled.compile("p.K", """
        package p;

        import dev.adjoint.Differentiable;

        class K {
          @Differentiable
          static double f(double x) {
            double[] a = {x};
            double s = 0;
            for (double e : a) {
              a[0] = 5.0;
              s = e;
            }
            return s;
          }
        }
        """);
    Object g = compiled.call("p.KGrad", "f", 0.5);
    // f(x) = x; the generated code returns value 5.0 and gradient 0.0
    assertEquals(0.5, Compiled.scalar(g, "value"), 0.0);
    assertEquals(1.0, Compiled.scalar(g, "x"), 0.0);
  }

  /**
   * A Matrix local whose adjoint is never set on the path taken (here: an early return) is still pulled back: the
   * reverse sweep calls {@code MatrixRules.transpose(m, dt)} with {@code dt == null}, a NullPointerException in the
   * rule
   * ({@code Cannot invoke "Matrix.transpose()" because "seed" is null}). The same with square, tanh, ...
   */
  @Test
  void matrixLocalUnusedOnThePathTaken() {
    Compiled compiled = Compiled.compile("p.M", """
        package p;

        import dev.adjoint.Differentiable;
        import dev.adjoint.runtime.Matrix;

        class M {
          @Differentiable
          static double f(Matrix m, double x) {
            Matrix t = m.transpose();
            if (x > 0) {
              return x;
            }
            return t.sum();
          }
        }
        """);
    Object g = compiled.call("p.MGrad", "f", dev.adjoint.runtime.Matrix.of(new double[][] {{1, 2}}), 1.0);
    assertEquals(1.0, Compiled.scalar(g, "x"), 0.0);
    assertEquals(0.0, ((dev.adjoint.runtime.Matrix) Compiled.partial(g, "m")).sum(), 0.0);
  }

  /** The same with the variable of an enhanced for: {@code cannot find symbol: variable e} in the reverse sweep. */
  @Test
  void enhancedForVariableRecomputedInTheReverseSweep() {
    Compiled compiled = Compiled.compile("p.E2", """
        package p;

        import dev.adjoint.Differentiable;

        class E2 {
          @Differentiable
          static double f(double[] c, double u) {
            double d = u;
            for (double e : c) {
              d = -e;
            }
            return 1.0;
          }
        }
        """);
    Object g = compiled.call("p.E2Grad", "f", new double[] {0.5, 0.25}, 1.0);
    assertEquals(0.0, Compiled.scalar(g, "u"), 0.0);
  }

  /**
   * The same null Matrix adjoint from a ternary's branch not taken: {@code Adjoints.add(dm, dM)} with {@code dM ==
   * null} throws {@code NullPointerException: contribution}.
   */
  @Test
  void matrixReadOnlyInTheTernaryBranchNotTaken() {
    Compiled compiled = Compiled.compile("p.M2", """
        package p;

        import dev.adjoint.Differentiable;
        import dev.adjoint.runtime.Matrix;

        class M2 {
          @Differentiable
          static double f(double y, Matrix m) {
            Matrix a = m;
            return y > 2.0 ? a.sum() : y;
          }
        }
        """);
    Object g = compiled.call("p.M2Grad", "f", 0.5, dev.adjoint.runtime.Matrix.of(new double[][] {{1, 2}}));
    assertEquals(1.0, Compiled.scalar(g, "y"), 0.0);
  }

  /**
   * A vector-valued method returning a local array returns that very array from its pullback ({@code double[] result
   * = a;}), and the reverse sweep then restores the array's overwritten elements in place: {@code hPullback} and the
   * gradient's {@code value()} return the values from before the overwrite.
   */
  @Test
  void vectorPullbackReturnsTheFinalValues() {
    Compiled compiled = Compiled.compile("p.I", """
        package p;

        import dev.adjoint.Differentiable;

        class I {
          @Differentiable
          static double[] h(double u) {
            double[] a = {u, u};
            a[1] /= u;
            return a;
          }
        }
        """);
    Class<?> gradientClass = compiled.load("p.IGrad$HGradient");
    Object into;
    try {
      into = gradientClass.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    double[] values = (double[]) compiled.call("p.IGrad", "hPullback", 0.5, new double[] {1, 1}, into);
    // h(0.5) = {0.5, 1.0}; the pullback returns {0.5, 0.5}
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, 1.0}, values, 0.0);
  }

  /**
   * The same null Matrix adjoint without any branch: a Matrix local overwritten before it is read has a null adjoint
   * when the reverse sweep reaches its first assignment, and {@code MatrixRules.transpose(m, null)} throws.
   */
  @Test
  void matrixLocalOverwrittenBeforeItIsRead() {
    Compiled compiled = Compiled.compile("p.M3", """
        package p;

        import dev.adjoint.Differentiable;
        import dev.adjoint.runtime.Matrix;

        class M3 {
          @Differentiable
          static double f(Matrix m) {
            Matrix t = m.transpose();
            for (int i = 0; i < 2; i++) {
              t = m.transpose();
            }
            return t.sum();
          }
        }
        """);
    Object g = compiled.call("p.M3Grad", "f", dev.adjoint.runtime.Matrix.of(new double[][] {{1, 2}}));
    assertEquals(2.0, ((dev.adjoint.runtime.Matrix) Compiled.partial(g, "m")).sum(), 0.0);
  }

  /**
   * Forward mode rejects a call of another {@code @Differentiable} method inside an array initialiser with a wrong
   * message: {@code [ADJ219] forward mode goes through h only if it has its own: add TANGENT to its
   * @Differentiable(also = ...)}, although h has TANGENT. The same call as an element store ({@code a[0] = h(x);})
   * compiles. (ForwardTransform.arrayTangent takes the elements' tangents with no statement list to put the callee's
   * {@code hTangent} call in, and differentiableCallTangent reports that as a missing TANGENT.) Found by {@link
   * RandomProgramsTest} with TANGENT on every method. Fixed: each call's tangent now comes from one {@code hTangent}
   * call made before the statement, wherever the call stands in it.
   */
  @Test
  void tangentOfACallInAnArrayInitialiser() {
    Compiled compiled = Compiled.compile("p.T1", """
        package p;

        import static dev.adjoint.Derivative.TANGENT;

        import dev.adjoint.Differentiable;

        class T1 {
          @Differentiable(also = TANGENT)
          static double h(double u) {
            return u * u;
          }

          @Differentiable(also = TANGENT)
          static double f(double x) {
            double[] a = {h(x), x};
            return a[0] + 3 * a[1];
          }
        }
        """);
    Dual d = (Dual) compiled.call("p.T1Grad", "fTangent", 0.5, 2.0);
    // f(x) = x² + 3x: f(0.5) = 1.75, f'(0.5) · 2 = (2 · 0.5 + 3) · 2 = 8
    assertEquals(1.75, d.value(), 0.0);
    assertEquals(8.0, d.derivative(), 1e-15);
  }

  /**
   * Forward mode of an element store whose value reads the same array and whose tangent is an expression rather than a
   * plain read ({@code a[0] = -a[0];}, {@code a[0] = a[k + 1];}, also {@code a[1] = a[(i + 2) % 2];} in a loop, where
   * {@link RandomProgramsTest} found it): the tangent is saved first, so that the store cannot change what it reads,
   * but in a temporary of the array's type, {@code double[] daNew = -da[0];}, and the companion does not compile
   * ({@code incompatible types: double cannot be converted to double[]}). Fixed: forward mode now stores the tangent
   * before the value when the store would change what the tangent reads, with no temporary.
   */
  @Test
  void tangentOfAnElementStoreReadingItsOwnArray() {
    Compiled compiled = Compiled.compile("p.T2", """
        package p;

        import static dev.adjoint.Derivative.TANGENT;

        import dev.adjoint.Differentiable;

        class T2 {
          @Differentiable(also = TANGENT)
          static double f(double y) {
            double[] a = {y, 2 * y};
            int k = 0;
            a[0] = a[k + 1];
            a[1] = -a[1];
            return a[0] * a[1];
          }
        }
        """);
    Dual d = (Dual) compiled.call("p.T2Grad", "fTangent", 0.5, 2.0);
    // f(y) = 2y · (-2y) = -4y²: f(0.5) = -1, f'(0.5) · 2 = -8 · 0.5 · 2 = -8
    assertEquals(-1.0, d.value(), 0.0);
    assertEquals(-8.0, d.derivative(), 1e-15);
  }

  /**
   * Forward mode through a call of a vector-valued method without a forward mode of its own once printed the
   * processor's internal representation of the call ({@code [ADJ202] the array `Call[callee=Differentiable[...`,
   * thousands of characters for a nested call). Found with {@code -Dadjoint.random.tangentThroughVectorCalls=true}.
   * Vector-valued methods have a forward mode now; without it the caller gets ADJ219, which names the callee.
   */
  @Test
  void vectorCallInForwardModeIsReportedAsWritten() {
    Compilation compilation = javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceString("p.V", """
            package p;

            import static dev.adjoint.Derivative.TANGENT;

            import dev.adjoint.Differentiable;

            class V {
              @Differentiable
              static double[] h(double u) {
                return new double[] {u, u * u};
              }

              @Differentiable(also = TANGENT)
              static double f(double x) {
                double[] a = h(x);
                return a[0] + a[1];
              }
            }
            """));
    String errors = compilation.errors().stream().map(d -> d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
    assertTrue(errors.startsWith("[ADJ219] forward mode goes through h only if it has its own"), errors);
  }

  /**
   * A vector-valued method that returns a local array nothing differentiated reaches, on one path: the returned array
   * is copied, and its tangent was {@code Adjoints.copy(null)}, which does not compile (ambiguous between the
   * {@code double[]} and {@code double[][]} overloads). Found by {@link RandomProgramsTest} with seed 777. The tangent
   * of such a copy is zeros shaped like it.
   */
  @Test
  void tangentOfAReturnedArrayThatNothingDifferentiatedReaches() {
    Compiled compiled = Compiled.compile("p.P3441", """
        package p;

        import static dev.adjoint.Derivative.HESSIAN;

        import dev.adjoint.Differentiable;

        class P3441 {
          @Differentiable(also = HESSIAN)
          static double[] h0(double u, double v) {
            double[] a0 = new double[2];
            if (1.0 > u) {
              return a0;
            }
            return new double[] {1.0, v * u};
          }

          @Differentiable(also = HESSIAN)
          static double f(double x, double y) {
            double[] h = h0(x, y);
            return h[0] * h[1] + x;
          }
        }
        """);
    dev.adjoint.runtime.DualVector zero =
        (dev.adjoint.runtime.DualVector) compiled.call("p.P3441Grad", "h0Tangent", 0.5, 2.0, 1.0, 1.0);
    assertEquals(0.0, zero.derivative()[1], 0.0);
    dev.adjoint.runtime.DualVector other =
        (dev.adjoint.runtime.DualVector) compiled.call("p.P3441Grad", "h0Tangent", 1.5, 2.0, 1.0, 1.0);
    assertEquals(2.0 + 1.5, other.derivative()[1], 1e-15); // d(v·u) = u dv + v du
    double[][] hessian = (double[][]) compiled.call("p.P3441Grad", "fHessian", 1.5, 2.0);
    // f = x·y + x for x ≥ 1: H = [[0, 1], [1, 0]]
    assertEquals(1.0, hessian[0][1], 1e-15);
    assertEquals(1.0, hessian[1][0], 1e-15);
    assertEquals(0.0, hessian[0][0], 1e-15);
  }

  // ---------------------------------------------------------------- opaque calls (issue 11)

  /** The source of class {@code name} with a counting opaque helper {@code next()} and these methods. */
  private static String withCounter(String name, String methods) {
    return """
        package p;

        import static dev.adjoint.Derivative.HESSIAN;

        import dev.adjoint.Differentiable;

        class %s {
          static int calls;

          static double next() {
            calls++;
            return calls;
          }

        %s}
        """.formatted(name, methods.indent(2));
  }

  /** How often the compiled program called {@code next()} in {@code run}, from a reset counter. */
  private static int callsDuring(Compiled compiled, String owner, Runnable run) {
    try {
      java.lang.reflect.Field calls = compiled.load(owner).getDeclaredField("calls");
      calls.setAccessible(true);
      calls.setInt(null, 0);
      run.run();
      return calls.getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * {@code fHessian} runs the method once per row, each run with its opaque calls, and each row is exact for the
   * state its run started in (docs/DIAGNOSTICS.md, "Calls of unknown purity"): {@code next()} is 1 in the first run,
   * 2 in the second, which takes the other branch. Found by {@link RandomProgramsTest} before that rule was written.
   */
  @Test
  void hessianRunsOpaqueCallsOncePerRow() {
    Compiled compiled = Compiled.compile("p.O1", withCounter("O1", """
        @Differentiable(also = HESSIAN)
        static double f(double x, double y) {
          if (x >= -next()) {
            return y;
          }
          return x * y;
        }
        """));
    double[][][] hessian = new double[1][][];
    assertEquals(2, callsDuring(compiled, "p.O1", () -> hessian[0] = (double[][]) compiled.call("p.O1Grad",
        "fHessian", -1.5, 2.0)));
    // first run: next() is 1 and -1.5 < -1, f = x·y, row [0, 1]; second run: next() is 2, f = y, row [0, 0]
    assertEquals(1.0, hessian[0][0][1], 0.0);
    assertEquals(0.0, hessian[0][1][0], 0.0);
  }

  /**
   * An opaque call returned from inside a branch: with HESSIAN the companion does not compile ({@code cannot find
   * symbol: variable result}). Found by {@link RandomProgramsTest} (compile, fails only with HESSIAN, shrunk).
   */
  @Test
  void hessianOfAnOpaqueCallReturnedInABranch() {
    Compiled compiled = Compiled.compile("p.O2", withCounter("O2", """
        @Differentiable(also = HESSIAN)
        static double f(double x, double y) {
          if (x > y) {
            return next();
          }
          return x * y;
        }
        """));
    double[][] hessian = (double[][]) compiled.call("p.O2Grad", "fHessian", 1.0, 2.0);
    assertEquals(1.0, hessian[0][1], 0.0);
    assertEquals(0.0, ((double[][]) compiled.call("p.O2Grad", "fHessian", 3.0, 2.0))[0][1], 0.0);
  }

  /**
   * {@code hJacobian} of a vector-valued method runs it once to learn the shape of its value, then once per row, each
   * row exact for the state its run started in (docs/DIAGNOSTICS.md, "Calls of unknown purity"): three rows, four
   * runs, and row 2, after three runs, differentiates {@code log1p(4 - u)}. Found by {@link RandomProgramsTest}
   * (opaque-calls of h0Jacobian), which led to the documented count.
   */
  @Test
  void jacobianRunsOpaqueCallsOnceForTheShapeThenOncePerRow() {
    Compiled compiled = Compiled.compile("p.O3", withCounter("O3", """
        @Differentiable
        static double[] h(double u) {
          return new double[] {u, 1.0, Math.log1p(next() - u)};
        }
        """));
    double[][][] jacobian = new double[1][][];
    assertEquals(4, callsDuring(compiled, "p.O3", () -> jacobian[0] = (double[][]) compiled.call("p.O3Grad",
        "hJacobian", 0.5)));
    assertEquals(-1 / 4.5, jacobian[0][2][0], 1e-15); // d/du log1p(4 - u) at 0.5
  }

  /**
   * H·v drops a call whose result nothing differentiated reads, although the callee makes an opaque call: {@code
   * next()} runs 0 times where the original runs it once. Found by {@link RandomProgramsTest} (opaque-calls of
   * fHessianVector, fewer, shrunk).
   */
  @Test
  void hessianVectorDropsACallWithOpaqueCalls() {
    Compiled compiled = Compiled.compile("p.O5", withCounter("O5", """
        @Differentiable(also = HESSIAN)
        static double[] h(double u, double v) {
          double k = next();
          return new double[] {1.0, v};
        }

        @Differentiable(also = HESSIAN)
        static double f(double x) {
          double[] a = h(1.0, 3.0);
          return x * x;
        }
        """));
    double[][] hv = new double[1][];
    assertEquals(1, callsDuring(compiled, "p.O5", () -> hv[0] = (double[]) compiled.call("p.O5Grad",
        "fHessianVector", 0.5, 1.0)));
    assertEquals(2.0, hv[0][0], 0.0);
  }

  /**
   * An opaque call that fills the array an enhanced for walks, with a labelled break: the gradient
   * must call it as often as the primal. Found by a 20,000-program run (seed 31415, P12450).
   */
  @Test
  void anOpaqueCallInsideAnEnhancedForOverTheArrayItFillsRunsOnce() {
    Compiled compiled = Compiled.compile("p.O6", withCounter("O6", """
        static double fill(double[] buf, double a0) {
          calls++;
          for (int j = 0; j < buf.length; j++) {
            buf[j] = 0.5 * buf[j] + a0 + j;
          }
          return buf.length;
        }

        @Differentiable
        static double f(double x, double y) {
          double[] b0 = new double[3];
          for (double e1 : b0) {
            L4:
            for (int i5 = 0; i5 < 3; i5++) {
              double d6 = fill(b0, 1.0);
              if (e1 < 1.0) {
                break L4;
              }
            }
          }
          return y * x;
        }
        """));
    int primal = callsDuring(compiled, "p.O6", () -> compiled.call("p.O6", "f", 0.5, 2.0));
    Object[] gradient = new Object[1];
    assertEquals(primal, callsDuring(compiled, "p.O6", () -> gradient[0] = compiled.call("p.O6Grad", "f", 0.5, 2.0)));
    assertEquals(2.0, Compiled.scalar(gradient[0], "x"), 0.0);
  }

  /**
   * A call of unknown purity before a {@code ?:} whose condition reads what the call wrote: Java
   * evaluates the call first. Found by a 20,000-program run (seed 31415, P2346).
   */
  @Test
  void aConditionalAfterAnOpaqueCallSeesWhatTheCallWrote() {
    Compiled compiled = Compiled.compile("p.O7", withCounter("O7", """
        static double fill(double[] buf, double a0) {
          calls++;
          for (int j = 0; j < buf.length; j++) {
            buf[j] = 0.5 * buf[j] + a0 + j;
          }
          return buf.length;
        }

        @Differentiable
        static double f(double x) {
          double[] b2 = new double[2];
          return fill(b2, 1.5) + (b2[0] <= 0.5 ? x : 1.0);
        }
        """));
    assertEquals(3.0, (double) compiled.call("p.O7", "f", 1.4), 0.0);
    Object gradient = compiled.call("p.O7Grad", "f", 1.4);
    assertEquals(3.0, Compiled.scalar(gradient, "value"), 0.0);
    assertEquals(0.0, Compiled.scalar(gradient, "x"), 0.0);
  }

  /**
   * A HESSIAN companion of a method that hands an element of a local array, restored from the tape
   * in the reverse sweep, to a call of unknown purity: forward over reverse used to take the popped
   * element as varied and reject the call (ADJ204). Found by a 20,000-program run (seed 31415, P5022).
   */
  @Test
  void aRestoredArrayElementHandedToAnOpaqueCallDoesNotStopTheHessian() {
    Compiled compiled = Compiled.compile("p.O8", withCounter("O8", """
        static double bump(double a) {
          calls++;
          return a + calls;
        }

        @Differentiable(also = HESSIAN)
        static double f(double z, double[] w) {
          for (int i0 = 0; i0 < 3; i0++) {
            double[] b1 = new double[3];
            z = w[1] * b1[2 - i0] + z * w[0];
            for (int i2 = 0; i2 < 4; i2++) {
              double d3 = bump(b1[(i2 + 1) % 3]);
            }
          }
          return z;
        }
        """));
    double[] w = {2.0, 5.0};
    int primal = callsDuring(compiled, "p.O8", () -> compiled.call("p.O8", "f", 1.5, w.clone()));
    double[][] hessian = new double[1][];
    assertEquals(primal, callsDuring(compiled, "p.O8", () -> hessian[0] = (double[]) compiled.call("p.O8Grad",
        "fHessianVector", 1.5, w.clone(), 1.0, new double[] {0, 0})));
    // f = z w0³: ∂²f/∂z² = 0, ∂²f/∂z∂w0 = 3 w0², ∂²f/∂z∂w1 = 0
    assertEquals(0.0, hessian[0][0], 1e-12);
    assertEquals(12.0, hessian[0][1], 1e-12);
    assertEquals(0.0, hessian[0][2], 1e-12);
  }
  /**
   * A call of unknown purity in an operand, then a switch expression (or a helper run in place) in a later operand that
   * reads what the call wrote: the switch's statements used to run before the whole expression, so they read the
   * table before {@code bump} changed it (a wrong value, and a wrong gradient). Found by a 300-program run with the
   * generator's switches (seed 1592598564, P221).
   */
  @Test
  void aSwitchExpressionAfterAnOpaqueCallSeesWhatTheCallWrote() {
    Compiled compiled = Compiled.compile("p.O9", withCounter("O9", """
        static final double[] TABLE = {0.25, -1.65, 2.615};

        static void reset() {
          TABLE[1] = -1.65;
        }

        static double bump(double a0) {
          calls++;
          int i = Math.floorMod((int) a0, TABLE.length);
          TABLE[i] += 0.75;
          return TABLE[i];
        }

        static double scaled(double[] out, double v) {
          out[0] = v * TABLE[1];
          return out[0];
        }

        @Differentiable
        static double f(double x, double z) {
          return bump(1.01) * z + switch (0) { case 4 -> x; default -> TABLE[1] * x; };
        }

        @Differentiable
        static double g(double x, double z) {
          double[] buffer = new double[1];
          return bump(1.01) * z + scaled(buffer, x);
        }
        """));
    for (String method : java.util.List.of("f", "g")) {
      compiled.call("p.O9", "reset");
      assertEquals(-0.9 * 2.0 - 0.9 * 3.0, (double) compiled.call("p.O9", method, 3.0, 2.0), 1e-12, method);
      compiled.call("p.O9", "reset");
      Object gradient = compiled.call("p.O9Grad", method, 3.0, 2.0);
      assertEquals(-0.9 * 2.0 - 0.9 * 3.0, Compiled.scalar(gradient, "value"), 1e-12, method);
      assertEquals(-0.9, Compiled.scalar(gradient, "x"), 1e-12, method);
      assertEquals(-0.9, Compiled.scalar(gradient, "z"), 1e-12, method);
    }
  }
}
