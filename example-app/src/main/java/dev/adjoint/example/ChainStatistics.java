package dev.adjoint.example;

import java.util.Arrays;

/**
 * Summaries of one quantity's draws from several Markov chains: mean, standard deviation,
 * effective sample size and the Monte Carlo standard error of the mean, and R̂ (Gelman et al.,
 * Bayesian Data Analysis, 3rd ed., §11.4–11.5): the effective sample size by Geyer's initial
 * monotone sequence over the chains' combined autocorrelations, as Stan's, but without Stan's rank
 * normalisation and without splitting the chains in halves.
 *
 * @param mean the mean of all draws
 * @param standardDeviation their standard deviation
 * @param effectiveSampleSize how many independent draws would estimate the mean as well
 * @param rHat the potential scale reduction: near 1 when the chains agree
 */
record ChainStatistics(double mean, double standardDeviation, double effectiveSampleSize, double rHat) {

  /** The Monte Carlo standard error of {@link #mean}. */
  double mcse() {
    return standardDeviation / Math.sqrt(effectiveSampleSize);
  }

  /** Summarises {@code chains[c][i]}, draw i of chain c; every chain as long, with at least 4 draws. */
  static ChainStatistics of(double[][] chains) {
    int m = chains.length;
    int n = chains[0].length;
    if (n < 4 || Arrays.stream(chains).anyMatch(chain -> chain.length != n)) {
      throw new IllegalArgumentException("chains of equal lengths, at least 4, are needed");
    }
    double[] means = Arrays.stream(chains).mapToDouble(chain -> Arrays.stream(chain).average().orElseThrow()).toArray();
    double mean = Arrays.stream(means).average().orElseThrow();
    // W: the mean within-chain variance; B/n: the variance of the chain means.
    double within = 0;
    for (int c = 0; c < m; c++) {
      within += autocovariance(chains[c], means[c], 0) * n / (n - 1) / m;
    }
    double betweenOverN = 0;
    for (double chainMean : means) {
      betweenOverN += m > 1 ? (chainMean - mean) * (chainMean - mean) / (m - 1) : 0;
    }
    double pooledVariance = (n - 1.0) / n * within + betweenOverN;
    double standardDeviation = Math.sqrt(totalVariance(chains, mean));
    if (pooledVariance == 0) {
      return new ChainStatistics(mean, 0, m * n, 1);
    }
    // Geyer: sums of autocorrelations at lags 2k and 2k+1 while positive, made non-increasing.
    double sum = 0;
    double previousPair = Double.POSITIVE_INFINITY;
    for (int lag = 0; lag + 1 < n; lag += 2) {
      double pair = correlation(chains, means, within, pooledVariance, lag)
          + correlation(chains, means, within, pooledVariance, lag + 1);
      if (pair <= 0) {
        break;
      }
      pair = Math.min(pair, previousPair);
      sum += pair;
      previousPair = pair;
    }
    double autocorrelationTime = Math.max(-1 + 2 * sum, 1.0 / Math.log10(m * n));
    return new ChainStatistics(mean, standardDeviation, m * n / autocorrelationTime,
        Math.sqrt(pooledVariance / within));
  }

  /** ρ at {@code lag}, combined over the chains: 1 − (W − mean autocovariance) / var⁺. */
  private static double correlation(double[][] chains, double[] means, double within, double pooledVariance, int lag) {
    if (lag == 0) {
      return 1;
    }
    double meanAutocovariance = 0;
    for (int c = 0; c < chains.length; c++) {
      meanAutocovariance += autocovariance(chains[c], means[c], lag) / chains.length;
    }
    return 1 - (within - meanAutocovariance) / pooledVariance;
  }

  /** The autocovariance at {@code lag}, divided by the chain's length (the usual biased estimate). */
  private static double autocovariance(double[] chain, double mean, int lag) {
    double sum = 0;
    for (int i = 0; i + lag < chain.length; i++) {
      sum += (chain[i] - mean) * (chain[i + lag] - mean);
    }
    return sum / chain.length;
  }

  private static double totalVariance(double[][] chains, double mean) {
    double sum = 0;
    int count = 0;
    for (double[] chain : chains) {
      for (double value : chain) {
        sum += (value - mean) * (value - mean);
        count++;
      }
    }
    return sum / (count - 1);
  }
}
