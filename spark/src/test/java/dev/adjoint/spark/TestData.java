package dev.adjoint.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The tests' data sets, read from the module's test resources. */
final class TestData {
  private TestData() {}

  /** One labelled example. */
  record Sample(double[] x, double y) implements Serializable {}

  /** One example of a multi-class problem; {@code label} is a one-element array, as the loss takes it. */
  record Digit(double[] x, int[] label) implements Serializable {}

  /** The breast-cancer data, features standardised (mean 0, standard deviation 1), labels 0/1. */
  static List<Sample> breastCancer() {
    List<double[]> rows = read("/data/breast_cancer.csv", false, true);
    int d = rows.get(0).length - 1;
    double[][] x = new double[rows.size()][d];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x[i], 0, d);
    }
    standardize(x);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      samples.add(new Sample(x[i], rows.get(i)[d]));
    }
    return samples;
  }

  /** The digits, pixels scaled to [0, 1]. */
  static List<Digit> digits() {
    List<Digit> digits = new ArrayList<>();
    for (double[] row : read("/data/digits.csv.gz", true, false)) {
      double[] x = new double[row.length - 1];
      for (int j = 0; j < x.length; j++) {
        x[j] = row[j] / 16;
      }
      digits.add(new Digit(x, new int[] {(int) row[x.length]}));
    }
    return digits;
  }

  static void standardize(double[][] x) {
    int n = x.length;
    for (int j = 0; j < x[0].length; j++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[j] / n;
      }
      double variance = 0;
      for (double[] row : x) {
        variance += (row[j] - mean) * (row[j] - mean) / n;
      }
      double sd = Math.sqrt(variance);
      for (double[] row : x) {
        row[j] = (row[j] - mean) / sd;
      }
    }
  }

  private static List<double[]> read(String resource, boolean gzip, boolean header) {
    try (InputStream in = TestData.class.getResourceAsStream(resource);
        BufferedReader reader = new BufferedReader(new InputStreamReader(
            gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
      List<double[]> rows = new ArrayList<>();
      String line = header ? reader.readLine() : null;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",");
        double[] row = new double[fields.length];
        for (int j = 0; j < fields.length; j++) {
          row[j] = Double.parseDouble(fields[j]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
