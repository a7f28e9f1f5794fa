package dev.mlops.monitoring.engines;

import dev.mlops.monitoring.drift.CategoricalDistribution;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact counts of the most frequent categories of a column with more than {@link
 * CountPass#MAX_CATEGORIES} of them, the rest counted together in {@link #other()}.
 *
 * <p>Made by the exact engine only for such columns (the others are {@code ExactCategorical}).
 * Immutable and thread-safe.
 */
final class TruncatedCategorical implements CategoricalDistribution {
  private final Map<String, Long> counts;
  private final long other;
  private final long count;

  TruncatedCategorical(Map<String, Long> counts, long other) {
    this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    this.other = other;
    this.count = other + counts.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public Map<String, Long> counts() {
    return counts;
  }

  @Override
  public long other() {
    return other;
  }

  @Override
  public String toString() {
    return "TruncatedCategorical" + counts + " other=" + other;
  }
}
