package dev.adjoint.benchmarks;

/**
 * Big methods: the gradient of {@link BigPolynomial}, 5,000 straight-line terms, whose generated
 * pullback Adjoint splits into methods below HotSpot's 8,000-byte limit for compiling a method. The
 * hand-written gradient is what a person would write for such a polynomial: a loop over the table
 * of coefficients and powers, with the powers of x and y computed once.
 */
public final class BigPolynomialWorkload {
  static final int TERMS = 5_000;
  /** Term k is C[k]·x^A[k]·y^B[k], total degree at most 3, as in {@link BigPolynomial}. */
  private static final double[] C = new double[TERMS];
  private static final int[] A = new int[TERMS];
  private static final int[] B = new int[TERMS];

  static {
    for (int k = 0; k < TERMS; k++) {
      C[k] = ((k * 7919) % 2000 - 1000) / 1024.0;
      A[k] = k % 4;
      B[k] = (k / 4) % (4 - A[k]);
    }
  }

  final double x = 0.7;
  final double y = -0.4;
  final double[] handGradient = new double[2];
  final BigPolynomialGrad.PolynomialGradient into = new BigPolynomialGrad.PolynomialGradient();

  public double primal() {
    return BigPolynomial.polynomial(x, y);
  }

  public double generatedInto() {
    return BigPolynomialGrad.polynomial(x, y, into);
  }

  /** Σ C·x^A·y^B and its partials, powers from tables: {@code px[a]} is x^a. */
  public double handWritten() {
    double[] px = {1, x, x * x, x * x * x};
    double[] py = {1, y, y * y, y * y * y};
    double value = 0;
    double gx = 0;
    double gy = 0;
    for (int k = 0; k < TERMS; k++) {
      int a = A[k];
      int b = B[k];
      double c = C[k];
      value += c * px[a] * py[b];
      if (a > 0) {
        gx += c * a * px[a - 1] * py[b];
      }
      if (b > 0) {
        gy += c * b * px[a] * py[b - 1];
      }
    }
    handGradient[0] = gx;
    handGradient[1] = gy;
    return value;
  }

  /** The generated gradient against the hand-written one, which is checked against differences. */
  public void check() {
    String w = "big polynomial";
    double value = handWritten();
    double[] reference = handGradient.clone();
    double[] p = {x, y};
    Check.referenceAgainstDifferences(
        w + " hand-written", p, reference, v -> BigPolynomial.polynomial(p[0], p[1]), 2);
    Check.value(w + " primal (the written-out source matches the tables)", value, primal());
    Check.value(w + " generated into", value, generatedInto());
    Check.exact(w + " generated into gradient", reference, new double[] {into.x(), into.y()});
  }
}
