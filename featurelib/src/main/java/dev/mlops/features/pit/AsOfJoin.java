package dev.mlops.features.pit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.PlatformException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The point-in-time (as-of) join of a spine with the rows of several feature tables that share
 * the same join keys, in one shuffle of each side and no sort of the spine.
 *
 * <p>Both sides are hash-partitioned by the join keys into the same number of partitions, and
 * partition {@code i} of one meets partition {@code i} of the other. In each partition the
 * feature rows are indexed per key as time-sorted arrays; the spine rows then stream through, and
 * each finds its feature row by a binary search: the greatest feature time {@code <= t}, ties going
 * to the greatest created time, then to the greatest fingerprint of the feature values (a
 * deterministic rule), kept only if it lies within the view's TTL ({@code t - ttl <= feature time}).
 * Spine rows with a null key match nothing and keep null features. The feature side of a
 * partition is held in memory, so the partition count grows with it (see {@link #partitions}).
 */
public final class AsOfJoin {
  static final String KEY = "_k";
  static final String FEATURE_TIME = "_ft";
  static final String CREATED_TIME = "_ct";
  static final String TIEBREAK = "_tb";
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
   * The spine with the features of every side added, one output row per spine row.
   *
   * @param spine the rows to enrich
   * @param spineKeys the spine's key columns, matched in order with each side's key columns
   * @param spineTime the spine's time column (timestamp or date; a date means its midnight UTC)
   * @param sides feature tables sharing these keys
   * @param partitions the number of partitions of both sides
   */
  public static Dataset<Row> join(Dataset<Row> spine, List<String> spineKeys, String spineTime, List<Side> sides, int partitions) {
    StructType spineSchema = spine.schema();
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
        cols.add(col(side.keyColumns().get(k)).as(KEY + k));
      }
      cols.add(lit(v).as(VIEW));
      cols.add(expr("unix_micros(`" + side.featureTime() + "`)").as(FEATURE_TIME));
      cols.add(side.createdTime() == null ? lit(null).cast(DataTypes.LongType).as(CREATED_TIME)
          : expr("unix_micros(`" + side.createdTime() + "`)").as(CREATED_TIME));
      List<Column> values = side.features().stream().map(f -> col("`" + f + "`")).toList();
      cols.add(org.apache.spark.sql.functions.xxhash64(values.toArray(Column[]::new)).as(TIEBREAK));
      for (int w = 0; w < sides.size(); w++) {
        StructType packed = new StructType();
        for (String f : sides.get(w).features()) {
          packed = packed.add(f, sides.get(w).rows().schema().apply(f).dataType(), true);
        }
        cols.add(w == v ? org.apache.spark.sql.functions.struct(values.toArray(Column[]::new)).cast(packed).as(VALUES + w)
            : lit(null).cast(packed).as(VALUES + w));
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

    Column[] spineKeyCols = spineKeys.stream().map(k -> col("`" + k + "`")).toArray(Column[]::new);
    Column[] featureKeyCols = new Column[spineKeys.size()];
    for (int k = 0; k < featureKeyCols.length; k++) {
      featureKeyCols[k] = col(KEY + k);
    }
    org.apache.spark.sql.classic.Dataset<Row> spineParts =
        (org.apache.spark.sql.classic.Dataset<Row>) spine.repartition(partitions, spineKeyCols);
    org.apache.spark.sql.classic.Dataset<Row> featureParts =
        (org.apache.spark.sql.classic.Dataset<Row>) features.repartition(partitions, featureKeyCols);
    JavaRDD<InternalRow> left = spineParts.queryExecution().toRdd().toJavaRDD();
    JavaRDD<InternalRow> right = featureParts.queryExecution().toRdd().toJavaRDD();

    StructType featureSchema = featureParts.schema();
    Probe probe = new Probe(keyOrdinals, keyTypes, timeOrdinal, timeType.equals(DataTypes.DateType), ttls,
        featureSchema, sides.size(), spineSchema, outSchema);
    JavaRDD<InternalRow> joined = left.zipPartitions(right, probe);
    org.apache.spark.sql.classic.SparkSession session = (org.apache.spark.sql.classic.SparkSession) spine.sparkSession();
    return session.internalCreateDataFrame(joined.rdd(), outSchema, false);
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

  /** The per-partition work: index the feature rows, stream the spine rows through. */
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
    private final StructType spineSchema;
    private final StructType outSchema;

    Probe(int[] keyOrdinals, DataType[] keyTypes, int timeOrdinal, boolean timeIsDate, long[] ttls, StructType featureSchema,
        int views, StructType spineSchema, StructType outSchema) {
      this.keyOrdinals = keyOrdinals;
      this.keyTypes = keyTypes;
      this.timeOrdinal = timeOrdinal;
      this.timeIsDate = timeIsDate;
      this.ttls = ttls;
      this.featureSchema = featureSchema;
      this.views = views;
      this.spineSchema = spineSchema;
      this.outSchema = outSchema;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> spineRows, Iterator<InternalRow> featureRows) {
      int k = keyTypes.length;
      int viewOrdinal = k;
      int ftOrdinal = k + 1;
      int ctOrdinal = k + 2;
      int tbOrdinal = k + 3;
      int valuesOrdinal = k + 4;
      int[] widths = new int[views];
      DataType[][] valueTypes = new DataType[views][];
      int total = 0;
      for (int v = 0; v < views; v++) {
        StructType packed = (StructType) featureSchema.fields()[valuesOrdinal + v].dataType();
        widths[v] = packed.size();
        valueTypes[v] = Arrays.stream(packed.fields()).map(StructField::dataType).toArray(DataType[]::new);
        total += widths[v];
      }
      Map<Object, SeriesBuilder[]> building = new HashMap<>();
      while (featureRows.hasNext()) {
        InternalRow r = featureRows.next();
        Object key = key(r, 0, k);
        if (key == null) {
          continue;
        }
        int v = r.getInt(viewOrdinal);
        SeriesBuilder[] perView = building.computeIfAbsent(key, x -> new SeriesBuilder[views]);
        if (perView[v] == null) {
          perView[v] = new SeriesBuilder();
        }
        perView[v].add(r.getLong(ftOrdinal), r.isNullAt(ctOrdinal) ? Long.MIN_VALUE : r.getLong(ctOrdinal),
            r.getLong(tbOrdinal), r.getStruct(valuesOrdinal + v, widths[v]).copy());
      }
      Map<Object, Series[]> index = new HashMap<>(building.size() * 2);
      building.forEach((key, builders) -> {
        Series[] s = new Series[views];
        for (int v = 0; v < views; v++) {
          s[v] = builders[v] == null ? null : builders[v].build();
        }
        index.put(key, s);
      });
      building.clear();
      UnsafeProjection project = UnsafeProjection.create(outSchema);
      int totalWidth = total;
      return new Iterator<>() {
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
          GenericInternalRow values = new GenericInternalRow(totalWidth);
          Object key = keyFromSpine(spine);
          Series[] found = key == null ? null : index.get(key);
          if (found != null && !spine.isNullAt(timeOrdinal)) {
            long t = timeIsDate ? spine.getInt(timeOrdinal) * 86_400_000_000L : spine.getLong(timeOrdinal);
            int offset = 0;
            for (int v = 0; v < views; v++) {
              Series s = found[v];
              InternalRow match = s == null ? null : s.at(t, ttls[v]);
              if (match != null) {
                for (int f = 0; f < widths[v]; f++) {
                  values.update(offset + f, match.isNullAt(f) ? null : match.get(f, valueTypes[v][f]));
                }
              }
              offset += widths[v];
            }
          }
          return project.apply(new JoinedRow(spine, values));
        }
      };
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
  }

  /** Collects one key's rows of one view. */
  private static final class SeriesBuilder {
    private final List<long[]> order = new ArrayList<>();
    private final List<InternalRow> rows = new ArrayList<>();

    void add(long featureTime, long createdTime, long tiebreak, InternalRow values) {
      order.add(new long[] {featureTime, createdTime, tiebreak, rows.size()});
      rows.add(values);
    }

    Series build() {
      order.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]).thenComparingLong(a -> a[2]));
      long[] times = new long[order.size()];
      InternalRow[] values = new InternalRow[order.size()];
      for (int i = 0; i < times.length; i++) {
        long[] o = order.get(i);
        times[i] = o[0];
        values[i] = rows.get((int) o[3]);
      }
      return new Series(times, values);
    }
  }

  /** One key's rows of one view, sorted by (feature time, created time, tiebreak). */
  private record Series(long[] times, InternalRow[] values) {
    /** The row for a read at {@code t}, or null. */
    InternalRow at(long t, long ttl) {
      int lo = 0;
      int hi = times.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int i = lo - 1;
      if (i < 0 || t - times[i] > ttl) {
        return null;
      }
      return values[i];
    }
  }
}
