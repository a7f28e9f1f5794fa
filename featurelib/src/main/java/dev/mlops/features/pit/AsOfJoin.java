package dev.mlops.features.pit;

import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.pit.internal.ProbeJoin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The point-in-time (as-of) join of a spine with the rows of several feature tables that share
 * the same join keys: for each spine row and feature table, the row with the same keys and the
 * greatest feature time {@code <= t}, ties going to the greatest created time, then to the
 * greatest {@code xxhash64} of the feature values (a deterministic rule), kept only if it lies
 * within the table's TTL ({@code t - ttl <= feature time}). Spine rows with a null key match
 * nothing and keep null features. One output row per spine row.
 *
 * <p>Two paths give the same rows. Through Spark's internals ({@link ProbeJoin}): one shuffle of
 * each side and no sort of the spine, or, for a pass marked broadcast, the feature rows collected
 * once and no shuffle at all. Through Spark's public API ({@link WindowJoin}): a union of both sides
 * and a window per key, taken when the internal path is turned off
 * ({@value SparkInternals#SETTING}) or this Spark lacks what it calls.
 *
 * <p>Stateless and thread-safe.
 */
public final class AsOfJoin {
  /**
   * One feature table's side of the join.
   *
   * @param rows the feature table's rows (at a pinned version)
   * @param keyColumns its join key columns, in the spine's key order
   * @param featureTime its feature time column
   * @param createdTime its created time column, or null
   * @param features its feature columns to return
   * @param outputNames the names they get in the output
   * @param ttlMicros how long a row stays valid after its feature time
   */
  public record Side(Dataset<Row> rows, List<String> keyColumns, String featureTime, String createdTime,
      List<String> features, List<String> outputNames, long ttlMicros) {}

  /**
   * One pass of {@link #joinAll}: feature tables sharing join keys, joined in one shuffle of each
   * side into {@code shufflePartitions} partitions, or broadcast. Each shuffled partition's feature
   * rows are indexed apart, so more partitions mean smaller indexes; the output then has
   * {@code partitions} partitions, each a run of shuffled ones read one after the other.
   *
   * @param spineKeys the spine's key columns, matched in order with each side's key columns
   * @param sides feature tables sharing these keys
   * @param broadcast whether the sides are collected and broadcast (the spine is not shuffled)
   * @param partitions the number of partitions of the output when shuffled: the tasks that follow
   * @param shufflePartitions the number of partitions both sides are shuffled into, at least
   *     {@code partitions}
   */
  public record Pass(List<String> spineKeys, List<Side> sides, boolean broadcast, int partitions, int shufflePartitions) {
    public Pass {
      if (!broadcast && shufflePartitions < partitions) {
        throw new IllegalArgumentException("shufflePartitions " + shufflePartitions + " < partitions " + partitions);
      }
    }

    /** A pass whose sides are shuffled into as many partitions as its output has. */
    public Pass(List<String> spineKeys, List<Side> sides, boolean broadcast, int partitions) {
      this(spineKeys, sides, broadcast, partitions, partitions);
    }

    /**
     * A shuffled pass sized for {@code featureRows} feature rows: about one output partition per
     * {@link #ROWS_PER_TASK} of them and one shuffled partition per {@link #ROWS_PER_INDEX}, at
     * least {@code minimum} of each.
     */
    public static Pass shuffled(List<String> spineKeys, List<Side> sides, long featureRows, int minimum) {
      return new Pass(spineKeys, sides, false, AsOfJoin.partitions(featureRows, minimum, ROWS_PER_TASK),
          AsOfJoin.partitions(featureRows, minimum, ROWS_PER_INDEX));
    }
  }

  /** Feature rows per output partition of a shuffled pass: the share of one task of the steps that follow. */
  public static final long ROWS_PER_TASK = 2_000_000L;

  /**
   * Feature rows per shuffled partition, each indexed apart: every spine row's lookup lands at a
   * random place of its partition's index, and lookups in smaller indexes are cheaper (more of
   * them hit the processor's caches, presumably; the sizes measured are in docs/BENCHMARKS.md).
   */
  public static final long ROWS_PER_INDEX = 200_000L;

  private AsOfJoin() {}

  /**
   * The spine with the features of every side added, one output row per spine row.
   *
   * @param spine the rows to enrich
   * @param spineKeys the spine's key columns, matched in order with each side's key columns
   * @param spineTime the spine's time column (timestamp or date; a date means its midnight UTC)
   * @param sides feature tables sharing these keys
   * @param partitions the number of partitions of both sides
   * @param spineStart a time in microseconds no spine row's time lies before ({@link Long#MIN_VALUE}
   *     if none is known): of the feature rows before it, only the latest of each key can match, and
   *     the others are left out before the shuffle
   */
  public static Dataset<Row> join(Dataset<Row> spine, List<String> spineKeys, String spineTime, List<Side> sides, int partitions,
      long spineStart) {
    return joinAll(spine, spineTime, List.of(new Pass(spineKeys, sides, false, partitions)), spineStart);
  }

  /**
   * As {@link #join}, for feature sides small enough to hold whole in every task: their rows are
   * collected once and broadcast, and each partition of the spine, as it is, streams through an
   * index of all of them. The spine is not shuffled at all; the result is the same row for row.
   */
  public static Dataset<Row> broadcastJoin(Dataset<Row> spine, List<String> spineKeys, String spineTime, List<Side> sides,
      long spineStart) {
    return joinAll(spine, spineTime, List.of(new Pass(spineKeys, sides, true, 0)), spineStart);
  }

  /** The spine joined, pass after pass, with the sides of each: as {@link #join} called once per pass. */
  public static Dataset<Row> joinAll(Dataset<Row> spine, String spineTime, List<Pass> passes, long spineStart) {
    return joinAll(spine, spineTime, passes, spineStart, ProbeJoin.current());
  }

  /**
   * As {@link #joinAll(Dataset, String, List, long)}, through Spark's internals only when
   * {@code internals} says they are there.
   */
  public static Dataset<Row> joinAll(Dataset<Row> spine, String spineTime, List<Pass> passes, long spineStart,
      SparkInternals.Availability internals) {
    check(spine.schema(), spineTime, passes);
    if (SparkInternals.use(internals, spine.sparkSession())) {
      return ProbeJoin.joinAll(spine, spineTime, passes, spineStart);
    }
    Dataset<Row> out = spine;
    for (Pass pass : passes) {
      out = WindowJoin.join(out, pass.spineKeys(), spineTime, pass.sides());
    }
    return out;
  }

  /**
   * How many partitions to use so that each partition's feature rows fit comfortably in memory:
   * at least {@code minimum}, and about one per {@code rowsPerPartition} feature rows.
   */
  public static int partitions(long featureRows, int minimum, long rowsPerPartition) {
    return (int) Math.max(minimum, Math.min(100_000, (featureRows + rowsPerPartition - 1) / rowsPerPartition));
  }

  /** Fails naming what is wrong: a missing column, a time that is not one, keys of different types, two outputs of one name. */
  private static void check(StructType spine, String spineTime, List<Pass> passes) {
    DataType timeType = type(spine, spineTime, "time");
    if (!timeType.equals(DataTypes.TimestampType) && !timeType.equals(DataTypes.DateType)) {
      throw FeatureErrors.joinTimeType(spineTime, timeType.simpleString());
    }
    List<String> output = new ArrayList<>(Arrays.asList(spine.fieldNames()));
    for (Pass pass : passes) {
      for (Side side : pass.sides()) {
        StructType rows = side.rows().schema();
        for (int k = 0; k < pass.spineKeys().size(); k++) {
          DataType theirs = type(rows, side.keyColumns().get(k), "join key");
          DataType ours = type(spine, pass.spineKeys().get(k), "join key");
          if (!theirs.equals(ours)) {
            throw FeatureErrors.joinKeyTypes(pass.spineKeys().get(k), ours.simpleString(), theirs.simpleString());
          }
        }
        for (String name : side.outputNames()) {
          if (output.contains(name)) {
            throw FeatureErrors.joinOutputClash(name);
          }
          output.add(name);
        }
      }
    }
  }

  private static DataType type(StructType schema, String column, String what) {
    return Arrays.stream(schema.fields()).filter(f -> f.name().equals(column)).findFirst().orElseThrow(() ->
        FeatureErrors.joinColumnMissing(what, column, List.of(schema.fieldNames()))).dataType();
  }
}
