package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.SourceLocation;
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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

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
    Dataset<Row> rows = query(view, session);
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

  /**
   * The view's query on the sources as they are now, refused when it no longer resolves (a source
   * column dropped or renamed) or gives a feature of another kind than declared (a column retyped):
   * Spark would otherwise fail later, or write, with a message that names neither the view nor the fix.
   */
  private static Dataset<Row> query(FeatureView view, SparkSession session) {
    ViewQuery.Sql q = (ViewQuery.Sql) view.query();
    Dataset<Row> rows;
    try {
      rows = session.sql(q.sql());
    } catch (Exception e) {
      if (e instanceof org.apache.spark.sql.AnalysisException a) {
        throw FeatureErrors.viewQueryFails(view.id(), q.sources().stream()
            .map(s -> s.location() instanceof SourceLocation.Table t ? t.table().toString() : s.name()).toList(),
            a.getSimpleMessage());
      }
      throw e;
    }
    for (Feature f : view.features()) {
      for (StructField c : rows.schema().fields()) {
        if (c.name().equalsIgnoreCase(f.name()) && !kind(c.dataType()).equals(kind(f.type().sparkType()))) {
          throw FeatureErrors.featureRetyped(view.id(), f.name(), f.type().sqlName(), c.dataType().simpleString());
        }
      }
    }
    return rows;
  }

  /** The kind of a type: numbers of any width are one kind; strings, booleans, dates, timestamps each another. */
  static String kind(DataType t) {
    return t instanceof NumericType ? "number" : t instanceof TimestampType || t instanceof TimestampNTZType ? "timestamp"
        : t.typeName();
  }
}
