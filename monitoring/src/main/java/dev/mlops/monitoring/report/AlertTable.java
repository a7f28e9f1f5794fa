package dev.mlops.monitoring.report;

import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.alerts.Alert;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The run's alerts as a table: alerts before warnings, then by partition and column; new ones marked. */
final class AlertTable {
  /** The most rows drawn; the rest are in {@code monitoring.alerts}. */
  static final int MAX_ROWS = 500;

  private static final Comparator<Alert> ORDER = Comparator.comparing((Alert a) -> a.severity() != Alert.Severity.ALERT)
      .thenComparing(a -> String.valueOf(a.partition())).thenComparing(a -> String.valueOf(a.column()))
      .thenComparing(a -> String.valueOf(a.metric()));

  private AlertTable() {}

  static void render(StringBuilder b, DriftReport r) {
    b.append("<section class=\"alerts\"><h2>Alerts (").append(r.alerts().size()).append(")</h2>");
    if (r.alerts().isEmpty()) {
      b.append("<p class=\"note\">No alert was raised.</p></section>");
      return;
    }
    Set<String> fresh = r.newAlerts().stream().map(Alert::id).collect(Collectors.toSet());
    b.append("<table class=\"alerts\"><thead><tr><th>severity</th><th>partition</th><th>column</th><th>metric</th>"
        + "<th>value</th><th>threshold</th><th>message</th></tr></thead><tbody>");
    List<Alert> sorted = r.alerts().stream().sorted(ORDER).toList();
    for (Alert a : sorted.subList(0, Math.min(MAX_ROWS, sorted.size()))) {
      b.append("<tr><td class=\"sev ").append(a.severity().label()).append("\"><span>").append(a.severity().label())
          .append("</span>").append(fresh.contains(a.id()) ? " new" : "").append("</td><td>")
          .append(Html.esc(a.partition())).append("</td><td>")
          .append("*".equals(a.column()) ? "<i>all features</i>" : Html.esc(a.column())).append("</td><td>")
          .append(Html.esc(MetricText.title(a.metric()))).append("</td><td class=\"num\">")
          .append(Numbers.value(a.value())).append("</td><td class=\"num\">").append(Numbers.value(a.threshold()))
          .append("</td><td class=\"msg\">").append(Html.esc(a.message())).append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (sorted.size() > MAX_ROWS) {
      b.append("<p class=\"note\">").append(sorted.size() - MAX_ROWS)
          .append(" more alerts are not listed; query monitoring.alerts for all of them.</p>");
    }
    b.append("</section>");
  }
}
