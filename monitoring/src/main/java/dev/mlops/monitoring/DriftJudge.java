package dev.mlops.monitoring;

import dev.mlops.monitoring.drift.CategoricalDistribution;
import dev.mlops.monitoring.drift.ChiSquared;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.JensenShannon;
import dev.mlops.monitoring.drift.KolmogorovSmirnov;
import dev.mlops.monitoring.drift.NumericDistribution;
import dev.mlops.monitoring.drift.PopulationStabilityIndex;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.List;

/**
 * The metrics a drift run applies, with its thresholds: PSI and Kolmogorov-Smirnov to a numeric
 * column; chi-squared, PSI and Jensen-Shannon to a categorical one. Engines hand it either the two
 * distributions of a column, or figures they computed over the exact data themselves.
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftJudge {
  private final DriftThresholds thresholds;
  private final PopulationStabilityIndex psi;
  private final KolmogorovSmirnov ks;
  private final ChiSquared chiSquared;
  private final JensenShannon jensenShannon;

  /** The default metrics with {@code thresholds}, PSI over {@code psiBins} bins. */
  public DriftJudge(DriftThresholds thresholds, int psiBins) {
    this.thresholds = thresholds;
    this.psi = new PopulationStabilityIndex(thresholds, psiBins);
    this.ks = new KolmogorovSmirnov(thresholds);
    this.chiSquared = new ChiSquared(thresholds);
    this.jensenShannon = new JensenShannon(thresholds);
  }

  /** The thresholds. */
  public DriftThresholds thresholds() {
    return thresholds;
  }

  /** The PSI metric, whose bins an engine that counts them itself uses. */
  public PopulationStabilityIndex psi() {
    return psi;
  }

  /** The KS test, for a statistic an engine computed itself. */
  public KolmogorovSmirnov ks() {
    return ks;
  }

  /** PSI and KS of a numeric column. */
  public ColumnDrift numeric(String column, String partition, NumericDistribution reference, NumericDistribution current) {
    return new ColumnDrift(column, Kind.NUMERIC, partition, reference.count(), current.count(),
        List.of(psi.compute(reference, current), ks.compute(reference, current)));
  }

  /** Chi-squared, PSI and Jensen-Shannon of a categorical column. */
  public ColumnDrift categorical(String column, String partition, CategoricalDistribution reference,
      CategoricalDistribution current) {
    return new ColumnDrift(column, Kind.CATEGORICAL, partition, reference.count(), current.count(),
        List.of(chiSquared.compute(reference, current), psi.compute(reference, current),
            jensenShannon.compute(reference, current)));
  }

  /**
   * A numeric column from figures computed over the exact data: PSI from the bin counts of
   * {@link #psi()}'s edges, KS from its statistic.
   */
  public ColumnDrift numeric(String column, String partition, double[] edges, long[] referenceBins, long[] currentBins,
      double ksStatistic, double ksLocation) {
    long m = java.util.Arrays.stream(referenceBins).sum();
    long n = java.util.Arrays.stream(currentBins).sum();
    List<DriftResult> results = List.of(psi.ofBins(edges, referenceBins, currentBins),
        ks.ofStatistic(ksStatistic, ksLocation, m, n));
    return new ColumnDrift(column, Kind.NUMERIC, partition, m, n, results);
  }
}
