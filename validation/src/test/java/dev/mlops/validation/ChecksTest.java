package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every check against expectations computed by hand on a six-row fixture spread over three partitions. */
class ChecksTest {
  static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType).add("amount", DataTypes.DoubleType)
      .add("currency", DataTypes.StringType).add("code", DataTypes.StringType).add("ts", DataTypes.TimestampType);
  static final long REFERENCE = Instant.parse("2026-11-03T00:00:00Z").toEpochMilli() * 1000;

  @TempDir static Path dir;
  static Dataset<Row> data;

  @BeforeAll
  static void fixture() {
    TestPlatform platform = TestPlatform.create(dir);
    data = platform.spark().createDataFrame(List.of(
        RowFactory.create(1L, 10.0, "USD", "A1", ts("2026-11-01T10:00:00Z")),
        RowFactory.create(2L, 20.0, "EUR", "A2", ts("2026-11-01T11:00:00Z")),
        RowFactory.create(3L, -5.0, "USD", "B3", ts("2026-11-01T12:00:00Z")),
        RowFactory.create(4L, null, "GBP", "zz", ts("2026-11-02T00:00:00Z")),
        RowFactory.create(5L, 30.0, "XXX", "A5", ts("2026-11-02T06:00:00Z")),
        RowFactory.create(5L, 40.0, null, null, null)), SCHEMA).repartition(3);
  }

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static CheckResult evaluate(Check check) {
    Set<Analyzer> analyzers = new LinkedHashSet<>(check.analyzers());
    return check.evaluate(AnalysisRunner.run(data, analyzers, REFERENCE));
  }

  @Test
  void rowCountAndCompleteness() {
    assertThat(evaluate(Checks.rowCount(6L, 6L)).status()).isEqualTo(CheckStatus.SUCCESS);
    CheckResult tooFew = evaluate(Checks.rowCount(7L, null));
    assertThat(tooFew.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(tooFew.observed()).isEqualTo("6");
    assertThat(tooFew.expected()).isEqualTo(">= 7");
    CheckResult complete = evaluate(Checks.completeness("amount", 0.8));
    assertThat(complete.observed()).as("5 of 6").isEqualTo("0.833333");
    assertThat(complete.status()).isEqualTo(CheckStatus.SUCCESS);
    assertThat(evaluate(Checks.completeness("amount", 0.9)).status()).isEqualTo(CheckStatus.FAILURE);
  }

  @Test
  void rowLevelChecksCountTheRowsThatFailAndLetNullsPassValueChecks() {
    assertThat(evaluate(Checks.notNull("currency")).failingRows()).isEqualTo(1);
    assertThat(evaluate(Checks.nonNegative("amount")).failingRows()).as("-5; null passes").isEqualTo(1);
    assertThat(evaluate(Checks.min("amount", 10)).failingRows()).as("-5").isEqualTo(1);
    assertThat(evaluate(Checks.max("amount", 30)).failingRows()).as("40").isEqualTo(1);
    assertThat(evaluate(Checks.range("amount", 0, 35)).failingRows()).as("-5 and 40").isEqualTo(2);
    assertThat(evaluate(Checks.allowedValues("currency", List.of("USD", "EUR", "GBP"))).failingRows()).as("XXX").isEqualTo(1);
    assertThat(evaluate(Checks.pattern("code", "^[A-Z][0-9]$")).failingRows()).as("zz").isEqualTo(1);
    assertThat(evaluate(Checks.pattern("code", "\\d$")).failingRows()).as("backslashes reach the regex").isEqualTo(1);
    CheckResult range = evaluate(Checks.range("amount", 0, 35));
    assertThat(range.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(range.observed()).isEqualTo("66.666% pass, 2 rows fail");
    assertThat(evaluate(Checks.range("amount", -10, 50)).status()).isEqualTo(CheckStatus.SUCCESS);
    assertThat(evaluate(Checks.nonNegative("amount").quarantined()).status()).isEqualTo(CheckStatus.QUARANTINED);
  }

  @Test
  void aSqlPredicateNeedsItsShareOfRows() {
    CheckResult half = evaluate(Checks.predicate("big", "amount > 15", List.of("amount"), 0.5));
    assertThat(half.status()).as("20, 30, 40 of six rows").isEqualTo(CheckStatus.SUCCESS);
    assertThat(half.failingRows()).as("null > 15 is not true").isEqualTo(3);
    assertThat(evaluate(Checks.predicate("bigger", "amount > 15", List.of("amount"), 0.6)).status())
        .isEqualTo(CheckStatus.FAILURE);
  }

  @Test
  void uniquenessAndPrimaryKeysAreExact() {
    CheckResult unique = evaluate(Checks.unique(List.of("id")));
    assertThat(unique.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(unique.failingRows()).as("the two rows of id 5").isEqualTo(2);
    assertThat(evaluate(Checks.unique(List.of("id", "amount"))).status()).as("(4, null) is a key of its own")
        .isEqualTo(CheckStatus.SUCCESS);
    CheckResult pk = evaluate(Checks.primaryKey(List.of("id", "amount")));
    assertThat(pk.status()).as("unique, but amount has a null").isEqualTo(CheckStatus.FAILURE);
    assertThat(pk.observed()).contains("nulls in amount").contains("0 rows share or lack a key");
    assertThat(evaluate(Checks.unique(List.of("code"))).failingRows()).as("the null code").isEqualTo(1);
  }

  @Test
  void statisticsAndSketches() {
    CheckResult mean = evaluate(Checks.mean("amount", 18.0, 20.0));
    assertThat(mean.observed()).as("(10 + 20 - 5 + 30 + 40) / 5").isEqualTo("19");
    CheckResult sd = evaluate(Checks.stddev("amount", null, 15.0));
    assertThat(sd.observed()).as("sqrt(1220 / 5)").isEqualTo("15.6205");
    assertThat(sd.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(evaluate(Checks.approxDistinct("currency", 3.9, 4.1)).status()).as("USD, EUR, GBP, XXX").isEqualTo(CheckStatus.SUCCESS);
    CheckResult median = evaluate(Checks.quantile("amount", 0.5, 15.0, 25.0));
    assertThat(median.observed()).as("-5 10 [20] 30 40").isEqualTo("20");
    assertThat(median.status()).isEqualTo(CheckStatus.SUCCESS);
  }

  @Test
  void freshnessIsMeasuredAgainstTheReferenceTime() {
    CheckResult fresh = evaluate(Checks.freshness("ts", Duration.ofDays(1)));
    assertThat(fresh.status()).isEqualTo(CheckStatus.SUCCESS);
    assertThat(fresh.observed()).isEqualTo("latest 2026-11-02T06:00:00Z (lag 18h)");
    assertThat(evaluate(Checks.freshness("ts", Duration.ofHours(12))).status()).isEqualTo(CheckStatus.FAILURE);
    Check freshness = Checks.freshness("ts", Duration.ofDays(1));
    CheckResult future = freshness.evaluate(AnalysisRunner.run(data, new LinkedHashSet<>(freshness.analyzers()),
        Instant.parse("2026-11-02T00:00:00Z").toEpochMilli() * 1000));
    assertThat(future.status()).as("a timestamp after the reference time fails, however small the lag")
        .isEqualTo(CheckStatus.FAILURE);
    assertThat(future.observed()).isEqualTo("latest 2026-11-02T06:00:00Z (in the future)");
  }

  @Test
  void schemaChecksTypesAndOptionallyExtraColumns() {
    assertThat(evaluate(Checks.schema(Map.of("id", "bigint", "amount", "double"), false)).status()).isEqualTo(CheckStatus.SUCCESS);
    CheckResult strict = evaluate(Checks.schema(Map.of("id", "bigint", "amount", "string"), true));
    assertThat(strict.status()).isEqualTo(CheckStatus.FAILURE);
    assertThat(strict.observed()).contains("amount is double, not string").contains("unexpected column currency");
  }

  @Test
  void aMissingColumnIsAnErrorNamingItAndTheOtherChecksStillRun() {
    Check missing = Checks.completeness("nope", 1.0);
    Check fine = Checks.rowCount(6L, null);
    Set<Analyzer> analyzers = new LinkedHashSet<>(missing.analyzers());
    analyzers.addAll(fine.analyzers());
    AnalysisResult r = AnalysisRunner.run(data, analyzers, REFERENCE);
    CheckResult broken = missing.evaluate(r);
    assertThat(broken.status()).isEqualTo(CheckStatus.ERROR);
    assertThat(broken.message()).startsWith("column nope not found (columns: id, amount, currency, code, ts)");
    assertThat(broken.failsGate()).isTrue();
    assertThat(fine.evaluate(r).status()).isEqualTo(CheckStatus.SUCCESS);
  }

  @Test
  void wrongTypesAndBrokenPredicatesAreErrorsOfTheirCheckNotOfTheRun() {
    CheckResult mean = evaluate(Checks.mean("currency", 0.0, 1.0));
    assertThat(mean.status()).isEqualTo(CheckStatus.ERROR);
    assertThat(mean.message()).isEqualTo("mean needs a numeric column; currency is string");
    CheckResult typo = evaluate(Checks.predicate("typo", "amount >>> 3", List.of("amount"), 1.0));
    assertThat(typo.status()).isEqualTo(CheckStatus.ERROR);
    assertThat(typo.message()).startsWith("typo(amount) cannot be computed: ");
    CheckResult aggregate = evaluate(Checks.predicate("whole", "sum(amount) > 0", List.of("amount"), 1.0));
    assertThat(aggregate.status()).isEqualTo(CheckStatus.ERROR);
    assertThat(aggregate.message()).isEqualTo("whole(amount) cannot be computed: an aggregate function in a row-level"
        + " expression");
    assertThat(evaluate(Checks.freshness("amount", Duration.ofDays(1))).message())
        .isEqualTo("freshness needs a timestamp or date column; amount is double");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checks.schema(Map.of("id", "bigintt"), false))
        .hasMessage("schema: column id: unknown type \"bigintt\"");
    assertThat(evaluate(Checks.schema(Map.of("id", "long", "amount", "DOUBLE"), false)).status()).as("type aliases")
        .isEqualTo(CheckStatus.SUCCESS);
  }

  @Test
  void thresholdsReachTheDataExactly() {
    assertThat(evaluate(Checks.max("amount", 39.999999)).failingRows()).as("40 > 39.999999").isEqualTo(1);
    assertThat(evaluate(Checks.range("amount", -5.0000001, 40.0000001)).failingRows()).isZero();
    assertThat(evaluate(Checks.allowedValues("code", List.of("A1", "A2", "B3", "zz", "A5", "it's"))).failingRows()).isZero();
  }
}
