package dev.mlops.monitoring.drift;

import java.util.Map;

/**
 * The distribution of a categorical column's values: a count per category, exact ({@link
 * ExactCategorical}) or the heavy hitters of a frequent-items sketch ({@link
 * FrequentItemsCategorical}), whose other rows are counted together in {@link #other()}. Nulls are
 * not part of it.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public non-sealed interface CategoricalDistribution extends Distribution {

  /** The number of values (for a sketch, the number it has seen); 0 when there are none. */
  @Override
  long count();

  /** {@code "categorical"}. */
  @Override
  default String kind() {
    return "categorical";
  }

  /**
   * The categories it knows, each with its count (a sketch's estimate); unmodifiable. For exact
   * data the counts add up to {@link #count()}.
   */
  Map<String, Long> counts();

  /**
   * The number of values in categories it did not keep: 0 for exact data; for a sketch, {@link
   * #count()} minus the sum of {@link #counts()}, never negative.
   */
  long other();
}
