package dev.mlops.features.materialize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.features.Constraints;
import dev.mlops.features.Feature;
import dev.mlops.features.FeatureErrors;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Checks every feature's constraints over rows about to be written, in one aggregation; on a
 * violation, fails naming each offending feature, how many rows break it, and a sample of keys.
 * Expiry rows (all features null by design) are not checked.
 */
final class ConstraintChecker {
  private static final int SAMPLE = 5;

  private ConstraintChecker() {}

  static void check(FeatureView view, Dataset<Row> rows) {
    List<Feature> constrained = view.features().stream().filter(f -> f.constraints().any()).toList();
    if (constrained.isEmpty()) {
      return;
    }
    Dataset<Row> live = rows.where(col(AggregationComputer.EXPIRED).equalTo(false));
    List<Column> counts = new ArrayList<>();
    for (Feature f : constrained) {
      counts.add(expr("count_if(" + violation(f) + ")").as(f.name()));
    }
    Row r = live.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < constrained.size(); i++) {
      long n = r.getLong(i);
      if (n == 0) {
        continue;
      }
      Feature f = constrained.get(i);
      List<Column> keyCols = new ArrayList<>();
      for (JoinKey k : view.joinKeys()) {
        keyCols.add(Identifiers.column(k.name()));
      }
      keyCols.add(col("feature_ts"));
      keyCols.add(Identifiers.column(f.name()));
      String sample = live.where(expr(violation(f))).select(keyCols.toArray(Column[]::new)).limit(SAMPLE)
          .collectAsList().stream().map(ConstraintChecker::show).collect(Collectors.joining(", "));
      problems.add(f.name() + " (" + describe(f.constraints()) + "): " + n + " rows, for example " + sample);
    }
    if (!problems.isEmpty()) {
      throw FeatureErrors.constraintViolations(view.id(), problems);
    }
  }

  private static String violation(Feature f) {
    String c = Identifiers.quote(f.name());
    Constraints k = f.constraints();
    List<String> parts = new ArrayList<>();
    if (!k.nullable()) {
      parts.add(c + " IS NULL");
    }
    if (k.min() != null) {
      parts.add(c + " < " + k.min());
    }
    if (k.max() != null) {
      parts.add(c + " > " + k.max());
    }
    if (!k.allowed().isEmpty()) {
      parts.add("CAST(" + c + " AS string) NOT IN (" + k.allowed().stream()
          .map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(", ")) + ")");
    }
    return "coalesce(" + String.join(" OR ", parts) + ", false)";
  }

  private static String describe(Constraints k) {
    List<String> parts = new ArrayList<>();
    if (!k.nullable()) {
      parts.add("not null");
    }
    if (k.min() != null) {
      parts.add("min " + k.min());
    }
    if (k.max() != null) {
      parts.add("max " + k.max());
    }
    if (!k.allowed().isEmpty()) {
      parts.add("one of " + k.allowed());
    }
    return String.join(", ", parts);
  }

  private static String show(Row r) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      parts.add(r.schema().fieldNames()[i] + "=" + r.get(i));
    }
    return "{" + String.join(" ", parts) + "}";
  }
}
