package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;

/**
 * Derivatives of the rules of {@link MathRules}, so that forward-over-reverse Hessians can
 * differentiate a generated reverse sweep, which calls those rules as ordinary functions.
 *
 * <p>The form is that of {@link MathRules}: every rule takes the parameters of the {@link
 * MathRules} method it differentiates, with the same names and in the same order, optionally
 * followed by one more {@code double} that receives that method's value ({@code asin}, {@code
 * log}), and returns the partial derivative with respect to the parameter named in {@code wrt}.
 * A method of several parameters has one rule per parameter, named after the method and that
 * parameter ({@code atan2YX} is the partial of {@code MathRules.atan2Y} with respect to {@code x}).
 *
 * <p>Each {@link MathRules} method is differentiated as written. A {@code value} parameter, such as
 * that of {@code MathRules.tan(x, value) = 1 + value²}, is an argument of its own: the partial with
 * respect to {@code x} is 0 and that with respect to {@code value} is {@code 2·value}, because the
 * generated code passes the tangent of the value separately.
 *
 * <p>Where a derivative does not exist, a rule returns a chosen value, stated in its one-line
 * description, in line with {@link MathRules}: 0 where the {@link MathRules} method returns a
 * chosen constant (the origin of {@code atan2} and {@code hypot}, an exponent 0 of {@code
 * powBase}, a value 0 of {@code powExponent}), {@code -Infinity} for {@code sqrt} at 0 (where
 * sqrt' is {@code +Infinity}), 0 for {@code cbrt} at 0 (midway between the one-sided limits
 * ∓Infinity, as abs' is 0 at its kink), 0 for {@code powExponent}'s ln(b) at b = 0, NaN for a
 * negative base of {@code pow} along the exponent, and 0 for the piecewise-constant rules of {@code
 * abs}, {@code max}, {@code min} and the rounding functions, also at their jumps.
 */
public final class SecondOrderRules {
  private static final double LN_10 = Math.log(10);

  private SecondOrderRules() {}

  /** d/dx cos(x) = -sin(x). */
  @DerivativeRule(owner = MathRules.class, method = "sin")
  public static double sin(double x) {
    return -Math.sin(x);
  }

  /** d/dx -sin(x) = -cos(x). */
  @DerivativeRule(owner = MathRules.class, method = "cos")
  public static double cos(double x) {
    return -Math.cos(x);
  }

  /** ∂/∂x (1 + value²) = 0: x does not appear, the value's tangent carries its dependence on x. */
  @DerivativeRule(owner = MathRules.class, method = "tan", wrt = "x")
  public static double tanX(double x, double value) {
    return 0;
  }

  /** ∂/∂value (1 + value²) = 2·value. */
  @DerivativeRule(owner = MathRules.class, method = "tan", wrt = "value")
  public static double tanValue(double x, double value) {
    return 2 * value;
  }

  /** d/dx (1 - x²)^(-1/2) = x·(1 - x²)^(-3/2) = x·value³; ±Infinity at x = ±1, as asin' there. */
  @DerivativeRule(owner = MathRules.class, method = "asin")
  public static double asin(double x, double value) {
    return x * value * value * value;
  }

  /** d/dx -(1 - x²)^(-1/2) = -x·(1 - x²)^(-3/2) = x·value³; ∓Infinity at x = ±1. */
  @DerivativeRule(owner = MathRules.class, method = "acos")
  public static double acos(double x, double value) {
    return x * value * value * value;
  }

  /** d/dx 1 / (1 + x²) = -2x / (1 + x²)² = -2x·value². */
  @DerivativeRule(owner = MathRules.class, method = "atan")
  public static double atan(double x, double value) {
    return -2 * x * value * value;
  }

  /** ∂/∂y x / (x² + y²) = -2xy / (x² + y²)²; 0 at the origin, where atan2Y is 0. */
  @DerivativeRule(owner = MathRules.class, method = "atan2Y", wrt = "y")
  public static double atan2YY(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : -2 * (x / squaredRadius) * (y / squaredRadius);
  }

  /** ∂/∂x x / (x² + y²) = (y² - x²) / (x² + y²)²; 0 at the origin. */
  @DerivativeRule(owner = MathRules.class, method = "atan2Y", wrt = "x")
  public static double atan2YX(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : (y - x) * (y + x) / squaredRadius / squaredRadius;
  }

  /** ∂/∂y -y / (x² + y²) = (y² - x²) / (x² + y²)²; 0 at the origin, where atan2X is 0. */
  @DerivativeRule(owner = MathRules.class, method = "atan2X", wrt = "y")
  public static double atan2XY(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : (y - x) * (y + x) / squaredRadius / squaredRadius;
  }

  /** ∂/∂x -y / (x² + y²) = 2xy / (x² + y²)²; 0 at the origin. */
  @DerivativeRule(owner = MathRules.class, method = "atan2X", wrt = "x")
  public static double atan2XX(double y, double x) {
    double squaredRadius = x * x + y * y;
    return squaredRadius == 0 ? 0 : 2 * (x / squaredRadius) * (y / squaredRadius);
  }

  /** d/dx cosh(x) = sinh(x). */
  @DerivativeRule(owner = MathRules.class, method = "sinh")
  public static double sinh(double x) {
    return Math.sinh(x);
  }

  /** d/dx sinh(x) = cosh(x). */
  @DerivativeRule(owner = MathRules.class, method = "cosh")
  public static double cosh(double x) {
    return Math.cosh(x);
  }

  /** ∂/∂x (1 - value²) = 0. */
  @DerivativeRule(owner = MathRules.class, method = "tanh", wrt = "x")
  public static double tanhX(double x, double value) {
    return 0;
  }

  /** ∂/∂value (1 - value²) = -2·value. */
  @DerivativeRule(owner = MathRules.class, method = "tanh", wrt = "value")
  public static double tanhValue(double x, double value) {
    return -2 * value;
  }

  /** ∂/∂x value = 0. */
  @DerivativeRule(owner = MathRules.class, method = "exp", wrt = "x")
  public static double expX(double x, double value) {
    return 0;
  }

  /** ∂/∂value value = 1. */
  @DerivativeRule(owner = MathRules.class, method = "exp", wrt = "value")
  public static double expValue(double x, double value) {
    return 1;
  }

  /** ∂/∂x (value + 1) = 0. */
  @DerivativeRule(owner = MathRules.class, method = "expm1", wrt = "x")
  public static double expm1X(double x, double value) {
    return 0;
  }

  /** ∂/∂value (value + 1) = 1. */
  @DerivativeRule(owner = MathRules.class, method = "expm1", wrt = "value")
  public static double expm1Value(double x, double value) {
    return 1;
  }

  /** d/dx 1/x = -1/x² = -value²; -Infinity at 0 and -0.0. */
  @DerivativeRule(owner = MathRules.class, method = "log")
  public static double log(double x, double value) {
    return -value * value;
  }

  /** d/dx 1 / (x ln 10) = -1 / (x² ln 10) = -ln 10·value². */
  @DerivativeRule(owner = MathRules.class, method = "log10")
  public static double log10(double x, double value) {
    return -LN_10 * value * value;
  }

  /** d/dx 1 / (1 + x) = -1 / (1 + x)² = -value². */
  @DerivativeRule(owner = MathRules.class, method = "log1p")
  public static double log1p(double x, double value) {
    return -value * value;
  }

  /** ∂/∂x (0.5 / value) = 0. */
  @DerivativeRule(owner = MathRules.class, method = "sqrt", wrt = "x")
  public static double sqrtX(double x, double value) {
    return 0;
  }

  /** ∂/∂value (0.5 / value) = -0.5 / value²; -Infinity at 0 and -0.0, the limit from above. */
  @DerivativeRule(owner = MathRules.class, method = "sqrt", wrt = "value")
  public static double sqrtValue(double x, double value) {
    return value == 0 ? Double.NEGATIVE_INFINITY : -0.5 / (value * value);
  }

  /** ∂/∂x 1 / (3 value²) = 0. */
  @DerivativeRule(owner = MathRules.class, method = "cbrt", wrt = "x")
  public static double cbrtX(double x, double value) {
    return 0;
  }

  /** ∂/∂value 1 / (3 value²) = -2 / (3 value³); 0 at 0 and -0.0, midway between ∓Infinity. */
  @DerivativeRule(owner = MathRules.class, method = "cbrt", wrt = "value")
  public static double cbrtValue(double x, double value) {
    return value == 0 ? 0 : -2 / (3 * value * value * value);
  }

  /** ∂/∂b e·pow(b, e - 1) = e(e - 1)·pow(b, e - 2); 0 for e = 0 or 1, where powBase is constant. */
  @DerivativeRule(owner = MathRules.class, method = "powBase", wrt = "base")
  public static double powBaseBase(double base, double exponent) {
    if (exponent == 0 || exponent == 1) {
      return 0;
    }
    return exponent * (exponent - 1) * Math.pow(base, exponent - 2);
  }

  /**
   * ∂/∂e e·pow(b, e - 1) = pow(b, e - 1)·(1 + e ln b); 0 where pow(b, e - 1) is 0 (b = 0 with
   * e &gt; 1, where powBase is 0 for nearby e too), NaN for b &lt; 0, as in {@code
   * MathRules.powExponent}.
   */
  @DerivativeRule(owner = MathRules.class, method = "powBase", wrt = "exponent")
  public static double powBaseExponent(double base, double exponent) {
    double power = Math.pow(base, exponent - 1);
    if (power == 0) {
      return 0;
    }
    return base < 0 ? Double.NaN : power * (1 + exponent * Math.log(base));
  }

  /** ∂/∂b value·ln(b) = value / b; 0 where the value is 0 and NaN for b &lt; 0, as powExponent. */
  @DerivativeRule(owner = MathRules.class, method = "powExponent", wrt = "base")
  public static double powExponentBase(double base, double exponent, double value) {
    if (value == 0) {
      return 0;
    }
    return base < 0 ? Double.NaN : value / base;
  }

  /** ∂/∂e value·ln(b) = 0: the exponent does not appear. */
  @DerivativeRule(owner = MathRules.class, method = "powExponent", wrt = "exponent")
  public static double powExponentExponent(double base, double exponent, double value) {
    return 0;
  }

  /**
   * ∂/∂value value·ln(b) = ln(b); NaN for b &lt; 0, and 0 at b = 0 rather than -Infinity, so that
   * its product with the value's tangent, also 0 there, is 0 (the limit as b falls to 0).
   */
  @DerivativeRule(owner = MathRules.class, method = "powExponent", wrt = "value")
  public static double powExponentValue(double base, double exponent, double value) {
    if (base < 0) {
      return Double.NaN;
    }
    return base == 0 ? 0 : Math.log(base);
  }

  /** ∂/∂x x / value = 1 / value; 0 at the origin, where hypotX is 0. */
  @DerivativeRule(owner = MathRules.class, method = "hypotX", wrt = "x")
  public static double hypotXX(double x, double y, double value) {
    return value == 0 ? 0 : 1 / value;
  }

  /** ∂/∂y x / value = 0. */
  @DerivativeRule(owner = MathRules.class, method = "hypotX", wrt = "y")
  public static double hypotXY(double x, double y, double value) {
    return 0;
  }

  /** ∂/∂value x / value = -x / value²; 0 at the origin. */
  @DerivativeRule(owner = MathRules.class, method = "hypotX", wrt = "value")
  public static double hypotXValue(double x, double y, double value) {
    return value == 0 ? 0 : -(x / value) / value;
  }

  /** ∂/∂x y / value = 0. */
  @DerivativeRule(owner = MathRules.class, method = "hypotY", wrt = "x")
  public static double hypotYX(double x, double y, double value) {
    return 0;
  }

  /** ∂/∂y y / value = 1 / value; 0 at the origin, where hypotY is 0. */
  @DerivativeRule(owner = MathRules.class, method = "hypotY", wrt = "y")
  public static double hypotYY(double x, double y, double value) {
    return value == 0 ? 0 : 1 / value;
  }

  /** ∂/∂value y / value = -y / value²; 0 at the origin. */
  @DerivativeRule(owner = MathRules.class, method = "hypotY", wrt = "value")
  public static double hypotYValue(double x, double y, double value) {
    return value == 0 ? 0 : -(y / value) / value;
  }

  /** d/dx signum(x) = 0; also 0 at the jump at 0. */
  @DerivativeRule(owner = MathRules.class, method = "abs")
  public static double abs(double x) {
    return 0;
  }

  /** ∂maxA/∂a = 0: the weight is piecewise constant; also 0 at the jump at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "maxA", wrt = "a")
  public static double maxAA(double a, double b) {
    return 0;
  }

  /** ∂maxA/∂b = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "maxA", wrt = "b")
  public static double maxAB(double a, double b) {
    return 0;
  }

  /** ∂maxB/∂a = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "maxB", wrt = "a")
  public static double maxBA(double a, double b) {
    return 0;
  }

  /** ∂maxB/∂b = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "maxB", wrt = "b")
  public static double maxBB(double a, double b) {
    return 0;
  }

  /** ∂minA/∂a = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "minA", wrt = "a")
  public static double minAA(double a, double b) {
    return 0;
  }

  /** ∂minA/∂b = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "minA", wrt = "b")
  public static double minAB(double a, double b) {
    return 0;
  }

  /** ∂minB/∂a = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "minB", wrt = "a")
  public static double minBA(double a, double b) {
    return 0;
  }

  /** ∂minB/∂b = 0; also at a tie. */
  @DerivativeRule(owner = MathRules.class, method = "minB", wrt = "b")
  public static double minBB(double a, double b) {
    return 0;
  }

  /** d/dx 0 = 0. */
  @DerivativeRule(owner = MathRules.class, method = "signum")
  public static double signum(double x) {
    return 0;
  }

  /** d/dx 0 = 0. */
  @DerivativeRule(owner = MathRules.class, method = "floor")
  public static double floor(double x) {
    return 0;
  }

  /** d/dx 0 = 0. */
  @DerivativeRule(owner = MathRules.class, method = "ceil")
  public static double ceil(double x) {
    return 0;
  }

  /** d/dx 0 = 0. */
  @DerivativeRule(owner = MathRules.class, method = "rint")
  public static double rint(double x) {
    return 0;
  }

  /** d/dx of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "toRadians")
  public static double toRadians(double x) {
    return 0;
  }

  /** d/dx of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "toDegrees")
  public static double toDegrees(double x) {
    return 0;
  }

  /** d/dx of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextUp")
  public static double nextUp(double x) {
    return 0;
  }

  /** d/dx of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextDown")
  public static double nextDown(double x) {
    return 0;
  }

  /** d/dx of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "ulp")
  public static double ulp(double x) {
    return 0;
  }

  /** d/dstart of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextAfterStart", wrt = "start")
  public static double nextAfterStartStart(double start, double direction) {
    return 0;
  }

  /** d/ddirection of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextAfterStart", wrt = "direction")
  public static double nextAfterStartDirection(double start, double direction) {
    return 0;
  }

  /** d/dstart of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextAfterDirection", wrt = "start")
  public static double nextAfterDirectionStart(double start, double direction) {
    return 0;
  }

  /** d/ddirection of a constant = 0. */
  @DerivativeRule(owner = MathRules.class, method = "nextAfterDirection", wrt = "direction")
  public static double nextAfterDirectionDirection(double start, double direction) {
    return 0;
  }

  /** d/dmagnitude of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "copySignMagnitude", wrt = "magnitude")
  public static double copySignMagnitudeMagnitude(double magnitude, double sign) {
    return 0;
  }

  /** d/dsign of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "copySignMagnitude", wrt = "sign")
  public static double copySignMagnitudeSign(double magnitude, double sign) {
    return 0;
  }

  /** d/dmagnitude of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "copySignSign", wrt = "magnitude")
  public static double copySignSignMagnitude(double magnitude, double sign) {
    return 0;
  }

  /** d/dsign of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "copySignSign", wrt = "sign")
  public static double copySignSignSign(double magnitude, double sign) {
    return 0;
  }

  /** d/dd 2^scaleFactor = 0. */
  @DerivativeRule(owner = MathRules.class, method = "scalbD", wrt = "d")
  public static double scalbDD(double d, int scaleFactor) {
    return 0;
  }

  /** ∂fmaA/∂a = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaA", wrt = "a")
  public static double fmaAA(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaA/∂b = 1. */
  @DerivativeRule(owner = MathRules.class, method = "fmaA", wrt = "b")
  public static double fmaAB(double a, double b, double c) {
    return 1;
  }

  /** ∂fmaA/∂c = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaA", wrt = "c")
  public static double fmaAC(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaB/∂a = 1. */
  @DerivativeRule(owner = MathRules.class, method = "fmaB", wrt = "a")
  public static double fmaBA(double a, double b, double c) {
    return 1;
  }

  /** ∂fmaB/∂b = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaB", wrt = "b")
  public static double fmaBB(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaB/∂c = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaB", wrt = "c")
  public static double fmaBC(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaC/∂a = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaC", wrt = "a")
  public static double fmaCA(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaC/∂b = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaC", wrt = "b")
  public static double fmaCB(double a, double b, double c) {
    return 0;
  }

  /** ∂fmaC/∂c = 0. */
  @DerivativeRule(owner = MathRules.class, method = "fmaC", wrt = "c")
  public static double fmaCC(double a, double b, double c) {
    return 0;
  }

  /** d/dx of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampX", wrt = "x")
  public static double clampXX(double x, double min, double max) {
    return 0;
  }

  /** d/dmin of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampX", wrt = "min")
  public static double clampXMin(double x, double min, double max) {
    return 0;
  }

  /** d/dmax of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampX", wrt = "max")
  public static double clampXMax(double x, double min, double max) {
    return 0;
  }

  /** d/dx of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMin", wrt = "x")
  public static double clampMinX(double x, double min, double max) {
    return 0;
  }

  /** d/dmin of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMin", wrt = "min")
  public static double clampMinMin(double x, double min, double max) {
    return 0;
  }

  /** d/dmax of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMin", wrt = "max")
  public static double clampMinMax(double x, double min, double max) {
    return 0;
  }

  /** d/dx of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMax", wrt = "x")
  public static double clampMaxX(double x, double min, double max) {
    return 0;
  }

  /** d/dmin of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMax", wrt = "min")
  public static double clampMaxMin(double x, double min, double max) {
    return 0;
  }

  /** d/dmax of a piecewise constant = 0; also at its jumps. */
  @DerivativeRule(owner = MathRules.class, method = "clampMax", wrt = "max")
  public static double clampMaxMax(double x, double min, double max) {
    return 0;
  }
}
