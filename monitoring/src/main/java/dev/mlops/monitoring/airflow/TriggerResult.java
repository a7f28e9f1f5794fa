package dev.mlops.monitoring.airflow;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AirflowClient#trigger} did. Immutable.
 *
 * @param run the run: the new one, or the one that already had the run id
 * @param existing true when Airflow already had a run with this id (HTTP 409), so this call
 *     created nothing: an earlier call (or an earlier attempt of this one whose answer was lost)
 *     triggered it
 * @param unpaused true when the DAG was paused and the client unpaused it first
 *     ({@link PausedPolicy#UNPAUSE})
 * @param warnings things the caller should know, for example that the DAG is paused and the run
 *     will stay queued; empty when none
 */
public record TriggerResult(DagRun run, boolean existing, boolean unpaused, List<String> warnings) {
  public TriggerResult {
    Objects.requireNonNull(run, "run == null");
    warnings = List.copyOf(warnings);
  }
}
