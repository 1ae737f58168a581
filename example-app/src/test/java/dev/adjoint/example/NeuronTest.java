package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.example.ModelsGrad.NeuronGradient;
import org.junit.jupiter.api.Test;

class NeuronTest {
  @Test
  void valueAndPartialsMatchTheReferenceToOnePartIn1e14() {
    NeuronGradient gradient = ModelsGrad.neuron(1, 2, -3, -1, 3);
    assertRelative(0.8807970779778823, gradient.value(), "value");
    assertRelative(-0.10499358540350662, gradient.a(), "a");
    assertRelative(0.31498075621051985, gradient.b(), "b");
    assertRelative(0.10499358540350662, gradient.c(), "c");
    assertRelative(0.10499358540350662, gradient.x(), "x");
    assertRelative(0.20998717080701323, gradient.y(), "y");
  }

  private static void assertRelative(double expected, double actual, String name) {
    assertEquals(expected, actual, 1e-14 * Math.abs(expected), name);
  }
}
