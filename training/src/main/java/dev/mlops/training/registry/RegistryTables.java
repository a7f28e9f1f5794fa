package dev.mlops.training.registry;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.pit.ViewPin;
import dev.mlops.training.explain.GlobalExplanation;
import dev.mlops.training.spec.RecordedSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The registry's tables and their rows: {@code ml.model_versions} (one row per version, its
 * stage and lineage), {@code ml.model_events} (the audit log) and {@code ml.model_aliases}.
 */
final class RegistryTables {
  static final TableName VERSIONS = TableName.parse("ml.model_versions");
  static final TableName EVENTS = TableName.parse("ml.model_events");
  static final TableName ALIASES = TableName.parse("ml.model_aliases");
  static final TableName MODELS = TableName.parse("ml.registered_models");
  /** The spec as resolved in the training environment; added after the first release, so null in older rows. */
  static final String SPEC_RESOLVED = "spec_resolved";
  /** A tree ensemble's feature importances per input; added after the first release, so null in older rows. */
  static final String FEATURE_IMPORTANCES = "feature_importances";
  /** A linear model's coefficients per vector slot and intercept; added after the first release, so null in older rows. */
  static final String COEFFICIENTS = "coefficients";

  private static final StructType PIN = new StructType()
      .add("view", DataTypes.StringType, false).add("view_version", DataTypes.IntegerType, false)
      .add("table_name", DataTypes.StringType, false).add("delta_version", DataTypes.LongType, false);
  private static final StructType SOURCE = new StructType()
      .add("table_name", DataTypes.StringType, false).add("delta_version", DataTypes.LongType, false);

  static final StructType VERSION_SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("stage", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("created_by", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false)
      .add("algorithm", DataTypes.StringType, false)
      .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
      .add("seed", DataTypes.LongType, false)
      .add("threshold", DataTypes.DoubleType, false)
      .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("evaluation", DataTypes.StringType, false)
      .add("gate_passed", DataTypes.BooleanType, false)
      .add("gate", DataTypes.StringType, false)
      .add("training_set", DataTypes.StringType, false)
      .add("training_set_version", DataTypes.LongType, false)
      .add("feature_service", DataTypes.StringType, false)
      .add("feature_service_version", DataTypes.IntegerType, false)
      .add("feature_pins", DataTypes.createArrayType(PIN), false)
      .add("source_tables", DataTypes.createArrayType(SOURCE), false)
      .add("split", DataTypes.StringType, false)
      .add("feature_columns", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("spec_file", DataTypes.StringType, false)
      .add("spec", DataTypes.StringType, false)
      .add("spec_sha256", DataTypes.StringType, false)
      .add("code_version", DataTypes.StringType, false)
      .add("spark_version", DataTypes.StringType, false)
      .add("artifact", DataTypes.StringType, false)
      .add(SPEC_RESOLVED, DataTypes.StringType, true)
      .add(FEATURE_IMPORTANCES, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true)
      .add(COEFFICIENTS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true);

  static final StructType EVENT_SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("event", DataTypes.StringType, false)
      .add("from_stage", DataTypes.StringType, true)
      .add("to_stage", DataTypes.StringType, true)
      .add("actor", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, true)
      .add("at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, true);

  static final StructType MODEL_SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("description", DataTypes.StringType, false)
      .add("owner", DataTypes.StringType, false)
      .add("latest_version", DataTypes.IntegerType, false)
      .add("spec_file", DataTypes.StringType, false)
      .add("updated_at", DataTypes.TimestampType, false);

  static final StructType ALIAS_SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("alias", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("updated_by", DataTypes.StringType, false)
      .add("updated_at", DataTypes.TimestampType, false);

  private RegistryTables() {}

  static Row row(ModelVersion v) {
    return RowFactory.create(v.model(), v.version(), v.stage().label(), v.runId(), v.createdBy(), Timestamp.from(v.createdAt()),
        v.algorithm(), scalaMap(v.params()), v.seed(), v.threshold(), scalaMap(v.metrics()), v.evaluation(), v.gatePassed(),
        v.gate(), v.trainingSet().table().toString(), v.trainingSet().version(), v.featureService(), v.featureServiceVersion(),
        v.featurePins().stream().map(p -> RowFactory.create(p.view(), p.viewVersion(), p.table().table().toString(),
            p.table().version())).toArray(),
        v.sourceTables().stream().map(t -> RowFactory.create(t.table().toString(), t.version())).toArray(), v.split(),
        v.featureColumns().toArray(), v.spec().file(), v.spec().text(), v.spec().sha256(), v.codeVersion(), v.sparkVersion(),
        v.artifact(), v.spec().resolved(), nullIfEmpty(v.globalExplanation().importances()),
        nullIfEmpty(v.globalExplanation().coefficients()));
  }

  static ModelVersion version(Row r) {
    List<ViewPin> pins = new ArrayList<>();
    for (Row p : r.<Row>getList(r.fieldIndex("feature_pins"))) {
      pins.add(new ViewPin(p.getString(0), p.getInt(1), new TableVersion(TableName.parse(p.getString(2)), p.getLong(3))));
    }
    List<TableVersion> sources = new ArrayList<>();
    for (Row s : r.<Row>getList(r.fieldIndex("source_tables"))) {
      sources.add(new TableVersion(TableName.parse(s.getString(0)), s.getLong(1)));
    }
    return new ModelVersion(r.getAs("model"), r.<Integer>getAs("version"), Stage.parse(r.getAs("stage")), r.getAs("run_id"),
        r.getAs("created_by"), r.<Timestamp>getAs("created_at").toInstant(), r.getAs("algorithm"),
        new LinkedHashMap<>(r.<String, String>getJavaMap(r.fieldIndex("params"))), r.<Long>getAs("seed"),
        r.<Double>getAs("threshold"), new LinkedHashMap<>(r.<String, Double>getJavaMap(r.fieldIndex("metrics"))),
        r.getAs("evaluation"), r.<Boolean>getAs("gate_passed"), r.getAs("gate"),
        new TableVersion(TableName.parse(r.getAs("training_set")), r.<Long>getAs("training_set_version")),
        r.getAs("feature_service"), r.<Integer>getAs("feature_service_version"), pins, sources, r.getAs("split"),
        List.copyOf(r.<String>getList(r.fieldIndex("feature_columns"))), new RecordedSpec(r.getAs("spec_file"), r.getAs("spec"),
        List.of(r.schema().fieldNames()).contains(SPEC_RESOLVED) ? r.getAs(SPEC_RESOLVED) : null, r.getAs("spec_sha256")),
        r.getAs("code_version"), r.getAs("spark_version"), r.getAs("artifact"),
        new GlobalExplanation(doubles(r, FEATURE_IMPORTANCES), doubles(r, COEFFICIENTS)));
  }

  /** The map column {@code name} of {@code r}; empty when the row has none (null, or a table from before the column). */
  private static Map<String, Double> doubles(Row r, String name) {
    if (!List.of(r.schema().fieldNames()).contains(name) || r.isNullAt(r.fieldIndex(name))) {
      return Map.of();
    }
    return new LinkedHashMap<>(r.<String, Double>getJavaMap(r.fieldIndex(name)));
  }

  private static scala.collection.Map<String, Double> nullIfEmpty(Map<String, Double> m) {
    return m.isEmpty() ? null : scalaMap(m);
  }

  static Row row(ModelEvent e) {
    return RowFactory.create(e.model(), e.version(), e.event(), e.fromStage(), e.toStage(), e.actor(), e.reason(),
        Timestamp.from(e.at()), e.runId());
  }

  static ModelEvent event(Row r) {
    return new ModelEvent(r.getAs("model"), r.<Integer>getAs("version"), r.getAs("event"), r.getAs("from_stage"),
        r.getAs("to_stage"), r.getAs("actor"), r.getAs("reason"), r.<Timestamp>getAs("at").toInstant(), r.getAs("run_id"));
  }

  private static <V> scala.collection.Map<String, V> scalaMap(Map<String, V> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(m));
  }
}
