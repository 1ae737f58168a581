package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.DualArray2D;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Results of type {@code double[][]}: a user's own Cholesky factorisation written in loops, a helper
 * without annotation, called from a Gaussian-process likelihood (the runtime's
 * {@code LinearAlgebra.cholesky} is the oracle), and a {@code @Differentiable} method returning a
 * matrix as {@code double[][]}, with its pullback seeded by a {@code double[][]} and its tangent.
 * Helpers returning {@code int}, {@code long} and {@code boolean} are data.
 */
class ArrayResultsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      class Gp {
        /** The negative log marginal likelihood of a GP with a squared-exponential kernel. */
        @Differentiable(wrt = "logTheta", also = HESSIAN)
        static double negativeLogLikelihood(double[] logTheta, double[] xs, double[] ys) {
          double[][] k = covariance(logTheta, xs);
          double[][] l = cholesky(k);
          double[] z = forwardSubstitution(l, ys);
          double quadratic = 0;
          double logDeterminant = 0;
          for (int i = 0; i < size(xs); i++) {
            quadratic += z[i] * z[i];
            logDeterminant += 2 * Math.log(l[i][i]);
          }
          if (isSingular(logDeterminant) || count(xs) < 1) {
            return 0;
          }
          return 0.5 * quadratic + 0.5 * logDeterminant + 0.5 * xs.length * Math.log(2 * Math.PI);
        }

        @Differentiable(also = HESSIAN)
        static double[][] covariance(double[] logTheta, double[] xs) {
          double signal = Math.exp(logTheta[0]);
          double length = Math.exp(logTheta[1]);
          double noise = Math.exp(logTheta[2]);
          int n = xs.length;
          double[][] k = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              double d = (xs[i] - xs[j]) / length;
              k[i][j] = signal * Math.exp(-0.5 * d * d) + (i == j ? noise : 0);
            }
          }
          return k;
        }

        static double[][] cholesky(double[][] a) {
          int n = a.length;
          double[][] l = new double[n][n];
          for (int j = 0; j < n; j++) {
            double s = a[j][j];
            for (int k = 0; k < j; k++) {
              s -= l[j][k] * l[j][k];
            }
            l[j][j] = Math.sqrt(s);
            for (int i = j + 1; i < n; i++) {
              double t = a[i][j];
              for (int k = 0; k < j; k++) {
                t -= l[i][k] * l[j][k];
              }
              l[i][j] = t / l[j][j];
            }
          }
          return l;
        }

        static double[] forwardSubstitution(double[][] l, double[] b) {
          double[] z = new double[b.length];
          for (int i = 0; i < b.length; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
              s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
          }
          return z;
        }

        static int size(double[] v) {
          return v.length;
        }

        static long count(double[] v) {
          long c = 0;
          for (double e : v) {
            c++;
          }
          return c;
        }

        static boolean isSingular(double logDeterminant) {
          return Double.isInfinite(logDeterminant);
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Gp", SOURCE);
  private static final double[] XS = {-1.2, -0.3, 0.4, 1.1, 2.0};
  private static final double[] YS = {0.5, -0.1, 0.3, 0.9, 0.2};

  private static double[][] covariance(double[] logTheta) {
    int n = XS.length;
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double d = (XS[i] - XS[j]) / Math.exp(logTheta[1]);
        k[i][j] = Math.exp(logTheta[0]) * Math.exp(-0.5 * d * d) + (i == j ? Math.exp(logTheta[2]) : 0);
      }
    }
    return k;
  }

  /** The likelihood by the runtime's linear algebra, the oracle. */
  private static double oracle(double[] logTheta) {
    Matrix k = Matrix.of(covariance(logTheta));
    Matrix y = Matrix.columnVector(YS);
    return 0.5 * LinearAlgebra.inverseQuadraticForm(k, y) + 0.5 * LinearAlgebra.logDeterminantSpd(k)
        + 0.5 * XS.length * Math.log(2 * Math.PI);
  }

  @Test
  void everyModeOfTheLikelihoodPasses() {
    ModeChecks.everyModePasses(compiled, "p.GpGrad", checks -> checks.argument("xs", random -> XS.clone()).argument("ys", random -> YS.clone()));
  }

  @Test
  void usersCholeskyMatchesTheRuntimes() {
    double[] logTheta = {0.2, -0.1, -1.5};
    double[][] mine = (double[][]) compiled.call("p.Gp", "cholesky", (Object) covariance(logTheta));
    Matrix oracle = LinearAlgebra.cholesky(Matrix.of(covariance(logTheta)));
    for (int i = 0; i < XS.length; i++) {
      for (int j = 0; j < XS.length; j++) {
        assertEquals(oracle.get(i, j), mine[i][j], 1e-12);
      }
    }
  }

  @Test
  void likelihoodAndGradientMatchTheRuntimesLinearAlgebra() {
    double[] logTheta = {0.2, -0.1, -1.5};
    Object g = compiled.call("p.GpGrad", "negativeLogLikelihood", logTheta, XS, YS);
    assertEquals(oracle(logTheta), Compiled.scalar(g, "value"), 1e-10);
    GradientAssertions.assertGradient(ArrayResultsTest::oracle, logTheta, (double[]) Compiled.partial(g, "logTheta"));
  }

  @Test
  void pullbackOfAMatrixResultTakesAMatrixSeed() {
    double[] logTheta = {0.3, 0.2, -1.0};
    SplittableRandom random = new SplittableRandom(11);
    double[][] seed = new double[XS.length][];
    for (int i = 0; i < XS.length; i++) {
      seed[i] = random.doubles(XS.length, -1, 1).toArray();
    }
    Object gradient = compiled.construct("p.GpGrad$CovarianceGradient");
    Object value = compiled.call("p.GpGrad", "covariancePullback", logTheta, XS, seed, gradient);
    assertEquals(java.util.Arrays.deepToString(covariance(logTheta)), java.util.Arrays.deepToString((double[][]) value));
    // seed · K(θ) as a function of θ: its gradient is the pullback's.
    GradientAssertions.assertGradient(theta -> {
      double[][] k = covariance(theta);
      double sum = 0;
      for (int i = 0; i < k.length; i++) {
        for (int j = 0; j < k.length; j++) {
          sum += seed[i][j] * k[i][j];
        }
      }
      return sum;
    }, logTheta, (double[]) Compiled.partial(gradient, "logTheta"));
  }

  @Test
  void jacobianOfAMatrixResultHasARowPerEntry() {
    double[] logTheta = {0.3, 0.2, -1.0};
    double[][] jacobian = (double[][]) compiled.call("p.GpGrad", "covarianceJacobian", logTheta, XS);
    int n = XS.length;
    assertEquals(n * n, jacobian.length);
    double h = 1e-6;
    for (int k = 0; k < 3; k++) {
      double[] up = logTheta.clone();
      double[] down = logTheta.clone();
      up[k] += h;
      down[k] -= h;
      double[][] plus = covariance(up);
      double[][] minus = covariance(down);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals((plus[i][j] - minus[i][j]) / (2 * h), jacobian[i * n + j][k], 1e-7, "entry " + i + ", " + j);
        }
      }
    }
  }

  @Test
  void tangentOfAMatrixResultIsItsDirectionalDerivative() {
    double[] logTheta = {0.3, 0.2, -1.0};
    double[] direction = {0.5, -1.0, 0.25};
    DualArray2D dual = (DualArray2D) compiled.call("p.GpGrad", "covarianceTangent", logTheta, XS, direction,
        new double[XS.length]);
    double h = 1e-6;
    double[] up = new double[3];
    double[] down = new double[3];
    for (int k = 0; k < 3; k++) {
      up[k] = logTheta[k] + h * direction[k];
      down[k] = logTheta[k] - h * direction[k];
    }
    double[][] plus = covariance(up);
    double[][] minus = covariance(down);
    for (int i = 0; i < XS.length; i++) {
      for (int j = 0; j < XS.length; j++) {
        assertEquals((plus[i][j] - minus[i][j]) / (2 * h), dual.derivative()[i][j], 1e-7);
        assertEquals(covariance(logTheta)[i][j], dual.value()[i][j], 1e-15);
      }
    }
  }
}
