package dev.mlops.training.sets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.features.pit.ViewPin;
import dev.mlops.training.TrainingErrors;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A model's training set as saved by {@code mlops training-set} (or by {@code mlops train} when it
 * builds its own): the table at the Delta version written, and what it was built for and from.
 * The record lives in that Delta commit's info under {@value #KEY}, so a later {@code mlops train
 * --training-set TABLE@VERSION} trains on exactly these rows and registers the same lineage
 * (the table version, every view pin, the spine's sources) that {@code mlops models reproduce}
 * rebuilds from. Get one from {@link dev.mlops.training.ModelTrainer#buildTrainingSet} or
 * {@link #read}. Immutable.
 *
 * @param table the table at the version written (null before it is saved)
 * @param model the model whose spec built it
 * @param specSha256 the hash of that spec's text
 * @param service the feature service's name
 * @param serviceVersion the feature service's version
 * @param featureColumns the model's input columns
 * @param viewPins every view read, at its Delta version
 * @param sources the spine's source tables, at the versions read
 * @param rows the row count
 */
public record RecordedTrainingSet(TableVersion table, String model, String specSha256, String service, int serviceVersion,
    List<String> featureColumns, List<ViewPin> viewPins, List<TableVersion> sources, long rows) {
  /** The commit-info key holding the record, as JSON. */
  public static final String KEY = "training_set";

  /** This record with the table version it was saved at and its row count. */
  public RecordedTrainingSet savedAs(TableVersion at, long rowCount) {
    return new RecordedTrainingSet(at, model, specSha256, service, serviceVersion, featureColumns, viewPins, sources, rowCount);
  }

  /** The record as the commit info of the table's write holds it. */
  public String toCommitInfo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("spec_sha256", specSha256);
    m.put("service", service);
    m.put("service_version", serviceVersion);
    m.put("feature_columns", featureColumns);
    m.put("view_pins", viewPins.stream().map(p -> Map.of("view", p.view(), "view_version", p.viewVersion(),
        "table", p.table().table().toString(), "delta_version", p.table().version())).toList());
    m.put("sources", sources.stream().map(t -> Map.of("table", t.table().toString(), "delta_version", t.version())).toList());
    return Json.write(m);
  }

  /**
   * The record of {@code table} at {@code version} (when null: its latest version written by
   * {@code mlops training-set} or {@code mlops train}).
   *
   * @throws dev.mlops.core.PlatformException when the table does not exist, has no such version,
   *     or was not written by {@code mlops training-set}
   */
  public static RecordedTrainingSet read(Warehouse warehouse, TableName table, Long version) {
    if (!warehouse.exists(table)) {
      throw TrainingErrors.trainingSetMissing(table);
    }
    long current = warehouse.current(table).version();
    if (version != null && (version < 0 || version > current)) {
      throw TrainingErrors.trainingSetVersionMissing(table, version, current);
    }
    TableVersion at = new TableVersion(table, version != null ? version : latestRecorded(warehouse, table).orElse(current));
    String metadata = warehouse.commitInfo(at).get("userMetadata");
    try {
      JsonNode record = metadata.isEmpty() ? null : Json.mapper().readTree(metadata).get(KEY);
      if (record == null || !record.isTextual()) {
        throw TrainingErrors.notARecordedTrainingSet(at);
      }
      return fromJson(at, Json.mapper().readTree(record.asText()), warehouse.read(at).count());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw TrainingErrors.notARecordedTrainingSet(at);
    }
  }

  /**
   * The table's latest version with a record: commits that change only its properties (as the
   * retention that a trained version's pins raise) come after the set they belong to.
   */
  private static java.util.Optional<Long> latestRecorded(Warehouse warehouse, TableName table) {
    List<Row> found = DeltaTable.forPath(warehouse.spark(), warehouse.location(table)).history()
        .where(functions.col("userMetadata").contains("\"" + KEY + "\"")).select("version")
        .orderBy(functions.col("version").desc()).limit(1).collectAsList();
    return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.get(0).getLong(0));
  }

  private static RecordedTrainingSet fromJson(TableVersion at, JsonNode j, long rows) {
    List<ViewPin> pins = new ArrayList<>();
    j.get("view_pins").forEach(p -> pins.add(new ViewPin(p.get("view").asText(), p.get("view_version").asInt(),
        new TableVersion(TableName.parse(p.get("table").asText()), p.get("delta_version").asLong()))));
    List<TableVersion> sources = new ArrayList<>();
    j.get("sources").forEach(s -> sources.add(new TableVersion(TableName.parse(s.get("table").asText()),
        s.get("delta_version").asLong())));
    List<String> columns = Json.mapper().convertValue(j.get("feature_columns"), new TypeReference<List<String>>() {});
    return new RecordedTrainingSet(at, j.get("model").asText(), j.get("spec_sha256").asText(), j.get("service").asText(),
        j.get("service_version").asInt(), columns, pins, sources, rows);
  }
}
