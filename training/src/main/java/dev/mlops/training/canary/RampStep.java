package dev.mlops.training.canary;

import java.time.LocalDate;

/**
 * One decision of a canary ramp, a row of {@code ml.canary_shares}: after judging a matured day,
 * the variant's share from {@code effectiveDate} on. Immutable.
 *
 * @param model the model
 * @param variant the ramped variant
 * @param partition the day judged
 * @param effectiveDate the first day scored with {@link #share}: the day {@code partition} matured, or
 *     the first day not scored yet when the decision came later
 * @param step the index of the ramp step now in force, -1 once stopped
 * @param share the share from {@code effectiveDate} on (0 once stopped)
 * @param action {@code up}, {@code hold} (too few labelled rows), {@code stop} (the guard failed)
 *     or {@code proposed} (the last step reached: proposed for promotion)
 * @param metric the guard metric
 * @param variantValue the variant's figure on the day (NaN when undefined or not judged)
 * @param productionValue Production's figure on the day (NaN when undefined or not judged)
 * @param labelledRows the variant's labelled rows on the day
 * @param alertId the alert raised with the decision, or null
 * @param reason for people
 */
public record RampStep(String model, String variant, LocalDate partition, LocalDate effectiveDate, int step, double share,
    String action, String metric, double variantValue, double productionValue, long labelledRows, String alertId,
    String reason) {

  /** Whether the ramp ended here: stopped, or proposed for promotion at its last step. */
  public boolean terminal() {
    return action.equals("stop") || action.equals("proposed");
  }
}
