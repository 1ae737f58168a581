package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Array helpers that generated gradient code calls: adjoint arrays shaped like their primal
 * arrays, reused when the shape already fits so that repeated calls allocate nothing.
 */
public final class Adjoints {
  private Adjoints() {}

  /** {@code reuse} filled with zeros when it has {@code shape}'s length, else a new zero array. */
  public static double[] zeroedLike(double[] shape, double[] reuse) {
    if (reuse != null && reuse.length == shape.length) {
      Arrays.fill(reuse, 0.0);
      return reuse;
    }
    return new double[shape.length];
  }

  /** {@code reuse} filled with zeros when its rows have {@code shape}'s lengths, else new zero rows. */
  public static double[][] zeroedLike(double[][] shape, double[][] reuse) {
    double[][] result = reuse != null && reuse.length == shape.length ? reuse : new double[shape.length][];
    for (int i = 0; i < shape.length; i++) {
      result[i] = zeroedLike(shape[i], result[i]);
    }
    return result;
  }

  /** Adds {@code source} into {@code target}, element by element. */
  public static void addInto(double[] target, double[] source) {
    if (target.length != source.length) {
      throw new IllegalArgumentException(
          "addInto: target has length " + target.length + " but source has length " + source.length);
    }
    for (int i = 0; i < target.length; i++) {
      target[i] += source[i];
    }
  }

  /** Adds {@code source} into {@code target}, element by element. */
  public static void addInto(double[][] target, double[][] source) {
    if (target.length != source.length) {
      throw new IllegalArgumentException(
          "addInto: target has " + target.length + " rows but source has " + source.length);
    }
    for (int i = 0; i < target.length; i++) {
      addInto(target[i], source[i]);
    }
  }
}
