package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testkit.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The nightly job as a scheduler runs it, the demo under {@code spark-submit} from the job jar,
 * then {@code bin/mlops} as a user runs it on that warehouse: each call a new process.
 *
 * <p>The tests run two at a time, as users' processes do. Those that change what others read
 * hold a lock: {@link #FEATURE_TABLES} (re-materializing a view) and {@link #ONLINE_STORE}
 * (syncing and tampering with Redis).
 */
@Execution(ExecutionMode.CONCURRENT)
class LauncherIT {
  /** The demo's feature tables: a re-materialization writes them. */
  static final String FEATURE_TABLES = "demo feature tables";
  /** The online store and its sync state. */
  static final String ONLINE_STORE = "demo online store";
  @TempDir static Path dir;
  static Path conf;
  static long generated;
  static long quarantined;
  static dev.mlops.testkit.RedisHarness redis;
  /**
   * The days the demo scores and monitors, after its history: enough for the first ones' fraud
   * reports to have all arrived (20 days) by the end, four of them drifted.
   */
  static final int SERVED_DAYS = 25;
  /** The demo's last day: set just before it runs, to yesterday, so that the online store's TTLs hold. */
  static java.time.LocalDate lastDay;

  static ProcessRunner mlops(Path config, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ItSupport.REPO.resolve("bin/mlops").toString(), "--conf", config.toString()));
    cmd.addAll(List.of(args));
    return ProcessRunner.of(cmd).env("MLOPS_NO_BUILD", "1").env("MLOPS_JAVA_OPTS", "-Xmx1500m " + String.join(" ", ItSupport.CHILD_JVM));
  }

  /**
   * The demo's size and days: 80,000 transactions over the 81 days to {@code last}, the default 56
   * of history (the model trains on their last days) and {@link #SERVED_DAYS}.
   */
  static List<String> demo(java.time.LocalDate last) {
    return List.of("--scale", "0.08", "--start", last.minusDays(55 + SERVED_DAYS).toString(), "--history", "56", "--days",
        String.valueOf(SERVED_DAYS));
  }

  /**
   * Demo data for a test that needs tables but not the model's figures: 10,000 transactions over
   * the same days.
   */
  static List<String> smallDemo(java.time.LocalDate last) {
    List<String> args = new ArrayList<>(demo(last));
    args.set(1, "0.01");
    return args;
  }

  /** The arguments of {@code a}, then those of {@code b}. */
  static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  static ProcessRunner.Result ok(ProcessRunner.Result r) {
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stderr()).as("a JVM whose code cache is full stops compiling and runs interpreted").doesNotContain("CodeCache is full");
    return r;
  }

  static JsonNode sqlRow(String sql) throws Exception {
    ProcessRunner.Result r = ok(mlops(conf, "sql", "--json", sql).run());
    return r.json().get("rows").get(0);
  }

  @org.junit.jupiter.api.AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeAll
  static void generateTheDemoData() throws Exception {
    redis = dev.mlops.testkit.RedisHarness.start();
    conf = ItSupport.writeConfig(dir, dir.resolve("warehouse"), redis, "");
    // While the demo runs under spark-submit, one bin/mlops process records the launcher's
    // class-data archive, so that the tests' processes start from it instead of each recording one.
    ProcessRunner.Running warmUp = mlops(ItSupport.writeConfig(dir.resolve("warm-up"), dir.resolve("warm-up/warehouse"), ""),
        "sql", "SELECT 1").start();
    lastDay = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
    ProcessRunner.Result demo = ok(ItSupport.submit(ItSupport.LONG_JVM, conf, concat(List.of("demo", "--json"), demo(lastDay))));
    ok(warmUp.await());
    JsonNode summary = demo.json();
    generated = summary.get("transactions").asLong();
    assertThat(generated).isEqualTo(80_000);
    assertThat(summary.get("online").get("written").asLong()).as("executors wrote to Redis from the job jar").isPositive();
    assertThat(summary.get("online").get("mismatches").asLong()).isZero();
    Map<String, JsonNode> validations = new java.util.LinkedHashMap<>();
    summary.get("validations").forEach(v -> validations.put(v.get("table").asText(), v));
    assertThat(validations.keySet()).as("the demo validates the raw tables, the features and the predictions")
        .containsExactly("raw.customers", "raw.transactions", "features.customer_spend_v1", "predictions.fraud");
    quarantined = validations.get("raw.transactions").get("quarantined").asLong();
    long served = summary.get("scored").get("rows_by_role").get("production").asLong();
    assertThat(validations.get("predictions.fraud").get("rows").asLong()).as("every served row, production and shadow")
        .isEqualTo(2 * served);
    JsonNode monitoring = summary.get("monitoring");
    assertThat(monitoring.get("performance").get("partitions")).as("performance of every served day").hasSize(SERVED_DAYS);
    JsonNode drift = monitoring.get("drift");
    assertThat(drift.get("partitions")).as("drift of every served day").hasSize(SERVED_DAYS);
    // The fraud changes its pattern four days before the last matured served day: the matured days of
    // the drift breach the rollback bound, and the dry-run policy records a rollback to v1, once.
    JsonNode rollback = monitoring.get("rollback");
    assertThat(rollback.get("action").asText()).as(rollback.toString()).isEqualTo("dry_run");
    assertThat(rollback.get("from_version").asInt()).isEqualTo(2);
    assertThat(rollback.get("to_version").asInt()).isEqualTo(1);
    assertThat(rollback.get("alert_ids")).as("one alert per breaching matured day").hasSize(3);
    assertThat(rollback.get("reason").asText()).contains("monitoring.rollback in ", "roc_auc of v2 past",
        "3 consecutive matured days", "dry run, not rolled back");
    assertThat(monitoring.get("matured_performance").get("rollback").get("action").asText())
        .as("the nightly catch-up finds the same alerts decided").isEqualTo("already_decided");
    assertThat(Path.of(java.net.URI.create(drift.get("report").asText()))).as("the drift report").isNotEmptyFile();
    assertThat(demo.stderr()).as("progress goes to stderr").contains("writing raw.transactions", "measuring drift of model fraud");
  }

  @Test
  void theJobJarBringsEverythingButSparkAndAnswersSqlUnderSparkSubmit() throws Exception {
    String classpath = Files.readString(ItSupport.TARGET.resolve("spark.classpath"));
    assertThat(classpath).as("the submit JVM has Spark but neither Delta nor our code")
        .contains("spark-sql_2.13-4.1.0.jar").doesNotContain("delta-spark").doesNotContain("mlops-core");
    ProcessRunner.Result sql = ok(ItSupport.submit(conf, "sql", "--json",
        "SELECT (SELECT count(*) FROM raw.transactions VERSION AS OF 0) AS v0, (SELECT count(*) FROM predictions.fraud) AS p"));
    JsonNode row = sql.json().get("rows").get(0);
    assertThat(row.get("v0").asLong()).isEqualTo(generated);
    assertThat(row.get("p").asLong()).isPositive();
  }

  @Test
  void aNewProcessQueriesTheDemoTablesByNameWithTimeTravel() throws Exception {
    // Large pages asked for where none are configured (as on this machine class): the JVM logs a
    // warning at start, which HotSpot writes to stdout by default. bin/jvm.options sends it to
    // stderr, and stdout stays JSON.
    ProcessRunner.Result sql = ok(mlops(conf, "sql", "--json", "SELECT (SELECT count(*) FROM raw.transactions) AS n,"
        + " (SELECT count(*) FROM raw.transactions VERSION AS OF 0) AS v0,"
        + " (SELECT count(*) FROM ops.runs WHERE job = 'demo' AND status = 'SUCCEEDED') AS runs")
        .env("MLOPS_JAVA_OPTS", "-Xmx1500m " + String.join(" ", ItSupport.CHILD_JVM) + " -XX:+UseLargePages").run());
    JsonNode row = sql.json().get("rows").get(0);
    assertThat(sql.stderr()).as("the JVM's warning").contains("[warning][pagesize] UseLargePages disabled");
    assertThat(sql.stdout()).doesNotContain("[warning]").doesNotContain("UseLargePages");
    assertThat(row.get("n").asLong()).as("the planted bad rows went to quarantine").isEqualTo(generated - quarantined);
    assertThat(row.get("v0").asLong()).isEqualTo(generated);
    assertThat(row.get("runs").asLong()).isGreaterThanOrEqualTo(1);
    ProcessRunner.Result tables = ok(mlops(conf, "sql", "SHOW TABLES IN raw").run());
    assertThat(tables.stdout()).contains("transactions", "fraud_labels", "customers", "merchants", "4 rows");
  }

  @Test
  void severalProcessesUseTheCatalogAtOnceWhileOneWritesAndEachReadsOneWholeVersion() throws Exception {
    // A warehouse of its own: the writer rewrites the raw data, which the other tests read.
    Path own = ItSupport.writeConfig(dir.resolve("concurrent"), dir.resolve("concurrent/warehouse"), "");
    ok(mlops(own, concat(List.of("demo", "--data-only"), smallDemo(lastDay))).run());
    String snapshot = "SELECT count(*) AS n, sum(amount) AS total FROM raw.transactions";
    JsonNode before = ok(mlops(own, "sql", "--json", snapshot).run()).json().get("rows").get(0);
    // Another seed: the same number of rows with other amounts. A reader of the latest version sees
    // the old rows or the new ones, never a mixture, however the commits and reads interleave.
    ProcessRunner.Running writer = mlops(own, concat(List.of("demo", "--data-only", "--seed", "43"), smallDemo(lastDay)))
        .start();
    List<JsonNode> read = new ArrayList<>();
    ProcessRunner.Running customers = mlops(own, "sql", "--json", "SELECT count(*) AS n FROM raw.customers").start();
    while (writer.isAlive() && read.size() < 2) {
      read.add(ok(mlops(own, "sql", "--json", snapshot).run()).json().get("rows").get(0));
    }
    ProcessRunner.Result w = ok(writer.await());
    JsonNode after = ok(mlops(own, "sql", "--json", snapshot).run()).json().get("rows").get(0);
    assertThat(before.get("total").asDouble()).as("the seeds give other amounts").isNotEqualTo(after.get("total").asDouble());
    assertThat(read).as("reads while the writer committed").isNotEmpty().allSatisfy(r -> {
      assertThat(r.get("n").asLong()).isEqualTo(before.get("n").asLong());
      assertThat(r.get("total").asDouble()).as("a whole version: all old rows or all new ones")
          .isIn(before.get("total").asDouble(), after.get("total").asDouble());
    });
    assertThat(ok(customers.await()).json().get("rows").get(0).get("n").asLong()).isPositive();
    assertThat(w.stdout()).contains("transactions");
  }

  @Test
  @ResourceLock(value = FEATURE_TABLES, mode = ResourceAccessMode.READ)
  void theDemosFeatureViewsAreListedDescribedAndJoinedPointInTime() throws Exception {
    ProcessRunner.Result list = ok(mlops(conf, "features", "list", "--json").run());
    JsonNode views = list.json().get("views");
    assertThat(views).extracting(v -> v.get("view").asText())
        .containsExactlyInAnyOrder("customer_profile", "customer_spend", "merchant_risk");
    for (JsonNode v : views) {
      assertThat(v.get("materialized").asText()).as(v.get("view").asText()).endsWith(lastDay.toString());
    }
    ProcessRunner.Result describe = ok(mlops(conf, "features", "describe", "customer_spend").run());
    assertThat(describe.stdout()).contains("customer_spend v1 (aggregation)", "fraud-team@example.com", "txn_count_1h",
        "features.customer_spend_v1", "ttl:          30d");

    ProcessRunner.Result historical = ok(mlops(conf, "features", "historical", "--json", "--service", "fraud_detection",
        "--spine", "raw.transactions", "--out", "ml.demo_training_set").run());
    JsonNode h = historical.json();
    assertThat(h.get("rows").asLong()).isEqualTo(generated - quarantined);
    assertThat(h.get("pins")).hasSize(3);
    JsonNode row = sqlRow("SELECT count(*) AS n, count(customer_spend__txn_count_7d) AS with_features,"
        + " (SELECT count(*) FROM features.training_sets WHERE output = 'ml.demo_training_set') AS lineage"
        + " FROM ml.demo_training_set");
    assertThat(row.get("n").asLong()).isEqualTo(generated - quarantined);
    assertThat(row.get("with_features").asLong()).isPositive();
    assertThat(row.get("lineage").asLong()).isEqualTo(1);

    ProcessRunner.Result missing = mlops(conf, "features", "materialize", "--view", "nope", "--end", lastDay.toString()).run();
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("error: Feature view nope is not defined in the feature repository");
  }

  @Test
  @ResourceLock(FEATURE_TABLES)
  void theDemosFraudModelIsInProductionWithLineageACardAndReproducesAfterTheFeaturesChange() throws Exception {
    JsonNode versions = ok(mlops(conf, "models", "list", "--json").run()).json();
    assertThat(versions).extracting(v -> v.get("model").asText() + " v" + v.get("version").asInt() + " "
        + v.get("stage").asText()).containsExactly("fraud v1 Archived", "fraud v2 Production", "fraud v3 Staging");
    JsonNode lineage = sqlRow("SELECT count(*) AS pins, min(p.delta_version) AS oldest,"
        + " (SELECT count(*) FROM ml.model_events WHERE event = 'approve' AND actor = 'policy:auto') AS approvals"
        + " FROM ml.model_versions LATERAL VIEW explode(feature_pins) x AS p WHERE model = 'fraud' AND stage = 'Production'");
    assertThat(lineage.get("pins").asLong()).isEqualTo(3);
    assertThat(lineage.get("approvals").asLong()).as("two versions promoted in turn").isEqualTo(2);
    JsonNode rollbacks = sqlRow("SELECT count(*) AS decisions, max(action) AS action, max(to_version) AS target,"
        + " (SELECT count(*) FROM ml.model_events WHERE event = 'rollback') AS made,"
        + " (SELECT count(*) FROM monitoring.alerts WHERE `column` = 'rollback:v2') AS alerts FROM monitoring.rollbacks");
    assertThat(rollbacks.get("decisions").asLong()).as("the dry-run rollback, recorded once").isEqualTo(1);
    assertThat(rollbacks.get("action").asText()).isEqualTo("dry_run");
    assertThat(rollbacks.get("target").asInt()).isEqualTo(1);
    assertThat(rollbacks.get("made").asLong()).as("a dry run rolls nothing back").isZero();
    assertThat(rollbacks.get("alerts").asLong()).isEqualTo(3);
    ProcessRunner.Result card = ok(mlops(conf, "models", "card", "models:/fraud/Production").run());
    assertThat(card.stdout()).contains("# Model card: fraud v2", "## Gate: passed", "policy:auto", "## Limitations");

    ok(mlops(conf, "features", "materialize", "--view", "customer_spend", "--end", lastDay.toString()).run());
    ProcessRunner.Result reproduce = ok(mlops(conf, "models", "reproduce", "fraud", "2").run());
    assertThat(reproduce.stdout()).contains("fraud v2: REPRODUCED", "differing: 0");

    // The re-materialization removed the files of the pinned version: a vacuum that would delete them is refused.
    Path unchecked = ItSupport.writeConfig(dir.resolve("vacuum"), dir.resolve("warehouse"), "redis:\n  host: " + redis.host()
        + "\n  port: " + redis.port() + "\n", java.util.Map.of("spark.databricks.delta.retentionDurationCheck.enabled", "false"));
    ProcessRunner.Result vacuum = mlops(unchecked, "features", "vacuum", "--view", "customer_spend", "--retain", "0h").run();
    assertThat(vacuum.exitCode()).as(vacuum.describe()).isEqualTo(1);
    assertThat(vacuum.stderr()).contains("Cannot vacuum features.customer_spend_v1", "pins it at version");
  }

  @Test
  @ResourceLock(value = FEATURE_TABLES, mode = ResourceAccessMode.READ)
  void theDemoScoredEveryDayWithTheChallengerInShadowAndARerunReplacesTheDay() throws Exception {
    String counts = "SELECT count(*) AS n, count(DISTINCT score_date) AS days, count_if(role = 'shadow') AS shadow,"
        + " count_if(role = 'production') AS served, (SELECT count(*) FROM predictions.shadow_comparisons) AS compared,"
        + " (SELECT count(*) FROM raw.transactions WHERE date > DATE'" + lastDay.minusDays(SERVED_DAYS) + "') AS transactions"
        + " FROM predictions.fraud";
    JsonNode before = sqlRow(counts);
    assertThat(before.get("days").asLong()).as("every served day").isEqualTo(SERVED_DAYS);
    long rows = before.get("transactions").asLong();
    assertThat(before.get("shadow").asLong()).as("the challenger scored every row in shadow")
        .isEqualTo(before.get("served").asLong()).isEqualTo(rows);
    assertThat(before.get("compared").asLong()).isEqualTo(SERVED_DAYS);
    ProcessRunner.Result score = ok(mlops(conf, "score", "--json", "--model", "fraud", "--date", lastDay.toString()).run());
    JsonNode r = score.json();
    assertThat(r.get("rows_by_role").get("shadow").asLong()).isPositive();
    assertThat(r.get("shadow").get(0).get("agreement_rate").asDouble()).isBetween(0.0, 1.0);
    JsonNode after = sqlRow(counts);
    assertThat(after.get("n").asLong()).as("a re-run replaces its day").isEqualTo(before.get("n").asLong());
  }

  /**
   * The table features a platform table may use: Delta Kernel reads each (KernelReadsTest shows it
   * for deletion vectors, column mapping, change data feed and checkpoints). A table that enables
   * another fails here until a Kernel test covers it.
   */
  static final java.util.Set<String> FEATURES_KERNEL_READS = java.util.Set.of("appendOnly", "invariants", "checkConstraints",
      "generatedColumns", "changeDataFeed", "columnMapping", "deletionVectors", "timestampNtz", "domainMetadata");

  @Test
  @ResourceLock(value = FEATURE_TABLES, mode = ResourceAccessMode.READ)
  void anotherEngineReadsEveryTableAsSparkDoesAtTheLatestVersionAndOneBack() {
    Map<String, Path> tables = dev.mlops.jobs.kernel.WarehouseTables.under(dir.resolve("warehouse"));
    assertThat(tables.keySet()).as("features, training sets, predictions, validation, monitoring and registry tables")
        .contains("features.customer_spend_v1", "features.training_sets", "ml.training_fraud", "ml.model_versions",
            "ml.model_events", "predictions.fraud", "validation.metrics", "validation.check_results", "validation.profiles",
            "validation.quarantine_raw__transactions", "monitoring.drift", "monitoring.performance");
    dev.mlops.jobs.kernel.KernelTableReader kernel = new dev.mlops.jobs.kernel.KernelTableReader();
    dev.mlops.jobs.kernel.SparkTableReader sparkReader = new dev.mlops.jobs.kernel.SparkTableReader(
        dev.mlops.testkit.SharedSpark.get());
    java.util.Set<String> features = new java.util.TreeSet<>();
    int versionsRead = 0;
    for (Map.Entry<String, Path> t : tables.entrySet()) {
      String path = t.getValue().toString();
      // Other tests write some tables meanwhile: the versions read are pinned, on both sides.
      long latest = kernel.latestVersion(path);
      for (long v = latest; v >= Math.max(0, latest - 1); v--) {
        var k = kernel.read(path, v);
        var s = sparkReader.read(path, v);
        assertThat(k.columns()).as("%s v%d columns", t.getKey(), v).isEqualTo(s.columns());
        assertThat(k.digest().rows()).as("%s v%d rows", t.getKey(), v).isEqualTo(s.digest().rows());
        assertThat(k.digest().checksum()).as("%s v%d checksum of %s", t.getKey(), v, s.digest()).isEqualTo(s.digest().checksum());
        versionsRead++;
      }
      dev.mlops.jobs.kernel.KernelTableReader.Protocol protocol = kernel.protocol(path, latest);
      assertThat(protocol.minReaderVersion()).as("%s reader version: no reader feature enabled", t.getKey()).isEqualTo(1);
      features.addAll(protocol.features());
    }
    assertThat(features).as("table features the demo's tables enable").isSubsetOf(FEATURES_KERNEL_READS);
    System.err.printf("Kernel read %d tables, %d versions, as Spark did; features enabled: %s%n", tables.size(),
        versionsRead, features);
  }

  @Test
  void validateReportsAndItsExitCodeIsTheGate() throws Exception {
    ProcessRunner.Result ok = ok(mlops(conf, "validate", "--suite", "raw_customers").run());
    assertThat(ok.stdout()).contains("raw.customers", "PASSED", "primary-key(customer_id)", "success", "report: ");
    Path suite = dir.resolve("strict.yaml");
    Files.writeString(suite, "table: raw.customers\nchecks:\n  - {type: row-count, min: 1000000000}\n"
        + "  - {type: completeness, column: shoe_size, min: 1}\n");
    ProcessRunner.Result failed = mlops(conf, "validate", "--json", "--suite", suite.toString()).run();
    assertThat(failed.exitCode()).as(failed.describe()).isEqualTo(1);
    JsonNode report = failed.json();
    assertThat(report.get("passed").asBoolean()).isFalse();
    assertThat(report.get("checks").get(1).get("message").asText()).startsWith("column shoe_size not found");
    String html = ok.stdout().lines().dropWhile(l -> !l.startsWith("report: ")).skip(1).findFirst().orElseThrow().strip();
    assertThat(Path.of(java.net.URI.create(html))).as("the HTML report").exists();
  }

  @Test
  @ResourceLock(value = FEATURE_TABLES, mode = ResourceAccessMode.READ)
  @ResourceLock(ONLINE_STORE)
  void theDemosFeaturesAreServedOnlineAndVerified() throws Exception {
    JsonNode row = sqlRow("SELECT customer_id, merchant_id FROM raw.transactions WHERE customer_id IS NOT NULL"
        + " AND date = (SELECT max(date) FROM raw.transactions) ORDER BY transaction_id LIMIT 1");
    ProcessRunner.Result get = ok(mlops(conf, "online", "get", "--json", "--service", "fraud_detection",
        "--key", "customer_id=" + row.get("customer_id").asLong(), "--key", "merchant_id=" + row.get("merchant_id").asLong()).run());
    JsonNode vector = get.json().get("vectors").get(0);
    assertThat(vector.get("values").get("customer_spend__txn_count_30d").asLong()).isPositive();
    assertThat(vector.get("values").get("merchant_risk__txn_count_30d").asLong()).isPositive();
    assertThat(vector.get("event_times")).hasSize(3);
    ProcessRunner.Result mistyped = mlops(conf, "online", "get", "--service", "fraud_detection", "--key", "customer_id=abc",
        "--key", "merchant_id=" + row.get("merchant_id").asLong()).run();
    assertThat(mistyped.exitCode()).as("a key of the wrong type: %s", mistyped.describe()).isEqualTo(1);
    assertThat(mistyped.stderr()).contains("join key customer_id is bigint, and \"abc\" is not a bigint")
        .contains("give an integer such as 42").doesNotContain("\tat ");

    ProcessRunner.Result verify = ok(mlops(conf, "online", "verify", "--json", "--service", "fraud_detection", "--sample", "50").run());
    assertThat(verify.json().get("mismatches").asLong()).isZero();
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(redis.host(), redis.port())) {
      jedis.hset("it:fv:customer_spend:v1:{" + row.get("customer_id").asLong() + "}", "txn_count_30d", "-1");
    }
    ProcessRunner.Result skew = mlops(conf, "online", "verify", "--service", "fraud_detection", "--sample", "100000").run();
    assertThat(skew.exitCode()).as(skew.describe()).isEqualTo(1);
    assertThat(skew.stdout()).contains("SKEW", "txn_count_30d", "-1");
    assertThat(skew.stderr()).contains("error: online and offline values differ for 1 of");
    ok(mlops(conf, "online", "sync", "--service", "fraud_detection", "--full").run());
  }

  @Test
  @ResourceLock(value = FEATURE_TABLES, mode = ResourceAccessMode.READ)
  @ResourceLock(ONLINE_STORE)
  void withoutARedisHostThePlatformStartsItsOwnServerOnceAndReusesIt() throws Exception {
    Path managed = ItSupport.writeConfig(dir.resolve("managed"), dir.resolve("warehouse"), "");
    Path state = dir.resolve("warehouse/_redis/server.properties");
    try {
      ProcessRunner.Result first = ok(mlops(managed, "online", "sync", "--service", "fraud_detection").run());
      assertThat(first.stdout()).contains("full sync");
      java.util.Properties p = new java.util.Properties();
      p.load(Files.newBufferedReader(state));
      ProcessRunner.Result second = ok(mlops(managed, "online", "sync", "--json", "--service", "fraud_detection").run());
      assertThat(second.stderr()).contains("127.0.0.1:" + p.getProperty("port"));
      assertThat(second.json().get("synced").get(0).get("mode").asText())
          .as("the same server, still holding the synced version").isEqualTo("none");
    } finally {
      if (Files.exists(state)) {
        java.util.Properties p = new java.util.Properties();
        p.load(Files.newBufferedReader(state));
        ProcessHandle.of(Long.parseLong(p.getProperty("pid"))).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  @Test
  void aSqlErrorExitsNonZeroWithSparksMessageAndNoStackTrace() {
    ProcessRunner.Result r = mlops(conf, "sql", "SELEC 1").run();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'").doesNotContain("\tat ");
    ProcessRunner.Result missing = mlops(conf, "sql", "SELECT * FROM raw.nope").run();
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("error: [TABLE_OR_VIEW_NOT_FOUND]").contains("`raw`.`nope`").doesNotContain("\tat ");
  }

  @Test
  void aMisspelledKeyOrAWrongTypeInTheConfigIsNamedWithFileAndPath() throws Exception {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "project: it\nwarehouse: {root: " + dir.resolve("w2") + "}\nredis:\n  prot: 6379\n");
    ProcessRunner.Result r = mlops(typo, "sql", "SELECT 1").run();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("error: " + typo + ": redis.prot: unknown key").contains("did you mean \"port\"?")
        .doesNotContain("\tat ");
    Path badType = dir.resolve("bad-type.yaml");
    Files.writeString(badType, "project: it\nwarehouse: {root: " + dir.resolve("w2") + "}\nredis:\n  port: abc\n");
    ProcessRunner.Result t = mlops(badType, "sql", "SELECT 1").run();
    assertThat(t.exitCode()).isEqualTo(1);
    assertThat(t.stderr()).contains("error: " + badType + ": redis.port: expected an integer, got \"abc\"");
  }

  @Test
  void aSecretFromTheEnvironmentNeverReachesTheOutput() throws Exception {
    String secret = "pw-Secret-7781-xyz";
    Path withSecret = ItSupport.writeConfig(dir.resolve("secret"), dir.resolve("warehouse"),
        "redis:\n  host: localhost\n  password: ${MLOPS_IT_SECRET}\n");
    ProcessRunner.Result r = mlops(withSecret, "--debug", "sql", "SELECT count(*) FROM ops.runs").env("MLOPS_IT_SECRET", secret).run();
    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.stdout() + r.stderr()).doesNotContain(secret);
    Path badSecret = ItSupport.writeConfig(dir.resolve("secret2"), dir.resolve("warehouse"), "redis:\n  port: ${MLOPS_IT_SECRET}\n");
    ProcessRunner.Result e = mlops(badSecret, "--debug", "sql", "SELECT 1").env("MLOPS_IT_SECRET", secret).run();
    assertThat(e.exitCode()).isEqualTo(1);
    assertThat(e.stderr()).contains("redis.port: expected an integer, got \"****\"");
    assertThat(e.stdout() + e.stderr()).doesNotContain(secret);
  }

  @Test
  void versionAndHelpWorkAndAnUnknownCommandIsAUsageError() {
    ProcessRunner.Result v = ok(mlops(conf, "--version").run());
    assertThat(v.stdout()).contains("mlops 0.1.0-SNAPSHOT").contains("Spark 4.1.0").contains("Delta Lake 4.2.0");
    ProcessRunner.Result h = ok(mlops(conf, "--help").run());
    assertThat(h.stdout()).contains("sql", "demo", "--conf", "--json");
    ProcessRunner.Result bad = mlops(conf, "bogus").run();
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("Unmatched argument");
  }

  @Test
  void everySqlCellOfEveryNotebookRunsAndTheLineageViewNamesTheSourceVersionsOfADay() throws Exception {
    List<NotebookCells.Cell> cells = NotebookCells.read(ItSupport.REPO.resolve("notebooks"));
    // raw.transactions is written by the demo alone: the scoring read its latest version.
    String latest = "DESCRIBE HISTORY raw.transactions LIMIT 1";
    Path script = Files.writeString(dir.resolve("notebook-cells.sql"), NotebookCells.script(cells, List.of(latest)));
    ProcessRunner.Result r = mlops(conf, "sql", "--json", "-f", script.toString()).run();
    NotebookCells.Cell failed = NotebookCells.failed(cells, r.stderr());
    assertThat(r.exitCode()).as(failed == null ? r.describe() : failed.describe() + " failed: "
        + r.stderr().substring(r.stderr().indexOf(" failed: ") + 9).strip()).isZero();
    List<JsonNode> results = new ArrayList<>();
    for (String line : r.stdout().strip().split("\n")) {
      results.add(dev.mlops.core.tables.Json.mapper().readTree(line));
    }
    assertThat(results).as("one result per cell, then the check").hasSize(cells.size() + 1);
    int lineage = cells.indexOf(cells.stream().filter(c -> c.sql().contains("explode(scoring_inputs)")).findFirst()
        .orElseThrow(() -> new AssertionError("no notebook asks ml.prediction_lineage for a day's source versions")));
    Map<String, Long> versions = new java.util.TreeMap<>();
    results.get(lineage).get("rows").forEach(row -> versions.put(row.get("source_table").asText(),
        row.get("delta_version").asLong()));
    assertThat(versions).as("the source tables that fed the last day's Production predictions, at their versions")
        .containsOnlyKeys("features.customer_profile_v1", "features.customer_spend_v1", "features.merchant_risk_v1",
            "raw.transactions")
        .containsEntry("raw.transactions", results.get(cells.size()).get("rows").get(0).get("version").asLong());
  }
}
