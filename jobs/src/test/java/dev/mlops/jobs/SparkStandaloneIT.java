package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real Spark cluster: a standalone Master and Worker in JVMs of their own, the
 * demo (demo data, then the nightly pipeline's steps: validation, materialization, online sync and
 * verification, the retraining pipeline's training, scoring and monitoring) submitted with {@code
 * spark-submit --master spark://... --deploy-mode client}, then a query of the tables it wrote,
 * submitted the same way. The executors run in JVMs the Worker started, so that what a local
 * master hides shows: closures and classes that do not serialize, state that exists on the driver
 * alone, classes that the job jar does not bring to the executors, flags that executors lack. The
 * submissions use Kryo for {@code spark.serializer} and executors in another time zone than the
 * driver's (see {@link StandaloneCluster#submit}): under Kryo, sketch states reached the driver
 * empty and records failed to serialize until the library handled both. About 3 minutes (176 s on
 * the shared 2 cores): the demo at scale 0.004 takes about 2.5 of them.
 */
class SparkStandaloneIT {
  @TempDir static Path dir;
  static dev.mlops.testkit.RedisHarness redis;
  static StandaloneCluster cluster;
  /** The days the demo scores and monitors, after its 7 of history. */
  static final int SERVED_DAYS = 4;

  @BeforeAll
  static void startTheCluster() throws Exception {
    redis = dev.mlops.testkit.RedisHarness.start();
    cluster = StandaloneCluster.start(dir.resolve("cluster"));
  }

  @AfterAll
  static void stopTheCluster() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  static ProcessRunner.Result ok(StandaloneCluster.Submitted s) {
    assertThat(s.result().exitCode()).as(s.result().describe() + "\n" + cluster.logs()).isZero();
    return s.result();
  }

  @Test
  void theDemoPipelinesRunOnAStandaloneClusterWithExecutorsInTheirOwnJvms() throws Exception {
    Path conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis, "");
    LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    StandaloneCluster.Submitted demo = cluster.submit("mlops-demo", conf, "demo", "--json", "--scale", "0.004", "--start",
        last.minusDays(SERVED_DAYS + 6).toString(), "--history", "7", "--days", String.valueOf(SERVED_DAYS));
    JsonNode summary = ok(demo).json();
    long generated = summary.get("transactions").asLong();
    assertThat(generated).isEqualTo(4000);
    assertThat(summary.get("online").get("written").asLong()).as("executors wrote the features to Redis").isPositive();
    assertThat(summary.get("online").get("mismatches").asLong()).isZero();
    Map<String, JsonNode> validations = new LinkedHashMap<>();
    summary.get("validations").forEach(v -> validations.put(v.get("table").asText(), v));
    assertThat(validations.keySet()).containsExactly("raw.customers", "raw.transactions", "features.customer_spend_v1",
        "predictions.fraud");
    long quarantined = validations.get("raw.transactions").get("quarantined").asLong();
    JsonNode drift = summary.get("monitoring").get("drift");
    assertThat(drift.get("partitions")).as("drift of every served day").hasSize(SERVED_DAYS);
    assertThat(Path.of(java.net.URI.create(drift.get("report").asText()))).as("the drift report").isNotEmptyFile();

    StandaloneCluster.Submitted sql = cluster.submit("mlops-sql", conf, "sql", "--json", "SELECT"
        + " (SELECT count(*) FROM raw.transactions) AS raw,"
        + " (SELECT count(*) FROM features.customer_spend_v1) AS spend,"
        + " (SELECT count(*) FROM features.merchant_risk_v1) AS merchant,"
        + " (SELECT count(*) FROM features.customer_profile_v1) AS profile,"
        + " (SELECT concat_ws(',', sort_array(collect_list(concat('v', version, ' ', stage)))) FROM ml.model_versions"
        + "  WHERE model = 'fraud') AS versions,"
        + " (SELECT count_if(role = 'production') FROM predictions.fraud) AS served,"
        + " (SELECT count_if(role = 'shadow') FROM predictions.fraud) AS shadow,"
        + " (SELECT count(DISTINCT score_date) FROM predictions.fraud) AS scored_days,"
        + " (SELECT count_if(score IS NULL OR score < 0 OR score > 1) FROM predictions.fraud) AS bad_scores,"
        + " (SELECT count(*) FROM raw.transactions WHERE date > DATE'" + last.minusDays(SERVED_DAYS) + "') AS served_rows,"
        + " (SELECT count(*) FROM monitoring.drift) AS drift,"
        + " (SELECT count(*) FROM monitoring.performance) AS performance,"
        + " (SELECT count(*) FROM features.online_syncs) AS syncs,"
        + " (SELECT count_if(status = 'FAILED') FROM ops.pipeline_runs) AS failed_steps");
    JsonNode row = ok(sql).json().get("rows").get(0);
    assertThat(row.get("raw").asLong()).as("the planted bad rows went to quarantine").isEqualTo(generated - quarantined);
    assertThat(List.of(row.get("spend").asLong(), row.get("merchant").asLong(), row.get("profile").asLong()))
        .as("every feature table has rows").allMatch(n -> n > 0);
    assertThat(row.get("versions").asText()).as("the model trained, gated and promoted twice, and the challenger")
        .isEqualTo("v1 Archived,v2 Production,v3 Staging");
    assertThat(row.get("served").asLong()).as("every served transaction scored").isEqualTo(row.get("served_rows").asLong())
        .isEqualTo(row.get("shadow").asLong()).isPositive();
    assertThat(row.get("scored_days").asLong()).isEqualTo(SERVED_DAYS);
    assertThat(row.get("bad_scores").asLong()).isZero();
    assertThat(row.get("drift").asLong()).isPositive();
    assertThat(row.get("performance").asLong()).isPositive();
    assertThat(row.get("syncs").asLong()).isPositive();
    assertThat(row.get("failed_steps").asLong()).isZero();
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(redis.host(), redis.port())) {
      assertThat(jedis.dbSize()).as("feature keys in Redis").isPositive();
    }

    assertRanOnExecutorsOfTheirOwn("mlops-demo", demo.driverPid());
    assertRanOnExecutorsOfTheirOwn("mlops-sql", sql.driverPid());
  }

  private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

  /**
   * The Master lists the application {@code name} as finished, and the Worker started executors
   * for it: JVMs other than the driver's that registered with the driver and ran its tasks.
   */
  static void assertRanOnExecutorsOfTheirOwn(String name, long driverPid) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode app : cluster.masterState().path("completedapps")) {
      if (name.equals(app.path("name").asText())) {
        assertThat(app.path("state").asText()).as(name).isEqualTo("FINISHED");
        ids.add(app.path("id").asText());
      }
    }
    assertThat(ids).as("the master ran " + name + " once").hasSize(1);
    List<Path> logs = cluster.executorLogs(ids.get(0));
    assertThat(logs).as("executors of " + name).isNotEmpty();
    long tasks = 0;
    for (Path log : logs) {
      String text = Files.readString(log);
      Matcher pid = EXECUTOR_PID.matcher(text);
      assertThat(pid.find()).as(log + ":\n" + text).isTrue();
      assertThat(Long.parseLong(pid.group(1))).as("an executor JVM apart from the driver's").isNotEqualTo(driverPid);
      assertThat(text).contains("Successfully registered with driver");
      assertThat(text).as("a task that failed on an executor, even one retried to success:\n" + text)
          .doesNotContain("Exception in task");
      tasks += text.lines().filter(l -> l.contains("Finished task")).count();
    }
    assertThat(tasks).as("tasks the executors of " + name + " ran").isPositive();
  }
}
