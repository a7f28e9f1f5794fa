package dev.mlops.monitoring.airflow;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to trigger a DAG run with. Start from {@link #of()} and change copies with the
 * {@code withX} methods:
 *
 * <pre>{@code
 * TriggerRequest.of().withConf(Map.of("model", "fraud")).withRunId("retrain__fraud__2026-12-01")
 * }</pre>
 *
 * <p>Immutable (the conf's nested values must not be changed).
 *
 * @param conf the run's configuration, a JSON object as Java values (maps, lists, strings,
 *     numbers, booleans, nulls); empty by default
 * @param logicalDate the run's logical date; null to let Airflow decide (Airflow 2: now;
 *     Airflow 3: a run without logical date)
 * @param runId the run's id; null to let the client derive one ({@link RunIds#derive}). Give it
 *     whenever the same request must never start two runs (an alert that triggers retraining):
 *     Airflow then answers a repeated trigger with 409 and the client returns the existing run.
 * @param pausedPolicy what to do when the DAG is paused (default {@link PausedPolicy#WARN})
 */
public record TriggerRequest(Map<String, Object> conf, Instant logicalDate, String runId, PausedPolicy pausedPolicy) {

  public TriggerRequest {
    Objects.requireNonNull(conf, "conf == null");
    conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    if (runId != null && runId.isBlank()) {
      throw new IllegalArgumentException("runId is blank");
    }
    Objects.requireNonNull(pausedPolicy, "pausedPolicy == null");
  }

  /** An empty conf, no logical date, a derived run id, a warning for a paused DAG. */
  public static TriggerRequest of() {
    return new TriggerRequest(Map.of(), null, null, PausedPolicy.WARN);
  }

  /** A copy with {@code newConf}. */
  public TriggerRequest withConf(Map<String, ?> newConf) {
    return new TriggerRequest(new LinkedHashMap<>(newConf), logicalDate, runId, pausedPolicy);
  }

  /**
   * A copy whose conf is the JSON object {@code json}.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object
   */
  public TriggerRequest withConfJson(String json) {
    return withConf(AirflowJson.parseObject(json));
  }

  /** A copy with {@code newLogicalDate} (null: none). */
  public TriggerRequest withLogicalDate(Instant newLogicalDate) {
    return new TriggerRequest(conf, newLogicalDate, runId, pausedPolicy);
  }

  /** A copy with {@code newRunId} (null: derived). */
  public TriggerRequest withRunId(String newRunId) {
    return new TriggerRequest(conf, logicalDate, newRunId, pausedPolicy);
  }

  /** A copy with {@code newPolicy}. */
  public TriggerRequest withPausedPolicy(PausedPolicy newPolicy) {
    return new TriggerRequest(conf, logicalDate, runId, newPolicy);
  }
}
