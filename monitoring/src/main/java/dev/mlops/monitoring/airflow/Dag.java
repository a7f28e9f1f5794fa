package dev.mlops.monitoring.airflow;

import java.util.Objects;

/**
 * What the client knows of a DAG. Obtain one from {@link AirflowClient#dag} or
 * {@link AirflowClient#unpause}. Immutable.
 *
 * @param dagId the DAG's id
 * @param paused whether the DAG is paused (Airflow 2 may leave it unset, read as not paused)
 */
public record Dag(String dagId, boolean paused) {
  public Dag {
    Objects.requireNonNull(dagId, "dagId == null");
  }
}
