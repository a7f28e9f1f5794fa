package dev.mlops.core.views;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The views the platform creates for analysts, over the tables its jobs write:
 * <ul>
 *   <li>{@code ml.prediction_lineage}: per day, model, version and role of every
 *       {@code predictions.<model>} table, the scoring run and every table version it read
 *       ({@code ops.runs}), and the version's training set, feature pins and source tables
 *       ({@code ml.model_versions});
 *   <li>{@code monitoring.drift_latest}: the latest result per subject, day, column and metric;
 *   <li>{@code validation.check_history}: every check result over time, with the status before it.
 * </ul>
 * {@link #create} makes them with {@code CREATE OR REPLACE VIEW}: idempotent, persisted by the
 * catalog (the embedded catalog's view files, or the Hive metastore). Run it again when a new
 * {@code predictions.<model>} table appears: the lineage view unions them all. Stateless.
 */
public final class AnalystViews {
  /** The columns a table of the {@code predictions} database needs to take part in the lineage view. */
  static final Set<String> PREDICTION_COLUMNS = Set.of("score_date", "model", "model_version", "role", "variant",
      "feature_pins", "run_id");

  private AnalystViews() {}

  /** The result of {@link #create}: the views made, and those skipped with the reason. */
  public record Created(List<String> created, Map<String, String> skipped) {}

  /** Creates or replaces every view whose source tables exist in {@code spark}'s catalog. */
  public static Created create(SparkSession spark) {
    List<String> created = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (AnalystView view : definitions(spark)) {
      List<String> missing = view.sources().stream().filter(t -> t.contains("<") || !spark.catalog().tableExists(t)).toList();
      if (!missing.isEmpty()) {
        skipped.put(view.name(), "needs " + String.join(", ", missing) + ", which does not exist yet");
        continue;
      }
      spark.sql("CREATE OR REPLACE VIEW " + view.name() + " AS " + view.sql());
      created.add(view.name());
    }
    return new Created(created, skipped);
  }

  /** The views' definitions, the lineage view over the prediction tables {@code spark} has now. */
  public static List<AnalystView> definitions(SparkSession spark) {
    return List.of(predictionLineage(predictionTables(spark)), driftLatest(), checkHistory());
  }

  static AnalystView predictionLineage(List<String> predictionTables) {
    List<String> sources = new ArrayList<>(List.of("ml.model_versions", "ops.runs"));
    List<String> scored = new ArrayList<>();
    for (String t : predictionTables) {
      sources.add(t);
      scored.add("SELECT score_date, model, model_version, role, variant, CAST(feature_pins AS STRING) AS feature_pins,"
          + " run_id, count(*) AS rows FROM " + t
          + " GROUP BY score_date, model, model_version, role, variant, CAST(feature_pins AS STRING), run_id");
    }
    if (scored.isEmpty()) {
      sources.add("predictions.<model>");
    }
    String sql = "WITH scored AS (\n  " + String.join("\n  UNION ALL ", scored) + "\n)\n"
        + "SELECT s.score_date, s.model, s.model_version, s.role, s.variant, s.rows,\n"
        + "  s.run_id AS scoring_run_id, r.inputs AS scoring_inputs, s.feature_pins AS scoring_feature_pins,\n"
        + "  v.stage, v.training_set, v.training_set_version, v.feature_service, v.feature_service_version,\n"
        + "  v.feature_pins AS training_feature_pins, v.source_tables AS training_source_tables,\n"
        + "  v.run_id AS training_run_id\n"
        + "FROM scored s\n"
        + "LEFT JOIN ml.model_versions v ON v.model = s.model AND v.version = s.model_version\n"
        + "LEFT JOIN ops.runs r ON r.run_id = s.run_id";
    return new AnalystView("ml.prediction_lineage", sources, sql);
  }

  static AnalystView driftLatest() {
    return new AnalystView("monitoring.drift_latest", List.of("monitoring.drift"),
        "SELECT * EXCEPT (rn) FROM (\n"
            + "  SELECT d.*, row_number() OVER (PARTITION BY subject, `partition`, `column`, metric\n"
            + "    ORDER BY computed_at DESC, run_id DESC) AS rn\n"
            + "  FROM monitoring.drift d)\n"
            + "WHERE rn = 1");
  }

  static AnalystView checkHistory() {
    return new AnalystView("validation.check_history", List.of("validation.check_results"),
        "SELECT checked_at, to_date(checked_at) AS checked_date, table_name, `partition`, suite, `check`, type, severity,\n"
            + "  status, status IN ('failure', 'error') AS failed, observed, expected, message, failing_rows, run_id,\n"
            + "  lag(status) OVER (PARTITION BY table_name, `partition`, suite, `check` ORDER BY checked_at, run_id)"
            + " AS previous_status\n"
            + "FROM validation.check_results");
  }

  private static List<String> predictionTables(SparkSession spark) {
    if (!spark.catalog().databaseExists("predictions")) {
      return List.of();
    }
    List<String> tables = new ArrayList<>();
    for (org.apache.spark.sql.Row t : spark.sql("SHOW TABLES IN predictions").collectAsList()) {
      String name = "predictions." + t.getString(1);
      if (!t.getBoolean(2) && Set.copyOf(Arrays.asList(spark.table(name).columns())).containsAll(PREDICTION_COLUMNS)) {
        tables.add(name);
      }
    }
    return tables.stream().sorted().toList();
  }
}
