package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.SpecialRulesTest.richardson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Ode;
import dev.adjoint.runtime.Ode.Options;
import dev.adjoint.runtime.Ode.Sensitivity;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Ode#solve} against closed forms (exponential decay, the harmonic oscillator, logistic
 * growth); its pullback by both sensitivity methods against the closed forms' derivatives, against
 * each other and against finite differences of {@code solve}; the tangent rules against the
 * pullback rules by {@code ⟨seed, J·t⟩ = ⟨Jᵀ·seed, t⟩}; one solve shared by the pullback rules of a
 * call; the errors. The rates' derivatives are written by hand, as the processor would generate.
 */
class OdeRulesTest {
  private static final Options TIGHT = Options.DEFAULT.withTolerances(1e-11, 1e-13);
  private static final double T0 = 0.2;
  private static final double[] TIMES = {0.5, 1.3, 2.5};

  /** Rates with hand-written derivatives and, where known, the closed-form solution and its Jacobian. */
  abstract static class Problem implements Ode.DifferentiableRates {
    int pullbacks;

    abstract double[] initialState();

    abstract double[] parameters();

    /** y(t) from y₀ at t₀; null without a closed form. */
    double[] exact(double t0, double[] y0, double[] p, double t) {
      return null;
    }

    /** Row k: ∂y_k(t)/∂(y₀, θ). */
    double[][] exactJacobian(double t0, double[] y0, double[] p, double t) {
      return null;
    }
  }

  /** y' = -k y. */
  static final class Decay extends Problem {
    @Override public double[] rates(double t, double[] y, double[] p) {
      return new double[] {-p[0] * y[0]};
    }

    @Override public void pullback(double t, double[] y, double[] p, double[] seed, double[] dt, double[] dy,
        double[] dp) {
      pullbacks++;
      dy[0] += -p[0] * seed[0];
      dp[0] += -y[0] * seed[0];
    }

    @Override public double[] tangent(double t, double[] y, double[] p, double tt, double[] ty, double[] tp) {
      return new double[] {-p[0] * ty[0] - tp[0] * y[0]};
    }

    @Override double[] initialState() {
      return new double[] {2.0};
    }

    @Override double[] parameters() {
      return new double[] {0.7};
    }

    @Override double[] exact(double t0, double[] y0, double[] p, double t) {
      return new double[] {y0[0] * Math.exp(-p[0] * (t - t0))};
    }

    @Override double[][] exactJacobian(double t0, double[] y0, double[] p, double t) {
      double e = Math.exp(-p[0] * (t - t0));
      return new double[][] {{e, -(t - t0) * y0[0] * e}};
    }
  }

  /** x' = v, v' = -ω² x. */
  static final class Oscillator extends Problem {
    @Override public double[] rates(double t, double[] y, double[] p) {
      return new double[] {y[1], -p[0] * p[0] * y[0]};
    }

    @Override public void pullback(double t, double[] y, double[] p, double[] seed, double[] dt, double[] dy,
        double[] dp) {
      pullbacks++;
      dy[0] += -p[0] * p[0] * seed[1];
      dy[1] += seed[0];
      dp[0] += -2 * p[0] * y[0] * seed[1];
    }

    @Override public double[] tangent(double t, double[] y, double[] p, double tt, double[] ty, double[] tp) {
      return new double[] {ty[1], -p[0] * p[0] * ty[0] - 2 * p[0] * tp[0] * y[0]};
    }

    @Override double[] initialState() {
      return new double[] {1.0, -0.5};
    }

    @Override double[] parameters() {
      return new double[] {1.7};
    }

    @Override double[] exact(double t0, double[] y0, double[] p, double t) {
      double w = p[0];
      double c = Math.cos(w * (t - t0));
      double s = Math.sin(w * (t - t0));
      return new double[] {y0[0] * c + y0[1] * s / w, -y0[0] * w * s + y0[1] * c};
    }

    @Override double[][] exactJacobian(double t0, double[] y0, double[] p, double t) {
      double w = p[0];
      double d = t - t0;
      double c = Math.cos(w * d);
      double s = Math.sin(w * d);
      return new double[][] {
        {c, s / w, -y0[0] * d * s + y0[1] * (d * c / w - s / (w * w))},
        {-w * s, c, -y0[0] * (s + w * d * c) - y0[1] * d * s}
      };
    }
  }

  /** y' = r y (1 - y/K). */
  static final class Logistic extends Problem {
    @Override public double[] rates(double t, double[] y, double[] p) {
      return new double[] {p[0] * y[0] * (1 - y[0] / p[1])};
    }

    @Override public void pullback(double t, double[] y, double[] p, double[] seed, double[] dt, double[] dy,
        double[] dp) {
      pullbacks++;
      double r = p[0];
      double k = p[1];
      dy[0] += r * (1 - 2 * y[0] / k) * seed[0];
      dp[0] += y[0] * (1 - y[0] / k) * seed[0];
      dp[1] += r * y[0] * y[0] / (k * k) * seed[0];
    }

    @Override public double[] tangent(double t, double[] y, double[] p, double tt, double[] ty, double[] tp) {
      double r = p[0];
      double k = p[1];
      return new double[] {r * (1 - 2 * y[0] / k) * ty[0] + y[0] * (1 - y[0] / k) * tp[0]
          + r * y[0] * y[0] / (k * k) * tp[1]};
    }

    @Override double[] initialState() {
      return new double[] {0.3};
    }

    @Override double[] parameters() {
      return new double[] {1.4, 5.0};
    }

    @Override double[] exact(double t0, double[] y0, double[] p, double t) {
      double e = Math.exp(p[0] * (t - t0));
      return new double[] {p[1] * y0[0] * e / (p[1] + y0[0] * (e - 1))};
    }

    @Override double[][] exactJacobian(double t0, double[] y0, double[] p, double t) {
      double r = p[0];
      double k = p[1];
      double d = t - t0;
      double e = Math.exp(r * d);
      double denominator = k + y0[0] * (e - 1);
      double squared = denominator * denominator;
      return new double[][] {
        {k * k * e / squared, k * y0[0] * d * e * (k - y0[0]) / squared, y0[0] * y0[0] * e * (e - 1) / squared}
      };
    }
  }

  /** x' = αx - βxy, y' = δxy - γy plus a forcing a·sin t of x: no closed form, explicit time. */
  static final class ForcedPredatorPrey extends Problem {
    @Override public double[] rates(double t, double[] y, double[] p) {
      return new double[] {p[0] * y[0] - p[1] * y[0] * y[1] + p[4] * Math.sin(t), p[2] * y[0] * y[1] - p[3] * y[1]};
    }

    @Override public void pullback(double t, double[] y, double[] p, double[] seed, double[] dt, double[] dy,
        double[] dp) {
      pullbacks++;
      dt[0] += p[4] * Math.cos(t) * seed[0];
      dy[0] += (p[0] - p[1] * y[1]) * seed[0] + p[2] * y[1] * seed[1];
      dy[1] += -p[1] * y[0] * seed[0] + (p[2] * y[0] - p[3]) * seed[1];
      dp[0] += y[0] * seed[0];
      dp[1] += -y[0] * y[1] * seed[0];
      dp[2] += y[0] * y[1] * seed[1];
      dp[3] += -y[1] * seed[1];
      dp[4] += Math.sin(t) * seed[0];
    }

    @Override public double[] tangent(double t, double[] y, double[] p, double tt, double[] ty, double[] tp) {
      return new double[] {
        (p[0] - p[1] * y[1]) * ty[0] - p[1] * y[0] * ty[1] + y[0] * tp[0] - y[0] * y[1] * tp[1]
            + Math.sin(t) * tp[4] + p[4] * Math.cos(t) * tt,
        p[2] * y[1] * ty[0] + (p[2] * y[0] - p[3]) * ty[1] + y[0] * y[1] * tp[2] - y[1] * tp[3]
      };
    }

    @Override double[] initialState() {
      return new double[] {1.2, 0.8};
    }

    @Override double[] parameters() {
      return new double[] {1.1, 0.6, 0.4, 0.9, 0.3};
    }
  }

  /** y' = -(Σθ)·y with 20 parameters: many parameters, few outputs. */
  static final class ManyRates extends Problem {
    @Override public double[] rates(double t, double[] y, double[] p) {
      return new double[] {-sum(p) * y[0]};
    }

    @Override public void pullback(double t, double[] y, double[] p, double[] seed, double[] dt, double[] dy,
        double[] dp) {
      pullbacks++;
      dy[0] += -sum(p) * seed[0];
      for (int j = 0; j < p.length; j++) {
        dp[j] += -y[0] * seed[0];
      }
    }

    @Override public double[] tangent(double t, double[] y, double[] p, double tt, double[] ty, double[] tp) {
      return new double[] {-sum(p) * ty[0] - sum(tp) * y[0]};
    }

    @Override double[] initialState() {
      return new double[] {1.5};
    }

    @Override double[] parameters() {
      double[] p = new double[20];
      java.util.Arrays.fill(p, 0.03);
      return p;
    }

    @Override double[] exact(double t0, double[] y0, double[] p, double t) {
      return new double[] {y0[0] * Math.exp(-sum(p) * (t - t0))};
    }

    private static double sum(double[] values) {
      double sum = 0;
      for (double value : values) {
        sum += value;
      }
      return sum;
    }
  }

  private static List<Problem> closedFormProblems() {
    return List.of(new Decay(), new Oscillator(), new Logistic());
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  @Test
  void valuesMatchClosedFormsToTheToleranceAsked() {
    for (double tolerance : new double[] {1e-6, 1e-10}) {
      Options options = Options.DEFAULT.withTolerances(tolerance, tolerance * 1e-2);
      for (Problem problem : List.of(new Decay(), new Oscillator(), new Logistic(), new ManyRates())) {
        double[][] solution = Ode.solve(problem, problem.initialState(), T0, TIMES, problem.parameters(), options);
        for (int i = 0; i < TIMES.length; i++) {
          double[] exact = problem.exact(T0, problem.initialState(), problem.parameters(), TIMES[i]);
          for (int k = 0; k < exact.length; k++) {
            assertEquals(exact[k], solution[i][k], 20 * tolerance * (1 + Math.abs(exact[k])),
                problem.getClass().getSimpleName() + " at t = " + TIMES[i] + ", tolerance " + tolerance);
          }
        }
      }
    }
    // Tight tolerances are close to exact, so the error is really the tolerance's.
    Decay decay = new Decay();
    double[][] loose = Ode.solve(decay, decay.initialState(), 0, new double[] {20}, decay.parameters(),
        Options.DEFAULT.withTolerances(1e-3, 1e-5));
    assertTrue(Math.abs(loose[0][0] - decay.exact(0, decay.initialState(), decay.parameters(), 20)[0]) > 1e-12,
        "a loose tolerance shows in the value");
  }

  // ---------------------------------------------------------------------------------------------
  // Pullbacks

  @ParameterizedTest
  @EnumSource(value = Sensitivity.class, names = {"FORWARD", "ADJOINT"})
  void pullbackMatchesTheClosedFormsDerivatives(Sensitivity method) {
    Random random = new Random(3);
    for (Problem problem : closedFormProblems()) {
      double[] y0 = problem.initialState();
      double[] p = problem.parameters();
      int n = y0.length;
      double[][] seed = randomRows(TIMES.length, n, random);
      Ode.Gradient gradient = Ode.pullback(problem, y0, T0, TIMES, p, TIGHT.withSensitivity(method), seed);
      double[] expected = new double[n + p.length];
      double expectedInitialTime = 0;
      for (int i = 0; i < TIMES.length; i++) {
        double[][] jacobian = problem.exactJacobian(T0, y0, p, TIMES[i]);
        int row = i;
        for (int k = 0; k < n; k++) {
          for (int j = 0; j < n + p.length; j++) {
            expected[j] += seed[i][k] * jacobian[k][j];
          }
          int state = k;
          expectedInitialTime += seed[i][k] * richardson(t -> problem.exact(t, y0, p, TIMES[row])[state], T0, 1e-3);
        }
        double expectedTime = 0;
        for (int k = 0; k < n; k++) {
          int state = k;
          expectedTime += seed[i][k] * richardson(t -> problem.exact(T0, y0, p, t)[state], TIMES[i], 1e-3);
        }
        assertClose(expectedTime, gradient.times()[i], 1e-8, problem.getClass().getSimpleName() + " times[" + i + "]");
      }
      String name = problem.getClass().getSimpleName() + " by " + method;
      for (int j = 0; j < n; j++) {
        assertClose(expected[j], gradient.initialState()[j], 1e-8, name + " initialState[" + j + "]");
      }
      for (int j = 0; j < p.length; j++) {
        assertClose(expected[n + j], gradient.parameters()[j], 1e-8, name + " parameters[" + j + "]");
      }
      assertClose(expectedInitialTime, gradient.initialTime(), 1e-8, name + " initialTime");
    }
  }

  @Test
  void bothMethodsAgreeWithEachOtherAndWithFiniteDifferencesOfSolve() {
    Random random = new Random(5);
    for (Problem problem : List.of(new ForcedPredatorPrey(), new Logistic(), new ManyRates())) {
      double[] y0 = problem.initialState();
      double[] p = problem.parameters();
      double[][] seed = randomRows(TIMES.length, y0.length, random);
      Ode.Gradient forward = Ode.pullback(problem, y0, T0, TIMES, p, TIGHT.withSensitivity(Sensitivity.FORWARD), seed);
      Ode.Gradient adjoint = Ode.pullback(problem, y0, T0, TIMES, p, TIGHT.withSensitivity(Sensitivity.ADJOINT), seed);
      String name = problem.getClass().getSimpleName();
      assertArrayClose(forward.initialState(), adjoint.initialState(), 1e-8, name + " initialState");
      assertArrayClose(forward.parameters(), adjoint.parameters(), 1e-8, name + " parameters");
      assertArrayClose(forward.times(), adjoint.times(), 1e-8, name + " times");
      assertClose(forward.initialTime(), adjoint.initialTime(), 1e-8, name + " initialTime");
      for (int j = 0; j < y0.length; j++) {
        int index = j;
        double difference = centralDifference(x -> seeded(problem, moved(y0, index, x), T0, TIMES, p, seed), y0[j]);
        assertClose(difference, adjoint.initialState()[j], 1e-6, name + " initialState[" + j + "] by differences");
      }
      for (int j = 0; j < p.length; j++) {
        int index = j;
        double difference = centralDifference(x -> seeded(problem, y0, T0, TIMES, moved(p, index, x), seed), p[j]);
        assertClose(difference, adjoint.parameters()[j], 1e-6, name + " parameters[" + j + "] by differences");
      }
      for (int i = 0; i < TIMES.length; i++) {
        int index = i;
        double difference = centralDifference(x -> seeded(problem, y0, T0, moved(TIMES, index, x), p, seed), TIMES[i]);
        assertClose(difference, adjoint.times()[i], 1e-6, name + " times[" + i + "] by differences");
      }
      double difference = centralDifference(x -> seeded(problem, y0, x, TIMES, p, seed), T0);
      assertClose(difference, adjoint.initialTime(), 1e-6, name + " initialTime by differences");
    }
  }

  @Test
  void theAdjointOverManyCheckpointSegmentsMatchesTheClosedForm() {
    // ω = 1.7 up to t = 40 at tight tolerances takes hundreds of steps: many checkpoint segments,
    // output times inside segments, and a seed row of zeros (no jump there).
    Oscillator problem = new Oscillator();
    double[] y0 = problem.initialState();
    double[] p = problem.parameters();
    double[] times = {3, 7.5, 12, 20, 31, 40};
    double[][] seed = {{1, 0.5}, {0, 0}, {-0.3, 2}, {0.7, -1}, {1.5, 0.2}, {0, 0}};
    Ode.Gradient adjoint = Ode.pullback(problem, y0, T0, times, p, TIGHT.withSensitivity(Sensitivity.ADJOINT), seed);
    Ode.Gradient forward = Ode.pullback(problem, y0, T0, times, p, TIGHT.withSensitivity(Sensitivity.FORWARD), seed);
    double[] expected = new double[3];
    for (int i = 0; i < times.length; i++) {
      double[][] jacobian = problem.exactJacobian(T0, y0, p, times[i]);
      for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 3; j++) {
          expected[j] += seed[i][k] * jacobian[k][j];
        }
      }
    }
    for (Ode.Gradient gradient : List.of(adjoint, forward)) {
      assertArrayClose(new double[] {expected[0], expected[1]}, gradient.initialState(), 1e-7, "initialState");
      assertClose(expected[2], gradient.parameters()[0], 1e-7, "ω");
    }
    assertEquals(0, adjoint.times()[1]);
  }

  @Test
  void automaticChoosesForwardForFewStatesOrManyTimesAndTheAdjointOtherwise() {
    Random random = new Random(9);
    double[] manyTimes = new double[20];
    for (int i = 0; i < manyTimes.length; i++) {
      manyTimes[i] = 0.3 + 0.1 * i;
    }
    // 10·(n - 1) ≤ T: one state always forward; two states forward from 10 output times.
    Object[][] cases = {
      {new Decay(), TIMES, Sensitivity.FORWARD},
      {new ManyRates(), TIMES, Sensitivity.FORWARD},
      {new Oscillator(), TIMES, Sensitivity.ADJOINT},
      {new Oscillator(), manyTimes, Sensitivity.FORWARD},
    };
    for (Object[] row : cases) {
      Problem problem = (Problem) row[0];
      double[] times = (double[]) row[1];
      double[] y0 = problem.initialState();
      double[] p = problem.parameters();
      double[][] seed = randomRows(times.length, y0.length, random);
      Ode.Gradient automatic = Ode.pullback(problem, y0, T0, times, p, TIGHT, seed);
      Ode.Gradient chosen = Ode.pullback(problem, y0, T0, times, p, TIGHT.withSensitivity((Sensitivity) row[2]), seed);
      assertArrayEquals(chosen.parameters(), automatic.parameters());
      assertArrayEquals(chosen.initialState(), automatic.initialState());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  @Test
  void tangentRulesMatchPullbackRulesByTheDotProductIdentity() {
    Random random = new Random(13);
    for (Problem problem : List.of(new ForcedPredatorPrey(), new Oscillator(), new Logistic())) {
      double[] y0 = problem.initialState();
      double[] p = problem.parameters();
      int n = y0.length;
      double[][] value = Ode.solve(problem, y0, T0, TIMES, p, TIGHT);
      double[][] seed = randomRows(TIMES.length, n, random);
      double[] ty0 = randomRows(1, n, random)[0];
      double[] tp = randomRows(1, p.length, random)[0];
      double[] ttimes = randomRows(1, TIMES.length, random)[0];
      double tt0 = random.nextGaussian();
      double[][][] tangents = {
        OdeOptionsRules.solveWithOptionsInitialStateTangent(problem, y0, T0, TIMES, p, TIGHT, value, ty0),
        OdeOptionsRules.solveWithOptionsInitialTimeTangent(problem, y0, T0, TIMES, p, TIGHT, value, tt0),
        OdeOptionsRules.solveWithOptionsTimesTangent(problem, y0, T0, TIMES, p, TIGHT, value, ttimes),
        OdeOptionsRules.solveWithOptionsParametersTangent(problem, y0, T0, TIMES, p, TIGHT, value, tp)
      };
      double[] pullbacks = {
        dot(OdeOptionsRules.solveWithOptionsInitialState(problem, y0, T0, TIMES, p, TIGHT, value, seed), ty0),
        OdeOptionsRules.solveWithOptionsInitialTime(problem, y0, T0, TIMES, p, TIGHT, value, seed) * tt0,
        dot(OdeOptionsRules.solveWithOptionsTimes(problem, y0, T0, TIMES, p, TIGHT, value, seed), ttimes),
        dot(OdeOptionsRules.solveWithOptionsParameters(problem, y0, T0, TIMES, p, TIGHT, value, seed), tp)
      };
      for (int which = 0; which < 4; which++) {
        double forward = 0;
        for (int i = 0; i < TIMES.length; i++) {
          forward += dot(seed[i], tangents[which][i]);
        }
        assertClose(forward, pullbacks[which], 1e-8, problem.getClass().getSimpleName() + " argument " + which);
      }
    }
  }

  @Test
  void tangentMatchesTheClosedFormsJacobian() {
    Oscillator problem = new Oscillator();
    double[] y0 = problem.initialState();
    double[] p = problem.parameters();
    double[][] value = Ode.solve(problem, y0, T0, TIMES, p, TIGHT);
    double[][] byState = OdeOptionsRules.solveWithOptionsInitialStateTangent(problem, y0, T0, TIMES, p, TIGHT, value,
        new double[] {0, 1});
    double[][] byParameter = OdeOptionsRules.solveWithOptionsParametersTangent(problem, y0, T0, TIMES, p, TIGHT, value,
        new double[] {1});
    for (int i = 0; i < TIMES.length; i++) {
      double[][] jacobian = problem.exactJacobian(T0, y0, p, TIMES[i]);
      for (int k = 0; k < 2; k++) {
        assertClose(jacobian[k][1], byState[i][k], 1e-8, "∂y" + k + "/∂v0 at " + TIMES[i]);
        assertClose(jacobian[k][2], byParameter[i][k], 1e-8, "∂y" + k + "/∂ω at " + TIMES[i]);
      }
    }
  }

  @Test
  void thePullbackRulesOfOneCallShareOneSolve() {
    ForcedPredatorPrey problem = new ForcedPredatorPrey();
    double[] y0 = problem.initialState();
    double[] p = problem.parameters();
    double[][] value = Ode.solve(problem, y0, T0, TIMES, p);
    double[][] seed = {{1, 0}, {0, 1}, {0.5, 0.5}};
    double[] dp = OdeRules.solveParameters(problem, y0, T0, TIMES, p, value, seed);
    int afterFirst = problem.pullbacks;
    assertTrue(afterFirst > 0);
    double[] dy0 = OdeRules.solveInitialState(problem, y0, T0, TIMES, p, value, seed);
    OdeRules.solveInitialTime(problem, y0, T0, TIMES, p, value, seed);
    OdeRules.solveTimes(problem, y0, T0, TIMES, p, value, seed);
    assertEquals(afterFirst, problem.pullbacks, "the other rules reuse the first rule's solve");
    Ode.Gradient direct = Ode.pullback(problem, y0, T0, TIMES, p, Options.DEFAULT, seed);
    assertArrayEquals(direct.parameters(), dp);
    assertArrayEquals(direct.initialState(), dy0);
    // A rule's result is its own: changing it does not change the next rule's.
    dp[0] = 1e9;
    assertArrayEquals(direct.parameters(), OdeRules.solveParameters(problem, y0, T0, TIMES, p, value, seed));
    int beforeNewSeed = problem.pullbacks;
    seed[2][0] = 2;
    double[] changed = OdeRules.solveParameters(problem, y0, T0, TIMES, p, value, seed);
    assertTrue(problem.pullbacks > beforeNewSeed, "a changed seed solves again");
    assertArrayEquals(Ode.pullback(problem, y0, T0, TIMES, p, Options.DEFAULT, seed).parameters(), changed);
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  @Test
  void timesThatDoNotIncreaseAreRejected() {
    Decay decay = new Decay();
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Ode.solve(decay, decay.initialState(), 0, new double[] {1, 3, 2}, decay.parameters()));
    assertEquals("Ode.solve: times must increase from the initial time 0.0 and be finite, but times[2] = 2.0"
        + " follows times[1] = 3.0", error.getMessage());
    error = assertThrows(IllegalArgumentException.class,
        () -> Ode.solve(decay, decay.initialState(), 1, new double[] {1, 3}, decay.parameters()));
    assertEquals("Ode.solve: times must increase from the initial time 1.0 and be finite, but times[0] = 1.0"
        + " follows the initial time", error.getMessage());
  }

  @Test
  void optionsAreCheckedAndNoTimesIsNoRows() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Options.DEFAULT.withTolerances(0, 1e-9));
    assertEquals("Ode.Options: tolerances must be positive and finite, not relative 0.0 and absolute 1.0E-9",
        error.getMessage());
    error = assertThrows(IllegalArgumentException.class, () -> Options.DEFAULT.withMaxSteps(0));
    assertEquals("Ode.Options: maxSteps must be positive, not 0", error.getMessage());
    Decay decay = new Decay();
    assertEquals(0, Ode.solve(decay, decay.initialState(), 0, new double[0], decay.parameters()).length);
    Ode.Gradient none = Ode.pullback(decay, decay.initialState(), 0, new double[0], decay.parameters(),
        Options.DEFAULT, new double[0][]);
    assertArrayEquals(new double[1], none.initialState());
    assertArrayEquals(new double[1], none.parameters());
  }

  @Test
  void theStepLimitNamesTheTimeReachedAndTheLimit() {
    Oscillator oscillator = new Oscillator();
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> Ode.solve(oscillator, oscillator.initialState(), 0, new double[] {1000}, oscillator.parameters(),
            Options.DEFAULT.withMaxSteps(20)));
    assertTrue(error.getMessage().matches(
        "Ode\\.solve: step limit 20 \\(Options\\.maxSteps\\) reached at t = [0-9.E-]+ on the way from 0\\.0 to 1000\\.0;"
            + " the problem may be stiff or blow up, or the tolerances too tight"), error.getMessage());
    double reached = Double.parseDouble(error.getMessage().replaceAll(".* at t = ([^ ]+) on the way.*", "$1"));
    assertTrue(reached > 0 && reached < 1000, error.getMessage());
  }

  @Test
  void aNaNRateNamesTheTimeAndTheState() {
    Ode.Rates squareRoot = (t, y, p) -> new double[] {-Math.sqrt(y[0]) - 1};
    ArithmeticException error = assertThrows(ArithmeticException.class,
        () -> Ode.solve(squareRoot, new double[] {1}, 0, new double[] {5}, new double[0]));
    assertTrue(error.getMessage().matches(
        "Ode\\.solve: the rates are NaN \\(entry 0\\) at t = [0-9.E-]+ for the state \\[-[0-9.E-]+\\]"),
        error.getMessage());
  }

  @Test
  void shapeMismatchesNameBothShapes() {
    Ode.Rates wrongLength = (t, y, p) -> new double[] {1, 2, 3};
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Ode.solve(wrongLength, new double[] {1, 2}, 0, new double[] {1}, new double[0]));
    assertEquals("Ode.solve: the rates returned 3 values for a state of 2", error.getMessage());
    Oscillator oscillator = new Oscillator();
    error = assertThrows(IllegalArgumentException.class,
        () -> Ode.pullback(oscillator, oscillator.initialState(), 0, TIMES, oscillator.parameters(),
            Options.DEFAULT, new double[][] {{1, 0}, {0, 1}}));
    assertEquals("Ode.pullback: the seed is 2x2 but the solution is 3x2", error.getMessage());
    error = assertThrows(IllegalArgumentException.class,
        () -> Ode.tangent(oscillator, oscillator.initialState(), 0, TIMES, oscillator.parameters(),
            Options.DEFAULT, new double[] {1}, null));
    assertEquals("Ode.tangent: the initial tangent has length 1 but its argument has length 2", error.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** ⟨seed, solve(...)⟩: the function whose derivatives the pullback gives. */
  private static double seeded(Problem problem, double[] y0, double t0, double[] times, double[] p, double[][] seed) {
    double[][] solution = Ode.solve(problem, y0, t0, times, p, TIGHT);
    double sum = 0;
    for (int i = 0; i < times.length; i++) {
      sum += dot(seed[i], solution[i]);
    }
    return sum;
  }

  private static double centralDifference(DoubleUnaryOperator f, double x) {
    double h = 1e-4 * Math.max(1, Math.abs(x));
    return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
  }

  private static double[][] randomRows(int rows, int cols, Random random) {
    double[][] values = new double[rows][cols];
    for (double[] row : values) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextGaussian();
      }
    }
    return values;
  }

  private static double[] moved(double[] values, int index, double value) {
    double[] copy = values.clone();
    copy[index] = value;
    return copy;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void assertClose(double expected, double actual, double relative, String what) {
    assertEquals(expected, actual, relative * (1 + Math.abs(expected)), what);
  }

  private static void assertArrayClose(double[] expected, double[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], relative, what + "[" + i + "]");
    }
  }
}
