package dev.mlops.training.fairness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;

/**
 * One gap between the groups of a protected attribute, as Fairlearn defines it, with the two
 * groups it lies between and the spec's limit on it. Immutable.
 *
 * @param metric {@code demographic_parity_difference}, {@code demographic_parity_ratio},
 *     {@code equal_opportunity_difference} or {@code equalized_odds_difference}
 * @param value the gap; NaN when undefined (a group without positives for a TPR, say)
 * @param high the group with the highest rate of the gap's measure (null when undefined)
 * @param low the group with the lowest (null when undefined)
 * @param limit the spec's limit, or null when the metric is reported but not gated
 */
public record Disparity(String metric, double value, String high, String low, Double limit) {
  /** The metric of the ratio, whose limit is a minimum; the others' are maxima. */
  public static final String RATIO = "demographic_parity_ratio";

  /** Whether it is gated and within its limit; an undefined gap never passes its limit. */
  public boolean passed() {
    if (limit == null) {
      return true;
    }
    return !Double.isNaN(value) && (metric.equals(RATIO) ? value >= limit : value <= limit);
  }

  /** A sentence with the figures: {@code demographic_parity_difference 0.2500 between b and a (maximum 0.1000)}. */
  public String message(String attribute) {
    String figure = Double.isNaN(value) ? "undefined (a group lacks the rows the measure needs)"
        : String.format(Locale.ROOT, "%.4f between %s and %s", value, high, low);
    String bound = limit == null ? "not gated"
        : String.format(Locale.ROOT, "%s %.4f", metric.equals(RATIO) ? "minimum" : "maximum", limit);
    return "fairness " + attribute + ": " + metric + " " + figure + " (" + bound + ")";
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", metric);
    m.put("value", GroupOutcome.nan(value));
    m.put("between", high == null ? null : java.util.List.of(high, low));
    m.put("limit", limit);
    m.put("passed", passed());
    return m;
  }
}
