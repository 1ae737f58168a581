package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.SpecialFunctions;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The runtime's catalogue rules (special functions, log densities, linear algebra) used from
 * {@code @Differentiable} methods as a user writes them: gradients against closed forms and
 * finite differences, forward mode against the gradient, and the Hessian of a model of special
 * functions through their second-order rules.
 */
class CatalogueRulesTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.LinearAlgebra;
      import dev.adjoint.runtime.LogDensity;
      import dev.adjoint.runtime.Matrix;
      import dev.adjoint.runtime.SpecialFunctions;
      import org.apache.commons.math3.special.Erf;
      import org.apache.commons.math3.special.Gamma;

      class Models {
        /** A gamma-Poisson-style log posterior in log-parameters. */
        @Differentiable(also = TANGENT)
        static double logPosterior(double logShape, double mu, double[] x) {
          double shape = Math.exp(logShape);
          double total = -Gamma.logGamma(shape) + LogDensity.normal(mu, 0, 10) + logShape;
          for (int i = 0; i < x.length; i++) {
            total += LogDensity.normal(x[i], mu, shape) + LogDensity.gamma(x[i] * x[i] + 1, shape, 2);
          }
          return total;
        }

        /** Log densities with second-order rules: normal, Poisson, binomial. */
        @Differentiable(wrt = {"mu", "logSigma"}, also = HESSIAN)
        static double regression(double mu, double logSigma, double[] y) {
          double total = LogDensity.poisson(3, Math.exp(mu)) + LogDensity.binomialLogit(2, 5, mu - logSigma);
          for (int i = 0; i < y.length; i++) {
            total += LogDensity.normal(y[i], mu, Math.exp(logSigma));
          }
          return total;
        }

        /** Special functions only: they have second-order rules. */
        @Differentiable(also = HESSIAN)
        static double special(double a, double x) {
          return Gamma.logGamma(a * a + 1) + Erf.erf(x) + SpecialFunctions.log1pExp(a * x)
              + Gamma.digamma(x * x + 2);
        }

        /**
         * The log marginal likelihood of a Gaussian process with an RBF kernel: y ~ N(0, K) with
         * K = amplitude²·exp(-d²/(2·lengthScale²)) + noise·I, through its Cholesky factor.
         */
        @Differentiable(wrt = {"logLengthScale", "logAmplitude"}, also = TANGENT)
        static double gpLogLikelihood(double logLengthScale, double logAmplitude, Matrix squaredDistances,
            Matrix y, Matrix noise) {
          Matrix kernel = squaredDistances.scale(-0.5 * Math.exp(-2 * logLengthScale)).exp()
              .scale(Math.exp(2 * logAmplitude)).plus(noise);
          Matrix factor = LinearAlgebra.cholesky(kernel);
          return LogDensity.multiNormalCholesky(y, Matrix.zeros(y.rows(), 1), factor);
        }

        /** The same likelihood through the quadratic form and the log-determinant. */
        @Differentiable(wrt = {"logLengthScale", "logAmplitude"})
        static double gpLogLikelihoodByParts(double logLengthScale, double logAmplitude, Matrix squaredDistances,
            Matrix y, Matrix noise) {
          Matrix kernel = squaredDistances.scale(-0.5 * Math.exp(-2 * logLengthScale)).exp()
              .scale(Math.exp(2 * logAmplitude)).plus(noise);
          return -0.5 * LinearAlgebra.inverseQuadraticForm(kernel, y) - 0.5 * LinearAlgebra.logDeterminantSpd(kernel)
              - 0.5 * y.rows() * Math.log(2 * Math.PI);
        }

        /** Matrix in, number out: a solve, an inverse and the general log-determinant. */
        @Differentiable(also = TANGENT)
        static double solves(Matrix a, Matrix b) {
          Matrix x = LinearAlgebra.solve(a, b);
          return x.squaredNorm() + LinearAlgebra.logDeterminant(a) + LinearAlgebra.inverse(a).trace()
              + LinearAlgebra.symmetricEigenvalues(a.plus(a.transpose())).sum();
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Models", SOURCE);
  private final SplittableRandom random = new SplittableRandom(13);

  @Test
  void logPosteriorThroughLogGammaAndLogDensities() {
    double[] x = {0.3, -1.2, 2.5, 0.9};
    for (int trial = 0; trial < 3; trial++) {
      double logShape = random.nextDouble(-0.5, 1);
      double mu = random.nextDouble(-1, 1);
      Object gradient = compiled.call("p.ModelsGrad", "logPosterior", logShape, mu, x);
      double shape = Math.exp(logShape);
      double byMu = -mu / 100;
      double byShape = -Gamma.digamma(shape);
      for (double xi : x) {
        byMu += (xi - mu) / (shape * shape);
        double z = (xi - mu) / shape;
        byShape += (z * z - 1) / shape + Math.log(2) - SpecialFunctions.digamma(shape) + Math.log(xi * xi + 1);
      }
      assertEquals(byMu, Compiled.scalar(gradient, "mu"), 1e-12 * (1 + Math.abs(byMu)));
      assertEquals(byShape * shape + 1, Compiled.scalar(gradient, "logShape"), 1e-8 * (1 + Math.abs(byShape)));
      GradientAssertions.assertGradient(
          p -> (double) compiled.call("p.Models", "logPosterior", p[0], p[1], x), new double[] {logShape, mu},
          new double[] {Compiled.scalar(gradient, "logShape"), Compiled.scalar(gradient, "mu")});
      Dual dual = (Dual) compiled.call("p.ModelsGrad", "logPosteriorTangent", logShape, mu, x, 0.4, -1.3, new double[4]);
      assertEquals(0.4 * Compiled.scalar(gradient, "logShape") - 1.3 * Compiled.scalar(gradient, "mu"),
          dual.derivative(), 1e-10);
    }
  }

  @Test
  void hessianThroughSpecialFunctions() {
    for (int trial = 0; trial < 3; trial++) {
      double a = random.nextDouble(-1.5, 1.5);
      double x = random.nextDouble(-1.5, 1.5);
      Object gradient = compiled.call("p.ModelsGrad", "special", a, x);
      double byX = 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) + a * SpecialFunctions.logistic(a * x)
          + 2 * x * Gamma.trigamma(x * x + 2);
      assertEquals(byX, Compiled.scalar(gradient, "x"), 1e-12);
      double[][] hessian = (double[][]) compiled.call("p.ModelsGrad", "specialHessian", a, x);
      // ∂²/∂a∂x of log1pExp(a·x) = σ(ax) + ax·σ(ax)σ(-ax).
      double sigma = SpecialFunctions.logistic(a * x);
      assertEquals(sigma + a * x * sigma * (1 - sigma), hessian[0][1], 1e-12);
      GradientAssertions.assertHessian(p -> {
        Object g = compiled.call("p.ModelsGrad", "special", p[0], p[1]);
        return new double[] {Compiled.scalar(g, "a"), Compiled.scalar(g, "x")};
      }, new double[] {a, x}, hessian);
    }
  }

  @Test
  void hessianThroughLogDensities() {
    double[] y = {0.4, -0.7, 1.9};
    for (double[] at : new double[][] {{0.2, -0.1}, {-0.6, 0.5}}) {
      double[][] hessian = (double[][]) compiled.call("p.ModelsGrad", "regressionHessian", at[0], at[1], y);
      double sigma = Math.exp(at[1]);
      double p = SpecialFunctions.logistic(at[0] - at[1]);
      assertEquals(-y.length / (sigma * sigma) - Math.exp(at[0]) - 5 * p * (1 - p), hessian[0][0], 1e-12);
      GradientAssertions.assertHessian(point -> {
        Object g = compiled.call("p.ModelsGrad", "regression", point[0], point[1], y);
        return new double[] {Compiled.scalar(g, "mu"), Compiled.scalar(g, "logSigma")};
      }, at, hessian);
    }
  }

  @Test
  void gaussianProcessLikelihoodThroughCholesky() {
    int n = 6;
    double[] t = random.doubles(n, 0, 5).toArray();
    double[][] distances = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        distances[i][j] = (t[i] - t[j]) * (t[i] - t[j]);
      }
    }
    Matrix squaredDistances = Matrix.of(distances);
    Matrix y = Matrix.columnVector(random.doubles(n, -1, 1).toArray());
    Matrix noise = Matrix.identity(n).scale(0.1);
    for (double[] at : new double[][] {{0, 0}, {0.4, -0.3}, {-0.5, 0.6}}) {
      Object gradient = compiled.call("p.ModelsGrad", "gpLogLikelihood", at[0], at[1], squaredDistances, y, noise);
      Object byParts = compiled.call("p.ModelsGrad", "gpLogLikelihoodByParts", at[0], at[1], squaredDistances, y, noise);
      double[] analytic = {Compiled.scalar(gradient, "logLengthScale"), Compiled.scalar(gradient, "logAmplitude")};
      assertEquals(Compiled.scalar(byParts, "logLengthScale"), analytic[0], 1e-9);
      assertEquals(Compiled.scalar(byParts, "logAmplitude"), analytic[1], 1e-9);
      assertEquals((double) compiled.call("p.Models", "gpLogLikelihoodByParts", at[0], at[1], squaredDistances, y, noise),
          (double) compiled.call("p.Models", "gpLogLikelihood", at[0], at[1], squaredDistances, y, noise), 1e-10);
      GradientAssertions.assertGradient(
          p -> (double) compiled.call("p.Models", "gpLogLikelihood", p[0], p[1], squaredDistances, y, noise), at, analytic);
      Dual dual = (Dual) compiled.call("p.ModelsGrad", "gpLogLikelihoodTangent", at[0], at[1], squaredDistances, y, noise,
          0.7, -0.2);
      assertEquals(0.7 * analytic[0] - 0.2 * analytic[1], dual.derivative(), 1e-9);
    }
  }

  @Test
  void solvesInverseAndDeterminantOfAMatrixParameter() {
    Matrix a = Matrix.of(new double[][] {{3, 0.5, -0.2}, {0.1, -2.5, 0.4}, {0.3, 0.2, 2}});
    Matrix b = Matrix.of(new double[][] {{1, 0}, {-0.5, 2}, {0.3, 1}});
    Object gradient = compiled.call("p.ModelsGrad", "solves", a, b);
    Matrix byA = (Matrix) Compiled.partial(gradient, "a");
    Matrix byB = (Matrix) Compiled.partial(gradient, "b");
    // x = a⁻¹b: ∂‖x‖²/∂b = 2a⁻ᵀx, and the log-determinant's part of ∂/∂a is a⁻ᵀ.
    Matrix x = LinearAlgebra.solve(a, b);
    assertEquals(0, byB.minus(LinearAlgebra.solveTransposed(a, x).scale(2)).squaredNorm(), 1e-20);
    double[] flat = flatten(a, b);
    GradientAssertions.assertGradient(
        p -> (double) compiled.call("p.Models", "solves", unflatten(p, 0, 3, 3), unflatten(p, 9, 3, 2)),
        flat, flatten(byA, byB));
    Matrix da = Matrix.of(new double[][] {{0.1, -0.3, 0.2}, {0.5, 0, 0.1}, {-0.2, 0.4, 0.3}});
    Matrix db = Matrix.of(new double[][] {{1, -1}, {0.2, 0.3}, {0, 0.5}});
    Dual dual = (Dual) compiled.call("p.ModelsGrad", "solvesTangent", a, b, da, db);
    assertEquals(byA.dot(da) + byB.dot(db), dual.derivative(), 1e-10);
  }

  private static double[] flatten(Matrix... matrices) {
    return java.util.Arrays.stream(matrices).flatMap(m -> java.util.Arrays.stream(m.toArray()))
        .flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static Matrix unflatten(double[] p, int from, int rows, int cols) {
    double[][] entries = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(p, from + i * cols, entries[i], 0, cols);
    }
    return Matrix.of(entries);
  }
}
