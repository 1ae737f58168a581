package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Dual;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Instance methods of model objects: the companion's methods take the receiver first, the body
 * reads the receiver's final fields and calls its other methods, and {@code wrt} may name fields
 * ({@code "this.stiffness"}). Three models as a scientist would write them, a class with a private
 * helper, a record with a helper of its own and a class with fields in {@code wrt}, each checked
 * against closed forms and finite differences in every mode it has.
 */
class InstanceMethodsTest {
  /** A class model: final fields hold the data, a private instance helper the model. */
  private static final String DECAY = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      final class Decay {
        final double[] times;
        final double[] observed;
        final double dose;

        Decay(double[] times, double[] observed, double dose) {
          this.times = times;
          this.observed = observed;
          this.dose = dose;
        }

        @Differentiable(wrt = "theta", also = HESSIAN)
        double loss(double[] theta) {
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            double residual = this.observed[i] - predict(theta, times[i]);
            sum += residual * residual;
          }
          return sum / times.length;
        }

        @Differentiable(wrt = "theta", also = HESSIAN)
        double penalized(double[] theta) {
          return loss(theta) + 0.1 * (theta[0] * theta[0] + theta[1] * theta[1]);
        }

        @Differentiable(wrt = "theta", also = TANGENT)
        double[] predictions(double[] theta) {
          double[] out = new double[times.length];
          for (int i = 0; i < times.length; i++) {
            out[i] = predict(theta, times[i]);
          }
          return out;
        }

        private double predict(double[] theta, double t) {
          return dose * Math.exp(theta[0] - Math.exp(theta[1]) * t);
        }
      }
      """;

  /** A record model: its own methods read its components, by name and through accessors. */
  private static final String OSCILLATOR = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      record Oscillator(double[] times, double[] weights, double damping) {
        @Differentiable(also = HESSIAN)
        public double signal(double omega) {
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            sum += weights()[i] * wave(omega, this.times()[i]);
          }
          return sum;
        }

        // Taylor mode calls Math functions only: the same signal, written out.
        @Differentiable(also = TAYLOR)
        public double signalSeries(double omega) {
          double sum = 0;
          for (int i = 0; i < times.length; i++) {
            sum += weights[i] * Math.exp(-damping * times[i]) * Math.sin(omega * this.times[i]);
          }
          return sum;
        }

        double wave(double omega, double t) {
          return Math.exp(-damping * t) * Math.sin(omega * t);
        }
      }
      """;

  /** Fields in wrt: the gradient has a partial for each, named like the field. */
  private static final String CHAIN = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      final class Chain {
        final double stiffness;
        final double[] rest;

        Chain(double stiffness, double[] rest) {
          this.stiffness = stiffness;
          this.rest = rest;
        }

        @Differentiable(wrt = {"x", "this.stiffness", "this.rest"}, also = HESSIAN)
        double energy(double[] x) {
          double e = 0;
          for (int i = 0; i < x.length; i++) {
            double stretch = x[i] - rest[i];
            e += 0.5 * stiffness * stretch * stretch;
          }
          return e;
        }

        // One input, three outputs: the Jacobian is one forward-mode column, along the field.
        @Differentiable(wrt = "this.stiffness", also = TANGENT)
        double[] forces(double[] x) {
          double[] f = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            f[i] = stiffness * (x[i] - rest[i]);
          }
          return f;
        }

        // Only a field: nothing for the gradient checks to perturb, so no description in functions().
        @Differentiable(wrt = "this.stiffness")
        double scaledStiffness(double factor) {
          return factor * stiffness * stiffness;
        }
      }
      """;

  /** A static method calling methods of a record parameter that is data. */
  private static final String FITS = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;

      import dev.adjoint.Differentiable;

      final class Fits {
        @Differentiable(wrt = "omega", also = HESSIAN)
        static double squaredSignal(Oscillator model, double omega) {
          double s = model.signal(omega);
          return s * s + model.wave(omega, 1.5);
        }
      }
      """;

  /** A model nested in another class: its companion is Models_LineGrad, its receiver {@code line}. */
  private static final String NESTED = """
      package p;

      import static dev.adjoint.Derivative.TANGENT;

      import dev.adjoint.Differentiable;

      class Models {
        static final class Line {
          final double[] xs;
          final double[] ys;

          Line(double[] xs, double[] ys) {
            this.xs = xs;
            this.ys = ys;
          }

          @Differentiable(also = TANGENT)
          double squaredError(double slope, double intercept) {
            double sum = 0;
            for (int i = 0; i < xs.length; i++) {
              double residual = slope * xs[i] + intercept - ys[i];
              sum += residual * residual;
            }
            return sum;
          }
        }
      }
      """;

  private static final Compiled MODELS = Compiled.compileAll(Map.of("p.Decay", DECAY, "p.Oscillator", OSCILLATOR,
      "p.Chain", CHAIN, "p.Fits", FITS, "p.Models", NESTED));

  private static final double[] TIMES = {0.5, 1, 2, 4, 8};
  private static final double[] OBSERVED = {9.1, 8.0, 6.9, 4.2, 1.9};
  private static final double DOSE = 10;
  private static final double[] THETA = {0.1, -1.7};

  private final Object decay = MODELS.construct("p.Decay", TIMES, OBSERVED, DOSE);

  /** The closed-form gradient of the decay loss: p = dose·exp(a − e^b t), L = mean (o − p)². */
  private static double[] decayGradient(double[] theta) {
    double[] gradient = new double[2];
    for (int i = 0; i < TIMES.length; i++) {
      double p = DOSE * Math.exp(theta[0] - Math.exp(theta[1]) * TIMES[i]);
      double r = OBSERVED[i] - p;
      gradient[0] += -2 * r * p / TIMES.length;
      gradient[1] += 2 * r * p * Math.exp(theta[1]) * TIMES[i] / TIMES.length;
    }
    return gradient;
  }

  @Test
  void classModelGradientTakesTheReceiverFirst() {
    Object gradient = MODELS.call("p.DecayGrad", "loss", decay, THETA);
    assertEquals((double) invoke(decay, "loss", (Object) THETA), Compiled.scalar(gradient, "value"), 1e-12);
    double[] expected = decayGradient(THETA);
    assertArrayEquals(expected, (double[]) Compiled.partial(gradient, "theta"), 1e-10);
    assertArrayEquals(differences(theta -> (double) invoke(decay, "loss", (Object) theta), THETA),
        (double[]) Compiled.partial(gradient, "theta"), 1e-6);
  }

  @Test
  void intoAndPullbackFormsReuseTheGradientObject() throws ReflectiveOperationException {
    Object into = MODELS.load("p.DecayGrad$LossGradient").getConstructor().newInstance();
    double value = (double) MODELS.call("p.DecayGrad", "loss", decay, THETA, into);
    assertEquals((double) invoke(decay, "loss", (Object) THETA), value, 1e-12);
    double[] partial = (double[]) Compiled.partial(into, "theta");
    assertArrayEquals(decayGradient(THETA), partial, 1e-10);
    MODELS.call("p.DecayGrad", "lossPullback", decay, THETA, 2.0, into);
    double[] expected = decayGradient(THETA);
    assertArrayEquals(new double[] {2 * expected[0], 2 * expected[1]}, (double[]) Compiled.partial(into, "theta"),
        1e-10);
    assertEquals(partial, Compiled.partial(into, "theta"), "the array is reused");
  }

  @Test
  void classModelTangentAndHessian() {
    double[] direction = {0.3, -0.8};
    Dual tangent = (Dual) MODELS.call("p.DecayGrad", "lossTangent", decay, THETA, direction);
    double[] gradient = decayGradient(THETA);
    assertEquals(gradient[0] * direction[0] + gradient[1] * direction[1], tangent.derivative(), 1e-10);
    double[][] hessian = (double[][]) MODELS.call("p.DecayGrad", "lossHessian", decay, THETA);
    for (int row = 0; row < 2; row++) {
      int j = row;
      double[] column = differences(theta -> decayGradient(theta)[j], THETA);
      assertArrayEquals(column, hessian[row], 1e-5, "Hessian row " + row);
    }
    // d²L/da² = mean(2p² − 2rp), in closed form.
    double expected = 0;
    for (int i = 0; i < TIMES.length; i++) {
      double p = DOSE * Math.exp(THETA[0] - Math.exp(THETA[1]) * TIMES[i]);
      expected += (2 * p * p - 2 * (OBSERVED[i] - p) * p) / TIMES.length;
    }
    assertEquals(expected, hessian[0][0], 1e-9);
  }

  @Test
  void anInstanceMethodCallsAnotherDifferentiableOneOnItsReceiver() {
    Object gradient = MODELS.call("p.DecayGrad", "penalized", decay, THETA);
    double[] expected = decayGradient(THETA);
    expected[0] += 0.2 * THETA[0];
    expected[1] += 0.2 * THETA[1];
    assertArrayEquals(expected, (double[]) Compiled.partial(gradient, "theta"), 1e-10);
    double[][] hessian = (double[][]) MODELS.call("p.DecayGrad", "penalizedHessian", decay, THETA);
    double[][] inner = (double[][]) MODELS.call("p.DecayGrad", "lossHessian", decay, THETA);
    assertEquals(inner[0][0] + 0.2, hessian[0][0], 1e-9);
    assertEquals(inner[0][1], hessian[0][1], 1e-9);
  }

  @Test
  void vectorValuedInstanceMethodHasAJacobian() {
    // Two inputs, five outputs: the Jacobian goes column by column in forward mode.
    double[][] jacobian = (double[][]) MODELS.call("p.DecayGrad", "predictionsJacobian", decay, THETA);
    assertEquals(TIMES.length, jacobian.length);
    for (int i = 0; i < TIMES.length; i++) {
      double p = DOSE * Math.exp(THETA[0] - Math.exp(THETA[1]) * TIMES[i]);
      assertArrayEquals(new double[] {p, -p * Math.exp(THETA[1]) * TIMES[i]}, jacobian[i], 1e-10, "row " + i);
      int row = i;
      assertArrayEquals(differences(theta -> ((double[]) invoke(decay, "predictions", (Object) theta))[row], THETA),
          jacobian[i], 1e-6);
    }
  }

  @Test
  void theGradientChecksTakeTheReceiverAsAnArgument() {
    ModeChecks.everyModePasses(MODELS, "p.DecayGrad", checks -> checks
        .argument("loss", "decay", random -> decay)
        .argument("penalized", "decay", random -> decay)
        .argument("loss", "theta", random -> random.doubles(2, -0.5, 0.5).toArray())
        .argument("penalized", "theta", random -> random.doubles(2, -0.5, 0.5).toArray()));
    ModeChecks.everyModePasses(MODELS, "p.OscillatorGrad", checks -> checks
        .argument("signal", "oscillator", random -> oscillator())
        .argument("signalSeries", "oscillator", random -> oscillator()));
    ModeChecks.everyModePasses(MODELS, "p.ChainGrad", checks -> checks
        .argument("energy", "chain", random -> MODELS.construct("p.Chain", 2.5, new double[] {0.1, -0.4, 0.7}))
        .argument("energy", "x", random -> random.doubles(3, -1, 1).toArray()));
  }

  private static Object oscillator() {
    return MODELS.construct("p.Oscillator", TIMES, new double[] {1, -0.5, 0.25, 2, 0.7}, 0.3);
  }

  /** The k-th derivative of Σ w e^{−d t} sin(ω t): Σ w e^{−d t} t^k sin(ω t + kπ/2). */
  private static double signalDerivative(double omega, int k) {
    double[] weights = {1, -0.5, 0.25, 2, 0.7};
    double sum = 0;
    for (int i = 0; i < TIMES.length; i++) {
      sum += weights[i] * Math.exp(-0.3 * TIMES[i]) * Math.pow(TIMES[i], k) * Math.sin(omega * TIMES[i] + k * Math.PI / 2);
    }
    return sum;
  }

  @Test
  void recordModelInEveryMode() {
    Object model = oscillator();
    double omega = 0.7;
    Object gradient = MODELS.call("p.OscillatorGrad", "signal", model, omega);
    assertEquals(signalDerivative(omega, 0), Compiled.scalar(gradient, "value"), 1e-12);
    assertEquals(signalDerivative(omega, 1), Compiled.scalar(gradient, "omega"), 1e-10);
    double step = 1e-5;
    double difference = ((double) invoke(model, "signal", omega + step) - (double) invoke(model, "signal", omega - step))
        / (2 * step);
    assertEquals(difference, Compiled.scalar(gradient, "omega"), 1e-6);
    Dual tangent = (Dual) MODELS.call("p.OscillatorGrad", "signalTangent", model, omega, 2.0);
    assertEquals(2 * signalDerivative(omega, 1), tangent.derivative(), 1e-10);
    double[][] hessian = (double[][]) MODELS.call("p.OscillatorGrad", "signalHessian", model, omega);
    assertEquals(signalDerivative(omega, 2), hessian[0][0], 1e-9);
    double[] derivatives = (double[]) MODELS.call("p.OscillatorGrad", "signalSeriesDerivatives", model, omega, 4);
    for (int k = 0; k <= 4; k++) {
      assertEquals(signalDerivative(omega, k), derivatives[k], 1e-9 * Math.max(1, Math.abs(derivatives[k])),
          "derivative " + k);
    }
  }

  @Test
  void aStaticMethodCallsMethodsOfARecordParameter() {
    Object model = oscillator();
    double omega = 0.7;
    double signal = signalDerivative(omega, 0);
    double slope = signalDerivative(omega, 1);
    double envelope = Math.exp(-0.3 * 1.5);
    Object gradient = MODELS.call("p.FitsGrad", "squaredSignal", model, omega);
    assertEquals(signal * signal + envelope * Math.sin(1.5 * omega), Compiled.scalar(gradient, "value"), 1e-12);
    double expected = 2 * signal * slope + 1.5 * envelope * Math.cos(1.5 * omega);
    assertEquals(expected, Compiled.scalar(gradient, "omega"), 1e-10);
    double step = 1e-5;
    double difference = ((double) MODELS.call("p.Fits", "squaredSignal", model, omega + step)
        - (double) MODELS.call("p.Fits", "squaredSignal", model, omega - step)) / (2 * step);
    assertEquals(difference, Compiled.scalar(gradient, "omega"), 1e-6);
    double[][] hessian = (double[][]) MODELS.call("p.FitsGrad", "squaredSignalHessian", model, omega);
    double second = 2 * slope * slope + 2 * signal * signalDerivative(omega, 2)
        - 2.25 * envelope * Math.sin(1.5 * omega);
    assertEquals(second, hessian[0][0], 1e-9);
    ModeChecks.everyModePasses(MODELS, "p.FitsGrad", checks -> checks.argument("squaredSignal", "model",
        random -> oscillator()));
  }

  @Test
  void aModelNestedInAnotherClass() {
    double[] xs = {0, 1, 2};
    double[] ys = {1, 2.5, 5};
    Object line = MODELS.construct("p.Models$Line", xs, ys);
    Object gradient = MODELS.call("p.Models_LineGrad", "squaredError", line, 1.5, 0.5);
    double dslope = 0;
    double dintercept = 0;
    for (int i = 0; i < 3; i++) {
      double residual = 1.5 * xs[i] + 0.5 - ys[i];
      dslope += 2 * residual * xs[i];
      dintercept += 2 * residual;
    }
    assertEquals(dslope, Compiled.scalar(gradient, "slope"), 1e-12);
    assertEquals(dintercept, Compiled.scalar(gradient, "intercept"), 1e-12);
    Dual tangent = (Dual) MODELS.call("p.Models_LineGrad", "squaredErrorTangent", line, 1.5, 0.5, 1.0, -2.0);
    assertEquals(dslope - 2 * dintercept, tangent.derivative(), 1e-12);
    ModeChecks.everyModePasses(MODELS, "p.Models_LineGrad", checks -> checks.argument("squaredError", "line",
        random -> line));
  }

  @Test
  void fieldsInWrtGetPartialsOfTheirOwn() {
    double stiffness = 2.5;
    double[] rest = {0.1, -0.4, 0.7};
    double[] x = {0.6, 0.2, -0.3};
    Object chain = MODELS.construct("p.Chain", stiffness, rest);
    Object gradient = MODELS.call("p.ChainGrad", "energy", chain, x);
    double halfSquares = 0;
    double[] dx = new double[3];
    double[] drest = new double[3];
    for (int i = 0; i < 3; i++) {
      double stretch = x[i] - rest[i];
      halfSquares += 0.5 * stretch * stretch;
      dx[i] = stiffness * stretch;
      drest[i] = -stiffness * stretch;
    }
    assertEquals(stiffness * halfSquares, Compiled.scalar(gradient, "value"), 1e-12);
    assertEquals(halfSquares, Compiled.scalar(gradient, "stiffness"), 1e-12);
    assertArrayEquals(drest, (double[]) Compiled.partial(gradient, "rest"), 1e-12);
    assertArrayEquals(dx, (double[]) Compiled.partial(gradient, "x"), 1e-12);
    // Finite differences of the original method on objects with perturbed fields.
    double[] byStiffness = differences(k -> (double) invoke(MODELS.construct("p.Chain", k[0], rest), "energy", (Object) x),
        new double[] {stiffness});
    assertEquals(byStiffness[0], Compiled.scalar(gradient, "stiffness"), 1e-6);
    assertArrayEquals(differences(r -> (double) invoke(MODELS.construct("p.Chain", stiffness, r), "energy", (Object) x),
        rest), (double[]) Compiled.partial(gradient, "rest"), 1e-6);

    // Forward mode takes a direction for each field, then the parameters; the Hessian orders them so.
    double[] vrest = {0.2, 0.1, -0.5};
    double[] vx = {1, -1, 0.5};
    Dual tangent = (Dual) MODELS.call("p.ChainGrad", "energyTangent", chain, x, 0.3, vrest, vx);
    double expected = 0.3 * halfSquares;
    for (int i = 0; i < 3; i++) {
      expected += drest[i] * vrest[i] + dx[i] * vx[i];
    }
    assertEquals(expected, tangent.derivative(), 1e-12);
    double[][] jacobian = (double[][]) MODELS.call("p.ChainGrad", "forcesJacobian", chain, x);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(new double[] {x[i] - rest[i]}, jacobian[i], 1e-12, "dF" + i + " / dk");
    }
    Object onlyField = MODELS.call("p.ChainGrad", "scaledStiffness", chain, 3.0);
    assertEquals(3.0 * 2 * stiffness, Compiled.scalar(onlyField, "stiffness"), 1e-12);
    assertEquals(1, ((java.util.List<?>) MODELS.call("p.ChainGrad", "functions")).size());
    double[][] hessian = (double[][]) MODELS.call("p.ChainGrad", "energyHessian", chain, x);
    assertEquals(7, hessian.length);
    assertEquals(0, hessian[0][0], 1e-12);
    for (int i = 0; i < 3; i++) {
      double stretch = x[i] - rest[i];
      assertEquals(-stretch, hessian[0][1 + i], 1e-12, "d2E / dk dr" + i);
      assertEquals(stretch, hessian[0][4 + i], 1e-12, "d2E / dk dx" + i);
      assertEquals(stiffness, hessian[1 + i][1 + i], 1e-12, "d2E / dr" + i + "2");
      assertEquals(-stiffness, hessian[1 + i][4 + i], 1e-12, "d2E / dr dx" + i);
      assertEquals(stiffness, hessian[4 + i][4 + i], 1e-12, "d2E / dx" + i + "2");
    }
  }

  /** Central differences of {@code function} at {@code point}, one per coordinate. */
  private static double[] differences(ToDoubleFunction<double[]> function, double[] point) {
    double[] gradient = new double[point.length];
    double step = 1e-6;
    for (int i = 0; i < point.length; i++) {
      double[] plus = point.clone();
      double[] minus = point.clone();
      plus[i] += step;
      minus[i] -= step;
      gradient[i] = (function.applyAsDouble(plus) - function.applyAsDouble(minus)) / (2 * step);
    }
    return gradient;
  }

  /** Calls the instance method {@code name} of {@code receiver}, as a user's code would. */
  private static Object invoke(Object receiver, String name, Object... arguments) {
    for (Method method : receiver.getClass().getDeclaredMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
        try {
          method.setAccessible(true);
          return method.invoke(receiver, arguments);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no method " + name);
  }
}
