package dev.mlops.monitoring.drift;

import java.util.List;

/**
 * How a {@link DriftResult} was reached: one record per metric (bins and smoothing of PSI, method
 * and rank-error bound of KS, buckets and degrees of freedom of chi-squared, ...), or the reason a
 * result could not be computed. Switch on the record type to read it.
 *
 * <p>Metrics make them. Immutable.
 */
public sealed interface DriftDetails {

  /** Why no result: a side has no values. */
  record InsufficientData(String reason) implements DriftDetails {}

  /**
   * The bins of a PSI and the shares compared.
   *
   * @param bins the bins' labels: {@code (-inf, c1]}, ..., {@code (c_last, +inf)} for a numeric
   *     column, the bucket labels for a categorical one
   * @param edges the distinct cut points at the reference's quantiles (empty for a categorical column)
   * @param referenceShares the reference's share of each bin, before smoothing
   * @param currentShares the current share of each bin, before smoothing
   * @param referenceEpsilon the share given to a bin empty in the reference only: 0.5 / n_reference
   * @param currentEpsilon the share given to a bin empty in the current data only: 0.5 / n_current
   * @param dropped buckets empty on both sides, left out (categorical only)
   * @param errorBound how far the value may be from the PSI of the exact data when a side is a
   *     sketch (0 when both are exact); see {@link PopulationStabilityIndex}
   */
  record PsiDetails(List<String> bins, List<Double> edges, List<Double> referenceShares,
      List<Double> currentShares, double referenceEpsilon, double currentEpsilon, List<String> dropped,
      double errorBound) implements DriftDetails {
    public PsiDetails {
      bins = List.copyOf(bins);
      edges = List.copyOf(edges);
      referenceShares = List.copyOf(referenceShares);
      currentShares = List.copyOf(currentShares);
      dropped = List.copyOf(dropped);
    }
  }

  /**
   * How a two-sample Kolmogorov-Smirnov test was computed.
   *
   * @param requested the method asked for
   * @param used the method that gave the p-value
   * @param referenceCount the reference's sample size m
   * @param currentCount the current sample size n
   * @param location a point where the CDFs differ by the statistic
   * @param effectiveN {@code round(m * n / (m + n))}, the n of the asymptotic distribution (0 when
   *     exact)
   * @param rankErrorBound how far the statistic may be from that of the exact data: the sum of the
   *     two sides' rank errors (0 for exact data)
   * @param note why the method used is not the one asked for, or an empty string
   */
  record KsDetails(KolmogorovSmirnov.Method requested, KolmogorovSmirnov.Method used, long referenceCount,
      long currentCount, double location, long effectiveN, double rankErrorBound, String note)
      implements DriftDetails {}

  /**
   * The contingency table of a chi-squared test.
   *
   * @param buckets the table's columns (reference row, current row)
   * @param dropped buckets empty on both sides, left out of the table
   * @param degreesOfFreedom buckets - 1
   * @param yatesCorrection whether Yates' continuity correction was applied (when dof is 1)
   * @param uncorrectedStatistic the statistic without Yates' correction, which Cramér's V uses
   */
  record ChiSquaredDetails(List<Bucket> buckets, List<String> dropped, int degreesOfFreedom,
      boolean yatesCorrection, double uncorrectedStatistic) implements DriftDetails {
    public ChiSquaredDetails {
      buckets = List.copyOf(buckets);
      dropped = List.copyOf(dropped);
    }
  }

  /** The buckets a Jensen-Shannon distance compared, and those empty on both sides left out. */
  record JensenShannonDetails(List<Bucket> buckets, List<String> dropped) implements DriftDetails {
    public JensenShannonDetails {
      buckets = List.copyOf(buckets);
      dropped = List.copyOf(dropped);
    }
  }
}
