package dev.mlops.features.pit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.mlops.core.spark.Identifiers;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The point-in-time join of one {@link AsOfJoin.Pass} through Spark's public API only: the spine
 * rows and every side's feature rows in one union, a window per key ordered by time (feature rows
 * before spine rows of the same time, then by created time and the values' {@code xxhash64}), and
 * for each spine row the last feature row of each side before it, kept within the side's TTL.
 * The same rows as the internal path; it sorts both sides, so it is slower. Stateless.
 */
final class WindowJoin {
  private static final String TIME = "__pit_time";
  private static final String SIDE = "__pit_side";
  private static final String CREATED = "__pit_created";
  private static final String FINGERPRINT = "__pit_fingerprint";
  private static final String KEY = "__pit_key";
  private static final String ROW = "__pit_row";
  private static final String MATCH = "__pit_match";
  private static final String FEATURE_TIME = "ft";

  private WindowJoin() {}

  /** {@code spine} with the features of {@code sides} added, one row per spine row. */
  static Dataset<Row> join(Dataset<Row> spine, List<String> spineKeys, String spineTime, List<AsOfJoin.Side> sides) {
    StructType spineSchema = spine.schema();
    boolean date = spineSchema.apply(spineTime).dataType().equals(DataTypes.DateType);
    String micros = date ? "unix_date(" + Identifiers.quote(spineTime) + ") * 86400000000L"
        : "unix_micros(" + Identifiers.quote(spineTime) + ")";
    List<Column> spineColumns = new ArrayList<>(Identifiers.columnList(List.of(spine.columns())));
    for (int k = 0; k < spineKeys.size(); k++) {
      spineColumns.add(Identifiers.column(spineKeys.get(k)).as(KEY + k));
    }
    spineColumns.addAll(List.of(expr(micros).as(TIME), lit(1).as(SIDE), lit(null).cast("bigint").as(CREATED),
        lit(null).cast("bigint").as(FINGERPRINT)));
    for (int v = 0; v < sides.size(); v++) {
      spineColumns.add(lit(null).cast(rowType(sides.get(v))).as(ROW + v));
    }
    Dataset<Row> union = spine.select(spineColumns.toArray(Column[]::new));
    for (int v = 0; v < sides.size(); v++) {
      union = union.union(featureRows(spineSchema, spineKeys.size(), sides, v));
    }
    List<Column> keys = new ArrayList<>();
    for (int k = 0; k < spineKeys.size(); k++) {
      keys.add(col(KEY + k));
    }
    WindowSpec upToHere = Window.partitionBy(keys.toArray(Column[]::new)).orderBy(col(TIME), col(SIDE), col(CREATED),
        col(FINGERPRINT)).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    List<Column> matched = new ArrayList<>(Identifiers.columnList(List.of(spine.columns())));
    matched.add(col(TIME));
    matched.add(col(SIDE));
    for (int v = 0; v < sides.size(); v++) {
      matched.add(last(col(ROW + v), true).over(upToHere).as(MATCH + v));
    }
    // The window runs over both sides' rows; only then are the spine's rows kept.
    Dataset<Row> spineRows = union.select(matched.toArray(Column[]::new)).where(col(SIDE).equalTo(1));
    return spineRows.select(output(spine.columns(), sides).toArray(Column[]::new));
  }

  /** Side {@code v}'s rows in the union's layout: the spine's columns null, the keys, times, and its values as a struct. */
  private static Dataset<Row> featureRows(StructType spineSchema, int keyCount, List<AsOfJoin.Side> sides, int v) {
    AsOfJoin.Side side = sides.get(v);
    List<Column> cols = new ArrayList<>();
    for (StructField f : spineSchema.fields()) {
      cols.add(lit(null).cast(f.dataType()).as(f.name()));
    }
    Column anyNullKey = lit(false);
    for (int k = 0; k < keyCount; k++) {
      cols.add(Identifiers.column(side.keyColumns().get(k)).as(KEY + k));
      anyNullKey = anyNullKey.or(Identifiers.column(side.keyColumns().get(k)).isNull());
    }
    Column featureTime = expr("unix_micros(" + Identifiers.quote(side.featureTime()) + ")");
    cols.add(featureTime.as(TIME));
    cols.add(lit(0).as(SIDE));
    cols.add(side.createdTime() == null ? lit(Long.MIN_VALUE).as(CREATED)
        : coalesce(expr("unix_micros(" + Identifiers.quote(side.createdTime()) + ")"), lit(Long.MIN_VALUE)).as(CREATED));
    cols.add(xxhash64(Identifiers.columns(side.features())).as(FINGERPRINT));
    for (int w = 0; w < sides.size(); w++) {
      if (w == v) {
        List<Column> values = new ArrayList<>(List.of(featureTime.as(FEATURE_TIME)));
        for (int f = 0; f < side.features().size(); f++) {
          values.add(Identifiers.column(side.features().get(f)).as("f" + f));
        }
        cols.add(struct(values.toArray(Column[]::new)).cast(rowType(side)).as(ROW + w));
      } else {
        cols.add(lit(null).cast(rowType(sides.get(w))).as(ROW + w));
      }
    }
    return side.rows().where(anyNullKey.unary_$bang()).select(cols.toArray(Column[]::new));
  }

  /** The struct a side's row is carried in: its feature time, then its values {@code f0, f1, ...}. */
  private static StructType rowType(AsOfJoin.Side side) {
    StructType t = new StructType().add(FEATURE_TIME, DataTypes.LongType, true);
    for (int f = 0; f < side.features().size(); f++) {
      t = t.add("f" + f, side.rows().schema().apply(side.features().get(f)).dataType(), true);
    }
    return t;
  }

  /** The spine's columns, then each side's features: its match's values when within its TTL, else null. */
  private static List<Column> output(String[] spineColumns, List<AsOfJoin.Side> sides) {
    List<Column> out = new ArrayList<>(Identifiers.columnList(List.of(spineColumns)));
    for (int v = 0; v < sides.size(); v++) {
      AsOfJoin.Side side = sides.get(v);
      Column match = col(MATCH + v);
      Column valid = col(TIME).minus(match.getField(FEATURE_TIME)).leq(lit(side.ttlMicros()));
      for (int f = 0; f < side.features().size(); f++) {
        out.add(when(valid, match.getField("f" + f)).as(side.outputNames().get(f)));
      }
    }
    return out;
  }
}
