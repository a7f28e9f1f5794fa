package dev.mlops.core.runs;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One run of a job: its id, the tables it read and wrote with their Delta versions, and its
 * outcome, recorded in {@value RunRecorder#TABLE_NAME} by {@link #succeed()} or
 * {@link #fail(Throwable)}.
 *
 * <p>Reads through {@link #read(TableName)} pin the table at its current version for the whole
 * run and record that version. Thread-safe for recording from several threads of one job.
 */
public final class JobRun {
  /** Schema of the run table. */
  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("job", DataTypes.StringType, false)
      .add("args", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("config_file", DataTypes.StringType, false)
      .add("config_hash", DataTypes.StringType, false)
      .add("code_version", DataTypes.StringType, false)
      .add("spark_version", DataTypes.StringType, false)
      .add("inputs", DataTypes.createArrayType(tableVersionType()), false)
      .add("outputs", DataTypes.createArrayType(tableVersionType()), false)
      .add("status", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("error", DataTypes.StringType, true);

  private final RunRecorder recorder;
  private final String runId;
  private final String job;
  private final List<String> args;
  private final Instant started;
  private final Map<TableName, Long> inputs = new LinkedHashMap<>();
  private final Map<TableName, Long> outputs = new LinkedHashMap<>();
  private boolean ended;

  JobRun(RunRecorder recorder, String runId, String job, List<String> args, Instant started) {
    this.recorder = recorder;
    this.runId = runId;
    this.job = job;
    this.args = args;
    this.started = started;
  }

  /** The run id, also written into the Delta commit info of every table the run writes. */
  public String runId() {
    return runId;
  }

  /** The job name. */
  public String job() {
    return job;
  }

  /** When the run started. */
  public Instant started() {
    return started;
  }

  /** Reads {@code table} pinned at its current version, and records it as an input. */
  public Dataset<Row> read(TableName table) {
    TableVersion current = recorder.warehouse().current(table);
    input(current);
    return recorder.warehouse().read(current);
  }

  /** Records that the run read {@code version}. */
  public synchronized void input(TableVersion version) {
    inputs.put(version.table(), version.version());
  }

  /** Records that the run wrote {@code version}. */
  public synchronized void output(TableVersion version) {
    outputs.put(version.table(), version.version());
  }

  /** The inputs recorded so far. */
  public synchronized List<TableVersion> inputs() {
    return versions(inputs);
  }

  /** The outputs recorded so far. */
  public synchronized List<TableVersion> outputs() {
    return versions(outputs);
  }

  /** Commit-info metadata tying a Delta commit to this run. */
  public Map<String, String> commitInfo() {
    return Map.of("run_id", runId, "job", job, "code_version", recorder.code().label());
  }

  /** Records the run as succeeded. */
  public void succeed() {
    record("SUCCEEDED", null);
  }

  /** Records the run as failed with {@code error}'s message. */
  public void fail(Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    record("FAILED", message.length() > 4000 ? message.substring(0, 4000) + "..." : message);
  }

  private synchronized void record(String status, String error) {
    if (ended) {
      throw new IllegalStateException("Run " + runId + " has already ended");
    }
    ended = true;
    Instant end = recorder.clock().instant();
    Warehouse warehouse = recorder.warehouse();
    Row row = RowFactory.create(
        runId, job, args.toArray(), recorder.config().displayName(), recorder.config().sha256(),
        recorder.code().label(), warehouse.spark().version(), rows(inputs), rows(outputs), status,
        Timestamp.from(started), Timestamp.from(end), Duration.between(started, end).toMillis(), error);
    Dataset<Row> df = warehouse.spark().createDataFrame(List.of(row), SCHEMA).coalesce(1);
    warehouse.write(df, RunRecorder.TABLE).appending().commitInfo(commitInfo()).commit();
  }

  private static Object[] rows(Map<TableName, Long> versions) {
    return versions.entrySet().stream().map(e -> RowFactory.create(e.getKey().toString(), e.getValue())).toArray();
  }

  private static List<TableVersion> versions(Map<TableName, Long> m) {
    List<TableVersion> out = new ArrayList<>();
    m.forEach((t, v) -> out.add(new TableVersion(t, v)));
    return out;
  }

  private static StructType tableVersionType() {
    return new StructType().add("table", DataTypes.StringType, false).add("version", DataTypes.LongType, false);
  }
}
