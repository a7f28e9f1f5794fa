package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.SourceLocation;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.WindowedAggregate;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/**
 * Refuses an aggregation view whose source no longer fits it, before any Spark job runs: every
 * column and expression the view names must resolve on the source as it is now (not a column
 * dropped or renamed), and have a type the view can use (not a column retyped). Spark would
 * otherwise fail with a message that names neither the view nor the fix, or, for a number now
 * held as text, fail in the middle of the job or aggregate nulls.
 */
final class AggregationSourceCheck {
  private AggregationSourceCheck() {}

  /** @throws dev.mlops.core.PlatformException naming the view, the source, the column and the fix */
  static void check(FeatureView view, Dataset<Row> source) {
    ViewQuery.Aggregation agg = (ViewQuery.Aggregation) view.query();
    Checked c = new Checked(view, source, agg.source().location() instanceof SourceLocation.Table t
        ? t.table().toString() : agg.source().name());
    for (JoinKey k : view.joinKeys()) {
      c.expect("join key " + k.name(), Identifiers.quote(k.name()), SqlViewComputer.kind(k.type().sparkType()),
          k.type().sqlName());
    }
    c.expect("event time " + agg.source().eventTime(), Identifiers.quote(agg.source().eventTime()), "timestamp",
        "a timestamp");
    if (agg.source().createdTime() != null) {
      c.expect("created time " + agg.source().createdTime(), Identifiers.quote(agg.source().createdTime()), "timestamp",
          "a timestamp");
    }
    c.expect("the filter " + agg.filter(), agg.filter(), "boolean", "a boolean");
    for (WindowedAggregate a : agg.aggregates()) {
      String feature = "the input " + a.input() + " of feature " + a.name() + " (" + a.function().sqlName() + ")";
      if (a.function().numericInput()) {
        c.expect(feature, a.input(), "number", "a number");
      } else if (a.function() == dev.mlops.features.AggregateFunction.LAST) {
        c.expect(feature, a.input(), SqlViewComputer.kind(a.type().sparkType()), a.type().sqlName());
      } else {
        c.expect(feature, a.input(), null, null);
      }
      c.expect("the filter " + a.filter() + " of feature " + a.name(), a.filter(), "boolean", "a boolean");
    }
  }

  /** The view and its source being checked. */
  private record Checked(FeatureView view, Dataset<Row> source, String sourceName) {
    /**
     * Checks that {@code expression} (when not null) resolves on the source and, when
     * {@code kind} is not null, is of that kind ({@link SqlViewComputer#kind}).
     */
    void expect(String what, String expression, String kind, String expected) {
      if (expression == null) {
        return;
      }
      DataType type;
      try {
        type = source.select(expr(expression)).schema().fields()[0].dataType();
      } catch (Exception e) {
        if (e instanceof AnalysisException a) {
          throw FeatureErrors.aggregationSourceFails(view.id(), sourceName, a.getSimpleMessage());
        }
        throw e;
      }
      if (kind != null && !SqlViewComputer.kind(type).equals(kind)) {
        throw FeatureErrors.aggregationColumnRetyped(view.id(), sourceName, what, type.simpleString(), expected);
      }
    }
  }
}
