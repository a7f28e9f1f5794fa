package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The materialization benchmark's independent baseline, the tiled approach of Tecton and Feathr
 * in Spark's public API: the events aggregated once into hourly buckets per customer, then every
 * window computed with Spark's {@code RANGE BETWEEN INTERVAL ... PRECEDING AND CURRENT ROW} frames
 * over the buckets, at each time a window's value can change (a bucket ends, or leaves a window)
 * and where the TTL since the last event runs out. Its rows follow the view's documented
 * semantics: at feature time {@code T}, each window covers the buckets in {@code [T - w, T)}; a
 * row at every such boundary while the customer's last event is younger than the TTL, and an
 * expiry row (features null) at the first boundary after that.
 */
final class TiledWindows {
  private static final long HOUR = 3_600_000_000L;

  private TiledWindows() {}

  /**
   * The rows of the benchmark's view (count, sum, avg and max of {@code amount} over each of
   * {@code windows}) with feature time in {@code [start, end)}: {@code customer_id, feature_ts,
   * _expired}, then a column per feature and window.
   */
  static Dataset<Row> compute(Dataset<Row> events, Instant start, Instant end, List<Duration> windows, Duration ttl) {
    Dataset<Row> buckets = events.where(expr("customer_id IS NOT NULL AND ts < timestamp_micros(" + micros(end) + "L)"))
        .groupBy(col("customer_id"), expr("floor(unix_micros(ts) / " + HOUR + "L) * " + HOUR + "L + " + HOUR + "L").as("at"))
        .agg(expr("count(1)").as("n"), expr("sum(amount)").as("s"), expr("count(amount)").as("c"),
            expr("max(amount)").as("v"), expr("max(unix_micros(ts))").as("last"));
    StringBuilder times = new StringBuilder("array(at");
    for (Duration w : windows) {
      times.append(", at + ").append(micros(w)).append("L");
    }
    times.append(", floor((last + ").append(micros(ttl)).append("L + ").append(HOUR - 1).append("L) / ").append(HOUR)
        .append("L) * ").append(HOUR).append("L)");
    Dataset<Row> boundaries = buckets.select(col("customer_id"), expr("explode(" + times + ")").as("at")).distinct()
        .selectExpr("customer_id", "at", "1 AS kind", "CAST(NULL AS bigint) AS n", "CAST(NULL AS double) AS s",
            "CAST(NULL AS bigint) AS c", "CAST(NULL AS double) AS v", "CAST(NULL AS bigint) AS last");
    Dataset<Row> timeline = buckets.selectExpr("customer_id", "at", "0 AS kind", "n", "s", "c", "v", "last")
        .unionByName(boundaries).withColumn("at", expr("timestamp_micros(at)"));
    List<Column> framed = new ArrayList<>(List.of(col("customer_id"), col("at"), col("kind"),
        expr("max(last) OVER (PARTITION BY customer_id ORDER BY at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
            .as("last_seen")));
    for (Duration w : windows) {
      String frame = " OVER (PARTITION BY customer_id ORDER BY at RANGE BETWEEN " + (w.toSeconds() * 1_000_000L == HOUR
          ? "CURRENT ROW" : "INTERVAL " + (w.toSeconds() - HOUR / 1_000_000L) + " SECONDS PRECEDING") + " AND CURRENT ROW)";
      String suffix = "_" + Durations.format(w);
      framed.add(expr("sum(n)" + frame).as("sn" + suffix));
      framed.add(expr("sum(s)" + frame).as("ss" + suffix));
      framed.add(expr("sum(c)" + frame).as("sc" + suffix));
      framed.add(expr("max(v)" + frame).as("sv" + suffix));
    }
    Dataset<Row> alive = timeline.select(framed.toArray(Column[]::new)).where("kind = 1")
        .withColumn("alive", expr("last_seen IS NOT NULL AND unix_micros(at) < last_seen + " + micros(ttl) + "L"))
        .withColumn("_expired", expr("NOT alive AND coalesce(lag(alive) OVER (PARTITION BY customer_id ORDER BY at), false)"));
    return alive.where(expr("(alive OR _expired) AND at >= timestamp_micros(" + micros(start) + "L) AND at < timestamp_micros("
        + micros(end) + "L)")).select(output(windows).toArray(Column[]::new));
  }

  private static List<Column> output(List<Duration> windows) {
    List<Column> out = new ArrayList<>(List.of(col("customer_id"), col("at").as("feature_ts"), col("_expired")));
    for (Duration w : windows) {
      String s = "_" + Durations.format(w);
      out.add(expr("IF(_expired, NULL, coalesce(sn" + s + ", 0L))").as("n" + s));
    }
    for (Duration w : windows) {
      String s = "_" + Durations.format(w);
      out.add(expr("IF(_expired, NULL, coalesce(ss" + s + ", 0D))").as("total" + s));
    }
    for (Duration w : windows) {
      String s = "_" + Durations.format(w);
      out.add(expr("IF(_expired OR coalesce(sc" + s + ", 0L) = 0, NULL, ss" + s + " / sc" + s + ")").as("mean" + s));
    }
    for (Duration w : windows) {
      String s = "_" + Durations.format(w);
      out.add(expr("IF(_expired, NULL, sv" + s + ")").as("top" + s));
    }
    return out;
  }

  /**
   * Ours against the baseline row by row: joined on (customer, feature time), every row on both
   * sides, the same expiry flag, every value equal within {@code relative} (sums slid by adding
   * and subtracting differ in the last bits from sums of a frame). The mismatching rows, at most
   * {@code limit}, and their count.
   */
  static OutputComparison compare(Dataset<Row> ours, Dataset<Row> baseline, List<String> features, double relative, int limit) {
    Dataset<Row> o = ours.alias("o");
    Dataset<Row> b = baseline.alias("b");
    StringBuilder differs = new StringBuilder("o.customer_id IS NULL OR b.customer_id IS NULL OR o._expired <> b._expired");
    for (String f : features) {
      String x = "o.`" + f + "`";
      String y = "b.`" + f + "`";
      differs.append(" OR NOT ((").append(x).append(" IS NULL AND ").append(y).append(" IS NULL) OR abs(").append(x)
          .append(" - ").append(y).append(") <= ").append(relative).append(" * greatest(1D, abs(").append(x).append("), abs(")
          .append(y).append(")))");
    }
    Dataset<Row> bad = o.join(b, col("o.customer_id").equalTo(col("b.customer_id"))
        .and(col("o.feature_ts").equalTo(col("b.feature_ts"))), "full_outer").where(expr(differs.toString()));
    List<Row> first = bad.limit(limit).collectAsList();
    OutputComparison out = OutputComparison.within("values " + relative + " relative (sums slid by adding and subtracting)");
    for (Row r : first) {
      out.check("row differs: " + r, false);
    }
    if (!first.isEmpty()) {
      out.check(bad.count() + " rows differ in all", false);
    }
    return out;
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L;
  }

  private static long micros(Duration d) {
    return d.toSeconds() * 1_000_000L;
  }
}
