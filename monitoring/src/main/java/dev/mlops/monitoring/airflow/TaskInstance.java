package dev.mlops.monitoring.airflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One task instance of a DAG run. Obtain them from {@link AirflowClient#tasks}. Immutable.
 *
 * @param taskId the task's id
 * @param mapIndex the index of a mapped task's instance; -1 for a task that is not mapped
 * @param state its state
 * @param tryNumber the number of its current (or last) try; 0 before the first
 * @param maxTries how many tries it may take in all; 0 when Airflow does not report it
 * @param startDate when its current try started; null until then
 * @param endDate when its current try ended; null until then
 * @param duration how long its try ran, as Airflow computed it; null until it ended
 * @param operator the operator's class name, for example {@code SparkSubmitOperator}; null if
 *     not reported
 */
public record TaskInstance(
    String taskId,
    int mapIndex,
    TaskState state,
    int tryNumber,
    int maxTries,
    Instant startDate,
    Instant endDate,
    Duration duration,
    String operator) {

  public TaskInstance {
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(state, "state == null");
  }
}
