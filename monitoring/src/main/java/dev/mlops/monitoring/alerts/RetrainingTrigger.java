package dev.mlops.monitoring.alerts;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.config.MonitoringConfig;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.airflow.AirflowClient;
import dev.mlops.monitoring.airflow.RunIds;
import dev.mlops.monitoring.airflow.TriggerRequest;
import dev.mlops.monitoring.airflow.TriggerResult;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The alert sink that starts retraining: for each model with alerts of a triggering severity that
 * no earlier trigger carried, one run of the retraining DAG, with the model, the reason and the
 * alert ids in its conf, unless the model was triggered within the cooldown (its alerts then wait
 * for the next run after it). Every trigger is recorded in {@code monitoring.retraining_triggers};
 * an alert carried once never triggers again, and the run id is derived from the model and the
 * alerts, so a trigger retried after a lost answer starts no second run (Airflow's 409 returns
 * the existing one). Without Airflow configured the trigger is recorded as {@code dry-run}.
 *
 * <p>Not thread-safe (one per run).
 */
public final class RetrainingTrigger implements AlertSink {
  /** The triggers' record. */
  public static final TableName TRIGGERS = TableName.parse("monitoring.retraining_triggers");

  static final StructType SCHEMA = new StructType()
      .add("trigger_id", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("dag_id", DataTypes.StringType, false)
      .add("dag_run_id", DataTypes.StringType, false)
      .add("alert_ids", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("reason", DataTypes.StringType, false)
      .add("state", DataTypes.StringType, false)
      .add("triggered_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  private final Warehouse warehouse;
  private final Optional<AirflowClient> airflow;
  private final MonitoringConfig.Retraining policy;
  private final Clock clock;
  private final Consumer<String> notice;

  /**
   * @param airflow the client, or empty to record triggers as {@code dry-run}
   * @param notice where to say what was triggered, for people
   */
  public RetrainingTrigger(Warehouse warehouse, Optional<AirflowClient> airflow, MonitoringConfig.Retraining policy,
      Clock clock, Consumer<String> notice) {
    this.warehouse = warehouse;
    this.airflow = airflow;
    this.policy = policy;
    this.clock = clock;
    this.notice = notice;
  }

  @Override
  public List<Alert> deliver(List<Alert> alerts, JobRun run) {
    Map<String, List<Alert>> byModel = new LinkedHashMap<>();
    for (Alert a : alerts) {
      if (a.subject().startsWith("model ") && policy.severities().contains(a.severity().label())) {
        byModel.computeIfAbsent(a.subject().substring("model ".length()), m -> new ArrayList<>()).add(a);
      }
    }
    List<Alert> carried = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<Alert>> e : byModel.entrySet()) {
      History history = history(e.getKey());
      List<Alert> pending = e.getValue().stream().filter(a -> !history.alertIds().contains(a.id())).toList();
      if (pending.isEmpty()) {
        continue;
      }
      Instant now = clock.instant();
      if (history.last() != null && history.last().plus(policy.cooldownDuration()).isAfter(now)) {
        notice.accept("retraining of " + e.getKey() + " not triggered: within the cooldown of " + policy.cooldown()
            + " since " + history.last() + "; " + pending.size() + " alerts wait for the next run after it");
        continue;
      }
      rows.add(trigger(e.getKey(), pending, run, now));
      carried.addAll(pending);
    }
    record(rows, run);
    return carried;
  }

  private Row trigger(String model, List<Alert> pending, JobRun run, Instant now) {
    TreeSet<String> ids = new TreeSet<>();
    pending.forEach(a -> ids.add(a.id()));
    String runId = RunIds.fromKey("retrain__" + model + "__" + String.join(",", ids));
    String reason = pending.size() + " alerts on " + model + ": " + String.join("; ", pending.stream().limit(5)
        .map(Alert::message).toList()) + (pending.size() > 5 ? "; ..." : "");
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("model", model);
    conf.put("reason", reason);
    conf.put("alert_ids", List.copyOf(ids));
    String state;
    if (airflow.isEmpty()) {
      state = "dry-run";
      notice.accept("retraining of " + model + " (dry run: no airflow.url configured): would trigger DAG " + policy.dag()
          + " as " + runId + " with " + conf);
    } else {
      TriggerResult result = airflow.get().trigger(policy.dag(), TriggerRequest.of().withConf(conf).withRunId(runId));
      state = result.existing() ? "existing:" + result.run().state().name().toLowerCase(java.util.Locale.ROOT)
          : result.run().state().name().toLowerCase(java.util.Locale.ROOT);
      notice.accept("retraining of " + model + " triggered: DAG " + policy.dag() + " run " + result.run().runId() + " ("
          + state + ")" + (result.warnings().isEmpty() ? "" : "; " + String.join("; ", result.warnings())));
    }
    return RowFactory.create(runId, model, policy.dag(), runId, ids.toArray(String[]::new), reason, state,
        Timestamp.from(now), run.runId());
  }

  /** What earlier triggers of {@code model} carried, and when the last one was. */
  private record History(Set<String> alertIds, Instant last) {}

  private History history(String model) {
    Set<String> ids = new HashSet<>();
    Instant last = null;
    if (warehouse.exists(TRIGGERS)) {
      for (Row r : warehouse.read(TRIGGERS).where(col("model").equalTo(model)).select("alert_ids", "triggered_at")
          .collectAsList()) {
        ids.addAll(r.getList(0));
        Instant at = r.getTimestamp(1).toInstant();
        last = last == null || at.isAfter(last) ? at : last;
      }
    }
    return new History(ids, last);
  }

  private void record(List<Row> rows, JobRun run) {
    if (!rows.isEmpty()) {
      run.output(warehouse.write(warehouse.spark().createDataFrame(rows, SCHEMA), TRIGGERS).commitInfo(run.commitInfo())
          .commit());
    }
  }
}
