package dev.mlops.monitoring.airflow;

import java.util.Locale;

/**
 * The state of a DAG run, as both API versions name it. A run starts {@link #QUEUED} (and stays
 * there while its DAG is paused), then {@link #RUNNING}, and ends {@link #SUCCESS} or
 * {@link #FAILED}.
 */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED;

  /** Whether the run has ended: it will not change state any more. */
  public boolean isTerminal() {
    return this == SUCCESS || this == FAILED;
  }

  /** The name Airflow uses, for example {@code "queued"}. */
  public String apiValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state Airflow calls {@code value}.
   *
   * @throws IllegalArgumentException for a value neither API version defines
   */
  public static RunState fromApi(String value) {
    for (RunState s : values()) {
      if (s.apiValue().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown DAG run state \"" + value + "\" (expected queued, running, success or failed)");
  }
}
