package dev.mlops.validation;

/**
 * The outcome of a check: {@code success}; {@code failure} (the data broke it); {@code
 * quarantined} (a row-level check moved the failing rows to quarantine, the rest passed on);
 * {@code error} (it could not be evaluated, such as a missing column: counts as a failure).
 */
public enum CheckStatus {
  SUCCESS,
  FAILURE,
  QUARANTINED,
  ERROR;

  /** The report and table spelling. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
