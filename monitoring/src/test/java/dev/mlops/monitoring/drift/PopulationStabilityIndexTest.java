package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.PlatformException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PSI against a plain numpy PSI (bins at inverted-CDF quantiles, half-count smoothing), and its verdicts. */
class PopulationStabilityIndexTest {

  static Stream<Named<JsonNode>> numericCases() {
    return DriftFixtures.namedCases("psi_numeric.json");
  }

  static Stream<Named<JsonNode>> categoricalCases() {
    return DriftFixtures.namedCases("categorical.json");
  }

  static List<Double> list(JsonNode array) {
    return Arrays.stream(DriftFixtures.doubles(array)).boxed().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numericCases")
  void numericPsiEdgesAndSmoothingMatchNumpy(JsonNode fixture) {
    DriftResult result = new PopulationStabilityIndex(DriftThresholds.defaults(), fixture.get("bins").intValue())
        .compute(ExactNumeric.of(DriftFixtures.doubles(fixture.get("reference"))),
            ExactNumeric.of(DriftFixtures.doubles(fixture.get("current"))));
    DriftDetails.PsiDetails details = (DriftDetails.PsiDetails) result.details();
    assertThat(result.value()).as("PSI").isCloseTo(fixture.get("psi").doubleValue(), Offset.offset(1e-12));
    assertThat(details.edges()).as("edges").isEqualTo(list(fixture.get("edges")));
    assertThat(details.referenceShares()).as("reference shares").isEqualTo(list(fixture.get("reference_shares")));
    assertThat(details.currentShares()).as("current shares").isEqualTo(list(fixture.get("current_shares")));
    assertThat(details.referenceEpsilon()).as("reference epsilon")
        .isEqualTo(fixture.get("reference_epsilon").doubleValue());
    assertThat(details.currentEpsilon()).as("current epsilon").isEqualTo(fixture.get("current_epsilon").doubleValue());
    assertThat(details.errorBound()).as("no error bound between exact sides").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("categoricalCases")
  void categoricalPsiOverBucketsMatchesNumpy(JsonNode fixture) {
    DriftResult result = new PopulationStabilityIndex().compute(DriftFixtures.categorical(fixture.get("reference")),
        DriftFixtures.categorical(fixture.get("current")));
    JsonNode expected = fixture.get("psi");
    DriftDetails.PsiDetails details = (DriftDetails.PsiDetails) result.details();
    assertThat(result.value()).as("PSI").isCloseTo(expected.get("value").doubleValue(), Offset.offset(1e-12));
    assertThat(details.referenceEpsilon()).as("reference epsilon")
        .isEqualTo(expected.get("reference_epsilon").doubleValue());
    assertThat(details.currentEpsilon()).as("current epsilon").isEqualTo(expected.get("current_epsilon").doubleValue());
    assertThat(details.bins()).as("bins").hasSize(fixture.get("buckets").size());
  }

  @Test
  void constantReferenceGivesOneCutAndOneBinWhenTheCurrentMatches() {
    double[] threes = new double[50];
    Arrays.fill(threes, 3.0);
    DriftResult result = new PopulationStabilityIndex().compute(ExactNumeric.of(threes), ExactNumeric.of(3, 3, 3));
    DriftDetails.PsiDetails details = (DriftDetails.PsiDetails) result.details();
    assertThat(details.edges()).as("one cut point").containsExactly(3.0);
    assertThat(details.bins()).as("bins").containsExactly("(-inf, 3.0]", "(3.0, +inf)");
    assertThat(details.currentShares()).as("only the first bin holds values").containsExactly(1.0, 0.0);
    assertThat(result.value()).as("a bin empty on both sides contributes nothing").isZero();
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.OK);
  }

  @Test
  void binEmptyOnOneSideIsSmoothedWithHalfACountOfThatSide() {
    double[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    DriftResult result = new PopulationStabilityIndex(DriftThresholds.defaults(), 2)
        .compute(ExactNumeric.of(reference), ExactNumeric.of(1, 2, 3, 4));
    DriftDetails.PsiDetails details = (DriftDetails.PsiDetails) result.details();
    assertThat(details.edges()).as("the median cut").containsExactly(5.0);
    assertThat(details.currentEpsilon()).as("0.5 / 4 current values, not a fixed 0.0001").isEqualTo(0.125);
    assertThat(result.value()).as("PSI").isCloseTo((1 - 0.5) * Math.log(1 / 0.5) + (0.125 - 0.5) * Math.log(0.125 / 0.5),
        Offset.offset(1e-15));
  }

  @Test
  void levelsGiveOkWarnAndDriftWithTheThresholdsUsed() {
    PopulationStabilityIndex psi = new PopulationStabilityIndex(DriftThresholds.defaults().withPsi(0.05, 0.5), 2);
    ExactNumeric reference = ExactNumeric.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    DriftResult same = psi.compute(reference, reference);
    DriftResult shifted = psi.compute(reference, ExactNumeric.of(1, 2, 3, 6, 7, 8, 9, 10, 11, 12));
    DriftResult moved = psi.compute(reference, ExactNumeric.of(8, 9, 10, 11));
    assertThat(List.of(same.status(), shifted.status(), moved.status())).as("statuses of PSI %s, %s, %s",
        same.value(), shifted.value(), moved.value()).containsExactly(DriftStatus.OK, DriftStatus.WARN, DriftStatus.DRIFT);
    assertThat(moved.thresholds()).as("thresholds used").containsExactly(Map.entry("warn", 0.05),
        Map.entry("alert", 0.5));
  }

  @Test
  void emptySideIsInsufficient() {
    DriftResult result = new PopulationStabilityIndex().compute(ExactNumeric.of(), ExactNumeric.of(1));
    assertThat(result.status()).as("status").isEqualTo(DriftStatus.INSUFFICIENT);
    assertThat(((DriftDetails.InsufficientData) result.details()).reason()).as("reason")
        .startsWith("the reference has no values");
    assertThat(new PopulationStabilityIndex().compute(ExactCategorical.of(Map.of("a", 1L)),
        ExactCategorical.of(Map.of())).status()).as("categorical").isEqualTo(DriftStatus.INSUFFICIENT);
  }

  @Test
  void appliesToBothKindsOfColumnsThroughTheUntypedEntryPoint() {
    PopulationStabilityIndex psi = new PopulationStabilityIndex();
    assertThat(psi.compute("age", ExactNumeric.of(1, 2, 3), ExactNumeric.of(2, 3, 4)).metric()).as("numeric")
        .isEqualTo("psi");
    assertThat(psi.compute("country", ExactCategorical.of(Map.of("a", 2L)), ExactCategorical.of(Map.of("b", 2L)))
        .status()).as("categorical").isEqualTo(DriftStatus.DRIFT);
  }

  @Test
  void fewerThanTwoBinsAreRefused() {
    assertThatThrownBy(() -> new PopulationStabilityIndex(DriftThresholds.defaults(), 1)).as("one bin")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot compute PSI with 1 bins: it compares shares of at least two bins; use 10 (the default) "
            + "or another count from 2");
  }
}
