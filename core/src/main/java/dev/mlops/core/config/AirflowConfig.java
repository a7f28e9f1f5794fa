package dev.mlops.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Airflow's REST API, used to trigger and follow DAG runs: the stable API of Airflow 2
 * ({@code /api/v1}, basic authentication) or the API of Airflow 3 ({@code /api/v2}, a bearer
 * token from {@code POST <url>/auth/token}). See {@code docs/AIRFLOW.md}.
 *
 * <p>Immutable and thread-safe. Obtain one from a config file's {@code airflow} section.
 *
 * @param url the webserver's (Airflow 2) or API server's (Airflow 3) base URL, for example
 *     {@code https://airflow.example} or {@code http://host:8080/airflow}; null when Airflow is
 *     not configured. It must not hold credentials: they go in {@code user} and {@code password}.
 * @param apiVersion 1 for Airflow 2's {@code /api/v1}, 2 for Airflow 3's {@code /api/v2}
 *     (default 1)
 * @param user the user to authenticate as; null to send no credentials
 * @param password the user's password, from the environment ({@code ${AIRFLOW_PASSWORD}});
 *     required with {@code user}
 * @param connectTimeoutSeconds how long to wait for a TCP (and TLS) connection (default 10)
 * @param readTimeoutSeconds how long to wait for the next bytes of an answer, or to send the next
 *     bytes of a request (default 30)
 * @param timeoutSeconds how long one HTTP call may take in all, from connecting to reading the
 *     whole answer (default 30); each retry gets this much again
 * @param caFile a PEM file with the certificates of the certificate authorities to trust for
 *     HTTPS instead of the JVM's default trust store; relative paths resolve against the config
 *     file's folder; null for the default trust store
 * @param maxRetries how many times a call is retried after a 5xx or 429 answer or a failed
 *     connection, between 0 and 10 (default 3)
 */
public record AirflowConfig(
    String url,
    Integer apiVersion,
    String user,
    Secret password,
    Integer connectTimeoutSeconds,
    Integer readTimeoutSeconds,
    Integer timeoutSeconds,
    String caFile,
    Integer maxRetries) {

  public AirflowConfig {
    url = url == null || url.isBlank() ? null : url.strip();
    if (url != null) {
      url = checkedUrl(url);
    }
    apiVersion = apiVersion == null ? 1 : apiVersion;
    if (apiVersion != 1 && apiVersion != 2) {
      throw new ConfigValueException("api-version", "must be 1 (Airflow 2, /api/v1) or 2 (Airflow 3, /api/v2), got " + apiVersion);
    }
    user = user == null || user.isBlank() ? null : user.strip();
    password = password == null ? Secret.none() : password;
    if (user == null && password.isPresent()) {
      throw new ConfigValueException("user", "is required when a password is set");
    }
    if (user != null && !password.isPresent()) {
      throw new ConfigValueException("password", "is required with user \"" + user
          + "\" (give it from the environment: password: ${AIRFLOW_PASSWORD})");
    }
    connectTimeoutSeconds = seconds("connect-timeout-seconds", connectTimeoutSeconds, 10);
    readTimeoutSeconds = seconds("read-timeout-seconds", readTimeoutSeconds, 30);
    timeoutSeconds = seconds("timeout-seconds", timeoutSeconds, 30);
    caFile = caFile == null || caFile.isBlank() ? null : caFile.strip();
    maxRetries = maxRetries == null ? 3 : maxRetries;
    if (maxRetries < 0 || maxRetries > 10) {
      throw new ConfigValueException("max-retries", "must be between 0 and 10, got " + maxRetries);
    }
  }

  /** Airflow is not configured. */
  public static AirflowConfig unconfigured() {
    return new AirflowConfig(null, null, null, null, null, null, null, null, null);
  }

  /** Whether a URL is set. */
  public boolean configured() {
    return url != null;
  }

  /** {@link #connectTimeoutSeconds} as a duration. */
  public Duration connectTimeout() {
    return Duration.ofSeconds(connectTimeoutSeconds);
  }

  /** {@link #readTimeoutSeconds} as a duration. */
  public Duration readTimeout() {
    return Duration.ofSeconds(readTimeoutSeconds);
  }

  /** {@link #timeoutSeconds}, the timeout of one whole HTTP call, as a duration. */
  public Duration callTimeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /** A copy whose {@link #caFile}, if any, is absolute, resolved against {@code baseDir}. */
  public AirflowConfig resolvedAgainst(Path baseDir) {
    if (caFile == null) {
      return this;
    }
    Path p = Path.of(caFile);
    String resolved = (p.isAbsolute() ? p : baseDir.resolve(p)).toAbsolutePath().normalize().toString();
    return new AirflowConfig(url, apiVersion, user, password, connectTimeoutSeconds, readTimeoutSeconds, timeoutSeconds,
        resolved, maxRetries);
  }

  private static String checkedUrl(String url) {
    if (!url.matches("https?://.+")) {
      throw new ConfigValueException("url", "must start with http:// or https://, got \"" + url + "\"");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigValueException("url", "is not a valid URL: " + e.getReason());
    }
    if (uri.getRawUserInfo() != null) {
      throw new ConfigValueException("url", "must not contain a user or password: give them as airflow.user and"
          + " airflow.password");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigValueException("url", "must be the base URL of Airflow, without a query or fragment");
    }
    String stripped = url;
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped;
  }

  private static int seconds(String key, Integer value, int defaultValue) {
    int v = value == null ? defaultValue : value;
    if (v < 1 || v > 3600) {
      throw new ConfigValueException(key, "must be between 1 and 3600 seconds, got " + v);
    }
    return v;
  }
}
