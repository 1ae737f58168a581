package dev.adjoint.runtime.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.analysis.UnivariateVectorFunction;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;

/**
 * Compares an analytic gradient with a finite-difference estimate, component by component.
 *
 * <p>For each input component {@code x}, the function is restricted to the line through the point
 * along that component and differentiated by a Commons Math {@link
 * FiniteDifferencesDifferentiator}: a centred polynomial fit through {@link #withPoints points}
 * samples spaced {@code h = step · max(1, |x|)} apart. A component passes when both derivatives are
 * finite and {@code |analytic - numeric| <= atol + rtol · |numeric|}.
 *
 * <pre>{@code
 * GradientReport report = GradientChecker.withDefaults()
 *     .check(args -> Models.loss(args.scalar("b"), args.vector("w")),
 *            Inputs.of().scalar("b", 0.3).vector("w", 1, 2),
 *            Inputs.of().scalar("b", db).vector("w", dw));
 * report.assertPassed();
 * }</pre>
 *
 * <p>Instances are immutable; the {@code with...} methods return modified copies. The function is
 * evaluated {@code points} times per input component, always on a fresh copy of the inputs, and
 * must be smooth within {@code (points - 1) / 2 · h} of the point: keep the point that far from
 * kinks, jumps and domain boundaries.
 */
public final class GradientChecker {
  /** Default absolute tolerance, that of PyTorch's {@code gradcheck} for doubles. */
  public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-5;

  /** Default relative tolerance, that of PyTorch's {@code gradcheck} for doubles. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-3;

  /**
   * Default step, relative to {@code max(1, |x|)}: with 5 points it keeps both truncation and
   * rounding error far below the default tolerances for functions that vary on a scale of about
   * {@code max(1, |x|)}.
   */
  public static final double DEFAULT_STEP = 1e-4;

  /** Default number of samples per derivative: the fourth-order five-point stencil. */
  public static final int DEFAULT_POINTS = 5;

  // The block name the flat double[] overloads use, so that reports read "point[1]".
  private static final String FLAT_BLOCK = "point";

  private static final GradientChecker DEFAULTS =
      new GradientChecker(
          DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_RELATIVE_TOLERANCE, DEFAULT_STEP, DEFAULT_POINTS);

  private final double absoluteTolerance;
  private final double relativeTolerance;
  private final double step;
  private final int points;

  private GradientChecker(
      double absoluteTolerance, double relativeTolerance, double step, int points) {
    this.absoluteTolerance = absoluteTolerance;
    this.relativeTolerance = relativeTolerance;
    this.step = step;
    this.points = points;
  }

  /**
   * A checker with the default tolerances ({@value #DEFAULT_ABSOLUTE_TOLERANCE} absolute, {@value
   * #DEFAULT_RELATIVE_TOLERANCE} relative), step ({@value #DEFAULT_STEP}) and number of points
   * ({@value #DEFAULT_POINTS}).
   *
   * @return the default checker
   */
  public static GradientChecker withDefaults() {
    return DEFAULTS;
  }

  /**
   * Sets the tolerances: a component passes when {@code |analytic - numeric| <= absolute + relative
   * · |numeric|}.
   *
   * @param absolute the absolute tolerance, finite and not negative
   * @param relative the relative tolerance, finite and not negative
   * @return a checker with these tolerances and this checker's other settings
   * @throws IllegalArgumentException if a tolerance is negative or not finite
   */
  public GradientChecker withTolerances(double absolute, double relative) {
    requireNonNegative(absolute, "absolute tolerance");
    requireNonNegative(relative, "relative tolerance");
    return new GradientChecker(absolute, relative, step, points);
  }

  /**
   * Sets the finite-difference step: samples are {@code step · max(1, |x|)} apart around a
   * component {@code x}. Smaller steps cut truncation error and raise rounding error. Lower it when
   * the function varies much faster than {@code |x|} suggests (such as {@code sin(x)} near {@code x
   * = 1e4}), raise it when the function's value is large and its slope small.
   *
   * @param step the relative step, finite and positive
   * @return a checker with this step and this checker's other settings
   * @throws IllegalArgumentException if the step is not positive and finite
   */
  public GradientChecker withStep(double step) {
    if (!(step > 0 && Double.isFinite(step))) {
      throw new IllegalArgumentException("the step must be positive and finite, got " + step);
    }
    return new GradientChecker(absoluteTolerance, relativeTolerance, step, points);
  }

  /**
   * Sets the number of samples per derivative. More points fit a higher-degree polynomial and so
   * are more accurate on smooth functions; an odd number puts one sample on the point itself.
   *
   * @param points at least 2
   * @return a checker with this number of points and this checker's other settings
   * @throws IllegalArgumentException if {@code points < 2}
   */
  public GradientChecker withPoints(int points) {
    if (points < 2) {
      throw new IllegalArgumentException("at least 2 points are needed, got " + points);
    }
    return new GradientChecker(absoluteTolerance, relativeTolerance, step, points);
  }

  /** The absolute tolerance; for {@link GradientChecks}, which applies it along directions too. */
  double absoluteTolerance() {
    return absoluteTolerance;
  }

  /** The relative tolerance. */
  double relativeTolerance() {
    return relativeTolerance;
  }

  /** The relative finite-difference step. */
  double step() {
    return step;
  }

  /** The number of samples per derivative. */
  int points() {
    return points;
  }

  /**
   * Checks the gradient of a scalar function of named inputs.
   *
   * @param function the function, reading its arguments by name
   * @param at the point of the check
   * @param gradient the analytic partial derivatives, with the same blocks and shapes as {@code at}
   * @return the report; call {@link GradientReport#assertPassed()} to fail a test on it
   * @throws IllegalArgumentException if the layouts differ or {@code at} has no components
   */
  public GradientReport check(ToDoubleFunction<Inputs> function, Inputs at, Inputs gradient) {
    Objects.requireNonNull(function, "function");
    return compare(
        args -> new double[] {function.applyAsDouble(args)}, at, List.of(gradient), false);
  }

  /**
   * Checks the gradient of a scalar function of a flat array; the report calls the components
   * {@code point[i]}.
   *
   * @param function the function
   * @param point the point of the check
   * @param gradient the analytic partial derivatives, as long as {@code point}
   * @return the report
   * @throws IllegalArgumentException if the lengths differ or {@code point} is empty
   */
  public GradientReport check(
      ToDoubleFunction<double[]> function, double[] point, double[] gradient) {
    Objects.requireNonNull(function, "function");
    return check(
        args -> function.applyAsDouble(args.vector(FLAT_BLOCK)), flat(point), flat(gradient));
  }

  /**
   * Checks the Jacobian of a vector-valued function of named inputs, one output's gradient at a
   * time; the report names the output of each failing component.
   *
   * @param function the function, reading its arguments by name
   * @param at the point of the check
   * @param jacobianRows the analytic gradient of each output, in output order, each with the same
   *     blocks and shapes as {@code at}
   * @return the report
   * @throws IllegalArgumentException if the number of rows differs from the number of outputs, a
   *     layout differs, or {@code at} has no components
   */
  public GradientReport checkJacobian(
      Function<Inputs, double[]> function, Inputs at, Inputs... jacobianRows) {
    Objects.requireNonNull(function, "function");
    return compare(function, at, List.of(jacobianRows), true);
  }

  /**
   * Checks the Jacobian of a vector-valued function of a flat array.
   *
   * @param function the function
   * @param point the point of the check
   * @param jacobian {@code jacobian[i][j]} is the partial derivative of output {@code i} with
   *     respect to {@code point[j]}
   * @return the report
   * @throws IllegalArgumentException if the shapes disagree or {@code point} is empty
   */
  public GradientReport checkJacobian(
      Function<double[], double[]> function, double[] point, double[][] jacobian) {
    Objects.requireNonNull(function, "function");
    Inputs[] rows = Arrays.stream(jacobian).map(GradientChecker::flat).toArray(Inputs[]::new);
    return checkJacobian(args -> function.apply(args.vector(FLAT_BLOCK)), flat(point), rows);
  }

  private GradientReport compare(
      Function<Inputs, double[]> function, Inputs at, List<Inputs> analytic, boolean vectorValued) {
    Inputs base = at.copy();
    List<Inputs.Coordinate> coordinates = base.coordinates();
    if (coordinates.isEmpty()) {
      throw new IllegalArgumentException("the point has no components to check: " + at);
    }
    for (int output = 0; output < analytic.size(); output++) {
      base.requireSameLayout(analytic.get(output), analyticName(output, vectorValued));
    }
    int outputCount = evaluate(function, base.copy(), -1).length;
    if (outputCount != analytic.size()) {
      throw new IllegalArgumentException(
          "the function has "
              + outputCount
              + " outputs but "
              + analytic.size()
              + " gradients were given");
    }

    List<ComponentCheck> components = new ArrayList<>();
    for (Inputs.Coordinate coordinate : coordinates) {
      double[] numeric = differentiate(function, base, coordinate, outputCount);
      for (int output = 0; output < outputCount; output++) {
        double expected = analytic.get(output).get(coordinate);
        components.add(
            new ComponentCheck(
                coordinate,
                vectorValued ? output : -1,
                expected,
                numeric[output],
                absoluteTolerance + relativeTolerance * Math.abs(numeric[output])));
      }
    }
    return new GradientReport(components, describeSettings());
  }

  /** The derivative of every output along one coordinate, by finite differences. */
  private double[] differentiate(
      Function<Inputs, double[]> function,
      Inputs base,
      Inputs.Coordinate coordinate,
      int outputCount) {
    double x = base.get(coordinate);
    UnivariateVectorFunction alongCoordinate =
        t -> {
          Inputs probe = base.copy();
          probe.set(coordinate, t);
          return evaluate(function, probe, outputCount);
        };
    double spacing = step * Math.max(1, Math.abs(x));
    DerivativeStructure[] derivatives =
        new FiniteDifferencesDifferentiator(points, spacing)
            .differentiate(alongCoordinate)
            .value(new DerivativeStructure(1, 1, 0, x));
    return Arrays.stream(derivatives).mapToDouble(d -> d.getPartialDerivative(1)).toArray();
  }

  /** Calls the function, checking that it returns {@code expectedLength} values (if not -1). */
  private static double[] evaluate(
      Function<Inputs, double[]> function, Inputs args, int expectedLength) {
    double[] values = Objects.requireNonNull(function.apply(args), "the function returned null");
    if (expectedLength >= 0 && values.length != expectedLength) {
      throw new IllegalArgumentException(
          "the function returned "
              + values.length
              + " values near the point but "
              + expectedLength
              + " at the point");
    }
    return values;
  }

  private static String analyticName(int output, boolean vectorValued) {
    return vectorValued ? "the gradient of output " + output : "the gradient";
  }

  private String describeSettings() {
    return String.format(
        "|analytic - numeric| <= %.1e + %.1e * |numeric| (%d-point differences, step %.1e)",
        absoluteTolerance, relativeTolerance, points, step);
  }

  private static Inputs flat(double[] values) {
    return Inputs.of().vector(FLAT_BLOCK, values);
  }

  private static void requireNonNegative(double tolerance, String name) {
    if (!(tolerance >= 0 && Double.isFinite(tolerance))) {
      throw new IllegalArgumentException(
          "the " + name + " must be finite and not negative, got " + tolerance);
    }
  }
}
