package dev.mlops.monitoring.airflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DAG run as Airflow reported it. Obtain one from {@link AirflowClient#run},
 * {@link AirflowClient#waitFor} or {@link TriggerResult#run()}. Immutable (the conf's nested
 * values are as parsed from JSON and must not be changed).
 *
 * @param dagId the DAG's id
 * @param runId the run's id
 * @param state the run's state
 * @param runType how it was started ({@code manual}, {@code scheduled}, ...); null if not given
 * @param logicalDate its logical date; null for an Airflow 3 run triggered without one
 * @param queuedAt when it was queued; null on Airflow 2, which does not report it
 * @param startDate when it started running; null until then
 * @param endDate when it ended; null until then
 * @param conf the run's configuration (JSON values: maps, lists, strings, numbers, booleans,
 *     nulls); empty when none
 */
public record DagRun(
    String dagId,
    String runId,
    RunState state,
    String runType,
    Instant logicalDate,
    Instant queuedAt,
    Instant startDate,
    Instant endDate,
    Map<String, Object> conf) {

  public DagRun {
    Objects.requireNonNull(dagId, "dagId == null");
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(state, "state == null");
    conf = conf == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conf));
  }

  /** How long the run ran, from start to end; null while it has not both started and ended. */
  public Duration duration() {
    return startDate == null || endDate == null ? null : Duration.between(startDate, endDate);
  }
}
