package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EpochProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void runOnePeriod(EpochProgress progress) {
    progress.start("epoch 1/2", 3);
    progress.step(0.9);
    progress.step(0.8);
    progress.step(0.7);
    progress.finish("epoch 1/2", "loss 0.7000  train accuracy 0.5000");
  }

  @Test
  void withoutATerminalEachPeriodIsOnePlainLine() {
    try (EpochProgress progress = new EpochProgress(ExampleContext.quiet(out))) {
      runOnePeriod(progress);
    }
    assertEquals("  epoch 1/2       loss 0.7000  train accuracy 0.5000" + System.lineSeparator(), printed());
  }

  @Test
  void inATerminalABarIsRedrawnAndLeftWithTheSummary() {
    try (EpochProgress progress = new EpochProgress(new ExampleContext(out, true, null))) {
      runOnePeriod(progress);
    }
    String printed = printed();
    assertTrue(printed.contains("\r"), printed);
    String lastDrawing = printed.substring(printed.lastIndexOf('\r') + 1);
    assertTrue(lastDrawing.contains("epoch 1/2") && lastDrawing.contains("3/3"), printed);
    assertTrue(lastDrawing.contains("loss 0.7000  train accuracy 0.5000"), printed);
    assertTrue(printed.endsWith(System.lineSeparator()), "the finished bar stays on its own line");
  }
}
