package dev.adjoint.runtime.check;

import dev.adjoint.runtime.Matrix;
import java.util.Arrays;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The default samples of {@link GradientChecks}, optionally restricted to a domain: see the table
 * in its documentation.
 */
final class Samples {
  private static final Domain SCALAR_DOMAIN = new Domain(-2, 2, false);
  private static final Domain ENTRY_DOMAIN = new Domain(-1, 1, false);
  // The stencil of a finite difference around x must stay clear of 0.
  static final Domain POSITIVE = new Domain(0.1, 2, true);
  private static final int SMALL_INTEGER_MIN = 1;
  private static final int SMALL_INTEGER_MAX = 5;
  private static final int INDEX_MAX = 2;
  static final int VECTOR_LENGTH = 4;
  static final int MATRIX_SIZE = 3;

  /** The parameter types whose default samples a domain restricts. */
  static final Set<Class<?>> RESTRICTABLE =
      Set.of(
          double.class,
          Double.class,
          int.class,
          Integer.class,
          long.class,
          Long.class,
          double[].class,
          double[][].class,
          Matrix.class,
          int[].class,
          long[].class,
          int[][].class);

  /** Where samples come from; {@code positive} samples integers from 1 to 5. */
  record Domain(double lower, double upper, boolean positive) {
    @Override
    public String toString() {
      return "[" + lower + ", " + upper + "]";
    }
  }

  // How far (relative to max(1, |bound|)) double samples stay inside a domain's bounds.
  private final double relativeStencil;

  /** Samples whose doubles keep the checker's finite-difference stencil inside a domain. */
  Samples(GradientChecker checker) {
    this.relativeStencil = checker.points() * checker.step();
  }

  /**
   * A domain of doubles, or of the integers in it.
   *
   * @throws IllegalArgumentException if a bound is not finite or they are out of order
   */
  static Domain domain(double lower, double upper) {
    if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
      throw new IllegalArgumentException(
          "a domain needs finite bounds with lower <= upper, got [" + lower + ", " + upper + "]");
    }
    return new Domain(lower, upper, false);
  }

  /** A default sample of the type, or null if the type has none. */
  Object sample(Class<?> type, Domain domain, RandomGenerator random) {
    if (type == double.class || type == Double.class) {
      return uniform(domain == null ? SCALAR_DOMAIN : domain, random);
    }
    if (type == int.class || type == Integer.class) {
      return (int) integer(domain, SMALL_INTEGER_MIN, SMALL_INTEGER_MAX, true, random);
    }
    if (type == long.class || type == Long.class) {
      return integer(domain, SMALL_INTEGER_MIN, SMALL_INTEGER_MAX, false, random);
    }
    if (type == boolean.class || type == Boolean.class) {
      return random.nextBoolean();
    }
    Domain entries = domain == null ? ENTRY_DOMAIN : domain;
    if (type == double[].class) {
      return uniformVector(VECTOR_LENGTH, entries, random);
    }
    if (type == double[][].class) {
      return uniformRows(entries, random);
    }
    if (type == Matrix.class) {
      return Matrix.of(uniformRows(entries, random));
    }
    if (type == int[].class) {
      return integerVector(domain, true, random);
    }
    if (type == long[].class) {
      return Arrays.stream(integerVector(domain, false, random)).asLongStream().toArray();
    }
    if (type == int[][].class) {
      int[][] rows = new int[MATRIX_SIZE][];
      for (int i = 0; i < MATRIX_SIZE; i++) {
        rows[i] = integerVector(domain, true, random, MATRIX_SIZE);
      }
      return rows;
    }
    if (type == boolean[].class) {
      boolean[] flags = new boolean[VECTOR_LENGTH];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = random.nextBoolean();
      }
      return flags;
    }
    return null;
  }

  private double[][] uniformRows(Domain entries, RandomGenerator random) {
    double[][] rows = new double[MATRIX_SIZE][];
    for (int i = 0; i < MATRIX_SIZE; i++) {
      rows[i] = uniformVector(MATRIX_SIZE, entries, random);
    }
    return rows;
  }

  private double[] uniformVector(int length, Domain entries, RandomGenerator random) {
    double[] vector = new double[length];
    for (int i = 0; i < length; i++) {
      vector[i] = uniform(entries, random);
    }
    return vector;
  }

  private int[] integerVector(Domain domain, boolean asInt, RandomGenerator random) {
    return integerVector(domain, asInt, random, VECTOR_LENGTH);
  }

  private static int[] integerVector(
      Domain domain, boolean asInt, RandomGenerator random, int length) {
    int[] vector = new int[length];
    for (int i = 0; i < length; i++) {
      vector[i] = (int) integer(domain, 0, INDEX_MAX, asInt, random);
    }
    return vector;
  }

  /**
   * Uniform in the domain, kept a finite-difference stencil (or a quarter of the domain, if less)
   * away from both ends.
   */
  private double uniform(Domain domain, RandomGenerator random) {
    double width = domain.upper - domain.lower;
    if (width == 0) {
      return domain.lower;
    }
    double stencil =
        relativeStencil * Math.max(1, Math.max(Math.abs(domain.lower), Math.abs(domain.upper)));
    double margin = Math.min(width / 4, stencil);
    return random.nextDouble(domain.lower + margin, domain.upper - margin);
  }

  private static long integer(
      Domain domain, long defaultLower, long defaultUpper, boolean asInt, RandomGenerator random) {
    long lower = defaultLower;
    long upper = defaultUpper;
    if (domain != null && domain.positive) {
      lower = SMALL_INTEGER_MIN;
      upper = SMALL_INTEGER_MAX;
    } else if (domain != null) {
      double limit = asInt ? Integer.MAX_VALUE : 0x1p62;
      lower = (long) Math.max(-limit, Math.ceil(domain.lower));
      upper = (long) Math.min(limit, Math.floor(domain.upper));
    }
    return lower >= upper ? lower : random.nextLong(lower, upper + 1);
  }

  static boolean isIntegral(Class<?> type) {
    return type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == int[].class
        || type == long[].class
        || type == int[][].class;
  }

  static Class<?> wrap(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == double.class) {
      return Double.class;
    }
    if (type == int.class) {
      return Integer.class;
    }
    if (type == long.class) {
      return Long.class;
    }
    if (type == boolean.class) {
      return Boolean.class;
    }
    if (type == float.class) {
      return Float.class;
    }
    if (type == short.class) {
      return Short.class;
    }
    if (type == byte.class) {
      return Byte.class;
    }
    return Character.class;
  }
}
