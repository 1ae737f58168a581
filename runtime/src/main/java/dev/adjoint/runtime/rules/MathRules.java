package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;

/**
 * Derivatives of the {@code double} functions of {@link java.lang.Math}, written as ordinary {@link
 * DerivativeRule} methods, exactly as a user writes a rule for a function of their own.
 *
 * <p>Every rule takes the function's parameters in order, optionally followed by one more {@code
 * double} that receives the function's value, and returns the partial derivative with respect to
 * the parameter named in {@code wrt}. A function of several parameters has one rule per parameter,
 * named after the function and that parameter ({@code atan2Y}, {@code atan2X}).
 *
 * <p>Where the derivative does not exist, a rule returns a chosen value, stated in its one-line
 * description: {@code +Infinity} for {@code sqrt} and {@code cbrt} at 0 (as PyTorch does), 0.5 to
 * each argument at a tie of {@code max} or {@code min} (as JAX does), and 0 at the kink of {@code
 * abs}, at the origin of {@code atan2} and {@code hypot}, and at the jumps of the rounding
 * functions.
 */
public final class MathRules {
  private static final double LN_10 = Math.log(10);

  private MathRules() {}

  /** sin'(x) = cos(x). */
  @DerivativeRule(owner = Math.class, method = "sin")
  public static double sin(double x) {
    return Math.cos(x);
  }

  /** cos'(x) = -sin(x). */
  @DerivativeRule(owner = Math.class, method = "cos")
  public static double cos(double x) {
    return -Math.sin(x);
  }

  /** tan'(x) = 1 + tan(x)². */
  @DerivativeRule(owner = Math.class, method = "tan")
  public static double tan(double x, double value) {
    return 1 + value * value;
  }

  /** asin'(x) = 1 / sqrt(1 - x²). */
  @DerivativeRule(owner = Math.class, method = "asin")
  public static double asin(double x) {
    return 1 / Math.sqrt(1 - x * x);
  }

  /** acos'(x) = -1 / sqrt(1 - x²). */
  @DerivativeRule(owner = Math.class, method = "acos")
  public static double acos(double x) {
    return -1 / Math.sqrt(1 - x * x);
  }

  /** atan'(x) = 1 / (1 + x²). */
  @DerivativeRule(owner = Math.class, method = "atan")
  public static double atan(double x) {
    return 1 / (1 + x * x);
  }

  /** ∂atan2(y, x)/∂y = x / (x² + y²); 0 at the origin, where atan2 jumps. */
  @DerivativeRule(owner = Math.class, method = "atan2", wrt = "y")
  public static double atan2Y(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : x / squaredRadius;
  }

  /** ∂atan2(y, x)/∂x = -y / (x² + y²); 0 at the origin, where atan2 jumps. */
  @DerivativeRule(owner = Math.class, method = "atan2", wrt = "x")
  public static double atan2X(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : -y / squaredRadius;
  }

  /** sinh'(x) = cosh(x). */
  @DerivativeRule(owner = Math.class, method = "sinh")
  public static double sinh(double x) {
    return Math.cosh(x);
  }

  /** cosh'(x) = sinh(x). */
  @DerivativeRule(owner = Math.class, method = "cosh")
  public static double cosh(double x) {
    return Math.sinh(x);
  }

  /** tanh'(x) = 1 - tanh(x)². */
  @DerivativeRule(owner = Math.class, method = "tanh")
  public static double tanh(double x, double value) {
    return 1 - value * value;
  }

  /** exp'(x) = exp(x). */
  @DerivativeRule(owner = Math.class, method = "exp")
  public static double exp(double x, double value) {
    return value;
  }

  /** expm1'(x) = exp(x) = expm1(x) + 1. */
  @DerivativeRule(owner = Math.class, method = "expm1")
  public static double expm1(double x, double value) {
    return value + 1;
  }

  /** log'(x) = 1 / x. */
  @DerivativeRule(owner = Math.class, method = "log")
  public static double log(double x) {
    return 1 / x;
  }

  /** log10'(x) = 1 / (x ln 10). */
  @DerivativeRule(owner = Math.class, method = "log10")
  public static double log10(double x) {
    return 1 / (x * LN_10);
  }

  /** log1p'(x) = 1 / (1 + x). */
  @DerivativeRule(owner = Math.class, method = "log1p")
  public static double log1p(double x) {
    return 1 / (1 + x);
  }

  /** sqrt'(x) = 1 / (2 sqrt(x)); +Infinity at 0 and -0.0, as in PyTorch. */
  @DerivativeRule(owner = Math.class, method = "sqrt")
  public static double sqrt(double x, double value) {
    return value == 0 ? Double.POSITIVE_INFINITY : 0.5 / value;
  }

  /** cbrt'(x) = 1 / (3 cbrt(x)²); +Infinity at 0 and -0.0, as for sqrt. */
  @DerivativeRule(owner = Math.class, method = "cbrt")
  public static double cbrt(double x, double value) {
    return value == 0 ? Double.POSITIVE_INFINITY : 1 / (3 * value * value);
  }

  /** ∂pow(b, e)/∂b = e·pow(b, e - 1); 0 when e = 0, as pow(b, 0) is constant even at b = 0. */
  @DerivativeRule(owner = Math.class, method = "pow", wrt = "base")
  public static double powBase(double base, double exponent) {
    return exponent == 0 ? 0 : exponent * Math.pow(base, exponent - 1);
  }

  /**
   * ∂pow(b, e)/∂e = pow(b, e)·ln(b); 0 where the value is 0 (the limit as b falls to 0), and NaN
   * for b &lt; 0, where pow is real only at integer exponents and so has no derivative along e.
   */
  @DerivativeRule(owner = Math.class, method = "pow", wrt = "exponent")
  public static double powExponent(double base, double exponent, double value) {
    if (value == 0) {
      return 0;
    }
    return base < 0 ? Double.NaN : value * Math.log(base);
  }

  /** ∂hypot(x, y)/∂x = x / hypot(x, y); 0 at the origin. */
  @DerivativeRule(owner = Math.class, method = "hypot", wrt = "x")
  public static double hypotX(double x, double y, double value) {
    return value == 0 ? 0 : x / value;
  }

  /** ∂hypot(x, y)/∂y = y / hypot(x, y); 0 at the origin. */
  @DerivativeRule(owner = Math.class, method = "hypot", wrt = "y")
  public static double hypotY(double x, double y, double value) {
    return value == 0 ? 0 : y / value;
  }

  /** abs'(x) = signum(x); 0 at 0 and -0.0. */
  @DerivativeRule(owner = Math.class, method = "abs")
  public static double abs(double x) {
    return x == 0 ? 0 : Math.signum(x);
  }

  /** ∂max(a, b)/∂a = 1 if a is the larger, 0 if b is; 0.5 at a tie, as in JAX. */
  @DerivativeRule(owner = Math.class, method = "max", wrt = "a")
  public static double maxA(double a, double b) {
    return selectionWeight(a > b, a == b);
  }

  /** ∂max(a, b)/∂b = 1 if b is the larger, 0 if a is; 0.5 at a tie. */
  @DerivativeRule(owner = Math.class, method = "max", wrt = "b")
  public static double maxB(double a, double b) {
    return selectionWeight(b > a, a == b);
  }

  /** ∂min(a, b)/∂a = 1 if a is the smaller, 0 if b is; 0.5 at a tie. */
  @DerivativeRule(owner = Math.class, method = "min", wrt = "a")
  public static double minA(double a, double b) {
    return selectionWeight(a < b, a == b);
  }

  /** ∂min(a, b)/∂b = 1 if b is the smaller, 0 if a is; 0.5 at a tie. */
  @DerivativeRule(owner = Math.class, method = "min", wrt = "b")
  public static double minB(double a, double b) {
    return selectionWeight(b < a, a == b);
  }

  /** signum'(x) = 0; also 0 at the jump at 0. */
  @DerivativeRule(owner = Math.class, method = "signum")
  public static double signum(double x) {
    return 0;
  }

  /** floor'(x) = 0; also 0 at the jumps at integers. */
  @DerivativeRule(owner = Math.class, method = "floor")
  public static double floor(double x) {
    return 0;
  }

  /** ceil'(x) = 0; also 0 at the jumps at integers. */
  @DerivativeRule(owner = Math.class, method = "ceil")
  public static double ceil(double x) {
    return 0;
  }

  /** rint'(x) = 0; also 0 at the jumps at half-integers. */
  @DerivativeRule(owner = Math.class, method = "rint")
  public static double rint(double x) {
    return 0;
  }

  /** toRadians'(x) = π/180. */
  @DerivativeRule(owner = Math.class, method = "toRadians")
  public static double toRadians(double x) {
    return Math.PI / 180;
  }

  /** toDegrees'(x) = 180/π. */
  @DerivativeRule(owner = Math.class, method = "toDegrees")
  public static double toDegrees(double x) {
    return 180 / Math.PI;
  }

  /** nextUp'(x) = 1: the next double differs from x by one ulp. */
  @DerivativeRule(owner = Math.class, method = "nextUp")
  public static double nextUp(double x) {
    return 1;
  }

  /** nextDown'(x) = 1: the previous double differs from x by one ulp. */
  @DerivativeRule(owner = Math.class, method = "nextDown")
  public static double nextDown(double x) {
    return 1;
  }

  /** ulp'(x) = 0: the ulp is constant between powers of two; also 0 at the jumps there. */
  @DerivativeRule(owner = Math.class, method = "ulp")
  public static double ulp(double x) {
    return 0;
  }

  /** ∂nextAfter/∂start = 1: the result differs from start by at most one ulp. */
  @DerivativeRule(owner = Math.class, method = "nextAfter", wrt = "start")
  public static double nextAfterStart(double start, double direction) {
    return 1;
  }

  /** ∂nextAfter/∂direction = 0: the direction only chooses a side; also 0 where it crosses start. */
  @DerivativeRule(owner = Math.class, method = "nextAfter", wrt = "direction")
  public static double nextAfterDirection(double start, double direction) {
    return 0;
  }

  /**
   * ∂copySign/∂magnitude = ±1, the sign of the result times that of the magnitude; 0 at a magnitude
   * of 0, the kink of |magnitude|, as abs' is.
   */
  @DerivativeRule(owner = Math.class, method = "copySign", wrt = "magnitude")
  public static double copySignMagnitude(double magnitude, double sign) {
    if (magnitude == 0) {
      return 0;
    }
    return Math.copySign(1, sign) * Math.signum(magnitude);
  }

  /** ∂copySign/∂sign = 0: only the sign of sign matters; also 0 at its jump at 0. */
  @DerivativeRule(owner = Math.class, method = "copySign", wrt = "sign")
  public static double copySignSign(double magnitude, double sign) {
    return 0;
  }

  /** ∂scalb/∂d = 2^scaleFactor, exactly as scalb scales d (the int scaleFactor is data). */
  @DerivativeRule(owner = Math.class, method = "scalb", wrt = "d")
  public static double scalbD(double d, int scaleFactor) {
    return Math.scalb(1.0, scaleFactor);
  }

  /** ∂fma(a, b, c)/∂a = b. */
  @DerivativeRule(owner = Math.class, method = "fma", wrt = "a")
  public static double fmaA(double a, double b, double c) {
    return b;
  }

  /** ∂fma(a, b, c)/∂b = a. */
  @DerivativeRule(owner = Math.class, method = "fma", wrt = "b")
  public static double fmaB(double a, double b, double c) {
    return a;
  }

  /** ∂fma(a, b, c)/∂c = 1. */
  @DerivativeRule(owner = Math.class, method = "fma", wrt = "c")
  public static double fmaC(double a, double b, double c) {
    return 1;
  }

  /**
   * ∂clamp/∂x for clamp(x, min, max) = min(max(x, min), max) (Java 21 and later; the
   * processor skips the clamp rules on a JDK without Math.clamp): 1 inside [min, max], 0 outside,
   * and at a bound the product of max's and min's tie weights, ½ (as JAX).
   */
  @DerivativeRule(owner = Math.class, method = "clamp", wrt = "x")
  public static double clampX(double x, double min, double max) {
    return maxA(x, min) * minA(Math.max(x, min), max);
  }

  /** ∂clamp/∂min: 1 below min, ½ at it, 0 above (see clampX). */
  @DerivativeRule(owner = Math.class, method = "clamp", wrt = "min")
  public static double clampMin(double x, double min, double max) {
    return maxB(x, min) * minA(Math.max(x, min), max);
  }

  /** ∂clamp/∂max: 1 above max, ½ at it, 0 below (see clampX). */
  @DerivativeRule(owner = Math.class, method = "clamp", wrt = "max")
  public static double clampMax(double x, double min, double max) {
    return minB(Math.max(x, min), max);
  }

  private static double selectionWeight(boolean selected, boolean tie) {
    if (tie) {
      return 0.5;
    }
    return selected ? 1 : 0;
  }
}
