package dev.mlops.monitoring.engines;

import dev.mlops.monitoring.drift.BaseCategorical;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact counts of the most frequent categories of a column with more than {@link
 * CountPass#MAX_CATEGORIES} of them, the rest counted together in {@link #other()}.
 *
 * <p>Made by the exact engine only for such columns (the others are {@code ExactCategorical}).
 * Immutable and thread-safe.
 */
final class TruncatedCategorical extends BaseCategorical {
  TruncatedCategorical(Map<String, Long> counts, long other) {
    super(new LinkedHashMap<>(counts), other + sum(counts), other);
  }
}
