package dev.adjoint.example;

import dev.adjoint.example.ModelsGrad.NeuronGradient;
import java.io.PrintStream;

/** The value and gradient of one sigmoid neuron, from the generated {@code ModelsGrad.neuron}. */
final class NeuronExample {
  private NeuronExample() {}

  static void run(PrintStream out) {
    double a = 1;
    double b = 2;
    double c = -3;
    double x = -1;
    double y = 3;
    out.printf("sigma(a*x + b*y + c) at a = %s, b = %s, c = %s, x = %s, y = %s%n", a, b, c, x, y);
    NeuronGradient gradient = ModelsGrad.neuron(a, b, c, x, y);
    printRow("value", gradient.value(), out);
    printRow("d/da", gradient.a(), out);
    printRow("d/db", gradient.b(), out);
    printRow("d/dc", gradient.c(), out);
    printRow("d/dx", gradient.x(), out);
    printRow("d/dy", gradient.y(), out);
  }

  private static void printRow(String label, double number, PrintStream out) {
    // Double.toString gives every digit that round-trips, which %f does not; the space for the
    // sign keeps the decimal points in one column.
    out.printf("  %-6s %s%s%n", label, number < 0 ? "" : " ", number);
  }
}
