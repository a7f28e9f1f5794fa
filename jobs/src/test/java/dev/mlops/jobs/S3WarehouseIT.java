package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import dev.mlops.testkit.RedisHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly path on an {@code s3a://} warehouse served by a real S3-compatible server (S3Mock, a
 * process of its own on loopback), run by {@code bin/mlops} as a user runs it, built with the
 * {@code s3} profile (hadoop-aws and the AWS SDK bundle on the launcher's classpath). The
 * credentials come from the environment through the config's {@code ${VAR}}. Then two writing
 * jobs race on the bucket (Delta on S3 takes one writer at a time: the warehouse's writer lease
 * refuses the second), and a test searches everything the processes printed, logged and stored for
 * the secret. The fixture runs the demo and the race once; the tests only read what they left, so
 * they hold in any order.
 */
class S3WarehouseIT {
  static final String BUCKET = "lake";
  static final String ROOT = "s3a://" + BUCKET + "/warehouse";
  static final String ACCESS_KEY = "it-access-key-4417";
  static final String SECRET = "it-Secret-Value-93XQ-never-printed";
  static final int SERVED_DAYS = 5;
  @TempDir static Path dir;
  static S3MockServer s3;
  static RedisHarness redis;
  static Path conf;
  static LocalDate lastDay;
  static JsonNode demo;
  static Race race;
  /** Every process the tests ran: the secret must be in none of their outputs. */
  static final List<ProcessRunner.Result> RESULTS = Collections.synchronizedList(new ArrayList<>());

  static ProcessRunner mlops(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ItSupport.REPO.resolve("bin/mlops").toString(), "--conf", conf.toString()));
    cmd.addAll(List.of(args));
    return ProcessRunner.of(cmd).env("MLOPS_NO_BUILD", "1").env("MLOPS_CDS", "0")
        .env("MLOPS_JAVA_OPTS", "-Xmx1500m " + String.join(" ", ItSupport.CHILD_JVM))
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", SECRET);
  }

  static ProcessRunner.Result ok(ProcessRunner.Result r) {
    RESULTS.add(r);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r;
  }

  static JsonNode sqlRow(String sql) {
    return ok(mlops("sql", "--json", sql).run()).json().get("rows").get(0);
  }

  @BeforeAll
  static void runTheNightlyPathOnS3() throws Exception {
    s3 = S3MockServer.start(ItSupport.TARGET.resolve("s3mock/s3mock-exec.jar"), dir.resolve("s3mock"));
    s3.createBucket(BUCKET);
    redis = RedisHarness.start();
    conf = ItSupport.writeConfig(dir, ROOT, "redis:\n  host: " + redis.host() + "\n  port: " + redis.port() + "\n",
        Map.of("spark.hadoop.fs.s3a.endpoint", s3.endpoint(),
            "spark.hadoop.fs.s3a.path.style.access", "true",
            "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
            "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
            "spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "spark.hadoop.fs.s3a.access.key", "${AWS_ACCESS_KEY_ID}",
            "spark.hadoop.fs.s3a.secret.key", "${AWS_SECRET_ACCESS_KEY}"));
    lastDay = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
    demo = ok(mlops("demo", "--json", "--scale", "0.008", "--start", lastDay.minusDays(11).toString(), "--history", "7",
        "--days", String.valueOf(SERVED_DAYS)).run()).json();
    race = raceTwoWritingJobs();
  }

  /**
   * What two materializations started on the warehouse at once left: the counts before and after,
   * who held the writer lease while the first ran, the refused second job, and whether the lease
   * was left behind.
   */
  record Race(JsonNode before, String holder, ProcessRunner.Result second, boolean leaseLeft, JsonNode after) {}

  static final String COUNTS = "SELECT (SELECT count(*) FROM features.customer_spend_v1) AS spend,"
      + " (SELECT count(*) FROM (SELECT DISTINCT * FROM features.customer_spend_v1)) AS distinct_spend,"
      + " (SELECT count(*) FROM ops.runs) AS runs";

  /** Starts a materialization, and a second one once the first holds the warehouse's writer lease. */
  static Race raceTwoWritingJobs() throws Exception {
    JsonNode before = sqlRow(COUNTS);
    String key = dev.mlops.core.runs.SingleWriterLease.key(ROOT);
    String[] materialize = {"features", "materialize", "--view", "customer_spend", "--end", lastDay.toString()};
    ProcessRunner.Running first = mlops(materialize).start();
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(redis.host(), redis.port())) {
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
      while (!jedis.exists(key) && first.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String holder = jedis.get(key);
      ProcessRunner.Result second = mlops(materialize).run();
      RESULTS.add(second);
      ok(first.await());
      return new Race(before, holder, second, jedis.exists(key), sqlRow(COUNTS));
    }
  }

  @AfterAll
  static void stopServers() {
    if (s3 != null) {
      s3.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void theNightlyPathWroteEveryTableToTheBucketAndANewProcessReadsThemBack() throws Exception {
    long generated = demo.get("transactions").asLong();
    assertThat(generated).isPositive();
    assertThat(demo.get("online").get("mismatches").asLong()).isZero();
    long quarantined = 0;
    for (JsonNode v : demo.get("validations")) {
      if (v.get("table").asText().equals("raw.transactions")) {
        quarantined = v.get("quarantined").asLong();
      }
    }
    JsonNode row = sqlRow("SELECT (SELECT count(*) FROM raw.transactions) AS transactions,"
        + " (SELECT count(*) FROM raw.transactions VERSION AS OF 0) AS v0,"
        + " (SELECT count(*) FROM features.customer_spend_v1) AS spend,"
        + " (SELECT count(DISTINCT score_date) FROM predictions.fraud) AS scored_days,"
        + " (SELECT count_if(role = 'production') FROM predictions.fraud) AS served,"
        + " (SELECT count(*) FROM raw.transactions WHERE date > DATE'" + lastDay.minusDays(SERVED_DAYS) + "') AS to_serve,"
        + " (SELECT count(DISTINCT partition) FROM monitoring.drift) AS drift_days,"
        + " (SELECT count(*) FROM ml.model_versions WHERE model = 'fraud' AND stage = 'Production') AS production,"
        + " (SELECT count_if(status <> 'SUCCEEDED') FROM ops.runs) AS failed_runs");
    assertThat(row.get("v0").asLong()).isEqualTo(generated);
    assertThat(row.get("transactions").asLong()).as("the planted bad rows went to quarantine").isEqualTo(generated - quarantined);
    assertThat(row.get("spend").asLong()).isPositive();
    assertThat(row.get("scored_days").asLong()).isEqualTo(SERVED_DAYS);
    assertThat(row.get("served").asLong()).as("every served transaction scored once").isEqualTo(row.get("to_serve").asLong());
    assertThat(row.get("drift_days").asLong()).isEqualTo(SERVED_DAYS);
    assertThat(row.get("production").asLong()).isEqualTo(1);
    assertThat(row.get("failed_runs").asLong()).isZero();

    JsonNode location = sqlRow("DESCRIBE DETAIL predictions.fraud");
    assertThat(location.get("location").asText()).isEqualTo(ROOT + "/predictions.db/fraud");
    assertThat(s3.list(BUCKET, "warehouse/predictions.db/fraud/_delta_log/")).contains("00000000000000000000.json");
    assertThat(dir.resolve("warehouse")).as("nothing written to a local folder instead").doesNotExist();
  }

  @Test
  void aSecondWritingJobFailsClearlyWhileOneWritesAndNothingIsLost() {
    assertThat(race.holder()).as("the first job holds the warehouse's lease").startsWith("job features.materialize, process");
    assertThat(race.second().exitCode()).as(race.second().describe()).isEqualTo(1);
    assertThat(race.second().stderr()).contains("error: Cannot start features.materialize on the warehouse " + ROOT
        + ": another job is writing to it (job features.materialize, process", "one writing process at a time");
    assertThat(race.leaseLeft()).as("released at the end").isFalse();
    assertThat(race.after().get("spend").asLong()).as("re-materialized, replaced").isEqualTo(race.before().get("spend")
        .asLong()).isEqualTo(race.after().get("distinct_spend").asLong());
    assertThat(race.after().get("runs").asLong()).as("the first job's run; the refused one wrote nothing")
        .isEqualTo(race.before().get("runs").asLong() + 1);
  }

  @Test
  void theSecretIsInNoOutputLogStoredSpecOrCommitInfo() throws Exception {
    // What the jobs stored about themselves, read back: it goes through the check of stdout below.
    // Spark's SET lists the session's settings, the s3a keys among them: an analyst's first look.
    Path script = Files.writeString(dir.resolve("stored.sql"), String.join(";\n",
        "SELECT to_json(struct(*)) AS j FROM ops.runs", "SELECT to_json(struct(*)) AS j FROM ml.model_versions",
        "DESCRIBE HISTORY raw.transactions", "SET", "SET spark.hadoop.fs.s3a.secret.key") + ";\n");
    ProcessRunner.Result stored = ok(mlops("sql", "--json", "-f", script.toString()).run());
    assertThat(stored.stdout()).contains("features.materialize", "spark.hadoop.fs.s3a.access.key");
    assertThat(RESULTS).hasSizeGreaterThan(4).allSatisfy(r -> {
      assertThat(r.stdout()).doesNotContain(SECRET);
      assertThat(r.stderr()).doesNotContain(SECRET);
    });
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertThat(files).as("the bucket's objects, S3Mock's log, reports and logs").hasSizeGreaterThan(100);
    assertThat(files).filteredOn(f -> contains(f, secret)).isEmpty();
  }

  private static boolean contains(Path file, byte[] needle) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      outer:
      for (int i = 0; i + needle.length <= bytes.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (bytes[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
