package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one workload's inputs, value and gradient for the PyTorch script: a folder with {@code
 * meta.txt} (one line per array: name, f64 or i32, dimensions) and one raw little-endian file per
 * array. The script checks its own value and gradient against the exported ones before timing.
 */
final class Export {
  private final Path folder;
  private final List<String> meta = new ArrayList<>();

  Export(Path root, String workload) {
    this.folder = root.resolve(workload);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Export scalar(String name, double value) {
    return write(name, "f64", new double[] {value}, "");
  }

  Export vector(String name, double[] values) {
    return write(name, "f64", values, " " + values.length);
  }

  Export matrix(String name, double[][] values) {
    int cols = values.length == 0 ? 0 : values[0].length;
    double[] flat = new double[values.length * cols];
    for (int i = 0; i < values.length; i++) {
      System.arraycopy(values[i], 0, flat, i * cols, cols);
    }
    return write(name, "f64", flat, " " + values.length + " " + cols);
  }

  Export matrix(String name, Matrix values) {
    return matrix(name, values.toArray());
  }

  Export ints(String name, int[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      buffer.putInt(v);
    }
    meta.add(name + " i32 " + values.length);
    return bytes(name, buffer.array());
  }

  private Export write(String name, String kind, double[] values, String dims) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putDouble(v);
    }
    meta.add(name + " " + kind + dims);
    return bytes(name, buffer.array());
  }

  private Export bytes(String name, byte[] data) {
    try {
      Files.write(folder.resolve(name + ".bin"), data);
      Files.write(folder.resolve("meta.txt"), meta);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
