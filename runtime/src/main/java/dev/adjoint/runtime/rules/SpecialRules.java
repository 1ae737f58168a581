package dev.adjoint.runtime.rules;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.SpecialFunctions;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * Derivatives of Commons Math's special functions ({@link Gamma}, {@link Beta}, {@link Erf}) and
 * of {@link SpecialFunctions}, in the partial form of {@link MathRules} (the pullback and tangent
 * forms for {@code logSumExp} of an array).
 *
 * <p>ψ and its derivatives come from {@link SpecialFunctions#digamma} and {@link
 * SpecialFunctions#polygamma}, accurate to a few ulps, rather than from Commons Math's {@code
 * digamma}, which is off by up to 3e-9.
 *
 * <p>Conventions at boundaries. Where a function is undefined (logGamma, digamma and trigamma at
 * 0 and the negative integers, the incomplete functions outside their domains) the rule returns
 * NaN or an infinity as the formula gives. The incomplete gamma functions' partial in x at x = 0
 * is their limit from the right: +Infinity for a &lt; 1, 1 for a = 1, 0 for a &gt; 1; the
 * regularised incomplete beta function's partial in x at 0 and 1 likewise.
 *
 * <p>The partials of {@code regularizedGammaP} and {@code regularizedGammaQ} in the shape a have
 * no closed form; they are summed from the series {@code P(a, x) = Σₙ xᵃ⁺ⁿ e⁻ˣ / Γ(a + n + 1)}
 * differentiated term by term (each term times {@code ln x - ψ(a + n + 1)}), starting at the
 * largest term so that no term underflows; the error is a few ulps of 1 (absolute, not relative
 * where P or Q is tiny). {@code Beta.regularizedBeta} has a rule in x only: a differentiated value
 * flowing into its a or b is a compile error (ADJ204).
 */
public final class SpecialRules {
  static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  private SpecialRules() {}

  // ---------------------------------------------------------------------------------------------
  // Gamma and beta functions

  /** (log Γ)'(x) = ψ(x); NaN for x &le; 0, where Commons Math's logGamma is NaN. */
  @DerivativeRule(owner = Gamma.class, method = "logGamma")
  public static double logGamma(double x) {
    return x > 0 ? SpecialFunctions.digamma(x) : Double.NaN;
  }

  /** ψ'(x), the trigamma function. */
  @DerivativeRule(owner = Gamma.class, method = "digamma")
  public static double digamma(double x) {
    return SpecialFunctions.polygamma(1, x);
  }

  /** ψ''(x), the tetragamma function ψ⁽²⁾. */
  @DerivativeRule(owner = Gamma.class, method = "trigamma")
  public static double trigamma(double x) {
    return SpecialFunctions.polygamma(2, x);
  }

  /** ψ'(x), for the runtime's own accurate digamma. */
  @DerivativeRule(owner = SpecialFunctions.class, method = "digamma")
  public static double accurateDigamma(double x) {
    return SpecialFunctions.polygamma(1, x);
  }

  /** ∂/∂x ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x). */
  @DerivativeRule(owner = SpecialFunctions.class, method = "polygamma", wrt = "x")
  public static double polygamma(int n, double x) {
    return SpecialFunctions.polygamma(n + 1, x);
  }

  /** ∂/∂a log B(a, b) = ψ(a) - ψ(a + b). */
  @DerivativeRule(owner = Beta.class, method = "logBeta", wrt = "a")
  public static double logBetaA(double a, double b) {
    return SpecialFunctions.digamma(a) - SpecialFunctions.digamma(a + b);
  }

  /** ∂/∂b log B(a, b) = ψ(b) - ψ(a + b). */
  @DerivativeRule(owner = Beta.class, method = "logBeta", wrt = "b")
  public static double logBetaB(double a, double b) {
    return SpecialFunctions.digamma(b) - SpecialFunctions.digamma(a + b);
  }

  // ---------------------------------------------------------------------------------------------
  // Error functions

  /** erf'(x) = 2/√π · exp(-x²). */
  @DerivativeRule(owner = Erf.class, method = "erf")
  public static double erf(double x) {
    return TWO_OVER_SQRT_PI * Math.exp(-x * x);
  }

  /** erfc'(x) = -2/√π · exp(-x²). */
  @DerivativeRule(owner = Erf.class, method = "erfc")
  public static double erfc(double x) {
    return -TWO_OVER_SQRT_PI * Math.exp(-x * x);
  }

  // ---------------------------------------------------------------------------------------------
  // Regularised incomplete gamma and beta functions

  /** ∂/∂x P(a, x) = x^(a-1) e^(-x) / Γ(a), the gamma density. */
  @DerivativeRule(owner = Gamma.class, method = "regularizedGammaP", wrt = "x")
  public static double regularizedGammaPX(double a, double x) {
    if (x == 0) {
      return a < 1 ? Double.POSITIVE_INFINITY : a == 1 ? 1 : 0;
    }
    return Math.exp((a - 1) * Math.log(x) - x - Gamma.logGamma(a));
  }

  /** ∂/∂a P(a, x), by the series differentiated term by term. */
  @DerivativeRule(owner = Gamma.class, method = "regularizedGammaP", wrt = "a")
  public static double regularizedGammaPA(double a, double x) {
    return GammaSeries.inShape(a, x)[0];
  }

  /** ∂/∂x Q(a, x) = -x^(a-1) e^(-x) / Γ(a). */
  @DerivativeRule(owner = Gamma.class, method = "regularizedGammaQ", wrt = "x")
  public static double regularizedGammaQX(double a, double x) {
    return -regularizedGammaPX(a, x);
  }

  /** ∂/∂a Q(a, x) = -∂/∂a P(a, x). */
  @DerivativeRule(owner = Gamma.class, method = "regularizedGammaQ", wrt = "a")
  public static double regularizedGammaQA(double a, double x) {
    return -regularizedGammaPA(a, x);
  }

  /** ∂/∂x I_x(a, b) = x^(a-1) (1-x)^(b-1) / B(a, b), the beta density. */
  @DerivativeRule(owner = Beta.class, method = "regularizedBeta", wrt = "x")
  public static double regularizedBeta(double x, double a, double b) {
    if (x == 0) {
      return a < 1 ? Double.POSITIVE_INFINITY : a == 1 ? b : 0;
    }
    if (x == 1) {
      return b < 1 ? Double.POSITIVE_INFINITY : b == 1 ? a : 0;
    }
    return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - Beta.logBeta(a, b));
  }

  // ---------------------------------------------------------------------------------------------
  // SpecialFunctions

  /** log1pExp'(x) = logistic(x). */
  @DerivativeRule(owner = SpecialFunctions.class, method = "log1pExp")
  public static double log1pExp(double x) {
    return SpecialFunctions.logistic(x);
  }

  /** logistic'(x) = logistic(x)·logistic(-x), which keeps its relative accuracy in both tails. */
  @DerivativeRule(owner = SpecialFunctions.class, method = "logistic")
  public static double logistic(double x) {
    return SpecialFunctions.logistic(x) * SpecialFunctions.logistic(-x);
  }

  /** logit'(p) = 1/p + 1/(1 - p); +Infinity at 0 and 1. */
  @DerivativeRule(owner = SpecialFunctions.class, method = "logit")
  public static double logit(double p) {
    return 1 / p + 1 / (1 - p);
  }

  /** logSumExp(x) by x: seed·softmax(x). */
  @DerivativeRule(owner = SpecialFunctions.class, method = "logSumExp")
  public static double[] logSumExp(double[] x, double seed) {
    double[] weights = SpecialFunctions.softmax(x);
    for (int i = 0; i < weights.length; i++) {
      weights[i] *= seed;
    }
    return weights;
  }

  /** logSumExp(x) along dx: ⟨softmax(x), dx⟩. */
  @DerivativeRule(owner = SpecialFunctions.class, method = "logSumExp", tangent = true)
  public static double logSumExpTangent(double[] x, double[] dx) {
    double[] weights = SpecialFunctions.softmax(x);
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i] * dx[i];
    }
    return sum;
  }

  /** Derivatives of P(a, x) in a by the term-by-term differentiated series. */
  static final class GammaSeries {
    private GammaSeries() {}

    /**
     * {∂P/∂a, ∂²P/∂a²} at (a, x): Σₙ tₙ·(ln x - ψ(a+n+1)) and Σₙ tₙ·((ln x - ψ(a+n+1))² -
     * ψ'(a+n+1)), tₙ = x^(a+n) e^(-x) / Γ(a+n+1), summed outwards from the largest term.
     */
    static double[] inShape(double a, double x) {
      if (!(a > 0) || !(x >= 0) || Double.isInfinite(a)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      if (x == 0 || x == Double.POSITIVE_INFINITY) {
        return new double[] {0, 0};
      }
      double logX = Math.log(x);
      long peak = (long) Math.max(0, Math.floor(x - a));
      double peakTerm = Math.exp((a + peak) * logX - x - Gamma.logGamma(a + peak + 1));
      double peakDigamma = SpecialFunctions.digamma(a + peak + 1);
      double peakTrigamma = SpecialFunctions.polygamma(1, a + peak + 1);
      double first = 0;
      double second = 0;
      // Upwards from the peak: t(n+1) = t(n)·x/(a+n+1), ψ(a+n+2) = ψ(a+n+1) + 1/(a+n+1).
      double term = peakTerm;
      double digamma = peakDigamma;
      double trigamma = peakTrigamma;
      for (long n = peak; ; n++) {
        double logRatio = logX - digamma;
        first += term * logRatio;
        second += term * (logRatio * logRatio - trigamma);
        if (n > peak && negligible(term, logRatio, first, second)) {
          break;
        }
        double next = a + n + 1;
        term *= x / next;
        digamma += 1 / next;
        trigamma -= 1 / (next * next);
      }
      // Downwards: t(n-1) = t(n)·(a+n)/x, ψ(a+n) = ψ(a+n+1) - 1/(a+n).
      term = peakTerm;
      digamma = peakDigamma;
      trigamma = peakTrigamma;
      for (long n = peak - 1; n >= 0; n--) {
        double current = a + n + 1;
        term *= current / x;
        digamma -= 1 / current;
        trigamma += 1 / (current * current);
        double logRatio = logX - digamma;
        first += term * logRatio;
        second += term * (logRatio * logRatio - trigamma);
        if (negligible(term, logRatio, first, second)) {
          break;
        }
      }
      return new double[] {first, second};
    }

    private static boolean negligible(double term, double logRatio, double first, double second) {
      double size = term * (1 + logRatio * logRatio);
      return size <= 1e-17 * Math.max(Math.abs(first) + Math.abs(second), Double.MIN_NORMAL)
          || size == 0;
    }
  }
}
