package dev.mlops.features.online;

import java.util.List;

/**
 * What {@code online verify} found.
 *
 * @param service the service ({@code name vN})
 * @param entities entities compared
 * @param values feature values compared
 * @param mismatches the values that differ
 * @param maxMismatchRate the tolerated share of differing values
 */
public record VerifyResult(String service, long entities, long values, List<Mismatch> mismatches, double maxMismatchRate) {
  /** The share of compared values that differ. */
  public double mismatchRate() {
    return values == 0 ? 0 : (double) mismatches.size() / values;
  }

  /** Whether the rate is within the tolerance. */
  public boolean passed() {
    return mismatchRate() <= maxMismatchRate;
  }

  /**
   * One differing value.
   *
   * @param view the view ({@code name vN})
   * @param entity the entity's key values
   * @param feature the feature
   * @param online the stored text online, or null
   * @param offline the expected text from the offline table, or null
   */
  public record Mismatch(String view, List<Object> entity, String feature, String online, String offline) {}
}
