package dev.mlops.monitoring.alerts;

import static dev.mlops.core.tables.TableValues.finiteOrNull;
import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code monitoring.alerts}: one row per alert, raised once. An alert raised again (a re-run of
 * the same day) keeps its first row, unless its severity rose (a {@code warn} that a re-run with
 * more data finds past the alert level): the row then takes the new severity, value, message, run
 * and time, and the alert is delivered again, so that what acts on alerts (the retraining trigger)
 * sees it. The table's MERGE inserts the ids it does not hold and updates those that escalated.
 *
 * <p>Thread-safe as far as the warehouse's session is.
 */
public final class TableAlertSink implements AlertSink {
  /** The alerts table. */
  public static final TableName ALERTS = TableName.parse("monitoring.alerts");

  static final StructType SCHEMA = new StructType()
      .add("alert_id", DataTypes.StringType, false)
      .add("subject", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, true)
      .add("column", DataTypes.StringType, true)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, true)
      .add("threshold", DataTypes.DoubleType, true)
      .add("severity", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("raised_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;
  private final Clock clock;

  public TableAlertSink(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  @Override
  public List<Alert> deliver(List<Alert> alerts, JobRun run) {
    if (alerts.isEmpty()) {
      return List.of();
    }
    // One alert per id: two of one batch with the same id (a day two versions served) keep the worse.
    Map<String, Alert> byId = new LinkedHashMap<>();
    alerts.forEach(a -> byId.merge(a.id(), a, (x, y) -> y.severity().compareTo(x.severity()) > 0 ? y : x));
    Map<String, Alert.Severity> known = known(alerts);
    List<Alert> fresh = byId.values().stream()
        .filter(a -> !known.containsKey(a.id()) || a.severity().compareTo(known.get(a.id())) > 0).toList();
    if (fresh.isEmpty()) {
      return fresh;
    }
    Timestamp now = Timestamp.from(clock.instant());
    List<Row> rows = new ArrayList<>();
    for (Alert a : fresh) {
      rows.add(RowFactory.create(a.id(), a.subject(), a.partition(), a.column(), a.metric(), finiteOrNull(a.value()),
          finiteOrNull(a.threshold()), a.severity().label(), a.message(), run.runId(), now));
    }
    var data = warehouse.spark().createDataFrame(rows, SCHEMA);
    if (!warehouse.exists(ALERTS)) {
      run.output(warehouse.write(data, ALERTS).commitInfo(run.commitInfo()).commit());
    } else {
      warehouse.withCommitInfo(run.commitInfo(), session -> DeltaTable.forPath(session, warehouse.location(ALERTS)).as("t")
          .merge(data.as("s"), "t.alert_id = s.alert_id").whenMatched(rank("s") + " > " + rank("t")).updateAll()
          .whenNotMatched().insertAll().execute());
      run.output(warehouse.current(ALERTS));
    }
    return fresh;
  }

  /** The severity of the stored row of each of {@code alerts} the table already holds. */
  private Map<String, Alert.Severity> known(List<Alert> alerts) {
    Map<String, Alert.Severity> known = new HashMap<>();
    if (warehouse.exists(ALERTS)) {
      warehouse.read(ALERTS).where(col("alert_id").isin(alerts.stream().map(Alert::id).distinct().toArray()))
          .select("alert_id", "severity").collectAsList()
          .forEach(r -> known.put(r.getString(0), Alert.Severity.parse(r.getString(1))));
    }
    return known;
  }

  /** SQL for the rank of the severity of {@code side}'s row: its order in {@link Alert.Severity}. */
  private static String rank(String side) {
    StringBuilder sql = new StringBuilder("CASE " + side + ".severity");
    for (Alert.Severity s : Alert.Severity.values()) {
      sql.append(" WHEN '").append(s.label()).append("' THEN ").append(s.ordinal());
    }
    return sql.append(" END").toString();
  }
}
