package dev.mlops.monitoring.airflow;

import java.util.Locale;

/**
 * The state of a task instance. {@link #NO_STATUS} is Airflow's "no status yet" (JSON
 * {@code null}, or {@code "none"} before Airflow 2.7); {@link #UNKNOWN} stands for a state this
 * client does not know, which a newer Airflow may add.
 */
public enum TaskState {
  NO_STATUS,
  SCHEDULED,
  QUEUED,
  RUNNING,
  SUCCESS,
  RESTARTING,
  FAILED,
  UP_FOR_RETRY,
  UP_FOR_RESCHEDULE,
  UPSTREAM_FAILED,
  SKIPPED,
  DEFERRED,
  REMOVED,
  UNKNOWN;

  /** The name Airflow uses, for example {@code "up_for_retry"}; null for {@link #NO_STATUS}. */
  public String apiValue() {
    return this == NO_STATUS ? null : name().toLowerCase(Locale.ROOT);
  }

  /** The state Airflow calls {@code value}, which may be null. */
  public static TaskState fromApi(String value) {
    if (value == null || value.equals("none")) {
      return NO_STATUS;
    }
    for (TaskState s : values()) {
      if (value.equals(s.apiValue())) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
