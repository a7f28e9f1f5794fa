package dev.mlops.monitoring.drift;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-squared test of homogeneity on the 2 x k contingency table of reference and current
 * counts over the buckets of {@link CategoricalDriftMetric}, as {@code
 * scipy.stats.chi2_contingency(table)} computes it by default: expected counts {@code row total x
 * column total / N}; when the degrees of freedom {@code k - 1} are 1, Yates' correction moves each
 * observed count half a unit towards its expected count (no further than the expected count); the
 * p-value is the chi-squared survival function with {@code k - 1} degrees of freedom. With a single
 * bucket (dof 0) the statistic is 0 and the p-value 1, as in scipy.
 *
 * <p>The effect size is Cramér's V of the uncorrected statistic, {@code sqrt(chi2 / (N (min(2, k) -
 * 1)))} (0 with a single bucket). DRIFT when {@code p < alpha} and {@code V >= min} (defaults 0.05
 * and 0.1): on large samples a tiny shift is significant, and V says whether it matters.
 *
 * <p>Get one with {@code new ChiSquared()} or with thresholds. Immutable and thread-safe.
 */
public final class ChiSquared implements CategoricalDriftMetric {
  private final DriftThresholds thresholds;

  /** Chi-squared with the default thresholds (alpha 0.05, minimum Cramér's V 0.1). */
  public ChiSquared() {
    this(DriftThresholds.defaults());
  }

  /** Chi-squared with these thresholds' chi-squared alpha and minimum Cramér's V. */
  public ChiSquared(DriftThresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "chi_squared";
  }

  @Override
  public String title() {
    return "chi-squared";
  }

  @Override
  public DriftResult compute(CategoricalDistribution reference, CategoricalDistribution current) {
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("alpha", thresholds.chiSquaredAlpha());
    limits.put("minCramersV", thresholds.chiSquaredMinCramersV());
    return DriftResult.insufficient(name(), reference, current, limits)
        .orElseGet(() -> test(CategoryTable.of(reference, current), limits));
  }

  private DriftResult test(CategoryTable table, Map<String, Double> limits) {
    double[][] observed = {table.reference(), table.current()};
    int k = table.buckets().size();
    int dof = k - 1;
    double statistic = 0;
    double uncorrected = 0;
    double pValue = 1;
    double total = 0;
    double[] rowTotals = new double[2];
    double[] columnTotals = new double[k];
    for (int row = 0; row < 2; row++) {
      for (int col = 0; col < k; col++) {
        rowTotals[row] += observed[row][col];
        columnTotals[col] += observed[row][col];
        total += observed[row][col];
      }
    }
    if (dof > 0) {
      boolean yates = dof == 1;
      for (int row = 0; row < 2; row++) {
        for (int col = 0; col < k; col++) {
          double expected = rowTotals[row] * columnTotals[col] / total;
          double difference = observed[row][col] - expected;
          uncorrected += difference * difference / expected;
          if (yates) { // move the observed count towards the expected one by at most 0.5
            double corrected = observed[row][col] + Math.signum(-difference) * Math.min(0.5, Math.abs(difference));
            difference = corrected - expected;
          }
          statistic += difference * difference / expected;
        }
      }
      pValue = Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0);
    }
    double cramersV = dof > 0 ? Math.sqrt(uncorrected / (total * (Math.min(2, k) - 1))) : 0;
    DriftStatus status =
        DriftStatus.ofTest(pValue, thresholds.chiSquaredAlpha(), cramersV, thresholds.chiSquaredMinCramersV());
    return new DriftResult(name(), status, statistic, OptionalDouble.of(pValue), OptionalDouble.of(cramersV), limits,
        new DriftDetails.ChiSquaredDetails(table.buckets(), table.dropped(), dof, dof == 1, uncorrected));
  }
}
