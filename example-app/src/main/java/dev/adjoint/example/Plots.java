package dev.adjoint.example;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots with XChart, written into the context's plot directory. */
final class Plots {
  static {
    // Charts are drawn off screen; without this AWT may look for a display.
    System.setProperty("java.awt.headless", "true");
  }

  private static final int WIDTH = 560;
  private static final int HEIGHT = 400;
  // XChart takes seconds to draw a line through a thousand points; a few hundred look the same.
  private static final int MAX_LINE_POINTS = 200;

  private Plots() {}

  /**
   * The loss and the accuracies of a training run, side by side, as {@code name.png}.
   *
   * @return the file written, or null when the context has no plot directory
   */
  static Path trainingCurves(ExampleContext context, String name, String title, Training.History history) {
    double[] epochs = IntStream.rangeClosed(1, history.loss().length).asDoubleStream().toArray();
    XYChart loss = chart(title + ": training loss", "epoch", "loss");
    line(loss, "training loss", epochs, history.loss());
    XYChart accuracy = chart(title + ": accuracy", "epoch", "accuracy");
    line(accuracy, "training set", epochs, history.trainAccuracy());
    double lowest = Arrays.stream(history.trainAccuracy()).min().orElse(0);
    if (!Double.isNaN(history.testAccuracy()[0])) {
      line(accuracy, "test set", epochs, history.testAccuracy());
      lowest = Math.min(lowest, Arrays.stream(history.testAccuracy()).min().orElse(0));
    }
    // From a round tenth below the worst accuracy up to 1, also when every epoch scored 1.
    accuracy.getStyler().setYAxisMin(Math.min(0.9, Math.floor(lowest * 10) / 10));
    accuracy.getStyler().setYAxisMax(1.0);
    return write(context, name, List.of(loss, accuracy));
  }

  /** An empty chart with the examples' style. */
  static XYChart chart(String title, String xAxis, String yAxis) {
    XYChart chart =
        new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis).build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    return chart;
  }

  /** A series drawn as a line without markers, through at most a few hundred of its points. */
  static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
    int stride = (x.length + MAX_LINE_POINTS - 1) / MAX_LINE_POINTS;
    XYSeries series = chart.addSeries(name, thin(x, stride), thin(y, stride));
    series.setMarker(SeriesMarkers.NONE);
    return series;
  }

  /** Every {@code stride}-th value, and the last. */
  private static double[] thin(double[] values, int stride) {
    if (stride <= 1) {
      return values;
    }
    double[] kept = IntStream.range(0, values.length).filter(i -> i % stride == 0).mapToDouble(i -> values[i]).toArray();
    if ((values.length - 1) % stride != 0) {
      kept = Arrays.copyOf(kept, kept.length + 1);
      kept[kept.length - 1] = values[values.length - 1];
    }
    return kept;
  }

  /** A series drawn as markers only, such as observations. */
  static XYSeries points(XYChart chart, String name, double[] x, double[] y) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    return series;
  }

  /**
   * Charts in one row, as {@code name.png} in the plot directory.
   *
   * @return the file written, or null when the context has no plot directory
   */
  static Path write(ExampleContext context, String name, List<XYChart> charts) {
    if (context.plotDirectory() == null) {
      return null;
    }
    try {
      Files.createDirectories(context.plotDirectory());
      Path file = context.plotDirectory().resolve(name + ".png");
      BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(), BitmapFormat.PNG);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plot " + name, e);
    }
  }
}
