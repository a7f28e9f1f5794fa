package dev.mlops.features.pit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.PlatformException;
import dev.mlops.core.spark.Identifiers;
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
 * The point-in-time (as-of) join of a spine with the rows of several feature tables that share
 * the same join keys, in one shuffle of each side and no sort of the spine, or, when the feature
 * rows are few, with them broadcast and no shuffle at all ({@link #broadcastJoin}).
 *
 * <p>In {@link #join}, both sides are hash-partitioned by the join keys into the same number of
 * partitions, and partition {@code i} of one meets partition {@code i} of the other; in
 * {@link #broadcastJoin}, every spine partition meets all the feature rows. In each partition the
 * feature rows are indexed per key as time-sorted arrays; the spine rows then stream through, and
 * each finds its feature row by a binary search: the greatest feature time {@code <= t}, ties going
 * to the greatest created time, then to the greatest fingerprint of the feature values (a
 * deterministic rule), kept only if it lies within the view's TTL ({@code t - ttl <= feature time}).
 * Spine rows with a null key match nothing and keep null features. The feature side of a
 * partition is held in memory, so the partition count grows with it (see {@link #partitions}).
 *
 * <p>{@link #joinAll} chains passes of either kind. Within a task, each pass's output rows are
 * {@link ProbedRow}s, reused from row to row, and read in place by the next pass or by the scan of
 * the resulting DataFrame.
 */
public final class AsOfJoin {
  static final String KEY = "_k";
  static final String FEATURE_TIME = "_ft";
  static final String CREATED_TIME = "_ct";
  static final String VIEW = "_v";
  static final String VALUES = "_f";

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

  private AsOfJoin() {}

  /**
   * One pass of {@link #joinAll}: feature tables sharing join keys, joined in one shuffle of each
   * side into {@code partitions} partitions, or broadcast.
   *
   * @param spineKeys the spine's key columns, matched in order with each side's key columns
   * @param sides feature tables sharing these keys
   * @param broadcast whether the sides are collected and broadcast (the spine is not shuffled)
   * @param partitions the number of partitions of both sides when shuffled
   */
  public record Pass(List<String> spineKeys, List<Side> sides, boolean broadcast, int partitions) {}

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

  /**
   * The spine joined, pass after pass, with the sides of each: the same rows as {@link #join} or
   * {@link #broadcastJoin} called once per pass, but a broadcast pass works on the rows of the pass
   * before it as they come, without making them a DataFrame in between: each such frame would copy
   * every row into Spark's row format once more. Only a shuffled pass needs one (its exchange
   * does), so the rows are copied once before each shuffled pass that follows another pass, and
   * once at the end.
   */
  public static Dataset<Row> joinAll(Dataset<Row> spine, String spineTime, List<Pass> passes, long spineStart) {
    org.apache.spark.sql.classic.SparkSession session = (org.apache.spark.sql.classic.SparkSession) spine.sparkSession();
    Dataset<Row> framed = spine;
    JavaRDD<InternalRow> unframed = null; // the rows of the passes since framed, or null
    StructType schema = spine.schema();
    for (Pass pass : passes) {
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
        List<JavaRDD<InternalRow>> sides = shuffledTogether(framed.repartition(pass.partitions(), spineKeyCols),
            p.features().repartition(pass.partitions(), featureKeyCols));
        unframed = sides.get(0).zipPartitions(sides.get(1), p.probe());
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
      throw new PlatformException("Interrupted while shuffling the feature rows for the join", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new PlatformException("Cannot shuffle the feature rows for the join: " + e.getCause(), e.getCause());
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
      List<String> spineKeys, String spineTime, List<Side> sides, long spineStart) {
    int[] keyOrdinals = new int[spineKeys.size()];
    DataType[] keyTypes = new DataType[spineKeys.size()];
    for (int i = 0; i < spineKeys.size(); i++) {
      keyOrdinals[i] = ordinal(spineSchema, spineKeys.get(i), "join key");
      keyTypes[i] = spineSchema.fields()[keyOrdinals[i]].dataType();
    }
    int timeOrdinal = ordinal(spineSchema, spineTime, "time");
    DataType timeType = spineSchema.fields()[timeOrdinal].dataType();
    if (!timeType.equals(DataTypes.TimestampType) && !timeType.equals(DataTypes.DateType)) {
      throw new PlatformException("Cannot join features: the spine's time column " + spineTime + " is "
          + timeType.simpleString() + "; it must be a timestamp or a date");
    }

    // The feature side: all sides in one frame, each side's features packed in a struct column.
    StructType outSchema = spineSchema;
    List<Dataset<Row>> parts = new ArrayList<>();
    long[] ttls = new long[sides.size()];
    for (int v = 0; v < sides.size(); v++) {
      Side side = sides.get(v);
      ttls[v] = side.ttlMicros();
      StructType rowSchema = side.rows().schema();
      List<Column> cols = new ArrayList<>();
      for (int k = 0; k < spineKeys.size(); k++) {
        DataType t = rowSchema.fields()[ordinal(rowSchema, side.keyColumns().get(k), "join key")].dataType();
        if (!t.equals(keyTypes[k])) {
          throw new PlatformException("Cannot join features: join key " + spineKeys.get(k) + " is "
              + keyTypes[k].simpleString() + " in the spine but " + t.simpleString() + " in the feature table; cast the"
              + " spine's column to " + t.simpleString());
        }
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
      } else {
        for (int w = 0; w < sides.size(); w++) {
          StructType packed = new StructType();
          for (String f : sides.get(w).features()) {
            packed = packed.add(f, sides.get(w).rows().schema().apply(f).dataType(), true);
          }
          cols.add(w == v ? org.apache.spark.sql.functions.struct(values.toArray(Column[]::new)).cast(packed).as(VALUES + w)
              : lit(null).cast(packed).as(VALUES + w));
        }
      }
      parts.add(side.rows().select(cols.toArray(Column[]::new)));
      for (int f = 0; f < side.features().size(); f++) {
        String name = side.outputNames().get(f);
        if (Arrays.asList(outSchema.fieldNames()).contains(name)) {
          throw new PlatformException("Cannot join features: the output would have two columns named " + name
              + " (the spine has one, or two features share the name); rename the spine column or name features"
              + " <view>__<feature> (full-feature-names: true in the service)");
        }
        outSchema = outSchema.add(name, side.rows().schema().apply(side.features().get(f)).dataType(), true);
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
   * How many partitions to use so that each partition's feature rows fit comfortably in memory:
   * at least {@code minimum}, and about one per {@code rowsPerPartition} feature rows.
   */
  public static int partitions(long featureRows, int minimum, long rowsPerPartition) {
    return (int) Math.max(minimum, Math.min(100_000, (featureRows + rowsPerPartition - 1) / rowsPerPartition));
  }

  private static int ordinal(StructType schema, String column, String what) {
    for (int i = 0; i < schema.fields().length; i++) {
      if (schema.fields()[i].name().equals(column)) {
        return i;
      }
    }
    throw new PlatformException("Cannot join features: no " + what + " column " + column + " (columns: "
        + String.join(", ", schema.fieldNames()) + ")");
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
      int k = keyTypes.length;
      boolean longKey = k == 1 && keyTypes[0].equals(DataTypes.LongType);
      int viewOrdinal = k;
      int ftOrdinal = k + 1;
      int valuesOrdinal = k + 3;
      int[] widths = new int[views];
      DataType[][] valueTypes = new DataType[views][];
      int total = 0;
      for (int v = 0; v < views; v++) {
        if (views == 1) {
          valueTypes[v] = new DataType[featureSchema.size() - valuesOrdinal];
          for (int f = 0; f < valueTypes[v].length; f++) {
            valueTypes[v][f] = featureSchema.fields()[valuesOrdinal + f].dataType();
          }
        } else {
          StructType packed = (StructType) featureSchema.fields()[valuesOrdinal + v].dataType();
          valueTypes[v] = Arrays.stream(packed.fields()).map(StructField::dataType).toArray(DataType[]::new);
        }
        widths[v] = valueTypes[v].length;
        total += widths[v];
      }

      // Each stored row holds one view's feature values only, in output order.
      UnsafeProjection[] valueProjections = new UnsafeProjection[views];
      InternalRow[] nothings = new InternalRow[views];
      for (int v = 0; v < views; v++) {
        List<Expression> vals = new ArrayList<>();
        StructType valueSchema = new StructType();
        if (views == 1) {
          for (int f = 0; f < widths[v]; f++) {
            vals.add(new BoundReference(valuesOrdinal + f, valueTypes[v][f], true));
            valueSchema = valueSchema.add("f" + f, valueTypes[v][f], true);
          }
        } else {
          Expression packed = new BoundReference(valuesOrdinal + v, featureSchema.fields()[valuesOrdinal + v].dataType(), true);
          for (int f = 0; f < widths[v]; f++) {
            vals.add(new GetStructField(packed, f, scala.Option.empty()));
            valueSchema = valueSchema.add("f" + f, valueTypes[v][f], true);
          }
        }
        valueProjections[v] = UnsafeProjection.create(CollectionConverters.asScala(vals).toSeq());
        nothings[v] = UnsafeProjection.create(valueSchema).apply(new GenericInternalRow(widths[v])).copy();
      }
      // Index, in two passes and no comparison sort of the partition: read the rows into flat
      // arrays, numbering each (key, view) "slot" on first sight; then group them by slot with a
      // counting sort and order each (small) group by feature time, created time, fingerprint.
      int ctOrdinal = k + 2;
      long[] ft = new long[1024];
      long[] ct = new long[1024];
      int[] slotOf = new int[1024];
      InternalRow[] rows = new InternalRow[1024];
      int n = 0;
      LongIntMap longSlots = new LongIntMap();
      Map<Object, Integer> slots = new HashMap<>();
      int keyCount = 0;
      while (featureRows.hasNext()) {
        InternalRow r = featureRows.next();
        int keySlot;
        if (longKey) {
          if (r.isNullAt(0)) {
            continue;
          }
          long key = r.getLong(0);
          keySlot = longSlots.get(key);
          if (keySlot < 0) {
            keySlot = keyCount++;
            longSlots.put(key, keySlot);
          }
        } else {
          Object key = key(r, 0, k);
          if (key == null) {
            continue;
          }
          Integer known = slots.get(key);
          if (known == null) {
            known = keyCount++;
            slots.put(key, known);
          }
          keySlot = known;
        }
        if (n == ft.length) {
          ft = Arrays.copyOf(ft, n * 2);
          ct = Arrays.copyOf(ct, n * 2);
          slotOf = Arrays.copyOf(slotOf, n * 2);
          rows = Arrays.copyOf(rows, n * 2);
        }
        ft[n] = r.getLong(ftOrdinal);
        ct[n] = r.getLong(ctOrdinal);
        int v = r.getInt(viewOrdinal);
        slotOf[n] = keySlot * views + v;
        rows[n] = valueProjections[v].apply(r).copy();
        n++;
      }
      int slotTotal = keyCount * views;
      int[] index = new int[2 * slotTotal];
      for (int i = 0; i < n; i++) {
        index[2 * slotOf[i] + 1]++;
      }
      int running = 0;
      for (int sl = 0; sl < slotTotal; sl++) {
        int count = index[2 * sl + 1];
        index[2 * sl] = running;
        index[2 * sl + 1] = running;
        running += count;
      }
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[index[2 * slotOf[i] + 1]++] = i;
      }
      Ranking ranking = new Ranking(ft, ct, rows, slotOf, views, ValueFingerprint.ofValueRows(valueTypes));
      for (int sl = 0; sl < slotTotal; sl++) {
        sortRange(order, index[2 * sl], index[2 * sl + 1], ranking);
      }
      long[] times = new long[n];
      InternalRow[] featureRowsIndexed = new InternalRow[n];
      for (int i = 0; i < n; i++) {
        times[i] = ft[order[i]];
        featureRowsIndexed[i] = rows[order[i]];
      }
      // The output row is the spine row beside each view's values (or all nulls). No projection
      // here: the scan of the resulting DataFrame projects every row to its schema anyway.
      InternalRow[] matches = new InternalRow[views];
      return new Iterator<>() {
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
          System.arraycopy(nothings, 0, matches, 0, views);
          int slot = -1;
          if (longKey) {
            if (!spine.isNullAt(keyOrdinals[0])) {
              slot = longSlots.get(spine.getLong(keyOrdinals[0]));
            }
          } else {
            Object key = keyFromSpine(spine);
            Integer s = key == null ? null : slots.get(key);
            slot = s == null ? -1 : s;
          }
          if (slot >= 0 && !spine.isNullAt(timeOrdinal)) {
            long t = timeIsDate ? spine.getInt(timeOrdinal) * 86_400_000_000L : spine.getLong(timeOrdinal);
            for (int v = 0; v < views; v++) {
              int from = index[2 * (slot * views + v)];
              int to = index[2 * (slot * views + v) + 1];
              int i = lastAtOrBefore(times, from, to, t);
              if (i >= 0 && t - times[i] <= ttls[v]) {
                matches[v] = featureRowsIndexed[i];
              }
            }
          }
          if (out == null) {
            out = ProbedRow.extending(spine, widths, outTypes);
          }
          return out.set(spine, matches);
        }
      };
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
