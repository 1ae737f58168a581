package dev.adjoint.processor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Processor bugs found by {@link RandomProgramsTest}, each as the shrunk program (lightly hand-reduced further) with
 * its expected gradient. Disabled until the processor is fixed: remove the {@code @Disabled} to check a fix.
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
   * {@code [ADJ402] internal error ... IllegalStateException: cannot print null} (from {@code CodeWriter.bare}). The same
   * statement at the top level of the method compiles.
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
}
