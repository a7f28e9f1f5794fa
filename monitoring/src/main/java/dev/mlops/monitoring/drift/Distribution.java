package dev.mlops.monitoring.drift;

/**
 * What a drift metric compares: the distribution of one column's non-null values, on the
 * reference or on the current side. Nulls are never part of it (the null rate is a separate
 * check), nor are NaNs of a numeric column.
 *
 * <p>Get one from {@link ExactNumeric}, {@link KllNumeric}, {@link ExactCategorical} or {@link
 * FrequentItemsCategorical}. Implementations are immutable and thread-safe.
 */
public sealed interface Distribution permits NumericDistribution, CategoricalDistribution {

  /** The number of values described (for a sketch, the number it has seen). */
  long count();

  /** {@code "numeric"} or {@code "categorical"}, for messages. */
  String kind();
}
