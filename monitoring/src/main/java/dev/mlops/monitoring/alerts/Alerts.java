package dev.mlops.monitoring.alerts;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alerts a drift run raises: one per metric of a column past its threshold in a partition
 * (WARN gives a warn, DRIFT an alert), and one per partition whose share of drifted columns reached
 * its threshold. Stateless.
 */
public final class Alerts {
  private Alerts() {}

  /** The alerts of {@code columns} and {@code shares} (by partition) of {@code subject}. */
  public static List<Alert> of(String subject, List<ColumnDrift> columns, Map<String, DriftShare> shares) {
    List<Alert> out = new ArrayList<>();
    for (ColumnDrift c : columns) {
      for (DriftResult r : c.results()) {
        if (r.status() == DriftStatus.WARN || r.status() == DriftStatus.DRIFT) {
          out.add(Alert.of(subject, c.partition(), c.column(), r.metric(), r.value(), threshold(r),
              r.status() == DriftStatus.DRIFT ? Alert.Severity.ALERT : Alert.Severity.WARN, message(subject, c, r)));
        }
      }
    }
    shares.forEach((partition, share) -> {
      if (share.status() == DriftStatus.DRIFT) {
        out.add(Alert.of(subject, partition, "*", "drift_share", share.share(), share.threshold(), Alert.Severity.ALERT,
            String.format(Locale.ROOT, "%s: %d of %d features drifted on %s (%.0f%%, threshold %.0f%%): %s", subject,
                share.drifted(), share.features() - share.insufficient(), partition, 100 * share.share(),
                100 * share.threshold(), String.join(", ", share.driftedFeatures()))));
      }
    });
    return out;
  }

  /** The threshold a result crossed: the level reached for PSI and Jensen-Shannon, the minimum effect for a test. */
  private static double threshold(DriftResult r) {
    Map<String, Double> t = r.thresholds();
    if (t.containsKey("alert")) {
      return r.status() == DriftStatus.DRIFT ? t.get("alert") : t.get("warn");
    }
    return t.getOrDefault("minStatistic", t.getOrDefault("minCramersV", Double.NaN));
  }

  private static String message(String subject, ColumnDrift c, DriftResult r) {
    String p = r.pValue().isPresent() ? String.format(Locale.ROOT, ", p-value %.3g", r.pValue().getAsDouble()) : "";
    return String.format(Locale.ROOT, "%s: %s of %s on %s is %.4f%s (%s %.4f)", subject, r.metric(), c.column(),
        c.partition(), r.value(), p, r.status() == DriftStatus.DRIFT ? "threshold" : "warn level", threshold(r));
  }
}
