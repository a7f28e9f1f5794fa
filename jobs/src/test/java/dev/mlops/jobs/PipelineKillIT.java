package dev.mlops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.GatedProxy;
import dev.mlops.testkit.ProcessRunner;
import dev.mlops.testkit.RedisHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * Each writing job killed outright (SIGKILL to its JVM) in the middle of its write, on one small
 * demo warehouse: after its data files are written and before its Delta commit ({@link
 * CommitHoldingLogStore} holds the commit of the table named, so the kill lands there on every
 * machine), or, for the online sync, part-way through its writes to Redis ({@link GatedProxy}).
 * After each kill the table is at its previous version with its previous rows (the files written
 * are on disk, the log has no new version), and a run again converges: the same rows as the
 * demo's uninterrupted run, none duplicated. The jobs: the online sync, then the nightly pipeline
 * killed four times (in validation's quarantine, materialization, scoring and drift) and completed
 * by a fifth run, then training killed in its training-set write and in its registration, then a
 * point-in-time retrieval ({@code features historical}) killed in the commit of its output.
 *
 * <p>One test: the cases share the demo warehouse (minutes to build), each snapshots what it
 * compares against just before its kill, and the report says which case failed.
 */
class PipelineKillIT {
  @TempDir static Path dir;
  static RedisHarness redis;
  static final String SPEND = "features.customer_spend_v1";
  static final String QUARANTINE = "validation.quarantine_raw__transactions";
  /** The injected bad rows: real rows of the day with these ids added and a negative amount. */
  static final long BAD_ID_OFFSET = 1_000_000_000_000L;
  static final String BAD_ROWS = "transaction_id >= " + BAD_ID_OFFSET;

  Path conf;
  Path holding;
  WarehouseReader tables;
  LocalDate day;

  /**
   * Row counts of the tables the nightly pipeline writes, of their rows duplicated by key, and the
   * attempts on {@code day} of the steps killed, each with its last status.
   */
  static String counts(LocalDate day, boolean quarantine) {
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
      + (quarantine ? " (SELECT count(*) FROM " + QUARANTINE + ") AS quarantine,"
        + " (SELECT count(*) - count(DISTINCT transaction_id) FROM " + QUARANTINE + ") AS duplicated_quarantine,"
        : " 0L AS quarantine,")
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
      + "   WHERE run_date = DATE'" + day + "' AND step IN ('validate_raw_transactions', 'materialize_customer_spend',"
      + "   'score', 'drift') AND status <> 'SKIPPED'"
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
  void eachWritingJobKilledInTheMiddleOfItsWriteLeavesThePreviousVersionAndARunAgainConverges() throws Exception {
    redis = RedisHarness.start();
    Path warehouse = dir.resolve("warehouse");
    String store = "redis:\n  host: " + redis.host() + "\n  port: " + redis.port() + "\n";
    conf = ItSupport.writeConfig(dir, warehouse, store, Map.of());
    holding = ItSupport.writeConfig(dir.resolve("holding"), warehouse, store,
        Map.of("spark.delta.logStore.file.impl", CommitHoldingLogStore.class.getName()));
    LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    ok(mlops(conf, "demo", "--scale", "0.004", "--start", last.minusDays(10).toString(), "--history", "7", "--days", "4")
        .run());
    day = last.minusDays(1);
    tables = new WarehouseReader(warehouse);
    tables.registerAll();
    Map<String, Long> timings = new LinkedHashMap<>();
    long t = System.nanoTime();
    Map<String, Map<String, String>> online = aSyncKilledPartWayLeavesEveryValueAsItWas();
    timings.put("online sync", System.nanoTime() - t);
    t = System.nanoTime();
    theNightlyPipelineKilledInFourWritesIsCompletedByTheFifthRun(online);
    timings.put("nightly pipeline (validate with quarantine, materialize, score, drift)", System.nanoTime() - t);
    t = System.nanoTime();
    trainingKilledInItsTrainingSetAndInItsRegistrationRegistersOneVersionWhenRunAgain();
    timings.put("train (training set, registration)", System.nanoTime() - t);
    t = System.nanoTime();
    aHistoricalRetrievalKilledInItsOutputsCommitKeepsThePreviousSetAndARunAgainWritesItOnce();
    timings.put("features historical", System.nanoTime() - t);
    timings.forEach((c, ns) -> System.out.printf("PipelineKillIT: %s: passed in %d s%n", c, ns / 1_000_000_000L));
  }

  /**
   * {@code online sync --full} killed part-way through its writes to Redis: every value is as it
   * was (a value written again is the same value), and the sync's marker stays for the next sync,
   * which the nightly pipeline runs later; answers the values before.
   */
  Map<String, Map<String, String>> aSyncKilledPartWayLeavesEveryValueAsItWas() throws Exception {
    Map<String, Map<String, String>> before = onlineValues();
    assertThat(before).as("the demo synced customer_spend").hasSizeGreaterThan(20);
    // Each entity's write names its key once (a guarded script) or twice (HSET, PEXPIREAT): held
    // after a quarter to a half of the entities.
    long writes = before.size() / 2;
    try (GatedProxy proxy = GatedProxy.afterOccurrences(redis.host(), redis.port(), "it:fv:customer_spend:v1:", writes)) {
      Path viaProxy = ItSupport.writeConfig(dir.resolve("proxied"), dir.resolve("warehouse"),
          "redis:\n  host: 127.0.0.1\n  port: " + proxy.port() + "\n", Map.of());
      KilledCli.when(() -> awaitHolding(proxy), "named " + writes + " entity keys", viaProxy, dir, "online-sync",
          "online", "sync", "--view", "customer_spend", "--full");
    }
    assertThat(onlineValues()).as("no value lost or changed by the killed sync").isEqualTo(before);
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      String meta = "it:meta:view:customer_spend:v1";
      assertThat(jedis.hget(meta, "syncing")).as("the killed sync's marker").isNotNull();
      long ttl = jedis.pttl(meta + ":lease");
      assertThat(ttl).as("the killed sync's lease lapses by itself within 60 s").isBetween(1L, 60_000L);
      jedis.del(meta + ":lease"); // as it lapses: not to wait for it
    }
    return before;
  }

  static boolean awaitHolding(GatedProxy proxy) {
    try {
      return proxy.awaitHolding(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Every hash of customer_spend v1 in Redis, without the run that wrote it. */
  static Map<String, Map<String, String>> onlineValues() {
    Map<String, Map<String, String>> values = new TreeMap<>();
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        var page = jedis.scan(cursor, new ScanParams().match("it:fv:customer_spend:v1:*").count(1000));
        for (String key : page.getResult()) {
          Map<String, String> hash = new TreeMap<>(jedis.hgetAll(key));
          hash.remove("_gen");
          values.put(key, hash);
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return values;
  }

  /**
   * The nightly pipeline of a day the demo ran, with three bad rows added to the day's
   * transactions, killed in the commit of validation's quarantine (the delete of the rows copied to
   * the quarantine), of materialization, of scoring and of drift, each run a new attempt that
   * skips what the ones before finished; the fifth run completes the day. Every table then holds
   * what the demo's uninterrupted run wrote (the bad rows moved to the quarantine, once), and the
   * online store the values it held.
   */
  void theNightlyPipelineKilledInFourWritesIsCompletedByTheFifthRun(Map<String, Map<String, String>> online)
      throws Exception {
    Map<String, Object> before = countsNow();
    Map<String, WarehouseReader.Content> contents = new LinkedHashMap<>();
    for (String table : List.of("raw.transactions", SPEND, "features.merchant_risk_v1", "predictions.fraud",
        "monitoring.drift", "monitoring.performance")) {
      contents.put(table, tables.content(table, null));
    }
    addBadRows(3);
    String[] nightly = {"pipeline", "run", "nightly", "--date", day.toString()};

    long quarantined = tables.content(QUARANTINE, null).rows();
    heldThenKilled("raw.transactions", "nightly-1", nightly);
    assertThat(tables.content(QUARANTINE, null).rows()).as("the rows copied before the delete that was killed")
        .isEqualTo(quarantined + 3);
    assertThat(tables.content("raw.transactions", BAD_ROWS).rows()).as("and still in the table").isEqualTo(3);

    heldThenKilled(SPEND, "nightly-2", nightly);
    assertThat(tables.content(SPEND, null)).as(SPEND + " as the demo wrote it").isEqualTo(contents.get(SPEND));
    assertThat(tables.content("raw.transactions", BAD_ROWS).rows()).as("the next validation moved the bad rows")
        .isZero();
    assertThat(tables.content(QUARANTINE, null).rows()).as("each bad row in the quarantine once").isEqualTo(quarantined + 3);

    heldThenKilled("predictions.fraud", "nightly-3", nightly);
    heldThenKilled("monitoring.drift", "nightly-4", nightly);
    ProcessRunner.Result fifth = ok(mlops(conf, "pipeline", "run", "nightly", "--date", day.toString(), "--json").run());
    List<String> statuses = new ArrayList<>();
    fifth.json().get("steps").forEach(s -> statuses.add(s.get("step").asText() + ":" + s.get("status").asText()));
    assertThat(statuses).as("the fifth run completes the day").contains("drift:SUCCEEDED")
        .allMatch(s -> s.endsWith(":SUCCEEDED") || s.endsWith(":SKIPPED"));

    Map<String, Object> after = countsNow();
    for (String column : SAME) {
      assertThat(after.get(column)).as(column + ": as many rows as before the day was run again").isEqualTo(before.get(column));
    }
    after.forEach((column, value) -> {
      if (column.startsWith("duplicated_")) {
        assertThat(value).as(column).isEqualTo(0L);
      }
    });
    assertThat(after.get("quarantine")).as("the bad rows quarantined once").isEqualTo((Long) before.get("quarantine") + 3);
    assertThat(after.get("attempts")).as("each killed attempt stays RUNNING; the next one succeeded").isEqualTo(
        "drift 1 RUNNING, drift 2 SUCCEEDED, materialize_customer_spend 1 RUNNING, materialize_customer_spend 2 SUCCEEDED,"
        + " score 1 RUNNING, score 2 SUCCEEDED, validate_raw_transactions 1 RUNNING, validate_raw_transactions 2 SUCCEEDED");
    for (Map.Entry<String, WarehouseReader.Content> e : contents.entrySet()) {
      assertThat(tables.content(e.getKey(), null)).as(e.getKey() + ": the rows of the demo's uninterrupted run")
          .isEqualTo(e.getValue());
    }
    assertThat(onlineValues()).as("the online store as the demo left it").isEqualTo(online);
  }

  /**
   * Runs {@code args} holding the commit of {@code table} and kills it there: the data files of
   * the commit are on disk, the log has no new version and the table reads as before.
   */
  KilledCli.Killed heldThenKilled(String table, String name, String... args) throws Exception {
    long version = tables.version(table);
    WarehouseReader.Content content = tables.content(table, null);
    Path folder = tables.folder(table);
    KilledCli.Killed killed = KilledCli.atCommit(holding, dir, folder.getParent().getFileName() + "/"
        + folder.getFileName(), name, args);
    assertThat(killed.logFile()).as("the held commit is the table's next version")
        .isEqualTo(folder.resolve("_delta_log").resolve(String.format("%020d.json", version + 1)));
    assertThat(killed.logFile()).as("never committed").doesNotExist();
    // A delete of whole files (the quarantine's, of rows that filled a file) only removes files.
    assertThat(killed.commit().subList(1, killed.commit().size())).as("the held commit of %s changes data", table)
        .anyMatch(action -> action.startsWith("{\"add\"") || action.startsWith("{\"remove\""));
    assertThat(killed.addedFiles()).as("the data files the killed %s wrote to %s", name, table)
        .allSatisfy(f -> assertThat(folder.resolve(f)).as("written before the kill").exists());
    assertThat(tables.version(table)).as(table + ": the version before the kill").isEqualTo(version);
    assertThat(tables.content(table, null)).as(table + ": the rows before the kill, no orphan row").isEqualTo(content);
    return killed;
  }

  /** Adds {@code n} rows of the day to raw.transactions whose negative amounts validation quarantines. */
  void addBadRows(int n) throws java.io.IOException {
    var spark = tables.spark();
    var bad = spark.table("raw.transactions").where("date = DATE'" + day + "'").limit(n)
        .withColumn("transaction_id", org.apache.spark.sql.functions.expr("transaction_id + " + BAD_ID_OFFSET))
        .withColumn("amount", org.apache.spark.sql.functions.lit(-1.0));
    bad.write().format("delta").mode("append").save(tables.folder("raw.transactions").toUri().toString());
    assertThat(tables.content("raw.transactions", BAD_ROWS).rows()).isEqualTo(n);
  }

  /** {@link #counts(LocalDate, boolean)}'s row, by column. */
  Map<String, Object> countsNow() throws Exception {
    tables.registerAll();
    Row r = tables.row(counts(day, tables.version(QUARANTINE) >= 0));
    Map<String, Object> byColumn = new LinkedHashMap<>();
    for (String column : r.schema().fieldNames()) {
      byColumn.put(column, r.getAs(column));
    }
    return byColumn;
  }

  /**
   * {@code features historical --out T} killed in the commit of its output, which an earlier
   * retrieval wrote: T keeps that version and its rows, no lineage row names the killed run, and a
   * run again writes the same rows, with one lineage row.
   */
  void aHistoricalRetrievalKilledInItsOutputsCommitKeepsThePreviousSetAndARunAgainWritesItOnce() throws Exception {
    String out = "ml.kill_training_set";
    String[] historical = {"features", "historical", "--service", "fraud_detection", "--spine", "raw.transactions",
        "--out", out};
    ok(mlops(conf, historical).run());
    tables.registerAll();
    WarehouseReader.Content first = tables.content(out, null);
    String lineage = "SELECT count(*) FROM features.training_sets WHERE output = '" + out + "'";
    heldThenKilled(out, "historical-1", historical);
    assertThat(tables.row(lineage).getLong(0)).as("no lineage row of the killed retrieval").isEqualTo(1);
    ok(mlops(conf, historical).run());
    assertThat(tables.content(out, null)).as("a run again: the same rows, once").isEqualTo(first);
    assertThat(tables.row(lineage).getLong(0)).as("one lineage row per retrieval that committed").isEqualTo(2);
  }

  /**
   * {@code train --no-promote} killed in the commit of its training set, then in the commit of its
   * registration: no version is registered by either, and the next training registers exactly one.
   */
  void trainingKilledInItsTrainingSetAndInItsRegistrationRegistersOneVersionWhenRunAgain() throws Exception {
    String versions = "ml.model_versions";
    WarehouseReader.Content registered = tables.content(versions, null);
    int newest = tables.row("SELECT max(version) FROM " + versions).getInt(0);
    String[] train = {"train", "--model", "fraud", "--no-promote"};
    heldThenKilled("ml.training_fraud", "train-1", train);
    heldThenKilled(versions, "train-2", train);
    assertThat(tables.content(versions, null)).as("no version registered by the killed trainings").isEqualTo(registered);
    ok(mlops(conf, train).run());
    Row r = tables.row("SELECT count(*), count(DISTINCT model, version), max(version) FROM " + versions);
    assertThat(r.getLong(0)).as("one version more").isEqualTo(registered.rows() + 1);
    assertThat(r.getLong(1)).as("no version twice").isEqualTo(r.getLong(0));
    assertThat(r.getInt(2)).as("the next version number").isEqualTo(newest + 1);
  }
}
