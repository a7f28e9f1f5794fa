package dev.mlops.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.spec.ModelSpec.AbSpec;
import dev.mlops.training.spec.ModelSpec.VariantSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A/B assignment: the same entity always gets the same variant for a salt, in Spark and on the driver alike. */
class VariantAssignerTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestPlatform.create(dir).spark();
  }

  static AbSpec ab(String salt, double canary) {
    return new AbSpec("customer_id", salt, List.of(new VariantSpec("canary", "@challenger", canary, null, null, null),
        new VariantSpec("b", "Staging", 0.2, null, null, null)));
  }

  static Map<Long, String> assign(Dataset<Row> rows, AbSpec spec) {
    Map<Long, String> out = new HashMap<>();
    for (Row r : rows.withColumn("v", new VariantAssigner(spec).variant()).select("customer_id", "v").collectAsList()) {
      out.put(r.getLong(0), r.isNullAt(1) ? null : r.getString(1));
    }
    return out;
  }

  @Test
  void theSameEntityGetsTheSameVariantOnEveryDayInSparkAndOnTheDriver() {
    Dataset<Row> day1 = spark.range(0, 20_000).selectExpr("id AS customer_id").repartition(3);
    Dataset<Row> day2 = spark.range(0, 20_000).selectExpr("19999 - id AS customer_id", "id AS other").repartition(5);
    Map<Long, String> first = assign(day1, ab("salt-1", 0.05));
    Map<Long, String> second = assign(day2, ab("salt-1", 0.05));
    assertThat(second).as("another day, other rows, other partitions: the same assignment").isEqualTo(first);
    VariantAssigner driver = new VariantAssigner(ab("salt-1", 0.05));
    for (long id = 0; id < 20_000; id += 7) {
      assertThat(driver.variantOf(String.valueOf(id))).as("customer %d", id).isEqualTo(first.get(id));
    }
    long canary = first.values().stream().filter("canary"::equals).count();
    long b = first.values().stream().filter("b"::equals).count();
    assertThat(canary).as("about 5%% of 20,000").isBetween(850L, 1150L);
    assertThat(b).as("about 20%% of 20,000").isBetween(3700L, 4300L);
    Map<Long, String> otherSalt = assign(day1, ab("salt-2", 0.05));
    assertThat(otherSalt).as("a new salt reshuffles").isNotEqualTo(first);
  }

  @Test
  void theVariantFollowsTheDocumentedFormulaComputedBySparkSqlAndANullKeyStaysInProduction() {
    // The formula as the docs give it, computed by Spark SQL itself, and the ranges laid out by hand:
    // canary takes buckets [0, 500), b [500, 2500), Production the rest.
    Dataset<Row> rows = spark.range(0, 20_000).selectExpr("IF(id % 1000 = 7, NULL, id) AS customer_id");
    Map<Long, String> expected = new HashMap<>();
    for (Row r : rows.selectExpr("customer_id", "pmod(xxhash64(concat('salt-1:', CAST(customer_id AS string))), 10000)")
        .collectAsList()) {
      if (!r.isNullAt(0)) {
        long bucket = r.getLong(1);
        expected.put(r.getLong(0), bucket < 500 ? "canary" : bucket < 2500 ? "b" : null);
      }
    }
    Map<Long, String> assigned = new HashMap<>();
    List<String> ofNullKeys = new java.util.ArrayList<>();
    for (Row r : rows.withColumn("v", new VariantAssigner(ab("salt-1", 0.05)).variant()).collectAsList()) {
      if (r.isNullAt(0)) {
        ofNullKeys.add(r.isNullAt(1) ? null : r.getString(1));
      } else {
        assigned.put(r.getLong(0), r.isNullAt(1) ? null : r.getString(1));
      }
    }
    assertThat(assigned).as("in Spark: the formula's variant of every key").isEqualTo(expected);
    VariantAssigner driver = new VariantAssigner(ab("salt-1", 0.05));
    Map<Long, String> onTheDriver = new HashMap<>();
    expected.keySet().forEach(id -> onTheDriver.put(id, driver.variantOf(String.valueOf(id))));
    assertThat(onTheDriver).as("on the driver: the formula's variant of every key").isEqualTo(expected);
    assertThat(expected.values()).as("all three outcomes occur").contains("canary", "b", null);
    assertThat(ofNullKeys).as("an entity without a key stays in Production").hasSize(20).containsOnlyNulls();
    assertThat(new VariantAssigner(ab("salt-1", 0.05)).variantOf(null)).isNull();
  }

  @Test
  void rampingACanaryOnlyMovesEntitiesFromProductionIntoIt() {
    Dataset<Row> rows = spark.range(0, 20_000).selectExpr("id AS customer_id");
    AbSpec five = new AbSpec("customer_id", "ramp", List.of(new VariantSpec("canary", "@challenger", 0.05, null, null, null)));
    AbSpec ten = new AbSpec("customer_id", "ramp", List.of(new VariantSpec("canary", "@challenger", 0.10, null, null, null)));
    Map<Long, String> before = assign(rows, five);
    Map<Long, String> after = assign(rows, ten);
    before.forEach((id, v) -> {
      if ("canary".equals(v)) {
        assertThat(after.get(id)).as("customer %d stays in the canary", id).isEqualTo("canary");
      }
    });
    assertThat(after.values().stream().filter("canary"::equals).count()).isBetween(1800L, 2200L);
  }

  @Test
  void aRampsShareInForceReplacesTheListedOneZeroTakingNoEntityAndOneTakingEvery() {
    AbSpec five = new AbSpec("customer_id", "ramp", List.of(new VariantSpec("canary", "@challenger", 0.05, null, null, null)));
    VariantAssigner stopped = new VariantAssigner(five, Map.of("canary", 0.0));
    VariantAssigner full = new VariantAssigner(five, Map.of("canary", 1.0));
    for (long key = 0; key < 2000; key++) {
      assertThat(stopped.variantOf(String.valueOf(key))).as("share 0").isNull();
      assertThat(full.variantOf(String.valueOf(key))).as("share 1").isEqualTo("canary");
    }
  }
}
