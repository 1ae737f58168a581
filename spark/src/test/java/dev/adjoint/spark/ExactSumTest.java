package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exact summation: any order and grouping of the additions gives the correctly rounded sum. */
class ExactSumTest {
  @Test
  void anyOrderAndGroupingGivesTheCorrectlyRoundedSum() throws IOException {
    Random random = new Random(1);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      values.add(random.nextGaussian() * Math.pow(10, random.nextInt(30) - 15));
    }
    values.add(1e100);
    values.add(-1e100);
    BigDecimal exact = BigDecimal.ZERO;
    for (double v : values) {
      exact = exact.add(new BigDecimal(v));
    }
    double expected = exact.round(MathContext.DECIMAL128).doubleValue();
    double naive = 0;
    for (double v : values) {
      naive += v;
    }
    // The plain sum loses everything to the two large terms; the exact one does not.
    assertEquals(0, naive, 1e80);
    for (int trial = 0; trial < 5; trial++) {
      Collections.shuffle(values, random);
      // Four "partitions" summed separately, then combined in a shuffled order, as treeAggregate may.
      List<ExactSum> parts = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        ExactSum part = new ExactSum();
        for (int i = p; i < values.size(); i += 4) {
          part.add(values.get(i));
        }
        parts.add(roundTrip(part));
      }
      Collections.shuffle(parts, random);
      ExactSum total = new ExactSum();
      for (ExactSum part : parts) {
        total.addAll(part);
      }
      assertEquals(expected, total.value(), 0);
    }
  }

  private static ExactSum roundTrip(ExactSum sum) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      sum.writeTo(out);
    }
    return ExactSum.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
