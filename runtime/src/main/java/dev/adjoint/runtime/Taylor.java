package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Truncated Taylor-series arithmetic, which generated code uses for the n-th derivatives of a
 * function of one variable (Taylor-mode automatic differentiation).
 *
 * <p>A series is a {@code double[]} of length {@code order + 1} holding the <em>normalized</em>
 * coefficients {@code s[k] = f⁽ᵏ⁾(x₀) / k!} of a function {@code f} around the point {@code x₀}:
 * {@link #variable(double, int)} seeds the independent variable, {@link #constant(double, int)}
 * lifts everything else, the operations below propagate the series through the computation, and
 * {@link #derivatives(double[])} turns the result back into {@code f(x₀), f'(x₀), …, f⁽ⁿ⁾(x₀)}.
 * Each operation costs {@code O(order²)} and is exact up to rounding (no finite differences).
 *
 * <p>Every method allocates a new result and never modifies its arguments. The arguments of one
 * call must all have the same length, otherwise an {@link IllegalArgumentException} names both
 * lengths. The functions carry the names of their {@link Math} counterparts, so that the processor
 * can map {@code Math.f(...)} to {@code Taylor.f(...)} by name, and the value (coefficient 0) of
 * every result is exactly what the {@code Math} function returns for the arguments' values.
 *
 * <p>Conventions at points where a derivative does not exist, consistent with the first-derivative
 * rules of {@code MathRules}: {@code abs} at 0, {@code atan2} and {@code hypot} at the origin have
 * all derivatives 0; {@code max} and {@code min} take the whole series of the argument they choose
 * (the first one at a tie); {@code signum}, {@code floor}, {@code ceil} and {@code rint} are
 * constants; {@code remainder} treats its truncated quotient as a constant. Where the derivatives
 * are infinite or undefined ({@code sqrt} or {@code log} at 0, {@code asin} at ±1, a non-integer
 * power of a negative number), the affected coefficients are infinite or NaN.
 */
public final class Taylor {
  private static final double LN_10 = Math.log(10);

  private Taylor() {}

  // ---------------------------------------------------------------------------------------------
  // Seeds and results

  /** The series of a constant: {@code [value, 0, …, 0]} of length {@code order + 1}. */
  public static double[] constant(double value, int order) {
    double[] s = new double[length(order)];
    s[0] = value;
    return s;
  }

  /**
   * The series of the independent variable at {@code value}: {@code [value, 1, 0, …, 0]} of length
   * {@code order + 1} (for order 0 just {@code [value]}).
   */
  public static double[] variable(double value, int order) {
    double[] s = new double[length(order)];
    s[0] = value;
    if (order >= 1) {
      s[1] = 1;
    }
    return s;
  }

  /** The function's value, {@code s[0]}. */
  public static double value(double[] s) {
    check("value", s);
    return s[0];
  }

  /** The function's derivatives of orders 0 to {@code s.length - 1}: {@code s[k] · k!}. */
  public static double[] derivatives(double[] s) {
    check("derivatives", s);
    double[] d = new double[s.length];
    double factorial = 1;
    for (int k = 0; k < s.length; k++) {
      if (k > 0) {
        factorial *= k;
      }
      d[k] = s[k] * factorial;
    }
    return d;
  }

  // ---------------------------------------------------------------------------------------------
  // Arithmetic

  /** {@code a + b}. */
  public static double[] add(double[] a, double[] b) {
    check("add", a, b);
    return sum(a, b);
  }

  /** {@code a - b}. */
  public static double[] subtract(double[] a, double[] b) {
    check("subtract", a, b);
    return difference(a, b);
  }

  /** {@code -a}. */
  public static double[] negate(double[] a) {
    check("negate", a);
    return scale(a, -1);
  }

  /** {@code a · b}, the Cauchy product truncated to the common order. */
  public static double[] multiply(double[] a, double[] b) {
    check("multiply", a, b);
    return product(a, b);
  }

  /** {@code a / b}, by the recurrence {@code c_k = (a_k - Σ_{j=1..k} b_j c_{k-j}) / b_0}. */
  public static double[] divide(double[] a, double[] b) {
    check("divide", a, b);
    return quotient(a, b);
  }

  /**
   * {@code a % b} as Java's {@code %} on doubles: {@code a - b · q} with the truncated quotient
   * {@code q = trunc(a₀ / b₀)} taken as a constant (the function is piecewise {@code a - q·b}).
   */
  public static double[] remainder(double[] a, double[] b) {
    check("remainder", a, b);
    double r = a[0] % b[0];
    // The exact integer quotient of the value's own division, robust where a₀ / b₀ rounds.
    double q = Math.rint((a[0] - r) / b[0]);
    double[] c = new double[a.length];
    c[0] = r;
    for (int k = 1; k < c.length; k++) {
      c[k] = a[k] - q * b[k];
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Trigonometric functions

  /** {@code sin a}, computed together with {@code cos a}: {@code s' = c·a'}, {@code c' = -s·a'}. */
  public static double[] sin(double[] a) {
    check("sin", a);
    return sinCos(a, false)[0];
  }

  /** {@code cos a}, computed together with {@code sin a}. */
  public static double[] cos(double[] a) {
    check("cos", a);
    return sinCos(a, false)[1];
  }

  /** {@code tan a}, by {@code t' = (1 + t²)·a'}. */
  public static double[] tan(double[] a) {
    check("tan", a);
    return tangent(a, Math.tan(a[0]), 1);
  }

  /** {@code asin a}, the integral of {@code a' / √(1 - a²)}. */
  public static double[] asin(double[] a) {
    check("asin", a);
    double[] oneMinusSquare = scale(product(a, a), -1);
    oneMinusSquare[0] = (1 - a[0]) * (1 + a[0]);
    return integral(Math.asin(a[0]), quotient(derivative(a), truncate(sqrtSeries(oneMinusSquare))));
  }

  /** {@code acos a}, the integral of {@code -a' / √(1 - a²)}. */
  public static double[] acos(double[] a) {
    check("acos", a);
    double[] oneMinusSquare = scale(product(a, a), -1);
    oneMinusSquare[0] = (1 - a[0]) * (1 + a[0]);
    double[] d = quotient(derivative(a), truncate(sqrtSeries(oneMinusSquare)));
    return integral(Math.acos(a[0]), scale(d, -1));
  }

  /** {@code atan a}, the integral of {@code a' / (1 + a²)}. */
  public static double[] atan(double[] a) {
    check("atan", a);
    double[] onePlusSquare = product(a, a);
    onePlusSquare[0] += 1;
    return integral(Math.atan(a[0]), quotient(derivative(a), truncate(onePlusSquare)));
  }

  /**
   * {@code atan2(y, x)}, the integral of {@code (x·y' - y·x') / (x² + y²)}; at the origin all
   * derivatives are 0 (as the gradient rule's convention, and exact along any line through it).
   */
  public static double[] atan2(double[] y, double[] x) {
    check("atan2", y, x);
    double value = Math.atan2(y[0], x[0]);
    double m = Math.max(Math.abs(y[0]), Math.abs(x[0]));
    if (m == 0) {
      return constant(value, y.length - 1);
    }
    if (Double.isInfinite(m)) {
      m = 1; // no useful rescaling; the derivatives come out as the arithmetic gives them
    }
    // atan2 does not change when both arguments are scaled, so scale them to avoid overflow.
    double[] ys = scale(y, 1 / m);
    double[] xs = scale(x, 1 / m);
    double[] numerator =
        difference(product(truncate(xs), derivative(ys)), product(truncate(ys), derivative(xs)));
    double[] squares = sum(product(xs, xs), product(ys, ys));
    return integral(value, quotient(numerator, truncate(squares)));
  }

  // ---------------------------------------------------------------------------------------------
  // Hyperbolic functions

  /** {@code sinh a}, computed together with {@code cosh a}: {@code s' = c·a'}, {@code c' = s·a'}. */
  public static double[] sinh(double[] a) {
    check("sinh", a);
    return sinCos(a, true)[0];
  }

  /** {@code cosh a}, computed together with {@code sinh a}. */
  public static double[] cosh(double[] a) {
    check("cosh", a);
    return sinCos(a, true)[1];
  }

  /** {@code tanh a}, by {@code t' = (1 - t²)·a'}. */
  public static double[] tanh(double[] a) {
    check("tanh", a);
    return tangent(a, Math.tanh(a[0]), -1);
  }

  // ---------------------------------------------------------------------------------------------
  // Exponentials, logarithms, powers

  /** {@code exp a}, by {@code e' = e·a'}. */
  public static double[] exp(double[] a) {
    check("exp", a);
    return expSeries(a, Math.exp(a[0]));
  }

  /** {@code exp(a) - 1}: the series of {@code exp} with the value {@code Math.expm1(a₀)}. */
  public static double[] expm1(double[] a) {
    check("expm1", a);
    double[] e = expSeries(a, Math.exp(a[0]));
    e[0] = Math.expm1(a[0]);
    return e;
  }

  /** {@code log a}, by {@code l' = a' / a}. */
  public static double[] log(double[] a) {
    check("log", a);
    return logSeries(a, a[0], Math.log(a[0]));
  }

  /** {@code log₁₀ a = log a / ln 10}. */
  public static double[] log10(double[] a) {
    check("log10", a);
    double[] l = scale(logSeries(a, a[0], Math.log(a[0])), 1 / LN_10);
    l[0] = Math.log10(a[0]);
    return l;
  }

  /** {@code log(1 + a)}, by {@code l' = a' / (1 + a)}. */
  public static double[] log1p(double[] a) {
    check("log1p", a);
    return logSeries(a, 1 + a[0], Math.log1p(a[0]));
  }

  /** {@code √a}, by the square recurrence {@code r_k = (a_k - Σ_{j=1..k-1} r_j r_{k-j}) / 2r₀}. */
  public static double[] sqrt(double[] a) {
    check("sqrt", a);
    return sqrtSeries(a);
  }

  /** {@code ∛a}, also for negative {@code a}, by the power recurrence with exponent ⅓. */
  public static double[] cbrt(double[] a) {
    check("cbrt", a);
    return powerSeries(a, 1.0 / 3, Math.cbrt(a[0]));
  }

  /**
   * {@code a^b}. For a constant exponent {@code b} (all derivative coefficients 0) the series comes
   * from the power recurrence {@code a·p' = b·p·a'}, which is valid for any sign of {@code a₀} when
   * {@code b} is an integer, so {@code pow(x, 5)} is exact at {@code x ≤ 0} too (at {@code a₀ = 0}
   * a positive integer power is expanded by repeated multiplication). Otherwise {@code a^b =
   * exp(b · log a)}, defined for {@code a₀ > 0} only.
   */
  public static double[] pow(double[] a, double[] b) {
    check("pow", a, b);
    double value = Math.pow(a[0], b[0]);
    if (isConstant(b)) {
      double r = b[0];
      if (r == 0) {
        return constant(value, a.length - 1);
      }
      if (a[0] == 0 && r > 0 && r == Math.rint(r)) {
        return integerPowerAtZero(a, r, value);
      }
      return powerSeries(a, r, value);
    }
    double[] p = expSeries(product(b, logSeries(a, a[0], Math.log(a[0]))), value);
    p[0] = value;
    return p;
  }

  /** {@code √(a² + b²)} without intermediate overflow; at the origin all derivatives are 0. */
  public static double[] hypot(double[] a, double[] b) {
    check("hypot", a, b);
    double value = Math.hypot(a[0], b[0]);
    double m = Math.max(Math.abs(a[0]), Math.abs(b[0]));
    if (m == 0) {
      return constant(value, a.length - 1);
    }
    if (Double.isInfinite(m) || Double.isNaN(m)) {
      m = 1;
    }
    double[] as = scale(a, 1 / m);
    double[] bs = scale(b, 1 / m);
    double[] h = scale(sqrtSeries(sum(product(as, as), product(bs, bs))), m);
    h[0] = value;
    return h;
  }

  // ---------------------------------------------------------------------------------------------
  // Piecewise functions

  /**
   * {@code |a| = sign(a₀)·a}. At {@code a₀ = 0} (either sign) the sign is 0, so all derivatives
   * are 0, the convention of the gradient rule ({@code abs' = signum}).
   */
  public static double[] abs(double[] a) {
    check("abs", a);
    double[] c = scale(a, Math.signum(a[0]));
    c[0] = Math.abs(a[0]);
    return c;
  }

  /** {@code a·π/180}. */
  public static double[] toRadians(double[] a) {
    check("toRadians", a);
    double[] c = scale(a, Math.PI / 180);
    c[0] = Math.toRadians(a[0]);
    return c;
  }

  /** {@code a·180/π}. */
  public static double[] toDegrees(double[] a) {
    check("toDegrees", a);
    double[] c = scale(a, 180 / Math.PI);
    c[0] = Math.toDegrees(a[0]);
    return c;
  }

  /** The series of {@code a} with the value moved one ulp up (derivative 1, as the gradient rule). */
  public static double[] nextUp(double[] a) {
    check("nextUp", a);
    double[] c = a.clone();
    c[0] = Math.nextUp(a[0]);
    return c;
  }

  /** The series of {@code a} with the value moved one ulp down. */
  public static double[] nextDown(double[] a) {
    check("nextDown", a);
    double[] c = a.clone();
    c[0] = Math.nextDown(a[0]);
    return c;
  }

  /** The series of {@code start} with the value moved one ulp towards {@code direction₀}. */
  public static double[] nextAfter(double[] start, double[] direction) {
    check("nextAfter", start, direction);
    double[] c = start.clone();
    c[0] = Math.nextAfter(start[0], direction[0]);
    return c;
  }

  /** {@code ulp a₀} as a constant. */
  public static double[] ulp(double[] a) {
    check("ulp", a);
    return constant(Math.ulp(a[0]), a.length - 1);
  }

  /** {@code ±magnitude} with the sign of {@code sign₀}; all derivatives 0 at a zero magnitude, as for abs. */
  public static double[] copySign(double[] magnitude, double[] sign) {
    check("copySign", magnitude, sign);
    double factor = magnitude[0] == 0 ? 0 : Math.copySign(1, sign[0]) * Math.signum(magnitude[0]);
    double[] c = scale(magnitude, factor);
    c[0] = Math.copySign(magnitude[0], sign[0]);
    return c;
  }

  /** {@code d·2^n} for the integer {@code n = scaleFactor₀}. */
  public static double[] scalb(double[] d, double[] scaleFactor) {
    check("scalb", d, scaleFactor);
    int n = (int) scaleFactor[0];
    double[] c = scale(d, Math.scalb(1.0, n));
    c[0] = Math.scalb(d[0], n);
    return c;
  }

  /** {@code a·b + c}, with the value rounded once as Math.fma rounds it. */
  public static double[] fma(double[] a, double[] b, double[] c) {
    check("fma", a, b);
    check("fma", a, c);
    double[] r = sum(product(a, b), c);
    r[0] = Math.fma(a[0], b[0], c[0]);
    return r;
  }

  /** {@code min(max(x, min), max)}, as Math.clamp (Java 21) computes it. */
  public static double[] clamp(double[] x, double[] min, double[] max) {
    return min(max(x, min), max);
  }

  /** {@code signum a₀} as a constant. */
  public static double[] signum(double[] a) {
    check("signum", a);
    return constant(Math.signum(a[0]), a.length - 1);
  }

  /** {@code floor a₀} as a constant. */
  public static double[] floor(double[] a) {
    check("floor", a);
    return constant(Math.floor(a[0]), a.length - 1);
  }

  /** {@code ceil a₀} as a constant. */
  public static double[] ceil(double[] a) {
    check("ceil", a);
    return constant(Math.ceil(a[0]), a.length - 1);
  }

  /** {@code rint a₀} as a constant. */
  public static double[] rint(double[] a) {
    check("rint", a);
    return constant(Math.rint(a[0]), a.length - 1);
  }

  /**
   * The series of the argument with the larger value, {@code a} at a tie; its value is {@code
   * Math.max(a₀, b₀)}, and if either value is NaN the whole series is NaN.
   */
  public static double[] max(double[] a, double[] b) {
    check("max", a, b);
    return choose(a, b, a[0] >= b[0], Math.max(a[0], b[0]));
  }

  /**
   * The series of the argument with the smaller value, {@code a} at a tie; its value is {@code
   * Math.min(a₀, b₀)}, and if either value is NaN the whole series is NaN.
   */
  public static double[] min(double[] a, double[] b) {
    check("min", a, b);
    return choose(a, b, a[0] <= b[0], Math.min(a[0], b[0]));
  }

  // ---------------------------------------------------------------------------------------------
  // Recurrences (arguments already checked)

  private static double[] sum(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int k = 0; k < c.length; k++) {
      c[k] = a[k] + b[k];
    }
    return c;
  }

  private static double[] difference(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int k = 0; k < c.length; k++) {
      c[k] = a[k] - b[k];
    }
    return c;
  }

  private static double[] product(double[] a, double[] b) {
    int n = Math.min(a.length, b.length);
    double[] c = new double[n];
    for (int k = 0; k < n; k++) {
      double sum = 0;
      for (int j = 0; j <= k; j++) {
        sum += a[j] * b[k - j];
      }
      c[k] = sum;
    }
    return c;
  }

  private static double[] quotient(double[] a, double[] b) {
    int n = Math.min(a.length, b.length);
    double[] c = new double[n];
    for (int k = 0; k < n; k++) {
      double sum = a[k];
      for (int j = 1; j <= k; j++) {
        sum -= b[j] * c[k - j];
      }
      c[k] = sum / b[0];
    }
    return c;
  }

  /** Sine and cosine ({@code hyperbolic = false}) or their hyperbolic versions, together. */
  private static double[][] sinCos(double[] a, boolean hyperbolic) {
    int n = a.length;
    double[] s = new double[n];
    double[] c = new double[n];
    s[0] = hyperbolic ? Math.sinh(a[0]) : Math.sin(a[0]);
    c[0] = hyperbolic ? Math.cosh(a[0]) : Math.cos(a[0]);
    for (int k = 1; k < n; k++) {
      double sumS = 0;
      double sumC = 0;
      for (int j = 1; j <= k; j++) {
        double ja = j * a[j];
        sumS += ja * c[k - j];
        sumC += ja * s[k - j];
      }
      s[k] = sumS / k;
      c[k] = (hyperbolic ? sumC : -sumC) / k;
    }
    return new double[][] {s, c};
  }

  /** {@code t' = (1 + sign·t²)·a'}: tan for sign 1, tanh for sign -1. */
  private static double[] tangent(double[] a, double t0, int sign) {
    int n = a.length;
    double[] t = new double[n];
    double[] u = new double[n]; // u = 1 + sign·t², known up to index k-1 at step k
    t[0] = t0;
    for (int k = 1; k < n; k++) {
      int m = k - 1;
      double square = 0;
      for (int i = 0; i <= m; i++) {
        square += t[i] * t[m - i];
      }
      u[m] = (m == 0 ? 1 : 0) + sign * square;
      double sum = 0;
      for (int j = 1; j <= k; j++) {
        sum += j * a[j] * u[k - j];
      }
      t[k] = sum / k;
    }
    return t;
  }

  /** {@code e' = e·a'} with {@code e₀} given. */
  private static double[] expSeries(double[] a, double e0) {
    int n = a.length;
    double[] e = new double[n];
    e[0] = e0;
    for (int k = 1; k < n; k++) {
      double sum = 0;
      for (int j = 1; j <= k; j++) {
        sum += j * a[j] * e[k - j];
      }
      e[k] = sum / k;
    }
    return e;
  }

  /**
   * The logarithm of the series {@code a} whose value is replaced by {@code u0} ({@code a₀} for
   * log, {@code 1 + a₀} for log1p): {@code k·u₀·l_k = k·a_k - Σ_{j=1..k-1} j·l_j·a_{k-j}}.
   */
  private static double[] logSeries(double[] a, double u0, double l0) {
    int n = a.length;
    double[] l = new double[n];
    l[0] = l0;
    for (int k = 1; k < n; k++) {
      double sum = k * a[k];
      for (int j = 1; j < k; j++) {
        sum -= j * l[j] * a[k - j];
      }
      l[k] = sum / (k * u0);
    }
    return l;
  }

  private static double[] sqrtSeries(double[] a) {
    int n = a.length;
    double[] r = new double[n];
    r[0] = Math.sqrt(a[0]);
    for (int k = 1; k < n; k++) {
      double sum = a[k];
      for (int j = 1; j < k; j++) {
        sum -= r[j] * r[k - j];
      }
      r[k] = sum / (2 * r[0]);
    }
    return r;
  }

  /** {@code p = a^r} for a constant {@code r}: {@code k·a₀·p_k = Σ_{j=1..k} (r·j - k + j)·a_j·p_{k-j}}. */
  private static double[] powerSeries(double[] a, double r, double p0) {
    int n = a.length;
    double[] p = new double[n];
    p[0] = p0;
    for (int k = 1; k < n; k++) {
      double sum = 0;
      for (int j = 1; j <= k; j++) {
        sum += (r * j - (k - j)) * a[j] * p[k - j];
      }
      p[k] = sum / (k * a[0]);
    }
    return p;
  }

  /** {@code a^r} for {@code a₀ = 0} and a positive integer {@code r}, by repeated squaring. */
  private static double[] integerPowerAtZero(double[] a, double r, double value) {
    int n = a.length;
    double[] result;
    if (r >= n) {
      result = new double[n]; // a = t·(…), so a^r = O(t^r) vanishes up to the order
    } else {
      int e = (int) r;
      result = constant(1, n - 1);
      double[] base = a;
      while (e > 0) {
        if ((e & 1) != 0) {
          result = product(result, base);
        }
        e >>= 1;
        if (e > 0) {
          base = product(base, base);
        }
      }
    }
    result[0] = value;
    return result;
  }

  /** The series of {@code a'}, one order lower: {@code (a')_j = (j+1)·a_{j+1}}. */
  private static double[] derivative(double[] a) {
    double[] d = new double[a.length - 1];
    for (int j = 0; j < d.length; j++) {
      d[j] = (j + 1) * a[j + 1];
    }
    return d;
  }

  /** The series with the value {@code y0} whose derivative is {@code d}: {@code y_k = d_{k-1}/k}. */
  private static double[] integral(double y0, double[] d) {
    double[] y = new double[d.length + 1];
    y[0] = y0;
    for (int k = 1; k < y.length; k++) {
      y[k] = d[k - 1] / k;
    }
    return y;
  }

  /** The series without its last coefficient (one order lower). */
  private static double[] truncate(double[] a) {
    double[] t = new double[a.length - 1];
    System.arraycopy(a, 0, t, 0, t.length);
    return t;
  }

  private static double[] scale(double[] a, double factor) {
    double[] c = new double[a.length];
    for (int k = 0; k < c.length; k++) {
      c[k] = factor * a[k];
    }
    return c;
  }

  private static boolean isConstant(double[] b) {
    for (int k = 1; k < b.length; k++) {
      if (b[k] != 0) {
        return false;
      }
    }
    return true;
  }

  private static double[] choose(double[] a, double[] b, boolean first, double value) {
    double[] c;
    if (Double.isNaN(a[0]) || Double.isNaN(b[0])) {
      c = new double[a.length];
      Arrays.fill(c, Double.NaN);
    } else {
      c = (first ? a : b).clone();
    }
    c[0] = value;
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Argument checks

  private static int length(int order) {
    if (order < 0) {
      throw new IllegalArgumentException("a Taylor series needs an order >= 0, got " + order);
    }
    return order + 1;
  }

  private static void check(String operation, double[] a) {
    if (a.length == 0) {
      throw new IllegalArgumentException(
          operation + ": a Taylor series needs at least one coefficient, got an empty array");
    }
  }

  private static void check(String operation, double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          operation
              + ": series of different lengths "
              + a.length
              + " and "
              + b.length
              + " (orders "
              + (a.length - 1)
              + " and "
              + (b.length - 1)
              + ")");
    }
    check(operation, a);
  }
}
