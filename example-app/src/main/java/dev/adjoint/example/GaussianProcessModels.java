package dev.adjoint.example;

import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Differentiable;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;

/**
 * A Gaussian process for a trend with a yearly cycle, as Rasmussen and Williams (2006, §5.4.3)
 * model the Mauna Loa CO₂ record: a smooth trend (squared exponential), a seasonal component (a
 * periodic kernel of period one year times a squared exponential decay, so that the cycle's shape
 * may drift), and independent noise. The six hyper-parameters are on the log scale, in the order
 * of {@link #HYPER_PARAMETER_NAMES}.
 *
 * <p>The kernel is written on two matrices of data, {@code squaredDistances} (tᵢ − tⱼ)² and
 * {@code seasonalPhases} sin²(π(tᵢ − tⱼ)) (time in years), so that a kernel matrix is a few
 * element-wise {@link Matrix} operations; a rectangular pair gives the cross-covariance for
 * predictions.
 */
final class GaussianProcessModels {
  static final String[] HYPER_PARAMETER_NAMES = {
    "trend amplitude", "trend length", "seasonal amplitude", "seasonal decay", "seasonal smoothness", "noise"
  };
  static final int NOISE = 5;

  private GaussianProcessModels() {}

  /**
   * The log marginal likelihood log p(y | t, θ) of observations {@code y} (a column, its mean
   * removed) at times whose distances the two data matrices hold.
   */
  @Differentiable(wrt = "logHyper", also = TANGENT)
  static double logMarginalLikelihood(double[] logHyper, Matrix squaredDistances, Matrix seasonalPhases, Matrix y) {
    int n = y.rows();
    double noiseVariance = Math.exp(2 * logHyper[NOISE]);
    Matrix k = covariance(logHyper, squaredDistances, seasonalPhases).plus(Matrix.identity(n).scale(noiseVariance));
    return -0.5 * LinearAlgebra.inverseQuadraticForm(k, y)
        - 0.5 * LinearAlgebra.logDeterminantSpd(k)
        - 0.5 * n * Math.log(2 * Math.PI);
  }

  /** The kernel without the noise: trend plus seasonal component. */
  static Matrix covariance(double[] logHyper, Matrix squaredDistances, Matrix seasonalPhases) {
    double trendVariance = Math.exp(2 * logHyper[0]);
    double trendLength = Math.exp(logHyper[1]);
    double seasonalVariance = Math.exp(2 * logHyper[2]);
    double decayLength = Math.exp(logHyper[3]);
    double smoothness = Math.exp(logHyper[4]);
    Matrix trend = squaredDistances.scale(-0.5 / (trendLength * trendLength)).exp().scale(trendVariance);
    Matrix seasonal = squaredDistances.scale(-0.5 / (decayLength * decayLength))
        .minus(seasonalPhases.scale(2 / (smoothness * smoothness)))
        .exp()
        .scale(seasonalVariance);
    return trend.plus(seasonal);
  }

  /** (tᵢ − sⱼ)², times in years. */
  static Matrix squaredDistances(double[] t, double[] s) {
    double[][] d = new double[t.length][s.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < s.length; j++) {
        d[i][j] = (t[i] - s[j]) * (t[i] - s[j]);
      }
    }
    return Matrix.of(d);
  }

  /** sin²(π(tᵢ − sⱼ)): 0 when tᵢ and sⱼ are whole years apart. */
  static Matrix seasonalPhases(double[] t, double[] s) {
    double[][] d = new double[t.length][s.length];
    for (int i = 0; i < t.length; i++) {
      for (int j = 0; j < s.length; j++) {
        double sine = Math.sin(Math.PI * (t[i] - s[j]));
        d[i][j] = sine * sine;
      }
    }
    return Matrix.of(d);
  }
}
