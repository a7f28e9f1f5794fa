package dev.mlops.core.pipeline;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The state of pipeline runs in the Delta table {@value #TABLE_NAME}: append-only rows, one per
 * change of an attempt of a step for a date (RUNNING when it starts, then how it ended); the row
 * with the latest {@code recorded_at} per (pipeline, run_date, step, attempt) wins. A process killed
 * mid-step leaves its attempt RUNNING; the next run starts a new attempt. Thread-safe (each record
 * is one blind append).
 */
public final class PipelineRuns {
  /** The state table. */
  public static final String TABLE_NAME = "ops.pipeline_runs";
  /** The state table's name. */
  public static final TableName TABLE = TableName.parse(TABLE_NAME);
  /** Its schema. */
  public static final StructType SCHEMA = new StructType()
      .add("pipeline", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("range_start", DataTypes.DateType, true)
      .add("step", DataTypes.StringType, false)
      .add("attempt", DataTypes.IntegerType, false)
      .add("status", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, true)
      .add("error", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, true)
      .add("command", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("code_version", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;
  private final java.time.Clock clock;

  /** The state table of {@code warehouse}; {@code clock} stamps {@code recorded_at}. */
  public PipelineRuns(Warehouse warehouse, java.time.Clock clock) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Appends {@code record}. */
  public void record(StepRecord r) {
    Row row = RowFactory.create(r.pipeline(), Date.valueOf(r.runDate()), r.rangeStart() == null ? null
        : Date.valueOf(r.rangeStart()), r.step(), r.attempt(), r.status().name(), Timestamp.from(r.startedAt()),
        r.endedAt() == null ? null : Timestamp.from(r.endedAt()), r.error(), r.runIds(), r.command().toArray(),
        r.codeVersion(), Timestamp.from(clock.instant()));
    Dataset<Row> df = warehouse.spark().createDataFrame(List.of(row), SCHEMA).coalesce(1);
    warehouse.write(df, TABLE).appending().commitInfo(Map.of("job", "pipeline." + r.pipeline())).commit();
  }

  /**
   * What is known of each step of {@code pipeline} for {@code runDate}: its highest attempt, and
   * whether an attempt succeeded over a range that covers {@code coverFrom} .. {@code runDate}.
   */
  public Map<String, StepState> states(String pipeline, LocalDate runDate, LocalDate coverFrom) {
    Map<String, StepState> out = new HashMap<>();
    if (!warehouse.exists(TABLE)) {
      return out;
    }
    // Bounded by steps x attempts of one pipeline and day: a small collect.
    List<Row> rows = warehouse.read(TABLE).where(functions.col("pipeline").equalTo(pipeline)
        .and(functions.col("run_date").equalTo(Date.valueOf(runDate))))
        .orderBy("recorded_at").select("step", "attempt", "status", "range_start").collectAsList();
    Map<String, Map<Integer, String>> latest = new HashMap<>();
    Map<String, Map<Integer, LocalDate>> starts = new HashMap<>();
    for (Row row : rows) {
      latest.computeIfAbsent(row.getString(0), k -> new HashMap<>()).put(row.getInt(1), row.getString(2));
      starts.computeIfAbsent(row.getString(0), k -> new HashMap<>()).put(row.getInt(1), row.isNullAt(3) ? runDate
          : row.getDate(3).toLocalDate());
    }
    latest.forEach((step, attempts) -> {
      // The last attempt decides: a success followed by a forced re-run that failed or was killed
      // (still RUNNING) is not done. Attempt 0 records steps that did not run.
      int last = attempts.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
      boolean done = last > 0 && attempts.get(last).equals(StepStatus.SUCCEEDED.name())
          && !starts.get(step).get(last).isAfter(coverFrom);
      out.put(step, new StepState(last, done));
    });
    return out;
  }

  /** The rows of {@code pipeline} (all of them), for reports and tests. */
  public Dataset<Row> rows(String pipeline) {
    return warehouse.read(TABLE).where(functions.col("pipeline").equalTo(pipeline));
  }

  /**
   * What a new run needs to know of a step for a date.
   *
   * @param lastAttempt the highest attempt number recorded (0 if none)
   * @param succeeded whether the last attempt succeeded, over a range covering the days asked
   */
  public record StepState(int lastAttempt, boolean succeeded) {
    /** A step never run. */
    public static StepState none() {
      return new StepState(0, false);
    }
  }
}
