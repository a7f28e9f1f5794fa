package dev.mlops.monitoring.drift;

/**
 * The distribution of a numeric column's values: its empirical CDF, exact ({@link ExactNumeric})
 * or estimated by a KLL sketch ({@link KllNumeric}). Nulls and NaNs are not part of it.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public non-sealed interface NumericDistribution extends Distribution {

  /** The number of values (for a sketch, the number it has seen); 0 when there are none. */
  @Override
  long count();

  /** {@code "numeric"}. */
  @Override
  default String kind() {
    return "numeric";
  }

  /**
   * The share of values at most {@code x} (inclusive), in [0, 1]; NaN when {@link #count()} is 0.
   */
  double cdf(double x);

  /**
   * The quantile of rank {@code q} in [0, 1] by the inverted-CDF definition: the smallest value
   * {@code v} with {@code cdf(v) >= q} (numpy's {@code method='inverted_cdf'}; {@code q = 0} gives
   * the minimum). NaN when {@link #count()} is 0.
   *
   * @throws IllegalArgumentException when {@code q} is outside [0, 1] or NaN
   */
  double quantile(double q);

  /**
   * The distinct points, ascending, where the CDF can step: every distinct value for exact data,
   * the retained items (with the minimum and maximum) for a sketch. The supremum of a difference
   * between two such CDFs is reached at one of their split points. A new array on each call.
   */
  double[] splitPoints();

  /**
   * How far {@link #cdf} may be from the true share of the data: 0 for exact data; for a sketch
   * that has dropped values, its normalized error of a single rank at 99% confidence.
   */
  double rankError();

  /**
   * The shares of the bins {@code (-inf, e1], (e1, e2], ..., (e_last, +inf)} cut at {@code edges}
   * (ascending, distinct): {@code edges.length + 1} shares that add up to 1. Empty when {@link
   * #count()} is 0.
   */
  default double[] binShares(double[] edges) {
    if (count() == 0) {
      return new double[0];
    }
    double[] shares = new double[edges.length + 1];
    double below = 0;
    for (int i = 0; i < edges.length; i++) {
      double atMost = cdf(edges[i]);
      shares[i] = atMost - below;
      below = atMost;
    }
    shares[edges.length] = 1 - below;
    return shares;
  }
}
