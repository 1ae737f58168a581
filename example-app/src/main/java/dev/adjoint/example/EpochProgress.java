package dev.adjoint.example;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: in a terminal, a progress bar over the batches of each reporting period
 * with the running loss, left on screen with the period's loss and accuracies; elsewhere (CI logs,
 * tests) only that final line, printed once per period.
 */
final class EpochProgress implements AutoCloseable {
  // Rendering to a fixed width keeps the progress bar library from probing the terminal (JLine).
  private static final int BAR_WIDTH = 110;

  private final PrintStream out;
  private final boolean interactive;
  private ProgressBar bar;
  private LineConsumer line;

  /**
   * Draws the bar on one console line. A bar closed before its first scheduled redraw is drawn
   * once more but never ends its line (progressbar 0.10.2 only closes its consumer after a first
   * redraw), so this remembers whether the line was ended.
   */
  private static final class LineConsumer extends ConsoleProgressBarConsumer {
    private volatile boolean ended;

    LineConsumer(PrintStream out) {
      super(out, BAR_WIDTH);
    }

    @Override
    public void close() {
      super.close();
      ended = true;
    }
  }

  EpochProgress(ExampleContext context) {
    this.out = context.out();
    this.interactive = context.interactive();
  }

  /** Starts a period of {@code batches} steps, named such as {@code "epoch 3/10"}. */
  void start(String period, long batches) {
    if (interactive) {
      line = new LineConsumer(out);
      bar =
          new ProgressBarBuilder()
              .setTaskName(String.format("  %-15s", period))
              .setInitialMax(batches)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(100)
              .continuousUpdate()
              .hideEta()
              .setConsumer(line)
              .build();
    }
  }

  /** One batch done; {@code runningLoss} is the mean loss of the period so far. */
  void step(double runningLoss) {
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(String.format("loss %.4f", runningLoss));
    }
  }

  /** Ends the period with its summary, such as its loss and accuracies. */
  void finish(String period, String summary) {
    if (bar != null) {
      bar.setExtraMessage(summary);
      close();
    } else {
      out.printf("  %-15s %s%n", period, summary);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close(); // draws the bar a last time, waiting for the drawing thread
      if (!line.ended) {
        out.println();
      }
      bar = null;
    }
  }
}
