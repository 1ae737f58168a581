package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Methods whose generated derivatives would exceed HotSpot's 8,000-byte limit for compiling a
 * method (and javac's 64 KiB): a 5,000-term straight-line polynomial and a loop whose body has 200
 * statements. Every generated method must stay below the limit, read from the class files, and
 * every mode must still be exact.
 */
class BigMethodsTest {
  private static final int TERMS = Integer.getInteger("terms", 5_000);
  private static final int BODY = 200;
  private static final int HUGE_METHOD_LIMIT = 8_000;

  /** Term k of the polynomial: {@code c[k] * x^a[k] * y^b[k]}, total degree at most 3 (the user's method must stay below javac's 64 KiB). */
  private static final double[] C = new double[TERMS];
  private static final int[] A = new int[TERMS];
  private static final int[] B = new int[TERMS];

  /** Statement k of the loop body: {@code t = P[k] * t + Q[k] * Math.sin(u)} (k even) or {@code u = ... cos(t)}. */
  private static final double[] P = new double[BODY];
  private static final double[] Q = new double[BODY];

  static {
    for (int k = 0; k < TERMS; k++) {
      C[k] = ((k * 7919) % 2000 - 1000) / 1024.0;
      A[k] = k % 4;
      B[k] = (k / 4) % (4 - A[k]);
    }
    for (int k = 0; k < BODY; k++) {
      P[k] = 1 - (k % 7) / 256.0;
      Q[k] = ((k * 31) % 17 - 8) / 128.0;
    }
  }

  private static final Compiled compiled = Compiled.compile("p.Big", source());

  private static String source() {
    StringBuilder source = new StringBuilder("""
        package p;

        import static dev.adjoint.Derivative.HESSIAN;

        import dev.adjoint.Differentiable;

        class Big {
          @Differentiable(also = HESSIAN)
          static double polynomial(double x, double y) {
            double s = 0;
        """);
    for (int k = 0; k < TERMS; k++) {
      source.append("    s += ").append(C[k]).append(" * x".repeat(A[k])).append(" * y".repeat(B[k]))
          .append(";\n");
    }
    source.append("""
            return s;
          }

          @Differentiable(also = HESSIAN)
          static double longLoop(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              double t = x[i];
              double u = 0.5 * x[i];
        """);
    for (int k = 0; k < BODY; k++) {
      source.append(k % 2 == 0
          ? "      t = " + P[k] + " * t + " + Q[k] + " * Math.sin(u);\n"
          : "      u = " + P[k] + " * u + " + Q[k] + " * Math.cos(t);\n");
    }
    source.append("""
              s += t * u;
            }
            return s;
          }
        }
        """);
    return source.toString();
  }

  @Test
  void everyGeneratedMethodIsBelowTheHugeMethodLimit() {
    List<String> tooLarge = new ArrayList<>();
    int methods = 0;
    for (Map.Entry<String, byte[]> file : compiled.classFiles().entrySet()) {
      if (!file.getKey().startsWith("p.BigGrad")) {
        continue; // the user's own polynomial is one method of about 62,000 bytes: javac's limit is the user's
      }
      ClassFileSizes sizes = ClassFileSizes.of(file.getValue());
      for (Map.Entry<String, Integer> method : sizes.codeLengths.entrySet()) {
        methods++;
        if (method.getValue() >= HUGE_METHOD_LIMIT) {
          tooLarge.add(file.getKey() + "." + method.getKey() + ": " + method.getValue() + " bytes");
        }
      }
    }
    assertEquals(List.of(), tooLarge);
    // Unsplit, the polynomial's pullback alone would be about 200,000 bytes: dozens of methods now.
    assertTrue(methods > 100, "the large methods were split: " + methods + " methods");
    for (String frame : List.of("PolynomialPullbackFrame", "PolynomialPullbackTangentFrame", "PolynomialTangentFrame",
        "PolynomialHessianVectorFrame", "LongLoopPullbackFrame", "LongLoopTangentFrame", "LongLoopHessianVectorFrame")) {
      assertTrue(compiled.classFiles().containsKey("p.BigGrad$" + frame), frame);
    }
  }

  @Test
  void thePartsAreNamedAfterTheSourceLinesTheyHoldAndKeepTheirComments() {
    String source = compiled.generatedSources();
    // The pullback's gradient object keeps its frame between calls; the tangent has none and makes one.
    assertTrue(source.contains("PolynomialPullbackFrame frame = into.polynomialPullbackFrame();"), "frame kept");
    assertTrue(source.contains("PolynomialTangentFrame frame = new PolynomialTangentFrame();"), "frame created");
    assertTrue(source.contains("frame.lines10To"), "forward parts named by their lines: the first term is on line 10");
    assertTrue(source.contains("void reverseLines"), "reverse-sweep parts say so");
    // Every part begins with the source line it holds (repeated with "(continued)" if it starts inside
    // one), except the first of each frame and of each split loop body, which start with the method's
    // declarations or the loop's counter step (here 9 of them).
    Matcher part = Pattern.compile("void (?:reverseL|l)ines\\w+\\(\\) \\{\n\\s*(.*)").matcher(source);
    int parts = 0;
    List<String> withoutComment = new ArrayList<>();
    while (part.find()) {
      parts++;
      if (!part.group(1).startsWith("// line ") && !part.group(1).startsWith("// reverse sweep")) {
        withoutComment.add(part.group());
      }
    }
    assertTrue(parts > 100, "parts: " + parts);
    assertTrue(withoutComment.size() <= 10, "one per frame and loop body at most: " + withoutComment);
    assertTrue(source.contains(" (continued)\n"), "a part that starts inside a source line says so");
    // The loop keeps its header in one part and calls the parts of its body.
    assertTrue(Pattern.compile("for \\(; i < x\\.length; i\\+\\+, iterations\\+\\+\\) \\{\n\\s*lines")
        .matcher(source).find(), "loop body split");
  }

  @Test
  void polynomialGradientTangentAndHessianVectorAreExact() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 3; trial++) {
      double x = random.nextDouble(-1.2, 1.2);
      double y = random.nextDouble(-1.2, 1.2);
      double[] gradient = polynomialGradient(x, y);
      Object g = compiled.call("p.BigGrad", "polynomial", x, y);
      assertClose(polynomial(x, y), Compiled.scalar(g, "value"));
      assertClose(gradient[0], Compiled.scalar(g, "x"));
      assertClose(gradient[1], Compiled.scalar(g, "y"));
      GradientAssertions.assertGradient(p -> (double) compiled.call("p.Big", "polynomial", p[0], p[1]),
          new double[] {x, y}, new double[] {Compiled.scalar(g, "x"), Compiled.scalar(g, "y")});

      double dx = random.nextDouble(-1, 1);
      double dy = random.nextDouble(-1, 1);
      Dual tangent = (Dual) compiled.call("p.BigGrad", "polynomialTangent", x, y, dx, dy);
      assertClose(polynomial(x, y), tangent.value());
      assertClose(gradient[0] * dx + gradient[1] * dy, tangent.derivative());

      double[][] hessian = polynomialHessian(x, y);
      double[] hv = (double[]) compiled.call("p.BigGrad", "polynomialHessianVector", x, y, dx, dy);
      assertClose(hessian[0][0] * dx + hessian[0][1] * dy, hv[0]);
      assertClose(hessian[1][0] * dx + hessian[1][1] * dy, hv[1]);
      double[][] generatedHessian = (double[][]) compiled.call("p.BigGrad", "polynomialHessian", x, y);
      GradientAssertions.assertHessian(p -> polynomialGradient(p[0], p[1]), new double[] {x, y}, generatedHessian);
    }
  }

  @Test
  void longLoopGradientTangentAndHessianVectorAreExact() {
    SplittableRandom random = new SplittableRandom(12);
    double[] x = random.doubles(6, -2, 2).toArray();
    double[] v = random.doubles(6, -1, 1).toArray();
    double[] gradient = longLoopGradient(x);
    Object g = compiled.call("p.BigGrad", "longLoop", (Object) x);
    assertClose(longLoop(x), Compiled.scalar(g, "value"));
    double[] generated = (double[]) Compiled.partial(g, "x");
    for (int i = 0; i < x.length; i++) {
      assertClose(gradient[i], generated[i]);
    }
    GradientAssertions.assertGradient(p -> (double) compiled.call("p.Big", "longLoop", (Object) p), x, generated);

    Dual tangent = (Dual) compiled.call("p.BigGrad", "longLoopTangent", x, v);
    double directional = 0;
    for (int i = 0; i < x.length; i++) {
      directional += gradient[i] * v[i];
    }
    assertClose(longLoop(x), tangent.value());
    assertClose(directional, tangent.derivative());

    // H·v against central differences of the analytic gradient along v
    double h = 1e-5;
    double[] forward = longLoopGradient(shifted(x, v, h));
    double[] backward = longLoopGradient(shifted(x, v, -h));
    double[] hv = (double[]) compiled.call("p.BigGrad", "longLoopHessianVector", x, v);
    for (int i = 0; i < x.length; i++) {
      assertEquals((forward[i] - backward[i]) / (2 * h), hv[i], 1e-6 * Math.max(1, Math.abs(hv[i])), "H·v " + i);
    }
  }

  private static double[] shifted(double[] x, double[] v, double h) {
    double[] point = x.clone();
    for (int i = 0; i < x.length; i++) {
      point[i] += h * v[i];
    }
    return point;
  }

  private static void assertClose(double expected, double actual) {
    assertEquals(expected, actual, 1e-10 * Math.max(1, Math.abs(expected)));
  }

  private static double polynomial(double x, double y) {
    double s = 0;
    for (int k = 0; k < TERMS; k++) {
      s += C[k] * Math.pow(x, A[k]) * Math.pow(y, B[k]);
    }
    return s;
  }

  private static double[] polynomialGradient(double x, double y) {
    double gx = 0;
    double gy = 0;
    for (int k = 0; k < TERMS; k++) {
      gx += A[k] == 0 ? 0 : C[k] * A[k] * Math.pow(x, A[k] - 1) * Math.pow(y, B[k]);
      gy += B[k] == 0 ? 0 : C[k] * B[k] * Math.pow(x, A[k]) * Math.pow(y, B[k] - 1);
    }
    return new double[] {gx, gy};
  }

  private static double[][] polynomialHessian(double x, double y) {
    double xx = 0;
    double xy = 0;
    double yy = 0;
    for (int k = 0; k < TERMS; k++) {
      int a = A[k];
      int b = B[k];
      xx += a < 2 ? 0 : C[k] * a * (a - 1) * Math.pow(x, a - 2) * Math.pow(y, b);
      xy += a < 1 || b < 1 ? 0 : C[k] * a * b * Math.pow(x, a - 1) * Math.pow(y, b - 1);
      yy += b < 2 ? 0 : C[k] * b * (b - 1) * Math.pow(x, a) * Math.pow(y, b - 2);
    }
    return new double[][] {{xx, xy}, {xy, yy}};
  }

  private static double longLoop(double[] x) {
    double s = 0;
    for (double xi : x) {
      double t = xi;
      double u = 0.5 * xi;
      for (int k = 0; k < BODY; k++) {
        if (k % 2 == 0) {
          t = P[k] * t + Q[k] * Math.sin(u);
        } else {
          u = P[k] * u + Q[k] * Math.cos(t);
        }
      }
      s += t * u;
    }
    return s;
  }

  /** The gradient by hand: each x[i] reaches only iteration i, whose state (t, u) carries its derivative forward. */
  private static double[] longLoopGradient(double[] x) {
    double[] gradient = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double t = x[i];
      double u = 0.5 * x[i];
      double dt = 1;
      double du = 0.5;
      for (int k = 0; k < BODY; k++) {
        if (k % 2 == 0) {
          dt = P[k] * dt + Q[k] * Math.cos(u) * du;
          t = P[k] * t + Q[k] * Math.sin(u);
        } else {
          du = P[k] * du - Q[k] * Math.sin(t) * dt;
          u = P[k] * u + Q[k] * Math.cos(t);
        }
      }
      gradient[i] = dt * u + t * du;
    }
    return gradient;
  }
}
