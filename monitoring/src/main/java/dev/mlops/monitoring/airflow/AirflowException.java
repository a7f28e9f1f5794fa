package dev.mlops.monitoring.airflow;

import dev.mlops.core.PlatformException;

/**
 * A call to Airflow that failed in a way the user can act on: refused credentials or
 * permissions, an unknown DAG or run, a request Airflow rejected, Airflow unreachable or too
 * slow, a paused DAG, a run that did not end in time. The message says what failed, why, and
 * how to fix it; it never contains a password or a token.
 *
 * <p>Thrown by every {@link AirflowClient} method. Immutable.
 */
public final class AirflowException extends PlatformException {
  private static final long serialVersionUID = 1L;
  private final int status;

  AirflowException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status of Airflow's answer; 0 when the failure was not an HTTP answer. */
  public int status() {
    return status;
  }
}
