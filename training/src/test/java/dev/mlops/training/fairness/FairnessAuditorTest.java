package dev.mlops.training.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.gate.GateCheck;
import dev.mlops.training.gate.GateVerdict;
import dev.mlops.training.spec.FairnessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fairness audit on a 14-row table whose every figure is computed by hand in the comments. */
class FairnessAuditorTest {
  static final StructType SCHEMA = new StructType().add("label", DataTypes.IntegerType).add("p", DataTypes.DoubleType)
      .add("segment", DataTypes.StringType);

  /**
   * At threshold 0.5 (selected iff p >= 0.5):
   *
   * <pre>
   * group a: + 0.9  + 0.8  + 0.3  - 0.7  - 0.6  - 0.1
   *   6 rows, 3 positives; selected 0.9 0.8 0.7 0.6 = 4: TP 2, FP 2
   *   selection rate 4/6 = 2/3, TPR 2/3, FPR 2/3, precision 2/4 = 1/2
   *   ROC AUC: 0.9 and 0.8 beat all 3 negatives, 0.3 beats 0.1: 7/9
   * group b: + 0.6  + 0.4  - 0.45  - 0.35  - 0.3  - 0.2
   *   6 rows, 2 positives; selected 0.6 = 1: TP 1, FP 0
   *   selection rate 1/6, TPR 1/2, FPR 0/4 = 0, precision 1/1 = 1
   *   ROC AUC: 0.6 beats 4, 0.4 beats 0.35 0.3 0.2: 7/8
   * group c: + 0.9  - 0.6   (2 rows: below min-group-count 3, insufficient)
   *   selection rate 1, TPR 1, FPR 1, precision 1/2, ROC AUC 1
   * gaps over a and b (c left out, though its rates are the extremes):
   *   demographic parity difference 2/3 - 1/6 = 1/2 (a high, b low); ratio (1/6) / (2/3) = 1/4
   *   equal opportunity difference 2/3 - 1/2 = 1/6 (a, b)
   *   equalized odds difference max(TPR gap 1/6, FPR gap 2/3 - 0 = 2/3) = 2/3 (a, b, by FPR)
   *   largest gap: equalized odds 2/3
   * </pre>
   */
  static final List<Row> FIXTURE = List.of(
      RowFactory.create(1, 0.9, "a"), RowFactory.create(1, 0.8, "a"), RowFactory.create(1, 0.3, "a"),
      RowFactory.create(0, 0.7, "a"), RowFactory.create(0, 0.6, "a"), RowFactory.create(0, 0.1, "a"),
      RowFactory.create(1, 0.6, "b"), RowFactory.create(1, 0.4, "b"), RowFactory.create(0, 0.45, "b"),
      RowFactory.create(0, 0.35, "b"), RowFactory.create(0, 0.3, "b"), RowFactory.create(0, 0.2, "b"),
      RowFactory.create(1, 0.9, "c"), RowFactory.create(0, 0.6, "c"));

  @TempDir static Path dir;
  static SparkSession spark;
  /** The fixture audited with the limits of the first two tests: audited once, read by both. */
  static FairnessAudit fixtureAudit;

  @BeforeAll
  static void auditTheFixtureOnce() {
    spark = TestPlatform.create(dir).spark();
    fixtureAudit = new FairnessAuditor("label", "p", spec(3, 0.6, 0.8, 0.2, 0.5)).audit(frame(FIXTURE), 0.5);
  }

  static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA).repartition(3);
  }

  /** A spec with min-class-count 2: a and b, with 2 positives or more and 3 negatives or more, compare every rate. */
  static FairnessSpec spec(Integer minGroupCount, Double maxDpd, Double minRatio, Double maxEopd, Double maxEodd) {
    return new FairnessSpec(List.of("segment"), null, minGroupCount, 2, maxDpd, minRatio, maxEopd, maxEodd);
  }

  @Test
  void everyGroupFigureAndGapIsTheHandComputedOne() {
    AttributeAudit s = fixtureAudit.attributes().get(0);
    assertThat(s.groups()).extracting(GroupOutcome::value).containsExactly("a", "b", "c");

    GroupOutcome a = s.groups().get(0);
    assertThat(List.of(a.rows(), a.positives(), a.predictedPositives(), a.truePositives())).containsExactly(6L, 3L, 4L, 2L);
    assertThat(a.selectionRate()).as("a selection rate").isEqualTo(4.0 / 6);
    assertThat(a.truePositiveRate()).as("a TPR").isEqualTo(2.0 / 3);
    assertThat(a.falsePositiveRate()).as("a FPR").isEqualTo(2.0 / 3);
    assertThat(a.precision()).as("a precision").isEqualTo(0.5);
    assertThat(a.rocAuc()).as("a ROC AUC").isCloseTo(7.0 / 9, within(1e-15));
    assertThat(a.status()).isEqualTo("ok");

    GroupOutcome b = s.groups().get(1);
    assertThat(List.of(b.rows(), b.positives(), b.predictedPositives(), b.truePositives())).containsExactly(6L, 2L, 1L, 1L);
    assertThat(b.selectionRate()).as("b selection rate").isEqualTo(1.0 / 6);
    assertThat(b.truePositiveRate()).as("b TPR").isEqualTo(0.5);
    assertThat(b.falsePositiveRate()).as("b FPR").isEqualTo(0.0);
    assertThat(b.precision()).as("b precision").isEqualTo(1.0);
    assertThat(b.rocAuc()).as("b ROC AUC").isCloseTo(7.0 / 8, within(1e-15));

    GroupOutcome c = s.groups().get(2);
    assertThat(c.status()).as("2 rows < min-group-count 3").isEqualTo("insufficient");
    assertThat(List.of(c.selectionRate(), c.truePositiveRate(), c.falsePositiveRate(), c.precision(), c.rocAuc()))
        .containsExactly(1.0, 1.0, 1.0, 0.5, 1.0);

    assertThat(s.disparity("demographic_parity_difference")).as("2/3 - 1/6, c left out")
        .satisfies(d -> assertThat(d.value()).isCloseTo(0.5, within(1e-15)))
        .extracting(Disparity::high, Disparity::low).containsExactly("a", "b");
    assertThat(s.disparity("demographic_parity_ratio").value()).as("(1/6) / (2/3)").isCloseTo(0.25, within(1e-15));
    assertThat(s.disparity("equal_opportunity_difference").value()).as("2/3 - 1/2").isCloseTo(1.0 / 6, within(1e-15));
    assertThat(s.disparity("equalized_odds_difference").value()).as("max(1/6, 2/3 - 0)").isCloseTo(2.0 / 3, within(1e-15));
    assertThat(s.largestGap()).extracting(Disparity::metric, Disparity::high, Disparity::low)
        .containsExactly("equalized_odds_difference", "a", "b");
  }

  @Test
  void aGapPastItsLimitFailsTheAuditAndBlocksTheGateLikeAnyCheck() {
    assertThat(fixtureAudit.passed()).isFalse();
    assertThat(fixtureAudit.checks()).extracting(GateCheck::name, GateCheck::passed).containsExactly(
        org.assertj.core.groups.Tuple.tuple("fairness segment groups", true),
        org.assertj.core.groups.Tuple.tuple("fairness segment demographic_parity_difference", true),
        org.assertj.core.groups.Tuple.tuple("fairness segment demographic_parity_ratio", false),
        org.assertj.core.groups.Tuple.tuple("fairness segment equal_opportunity_difference", true),
        org.assertj.core.groups.Tuple.tuple("fairness segment equalized_odds_difference", false));
    assertThat(fixtureAudit.checks().get(2).message()).isEqualTo(
        "fairness segment: demographic_parity_ratio 0.2500 between a and b (minimum 0.8000)");

    GateVerdict passing = new GateVerdict(true, List.of(), null, Map.of());
    GateVerdict gated = fixtureAudit.gate(passing);
    assertThat(gated.passed()).as("a failed audit fails the gate").isFalse();
    assertThat(gated.failures()).hasSize(2);
    assertThat(new FairnessAuditor("label", "p", spec(3, 0.6, 0.2, 0.2, 0.7)).audit(frame(FIXTURE), 0.5).gate(passing)
        .passed()).as("within every limit").isTrue();
  }

  @Test
  void withFewerThanTwoGroupsLargeEnoughTheAuditIsInsufficientAndNeverPasses() {
    FairnessAudit audit = new FairnessAuditor("label", "p", spec(7, null, null, null, null)).audit(frame(FIXTURE), 0.5);
    AttributeAudit s = audit.attributes().get(0);
    assertThat(s.groups()).extracting(GroupOutcome::status).containsOnly("insufficient");
    assertThat(s.disparities()).allSatisfy(d -> assertThat(d.value()).isNaN());
    assertThat(audit.passed()).as("no limit set, yet nothing could be compared").isFalse();
    assertThat(audit.checks()).singleElement().satisfies(c -> assertThat(c.message()).isEqualTo(
        "fairness segment: 0 of 3 groups have at least 7 test rows; fewer than 2, so the audit is insufficient and cannot pass"));
  }

  @Test
  void aRateOfAGroupWithFewerPositivesOrNegativesThanMinClassCountIsLeftOutOfItsGaps() {
    // min-class-count 3: b's TPR rests on 2 positives, left out, so the TPR gap has a alone and is
    // undefined, and so is the equalized odds gap built on it; the FPRs (3 and 4 negatives) compare
    FairnessSpec three = new FairnessSpec(List.of("segment"), null, 3, 3, null, null, 0.2, null);
    FairnessAudit audit = new FairnessAuditor("label", "p", three).audit(frame(FIXTURE), 0.5);
    AttributeAudit s = audit.attributes().get(0);
    GroupOutcome b = s.groups().get(1);
    assertThat(b.status()).as("b has its 6 rows").isEqualTo("ok");
    assertThat(List.of(b.comparesTruePositiveRate(), b.comparesFalsePositiveRate())).containsExactly(false, true);
    assertThat(s.groups().get(0).comparesTruePositiveRate()).as("a: 3 positives").isTrue();
    assertThat(s.disparity("demographic_parity_difference").value()).as("selection rates: as before")
        .isCloseTo(0.5, within(1e-15));
    assertThat(s.disparity("equal_opportunity_difference").value()).as("one TPR left").isNaN();
    assertThat(s.disparity("equal_opportunity_difference").passed()).as("undefined: never within a limit").isFalse();
    assertThat(s.disparity("equalized_odds_difference").value()).isNaN();
    assertThat(dev.mlops.core.tables.Json.write(audit.json())).contains("\"min_class_count\":3")
        .contains("\"true_positive_rate\":0.5,\"true_positive_rate_compared\":false");

    FairnessSpec two = new FairnessSpec(List.of("segment"), null, 3, 2, null, null, 0.2, null);
    assertThat(new FairnessAuditor("label", "p", two).audit(frame(FIXTURE), 0.5).attributes().get(0)
        .disparity("equal_opportunity_difference").value()).as("2 positives are enough for 2: 2/3 - 1/2")
        .isCloseTo(1.0 / 6, within(1e-15));
  }

  @Test
  void aGapUndefinedInAGroupFailsItsLimitAndTheJsonSaysSo() {
    // Group b without positives: its TPR is undefined, so are the equal opportunity and equalized odds gaps.
    List<Row> rows = FIXTURE.stream().map(r -> r.getString(2).equals("b") ? RowFactory.create(0, r.get(1), "b") : r).toList();
    FairnessAudit audit = new FairnessAuditor("label", "p", spec(3, null, null, 0.2, null)).audit(frame(rows), 0.5);
    AttributeAudit s = audit.attributes().get(0);
    assertThat(s.disparity("equal_opportunity_difference").passed()).isFalse();
    assertThat(s.disparity("equalized_odds_difference").passed()).as("not gated").isTrue();
    assertThat(s.largestGap().metric()).as("the defined one").isEqualTo("demographic_parity_difference");
    assertThat(audit.passed()).isFalse();
    Map<String, Object> json = audit.json();
    assertThat(json).containsEntry("passed", false).containsEntry("min_group_count", 3);
    assertThat(dev.mlops.core.tables.Json.write(json)).contains("\"true_positive_rate\":null")
        .contains("\"status\":\"failed\"").contains("\"between\":[\"a\",\"b\"]");
  }
}
