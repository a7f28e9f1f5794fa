package dev.mlops.monitoring.engines;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import dev.mlops.monitoring.engines.ExactSources.Read;
import dev.mlops.monitoring.engines.ExactSources.Source;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The numeric columns of the exact engine, all of them in all partitions in one Spark job: the
 * reference's PSI cuts and bin counts, each partition's bin counts, and each partition's exact KS
 * statistic with where it is reached.
 *
 * <p><b>The job.</b> Every value becomes a row {@code (c, role, p, x)} (column index, 1 for the
 * reference and 0 for current data, the partition or null for the reference, the value; nulls and
 * NaNs dropped, -0.0 read as 0.0), shuffled once by column and counted per distinct value:
 * {@code (c, role, p, x, n)}. Over each column ordered by {@code (x, role)} (current rows before the
 * reference's at equal values):
 *
 * <ul>
 *   <li>the reference's running count gives, at a current row, {@code #ref < x}, and at a reference
 *       row {@code #ref <= x}; with the reference count at {@code x} (the peers of {@code x}),
 *       {@code #ref <= x} at current rows too; with the largest reference value seen, the largest
 *       reference value {@code < x};
 *   <li>the PSI cut i is the reference value of rank {@code ceil(m i / bins)} (1-based, m the
 *       reference's count, in floating point as {@code ExactNumeric.quantile}): the reference row
 *       with {@code #ref < k <= #ref <= x}; a running count of cuts then gives each row its bin,
 *       {@code #cuts < x}, so the bins are {@code (-inf, e1], (e1, e2], ..., (e_last, +inf)};
 * </ul>
 *
 * and over each (column, partition) ordered by value, the running and total counts of the
 * partition and its previous distinct value.
 *
 * <p><b>KS.</b> D = max |F_ref(x) - F_cur(x)| over the points of both samples. Between two
 * consecutive distinct current values {@code z' < z}, F_cur is constant (F_cur(z')) and F_ref
 * non-decreasing, so on {@code [z', z)} the distance is largest at z' itself or just before z, where
 * F_ref is {@code #ref < z / m}; before the first current value F_cur is 0 and after the last it is
 * 1, covered the same way. So D is the largest of, at each distinct current value z: {@code
 * |#ref<=z / m - #cur<=z / n|} (at z) and {@code |#ref<z / m - #cur<z / n|} (reached at the larger of
 * z' and the largest reference value below z, a point where both CDFs have exactly those counts).
 * Each candidate is the same division of the same integer counts as the brute force over every
 * point, so D is bit for bit the same; taking the smallest location among the candidates that
 * reach D gives the first point where the brute force reaches it.
 *
 * <p>Only per-(column, partition, bin) rows come back to the driver. Stateless.
 */
final class NumericPass {
  private static final int CURRENT = 0;
  private static final int REFERENCE = 1;

  private NumericPass() {}

  /**
   * The figures of one column.
   *
   * @param edges the reference's distinct PSI cuts
   * @param referenceBins the reference's count in each bin ({@code edges.length + 1})
   * @param partitions each partition's figures, for the partitions with values
   */
  record ColumnFigures(double[] edges, long[] referenceBins, Map<String, PartitionFigures> partitions) {
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
  record PartitionFigures(long[] bins, double ksStatistic, double ksLocation) {}

  /** The figures of every numeric column of {@code sources}, by column index; one Spark job (none without numeric columns). */
  static Map<Integer, ColumnFigures> run(List<Source> sources, int bins) {
    Dataset<Row> values = values(sources);
    if (values == null) {
      return Map.of();
    }
    return decode(figures(values, bins).collectAsList());
  }

  /** Every numeric value as {@code (c, role, p, x)}, or null when no source reads a numeric column. */
  private static Dataset<Row> values(List<Source> sources) {
    Dataset<Row> all = null;
    for (Source s : sources) {
      List<Read> reads = s.reads(Kind.NUMERIC);
      if (reads.isEmpty()) {
        continue;
      }
      Column[] entries = reads.stream().map(r -> struct(lit(r.index()).as("c"), r.value().cast("double").as("v")))
          .toArray(Column[]::new);
      Dataset<Row> d = s.rows().select(lit(s.reference() ? REFERENCE : CURRENT).as("role"), s.group().as("p"),
          explode(array(entries)).as("e")).select(col("e.c").as("c"), col("role"), col("p"), col("e.v").as("v"));
      all = all == null ? d : all.unionByName(d);
    }
    if (all == null) {
      return null;
    }
    return all.where(col("v").isNotNull().and(not(isnan(col("v")))))
        .select(col("c"), col("role"), col("p"), when(col("v").equalTo(0), lit(0.0)).otherwise(col("v")).as("x"));
  }

  /**
   * The job: one row per (column, role, partition, bin) with its count, its cut, and the
   * partition's KS statistic and location. One shuffle (by column), a sort by value for the
   * reference's ranks and the bins, a sort by partition and value for the partitions' ranks and KS.
   */
  private static Dataset<Row> figures(Dataset<Row> values, int bins) {
    Dataset<Row> counted = values.repartition(col("c")).groupBy("c", "role", "p", "x").agg(count(lit(1)).as("n"));
    Dataset<Row> ks = ks(currentRanks(binned(referenceRanks(counted), bins)));
    return ks.groupBy("c", "role", "p", "bin").agg(sum("n").as("count"), max(when(col("is_edge"), col("x"))).as("edge"),
        max("ks_d").as("ks_d"), max("ks_l").as("ks_l"));
  }

  /** Over each column ordered by value, current rows first at equal values. */
  private static WindowSpec byValue() {
    return Window.partitionBy("c").orderBy("x", "role");
  }

  /** Over each (column, role, partition) ordered by value. */
  private static WindowSpec inPartition() {
    return Window.partitionBy("c", "role", "p").orderBy("x");
  }

  /**
   * The reference's ranks at each row: {@code ref_upto} (#ref &lt; x at a current row, #ref &lt;= x at a
   * reference row), {@code ref_below} (the largest reference value &lt; x at a current row), {@code m}
   * (the reference's count of the column) and {@code ref_at} (#ref = x).
   */
  private static Dataset<Row> referenceRanks(Dataset<Row> counted) {
    Column isReference = col("role").equalTo(REFERENCE);
    Column referenceCount = when(isReference, col("n")).otherwise(0L);
    WindowSpec upTo = byValue().rangeBetween(Window.unboundedPreceding(), Window.currentRow());
    return counted.select(col("*"), sum(referenceCount).over(upTo).as("ref_upto"),
            max(when(isReference, col("x"))).over(upTo).as("ref_below"),
            sum(referenceCount).over(byValue().rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())).as("m"))
        .select(col("*"), sum(referenceCount).over(Window.partitionBy("c").orderBy("x")
            .rangeBetween(Window.currentRow(), Window.currentRow())).as("ref_at"));
  }

  /** Each row's bin: {@code is_edge} marks a reference row holding a cut, {@code bin} is #cuts &lt; x. */
  private static Dataset<Row> binned(Dataset<Row> ranked, int bins) {
    Column edge = when(col("is_edge"), 1L).otherwise(0L);
    return ranked.withColumn("is_edge", isEdge(bins))
        .withColumn("bin", sum(edge).over(byValue().rangeBetween(Window.unboundedPreceding(), Window.currentRow()))
            .minus(edge));
  }

  /**
   * Whether a reference row holds a PSI cut: the value of 1-based rank {@code ceil(m * (i / bins))}
   * for some i in 1..bins-1, that is {@code #ref < k <= #ref <= x}. Repeated cuts fall on one row.
   */
  private static Column isEdge(int bins) {
    Column below = col("ref_upto").minus(col("n"));
    Column any = lit(false);
    for (int i = 1; i < bins; i++) {
      Column rank = ceil(col("m").cast("double").multiply(lit((double) i / bins)));
      any = any.or(below.lt(rank).and(rank.leq(col("ref_upto"))));
    }
    return col("role").equalTo(REFERENCE).and(any);
  }

  /** Each (column, partition)'s running count {@code cur_upto}, total {@code total} and previous value {@code prev_x}. */
  private static Dataset<Row> currentRanks(Dataset<Row> rows) {
    return rows.select(col("*"),
        sum("n").over(inPartition().rowsBetween(Window.unboundedPreceding(), Window.currentRow())).as("cur_upto"),
        sum("n").over(inPartition().rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())).as("total"),
        lag(col("x"), 1).over(inPartition()).as("prev_x"));
  }

  /**
   * The KS statistic {@code ks_d} of each (column, partition) and minus its location, {@code ks_l}:
   * the largest candidate as {@code (d, -location)}, so the largest distance at the first location;
   * null at reference rows.
   */
  private static Dataset<Row> ks(Dataset<Row> rows) {
    Column m = col("m").cast("double");
    Column n = col("total").cast("double");
    Column atPoint = abs(try_divide(col("ref_upto").plus(col("ref_at")).cast("double"), m)
        .minus(try_divide(col("cur_upto").cast("double"), n)));
    Column before = abs(try_divide(col("ref_upto").cast("double"), m)
        .minus(try_divide(col("cur_upto").minus(col("n")).cast("double"), n)));
    Column beforeAt = greatest(col("ref_below"), col("prev_x"));
    Column candidate = when(col("role").equalTo(CURRENT), greatest(struct(atPoint.as("d"), negate(col("x")).as("l")),
        when(beforeAt.isNotNull(), struct(before.as("d"), negate(beforeAt).as("l")))));
    Column best = max(candidate).over(inPartition().rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing()));
    return rows.withColumn("ks", best).withColumn("ks_d", col("ks.d")).withColumn("ks_l", col("ks.l"));
  }

  /** The collected rows by column. */
  private static Map<Integer, ColumnFigures> decode(List<Row> rows) {
    Map<Integer, Accumulator> byColumn = new TreeMap<>();
    for (Row r : rows) {
      Accumulator a = byColumn.computeIfAbsent(r.<Integer>getAs("c"), c -> new Accumulator());
      int bin = (int) r.<Long>getAs("bin").longValue();
      long count = r.<Long>getAs("count");
      if (r.<Integer>getAs("role") == REFERENCE) {
        a.referenceBins.put(bin, count);
        if (!r.isNullAt(r.fieldIndex("edge"))) {
          a.edges.put(bin, r.<Double>getAs("edge"));
        }
      } else {
        a.add(r.getAs("p"), bin, count, r.getAs("ks_d"), r.getAs("ks_l"));
      }
    }
    Map<Integer, ColumnFigures> out = new HashMap<>();
    byColumn.forEach((c, a) -> out.put(c, a.figures()));
    return out;
  }

  /** One column's collected rows. */
  private static final class Accumulator {
    final TreeMap<Integer, Double> edges = new TreeMap<>();
    final Map<Integer, Long> referenceBins = new HashMap<>();
    final Map<String, Map<Integer, Long>> bins = new HashMap<>();
    final Map<String, double[]> best = new HashMap<>();

    void add(String partition, int bin, long count, Double ksStatistic, Double minusLocation) {
      bins.computeIfAbsent(partition, p -> new HashMap<>()).put(bin, count);
      if (ksStatistic != null) {
        best.put(partition, new double[] {ksStatistic, -minusLocation + 0.0});
      }
    }

    ColumnFigures figures() {
      double[] edgeValues = edges.values().stream().mapToDouble(Double::doubleValue).toArray();
      Map<String, PartitionFigures> partitions = new HashMap<>();
      bins.forEach((p, counts) -> {
        double[] ks = best.getOrDefault(p, new double[] {0, Double.NaN});
        partitions.put(p, new PartitionFigures(array(counts, edgeValues.length + 1), ks[0], ks[1]));
      });
      return new ColumnFigures(edgeValues, array(referenceBins, edgeValues.length + 1), partitions);
    }

    private static long[] array(Map<Integer, Long> counts, int length) {
      long[] out = new long[length];
      counts.forEach((bin, n) -> out[bin] += n);
      return out;
    }
  }
}
