package dev.adjoint.example;

import dev.adjoint.example.PkModelsGrad.SumOfSquaresGradient;
import dev.adjoint.runtime.optim.ValueAndGradient;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.knowm.xchart.XYChart;

/**
 * Theophylline after one oral dose in 12 subjects (R's {@code Theoph}; Boeckmann, Sheiner and Beal
 * 1994), fitted by a one-compartment model with first-order absorption solved by {@link
 * dev.adjoint.runtime.Ode#solve} ({@link PkModels}): one population parameter set (ka, ke, V per
 * kg) by least squares, with conjugate gradients on the generated gradient through the ODE solver.
 * Hessians do not go through {@code Ode.solve}, so the standard errors come from the Gauss–Newton
 * (Fisher) information JᵀJ/σ², J the generated Jacobian of the predicted concentrations. The
 * closed form of this linear ODE checks the solver's predictions at the fit.
 *
 * <p>Each subject's first sample is at time 0, before the drug is absorbed, where the model
 * predicts 0 (and {@code Ode.solve} needs times after the initial time): those 12 samples are
 * left out of the fit.
 */
final class TheophyllineExample {
  static final String DATA = "theophylline-pharmacokinetics.csv";
  static final String[] NAMES = {"ka (1/h)", "ke (1/h)", "V (L/kg)"};
  /** ka, ke, V at the first guess. */
  static final double[] START = {1.0, 0.1, 0.5};

  private TheophyllineExample() {}

  /**
   * The observations after time 0, as {@link PkModels#sumOfSquares} takes them.
   *
   * @param times the distinct sampling times, increasing
   * @param timeIndex each observation's index in {@code times}
   * @param subjects each observation's subject (1..12)
   */
  record Data(double[] times, int[] timeIndex, double[] doses, double[] observed, int[] subjects,
      double[] sampleTimes) {
    int size() {
      return observed.length;
    }
  }

  /** The fitted parameters, their standard errors, the loss before and after, and what the fit cost. */
  record Fit(double[] logTheta, double[] estimates, double[] standardErrors, double startLoss, double loss,
      int iterations, int evaluations, double residualSd, double closedFormDifference) {}

  static Data data() {
    List<double[]> rows = new ArrayList<>();
    for (double[] row : DataSet.readCsv(DATA, false, 1)) {
      if (row[3] > 0) {
        rows.add(row);
      }
    }
    TreeSet<Double> distinct = new TreeSet<>();
    rows.forEach(row -> distinct.add(row[3]));
    double[] times = distinct.stream().mapToDouble(Double::doubleValue).toArray();
    int n = rows.size();
    int[] timeIndex = new int[n];
    double[] doses = new double[n];
    double[] observed = new double[n];
    int[] subjects = new int[n];
    double[] sampleTimes = new double[n];
    for (int k = 0; k < n; k++) {
      double[] row = rows.get(k);
      subjects[k] = (int) row[0];
      doses[k] = row[2];
      sampleTimes[k] = row[3];
      observed[k] = row[4];
      timeIndex[k] = Arrays.binarySearch(times, row[3]);
    }
    return new Data(times, timeIndex, doses, observed, subjects, sampleTimes);
  }

  static double loss(double[] logTheta, Data data) {
    return PkModels.sumOfSquares(logTheta, data.times(), data.timeIndex(), data.doses(), data.observed());
  }

  /** Minus the loss with its generated gradient, for the maximiser. */
  static ValueAndGradient negativeLoss(Data data) {
    return (logTheta, gradient) -> {
      SumOfSquaresGradient into =
          PkModelsGrad.sumOfSquares(logTheta, data.times(), data.timeIndex(), data.doses(), data.observed());
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] = -into.theta()[i];
      }
      return -into.value();
    };
  }

  static Fit fit(Data data) {
    double[] start = Arrays.stream(START).map(Math::log).toArray();
    double startLoss = loss(start, data);
    ConjugateGradients.Optimum optimum = ConjugateGradients.maximise(negativeLoss(data), start, 2_000);
    double[] logTheta = optimum.point();
    double loss = -optimum.value();
    int n = data.size();
    int p = logTheta.length;
    double variance = loss / (n - p);
    // Gauss–Newton: cov(log θ) = σ²·(JᵀJ)⁻¹, J = ∂(predictions)/∂(log θ) from the generated Jacobian.
    RealMatrix jacobian = MatrixUtils.createRealMatrix(
        PkModelsGrad.predictionsJacobian(logTheta, data.times(), data.timeIndex(), data.doses()));
    RealMatrix covariance = new LUDecomposition(jacobian.transpose().multiply(jacobian)).getSolver().getInverse()
        .scalarMultiply(variance);
    double[] estimates = Arrays.stream(logTheta).map(Math::exp).toArray();
    double[] errors = new double[p];
    for (int i = 0; i < p; i++) {
      errors[i] = estimates[i] * Math.sqrt(covariance.getEntry(i, i)); // delta method for exp(log θ)
    }
    double[] predicted = PkModels.predictions(logTheta, data.times(), data.timeIndex(), data.doses());
    double difference = 0;
    for (int k = 0; k < n; k++) {
      double closed = PkModels.concentration(data.doses()[k], estimates[0], estimates[1], estimates[2],
          data.sampleTimes()[k]);
      difference = Math.max(difference, Math.abs(predicted[k] - closed));
    }
    return new Fit(logTheta, estimates, errors, startLoss, loss, optimum.iterations(), optimum.evaluations(),
        Math.sqrt(variance), difference);
  }

  static Fit run(ExampleContext context) {
    Data data = data();
    context.out().printf("theophylline in 12 subjects (Boeckmann, Sheiner and Beal 1994): one-compartment model with"
        + " first-order absorption through Ode.solve,%n  one population parameter set fitted by least squares to the"
        + " %d concentrations after time 0 (the 12 samples at time 0 precede absorption)%n", data.size());
    Fit fit = fit(data);
    context.out().printf("  sum of squares %.2f at the first guess, %.2f after %d iterations (%d evaluations of the"
        + " solve and its generated gradient)%n", fit.startLoss(), fit.loss(), fit.iterations(), fit.evaluations());
    context.out().printf("  residual sd %.3f mg/L; standard errors from the Gauss–Newton information JᵀJ/σ²,"
        + " J the generated Jacobian%n  of the predictions (PkModelsGrad.predictionsJacobian: Hessians do not go through"
        + " Ode.solve)%n", fit.residualSd());
    context.out().printf("  %-9s %8s %8s %9s   literature%n", "parameter", "start", "fitted", "std err");
    String[] literature = {"~1.5", "~0.08", "~0.5"};
    for (int i = 0; i < NAMES.length; i++) {
      context.out().printf("  %-9s %8.4f %8.4f %9.4f   %s%n", NAMES[i], START[i], fit.estimates()[i],
          fit.standardErrors()[i], literature[i]);
    }
    context.out().printf("  half-life %.2f h, clearance %.4f L/h/kg%n", Math.log(2) / fit.estimates()[1],
        fit.estimates()[1] * fit.estimates()[2]);
    context.out().printf("  Ode.solve against the closed form D·ka/(V(ka−ke))·(e^(−ke t) − e^(−ka t))"
        + " at the fit: largest difference %.1e mg/L%n", fit.closedFormDifference());
    plot(context, data, fit);
    return fit;
  }

  /** Every subject's observations (dose-normalised) with the fitted population curve. */
  private static void plot(ExampleContext context, Data data, Fit fit) {
    double[] grid = IntStream.rangeClosed(0, 200).mapToDouble(i -> 25.0 * i / 200).toArray();
    double[] unit = Arrays.stream(grid)
        .map(t -> PkModels.concentration(1, fit.estimates()[0], fit.estimates()[1], fit.estimates()[2], t)).toArray();
    XYChart normalised = Plots.chart("Theophylline: concentration per mg/kg of dose", "time (h)",
        "concentration / dose (kg/L)");
    double[] x = new double[data.size()];
    double[] y = new double[data.size()];
    for (int k = 0; k < data.size(); k++) {
      x[k] = data.sampleTimes()[k];
      y[k] = data.observed()[k] / data.doses()[k];
    }
    Plots.points(normalised, "observed (12 subjects)", x, y);
    Plots.line(normalised, "fitted population curve", grid, unit);
    XYChart bySubject = Plots.chart("Three subjects: observed and fitted", "time (h)", "concentration (mg/L)");
    int[] shown = {1, 5, 9};
    Color[] colours = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    for (int j = 0; j < shown.length; j++) {
      int s = shown[j];
      int[] rows = IntStream.range(0, data.size()).filter(k -> data.subjects()[k] == s).toArray();
      double dose = data.doses()[rows[0]];
      Plots.points(bySubject, "subject " + s, Arrays.stream(rows).mapToDouble(k -> data.sampleTimes()[k])
          .toArray(), Arrays.stream(rows).mapToDouble(k -> data.observed()[k]).toArray()).setMarkerColor(colours[j]);
      Plots.line(bySubject, "fit " + s, grid, Arrays.stream(unit).map(c -> dose * c).toArray())
          .setLineColor(colours[j]);
    }
    Plots.write(context, "theophylline", List.of(normalised, bySubject));
  }
}
