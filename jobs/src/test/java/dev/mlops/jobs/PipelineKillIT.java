package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mlops pipeline run nightly} killed outright (SIGKILL to its JVM) while it materializes
 * a feature view, then run again for the same day: it completes the whole pipeline (materializing
 * the day again, syncing it online, scoring and monitoring it), skips what the killed run had
 * finished, and leaves every table the pipeline writes as the demo's uninterrupted run did: no
 * duplicated and no missing rows. (A second kill, while scoring, passed as well but cost another
 * launch of about a minute and a half on this machine: over the time budget.)
 */
class PipelineKillIT {
  @TempDir static Path dir;
  static dev.mlops.testkit.RedisHarness redis;

  /**
   * Row counts of the tables the nightly pipeline writes, of their rows duplicated by key, and the
   * attempts on {@code day} of the step killed and of scoring, each with its last status.
   */
  static String counts(LocalDate day) {
    return "SELECT"
      + " (SELECT count(*) FROM raw.transactions) AS raw,"
      + " (SELECT count(*) FROM features.customer_spend_v1) AS spend,"
      + " (SELECT count(*) - count(DISTINCT customer_id, feature_ts) FROM features.customer_spend_v1) AS duplicated_spend,"
      + " (SELECT count(*) FROM features.merchant_risk_v1) AS merchant,"
      + " (SELECT count(*) - count(DISTINCT merchant_id, feature_ts) FROM features.merchant_risk_v1) AS duplicated_merchant,"
      + " (SELECT count(*) FROM features.customer_profile_v1) AS profile,"
      + " (SELECT count(*) - count(DISTINCT customer_id, feature_ts) FROM features.customer_profile_v1) AS duplicated_profile,"
      + " (SELECT count(*) FROM predictions.fraud) AS predictions,"
      + " (SELECT count(*) - count(DISTINCT transaction_id, role) FROM predictions.fraud) AS duplicated_predictions,"
      + " (SELECT count(*) FROM predictions.shadow_comparisons) AS comparisons,"
      + " (SELECT count(*) - count(DISTINCT model, score_date, shadow_version) FROM predictions.shadow_comparisons)"
      + "  AS duplicated_comparisons,"
      + " (SELECT count(*) FROM monitoring.drift) AS drift,"
      + " (SELECT count(*) - count(DISTINCT subject, partition, column, metric) FROM monitoring.drift) AS duplicated_drift,"
      + " (SELECT count(*) FROM monitoring.performance) AS performance,"
      + " (SELECT count(*) - count(DISTINCT model, partition, slice_column, slice_value) FROM monitoring.performance)"
      + "  AS duplicated_performance,"
      + " (SELECT count(*) FROM monitoring.alerts) AS alerts,"
      + " (SELECT count(*) - count(DISTINCT alert_id) FROM monitoring.alerts) AS duplicated_alerts,"
      + " (SELECT count(*) - count(DISTINCT run_id, view) FROM features.materializations) AS duplicated_materializations,"
      + " (SELECT count(*) - count(DISTINCT run_id, view) FROM features.online_syncs) AS duplicated_syncs,"
      + " (SELECT count(*) - count(DISTINCT run_id, table_name, partition, suite, check) FROM validation.check_results)"
      + "  AS duplicated_checks,"
      + " (SELECT count(*) - count(DISTINCT run_id) FROM ops.runs) AS duplicated_runs,"
      + " (SELECT count(*) FROM monitoring.retraining_triggers) AS triggers,"
      + " (SELECT count(*) - count(DISTINCT pipeline, run_date, step, attempt, status) FROM ops.pipeline_runs"
      + "  WHERE status <> 'SKIPPED') AS duplicated_attempts,"
      + " (SELECT array_join(array_sort(collect_list(concat(step, ' ', attempt, ' ', status))), ', ') FROM"
      + "  (SELECT step, attempt, max_by(status, recorded_at) AS status FROM ops.pipeline_runs"
      + "   WHERE run_date = DATE'" + day + "' AND step IN ('materialize_customer_spend', 'score') AND status <> 'SKIPPED'"
      + "   GROUP BY step, attempt)) AS attempts";
  }

  /** The tables whose rows a re-run of a day replaces: as many after as before. */
  static final List<String> SAME = List.of("raw", "spend", "merchant", "profile", "predictions", "comparisons", "drift",
      "performance", "alerts", "triggers");

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  static ProcessRunner mlops(Path conf, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ItSupport.REPO.resolve("bin/mlops").toString(), "--conf", conf.toString()));
    cmd.addAll(List.of(args));
    return ProcessRunner.of(cmd).env("MLOPS_NO_BUILD", "1").env("MLOPS_JAVA_OPTS", "-Xmx1500m " + String.join(" ",
        ItSupport.CHILD_JVM));
  }

  static ProcessRunner.Result ok(ProcessRunner.Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  @Test
  void aKilledNightlyRunIsCompletedByTheNextWithoutDuplicatedOrMissingRows() throws Exception {
    redis = dev.mlops.testkit.RedisHarness.start();
    Path conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis, "");
    LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    ok(mlops(conf, "demo", "--scale", "0.004", "--start", last.minusDays(10).toString(), "--history", "7", "--days", "4")
        .run());
    LocalDate day = last.minusDays(1);
    JsonNode before = counts(conf, day);

    String killed = killDuring(conf, day, "materialize_customer_spend", "killed");
    assertThat(killed).as("the killed run validated the raw tables").contains("step validate_raw_transactions " + day
        + ": SUCCEEDED");

    ProcessRunner.Result again = ok(mlops(conf, "pipeline", "run", "nightly", "--date", day.toString(), "--json").run());
    List<String> statuses = new ArrayList<>();
    again.json().get("steps").forEach(s -> statuses.add(s.get("step").asText() + ":" + s.get("status").asText()));
    assertThat(statuses).as("the next run skips what the killed one finished, and completes the day")
        .containsExactlyInAnyOrder("validate_raw_customers:SKIPPED", "validate_raw_transactions:SKIPPED",
            "apply_features:SKIPPED", "materialize_customer_spend:SUCCEEDED", "materialize_customer_profile:SUCCEEDED",
            "materialize_merchant_risk:SUCCEEDED", "validate_features:SUCCEEDED", "online_sync:SUCCEEDED",
            "online_verify:SUCCEEDED", "score:SUCCEEDED", "validate_predictions:SUCCEEDED",
            "monitor_performance:SUCCEEDED", "monitor_matured:SUCCEEDED", "drift:SUCCEEDED");

    JsonNode after = counts(conf, day);
    for (String column : SAME) {
      assertThat(after.get(column).asLong()).as(column + ": as many rows as before the day was run again")
          .isEqualTo(before.get(column).asLong());
    }
    after.fieldNames().forEachRemaining(column -> {
      if (column.startsWith("duplicated_")) {
        assertThat(after.get(column).asLong()).as(column).isZero();
      }
    });
    assertThat(after.get("attempts").asText()).as("the killed attempt stays RUNNING; the next one succeeded")
        .isEqualTo("materialize_customer_spend 1 RUNNING, materialize_customer_spend 2 SUCCEEDED, score 1 SUCCEEDED");
  }

  /**
   * Runs the nightly pipeline for {@code day} and kills it (SIGKILL) 1.5 s after {@code step} began;
   * answers what it printed.
   */
  static String killDuring(Path conf, LocalDate day, String step, String name) throws Exception {
    Path stderr = dir.resolve(name + ".stderr");
    List<String> cmd = new ArrayList<>(List.of(ItSupport.REPO.resolve("bin/mlops").toString(), "--conf", conf.toString(),
        "pipeline", "run", "nightly", "--date", day.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(dir.resolve(name + ".stdout")
        .toFile());
    pb.environment().put("MLOPS_NO_BUILD", "1");
    pb.environment().put("MLOPS_JAVA_OPTS", "-Xmx1500m " + String.join(" ", ItSupport.CHILD_JVM));
    Process p = pb.start();
    String writing = "step " + step + " " + day + ": attempt 1";
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (p.isAlive() && !Files.readString(stderr).contains(writing) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    boolean reached = Files.readString(stderr).contains(writing);
    if (reached) {
      Thread.sleep(1500);
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor();
    String printed = Files.readString(stderr);
    assertThat(reached).as("the " + name + " run reached " + step + "; stderr: " + printed).isTrue();
    assertThat(printed).as("the " + name + " run was killed before " + step + " ended; stderr: " + printed)
        .doesNotContain("step " + step + " " + day + ": SUCCEEDED");
    return printed;
  }

  /** {@link #counts(LocalDate)}'s row. */
  static JsonNode counts(Path conf, LocalDate day) {
    return ok(mlops(conf, "sql", "--json", counts(day)).run()).json().get("rows").get(0);
  }
}
