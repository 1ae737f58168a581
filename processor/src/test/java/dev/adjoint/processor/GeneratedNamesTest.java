package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Generated code says what the source says: the user's names appear unchanged (temporaries and
 * the generator's own locals keep off them), the counters of two loops over {@code j} are both
 * {@code j}, and values restored by the reverse sweep go back into their own variables. The
 * gradients, tangents and Hessians of the methods are checked as well: sharing a counter must not
 * change them.
 */
class GeneratedNamesTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class Naming {
        @Differentiable(wrt = "w", also = {TANGENT, HESSIAN})
        static double twoLoops(double[][] X, double[] w) {
          double loss = 0;
          for (int i = 0; i < X.length; i++) {
            double z = 0;
            for (int j = 0; j < w.length; j++) {
              z += X[i][j] * w[j];
            }
            loss += z * z;
          }
          for (int j = 0; j < w.length; j++) {
            loss += w[j] * w[j] * w[j];
          }
          return loss;
        }

        @Differentiable(also = {TANGENT, HESSIAN})
        static double generatorsNames(double x, double y) {
          double seed = x * y;
          double dx = 2 * x;
          double tape = 0;
          double sum = 0;
          double o = y;
          int iterations = 3;
          for (int i = 0; i < iterations; i++) {
            double result = seed + o * i;
            sum += result * result;
            tape += dx;
          }
          double into = sum + tape;
          return into;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Naming", SOURCE);
  private static final double[][] X = {{1, 2, -1}, {0.5, -3, 2}};

  @Test
  void noNameIsRenamedWithAnUnderscore() {
    Matcher renamed = Pattern.compile("\\b[A-Za-z]\\w*_\\b").matcher(compiled.generatedSources());
    assertFalse(renamed.find(), () -> "renamed: " + renamed.group());
  }

  @Test
  void bothLoopsCountWithJ() {
    String source = compiled.generatedSources();
    assertFalse(Pattern.compile("\\bj\\d+\\b").matcher(source).find(), source);
    // The reverse sweep needs the first loops' j after the second loop: saved, and restored into j.
    assertTrue(source.contains("int savedJ = j;"), source);
    assertTrue(source.contains("j = savedJ;"), source);
    // Each nested loop's count comes back into its own counter.
    assertTrue(source.contains("iterations = tape.popInt();"), source);
  }

  @Test
  void theUsersNamesWinOverTheGenerators() {
    String source = compiled.generatedSources();
    for (String declaration : List.of("double seed = x * y", "double dx = 2 * x", "double tape = 0",
        "double sum = 0", "int iterations = 3", "double into = sum + tape")) {
      assertTrue(source.contains(declaration), () -> declaration + " missing in\n" + source);
    }
    // The pullback's seed and the adjoint of x give way to the user's seed and dx.
    assertTrue(Pattern.compile("double seed2,\\s+GeneratorsNamesGradient into2\\)").matcher(source).find(), source);
    assertTrue(source.contains("double dx2 = 0.0;"), source);
    assertTrue(source.contains("double result2 = into;"), source); // the normaliser's result
    assertTrue(source.contains("double do2 = 0.0;"), source); // the adjoint of o is not the keyword do
  }

  @Test
  void twoLoopsGradientTangentAndHessian() {
    double[] w = {0.3, -1.2, 0.7};
    Object gradient = compiled.call("p.NamingGrad", "twoLoops", X, w);
    double[] expected = new double[w.length];
    for (double[] row : X) {
      double z = 0;
      for (int j = 0; j < w.length; j++) {
        z += row[j] * w[j];
      }
      for (int k = 0; k < w.length; k++) {
        expected[k] += 2 * z * row[k];
      }
    }
    for (int k = 0; k < w.length; k++) {
      expected[k] += 3 * w[k] * w[k];
    }
    assertArrayEquals(expected, (double[]) Compiled.partial(gradient, "w"), 1e-12);
    GradientAssertions.assertGradient(point -> (double) compiled.call("p.Naming", "twoLoops", X, point), w, expected);
    double[] direction = {1, 0.5, -2};
    Dual tangent = (Dual) compiled.call("p.NamingGrad", "twoLoopsTangent", X, w, direction);
    GradientAssertions.assertTangent(expected, direction, tangent.derivative());
    double[][] hessian = (double[][]) compiled.call("p.NamingGrad", "twoLoopsHessian", X, w);
    for (int k = 0; k < w.length; k++) {
      for (int m = 0; m < w.length; m++) {
        double exact = 0;
        for (double[] row : X) {
          exact += 2 * row[k] * row[m];
        }
        exact += k == m ? 6 * w[k] : 0;
        assertEquals(exact, hessian[k][m], 1e-12, "H[" + k + "][" + m + "]");
      }
    }
  }

  @Test
  void generatorsNamesGradientTangentAndHessian() {
    double x = 0.7;
    double y = -1.3;
    Object gradient = compiled.call("p.NamingGrad", "generatorsNames", x, y);
    // f = Σ_{i<3} (y (x + i))² + 6x
    double[] expected = {6 * y * y * (x + 1) + 6,
        2 * y * (x * x + (x + 1) * (x + 1) + (x + 2) * (x + 2))};
    assertEquals(expected[0], Compiled.scalar(gradient, "x"), 1e-12);
    assertEquals(expected[1], Compiled.scalar(gradient, "y"), 1e-12);
    GradientAssertions.assertGradient(
        point -> (double) compiled.call("p.Naming", "generatorsNames", point[0], point[1]), new double[] {x, y},
        expected);
    Dual tangent = (Dual) compiled.call("p.NamingGrad", "generatorsNamesTangent", x, y, 1.0, 2.0);
    assertEquals(expected[0] + 2 * expected[1], tangent.derivative(), 1e-12);
    double[][] hessian = (double[][]) compiled.call("p.NamingGrad", "generatorsNamesHessian", x, y);
    double[][] exact = {{6 * y * y, 12 * y * (x + 1)},
        {12 * y * (x + 1), 2 * (x * x + (x + 1) * (x + 1) + (x + 2) * (x + 2))}};
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(exact[k], hessian[k], 1e-12, "row " + k);
    }
  }
}
