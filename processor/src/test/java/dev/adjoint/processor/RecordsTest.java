package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.check.GradientAssertions;
import dev.adjoint.runtime.check.Inputs;
import java.lang.reflect.RecordComponent;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Records of parameters: components read through accessors, the gradient a record of the same type. */
class RecordsTest {
  private static final String SOURCE = """
      package p;

      import dev.adjoint.Differentiable;

      class Fits {
        record Line(double slope, double intercept) {}

        record Model(Line line, double[] weights, int degree) {}

        @Differentiable
        static double squaredError(Line line, double[] xs, double[] ys) {
          double sum = 0;
          for (int i = 0; i < xs.length; i++) {
            double residual = line.slope() * xs[i] + line.intercept() - ys[i];
            sum += residual * residual;
          }
          return sum;
        }

        @Differentiable
        static double nested(Model model, double x) {
          double y = model.line().slope() * x + model.line().intercept();
          for (int k = 0; k < model.weights().length; k++) {
            y += model.weights()[k] * Math.pow(x, k + model.degree());
          }
          return y * y;
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Fits", SOURCE);
  private final SplittableRandom random = new SplittableRandom(5);

  private Object newRecord(String name, Object... components) throws Exception {
    java.lang.reflect.Constructor<?> constructor = compiled.load(name).getDeclaredConstructors()[0];
    constructor.setAccessible(true);
    return constructor.newInstance(components);
  }

  private static Object component(Object record, String name) throws Exception {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (component.getName().equals(name)) {
        component.getAccessor().setAccessible(true);
        return component.getAccessor().invoke(record);
      }
    }
    throw new AssertionError("no component " + name);
  }

  @Test
  void gradientIsARecordOfTheSameType() throws Exception {
    double[] xs = random.doubles(10, -1, 1).toArray();
    double[] ys = random.doubles(10, -1, 1).toArray();
    double slope = 0.7;
    double intercept = -0.2;
    Object line = newRecord("p.Fits$Line", slope, intercept);
    Object g = compiled.call("p.FitsGrad", "squaredError", line, xs, ys);
    Object partial = Compiled.partial(g, "line");
    assertEquals(line.getClass(), partial.getClass());
    double dSlope = 0;
    double dIntercept = 0;
    for (int i = 0; i < xs.length; i++) {
      double residual = slope * xs[i] + intercept - ys[i];
      dSlope += 2 * residual * xs[i];
      dIntercept += 2 * residual;
    }
    assertEquals(dSlope, (double) component(partial, "slope"), 1e-12);
    assertEquals(dIntercept, (double) component(partial, "intercept"), 1e-12);
  }

  @Test
  void nestedRecordsWithArraysAndData() throws Exception {
    double[] weights = random.doubles(3, -1, 1).toArray();
    double x = 0.8;
    Object model = newRecord("p.Fits$Model", newRecord("p.Fits$Line", 0.3, 0.1), weights, 2);
    Object g = compiled.call("p.FitsGrad", "nested", model, x);
    Object partial = Compiled.partial(g, "model");
    assertEquals(2, (int) component(partial, "degree"), "data components keep their value");
    Object linePartial = component(partial, "line");
    GradientAssertions.assertGradient(
        in -> {
          try {
            Object point = newRecord("p.Fits$Model",
                newRecord("p.Fits$Line", in.scalar("slope"), in.scalar("intercept")), in.vector("weights"), 2);
            return (double) compiled.call("p.Fits", "nested", point, x);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        Inputs.of().scalar("slope", 0.3).scalar("intercept", 0.1).vector("weights", weights),
        Inputs.of().scalar("slope", (double) component(linePartial, "slope"))
            .scalar("intercept", (double) component(linePartial, "intercept"))
            .vector("weights", (double[]) component(partial, "weights")));
  }
}
