package dev.mlops.monitoring.engines;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.monitoring.engines.ExactSources.Source;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The first job of the exact engine, one Spark job for all columns and partitions: the rows of
 * every partition and reference side, the count of each category of each categorical column, and
 * the number of values of each numeric column, in each partition and in the reference. For the
 * categories, each value becomes a row {@code (role, c, p, v)} (the value as text, nulls dropped),
 * and each row one more {@code (role, -1, key, null)} that counts it; they are counted per distinct
 * value, with a partial count on each task before the shuffle. The numeric values (nulls and NaNs
 * aside) are counted per partition by one aggregation of each source.
 *
 * <p>Only counts per category come back to the driver, so a column with many distinct values
 * (an id read as a category) cannot bring the data back: in each (column, partition) and in the
 * reference, the {@value #MAX_CATEGORIES} most frequent categories are kept (ties by label) and the
 * rest counted together as {@code other} (the {@code <other>} bucket of the categorical metrics,
 * as for a frequent-items sketch). Below that many categories the counts are exact and complete.
 *
 * <p>Stateless.
 */
final class CountPass {
  /** The most categories kept per column and partition (or reference); the rest count as other. */
  static final int MAX_CATEGORIES = 10_000;

  private static final int CURRENT = 0;
  private static final int REFERENCE = 1;
  private static final int ROWS = -1;

  private CountPass() {}

  /**
   * The categories of one column on one side.
   *
   * @param counts the count of each category kept
   * @param other the values in categories not kept
   */
  record Counts(Map<String, Long> counts, long other) {}

  /**
   * What the job found.
   *
   * @param current by categorical column index, then partition: the current counts (absent when no
   *     values)
   * @param reference by categorical column index: the reference's counts (absent when no values)
   * @param values by numeric column index, then partition (null for the reference): its number of
   *     values (absent when none)
   * @param currentRows the rows of each current partition that has any
   * @param referenceRows the rows of each reference partition, or each side of a whole reference
   *     ({@link ExactSources#sideKey(int)}), that has any
   */
  record Result(Map<Integer, Map<String, Counts>> current, Map<Integer, Counts> reference,
      Map<Integer, Map<String, Long>> values, Map<String, Long> currentRows, Map<String, Long> referenceRows) {
    /**
     * The values of each numeric column with any, by slot: those of each of {@code partitions},
     * then the reference's.
     */
    Map<Integer, long[]> valuesBySlot(List<String> partitions) {
      Map<String, Integer> slot = new HashMap<>();
      partitions.forEach(p -> slot.put(p, slot.size()));
      slot.put(null, partitions.size());
      Map<Integer, long[]> out = new HashMap<>();
      values.forEach((c, byPartition) -> {
        long[] slots = new long[partitions.size() + 1];
        byPartition.forEach((p, n) -> slots[slot.get(p)] = n);
        out.put(c, slots);
      });
      return out;
    }
  }

  /** Counts the rows, the categories and the numeric values of {@code sources}; one Spark job. */
  static Result run(List<Source> sources) {
    Dataset<Row> all = null;
    Dataset<Row> values = null;
    for (Source s : sources) {
      List<Column> entries = new ArrayList<>();
      entries.add(struct(lit(ROWS).as("c"), s.rowKey().as("p"), lit(null).cast("string").as("v")));
      s.reads(Kind.CATEGORICAL).forEach(r -> entries.add(struct(lit(r.index()).as("c"), s.group().as("p"),
          r.value().cast("string").as("v"))));
      Dataset<Row> d = s.rows().select(lit(s.reference() ? REFERENCE : CURRENT).as("role"),
          explode(array(entries.toArray(Column[]::new))).as("e"))
          .select(col("role"), col("e.c").as("c"), col("e.p").as("p"), col("e.v").as("v"));
      all = all == null ? d : all.unionByName(d);
      Dataset<Row> v = numericValues(s);
      values = v == null ? values : values == null ? v : values.unionByName(v);
    }
    Dataset<Row> counts = counts(all);
    Set<Integer> numeric = sources.stream().flatMap(s -> s.reads(Kind.NUMERIC).stream()).map(ExactSources.Read::index)
        .collect(Collectors.toSet());
    return decode((values == null ? counts : counts.unionByName(values)).collectAsList(), numeric);
  }

  /**
   * The numeric values of {@code s} per group, as {@code (role, c, p, null, n)}; null without
   * numeric columns. The value is read as the numeric pass reads it: as a double, neither null nor
   * NaN.
   */
  private static Dataset<Row> numericValues(Source s) {
    List<ExactSources.Read> reads = s.reads(Kind.NUMERIC);
    if (reads.isEmpty()) {
      return null;
    }
    Column[] counts = reads.stream().map(r -> {
      Column v = r.value().cast("double");
      return count(when(v.isNotNull().and(not(isnan(v))), lit(1))).as("n" + r.index());
    }).toArray(Column[]::new);
    Column[] entries = reads.stream().map(r -> struct(lit(r.index()).as("c"), col("n" + r.index()).as("n")))
        .toArray(Column[]::new);
    return s.rows().groupBy(s.group().as("p")).agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length))
        .select(lit(s.reference() ? REFERENCE : CURRENT).as("role"), col("p"), explode(array(entries)).as("e"))
        .select(col("role"), col("e.c").as("c"), col("p"), lit(null).cast("string").as("v"), col("e.n").as("n"));
  }

  /** Counts per (role, column, partition, category), the categories past the most frequent ones as one null category. */
  private static Dataset<Row> counts(Dataset<Row> entries) {
    Dataset<Row> counted = entries.where(col("c").equalTo(ROWS).or(col("v").isNotNull()))
        .groupBy("role", "c", "p", "v").agg(count(lit(1)).as("n"));
    Column rank = row_number().over(Window.partitionBy("role", "c", "p").orderBy(col("n").desc(), col("v").asc()));
    return counted.withColumn("v", when(rank.leq(MAX_CATEGORIES), col("v")))
        .groupBy("role", "c", "p", "v").agg(sum("n").as("n"));
  }

  private static Result decode(List<Row> rows, Set<Integer> numeric) {
    Map<Integer, Map<String, Long>> values = new HashMap<>();
    Map<Integer, Map<String, Map<String, Long>>> current = new HashMap<>();
    Map<Integer, Map<String, Long>> reference = new HashMap<>();
    Map<String, Long> currentRows = new LinkedHashMap<>();
    Map<String, Long> referenceRows = new LinkedHashMap<>();
    for (Row r : rows) {
      boolean isReference = r.<Integer>getAs("role") == REFERENCE;
      int c = r.getAs("c");
      String p = r.getAs("p");
      String v = r.getAs("v");
      long n = r.getAs("n");
      if (c == ROWS) {
        (isReference ? referenceRows : currentRows).put(p, n);
      } else if (numeric.contains(c)) {
        values.computeIfAbsent(c, k -> new HashMap<>()).put(p, n);
      } else if (isReference) {
        reference.computeIfAbsent(c, k -> new HashMap<>()).put(v, n);
      } else {
        current.computeIfAbsent(c, k -> new HashMap<>()).computeIfAbsent(p, k -> new HashMap<>()).put(v, n);
      }
    }
    Map<Integer, Map<String, Counts>> currentCounts = new HashMap<>();
    current.forEach((c, byPartition) -> byPartition.forEach((p, counts) ->
        currentCounts.computeIfAbsent(c, k -> new HashMap<>()).put(p, counts(counts))));
    Map<Integer, Counts> referenceCounts = new HashMap<>();
    reference.forEach((c, counts) -> referenceCounts.put(c, counts(counts)));
    return new Result(currentCounts, referenceCounts, values, currentRows, referenceRows);
  }

  /** The counts with the null category (the ones not kept) taken out as other. */
  private static Counts counts(Map<String, Long> withOther) {
    Map<String, Long> kept = new HashMap<>(withOther);
    Long other = kept.remove(null);
    return new Counts(kept, other == null ? 0 : other);
  }
}
