package dev.adjoint.example;

import dev.adjoint.runtime.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Examples for classification: one row of {@code features} per example and its class in {@code
 * labels}.
 */
record DataSet(Matrix features, int[] labels) {
  /** A training set and a test set. */
  record Split(DataSet train, DataSet test) {
    /**
     * Both sets with every feature shifted and scaled to mean 0 and standard deviation 1 on the
     * training set: the test set must not influence training, not even through its statistics.
     */
    Split standardised() {
      double[][] train = this.train.features.toArray();
      int columns = this.train.features.cols();
      double[] mean = new double[columns];
      double[] scale = new double[columns];
      for (int j = 0; j < columns; j++) {
        double sum = 0;
        double sumOfSquares = 0;
        for (double[] row : train) {
          sum += row[j];
          sumOfSquares += row[j] * row[j];
        }
        mean[j] = sum / train.length;
        double variance = sumOfSquares / train.length - mean[j] * mean[j];
        // A constant feature stays 0 instead of becoming NaN.
        scale[j] = variance > 0 ? 1 / Math.sqrt(variance) : 0;
      }
      return new Split(this.train.affine(mean, scale), test.affine(mean, scale));
    }
  }

  DataSet {
    if (features.rows() != labels.length) {
      throw new IllegalArgumentException(features.rows() + " examples but " + labels.length + " labels");
    }
  }

  /**
   * The Breast Cancer Wisconsin (Diagnostic) set: 569 examples of 30 features, label 1 for benign
   * and 0 for malignant.
   */
  static DataSet breastCancer() {
    return fromRows(readCsv("breast_cancer.csv", false, 1)); // the header line holds counts
  }

  /** The UCI handwritten digits: 1797 8x8 images of 64 pixels in [0, 16], labels 0 to 9. */
  static DataSet digits() {
    return fromRows(readCsv("digits.csv.gz", true, 0));
  }

  int size() {
    return labels.length;
  }

  /** The examples in a random order from {@code new Random(seed)}: the same on every JVM. */
  DataSet shuffled(long seed) {
    return select(permutation(size(), new Random(seed)));
  }

  /** The first {@code fraction} of the examples for training, the rest for testing. */
  Split split(double fraction) {
    int trainSize = (int) Math.round(fraction * size());
    return new Split(slice(0, trainSize), slice(trainSize, size()));
  }

  /** The examples at the given positions, in that order. */
  DataSet select(int[] positions) {
    int[] selected = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      selected[i] = labels[positions[i]];
    }
    return new DataSet(features.selectRows(positions), selected);
  }

  /** Examples {@code from} to {@code to - 1}. */
  DataSet slice(int from, int to) {
    return new DataSet(features.sliceRows(from, to), Arrays.copyOfRange(labels, from, to));
  }

  /** The features multiplied by {@code factor}, such as pixels scaled into [0, 1]. */
  DataSet scaled(double factor) {
    return new DataSet(features.scale(factor), labels);
  }

  /** The labels as a column of numbers, the targets of a binary classifier. */
  Matrix labelColumn() {
    return Matrix.columnVector(labelValues());
  }

  /** The labels as numbers. */
  double[] labelValues() {
    return Arrays.stream(labels).asDoubleStream().toArray();
  }

  /** The fraction of {@code predicted} equal to the labels. */
  double accuracy(int[] predicted) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predicted[i] == labels[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }

  /** A random permutation of 0 to n - 1 (Fisher–Yates). */
  static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private DataSet affine(double[] shift, double[] scale) {
    double[][] rows = features.toArray();
    for (double[] row : rows) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (row[j] - shift[j]) * scale[j];
      }
    }
    return new DataSet(Matrix.of(rows), labels);
  }

  /** Rows whose last column is the label. */
  private static DataSet fromRows(List<double[]> rows) {
    double[][] features = new double[rows.size()][];
    int[] labels = new int[rows.size()];
    for (int i = 0; i < features.length; i++) {
      double[] row = rows.get(i);
      features[i] = Arrays.copyOf(row, row.length - 1);
      labels[i] = (int) row[row.length - 1];
    }
    return new DataSet(Matrix.of(features), labels);
  }

  /** The numbers of a CSV file in the classpath folder {@code /data}, after some header lines. */
  static List<double[]> readCsv(String name, boolean gzipped, int headerLines) {
    String resource = "/data/" + name;
    try (InputStream raw = DataSet.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      InputStream in = gzipped ? new GZIPInputStream(raw) : raw;
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (int i = 0; i < headerLines; i++) {
        reader.readLine();
      }
      List<double[]> rows = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          rows.add(parseNumbers(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The numbers of one line; quotes around a cell (R's {@code write.csv} quotes factors) are dropped. */
  private static double[] parseNumbers(String line) {
    return Arrays.stream(line.split(","))
        .mapToDouble(cell -> Double.parseDouble(cell.trim().replace("\"", "")))
        .toArray();
  }
}
