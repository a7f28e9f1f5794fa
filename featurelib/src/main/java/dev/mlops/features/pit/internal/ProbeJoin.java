package dev.mlops.features.pit.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.pit.AsOfJoin;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The point-in-time join of {@link AsOfJoin} through Spark's internals: the feature rows of a
 * partition indexed per key, the spine streamed through them, the output rows read in place
 * ({@link ProbedRow}), all on Spark's own rows ({@code InternalRow}). Same rows as the public-API
 * path of {@link AsOfJoin}.
 *
 * <p>In a shuffled pass both sides are hash-partitioned by the join keys into the same number of
 * partitions, and partition {@code i} of one meets partition {@code i} of the other; in a broadcast
 * pass every spine partition meets all the feature rows. In each partition the feature rows are
 * indexed per key as time-sorted arrays; the spine rows then stream through, and each finds its
 * feature row by a binary search: the greatest feature time {@code <= t}, ties going to the
 * greatest created time, then to the greatest fingerprint of the feature values
 * ({@link ValueFingerprint}), kept only if it lies within the view's TTL. The feature side of a
 * partition is held in memory, so the partition count grows with it. Each pass's output rows are
 * {@link ProbedRow}s, reused from row to row, and read in place by the next pass or by the scan
 * of the resulting DataFrame.
 *
 * <p>What it relies on, and what fails when Spark changes it:
 * <ul>
 *   <li>{@code org.apache.spark.sql.classic.SparkSession.internalCreateDataFrame} and
 *       {@code Dataset.queryExecution().toRdd()}: the bridge between DataFrames and RDDs of
 *       {@code InternalRow}; a missing method fails with a {@link LinkageError}, which
 *       {@link #current()} checks for up front so that {@link AsOfJoin} takes its public path.
 *   <li>Catalyst's {@code InternalRow}, {@code UnsafeProjection}, {@code BoundReference},
 *       {@code GetStructField}, {@code GenericInternalRow} and {@code XxHash64}: type changes fail
 *       compilation, caught by a version bump's build; a behaviour change of {@code XxHash64}
 *       would break ties differently from SQL's {@code xxhash64}, which
 *       {@code AsOfJoinPropertyTest} compares.
 *   <li>{@code InternalRow}'s abstract methods ({@link ReadOnlyRow}): a new one fails compilation.
 * </ul>
 */
public final class ProbeJoin {
  static final String KEY = "_k";
  static final String FEATURE_TIME = "_ft";
  static final String CREATED_TIME = "_ct";
  static final String VIEW = "_v";
  static final String VALUES = "_f";

  /** The classes and methods this path calls. */
  static final List<String> REQUIRED = List.of(
      "org.apache.spark.sql.classic.SparkSession#internalCreateDataFrame",
      "org.apache.spark.sql.execution.QueryExecution#toRdd",
      "org.apache.spark.sql.catalyst.expressions.UnsafeProjection#create",
      "org.apache.spark.sql.catalyst.expressions.XxHash64",
      "org.apache.spark.sql.catalyst.expressions.GetStructField");

  private static final SparkInternals.Availability CURRENT = SparkInternals.probe(REQUIRED);

  private ProbeJoin() {}

  /** Whether this JVM's Spark has what this path calls (checked once). */
  public static SparkInternals.Availability current() {
    return CURRENT;
  }

  /**
   * The spine joined, pass after pass, with the sides of each: the rows of
   * {@link AsOfJoin#joinAll}. A broadcast pass works on the rows of the pass before it as they
   * come, without making them a DataFrame in between; only a shuffled pass needs one (its exchange
   * does), so the rows are copied once before each shuffled pass that follows another pass, and
   * once at the end. The arguments are checked already.
   */
  public static Dataset<Row> joinAll(Dataset<Row> spine, String spineTime, List<AsOfJoin.Pass> passes, long spineStart) {
    org.apache.spark.sql.classic.SparkSession session = (org.apache.spark.sql.classic.SparkSession) spine.sparkSession();
    Dataset<Row> framed = spine;
    JavaRDD<InternalRow> unframed = null; // the rows of the passes since framed, or null
    StructType schema = spine.schema();
    for (AsOfJoin.Pass pass : passes) {
      if (!pass.broadcast() && unframed != null) {
        framed = frame(session, unframed, schema);
        unframed = null;
      }
      Prepared p = prepare(session, schema, pass.spineKeys(), spineTime, pass.sides(), spineStart);
      if (pass.broadcast()) {
        List<InternalRow> rows = rdd(p.features()).map(InternalRow::copy).collect();
        Broadcast<List<InternalRow>> all = JavaSparkContext.fromSparkContext(session.sparkContext()).broadcast(rows);
        unframed = (unframed == null ? rdd(framed) : unframed).mapPartitions(new BroadcastProbe(p.probe(), all));
      } else {
        Column[] spineKeyCols = pass.spineKeys().stream().map(Identifiers::column).toArray(Column[]::new);
        Column[] featureKeyCols = new Column[spineKeyCols.length];
        for (int k = 0; k < featureKeyCols.length; k++) {
          featureKeyCols[k] = col(KEY + k);
        }
        List<JavaRDD<InternalRow>> sides = shuffledTogether(framed.repartition(pass.shufflePartitions(), spineKeyCols),
            p.features().repartition(pass.shufflePartitions(), featureKeyCols));
        unframed = sides.get(0).zipPartitions(sides.get(1), p.probe());
        if (pass.partitions() < pass.shufflePartitions()) {
          unframed = unframed.coalesce(pass.partitions());
        }
      }
      schema = p.outSchema();
    }
    return unframed == null ? framed : frame(session, unframed, schema);
  }

  /**
   * The rows of two shuffled DataFrames, their shuffles run at the same time. With adaptive query
   * execution, getting a DataFrame's rows runs its shuffle there and then; one after the other,
   * the spine's shuffle and the feature side's would leave cores idle at each one's last tasks.
   * The second runs on a thread of its own, which inherits this thread's job properties; its jobs
   * are cancelled when the first fails.
   */
  private static List<JavaRDD<InternalRow>> shuffledTogether(Dataset<Row> first, Dataset<Row> second) {
    // Plan both first: planning a Delta scan runs small jobs of its own (listing the files), which
    // would otherwise wait behind the other side's shuffle tasks.
    first.queryExecution().executedPlan();
    second.queryExecution().executedPlan();
    org.apache.spark.SparkContext sc = first.sparkSession().sparkContext();
    String tag = "as-of-join-shuffle-" + java.util.UUID.randomUUID();
    java.util.concurrent.CompletableFuture<JavaRDD<InternalRow>> other = new java.util.concurrent.CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        sc.addJobTag(tag);
        other.complete(rdd(second));
      } catch (Throwable t) {
        other.completeExceptionally(t);
      }
    }, "as-of-join-shuffle");
    thread.setDaemon(true);
    thread.start();
    JavaRDD<InternalRow> firstRows;
    try {
      firstRows = rdd(first);
    } catch (RuntimeException | Error e) {
      // Stop the other shuffle too, and keep its failure beside this one.
      sc.cancelJobsWithTag(tag);
      try {
        other.get();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException failed) {
        if (failed.getCause() != e) {
          e.addSuppressed(failed.getCause());
        }
      }
      throw e;
    }
    try {
      return List.of(firstRows, other.get());
    } catch (InterruptedException e) {
      sc.cancelJobsWithTag(tag);
      Thread.currentThread().interrupt();
      throw FeatureErrors.joinInterrupted(e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw FeatureErrors.joinShuffleFailed(e.getCause());
    }
  }

  /** Rows of Spark's internal format as a DataFrame of {@code schema}; its scan copies each row into Spark's row format. */
  private static Dataset<Row> frame(org.apache.spark.sql.classic.SparkSession session, JavaRDD<InternalRow> rows,
      StructType schema) {
    return session.internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** The feature side, the output schema and the per-partition work of one join. */
  private record Prepared(Dataset<Row> features, StructType outSchema, Probe probe) {}

  private static JavaRDD<InternalRow> rdd(Dataset<Row> rows) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) rows).queryExecution().toRdd().toJavaRDD();
  }

  private static Prepared prepare(org.apache.spark.sql.classic.SparkSession session, StructType spineSchema,
      List<String> spineKeys, String spineTime, List<AsOfJoin.Side> sides, long spineStart) {
    int[] keyOrdinals = new int[spineKeys.size()];
    DataType[] keyTypes = new DataType[spineKeys.size()];
    for (int i = 0; i < spineKeys.size(); i++) {
      keyOrdinals[i] = ordinal(spineSchema, spineKeys.get(i));
      keyTypes[i] = spineSchema.fields()[keyOrdinals[i]].dataType();
    }
    int timeOrdinal = ordinal(spineSchema, spineTime);
    DataType timeType = spineSchema.fields()[timeOrdinal].dataType();
    StructType outSchema = spineSchema;
    List<Dataset<Row>> parts = new ArrayList<>();
    long[] ttls = new long[sides.size()];
    for (int v = 0; v < sides.size(); v++) {
      AsOfJoin.Side side = sides.get(v);
      ttls[v] = side.ttlMicros();
      parts.add(side.rows().select(featureColumns(sides, v, spineKeys.size()).toArray(Column[]::new)));
      for (int f = 0; f < side.features().size(); f++) {
        outSchema = outSchema.add(side.outputNames().get(f), side.rows().schema().apply(side.features().get(f)).dataType(), true);
      }
    }
    Dataset<Row> features = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      features = features.unionAll(parts.get(i));
    }
    if (spineStart != Long.MIN_VALUE) {
      ValueFingerprint fingerprint = ValueFingerprint.ofFeatureRows(features.schema(), keyTypes.length + 3, sides.size());
      features = frame(session, rdd(features).mapPartitions(new LatestBeforeStart(keyTypes, spineStart, fingerprint)),
          features.schema());
    }
    Probe probe = new Probe(keyOrdinals, keyTypes, timeOrdinal, timeType.equals(DataTypes.DateType), ttls,
        features.schema(), sides.size(),
        Arrays.stream(outSchema.fields()).map(StructField::dataType).toArray(DataType[]::new));
    return new Prepared(features, outSchema, probe);
  }

  /**
   * The feature side's columns of side {@code v}: the keys, the view's number, feature and created
   * times in microseconds, then the values: flat columns with one side, else each side's values
   * packed in a struct column of its own (null in the other sides' rows).
   */
  private static List<Column> featureColumns(List<AsOfJoin.Side> sides, int v, int keys) {
    AsOfJoin.Side side = sides.get(v);
    List<Column> cols = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      cols.add(Identifiers.column(side.keyColumns().get(k)).as(KEY + k));
    }
    cols.add(lit(v).as(VIEW));
    cols.add(expr("unix_micros(" + Identifiers.quote(side.featureTime()) + ")").as(FEATURE_TIME));
    cols.add(side.createdTime() == null ? lit(Long.MIN_VALUE).as(CREATED_TIME)
        : expr("coalesce(unix_micros(" + Identifiers.quote(side.createdTime()) + "), " + Long.MIN_VALUE + "L)").as(CREATED_TIME));
    List<Column> values = side.features().stream().map(Identifiers::column).toList();
    if (sides.size() == 1) {
      for (int f = 0; f < values.size(); f++) {
        cols.add(values.get(f).as(VALUES + "0_" + f)); // one side: flat columns, no struct to pack and unpack
      }
      return cols;
    }
    for (int w = 0; w < sides.size(); w++) {
      StructType packed = new StructType();
      for (String f : sides.get(w).features()) {
        packed = packed.add(f, sides.get(w).rows().schema().apply(f).dataType(), true);
      }
      cols.add(w == v ? org.apache.spark.sql.functions.struct(values.toArray(Column[]::new)).cast(packed).as(VALUES + w)
          : lit(null).cast(packed).as(VALUES + w));
    }
    return cols;
  }

  private static int ordinal(StructType schema, String column) {
    for (int i = 0; i < schema.fields().length; i++) {
      if (schema.fields()[i].name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + schema.simpleString() + ": AsOfJoin checks it first");
  }

  /**
   * Drops, within a partition of the feature side, the rows before the spine's first time that a
   * later row of the same key and view also before it outranks (by feature time, created time,
   * fingerprint: the order the probe picks by). No spine row can match those: each one's match is
   * the greatest row at or before its time, which is never one outranked by a row that is earlier
   * still than the spine. The rows from the spine's first time on pass as they come; the kept early
   * rows follow at the end. A nightly scoring against a month of hourly feature rows thus shuffles
   * at most one row of the history per key, view and task of the feature scan, not every hour of it.
   */
  private record LatestBeforeStart(DataType[] keyTypes, long start, ValueFingerprint fingerprint)
      implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      int k = keyTypes.length;
      Map<Object, InternalRow> latest = new HashMap<>();
      return new Iterator<>() {
        private InternalRow next;
        private Iterator<InternalRow> kept;

        @Override
        public boolean hasNext() {
          while (next == null && kept == null) {
            if (!rows.hasNext()) {
              kept = latest.values().iterator();
              break;
            }
            InternalRow r = rows.next();
            if (r.getLong(k + 1) >= start) {
              next = r;
              break;
            }
            Object[] key = new Object[k + 1];
            for (int i = 0; i < k; i++) {
              key[i] = value(r, i, keyTypes[i]);
              if (key[i] == null) {
                key = null; // matches nothing
                break;
              }
            }
            if (key != null) {
              key[k] = r.getInt(k);
              List<Object> slot = Arrays.asList(key);
              InternalRow best = latest.get(slot);
              if (best == null || outranks(r, best, k)) {
                latest.put(slot, r.copy()); // copied only when kept: the input row's buffer is reused
              }
            }
          }
          return next != null || kept.hasNext();
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          if (next != null) {
            InternalRow r = next;
            next = null;
            return r;
          }
          return kept.next();
        }
      };
    }

    private boolean outranks(InternalRow a, InternalRow b, int k) {
      for (int i = k + 1; i <= k + 2; i++) {
        int c = Long.compare(a.getLong(i), b.getLong(i));
        if (c != 0) {
          return c > 0;
        }
      }
      int view = a.getInt(k); // b's too: rows of one slot
      return fingerprint.of(a, view) > fingerprint.of(b, view);
    }
  }

  /** The per-partition work of a broadcast join: every spine partition meets all the broadcast feature rows. */
  private record BroadcastProbe(Probe probe, Broadcast<List<InternalRow>> features)
      implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> spineRows) {
      return probe.call(spineRows, features.value().iterator());
    }
  }

  /**
   * The per-partition work: index the feature rows (sorted by key, view, feature time, created
   * time, fingerprint) as flat arrays with one (start, end) range per key and view, then stream
   * the spine rows through, each finding its row by a binary search in its range.
   */
  private static final class Probe implements FlatMapFunction2<Iterator<InternalRow>, Iterator<InternalRow>, InternalRow>,
      Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] keyOrdinals;
    private final DataType[] keyTypes;
    private final int timeOrdinal;
    private final boolean timeIsDate;
    private final long[] ttls;
    private final StructType featureSchema;
    private final int views;
    private final DataType[] outTypes;

    Probe(int[] keyOrdinals, DataType[] keyTypes, int timeOrdinal, boolean timeIsDate, long[] ttls, StructType featureSchema,
        int views, DataType[] outTypes) {
      this.keyOrdinals = keyOrdinals;
      this.keyTypes = keyTypes;
      this.timeOrdinal = timeOrdinal;
      this.timeIsDate = timeIsDate;
      this.ttls = ttls;
      this.featureSchema = featureSchema;
      this.views = views;
      this.outTypes = outTypes;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> spineRows, Iterator<InternalRow> featureRows) {
      ValueLayout layout = ValueLayout.of(featureSchema, views, keyTypes.length + 3);
      FeatureIndex index = index(featureRows, layout);
      return new Iterator<>() {
        private final InternalRow[] matches = new InternalRow[views];
        private ProbedRow out; // made for the first row: its layout takes over a probed spine row's parts

        @Override
        public boolean hasNext() {
          return spineRows.hasNext();
        }

        @Override
        public InternalRow next() {
          if (!spineRows.hasNext()) {
            throw new NoSuchElementException();
          }
          InternalRow spine = spineRows.next();
          match(spine, index, layout, matches);
          if (out == null) {
            out = ProbedRow.extending(spine, layout.widths(), outTypes);
          }
          return out.set(spine, matches);
        }
      };
    }

    /** Puts into {@code matches} each view's row for {@code spine}, or its row of nulls. */
    private void match(InternalRow spine, FeatureIndex index, ValueLayout layout, InternalRow[] matches) {
      System.arraycopy(layout.nothings(), 0, matches, 0, views);
      int slot = index.slotOf(spine, this);
      if (slot < 0 || spine.isNullAt(timeOrdinal)) {
        return;
      }
      long t = timeIsDate ? spine.getInt(timeOrdinal) * 86_400_000_000L : spine.getLong(timeOrdinal);
      for (int v = 0; v < views; v++) {
        int from = index.ranges()[2 * (slot * views + v)];
        int to = index.ranges()[2 * (slot * views + v) + 1];
        int i = lastAtOrBefore(index.times(), from, to, t);
        if (i >= 0 && t - index.times()[i] <= ttls[v]) {
          matches[v] = index.rows()[i];
        }
      }
    }

    /**
     * The partition's feature rows indexed, in two passes and no comparison sort of the partition:
     * read into flat arrays, each (key, view) "slot" numbered on first sight; then grouped by slot
     * with a counting sort, each (small) group ordered by feature time, created time, fingerprint.
     */
    private FeatureIndex index(Iterator<InternalRow> featureRows, ValueLayout layout) {
      int k = keyTypes.length;
      boolean longKey = k == 1 && keyTypes[0].equals(DataTypes.LongType);
      ReadRows read = new ReadRows(longKey);
      while (featureRows.hasNext()) {
        InternalRow r = featureRows.next();
        int keySlot = longKey ? read.longSlot(r) : read.slot(key(r, 0, k));
        if (keySlot >= 0) {
          int v = r.getInt(k);
          read.add(r.getLong(k + 1), r.getLong(k + 2), keySlot * views + v, layout.values()[v].apply(r).copy());
        }
      }
      int slotTotal = read.keyCount * views;
      int[] ranges = new int[2 * slotTotal];
      for (int i = 0; i < read.n; i++) {
        ranges[2 * read.slotOf[i] + 1]++;
      }
      int running = 0;
      for (int sl = 0; sl < slotTotal; sl++) {
        int count = ranges[2 * sl + 1];
        ranges[2 * sl] = running;
        ranges[2 * sl + 1] = running;
        running += count;
      }
      int[] order = new int[read.n];
      for (int i = 0; i < read.n; i++) {
        order[ranges[2 * read.slotOf[i] + 1]++] = i;
      }
      Ranking ranking = new Ranking(read.ft, read.ct, read.rows, read.slotOf, views, ValueFingerprint.ofValueRows(layout.types()));
      for (int sl = 0; sl < slotTotal; sl++) {
        sortRange(order, ranges[2 * sl], ranges[2 * sl + 1], ranking);
      }
      long[] times = new long[read.n];
      InternalRow[] rows = new InternalRow[read.n];
      for (int i = 0; i < read.n; i++) {
        times[i] = read.ft[order[i]];
        rows[i] = read.rows[order[i]];
      }
      return new FeatureIndex(read.longSlots, read.slots, ranges, times, rows);
    }

    /** The slot of {@code spine}'s key, or -1 when no feature row has it or it is null. */
    int slotOf(InternalRow spine, LongIntMap longSlots, Map<Object, Integer> slots) {
      if (longSlots != null) {
        return spine.isNullAt(keyOrdinals[0]) ? -1 : longSlots.get(spine.getLong(keyOrdinals[0]));
      }
      Object key = keyFromSpine(spine);
      Integer s = key == null ? null : slots.get(key);
      return s == null ? -1 : s;
    }

    /** Sorts {@code order[from, to)} by the ranking of the rows it points at, without boxing. */
    private static void sortRange(int[] order, int from, int to, Ranking ranking) {
      while (to - from > 24) {
        int mid = order[(from + to) >>> 1];
        int i = from;
        int j = to - 1;
        while (i <= j) {
          while (ranking.compare(order[i], mid) < 0) {
            i++;
          }
          while (ranking.compare(order[j], mid) > 0) {
            j--;
          }
          if (i <= j) {
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
            i++;
            j--;
          }
        }
        // Recurse into the smaller half, loop on the larger one.
        if (j + 1 - from < to - i) {
          sortRange(order, from, j + 1, ranking);
          from = i;
        } else {
          sortRange(order, i, to, ranking);
          to = j + 1;
        }
      }
      for (int i = from + 1; i < to; i++) {
        int x = order[i];
        int j = i - 1;
        while (j >= from && ranking.compare(order[j], x) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
    }

    /**
     * The order of a partition's feature rows within a slot: by feature time, created time, then
     * fingerprint, which is computed for rows that tie on both times only, once per row.
     */
    private static final class Ranking {
      private final long[] ft;
      private final long[] ct;
      private final InternalRow[] values;
      private final int[] slotOf;
      private final int views;
      private final ValueFingerprint fingerprint;
      private Map<Integer, Long> fingerprints; // of the rows that tied, made on the first tie

      Ranking(long[] ft, long[] ct, InternalRow[] values, int[] slotOf, int views, ValueFingerprint fingerprint) {
        this.ft = ft;
        this.ct = ct;
        this.values = values;
        this.slotOf = slotOf;
        this.views = views;
        this.fingerprint = fingerprint;
      }

      int compare(int a, int b) {
        int c = Long.compare(ft[a], ft[b]);
        if (c != 0) {
          return c;
        }
        c = Long.compare(ct[a], ct[b]);
        return c != 0 || a == b ? c : Long.compare(fingerprint(a), fingerprint(b));
      }

      private long fingerprint(int i) {
        if (fingerprints == null) {
          fingerprints = new HashMap<>();
        }
        return fingerprints.computeIfAbsent(i, r -> fingerprint.of(values[r], slotOf[r] % views));
      }
    }

    /** The index of the last time {@code <= t} in {@code times[from, to)}, or -1. */
    private static int lastAtOrBefore(long[] times, int from, int to, long t) {
      int lo = from;
      int hi = to;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo - 1 >= from ? lo - 1 : -1;
    }

    private Object keyFromSpine(InternalRow r) {
      if (keyOrdinals.length == 1) {
        return value(r, keyOrdinals[0], keyTypes[0]);
      }
      Object[] parts = new Object[keyOrdinals.length];
      for (int i = 0; i < keyOrdinals.length; i++) {
        parts[i] = value(r, keyOrdinals[i], keyTypes[i]);
        if (parts[i] == null) {
          return null;
        }
      }
      return Arrays.asList(parts);
    }

    private Object key(InternalRow r, int first, int count) {
      if (count == 1) {
        return value(r, first, keyTypes[0]);
      }
      Object[] parts = new Object[count];
      for (int i = 0; i < count; i++) {
        parts[i] = value(r, first + i, keyTypes[i]);
        if (parts[i] == null) {
          return null;
        }
      }
      return Arrays.asList(parts);
    }

  }

  /**
   * How each view's values are laid out in the stored rows: each stored row holds one view's
   * feature values only, in output order.
   *
   * @param types each view's value types
   * @param values each view's projection from a feature-side row to its stored row
   * @param nothings each view's row of nulls
   */
  private record ValueLayout(DataType[][] types, UnsafeProjection[] values, InternalRow[] nothings) {
    static ValueLayout of(StructType featureSchema, int views, int valuesOrdinal) {
      DataType[][] types = new DataType[views][];
      UnsafeProjection[] projections = new UnsafeProjection[views];
      InternalRow[] nothings = new InternalRow[views];
      for (int v = 0; v < views; v++) {
        Expression packed = views == 1 ? null
            : new BoundReference(valuesOrdinal + v, featureSchema.fields()[valuesOrdinal + v].dataType(), true);
        types[v] = views == 1 ? Arrays.stream(featureSchema.fields()).skip(valuesOrdinal).map(StructField::dataType)
            .toArray(DataType[]::new)
            : Arrays.stream(((StructType) packed.dataType()).fields()).map(StructField::dataType).toArray(DataType[]::new);
        List<Expression> vals = new ArrayList<>();
        StructType valueSchema = new StructType();
        for (int f = 0; f < types[v].length; f++) {
          vals.add(views == 1 ? new BoundReference(valuesOrdinal + f, types[v][f], true)
              : new GetStructField(packed, f, scala.Option.empty()));
          valueSchema = valueSchema.add("f" + f, types[v][f], true);
        }
        projections[v] = UnsafeProjection.create(CollectionConverters.asScala(vals).toSeq());
        nothings[v] = UnsafeProjection.create(valueSchema).apply(new GenericInternalRow(types[v].length)).copy();
      }
      return new ValueLayout(types, projections, nothings);
    }

    /** The number of values of each view. */
    int[] widths() {
      return Arrays.stream(types).mapToInt(t -> t.length).toArray();
    }
  }

  /** A partition's feature rows as read, before they are ordered: flat arrays grown as they fill. */
  private static final class ReadRows {
    long[] ft = new long[1024];
    long[] ct = new long[1024];
    int[] slotOf = new int[1024];
    InternalRow[] rows = new InternalRow[1024];
    int n;
    final LongIntMap longSlots;
    final Map<Object, Integer> slots;
    int keyCount;

    ReadRows(boolean longKey) {
      longSlots = longKey ? new LongIntMap() : null;
      slots = longKey ? null : new HashMap<>();
    }

    /** The slot of a bigint key in column 0 of {@code r}, numbered on first sight; -1 for null. */
    int longSlot(InternalRow r) {
      if (r.isNullAt(0)) {
        return -1;
      }
      long key = r.getLong(0);
      int slot = longSlots.get(key);
      if (slot < 0) {
        slot = keyCount++;
        longSlots.put(key, slot);
      }
      return slot;
    }

    /** The slot of {@code key}, numbered on first sight; -1 for a null key. */
    int slot(Object key) {
      if (key == null) {
        return -1;
      }
      Integer known = slots.get(key);
      if (known == null) {
        known = keyCount++;
        slots.put(key, known);
      }
      return known;
    }

    void add(long featureTime, long createdTime, int slot, InternalRow values) {
      if (n == ft.length) {
        ft = Arrays.copyOf(ft, n * 2);
        ct = Arrays.copyOf(ct, n * 2);
        slotOf = Arrays.copyOf(slotOf, n * 2);
        rows = Arrays.copyOf(rows, n * 2);
      }
      ft[n] = featureTime;
      ct[n] = createdTime;
      slotOf[n] = slot;
      rows[n] = values;
      n++;
    }
  }

  /**
   * A partition's feature rows, ordered and indexed.
   *
   * @param longSlots the slot of each bigint key, when the key is one bigint
   * @param slots the slot of each other key
   * @param ranges per slot ({@code key slot * views + view}) its rows' start and end in {@code times}
   * @param times the rows' feature times, in order
   * @param rows the rows' values, in order
   */
  private record FeatureIndex(LongIntMap longSlots, Map<Object, Integer> slots, int[] ranges, long[] times,
      InternalRow[] rows) {
    int slotOf(InternalRow spine, Probe probe) {
      return probe.slotOf(spine, longSlots, slots);
    }
  }

  /** A key value of a row, copied out of it; null when null. */
  private static Object value(InternalRow r, int ordinal, DataType type) {
    if (r.isNullAt(ordinal)) {
      return null;
    }
    if (type.equals(DataTypes.LongType)) {
      return r.getLong(ordinal);
    }
    if (type.equals(DataTypes.IntegerType)) {
      return r.getInt(ordinal);
    }
    if (type.equals(DataTypes.StringType)) {
      return r.getUTF8String(ordinal).copy();
    }
    Object v = r.get(ordinal, type);
    return v instanceof UTF8String s ? s.copy() : v;
  }

  /**
   * An open-addressing map from long keys to non-negative ints; -1 for a missing key. Each entry
   * is two adjacent longs, the key and the value plus one (0: empty), so a lookup touches one cache
   * line, not one in each of three arrays.
   */
  static final class LongIntMap {
    private long[] table = new long[2 << 10];
    private int size;

    void put(long key, int value) {
      if (value < 0) {
        throw new IllegalArgumentException("a negative value: " + value);
      }
      if (4 * (size + 1) > table.length) {
        grow();
      }
      int mask = table.length / 2 - 1;
      int i = slot(key, mask);
      while (table[2 * i + 1] != 0 && table[2 * i] != key) {
        i = (i + 1) & mask;
      }
      if (table[2 * i + 1] == 0) {
        table[2 * i] = key;
        size++;
      }
      table[2 * i + 1] = value + 1L;
    }

    int get(long key) {
      int mask = table.length / 2 - 1;
      int i = slot(key, mask);
      long stored;
      while ((stored = table[2 * i + 1]) != 0) {
        if (table[2 * i] == key) {
          return (int) (stored - 1);
        }
        i = (i + 1) & mask;
      }
      return -1;
    }

    private void grow() {
      long[] old = table;
      table = new long[old.length * 2];
      size = 0;
      for (int i = 0; i < old.length; i += 2) {
        if (old[i + 1] != 0) {
          put(old[i], (int) (old[i + 1] - 1));
        }
      }
    }

    private static int slot(long key, int mask) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }
  }
}
