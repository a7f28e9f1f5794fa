package dev.mlops.monitoring.airflow;

/**
 * Airflow's answer to one call, read whole.
 *
 * @param status the HTTP status
 * @param body the body as text; empty when none
 * @param contentType the {@code Content-Type} header; null when absent
 * @param retryAfter the {@code Retry-After} header; null when absent
 * @param attempts how many attempts the call took, retries included
 */
record Reply(int status, String body, String contentType, String retryAfter, int attempts) {
  boolean ok() {
    return status >= 200 && status < 300;
  }
}
