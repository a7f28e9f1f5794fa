package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.ConfigException;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.checks.RowCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suites from YAML run on Delta tables: results tables, profiles, quarantine, reports, anomalies, partitions, the gate.
 * Each test writes and validates a table of its own, so none depends on another having run, or on their order.
 */
class ValidatorTest {
  static final String SUITE = """
      table: %s
      profile: [amount, currency]
      checks:
        - {type: row-count, min: 5}
        - {type: primary-key, columns: [order_id]}
        - {type: not-null, column: customer_id, quarantine: true}
        - {type: non-negative, column: amount, quarantine: true}
        - {type: allowed-values, column: currency, values: [USD, EUR], quarantine: true, severity: warning}
        - {type: mean, column: amount, min: 0, max: 1000, severity: warning}
        - {type: quantile, column: amount, quantile: 0.5, min: 1, max: 100}
        - {type: schema, schema: {order_id: bigint, amount: double}}
      anomalies: {max-change: 0.5, severity: warning, metrics: [size]}
      """;

  @TempDir static Path dir;
  static Warehouse warehouse;
  static RunRecorder runs;
  static Validator validator;

  @BeforeAll
  static void setUp() throws Exception {
    TestPlatform platform = TestPlatform.create(dir);
    warehouse = Warehouse.of(platform.spark(), platform.config());
    Clock clock = Clock.fixed(Instant.parse("2026-11-03T00:00:00Z"), ZoneOffset.UTC);
    runs = platform.runs(warehouse, clock);
    validator = new Validator(warehouse, clock);
  }

  /** Ten orders on two days, three of them bad in one way each (plus {@code extra} good ones), written to {@code table}. */
  static void writeOrders(TableName table, int extra) {
    warehouse.write(warehouse.spark().sql("""
        SELECT * FROM VALUES
          (1L, 10L, 12.5D, 'USD', DATE'2026-11-01'), (2L, 11L, 20.0D, 'EUR', DATE'2026-11-01'),
          (3L, NULL, 7.0D, 'USD', DATE'2026-11-01'), (4L, 12L, -3.0D, 'USD', DATE'2026-11-01'),
          (5L, 13L, 40.0D, 'XXX', DATE'2026-11-02'), (6L, 14L, 5.0D, 'EUR', DATE'2026-11-02'),
          (7L, 15L, 9.0D, 'USD', DATE'2026-11-02'), (8L, 16L, 11.0D, 'USD', DATE'2026-11-02'),
          (9L, 17L, 30.0D, 'EUR', DATE'2026-11-02'), (10L, 18L, 3.0D, 'USD', DATE'2026-11-02')
          AS t(order_id, customer_id, amount, currency, date)
        """).union(warehouse.spark().range(100, 100 + extra).selectExpr("id", "id", "1.0D", "'USD'", "DATE'2026-11-02'")),
        table).partitionBy("date").overwriting(true).commit();
  }

  /** The orders suite over {@code table}, from its YAML file. */
  static Suite suite(TableName table) throws Exception {
    String file = table.table() + ".yaml";
    Path path = Files.writeString(dir.resolve(file), SUITE.formatted(table));
    return new SuiteLoader(Map.<String, String>of()::get).load(path, file);
  }

  static ValidationResult validate(TableName table, Partition partition) throws Exception {
    Suite suite = suite(table);
    return runs.run("validate", List.of(), run -> validator.validate(suite, partition, run));
  }

  @Test
  void failingRowsMoveToQuarantineWithTheChecksTheyFailedAndTheRestStays() throws Exception {
    TableName orders = TableName.parse("raw.orders_quarantined");
    writeOrders(orders, 0);
    ValidationResult r = validate(orders, null);
    assertThat(r.rows()).isEqualTo(10);
    assertThat(r.quarantinedRows()).isEqualTo(3);
    assertThat(r.passed()).as(r.results().toString()).isTrue();
    Map<String, CheckStatus> status = new java.util.LinkedHashMap<>();
    r.results().forEach(c -> status.put(c.check(), c.status()));
    assertThat(status).containsEntry("not-null(customer_id)", CheckStatus.QUARANTINED)
        .containsEntry("non-negative(amount)", CheckStatus.QUARANTINED)
        .containsEntry("allowed-values(currency)", CheckStatus.QUARANTINED)
        .containsEntry("primary-key(order_id)", CheckStatus.SUCCESS)
        .containsEntry("quantile(amount,0.5)", CheckStatus.SUCCESS);

    List<Row> q = warehouse.spark().sql(
        "SELECT order_id, _failed_checks FROM validation.quarantine_raw__orders_quarantined ORDER BY order_id").collectAsList();
    assertThat(q).hasSize(3);
    assertThat(q.get(0).getLong(0)).isEqualTo(3);
    assertThat(q.get(0).getList(1)).containsExactly("not-null(customer_id)");
    assertThat(q.get(1).getList(1)).containsExactly("non-negative(amount)");
    assertThat(q.get(2).getList(1)).containsExactly("allowed-values(currency)");
    assertThat(warehouse.spark().table(orders.toString()).count()).as("7 left, none lost").isEqualTo(7);

    assertThat(warehouse.spark().sql("SELECT count(*) FROM validation.check_results WHERE run_id = '" + r.runId() + "'")
        .first().getLong(0)).isEqualTo(8);
    assertThat(warehouse.spark().sql("SELECT value FROM validation.metrics WHERE analyzer = 'size' AND run_id = '"
        + r.runId() + "'").collectAsList()).extracting(x -> x.getDouble(0)).containsExactly(10.0);
    assertThat(warehouse.spark().sql("SELECT kind FROM validation.profiles WHERE column = 'currency' AND run_id = '"
        + r.runId() + "' ORDER BY kind")
        .collectAsList().stream().map(x -> x.getString(0)).toList()).containsExactly("frequent_items", "hll");
    Path json = Path.of(java.net.URI.create(r.report()));
    assertThat(Json.mapper().readTree(json.toFile()).get("quarantined_rows").asLong()).isEqualTo(3);
    assertThat(Files.readString(Path.of(java.net.URI.create(r.htmlReport())))).contains("non-negative(amount)")
        .contains("quarantined");
  }

  @Test
  void rowsAppendedAfterTheSnapshotWasReadAreNeverDeletedWithoutACopyNorDuplicated() throws Exception {
    TableName orders = TableName.parse("raw.orders_appended_meanwhile");
    writeOrders(orders, 0);
    TableVersion snapshot = warehouse.current(orders);
    Dataset<Row> data = warehouse.read(snapshot);
    // Appended after the validator read its snapshot, before the quarantine commits: a good row 11,
    // a bad row 12 (no customer), and an exact twin of the snapshot's bad row 3.
    warehouse.write(warehouse.spark().sql("""
        SELECT * FROM VALUES
          (11L, 19L, 8.0D, 'USD', DATE'2026-11-02'), (12L, NULL, 6.0D, 'EUR', DATE'2026-11-02'),
          (3L, NULL, 7.0D, 'USD', DATE'2026-11-01')
          AS t(order_id, customer_id, amount, currency, date)
        """), orders).appending().commit();
    List<RowCheck> checks = suite(orders).checks().stream().filter(c -> c instanceof RowCheck r && r.quarantine())
        .map(RowCheck.class::cast).toList();
    assertThat(checks).as("the suite's quarantining checks").hasSize(3);
    runs.run("validate", List.of(), run -> Quarantine.move(warehouse, snapshot, data, checks, run));

    assertThat(warehouse.spark().sql("SELECT order_id FROM validation.quarantine_raw__orders_appended_meanwhile"
        + " ORDER BY order_id").collectAsList()).extracting(x -> x.getLong(0)).as("copied: the snapshot's bad rows")
        .containsExactly(3L, 4L, 5L);
    assertThat(warehouse.spark().sql("SELECT order_id FROM " + orders + " ORDER BY order_id").collectAsList())
        .extracting(x -> x.getLong(0))
        .as("the table: bad row 12 stays (no copy of it), good row 11 stays, each once; row 3 goes with its twin")
        .containsExactly(1L, 2L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
  }

  @Test
  void aRunKilledBetweenItsCopiesAndItsDeleteLeavesCopiesTheNextRunDoesNotMakeAgain() throws Exception {
    TableName orders = TableName.parse("raw.orders_copied_not_deleted");
    writeOrders(orders, 0);
    // What a run killed after committing its copies and before its delete leaves: the bad rows 3,
    // 4 and 5 in the quarantine and still in the table.
    warehouse.write(warehouse.read(orders).where("order_id IN (3, 4, 5)")
        .withColumn("_failed_checks", org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit("killed")))
        .withColumn("_run_id", org.apache.spark.sql.functions.lit("killed-run"))
        .withColumn("_quarantined_at", org.apache.spark.sql.functions.current_timestamp()),
        ValidationTables.quarantine(orders)).appending().commit();

    ValidationResult r = validate(orders, null);

    assertThat(r.quarantinedRows()).as("the bad rows found").isEqualTo(3);
    assertThat(warehouse.spark().sql("SELECT order_id, _run_id FROM validation.quarantine_raw__orders_copied_not_deleted"
        + " ORDER BY order_id").collectAsList()).extracting(x -> x.getLong(0) + " " + x.getString(1))
        .as("each bad row once in the quarantine: the killed run's copies are not made again")
        .containsExactly("3 killed-run", "4 killed-run", "5 killed-run");
    assertThat(warehouse.spark().sql("SELECT order_id FROM " + orders + " ORDER BY order_id").collectAsList())
        .extracting(x -> x.getLong(0)).as("and deleted from the table").containsExactly(1L, 2L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void aMetricThatJumpsAgainstTheLastRunIsReportedAsAnAnomaly() throws Exception {
    TableName orders = TableName.parse("raw.orders_anomaly");
    writeOrders(orders, 0);
    ValidationResult last = validate(orders, null);
    assertThat(last.results()).as("no history yet: no anomaly").noneMatch(c -> c.check().startsWith("anomaly:")
        && c.status() == CheckStatus.FAILURE);
    writeOrders(orders, 20); // 30 rows where the last run saw 10
    ValidationResult r = validate(orders, null);
    CheckResult anomaly = r.results().stream().filter(c -> c.check().equals("anomaly:size(*)")).findFirst().orElseThrow();
    assertThat(anomaly.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(anomaly.severity()).isEqualTo(Severity.WARNING);
    assertThat(anomaly.message()).contains("(10 -> 30)");
    assertThat(r.passed()).as("a warning does not fail the gate").isTrue();
  }

  @Test
  void aPartitionIsValidatedAlone() throws Exception {
    TableName orders = TableName.parse("raw.orders_partition");
    writeOrders(orders, 0);
    ValidationResult r = validate(orders, Partition.parse("date=2026-11-02"));
    assertThat(r.rows()).isEqualTo(6);
    assertThat(r.quarantinedRows()).as("only XXX").isEqualTo(1);
    assertThat(warehouse.spark().table(orders.toString()).count()).as("the other day untouched").isEqualTo(9);
  }

  @Test
  void anErrorLevelFailureFailsTheGateAndAMissingColumnIsNamed() throws Exception {
    writeOrders(TableName.parse("raw.orders_gate"), 0);
    Path broken = Files.writeString(dir.resolve("broken.yaml"), """
        table: raw.orders_gate
        checks:
          - {type: row-count, min: 1000}
          - {type: completeness, column: shipping_fee, min: 1}
        """);
    Suite suite = new SuiteLoader(Map.<String, String>of()::get).load(broken, "broken.yaml");
    ValidationResult r = runs.run("validate", List.of(), run -> validator.validate(suite, null, run));
    assertThat(r.passed()).isFalse();
    assertThat(r.results().get(1).status()).isEqualTo(CheckStatus.ERROR);
    assertThat(r.results().get(1).message()).startsWith("column shipping_fee not found");
  }

  @Test
  void badSuitesAndTablesGetClearErrors() throws Exception {
    TableName orders = TableName.parse("raw.orders_bad");
    writeOrders(orders, 0);
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "table: raw.orders\nchecks:\n  - {type: range, column: amount, min: 0}\n");
    assertThatThrownBy(() -> new SuiteLoader(Map.<String, String>of()::get).load(typo, "typo.yaml"))
        .isInstanceOf(ConfigException.class).hasMessage("typo.yaml: checks[0].max: is required for range");
    Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "table: raw.orders\nchecks:\n  - {type: rnage, column: amount}\n");
    assertThatThrownBy(() -> new SuiteLoader(Map.<String, String>of()::get).load(unknown, "unknown.yaml"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown.yaml: checks[0].type: unknown check type \"rnage\"");
    Path quarantineMetric = Files.writeString(dir.resolve("qm.yaml"),
        "table: raw.orders\nchecks:\n  - {type: mean, column: amount, min: 0, quarantine: true}\n");
    assertThatThrownBy(() -> new SuiteLoader(Map.<String, String>of()::get).load(quarantineMetric, "qm.yaml"))
        .hasMessageStartingWith("qm.yaml: checks[0].quarantine: mean is not a row-level check");
    Suite missing = Suite.builder("raw.nothing").check(dev.mlops.validation.checks.Checks.rowCount(1L, null)).build();
    assertThatThrownBy(() -> runs.run("validate", List.of(), run -> validator.validate(missing, null, run)))
        .isInstanceOf(PlatformException.class).hasMessageStartingWith("Cannot validate raw.nothing (suite suite of raw.nothing): no such table")
        .hasMessageEndingWith("; run the job that creates it first, or fix the suite's table");
    Suite suite = suite(orders);
    assertThatThrownBy(() -> runs.run("validate", List.of(), run -> validator.validate(suite, Partition.parse("day=1"), run)))
        .hasMessageStartingWith("Cannot validate raw.orders_bad partition day=1: the table has no column day (columns: ")
        .hasMessageEndingWith("); pass --partition with one of those");
    assertThatThrownBy(() -> runs.run("validate", List.of(), run -> validator.validate(suite, Partition.parse("date=yesterday"),
        run))).hasMessage("Cannot validate raw.orders_bad partition date=yesterday: \"yesterday\" is not a date (the type of date);"
            + " pass a date value");
  }
}
