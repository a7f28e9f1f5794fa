package dev.mlops.validation.profiles;

import static org.apache.spark.sql.functions.lit;

import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.KllState;
import dev.mlops.validation.sketches.SketchState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Profiles columns of a table per partition in one pass: a quantile sketch (KLL) of each numeric
 * column and a frequent-items sketch of each categorical one, for every value of the partition
 * column at once. Each task keeps one set of sketches per partition value it meets; they are
 * merged per value, so the result grows with the number of partitions and columns, never with the
 * rows. The sketches are those validation keeps ({@link KllState}, {@link FrequentItemsState}).
 *
 * <p>Stateless and thread-safe.
 */
public final class PartitionProfiler {
  private static final String WHOLE = "";

  private PartitionProfiler() {}

  /** How a column is profiled. */
  public enum Kind {
    /** Its values as doubles, into a quantile sketch. */
    NUMERIC,
    /** Its values as text, into a frequent-items sketch. */
    CATEGORICAL
  }

  /**
   * A column to profile.
   *
   * @param name its name in the profiles
   * @param value the expression that reads it (a column, or a struct field such as {@code features.amount})
   * @param kind how it is profiled
   */
  public record ProfiledColumn(String name, Column value, Kind kind) implements Serializable {
    public ProfiledColumn {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      Objects.requireNonNull(kind, "kind == null");
    }
  }

  /**
   * The sketches of {@code columns} over {@code data}, by partition value (the value as text), then
   * by column name; with {@code partition} null, the whole data under the key {@code ""}. One Spark
   * job.
   */
  public static Map<String, Map<String, SketchState<?>>> profile(Dataset<Row> data, Column partition,
      List<ProfiledColumn> columns) {
    List<Column> select = new ArrayList<>();
    select.add(partition == null ? lit(WHOLE) : partition.cast("string"));
    Kind[] kinds = new Kind[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      kinds[i] = columns.get(i).kind();
      select.add(columns.get(i).value().cast(kinds[i] == Kind.NUMERIC ? "double" : "string"));
    }
    JavaPairRDD<String, SketchState<?>[]> folded = data.select(select.toArray(Column[]::new)).javaRDD()
        .mapPartitionsToPair(new Fold(kinds)).reduceByKey(PartitionProfiler::merge);
    Map<String, Map<String, SketchState<?>>> out = new LinkedHashMap<>();
    folded.collectAsMap().forEach((value, states) -> {
      Map<String, SketchState<?>> byColumn = new LinkedHashMap<>();
      for (int i = 0; i < states.length; i++) {
        byColumn.put(columns.get(i).name(), states[i]);
      }
      out.put(value, byColumn);
    });
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SketchState<?>[] merge(SketchState<?>[] a, SketchState<?>[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (SketchState<?>) ((SketchState) a[i]).merge(b[i]);
    }
    return a;
  }

  /** A task's rows into one set of sketches per partition value. */
  private record Fold(Kind[] kinds) implements PairFlatMapFunction<Iterator<Row>, String, SketchState<?>[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<String, SketchState<?>[]>> call(Iterator<Row> rows) {
      Map<String, SketchState<?>[]> byPartition = new HashMap<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        String key = r.isNullAt(0) ? "null" : r.getString(0);
        SketchState<?>[] states = byPartition.computeIfAbsent(key, k -> fresh());
        for (int i = 0; i < kinds.length; i++) {
          if (!r.isNullAt(i + 1)) {
            if (kinds[i] == Kind.NUMERIC) {
              ((KllState) states[i]).update(r.getDouble(i + 1));
            } else {
              ((FrequentItemsState) states[i]).update(r.getString(i + 1), 1);
            }
          }
        }
      }
      List<Tuple2<String, SketchState<?>[]>> out = new ArrayList<>();
      byPartition.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
      return out.iterator();
    }

    private SketchState<?>[] fresh() {
      SketchState<?>[] states = new SketchState<?>[kinds.length];
      for (int i = 0; i < kinds.length; i++) {
        states[i] = kinds[i] == Kind.NUMERIC ? new KllState() : new FrequentItemsState();
      }
      return states;
    }
  }
}
