package dev.mlops.monitoring.report;

import dev.mlops.monitoring.performance.PerformancePoint;
import dev.mlops.monitoring.performance.PerformanceStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The model's performance trend: the label coverage of each partition as bars (right axis, 0 to
 * 100%), the metric as a line over them (left axis, fitted to its values). DEGRADED points are
 * marked in the drift colour; PENDING partitions are greyed, their points hollow and joined by
 * dashes, so that a provisional value is never drawn as a good one. An INSUFFICIENT partition
 * (labels lack a class) has no value and shows its coverage alone.
 */
final class PerformanceChart {
  private static final double WIDTH = 1300;
  private static final double HEIGHT = 270;
  private static final double LEFT = 64;
  private static final double RIGHT = 56;
  private static final double TOP = 26;
  private static final double PLOT_H = 180;
  private static final int TICKS = 4;

  private PerformanceChart() {}

  static void render(StringBuilder b, List<PerformancePoint> points) {
    if (points.isEmpty()) {
      return;
    }
    String metric = points.get(0).metric();
    b.append("<section class=\"performance\"><h2>Performance: ").append(Html.esc(metric))
        .append(" and label coverage</h2><div class=\"legend\"><span><span class=\"key metric\"></span>")
        .append(Html.esc(metric)).append("</span><span><span class=\"key degraded\"></span>DEGRADED</span>")
        .append("<span><span class=\"key coverage\"></span>label coverage (right axis)</span>")
        .append("<span><span class=\"key pending\"></span>PENDING: too few labels yet, value provisional</span></div>");
    b.append(svg(points, metric)).append("</section>");
  }

  private static String svg(List<PerformancePoint> points, String metric) {
    Svg svg = new Svg("chart", WIDTH, HEIGHT, metric + " and label coverage per partition");
    double band = (WIDTH - LEFT - RIGHT) / points.size();
    double[] range = range(points);
    for (int i = 0; i < points.size(); i++) {
      PerformancePoint p = points.get(i);
      double x = LEFT + band * i;
      boolean pending = p.status() == PerformanceStatus.PENDING;
      if (pending) {
        svg.rect(x + 1, TOP, band - 2, PLOT_H, "pending-band", null);
        svg.text(x + band / 2, TOP - 8, "pending", "middle", "pending");
      }
      double h = PLOT_H * p.labelCoverage();
      svg.rect(x + band * 0.3, TOP + PLOT_H - h, band * 0.4, h, "coverage" + (pending ? " pending" : ""),
          p.partition() + ": labels on " + Numbers.percent(p.labelCoverage()) + " of rows");
      svg.text(x + band / 2, TOP + PLOT_H + 16, p.partition(), "middle", "");
      svg.text(x + band / 2, TOP + PLOT_H + 31, "labels " + Numbers.percent(p.labelCoverage()), "middle", "muted");
    }
    axes(svg, range);
    line(svg, points, band, range);
    return svg.end();
  }

  private static void axes(Svg svg, double[] range) {
    double right = WIDTH - RIGHT;
    for (int t = 0; t <= TICKS; t++) {
      double y = TOP + PLOT_H - PLOT_H * t / TICKS;
      svg.line(LEFT, y, right, y, "grid");
      svg.text(LEFT - 6, y + 4, Numbers.value(range[0] + (range[1] - range[0]) * t / TICKS), "end", "");
      svg.text(right + 6, y + 4, Numbers.percent((double) t / TICKS), "start", "muted");
    }
    svg.line(LEFT, TOP, LEFT, TOP + PLOT_H, "axis");
    svg.line(right, TOP, right, TOP + PLOT_H, "axis");
  }

  private static void line(Svg svg, List<PerformancePoint> points, double band, double[] range) {
    Integer previous = null;
    for (int i = 0; i < points.size(); i++) {
      if (!hasValue(points.get(i))) {
        continue;
      }
      if (previous != null) {
        boolean pending = points.get(previous).status() == PerformanceStatus.PENDING || points.get(i).status() == PerformanceStatus.PENDING;
        svg.line(x(previous, band), y(points.get(previous), range), x(i, band), y(points.get(i), range),
            pending ? "metric pending" : "metric");
      }
      previous = i;
    }
    for (int i = 0; i < points.size(); i++) {
      PerformancePoint p = points.get(i);
      if (hasValue(p)) {
        String css = p.status().name().toLowerCase(Locale.ROOT);
        svg.circle(x(i, band), y(p, range), p.status() == PerformanceStatus.DEGRADED ? 6 : 4.5, "pt " + css,
            p.partition() + ": " + p.metric() + " " + Numbers.value(p.value()) + " (" + p.status() + ", labels on "
                + Numbers.percent(p.labelCoverage()) + " of rows)");
        svg.text(x(i, band), y(p, range) - 10, Numbers.value(p.value()), "middle",
            p.status() == PerformanceStatus.OK ? "" : css);
      }
    }
  }

  private static boolean hasValue(PerformancePoint p) {
    return Double.isFinite(p.value());
  }

  private static double x(int i, double band) {
    return LEFT + band * i + band / 2;
  }

  private static double y(PerformancePoint p, double[] range) {
    return TOP + PLOT_H - PLOT_H * (p.value() - range[0]) / (range[1] - range[0]);
  }

  /**
   * The left axis: round ticks around the values, with room above and below, so that a change
   * shows and the points clear the frame; [0, 1] when there is no value.
   */
  static double[] range(List<PerformancePoint> points) {
    double[] v = points.stream().filter(PerformanceChart::hasValue).mapToDouble(PerformancePoint::value).toArray();
    if (v.length == 0) {
      return new double[] {0, 1};
    }
    double lo = Arrays.stream(v).min().getAsDouble();
    double hi = Arrays.stream(v).max().getAsDouble();
    double span = hi > lo ? hi - lo : Math.max(Math.abs(hi) * 0.1, 0.1);
    lo -= span * 0.1;
    hi += span * 0.1;
    double step = round(span / TICKS);
    double base = Math.floor(lo / step) * step;
    while (base + step * TICKS < hi) {
      step = round(step * 1.01);
      base = Math.floor(lo / step) * step;
    }
    return new double[] {base, base + step * TICKS};
  }

  /** The smallest of 1, 2, 2.5 and 5 times a power of ten at least {@code x}. */
  private static double round(double x) {
    double power = Math.pow(10, Math.floor(Math.log10(x)));
    double f = x / power;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
  }
}
