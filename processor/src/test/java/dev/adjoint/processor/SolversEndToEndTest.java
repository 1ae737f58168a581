package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import dev.adjoint.runtime.check.DifferentiableFunction;
import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.GradientChecks;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The runtime's solvers (Ode, Roots, Quadrature) inside @Differentiable losses, their function parameters passed as
 * method references: a one-compartment pharmacokinetic model with first-order absorption through Ode.solve, an
 * equation solved by Roots.solve and an integral by Quadrature.integrate, checked by GradientChecks' one line, against
 * closed forms and by finite differences.
 */
class SolversEndToEndTest {
  private static final String MODELS = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;
      import dev.adjoint.runtime.Ode;
      import dev.adjoint.runtime.Quadrature;
      import dev.adjoint.runtime.Roots;

      class Pharmacokinetics {
        /** Gut and central compartment: absorption at rate ka = θ0, elimination at ke = θ1. */
        private static double[] rates(double t, double[] amounts, double[] theta) {
          return new double[] {-theta[0] * amounts[0], theta[0] * amounts[0] - theta[1] * amounts[1]};
        }

        /** Squared error of the concentration (central amount over the volume θ2) at the sampling times. */
        @Differentiable(wrt = "theta", also = TANGENT)
        static double loss(double[] theta, double dose, double[] times, double[] observed) {
          double[][] amounts = Ode.solve(Pharmacokinetics::rates, new double[] {dose, 0}, 0, times, theta);
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            double residual = amounts[i][1] / theta[2] - observed[i];
            sum += residual * residual;
          }
          return sum;
        }

        static final Ode.Options BY_ADJOINT = new Ode.Options(1e-10, 1e-12, 100_000, Ode.Sensitivity.ADJOINT);

        /** The same loss, its options (data) asking for the adjoint method, the initial time differentiated too. */
        @Differentiable(wrt = {"theta", "start"}, also = TANGENT)
        static double lossByAdjoint(double[] theta, double start, double dose, double[] times, double[] observed) {
          double[][] amounts = Ode.solve(Pharmacokinetics::rates, new double[] {dose, 0}, start, times, theta, BY_ADJOINT);
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            double residual = amounts[i][1] / theta[2] - observed[i];
            sum += residual * residual;
          }
          return sum;
        }

        @Differentiable(also = TANGENT)
        static double cubic(double x, double[] theta) {
          return x * x * x + theta[0] * x - theta[1];
        }

        /** The square of the real root of x³ + θ0 x − θ1 (one root for θ0 > 0). */
        @Differentiable(also = TANGENT)
        static double rootSquared(double[] theta) {
          double x = Roots.solve(Pharmacokinetics::cubic, 1.0, theta);
          return x * x;
        }

        private static double bump(double x, double[] theta) {
          return theta[0] * Math.exp(-theta[1] * x * x);
        }

        /** ∫_0^θ2 θ0 exp(−θ1 x²) dx. */
        @Differentiable(also = TANGENT)
        static double area(double[] theta) {
          return Quadrature.integrate(Pharmacokinetics::bump, 0, theta[2], theta);
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Pharmacokinetics", MODELS);
  private static final double[] TIMES = {0.25, 0.5, 1, 2, 4, 8};
  private static final double DOSE = 100;

  /** The central amount in closed form: D ka / (ka − ke) (e^{−ke t} − e^{−ka t}). */
  private static double central(double ka, double ke, double t) {
    return DOSE * ka / (ka - ke) * (Math.exp(-ke * t) - Math.exp(-ka * t));
  }

  private static double closedFormLoss(double[] theta, double[] observed) {
    return closedFormLoss(theta, TIMES, observed);
  }

  /** The loss at these times since the dose. */
  private static double closedFormLoss(double[] theta, double[] times, double[] observed) {
    double sum = 0;
    for (int i = 0; i < times.length; i++) {
      double residual = central(theta[0], theta[1], times[i]) / theta[2] - observed[i];
      sum += residual * residual;
    }
    return sum;
  }

  private static double loss(double[] theta, double[] observed) {
    return (double) compiled.call("p.Pharmacokinetics", "loss", theta, DOSE, TIMES, observed);
  }

  @SuppressWarnings("unchecked")
  private static List<DifferentiableFunction> functions() {
    return (List<DifferentiableFunction>) compiled.call("p.PharmacokineticsGrad", "functions");
  }

  @TestFactory
  Stream<DynamicTest> oneLineChecks() {
    return GradientChecks.of(functions())
        .argument("loss", "theta", random -> new double[] {random.nextDouble(1, 2), random.nextDouble(0.1, 0.5),
            random.nextDouble(5, 20)})
        .argument("loss", "dose", random -> DOSE)
        .argument("loss", "times", random -> TIMES.clone())
        .argument("loss", "observed", random -> random.doubles(TIMES.length, 0, 5).toArray())
        .argument("cubic", "theta", random -> new double[] {random.nextDouble(0.5, 2), random.nextDouble(-2, 2)})
        .argument("rootSquared", "theta", random -> new double[] {random.nextDouble(0.5, 2), random.nextDouble(-2, 2)})
        .argument("lossByAdjoint", "theta", random -> new double[] {random.nextDouble(1, 2),
            random.nextDouble(0.1, 0.5), random.nextDouble(5, 20)})
        .argument("lossByAdjoint", "start", random -> random.nextDouble(-0.2, 0.2))
        .argument("lossByAdjoint", "dose", random -> DOSE)
        .argument("lossByAdjoint", "times", random -> TIMES.clone())
        .argument("lossByAdjoint", "observed", random -> random.doubles(TIMES.length, 0, 5).toArray())
        .argument("area", "theta", random -> new double[] {random.nextDouble(0.5, 2), random.nextDouble(0.2, 1.5),
            random.nextDouble(0.5, 2)})
        .dynamicTests();
  }

  @Test
  void pharmacokineticGradientMatchesTheClosedForm() {
    double[] theta = {1.4, 0.3, 12};
    double[] observed = {2.1, 3.5, 4.9, 5.6, 4.2, 1.9};
    Object g = compiled.call("p.PharmacokineticsGrad", "loss", theta, DOSE, TIMES, observed);
    double[] gradient = (double[]) Compiled.partial(g, "theta");
    assertEquals(closedFormLoss(theta, observed), Compiled.scalar(g, "value"), 1e-6);
    GradientAssertions.assertGradient(x -> closedFormLoss(x, observed), theta, gradient);
    GradientAssertions.assertGradient(x -> loss(x, observed), theta, gradient);
    double[] v = {0.3, -0.1, 2};
    Dual d = (Dual) compiled.call("p.PharmacokineticsGrad", "lossTangent", theta, DOSE, TIMES, observed, v);
    GradientAssertions.assertTangent(gradient, v, d.derivative());
  }

  /** The adjoint method (options as data) against the closed form, which a start time shifts. */
  @Test
  void pharmacokineticGradientByTheAdjointMethod() {
    double[] theta = {1.4, 0.3, 12};
    double[] observed = {2.1, 3.5, 4.9, 5.6, 4.2, 1.9};
    double start = 0.1;
    Object g = compiled.call("p.PharmacokineticsGrad", "lossByAdjoint", theta, start, DOSE, TIMES, observed);
    double[] gradient = (double[]) Compiled.partial(g, "theta");
    double dstart = Compiled.scalar(g, "start");
    GradientAssertions.assertGradient(x -> closedFormLoss(new double[] {x[0], x[1], x[2]}, shiftedBy(x[3]), observed),
        new double[] {theta[0], theta[1], theta[2], start}, new double[] {gradient[0], gradient[1], gradient[2], dstart});
    assertEquals(closedFormLoss(theta, shiftedBy(start), observed), Compiled.scalar(g, "value"), 1e-6);
  }

  private static double[] shiftedBy(double start) {
    double[] shifted = new double[TIMES.length];
    for (int i = 0; i < TIMES.length; i++) {
      shifted[i] = TIMES[i] - start;
    }
    return shifted;
  }

  @Test
  void rootGradientIsTheImplicitFunctionTheorems() {
    double[] theta = {1.5, 0.7};
    Object g = compiled.call("p.PharmacokineticsGrad", "rootSquared", (Object) theta);
    double x = Math.sqrt(Compiled.scalar(g, "value"));
    assertEquals(0, x * x * x + theta[0] * x - theta[1], 1e-10);
    double[] gradient = (double[]) Compiled.partial(g, "theta");
    double slope = 3 * x * x + theta[0];
    assertEquals(2 * x * (-x / slope), gradient[0], 1e-8);
    assertEquals(2 * x / slope, gradient[1], 1e-8);
    double[] v = {-0.4, 0.9};
    Dual d = (Dual) compiled.call("p.PharmacokineticsGrad", "rootSquaredTangent", theta, v);
    assertEquals(gradient[0] * v[0] + gradient[1] * v[1], d.derivative(), 1e-8);
  }

  @Test
  void integralGradientAlongTheUpperBoundIsTheIntegrand() {
    double[] theta = {1.2, 0.8, 1.5};
    Object g = compiled.call("p.PharmacokineticsGrad", "area", (Object) theta);
    double[] gradient = (double[]) Compiled.partial(g, "theta");
    assertEquals(Compiled.scalar(g, "value") / theta[0], gradient[0], 1e-9);
    assertEquals(theta[0] * Math.exp(-theta[1] * theta[2] * theta[2]), gradient[2], 1e-9);
    GradientAssertions.assertGradient(x -> (double) compiled.call("p.Pharmacokinetics", "area", (Object) x), theta,
        gradient);
  }
}
