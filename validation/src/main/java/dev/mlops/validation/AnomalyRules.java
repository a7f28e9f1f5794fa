package dev.mlops.validation;

import java.util.List;

/**
 * Anomaly detection on metric history: each metric of the run is compared with the same metric
 * (table, analyzer, column, partition column) of earlier runs in {@code validation.metrics}.
 *
 * @param maxChange the largest allowed relative change against the last run ({@code |v - last| / |last|}), or null
 * @param maxZ the largest allowed z-score against the last {@code history} runs, or null
 * @param history how many earlier runs the z-score looks at
 * @param minHistory how many earlier runs the z-score needs before it judges
 * @param severity how an anomaly is reported
 * @param metrics the analyzers watched ({@code size}, {@code completeness}, {@code mean}, ...); empty: all
 */
public record AnomalyRules(Double maxChange, Double maxZ, int history, int minHistory, Severity severity, List<String> metrics) {
  public AnomalyRules {
    if (maxChange == null && maxZ == null) {
      throw new IllegalArgumentException("needs max-change, max-z or both");
    }
    if (history < 2 || minHistory < 2 || minHistory > history) {
      throw new IllegalArgumentException("needs 2 <= min-history <= history, got " + minHistory + " and " + history);
    }
    metrics = List.copyOf(metrics);
  }

  /** True when {@code analyzer}'s metrics are watched. */
  public boolean watches(String analyzer) {
    return metrics.isEmpty() || metrics.contains(analyzer);
  }
}
