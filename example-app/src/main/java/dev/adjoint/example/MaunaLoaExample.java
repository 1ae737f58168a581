package dev.adjoint.example;

import dev.adjoint.example.GaussianProcessModelsGrad.LogMarginalLikelihoodGradient;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Gaussian-process regression on the monthly Mauna Loa CO₂ record (1959–1997): the six kernel
 * hyper-parameters of {@link GaussianProcessModels} are fitted by maximising the log marginal
 * likelihood with its generated gradient (Commons Math's conjugate gradients), on every third month
 * up to the end of 1992; the last five years are held out and predicted.
 *
 * <p>The kernel lacks Rasmussen and Williams' medium-term (rational quadratic) component, so the
 * trend's length scale has to choose between the decades-long rise and the irregularities of a few
 * years: on every second month the likelihood prefers a trend length of about 12 years, which
 * extrapolates poorly (a held-out RMSE of 4 to 8 ppm); on every third month, from first guesses of
 * 10, 30 or 50 years, it settles at 33 years. The growth slowed in 1992–1993 (after Pinatubo), which
 * no smooth trend foresees: most of the held-out error is there.
 */
final class MaunaLoaExample {
  static final String DATA = "mauna-loa-co2-monthly-1959-1997.csv";
  static final int FIRST_YEAR = 1959;
  /** The first year held out: 1993 to 1997, 60 months, are predicted, not fitted. */
  static final int HOLD_OUT_FROM = 1993;
  /** Every this many months of the training years are fitted: 136 of 408 keep the fit to seconds. */
  static final int MONTHS_PER_TRAINING_POINT = 3;
  /**
   * The first guess, in ppm and years: a trend as large as the data's spread over ten years, a
   * seasonal swing of 1 ppm lasting ten years, and 1 ppm of noise.
   */
  static final double[] START = {20, 10, 1, 10, 1, 1};
  /** Two standard deviations each side: a 95 % band. */
  static final double BAND = 1.959964;

  private MaunaLoaExample() {}

  /** The record: decimal years and ppm, one entry per month. */
  record Series(double[] times, double[] ppm) {
    int size() {
      return times.length;
    }

    /** The entries at the given positions. */
    Series select(int[] positions) {
      return new Series(
          Arrays.stream(positions).mapToDouble(i -> times[i]).toArray(),
          Arrays.stream(positions).mapToDouble(i -> ppm[i]).toArray());
    }
  }

  /** Predictive mean and standard deviation of an observation at each time. */
  record Prediction(double[] mean, double[] standardDeviation) {}

  /**
   * The fitted hyper-parameters (log scale), the log marginal likelihood at the start and at the
   * end, what the fit cost, and how well the held-out years are predicted.
   */
  record Fit(double[] logHyper, double startLogLikelihood, double logLikelihood, int evaluations,
      double holdOutRmse, double holdOutCoverage) {}

  /** The monthly record, times rounded to whole months (the file's carry floating-point noise). */
  static Series co2() {
    List<double[]> rows = DataSet.readCsv(DATA, false, 1);
    double[] times = new double[rows.size()];
    double[] ppm = new double[rows.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = FIRST_YEAR + Math.round((rows.get(i)[0] - FIRST_YEAR) * 12) / 12.0;
      ppm[i] = rows.get(i)[1];
    }
    return new Series(times, ppm);
  }

  /** Every {@link #MONTHS_PER_TRAINING_POINT}-th month before {@link #HOLD_OUT_FROM}. */
  static Series training(Series all) {
    return all.select(IntStream.range(0, all.size())
        .filter(i -> all.times()[i] < HOLD_OUT_FROM && i % MONTHS_PER_TRAINING_POINT == 0).toArray());
  }

  /** Every month from {@link #HOLD_OUT_FROM} on. */
  static Series holdOut(Series all) {
    return all.select(IntStream.range(0, all.size()).filter(i -> all.times()[i] >= HOLD_OUT_FROM).toArray());
  }

  static Fit run(ExampleContext context) {
    Series all = co2();
    Series train = training(all);
    Series test = holdOut(all);
    double offset = mean(train.ppm());
    context.out().printf("Gaussian process on Mauna Loa CO2: %d of the %d months before %d fitted (one every %d),"
            + " %d months held out%n", train.size(), all.size() - test.size(), HOLD_OUT_FROM,
        MONTHS_PER_TRAINING_POINT, test.size());
    double[] start = Arrays.stream(START).map(Math::log).toArray();
    ValueAndGradient logLikelihood = logMarginalLikelihood(train, offset);
    double startLogLikelihood = logLikelihood.evaluate(start, new double[start.length]);
    ConjugateGradients.Optimum optimum = ConjugateGradients.maximise(logLikelihood, start, 2_000);
    double[] logHyper = optimum.point();
    Prediction predicted = predict(logHyper, train, offset, test.times());
    Fit fit = new Fit(logHyper, startLogLikelihood, optimum.value(), optimum.evaluations(),
        rootMeanSquare(predicted.mean(), test.ppm()), coverage(predicted, test.ppm()));
    context.out().printf("  log marginal likelihood %.2f at the first guess, %.2f after %d iterations"
        + " (%d evaluations of it and its gradient)%n", startLogLikelihood, fit.logLikelihood(),
        optimum.iterations(), fit.evaluations());
    context.out().printf("  %-20s %9s %9s%n", "hyper-parameter", "start", "fitted");
    for (int i = 0; i < START.length; i++) {
      context.out().printf("  %-20s %9.3f %9.3f%n", GaussianProcessModels.HYPER_PARAMETER_NAMES[i], START[i],
          Math.exp(logHyper[i]));
    }
    context.out().printf("  held-out %d-%d: RMSE %.3f ppm, %.0f%% of the months inside the 95%% band%n",
        HOLD_OUT_FROM, (int) test.times()[test.size() - 1], fit.holdOutRmse(), 100 * fit.holdOutCoverage());
    plot(context, all, train, test, predict(logHyper, train, offset, all.times()));
    return fit;
  }

  /** The log marginal likelihood of the hyper-parameters on {@code train}, with its generated gradient. */
  static ValueAndGradient logMarginalLikelihood(Series train, double offset) {
    Matrix squaredDistances = GaussianProcessModels.squaredDistances(train.times(), train.times());
    Matrix seasonalPhases = GaussianProcessModels.seasonalPhases(train.times(), train.times());
    Matrix y = centred(train, offset);
    LogMarginalLikelihoodGradient into = new LogMarginalLikelihoodGradient();
    return (logHyper, gradient) -> {
      double value = GaussianProcessModelsGrad.logMarginalLikelihood(logHyper, squaredDistances, seasonalPhases, y,
          into);
      System.arraycopy(into.logHyper(), 0, gradient, 0, gradient.length);
      return value;
    };
  }

  /** The observations minus {@code offset}, as a column: the process has mean 0. */
  static Matrix centred(Series series, double offset) {
    return Matrix.columnVector(Arrays.stream(series.ppm()).map(ppm -> ppm - offset).toArray());
  }

  /**
   * The posterior predictive distribution of an observation at each of {@code times}: mean
   * k*ᵀK⁻¹y and variance k** − k*ᵀK⁻¹k* plus the noise, through one Cholesky factor of K.
   */
  static Prediction predict(double[] logHyper, Series train, double offset, double[] times) {
    double noiseVariance = Math.exp(2 * logHyper[GaussianProcessModels.NOISE]);
    Matrix k = GaussianProcessModels.covariance(logHyper,
            GaussianProcessModels.squaredDistances(train.times(), train.times()),
            GaussianProcessModels.seasonalPhases(train.times(), train.times()))
        .plus(Matrix.identity(train.size()).scale(noiseVariance));
    Matrix cross = GaussianProcessModels.covariance(logHyper,
        GaussianProcessModels.squaredDistances(train.times(), times),
        GaussianProcessModels.seasonalPhases(train.times(), times));
    Matrix l = LinearAlgebra.cholesky(k);
    Matrix weights = LinearAlgebra.solveLowerTransposed(l, LinearAlgebra.solveLower(l, centred(train, offset)));
    Matrix mean = cross.transposedTimes(weights);
    Matrix v = LinearAlgebra.solveLower(l, cross);
    // k(t, t) = trend variance + seasonal variance, as the distances are 0.
    double prior = Math.exp(2 * logHyper[0]) + Math.exp(2 * logHyper[2]);
    double[] means = new double[times.length];
    double[] deviations = new double[times.length];
    for (int j = 0; j < times.length; j++) {
      double explained = 0;
      for (int i = 0; i < train.size(); i++) {
        explained += v.get(i, j) * v.get(i, j);
      }
      means[j] = offset + mean.get(j, 0);
      deviations[j] = Math.sqrt(Math.max(0, prior - explained) + noiseVariance);
    }
    return new Prediction(means, deviations);
  }

  static double rootMeanSquare(double[] predicted, double[] observed) {
    double sum = 0;
    for (int i = 0; i < observed.length; i++) {
      sum += (predicted[i] - observed[i]) * (predicted[i] - observed[i]);
    }
    return Math.sqrt(sum / observed.length);
  }

  /** The fraction of observations inside the predictive 95 % band. */
  static double coverage(Prediction predicted, double[] observed) {
    long inside = IntStream.range(0, observed.length)
        .filter(i -> Math.abs(observed[i] - predicted.mean()[i]) <= BAND * predicted.standardDeviation()[i])
        .count();
    return (double) inside / observed.length;
  }

  static double mean(double[] values) {
    return Arrays.stream(values).average().orElseThrow();
  }

  /** The whole record, and the last years before and in the hold-out, with the mean and 95 % band. */
  private static void plot(ExampleContext context, Series all, Series train, Series test, Prediction predicted) {
    double[] lower = new double[all.size()];
    double[] upper = new double[all.size()];
    for (int i = 0; i < all.size(); i++) {
      lower[i] = predicted.mean()[i] - BAND * predicted.standardDeviation()[i];
      upper[i] = predicted.mean()[i] + BAND * predicted.standardDeviation()[i];
    }
    XYChart whole = Plots.chart("Mauna Loa CO2, " + FIRST_YEAR + "-1997", "year", "ppm");
    XYChart recent =
        Plots.chart("The last fitted years and the hold-out (" + HOLD_OUT_FROM + " on)", "year", "ppm");
    int recentFrom = IntStream.range(0, all.size()).filter(i -> all.times()[i] >= HOLD_OUT_FROM - 4).findFirst()
        .orElseThrow();
    for (XYChart chart : List.of(whole, recent)) {
      chart.getStyler().setXAxisDecimalPattern("#");
      int from = chart == whole ? 0 : recentFrom;
      Plots.line(chart, "predictive mean", tail(all.times(), from), tail(predicted.mean(), from));
      // The band's two edges in one colour, named once in the legend.
      Plots.line(chart, "95% band", tail(all.times(), from), tail(lower, from)).setLineColor(Color.GRAY);
      XYSeries upperEdge = Plots.line(chart, "95% band (upper)", tail(all.times(), from), tail(upper, from));
      upperEdge.setLineColor(Color.GRAY);
      upperEdge.setShowInLegend(false);
      Series fitted = chart == whole ? train : train.select(IntStream.range(0, train.size())
          .filter(i -> train.times()[i] >= all.times()[recentFrom]).toArray());
      Plots.points(chart, "fitted months", fitted.times(), fitted.ppm());
      Plots.points(chart, "held-out months", test.times(), test.ppm());
    }
    Plots.write(context, "mauna-loa", List.of(whole, recent));
  }

  private static double[] tail(double[] values, int from) {
    return Arrays.copyOfRange(values, from, values.length);
  }
}
