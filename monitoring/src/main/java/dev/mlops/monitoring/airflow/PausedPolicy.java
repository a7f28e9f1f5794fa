package dev.mlops.monitoring.airflow;

/**
 * What {@link AirflowClient#trigger} does when the DAG is paused. A run of a paused DAG is
 * created but stays queued until the DAG is unpaused.
 */
public enum PausedPolicy {
  /** Trigger anyway and say so in {@link TriggerResult#warnings()}. */
  WARN,
  /** Fail with an {@link AirflowException} and trigger nothing. */
  REQUIRE_UNPAUSED,
  /** Unpause the DAG first, then trigger ({@link TriggerResult#unpaused()} says it happened). */
  UNPAUSE
}
