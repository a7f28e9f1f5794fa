package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.internal.SourceReader;
import dev.mlops.features.registry.FeatureTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Computes a SQL view's rows for a feature-time range: runs its query with every source visible
 * under its name (in a session of its own, so the caller's temporary views are untouched) and
 * keeps the rows whose event time falls in the range and whose keys are all present.
 */
final class SqlViewComputer {
  private SqlViewComputer() {}

  /**
   * @param session an isolated session ({@link SparkSessions#isolated}) the sources are registered in
   * @param reader reads (and pins) the sources in {@code session}
   */
  static Dataset<Row> compute(FeatureView view, SparkSession session, SourceReader reader, Instant start, Instant end,
      Instant now) {
    ViewQuery.Sql q = (ViewQuery.Sql) view.query();
    for (Source s : q.sources()) {
      reader.read(s).createOrReplaceTempView(s.name());
    }
    Dataset<Row> rows = session.sql(q.sql());
    String ev = Identifiers.quote(q.eventTime());
    rows = rows.where(expr(ev + " >= timestamp_micros(" + AggregationComputer.micros(start) + "L) AND " + ev
        + " < timestamp_micros(" + AggregationComputer.micros(end) + "L)"));
    for (JoinKey k : view.joinKeys()) {
      rows = rows.where(Identifiers.column(k.name()).isNotNull());
    }
    List<Column> out = new ArrayList<>();
    view.joinKeys().forEach(k -> out.add(Identifiers.column(k.name())));
    out.add(Identifiers.column(q.eventTime()).as(FeatureTables.FEATURE_TS));
    Column created = lit(java.sql.Timestamp.from(now));
    if (q.createdTime() != null) {
      created = org.apache.spark.sql.functions.coalesce(Identifiers.column(q.createdTime()), created);
    }
    out.add(created.as(FeatureTables.CREATED_TS));
    for (Feature f : view.features()) {
      out.add(Identifiers.column(f.name()));
    }
    out.add(expr("to_date(" + ev + ")").as(FeatureTables.DATE));
    out.add(lit(false).as(AggregationComputer.EXPIRED));
    return rows.select(out.toArray(Column[]::new));
  }
}
