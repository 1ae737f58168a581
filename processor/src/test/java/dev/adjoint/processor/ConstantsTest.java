package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Constants the companion cannot name (private, in a private class, protected in another package)
 * are compile-time constants whose exact values Adjoint copies into the companion.
 */
class ConstantsTest {
  private static final Compiled COMPILED = Compiled.compileAll(Map.of(
      "q.Base", """
          package q;

          public class Base {
            protected static final double SCALE = 4.0;
          }
          """,
      "q.Shared", """
          package q;

          public interface Shared {
            double ROOT2 = Math.sqrt(2); // implicitly public: the companion names it
          }
          """,
      "p.Gauss", """
          package p;

          import dev.adjoint.Differentiable;

          class Gauss extends q.Base {
            private static final double LOG_2PI = 1.8378770664093453;
            // folded by javac to 0.30000000000000004, which no short decimal gives back
            private static final double TENTH_SUM = 0.1 + 0.2;
            private static final int POWER = 3;
            private static final long BIG = 1L << 40;
            private static final boolean CENTRED = true;
            private static final double HUGE = 1.0 / 0.0;

            private static final class Tables {
              static final double HALF = 0.5;
            }

            @Differentiable
            static double logDensity(double x, double mu) {
              double z = CENTRED ? x - mu : x;
              double s = -Tables.HALF * (LOG_2PI + z * z) + TENTH_SUM * Math.pow(x, POWER) + x / BIG + SCALE * x;
              if (x < HUGE) {
                s += x;
              }
              return s;
            }

            @Differentiable
            static double scaled(double x) {
              return TENTH_SUM * x;
            }

            @Differentiable
            static double byInterfaceConstant(double x) {
              return q.Shared.ROOT2 * x * x;
            }
          }
          """));

  private static double logDensity(double x, double mu) {
    return (double) COMPILED.call("p.Gauss", "logDensity", x, mu);
  }

  @Test
  void privateConstantsAreCopiedIntoTheCompanion() {
    double x = 0.7;
    double mu = -0.4;
    Object gradient = COMPILED.call("p.GaussGrad", "logDensity", x, mu);
    double tenthSum = 0.1 + 0.2;
    double dx = -(x - mu) + 3 * tenthSum * x * x + 1.0 / (1L << 40) + 4.0 + 1;
    double dmu = x - mu;
    assertEquals(logDensity(x, mu), Compiled.scalar(gradient, "value"), 0.0);
    assertEquals(dx, Compiled.scalar(gradient, "x"), 1e-14);
    assertEquals(dmu, Compiled.scalar(gradient, "mu"), 1e-14);
    double h = 1e-6;
    assertEquals((logDensity(x + h, mu) - logDensity(x - h, mu)) / (2 * h), Compiled.scalar(gradient, "x"), 1e-7);
    assertEquals((logDensity(x, mu + h) - logDensity(x, mu - h)) / (2 * h), Compiled.scalar(gradient, "mu"), 1e-7);
  }

  @Test
  void constantsTheCompanionCanNameAreNamed() {
    double x = 1.5;
    assertEquals(2 * Math.sqrt(2) * x, Compiled.scalar(COMPILED.call("p.GaussGrad", "byInterfaceConstant", x), "x"), 1e-15);
    assertTrue(COMPILED.generatedSources().contains("Shared.ROOT2"), COMPILED.generatedSources());
  }

  @Test
  void copiedValuesAreBitExact() {
    assertEquals(0.1 + 0.2, Compiled.scalar(COMPILED.call("p.GaussGrad", "scaled", 1.0), "x"), 0.0);
    String generated = COMPILED.generatedSources();
    assertTrue(generated.contains("0.30000000000000004"), generated);
    assertTrue(generated.contains("1099511627776L"), generated);
    assertTrue(generated.contains("Double.POSITIVE_INFINITY"), generated);
  }
}
