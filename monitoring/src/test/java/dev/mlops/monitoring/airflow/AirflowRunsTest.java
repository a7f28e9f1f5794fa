package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.AirflowBodies.DAG;
import static dev.mlops.monitoring.airflow.AirflowBodies.task;
import static dev.mlops.monitoring.airflow.AirflowBodies.taskPage;
import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AirflowRunsTest {
  private static final String RUN = "mlops__2026-12-01T00:00:00Z__0a1b2c3d4e5f";
  private final FakeTime time = new FakeTime();

  private static String run(int v, String state) {
    return AirflowBodies.dagRun(v, RUN, state, "2026-12-01T00:00:00", "{\"model\": \"fraud\"}");
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void aRunIsReadWithItsStateDatesAndConf(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN, json(200, run(v, "success")));
      DagRun r = airflow.client(time).run(DAG, RUN);

      assertThat(r.dagId()).isEqualTo(DAG);
      assertThat(r.runId()).isEqualTo(RUN);
      assertThat(r.state()).isEqualTo(RunState.SUCCESS);
      assertThat(r.state().isTerminal()).isTrue();
      assertThat(r.runType()).isEqualTo("manual");
      assertThat(r.logicalDate()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
      assertThat(r.startDate()).isEqualTo(Instant.parse("2026-12-06T10:00:05.123456Z"));
      assertThat(r.endDate()).isEqualTo(Instant.parse("2026-12-06T10:07:35.623456Z"));
      assertThat(r.duration()).isEqualTo(Duration.ofMillis(450_500));
      assertThat(r.conf()).containsExactly(java.util.Map.entry("model", "fraud"));
      assertThat(airflow.requests("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN))
          .as("the run id is one path segment, its ':' kept").hasSize(1);
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void tasksAreReadPageByPageUntilTotalEntries(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      String path = airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN + "/taskInstances";
      // Airflow caps the page at [api] maximum_page_limit, which may be below what the client asks.
      airflow.on("GET", path,
          json(200, taskPage(3, task(v, RUN, "build_training_set", "success", 1, true),
              task(v, RUN, "train", "up_for_retry", 1, true))),
          json(200, taskPage(3, task(v, RUN, "register", v == 1 ? "none" : null, 0, false))));
      List<TaskInstance> tasks = airflow.client(time).tasks(DAG, RUN);

      assertThat(airflow.requests("GET", path)).extracting(r -> r.getUrl().query())
          .containsExactly("limit=100&offset=0", "limit=100&offset=2");
      assertThat(tasks).extracting(TaskInstance::taskId).containsExactly("build_training_set", "train", "register");
      assertThat(tasks).extracting(TaskInstance::state)
          .as("Airflow 2's \"none\" and Airflow 3's null are both no status yet")
          .containsExactly(TaskState.SUCCESS, TaskState.UP_FOR_RETRY, TaskState.NO_STATUS);
      TaskInstance train = tasks.get(1);
      assertThat(train.tryNumber()).isEqualTo(1);
      assertThat(train.maxTries()).isEqualTo(2);
      assertThat(train.mapIndex()).isEqualTo(-1);
      assertThat(train.startDate()).isEqualTo(Instant.parse("2026-12-06T10:00:05.123456Z"));
      assertThat(train.endDate()).isEqualTo(Instant.parse("2026-12-06T10:07:35.623456Z"));
      assertThat(train.duration()).isEqualTo(Duration.ofMillis(450_500));
      assertThat(train.operator()).isEqualTo("SparkSubmitOperator");
      TaskInstance register = tasks.get(2);
      assertThat(register.startDate()).isNull();
      assertThat(register.duration()).isNull();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void waitingPollsWithBackoffUntilTheRunSucceeds(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN, json(200, run(v, "queued")),
          json(200, run(v, "running")), json(200, run(v, "running")), json(200, run(v, "success")));
      List<RunState> changes = new ArrayList<>();
      DagRun r = airflow.client(time).waitFor(DAG, RUN, Duration.ofMinutes(10), run -> changes.add(run.state()));

      assertThat(r.state()).isEqualTo(RunState.SUCCESS);
      assertThat(changes).as("each state once").containsExactly(RunState.QUEUED, RunState.RUNNING, RunState.SUCCESS);
      assertThat(time.sleeps()).as("exponential from 2s").containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4),
          Duration.ofSeconds(8));
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void waitingReturnsAFailedRunAsItIs(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN, json(200, run(v, "running")),
          json(200, run(v, "failed")));
      DagRun r = airflow.client(time).waitFor(DAG, RUN, Duration.ofMinutes(10), run -> {});

      assertThat(r.state()).isEqualTo(RunState.FAILED);
      assertThat(r.state().isTerminal()).isTrue();
    }
  }

  @ParameterizedTest(name = "API v{0}")
  @ValueSource(ints = {1, 2})
  void waitingGivesUpAtTheTimeoutNamingTheRunAndItsLastState(int v) {
    try (FakeAirflow airflow = new FakeAirflow(v)) {
      airflow.on("GET", airflow.api() + "/dags/" + DAG + "/dagRuns/" + RUN, json(200, run(v, "running")));
      HttpAirflowClient client = HttpAirflowClient.builder(airflow.config()).clock(time).sleeper(time)
          .pollIntervals(Duration.ofSeconds(5), Duration.ofSeconds(20)).build();
      AirflowException e = catchThrowableOfType(AirflowException.class,
          () -> client.waitFor(DAG, RUN, Duration.ofSeconds(60), run -> {}));

      assertThat(time.sleeps()).as("capped at 20s, the last one cut to the deadline").containsExactly(Duration.ofSeconds(5),
          Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(5));
      assertThat(airflow.requests()).extracting(RecordedRequest::getMethod).filteredOn("GET"::equals).hasSize(6);
      assertThat(e.getMessage()).isEqualTo("DAG run '" + RUN + "' of DAG 'train_fraud' did not end within the 1m waited for"
          + " it: it is still running. Wait longer (--timeout), or follow it with mlops airflow status"
          + " train_fraud " + RUN + ".");
    }
  }
}
