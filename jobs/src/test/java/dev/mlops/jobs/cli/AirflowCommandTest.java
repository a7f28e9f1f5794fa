package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops airflow ...} end to end: the command line, a config file written to a temp folder,
 * the client, and a real HTTP server on loopback answering like Airflow. No Spark.
 */
class AirflowCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAG = "train_fraud";
  private static final String PASSWORD = "cli-pw-Xq7-secret";

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final Map<String, MockResponse> routes = new HashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();

  /** What one run of the command printed, and its exit code. */
  record Result(int exit, String out, String err) {}

  @AfterEach
  void stop() {
    server.close();
  }

  /** Starts the server; each route answers every request to it alike. */
  private void serve(Map<String, MockResponse> answers) throws IOException {
    routes.putAll(answers);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (requests) {
          requests.add(request);
        }
        String key = request.getMethod() + " " + request.getUrl().encodedPath();
        return key.equals("POST /auth/token") ? json(201, "{\"access_token\": \"cli-token-1\"}")
            : routes.getOrDefault(key, new MockResponse.Builder().code(418).body("no route for " + key).build());
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** A minimal config: a warehouse that is never opened, and Airflow at the server. */
  private Path config(int apiVersion) throws IOException {
    String url = server.url("/").toString();
    return Files.writeString(dir.resolve("airflow.yaml"), "project: cli\n"
        + "warehouse:\n  root: " + dir.resolve("warehouse") + "\n"
        + "airflow:\n"
        + "  url: " + url.substring(0, url.length() - 1) + "\n"
        + "  api-version: " + apiVersion + "\n"
        + "  user: mlops\n"
        + "  password: " + PASSWORD + "\n"
        + "  max-retries: 0\n");
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static String dag(boolean paused) {
    return "{\"dag_id\": \"" + DAG + "\", \"dag_display_name\": \"" + DAG + "\", \"is_paused\": " + paused
        + ", \"is_stale\": false, \"fileloc\": \"/opt/airflow/dags/train_fraud.py\", \"owners\": [\"mlops\"],"
        + " \"tags\": [], \"max_active_tasks\": 16, \"has_import_errors\": false}";
  }

  /** An Airflow 3 run in {@code state}; started unless queued, ended when terminal. */
  private static String dagRun(String runId, String state, String logicalDate) {
    boolean started = !state.equals("queued");
    boolean ended = state.equals("success") || state.equals("failed");
    return "{\"dag_run_id\": \"" + runId + "\", \"dag_id\": \"" + DAG + "\", \"logical_date\": "
        + (logicalDate == null ? "null" : "\"" + logicalDate + "\"") + ", \"queued_at\": \"2026-12-06T10:00:00.500000Z\","
        + " \"start_date\": " + (started ? "\"2026-12-06T10:00:05Z\"" : "null") + ", \"end_date\": "
        + (ended ? "\"2026-12-06T10:07:35.500000Z\"" : "null") + ", \"duration\": " + (ended ? "450.5" : "null")
        + ", \"data_interval_start\": null, \"data_interval_end\": null, \"run_after\": \"2026-12-06T10:00:00.500000Z\","
        + " \"last_scheduling_decision\": null, \"run_type\": \"manual\", \"state\": \"" + state + "\","
        + " \"triggered_by\": \"rest_api\", \"triggering_user_name\": \"mlops\", \"conf\": {\"model\": \"fraud\"},"
        + " \"note\": null, \"dag_versions\": [], \"bundle_version\": null, \"dag_display_name\": \"" + DAG + "\"}";
  }

  private static String task(String taskId, String state, int tryNumber) {
    return "{\"id\": \"0193a9c5-1111-7c4a-9b1e-00000000000" + tryNumber + "\", \"task_id\": \"" + taskId + "\","
        + " \"dag_id\": \"" + DAG + "\", \"dag_run_id\": \"r-1\", \"map_index\": -1, \"logical_date\": null,"
        + " \"run_after\": \"2026-12-06T10:00:00.500000Z\", \"start_date\": \"2026-12-06T10:00:05Z\","
        + " \"end_date\": \"2026-12-06T10:02:05Z\", \"duration\": 120.0, \"state\": \"" + state + "\", \"try_number\": "
        + tryNumber + ", \"max_tries\": 2, \"task_display_name\": \"" + taskId + "\", \"dag_display_name\": \"" + DAG
        + "\", \"hostname\": \"worker-1\", \"unixname\": \"airflow\", \"pool\": \"default_pool\", \"pool_slots\": 1,"
        + " \"queue\": \"default\", \"priority_weight\": 1, \"operator\": \"SparkSubmitOperator\","
        + " \"operator_name\": \"SparkSubmitOperator\", \"queued_when\": null, \"scheduled_when\": null, \"pid\": null,"
        + " \"executor\": null, \"executor_config\": \"{}\", \"note\": null, \"rendered_map_index\": null,"
        + " \"rendered_fields\": {}, \"trigger\": null, \"triggerer_job\": null, \"dag_version\": null}";
  }

  /** The cells of a {@link TablePrinter} table, header row first. */
  private static List<List<String>> cells(String table) {
    return table.lines().filter(l -> l.startsWith("|"))
        .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::strip).toList()).toList();
  }

  @Test
  void triggerPrintsTheRunAsJsonAndSendsEveryOption() throws Exception {
    serve(Map.of("GET /api/v2/dags/" + DAG, json(200, dag(false)),
        "POST /api/v2/dags/" + DAG + "/dagRuns", json(200, dagRun("r-1", "queued", "2026-12-01T00:00:00Z"))));
    var before = SparkSession.getDefaultSession();
    Result r = run("--conf", config(2).toString(), "airflow", "trigger", DAG, "--run-conf", "{\"model\": \"fraud\"}",
        "--logical-date", "2026-12-01", "--run-id", "r-1", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("dag_id").textValue()).isEqualTo(DAG);
    assertThat(json.get("run_id").textValue()).isEqualTo("r-1");
    assertThat(json.get("state").textValue()).isEqualTo("queued");
    assertThat(json.get("logical_date").textValue()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(json.get("queued_at").textValue()).isEqualTo("2026-12-06T10:00:00.500Z");
    assertThat(json.get("start_date").isNull()).isTrue();
    assertThat(json.get("conf")).isEqualTo(JSON.readTree("{\"model\": \"fraud\"}"));
    assertThat(json.get("existing").booleanValue()).isFalse();
    assertThat(json.get("unpaused").booleanValue()).isFalse();
    assertThat(json.get("warnings")).isEmpty();
    assertThat(json.has("tasks")).as("only with --wait").isFalse();
    RecordedRequest post = requests.stream().filter(q -> q.getMethod().equals("POST")
        && q.getUrl().encodedPath().endsWith("/dagRuns")).findFirst().orElseThrow();
    assertThat(JSON.readTree(post.getBody().utf8())).isEqualTo(JSON.readTree(
        "{\"dag_run_id\": \"r-1\", \"logical_date\": \"2026-12-01T00:00:00Z\", \"conf\": {\"model\": \"fraud\"}}"));
    assertThat(r.err()).contains("triggering DAG train_fraud", "triggered run r-1");
    assertThat(SparkSession.getDefaultSession()).as("no Spark session was started").isEqualTo(before);
  }

  @Test
  void triggerWithWaitPrintsTheTasksAndExitsOneWhenTheRunFailed() throws Exception {
    serve(Map.of("GET /api/v2/dags/" + DAG, json(200, dag(true)),
        "POST /api/v2/dags/" + DAG + "/dagRuns", json(200, dagRun("r-1", "queued", null)),
        "GET /api/v2/dags/" + DAG + "/dagRuns/r-1", json(200, dagRun("r-1", "failed", null)),
        "GET /api/v2/dags/" + DAG + "/dagRuns/r-1/taskInstances", json(200, "{\"task_instances\": ["
            + task("build_training_set", "success", 1) + ", " + task("train", "failed", 2) + "], \"total_entries\": 2}")));
    Result r = run("--conf", config(2).toString(), "airflow", "trigger", DAG, "--run-id", "r-1", "--wait", "--timeout", "5m");

    assertThat(r.exit()).as("the run failed").isEqualTo(1);
    assertThat(r.err()).contains("warning: DAG 'train_fraud' is paused: the run stays queued until the DAG is unpaused",
        "waiting up to 5m for run r-1 to end", "run r-1: failed");
    List<List<String>> rows = cells(r.out());
    assertThat(rows.get(0)).containsExactly("dag_id", "run_id", "state", "run_type", "logical_date", "queued_at",
        "start_date", "end_date", "duration");
    assertThat(rows.get(1)).containsExactly("train_fraud", "r-1", "failed", "manual", "NULL", "2026-12-06T10:00:00.500Z",
        "2026-12-06T10:00:05Z", "2026-12-06T10:07:35.500Z", "450.5");
    assertThat(rows.get(2)).containsExactly("task_id", "map_index", "state", "try", "start_date", "end_date", "duration",
        "operator");
    assertThat(rows.subList(3, 5)).containsExactly(
        List.of("build_training_set", "-1", "success", "1", "2026-12-06T10:00:05Z", "2026-12-06T10:02:05Z", "120.0",
            "SparkSubmitOperator"),
        List.of("train", "-1", "failed", "2", "2026-12-06T10:00:05Z", "2026-12-06T10:02:05Z", "120.0",
            "SparkSubmitOperator"));
  }

  @Test
  void statusAndTasksPrintTablesAndJson() throws Exception {
    serve(Map.of("GET /api/v2/dags/" + DAG + "/dagRuns/r-1", json(200, dagRun("r-1", "running", null)),
        "GET /api/v2/dags/" + DAG + "/dagRuns/r-1/taskInstances", json(200, "{\"task_instances\": ["
            + task("train", "running", 1) + "], \"total_entries\": 1}")));
    String conf = config(2).toString();

    Result status = run("--conf", conf, "airflow", "status", DAG, "r-1");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(cells(status.out())).element(1).asList().startsWith("train_fraud", "r-1", "running", "manual");

    Result tasks = run("--conf", conf, "airflow", "tasks", DAG, "r-1");
    assertThat(tasks.exit()).as(tasks.err()).isZero();
    assertThat(cells(tasks.out())).element(1).asList().startsWith("train", "-1", "running", "1");

    Result json = run("--conf", conf, "airflow", "tasks", DAG, "r-1", "--json");
    JsonNode t = JSON.readTree(json.out()).get("tasks").get(0);
    assertThat(t.get("task_id").textValue()).isEqualTo("train");
    assertThat(t.get("try_number").intValue()).isEqualTo(1);
    assertThat(t.get("max_tries").intValue()).isEqualTo(2);
    assertThat(t.get("duration_seconds").doubleValue()).isEqualTo(120.0);
    assertThat(JSON.readTree(run("--conf", conf, "airflow", "status", DAG, "r-1", "--json").out()).get("state").textValue())
        .isEqualTo("running");
    assertThat(requests).filteredOn(q -> !q.getUrl().encodedPath().equals("/auth/token"))
        .allSatisfy(q -> assertThat(q.getHeaders().get("Authorization")).isEqualTo("Bearer cli-token-1"));
  }

  @Test
  void anUnconfiguredAirflowNamesAirflowUrlInTheConfigFile() throws IOException {
    Path conf = Files.writeString(dir.resolve("plain.yaml"), "project: cli\nwarehouse:\n  root: " + dir.resolve("w") + "\n");
    Result r = run("--conf", conf.toString(), "airflow", "status", DAG, "r-1");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: " + conf + ": Airflow is not configured: airflow.url is not set. Add an airflow"
        + " section with url, api-version (1 for Airflow 2, 2 for Airflow 3), user and password (password:"
        + " ${AIRFLOW_PASSWORD}); see docs/AIRFLOW.md." + System.lineSeparator());
  }

  @Test
  void aRefusedLoginFailsWithOneLineThatNamesTheUserButNotThePassword() throws IOException {
    serve(Map.of("GET /api/v1/dags/" + DAG, new MockResponse.Builder().code(401).body("Unauthorized").build()));
    Result r = run("--conf", config(1).toString(), "airflow", "trigger", DAG);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: Airflow rejected the credentials of user 'mlops' (HTTP 401 from GET "
        + server.url("/api/v1/dags/train_fraud") + ", API v1 with basic auth: Unauthorized)")
        .doesNotContain(PASSWORD).doesNotContain("stack trace");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void contradictoryOrMalformedOptionsAreUsageErrors() throws IOException {
    serve(Map.of());
    String conf = config(2).toString();

    Result both = run("--conf", conf, "airflow", "trigger", DAG, "--unpause", "--require-unpaused");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("give --require-unpaused or --unpause, not both");
    Result timeout = run("--conf", conf, "airflow", "trigger", DAG, "--timeout", "5m");
    assertThat(timeout.exit()).isEqualTo(2);
    assertThat(timeout.err()).contains("--timeout needs --wait");
    Result runConf = run("--conf", conf, "airflow", "trigger", DAG, "--run-conf", "[1, 2]");
    assertThat(runConf.exit()).isEqualTo(2);
    assertThat(runConf.err()).contains("--run-conf: expected a JSON object such as {\"key\": \"value\"}, got array");
    Result date = run("--conf", conf, "airflow", "trigger", DAG, "--logical-date", "2026-12-01T00:00:00");
    assertThat(date.exit()).isEqualTo(2);
    assertThat(date.err()).contains("expected yyyy-mm-dd or a date-time with a zone such as 2026-12-01T00:00:00Z, got"
        + " \"2026-12-01T00:00:00\"");
    assertThat(requests).as("nothing was sent").isEmpty();
  }
}
