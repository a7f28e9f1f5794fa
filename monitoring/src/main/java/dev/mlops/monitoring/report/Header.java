package dev.mlops.monitoring.report;

import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.drift.DriftStatus;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The top of the report: the subject, a one-line verdict saying what drifted and from when, and the run's facts. */
final class Header {
  /** The drifted features the verdict names before it says how many more. */
  private static final int NAMED = 6;

  private Header() {}

  static void render(StringBuilder b, DriftReport r, List<FeatureDrift> rows) {
    b.append("<header><div class=\"kicker\">Drift report</div><h1>").append(Html.esc(r.subject())).append("</h1>");
    verdict(b, r, rows);
    b.append("<dl class=\"facts\">");
    fact(b, "Model", r.model() == null ? "\u2014" : r.model() + (r.modelVersion() == null ? "" : " v" + r.modelVersion()));
    fact(b, "Table", (r.table() == null ? "\u2014" : r.table().toString())
        + (r.partitionColumn() == null ? "" : ", by " + r.partitionColumn()));
    fact(b, "Reference", r.reference());
    fact(b, "Engine", r.engine());
    fact(b, "Partitions", partitions(r.partitions()));
    String first = r.firstDriftedPartition();
    String firstShare = first == null ? null : " (share \u2265 " + Numbers.percent(r.shares().get(first).threshold()) + ")";
    fact(b, "First drifted partition", first == null ? "none" : first + firstShare);
    fact(b, "First feature drift", firstFeatureDrift(r, rows));
    fact(b, "Computed at", r.computedAt() == null ? "\u2014" : r.computedAt().toString());
    b.append("<div><dt>Alerts</dt><dd>").append(alertChips(r)).append("</dd></div>");
    b.append("</dl></header>");
  }

  private static void verdict(StringBuilder b, DriftReport r, List<FeatureDrift> rows) {
    List<FeatureDrift> features = rows.stream().filter(f -> !f.isScore()).toList();
    List<FeatureDrift> drifted = features.stream().filter(FeatureDrift::drifted).toList();
    long warned = features.stream().filter(f -> f.worst() == DriftStatus.WARN).count();
    String first = r.firstDriftedPartition();
    String css;
    StringBuilder text = new StringBuilder();
    if (first != null) {
      long partitions = r.shares().values().stream().filter(s -> s.status() == DriftStatus.DRIFT).count();
      text.append("<b class=\"nw\">Dataset drift from ").append(Html.esc(first))
          .append("</b>: the share of drifted features reached ")
          .append(Numbers.percent(r.shares().get(first).threshold())).append(" on ").append(partitions).append(" of ")
          .append(r.partitions().size()).append(" partitions. ");
    }
    if (drifted.isEmpty()) {
      css = warned > 0 ? "warn" : "ok";
      text.append("No feature drifted in the ").append(r.partitions().size()).append(" partitions compared")
          .append(warned > 0 ? "; " + warned + " passed a warn level." : ".");
    } else {
      css = "drift";
      text.append(drifted.size()).append(" of ").append(features.size()).append(" features drifted: ");
      text.append(drifted.stream().limit(NAMED).map(f -> "<span class=\"nw\"><b>" + Html.esc(f.column())
          + "</b> from " + Html.esc(f.firstDrifted()) + "</span>").collect(Collectors.joining(", ")));
      text.append(drifted.size() > NAMED ? " and " + (drifted.size() - NAMED) + " more." : ".");
    }
    rows.stream().filter(FeatureDrift::isScore).filter(FeatureDrift::drifted).findFirst()
        .ifPresent(s -> text.append(" The model's score drifted from ").append(Html.esc(s.firstDrifted())).append('.'));
    b.append("<p class=\"verdict ").append(css).append("\">").append(text).append("</p>");
  }

  private static String partitions(List<String> partitions) {
    if (partitions.isEmpty()) {
      return "none";
    }
    String range = partitions.size() == 1 ? partitions.get(0)
        : partitions.get(0) + " \u2026 " + partitions.get(partitions.size() - 1);
    return range + " (" + partitions.size() + ")";
  }

  private static String firstFeatureDrift(DriftReport r, List<FeatureDrift> rows) {
    for (String p : r.partitions()) {
      List<String> names = rows.stream().filter(f -> !f.isScore() && p.equals(f.firstDrifted()))
          .map(FeatureDrift::column).toList();
      if (!names.isEmpty()) {
        return p + " (" + String.join(", ", names.subList(0, Math.min(NAMED, names.size())))
            + (names.size() > NAMED ? ", \u2026" : "") + ")";
      }
    }
    return "none";
  }

  private static String alertChips(DriftReport r) {
    long alerts = r.alerts().stream().filter(a -> a.severity() == Alert.Severity.ALERT).count();
    long warns = r.alerts().size() - alerts;
    Set<String> fresh = r.newAlerts().stream().map(Alert::id).collect(Collectors.toSet());
    String chips = "<span class=\"chip alert\">alert " + alerts + "</span><span class=\"chip warn\">warn " + warns
        + "</span>";
    return fresh.isEmpty() ? chips : chips + "<span class=\"chip new\">" + fresh.size() + " new</span>";
  }

  private static void fact(StringBuilder b, String name, String value) {
    b.append("<div><dt>").append(name).append("</dt><dd>").append(Html.esc(value)).append("</dd></div>");
  }
}
