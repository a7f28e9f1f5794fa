package dev.mlops.core.config;

/**
 * Airflow's stable REST API ({@code /api/v1}), used to trigger and follow DAG runs.
 *
 * @param url the webserver's base URL, for example {@code http://airflow:8080}; null when Airflow
 *     is not configured
 * @param user the user for basic authentication
 * @param password the password, from the environment ({@code ${AIRFLOW_PASSWORD}})
 * @param timeoutSeconds HTTP timeout (default 30)
 */
public record AirflowConfig(String url, String user, Secret password, Integer timeoutSeconds) {

  public AirflowConfig {
    if (url != null && url.isBlank()) {
      url = null;
    }
    if (url != null && !url.matches("https?://.+")) {
      throw new ConfigValueException("url", "must start with http:// or https://, got \"" + url + "\"");
    }
    while (url != null && url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    password = password == null ? Secret.none() : password;
    timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
  }

  /** Airflow is not configured. */
  public static AirflowConfig unconfigured() {
    return new AirflowConfig(null, null, null, null);
  }

  /** Whether a URL is set. */
  public boolean configured() {
    return url != null;
  }
}
