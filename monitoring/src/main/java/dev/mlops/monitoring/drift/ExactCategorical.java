package dev.mlops.monitoring.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact distribution of categorical values: a count per category, nothing in {@link #other()}.
 *
 * <p>Get one with {@link #of(Map)} (counts already taken) or {@link #ofValues(Iterable)} (nulls
 * left out). Immutable and thread-safe.
 */
public final class ExactCategorical extends BaseCategorical {
  private ExactCategorical(Map<String, Long> counts) {
    super(counts, sum(counts), 0);
  }

  /**
   * The distribution of these counts (copied, in their order). A category with count 0 is known
   * but empty.
   *
   * @throws IllegalArgumentException for a null category, a null count or a negative one
   */
  public static ExactCategorical of(Map<String, Long> counts) {
    Map<String, Long> copy = new LinkedHashMap<>();
    counts.forEach((category, n) -> {
      if (category == null || n == null || n < 0) {
        throw new IllegalArgumentException("counts must map non-null categories to counts >= 0, not "
            + category + " -> " + n + " (nulls are not a category: count them apart)");
      }
      copy.put(category, n);
    });
    return new ExactCategorical(copy);
  }

  /** The distribution of {@code values}, categories in order of first appearance; nulls left out. */
  public static ExactCategorical ofValues(Iterable<String> values) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String v : values) {
      if (v != null) {
        counts.merge(v, 1L, Long::sum);
      }
    }
    return new ExactCategorical(counts);
  }
}
