package golden;

import dev.adjoint.Differentiable;

/** Records built in the method: each record local becomes one local per component. */
class RecordLocals {
  record Point(double x, double y) {}

  @Differentiable
  static double pathLength(double[] xs, double[] ys) {
    Point previous = new Point(xs[0], ys[0]);
    double length = 0;
    for (int i = 1; i < xs.length; i++) {
      Point next = new Point(xs[i], ys[i]);
      length += distance(previous, next);
      previous = next;
    }
    return length;
  }

  static double distance(Point a, Point b) {
    double dx = b.x() - a.x();
    double dy = b.y() - a.y();
    return Math.sqrt(dx * dx + dy * dy);
  }
}
