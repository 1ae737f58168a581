package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Matrix;
import java.util.SplittableRandom;

/** Deterministic inputs: the same seed gives the same numbers in every variant and every run. */
final class Data {
  private Data() {}

  static double[] uniform(SplittableRandom random, int n, double from, double to) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble(from, to);
    }
    return values;
  }

  static double[][] uniform(SplittableRandom random, int rows, int cols, double from, double to) {
    double[][] values = new double[rows][];
    for (int i = 0; i < rows; i++) {
      values[i] = uniform(random, cols, from, to);
    }
    return values;
  }

  static Matrix rowVector(double[] values) {
    return Matrix.rowVector(values);
  }

  static Matrix columnVector(double[] values) {
    return Matrix.columnVector(values);
  }

  static double[][] copy(double[][] values) {
    double[][] copy = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    return copy;
  }
}
