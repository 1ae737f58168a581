package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.SpecialRulesTest.richardson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Roots;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Roots#solve} on equations with closed-form roots (x² = θ; a circle cut by a line), with
 * and without derivatives (forward differences then); its rules against the closed forms'
 * derivatives and Richardson differences of {@code solve}, tangents against pullbacks by the
 * dot-product identity; the fallbacks (a stationary guess, a singular Jacobian) and the messages
 * when there is no root.
 */
class RootsRulesTest {
  /** x² - θ₀. */
  static final class Square implements Roots.DifferentiableEquation {
    @Override public double residual(double x, double[] p) {
      return x * x - p[0];
    }

    @Override public void pullback(double x, double[] p, double seed, double[] dx, double[] dp) {
      dx[0] += 2 * x * seed;
      dp[0] += -seed;
    }

    @Override public double tangent(double x, double[] p, double tx, double[] tp) {
      return 2 * x * tx - tp[0];
    }
  }

  /** x² + y² = r, x - y = d: on the branch of the guess x = (d + s)/2, y = x - d, s = √(2r - d²). */
  static final class CircleAndLine implements Roots.DifferentiableEquations {
    @Override public double[] residual(double[] x, double[] p) {
      return new double[] {x[0] * x[0] + x[1] * x[1] - p[0], x[0] - x[1] - p[1]};
    }

    @Override public void pullback(double[] x, double[] p, double[] seed, double[] dx, double[] dp) {
      dx[0] += 2 * x[0] * seed[0] + seed[1];
      dx[1] += 2 * x[1] * seed[0] - seed[1];
      dp[0] += -seed[0];
      dp[1] += -seed[1];
    }

    @Override public double[] tangent(double[] x, double[] p, double[] tx, double[] tp) {
      return new double[] {2 * x[0] * tx[0] + 2 * x[1] * tx[1] - tp[0], tx[0] - tx[1] - tp[1]};
    }

    static double[] root(double[] p) {
      double s = Math.sqrt(2 * p[0] - p[1] * p[1]);
      double x = (p[1] + s) / 2;
      return new double[] {x, x - p[1]};
    }

    /** Row k: ∂x_k/∂(r, d). */
    static double[][] jacobian(double[] p) {
      double s = Math.sqrt(2 * p[0] - p[1] * p[1]);
      double byD = (1 - p[1] / s) / 2;
      return new double[][] {{1 / (2 * s), byD}, {1 / (2 * s), byD - 1}};
    }
  }

  private static final double[] CIRCLE = {5, 1};
  private static final double[] GUESS = {2.5, 0.5};

  @Test
  void oneEquationMatchesTheClosedFormWithAndWithoutDerivatives() {
    for (double theta : new double[] {2, 1e-4, 1e6}) {
      double[] p = {theta};
      assertEquals(Math.sqrt(theta), Roots.solve(new Square(), 1, p), 1e-15 * Math.sqrt(theta));
      Roots.Equation plain = (x, q) -> x * x - q[0];
      assertEquals(Math.sqrt(theta), Roots.solve(plain, 1, p), 1e-14 * Math.sqrt(theta));
      double root = Math.sqrt(theta);
      double expected = 1 / (2 * root);
      assertEquals(expected, RootsRules.solveEquationParameters(new Square(), 1, p, root, 1)[0], 1e-15 * expected);
      double difference = richardson(t -> Roots.solve(new Square(), 1, new double[] {t}), theta, 1e-3 * theta);
      assertEquals(3 * difference, RootsRules.solveEquationParameters(new Square(), 1, p, root, 3)[0],
          3e-8 * expected);
      // ⟨seed, J·t⟩ = ⟨Jᵀ·seed, t⟩.
      assertEquals(0.7 * RootsRules.solveEquationParametersTangent(new Square(), 1, p, root, new double[] {-1.3}),
          RootsRules.solveEquationParameters(new Square(), 1, p, root, 0.7)[0] * -1.3, 1e-15 * expected);
    }
    assertEquals(0, RootsRules.solveEquationGuess(new Square(), 1, new double[] {2}, Math.sqrt(2), 1));
    assertEquals(0, RootsRules.solveEquationGuessTangent(new Square(), 1, new double[] {2}, Math.sqrt(2), 1));
  }

  @Test
  void aStationaryGuessFallsBackToABracketAndBrent() {
    // F'(0) = 0: Newton has no step; the bracket grows from 0 and Brent finds √2.
    assertEquals(Math.sqrt(2), Roots.solve(new Square(), 0, new double[] {2}), 1e-14);
  }

  @Test
  void aSystemMatchesTheClosedFormAndItsDerivatives() {
    double[] root = Roots.solve(new CircleAndLine(), GUESS, CIRCLE);
    assertArrayClose(CircleAndLine.root(CIRCLE), root, 1e-15);
    Roots.Equations plain = (x, p) -> new double[] {x[0] * x[0] + x[1] * x[1] - p[0], x[0] - x[1] - p[1]};
    assertArrayClose(CircleAndLine.root(CIRCLE), Roots.solve(plain, GUESS, CIRCLE), 1e-15);
    double[][] jacobian = CircleAndLine.jacobian(CIRCLE);
    Random random = new Random(2);
    double[] seed = {random.nextGaussian(), random.nextGaussian()};
    double[] pullback = RootsRules.solveParameters(new CircleAndLine(), GUESS, CIRCLE, root, seed);
    for (int j = 0; j < 2; j++) {
      double expected = seed[0] * jacobian[0][j] + seed[1] * jacobian[1][j];
      assertEquals(expected, pullback[j], 1e-14 * (1 + Math.abs(expected)), "parameter " + j);
      int index = j;
      double difference = richardson(t -> {
        double[] moved = CIRCLE.clone();
        moved[index] = t;
        double[] movedRoot = Roots.solve(new CircleAndLine(), GUESS, moved);
        return seed[0] * movedRoot[0] + seed[1] * movedRoot[1];
      }, CIRCLE[j], 1e-3);
      assertEquals(difference, pullback[j], 1e-8 * (1 + Math.abs(difference)), "parameter " + j + " by differences");
    }
    double[] tangent = {random.nextGaussian(), random.nextGaussian()};
    double[] forward = RootsRules.solveParametersTangent(new CircleAndLine(), GUESS, CIRCLE, root, tangent);
    for (int k = 0; k < 2; k++) {
      double expected = jacobian[k][0] * tangent[0] + jacobian[k][1] * tangent[1];
      assertEquals(expected, forward[k], 1e-14 * (1 + Math.abs(expected)));
    }
    assertEquals(seed[0] * forward[0] + seed[1] * forward[1], pullback[0] * tangent[0] + pullback[1] * tangent[1],
        1e-14);
    assertArrayEquals(new double[2], RootsRules.solveGuess(new CircleAndLine(), GUESS, CIRCLE, root, seed));
    assertArrayEquals(new double[2], RootsRules.solveGuessTangent(new CircleAndLine(), GUESS, CIRCLE, root, seed));
  }

  @Test
  void aSingularJacobianAtTheGuessFallsBackToLevenbergMarquardt() {
    // At (0, 0) the Jacobian [[0, 0], [1, -1]] is singular: Newton has no step.
    double[] root = Roots.solve(new CircleAndLine(), new double[] {0, 0}, CIRCLE);
    double[] residual = new CircleAndLine().residual(root, CIRCLE);
    assertEquals(0, residual[0], 1e-13);
    assertEquals(0, residual[1], 1e-13);
  }

  @Test
  void noRootGivesAClearMessage() {
    Roots.Equation noRoot = (x, p) -> x * x + p[0];
    ArithmeticException error = assertThrows(ArithmeticException.class,
        () -> Roots.solve(noRoot, 0.5, new double[] {1}));
    assertTrue(error.getMessage().matches("Roots\\.solve: no root found from the guess 0\\.5: Newton failed and the"
        + " residual keeps its sign on \\[\\S+, \\S+\\] \\(\\S+ and \\S+\\); try another guess, or check that the"
        + " equation has a root"), error.getMessage());
    Roots.Equations noRoots = (x, p) -> new double[] {x[0] * x[0] + 1, x[1] - 2};
    error = assertThrows(ArithmeticException.class, () -> Roots.solve(noRoots, new double[] {1, 1}, new double[0]));
    assertTrue(error.getMessage().startsWith("Roots.solve: no root found from the guess [1.0, 1.0]: Newton with a"
        + " line search, then Levenberg–Marquardt, stopped at x = ["), error.getMessage());
    assertTrue(error.getMessage().endsWith("; try another guess, or check that the equations have a root"),
        error.getMessage());
  }

  @Test
  void aSingularJacobianAtTheRootHasNoDerivative() {
    // x² = 0 has the root 0 where F_x = 0: the root is not differentiable in θ there.
    ArithmeticException error = assertThrows(ArithmeticException.class,
        () -> RootsRules.solveEquationParameters(new Square(), 1, new double[] {0}, 0, 1));
    assertEquals("Roots: the derivative of the residual at the root 0.0 is 0.0, so the root does not move smoothly"
        + " with the parameters", error.getMessage());
  }

  private static void assertArrayClose(double[] expected, double[] actual, double relative) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relative * (1 + Math.abs(expected[i])), "entry " + i);
    }
  }
}
