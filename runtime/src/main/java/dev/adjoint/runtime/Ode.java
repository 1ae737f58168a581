package dev.adjoint.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.ode.ContinuousOutputModel;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.apache.commons.math3.ode.sampling.StepHandler;
import org.apache.commons.math3.ode.sampling.StepInterpolator;

/**
 * Initial value problems {@code y' = f(t, y, θ)}, {@code y(t₀) = y₀}, solved by Commons Math's
 * adaptive Dormand–Prince 8(5,3) integrator with its dense output at the requested times, and
 * differentiable in the initial state, the initial time, the output times and the parameters
 * through the rules of {@code dev.adjoint.runtime.rules.OdeRules} (and {@code OdeOptionsRules}).
 *
 * <p>Derivatives come from the differential equations, never from the integrator's steps: the
 * tangent solves the directional sensitivity {@code s' = J_y·s + J_θ·θ̇} beside {@code y}; the
 * pullback either carries the whole sensitivity matrix {@code S = ∂y/∂(y₀, θ)} forward ({@link
 * Sensitivity#FORWARD}) or solves the adjoint equations {@code λ' = -J_yᵀλ}, {@code μ' = -J_θᵀλ}
 * backward, with λ jumping by the seed row at each output time ({@link Sensitivity#ADJOINT}); y
 * comes from checkpoints of the forward solve every 20 steps, each segment solved again with
 * dense output when the backward pass reaches it (one extra forward solve; memory for the
 * checkpoints and one segment's dense output). Both integrate under the same tolerances as the
 * solution, so derivatives are as accurate as the values.
 *
 * <p>Errors: times that do not increase or do not exceed the initial time, shapes that do not
 * fit (both named), a rate that is NaN or infinite (the time and the state named), and reaching
 * {@link Options#maxSteps()} (the time reached named) throw; nothing runs without a limit.
 */
public final class Ode {
  private Ode() {}

  /** The right-hand side {@code f(t, y, θ)}; it must not modify its arguments. */
  @FunctionalInterface
  public interface Rates {
    double[] rates(double t, double[] state, double[] parameters);
  }

  /** Rates with their derivatives, in the convention of functions as arguments of rule-bearing functions. */
  public interface DifferentiableRates extends Rates {
    /** Adds {@code seedᵀ·∂f/∂t} into {@code dt[0]}, {@code seedᵀ·∂f/∂y} into dstate, {@code seedᵀ·∂f/∂θ} into dparameters. */
    void pullback(double t, double[] state, double[] parameters, double[] seed, double[] dt, double[] dstate,
        double[] dparameters);

    /** {@code ∂f/∂t·tt + ∂f/∂y·tstate + ∂f/∂θ·tparameters}. */
    double[] tangent(double t, double[] state, double[] parameters, double tt, double[] tstate, double[] tparameters);
  }

  /** How a pullback gets its sensitivities; see {@link #pullback}. */
  public enum Sensitivity {
    /**
     * {@link #FORWARD} when {@code 10·(n - 1) ≤ T} (n states, T output times), else {@link
     * #ADJOINT}. Counted in calls of the rates' derivatives: the forward method makes n pullback
     * calls per evaluation (n·E in all, E evaluations, a few hundred for a smooth problem); the
     * adjoint about E plus some 30 per output time, where its backward solve restarts. Both grow
     * alike with the number m of parameters (the forward method carries n·m sensitivities, the
     * adjoint m integrals and pullbacks of length m), so m does not decide. Measured on a coupled
     * test system: n = 2 with 16 times: 586 forward against 707 adjoint calls; n = 4 with 24
     * times: 1304 against 798.
     */
    AUTOMATIC,
    /** The n×(n+m) sensitivity matrix beside the solution, its Jacobians from n pullback calls per evaluation. */
    FORWARD,
    /** One backward adjoint solve (with checkpointing) restarted at each output time: cost grows with T, not with m. */
    ADJOINT
  }

  /**
   * Integration settings (data: never differentiated).
   *
   * @param relativeTolerance the relative local error tolerance per step, positive
   * @param absoluteTolerance the absolute local error tolerance per step, positive
   * @param maxSteps accepted steps allowed per integration, positive
   * @param sensitivity how pullbacks get their sensitivities
   */
  public record Options(double relativeTolerance, double absoluteTolerance, int maxSteps, Sensitivity sensitivity) {
    /** Relative tolerance 1e-8, absolute 1e-10, 100,000 steps, {@link Sensitivity#AUTOMATIC}. */
    public static final Options DEFAULT = new Options(1e-8, 1e-10, 100_000, Sensitivity.AUTOMATIC);

    public Options {
      if (!(relativeTolerance > 0 && absoluteTolerance > 0) || Double.isInfinite(relativeTolerance + absoluteTolerance)) {
        throw new IllegalArgumentException("Ode.Options: tolerances must be positive and finite, not relative "
            + relativeTolerance + " and absolute " + absoluteTolerance);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("Ode.Options: maxSteps must be positive, not " + maxSteps);
      }
      if (sensitivity == null) {
        throw new IllegalArgumentException("Ode.Options: sensitivity is null");
      }
    }

    public Options withTolerances(double relative, double absolute) {
      return new Options(relative, absolute, maxSteps, sensitivity);
    }

    public Options withMaxSteps(int steps) {
      return new Options(relativeTolerance, absoluteTolerance, steps, sensitivity);
    }

    public Options withSensitivity(Sensitivity method) {
      return new Options(relativeTolerance, absoluteTolerance, maxSteps, method);
    }
  }

  /** The adjoints of {@link #solve}'s differentiable arguments for one seed. */
  public record Gradient(double[] initialState, double initialTime, double[] times, double[] parameters) {}

  /** {@link #solve(Rates, double[], double, double[], double[], Options)} with {@link Options#DEFAULT}. */
  public static double[][] solve(Rates rates, double[] initialState, double initialTime, double[] times,
      double[] parameters) {
    return solve(rates, initialState, initialTime, times, parameters, Options.DEFAULT);
  }

  /**
   * The solution at the output times.
   *
   * @param times increasing, all greater than {@code initialTime}
   * @return one row per output time: the state there
   */
  public static double[][] solve(Rates rates, double[] initialState, double initialTime, double[] times,
      double[] parameters, Options options) {
    checkArguments(initialState, initialTime, times, parameters);
    double[][] solution = new double[times.length][];
    new Integration(options, initialTime, times).run(new Solution(rates, initialState.length, parameters),
        initialState, (index, state) -> solution[index] = state.clone());
    return solution;
  }

  /**
   * The directional derivative of the solution: the tangent of each row when the initial state
   * moves along {@code initialTangent} and the parameters along {@code parameterTangent} (either
   * may be null for zero), by the sensitivity {@code s' = J_y·s + J_θ·θ̇}, {@code s(t₀) =
   * initialTangent}, solved beside y (one {@code tangent} call per rate evaluation). A moved
   * initial time {@code ṫ₀} is the initial tangent {@code -f(t₀, y₀)·ṫ₀}.
   */
  public static double[][] tangent(DifferentiableRates rates, double[] initialState, double initialTime, double[] times,
      double[] parameters, Options options, double[] initialTangent, double[] parameterTangent) {
    checkArguments(initialState, initialTime, times, parameters);
    int n = initialState.length;
    checkLength("initial tangent", initialTangent, n);
    checkLength("parameter tangent", parameterTangent, parameters.length);
    double[] augmented = new double[2 * n];
    System.arraycopy(initialState, 0, augmented, 0, n);
    if (initialTangent != null) {
      System.arraycopy(initialTangent, 0, augmented, n, n);
    }
    double[][] tangents = new double[times.length][];
    DirectionalSensitivity equations = new DirectionalSensitivity(rates, n, parameters,
        parameterTangent == null ? new double[parameters.length] : parameterTangent);
    new Integration(options, initialTime, times).run(equations, augmented,
        (index, state) -> tangents[index] = Arrays.copyOfRange(state, n, 2 * n));
    return tangents;
  }

  /**
   * The pullback of the solution: the adjoints of the initial state, the initial time, the output
   * times and the parameters for the seed (one row per output time, shaped like the solution).
   * {@code times̄ᵢ = seedᵢ·f(tᵢ, yᵢ)} and {@code t̄₀ = -ȳ₀·f(t₀, y₀)}; ȳ₀ and θ̄ by the method
   * {@link Options#sensitivity()} names.
   */
  public static Gradient pullback(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, Options options, double[][] seed) {
    checkArguments(initialState, initialTime, times, parameters);
    int n = initialState.length;
    if (seed.length != times.length || Arrays.stream(seed).anyMatch(row -> row.length != n)) {
      throw new IllegalArgumentException("Ode.pullback: the seed is " + shape(seed) + " but the solution is "
          + times.length + "x" + n);
    }
    Sensitivity method = options.sensitivity();
    if (method == Sensitivity.AUTOMATIC) {
      method = 10 * (n - 1) <= times.length ? Sensitivity.FORWARD : Sensitivity.ADJOINT;
    }
    double[][] states = new double[times.length][];
    double[] dInitialState = new double[n];
    double[] dParameters = new double[parameters.length];
    if (method == Sensitivity.FORWARD) {
      forwardSensitivities(rates, initialState, initialTime, times, parameters, options, seed, states, dInitialState,
          dParameters);
    } else {
      adjointSensitivities(rates, initialState, initialTime, times, parameters, options, seed, states, dInitialState,
          dParameters);
    }
    double[] dTimes = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      dTimes[i] = isZero(seed[i]) ? 0 : dot(seed[i], checkedRates(rates, times[i], states[i], parameters));
    }
    double dInitialTime = -dot(dInitialState, checkedRates(rates, initialTime, initialState, parameters));
    return new Gradient(dInitialState, dInitialTime, dTimes, dParameters);
  }

  // ---------------------------------------------------------------------------------------------
  // Sensitivities

  /** Carries S = [∂y/∂y₀ | ∂y/∂θ] beside y and sums Sᵀ·seedᵢ at the output times. */
  private static void forwardSensitivities(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, Options options, double[][] seed, double[][] states,
      double[] dInitialState, double[] dParameters) {
    int n = initialState.length;
    int columns = n + parameters.length;
    double[] augmented = new double[n * (1 + columns)];
    System.arraycopy(initialState, 0, augmented, 0, n);
    for (int j = 0; j < n; j++) {
      augmented[n + j * n + j] = 1;
    }
    new Integration(options, initialTime, times).run(new MatrixSensitivity(rates, n, parameters),
        augmented, (index, state) -> {
          states[index] = Arrays.copyOf(state, n);
          for (int j = 0; j < columns; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
              sum += seed[index][i] * state[n + j * n + i];
            }
            if (j < n) {
              dInitialState[j] += sum;
            } else {
              dParameters[j - n] += sum;
            }
          }
        });
  }

  /**
   * Solves forward to the last nonzero seed row keeping a checkpoint every {@link
   * Checkpoints#EVERY} steps, then λ and μ backward segment by segment: each segment is solved
   * again from its checkpoint with dense output, and the adjoint integrated back over it, jumping
   * by the seed rows at the output times inside.
   */
  private static void adjointSensitivities(DifferentiableRates rates, double[] initialState, double initialTime,
      double[] times, double[] parameters, Options options, double[][] seed, double[][] states,
      double[] dInitialState, double[] dParameters) {
    int n = initialState.length;
    int m = parameters.length;
    int last = times.length - 1;
    while (last >= 0 && isZero(seed[last])) {
      last--;
    }
    if (last < 0) {
      return;
    }
    Solution solution = new Solution(rates, n, parameters);
    Checkpoints checkpoints = new Checkpoints(initialTime, initialState);
    Integration forward = new Integration(options, initialTime, Arrays.copyOf(times, last + 1));
    forward.extraHandler = checkpoints;
    forward.run(solution, initialState, (index, state) -> states[index] = state.clone());
    double[] adjoint = new double[n + m];
    AdjointEquations equations = new AdjointEquations(rates, n, parameters);
    double current = times[last];
    int jump = last;
    for (int c = checkpoints.times.size() - 1; c >= 0; c--) {
      double segmentStart = checkpoints.times.get(c);
      ContinuousOutputModel denseOutput = new ContinuousOutputModel();
      Integration again = new Integration(options, segmentStart, new double[] {current});
      again.extraHandler = denseOutput;
      boolean moved = again.run(solution, checkpoints.states.get(c), (index, state) -> { });
      equations.follow(moved ? denseOutput : null, checkpoints.states.get(c));
      for (; jump >= 0 && times[jump] > segmentStart; jump--) {
        current = adjointBack(equations, options, adjoint, current, times[jump]);
        for (int k = 0; k < n; k++) {
          adjoint[k] += seed[jump][k];
        }
      }
      current = adjointBack(equations, options, adjoint, current, segmentStart);
    }
    System.arraycopy(adjoint, 0, dInitialState, 0, n);
    System.arraycopy(adjoint, n, dParameters, 0, m);
  }

  /** Integrates [λ; μ] (in place) from time {@code from} back to {@code to}; returns {@code to}. */
  private static double adjointBack(AdjointEquations equations, Options options, double[] adjoint, double from,
      double to) {
    if (from != to) {
      new Integration(options, from, new double[] {to}).run(equations, adjoint,
          (index, state) -> System.arraycopy(state, 0, adjoint, 0, adjoint.length));
    }
    return to;
  }

  /** The state at the start and after every {@link #EVERY} accepted steps of the forward solve. */
  private static final class Checkpoints implements StepHandler {
    /** Steps between checkpoints: memory for n·(steps/20) numbers plus 20 steps' dense output. */
    static final int EVERY = 20;
    final List<Double> times = new ArrayList<>();
    final List<double[]> states = new ArrayList<>();
    private int steps;

    Checkpoints(double initialTime, double[] initialState) {
      times.add(initialTime);
      states.add(initialState.clone());
    }

    @Override
    public void init(double t0, double[] y0, double t) {}

    @Override
    public void handleStep(StepInterpolator interpolator, boolean isLast) {
      if (++steps % EVERY == 0 && !isLast) {
        double t = interpolator.getCurrentTime();
        interpolator.setInterpolatedTime(t);
        times.add(t);
        states.add(interpolator.getInterpolatedState().clone());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Right-hand sides (each reuses its arrays: no allocation per evaluation beyond the user's)

  /** A right-hand side whose evaluations the integration checks and whose time it reports. */
  private abstract static class Equations implements FirstOrderDifferentialEquations {
    final Rates rates;
    final int n;
    final double[] parameters;

    Equations(Rates rates, int n, double[] parameters) {
      this.rates = rates;
      this.n = n;
      this.parameters = parameters;
    }

    /** f(t, y) checked for shape and finiteness. */
    final double[] ratesAt(double t, double[] state) {
      return checkedRates(rates, t, state, parameters);
    }
  }

  /** y' = f. */
  private static final class Solution extends Equations {
    Solution(Rates rates, int n, double[] parameters) {
      super(rates, n, parameters);
    }

    @Override
    public int getDimension() {
      return n;
    }

    @Override
    public void computeDerivatives(double t, double[] y, double[] yDot) {
      System.arraycopy(ratesAt(t, y), 0, yDot, 0, n);
    }
  }

  /** [y; s]' = [f; J_y·s + J_θ·θ̇]. */
  private static final class DirectionalSensitivity extends Equations {
    private final double[] state;
    private final double[] direction;
    private final double[] parameterTangent;

    DirectionalSensitivity(DifferentiableRates rates, int n, double[] parameters,
        double[] parameterTangent) {
      super(rates, n, parameters);
      this.state = new double[n];
      this.direction = new double[n];
      this.parameterTangent = parameterTangent;
    }

    @Override
    public int getDimension() {
      return 2 * n;
    }

    @Override
    public void computeDerivatives(double t, double[] y, double[] yDot) {
      System.arraycopy(y, 0, state, 0, n);
      System.arraycopy(y, n, direction, 0, n);
      System.arraycopy(ratesAt(t, state), 0, yDot, 0, n);
      double[] derivative = ((DifferentiableRates) rates).tangent(t, state, parameters, 0, direction, parameterTangent);
      checkRates("tangent", t, state, derivative, n);
      System.arraycopy(derivative, 0, yDot, n, n);
    }
  }

  /** [y; S]' = [f; J_y·S + [0 | J_θ]], the Jacobians from n pullback rows (fewer calls than n + m tangent columns). */
  private static final class MatrixSensitivity extends Equations {
    private final int m;
    private final double[] state;
    private final double[] unit;
    private final double[] dt = new double[1];
    private final double[][] jacobianState;
    private final double[][] jacobianParameters;

    MatrixSensitivity(DifferentiableRates rates, int n, double[] parameters) {
      super(rates, n, parameters);
      this.m = parameters.length;
      this.state = new double[n];
      this.unit = new double[n];
      this.jacobianState = new double[n][n];
      this.jacobianParameters = new double[n][m];
    }

    @Override
    public int getDimension() {
      return n * (1 + n + m);
    }

    @Override
    public void computeDerivatives(double t, double[] y, double[] yDot) {
      System.arraycopy(y, 0, state, 0, n);
      System.arraycopy(ratesAt(t, state), 0, yDot, 0, n);
      for (int row = 0; row < n; row++) {
        unit[row] = 1;
        Arrays.fill(jacobianState[row], 0);
        Arrays.fill(jacobianParameters[row], 0);
        ((DifferentiableRates) rates).pullback(t, state, parameters, unit, dt, jacobianState[row],
            jacobianParameters[row]);
        unit[row] = 0;
      }
      for (int column = 0; column < n + m; column++) {
        int offset = n + column * n;
        for (int row = 0; row < n; row++) {
          double sum = column < n ? 0 : jacobianParameters[row][column - n];
          for (int k = 0; k < n; k++) {
            sum += jacobianState[row][k] * y[offset + k];
          }
          yDot[offset + row] = sum;
        }
      }
    }
  }

  /** [λ; μ]' = -[J_yᵀλ; J_θᵀλ] at y(t) from the dense output: one pullback call per evaluation. */
  private static final class AdjointEquations implements FirstOrderDifferentialEquations {
    private final DifferentiableRates rates;
    /** The current segment's dense output, or null with a constant state on a segment too short to move it. */
    private ContinuousOutputModel denseOutput;
    private double[] fixedState;
    private final int n;
    private final double[] parameters;
    private final double[] lambda;
    private final double[] dt = new double[1];
    private final double[] dstate;
    private final double[] dparameters;

    AdjointEquations(DifferentiableRates rates, int n, double[] parameters) {
      this.rates = rates;
      this.n = n;
      this.parameters = parameters;
      this.lambda = new double[n];
      this.dstate = new double[n];
      this.dparameters = new double[parameters.length];
    }

    void follow(ContinuousOutputModel segment, double[] segmentStart) {
      denseOutput = segment;
      fixedState = segmentStart;
    }

    @Override
    public int getDimension() {
      return n + parameters.length;
    }

    @Override
    public void computeDerivatives(double t, double[] y, double[] yDot) {
      double[] state;
      if (denseOutput != null) {
        denseOutput.setInterpolatedTime(t);
        state = denseOutput.getInterpolatedState();
      } else {
        state = fixedState;
      }
      System.arraycopy(y, 0, lambda, 0, n);
      Arrays.fill(dstate, 0);
      Arrays.fill(dparameters, 0);
      rates.pullback(t, state, parameters, lambda, dt, dstate, dparameters);
      for (int k = 0; k < n; k++) {
        yDot[k] = -dstate[k];
      }
      for (int k = 0; k < parameters.length; k++) {
        yDot[n + k] = -dparameters[k];
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Integration

  /** Receives the state at output time {@code index}; the array is the integrator's, to be copied. */
  private interface Output {
    void at(int index, double[] state);
  }

  /** One integration from a start time through increasing (or decreasing) output times. */
  private static final class Integration implements StepHandler {
    private final Options options;
    private final double start;
    private final double[] times;
    /** Another handler of each step (dense output, checkpoints), or null. */
    private StepHandler extraHandler;
    private Output output;
    private int next;
    private int steps;
    private double reached;

    Integration(Options options, double start, double[] times) {
      this.options = options;
      this.start = start;
      this.times = times;
    }

    /** Whether it integrated: false when the interval is empty or too short to move the state. */
    boolean run(FirstOrderDifferentialEquations equations, double[] initial, Output sink) {
      if (times.length == 0) {
        return false;
      }
      output = sink;
      reached = start;
      double end = times[times.length - 1];
      if (Math.abs(end - start) <= 1e-12 * Math.max(Math.abs(start), Math.abs(end))) {
        // Shorter than Commons Math integrates: the state does not move.
        for (int i = 0; i < times.length; i++) {
          sink.at(i, initial.clone());
        }
        return false;
      }
      DormandPrince853Integrator integrator = new DormandPrince853Integrator(0, Math.abs(end - start),
          options.absoluteTolerance(), options.relativeTolerance());
      // Rejected steps cost evaluations too: bounded, so that a step size shrinking to nothing ends.
      integrator.setMaxEvaluations((int) Math.min(Integer.MAX_VALUE, 40L * options.maxSteps() + 100));
      integrator.addStepHandler(this);
      if (extraHandler != null) {
        integrator.addStepHandler(extraHandler);
      }
      try {
        integrator.integrate(equations, start, initial.clone(), end, new double[initial.length]);
      } catch (MaxCountExceededException e) {
        throw stepLimit("rate-evaluation limit " + integrator.getMaxEvaluations() + " (40 per allowed step)", end);
      }
      return true;
    }

    @Override
    public void init(double t0, double[] y0, double t) {
      next = 0;
      steps = 0;
    }

    @Override
    public void handleStep(StepInterpolator interpolator, boolean isLast) {
      double current = interpolator.getCurrentTime();
      boolean forward = interpolator.isForward();
      while (next < times.length && (isLast || (forward ? times[next] <= current : times[next] >= current))) {
        interpolator.setInterpolatedTime(times[next]);
        output.at(next, interpolator.getInterpolatedState());
        next++;
      }
      reached = current;
      if (++steps >= options.maxSteps() && !isLast) {
        throw stepLimit("step limit " + options.maxSteps() + " (Options.maxSteps)", times[times.length - 1]);
      }
    }

    private IllegalStateException stepLimit(String limit, double end) {
      return new IllegalStateException("Ode.solve: " + limit + " reached at t = " + reached + " on the way from "
          + start + " to " + end + "; the problem may be stiff or blow up, or the tolerances too tight");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  private static void checkArguments(double[] initialState, double initialTime, double[] times, double[] parameters) {
    if (initialState.length == 0) {
      throw new IllegalArgumentException("Ode.solve: the initial state is empty");
    }
    if (!Double.isFinite(initialTime)) {
      throw new IllegalArgumentException("Ode.solve: the initial time is " + initialTime);
    }
    for (int i = 0; i < times.length; i++) {
      double previous = i == 0 ? initialTime : times[i - 1];
      if (!(times[i] > previous) || Double.isInfinite(times[i])) {
        throw new IllegalArgumentException("Ode.solve: times must increase from the initial time " + initialTime
            + " and be finite, but times[" + i + "] = " + times[i] + " follows "
            + (i == 0 ? "the initial time" : "times[" + (i - 1) + "] = " + previous));
      }
    }
    if (parameters == null) {
      throw new IllegalArgumentException("Ode.solve: parameters are null (pass new double[0] for none)");
    }
  }

  private static void checkLength(String what, double[] array, int length) {
    if (array != null && array.length != length) {
      throw new IllegalArgumentException("Ode.tangent: the " + what + " has length " + array.length
          + " but its argument has length " + length);
    }
  }

  /** f(t, y) from the user's rates, checked for shape and finiteness. */
  private static double[] checkedRates(Rates rates, double t, double[] state, double[] parameters) {
    double[] value = rates.rates(t, state, parameters);
    checkRates("rates", t, state, value, state.length);
    return value;
  }

  private static void checkRates(String what, double t, double[] state, double[] value, int n) {
    if (value == null || value.length != n) {
      throw new IllegalArgumentException("Ode.solve: the " + what + " returned "
          + (value == null ? "null" : value.length + " values") + " for a state of " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(value[i])) {
        throw new ArithmeticException("Ode.solve: the " + what + " are " + value[i] + " (entry " + i + ") at t = "
            + t + " for the state " + Arrays.toString(state));
      }
    }
  }

  private static String shape(double[][] rows) {
    return rows.length + "x" + (rows.length == 0 ? 0 : rows[0].length);
  }

  private static boolean isZero(double[] row) {
    for (double entry : row) {
      if (entry != 0) {
        return false;
      }
    }
    return true;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
