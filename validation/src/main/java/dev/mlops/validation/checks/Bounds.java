package dev.mlops.validation.checks;

/**
 * An inclusive range with optional ends.
 *
 * @param min the lowest allowed value, or null
 * @param max the highest allowed value, or null
 */
record Bounds(Double min, Double max) {
  public Bounds {
    if (min == null && max == null) {
      throw new IllegalArgumentException("needs min, max or both");
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("min " + Checks.number(min) + " is above max " + Checks.number(max));
    }
  }

  /** True when {@code v} lies within the bounds (NaN never does). */
  public boolean contains(double v) {
    return !Double.isNaN(v) && (min == null || v >= min) && (max == null || v <= max);
  }

  /** {@code between 1 and 5}, {@code >= 1}, {@code <= 5}. */
  public String describe() {
    if (min != null && max != null) {
      return "between " + Checks.number(min) + " and " + Checks.number(max);
    }
    return min != null ? ">= " + Checks.number(min) : "<= " + Checks.number(max);
  }
}
