package dev.mlops.monitoring.engines;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.mlops.monitoring.engines.ExactSources.Read;
import dev.mlops.monitoring.engines.ExactSources.Source;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The numeric columns of the exact engine, all of them in all partitions in one Spark job: the
 * reference's PSI cuts and bin counts, each partition's bin counts, and each partition's exact KS
 * statistic with where it is reached.
 *
 * <p>Every value becomes a row {@code (c, s, x)}: the column's index; its slot, the partition's
 * position or the partitions' count for the reference; the value, nulls and NaNs dropped, -0.0 read
 * as 0.0. They are shuffled once by column (as many shuffle partitions as numeric columns, each
 * column wholly in one of them), sorted by value within each shuffle partition (by the value alone,
 * which Spark sorts by its prefix; sorting by column first would leave the prefix useless, a task
 * holding mostly one column), and each column's values, ascending within the task's, are walked
 * once by a {@link CdfWalk}, which needs each side's count of the column (from the first job).
 * Nothing is buffered beyond Spark's sort: only per-(column, partition) figures come back to the
 * driver.
 *
 * <p>Stateless.
 */
final class NumericPass {
  private NumericPass() {}

  /**
   * The figures of one column.
   *
   * @param edges the reference's distinct PSI cuts
   * @param referenceBins the reference's count in each bin ({@code edges.length + 1})
   * @param partitions each partition's figures, for the partitions with values
   */
  record ColumnFigures(double[] edges, long[] referenceBins, Map<String, PartitionFigures> partitions)
      implements Serializable {
    /** The figures of {@code partition}: none (all zero) when it has no values of the column. */
    PartitionFigures partition(String partition) {
      return partitions.getOrDefault(partition, new PartitionFigures(new long[edges.length + 1], 0, Double.NaN));
    }
  }

  /**
   * The figures of one column in one partition.
   *
   * @param bins its count in each bin of the reference's cuts
   * @param ksStatistic the KS statistic against the reference
   * @param ksLocation the first value where it is reached
   */
  record PartitionFigures(long[] bins, double ksStatistic, double ksLocation) implements Serializable {}

  /**
   * The figures of every numeric column of {@code sources} with a value, by column index; one Spark
   * job (none without numeric values).
   *
   * @param partitions the partitions, by slot
   * @param totals by column index, the values of each slot, the reference's last
   */
  static Map<Integer, ColumnFigures> run(List<Source> sources, List<String> partitions, Map<Integer, long[]> totals,
      int bins) {
    Dataset<Row> values = values(sources);
    if (values == null || totals.isEmpty()) {
      return Map.of();
    }
    List<Tuple2<Integer, ColumnFigures>> figures = values.repartition(totals.size(), col("c"))
        .sortWithinPartitions("x").javaRDD()
        .mapPartitions(new Walk(new ArrayList<>(partitions), new HashMap<>(totals), bins)).collect();
    Map<Integer, ColumnFigures> out = new HashMap<>();
    figures.forEach(f -> out.put(f._1(), f._2()));
    return out;
  }

  /** Every numeric value as {@code (c, s, x)}, or null when no source reads a numeric column. */
  private static Dataset<Row> values(List<Source> sources) {
    Dataset<Row> all = null;
    for (Source s : sources) {
      List<Read> reads = s.reads(Kind.NUMERIC);
      if (reads.isEmpty()) {
        continue;
      }
      Column[] entries = reads.stream().map(r -> struct(lit(r.index()).as("c"), r.value().cast("double").as("v")))
          .toArray(Column[]::new);
      Dataset<Row> d = s.rows().select(s.slot().as("s"), explode(array(entries)).as("e"))
          .select(col("e.c").as("c"), col("s"), col("e.v").as("v"));
      all = all == null ? d : all.unionByName(d);
    }
    if (all == null) {
      return null;
    }
    return all.where(col("v").isNotNull().and(not(isnan(col("v")))))
        .select(col("c"), col("s"), when(col("v").equalTo(0), lit(0.0)).otherwise(col("v")).as("x"));
  }

  /** A task's values, sorted by value, into the figures of each of its columns. */
  private record Walk(List<String> partitions, Map<Integer, long[]> totals, int bins)
      implements FlatMapFunction<Iterator<Row>, Tuple2<Integer, ColumnFigures>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<Integer, ColumnFigures>> call(Iterator<Row> rows) {
      CdfWalk[] walks = new CdfWalk[totals.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
      while (rows.hasNext()) {
        Row r = rows.next();
        int c = r.getInt(0);
        if (walks[c] == null) {
          walks[c] = new CdfWalk(partitions, totals.get(c), bins);
        }
        walks[c].add(r.getInt(1), r.getDouble(2));
      }
      List<Tuple2<Integer, ColumnFigures>> out = new ArrayList<>();
      for (int c = 0; c < walks.length; c++) {
        if (walks[c] != null) {
          out.add(new Tuple2<>(c, walks[c].finish()));
        }
      }
      return out.iterator();
    }
  }
}
