package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.SparkJobs;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suite of 20 checks reads its input once; with key checks, twice. Counted with a SparkListener. */
class OnePassTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Dataset<Row> data;

  @BeforeAll
  static void input() {
    spark = TestPlatform.create(dir).spark();
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    String path = dir.resolve("input").toString();
    spark.range(0, 20_000, 1, 4).selectExpr("id", "id % 97 AS customer_id", "CAST(id % 1000 AS double) / 10 AS amount",
        "element_at(array('USD', 'EUR', 'GBP'), CAST(id % 3 AS int) + 1) AS currency",
        "IF(id % 2 = 0, 'online', 'pos') AS channel", "timestamp_seconds(1760000000 + id) AS ts").write().parquet(path);
    data = spark.read().parquet(path);
  }

  static List<Check> twentyChecks() {
    List<Check> checks = new ArrayList<>(List.of(
        Checks.rowCount(1L, null), Checks.completeness("id", 1.0), Checks.completeness("amount", 0.9), Checks.notNull("currency"),
        Checks.nonNegative("amount"), Checks.min("amount", 0), Checks.max("amount", 1000), Checks.range("customer_id", 0, 100),
        Checks.allowedValues("currency", List.of("USD", "EUR", "GBP")), Checks.allowedValues("channel", List.of("online", "pos")),
        Checks.pattern("currency", "^[A-Z]{3}$"), Checks.approxDistinct("customer_id", 90.0, 110.0),
        Checks.approxDistinct("currency", 2.9, 3.1), Checks.quantile("amount", 0.5, 40.0, 60.0), Checks.quantile("amount", 0.99, null, 100.0),
        Checks.mean("amount", 40.0, 60.0), Checks.stddev("amount", 1.0, null),
        Checks.predicate("online_share", "channel = 'online'", List.of("channel"), 0.4),
        Checks.freshness("ts", Duration.ofDays(36500)), Checks.schema(Map.of("id", "bigint"), false)));
    assertThat(checks).hasSize(20);
    return checks;
  }

  static List<CheckResult> run(List<Check> checks) {
    Set<Analyzer> analyzers = new LinkedHashSet<>();
    checks.forEach(c -> analyzers.addAll(c.analyzers()));
    AnalysisResult r = AnalysisRunner.run(data, analyzers, 1_800_000_000_000_000L);
    return checks.stream().map(c -> c.evaluate(r)).toList();
  }

  @Test
  void twentyChecksWithoutKeysReadTheInputOnce() throws Exception {
    List<Check> checks = twentyChecks();
    List<List<CheckResult>> results = new ArrayList<>();
    int jobs = SparkJobs.countWhile(spark, () -> results.add(run(checks)));
    assertThat(results.get(0)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.SUCCESS));
    assertThat(jobs).as("Spark jobs for 20 checks").isEqualTo(1);
  }

  @Test
  void keyChecksAddOnePassSharedByAllOfThem() throws Exception {
    List<Check> checks = new ArrayList<>(twentyChecks());
    checks.add(Checks.unique(List.of("id")));
    checks.add(Checks.primaryKey(List.of("id")));
    checks.add(Checks.unique(List.of("customer_id", "id")));
    List<List<CheckResult>> results = new ArrayList<>();
    int jobs = SparkJobs.countWhile(spark, () -> results.add(run(checks)));
    assertThat(results.get(0)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.SUCCESS));
    assertThat(jobs).as("Spark jobs for 20 checks and 3 key checks on 2 key sets").isEqualTo(2);
  }
}
