package dev.mlops.monitoring.drift;

/**
 * The verdict of a drift metric on one column, or of {@link DriftShare} on a dataset.
 *
 * <p>Level metrics (PSI, Jensen-Shannon) give {@link #OK}, {@link #WARN} or {@link #DRIFT} by their
 * warn and alert levels; tests (KS, chi-squared) give {@link #DRIFT} only when the p-value is below
 * alpha and the effect reaches its minimum, {@link #OK} otherwise.
 */
public enum DriftStatus {
  /** No drift worth reporting. */
  OK,
  /** Above the warn level, below the alert level. */
  WARN,
  /** Drift: above the alert level, or significant with an effect large enough to matter. */
  DRIFT,
  /** Not computed: a side has no values (see {@link DriftDetails.InsufficientData#reason()}). */
  INSUFFICIENT;

  /** DRIFT at or above {@code alert}, WARN at or above {@code warn}, OK below. */
  static DriftStatus ofLevel(double value, double warn, double alert) {
    if (value >= alert) {
      return DRIFT;
    }
    return value >= warn ? WARN : OK;
  }

  /** DRIFT when {@code pValue < alpha} and {@code effect >= minEffect}, OK otherwise. */
  static DriftStatus ofTest(double pValue, double alpha, double effect, double minEffect) {
    return pValue < alpha && effect >= minEffect ? DRIFT : OK;
  }
}
