package dev.mlops.monitoring.airflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * What differs between Airflow 2's stable API and Airflow 3's: the path prefix, how to
 * authenticate, and the trigger body. Paths, answers and error bodies are otherwise alike.
 */
enum ApiVersion {
  /** Airflow 2: {@code /api/v1}, basic authentication. */
  V1(1, "api/v1", "basic auth"),
  /** Airflow 3: {@code /api/v2}, a bearer token from {@code POST /auth/token}. */
  V2(2, "api/v2", "a bearer token");

  private final int number;
  private final String prefix;
  private final String authScheme;

  ApiVersion(int number, String prefix, String authScheme) {
    this.number = number;
    this.prefix = prefix;
    this.authScheme = authScheme;
  }

  static ApiVersion of(int number) {
    return number == 2 ? V2 : V1;
  }

  /** {@code base} plus this version's prefix: {@code https://host/api/v2}. */
  HttpUrl.Builder api(HttpUrl base) {
    return base.newBuilder().addPathSegments(prefix);
  }

  /** How the client authenticates with this version, for messages. */
  String authScheme() {
    return authScheme;
  }

  /**
   * The trigger body. Airflow 3 requires the {@code logical_date} key, null for a run without
   * one; Airflow 2 takes an absent {@code logical_date} as "now".
   */
  ObjectNode triggerBody(String runId, Instant logicalDate, Map<String, Object> conf) {
    ObjectNode body = AirflowJson.object();
    body.put("dag_run_id", runId);
    if (logicalDate != null) {
      body.put("logical_date", logicalDate.toString());
    } else if (this == V2) {
      body.putNull("logical_date");
    }
    body.set("conf", AirflowJson.toTree(conf));
    return body;
  }

  @Override
  public String toString() {
    return "API v" + number;
  }
}
