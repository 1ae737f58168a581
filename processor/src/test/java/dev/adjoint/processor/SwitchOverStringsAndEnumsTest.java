package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * switch statements and expressions over String and enum selectors (parameters, locals, constants),
 * == and equals on them, and a null selector: every mode against Java, closed forms and finite
 * differences.
 */
class SwitchOverStringsAndEnumsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Choices {
        enum Shape { LINE, SQUARE, CUBE, WAVE }

        static final String SQUARE = "square";

        /** Arrow form over a String: several labels, a constant label, default. */
        @Differentiable(also = HESSIAN)
        static double byName(double x, String kind) {
          double y;
          switch (kind) {
            case "line" -> y = x;
            case SQUARE, "sq" -> y = x * x;
            case "cube" -> {
              double t = x * x;
              y = t * x;
            }
            default -> y = Math.sin(x);
          }
          return y;
        }

        /** Colon form over an enum with fall-through: LINE adds x, x² and 1; SQUARE x² and 1; CUBE 2x; WAVE 1. */
        @SuppressWarnings("fallthrough")
        @Differentiable(also = HESSIAN)
        static double fallThrough(double x, Shape shape) {
          double s = 0;
          switch (shape) {
            case LINE:
              s += x;
            case SQUARE:
              s += x * x;
            default:
              s += 1;
              break;
            case CUBE:
              s += 2 * x;
          }
          return s;
        }

        /** A switch expression over an enum local that changes in the loop, compared with == too. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double loop(double x) {
          double s = 0;
          Shape shape = Shape.LINE;
          for (int i = 0; i < 4; i++) {
            s += switch (shape) {
              case LINE -> x;
              case SQUARE -> {
                double t = x * x;
                yield t / 2;
              }
              default -> i * Math.exp(x);
            };
            if (shape == Shape.LINE) {
              shape = Shape.SQUARE;
            } else if (shape != Shape.CUBE) {
              shape = Shape.CUBE;
            }
          }
          return s;
        }

        /** equals on Strings, a String local, and a switch expression yielding an int. */
        @Differentiable(also = HESSIAN)
        static double named(double x, String unit) {
          String fallback = "none";
          int power = switch (unit.equals(fallback) ? "one" : unit) {
            case "one" -> 1;
            case "two" -> 2;
            default -> 3;
          };
          double y = Math.pow(x, power);
          if (unit.equals("two")) {
            y = y + x;
          }
          return y;
        }

        /** A String and an enum handed on to another @Differentiable method and to a helper. */
        @Differentiable(also = HESSIAN)
        static double handedOn(double x, String kind, Shape shape) {
          return byName(x, kind) + 2 * shaped(x, shape);
        }

        /** A String local that changes in the loop selects a weight the reverse sweep needs: 2x² + 3x² + 2x² + 3x². */
        @Differentiable(also = HESSIAN)
        static double alternating(double x) {
          String name = "a";
          double s = 0;
          for (int i = 0; i < 4; i++) {
            double w = switch (name) {
              case "a" -> 2;
              default -> 3;
            };
            s += w * x * x;
            name = name.equals("a") ? "b" : "a";
          }
          return s;
        }

        static double shaped(double x, Shape shape) {
          return switch (shape) {
            case LINE -> x;
            case SQUARE -> x * x;
            default -> x * x * x;
          };
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Choices", SOURCE);

  private static Object shape(String name) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Enum> type = (Class<Enum>) compiled.load("p.Choices$Shape");
    return Enum.valueOf(type, name);
  }

  private static double value(String method, Object... arguments) {
    return Compiled.scalar(compiled.call("p.ChoicesGrad", method, arguments), "value");
  }

  private static double gradient(String method, Object... arguments) {
    return Compiled.scalar(compiled.call("p.ChoicesGrad", method, arguments), "x");
  }

  @Test
  void valuesAreJavas() {
    for (double x : new double[] {0.7, -1.3}) {
      for (String kind : new String[] {"line", "square", "sq", "cube", "other", ""}) {
        assertEquals((double) compiled.call("p.Choices", "byName", x, kind), value("byName", x, kind), 1e-12, kind);
      }
      for (String unit : new String[] {"none", "one", "two", "three"}) {
        assertEquals((double) compiled.call("p.Choices", "named", x, unit), value("named", x, unit), 1e-12, unit);
      }
      for (String name : new String[] {"LINE", "SQUARE", "CUBE", "WAVE"}) {
        assertEquals((double) compiled.call("p.Choices", "fallThrough", x, shape(name)),
            value("fallThrough", x, shape(name)), 1e-12, name);
      }
      assertEquals((double) compiled.call("p.Choices", "loop", x), value("loop", x), 1e-12);
    }
  }

  @Test
  void gradientsMatchClosedForms() {
    double x = 0.7;
    assertEquals(1, gradient("byName", x, "line"), 1e-12);
    assertEquals(2 * x, gradient("byName", x, "square"), 1e-12);
    assertEquals(2 * x, gradient("byName", x, new String("sq")), 1e-12); // equals, not identity
    assertEquals(3 * x * x, gradient("byName", x, "cube"), 1e-12);
    assertEquals(Math.cos(x), gradient("byName", x, "Line"), 1e-12);
    assertEquals(1 + 2 * x, gradient("fallThrough", x, shape("LINE")), 1e-12);
    assertEquals(2 * x, gradient("fallThrough", x, shape("SQUARE")), 1e-12);
    assertEquals(2, gradient("fallThrough", x, shape("CUBE")), 1e-12);
    assertEquals(0, gradient("fallThrough", x, shape("WAVE")), 1e-12);
    // LINE, SQUARE, CUBE, CUBE: x + x²/2 + 2eˣ + 3eˣ
    assertEquals(1 + x + 5 * Math.exp(x), gradient("loop", x), 1e-12);
    assertEquals(1, gradient("named", x, "none"), 1e-12);
    assertEquals(2 * x + 1, gradient("named", x, "two"), 1e-12);
    assertEquals(3 * x * x, gradient("named", x, "three"), 1e-12);
    assertEquals(2 * x + 2 * 3 * x * x, gradient("handedOn", x, "sq", shape("WAVE")), 1e-12);
    assertEquals(20 * x, gradient("alternating", x), 1e-12);
    assertEquals(20, ((double[][]) compiled.call("p.ChoicesGrad", "alternatingHessian", x))[0][0], 1e-12);
    assertEquals(Math.cos(x) + 2, gradient("handedOn", x, "other", shape("LINE")), 1e-12);
    double[][] hessian = (double[][]) compiled.call("p.ChoicesGrad", "handedOnHessian", x, "cube", shape("SQUARE"));
    assertEquals(6 * x + 4, hessian[0][0], 1e-12);
  }

  @Test
  void hessiansMatchClosedForms() {
    double x = 0.7;
    double[][] cube = (double[][]) compiled.call("p.ChoicesGrad", "byNameHessian", x, "cube");
    assertEquals(6 * x, cube[0][0], 1e-12);
    double[][] square = (double[][]) compiled.call("p.ChoicesGrad", "fallThroughHessian", x, shape("LINE"));
    assertEquals(2, square[0][0], 1e-12);
    double[][] loop = (double[][]) compiled.call("p.ChoicesGrad", "loopHessian", x);
    assertEquals(1 + 5 * Math.exp(x), loop[0][0], 1e-12);
  }

  @Test
  void everyModeAgreesWithFiniteDifferences() {
    for (String kind : new String[] {"line", "sq", "cube", "other"}) {
      for (String name : new String[] {"LINE", "SQUARE", "CUBE", "WAVE"}) {
        ModeChecks.everyModePasses(compiled, "p.ChoicesGrad", checks -> checks
            .argument("kind", random -> kind).argument("unit", random -> kind.equals("line") ? "two" : kind)
            .argument("shape", random -> shape(name)));
      }
    }
  }

  @Test
  void taylorCoefficientsMatchClosedForms() {
    double x = 0.7;
    double e = Math.exp(x);
    ModeChecks.taylorMatches(compiled, "p.ChoicesGrad", "loop", x,
        x + x * x / 2 + 5 * e, 1 + x + 5 * e, 1 + 5 * e, 5 * e);
  }

  @Test
  void aNullSelectorThrowsAsInJava() throws ReflectiveOperationException {
    for (String method : new String[] {"byName", "byNameTangent", "byNameHessian", "fallThrough", "fallThroughHessian"}) {
      Object[] arguments = method.endsWith("Tangent") ? new Object[] {0.5, null, 1.0} : new Object[] {0.5, null};
      assertTrue(thrownBy("p.ChoicesGrad", method, arguments) instanceof NullPointerException, method);
    }
    assertTrue(thrownBy("p.Choices", "byName", 0.5, null) instanceof NullPointerException);
  }

  /** What the method of that name and arity throws (null arguments do not pick an overload). */
  private static Throwable thrownBy(String owner, String name, Object... arguments) throws ReflectiveOperationException {
    for (java.lang.reflect.Method method : compiled.load(owner).getDeclaredMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
        method.setAccessible(true);
        try {
          method.invoke(null, arguments);
          return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
          return e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + name);
  }

  @Test
  void generatedCodeSwitchesOnTheLabelsIndex() {
    String generated = compiled.generatedSources();
    assertTrue(generated.contains("SwitchCases.indexOf(kind, \"line\", Choices.SQUARE, \"sq\", \"cube\")"), generated);
    assertTrue(generated.contains("SwitchCases.indexOf(shape, Choices.Shape.LINE, Choices.Shape.SQUARE, Choices.Shape.CUBE)"),
        generated);
  }
}
