package dev.mlops.monitoring.drift;

import java.util.Collections;
import java.util.Map;

/**
 * What every {@link CategoricalDistribution} here holds, kept in one place: its categories' counts
 * (unmodifiable, in the order given), the number of values and the number in no kept category.
 *
 * <p>Only implementations extend it ({@link ExactCategorical}, {@link FrequentItemsCategorical}
 * and the exact engine's truncated counts); code that reads a distribution takes the interface.
 * Immutable and thread-safe.
 */
public abstract class BaseCategorical implements CategoricalDistribution {
  private final Map<String, Long> counts;
  private final long count;
  private final long other;

  /**
   * @param counts the categories' counts, not copied: pass a map no one else changes
   * @param count the number of values, those in {@code other} included
   * @param other the number of values in categories not kept
   */
  protected BaseCategorical(Map<String, Long> counts, long count, long other) {
    this.counts = Collections.unmodifiableMap(counts);
    this.count = count;
    this.other = other;
  }

  /** The sum of {@code counts}' values. */
  protected static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public final long count() {
    return count;
  }

  @Override
  public final Map<String, Long> counts() {
    return counts;
  }

  @Override
  public final long other() {
    return other;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + counts + " other=" + other;
  }
}
