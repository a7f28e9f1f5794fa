package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.FakeAirflow.dropped;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import mockwebserver3.MockResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AirflowRetryTest {
  private final FakeTime time = new FakeTime();

  private static MockResponse unavailable(String retryAfter) {
    MockResponse.Builder b = new MockResponse.Builder().code(503).setHeader("Content-Type", "text/html")
        .body("<html><body><h1>503 Service Unavailable</h1></body></html>");
    return (retryAfter == null ? b : b.setHeader("Retry-After", retryAfter)).build();
  }

  private static String dagPath(FakeAirflow airflow) {
    return airflow.api() + "/dags/" + DAG;
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void a503IsRetriedAfterTheSecondsOfItsRetryAfter(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), unavailable("7"), json(200, AirflowBodies.dag(v, DAG, false)));

      assertThat(airflow.client(time).dag(DAG)).isEqualTo(new Dag(DAG, false));
      assertThat(time.sleeps()).as("Retry-After: 7").containsExactly(Duration.ofSeconds(7));
      assertThat(airflow.requests("GET", dagPath(airflow))).hasSize(2);
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aRetryAfterGivenAsAnHttpDateIsHonoured(int v) {
    String in12s = DateTimeFormatter.RFC_1123_DATE_TIME.format(FakeTime.START.plusSeconds(12).atOffset(ZoneOffset.UTC));
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), unavailable(in12s), json(200, AirflowBodies.dag(v, DAG, false)));
      airflow.client(time).dag(DAG);

      assertThat(in12s).isEqualTo("Sun, 6 Dec 2026 10:00:12 GMT");
      assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(12));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void withoutRetryAfterTheBackoffDoublesWithJitterOn5xxAnd429(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), unavailable(null), json(502, "{}"), json(429, "{\"detail\": \"slow down\"}"),
          json(200, AirflowBodies.dag(v, DAG, false)));
      airflow.client(time).dag(DAG);

      assertThat(time.sleeps()).as("half of 500ms, 1s, 2s plus half of that times the jitter 0.5")
          .containsExactly(Duration.ofMillis(375), Duration.ofMillis(750), Duration.ofMillis(1500));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aDroppedConnectionIsRetried(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), dropped(), json(200, AirflowBodies.dag(v, DAG, true)));

      assertThat(airflow.client(time).dag(DAG).paused()).isTrue();
      assertThat(time.sleeps()).containsExactly(Duration.ofMillis(375));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void neither400Nor404IsRetried(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), airflow.error(404, "DAG not found", "DAG with dag_id: 'train_fraud' not found"));
      airflow.on("PATCH", dagPath(airflow), airflow.error(400, "Bad Request",
          "Only `is_paused` field can be updated through the REST API"));
      HttpAirflowClient client = airflow.client(time);

      assertThat(catchThrowableOfType(AirflowException.class, () -> client.dag(DAG)).status()).isEqualTo(404);
      assertThat(catchThrowableOfType(AirflowException.class, () -> client.unpause(DAG)).status()).isEqualTo(400);
      assertThat(airflow.requests("GET", dagPath(airflow))).hasSize(1);
      assertThat(airflow.requests("PATCH", dagPath(airflow))).hasSize(1);
      assertThat(time.sleeps()).isEmpty();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void retriesStopAtMaxRetriesWithAMessageThatCountsTheAttempts(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), unavailable(null));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(airflow.requests("GET", dagPath(airflow))).as("1 attempt and 3 retries").hasSize(4);
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.getMessage()).isEqualTo("Airflow could not read DAG 'train_fraud' (HTTP 503 from GET " + airflow.url()
          + dagPath(airflow) + ", API v" + v + ": an HTML page, after 4 attempts). Airflow, or a proxy in front of it, is"
          + " failing or overloaded: try again later, or raise airflow.max-retries.");
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aRetryAfterLongerThanTheClientWaitsFailsAtOnce(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", dagPath(airflow), unavailable("3600"));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(time.sleeps()).isEmpty();
      assertThat(e.getMessage()).isEqualTo("Airflow asked to wait 1h before retrying the request to read DAG 'train_fraud'"
          + " (HTTP 503 from GET " + airflow.url() + dagPath(airflow) + ", API v" + v + ": an HTML page, Retry-After:"
          + " 3600), longer than the client waits (at most 5m). Try again later.");
    }
  }
}
