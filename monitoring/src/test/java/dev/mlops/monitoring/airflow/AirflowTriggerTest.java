package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.FakeAirflow.dropped;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AirflowTriggerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONF = "{\"model\": \"fraud\", \"params\": {\"max_depth\": 6, \"features\": [\"amount\"]}}";
  private final FakeTime time = new FakeTime();

  private static JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().utf8());
  }

  private static FakeAirflow airflow(int v, boolean paused) {
    FakeAirflow airflow = new FakeAirflow(v);
    airflow.on("GET", airflow.api() + "/dags/" + DAG, json(200, AirflowBodies.dag(v, DAG, paused)));
    return airflow;
  }

  @Test
  void airflow3SendsLogicalDateNullWhenNoneIsGivenWithTheConfAndRunId() throws Exception {
    try (FakeAirflow airflow = airflow(2, false)) {
      airflow.on("POST", "/api/v2/dags/" + DAG + "/dagRuns", json(200, AirflowBodies.dagRun(2, "r-1", "queued", null, CONF)));
      TriggerResult r = airflow.client(time).trigger(DAG, TriggerRequest.of().withConfJson(CONF).withRunId("r-1"));

      RecordedRequest post = airflow.requests("POST", "/api/v2/dags/" + DAG + "/dagRuns").get(0);
      assertThat(post.getHeaders().get("Content-Type")).isEqualTo("application/json");
      assertThat(body(post)).isEqualTo(JSON.readTree("{\"dag_run_id\": \"r-1\", \"logical_date\": null, \"conf\": " + CONF + "}"));
      assertThat(post.getBody().utf8()).as("the key is present, its value null").contains("\"logical_date\":null");
      assertThat(r.run().runId()).isEqualTo("r-1");
      assertThat(r.run().state()).isEqualTo(RunState.QUEUED);
      assertThat(r.run().logicalDate()).isNull();
      assertThat(r.run().queuedAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00.512345Z"));
      assertThat(r.run().conf()).containsEntry("model", "fraud");
      assertThat(r.existing()).isFalse();
      assertThat(r.unpaused()).isFalse();
      assertThat(r.warnings()).isEmpty();
    }
  }

  @Test
  void airflow2LeavesLogicalDateOutWhenNoneIsGiven() throws Exception {
    try (FakeAirflow airflow = airflow(1, false)) {
      airflow.on("POST", "/api/v1/dags/" + DAG + "/dagRuns",
          json(200, AirflowBodies.dagRun(1, "r-1", "queued", "2026-12-06T10:00:00", CONF)));
      TriggerResult r = airflow.client(time).trigger(DAG, TriggerRequest.of().withConfJson(CONF).withRunId("r-1"));

      JsonNode body = body(airflow.requests("POST", "/api/v1/dags/" + DAG + "/dagRuns").get(0));
      assertThat(body).isEqualTo(JSON.readTree("{\"dag_run_id\": \"r-1\", \"conf\": " + CONF + "}"));
      assertThat(r.run().logicalDate()).as("Airflow 2 sets it to now").isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
      assertThat(r.run().queuedAt()).as("Airflow 2 does not report it").isNull();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void everyOptionGoesIntoTheRequestBody(int v) throws Exception {
    try (FakeAirflow airflow = airflow(v, false)) {
      airflow.on("POST", airflow.api() + "/dags/" + DAG + "/dagRuns",
          json(200, AirflowBodies.dagRun(v, "retrain:2026-12-01", "queued", "2026-12-01T00:00:00", CONF)));
      TriggerResult r = airflow.client(time).trigger(DAG, TriggerRequest.of().withConfJson(CONF)
          .withLogicalDate(Instant.parse("2026-12-01T00:00:00Z")).withRunId("retrain:2026-12-01"));

      RecordedRequest post = airflow.requests("POST", airflow.api() + "/dags/" + DAG + "/dagRuns").get(0);
      assertThat(body(post)).isEqualTo(JSON.readTree("{\"dag_run_id\": \"retrain:2026-12-01\","
          + " \"logical_date\": \"2026-12-01T00:00:00Z\", \"conf\": " + CONF + "}"));
      assertThat(r.run().logicalDate()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
      assertThat(r.run().conf()).isEqualTo(Map.of("model", "fraud", "params", Map.of("max_depth", 6, "features",
          List.of("amount"))));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void withoutARunIdTheClientDerivesOneFromTheDagTheDateAndTheConf(int v) throws Exception {
    Instant logical = Instant.parse("2026-12-01T00:00:00Z");
    String expected = RunIds.derive(DAG, logical, Map.of("model", "fraud"), FakeTime.START);
    try (FakeAirflow airflow = airflow(v, false)) {
      airflow.on("POST", airflow.api() + "/dags/" + DAG + "/dagRuns",
          json(200, AirflowBodies.dagRun(v, expected, "queued", "2026-12-01T00:00:00", "{\"model\": \"fraud\"}")));
      TriggerResult r = airflow.client(time).trigger(DAG,
          TriggerRequest.of().withConf(Map.of("model", "fraud")).withLogicalDate(logical));

      assertThat(body(airflow.requests("POST", airflow.api() + "/dags/" + DAG + "/dagRuns").get(0)).get("dag_run_id")
          .textValue()).isEqualTo(expected).matches("mlops__2026-12-01T00:00:00Z__[0-9a-f]{12}");
      assertThat(r.run().runId()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aPausedDagIsTriggeredWithAWarning(int v) {
    try (FakeAirflow airflow = airflow(v, true)) {
      airflow.on("POST", airflow.api() + "/dags/" + DAG + "/dagRuns", json(200, AirflowBodies.dagRun(v, "r-1", "queued", null,
          "{}")));
      TriggerResult r = airflow.client(time).trigger(DAG, TriggerRequest.of().withRunId("r-1"));

      assertThat(r.warnings()).containsExactly("DAG 'train_fraud' is paused: the run stays queued until the DAG is"
          + " unpaused (in Airflow's UI, or trigger with --unpause)");
      assertThat(airflow.requests("PATCH", airflow.api() + "/dags/" + DAG)).as("nothing unpaused").isEmpty();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aPausedDagFailsWithoutTriggeringWhenAnUnpausedOneIsRequired(int v) {
    try (FakeAirflow airflow = airflow(v, true)) {
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).trigger(DAG,
          TriggerRequest.of().withPausedPolicy(PausedPolicy.REQUIRE_UNPAUSED)));

      assertThat(e.getMessage()).isEqualTo("DAG 'train_fraud' is paused, so a run triggered now would stay queued (an"
          + " unpaused DAG was required). Unpause it in Airflow's UI or with mlops airflow trigger --unpause, or trigger"
          + " without requiring an unpaused DAG.");
      assertThat(airflow.requests()).extracting(q -> q.getMethod() + " " + q.getUrl().encodedPath()).as("no trigger sent")
          .containsExactlyElementsOf(v == 1 ? List.of("GET /api/v1/dags/train_fraud")
              : List.of("POST /auth/token", "GET /api/v2/dags/train_fraud"));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void unpausingPatchesTheDagBeforeTriggering(int v) throws Exception {
    try (FakeAirflow airflow = airflow(v, true)) {
      airflow.on("PATCH", airflow.api() + "/dags/" + DAG, json(200, AirflowBodies.dag(v, DAG, false)));
      airflow.on("POST", airflow.api() + "/dags/" + DAG + "/dagRuns", json(200, AirflowBodies.dagRun(v, "r-1", "queued", null,
          "{}")));
      TriggerResult r = airflow.client(time).trigger(DAG,
          TriggerRequest.of().withRunId("r-1").withPausedPolicy(PausedPolicy.UNPAUSE));

      List<RecordedRequest> api = airflow.requests().stream().filter(q -> !q.getUrl().encodedPath().equals("/auth/token"))
          .toList();
      assertThat(api).extracting(q -> q.getMethod() + " " + q.getTarget()).containsExactly(
          "GET " + airflow.api() + "/dags/train_fraud",
          "PATCH " + airflow.api() + "/dags/train_fraud?update_mask=is_paused",
          "POST " + airflow.api() + "/dags/train_fraud/dagRuns");
      assertThat(body(api.get(1))).isEqualTo(JSON.readTree("{\"is_paused\": false}"));
      assertThat(r.unpaused()).isTrue();
      assertThat(r.warnings()).isEmpty();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aRetriedTriggerWhoseFirstAnswerWasLostReturnsTheExistingRun(int v) throws Exception {
    try (FakeAirflow airflow = airflow(v, false)) {
      String runs = airflow.api() + "/dags/" + DAG + "/dagRuns";
      airflow.on("POST", runs, dropped(), airflow.error(409, "Already Exists",
          "DAGRun with DAG ID: 'train_fraud' and DAGRun ID: 'r-1' already exists"));
      airflow.on("GET", runs + "/r-1", json(200, AirflowBodies.dagRun(v, "r-1", "running", null, CONF)));
      TriggerResult r = airflow.client(time).trigger(DAG, TriggerRequest.of().withConfJson(CONF).withRunId("r-1"));

      assertThat(r.existing()).as("the first attempt created it").isTrue();
      assertThat(r.run().state()).isEqualTo(RunState.RUNNING);
      assertThat(r.warnings()).as("same conf").isEmpty();
      List<RecordedRequest> posts = airflow.requests("POST", runs);
      assertThat(posts).hasSize(2);
      assertThat(body(posts.get(1))).as("the retry sends the same run id").isEqualTo(body(posts.get(0)));
      assertThat(time.sleeps()).as("one backoff").containsExactly(Duration.ofMillis(375));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aTriggerRepeatedWithItsRunIdReturnsTheExistingRunAndSaysIfItsConfDiffers(int v) {
    try (FakeAirflow airflow = airflow(v, false)) {
      String runs = airflow.api() + "/dags/" + DAG + "/dagRuns";
      airflow.on("POST", runs, v == 1 ? airflow.error(409, "Already Exists", "DAGRun with DAG ID: 'train_fraud' and DAGRun"
          + " ID: 'drift-alert-7' already exists") : json(409, "{\"detail\": {\"reason\": \"Unique constraint violation\","
          + " \"statement\": \"hidden\", \"orig_error\": \"hidden\", \"message\": \"Serious error when handling your"
          + " request. Check logs for more details - you will find it in api server when you look for ID abc\"}}"));
      airflow.on("GET", runs + "/drift-alert-7", json(200, AirflowBodies.dagRun(v, "drift-alert-7", "success", null,
          "{\"model\": \"fraud\"}")));
      TriggerResult r = airflow.client(time).trigger(DAG,
          TriggerRequest.of().withConf(Map.of("model", "fraud", "reason", "psi")).withRunId("drift-alert-7"));

      assertThat(r.existing()).isTrue();
      assertThat(r.run().state()).isEqualTo(RunState.SUCCESS);
      assertThat(r.warnings()).containsExactly("run 'drift-alert-7' already existed with another conf: {\"model\":\"fraud\"}");
      assertThat(time.sleeps()).as("a 409 is not retried").isEmpty();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void a409WhenNoRunHasTheIdIsAConflictThatSaysWhy(int v) {
    try (FakeAirflow airflow = airflow(v, false)) {
      String runs = airflow.api() + "/dags/" + DAG + "/dagRuns";
      airflow.on("POST", runs, airflow.error(409, "Already Exists", "DAGRun with DAG ID: 'train_fraud' and DAGRun logical"
          + " date: '2026-12-01 00:00:00+00:00' already exists"));
      airflow.on("GET", runs + "/r-2", airflow.error(404, "DAGRun not found", "DAGRun with DAG ID: 'train_fraud' and"
          + " DagRun ID: 'r-2' not found"));
      AirflowException e = catchThrowableOfType(AirflowException.class, () -> airflow.client(time).trigger(DAG,
          TriggerRequest.of().withRunId("r-2").withLogicalDate(Instant.parse("2026-12-01T00:00:00Z"))));

      assertThat(e.status()).isEqualTo(409);
      assertThat(e.getMessage()).isEqualTo("Airflow refused to trigger DAG 'train_fraud': a conflicting run exists (HTTP 409"
          + " from POST " + airflow.url() + runs + ", API v" + v + ": " + (v == 1 ? "Already Exists: " : "") + "DAGRun with"
          + " DAG ID: 'train_fraud' and DAGRun logical date: '2026-12-01 00:00:00+00:00' already exists), but no run has"
          + " the id 'r-2'. Another run probably has the same logical date: trigger with another logical date, or without"
          + " one.");
    }
  }
}
