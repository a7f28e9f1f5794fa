package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.pipeline.PipelineRuns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mlops pipeline run|backfill} in this JVM on pipelines of cheap {@code sql} steps: order,
 * skip, force, from, only, retries, upstream failures, timeouts, backfill, and the rows of
 * {@code ops.pipeline_runs}.
 */
class PipelineCommandTest {
  static Path conf;
  static Path root;
  static SparkSession spark;

  /** One CLI call's outcome. */
  record Call(int code, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }

    List<String> statuses() throws Exception {
      List<String> s = new ArrayList<>();
      json().get("steps").forEach(n -> s.add(n.get("step").asText() + ":" + n.get("status").asText()));
      return s;
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    // The in-process CLI's session keeps the first warehouse it opens: the one the CLI tests share.
    CliWarehouse cli = CliWarehouse.get();
    spark = cli.warehouse.spark();
    root = cli.root;
    conf = cli.conf;
    Path pipelines = cli.pipelines;
    Files.writeString(pipelines.resolve("chain.yaml"), """
        pipeline: chain
        params: {n: "1"}
        defaults: {retries: 0, retry-delay: 0s}
        steps:
          - {id: d, after: [b], command: [sql, "SELECT {{ params.n }} AS d"]}
          - {id: c, command: [sql, "SELECT '{{ ds }}' AS c"]}
          - {id: b, after: [a], command: [sql, "SELECT '{{ macros.ds_add(ds, 1) }}' AS b"]}
          - {id: a, command: [sql, "SELECT 1 AS a"]}
        """);
    Files.writeString(pipelines.resolve("broken.yaml"), """
        pipeline: broken
        defaults: {retries: 1, retry-delay: 0s}
        steps:
          - {id: ok, command: [sql, "SELECT 1"]}
          - {id: bad, after: [ok], command: [sql, "SELECT * FROM nowhere.nothing"]}
          - {id: after_bad, after: [bad], command: [sql, "SELECT 2"]}
          - {id: independent, after: [ok], command: [sql, "SELECT 3"]}
          - {id: slow, retries: 0, timeout: 2s, command: [sql, "SELECT count(*) FROM range(0, 100000000000000, 1, 2)"]}
        """);
    Files.writeString(pipelines.resolve("ranges.yaml"), """
        pipeline: ranges
        steps:
          - {id: once, command: [sql, "SELECT '{{ ds }}'"], range-command: [sql, "SELECT '{{ start }}', '{{ end }}'"]}
          - {id: daily, after: [once], command: [sql, "SELECT '{{ ds }}'"]}
        """);
  }

  static Call mlops(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--conf", conf.toString()));
    all.addAll(List.of(args));
    int code = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), all.toArray(String[]::new));
    return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static List<Row> state(String pipeline, String date) {
    return spark.read().format("delta").load(root.resolve("ops.db/pipeline_runs").toString())
        .where("pipeline = '" + pipeline + "' AND run_date = DATE'" + date + "'")
        .orderBy("recorded_at").select("step", "attempt", "status", "error", "command").collectAsList();
  }

  @Test
  void runsInDependencyOrderThenSkipsWhatSucceededUnlessForced() throws Exception {
    Call first = mlops("pipeline", "run", "chain", "--date", "2026-12-01", "--json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.statuses()).containsExactly("c:SUCCEEDED", "a:SUCCEEDED", "b:SUCCEEDED", "d:SUCCEEDED");
    assertThat(first.json().get("steps").get(2).get("command").toString()).contains("2026-12-02");
    assertThat(first.err()).as("per-step progress").contains("step b 2026-12-01: attempt 1: mlops sql");
    assertThat(state("chain", "2026-12-01")).extracting(r -> r.getString(0) + r.getInt(1) + r.getString(2))
        .containsExactly("c1RUNNING", "c1SUCCEEDED", "a1RUNNING", "a1SUCCEEDED", "b1RUNNING", "b1SUCCEEDED", "d1RUNNING",
            "d1SUCCEEDED");
    Call again = mlops("pipeline", "run", "chain", "--date", "2026-12-01", "--json");
    assertThat(again.statuses()).containsExactly("c:SKIPPED", "a:SKIPPED", "b:SKIPPED", "d:SKIPPED");
    Call from = mlops("pipeline", "run", "chain", "--date", "2026-12-01", "--from", "b", "--force", "--json");
    assertThat(from.statuses()).containsExactly("b:SUCCEEDED", "d:SUCCEEDED");
    assertThat(state("chain", "2026-12-01")).as("a forced run is a new attempt")
        .anyMatch(r -> r.getString(0).equals("b") && r.getInt(1) == 2 && r.getString(2).equals("SUCCEEDED"));
    Call only = mlops("pipeline", "run", "chain", "--date", "2026-12-02", "--only", "c", "--param", "n=7", "--json");
    assertThat(only.statuses()).containsExactly("c:SUCCEEDED");
    Call human = mlops("pipeline", "run", "chain", "--date", "2026-12-02");
    assertThat(human.out()).contains("step", "status", "duration", "rows", "run id", "SKIPPED", "SUCCEEDED");
  }

  @Test
  void retriesAFailingStepThenStopsItsDependantsWhileOthersRunAndTimesOutASlowOne() throws Exception {
    long started = System.nanoTime();
    Call r = mlops("pipeline", "run", "broken", "--date", "2026-12-01", "--json");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.statuses()).containsExactly("ok:SUCCEEDED", "bad:FAILED", "after_bad:UPSTREAM_FAILED",
        "independent:SUCCEEDED", "slow:FAILED");
    JsonNode steps = r.json().get("steps");
    assertThat(steps.get(1).get("attempts").asInt()).as("retried once").isEqualTo(2);
    assertThat(steps.get(1).get("error").asText()).contains("nowhere");
    assertThat(steps.get(2).get("error").asText()).isEqualTo("upstream failed: bad");
    assertThat(steps.get(4).get("error").asText()).startsWith("timed out after 2s");
    assertThat(r.json().get("failed")).extracting(JsonNode::asText).containsExactly("bad", "slow");
    assertThat(r.err()).contains("error: pipeline broken: step bad failed:").contains("it stopped after_bad");
    assertThat((System.nanoTime() - started) / 1e9).as("the timeout cancelled the Spark job").isLessThan(60);
    assertThat(state("broken", "2026-12-01")).extracting(x -> x.getString(0) + x.getInt(1) + x.getString(2))
        .contains("bad1FAILED", "bad2FAILED", "after_bad0UPSTREAM_FAILED", "slow1FAILED");
    Call again = mlops("pipeline", "run", "broken", "--date", "2026-12-01", "--only", "ok", "--only", "independent", "--json");
    assertThat(again.statuses()).containsExactly("ok:SKIPPED", "independent:SKIPPED");
  }

  @Test
  void backfillRunsRangeStepsOnceThenDailyStepsDayByDay() throws Exception {
    Call r = mlops("pipeline", "backfill", "ranges", "--start", "2026-11-01", "--end", "2026-11-03", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.statuses()).containsExactly("once:SUCCEEDED", "daily:SUCCEEDED", "daily:SUCCEEDED", "daily:SUCCEEDED");
    JsonNode once = r.json().get("steps").get(0);
    assertThat(once.get("range_start").asText()).isEqualTo("2026-11-01");
    assertThat(once.get("run_date").asText()).isEqualTo("2026-11-03");
    assertThat(once.get("command").get(1).asText()).isEqualTo("SELECT '2026-11-01', '2026-11-03'");
    Call day = mlops("pipeline", "run", "ranges", "--date", "2026-11-03", "--json");
    assertThat(day.statuses()).as("the range covered the day").containsExactly("once:SKIPPED", "daily:SKIPPED");
  }

  @Test
  void listAndShowRenderTheDefinitions() throws Exception {
    Call list = mlops("pipeline", "list", "--json");
    assertThat(list.json()).extracting(n -> n.get("pipeline").asText()).containsExactly("broken", "chain", "ranges");
    Call show = mlops("pipeline", "show", "chain", "--date", "2026-12-01", "--param", "n=5");
    assertThat(show.out()).contains("SELECT 5 AS d", "SELECT '2026-12-02' AS b");
    Call unknown = mlops("pipeline", "run", "chain", "--date", "2026-12-01", "--from", "zz");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("error: --from zz: pipeline chain has no step zz");
    assertThat(PipelineRuns.TABLE_NAME).isEqualTo("ops.pipeline_runs");
  }
}
