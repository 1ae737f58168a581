package dev.adjoint.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The exact sum of doubles, kept as non-overlapping partials in increasing magnitude (Shewchuk's
 * algorithm, as in Python's {@code math.fsum}) and rounded once at the end: the result does not
 * depend on the order of the additions, so partition sums that Spark combines in whatever order
 * tasks finish (or after a retried task) give the same bits every time.
 */
final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] partials = new double[2];
  private int length;

  void add(double x) {
    int kept = 0;
    for (int j = 0; j < length; j++) {
      double y = partials[j];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0) {
        partials[kept++] = lo;
      }
      x = hi;
    }
    if (kept == partials.length) {
      partials = Arrays.copyOf(partials, 2 * kept);
    }
    partials[kept++] = x;
    length = kept;
  }

  /** Writes the partials compactly: their count, then each (usually one to three per sum). */
  void writeTo(java.io.DataOutput out) throws java.io.IOException {
    out.writeByte(length);
    for (int j = 0; j < length; j++) {
      out.writeDouble(partials[j]);
    }
  }

  static ExactSum readFrom(java.io.DataInput in) throws java.io.IOException {
    ExactSum sum = new ExactSum();
    sum.length = in.readUnsignedByte();
    sum.partials = new double[Math.max(2, sum.length)];
    for (int j = 0; j < sum.length; j++) {
      sum.partials[j] = in.readDouble();
    }
    return sum;
  }

  void addAll(ExactSum other) {
    for (int j = 0; j < other.length; j++) {
      add(other.partials[j]);
    }
  }

  /** The exact sum rounded to the nearest double (ties to even). */
  double value() {
    int n = length;
    if (n == 0) {
      return 0;
    }
    double hi = partials[--n];
    double lo = 0;
    while (n > 0) {
      double x = hi;
      double y = partials[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0) {
        break;
      }
    }
    // Round half-even correctly when the rest of the partials push a tie one way.
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      double y = lo * 2;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) {
        hi = x;
      }
    }
    return hi;
  }
}
