package dev.mlops.monitoring.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The outcome of one drift metric on one column.
 *
 * <p>Metrics make them ({@link DriftMetric}). Immutable and thread-safe.
 *
 * @param metric the metric's name ({@link DriftMetric#name()})
 * @param status the verdict
 * @param value the metric's value or test statistic (PSI, D, chi2, JS distance); NaN when {@link
 *     DriftStatus#INSUFFICIENT}
 * @param pValue the test's p-value (KS, chi-squared); empty for PSI and Jensen-Shannon
 * @param effectSize the effect size a test is judged by (D for KS, Cramér's V for chi-squared)
 * @param thresholds the thresholds the status was decided by, by name ({@code warn}, {@code alert},
 *     {@code alpha}, {@code minStatistic}, {@code minCramersV}), in that order; unmodifiable
 * @param details how the value was reached, or why there is none
 */
public record DriftResult(String metric, DriftStatus status, double value, OptionalDouble pValue,
    OptionalDouble effectSize, Map<String, Double> thresholds, DriftDetails details) {

  public DriftResult {
    Objects.requireNonNull(metric, "metric == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(pValue, "pValue == null");
    Objects.requireNonNull(effectSize, "effectSize == null");
    Objects.requireNonNull(details, "details == null");
    thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
  }

  /** The result when a side is empty, naming the empty side(s); empty when both have values. */
  static Optional<DriftResult> insufficient(String metric, Distribution reference, Distribution current,
      Map<String, Double> thresholds) {
    return insufficient(metric, reference.count(), current.count(), thresholds);
  }

  /** As {@link #insufficient(String, Distribution, Distribution, Map)}, from the sides' counts. */
  static Optional<DriftResult> insufficient(String metric, long reference, long current, Map<String, Double> thresholds) {
    String reason;
    if (reference == 0 && current == 0) {
      reason = "both the reference and the current data have no values";
    } else if (reference == 0) {
      reason = "the reference has no values";
    } else if (current == 0) {
      reason = "the current data has no values";
    } else {
      return Optional.empty();
    }
    return Optional.of(new DriftResult(metric, DriftStatus.INSUFFICIENT, Double.NaN, OptionalDouble.empty(),
        OptionalDouble.empty(), thresholds, new DriftDetails.InsufficientData(reason
            + " (nulls and NaNs are not counted); compare once both sides have data")));
  }
}
