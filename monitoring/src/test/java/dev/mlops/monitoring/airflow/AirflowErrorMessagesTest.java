package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mlops.core.config.AirflowConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AirflowErrorMessagesTest {
  private final FakeTime time = new FakeTime();

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void anUnknownDagIsNamedWithAirflowsDetailAndTheFix(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/nope", airflow.error(404, "DAG not found", "DAG with dag_id: 'nope' not found"));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag("nope"));

      assertThat(e.status()).isEqualTo(404);
      assertThat(e.getMessage()).isEqualTo("Airflow has no DAG 'nope' (HTTP 404 from GET " + airflow.url() + airflow.api()
          + "/dags/nope, API v" + v + ": " + (v == 1 ? "DAG not found: " : "") + "DAG with dag_id: 'nope' not found)."
          + " Check the DAG id, and that Airflow parsed the DAG's file without import errors; if every call answers 404,"
          + " check that airflow.url is Airflow's base URL and that airflow.api-version is 1 for Airflow 2, 2 for"
          + " Airflow 3.");
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void anUnknownRunIsNamedWithItsDag(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      String detail = v == 1 ? "DAGRun with DAG ID: 'train_fraud' and DagRun ID: 'r-9' not found"
          : "The DagRun with dag_id: `train_fraud` and run_id: `r-9` was not found";
      airflow.on("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/r-9", airflow.error(404, "DAGRun not found", detail));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).run(DAG, "r-9"));

      assertThat(e.getMessage()).isEqualTo("Airflow has no run 'r-9' of DAG 'train_fraud' (HTTP 404 from GET " + airflow.url()
          + airflow.api() + "/dags/train_fraud/dagRuns/r-9, API v" + v + ": " + (v == 1 ? "DAGRun not found: " : "") + detail
          + "). Check the run id (mlops airflow trigger prints it) and the DAG id.");
    }
  }

  @Test
  void airflow3ValidationErrorsListEveryLocationAndMessage() {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("GET", "/api/v2/dags/" + DAG, json(200, AirflowBodies.dag(2, DAG, false)));
      airflow.on("POST", "/api/v2/dags/" + DAG + "/dagRuns", json(422, """
          {"detail": [
            {"type": "timezone_aware", "loc": ["body", "logical_date"], "msg": "Input should have timezone info",
             "input": "2026-12-01T00:00:00", "url": "https://errors.pydantic.dev/2.11/v/timezone_aware"},
            {"type": "dict_type", "loc": ["body", "conf"], "msg": "Input should be a valid dictionary",
             "input": [1, 2]}]}"""));
      AirflowException e = catchThrowableOfType(AirflowException.class,
          () -> airflow.client(time).trigger(DAG, TriggerRequest.of().withRunId("r-1")));

      assertThat(e.status()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo("Airflow rejected the request to trigger DAG 'train_fraud' as invalid (HTTP 422"
          + " from POST " + airflow.url() + "/api/v2/dags/train_fraud/dagRuns, API v2: body.logical_date: Input should have"
          + " timezone info (timezone_aware); body.conf: Input should be a valid dictionary (dict_type)). Fix what Airflow"
          + " names: a trigger's conf must be a JSON object that the DAG's params accept and its logical date a date-time"
          + " with a time zone; if the request looks right, check that airflow.url is Airflow's base URL and that"
          + " airflow.api-version is 1 for Airflow 2, 2 for Airflow 3.");
      assertThat(time.sleeps()).isEmpty();
    }
  }

  @Test
  void airflow2ValidationErrorsShowTheProblemDetail() {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      airflow.on("GET", "/api/v1/dags/" + DAG, json(200, AirflowBodies.dag(1, DAG, false)));
      airflow.on("POST", "/api/v1/dags/" + DAG + "/dagRuns", airflow.error(400, "Bad Request",
          "{'conf': ['Not a valid mapping type.']}"));
      AirflowException e = catchThrowableOfType(AirflowException.class,
          () -> airflow.client(time).trigger(DAG, TriggerRequest.of().withRunId("r-1")));

      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith("Airflow rejected the request to trigger DAG 'train_fraud' as invalid (HTTP 400"
          + " from POST " + airflow.url() + "/api/v1/dags/train_fraud/dagRuns, API v1: Bad Request: {'conf': ['Not a valid"
          + " mapping type.']}). Fix what Airflow names:");
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aReadTimeoutNamesTheCallTheTimeoutAndItsKey(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/" + DAG, new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS)
          .body("{}").build());
      OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
      AirflowConfig config = airflow.config();
      HttpAirflowClient client = HttpAirflowClient.builder(new AirflowConfig(config.url(), v, config.user(),
          config.password(), null, null, null, null, 1)).httpClient(http).clock(time).sleeper(time).jitter(() -> 0.5).build();
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> client.dag(DAG));

      assertThat(e.status()).isZero();
      assertThat(e.getMessage()).isEqualTo("Airflow did not answer the request to read DAG 'train_fraud' in time: GET "
          + airflow.url() + airflow.api() + "/dags/train_fraud got no answer within the read timeout of 300ms"
          + " (airflow.read-timeout-seconds), in each of 2 attempts. Check that Airflow at " + airflow.url() + " is up and"
          + " not overloaded, or raise airflow.read-timeout-seconds.");
      assertThat(time.sleeps()).as("a timeout is retried").hasSize(1);
    }
  }

  @Test
  void aCallTimeoutIsNamedAsSuch() {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      airflow.on("GET", "/api/v1/dags/" + DAG, new MockResponse.Builder().bodyDelay(2, TimeUnit.SECONDS)
          .body(AirflowBodies.dag(1, DAG, false)).build());
      OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build();
      AirflowConfig c = airflow.config();
      HttpAirflowClient client = HttpAirflowClient.builder(new AirflowConfig(c.url(), 1, c.user(), c.password(), null, null,
          null, null, 0)).httpClient(http).clock(time).sleeper(time).build();
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> client.dag(DAG));

      assertThat(e.getMessage()).contains("got no answer within the call timeout of 300ms (airflow.timeout-seconds), in 1"
          + " attempt.");
    }
  }

  @Test
  void anAirflowThatIsNotListeningIsNamedWithItsUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    AirflowConfig config = new AirflowConfig("http://127.0.0.1:" + port, 1, null, null, null, null, null, null, 2);
    AirflowException e = catchThrowableOfType(AirflowException.class,
        () -> HttpAirflowClient.builder(config).clock(time).sleeper(time).build().run(DAG, "r-1"));

    assertThat(e.getMessage()).startsWith("Cannot reach Airflow at http://127.0.0.1:" + port + " to read run 'r-1' of DAG"
        + " 'train_fraud' (GET http://127.0.0.1:" + port + "/api/v1/dags/train_fraud/dagRuns/r-1 failed, after 3 attempts:"
        + " ConnectException: ").endsWith("). Check airflow.url, and that Airflow's webserver (Airflow 2) or API server"
        + " (Airflow 3) is running and reachable from here.");
    assertThat(time.sleeps()).hasSize(2);
  }

  @Test
  void aLoginPageInsteadOfJsonSaysToCheckTheUrl() {
    try (FakeAirflow airflow = new FakeAirflow(1)) {
      airflow.on("GET", "/api/v1/dags/" + DAG, new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "text/html; charset=utf-8").body("<!DOCTYPE html><html>Sign in</html>").build());
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).dag(DAG));

      assertThat(e.getMessage()).startsWith("Airflow's answer to the request to read DAG 'train_fraud' is not what API v1"
          + " returns (HTTP 200 from GET " + airflow.url() + "/api/v1/dags/train_fraud, text/html; charset=utf-8: the body"
          + " is not JSON (").endsWith("). Check that airflow.url is Airflow's base URL (not a login page or a proxy's) and"
          + " that airflow.api-version is 1 for Airflow 2, 2 for Airflow 3.");
    }
  }

  @Test
  void anUnknownRunStateIsABadAnswerNotAnEndlessWait() {
    try (FakeAirflow airflow = new FakeAirflow(2)) {
      airflow.on("GET", "/api/v2/dags/" + DAG + "/dagRuns/r-1",
          json(200, AirflowBodies.dagRun(2, "r-1", "paused_forever", null, "{}")));
      AirflowException e = catchThrowableOfType(AirflowException.class,
          () -> airflow.client(time).waitFor(DAG, "r-1", Duration.ofMinutes(1), r -> {}));

      assertThat(e.getMessage()).contains("unknown DAG run state \"paused_forever\" (expected queued, running, success or"
          + " failed)");
    }
  }

  @Test
  void anUnconfiguredAirflowNamesTheConfigFileAndTheKey() {
    AirflowException e = catchThrowableOfType(AirflowException.class,
        () -> HttpAirflowClient.fromConfig(AirflowConfig.unconfigured(), "conf/local.yaml"));

    assertThat(e.getMessage()).isEqualTo("conf/local.yaml: Airflow is not configured: airflow.url is not set. Add an"
        + " airflow section with url, api-version (1 for Airflow 2, 2 for Airflow 3), user and password (password:"
        + " ${AIRFLOW_PASSWORD}); see docs/AIRFLOW.md.");
  }
}
