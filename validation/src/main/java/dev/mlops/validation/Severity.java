package dev.mlops.validation;

/** How much a failed check matters: an {@code error} fails the gate, a {@code warning} is reported. */
public enum Severity {
  ERROR,
  WARNING;

  /** The YAML and table spelling. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
