package dev.adjoint.runtime.check;

import dev.adjoint.runtime.Matrix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Checks every generated derivative of a companion class: each gradient against finite
 * differences, and each forward mode ({@code also = TANGENT}) and Hessian ({@code also = HESSIAN})
 * that a function's description carries, one JUnit 5 dynamic test per function and mode:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> gradients() {
 *   return GradientChecks.of(ModelsGrad.functions()).dynamicTests();
 * }
 * }</pre>
 *
 * <p>The gradient's test is named by the function's signature, such as {@code neuron(double a,
 * double x)}, and checks the gradient at {@link #points(int) several} sampled points. A function
 * whose {@link DifferentiableFunction#hasTangent() description has a tangent} gets a second test,
 * {@code neuron(double a, double x) tangent}, and one with a {@link
 * DifferentiableFunction#hasHessian() Hessian} a third, {@code neuron(double a, double x)
 * Hessian}: see <a href="#modes">Forward mode and Hessians</a>. Separate tests rather than one that
 * checks every mode, so that the report shows which derivative is wrong (a wrong Hessian does not
 * hide a passing gradient, nor stop the tangent from being checked), and so that adding {@code
 * also = ...} to a method leaves its gradient test's name, and any filter on it, unchanged.
 *
 * <h2>Sampled arguments</h2>
 *
 * Arguments are drawn from a seeded {@link SplittableRandom}, so that a run is reproducible; each
 * function gets a stream of its own (derived from the seed and its signature), so adding a function
 * changes no other function's samples. The defaults:
 *
 * <table>
 *   <caption>Default samples</caption>
 *   <tr><th>parameter type</th><th>sample</th></tr>
 *   <tr><td>{@code double}</td><td>uniform in [-2, 2]</td></tr>
 *   <tr><td>{@code int}, {@code long}</td><td>uniform in {1, ..., 5}</td></tr>
 *   <tr><td>{@code boolean}</td><td>either</td></tr>
 *   <tr><td>{@code double[]}</td><td>length 4, entries uniform in [-1, 1]</td></tr>
 *   <tr><td>{@code double[][]}, {@link Matrix}</td><td>3x3, entries uniform in [-1, 1]</td></tr>
 *   <tr><td>{@code int[]}, {@code long[]}</td><td>length 4, entries in {0, 1, 2}</td></tr>
 *   <tr><td>{@code int[][]}</td><td>3x3, entries in {0, 1, 2}</td></tr>
 *   <tr><td>{@code boolean[]}</td><td>length 4</td></tr>
 *   <tr><td>a record, anything else</td><td>none: supply one (until then the test fails)</td></tr>
 * </table>
 *
 * <p>{@link #domain(String, String, double, double)} and {@link #positive(String, String)} restrict
 * a parameter of one function (for arrays and matrices: each entry), {@link #domain(String, double,
 * double)} that parameter in every function that has one. Double samples keep a finite-difference
 * stencil away from the ends of the domain, so that {@code log(x)} with {@code .domain("f", "x", 0,
 * 5)} never evaluates {@code log} of a negative number.
 *
 * <p>{@link #argument(String, String, Function)} supplies one argument (a record, an array of a
 * given length), {@link #arguments(String, Function)} the whole list, needed when shapes must
 * agree. Suppliers receive the seeded generator, so their samples are reproducible too:
 *
 * <pre>{@code
 * GradientChecks.of(ModelsGrad.functions())
 *     .positive("logLikelihood", "sigma")
 *     .argument("mlp", "params",
 *         random -> new Params(Matrix.randomNormal(4, 3, 1, random.nextLong()), 0.1))
 *     .arguments("regression", random -> new Object[] {
 *         Matrix.randomNormal(8, 3, 1, random.nextLong()), random.doubles(3, -1, 1).toArray()})
 *     .skip("piecewise", "kinks at every integer")
 *     .dynamicTests();
 * }</pre>
 *
 * <h2>The comparison</h2>
 *
 * When the differentiated arguments have at most {@link #fullGradientUpTo(int)} components (default
 * {@value #DEFAULT_FULL_GRADIENT_UP_TO}), every partial derivative is compared with a central
 * finite difference by {@link GradientChecker}: scalars, vectors and matrices ({@link Matrix}
 * partials through {@link Matrix#toArray()}) as named blocks, records component by component, with
 * names such as {@code params.w1}. Above that, as PyTorch's fast {@code gradcheck} does, the
 * gradient is checked along {@link #directions(int) random unit directions} {@code v}: {@code v·∇f}
 * against the finite-difference derivative of {@code t -> f(x + t v)} at 0. A failing direction is
 * then restricted to each differentiated block in turn, to name the wrong parameter.
 *
 * <p>Both compare with {@code |analytic - numerical| <= atol + rtol · |numerical|}, with PyTorch's
 * defaults atol = {@value GradientChecker#DEFAULT_ABSOLUTE_TOLERANCE} and rtol = {@value
 * GradientChecker#DEFAULT_RELATIVE_TOLERANCE}; see {@link #tolerances(double, double)} and {@link
 * #checker(GradientChecker)}.
 *
 * <p>A failure is an {@link AssertionFailedError} whose message starts with the test's name (the
 * function, and the mode: {@code tangent} or {@code Hessian}, none for the gradient) and names the
 * parameter and index (or the direction, or the Hessian entry), both derivatives and both errors,
 * the sampled arguments, and the seed.
 *
 * <h2 id="modes">Forward mode and Hessians</h2>
 *
 * Both are checked at the same sample points as the gradient (from the same seeded streams),
 * against the generated gradient, which the function's first test checks: when that test fails
 * too, fix the gradient first.
 *
 * <p><b>Tangent.</b> At each sample point one random tangent is drawn, shaped like the
 * differentiated arguments (a {@code Double} for a {@code double}, arrays and {@link Matrix}es of
 * the argument's shape, a record of the argument's type with the argument's data components), with
 * standard normal entries, and the generated forward mode along it is compared with the gradient
 * dotted with it: {@code |tangent - Σ ∂f/∂x_i · dx_i| <= atol + rtol · Σ |∂f/∂x_i · dx_i|}, the
 * sums over every differentiated component (records component by component, as above). Both sides
 * are analytic, so the defaults are tight: rtol = {@value #DEFAULT_TANGENT_RELATIVE_TOLERANCE} and
 * atol = {@value #DEFAULT_TANGENT_ABSOLUTE_TOLERANCE}; see {@link #tangentTolerances(double,
 * double)}. A failure restricts the same tangent to each differentiated input in turn, to name the
 * wrong one, and prints the tangents.
 *
 * <p><b>Hessian.</b> The generated Hessian is indexed by the differentiated components in the
 * order of the gradient check (parameters in order, arrays and matrices element by element, row by
 * row), as the generated {@code fHessian} flattens its parameters. Row {@code i} is compared with
 * central differences of the generated gradient's component {@code i}, every entry, as {@link
 * GradientAssertions#assertHessian} does but with the tolerances and stencil of the gradient check
 * ({@link #tolerances(double, double)}, {@link #checker(GradientChecker)}); this costs one gradient
 * evaluation per stencil point (5 by default) per component and sample point, whatever {@link
 * #fullGradientUpTo(int)} says. Then the matrix must equal its transpose to a relative 1e-9 (of
 * {@code max(1, |entries|)}): both triangles are analytic, so an asymmetry finite differences miss
 * is still an error. A wrong entry is named by position and components, such as {@code H[0][2]
 * (d2f / dx dy[1])}.
 *
 * <h2>Derivative rules</h2>
 *
 * Custom {@code @DerivativeRule} methods are covered automatically: a generated gradient calls the
 * rules of the functions it uses, and the finite differences call the functions themselves, so a
 * wrong rule makes the gradient of every {@code @Differentiable} method that uses it fail here, at
 * the arguments that reach the rule. Two limits: a rule that no {@code @Differentiable} method uses
 * is not exercised (check it on its own with {@link GradientAssertions}), and random samples do not
 * hit a rule's conventions at special points (such as {@code abs} at 0), which finite differences
 * cannot confirm anyway.
 *
 * <h2>The seed</h2>
 *
 * {@link #seed(long)} if set, otherwise the system property {@value #SEED_PROPERTY} (a number, or
 * {@code random} for a fresh seed each run, printed on failure), otherwise {@value #DEFAULT_SEED}.
 *
 * <p>Instances are immutable: every configuring method returns a modified copy. A configuring
 * method that names a function or parameter that none of the functions has throws {@link
 * IllegalArgumentException} at once, so that a typo does not silently leave a parameter
 * unrestricted.
 */
public final class GradientChecks {
  /** The seed used unless {@link #seed(long)} or {@value #SEED_PROPERTY} says otherwise. */
  public static final long DEFAULT_SEED = 42;

  /** The system property that sets the seed: a {@code long}, or {@code random}. */
  public static final String SEED_PROPERTY = "adjoint.gradcheck.seed";

  /** The default number of sample points per function. */
  public static final int DEFAULT_POINTS = 3;

  /** Up to this many differentiated components, every partial derivative is compared. */
  public static final int DEFAULT_FULL_GRADIENT_UP_TO = 200;

  /** The default number of random directions of the fast check. */
  public static final int DEFAULT_DIRECTIONS = 5;

  /**
   * The default relative tolerance of the tangent check, relative to {@code Σ |∂f/∂x_i · dx_i|}:
   * both sides are analytic, so only rounding may separate them.
   */
  public static final double DEFAULT_TANGENT_RELATIVE_TOLERANCE = 1e-9;

  /** The default absolute tolerance of the tangent check. */
  public static final double DEFAULT_TANGENT_ABSOLUTE_TOLERANCE = 1e-12;

  /** A parameter of one function, or with a null function of every function. */
  private record Target(String function, String parameter) {}

  /** What one dynamic test checks; each mode of a function is a test of its own. */
  private enum Mode {
    GRADIENT(""),
    TANGENT(" tangent"),
    HESSIAN(" Hessian");

    /** Appended to the function's signature to name the test. */
    private final String suffix;

    Mode(String suffix) {
      this.suffix = suffix;
    }
  }

  private final List<DifferentiableFunction> functions;
  private Long seed;
  private int points = DEFAULT_POINTS;
  private int fullGradientUpTo = DEFAULT_FULL_GRADIENT_UP_TO;
  private int directions = DEFAULT_DIRECTIONS;
  private GradientChecker checker = GradientChecker.withDefaults();
  private double tangentAbsoluteTolerance = DEFAULT_TANGENT_ABSOLUTE_TOLERANCE;
  private double tangentRelativeTolerance = DEFAULT_TANGENT_RELATIVE_TOLERANCE;
  private final Map<Target, Samples.Domain> domains;
  private final Map<Target, Function<? super RandomGenerator, ?>> argumentSuppliers;
  private final Map<String, Function<? super RandomGenerator, Object[]>> argumentListSuppliers;
  private final Map<String, String> skipped;

  private GradientChecks(List<DifferentiableFunction> functions) {
    this.functions = functions;
    this.domains = new LinkedHashMap<>();
    this.argumentSuppliers = new LinkedHashMap<>();
    this.argumentListSuppliers = new LinkedHashMap<>();
    this.skipped = new LinkedHashMap<>();
  }

  private GradientChecks(GradientChecks other) {
    this.functions = other.functions;
    this.seed = other.seed;
    this.points = other.points;
    this.fullGradientUpTo = other.fullGradientUpTo;
    this.directions = other.directions;
    this.checker = other.checker;
    this.tangentAbsoluteTolerance = other.tangentAbsoluteTolerance;
    this.tangentRelativeTolerance = other.tangentRelativeTolerance;
    this.domains = new LinkedHashMap<>(other.domains);
    this.argumentSuppliers = new LinkedHashMap<>(other.argumentSuppliers);
    this.argumentListSuppliers = new LinkedHashMap<>(other.argumentListSuppliers);
    this.skipped = new LinkedHashMap<>(other.skipped);
  }

  /**
   * Checks of the given functions, such as a companion class's {@code functions()}, with the
   * default settings.
   *
   * @param functions the functions, one dynamic test each
   * @return the checks
   */
  public static GradientChecks of(Collection<? extends DifferentiableFunction> functions) {
    Objects.requireNonNull(functions, "functions");
    List<DifferentiableFunction> copy = new ArrayList<>();
    for (DifferentiableFunction function : functions) {
      copy.add(Objects.requireNonNull(function, "a function is null"));
    }
    return new GradientChecks(List.copyOf(copy));
  }

  /**
   * Checks of the given functions, with the default settings.
   *
   * @param functions the functions, one dynamic test each
   * @return the checks
   */
  public static GradientChecks of(DifferentiableFunction... functions) {
    return of(List.of(functions));
  }

  /**
   * Sets the seed of every sample and direction, overriding {@value #SEED_PROPERTY} and the
   * default.
   *
   * @param seed any value; a failure message prints the seed in use
   * @return modified checks
   */
  public GradientChecks seed(long seed) {
    GradientChecks copy = new GradientChecks(this);
    copy.seed = seed;
    return copy;
  }

  /**
   * Sets the number of sample points per function; a function's test stops at the first failing
   * point.
   *
   * @param points at least 1 (default {@value #DEFAULT_POINTS})
   * @return modified checks
   * @throws IllegalArgumentException if {@code points < 1}
   */
  public GradientChecks points(int points) {
    if (points < 1) {
      throw new IllegalArgumentException("at least 1 sample point is needed, got " + points);
    }
    GradientChecks copy = new GradientChecks(this);
    copy.points = points;
    return copy;
  }

  /**
   * Sets up to how many differentiated components every partial derivative is compared; above, the
   * gradient is checked along random directions only.
   *
   * @param components not negative (default {@value #DEFAULT_FULL_GRADIENT_UP_TO}); 0 always takes
   *     the directional check, {@link Integer#MAX_VALUE} never
   * @return modified checks
   * @throws IllegalArgumentException if negative
   */
  public GradientChecks fullGradientUpTo(int components) {
    if (components < 0) {
      throw new IllegalArgumentException("the threshold must not be negative, got " + components);
    }
    GradientChecks copy = new GradientChecks(this);
    copy.fullGradientUpTo = components;
    return copy;
  }

  /**
   * Sets the number of random unit directions of the directional check, per sample point.
   *
   * @param directions at least 1 (default {@value #DEFAULT_DIRECTIONS})
   * @return modified checks
   * @throws IllegalArgumentException if {@code directions < 1}
   */
  public GradientChecks directions(int directions) {
    if (directions < 1) {
      throw new IllegalArgumentException("at least 1 direction is needed, got " + directions);
    }
    GradientChecks copy = new GradientChecks(this);
    copy.directions = directions;
    return copy;
  }

  /**
   * Sets the tolerances of both comparisons: a derivative passes when {@code |analytic - numerical|
   * <= absolute + relative · |numerical|}.
   *
   * @param absolute finite and not negative (default {@value
   *     GradientChecker#DEFAULT_ABSOLUTE_TOLERANCE})
   * @param relative finite and not negative (default {@value
   *     GradientChecker#DEFAULT_RELATIVE_TOLERANCE})
   * @return modified checks
   * @throws IllegalArgumentException if a tolerance is negative or not finite
   */
  public GradientChecks tolerances(double absolute, double relative) {
    GradientChecks copy = new GradientChecks(this);
    copy.checker = checker.withTolerances(absolute, relative);
    return copy;
  }

  /**
   * Sets the tolerances, finite-difference step and number of points at once, for both the full and
   * the directional comparison; replaces earlier {@link #tolerances(double, double)}.
   *
   * @param checker such as {@code GradientChecker.withDefaults().withStep(1e-3)}
   * @return modified checks
   */
  public GradientChecks checker(GradientChecker checker) {
    GradientChecks copy = new GradientChecks(this);
    copy.checker = Objects.requireNonNull(checker, "checker");
    return copy;
  }

  /**
   * Sets the tolerances of the tangent check: a forward-mode derivative passes when {@code |tangent
   * - gradient·tangents| <= absolute + relative · Σ |∂f/∂x_i · dx_i|}. Only worth loosening for a
   * function whose forward mode legitimately rounds differently, such as one with heavy
   * cancellation.
   *
   * @param absolute finite and not negative (default {@value #DEFAULT_TANGENT_ABSOLUTE_TOLERANCE})
   * @param relative finite and not negative (default {@value #DEFAULT_TANGENT_RELATIVE_TOLERANCE})
   * @return modified checks
   * @throws IllegalArgumentException if a tolerance is negative or not finite
   */
  public GradientChecks tangentTolerances(double absolute, double relative) {
    for (double tolerance : new double[] {absolute, relative}) {
      if (!(tolerance >= 0 && Double.isFinite(tolerance))) {
        throw new IllegalArgumentException(
            "a tangent tolerance must be finite and not negative, got " + tolerance);
      }
    }
    GradientChecks copy = new GradientChecks(this);
    copy.tangentAbsoluteTolerance = absolute;
    copy.tangentRelativeTolerance = relative;
    return copy;
  }

  /**
   * Restricts the samples of one parameter of one function (of every overload with that name): a
   * {@code double} is uniform in {@code [lower, upper]} (kept a finite-difference stencil away from
   * the ends), an {@code int} or {@code long} uniform among the integers there, and each entry of
   * an array or matrix likewise.
   *
   * @param function the function's name
   * @param parameter the parameter's name
   * @param lower the lowest value, finite
   * @param upper the highest value, finite, at least {@code lower}
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name and parameter, the parameter's
   *     type has no numeric samples (a record: use {@link #argument(String, String, Function)}),
   *     the bounds are not finite or in order, or an integer parameter's domain has no integer
   */
  public GradientChecks domain(String function, String parameter, double lower, double upper) {
    return withDomain(
        new Target(requireFunction(function), parameter), Samples.domain(lower, upper));
  }

  /**
   * Restricts the samples of the parameter with this name in every function that has one, as {@link
   * #domain(String, String, double, double)} does for one function; a function's own domain takes
   * precedence.
   *
   * @param parameter the parameter's name
   * @param lower the lowest value, finite
   * @param upper the highest value, finite, at least {@code lower}
   * @return modified checks
   * @throws IllegalArgumentException if no function has such a parameter with numeric samples, or
   *     the bounds are wrong
   */
  public GradientChecks domain(String parameter, double lower, double upper) {
    return withDomain(new Target(null, parameter), Samples.domain(lower, upper));
  }

  /**
   * Samples one parameter of one function from positive values: a {@code double} (or each entry of
   * an array or matrix) uniform in [0.1, 2], an integer from 1 to 5.
   *
   * @param function the function's name
   * @param parameter the parameter's name
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name and parameter, or the parameter
   *     has no numeric samples
   */
  public GradientChecks positive(String function, String parameter) {
    return withDomain(new Target(requireFunction(function), parameter), Samples.POSITIVE);
  }

  /**
   * Samples the parameter with this name in every function that has one from positive values, as
   * {@link #positive(String, String)} does for one function.
   *
   * @param parameter the parameter's name
   * @return modified checks
   * @throws IllegalArgumentException if no function has such a parameter with numeric samples
   */
  public GradientChecks positive(String parameter) {
    return withDomain(new Target(null, parameter), Samples.POSITIVE);
  }

  /**
   * Supplies the sample of one argument of one function: needed for records and other types with no
   * default sample, and for arrays whose length matters. It is called once per sample point with
   * the seeded generator (a {@link SplittableRandom}); it takes precedence over domains.
   *
   * <pre>{@code
   * .argument("loss", "w", random -> random.doubles(10, -1, 1).toArray())
   * .argument("mlp", "params",
   *     random -> new Params(Matrix.randomNormal(4, 3, 1, random.nextLong()), 0.5))
   * }</pre>
   *
   * @param function the function's name
   * @param parameter the parameter's name
   * @param supplier returns a value of the parameter's type (for a {@code double}, any number)
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name and parameter
   */
  public GradientChecks argument(
      String function, String parameter, Function<? super RandomGenerator, ?> supplier) {
    Target target = new Target(requireFunction(function), parameter);
    requireParameter(target, false);
    GradientChecks copy = new GradientChecks(this);
    copy.argumentSuppliers.put(target, Objects.requireNonNull(supplier, "supplier"));
    return copy;
  }

  /**
   * Supplies the sample of the parameter with this name in every function that has one, as {@link
   * #argument(String, String, Function)} does for one function, which takes precedence.
   *
   * @param parameter the parameter's name
   * @param supplier returns a value of the parameter's type
   * @return modified checks
   * @throws IllegalArgumentException if no function has such a parameter
   */
  public GradientChecks argument(String parameter, Function<? super RandomGenerator, ?> supplier) {
    Target target = new Target(null, parameter);
    requireParameter(target, false);
    GradientChecks copy = new GradientChecks(this);
    copy.argumentSuppliers.put(target, Objects.requireNonNull(supplier, "supplier"));
    return copy;
  }

  /**
   * Supplies the whole argument list of one function, for arguments whose shapes must agree (a
   * design matrix and a weight vector); it takes precedence over every other setting of the
   * function's arguments.
   *
   * <pre>{@code
   * .arguments("predict", random -> new Object[] {
   *     Matrix.randomNormal(5, 2, 1, random.nextLong()), random.doubles(2, -1, 1).toArray()})
   * }</pre>
   *
   * @param function the function's name
   * @param supplier returns one argument per parameter, in order; {@code double}s boxed
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name
   */
  public GradientChecks arguments(
      String function, Function<? super RandomGenerator, Object[]> supplier) {
    String name = requireFunction(function);
    GradientChecks copy = new GradientChecks(this);
    copy.argumentListSuppliers.put(name, Objects.requireNonNull(supplier, "supplier"));
    return copy;
  }

  /**
   * Skips every function with this name: its dynamic tests (of every mode) are reported as aborted,
   * with the reason.
   *
   * @param function the function's name
   * @param reason why, shown in the test report
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name
   */
  public GradientChecks skip(String function, String reason) {
    String name = requireFunction(function);
    GradientChecks copy = new GradientChecks(this);
    copy.skipped.put(name, Objects.requireNonNull(reason, "reason"));
    return copy;
  }

  /**
   * Skips every function with this name, without a reason of its own.
   *
   * @param function the function's name
   * @return modified checks
   * @throws IllegalArgumentException if no function has that name
   */
  public GradientChecks skip(String function) {
    return skip(function, "skipped with .skip(\"" + function + "\")");
  }

  /**
   * One dynamic test per function, named by its signature, that fails with an {@link
   * AssertionFailedError} if its gradient is wrong at a sample point; after it, for a function with
   * a {@link DifferentiableFunction#hasTangent() tangent}, one named {@code signature + " tangent"},
   * and with a {@link DifferentiableFunction#hasHessian() Hessian} one named {@code signature + "
   * Hessian"}. Each is aborted if the function is {@link #skip skipped} or has nothing to
   * differentiate. The seed is fixed here.
   *
   * @return the tests, in the order of the functions, each function's as listed
   * @throws IllegalArgumentException if {@value #SEED_PROPERTY} is set to neither a number nor
   *     {@code random}
   */
  public Stream<DynamicTest> dynamicTests() {
    long effectiveSeed = effectiveSeed();
    List<DynamicTest> tests = new ArrayList<>();
    for (DifferentiableFunction function : functions) {
      String signature = signature(function);
      for (Mode mode : Mode.values()) {
        boolean present =
            switch (mode) {
              case GRADIENT -> true;
              case TANGENT -> function.hasTangent();
              case HESSIAN -> function.hasHessian();
            };
        if (present) {
          tests.add(
              DynamicTest.dynamicTest(
                  signature + mode.suffix,
                  () -> new Run(function, signature, mode, effectiveSeed).check()));
        }
      }
    }
    return tests.stream();
  }

  /** Shows the functions and the settings. */
  @Override
  public String toString() {
    return "GradientChecks"
        + functions.stream().map(GradientChecks::signature).toList()
        + " (points "
        + points
        + ", full gradient up to "
        + fullGradientUpTo
        + " components, "
        + directions
        + " directions above"
        + (seed == null ? "" : ", seed " + seed)
        + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  private GradientChecks withDomain(Target target, Samples.Domain domain) {
    List<FunctionParameter> matching = requireParameter(target, true);
    for (FunctionParameter parameter : matching) {
      if (Samples.isIntegral(parameter.type()) && !domain.positive()) {
        double lower = Math.ceil(domain.lower());
        double upper = Math.floor(domain.upper());
        if (lower > upper) {
          throw new IllegalArgumentException(
              "the domain "
                  + domain
                  + " of integer parameter '"
                  + parameter.name()
                  + "' contains no integer");
        }
      }
    }
    GradientChecks copy = new GradientChecks(this);
    copy.domains.put(target, domain);
    return copy;
  }

  private String requireFunction(String function) {
    Objects.requireNonNull(function, "function");
    if (functions.stream().noneMatch(candidate -> candidate.name().equals(function))) {
      throw new IllegalArgumentException(
          "no function named '"
              + function
              + "'; the functions are "
              + functions.stream().map(DifferentiableFunction::name).distinct().toList());
    }
    return function;
  }

  /**
   * The parameters the target names (in every function it applies to), at least one.
   *
   * @param restrictable whether a domain is being set, so that only numeric parameters count
   */
  private List<FunctionParameter> requireParameter(Target target, boolean restrictable) {
    Objects.requireNonNull(target.parameter, "parameter");
    List<FunctionParameter> matching = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>();
    for (DifferentiableFunction function : functions) {
      if (target.function != null && !function.name().equals(target.function)) {
        continue;
      }
      for (FunctionParameter parameter : function.parameters()) {
        known.add(parameter.name());
        if (parameter.name().equals(target.parameter)) {
          matching.add(parameter);
        }
      }
    }
    String where = target.function == null ? "any function" : "function '" + target.function + "'";
    if (matching.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + " has no parameter named '"
              + target.parameter
              + "'; the parameters are "
              + known);
    }
    if (restrictable) {
      List<FunctionParameter> numeric =
          matching.stream()
              .filter(parameter -> Samples.RESTRICTABLE.contains(parameter.type()))
              .toList();
      if (numeric.isEmpty()) {
        FunctionParameter first = matching.get(0);
        throw new IllegalArgumentException(
            "parameter '"
                + first.name()
                + "' of "
                + where
                + " is a "
                + first.type().getSimpleName()
                + ", which has no numeric samples to restrict; supply its samples with"
                + " .argument(...)");
      }
      return numeric;
    }
    return matching;
  }

  private long effectiveSeed() {
    if (seed != null) {
      return seed;
    }
    String property = System.getProperty(SEED_PROPERTY);
    if (property == null || property.isBlank()) {
      return DEFAULT_SEED;
    }
    if (property.strip().equalsIgnoreCase("random")) {
      return new SplittableRandom().nextLong();
    }
    try {
      return Long.parseLong(property.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the system property "
              + SEED_PROPERTY
              + " must be a long or 'random', got '"
              + property
              + "'",
          e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checking one function

  private static String signature(DifferentiableFunction function) {
    return function.name()
        + function.parameters().stream()
            .map(parameter -> parameter.type().getSimpleName() + " " + parameter.name())
            .collect(Collectors.joining(", ", "(", ")"));
  }

  /** The check of one function: its samples, its state for messages. */
  private final class Run {
    private final DifferentiableFunction function;
    private final String signature;
    private final Mode mode;
    // The test's name, which starts every message.
    private final String label;
    private final long seed;
    private final List<FunctionParameter> parameters;
    // The sample point under check, for messages.
    private int point;
    private Object[] arguments;
    // Arrays and matrices sampled with default shapes, for a hint when the function throws.
    private final List<String> defaultShaped = new ArrayList<>();
    private final Samples samples = new Samples(checker);

    Run(DifferentiableFunction function, String signature, Mode mode, long seed) {
      this.function = function;
      this.signature = signature;
      this.mode = mode;
      this.label = signature + mode.suffix;
      this.seed = seed;
      this.parameters = function.parameters();
    }

    void check() {
      String reason = skipped.get(function.name());
      if (reason != null) {
        throw new TestAbortedException(label + " skipped: " + reason);
      }
      // The same streams in every mode: the tangent and Hessian are checked at the gradient's points.
      SplittableRandom streams =
          new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * signature.hashCode()));
      int checked = 0;
      for (point = 0; point < points; point++) {
        SplittableRandom argumentRandom = streams.split();
        SplittableRandom directionRandom = streams.split();
        arguments = null;
        defaultShaped.clear();
        arguments = sample(argumentRandom);
        if (checkPoint(directionRandom)) {
          checked++;
        }
      }
      if (checked == 0) {
        throw new TestAbortedException(
            label
                + ": nothing to check, the sampled arguments have no differentiated component");
      }
    }

    // -------------------------------------------------------------------------------------------
    // Sampling

    private Object[] sample(RandomGenerator random) {
      Function<? super RandomGenerator, Object[]> whole =
          argumentListSuppliers.get(function.name());
      if (whole != null) {
        return sampleWhole(whole, random);
      }
      Object[] sampled = new Object[parameters.size()];
      List<FunctionParameter> missing = new ArrayList<>();
      for (int i = 0; i < sampled.length; i++) {
        FunctionParameter parameter = parameters.get(i);
        Function<? super RandomGenerator, ?> supplier = lookup(argumentSuppliers, parameter);
        if (supplier != null) {
          sampled[i] = fit(parameter, call(supplier, random, parameter.name()), "the supplier of");
        } else {
          sampled[i] = samples.sample(parameter.type(), lookup(domains, parameter), random);
          if (sampled[i] == null) {
            missing.add(parameter);
          } else if (sampled[i].getClass().isArray() || sampled[i] instanceof Matrix) {
            defaultShaped.add(parameter.name());
          }
        }
      }
      if (!missing.isEmpty()) {
        throw missingSamples(missing);
      }
      return sampled;
    }

    private Object[] sampleWhole(
        Function<? super RandomGenerator, Object[]> whole, RandomGenerator random) {
      Object[] sampled;
      try {
        sampled = whole.apply(random);
      } catch (RuntimeException e) {
        throw failure(
            "the supplier given to .arguments(\"" + function.name() + "\", ...) threw " + e, "", e);
      }
      if (sampled == null || sampled.length != parameters.size()) {
        throw failure(
            "the supplier given to .arguments(\""
                + function.name()
                + "\", ...) returned "
                + (sampled == null ? "null" : sampled.length + " arguments")
                + " but the function has "
                + parameters.size()
                + " parameters",
            "",
            null);
      }
      sampled = sampled.clone();
      for (int i = 0; i < sampled.length; i++) {
        sampled[i] = fit(parameters.get(i), sampled[i], "the .arguments(...) supplier at");
      }
      return sampled;
    }

    private <T> T lookup(Map<Target, T> settings, FunctionParameter parameter) {
      T own = settings.get(new Target(function.name(), parameter.name()));
      return own != null ? own : settings.get(new Target(null, parameter.name()));
    }

    private Object call(
        Function<? super RandomGenerator, ?> supplier, RandomGenerator random, String name) {
      try {
        return supplier.apply(random);
      } catch (RuntimeException e) {
        throw failure("the supplier of argument '" + name + "' threw " + e, "", e);
      }
    }

    /** The value if it suits the parameter (a number converted for a double), else a failure. */
    private Object fit(FunctionParameter parameter, Object value, String source) {
      Class<?> type = parameter.type();
      if ((type == double.class || type == Double.class) && value instanceof Number number) {
        return number.doubleValue();
      }
      if (value == null
          ? !type.isPrimitive() && !parameter.differentiated()
          : Samples.wrap(type).isInstance(value)) {
        return value;
      }
      throw failure(
          source
              + " parameter '"
              + parameter.name()
              + "' returned "
              + (value == null ? "null" : "a " + value.getClass().getSimpleName())
              + ", not a "
              + type.getSimpleName(),
          "",
          null);
    }

    private AssertionFailedError missingSamples(List<FunctionParameter> missing) {
      StringBuilder how = new StringBuilder();
      for (FunctionParameter parameter : missing) {
        how.append("\n  parameter '")
            .append(parameter.name())
            .append("' of type ")
            .append(parameter.type().getSimpleName())
            .append(parameter.type().isRecord() ? " (a record)" : "")
            .append(": supply it with\n      .argument(\"")
            .append(function.name())
            .append("\", \"")
            .append(parameter.name())
            .append("\", random -> ")
            .append(
                parameter.type().isPrimitive() || parameter.type().isArray()
                    ? "..."
                    : "new " + parameter.type().getSimpleName() + "(...)")
            .append(')');
      }
      how.append(
              "\n"
                  + "  or supply the whole argument list (when shapes must agree) with\n"
                  + "      .arguments(\"")
          .append(function.name())
          .append("\", random -> new Object[] {...})")
          .append(
              "\n"
                  + "  The checker samples double, int, long, boolean, their arrays, double[][],"
                  + " int[][]")
          .append(" and Matrix by itself; the supplier gets a seeded RandomGenerator.");
      String names =
          missing.stream().map(FunctionParameter::name).collect(Collectors.joining(", "));
      return failure("no sample for " + names + how, "", null);
    }

    // -------------------------------------------------------------------------------------------
    // One sample point

    /** Checks the run's mode at the sampled arguments; false if there was nothing to check. */
    private boolean checkPoint(RandomGenerator directionRandom) {
      ArgumentLayout layout;
      Inputs at;
      try {
        layout = ArgumentLayout.of(parameters, arguments);
        at = layout.point();
      } catch (ArgumentLayout.LayoutException e) {
        throw failure(e.getMessage(), "", e);
      }
      int components = at.coordinates().size();
      if (components == 0) {
        return false;
      }

      double value;
      try {
        value = function.value(layout.arguments(at.copy()));
      } catch (RuntimeException e) {
        throw failure("the function threw " + e + " at the sampled arguments", throwHint(), e);
      }
      if (!Double.isFinite(value)) {
        throw failure(
            "the function's value is " + value + " at the sampled arguments", domainHint(), null);
      }

      Object[] gradient;
      try {
        gradient = function.gradient(layout.arguments(at.copy()));
      } catch (RuntimeException e) {
        throw failure("the gradient threw " + e + " at the sampled arguments", throwHint(), e);
      }
      Inputs partials;
      try {
        partials = layout.partials(gradient);
        at.requireSameLayout(partials, "the partials");
      } catch (RuntimeException e) {
        throw failure("the gradient does not fit the arguments: " + e.getMessage(), "", e);
      }

      switch (mode) {
        case GRADIENT -> checkGradient(layout, at, partials, directionRandom);
        case TANGENT -> checkTangent(layout, at, partials, directionRandom);
        case HESSIAN -> checkHessian(layout, at, partials);
      }
      return true;
    }

    private void checkGradient(
        ArgumentLayout layout, Inputs at, Inputs partials, RandomGenerator directionRandom) {
      int components = at.coordinates().size();
      ToDoubleFunction<Inputs> values = in -> function.value(layout.arguments(in));
      try {
        if (components <= fullGradientUpTo) {
          checkEveryComponent(values, at, partials);
        } else {
          checkDirections(values, at, partials, directionRandom);
        }
      } catch (RuntimeException e) {
        throw failure(
            "the function threw " + e + " near the sampled arguments, during finite differences",
            "  keep the samples a finite-difference step away from where the function is undefined",
            e);
      }
    }

    private void checkEveryComponent(ToDoubleFunction<Inputs> values, Inputs at, Inputs partials) {
      GradientReport report = checker.check(values, at, partials);
      if (report.passed()) {
        return;
      }
      ComponentCheck worst = report.worst();
      StringBuilder index = new StringBuilder();
      for (int position : worst.index()) {
        index.append('[').append(position).append(']');
      }
      throw failure(
          "wrong partial derivative for parameter "
              + worst.parameter()
              + (index.length() == 0 ? "" : ", index " + index)
              + ": "
              + compared("analytic", worst.analytic(), "numerical", worst.numeric()),
          report.toString().indent(2).stripTrailing(),
          null);
    }

    private void checkDirections(
        ToDoubleFunction<Inputs> values, Inputs at, Inputs partials, RandomGenerator random) {
      List<Inputs.Coordinate> coordinates = at.coordinates();
      int n = coordinates.size();
      double[] x = new double[n];
      double[] gradient = new double[n];
      double scale = 1;
      for (int i = 0; i < n; i++) {
        x[i] = at.get(coordinates.get(i));
        gradient[i] = partials.get(coordinates.get(i));
        scale = Math.max(scale, Math.abs(x[i]));
      }
      Line line = new Line(values, at, coordinates, x, gradient, checker.step() * scale);
      for (int direction = 0; direction < directions; direction++) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = random.nextGaussian();
        }
        v = normalised(v);
        Comparison result = line.along(v);
        if (result.passed()) {
          continue;
        }
        throw failure(
            "wrong gradient along random direction "
                + (direction + 1)
                + " of "
                + directions
                + ": "
                + compared(
                    "analytic v.grad",
                    result.value(),
                    "numerical d/dt f(x + t v)",
                    result.reference()),
            blame(
                    "direction",
                    at,
                    v,
                    restricted -> line.along(normalised(restricted)),
                    "analytic",
                    "numerical")
                + "\n  direction v: "
                + ArgumentText.value(v)
                + "\n  "
                + n
                + " differentiated components > fullGradientUpTo "
                + fullGradientUpTo
                + ", so the gradient was checked along "
                + directions
                + " random unit directions v (fast mode); .fullGradientUpTo("
                + n
                + ") compares every component and names the wrong index"
                + "\n  Criterion: "
                + criterion(),
            null);
      }
    }


    /**
     * The comparison {@code along} makes of {@code v} restricted to each differentiated block in
     * turn (zero elsewhere), one line per block, to name the wrong parameter.
     */
    private String blame(
        String what,
        Inputs at,
        double[] v,
        Function<double[], Comparison> along,
        String valueName,
        String referenceName) {
      List<Inputs.Coordinate> coordinates = at.coordinates();
      StringBuilder blame =
          new StringBuilder("  the same " + what + " restricted to each differentiated input:");
      for (String block : at.names()) {
        double[] restricted = new double[v.length];
        for (int i = 0; i < v.length; i++) {
          restricted[i] = coordinates.get(i).name().equals(block) ? v[i] : 0;
        }
        if (norm(restricted) == 0) {
          continue;
        }
        Comparison part = along.apply(restricted);
        blame
            .append("\n    parameter ")
            .append(block)
            .append(part.passed() ? " passes: " : " FAILS: ")
            .append(compared(valueName, part.value(), referenceName, part.reference()));
      }
      return blame.toString();
    }

    // -------------------------------------------------------------------------------------------
    // Forward mode and Hessian

    /**
     * Compares the generated forward mode along random tangents {@code dx} (standard normal
     * entries, shaped like the differentiated arguments) with {@code Σ ∂f/∂x_i · dx_i} from the
     * generated gradient.
     */
    private void checkTangent(
        ArgumentLayout layout, Inputs at, Inputs partials, RandomGenerator random) {
      List<Inputs.Coordinate> coordinates = at.coordinates();
      int n = coordinates.size();
      double[] gradient = new double[n];
      double[] dx = new double[n];
      for (int i = 0; i < n; i++) {
        gradient[i] = partials.get(coordinates.get(i));
        dx[i] = random.nextGaussian();
      }
      Function<double[], Comparison> along =
          v -> {
            double expected = 0;
            double terms = 0;
            for (int i = 0; i < n; i++) {
              expected += gradient[i] * v[i];
              terms += Math.abs(gradient[i] * v[i]);
            }
            double derivative = tangentAlong(layout, at, v);
            return new Comparison(
                derivative,
                expected,
                tangentAbsoluteTolerance + tangentRelativeTolerance * terms);
          };
      Comparison result = along.apply(dx);
      if (result.passed()) {
        return;
      }
      List<FunctionParameter> differentiated =
          parameters.stream().filter(FunctionParameter::differentiated).toList();
      throw failure(
          "wrong tangent (forward mode): "
              + compared("tangent", result.value(), "gradient.dx", result.reference()),
          blame("tangents", at, dx, along, "tangent", "gradient.dx")
              + "\n  tangents dx, one per differentiated parameter:\n"
              + ArgumentText.describe(
                  differentiated, layout.differentiated(withValues(at, dx)), "    ")
              + "\n  Criterion: "
              + String.format(
                  Locale.ROOT,
                  "|tangent - gradient.dx| <= %.1e + %.1e * sum |partial_i * dx_i|",
                  tangentAbsoluteTolerance,
                  tangentRelativeTolerance)
              + "\n  the generated gradient is the reference: if the test "
              + signature
              + " fails too, fix the gradient first",
          null);
    }

    /** The generated forward mode at the sampled arguments along tangents {@code v}. */
    private double tangentAlong(ArgumentLayout layout, Inputs at, double[] v) {
      Object[] tangents = layout.differentiated(withValues(at, v));
      try {
        return function.tangent(layout.arguments(at.copy()), tangents);
      } catch (RuntimeException e) {
        throw failure("the tangent threw " + e + " at the sampled arguments", throwHint(), e);
      }
    }

    /**
     * Compares the generated Hessian with central differences of the generated gradient, row by row
     * as a Jacobian, then with its transpose.
     */
    private void checkHessian(ArgumentLayout layout, Inputs at, Inputs partials) {
      List<Inputs.Coordinate> coordinates = at.coordinates();
      int n = coordinates.size();
      double[][] hessian;
      try {
        hessian = function.hessian(layout.arguments(at.copy()));
      } catch (RuntimeException e) {
        throw failure("the Hessian threw " + e + " at the sampled arguments", throwHint(), e);
      }
      String shape = shapeProblem(hessian, n);
      if (shape != null) {
        throw failure(
            "the Hessian does not fit the arguments: it " + shape,
            "  " + components(coordinates),
            null);
      }
      Inputs[] rows = new Inputs[n];
      for (int i = 0; i < n; i++) {
        rows[i] = withValues(at, hessian[i]);
      }
      Function<Inputs, double[]> gradientAt =
          in -> {
            Inputs near = layout.partials(function.gradient(layout.arguments(in)));
            return coordinates.stream().mapToDouble(near::get).toArray();
          };
      GradientReport report;
      try {
        report = checker.checkJacobian(gradientAt, at, rows);
      } catch (RuntimeException e) {
        throw failure(
            "the gradient threw "
                + e
                + " near the sampled arguments, during finite differences of the gradient",
            "  keep the samples a finite-difference step away from where the function is undefined",
            e);
      }
      if (!report.passed()) {
        ComponentCheck worst = report.worst();
        int row = worst.output().orElseThrow();
        int column = coordinates.indexOf(worst.coordinate());
        throw failure(
            "wrong Hessian entry "
                + entry(coordinates, row, column)
                + ": "
                + compared("analytic", worst.analytic(), "numerical", worst.numeric()),
            report.toString().indent(2).stripTrailing()
                + "\n  output i is row i of the Hessian; "
                + components(coordinates)
                + "\n  the numerical Hessian is central differences of the generated gradient:"
                + " if the test "
                + signature
                + " fails too, fix the gradient first",
            null);
      }
      int[] asymmetric = GradientAssertions.asymmetricEntry(hessian);
      if (asymmetric != null) {
        int i = asymmetric[0];
        int j = asymmetric[1];
        throw failure(
            "the Hessian is not symmetric: "
                + entry(coordinates, i, j)
                + " = "
                + hessian[i][j]
                + " but "
                + entry(coordinates, j, i)
                + " = "
                + hessian[j][i],
            "  "
                + components(coordinates)
                + String.format(
                    Locale.ROOT,
                    "\n  Criterion: |H[i][j] - H[j][i]| <= %.0e * max(1, |H[i][j]|, |H[j][i]|)",
                    GradientAssertions.SYMMETRY_TOLERANCE),
            null);
      }
    }

    /** Why the Hessian is not n x n, or null if it is. */
    private static String shapeProblem(double[][] hessian, int n) {
      if (hessian == null) {
        return "is null";
      }
      if (hessian.length != n) {
        return "has " + hessian.length + " rows but the differentiated arguments have " + n
            + " components";
      }
      for (int i = 0; i < n; i++) {
        if (hessian[i] == null || hessian[i].length != n) {
          return "has "
              + (hessian[i] == null ? "a null row " + i : hessian[i].length + " entries in row " + i)
              + " but the differentiated arguments have "
              + n
              + " components";
        }
      }
      return null;
    }

    /** Such as {@code H[1][4] (d2f / dx[1] dy)}. */
    private static String entry(List<Inputs.Coordinate> coordinates, int row, int column) {
      return "H["
          + row
          + "]["
          + column
          + "] (d2f / d"
          + coordinates.get(row).label()
          + " d"
          + coordinates.get(column).label()
          + ")";
    }

    /** The components that index the Hessian's rows and columns, the first few named. */
    private static String components(List<Inputs.Coordinate> coordinates) {
      int shown = Math.min(coordinates.size(), 12);
      return "rows and columns are the "
          + coordinates.size()
          + " differentiated components in order: "
          + coordinates.subList(0, shown).stream()
              .map(Inputs.Coordinate::label)
              .collect(Collectors.joining(", "))
          + (shown < coordinates.size() ? ", ..." : "");
    }

    // -------------------------------------------------------------------------------------------
    // Messages

    private String compared(
        String analyticName, double analytic, String numericName, double numeric) {
      String values = analyticName + " " + analytic + ", " + numericName + " " + numeric;
      if (!Double.isFinite(numeric)) {
        return values + " (" + numericName + " is not finite)";
      }
      if (!Double.isFinite(analytic)) {
        return values + " (" + analyticName + " is not finite)";
      }
      double absolute = Math.abs(analytic - numeric);
      double relative = absolute == 0 ? 0 : absolute / Math.abs(numeric);
      return values
          + String.format(
              Locale.ROOT, ", absolute error %.3e, relative error %.3e", absolute, relative);
    }

    private String criterion() {
      return String.format(
          Locale.ROOT,
          "|analytic - numerical| <= %.1e + %.1e * |numerical| (%d-point differences, step %.1e)",
          checker.absoluteTolerance(),
          checker.relativeTolerance(),
          checker.points(),
          checker.step());
    }

    private String throwHint() {
      if (defaultShaped.isEmpty()) {
        return "  if the function is undefined somewhere, restrict the samples with .domain(\""
            + function.name()
            + "\", parameter, lower, upper)";
      }
      return "  "
          + String.join(", ", defaultShaped)
          + " got default shapes (double[] of length "
          + Samples.VECTOR_LENGTH
          + ", double[][] and Matrix "
          + Samples.MATRIX_SIZE
          + "x"
          + Samples.MATRIX_SIZE
          + "); if shapes must agree, supply the arguments with .arguments(\""
          + function.name()
          + "\", random -> new Object[] {...}) or .argument(\""
          + function.name()
          + "\", \""
          + defaultShaped.get(0)
          + "\", random -> ...)";
    }

    private String domainHint() {
      String parameter =
          parameters.stream()
              .filter(candidate -> Samples.RESTRICTABLE.contains(candidate.type()))
              .map(FunctionParameter::name)
              .findFirst()
              .orElse("x");
      return "  restrict the samples to where it is defined, such as .positive(\""
          + function.name()
          + "\", \""
          + parameter
          + "\") or .domain(\""
          + function.name()
          + "\", \""
          + parameter
          + "\", lower, upper)";
    }

    private AssertionFailedError failure(String headline, String details, Throwable cause) {
      StringBuilder message = new StringBuilder(label).append(": ").append(headline);
      if (!details.isEmpty()) {
        message.append('\n').append(details);
      }
      message
          .append("\n  sample point ")
          .append(point + 1)
          .append(" of ")
          .append(points)
          .append(", seed ")
          .append(seed)
          .append(" (reproduce with .seed(")
          .append(seed)
          .append(") or -D")
          .append(SEED_PROPERTY)
          .append('=')
          .append(seed)
          .append(')');
      if (arguments != null) {
        message
            .append("\n  arguments:\n")
            .append(ArgumentText.describe(parameters, arguments, "    "));
      }
      return new AssertionFailedError(message.toString(), cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The directional check

  /** A derivative under check against its reference, passing within {@code allowed}. */
  private record Comparison(double value, double reference, double allowed) {
    boolean passed() {
      return Double.isFinite(value)
          && Double.isFinite(reference)
          && Math.abs(value - reference) <= allowed;
    }
  }

  /** The function along lines through the point. */
  private final class Line {
    private final ToDoubleFunction<Inputs> values;
    private final Inputs at;
    private final List<Inputs.Coordinate> coordinates;
    private final double[] x;
    private final double[] gradient;
    private final double spacing;

    Line(
        ToDoubleFunction<Inputs> values,
        Inputs at,
        List<Inputs.Coordinate> coordinates,
        double[] x,
        double[] gradient,
        double spacing) {
      this.values = values;
      this.at = at;
      this.coordinates = coordinates;
      this.x = x;
      this.gradient = gradient;
      this.spacing = spacing;
    }

    /** {@code v·∇f} against the derivative of {@code t -> f(x + t v)} at 0; v is a unit vector. */
    Comparison along(double[] v) {
      double analytic = 0;
      for (int i = 0; i < v.length; i++) {
        analytic += v[i] * gradient[i];
      }
      UnivariateFunction restriction =
          t -> {
            Inputs probe = at.copy();
            for (int i = 0; i < v.length; i++) {
              if (v[i] != 0) {
                probe.set(coordinates.get(i), x[i] + t * v[i]);
              }
            }
            return values.applyAsDouble(probe);
          };
      double numeric =
          new FiniteDifferencesDifferentiator(checker.points(), spacing)
              .differentiate(restriction)
              .value(new DerivativeStructure(1, 1, 0, 0.0))
              .getPartialDerivative(1);
      return new Comparison(
          analytic,
          numeric,
          checker.absoluteTolerance() + checker.relativeTolerance() * Math.abs(numeric));
    }
  }

  /** A copy of {@code at} holding {@code values} in its coordinates' order. */
  private static Inputs withValues(Inputs at, double[] values) {
    Inputs copy = at.copy();
    List<Inputs.Coordinate> coordinates = copy.coordinates();
    for (int i = 0; i < values.length; i++) {
      copy.set(coordinates.get(i), values[i]);
    }
    return copy;
  }

  private static double norm(double[] v) {
    double sum = 0;
    for (double entry : v) {
      sum += entry * entry;
    }
    return Math.sqrt(sum);
  }

  private static double[] normalised(double[] v) {
    double norm = norm(v);
    double[] unit = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = v[i] / norm;
    }
    return unit;
  }
}
