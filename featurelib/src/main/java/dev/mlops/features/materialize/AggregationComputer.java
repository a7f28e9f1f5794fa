package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.features.DerivedFeature;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.WindowedAggregate;
import dev.mlops.features.registry.FeatureTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Computes an aggregation view's rows for a feature-time range in one pass over the source: one
 * aggregation of the source rows into per-(key, granularity bucket) partial states for every
 * feature and window at once, then one sorted scan per key that slides all windows together
 * ({@link WindowScanner}). Reads only the events the range can see: from the range start minus
 * the longest window or TTL (whichever is longer) to the range end.
 */
final class AggregationComputer {
  static final String EXPIRED = "_expired";

  private AggregationComputer() {}

  /**
   * The view's rows with feature time in {@code [start, end)}, in the table's layout plus a
   * boolean {@value #EXPIRED} column marking expiry rows.
   *
   * @param sourceRows the source's rows (the caller reads and pins them)
   * @param now the created time of the rows
   */
  static Dataset<Row> compute(FeatureView view, Dataset<Row> sourceRows, Instant start, Instant end, Instant now) {
    AggregationSourceCheck.check(view, sourceRows);
    ViewQuery.Aggregation agg = (ViewQuery.Aggregation) view.query();
    List<JoinKey> keys = view.joinKeys();
    Buckets buckets = buckets(agg, keys, events(view, sourceRows, start, end));
    List<Column> keyCols = keys.stream().map(k -> Identifiers.column(k.name())).toList();
    List<Column> sortCols = new ArrayList<>(keyCols);
    sortCols.add(col("_bucket"));
    WindowScanner scanner = new WindowScanner(keys.size(), micros(agg.granularity()), micros(view.ttl()), micros(start),
        micros(end), agg.windows().stream().mapToLong(AggregationComputer::micros).toArray(),
        buckets.specs().toArray(WindowScanner.Spec[]::new));
    Dataset<Row> rows = buckets.rows().repartition(keyCols.toArray(Column[]::new))
        .sortWithinPartitions(sortCols.toArray(Column[]::new))
        .mapPartitions(scanner, Encoders.row(scannedSchema(keys, agg)));
    return rows.select(output(keyCols, agg, now).toArray(Column[]::new));
  }

  /**
   * The per-(key, bucket) partial states of every aggregate, and how the scanner reads each
   * aggregate's states from a bucket row.
   */
  private record Buckets(Dataset<Row> rows, List<WindowScanner.Spec> specs) {}

  /**
   * The source events the range {@code [start, end)} can see: from its start minus the longest
   * window or TTL (whichever is longer, plus a granularity step) to its end, with every key and
   * passing the view's filter.
   */
  private static Dataset<Row> events(FeatureView view, Dataset<Row> sourceRows, Instant start, Instant end) {
    ViewQuery.Aggregation agg = (ViewQuery.Aggregation) view.query();
    Source source = agg.source();
    Duration lookback = (agg.longestWindow().compareTo(view.ttl()) > 0 ? agg.longestWindow() : view.ttl())
        .plus(agg.granularity());
    Instant readFrom = start.minus(lookback);
    Dataset<Row> events = sourceRows;
    if (source.partitionColumn() != null) {
      events = events.where(Identifiers.column(source.partitionColumn()).geq(lit(java.sql.Date.valueOf(
              readFrom.atZone(java.time.ZoneOffset.UTC).toLocalDate())))
          .and(Identifiers.column(source.partitionColumn()).leq(lit(java.sql.Date.valueOf(end.atZone(java.time.ZoneOffset.UTC).toLocalDate())))));
    }
    String ev = Identifiers.quote(source.eventTime());
    events = events.where(expr(ev + " >= timestamp_micros(" + micros(readFrom) + "L) AND " + ev + " < timestamp_micros("
        + micros(end) + "L)"));
    for (JoinKey k : view.joinKeys()) {
      events = events.where(Identifiers.column(k.name()).isNotNull());
    }
    if (agg.filter() != null) {
      events = events.where(expr(agg.filter()));
    }
    return events;
  }

  /**
   * One aggregation of {@code events} into per-(key, granularity bucket) partial states for every
   * aggregate at once.
   */
  private static Buckets buckets(ViewQuery.Aggregation agg, List<JoinKey> keys, Dataset<Row> events) {
    Source source = agg.source();
    String ev = Identifiers.quote(source.eventTime());
    String created = source.createdTime() == null ? ev : Identifiers.quote(source.createdTime());
    long g = micros(agg.granularity());
    List<Column> groupBy = new ArrayList<>();
    keys.forEach(k -> groupBy.add(Identifiers.column(k.name())));
    groupBy.add(expr("floor(unix_micros(" + ev + ") / " + g + "L) * " + g + "L").as("_bucket"));

    List<Column> partials = new ArrayList<>();
    partials.add(expr("min(unix_micros(" + ev + "))").as("_first"));
    partials.add(expr("max(unix_micros(" + ev + "))").as("_last"));
    List<WindowScanner.Spec> specs = new ArrayList<>();
    int ordinal = keys.size() + 3;
    for (int i = 0; i < agg.aggregates().size(); i++) {
      WindowedAggregate a = agg.aggregates().get(i);
      List<Column> cols = partials(a, "_a" + i + "_", ev, created);
      int[] positions = new int[cols.size()];
      for (int j = 0; j < cols.size(); j++) {
        positions[j] = ordinal++;
      }
      partials.addAll(cols);
      specs.add(new WindowScanner.Spec(a.function(), a.windows().stream().mapToLong(AggregationComputer::micros).toArray(),
          positions));
    }
    Dataset<Row> buckets = events.groupBy(groupBy.toArray(Column[]::new))
        .agg(partials.get(0), partials.subList(1, partials.size()).toArray(Column[]::new));
    return new Buckets(buckets, specs);
  }

  /** The partial state columns of aggregate {@code a} in a bucket, named with the prefix {@code p}. */
  private static List<Column> partials(WindowedAggregate a, String p, String ev, String created) {
    String x = input(a);
    return switch (a.function()) {
      case COUNT -> List.of(expr("count(" + x + ")").as(p + "n"));
      case SUM, AVG -> List.of(expr("sum(CAST(" + x + " AS double))").as(p + "s"), expr("count(" + x + ")").as(p + "n"));
      case MIN -> List.of(expr("min(CAST(" + x + " AS double))").as(p + "v"));
      case MAX -> List.of(expr("max(CAST(" + x + " AS double))").as(p + "v"));
      case STDDEV -> List.of(expr("count(" + x + ")").as(p + "n"), expr("sum(CAST(" + x + " AS double))").as(p + "s"),
          expr("sum(CAST(" + x + " AS double) * CAST(" + x + " AS double))").as(p + "q"));
      case APPROX_COUNT_DISTINCT -> List.of(expr("collect_set(" + x + ")").as(p + "d"));
      case LAST -> List.of(expr("max(CASE WHEN (" + x + ") IS NOT NULL THEN named_struct('t', " + ev + ", 'c', "
          + created + ", 'v', " + x + ") END)").as(p + "l"));
    };
  }

  /**
   * The rows the scanner makes: the keys, the feature time {@code _t}, {@value #EXPIRED}, and a
   * column a feature and window.
   */
  private static StructType scannedSchema(List<JoinKey> keys, ViewQuery.Aggregation agg) {
    StructType scanned = new StructType();
    for (JoinKey k : keys) {
      scanned = scanned.add(k.name(), k.type().sparkType(), true);
    }
    scanned = scanned.add("_t", DataTypes.LongType, false).add(EXPIRED, DataTypes.BooleanType, false);
    for (WindowedAggregate a : agg.aggregates()) {
      for (Duration w : a.windows()) {
        scanned = scanned.add(a.featureName(w), a.type().sparkType(), true);
      }
    }
    return scanned;
  }

  /** The table's columns from the scanned rows, the derived features computed, and {@value #EXPIRED}. */
  private static List<Column> output(List<Column> keyCols, ViewQuery.Aggregation agg, Instant now) {
    List<Column> out = new ArrayList<>(keyCols);
    out.add(expr("timestamp_micros(_t)").as(FeatureTables.FEATURE_TS));
    out.add(lit(java.sql.Timestamp.from(now)).as(FeatureTables.CREATED_TS));
    for (WindowedAggregate a : agg.aggregates()) {
      for (Duration w : a.windows()) {
        out.add(Identifiers.column(a.featureName(w)));
      }
    }
    for (DerivedFeature d : agg.derived()) {
      out.add(expr("CASE WHEN " + EXPIRED + " THEN NULL ELSE CAST((" + d.expression() + ") AS "
          + d.feature().type().sqlName() + ") END").as(d.feature().name()));
    }
    out.add(expr("to_date(timestamp_micros(_t))").as(FeatureTables.DATE));
    out.add(col(EXPIRED));
    return out;
  }

  /** The aggregated expression: the input (or 1 for count), only where the filter holds. */
  private static String input(WindowedAggregate a) {
    String x = a.input() == null ? "1" : "(" + a.input() + ")";
    return a.filter() == null ? x : "CASE WHEN (" + a.filter() + ") THEN " + x + " END";
  }

  static long micros(Duration d) {
    return d.toSeconds() * 1_000_000L + d.toNanosPart() / 1000;
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
