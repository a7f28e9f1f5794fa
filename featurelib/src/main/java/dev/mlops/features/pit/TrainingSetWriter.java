package dev.mlops.features.pit;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Saves a {@link TrainingSet} as a Delta table (or a Delta folder at a path) and records its
 * lineage in {@code features.training_sets}: the service, every view's pinned Delta version, the
 * spine, and the run. The pins are also in the output commit's info, so the exact set can be
 * rebuilt from either.
 */
public final class TrainingSetWriter {
  public static final TableName LINEAGE = TableName.parse("features.training_sets");

  private static final StructType PIN = new StructType()
      .add("view", DataTypes.StringType).add("view_version", DataTypes.IntegerType)
      .add("table_name", DataTypes.StringType).add("delta_version", DataTypes.LongType);
  static final StructType SCHEMA = new StructType()
      .add("output", DataTypes.StringType, false)
      .add("output_version", DataTypes.LongType, false)
      .add("service", DataTypes.StringType, false)
      .add("service_version", DataTypes.IntegerType, false)
      .add("pins", DataTypes.createArrayType(PIN), false)
      .add("spine", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;
  private final Clock clock;

  public TrainingSetWriter(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  /**
   * Writes {@code set} to {@code output} ({@code database.table}, or a path), replacing what was
   * there, and records its lineage.
   *
   * @param spine how the spine was given, for the lineage
   * @return the output at the version written, and the row count
   */
  public Written write(TrainingSet set, String output, String spine, JobRun run) {
    return write(set, output, spine, Map.of(), run);
  }

  /**
   * As {@link #write(TrainingSet, String, String, JobRun)}, with {@code extraInfo} added to the
   * output commit's info (what the caller needs to read back with the rows, such as the model the
   * set was built for).
   */
  public Written write(TrainingSet set, String output, String spine, Map<String, String> extraInfo, JobRun run) {
    Map<String, String> info = new LinkedHashMap<>(run.commitInfo());
    info.putAll(extraInfo);
    info.put("service", set.service().name());
    info.put("service_version", String.valueOf(set.service().version()));
    info.put("pins", Json.write(set.pins().stream().map(p -> Map.of("view", p.view(), "view_version", p.viewVersion(),
        "table", p.table().table().toString(), "delta_version", p.table().version())).toList()));
    long version;
    String name;
    if (isTableName(output)) {
      TableVersion v = warehouse.write(set.rows(), TableName.parse(output)).overwriting(true).commitInfo(info).commit();
      run.output(v);
      version = v.version();
      name = v.table().toString();
    } else {
      set.rows().write().format("delta").mode("overwrite").option("overwriteSchema", "true")
          .option("userMetadata", Json.write(info)).save(output);
      version = DeltaTable.forPath(warehouse.spark(), output).history(1).first().getLong(0);
      name = output;
    }
    long rows = warehouse.spark().read().format("delta").option("versionAsOf", version)
        .load(isTableName(output) ? warehouse.location(TableName.parse(output)) : output).count();
    List<Row> pins = set.pins().stream().map(p -> RowFactory.create(p.view(), p.viewVersion(),
        p.table().table().toString(), p.table().version())).toList();
    Row lineage = RowFactory.create(name, version, set.service().name(), set.service().version(), pins.toArray(), spine,
        rows, run.runId(), Timestamp.from(clock.instant()));
    run.output(warehouse.write(warehouse.spark().createDataFrame(List.of(lineage), SCHEMA), LINEAGE)
        .commitInfo(run.commitInfo()).commit());
    return new Written(name, version, rows);
  }

  /** Whether {@code output} names a table ({@code database.table}) rather than a path. */
  public static boolean isTableName(String output) {
    return output.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");
  }

  /**
   * A written training set.
   *
   * @param output the table or path
   * @param version its Delta version
   * @param rows its row count
   */
  public record Written(String output, long version, long rows) {}
}
