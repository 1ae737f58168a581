package dev.adjoint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.DualRecord;
import dev.adjoint.runtime.check.GradientAssertions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Records built inside a differentiated method or helper: each record local is taken apart into a
 * local per component, so every mode sees plain statements. Checked against closed forms and, in
 * every mode, by the one-line gradient check (finite differences, tangent against gradient,
 * Hessian against differences of the gradient).
 */
class RecordLocalsTest {
  private static final String SOURCE = """
      package p;

      import static dev.adjoint.Derivative.HESSIAN;
      import static dev.adjoint.Derivative.TANGENT;
      import static dev.adjoint.Derivative.TAYLOR;

      import dev.adjoint.Differentiable;

      class Shapes {
        record Point(double x, double y) {}

        record Segment(Point from, Point to) {}

        /** A polyline's length, through points and segments built in its loop. */
        @Differentiable(also = HESSIAN)
        static double pathLength(double[] xs, double[] ys) {
          Point previous = new Point(xs[0], ys[0]);
          double length = 0;
          for (int i = 1; i < xs.length; i++) {
            Point next = new Point(xs[i], ys[i]);
            Segment s = new Segment(previous, next);
            length += segmentLength(s.from().x(), s.from().y(), s.to().x(), s.to().y());
            previous = next;
          }
          return length;
        }

        static double segmentLength(double ax, double ay, double bx, double by) {
          Segment s = new Segment(new Point(ax, ay), new Point(bx, by));
          double dx = s.to().x() - s.from().x();
          double dy = s.to().y() - s.from().y();
          return Math.sqrt(dx * dx + dy * dy);
        }

        /** The potential of a body among attractors, each a record built in the loop and passed to a helper. */
        @Differentiable(also = HESSIAN)
        static double potential(double[] xs, double[] ys, double[] body) {
          Point at = new Point(body[0], body[1]);
          double sum = 0;
          for (int i = 0; i < xs.length; i++) {
            Point attractor = new Point(xs[i], ys[i]);
            sum += 1 / distance(at, attractor);
          }
          return sum;
        }

        record Line(double[] weights, double bias) {}

        /** A record holding the parameter's array, built in the call and passed to a helper. */
        @Differentiable(also = HESSIAN)
        static double fit(double[] weights, double bias, double[] xs, double[] ys) {
          double sum = 0;
          for (int i = 0; i < xs.length; i++) {
            double r = predict(new Line(weights, bias), xs[i]) - ys[i];
            sum += r * r;
          }
          return sum;
        }

        static double predict(Line line, double x) {
          double y = line.bias();
          for (int k = 0; k < line.weights().length; k++) {
            y += line.weights()[k] * Math.pow(x, k + 1);
          }
          return Math.tanh(y);
        }

        /** A record from a helper of data only (no differentiated input), then moved by the parameter. */
        @Differentiable(also = HESSIAN)
        static double offset(double t) {
          Point o = origin(3);
          Point moved = new Point(o.x() + t, o.y() * t);
          return moved.x() * moved.y();
        }

        static Point origin(int k) {
          return new Point(k, k + 1);
        }

        /** The Hessian through a helper that takes a record. */
        @Differentiable(also = HESSIAN)
        static double radius(double x, double y) {
          Point p = new Point(x, y);
          return norm(p) * norm(new Point(y, 1));
        }

        static double norm(Point p) {
          return Math.sqrt(p.x() * p.x() + p.y() * p.y());
        }

        static double distance(Point a, Point b) {
          return Math.hypot(a.x() - b.x(), a.y() - b.y());
        }

        /** A segment passed to another @Differentiable method, built in place and from a record local. */
        @Differentiable(also = TANGENT)
        static double segmentEnergy(double[] ends) {
          Segment s = new Segment(new Point(ends[0], ends[1]), new Point(ends[2], ends[3]));
          return stretch(s, 2) + stretch(new Segment(s.to(), new Point(ends[0] * ends[1], 1)), 3);
        }

        @Differentiable(wrt = "s", also = TANGENT)
        static double stretch(Segment s, int power) {
          double dx = s.to().x() - s.from().x();
          double dy = s.to().y() - s.from().y();
          return Math.pow(dx * dx + dy * dy, 0.5 * power);
        }

        record State(Point position, Point velocity) {}

        /** A projectile with drag, stepped by a helper that takes and returns a record. */
        @Differentiable(also = HESSIAN)
        static double flight(double[] launch) {
          State s = new State(new Point(0, 0), new Point(launch[0], launch[1]));
          for (int i = 0; i < 50; i++) {
            s = step(s, 0.02, launch[2]);
          }
          Point end = s.position();
          return end.x() + 0.5 * end.y();
        }

        static State step(State s, double dt, double drag) {
          Point v = s.velocity();
          double speed = Math.sqrt(v.x() * v.x() + v.y() * v.y());
          Point a = new Point(-drag * speed * v.x(), -9.81 - drag * speed * v.y());
          return new State(new Point(s.position().x() + dt * v.x(), s.position().y() + dt * v.y()),
              new Point(v.x() + dt * a.x(), v.y() + dt * a.y()));
        }

        /** The hand of a two-link arm: a record result, its pullback seeded by a record. */
        @Differentiable(also = TANGENT)
        static Point reach(double[] angles, double upper) {
          Point elbow = new Point(upper * Math.cos(angles[0]), upper * Math.sin(angles[0]));
          double total = angles[0] + angles[1];
          return new Point(elbow.x() + Math.cos(total), elbow.y() + Math.sin(total));
        }

        /** (1, 0) turned by angle and shrunk, five times: a record re-assigned from its own components. */
        @Differentiable(also = {HESSIAN, TAYLOR})
        static double spiral(double angle) {
          var p = new Point(1, 0);
          for (int k = 0; k < 5; k++) {
            p = new Point(Math.cos(angle) * p.x() - Math.sin(angle) * p.y(),
                Math.sin(angle) * p.x() + Math.cos(angle) * p.y());
            Point shrunk;
            shrunk = new Point(0.9 * p.x(), 0.9 * p.y());
            p = shrunk;
          }
          return p.x() + 2 * p.y();
        }
      }
      """;

  private static final Compiled compiled = Compiled.compile("p.Shapes", SOURCE);

  @Test
  void everyModeOfEveryMethodPasses() {
    ModeChecks.everyModePasses(compiled, "p.ShapesGrad", checks -> checks.domain("flight", "launch", 0, 1)
        .arguments("fit", random -> new Object[] {random.doubles(3, -1, 1).toArray(), random.nextDouble(-1, 1),
            random.doubles(4, -1, 1).toArray(), random.doubles(4, -1, 1).toArray()})
        .argument("stretch", "s",
        random -> compiled.construct("p.Shapes$Segment",
            compiled.construct("p.Shapes$Point", random.nextDouble(-1, 1), random.nextDouble(-1, 1)),
            compiled.construct("p.Shapes$Point", random.nextDouble(-1, 1), random.nextDouble(-1, 1)))));
  }

  @Test
  void pathLengthGradientIsTheSumOfUnitVectors() {
    SplittableRandom random = new SplittableRandom(3);
    double[] xs = random.doubles(6, -1, 1).toArray();
    double[] ys = random.doubles(6, -1, 1).toArray();
    Object g = compiled.call("p.ShapesGrad", "pathLength", xs, ys);
    double length = 0;
    double[] dxs = new double[6];
    double[] dys = new double[6];
    for (int i = 1; i < 6; i++) {
      double dx = xs[i] - xs[i - 1];
      double dy = ys[i] - ys[i - 1];
      double d = Math.hypot(dx, dy);
      length += d;
      dxs[i] += dx / d;
      dxs[i - 1] -= dx / d;
      dys[i] += dy / d;
      dys[i - 1] -= dy / d;
    }
    assertEquals(length, Compiled.scalar(g, "value"), 1e-12);
    double[] actualX = (double[]) Compiled.partial(g, "xs");
    double[] actualY = (double[]) Compiled.partial(g, "ys");
    for (int i = 0; i < 6; i++) {
      assertEquals(dxs[i], actualX[i], 1e-12);
      assertEquals(dys[i], actualY[i], 1e-12);
    }
  }

  /** The projectile as plain Java, the oracle. */
  private static double flight(double[] launch) {
    double x = 0;
    double y = 0;
    double vx = launch[0];
    double vy = launch[1];
    for (int i = 0; i < 50; i++) {
      double speed = Math.sqrt(vx * vx + vy * vy);
      double ax = -launch[2] * speed * vx;
      double ay = -9.81 - launch[2] * speed * vy;
      x += 0.02 * vx;
      y += 0.02 * vy;
      vx += 0.02 * ax;
      vy += 0.02 * ay;
    }
    return x + 0.5 * y;
  }

  @Test
  void recordsThroughAHelperMatchPlainJava() {
    double[] launch = {3.0, 4.0, 0.1};
    Object g = compiled.call("p.ShapesGrad", "flight", (Object) launch);
    assertEquals(flight(launch), Compiled.scalar(g, "value"), 1e-12);
    GradientAssertions.assertGradient(RecordLocalsTest::flight, launch, (double[]) Compiled.partial(g, "launch"));
  }

  @Test
  void recordResultPullbackIsSeededByARecordAndTangentGivesARecord() {
    double a = 0.4;
    double b = -1.1;
    double upper = 1.5;
    double[] angles = {a, b};
    Object seed = compiled.construct("p.Shapes$Point", 0.7, -0.3);
    Object gradient = compiled.construct("p.ShapesGrad$ReachGradient");
    Object hand = compiled.call("p.ShapesGrad", "reachPullback", angles, upper, seed, gradient);
    assertEquals(compiled.construct("p.Shapes$Point", upper * Math.cos(a) + Math.cos(a + b),
        upper * Math.sin(a) + Math.sin(a + b)), hand);
    assertEquals(hand, Compiled.partial(gradient, "value"));
    // Closed form of seed · ∂hand.
    double[] dAngles = (double[]) Compiled.partial(gradient, "angles");
    assertEquals(0.7 * (-upper * Math.sin(a) - Math.sin(a + b)) - 0.3 * (upper * Math.cos(a) + Math.cos(a + b)),
        dAngles[0], 1e-12);
    assertEquals(0.7 * -Math.sin(a + b) - 0.3 * Math.cos(a + b), dAngles[1], 1e-12);
    assertEquals(0.7 * Math.cos(a) - 0.3 * Math.sin(a), Compiled.scalar(gradient, "upper"), 1e-12);
    // And by finite differences of the same function written in plain Java.
    GradientAssertions.assertGradient(in -> 0.7 * (in[2] * Math.cos(in[0]) + Math.cos(in[0] + in[1]))
            - 0.3 * (in[2] * Math.sin(in[0]) + Math.sin(in[0] + in[1])),
        new double[] {a, b, upper}, new double[] {dAngles[0], dAngles[1], Compiled.scalar(gradient, "upper")});

    DualRecord<?> dual = (DualRecord<?>) compiled.call("p.ShapesGrad", "reachTangent", angles, upper,
        new double[] {1.0, 2.0}, 0.5);
    assertEquals(hand, dual.value());
    double[] derivative = components(dual.derivative());
    assertEquals((-upper * Math.sin(a) - Math.sin(a + b)) - 2 * Math.sin(a + b) + 0.5 * Math.cos(a), derivative[0],
        1e-12);
    assertEquals((upper * Math.cos(a) + Math.cos(a + b)) + 2 * Math.cos(a + b) + 0.5 * Math.sin(a), derivative[1],
        1e-12);
  }

  @Test
  void jacobianOfARecordResultHasARowPerComponent() {
    double a = 0.4;
    double b = -1.1;
    double upper = 1.5;
    double[][] jacobian = (double[][]) compiled.call("p.ShapesGrad", "reachJacobian", new double[] {a, b}, upper);
    double[][] expected = {
        {-upper * Math.sin(a) - Math.sin(a + b), -Math.sin(a + b), Math.cos(a)},
        {upper * Math.cos(a) + Math.cos(a + b), Math.cos(a + b), Math.sin(a)}};
    assertEquals(2, jacobian.length);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[i][j], jacobian[i][j], 1e-12, "entry " + i + ", " + j);
      }
    }
  }

  private static double[] components(Record record) {
    java.lang.reflect.RecordComponent[] components = record.getClass().getRecordComponents();
    double[] values = new double[components.length];
    for (int i = 0; i < components.length; i++) {
      try {
        components[i].getAccessor().setAccessible(true);
        values[i] = (double) components[i].getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return values;
  }

  @Test
  void aHelperOfDataMayReturnARecord() {
    // (3 + t) · 4t: value 4t² + 12t, derivative 8t + 12
    Object g = compiled.call("p.ShapesGrad", "offset", 0.5);
    assertEquals(4 * 0.25 + 12 * 0.5, Compiled.scalar(g, "value"), 1e-12);
    assertEquals(8 * 0.5 + 12, Compiled.scalar(g, "t"), 1e-12);
  }

  @Test
  void spiralDerivativesOfEveryOrderMatchTheClosedForm() {
    // p = 0.9^5 (cos 5a, sin 5a), so f = 0.9^5 (cos 5a + 2 sin 5a) and each derivative turns by a quarter.
    double angle = 0.3;
    double[] expected = new double[5];
    for (int k = 0; k < 5; k++) {
      double turned = 5 * angle + k * Math.PI / 2;
      expected[k] = Math.pow(0.9, 5) * Math.pow(5, k) * (Math.cos(turned) + 2 * Math.sin(turned));
    }
    ModeChecks.taylorMatches(compiled, "p.ShapesGrad", "spiral", angle, expected);
    Object g = compiled.call("p.ShapesGrad", "spiral", angle);
    assertEquals(expected[1], Compiled.scalar(g, "angle"), 1e-12);
    double[][] hessian = (double[][]) compiled.call("p.ShapesGrad", "spiralHessian", angle);
    assertEquals(expected[2], hessian[0][0], 1e-10);
  }
}
