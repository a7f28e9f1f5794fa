package dev.mlops.monitoring.drift;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The distribution of numeric values estimated by a KLL doubles sketch (as validation's {@code
 * KllState} keeps one per column). Ranks and quantiles use the sketch's INCLUSIVE criteria, so
 * {@link #cdf} is the share of values at most {@code x} and {@link #quantile} the inverted-CDF
 * quantile, as for {@link ExactNumeric}. (One difference in floating point: DataSketches rounds
 * {@code q * n} to 7 decimals before taking its ceiling, where numpy and {@link ExactNumeric} take
 * the ceiling of the product as computed; a rank like 0.7000000000000001 can then give the value
 * before.)
 *
 * <p>Get one with {@link #of(KllDoublesSketch)}. It reads the sketch once, when made: later
 * updates of the sketch do not show. Immutable and thread-safe.
 */
public final class KllNumeric implements NumericDistribution {
  private final long count;
  private final double rankError;
  private final DoublesSortedView view;

  private KllNumeric(long count, double rankError, DoublesSortedView view) {
    this.count = count;
    this.rankError = rankError;
    this.view = view;
  }

  /**
   * The distribution the sketch describes now. Its rank error is the sketch's normalized single-rank
   * error at 99% confidence ({@code getNormalizedRankError(false)}, about 1.33% for k = 200) once it
   * has dropped values, and 0 while it still holds every value it was given.
   */
  public static KllNumeric of(KllDoublesSketch sketch) {
    if (sketch.isEmpty()) {
      return new KllNumeric(0, 0, null);
    }
    double rankError = sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0;
    return new KllNumeric(sketch.getN(), rankError, sketch.getSortedView());
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public double cdf(double x) {
    return view == null ? Double.NaN : view.getRank(x, QuantileSearchCriteria.INCLUSIVE);
  }

  @Override
  public double quantile(double q) {
    ExactNumeric.checkRank(q);
    return view == null ? Double.NaN : view.getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
  }

  @Override
  public double[] splitPoints() {
    return view == null ? new double[0] : Arrays.stream(view.getQuantiles()).distinct().toArray();
  }

  @Override
  public double rankError() {
    return rankError;
  }
}
