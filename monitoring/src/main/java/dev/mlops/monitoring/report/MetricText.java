package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.DriftDetails;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The words and numbers of drift results, for hover titles and panel captions. */
final class MetricText {
  private MetricText() {}

  /** The result of {@code metric} ({@code psi}, {@code ks}, ...) of a column, if computed. */
  static Optional<DriftResult> result(ColumnDrift c, String metric) {
    return c.results().stream().filter(r -> r.metric().equals(metric)).findFirst();
  }

  /** The PSI of a column (computed for both kinds), NaN when there is none: what rows are ordered by. */
  static double psi(ColumnDrift c) {
    return result(c, "psi").map(DriftResult::value).orElse(Double.NaN);
  }

  /**
   * The text of a heatmap cell: the PSI, unless another metric gave the status (a KS test, a
   * chi-squared test, a Jensen-Shannon level), whose figure it then shows by name: {@code D 0.18},
   * {@code V 0.21}, {@code JS 0.08}.
   */
  static String cell(ColumnDrift c) {
    DriftStatus status = c.status();
    if (status == DriftStatus.INSUFFICIENT) {
      return "n/a";
    }
    Optional<DriftResult> psi = result(c, "psi");
    if (psi.isPresent() && psi.get().status() == status) {
      return Numbers.cell(psi.get().value());
    }
    DriftResult by = c.results().stream().filter(r -> r.status() == status).findFirst().orElseThrow();
    return switch (by.metric()) {
      case "ks" -> "D " + Numbers.cell(by.value());
      case "chi_squared" -> "V " + Numbers.cell(by.effectSize().orElse(Double.NaN));
      default -> title(by.metric()) + " " + Numbers.cell(by.value());
    };
  }

  /** Every result on a line, then the rows compared: the hover title of a heatmap cell. */
  static String cellTitle(ColumnDrift c) {
    List<String> lines = new ArrayList<>();
    lines.add(c.column() + " on " + c.partition() + ": " + c.status());
    for (DriftResult r : c.results()) {
      lines.add(line(r));
    }
    lines.add("rows: reference " + Numbers.count(c.referenceRows()) + ", current " + Numbers.count(c.currentRows()));
    return String.join("\n", lines);
  }

  /** The results in short, one part per metric, for a panel caption: {@code PSI 0.412}, {@code KS 0.231 (p < 0.001)}. */
  static List<String> summary(ColumnDrift c) {
    List<String> parts = new ArrayList<>();
    for (DriftResult r : c.results()) {
      if (r.status() != DriftStatus.INSUFFICIENT) {
        parts.add(title(r.metric()) + " " + Numbers.value(r.value())
            + (r.pValue().isPresent() ? " (p " + Numbers.pValue(r.pValue().getAsDouble()) + ")" : ""));
      }
    }
    return parts;
  }

  /** {@code psi 0.412 DRIFT (warn 0.1, alert 0.2)}, or the reason there is no value. */
  static String line(DriftResult r) {
    if (r.details() instanceof DriftDetails.InsufficientData d) {
      return title(r.metric()) + ": " + d.reason();
    }
    String p = r.pValue().isPresent() ? ", p " + Numbers.pValue(r.pValue().getAsDouble()) : "";
    return title(r.metric()) + " " + Numbers.value(r.value()) + p + " " + r.status() + thresholds(r.thresholds());
  }

  /** A metric's name as people write it. */
  static String title(String metric) {
    if (metric == null) {
      return "";
    }
    return switch (metric) {
      case "psi" -> "PSI";
      case "ks" -> "KS";
      case "chi_squared" -> "chi\u00b2";
      case "jensen_shannon" -> "JS";
      default -> metric;
    };
  }

  private static String thresholds(Map<String, Double> t) {
    if (t.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    t.forEach((k, v) -> parts.add(switch (k) {
      case "minStatistic" -> "min D";
      case "minCramersV" -> "min V";
      default -> k;
    } + " " + Numbers.value(v)));
    return " (" + String.join(", ", parts) + ")";
  }
}
