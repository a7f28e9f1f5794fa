package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chi-squared test against scipy.stats.chi2_contingency, its buckets and its verdicts. */
class ChiSquaredTest {

  static Stream<Named<JsonNode>> scipyCases() {
    return DriftFixtures.namedCases("categorical.json");
  }

  static DriftResult chiSquared(JsonNode fixture) {
    return new ChiSquared().compute(DriftFixtures.categorical(fixture.get("reference")),
        DriftFixtures.categorical(fixture.get("current")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void statisticPValueAndDofMatchScipyChi2Contingency(JsonNode fixture) {
    DriftResult result = chiSquared(fixture);
    JsonNode expected = fixture.get("chi2");
    DriftDetails.ChiSquaredDetails details = (DriftDetails.ChiSquaredDetails) result.details();
    assertThat(DriftFixtures.relative(result.value(), expected.get("statistic").doubleValue()))
        .as("statistic %s vs scipy %s", result.value(), expected.get("statistic")).isLessThanOrEqualTo(1e-9);
    assertThat(DriftFixtures.relative(result.pValue().orElseThrow(), expected.get("pvalue").doubleValue()))
        .as("p-value %s vs scipy %s", result.pValue(), expected.get("pvalue")).isLessThanOrEqualTo(1e-9);
    assertThat(details.degreesOfFreedom()).as("dof").isEqualTo(expected.get("dof").intValue());
    assertThat(details.yatesCorrection()).as("Yates' correction").isEqualTo(details.degreesOfFreedom() == 1);
    assertThat(result.effectSize().orElseThrow()).as("Cramér's V vs scipy's association")
        .isCloseTo(expected.get("cramers_v").doubleValue(), Offset.offset(1e-12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyCases")
  void bucketsAreTheFixtureBucketsWithEmptyOnesDropped(JsonNode fixture) {
    DriftDetails.ChiSquaredDetails details = (DriftDetails.ChiSquaredDetails) chiSquared(fixture).details();
    List<List<Object>> expected = new ArrayList<>();
    fixture.get("buckets").forEach(b -> expected.add(List.of(b.get("label").asText(), b.get("reference").longValue(),
        b.get("current").longValue())));
    assertThat(details.buckets().stream().map(b -> List.<Object>of(b.label(), b.reference(), b.current())))
        .as("buckets").containsExactlyElementsOf(expected);
    List<String> dropped = new ArrayList<>();
    fixture.get("dropped").forEach(d -> dropped.add(d.asText()));
    assertThat(details.dropped()).as("dropped buckets").containsExactlyElementsOf(dropped);
  }

  @Test
  void currentCategoriesMissingFromTheReferenceShareOneUnseenBucket() {
    DriftResult result = new ChiSquared().compute(ExactCategorical.of(Map.of("a", 50L, "b", 50L)),
        ExactCategorical.of(Map.of("a", 40L, "b", 40L, "x", 7L, "y", 3L)));
    DriftDetails.ChiSquaredDetails details = (DriftDetails.ChiSquaredDetails) result.details();
    assertThat(details.buckets()).as("buckets").containsExactly(
        new Bucket("a", Bucket.Kind.CATEGORY, 50, 40), new Bucket("b", Bucket.Kind.CATEGORY, 50, 40),
        new Bucket(Bucket.UNSEEN, Bucket.Kind.UNSEEN, 0, 10));
    assertThat(details.dropped()).as("dropped").containsExactly(Bucket.OTHER);
    assertThat(details.degreesOfFreedom()).as("dof").isEqualTo(2);
  }

  @Test
  void rowsASketchDidNotKeepGoToOneOtherBucket() {
    DriftResult result = new ChiSquared().compute(new DriftFixtures.FixedCategorical(Map.of("a", 60L), 40),
        new DriftFixtures.FixedCategorical(Map.of("a", 30L), 70));
    assertThat(((DriftDetails.ChiSquaredDetails) result.details()).buckets()).as("buckets").containsExactly(
        new Bucket("a", Bucket.Kind.CATEGORY, 60, 30), new Bucket(Bucket.OTHER, Bucket.Kind.OTHER, 40, 70));
  }

  @Test
  void largeSampleWithASmallEffectIsSignificantButNotDrift() {
    ExactCategorical reference = ExactCategorical.of(Map.of("a", 500_000L, "b", 500_000L));
    ExactCategorical current = ExactCategorical.of(Map.of("a", 505_000L, "b", 495_000L));
    DriftResult result = new ChiSquared().compute(reference, current);
    assertThat(result.pValue().orElseThrow()).as("p-value").isLessThan(0.05);
    assertThat(result.effectSize().orElseThrow()).as("Cramér's V").isLessThan(0.1);
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.OK);
    assertThat(new ChiSquared(DriftThresholds.defaults().withChiSquared(0.05, 0.001)).compute(reference, current)
        .status()).as("status with a minimum V of 0.001").isEqualTo(DriftStatus.DRIFT);
  }

  @Test
  void strongShiftIsDriftWithTheThresholdsUsed() {
    DriftResult result = new ChiSquared().compute(ExactCategorical.of(Map.of("a", 300L, "b", 200L, "c", 100L)),
        ExactCategorical.of(Map.of("a", 150L, "b", 200L, "c", 250L)));
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.DRIFT);
    assertThat(result.thresholds()).as("thresholds").containsExactly(Map.entry("alpha", 0.05),
        Map.entry("minCramersV", 0.1));
  }

  @Test
  void emptyReferenceIsInsufficient() {
    DriftResult result = new ChiSquared().compute(ExactCategorical.ofValues(java.util.Arrays.asList(null, null)),
        ExactCategorical.of(Map.of("a", 3L)));
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.INSUFFICIENT);
    assertThat(((DriftDetails.InsufficientData) result.details()).reason()).as("reason")
        .startsWith("the reference has no values");
  }

  @Test
  void numericColumnIsRefusedWithTheColumnAndTheMetricsThatApply() {
    NumericDistribution side = ExactNumeric.of(1, 2);
    assertThatThrownBy(() -> new ChiSquared().compute("amount", side, side)).as("chi-squared of a numeric column")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot compute chi-squared on column 'amount': it is numeric; use KS or PSI, or bucket the "
            + "column into categories first");
  }

  @Test
  void sidesOfDifferentKindsAreRefusedWithTheColumn() {
    assertThatThrownBy(() -> new ChiSquared().compute("zip", ExactNumeric.of(1), ExactCategorical.of(Map.of("1", 1L))))
        .as("numeric reference, categorical current").isInstanceOf(PlatformException.class)
        .hasMessage("Cannot compute chi-squared on column 'zip': the reference is numeric but the current data is "
            + "categorical; the column changed type between the two, cast both to one type first");
  }
}
