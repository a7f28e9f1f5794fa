package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import java.util.List;
import java.util.Locale;

/**
 * Features x partitions coloured by status, the most drifted features on top, the model's score in
 * its own row below them, and above them the share of drifted features per partition as bars
 * against the dataset threshold, so that the columns line up: one reads down a day and across a
 * feature. The partition where drift starts is marked by a rule.
 */
final class Heatmap {
  /** Above this many partitions their labels are written vertically. */
  private static final int VERTICAL_LABELS = 16;
  private static final double BAR_W = 40;
  private static final double BAR_H = 40;

  private Heatmap() {}

  static void render(StringBuilder b, DriftReport r, List<FeatureDrift> rows) {
    List<String> partitions = r.partitions();
    String from = from(r, rows);
    b.append("<section class=\"heatmap\"><h2>Drift by feature and ").append(Html.esc(partitionWord(r)))
        .append("</h2>");
    legend(b);
    b.append("<div class=\"heatmap-wrap\"><table class=\"heatmap\"><colgroup><col class=\"name\"/>");
    b.append("<col/>".repeat(partitions.size())).append("</colgroup><thead><tr><th></th>");
    for (String p : partitions) {
      b.append("<th class=\"").append(partitions.size() > VERTICAL_LABELS ? "vertical" : "")
          .append(p.equals(from) ? " from" : "").append("\" title=\"").append(Html.esc(p)).append("\">");
      if (p.equals(from)) {
        b.append("<span class=\"from-label\">first drift</span>");
      }
      b.append(Html.esc(p)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    shareRow(b, r, from);
    b.append("<tr class=\"gap\"><td colspan=\"").append(partitions.size() + 1).append("\"></td></tr>");
    rows.stream().filter(f -> !f.isScore()).forEach(f -> row(b, f, partitions, from, ""));
    rows.stream().filter(FeatureDrift::isScore).forEach(f -> row(b, f, partitions, from, "score-row"));
    b.append("</tbody></table></div></section>");
  }

  private static void legend(StringBuilder b) {
    b.append("<div class=\"legend\">");
    for (DriftStatus s : DriftStatus.values()) {
      b.append("<span><span class=\"key ").append(Statuses.css(s)).append("\"></span>").append(s.name()).append("</span>");
    }
    b.append("<span>Colour: the worst metric (numeric: PSI, KS; categorical: chi\u00b2, PSI, JS). Value: the PSI,"
        + " or D (KS), V (chi\u00b2) or JS when that metric set the colour. Hover a cell for every value.</span>");
    b.append("<span><span class=\"key threshold\"></span>dataset threshold on the share of drifted features</span>");
    b.append("</div>");
  }

  private static void shareRow(StringBuilder b, DriftReport r, String from) {
    b.append("<tr class=\"share-row\"><th>Drifted features<span class=\"sub\">share per partition</span></th>");
    for (String p : r.partitions()) {
      DriftShare s = r.shares().get(p);
      DriftStatus status = s == null ? DriftStatus.INSUFFICIENT : s.status();
      String title = s == null ? p + ": no share computed"
          : p + ": " + s.drifted() + " of " + (s.features() - s.insufficient()) + " features drifted ("
              + Numbers.percent(s.share()) + ", threshold " + Numbers.percent(s.threshold()) + ")"
              + (s.insufficient() > 0 ? ", " + s.insufficient() + " insufficient" : "")
              + (s.driftedFeatures().isEmpty() ? "" : ": " + String.join(", ", s.driftedFeatures()));
      b.append("<td class=\"share").append(status == DriftStatus.DRIFT ? " drift-share" : "")
          .append(p.equals(from) ? " from" : "").append("\" title=\"").append(Html.esc(title)).append("\">");
      Svg svg = Svg.stretched("share", BAR_W, BAR_H, title);
      double share = s == null || Double.isNaN(s.share()) ? 0 : s.share();
      svg.rect(BAR_W * 0.15, BAR_H * (1 - share), BAR_W * 0.7, BAR_H * share, "share-bar " + Statuses.css(status), null);
      if (s != null) {
        svg.line(0, BAR_H * (1 - s.threshold()), BAR_W, BAR_H * (1 - s.threshold()), "threshold");
      }
      b.append(svg.end()).append(s == null ? "n/a" : Numbers.percent(s.share())).append("</td>");
    }
    b.append("</tr>");
  }

  private static void row(StringBuilder b, FeatureDrift f, List<String> partitions, String from, String css) {
    b.append("<tr class=\"").append(css).append("\" data-column=\"").append(Html.esc(f.column())).append("\"><th title=\"")
        .append(Html.esc(f.column())).append("\">").append(Html.esc(f.column())).append("<span class=\"sub\">")
        .append(f.isScore() ? "model score" : f.kind().name().toLowerCase(Locale.ROOT));
    if (f.drifted()) {
      b.append(" \u00b7 drift from ").append(Html.esc(f.firstDrifted()));
    }
    b.append("</span></th>");
    for (String p : partitions) {
      ColumnDrift c = f.at(p);
      DriftStatus status = c == null ? null : c.status();
      b.append("<td class=\"hm ").append(Statuses.css(status)).append(p.equals(from) ? " from" : "")
          .append("\" data-partition=\"").append(Html.esc(p)).append("\" title=\"")
          .append(Html.esc(c == null ? f.column() + " on " + p + ": not compared" : MetricText.cellTitle(c))).append("\">")
          .append(cellText(c)).append("</td>");
    }
    b.append("</tr>");
  }

  private static String cellText(ColumnDrift c) {
    return c == null ? "\u2014" : MetricText.cell(c);
  }

  /**
   * The partition marked as where drift starts: the first where a feature drifted (the earliest
   * sign), else the dataset's first drifted one, else none.
   */
  static String from(DriftReport r, List<FeatureDrift> rows) {
    return r.partitions().stream().filter(p -> rows.stream().anyMatch(f -> !f.isScore() && p.equals(f.firstDrifted())))
        .findFirst().orElse(r.firstDriftedPartition());
  }

  private static String partitionWord(DriftReport r) {
    return r.partitionColumn() == null ? "partition" : r.partitionColumn();
  }
}
