package dev.mlops.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges this run's metrics against their history (most recent first): relative change against
 * the last run, z-score against the last N runs. Pure: the history is passed in. Thread-safe.
 */
final class AnomalyDetector {
  private final AnomalyRules rules;

  public AnomalyDetector(AnomalyRules rules) {
    this.rules = rules;
  }

  /**
   * One result per watched metric that has history.
   *
   * @param metrics this run's metrics
   * @param history earlier values by {@link Metric#label()}, most recent first
   */
  public List<CheckResult> judge(List<Metric> metrics, Map<String, List<Double>> history) {
    List<CheckResult> out = new ArrayList<>();
    for (Metric m : metrics) {
      List<Double> past = history.getOrDefault(m.label(), List.of());
      if (!rules.watches(m.analyzer()) || past.isEmpty()) {
        continue;
      }
      List<String> problems = new ArrayList<>();
      List<String> observed = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      if (rules.maxChange() != null) {
        double last = past.get(0);
        double change = last == 0 ? (m.value() == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(m.value() - last) / Math.abs(last);
        observed.add("change " + pct(change) + " from " + num(last));
        expected.add("change <= " + pct(rules.maxChange()));
        if (change > rules.maxChange()) {
          problems.add("changed " + pct(change) + " since the last run (" + num(last) + " -> " + num(m.value()) + ")");
        }
      }
      if (rules.maxZ() != null && past.size() >= rules.minHistory()) {
        List<Double> window = past.subList(0, Math.min(rules.history(), past.size()));
        double mean = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double var = window.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (window.size() - 1);
        double sd = Math.sqrt(var);
        double z = sd == 0 ? (m.value() == mean ? 0 : Double.POSITIVE_INFINITY) : Math.abs(m.value() - mean) / sd;
        observed.add("z " + num(z) + " over " + window.size() + " runs");
        expected.add("z <= " + num(rules.maxZ()));
        if (z > rules.maxZ()) {
          problems.add("z-score " + num(z) + " against the last " + window.size() + " runs (mean " + num(mean) + ", sd "
              + num(sd) + ")");
        }
      }
      if (observed.isEmpty()) {
        continue;
      }
      out.add(new CheckResult("anomaly:" + m.label(), "anomaly", rules.severity(),
          problems.isEmpty() ? CheckStatus.SUCCESS : CheckStatus.FAILURE, num(m.value()) + ": " + String.join(", ", observed),
          String.join(", ", expected), problems.isEmpty() ? "in line with history" : String.join("; ", problems), -1));
    }
    return out;
  }

  private static String num(double v) {
    return dev.mlops.validation.checks.Checks.number(v);
  }

  private static String pct(double share) {
    return Double.isInfinite(share) ? "inf%" : num(Math.round(share * 10_000) / 100.0) + "%";
  }
}
