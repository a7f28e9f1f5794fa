package dev.mlops.monitoring.airflow;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * One HTTP request of the client, with what it does in words for messages.
 *
 * @param method the HTTP method
 * @param url the full URL
 * @param body the JSON body; null for none
 * @param action what the call does, for example {@code "trigger DAG 'train'"}
 * @param dagId the DAG it addresses; null for the token call
 * @param runId the run it addresses; null when it addresses no run
 */
record ApiCall(String method, HttpUrl url, byte[] body, String action, String dagId, String runId) {
  private static final MediaType JSON = MediaType.get("application/json");

  /** A request for this call, with {@code authorization} (null for none). */
  Request request(String authorization) {
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json")
        .header("User-Agent", "mlops-airflow-client");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    // Bytes keep the content type exactly "application/json" (a String body would add a charset).
    return b.method(method, body == null ? null : RequestBody.create(body, JSON)).build();
  }

  /** {@code GET https://host/api/v2/dags/d}, for messages. */
  String describe() {
    return method + " " + url;
  }
}
