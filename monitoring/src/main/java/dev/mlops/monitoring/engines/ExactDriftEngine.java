package dev.mlops.monitoring.engines;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftInput;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftSide;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.monitoring.Reference;
import dev.mlops.monitoring.drift.CategoricalDistribution;
import dev.mlops.monitoring.drift.ExactCategorical;
import dev.mlops.monitoring.engines.ExactSources.Source;
import dev.mlops.monitoring.engines.NumericPass.ColumnFigures;
import dev.mlops.monitoring.engines.NumericPass.PartitionFigures;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Drift from the rows themselves, exactly: every metric the sketch engine gives, over every value
 * of the current partitions and of the reference, with Spark's public API.
 *
 * <p>Two Spark jobs for all columns and partitions together, whatever their number (with adaptive
 * execution on, Spark runs each of their shuffle stages as a job of its own):
 *
 * <ol>
 *   <li>the rows of each partition and reference side, the count of each category of each
 *       categorical column in each partition and in the reference (the most frequent {@value
 *       CountPass#MAX_CATEGORIES} of them, the rest counted as {@code <other>}), and the number of
 *       values of each numeric column there ({@link CountPass});
 *   <li>for the numeric columns, one shuffle of every value by column, a sort by value, and one walk
 *       over each column's sorted values ({@link CdfWalk}, which shows why its KS statistic is that
 *       of every point of both samples): the reference's PSI cuts (its exact inverted-CDF quantiles
 *       at {@code i / bins}, repeats removed, as {@code ExactNumeric.quantile}), the count of each
 *       side in each bin, and the exact KS statistic of each partition with where it is reached
 *       ({@link NumericPass}). Skipped without numeric columns, and when a partition or the
 *       reference is empty.
 * </ol>
 *
 * Only figures per (column, partition, bin or category) come back to the driver. PSI is then
 * {@code PopulationStabilityIndex.ofBins}, KS {@code KolmogorovSmirnov.ofStatistic} (the exact
 * p-value up to 10,000 values a side), chi-squared and Jensen-Shannon those of {@code
 * ExactCategorical}: the same results as the drift library fed every value.
 *
 * <p>The current rows are those of {@link DriftInput#rows()} whose partition column, as text, is one
 * of the partitions; a {@link Reference.Partitions} reference is the rows of its partitions, all
 * together; a {@link Reference.Whole} one reads each column from the last side that has it (as the
 * sketch engine merges the sides' profiles). Nulls are not values, nor are NaNs of a numeric
 * column, and -0.0 is 0.0. The engine stores nothing: it records no reads or writes in the run.
 *
 * <p>Get one with {@code new ExactDriftEngine()}. Immutable and thread-safe as far as the session is.
 */
public final class ExactDriftEngine implements DriftEngine {
  @Override
  public String name() {
    return "exact";
  }

  @Override
  public List<ColumnDrift> compare(DriftInput input, DriftJudge judge, JobRun run) {
    List<Source> sources = ExactSources.of(input);
    SparkSession spark = input.rows().sparkSession();
    CountPass.Result counts = SparkJobs.described(spark, "drift (exact): rows, categories and values of "
        + input.table(), () -> CountPass.run(sources));
    requireRows(input, counts);
    Map<Integer, ColumnFigures> numeric = SparkJobs.described(spark, "drift (exact): PSI bins and KS of "
        + input.table(), () -> NumericPass.run(sources, input.partitions(), counts.valuesBySlot(input.partitions()),
            judge.psi().bins()));
    List<ColumnDrift> out = new ArrayList<>();
    for (String partition : input.partitions()) {
      for (int i = 0; i < input.columns().size(); i++) {
        ProfiledColumn c = input.columns().get(i);
        out.add(c.kind() == Kind.NUMERIC ? numeric(judge, c, partition, numeric.get(i))
            : judge.categorical(c.name(), partition, distribution(counts.reference().get(i)),
                distribution(counts.current().getOrDefault(i, Map.of()).get(partition))));
      }
    }
    return out;
  }

  private static ColumnDrift numeric(DriftJudge judge, ProfiledColumn c, String partition, ColumnFigures figures) {
    ColumnFigures f = figures != null ? figures : new ColumnFigures(new double[0], new long[1], Map.of());
    PartitionFigures p = f.partition(partition);
    return judge.numeric(c.name(), partition, f.edges(), f.referenceBins(), p.bins(), p.ksStatistic(), p.ksLocation());
  }

  private static CategoricalDistribution distribution(CountPass.Counts counts) {
    if (counts == null) {
      return ExactCategorical.of(Map.of());
    }
    return counts.other() == 0 ? ExactCategorical.of(counts.counts())
        : new TruncatedCategorical(counts.counts(), counts.other());
  }

  /** Fails as the sketch engine does on a partition, reference partition or reference side without rows. */
  private static void requireRows(DriftInput input, CountPass.Result found) {
    String table = input.table().table().toString();
    for (String p : input.partitions()) {
      if (!found.currentRows().containsKey(p)) {
        throw MonitoringErrors.partitionEmpty(table, input.partitionColumn(), p);
      }
    }
    if (input.reference() instanceof Reference.Partitions range) {
      for (String p : range.partitions()) {
        if (!found.referenceRows().containsKey(p)) {
          throw MonitoringErrors.partitionEmpty(table, input.partitionColumn(), p);
        }
      }
      return;
    }
    List<DriftSide> sides = ((Reference.Whole) input.reference()).sides();
    for (int k = 0; k < sides.size(); k++) {
      if (!found.referenceRows().containsKey(ExactSources.sideKey(k))) {
        throw MonitoringErrors.referenceEmpty(sides.get(k).key().table() + "@" + sides.get(k).key().version());
      }
    }
  }
}
